/* SPDX-License-Identifier: MIT */
/* FreeBSD (and DragonFly): the start time of the handle's identity pin, sysctl
 * KERN_PROC_PID -> kinfo_proc ki_start. Written from sysctl(3) and <sys/user.h>; not compiled
 * in this project's CI (no FreeBSD headers or toolchain here). */
#include <errno.h>
#include <string.h>
#include <sys/param.h>
#include <sys/sysctl.h>
#include <sys/user.h> /* struct kinfo_proc */

#include "bsd.h"

int ps__bsd_start_time(int64_t pid, int64_t *sec, int64_t *usec, int *has_start)
{
    if (pid <= 0 || pid > INT32_MAX) return ps__error(PS_ENOPROC, 0, "pid %lld out of range", (long long)pid);
    int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PID, (int)pid};
    struct kinfo_proc kp;
    size_t len = sizeof kp;
    memset(&kp, 0, sizeof kp);
    if (sysctl(mib, 4, &kp, &len, NULL, 0) < 0) {
        int err = errno;
        if (err == ESRCH) return ps__error(PS_ENOPROC, err, "no process %lld", (long long)pid);
        return ps__errno_error(err, "sysctl KERN_PROC_PID");
    }
    if (len == 0) return ps__error(PS_ENOPROC, ESRCH, "no process %lld", (long long)pid);
    *sec = (int64_t)kp.ki_start.tv_sec;
    *usec = (int64_t)kp.ki_start.tv_usec;
    *has_start = 1;
    return 0;
}
