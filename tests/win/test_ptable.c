/* SPDX-License-Identifier: MIT */
/* Enumeration on Windows (run under wine): ps_pids, ps_pid_exists, ps_ptable_scan and
 * ps_proc_snapshot. Oracles of another API family: Toolhelp (CreateToolhelp32Snapshot: PIDs,
 * parents, thread counts, names), GetProcessTimes, GetProcessMemoryInfo, GetProcessIoCounters,
 * GetModuleFileNameW, CommandLineToArgvW(GetCommandLineW()), and children this test starts
 * (known exe, cmdline, start time, suspended or not). Every test leaves the handle count as it
 * found it (handle_count() probes every handle value). */
#include <windows.h>
#include <psapi.h>
#include <tlhelp32.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minitest.h"
#include "wintest.h"
#include <psinfo.h>

/* The Toolhelp process list: pids[i], ppids[i], threads[i], names[i] (UTF-8). */
typedef struct th_list {
    size_t n;
    DWORD pids[4096], ppids[4096], threads[4096];
    char *names[4096];
} th_list;

static th_list *th_take(void)
{
    th_list *l = calloc(1, sizeof *l);
    HANDLE s = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (s == INVALID_HANDLE_VALUE) return l;
    PROCESSENTRY32W e;
    e.dwSize = sizeof e;
    if (Process32FirstW(s, &e)) {
        do {
            if (l->n < 4096) {
                l->pids[l->n] = e.th32ProcessID;
                l->ppids[l->n] = e.th32ParentProcessID;
                l->threads[l->n] = e.cntThreads;
                l->names[l->n] = utf8(e.szExeFile);
                l->n++;
            }
            e.dwSize = sizeof e;
        } while (Process32NextW(s, &e));
    }
    CloseHandle(s);
    return l;
}

static long th_find(const th_list *l, int64_t pid)
{
    for (size_t i = 0; i < l->n; i++)
        if ((int64_t)l->pids[i] == pid) return (long)i;
    return -1;
}

static void th_free(th_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->names[i]);
    free(l);
}

static const ps_ptable_record *rec_of(const ps_ptable *t, int64_t pid)
{
    for (size_t i = 0; i < t->count; i++)
        if (t->records[i].pid == pid) return &t->records[i];
    return NULL;
}

static int has(const ps_ptable_record *r, int f)
{
    return (r->present & PS_PT_BIT(f)) != 0;
}

static double ft_epoch(FILETIME ft)
{
    uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    return (double)((int64_t)t - INT64_C(116444736000000000)) / 1e7;
}

MT_TEST(pids_agree_with_toolhelp_before_and_after)
{
    WT_HANDLES_BEFORE();
    th_list *a = th_take();
    ps_pid_list *l = NULL;
    MT_REQUIRE(ps_pids(&l) == 0);
    th_list *b = th_take();
    MT_LOG("%zu pids; toolhelp %zu then %zu", l->count, a->n, b->n);
    MT_CHECK(l->count > 0);
    for (size_t i = 1; i < l->count; i++) MT_CHECK(l->items[i - 1] < l->items[i]);
    /* Alive in both Toolhelp lists: listed by us; listed by us: in one of them. */
    for (size_t i = 0; i < a->n; i++) {
        if (th_find(b, a->pids[i]) < 0) continue;
        int found = 0;
        for (size_t j = 0; j < l->count; j++) found |= l->items[j] == (int64_t)a->pids[i];
        if (!found) MT_LOG("pid %lu missing", (unsigned long)a->pids[i]);
        MT_CHECK(found);
    }
    for (size_t j = 0; j < l->count; j++) {
        int64_t pid = l->items[j];
        int known = th_find(a, pid) >= 0 || th_find(b, pid) >= 0 || pid == 0 || pid == 4;
        if (!known) MT_LOG("pid %lld not in toolhelp", (long long)pid);
        MT_CHECK(known);
    }
    int self = 0;
    for (size_t j = 0; j < l->count; j++) self |= l->items[j] == (int64_t)GetCurrentProcessId();
    MT_CHECK(self);
    ps_pid_list_free(l);
    th_free(a);
    th_free(b);
    WT_HANDLES_AFTER();
}

MT_TEST(pid_exists_matrix)
{
    WT_HANDLES_BEFORE();
    int e = -1;
    MT_CHECK_EQ_INT(ps_pid_exists((int64_t)GetCurrentProcessId(), &e), 0);
    MT_CHECK_EQ_INT(e, 1);
    /* psutil: PID 0 (System Idle Process) always exists. */
    MT_CHECK_EQ_INT(ps_pid_exists(0, &e), 0);
    MT_CHECK_EQ_INT(e, 1);
    /* Windows ignores a PID's low two bits; pid + 1 is not this process. */
    MT_CHECK_EQ_INT(ps_pid_exists((int64_t)GetCurrentProcessId() + 1, &e), 0);
    MT_CHECK_EQ_INT(e, 0);
    MT_CHECK_EQ_INT(ps_pid_exists(INT64_C(0x7FFFFFFFFFFF), &e), 0);
    MT_CHECK_EQ_INT(e, 0);
    MT_CHECK_EQ_INT(ps_pid_exists(0xFFFFFFFCu, &e), 0);
    MT_CHECK_EQ_INT(e, 0);
    MT_CHECK_EQ_INT(ps_pid_exists(-1, &e), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_pid_exists(1, NULL), PS_EINVAL);
    /* A child: exists while it runs, not once it has exited and its last handle is closed. */
    wchar_t ev[64];
    PROCESS_INFORMATION pi = spawn_sleeper(L"", ev);
    MT_REQUIRE(pi.hProcess != NULL);
    int64_t pid = (int64_t)pi.dwProcessId;
    MT_CHECK_EQ_INT(ps_pid_exists(pid, &e), 0);
    MT_CHECK_EQ_INT(e, 1);
    TerminateProcess(pi.hProcess, 0);
    WaitForSingleObject(pi.hProcess, INFINITE);
    /* Exited but our handle keeps the process object: psutil says it does not exist. */
    MT_CHECK_EQ_INT(ps_pid_exists(pid, &e), 0);
    MT_CHECK_EQ_INT(e, 0);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    MT_CHECK_EQ_INT(ps_pid_exists(pid, &e), 0);
    MT_CHECK_EQ_INT(e, 0);
    WT_HANDLES_AFTER();
}

/* The test's own record against the OS's answers about itself. */
static void check_self(const ps_ptable_record *r)
{
    wchar_t self[MAX_PATH];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    char *exe = utf8(self);
    const char *base = strrchr(exe, '\\') ? strrchr(exe, '\\') + 1 : exe;
    MT_CHECK(has(r, PS_PT_NAME) && has(r, PS_PT_EXE) && has(r, PS_PT_CMDLINE));
    if (has(r, PS_PT_NAME)) MT_CHECK_STR_EQ(r->name, base);
    if (has(r, PS_PT_EXE)) MT_CHECK_STR_EQ(r->exe, exe);
    int argc = 0;
    wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    MT_CHECK_EQ_INT(r->cmdline_count, argc);
    for (int i = 0; i < argc && i < (int)r->cmdline_count; i++) {
        char *a = utf8(argv[i]);
        MT_CHECK_STR_EQ(r->cmdline[i], a);
        free(a);
    }
    LocalFree(argv);
    FILETIME c, x, k, u;
    MT_REQUIRE(GetProcessTimes(GetCurrentProcess(), &c, &x, &k, &u));
    MT_CHECK(has(r, PS_PT_CREATE_TIME) && fabs(r->create_time - ft_epoch(c)) < 1e-6);
    double os_cpu = (double)((((uint64_t)u.dwHighDateTime << 32) | u.dwLowDateTime) +
                             (((uint64_t)k.dwHighDateTime << 32) | k.dwLowDateTime)) / 1e7;
    /* Under wine the snapshot's times and GetProcessTimes come from different reads of the
     * host's 10 ms ticks and need not agree: seen 3.73 s in the earlier snapshot against 3.72 s
     * (32-bit build). Two ticks of slack. */
    if (has(r, PS_PT_CPU_TIMES) && r->cpu_times.user + r->cpu_times.system > os_cpu + 1e-6)
        MT_LOG("cpu_times %.3f + %.3f, GetProcessTimes %.3f", r->cpu_times.user, r->cpu_times.system, os_cpu);
    MT_CHECK(has(r, PS_PT_CPU_TIMES) && r->cpu_times.user + r->cpu_times.system <= os_cpu + 0.02 + 1e-6);
    MT_CHECK(isnan(r->cpu_times.children_user) && isnan(r->cpu_times.iowait));
    PROCESS_MEMORY_COUNTERS_EX m;
    memset(&m, 0, sizeof m);
    m.cb = sizeof m;
    MT_REQUIRE(GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&m, sizeof m));
    MT_LOG("rss %llu (os %llu), vms %llu (os private %llu)", (unsigned long long)r->memory_info.rss,
           (unsigned long long)m.WorkingSetSize, (unsigned long long)r->memory_info.vms,
           (unsigned long long)m.PrivateUsage);
    MT_CHECK(has(r, PS_PT_MEMORY_INFO) && r->memory_info.rss > 0);
    MT_CHECK(llabs((long long)r->memory_info.rss - (long long)m.WorkingSetSize) < 64ll << 20);
    MT_CHECK(llabs((long long)r->memory_info.vms - (long long)m.PrivateUsage) < 64ll << 20);
    if (m.PrivateUsage == 0) WT_WINE_GAP("PrivateUsage is 0 in GetProcessMemoryInfo too");
    MT_CHECK(r->memory_info.shared == PS_UNKNOWN_U64);
    MT_CHECK(r->memory_info.peak_rss >= r->memory_info.rss);
    IO_COUNTERS io;
    MT_REQUIRE(GetProcessIoCounters(GetCurrentProcess(), &io));
    if (io.ReadOperationCount == 0 && io.WriteOperationCount == 0)
        WT_WINE_GAP("I/O counters are all 0 in GetProcessIoCounters too");
    MT_CHECK(has(r, PS_PT_IO_COUNTERS) && r->io_counters.read_count <= io.ReadOperationCount &&
             r->io_counters.write_bytes <= io.WriteTransferCount);
    MT_CHECK(r->io_counters.read_chars == PS_UNKNOWN_U64);
    MT_CHECK(has(r, PS_PT_PAGE_FAULTS) && r->page_faults.minor + r->page_faults.major <= m.PageFaultCount);
    if (m.PageFaultCount == 0) WT_WINE_GAP("PageFaultCount is 0 in GetProcessMemoryInfo too");
    MT_CHECK(has(r, PS_PT_STATUS) && r->status == PS_STATUS_RUNNING);
    MT_CHECK(has(r, PS_PT_NUM_CTX_SWITCHES) && r->num_ctx_switches.involuntary == PS_UNKNOWN_U64);
    if (r->num_ctx_switches.voluntary == 0) WT_WINE_GAP("threads' ContextSwitches are 0 in the snapshot");
    MT_CHECK(has(r, PS_PT_NUM_HANDLES) && r->num_handles > 0);
    MT_CHECK_EQ_INT(r->error[PS_PT_NUM_HANDLES], 0);
    /* Fields Windows does not have: absent with PS_ENOTSUP. */
    const int never[] = {PS_PT_UIDS, PS_PT_GIDS, PS_PT_TERMINAL, PS_PT_CPU_NUM, PS_PT_NUM_FDS};
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
        MT_CHECK(!has(r, never[i]));
        MT_CHECK_EQ_INT(r->error[never[i]], PS_ENOTSUP);
    }
    free(exe);
}

MT_TEST(scan_self_record_matches_the_os)
{
    WT_HANDLES_BEFORE();
    ps_ptable *t = NULL;
    MT_REQUIRE(ps_ptable_scan(PS_PT_ALL, 0, &t) == 0);
    MT_CHECK_EQ_INT(t->fields, PS_PT_ALL);
    for (size_t i = 1; i < t->count; i++) MT_CHECK(t->records[i - 1].pid < t->records[i].pid);
    const ps_ptable_record *r = rec_of(t, (int64_t)GetCurrentProcessId());
    MT_REQUIRE(r != NULL);
    check_self(r);
    ps_ptable_free(t);
    /* The snapshot of our own handle: the same answers. */
    ps_proc *p;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    MT_REQUIRE(ps_proc_snapshot(p, PS_PT_ALL, &t) == 0);
    MT_CHECK_EQ_INT(t->count, 1);
    check_self(&t->records[0]);
    ps_ptable_free(t);
    ps_proc_free(p);
    WT_HANDLES_AFTER();
}

/* Reserved tails (docs/abi.md) read zero in what the Windows back end fills: the records of a
 * scan (with their embedded structs) and the getters' out-structs, over a caller's pattern. */
#define TAIL_ZERO(x)                                                                       \
    do {                                                                                   \
        for (size_t i_ = 0; i_ < sizeof (x).reserved / sizeof (x).reserved[0]; i_++)       \
            MT_CHECK((x).reserved[i_] == 0);                                               \
    } while (0)

MT_TEST(reserved_tails_read_zero)
{
    ps_ptable *t = NULL;
    MT_REQUIRE(ps_ptable_scan(PS_PT_ALL, PS_PT_KEEP_PARTIAL, &t) == 0);
    TAIL_ZERO(*t);
    for (size_t i = 0; i < t->count; i++) {
        const ps_ptable_record *r = &t->records[i];
        TAIL_ZERO(*r);
        MT_CHECK(r->pad_0 == 0);
        TAIL_ZERO(r->cpu_times);
        TAIL_ZERO(r->memory_info);
        TAIL_ZERO(r->num_ctx_switches);
        TAIL_ZERO(r->io_counters);
        TAIL_ZERO(r->page_faults);
    }
    ps_ptable_free(t);
    ps_proc *p;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    ps_proc_cputimes ct;
    ps_proc_mem m;
    ps_proc_ctxsw cs;
    ps_proc_pagefaults pf;
    memset(&ct, 0xA5, sizeof ct);
    memset(&m, 0xA5, sizeof m);
    memset(&cs, 0xA5, sizeof cs);
    memset(&pf, 0xA5, sizeof pf);
    MT_REQUIRE(ps_proc_cpu_times(p, &ct) == 0);
    MT_REQUIRE(ps_proc_memory_info(p, &m) == 0);
    MT_REQUIRE(ps_proc_num_ctx_switches(p, &cs) == 0);
    MT_REQUIRE(ps_proc_page_faults(p, &pf) == 0);
    TAIL_ZERO(ct);
    TAIL_ZERO(m);
    TAIL_ZERO(cs);
    TAIL_ZERO(pf);
    ps_pid_list *l = NULL;
    MT_REQUIRE(ps_pids(&l) == 0);
    TAIL_ZERO(*l);
    ps_pid_list_free(l);
    ps_proc_free(p);
}

/* Every process both Toolhelp lists agree on: same parent, name and thread count. */
MT_TEST(scan_agrees_with_toolhelp_for_every_stable_process)
{
    WT_HANDLES_BEFORE();
    th_list *a = th_take();
    ps_ptable *t = NULL;
    uint64_t f = PS_PT_BIT(PS_PT_PPID) | PS_PT_BIT(PS_PT_NAME) | PS_PT_BIT(PS_PT_NUM_THREADS);
    MT_REQUIRE(ps_ptable_scan(f, 0, &t) == 0);
    th_list *b = th_take();
    size_t compared = 0;
    for (size_t i = 0; i < a->n; i++) {
        long j = th_find(b, a->pids[i]);
        const ps_ptable_record *r = rec_of(t, a->pids[i]);
        if (j < 0 || !r || strcmp(a->names[i], b->names[j]) != 0) continue;
        compared++;
        MT_CHECK(has(r, PS_PT_PPID) && has(r, PS_PT_NAME) && has(r, PS_PT_NUM_THREADS));
        MT_CHECK_EQ_INT(r->ppid, a->ppids[i]);
        MT_CHECK_STR_EQ(r->name, a->names[i]);
        /* Thread counts move; they must match one of the two Toolhelp readings' range. */
        DWORD lo = a->threads[i] < b->threads[j] ? a->threads[i] : b->threads[j];
        DWORD hi = a->threads[i] < b->threads[j] ? b->threads[j] : a->threads[i];
        if (r->num_threads < lo || r->num_threads > hi)
            MT_LOG("pid %lu threads %lld, toolhelp %lu..%lu", (unsigned long)a->pids[i], (long long)r->num_threads,
                   (unsigned long)lo, (unsigned long)hi);
        MT_CHECK(r->num_threads >= lo && r->num_threads <= hi);
    }
    MT_LOG("%zu processes compared with toolhelp", compared);
    MT_CHECK(compared >= 2);
    ps_ptable_free(t);
    th_free(a);
    th_free(b);
    WT_HANDLES_AFTER();
}

/* A child started suspended is "stopped" (psutil: every thread waits, reason Suspended), and
 * running once resumed; its exe, cmdline and create time are the ones it was started with. */
MT_TEST(child_suspended_then_running_with_known_exe_and_cmdline)
{
    WT_HANDLES_BEFORE();
    double before = now_unix();
    PROCESS_INFORMATION pi = spawn_ex(NULL, L"--exit-child \"two words\" \u00e9t\u00e9", CREATE_SUSPENDED, NULL, NULL);
    MT_REQUIRE(pi.hProcess != NULL);
    double after = now_unix();
    ps_proc *p;
    MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
    ps_ptable *t = NULL;
    uint64_t f = PS_PT_BIT(PS_PT_STATUS) | PS_PT_BIT(PS_PT_CREATE_TIME) | PS_PT_BIT(PS_PT_PPID) |
                 PS_PT_BIT(PS_PT_NAME);
    MT_REQUIRE(ps_proc_snapshot(p, f, &t) == 0);
    const ps_ptable_record *r = &t->records[0];
    MT_CHECK_EQ_INT(r->ppid, GetCurrentProcessId());
    MT_CHECK_STR_EQ(r->name, "test_ptable_win.exe");
    MT_CHECK(r->create_time >= before - 0.05 && r->create_time <= after + 0.05);
    if (r->status == PS_STATUS_RUNNING)
        WT_WINE_GAP("a CREATE_SUSPENDED child's threads are not reported Waiting/Suspended");
    else
        MT_CHECK_EQ_INT(r->status, PS_STATUS_STOPPED);
    ps_ptable_free(t);
    ResumeThread(pi.hThread);
    WaitForSingleObject(pi.hProcess, 30000);
    /* Gone: the handle's snapshot is an error, not a record. */
    MT_CHECK_EQ_INT(ps_proc_snapshot(p, f, &t), PS_ENOPROC);
    MT_CHECK(t == NULL);
    ps_proc_free(p);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    WT_HANDLES_AFTER();
}

/* Children exiting while scans run: every scan succeeds; a record of one of them names it. */
MT_TEST(scan_while_children_exit)
{
    WT_HANDLES_BEFORE();
    int scans = 0, seen = 0;
    for (int round = 0; round < 4; round++) {
        PROCESS_INFORMATION kids[4];
        for (int k = 0; k < 4; k++) kids[k] = spawn(L"--exit-child");
        ps_ptable *t = NULL;
        int rc = ps_ptable_scan(PS_PT_ALL, round & 1 ? PS_PT_KEEP_PARTIAL : 0, &t);
        MT_CHECK_EQ_INT(rc, 0);
        if (rc == 0) {
            scans++;
            for (int k = 0; k < 4; k++) {
                const ps_ptable_record *r = kids[k].hProcess ? rec_of(t, kids[k].dwProcessId) : NULL;
                if (!r) continue;
                seen++;
                if (has(r, PS_PT_NAME)) MT_CHECK_STR_EQ(r->name, "test_ptable_win.exe");
                if (has(r, PS_PT_PPID)) MT_CHECK_EQ_INT(r->ppid, GetCurrentProcessId());
                if (!has(r, PS_PT_EXE)) MT_CHECK(r->error[PS_PT_EXE] == PS_ENOPROC || r->error[PS_PT_EXE] == PS_EACCES);
            }
            ps_ptable_free(t);
        }
        for (int k = 0; k < 4; k++)
            if (kids[k].hProcess) {
                WaitForSingleObject(kids[k].hProcess, 30000);
                CloseHandle(kids[k].hThread);
                CloseHandle(kids[k].hProcess);
            }
    }
    MT_LOG("%d scans, %d records of exiting children", scans, seen);
    MT_CHECK_EQ_INT(scans, 4);
    WT_HANDLES_AFTER();
}

/* The num_handles of pid in a table of that field alone (-1: no record, -2: absent). */
static int64_t table_handles(const ps_ptable *t, int64_t pid)
{
    const ps_ptable_record *r = rec_of(t, pid);
    if (!r) return -1;
    if (!has(r, PS_PT_NUM_HANDLES)) {
        MT_LOG("pid %lld: num_handles absent, error %d", (long long)pid, r->error[PS_PT_NUM_HANDLES]);
        return -2;
    }
    return r->num_handles;
}

/* ps_proc_num_handles of pid (GetProcessHandleCount; the snapshot's HandleCount when that
 * answers 0, as wine's does), or -1. */
static int64_t getter_handles(int64_t pid)
{
    ps_proc *p;
    int64_t n = -1;
    if (pid == (int64_t)GetCurrentProcessId() ? ps_proc_open_self(&p) : ps_proc_open(pid, &p)) return -1;
    if (ps_proc_num_handles(p, &n)) n = -1;
    ps_proc_free(p);
    return n;
}

/*
 * num_handles of the table is the snapshot's HandleCount (no process opened): our own record
 * and two sleeping children's against ps_proc_num_handles, our own against the handle-value
 * probe, and a child that holds 64 events more than its sibling counts 64 more. Under wine
 * GetProcessHandleCount answers 0, so the getter falls back to the same HandleCount (a weak
 * oracle there), and wine's HandleCount is the size of its handle table (32 entries, doubled
 * as it fills), not the count: there it must be at least the probe and grow by at least 64.
 */
MT_TEST(num_handles_from_the_snapshot_agree_with_the_getter_and_grow)
{
    WT_HANDLES_BEFORE();
    enum { N = 64 };
    wchar_t ev0[64], ev1[64];
    PROCESS_INFORMATION plain = spawn_sleeper(L"", ev0);
    PROCESS_INFORMATION held = spawn_sleeper(L"--hold-events 64", ev1);
    MT_REQUIRE(plain.hProcess != NULL && held.hProcess != NULL);
    int64_t me = (int64_t)GetCurrentProcessId(), a = (int64_t)plain.dwProcessId, b = (int64_t)held.dwProcessId;
    DWORD os_me = 0, os_a = 0, os_b = 0;
    GetProcessHandleCount(GetCurrentProcess(), &os_me);
    GetProcessHandleCount(plain.hProcess, &os_a);
    GetProcessHandleCount(held.hProcess, &os_b);
    int wine = os_me == 0 && os_a == 0 && os_b == 0;
    int ok = 0;
    for (int attempt = 0; attempt < 5 && !ok; attempt++) {
        ps_ptable *t = NULL;
        MT_REQUIRE(ps_ptable_scan(PS_PT_BIT(PS_PT_NUM_HANDLES), 0, &t) == 0);
        int64_t tm = table_handles(t, me), ta = table_handles(t, a), tb = table_handles(t, b);
        /* every record has the field (PIDs 0 and 4 included: psutil's table answers for them) */
        size_t absent = 0;
        for (size_t i = 0; i < t->count; i++) absent += !has(&t->records[i], PS_PT_NUM_HANDLES);
        ps_ptable_free(t);
        int64_t gm = getter_handles(me), ga = getter_handles(a), gb = getter_handles(b);
        MT_LOG("num_handles: self %lld (getter %lld, os %lu), plain child %lld (getter %lld, os %lu), "
               "child with %d events %lld (getter %lld, os %lu), %zu records without",
               (long long)tm, (long long)gm, (unsigned long)os_me, (long long)ta, (long long)ga, (unsigned long)os_a,
               N, (long long)tb, (long long)gb, (unsigned long)os_b, absent);
        MT_CHECK_EQ_INT(absent, 0);
        MT_CHECK(tm > 0 && ta > 0 && tb > 0);
        /* The children sleep: their counts hold still, so table and getter agree exactly. Our
         * own count moves by the handle ps_proc_open_self may open. */
        ok = ta == ga && tb == gb && gm >= tm - 2 && gm <= tm + 2;
    }
    MT_CHECK(ok);
    int probe = handle_count();
    ps_ptable *t = NULL;
    MT_REQUIRE(ps_ptable_scan(PS_PT_BIT(PS_PT_NUM_HANDLES), 0, &t) == 0);
    int64_t d = table_handles(t, b) - table_handles(t, a), tm = table_handles(t, me);
    ps_ptable_free(t);
    MT_LOG("the child holding %d events counts %lld more; self %lld, probed %d", N, (long long)d, (long long)tm,
           probe);
    MT_CHECK(d >= N);
    if (wine) {
        MT_CHECK(tm >= probe);
        WT_WINE_GAP("HandleCount is the size of the handle table, not the count (+%lld for %d events, self %lld "
                    "for %d probed)", (long long)d, N, (long long)tm, probe);
    } else {
        /* the probe misses handles above 1 << 16 */
        MT_CHECK(tm >= probe && tm <= probe + 8);
        MT_CHECK(d <= N + 4);
        MT_CHECK_EQ_INT((int64_t)os_b - (int64_t)os_a, d);
    }
    kill_child(&plain);
    kill_child(&held);
    WT_HANDLES_AFTER();
}

/* status, num_ctx_switches and page_faults come from the snapshot as in the table: the getter's
 * counters are at least the table's read before, at most GetProcessMemoryInfo's after; gone is
 * PS_ENOPROC. */
MT_TEST(snapshot_getters_agree_with_the_table)
{
    WT_HANDLES_BEFORE();
    ps_proc *p;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    ps_ptable *t = NULL;
    MT_REQUIRE(ps_proc_snapshot(p, PS_PT_ALL, &t) == 0);
    int32_t st;
    ps_proc_ctxsw cs;
    ps_proc_pagefaults pf;
    MT_CHECK_EQ_INT(ps_proc_status(p, &st), 0);
    MT_CHECK_EQ_INT(st, PS_STATUS_RUNNING);
    MT_CHECK_EQ_INT(ps_proc_num_ctx_switches(p, &cs), 0);
    MT_CHECK(cs.voluntary >= t->records[0].num_ctx_switches.voluntary && cs.involuntary == PS_UNKNOWN_U64);
    MT_CHECK_EQ_INT(ps_proc_page_faults(p, &pf), 0);
    PROCESS_MEMORY_COUNTERS m;
    MT_REQUIRE(GetProcessMemoryInfo(GetCurrentProcess(), &m, sizeof m));
    MT_CHECK(pf.minor + pf.major >= t->records[0].page_faults.minor + t->records[0].page_faults.major);
    MT_CHECK(pf.minor + pf.major <= m.PageFaultCount);
    ps_ptable_free(t);
    ps_proc_free(p);
    PROCESS_INFORMATION pi = spawn(L"--exit-child");
    MT_REQUIRE(pi.hProcess != NULL);
    MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
    WaitForSingleObject(pi.hProcess, 30000);
    MT_CHECK_EQ_INT(ps_proc_status(p, &st), PS_ENOPROC);
    MT_CHECK_EQ_INT(ps_proc_num_ctx_switches(p, &cs), PS_ENOPROC);
    MT_CHECK_EQ_INT(ps_proc_page_faults(p, &pf), PS_ENOPROC);
    ps_proc_free(p);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    WT_HANDLES_AFTER();
}

MT_TEST(bad_input_gives_documented_codes)
{
    WT_HANDLES_BEFORE();
    ps_ptable *t = (ps_ptable *)&t;
    MT_CHECK_EQ_INT(ps_ptable_scan(PS_PT_ALL, 0, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_ptable_scan(PS_PT_ALL << 1, 0, &t), PS_EINVAL);
    MT_CHECK(t == NULL);
    MT_CHECK_EQ_INT(ps_ptable_scan(PS_PT_ALL, 0x80, &t), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_snapshot(NULL, PS_PT_ALL, &t), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_pids(NULL), PS_EINVAL);
    ps_proc *p = NULL;
    MT_CHECK_EQ_INT(ps_proc_open(0, &p), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_open(INT64_C(0x100000000), &p), PS_ENOPROC);
    MT_CHECK_EQ_INT(ps_proc_open((int64_t)GetCurrentProcessId() + 2, &p), PS_ENOPROC);
    MT_CHECK(p == NULL);
    WT_HANDLES_AFTER();
}

MT_MAIN()
