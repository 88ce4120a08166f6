/* SPDX-License-Identifier: MIT */
/* Waiting on Unix: monotonic deadlines and the backoff fallback shared by Linux and BSD. */
#ifndef PS_WAIT_POSIX_H
#define PS_WAIT_POSIX_H

#include "../wait_internal.h"
#include "posix.h"

/* Deadlines are CLOCK_MONOTONIC nanoseconds; PS__NO_DEADLINE means "never". */
#define PS__NO_DEADLINE INT64_MAX

int64_t ps__mono_ns(void);
/* The deadline for a validated timeout (-1 = none). Huge timeouts saturate to PS__NO_DEADLINE. */
int64_t ps__deadline_after(double timeout);
/* Nanoseconds left before the deadline (0 once passed; INT64_MAX for none). */
int64_t ps__ns_left(int64_t deadline);
/* Milliseconds for one poll/epoll slice: the time left rounded UP to whole ms, capped at cap_ms
 * (so int never overflows and sub-ms timeouts do not turn into busy spins). */
int ps__slice_ms(int64_t deadline, int cap_ms);

/* The fallback's sleep schedule: 0.1 ms doubling up to 40 ms (psutil's). */
#define PS__BACKOFF_FIRST_NS 100000LL
#define PS__BACKOFF_MAX_NS 40000000LL

/* Sleep ns nanoseconds on the monotonic clock (an interrupted sleep simply returns early). */
void ps__sleep_ns(int64_t ns);

/*
 * Is the process pinned by the handle still there (zombies included)? 1 yes, 0 gone, negative
 * PS_E* when it cannot tell. Identity-checked, so a reused PID reads as gone. Per back end.
 */
int ps__bk_wait_alive(ps_proc *proc);

/* The handle's wait cache (struct ps_proc is per back end). */
ps__wait_cache *ps__bk_wait_cache(ps_proc *proc);

/*
 * One non-blocking round of the fallback: reap if it is our child and has ended, or report it
 * gone. Returns 0 with *out filled when it has ended, PS_ETIMEDOUT when it is still there, or a
 * PS_E* error. `mech` is written into a fresh result.
 */
int ps__wait_fallback_check(ps_proc *proc, int64_t pid, ps__wait_cache *cache, int mech,
                            ps_wait_result *out);

/*
 * The fallback: ps__wait_fallback_check, then sleeps of 0.1 ms doubling to 40 ms (clipped to
 * the deadline) until it ends or the deadline passes. Never installs a signal handler.
 */
int ps__wait_fallback(ps_proc *proc, int64_t pid, ps__wait_cache *cache, int64_t deadline,
                      ps_wait_result *out);

/*
 * The back-off set of a wait_many: the processes that no event source (epoll, kqueue) watches,
 * checked with ps__wait_fallback_check on the fallback's schedule. Back ends tag each process
 * in a `how` array; PS__WM_DONE and PS__WM_BACKOFF are shared, event states come after.
 */
enum { PS__WM_DONE = 0, PS__WM_BACKOFF = 1, PS__WM_EVENT = 2 };

typedef struct ps__backoff {
    int64_t delay;       /* the next interval */
    int64_t next_check;  /* monotonic ns when the set is due; 0: at once */
    size_t members;      /* processes tagged PS__WM_BACKOFF */
    size_t failed;       /* processes settled with an error (st[i].error) */
} ps__backoff;

/* An empty set, due at once. */
void ps__backoff_init(ps__backoff *b);

/*
 * The start of every wait_many: `how` (n entries, malloc'ed, freed by the caller; NULL with
 * PS_ENOMEM recorded), an empty set in *bo, and the processes whose result is cached settled
 * (st[i].done, PS__WM_DONE, counted in *done). Every other one is tagged PS__WM_BACKOFF but not
 * counted in bo->members: the back end hands it to its event source, or counts it (members++,
 * or ps__backoff_add).
 */
unsigned char *ps__wait_many_begin(ps_proc *const *procs, size_t n, ps_wait_status *st,
                                   ps__backoff *bo, size_t *done);

/* Move process i into the set (from an event source that cannot serve it): checked at once. */
void ps__backoff_add(ps__backoff *b, unsigned char *how, size_t i);

/*
 * When the set is due (or on the `last` pass), one fallback check of each member: an ended one
 * gets st[i].done and counts in *done, a failed one gets st[i].error and counts in b->failed;
 * both leave the set (PS__WM_DONE). Then the next interval (doubling to the maximum).
 */
void ps__backoff_round(ps__backoff *b, ps_proc *const *procs, size_t n, unsigned char *how,
                       ps_wait_status *st, int last, size_t *done);

/* cap_ns, shortened to the time until the set is due (0 if due) while it has members. */
int64_t ps__backoff_cap_ns(const ps__backoff *b, int64_t cap_ns);

/* Translate a wait(2) status into a result. */
void ps__wait_result_from_status(ps_wait_result *r, int64_t pid, int status, int mech);

#endif /* PS_WAIT_POSIX_H */
