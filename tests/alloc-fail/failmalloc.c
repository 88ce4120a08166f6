/* SPDX-License-Identifier: MIT */
/*
 * LD_PRELOAD shim for allocation-failure injection. Wraps malloc, calloc, realloc,
 * posix_memalign, aligned_alloc (and so strdup, getline, opendir... inside libc, which call them
 * through the interposable symbols). Counting is off until the program calls
 * failmalloc_arm(1) (looked up with dlsym, so the driver runs without the shim too); while
 * armed, the Nth allocation (ALLOC_FAIL_N, 1-based) returns NULL with errno ENOMEM, and with
 * ALLOC_FAIL_STICKY=1 every allocation after it too. failmalloc_count() tells how many
 * allocations were counted, so a script can find K and run N = 1..K. ALLOC_FAIL_TRACE=1 prints
 * the stack of the failed allocation on stderr (build the program with -rdynamic).
 * It also tracks the blocks allocated while armed: failmalloc_live() tells how many are still
 * allocated, so a run whose Nth allocation failed can be compared with a clean run (more live
 * blocks = a leak on an error path).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <execinfo.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

#include <pthread.h>
#include <stdint.h>

/* Live blocks allocated while armed: open addressing, tombstones, one lock. */
#define TRACK_SLOTS (1u << 18)
#define TOMB ((void *)1)
static void *track[TRACK_SLOTS];
static long live;
static pthread_mutex_t track_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t slot_of(void *p)
{
    return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull) & (TRACK_SLOTS - 1);
}

static void track_add(void *p)
{
    if (!p) return;
    pthread_mutex_lock(&track_lock);
    for (size_t i = slot_of(p), k = 0; k < TRACK_SLOTS; i = (i + 1) & (TRACK_SLOTS - 1), k++) {
        if (track[i] == NULL || track[i] == TOMB) {
            track[i] = p;
            live++;
            break;
        }
    }
    pthread_mutex_unlock(&track_lock);
}

static void track_del(void *p)
{
    if (!p) return;
    pthread_mutex_lock(&track_lock);
    for (size_t i = slot_of(p), k = 0; k < TRACK_SLOTS && track[i]; i = (i + 1) & (TRACK_SLOTS - 1), k++) {
        if (track[i] == p) {
            track[i] = TOMB;
            live--;
            break;
        }
    }
    pthread_mutex_unlock(&track_lock);
}

long failmalloc_live(void)
{
    pthread_mutex_lock(&track_lock);
    long n = live;
    pthread_mutex_unlock(&track_lock);
    return n;
}

static atomic_long counter;
static atomic_int armed;
static long fail_at = -1;
static int sticky;
static atomic_int configured;

static void configure(void)
{
    if (atomic_load_explicit(&configured, memory_order_acquire)) return;
    const char *e = getenv("ALLOC_FAIL_N");
    fail_at = e ? atol(e) : 0;
    e = getenv("ALLOC_FAIL_STICKY");
    sticky = e && *e == '1';
    atomic_store_explicit(&configured, 1, memory_order_release);
}

void failmalloc_arm(int on)
{
    configure();
    atomic_store(&armed, on);
}

long failmalloc_count(void)
{
    return atomic_load(&counter);
}

static int should_fail(void)
{
    if (!atomic_load_explicit(&armed, memory_order_relaxed)) return 0;
    long n = atomic_fetch_add(&counter, 1) + 1;
    if (fail_at <= 0) return 0;
    if (n == fail_at || (sticky && n > fail_at)) {
        if (n == fail_at && getenv("ALLOC_FAIL_TRACE")) { /* where the failure was injected */
            void *frames[32];
            atomic_store(&armed, 0);
            backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
            atomic_store(&armed, 1);
        }
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

static int is_armed(void)
{
    return atomic_load_explicit(&armed, memory_order_relaxed);
}

void *malloc(size_t n)
{
    if (should_fail()) return NULL;
    void *p = __libc_malloc(n);
    if (is_armed()) track_add(p);
    return p;
}

void *calloc(size_t a, size_t b)
{
    if (should_fail()) return NULL;
    void *p = __libc_calloc(a, b);
    if (is_armed()) track_add(p);
    return p;
}

void *realloc(void *p, size_t n)
{
    if (n != 0 && should_fail()) return NULL;
    void *q = __libc_realloc(p, n);
    if (q || n == 0) track_del(p);
    if (q && is_armed()) track_add(q);
    return q;
}

void free(void *p)
{
    track_del(p);
    __libc_free(p);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (should_fail()) return ENOMEM;
    void *p = __libc_memalign(align, n);
    if (!p) return ENOMEM;
    if (is_armed()) track_add(p);
    *out = p;
    return 0;
}

void *aligned_alloc(size_t align, size_t n)
{
    if (should_fail()) return NULL;
    void *p = __libc_memalign(align, n);
    if (is_armed()) track_add(p);
    return p;
}
