/* SPDX-License-Identifier: MIT */
/* Linux back end internals. */
#ifndef PS_LINUX_H
#define PS_LINUX_H

#include <sys/types.h>

#include "../posix/posix.h"
#include "../wait_internal.h"

/*
 * The Linux process handle. dirfd is an open /proc/<pid> directory: every read goes through
 * it, and the kernel makes it fail (ENOENT/ESRCH) once this process is reaped, even if the
 * number names a new process. pidfd (or -1 where pidfd_open is unavailable) carries signals
 * and waits to exactly this process. start_ticks is field 22 of /proc/<pid>/stat.
 */
struct ps_proc {
    int64_t pid;
    int dirfd;
    int pidfd;
    uint64_t start_ticks;
    ps__wait_cache wait;   /* the remembered wait result (src/linux/wait.c); zeroed at open */
};

/* pidfd_open(2) / pidfd_send_signal(2) through the raw syscall where libc lacks wrappers.
 * Return -1 and set errno on failure. */
int ps__pidfd_open(pid_t pid, unsigned int flags);
int ps__pidfd_send_signal(int pidfd, int sig);

/*
 * PIDFD_GET_INFO (Linux 6.13+): ppid and the real/effective/saved ids of the process behind a
 * pidfd, in one ioctl. The layout is the kernel's (uapi linux/pidfd.h, size version 0: 64
 * bytes); the kernel copies min(our size, its size), so newer kernels accept it unchanged.
 */
struct ps__pidfd_info {
    uint64_t mask;
    uint64_t cgroupid;
    uint32_t pid, tgid, ppid;
    uint32_t ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
    int32_t exit_code;      /* with PS__PIDFD_INFO_EXIT (6.15+) */
};
#define PS__PIDFD_INFO_PID 1u
#define PS__PIDFD_INFO_CREDS 2u
#define PS__PIDFD_INFO_EXIT 8u
/* _IOWR(0xFF, 11, struct pidfd_info), spelled out: <sys/ioctl.h> macros differ across libcs */
#define PS__PIDFD_GET_INFO ((unsigned long)((3u << 30) | (sizeof(struct ps__pidfd_info) << 16) | (0xFFu << 8) | 11u))
/* ioctl(PIDFD_GET_INFO) asking for PID and credentials. 0, or -errno (-ESRCH: reaped). */
int ps__pidfd_get_info(int pidfd, struct ps__pidfd_info *out);
/* ioctl(PIDFD_GET_INFO) asking for the exit record (PS__PIDFD_INFO_EXIT set in out->mask
 * when the kernel kept one: after the reap, Linux 6.15+). 0, or -errno. */
int ps__pidfd_get_exit_info(int pidfd, struct ps__pidfd_info *out);
/* Can this process use PIDFD_GET_INFO? Probed once (on a pidfd of the caller itself) and
 * remembered (thread-safe); an EINVAL/ENOTTY/ENOSYS/EPERM (seccomp) from a later call turns it
 * off for good (ps__pidfd_info_failed). */
int ps__pidfd_info_usable(void);
/* err: the positive errno of a failed ps__pidfd_get_info; "not supported" errors switch the
 * table readers to the status file. Returns 1 when err meant "not supported". */
int ps__pidfd_info_failed(int err);
/* Tests: force the status-file path (0), force a new probe (-1). */
void ps__pidfd_info_force(int mode);

/* Open the /proc/<pid> directory under the configured root. */
int ps__proc_dir_open(int64_t pid, int *dirfd);

/* Parse the fields after "(comm)" of a /proc/<pid>/stat text: fields[0] is field 3 (state).
 * Returns the number of fields found (up to max) or -1 if the text has no closing ')'.
 * *comm / *comm_len (optional) receive the raw comm bytes. */
int ps__parse_stat(const char *text, size_t len, const char **comm, size_t *comm_len,
                   const char **fields, size_t *field_lens, int max);

/* Read /proc/<pid>/stat through dirfd and return the start time (field 22). A process that is
 * gone yields PS_ENOPROC. */
int ps__proc_start_ticks(int dirfd, uint64_t *ticks);

/* getdents64's record (the kernel ABI; glibc's struct dirent has the same layout, musl's too,
 * but neither promises it under every feature macro). Directory readers that need no DIR (no
 * libc state, no per-directory allocation) read into a DENTS_BUF-byte buffer of these. */
struct ps__dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};
#define DENTS_BUF 32768

/* The boot time as the kernel's btime line of <proc root>/stat states it (whole seconds since
 * the epoch), for create_time. Under the real /proc it comes from the clocks (~50 ns instead
 * of generating /proc/stat, ~20 us); a configured root is read as a file. */
int ps__boot_time(double *out);

#endif /* PS_LINUX_H */
