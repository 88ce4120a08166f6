/* SPDX-License-Identifier: MIT */
/* Waiting: the per-handle result cache and helpers shared by the core and every back end. */
#ifndef PS_WAIT_INTERNAL_H
#define PS_WAIT_INTERNAL_H

#include <stdatomic.h>

#include "backend.h"

/*
 * Every back end's struct ps_proc embeds one of these (zero-initialised at open). It remembers
 * the first result, so repeated waits give the same answer, and serialises reaping: a thread
 * claims it (state 0 -> 1) before reaping, then publishes (state 2) or releases (back to 0).
 * Other threads that find it claimed yield until it is published or released; the claim lasts
 * one non-blocking system call.
 */
enum { PS__WC_EMPTY = 0, PS__WC_BUSY = 1, PS__WC_DONE = 2 };

typedef struct ps__wait_cache {
    atomic_int state;
    ps_wait_result result;
} ps__wait_cache;

/* Yield the CPU briefly (sched_yield / SwitchToThread): defined by each back end. */
void ps__bk_yield(void);

/* 1 and *out filled if a result is remembered. */
static inline int ps__wait_cache_get(ps__wait_cache *c, ps_wait_result *out)
{
    if (atomic_load_explicit(&c->state, memory_order_acquire) != PS__WC_DONE) return 0;
    *out = c->result;
    out->cached = 1;
    return 1;
}

/* Claim the right to reap. Returns 1 when claimed, 0 when a result is already remembered
 * (then *out holds it). */
static inline int ps__wait_cache_claim(ps__wait_cache *c, ps_wait_result *out)
{
    for (;;) {
        int expected = PS__WC_EMPTY;
        if (atomic_compare_exchange_weak_explicit(&c->state, &expected, PS__WC_BUSY,
                                                  memory_order_acquire, memory_order_acquire))
            return 1;
        if (expected == PS__WC_DONE) {
            *out = c->result;
            out->cached = 1;
            return 0;
        }
        if (expected == PS__WC_BUSY) ps__bk_yield();
    }
}

/* Give a claim back without a result (the process had not ended, or was not ours to reap). */
static inline void ps__wait_cache_release(ps__wait_cache *c)
{
    atomic_store_explicit(&c->state, PS__WC_EMPTY, memory_order_release);
}

/* Publish the result under a claim, and copy it to *out. */
static inline void ps__wait_cache_publish(ps__wait_cache *c, const ps_wait_result *r, ps_wait_result *out)
{
    c->result = *r;
    c->result.cached = 0;
    atomic_store_explicit(&c->state, PS__WC_DONE, memory_order_release);
    *out = c->result;
}

/* Claim and publish in one step; if another result won, *out gets that one. */
static inline void ps__wait_cache_set(ps__wait_cache *c, const ps_wait_result *r, ps_wait_result *out)
{
    if (ps__wait_cache_claim(c, out)) ps__wait_cache_publish(c, r, out);
}

/* Fill a result. */
static inline void ps__wait_result_make(ps_wait_result *r, int64_t pid, int kind, int code,
                                        int core, int mech)
{
    memset(r, 0, sizeof *r);
    r->pid = pid;
    r->kind = kind;
    /* no status: the one "unknown" of int32_t, never a 0 that reads as an exit status */
    r->code = kind == PS_WAIT_UNKNOWN ? PS_UNKNOWN_I32 : code;
    r->returncode = kind == PS_WAIT_EXITED ? code : kind == PS_WAIT_SIGNALED ? -code : PS_UNKNOWN_I32;
    r->core_dumped = core;
    r->mechanism = mech;
    r->cached = 0;
    /* A status is ours because we reaped it; back ends that learn it otherwise say so after. */
    r->source = kind == PS_WAIT_UNKNOWN ? PS_WAIT_SOURCE_NONE : PS_WAIT_SOURCE_REAPED;
}

/* 1 if the fallback is forced (ps__wait_force_fallback or PSINFO_WAIT_FORCE_FALLBACK=1). */
int ps__wait_forced_fallback(void);

#endif /* PS_WAIT_INTERNAL_H */
