/* SPDX-License-Identifier: MIT */
/* Windows back end: io_counters, num_handles and ionice, through the calls psutil uses, with
 * psutil's fallback to the process-table snapshot when the process denies the handle call. */
#include <stdlib.h>
#include <string.h>

#include "nt.h"
#include "winproc.h"

/* The snapshot entry of the handle's process, through fn(e, arg). */
static int from_snapshot(ps_proc *p, const char *fn, void (*take)(const ps__nt_process *e, void *arg), void *arg)
{
    ps__nt_snapshot s;
    int rc = ps__nt_snapshot_take(&s, fn);
    if (rc) return rc;
    const ps__nt_process *e = ps__nt_snapshot_find(&s, p->pid);
    if (e) take(e, arg);
    ps__nt_snapshot_dispose(&s);
    if (!e) return ps__error(PS_ENOPROC, 0, "%s: process %lld is not in the process table", fn, (long long)p->pid);
    return ps__win_gone(p, fn);
}

static void take_io(const ps__nt_process *e, void *arg)
{
    ps__bk_ptrec r;
    memset(&r, 0, sizeof r);
    ps__nt_fill_record(e, PS_PT_BIT(PS_PT_IO_COUNTERS), &r);
    *(ps_proc_io *)arg = r.rec.io_counters;
}

/* psutil: GetProcessIoCounters (operations and bytes of every read, write and other I/O); on
 * access denied the table's counterparts. */
int ps__bk_proc_io_counters(ps_proc *p, ps_proc_io *out)
{
    const char *fn = "ps_proc_io_counters";
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    IO_COUNTERS c;
    memset(&c, 0, sizeof c);
    if (!GetProcessIoCounters(p->h, &c)) {
        DWORD err = GetLastError();
        if (err != ERROR_ACCESS_DENIED) return ps__win_fail(p, fn, "GetProcessIoCounters", err);
        return from_snapshot(p, fn, take_io, out);
    }
    out->read_count = c.ReadOperationCount;
    out->write_count = c.WriteOperationCount;
    out->read_bytes = c.ReadTransferCount;
    out->write_bytes = c.WriteTransferCount;
    out->other_count = c.OtherOperationCount;
    out->other_bytes = c.OtherTransferCount;
    out->read_chars = out->write_chars = PS_UNKNOWN_U64;   /* Linux's rchar/wchar */
    return ps__win_gone(p, fn);
}

static void take_handles(const ps__nt_process *e, void *arg)
{
    *(int64_t *)arg = (int64_t)e->HandleCount;
}

/* psutil: GetProcessHandleCount, the table's HandleCount on access denied. A live process always
 * holds handles (ntdll opens some before the first instruction of the program), so a count of 0
 * is an answer the system did not really give (wine's); the table is asked then too. */
int ps__bk_proc_num_handles(ps_proc *p, int64_t *out)
{
    const char *fn = "ps_proc_num_handles";
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    DWORD n = 0;
    if (!GetProcessHandleCount(p->h, &n)) {
        DWORD err = GetLastError();
        if (err != ERROR_ACCESS_DENIED) return ps__win_fail(p, fn, "GetProcessHandleCount", err);
        n = 0;
    }
    if (n == 0) return from_snapshot(p, fn, take_handles, out);
    *out = (int64_t)n;
    return ps__win_gone(p, fn);
}

enum { PROCESS_IO_PRIORITY = 33 };

/* PS_ENOPROC once p has exited, else ntdll's entry point call into *out, a typed function
 * pointer (PS_ENOTSUP without it). */
static int live_nt_entry(ps_proc *p, const char *fn, const char *call, void *out)
{
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    return ps__nt_resolve(call, fn, out);
}

/* psutil: NtQueryInformationProcess(ProcessIoPriority), a ULONG 0-3 (IOPRIO_VERYLOW .. HIGH). */
int ps__bk_proc_ionice(ps_proc *p, ps_ioprio_class *ioclass, int32_t *value)
{
    const char *fn = "ps_proc_ionice";
    ps__nqip_fn nqip;
    int rc = live_nt_entry(p, fn, "NtQueryInformationProcess", &nqip);
    if (rc) return rc;
    ULONG prio = 0;
    ps__ntstatus st = nqip(p->h, PROCESS_IO_PRIORITY, &prio, sizeof prio, NULL);
    if (!PS__NT_SUCCESS(st)) return ps__win_nt_fail(p, fn, "NtQueryInformationProcess(ProcessIoPriority)", st);
    if (prio > 3) return ps__error(PS_EPARSE, 0, "%s: unknown I/O priority %lu", fn, (unsigned long)prio);
    *ioclass = (ps_ioprio_class)prio;
    *value = 0;
    return 0;
}

typedef ps__ntstatus(NTAPI *ps__nsip_fn)(HANDLE, int, PVOID, ULONG);

/* psutil: NtSetInformationProcess(ProcessIoPriority); a value is not accepted (TypeError). */
int ps__bk_proc_set_ionice(ps_proc *p, ps_ioprio_class ioclass, int32_t value)
{
    const char *fn = "ps_proc_set_ionice";
    if (value != 0) return ps__error(PS_EINVAL, 0, "%s: Windows I/O priorities take no value", fn);
    if ((int)ioclass < PS_IOPRIO_VERYLOW || (int)ioclass > PS_IOPRIO_HIGH)
        return ps__error(PS_EINVAL, 0, "%s: %d is not an I/O priority", fn, (int)ioclass);
    ps__nsip_fn nsip;
    int rc = live_nt_entry(p, fn, "NtSetInformationProcess", &nsip);
    if (rc) return rc;
    HANDLE h = ps__win_reopen(p, PROCESS_SET_INFORMATION, fn, &rc);
    if (!h) return rc;
    ULONG prio = (ULONG)ioclass;
    ps__ntstatus st = nsip(h, PROCESS_IO_PRIORITY, &prio, sizeof prio);
    CloseHandle(h);
    if (!PS__NT_SUCCESS(st)) return ps__win_nt_fail(p, fn, "NtSetInformationProcess(ProcessIoPriority)", st);
    return 0;
}
