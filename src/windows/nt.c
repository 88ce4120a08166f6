/* SPDX-License-Identifier: MIT */
/* Windows back end: ntdll entry points, NtQuerySystemInformation and the process snapshot. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nt.h"

FARPROC ps__nt_proc(const char *name)
{
    HMODULE nt = GetModuleHandleW(L"ntdll.dll");
    return nt ? GetProcAddress(nt, name) : NULL;
}

int ps__nt_resolve(const char *name, const char *fn, void *out)
{
    FARPROC fp = ps__nt_proc(name);
    if (!fp) return ps__error(PS_ENOTSUP, 0, "%s: ntdll has no %s", fn, name);
    memcpy(out, &fp, sizeof fp);   /* function pointers converted without a cast warning */
    return 0;
}

int ps__nt_query_system(int cls, const char *fn, void **buf, ULONG *len)
{
    FARPROC fp = ps__nt_proc("NtQuerySystemInformation");
    if (!fp) return ps__error(PS_ENOTSUP, 0, "%s: ntdll has no NtQuerySystemInformation", fn);
    ps__nqsi_fn nqsi;
    memcpy(&nqsi, &fp, sizeof nqsi);
    ULONG cap = 0x4000;   /* psutil's first size; regrown to what the call asks for */
    for (int tries = 0; tries < 16; tries++) {
        void *b = malloc(cap);
        if (!b) return ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
        ULONG need = 0;
        ps__ntstatus st = nqsi(cls, b, cap, &need);
        if (PS__NT_SUCCESS(st)) {
            *buf = b;
            *len = need ? need : cap;
            return 0;
        }
        free(b);
        if (st == PS__STATUS_INFO_LENGTH_MISMATCH || st == PS__STATUS_BUFFER_TOO_SMALL) {
            /* The table may grow between two calls: ask for a little more than it said. */
            ULONG next = need > cap ? need + need / 8 : cap * 2;
            if (next < cap) return ps__error(PS_ENOMEM, 0, "%s: NtQuerySystemInformation(%d) too large", fn, cls);
            cap = next;
            continue;
        }
        /* STATUS_INVALID_INFO_CLASS, STATUS_NOT_IMPLEMENTED: this Windows (or wine) lacks it. */
        if ((ULONG)st == 0xC0000003u || (ULONG)st == 0xC0000002u)
            return ps__error(PS_ENOTSUP, (int)st, "%s: NtQuerySystemInformation class %d not implemented", fn, cls);
        if (st == PS__STATUS_ACCESS_DENIED)
            return ps__error(PS_EACCES, (int)st, "%s: NtQuerySystemInformation(%d): access denied", fn, cls);
        return ps__error(PS_EIO, (int)st, "%s: NtQuerySystemInformation(%d) failed: status 0x%08lx", fn, cls,
                         (unsigned long)st);
    }
    return ps__error(PS_EIO, 0, "%s: NtQuerySystemInformation(%d) kept growing", fn, cls);
}

int ps__nt_snapshot_take(ps__nt_snapshot *s, const char *fn)
{
    s->buf = NULL;
    s->len = 0;
    return ps__nt_query_system(5 /* SystemProcessInformation */, fn, &s->buf, &s->len);
}

void ps__nt_snapshot_dispose(ps__nt_snapshot *s)
{
    free(s->buf);
    s->buf = NULL;
    s->len = 0;
}

const ps__nt_process *ps__nt_snapshot_next(const ps__nt_snapshot *s, const ps__nt_process *prev)
{
    const unsigned char *base = s->buf, *p;
    if (!prev) {
        p = base;
    } else {
        if (prev->NextEntryOffset == 0) return NULL;
        p = (const unsigned char *)prev + prev->NextEntryOffset;
    }
    /* Never walk outside what the call wrote. */
    if (p < base || (size_t)(p - base) + sizeof(ps__nt_process) > s->len) return NULL;
    return (const ps__nt_process *)(const void *)p;
}

const ps__nt_process *ps__nt_snapshot_find(const ps__nt_snapshot *s, int64_t pid)
{
    for (const ps__nt_process *e = ps__nt_snapshot_next(s, NULL); e; e = ps__nt_snapshot_next(s, e))
        if ((int64_t)(uintptr_t)e->UniqueProcessId == pid) return e;
    return NULL;
}

ps_process_status ps__nt_status(const ps__nt_process *e)
{
    const ps__nt_thread *t = ps__nt_threads(e);
    for (ULONG i = 0; i < e->NumberOfThreads; i++)
        if (t[i].ThreadState != 5 /* Waiting */ || t[i].WaitReason != 5 /* Suspended */)
            return PS_STATUS_RUNNING;
    return PS_STATUS_STOPPED;
}

int ps__nt_query_fixed(int cls, const char *fn, void *buf, ULONG len)
{
    FARPROC fp = ps__nt_proc("NtQuerySystemInformation");
    if (!fp) return ps__error(PS_ENOTSUP, 0, "%s: ntdll has no NtQuerySystemInformation", fn);
    ps__nqsi_fn nqsi;
    memcpy(&nqsi, &fp, sizeof nqsi);
    memset(buf, 0, len);
    ULONG got = 0;
    ps__ntstatus st = nqsi(cls, buf, len, &got);
    if (PS__NT_SUCCESS(st)) return 0;
    if ((ULONG)st == 0xC0000003u || (ULONG)st == 0xC0000002u)
        return ps__error(PS_ENOTSUP, (int)st, "%s: NtQuerySystemInformation class %d not implemented", fn, cls);
    return ps__error(PS_EIO, (int)st, "%s: NtQuerySystemInformation(%d) failed: status 0x%08lx", fn, cls,
                     (unsigned long)st);
}

int ps__nt_boot_ticks(uint64_t *out)
{
    /* SYSTEM_TIMEOFDAY_INFORMATION: BootTime, CurrentTime, TimeZoneBias, TimeZoneId + Reserved,
     * BootTimeBias, SleepTimeBias. A fixed-size class: the buffer must be exactly its size. */
    int64_t v[6];
    int rc = ps__nt_query_fixed(3 /* SystemTimeOfDayInformation */, "boot time", v, sizeof v);
    if (rc) return rc;
    if (v[0] == 0) return ps__error(PS_EIO, 0, "boot time: SystemTimeOfDayInformation has no BootTime");
    /* psutil: the boot time less the time spent asleep, stable across calls */
    *out = (uint64_t)(v[0] - v[5]);
    return 0;
}

static void fill_times(const ps__nt_process *e, ps_proc_cputimes *c)
{
    c->user = ps__nt_seconds((uint64_t)e->UserTime.QuadPart);
    c->system = ps__nt_seconds((uint64_t)e->KernelTime.QuadPart);
    c->children_user = c->children_system = c->iowait = NAN;
}

static void fill_memory(const ps__nt_process *e, ps_proc_mem *m)
{
    m->rss = (uint64_t)e->WorkingSetSize;
    m->vms = (uint64_t)e->PrivatePageCount;   /* what GetProcessMemoryInfo calls PrivateUsage */
    m->shared = m->text = m->data = m->stack = PS_UNKNOWN_U64;
    m->peak_rss = (uint64_t)e->PeakWorkingSetSize;
    m->peak_vms = (uint64_t)e->PeakPagefileUsage;
}

static void fill_io(const ps__nt_process *e, ps_proc_io *io)
{
    io->read_count = (uint64_t)e->ReadOperationCount.QuadPart;
    io->write_count = (uint64_t)e->WriteOperationCount.QuadPart;
    io->read_bytes = (uint64_t)e->ReadTransferCount.QuadPart;
    io->write_bytes = (uint64_t)e->WriteTransferCount.QuadPart;
    io->other_count = (uint64_t)e->OtherOperationCount.QuadPart;
    io->other_bytes = (uint64_t)e->OtherTransferCount.QuadPart;
    io->read_chars = io->write_chars = PS_UNKNOWN_U64;   /* Linux's rchar/wchar */
}

#define WANT(f) (fields & PS_PT_BIT(f))
#define HAVE(f) (r->rec.present |= PS_PT_BIT(f))

void ps__nt_fill_record(const ps__nt_process *e, uint64_t fields, ps__bk_ptrec *r)
{
    ps_ptable_record *rec = &r->rec;
    if (WANT(PS_PT_PPID)) {
        rec->ppid = (int64_t)(uintptr_t)e->InheritedFromUniqueProcessId;
        HAVE(PS_PT_PPID);
    }
    if (WANT(PS_PT_STATUS)) {
        rec->status = (int32_t)ps__nt_status(e);
        HAVE(PS_PT_STATUS);
    }
    if (WANT(PS_PT_CPU_TIMES)) {
        fill_times(e, &rec->cpu_times);
        HAVE(PS_PT_CPU_TIMES);
    }
    if (WANT(PS_PT_MEMORY_INFO)) {
        fill_memory(e, &rec->memory_info);
        HAVE(PS_PT_MEMORY_INFO);
    }
    if (WANT(PS_PT_NUM_THREADS)) {
        rec->num_threads = (int64_t)e->NumberOfThreads;
        HAVE(PS_PT_NUM_THREADS);
    }
    if (WANT(PS_PT_NUM_CTX_SWITCHES)) {
        uint64_t sum = 0;
        for (ULONG i = 0; i < e->NumberOfThreads; i++) sum += ps__nt_threads(e)[i].ContextSwitches;
        rec->num_ctx_switches.voluntary = sum;
        rec->num_ctx_switches.involuntary = PS_UNKNOWN_U64;   /* Windows does not tell them apart */
        HAVE(PS_PT_NUM_CTX_SWITCHES);
    }
    if (WANT(PS_PT_IO_COUNTERS)) {
        fill_io(e, &rec->io_counters);
        HAVE(PS_PT_IO_COUNTERS);
    }
    if (WANT(PS_PT_PAGE_FAULTS)) {
        rec->page_faults.major = e->HardFaultCount;
        rec->page_faults.minor = e->PageFaultCount >= e->HardFaultCount ? e->PageFaultCount - e->HardFaultCount : 0;
        HAVE(PS_PT_PAGE_FAULTS);
    }
    if (WANT(PS_PT_NUM_HANDLES)) {
        rec->num_handles = (int64_t)e->HandleCount;
        HAVE(PS_PT_NUM_HANDLES);
    }
}

#undef WANT
#undef HAVE
