/* SPDX-License-Identifier: MIT */
/*
 * Windows process-table benchmark (run under wine here; see docs/windows.md). Measures, in one
 * run, a full-table read of the same seven fields (pid, ppid, name, create_time, cpu_times,
 * memory_info rss/vms, num_threads, io_counters) two ways:
 *   snapshot     ps_ptable_scan: ONE NtQuerySystemInformation(SystemProcessInformation) call
 *                (src/windows/ptable.c), no process opened for these fields
 *   per-process  what a reader without the NT call does: a Toolhelp32 process list (pid, ppid,
 *                name, thread count), then per process OpenProcess(QUERY_LIMITED) +
 *                GetProcessTimes + GetProcessMemoryInfo + GetProcessIoCounters + CloseHandle,
 *                the name converted to UTF-8 as the library does
 * Rounds are interleaved (the order alternates) and the medians and their ratio printed. It
 * starts --procs sleeping copies of itself first so the table is not just wine's few services.
 * Not a test: no pass/fail.
 *
 * usage: bench_winscan [--procs N] [--rounds R]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <psapi.h>
#include <tlhelp32.h>

#include "psinfo.h"

static double now(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER t;
    if (!freq.QuadPart) QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)freq.QuadPart;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* What the per-process reader keeps of one process: the same fields as the table. */
typedef struct rec {
    DWORD pid, ppid, threads;
    char name[MAX_PATH * 3];
    FILETIME create, exit_, kernel, user;
    SIZE_T rss, vms;
    IO_COUNTERS io;
    int opened;
} rec;

/* One per-process table read; returns the number of processes listed (-1 on failure), and the
 * number a handle could be opened for in *opened. The records are written to buf (grown). */
static long per_process(rec **buf, size_t *cap, long *opened)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (snap == INVALID_HANDLE_VALUE) return -1;
    PROCESSENTRY32W pe = {.dwSize = sizeof pe};
    long n = 0;
    *opened = 0;
    for (BOOL ok = Process32FirstW(snap, &pe); ok; ok = Process32NextW(snap, &pe)) {
        if ((size_t)n == *cap) {
            size_t nc = *cap ? *cap * 2 : 256;
            rec *nb = realloc(*buf, nc * sizeof *nb);
            if (!nb) break;
            *buf = nb;
            *cap = nc;
        }
        rec *r = &(*buf)[n++];
        memset(r, 0, sizeof *r);
        r->pid = pe.th32ProcessID;
        r->ppid = pe.th32ParentProcessID;
        r->threads = pe.cntThreads;
        WideCharToMultiByte(CP_UTF8, 0, pe.szExeFile, -1, r->name, (int)sizeof r->name, NULL, NULL);
        HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pe.th32ProcessID);
        if (!h) continue;
        PROCESS_MEMORY_COUNTERS_EX pm = {.cb = sizeof pm};
        int got = GetProcessTimes(h, &r->create, &r->exit_, &r->kernel, &r->user) &&
                  GetProcessMemoryInfo(h, (PROCESS_MEMORY_COUNTERS *)&pm, sizeof pm);
        GetProcessIoCounters(h, &r->io);
        r->rss = pm.WorkingSetSize;
        r->vms = pm.PrivateUsage;
        r->opened = got;
        *opened += got;
        CloseHandle(h);
    }
    CloseHandle(snap);
    return n;
}

static const uint64_t FIELDS = PS_PT_BIT(PS_PT_PPID) | PS_PT_BIT(PS_PT_NAME) | PS_PT_BIT(PS_PT_CREATE_TIME) |
                               PS_PT_BIT(PS_PT_CPU_TIMES) | PS_PT_BIT(PS_PT_MEMORY_INFO) |
                               PS_PT_BIT(PS_PT_NUM_THREADS) | PS_PT_BIT(PS_PT_IO_COUNTERS);

/* One snapshot table read; returns the record count (-1 on failure) and, in *full, how many
 * records hold all seven fields. */
static long snapshot(long *full)
{
    ps_ptable *t;
    if (ps_ptable_scan(FIELDS, 0, &t) != 0) return -1;
    long n = (long)t->count;
    *full = 0;
    for (size_t i = 0; i < t->count; i++)
        if ((t->records[i].present & FIELDS) == FIELDS) ++*full;
    ps_ptable_free(t);
    return n;
}

int main(int argc, char **argv)
{
    int nprocs = 30, rounds = 101;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--sleep")) {
            Sleep(INFINITE);   /* a child: sit in the table until the parent ends it */
            return 0;
        }
        if (!strcmp(argv[i], "--procs") && i + 1 < argc) nprocs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_winscan [--procs N] [--rounds R]\n");
            return 2;
        }
    }
    if (nprocs < 0) nprocs = 0;
    if (rounds < 1) rounds = 1;

    wchar_t self[MAX_PATH], cmd[MAX_PATH + 16];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    HANDLE *kids = calloc((size_t)nprocs + 1, sizeof *kids);
    int started = 0;
    for (int i = 0; i < nprocs; i++) {
        STARTUPINFOW si = {.cb = sizeof si};
        PROCESS_INFORMATION pi;
        _snwprintf(cmd, sizeof cmd / sizeof *cmd, L"\"%ls\" --sleep", self);
        if (!CreateProcessW(self, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) break;
        CloseHandle(pi.hThread);
        kids[started++] = pi.hProcess;
    }
    Sleep(200);   /* let the children reach their Sleep so the table is steady */

    double *ts = malloc((size_t)rounds * sizeof *ts), *tp = malloc((size_t)rounds * sizeof *tp);
    rec *buf = NULL;
    size_t cap = 0;
    long n_snap = 0, n_full = 0, n_per = 0, n_open = 0;
    /* one warm-up of each, not timed (first-call DLL loads, the library's lazy NT lookups) */
    snapshot(&n_full);
    per_process(&buf, &cap, &n_open);
    for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < 2; k++) {
            double t0 = now();
            if ((r + k) % 2 == 0) {
                n_snap = snapshot(&n_full);
                ts[r] = now() - t0;
            } else {
                n_per = per_process(&buf, &cap, &n_open);
                tp[r] = now() - t0;
            }
        }
    }
    for (int i = 0; i < started; i++) {
        TerminateProcess(kids[i], 0);
        WaitForSingleObject(kids[i], 5000);
        CloseHandle(kids[i]);
    }
    if (n_snap < 0 || n_per < 0) {
        fprintf(stderr, "bench_winscan: a read failed (snapshot %ld, per-process %ld)\n", n_snap, n_per);
        return 1;
    }
    double ms = median(ts, rounds) * 1e3, mp = median(tp, rounds) * 1e3;
    printf("children started: %d; rounds: %d (interleaved)\n", started, rounds);
    printf("processes: snapshot %ld (%ld with all 7 fields), per-process %ld (%ld opened)\n", n_snap,
           n_full, n_per, n_open);
    printf("snapshot (ps_ptable_scan)             median %8.3f ms  %7.2f us/process\n", ms,
           n_snap ? ms * 1e3 / (double)n_snap : 0);
    printf("per-process (Toolhelp32+OpenProcess) median %8.3f ms  %7.2f us/process\n", mp,
           n_per ? mp * 1e3 / (double)n_per : 0);
    printf("ratio per-process / snapshot: %.2fx\n", ms > 0 ? mp / ms : 0);
    free(ts);
    free(tp);
    free(buf);
    free(kids);
    return 0;
}
