/* SPDX-License-Identifier: MIT */
/* macOS: command line and environment from sysctl KERN_PROCARGS2, decoded by darwin_parse.c;
 * the kernel name extended from argv[0] (psutil's rule for names cut at 15-16 bytes). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysctl.h>

#include "darwin.h"

/* The argument area's size bound (KERN_ARGMAX), read once. */
static size_t argmax(void)
{
    static size_t cached;
    size_t v = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (v) return v;
    int mib[2] = {CTL_KERN, KERN_ARGMAX}, n = 0;
    size_t len = sizeof n;
    v = (sysctl(mib, 2, &n, &len, NULL, 0) == 0 && n > 0) ? (size_t)n : 1024 * 1024;
    __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    return v;
}

/* The raw KERN_PROCARGS2 bytes of the handle's process (malloc'd into *buf). */
static int read_procargs(const ps_proc *p, char **buf, size_t *len)
{
    size_t cap = argmax();
    char *b = malloc(cap);
    if (!b) return ps__error(PS_ENOMEM, 0, "out of memory");
    int mib[3] = {CTL_KERN, KERN_PROCARGS2, (int)p->pid};
    size_t n = cap;
    errno = 0;
    if (sysctl(mib, 3, b, &n, NULL, 0) < 0) {
        int err = errno;
        free(b);
        int rc = ps__darwin_gone(p->pid, "sysctl KERN_PROCARGS2");
        if (rc) return rc;
        /* psutil: EINVAL (another user's process), EIO and no errno at all on a live process
         * mean access denied. */
        if (err == EINVAL || err == EIO || err == 0)
            return ps__error(PS_EACCES, err, "sysctl KERN_PROCARGS2: access denied to process %lld",
                             (long long)p->pid);
        return ps__errno_error(err, "sysctl KERN_PROCARGS2");
    }
    int rc = ps__bsd_pinned(p);
    if (rc) {
        free(b);
        return rc;
    }
    *buf = b;
    *len = n;
    return 0;
}

/* The arguments (env 0) or the environment (env 1) as a native copy. */
static int args_part(ps_proc *p, int env, ps__nstr *out, size_t *argc)
{
    char *buf;
    size_t len;
    int rc = read_procargs(p, &buf, &len);
    if (rc) return rc;
    ps__darwin_procargs a;
    rc = ps__darwin_parse_procargs(buf, len, &a);
    if (rc == 0) rc = env ? ps__darwin_nstr_copy(out, a.env, a.env_len)
                          : ps__darwin_nstr_copy(out, a.argv, a.argv_len);
    if (rc == 0 && argc) *argc = a.argc;
    free(buf);
    return rc;
}

int ps__bk_proc_cmdline(ps_proc *p, ps__nstr *items, size_t *count)
{
    return args_part(p, 0, items, count);
}

/* Since macOS 11 the kernel gives the environment only for the caller's own processes (unless
 * SIP is off): others come back empty, as in psutil, not as an error. */
int ps__bk_proc_environ(ps_proc *p, ps__nstr *block)
{
    return args_part(p, 1, block, NULL);
}

int ps__darwin_extend_name(const ps_proc *p, ps__nstr *name)
{
    if (name->len < 15) return 0;
    char *buf;
    size_t len;
    /* No access to the arguments (another user's, a zombie): the kernel name stays. */
    if (read_procargs(p, &buf, &len) != 0) return 0;
    ps__darwin_procargs a;
    size_t off, n;
    int rc = 0;
    if (ps__darwin_parse_procargs(buf, len, &a) == 0 && a.argc > 0 &&
        ps__darwin_long_name(name->data, name->len, a.argv, strlen(a.argv), &off, &n)) {
        ps__nstr ext;
        rc = ps__darwin_nstr_copy(&ext, a.argv + off, n);
        if (rc == 0) {
            ps__nstr_dispose(name);
            *name = ext;
        }
    }
    free(buf);
    return rc;
}
