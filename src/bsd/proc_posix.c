/* SPDX-License-Identifier: MIT */
/* Process calls every BSD answers the same way through POSIX, on the pinned handle: the user
 * name of the real uid, nice get/set, signals. Each checks the pin before acting, so a PID
 * that now holds another process is never signalled or reniced. */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bsd.h"

int ps__bk_proc_username(ps_proc *p, ps__nstr *out)
{
    ps_proc_ids ids;
    int rc = ps__bk_proc_ids(p, 0, &ids);
    if (rc) return rc;
    return ps__bsd_user_name(ids.real, out);
}

int ps__bsd_user_name(int64_t uid, ps__nstr *out)
{
    long hint = sysconf(_SC_GETPW_R_SIZE_MAX);
    size_t cap = hint > 0 ? (size_t)hint : 4096;
    char *buf = NULL;
    struct passwd pw, *res = NULL;
    int e;
    do {   /* ERANGE: the entry does not fit; grow up to 1 MiB */
        free(buf);
        buf = malloc(cap);
        if (!buf) return ps__error(PS_ENOMEM, 0, "getpwuid_r: out of memory");
        e = getpwuid_r((uid_t)uid, &pw, buf, cap, &res);
        cap *= 4;
    } while (e == ERANGE && cap <= (1u << 20));
    char num[24];
    const char *name = res && res->pw_name ? res->pw_name : num;
    if (name == num) snprintf(num, sizeof num, "%lld", (long long)uid);   /* psutil */
    size_t n = strlen(name);
    out->data = malloc(n + 1);
    out->len = n;
    if (out->data) memcpy(out->data, name, n + 1);
    free(buf);
    return out->data ? 0 : ps__error(PS_ENOMEM, 0, "out of memory");
}

int ps__bk_proc_nice(ps_proc *p, int32_t *out)
{
    int rc = ps__bsd_pinned(p);
    if (rc) return rc;
    errno = 0;   /* -1 is a valid nice value: only errno tells a failure */
    int v = getpriority(PRIO_PROCESS, (id_t)p->pid);
    if (v == -1 && errno) return ps__errno_error(errno, "getpriority");
    *out = v;
    return 0;
}

int ps__bk_proc_set_nice(ps_proc *p, int32_t value)
{
    int rc = ps__bsd_pinned(p);
    if (rc) return rc;
    if (setpriority(PRIO_PROCESS, (id_t)p->pid, value) != 0) return ps__errno_error(errno, "setpriority");
    return 0;
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
