/* SPDX-License-Identifier: MIT */
/* The BSD/macOS process handle: PID + start time. The start time is read by one file per
 * system (darwin_kinfo.c, freebsd_kinfo.c, start_kill.c), which meson picks. */
#include <stdlib.h>

#include "../posix/wait_posix.h"
#include "bsd.h"

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

int ps__bsd_pinned(const ps_proc *p)
{
    if (p->defer_pin) return 0;
    int running = 0;
    int rc = ps__bk_proc_is_running(p, &running);
    if (rc) return rc;
    if (!running) return ps__error(PS_ENOPROC, 0, "process %lld is gone", (long long)p->pid);
    return 0;
}
