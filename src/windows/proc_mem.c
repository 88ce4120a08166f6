/* SPDX-License-Identifier: MIT */
/*
 * Windows back end: memory_info_ex (psutil 8: GetProcessMemoryInfo's pools and peaks, the
 * table's virtual sizes) and memory_footprint (uss: the working-set pages nobody else shares).
 */
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <psapi.h>

#include "nt.h"
#include "winproc.h"

/* GetProcessMemoryInfo, with a second handle where the limited right is not enough (before
 * Windows 8.1). */
static int counters(ps_proc *p, const char *fn, PROCESS_MEMORY_COUNTERS_EX *c)
{
    memset(c, 0, sizeof *c);
    c->cb = sizeof *c;
    if (GetProcessMemoryInfo(p->h, (PROCESS_MEMORY_COUNTERS *)c, sizeof *c)) return 0;
    DWORD err = GetLastError();
    if (err == ERROR_ACCESS_DENIED) {
        int rc = 0;
        HANDLE h = ps__win_reopen(p, PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, fn, &rc);
        if (!h) return rc;
        BOOL ok = GetProcessMemoryInfo(h, (PROCESS_MEMORY_COUNTERS *)c, sizeof *c);
        err = ok ? 0 : GetLastError();
        CloseHandle(h);
        if (ok) return 0;
    }
    return ps__win_fail(p, fn, "GetProcessMemoryInfo", err);
}

/* psutil 8's memory_info_ex on Windows: memory_info (rss, vms = PrivateUsage, the peaks) plus
 * paged/nonpaged pools and their peaks, and the table's VirtualSize/PeakVirtualSize. */
int ps__bk_proc_memory_info_ex(ps_proc *p, ps_proc_mem_ex *out)
{
    const char *fn = "ps_proc_memory_info_ex";
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    PROCESS_MEMORY_COUNTERS_EX c;
    rc = counters(p, fn, &c);
    if (rc) return rc;
    ps__nt_snapshot s;
    rc = ps__nt_snapshot_take(&s, fn);
    if (rc) return rc;
    const ps__nt_process *e = ps__nt_snapshot_find(&s, p->pid);
    uint64_t virt = e ? (uint64_t)e->VirtualSize : 0, peak_virt = e ? (uint64_t)e->PeakVirtualSize : 0;
    ps__nt_snapshot_dispose(&s);
    if (!e) return ps__error(PS_ENOPROC, 0, "%s: process %lld is not in the process table", fn, (long long)p->pid);
    out->rss = (uint64_t)c.WorkingSetSize;
    out->vms = (uint64_t)c.PagefileUsage;   /* as ps_proc_memory_info */
    out->peak_rss = (uint64_t)c.PeakWorkingSetSize;
    out->peak_vms = (uint64_t)c.PeakPagefileUsage;
    out->paged_pool = (uint64_t)c.QuotaPagedPoolUsage;
    out->nonpaged_pool = (uint64_t)c.QuotaNonPagedPoolUsage;
    out->peak_paged_pool = (uint64_t)c.QuotaPeakPagedPoolUsage;
    out->peak_nonpaged_pool = (uint64_t)c.QuotaPeakNonPagedPoolUsage;
    out->virtual_size = virt;
    out->peak_virtual_size = peak_virt;
    /* Linux's and macOS's fields */
    out->shared = out->text = out->data = out->stack = PS_UNKNOWN_U64;
    out->rss_anon = out->rss_file = out->rss_shmem = out->swap = out->hugetlb = PS_UNKNOWN_U64;
    out->wired = out->compressed = out->phys_footprint = PS_UNKNOWN_U64;
    return ps__win_gone(p, fn);
}

typedef ps__ntstatus(NTAPI *ps__nqvm_fn)(HANDLE, PVOID, int, PVOID, SIZE_T, PSIZE_T);

/* A working-set entry counts for uss when its page is not shared, or shared by one process
 * (psutil: !Shared || ShareCount <= 1). MEMORY_WORKING_SET_BLOCK: Protection:5, ShareCount:3,
 * Shared:1, ... */
static int unique_block(ULONG_PTR b)
{
    return !((b >> 8) & 1) || ((b >> 5) & 7) <= 1;
}

/* psutil: NtQueryVirtualMemory(MemoryWorkingSetInformation), 32 KiB doubled until it fits
 * (at most 256 MiB). PS_ENOTSUP where the class is missing (wine). */
static int uss_working_set(ps_proc *p, HANDLE h, const char *fn, uint64_t *pages)
{
    FARPROC fp = ps__nt_proc("NtQueryVirtualMemory");
    if (!fp) return ps__error(PS_ENOTSUP, 0, "%s: ntdll has no NtQueryVirtualMemory", fn);
    ps__nqvm_fn q;
    memcpy(&q, &fp, sizeof q);
    for (SIZE_T cap = 32768; cap <= ((SIZE_T)256 << 20); cap *= 2) {
        ULONG_PTR *buf = malloc(cap);
        if (!buf) return ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
        SIZE_T got = 0;
        ps__ntstatus st = q(h, NULL, 1 /* MemoryWorkingSetInformation */, buf, cap, &got);
        if (PS__NT_SUCCESS(st)) {
            ULONG_PTR n = buf[0], max = cap / sizeof *buf - 1;
            if (n > max) n = max;
            uint64_t u = 0;
            for (ULONG_PTR i = 0; i < n; i++) u += (uint64_t)unique_block(buf[1 + i]);
            free(buf);
            *pages = u;
            return 0;
        }
        free(buf);
        if (st != PS__STATUS_INFO_LENGTH_MISMATCH) return ps__win_nt_fail(p, fn, "NtQueryVirtualMemory(MemoryWorkingSetInformation)", st);
    }
    return ps__error(PS_ENOMEM, 0, "%s: the working set is larger than 256 MiB of entries", fn);
}

/* The same count through QueryWorkingSetEx, page by page over the committed regions (for
 * systems without the NT class). PSAPI_WORKING_SET_EX_BLOCK: Valid:1, ShareCount:3, ...,
 * Shared (bit 15). */
static int uss_working_set_ex(ps_proc *p, HANDLE h, const char *fn, uint64_t *pages)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    const size_t page = si.dwPageSize, batch = 4096;
    PSAPI_WORKING_SET_EX_INFORMATION *v = malloc(batch * sizeof *v);
    if (!v) return ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
    uint64_t u = 0, answered = 0;
    const char *a = si.lpMinimumApplicationAddress;
    MEMORY_BASIC_INFORMATION mbi;
    while (a < (const char *)si.lpMaximumApplicationAddress && VirtualQueryEx(h, a, &mbi, sizeof mbi)) {
        const char *base = mbi.BaseAddress, *end = base + mbi.RegionSize;
        if (end <= a) break;
        if (mbi.State == MEM_COMMIT) {
            for (const char *x = base; x < end;) {
                size_t n = 0;
                for (; n < batch && x < end; n++, x += page) v[n].VirtualAddress = (PVOID)x;
                if (!QueryWorkingSetEx(h, v, (DWORD)(n * sizeof *v))) {
                    DWORD err = GetLastError();
                    if (err != ERROR_INVALID_PARAMETER) {
                        free(v);
                        return ps__win_fail(p, fn, "QueryWorkingSetEx", err);
                    }
                    /* A batch the system refuses (wine: some regions): page by page, a page it
                     * refuses counting as not resident. */
                    for (size_t i = 0; i < n; i++) {
                        if (!QueryWorkingSetEx(h, &v[i], sizeof v[i])) v[i].VirtualAttributes.Flags = 0;
                        else answered++;
                    }
                } else {
                    answered += n;
                }
                for (size_t i = 0; i < n; i++) {
                    ULONG_PTR f = v[i].VirtualAttributes.Flags;
                    if ((f & 1) && (!((f >> 15) & 1) || ((f >> 1) & 7) <= 1)) u++;
                }
            }
        }
        a = end;
    }
    free(v);
    /* No page answered: the system cannot tell (wine, for another process) - not a uss of 0. */
    if (answered == 0)
        return ps__error(PS_ENOTSUP, ERROR_INVALID_PARAMETER, "%s: QueryWorkingSetEx answers for no page of process %lld", fn,
                         (long long)p->pid);
    *pages = u;
    return 0;
}

int ps__bk_proc_memory_footprint(ps_proc *p, ps_proc_footprint *out)
{
    const char *fn = "ps_proc_memory_footprint";
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    /* This process: the pseudo handle (wine answers QueryWorkingSetEx for it only). */
    int self = p->pid == (int64_t)GetCurrentProcessId();
    HANDLE h = self ? GetCurrentProcess() : ps__win_reopen(p, PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, fn, &rc);
    if (!h) return rc;
    uint64_t pages = 0;
    rc = uss_working_set(p, h, fn, &pages);
    if (rc == PS_ENOTSUP) rc = uss_working_set_ex(p, h, fn, &pages);
    if (!self) CloseHandle(h);
    if (rc) return rc;
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    out->uss = pages * si.dwPageSize;
    out->pss = out->swap = PS_UNKNOWN_U64;   /* Linux only */
    return ps__win_gone(p, fn);
}
