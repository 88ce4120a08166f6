/*
 * LD_PRELOAD shim for allocation-failure injection (issue 7). Wraps malloc, calloc, realloc,
 * posix_memalign, aligned_alloc (and so strdup, getline, opendir... inside libc, which call them
 * through the interposable symbols). Counting is off until the program calls
 * failmalloc_arm(1) (looked up with dlsym, so the driver runs without the shim too); while
 * armed, the Nth allocation (ALLOC_FAIL_N, 1-based) returns NULL with errno ENOMEM, and with
 * ALLOC_FAIL_STICKY=1 every allocation after it too. failmalloc_count() tells how many
 * allocations were counted, so a script can find K and run N = 1..K.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

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
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    return should_fail() ? NULL : __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    return should_fail() ? NULL : __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    if (n == 0 || !should_fail()) return __libc_realloc(p, n);
    return NULL;
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (should_fail()) return ENOMEM;
    void *p = __libc_memalign(align, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

void *aligned_alloc(size_t align, size_t n)
{
    return should_fail() ? NULL : __libc_memalign(align, n);
}
