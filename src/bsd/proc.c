/* The BSD/macOS process handle: PID + start time (sysctl KERN_PROC_PID). Only the macOS path
 * is compile-checked here (zig cc); the FreeBSD path follows sysctl(3)/kinfo_proc but is not
 * compiled in this project's CI. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <sys/sysctl.h>
#include <unistd.h>
#if defined(__FreeBSD__) || defined(__DragonFly__)
#include <sys/user.h> /* struct kinfo_proc */
#endif

#include "../posix/wait_posix.h"
#include "bsd.h"

int ps__bsd_start_time(int64_t pid, int64_t *sec, int64_t *usec, int *has_start)
{
    if (pid <= 0 || pid > INT32_MAX) return ps__error(PS_ENOPROC, 0, "pid %lld out of range", (long long)pid);
#if defined(__APPLE__) || defined(__FreeBSD__)
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
#if defined(__APPLE__)
    *sec = (int64_t)kp.kp_proc.p_starttime.tv_sec;
    *usec = (int64_t)kp.kp_proc.p_starttime.tv_usec;
#else
    *sec = (int64_t)kp.ki_start.tv_sec;
    *usec = (int64_t)kp.ki_start.tv_usec;
#endif
    *has_start = 1;
    return 0;
#else
    /* Other BSDs: existence only (kill(pid, 0)); no start time. */
    if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
        return ps__error(PS_ENOPROC, ESRCH, "no process %lld", (long long)pid);
    *sec = 0;
    *usec = 0;
    *has_start = 0;
    return 0;
#endif
}

int ps__bk_proc_open(int64_t pid, ps_proc **out)
{
    int64_t sec, usec;
    int has;
    int rc = ps__bsd_start_time(pid, &sec, &usec, &has);
    if (rc) return rc;
    ps_proc *p = calloc(1, sizeof *p);
    if (!p) return ps__error(PS_ENOMEM, 0, "ps_proc_open: out of memory");
    p->pid = pid;
    p->start_sec = sec;
    p->start_usec = usec;
    p->has_start = has;
    *out = p;
    return 0;
}

int ps__bk_proc_open_self(ps_proc **out)
{
    return ps__bk_proc_open((int64_t)getpid(), out);
}

void ps__bk_proc_free(ps_proc *proc)
{
    free(proc);
}

int64_t ps__bk_proc_pid(const ps_proc *proc)
{
    return proc->pid;
}

ps__wait_cache *ps__bk_wait_cache(ps_proc *proc)
{
    return &proc->wait;
}

int ps__bk_proc_is_running(const ps_proc *proc, int *running)
{
    int64_t sec, usec;
    int has;
    int rc = ps__bsd_start_time(proc->pid, &sec, &usec, &has);
    if (rc == PS_ENOPROC) {
        *running = 0;
        return 0;
    }
    if (rc) return rc;
    *running = !proc->has_start || (sec == proc->start_sec && usec == proc->start_usec);
    return 0;
}
