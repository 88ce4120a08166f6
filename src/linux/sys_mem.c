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
#define K(s) {s, sizeof(s) - 1}
static const struct { const char *k; size_t n; } mem_keys[M_COUNT] = {
    K("MemTotal:"),
    K("MemFree:"),
    K("Buffers:"),
    K("Cached:"),
    K("SReclaimable:"),
    K("Shmem:"),
    K("MemShared:"),
    K("Active:"),
    K("Inactive:"),
    K("Inact_dirty:"),
    K("Inact_clean:"),
    K("Inact_laundry:"),
    K("Slab:"),
    K("MemAvailable:"),
    K("Active(file):"),
    K("Inactive(file):"),
    K("SwapTotal:"),
    K("SwapFree:"),
};
#undef K

/* Parse <proc>/meminfo: value (kB) * 1024 per known key; have[k] says whether it was there.
 * The key is the first whitespace-separated token, as psutil; "Key:123 kB" without a space is
 * split at the colon (psutil #2809). Lines without a number are ignored. */
static int read_meminfo(uint64_t v[M_COUNT], bool have[M_COUNT])
{
    memset(have, 0, sizeof(bool) * M_COUNT);
    ps__buf b;
    ps__buf_init(&b);
    int rc = ps__sys_read(PS_ROOT_PROC, "/meminfo", &b);
    if (rc) {
        ps__buf_dispose(&b);
        return rc;
    }
    ps__sys_lines it;
    const char *line;
    size_t len;
    ps__sys_lines_init(&it, b.data, b.len);
    while (ps__sys_lines_next(&it, &line, &len)) {
        const char *f[2];
        size_t fl[2];
        uint64_t x;
        int nf = ps__sys_split_ws(line, len, f, fl, 2);
        if (nf < 1) continue;
        /* "Key:123 kB" without a space (psutil #2809): split at the colon */
        const char *colon = memchr(f[0], ':', fl[0]);
        if (colon && colon + 1 < f[0] + fl[0]) {
            f[1] = colon + 1;
            fl[1] = fl[0] - (size_t)(f[1] - f[0]);
            fl[0] = (size_t)(f[1] - f[0]);
        } else if (nf < 2) {
            continue;
        }
        if (!ps__sys_parse_u64(f[1], fl[1], &x)) continue;
        for (int k = 0; k < M_COUNT; k++) {
            if (mem_keys[k].n == fl[0] && !memcmp(mem_keys[k].k, f[0], fl[0])) {
                v[k] = x * 1024;
                have[k] = true;
                break;
            }
        }
    }
    ps__buf_dispose(&b);
    return 0;
}

/* The kernel's MemAvailable estimate (commit 34e431b0ae39), as psutil computes it. */
static int64_t estimate_available(const uint64_t v[M_COUNT], const bool have[M_COUNT])
{
    int64_t fallback = (int64_t)v[M_FREE] + (int64_t)(have[M_CACHED] ? v[M_CACHED] : 0);
    if (!have[M_ACTIVE_FILE] || !have[M_INACTIVE_FILE] || !have[M_SRECL]) return fallback;
    ps__buf b;
    ps__buf_init(&b);
    if (ps__sys_read(PS_ROOT_PROC, "/zoneinfo", &b) != 0) {
        ps__buf_dispose(&b);
        return fallback;
    }
    uint64_t low = 0;
    ps__sys_lines it;
    const char *line;
    size_t len;
    ps__sys_lines_init(&it, b.data, b.len);
    while (ps__sys_lines_next(&it, &line, &len)) {
        ps__sys_trim(&line, &len);
        if (len < 3 || memcmp(line, "low", 3)) continue;
        const char *f[2];
        size_t fl[2];
        uint64_t x;
        if (ps__sys_split_ws(line, len, f, fl, 2) >= 2 && ps__sys_parse_u64(f[1], fl[1], &x)) low += x;
    }
    ps__buf_dispose(&b);
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
    if (have[M_BUFFERS]) out->buffers = v[M_BUFFERS];
    else out->missing |= PS_VMEM_MISSING_BUFFERS;
    if (have[M_CACHED]) out->cached = v[M_CACHED] + (have[M_SRECL] ? v[M_SRECL] : 0);
    else out->missing |= PS_VMEM_MISSING_CACHED;
    if (have[M_SHMEM]) out->shared = v[M_SHMEM];
    else if (have[M_MEMSHARED]) out->shared = v[M_MEMSHARED];
    else out->missing |= PS_VMEM_MISSING_SHARED;
    if (have[M_ACTIVE]) out->active = v[M_ACTIVE];
    else out->missing |= PS_VMEM_MISSING_ACTIVE;
    if (have[M_INACTIVE]) out->inactive = v[M_INACTIVE];
    else if (have[M_INACT_DIRTY] && have[M_INACT_CLEAN] && have[M_INACT_LAUNDRY])
        out->inactive = v[M_INACT_DIRTY] + v[M_INACT_CLEAN] + v[M_INACT_LAUNDRY];
    else out->missing |= PS_VMEM_MISSING_INACTIVE;
    if (have[M_SLAB]) out->slab = v[M_SLAB];
    else out->missing |= PS_VMEM_MISSING_SLAB;
    int64_t avail;
    if (have[M_AVAIL]) {
        avail = v[M_AVAIL] > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v[M_AVAIL];
    } else {
        avail = estimate_available(v, have);
        out->missing |= PS_VMEM_ESTIMATED_AVAIL;
    }
    if (avail < 0) avail = 0;
    if ((uint64_t)avail > out->total) avail = (int64_t)out->free; /* psutil: > total → free */
    if ((uint64_t)avail > out->total) avail = (int64_t)out->total;
    out->available = (uint64_t)avail;
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
    ps__buf b;
    ps__buf_init(&b);
    if (ps__sys_read(PS_ROOT_PROC, "/vmstat", &b) == 0) {
        bool hin = false, hout = false;
        ps__sys_lines it;
        const char *line;
        size_t len;
        ps__sys_lines_init(&it, b.data, b.len);
        while (ps__sys_lines_next(&it, &line, &len) && !(hin && hout)) {
            const char *f[2];
            size_t fl[2];
            uint64_t x;
            if (ps__sys_split_ws(line, len, f, fl, 2) < 2 || !ps__sys_parse_u64(f[1], fl[1], &x)) continue;
            if (fl[0] == 6 && !memcmp(f[0], "pswpin", 6)) {
                out->sin = x * 4096;
                hin = true;
            } else if (fl[0] == 7 && !memcmp(f[0], "pswpout", 7)) {
                out->sout = x * 4096;
                hout = true;
            }
        }
        out->sinout_known = hin && hout;
        if (!out->sinout_known) out->sin = out->sout = 0;
    }
    ps__buf_dispose(&b);
    return 0;
}
