/* SPDX-License-Identifier: MIT */
/* Linux users: the utmp file parsed directly (reentrant; getutxent is not thread-safe). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utmpx.h>

#include "sys_common.h"

#ifndef _PATH_UTMPX
#define _PATH_UTMPX "/var/run/utmp"
#endif

static int set_field(ps__nstr *s, const char *field, size_t max)
{
    return ps__sys_nstr_set(s, field, strnlen(field, max));
}

int ps__bk_users(const char *utmp_path, ps__bk_user **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    const char *path = utmp_path ? utmp_path : _PATH_UTMPX;
    ps__buf b;
    ps__buf_init(&b);
    int rc = ps__sys_read_abs(path, &b);
    if (rc == PS_ENOENT) { /* no utmp file: nobody is logged in */
        ps__buf_dispose(&b);
        return 0;
    }
    if (rc) {
        ps__buf_dispose(&b);
        return rc;
    }
    size_t nrec = b.len / sizeof(struct utmpx), n = 0;
    ps__bk_user *v = nrec ? calloc(nrec, sizeof *v) : NULL;
    if (nrec && !v) {
        ps__buf_dispose(&b);
        return ps__error(PS_ENOMEM, 0, "users: out of memory");
    }
    for (size_t i = 0; i < nrec && rc == 0; i++) {
        struct utmpx u;
        memcpy(&u, b.data + i * sizeof u, sizeof u); /* the buffer is not aligned for it */
        if (u.ut_type != USER_PROCESS) continue;
        ps__bk_user *x = &v[n++];
        rc = set_field(&x->name, u.ut_user, sizeof u.ut_user);
        if (!rc) rc = set_field(&x->terminal, u.ut_line, sizeof u.ut_line);
        if (!rc) {
            size_t hl = strnlen(u.ut_host, sizeof u.ut_host);
            if ((hl == 2 && !memcmp(u.ut_host, ":0", 2)) || (hl == 4 && !memcmp(u.ut_host, ":0.0", 4)))
                rc = ps__sys_nstr_set(&x->host, "localhost", 9); /* as psutil */
            else
                rc = ps__sys_nstr_set(&x->host, u.ut_host, hl);
        }
        x->started = (double)u.ut_tv.tv_sec;
        x->pid = u.ut_pid;
    }
    ps__buf_dispose(&b);
    if (rc) {
        ps__bk_users_dispose(v, n);
        return rc;
    }
    *items = v;
    *count = n;
    return 0;
}
