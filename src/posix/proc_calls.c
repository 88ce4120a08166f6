/* SPDX-License-Identifier: MIT */
/* Calls every Unix answers the same way for a uid or a PID: the user name of a uid
 * (getpwuid_r), the nice value (get/setpriority) and the handle of the calling process
 * (getpid). A back end pins the process around the nice calls (Linux: its pidfd, the BSDs: the
 * pinned start time), so a PID that now names another process is never reniced. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "posix.h"

/* Every Unix back end opens itself by its PID (its ps__bk_proc_open pins it). */
int ps__bk_proc_open_self(ps_proc **out)
{
    return ps__bk_proc_open((int64_t)getpid(), out);
}

int ps__posix_user_name(int64_t uid, ps__nstr *out)
{
    char stackbuf[1024];
    char *buf = stackbuf;
    size_t cap = sizeof stackbuf;
    struct passwd pw, *res = NULL;
    int e;
    /* ERANGE: the entry does not fit; grow up to 1 MiB */
    while ((e = getpwuid_r((uid_t)uid, &pw, buf, cap, &res)) == ERANGE && cap < (1u << 20)) {
        if (buf != stackbuf) free(buf);
        cap *= 4;
        buf = malloc(cap);
        if (!buf) return ps__error(PS_ENOMEM, 0, "getpwuid_r: out of memory");
    }
    if (!res && ps__pw_failed(e)) {   /* not "no such user": there may be a name, so no number */
        if (buf != stackbuf) free(buf);
        return ps__errno_error(e, "getpwuid_r");
    }
    char num[24];
    const char *name = res && res->pw_name ? res->pw_name : num;
    if (name == num) snprintf(num, sizeof num, "%lld", (long long)uid);   /* no entry: psutil */
    size_t n = strlen(name);
    out->data = malloc(n + 1);
    out->len = out->data ? n : 0;
    if (out->data) memcpy(out->data, name, n + 1);
    if (buf != stackbuf) free(buf);
    return out->data ? 0 : ps__error(PS_ENOMEM, 0, "username: out of memory");
}

int ps__posix_nice_get(int64_t pid, int32_t *out)
{
    errno = 0;   /* -1 is a valid nice value: only errno tells a failure */
    int v = getpriority(PRIO_PROCESS, (id_t)pid);
    if (v == -1 && errno) return errno;
    *out = v;
    return 0;
}

int ps__posix_nice_set(int64_t pid, int32_t value)
{
    return setpriority(PRIO_PROCESS, (id_t)pid, value) ? errno : 0;
}
