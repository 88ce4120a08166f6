/* SPDX-License-Identifier: MIT */
/*
 * Windows back end: the NT layer. ntdll entry points resolved at run time (as psutil does),
 * the layouts of the NtQuerySystemInformation classes we read (x64 and x86 alike: declared with
 * pointer-sized members), and the process-table snapshot shared by the enumeration, the table
 * and the getters that psutil reads from it.
 */
#ifndef PS_WIN_NT_H
#define PS_WIN_NT_H

#include <windows.h>

#include "../backend.h"

typedef LONG ps__ntstatus;
#define PS__NT_SUCCESS(st) ((st) >= 0)
#define PS__STATUS_INFO_LENGTH_MISMATCH ((ps__ntstatus)0xC0000004L)
#define PS__STATUS_BUFFER_TOO_SMALL ((ps__ntstatus)0xC0000023L)
#define PS__STATUS_BUFFER_OVERFLOW ((ps__ntstatus)0x80000005L)
#define PS__STATUS_ACCESS_DENIED ((ps__ntstatus)0xC0000022L)

typedef struct ps__nt_ustr {
    USHORT Length, MaximumLength;
    PWSTR Buffer;
} ps__nt_ustr;

/* SYSTEM_THREAD_INFORMATION */
typedef struct ps__nt_thread {
    LARGE_INTEGER KernelTime, UserTime, CreateTime;
    ULONG WaitTime;
    PVOID StartAddress;
    HANDLE UniqueProcess, UniqueThread;   /* CLIENT_ID */
    LONG Priority, BasePriority;
    ULONG ContextSwitches, ThreadState, WaitReason;
} ps__nt_thread;

/* SYSTEM_PROCESS_INFORMATION (class 5), followed by NumberOfThreads ps__nt_thread. */
typedef struct ps__nt_process {
    ULONG NextEntryOffset, NumberOfThreads;
    LARGE_INTEGER WorkingSetPrivateSize;
    ULONG HardFaultCount, NumberOfThreadsHighWatermark;
    ULONGLONG CycleTime;
    LARGE_INTEGER CreateTime, UserTime, KernelTime;
    ps__nt_ustr ImageName;
    LONG BasePriority;
    HANDLE UniqueProcessId, InheritedFromUniqueProcessId;
    ULONG HandleCount, SessionId;
    ULONG_PTR UniqueProcessKey;
    SIZE_T PeakVirtualSize, VirtualSize;
    ULONG PageFaultCount;
    SIZE_T PeakWorkingSetSize, WorkingSetSize, QuotaPeakPagedPoolUsage, QuotaPagedPoolUsage,
        QuotaPeakNonPagedPoolUsage, QuotaNonPagedPoolUsage, PagefileUsage, PeakPagefileUsage,
        PrivatePageCount;
    LARGE_INTEGER ReadOperationCount, WriteOperationCount, OtherOperationCount, ReadTransferCount,
        WriteTransferCount, OtherTransferCount;
} ps__nt_process;

/* The sizes Windows gives these records (x64 | x86), so that a 32-bit build walks the same
 * layout: SYSTEM_THREAD_INFORMATION 0x50 | 0x40, SYSTEM_PROCESS_INFORMATION 0x100 | 0xB8. */
_Static_assert(sizeof(ps__nt_thread) == (sizeof(void *) == 8 ? 0x50 : 0x40), "SYSTEM_THREAD_INFORMATION size");
_Static_assert(sizeof(ps__nt_process) == (sizeof(void *) == 8 ? 0x100 : 0xB8), "SYSTEM_PROCESS_INFORMATION size");

typedef ps__ntstatus(NTAPI *ps__nqsi_fn)(int, PVOID, ULONG, PULONG);
typedef ps__ntstatus(NTAPI *ps__nqip_fn)(HANDLE, int, PVOID, ULONG, PULONG);

/* An ntdll export by name (NULL if this ntdll lacks it). */
FARPROC ps__nt_proc(const char *name);
/* The ntdll export name into *out (a pointer to a function pointer of its type), or
 * PS_ENOTSUP "fn: ntdll has no name". */
int ps__nt_resolve(const char *name, const char *fn, void *out);
/* NtQuerySystemInformation(cls) into a malloc'd buffer grown until it fits (*len: bytes
 * written). PS_ENOTSUP if ntdll lacks the call or the class. */
int ps__nt_query_system(int cls, const char *fn, void **buf, ULONG *len);

/* A fixed-size class: exactly len bytes into buf (zeroed first). */
int ps__nt_query_fixed(int cls, const char *fn, void *buf, ULONG len);

/* The process-table snapshot (SystemProcessInformation): one call, every process. */
typedef struct ps__nt_snapshot {
    void *buf;
    ULONG len;
} ps__nt_snapshot;
int ps__nt_snapshot_take(ps__nt_snapshot *s, const char *fn);
void ps__nt_snapshot_dispose(ps__nt_snapshot *s);
/* Iterate: first entry with prev NULL; NULL after the last. */
const ps__nt_process *ps__nt_snapshot_next(const ps__nt_snapshot *s, const ps__nt_process *prev);
const ps__nt_process *ps__nt_snapshot_find(const ps__nt_snapshot *s, int64_t pid);
static inline const ps__nt_thread *ps__nt_threads(const ps__nt_process *e)
{
    return (const ps__nt_thread *)(const void *)(e + 1);
}
/* psutil's status: stopped when every thread waits with reason Suspended (no thread: too). */
ps_process_status ps__nt_status(const ps__nt_process *e);

/* 100 ns ticks (FILETIME, LARGE_INTEGER) -> seconds; since 1601 -> the Unix epoch. */
static inline double ps__nt_seconds(uint64_t ticks)
{
    return (double)ticks / 1e7;
}
static inline double ps__nt_epoch(uint64_t ticks)
{
    return (double)((int64_t)ticks - INT64_C(116444736000000000)) / 1e7;
}

/* Boot time in 100 ns ticks since 1601 (psutil: BootTime - SleepTimeBias). */
int ps__nt_boot_ticks(uint64_t *out);

/* Fill the snapshot-only fields (status, times, memory, threads, faults, I/O) of a table record. */
void ps__nt_fill_record(const ps__nt_process *e, uint64_t fields, ps__bk_ptrec *r);

#endif /* PS_WIN_NT_H */
