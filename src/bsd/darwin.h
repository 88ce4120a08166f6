/* SPDX-License-Identifier: MIT */
/* macOS back end internals shared by the darwin_*.c files (macOS headers allowed here). */
#ifndef PS_DARWIN_H
#define PS_DARWIN_H

#include <sys/types.h>
#include <sys/sysctl.h>

#include "bsd.h"
#include "darwin_parse.h"

/* kinfo_proc of pid (sysctl KERN_PROC_PID; works for every user's process and zombies).
 * PS_ENOPROC when it is gone (ESRCH, or success with length 0). */
int ps__darwin_kinfo(int64_t pid, struct kinfo_proc *kp);
/* The same for a handle, PS_ENOPROC when the PID now holds another process. */
int ps__darwin_kinfo_pinned(const ps_proc *p, struct kinfo_proc *kp);
/* "/dev/<name>" of a terminal device (out->data NULL for none). */
int ps__darwin_tty_name(dev_t dev, ps__nstr *out);
/* PS_ENOPROC if pid is gone, PS_EZOMBIE if it is a zombie (both recorded), else 0. */
int ps__darwin_gone(int64_t pid, const char *what);
/* The error for a failed call on pid, as psutil guesses it: ESRCH or gone -> PS_ENOPROC, a
 * zombie -> PS_EZOMBIE, EPERM/EACCES -> PS_EACCES, errno 0 on a live process -> PS_EIO. */
int ps__darwin_fail(int64_t pid, int err, const char *what);
/* proc_pidinfo(flavor, arg) into buf of size bytes, for the handle's process: anything but a
 * full read is an error (as psutil: a short read is not data); the pin is checked after. */
int ps__darwin_pidinfo(const ps_proc *p, int flavor, uint64_t arg, void *buf, int size);
/* PROC_PIDTASKINFO decoded (same uid or root; not for zombies). */
int ps__darwin_taskinfo(const ps_proc *p, ps__darwin_task *t);
/* psutil's long-name rule on the handle's kernel name (KERN_PROCARGS2's argv[0]); the name is
 * kept when the arguments cannot be read. 0 or PS_ENOMEM. */
int ps__darwin_extend_name(const ps_proc *p, ps__nstr *name);
/* The handle's descriptors (PROC_PIDLISTFDS, sized as psutil does; malloc'd). */
struct proc_fdinfo;
int ps__darwin_list_fds(const ps_proc *p, struct proc_fdinfo **fds, size_t *count);
/* Mach ticks per second: hw.tbfrequency, else mach_timebase_info (read once). */
uint64_t ps__darwin_tbfreq(void);
/* A sysctl table that may grow between reads (darwin_ptable.c): probe its size, allocate an
 * eighth more plus slack bytes, read; ENOMEM means it grew meanwhile, so again (10 tries, then
 * PS_EIO "<what>: the <noun> kept growing"). *buf is malloc'ed, *len the bytes read. */
int ps__darwin_sysctl_table(int *mib, unsigned miblen, size_t slack, const char *what,
                            const char *noun, void **buf, size_t *len);
/* Apple Silicon's CPU frequency range from the IORegistry "pmgr" entry (darwin_iokit.c):
 * PS_ENOTSUP without IOKit, pmgr or a CPU table. */
int ps__darwin_pmgr_freq(ps__darwin_freq *f);

#endif /* PS_DARWIN_H */
