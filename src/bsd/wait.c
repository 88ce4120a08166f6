/* SPDX-License-Identifier: MIT */
/* Waiting on BSD/macOS: kqueue EVFILT_PROC/NOTE_EXIT, registration errors checked (nevents 0,
 * so they come back as -1/errno rather than as EV_ERROR events), then waitpid to reap children.
 * Any failure falls back to src/posix/wait_fallback.c. macOS is compile-checked with zig; the
 * FreeBSD path follows kqueue(2) but is not compiled here. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/event.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include "../posix/wait_posix.h"
#include "bsd.h"

/* kevent takes a timespec: wait at most a day per call, then recompute (no overflow). */
#define SLICE_CAP_NS (24LL * 3600 * 1000000000LL)

int ps__bk_wait_alive(ps_proc *proc)
{
    int running = 0;
    int rc = ps__bk_proc_is_running(proc, &running);
    if (rc) return rc;
    return running;
}

static struct timespec slice_ts(int64_t deadline, int64_t cap_ns)
{
    int64_t left = ps__ns_left(deadline);
    if (left > cap_ns) left = cap_ns;
    struct timespec ts = {(time_t)(left / 1000000000LL), (long)(left % 1000000000LL)};
    return ts;
}

/* Register NOTE_EXIT for pid on kq. 0, or the errno of the refusal (ESRCH: already exited —
 * a zombie on macOS — or gone). */
static int register_exit(int kq, int64_t pid, size_t index)
{
    struct kevent ch;
    EV_SET(&ch, (uintptr_t)pid, EVFILT_PROC, EV_ADD | EV_ONESHOT, NOTE_EXIT, 0, (void *)(uintptr_t)index);
    if (kevent(kq, &ch, 1, NULL, 0, NULL) < 0) return errno;
    return 0;
}

int ps__bk_proc_wait(ps_proc *proc, double timeout, ps_wait_result *out)
{
    if (ps__wait_cache_get(&proc->wait, out)) return 0;
    int64_t deadline = ps__deadline_after(timeout);
    if (ps__wait_forced_fallback()) goto fallback;
    int kq = kqueue();
    if (kq < 0) goto fallback;
    if (register_exit(kq, proc->pid, 0) != 0) {
        /* ESRCH and every other refusal: waitpid/liveness decide. */
        close(kq);
        goto fallback;
    }
    /* The knote names a PID: make sure it is still the pinned process. */
    if (ps__bk_wait_alive(proc) != 1) {
        close(kq);
        goto fallback;
    }
    for (;;) {
        struct kevent ev;
        struct timespec ts = slice_ts(deadline, SLICE_CAP_NS);
        int n = kevent(kq, NULL, 0, &ev, 1, &ts);
        if (n < 0) {
            if (errno == EINTR) continue;   /* recompute the slice from the deadline */
            close(kq);
            goto fallback;
        }
        if (n == 0) {
            if (ps__ns_left(deadline) == 0) {
                close(kq);
                return ps__error(PS_ETIMEDOUT, 0, "process %lld still running", (long long)proc->pid);
            }
            continue;
        }
        close(kq);
        if (ev.flags & EV_ERROR) goto fallback;
        /* Exited: reap it if it is our child. A non-child zombie (not yet reaped by its parent)
         * counts as still there, as in psutil; that phase is left to the fallback's backoff. */
        int rc = ps__wait_fallback_check(proc, proc->pid, &proc->wait, PS_WAIT_MECH_KQUEUE, out);
        if (rc != PS_ETIMEDOUT) return rc;
        goto fallback;
    }
fallback:
    return ps__wait_fallback(proc, proc->pid, &proc->wait, deadline, out);
}

enum { W_DONE = PS__WM_DONE, W_KQ = PS__WM_EVENT };   /* and PS__WM_BACKOFF */

int ps__bk_proc_wait_many(ps_proc *const *procs, size_t n, double timeout, uint32_t flags,
                          ps_wait_status *st)
{
    int64_t deadline = ps__deadline_after(timeout);
    size_t done;
    ps__backoff bo;
    unsigned char *how = ps__wait_many_begin(procs, n, st, &bo, &done);
    if (!how) return PS_ENOMEM;
    int kq = ps__wait_forced_fallback() ? -1 : kqueue();
    for (size_t i = 0; i < n; i++) {
        if (how[i] == W_DONE) continue;
        if (kq >= 0 && register_exit(kq, procs[i]->pid, i) == 0 && ps__bk_wait_alive(procs[i]) == 1)
            how[i] = W_KQ;
        else
            ps__backoff_add(&bo, how, i);
    }
    int last = 0;
    for (;;) {
        ps__backoff_round(&bo, procs, n, how, st, last, &done);
        if (done + bo.failed == n || ((flags & PS_WAIT_ANY) && done > 0) || last) break;
        if (ps__ns_left(deadline) == 0) last = 1;   /* one more non-blocking pass, then stop */
        int64_t cap = last ? 0 : ps__backoff_cap_ns(&bo, SLICE_CAP_NS);
        struct timespec ts = slice_ts(deadline, cap);
        if (kq < 0) {
            nanosleep(&ts, NULL);
            continue;
        }
        struct kevent evs[64];
        int got = kevent(kq, NULL, 0, evs, 64, &ts);
        if (got < 0) {
            if (errno == EINTR) continue;
            for (size_t i = 0; i < n; i++)
                if (how[i] == W_KQ) ps__backoff_add(&bo, how, i);
            close(kq);
            kq = -1;
            bo.next_check = 0;
            continue;
        }
        for (int k = 0; k < got; k++) {
            size_t i = (size_t)(uintptr_t)evs[k].udata;
            if (i >= n || how[i] != W_KQ) continue;
            /* EV_ONESHOT: the knote is gone either way. */
            int r = (evs[k].flags & EV_ERROR) ? PS_ETIMEDOUT
                    : ps__wait_fallback_check(procs[i], procs[i]->pid, &procs[i]->wait,
                                              PS_WAIT_MECH_KQUEUE, &st[i].result);
            if (r == 0) {
                st[i].done = 1;
                how[i] = W_DONE;
                done++;
            } else {
                ps__backoff_add(&bo, how, i);   /* a non-child zombie, or an error event */
            }
        }
    }
    if (kq >= 0) close(kq);
    free(how);
    return 0;
}
