/* SPDX-License-Identifier: MIT */
/* Waiting on Windows: WaitForSingleObject / WaitForMultipleObjects on the handle's process
 * HANDLE, then GetExitCodeProcess — only after the wait succeeded, since 259 (STILL_ACTIVE) is
 * also a legitimate exit code. */
#include <stdlib.h>
#include <string.h>

#include "winproc.h"

/* Waits are DWORD milliseconds (INFINITE = 0xFFFFFFFF, ~49.7 days max): wait at most a day per
 * call and recompute from a GetTickCount64 deadline. */
#define SLICE_CAP_MS (24u * 3600u * 1000u)
#define NO_DEADLINE UINT64_MAX

void ps__bk_yield(void)
{
    SwitchToThread();
}

static uint64_t deadline_after(double timeout)
{
    if (timeout < 0 || timeout > 1.0e12) return NO_DEADLINE;
    double ms = timeout * 1000.0;
    uint64_t ums = (uint64_t)ms;
    if ((double)ums < ms) ums++;   /* round sub-ms up */
    return GetTickCount64() + ums;
}

static DWORD slice_ms(uint64_t deadline)
{
    if (deadline == NO_DEADLINE) return SLICE_CAP_MS;
    uint64_t now = GetTickCount64();
    if (now >= deadline) return 0;
    uint64_t left = deadline - now;
    return left > SLICE_CAP_MS ? SLICE_CAP_MS : (DWORD)left;
}

/* The process has signalled: collect its exit code and remember it. */
static int collect(ps_proc *p, ps_wait_result *out)
{
    DWORD code = 0;
    if (!GetExitCodeProcess(p->h, &code))
        return ps__error(PS_EIO, (int)GetLastError(), "GetExitCodeProcess(%lld) failed", (long long)p->pid);
    ps_wait_result r;
    ps__wait_result_make(&r, p->pid, PS_WAIT_EXITED, (int32_t)code, 0, PS_WAIT_MECH_WINDOWS);
    r.source = PS_WAIT_SOURCE_EXIT_CODE;   /* Windows keeps it for any process, child or not */
    ps__wait_cache_set(&p->wait, &r, out);
    return 0;
}

int ps__bk_proc_wait(ps_proc *proc, double timeout, ps_wait_result *out)
{
    if (ps__wait_cache_get(&proc->wait, out)) return 0;
    uint64_t deadline = deadline_after(timeout);
    for (;;) {
        DWORD ms = slice_ms(deadline);
        DWORD w = WaitForSingleObject(proc->h, ms);
        if (w == WAIT_OBJECT_0) return collect(proc, out);
        if (w == WAIT_TIMEOUT) {
            if (slice_ms(deadline) == 0)
                return ps__error(PS_ETIMEDOUT, 0, "process %lld still running", (long long)proc->pid);
            continue;
        }
        return ps__error(PS_EIO, (int)GetLastError(), "WaitForSingleObject(%lld) failed", (long long)proc->pid);
    }
}

static VOID CALLBACK on_signalled(PVOID ev, BOOLEAN timed_out)
{
    (void)timed_out;
    SetEvent((HANDLE)ev);
}

/*
 * PS_WAIT_ANY over more than MAXIMUM_WAIT_OBJECTS handles: thread-pool waits
 * (RegisterWaitForSingleObject) all set one event; each wake-up sweeps the handles without
 * waiting. Returns 1 if it served the call, 0 if the thread pool refused (then the caller
 * alternates over the groups instead).
 */
static int wait_any_pool(ps_proc *const *procs, size_t n, uint64_t deadline, ps_wait_status *st,
                         size_t *done)
{
    HANDLE ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    if (!ev) return 0;
    HANDLE *wh = calloc(n, sizeof *wh);
    if (!wh) {
        CloseHandle(ev);
        return 0;
    }
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        if (st[i].done || st[i].error) continue;
        if (!RegisterWaitForSingleObject(&wh[i], procs[i]->h, on_signalled, ev, INFINITE,
                                         WT_EXECUTEONLYONCE))
            ok = 0;
    }
    if (ok) {
        for (;;) {
            for (size_t i = 0; i < n; i++) {
                if (st[i].done || st[i].error) continue;
                if (WaitForSingleObject(procs[i]->h, 0) != WAIT_OBJECT_0) continue;
                int rc = collect(procs[i], &st[i].result);
                if (rc) {
                    st[i].error = rc;
                } else {
                    st[i].done = 1;
                    (*done)++;
                }
            }
            if (*done > 0) break;
            DWORD ms = slice_ms(deadline);
            if (ms == 0) break;
            DWORD w = WaitForSingleObject(ev, ms);
            if (w == WAIT_FAILED) break;
            if (w == WAIT_TIMEOUT && slice_ms(deadline) == 0) break;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (wh[i]) UnregisterWaitEx(wh[i], INVALID_HANDLE_VALUE); /* waits for running callbacks */
    free(wh);
    CloseHandle(ev);
    return ok;
}

/*
 * Many: groups of up to MAXIMUM_WAIT_OBJECTS handles. PS_WAIT_ALL waits on each group in turn
 * (the total wait is the last exit, so no busy loop). PS_WAIT_ANY with more than 64 handles uses
 * thread-pool waits (wait_any_pool); only if those are refused does it alternate over the
 * groups with slices growing from 1 ms to 40 ms.
 */
int ps__bk_proc_wait_many(ps_proc *const *procs, size_t n, double timeout, uint32_t flags,
                          ps_wait_status *st)
{
    uint64_t deadline = deadline_after(timeout);
    size_t *idx = malloc(n * sizeof *idx);
    HANDLE *hs = malloc(n * sizeof *hs);
    if (!idx || !hs) {
        free(idx);
        free(hs);
        return ps__error(PS_ENOMEM, 0, "ps_proc_wait_many: out of memory");
    }
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        if (ps__wait_cache_get(&procs[i]->wait, &st[i].result)) {
            st[i].done = 1;
            done++;
        }
    }
    int any = (flags & PS_WAIT_ANY) != 0;
    DWORD any_slice = 1;
    if (any && done == 0 && n - done > MAXIMUM_WAIT_OBJECTS && wait_any_pool(procs, n, deadline, st, &done)) {
        free(idx);
        free(hs);
        return 0;
    }
    for (;;) {
        if (done == n || (any && done > 0)) break;
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (!st[i].done && !st[i].error) {
                idx[m] = i;
                hs[m] = procs[i]->h;
                m++;
            }
        if (m == 0) break;
        int signalled = 0;
        for (size_t g = 0; g < m; g += MAXIMUM_WAIT_OBJECTS) {
            DWORD cnt = (DWORD)(m - g < MAXIMUM_WAIT_OBJECTS ? m - g : MAXIMUM_WAIT_OBJECTS);
            DWORD ms = slice_ms(deadline);
            if (any && m > MAXIMUM_WAIT_OBJECTS && ms > any_slice) ms = any_slice;
            DWORD w = WaitForMultipleObjects(cnt, hs + g, FALSE, ms);
            if (w == WAIT_TIMEOUT) continue;
            signalled = 1;
            if (w < WAIT_OBJECT_0 + cnt) {
                /* One signalled: sweep the group without waiting (several may be done). */
                for (DWORD k = 0; k < cnt; k++) {
                    size_t i = idx[g + k];
                    if (WaitForSingleObject(hs[g + k], 0) != WAIT_OBJECT_0) continue;
                    int rc = collect(procs[i], &st[i].result);
                    if (rc) {
                        st[i].error = rc;
                    } else {
                        st[i].done = 1;
                        done++;
                    }
                }
            } else {
                DWORD err = GetLastError();
                for (DWORD k = 0; k < cnt; k++) st[idx[g + k]].error = PS_EIO;
                ps__error(PS_EIO, (int)err, "WaitForMultipleObjects failed");
            }
            break;  /* regather */
        }
        if (!signalled) {
            if (slice_ms(deadline) == 0) break;
            if (any && any_slice < 40) any_slice *= 2;
        }
    }
    free(idx);
    free(hs);
    return 0;
}
