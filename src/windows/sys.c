/* SPDX-License-Identifier: MIT */
/* Windows back end: CPU counts, boot time, virtual memory and swap, through the calls psutil uses. */
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <psapi.h>
#include <pdh.h>

#include "nt.h"

int ps__bk_cpu_count_logical(int32_t *count)
{
    DWORD n = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
    if (n == 0) return ps__error(PS_EIO, (int)GetLastError(), "cpu_count: GetActiveProcessorCount answered 0");
    *count = (int32_t)n;
    return 0;
}

/* psutil: the RelationProcessorCore records of GetLogicalProcessorInformationEx (every
 * processor group), each record as long as its Size says. */
int ps__bk_cpu_count_physical(int32_t *count)
{
    DWORD len = 0;
    GetLogicalProcessorInformationEx(RelationProcessorCore, NULL, &len);
    if (GetLastError() != ERROR_INSUFFICIENT_BUFFER || len == 0)
        return ps__error(PS_ENOTSUP, (int)GetLastError(), "cpu_count(logical=False): GetLogicalProcessorInformationEx failed");
    unsigned char *buf = malloc(len);
    if (!buf) return ps__error(PS_ENOMEM, 0, "cpu_count: out of memory");
    if (!GetLogicalProcessorInformationEx(RelationProcessorCore, (PSYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX)buf, &len)) {
        DWORD err = GetLastError();
        free(buf);
        return ps__error(PS_EIO, (int)err, "cpu_count(logical=False): GetLogicalProcessorInformationEx failed: error %lu",
                         (unsigned long)err);
    }
    int32_t cores = 0;
    for (DWORD off = 0; off + sizeof(DWORD) * 2 <= len;) {
        const SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r = (const void *)(buf + off);
        if (r->Size == 0) break;
        if (r->Relationship == RelationProcessorCore) cores++;
        off += r->Size;
    }
    free(buf);
    if (cores == 0) return ps__error(PS_ENOTSUP, 0, "cpu_count(logical=False): no processor core records");
    *count = cores;
    return 0;
}

int ps__bk_boot_time(double *out)
{
    uint64_t t;
    int rc = ps__nt_boot_ticks(&t);
    if (rc) return rc;
    *out = ps__nt_epoch(t);
    return 0;
}

/* GetPerformanceInfo, which both memory calls read (counts in pages of pi->PageSize). */
static int performance_info(PERFORMANCE_INFORMATION *pi, const char *fn)
{
    memset(pi, 0, sizeof *pi);
    pi->cb = sizeof *pi;
    if (!GetPerformanceInfo(pi, sizeof *pi))
        return ps__error(PS_EIO, (int)GetLastError(), "%s: GetPerformanceInfo failed", fn);
    return 0;
}

/* psutil 8: GetPerformanceInfo pages x PageSize; available = free = PhysicalAvailable, used =
 * total - available, cached = SystemCache, wired = KernelNonpaged. */
int ps__bk_virtual_memory(ps_vmem *out)
{
    PERFORMANCE_INFORMATION pi;
    int rc = performance_info(&pi, "virtual_memory");
    if (rc) return rc;
    uint64_t page = pi.PageSize;
    out->total = (uint64_t)pi.PhysicalTotal * page;
    out->available = out->free = (uint64_t)pi.PhysicalAvailable * page;
    out->used = out->total - out->available;
    out->cached = (uint64_t)pi.SystemCache * page;
    out->wired = (uint64_t)pi.KernelNonpaged * page;
    out->active = out->inactive = out->buffers = out->shared = out->slab = PS_UNKNOWN_U64;
    return 0;
}

/* psutil 8: the page files' size is the commit limit less physical memory; their use is the
 * PDH counter "\Paging File(_Total)\% Usage" (the commit charge counts reservations that
 * never touch a page file). No page file: all zeros, without asking PDH. sin/sout: Windows
 * has no such counters (PS_UNKNOWN_U64; psutil 0). */
int ps__bk_swap_memory(ps_swapmem *out)
{
    PERFORMANCE_INFORMATION pi;
    int rc = performance_info(&pi, "swap_memory");
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    out->sin = out->sout = PS_UNKNOWN_U64;   /* no such counters (psutil 0) */
    uint64_t page = pi.PageSize;
    uint64_t total = pi.CommitLimit > pi.PhysicalTotal ? ((uint64_t)pi.CommitLimit - pi.PhysicalTotal) * page : 0;
    out->total = total;
    out->free = total;
    if (total == 0) return 0;
    PDH_HQUERY q;
    PDH_HCOUNTER c;
    if (PdhOpenQueryW(NULL, 0, &q) != ERROR_SUCCESS)
        return ps__error(PS_ENOTSUP, 0, "swap_memory: PdhOpenQueryW failed");
    PDH_STATUS st = PdhAddEnglishCounterW(q, L"\\Paging File(_Total)\\% Usage", 0, &c);
    if (st != ERROR_SUCCESS) {
        PdhCloseQuery(q);
        return ps__error(PS_ENOTSUP, (int)st,
                         "swap_memory: no PDH counter \\Paging File(_Total)\\%% Usage (performance counters disabled?)");
    }
    double pct = 0;   /* the collection fails when no page file is in use: 0 % (psutil) */
    PDH_FMT_COUNTERVALUE v;
    if (PdhCollectQueryData(q) == ERROR_SUCCESS) {
        st = PdhGetFormattedCounterValue(c, PDH_FMT_DOUBLE, NULL, &v);
        if (st != ERROR_SUCCESS) {
            PdhCloseQuery(q);
            return ps__error(PS_EIO, (int)st, "swap_memory: PdhGetFormattedCounterValue failed: 0x%08lx",
                             (unsigned long)st);
        }
        pct = v.doubleValue;
    }
    PdhCloseQuery(q);
    if (pct < 0) pct = 0;
    if (pct > 100) pct = 100;
    uint64_t used = (uint64_t)(0.01 * pct * (double)total);
    out->free = total - used;
    return 0;
}
