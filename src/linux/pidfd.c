/* SPDX-License-Identifier: MIT */
/* pidfd syscalls, raw where glibc < 2.36 or musl lack the wrappers; PIDFD_GET_INFO. */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 /* the same number on every architecture */
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

int ps__pidfd_open(pid_t pid, unsigned int flags)
{
    return (int)syscall(SYS_pidfd_open, pid, flags);
}

int ps__pidfd_send_signal(int pidfd, int sig)
{
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int ps__pidfd_get_info(int pidfd, struct ps__pidfd_info *out)
{
    memset(out, 0, sizeof *out);
    out->mask = PS__PIDFD_INFO_PID | PS__PIDFD_INFO_CREDS;
    if (ioctl(pidfd, PS__PIDFD_GET_INFO, out) != 0) return -errno;
    if ((out->mask & (PS__PIDFD_INFO_PID | PS__PIDFD_INFO_CREDS)) != (PS__PIDFD_INFO_PID | PS__PIDFD_INFO_CREDS))
        return -EINVAL;   /* an older layout without credentials: treat as unsupported */
    return 0;
}

int ps__pidfd_get_exit_info(int pidfd, struct ps__pidfd_info *out)
{
    memset(out, 0, sizeof *out);
    out->mask = PS__PIDFD_INFO_EXIT;
    return ioctl(pidfd, PS__PIDFD_GET_INFO, out) != 0 ? -errno : 0;
}

/* -1: not probed yet; 0: use the status file; 1: PIDFD_GET_INFO works. */
static atomic_int pidfd_info_state = -1;

static int probe_pidfd_info(void)
{
    /* /proc must be of our PID namespace, or its numbers would name other processes */
    char self[32];
    ssize_t n = readlink("/proc/self", self, sizeof self - 1);
    if (n <= 0) return 0;
    self[n] = '\0';
    if (strtol(self, NULL, 10) != (long)getpid()) return 0;
    int fd = ps__pidfd_open(getpid(), 0);
    if (fd < 0) return 0;   /* no pidfds at all (< 5.3, or filtered) */
    struct ps__pidfd_info info;
    int e = ps__pidfd_get_info(fd, &info);
    close(fd);
    return e == 0 && info.tgid == (uint32_t)getpid();
}

int ps__pidfd_info_usable(void)
{
    int st = atomic_load_explicit(&pidfd_info_state, memory_order_relaxed);
    if (st < 0) {
        st = probe_pidfd_info();
        /* concurrent probes agree; a later "failed" verdict is never overwritten by a probe */
        int expect = -1;
        if (!atomic_compare_exchange_strong(&pidfd_info_state, &expect, st)) st = expect;
    }
    return st;
}

int ps__pidfd_info_failed(int err)
{
    if (err == EINVAL || err == ENOTTY || err == ENOSYS || err == EPERM || err == EOPNOTSUPP) {
        atomic_store(&pidfd_info_state, 0);
        return 1;
    }
    return 0;
}

void ps__pidfd_info_force(int mode)
{
    atomic_store(&pidfd_info_state, mode < 0 ? -1 : 0);
}
