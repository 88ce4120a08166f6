/* SPDX-License-Identifier: MIT */
/* Process calls every BSD answers the same way through POSIX (src/posix), on the pinned
 * handle: the user name of the real uid, nice get/set, signals. Each checks the pin before
 * acting, so a PID that now holds another process is never signalled or reniced. */
#include <errno.h>
#include <signal.h>

#include "bsd.h"

int ps__bk_proc_username(ps_proc *p, ps__nstr *out)
{
    ps_proc_ids ids;
    int rc = ps__bk_proc_ids(p, 0, &ids);
    if (rc) return rc;
    return ps__posix_user_name(ids.real, out);
}

int ps__bk_proc_nice(ps_proc *p, int32_t *out)
{
    int rc = ps__bsd_pinned(p);
    if (rc) return rc;
    int e = ps__posix_nice_get(p->pid, out);
    return e ? ps__errno_error(e, "getpriority") : 0;
}

int ps__bk_proc_set_nice(ps_proc *p, int32_t value)
{
    int rc = ps__bsd_pinned(p);
    if (rc) return rc;
    int e = ps__posix_nice_set(p->pid, value);
    return e ? ps__errno_error(e, "setpriority") : 0;
}

int ps__bk_proc_signal(ps_proc *p, int op, int32_t sig_in)
{
    int sig;
    int rc = ps__posix_signal(op, sig_in, &sig);
    if (rc) return rc;
    rc = ps__bsd_pinned(p);   /* psutil's PID-reuse check, then kill(2) */
    if (rc) return rc;
    if (kill((pid_t)p->pid, sig) != 0) return ps__errno_error(errno, "kill");
    return 0;
}
