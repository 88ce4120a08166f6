/* SPDX-License-Identifier: MIT */
/* The portable Unix fallback for waiting: waitpid(WNOHANG) plus an identity-checked liveness
 * test, with sleeps of 0.1 ms doubling to 40 ms. Used whenever the event path cannot serve. */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "wait_posix.h"

void ps__bk_yield(void)
{
    sched_yield();
}

int64_t ps__mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t ps__deadline_after(double timeout)
{
    if (timeout < 0) return PS__NO_DEADLINE;
    /* Beyond ~292 years int64 ns overflow; anything over 100 years is "never" in practice. */
    if (timeout > 3.0e9) return PS__NO_DEADLINE;
    int64_t now = ps__mono_ns();
    int64_t ns = (int64_t)(timeout * 1e9);
    if (ns == 0 && timeout > 0) ns = 1;
    if (ns > PS__NO_DEADLINE - 1 - now) return PS__NO_DEADLINE;
    return now + ns;
}

int64_t ps__ns_left(int64_t deadline)
{
    if (deadline == PS__NO_DEADLINE) return INT64_MAX;
    int64_t left = deadline - ps__mono_ns();
    return left > 0 ? left : 0;
}

int ps__slice_ms(int64_t deadline, int cap_ms)
{
    int64_t left = ps__ns_left(deadline);
    if (left == INT64_MAX) return cap_ms;
    int64_t ms = (left + 999999) / 1000000;
    return ms > cap_ms ? cap_ms : (int)ms;
}

void ps__sleep_ns(int64_t ns)
{
    if (ns <= 0) return;
    struct timespec ts = {(time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL)};
    /* EINTR: return early; the caller's loop recomputes from its deadline. */
    nanosleep(&ts, NULL);
}

void ps__wait_result_from_status(ps_wait_result *r, int64_t pid, int status, int mech)
{
    if (WIFEXITED(status))
        ps__wait_result_make(r, pid, PS_WAIT_EXITED, WEXITSTATUS(status), 0, mech);
    else if (WIFSIGNALED(status))
#ifdef WCOREDUMP
        ps__wait_result_make(r, pid, PS_WAIT_SIGNALED, WTERMSIG(status), WCOREDUMP(status) ? 1 : 0, mech);
#else
        ps__wait_result_make(r, pid, PS_WAIT_SIGNALED, WTERMSIG(status), 0, mech);
#endif
    else
        ps__wait_result_make(r, pid, PS_WAIT_UNKNOWN, 0, 0, mech);
}

int ps__wait_fallback_check(ps_proc *proc, int64_t pid, ps__wait_cache *cache, int mech,
                            ps_wait_result *out)
{
    if (ps__wait_cache_get(cache, out)) return 0;
    /* Liveness first: once the pinned process is gone (reaped) its PID may name another
     * process, possibly a new child of ours, which waitpid must not touch. While it is still
     * there (zombie included) the PID cannot be reused, so waitpid(pid) targets it. */
    int alive = ps__bk_wait_alive(proc);
    if (alive < 0) return alive;
    ps_wait_result r;
    if (!alive) {
        ps__wait_result_make(&r, pid, PS_WAIT_UNKNOWN, 0, 0, mech);
        ps__wait_cache_set(cache, &r, out);
        return 0;
    }
    if (!ps__wait_cache_claim(cache, out)) return 0;
    int status = 0;
    pid_t got;
    do got = waitpid((pid_t)pid, &status, WNOHANG);
    while (got < 0 && errno == EINTR);
    if (got == (pid_t)pid) {
        ps__wait_result_from_status(&r, pid, status, mech);
        ps__wait_cache_publish(cache, &r, out);
        return 0;
    }
    int err = errno;
    ps__wait_cache_release(cache);
    if (got == 0 || (got < 0 && err == ECHILD)) return PS_ETIMEDOUT; /* running, or not our child */
    return ps__errno_error(err, "waitpid");
}

int ps__wait_fallback(ps_proc *proc, int64_t pid, ps__wait_cache *cache, int64_t deadline,
                      ps_wait_result *out)
{
    int64_t delay = PS__BACKOFF_FIRST_NS;
    for (;;) {
        int rc = ps__wait_fallback_check(proc, pid, cache, PS_WAIT_MECH_FALLBACK, out);
        if (rc != PS_ETIMEDOUT) return rc;
        int64_t left = ps__ns_left(deadline);
        if (left == 0) return ps__error(PS_ETIMEDOUT, 0, "process %lld still running", (long long)pid);
        ps__sleep_ns(delay < left ? delay : left);
        delay = delay * 2 > PS__BACKOFF_MAX_NS ? PS__BACKOFF_MAX_NS : delay * 2;
    }
}

void ps__backoff_init(ps__backoff *b)
{
    b->delay = PS__BACKOFF_FIRST_NS;
    b->next_check = 0;
    b->members = 0;
    b->failed = 0;
}

unsigned char *ps__wait_many_begin(ps_proc *const *procs, size_t n, ps_wait_status *st,
                                   ps__backoff *bo, size_t *done)
{
    unsigned char *how = malloc(n);
    if (!how) {
        ps__error(PS_ENOMEM, 0, "ps_proc_wait_many: out of memory");
        return NULL;
    }
    *done = 0;
    ps__backoff_init(bo);
    for (size_t i = 0; i < n; i++) {
        if (ps__wait_cache_get(ps__bk_wait_cache(procs[i]), &st[i].result)) {
            st[i].done = 1;
            how[i] = PS__WM_DONE;
            (*done)++;
        } else {
            how[i] = PS__WM_BACKOFF;   /* not counted yet: the back end places it */
        }
    }
    return how;
}

void ps__backoff_add(ps__backoff *b, unsigned char *how, size_t i)
{
    how[i] = PS__WM_BACKOFF;
    b->members++;
    b->next_check = 0;
}

void ps__backoff_round(ps__backoff *b, ps_proc *const *procs, size_t n, unsigned char *how,
                       ps_wait_status *st, int last, size_t *done)
{
    if (b->members == 0 || (!last && ps__mono_ns() < b->next_check)) return;
    for (size_t i = 0; i < n; i++) {
        if (how[i] != PS__WM_BACKOFF) continue;
        int r = ps__wait_fallback_check(procs[i], ps__bk_proc_pid(procs[i]), ps__bk_wait_cache(procs[i]),
                                        PS_WAIT_MECH_FALLBACK, &st[i].result);
        if (r == PS_ETIMEDOUT) continue;
        if (r == 0) {
            st[i].done = 1;
            (*done)++;
        } else {
            st[i].error = r;   /* settled: reported as not done, with its error */
            b->failed++;
        }
        how[i] = PS__WM_DONE;
        b->members--;
    }
    b->next_check = ps__mono_ns() + b->delay;
    b->delay = b->delay * 2 > PS__BACKOFF_MAX_NS ? PS__BACKOFF_MAX_NS : b->delay * 2;
}

int64_t ps__backoff_cap_ns(const ps__backoff *b, int64_t cap_ns)
{
    if (b->members == 0) return cap_ns;
    int64_t until = b->next_check - ps__mono_ns();
    if (until < 0) until = 0;
    return until < cap_ns ? until : cap_ns;
}
