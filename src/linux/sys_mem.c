/* SPDX-License-Identifier: MIT */
/* Linux memory readers: <proc>/meminfo, <proc>/zoneinfo, <proc>/vmstat. */
#include <errno.h>
#include <stdlib.h>
#include <sys/sysinfo.h>
#include <string.h>
#include <unistd.h>

#include "sys_common.h"

enum {
    M_TOTAL, M_FREE, M_BUFFERS, M_CACHED, M_SRECL, M_SHMEM, M_MEMSHARED, M_ACTIVE, M_INACTIVE,
    M_INACT_DIRTY, M_INACT_CLEAN, M_INACT_LAUNDRY, M_SLAB, M_AVAIL, M_ACTIVE_FILE,
    M_INACTIVE_FILE, M_SWAPTOTAL, M_SWAPFREE, M_COUNT
};
/* The key of ours the line's first token starts with → M_* (its length, colon included, in
 * *kl), or -1. A key literal ends at its only colon and holds no blank, so "the token starts
 * with it" is "the token's text up to its first colon is it". Literal-size compares the
 * compiler inlines; most lines are rejected on their first letter. */
static int mem_key_at(const char *t, const char *le, size_t *kl)
{
    size_t n = (size_t)(le - t);
    if (n == 0) return -1;
#define KEY(s, id)                                                \
    if (n >= sizeof(s) - 1 && !memcmp(t, s, sizeof(s) - 1)) {    \
        *kl = sizeof(s) - 1;                                      \
        return id;                                                \
    }
    switch (t[0]) {
    case 'M':
        KEY("MemTotal:", M_TOTAL);
        KEY("MemFree:", M_FREE);
        KEY("MemAvailable:", M_AVAIL);
        KEY("MemShared:", M_MEMSHARED);
        break;
    case 'B': KEY("Buffers:", M_BUFFERS); break;
    case 'C': KEY("Cached:", M_CACHED); break;
    case 'S':
        KEY("SReclaimable:", M_SRECL);
        KEY("Shmem:", M_SHMEM);
        KEY("Slab:", M_SLAB);
        KEY("SwapTotal:", M_SWAPTOTAL);
        KEY("SwapFree:", M_SWAPFREE);
        break;
    case 'A':
        KEY("Active:", M_ACTIVE);
        KEY("Active(file):", M_ACTIVE_FILE);
        break;
    case 'I':
        KEY("Inactive:", M_INACTIVE);
        KEY("Inactive(file):", M_INACTIVE_FILE);
        KEY("Inact_dirty:", M_INACT_DIRTY);
        KEY("Inact_clean:", M_INACT_CLEAN);
        KEY("Inact_laundry:", M_INACT_LAUNDRY);
        break;
    }
#undef KEY
    return -1;
}

static bool mem_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n';
}

/* Parse <proc>/meminfo: value (kB) * 1024 per known key; have[k] says whether it was there.
 * The key is the first whitespace-separated token, as psutil; "Key:123 kB" without a space is
 * split at the colon (psutil #2809). Lines without a number are ignored. One pass over the
 * text read into a stack buffer: a line is dropped at its first letters unless its first token
 * starts with a key of ours, and a number is parsed only then. */
static int read_meminfo(uint64_t v[M_COUNT], bool have[M_COUNT])
{
    memset(have, 0, sizeof(bool) * M_COUNT);
    char stack[8192]; /* meminfo is ~1.5 KiB; a longer one goes to the heap */
    ps__sys_file file;
    int rc = ps__sys_file_open_into(&file, PS_ROOT_PROC, "/meminfo", stack, sizeof stack);
    if (rc) return rc;
    const char *t;
    size_t tl;
    while (ps__sys_file_next(&file, &t, &tl)) {
        const char *le = t + tl;
        while (t < le && mem_ws(*t)) t++;
        size_t kl;
        int k = mem_key_at(t, le, &kl);
        if (k < 0) continue;
        /* the number: the rest of the token after the colon, or the next token */
        const char *num = t + kl;
        if (num == le || mem_ws(*num))
            while (num < le && mem_ws(*num)) num++;
        const char *ne = num;
        while (ne < le && !mem_ws(*ne)) ne++;
        uint64_t x;
        if (!ps__sys_parse_u64(num, (size_t)(ne - num), &x)) continue;
        v[k] = x * 1024;
        have[k] = true;
    }
    ps__sys_file_close(&file);
    return 0;
}

/* The kernel's MemAvailable estimate (commit 34e431b0ae39), as psutil computes it. */
static int64_t estimate_available(const uint64_t v[M_COUNT], const bool have[M_COUNT])
{
    int64_t fallback = (int64_t)v[M_FREE] + (int64_t)(have[M_CACHED] ? v[M_CACHED] : 0);
    if (!have[M_ACTIVE_FILE] || !have[M_INACTIVE_FILE] || !have[M_SRECL]) return fallback;
    ps__sys_file file;
    if (ps__sys_file_open(&file, PS_ROOT_PROC, "/zoneinfo") != 0) return fallback;
    uint64_t low = 0;
    const char *line;
    size_t len;
    while (ps__sys_file_next(&file, &line, &len)) {
        ps__sys_trim(&line, &len);
        if (len < 3 || memcmp(line, "low", 3)) continue;
        const char *f[2];
        size_t fl[2];
        uint64_t x;
        if (ps__sys_split_ws(line, len, f, fl, 2) >= 2 && ps__sys_parse_u64(f[1], fl[1], &x)) low += x;
    }
    ps__sys_file_close(&file);
    long ps = sysconf(_SC_PAGESIZE);
    double wm = (double)low * (double)(ps > 0 ? ps : 4096);
    double avail = (double)v[M_FREE] - wm;
    double pagecache = (double)v[M_ACTIVE_FILE] + (double)v[M_INACTIVE_FILE];
    pagecache -= pagecache / 2 < wm ? pagecache / 2 : wm;
    avail += pagecache;
    double sr = (double)v[M_SRECL];
    avail += sr - (sr / 2.0 < wm ? sr / 2.0 : wm);
    return (int64_t)avail;
}

int ps__bk_virtual_memory(ps_vmem *out)
{
    uint64_t v[M_COUNT] = {0};
    bool have[M_COUNT];
    int rc = read_meminfo(v, have);
    if (rc) return rc;
    if (!have[M_TOTAL] || !have[M_FREE])
        return ps__error(PS_EPARSE, 0, "%s/meminfo: MemTotal or MemFree missing", ps__root(PS_ROOT_PROC));
    out->total = v[M_TOTAL];
    out->free = v[M_FREE];
    out->wired = PS_UNKNOWN_U64;   /* macOS/BSD/Windows only */
    /* a field the kernel does not report is unknown (psutil warns and uses 0) */
    out->buffers = have[M_BUFFERS] ? v[M_BUFFERS] : PS_UNKNOWN_U64;
    out->cached = have[M_CACHED] ? v[M_CACHED] + (have[M_SRECL] ? v[M_SRECL] : 0) : PS_UNKNOWN_U64;
    if (have[M_SHMEM]) out->shared = v[M_SHMEM];
    else if (have[M_MEMSHARED]) out->shared = v[M_MEMSHARED];
    else out->shared = PS_UNKNOWN_U64;
    out->active = have[M_ACTIVE] ? v[M_ACTIVE] : PS_UNKNOWN_U64;
    if (have[M_INACTIVE]) out->inactive = v[M_INACTIVE];
    else if (have[M_INACT_DIRTY] && have[M_INACT_CLEAN] && have[M_INACT_LAUNDRY])
        out->inactive = v[M_INACT_DIRTY] + v[M_INACT_CLEAN] + v[M_INACT_LAUNDRY];
    else out->inactive = PS_UNKNOWN_U64;
    out->slab = have[M_SLAB] ? v[M_SLAB] : PS_UNKNOWN_U64;
    int64_t avail;
    if (have[M_AVAIL]) {
        avail = v[M_AVAIL] > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v[M_AVAIL];
    } else {
        avail = estimate_available(v, have);
        out->flags |= PS_VMEM_AVAILABLE_ESTIMATED;
    }
    if (avail < 0) avail = 0;
    if ((uint64_t)avail > out->total) avail = (int64_t)out->free; /* psutil: > total → free */
    if ((uint64_t)avail > out->total) avail = (int64_t)out->total;
    out->available = (uint64_t)avail;
    out->used = out->total - out->available;   /* psutil 7+ on Linux (gh-2604) */
    return 0;
}

int ps__bk_swap_memory(ps_swapmem *out)
{
    uint64_t v[M_COUNT] = {0};
    bool have[M_COUNT];
    int rc = read_meminfo(v, have);
    if (rc) return rc;
    if (have[M_SWAPTOTAL] && have[M_SWAPFREE]) {
        out->total = v[M_SWAPTOTAL];
        out->free = v[M_SWAPFREE];
    } else if (!strcmp(ps__root(PS_ROOT_PROC), "/proc")) {
        /* psutil's fallback; only meaningful for this machine's own /proc */
        struct sysinfo si;
        if (sysinfo(&si) != 0) return ps__errno_error(errno, "sysinfo");
        out->total = (uint64_t)si.totalswap * si.mem_unit;
        out->free = (uint64_t)si.freeswap * si.mem_unit;
    } else {
        return ps__error(PS_EPARSE, 0, "%s/meminfo: SwapTotal or SwapFree missing", ps__root(PS_ROOT_PROC));
    }
    static const char *const keys[] = { "pswpin", "pswpout" };
    uint64_t pages[2];
    if (ps__sys_read_keyed_u64(PS_ROOT_PROC, "/vmstat", keys, pages, 2) == 2) {
        out->sin = pages[0] * 4096;
        out->sout = pages[1] * 4096;
    } else {
        out->sin = out->sout = PS_UNKNOWN_U64;   /* psutil warns and uses 0 */
    }
    return 0;
}
