/* SPDX-License-Identifier: MIT */
/* Waiting: argument checks and the fallback switch; the back ends do the waiting. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_hooks.h"
#include "wait_internal.h"

/* -1: PSINFO_WAIT_FORCE_FALLBACK not read yet; 0/1: forced off/on. Set atomically, read once. */
static atomic_int force_fallback = -1;

int ps__wait_forced_fallback(void)
{
    int v = atomic_load_explicit(&force_fallback, memory_order_relaxed);
    if (v < 0) {
        const char *e = getenv("PSINFO_WAIT_FORCE_FALLBACK");
        int want = (e && strcmp(e, "1") == 0) ? 1 : 0;
        int expected = -1;
        /* A concurrent ps__wait_force_fallback wins over the environment. */
        atomic_compare_exchange_strong(&force_fallback, &expected, want);
        v = atomic_load_explicit(&force_fallback, memory_order_relaxed);
    }
    return v;
}

int ps__wait_force_fallback(int on)
{
    if (on != 0 && on != 1) return ps__error(PS_EINVAL, 0, "ps__wait_force_fallback: on must be 0 or 1");
    atomic_store(&force_fallback, on);
    return 0;
}

/* Validate a timeout; *norm receives it with every "infinite" spelled as -1. */
static int check_timeout(const char *fn, double timeout, double *norm)
{
    if (isnan(timeout)) return ps__error(PS_EINVAL, 0, "%s: timeout is NaN", fn);
    if (timeout == PS_TIMEOUT_INFINITE || (isinf(timeout) && timeout > 0)) {
        *norm = -1.0;
        return 0;
    }
    if (timeout < 0) return ps__error(PS_EINVAL, 0, "%s: negative timeout %g", fn, timeout);
    *norm = timeout;
    return 0;
}

int ps_proc_wait(ps_proc *proc, double timeout, ps_wait_result *out)
{
    PS__CHECK_ARGS("ps_proc_wait", proc && out);
    double t = 0;
    int rc = check_timeout("ps_proc_wait", timeout, &t);
    if (rc) return rc;
    rc = ps__bk_proc_wait(proc, t, out);
    if (rc == 0) {
        out->pad_0 = 0;
        PS__TAIL_ZERO(out);
    }
    return rc;
}

int ps_proc_wait_many(ps_proc *const *procs, size_t n, double timeout, uint32_t flags,
                      ps_wait_status *out, size_t *out_done)
{
    if (out_done) *out_done = 0;
    if (n > 0 && (!procs || !out)) return ps__error(PS_EINVAL, 0, "ps_proc_wait_many: NULL argument");
    if (flags & ~(uint32_t)PS_WAIT_ANY) return ps__error(PS_EINVAL, 0, "ps_proc_wait_many: unknown flags 0x%x", flags);
    double t = 0;
    int rc = check_timeout("ps_proc_wait_many", timeout, &t);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++)
        if (!procs[i]) return ps__error(PS_EINVAL, 0, "ps_proc_wait_many: procs[%u] is NULL", (unsigned)i);
    if (n == 0) return 0;
    memset(out, 0, n * sizeof *out);
    rc = ps__bk_proc_wait_many(procs, n, t, flags, out);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) {
        out[i].result.pad_0 = 0;
        PS__TAIL_ZERO(&out[i].result);
        PS__TAIL_ZERO(&out[i]);
    }
    if (out_done) {
        size_t d = 0;
        for (size_t i = 0; i < n; i++) d += out[i].done ? 1 : 0;
        *out_done = d;
    }
    return 0;
}
