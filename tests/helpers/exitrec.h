/* SPDX-License-Identifier: MIT */
/* Whether the kernel keeps exit records on pidfds: what the wait and CLI suites expect of a
 * process that someone other than the waiter reaps. */
#ifndef PS_TEST_EXITREC_H
#define PS_TEST_EXITREC_H

#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

/*
 * Does the kernel keep a reaped process's exit status on the pidfds open on it (Linux 6.15+:
 * PIDFD_GET_INFO with PIDFD_INFO_EXIT)? Decided from the kernel version and from pidfd_open
 * working at all (valgrind 3.19 and seccomp filters answer ENOSYS), not from the library.
 */
static inline int kernel_keeps_exit_records(void)
{
    struct utsname u;
    int major = 0, minor = 0;
    if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2) return 0;
    if (major < 6 || (major == 6 && minor < 15)) return 0;
    int saved = errno;
    long fd = syscall(434 /* pidfd_open */, (long)getpid(), 0L);
    if (fd >= 0) close((int)fd);
    errno = saved;
    return fd >= 0;
}

#endif
