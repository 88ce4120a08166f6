/* SPDX-License-Identifier: MIT */
/* children() and cpu_percent() on Windows, run under wine. Oracles: the PIDs CreateProcessW
 * gave, the Toolhelp32 snapshot (a second API family: th32ParentProcessID), GetProcessTimes
 * and QueryPerformanceCounter read by the test itself around the same interval.
 * Children are this program started again: "--sleep-child ..." (wintest.h) and
 * "--tree-child EVENT", which starts a sleeping grandchild, then sets EVENT and sleeps. */
#include <windows.h>
#include <tlhelp32.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minitest.h"
#include "wintest.h"
#include <psinfo.h>

__attribute__((constructor)) static void tree_child_mode(void)
{
    const wchar_t *cl = GetCommandLineW();
    if (!wcsstr(cl, L"--tree-child")) return;
    int argc = 0;
    wchar_t **argv = CommandLineToArgvW(cl, &argc);
    wchar_t ev[64];
    PROCESS_INFORMATION g = spawn_sleeper(L"", ev);
    if (g.hProcess && argv && argc > 2) wt_set_named_event(argv[2]);
    Sleep(60000);
    ExitProcess(1);
}

/* The PIDs whose Toolhelp32 parent is ppid, into out (at most cap); the count. */
static size_t toolhelp_children(DWORD ppid, DWORD *out, size_t cap)
{
    size_t n = 0;
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (snap == INVALID_HANDLE_VALUE) return 0;
    PROCESSENTRY32W e;
    e.dwSize = sizeof e;
    for (BOOL ok = Process32FirstW(snap, &e); ok; ok = Process32NextW(snap, &e))
        if (e.th32ParentProcessID == ppid && e.th32ProcessID != ppid && n < cap) out[n++] = e.th32ProcessID;
    CloseHandle(snap);
    return n;
}

static int list_has(const ps_proc_list *l, DWORD pid)
{
    for (size_t i = 0; i < l->count; i++)
        if (ps_proc_pid(l->items[i]) == (int64_t)pid) return 1;
    return 0;
}

static void terminate_pid(DWORD pid)
{
    HANDLE h = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, pid);
    if (!h) return;
    TerminateProcess(h, 0);
    WaitForSingleObject(h, 10000);
    CloseHandle(h);
}

MT_TEST(children_are_the_processes_we_started)
{
    WT_HANDLES_BEFORE();
    wchar_t e1[64], e2[64];
    PROCESS_INFORMATION a = spawn_sleeper(L"", e1);
    PROCESS_INFORMATION b = spawn_sleeper(L"", e2);
    MT_REQUIRE(a.hProcess && b.hProcess);
    ps_proc *self;
    MT_REQUIRE(ps_proc_open_self(&self) == 0);
    ps_proc_list *l = NULL;
    MT_CHECK_EQ_INT(ps_proc_children(self, 0, &l), 0);
    DWORD th[64];
    size_t nth = toolhelp_children(GetCurrentProcessId(), th, 64);
    if (l) {
        MT_CHECK(list_has(l, a.dwProcessId));
        MT_CHECK(list_has(l, b.dwProcessId));
        /* The same set as Toolhelp's (both snapshots taken while nothing else starts here). */
        MT_CHECK_EQ_INT((int)l->count, (int)nth);
        for (size_t i = 0; i < nth; i++) MT_CHECK(list_has(l, th[i]));
        for (size_t i = 1; i < l->count; i++)
            MT_CHECK(ps_proc_pid(l->items[i - 1]) < ps_proc_pid(l->items[i]));
        char *name = NULL;
        if (l->count) {
            MT_CHECK_EQ_INT(ps_proc_name(l->items[0], &name), 0);
            MT_CHECK_STR_EQ(name, "test_proc_family_win.exe");
            ps_free(name);
        }
    }
    ps_proc_list_free(l);
    ps_proc_free(self);
    kill_child(&a);
    kill_child(&b);
    WT_HANDLES_AFTER();
}

MT_TEST(recursive_children_include_the_grandchild)
{
    static volatile LONG counter;
    wchar_t ev[64];
    _snwprintf(ev, 64, L"psinfo_tree_%lu_%ld", (unsigned long)GetCurrentProcessId(),
               (long)InterlockedIncrement(&counter));
    HANDLE started = CreateEventW(NULL, TRUE, FALSE, ev);
    wchar_t args[128];
    _snwprintf(args, 128, L"--tree-child %ls", ev);
    PROCESS_INFORMATION c = spawn(args);
    MT_REQUIRE(c.hProcess != NULL);
    HANDLE hs[2] = {started, c.hProcess};
    MT_REQUIRE(WaitForMultipleObjects(2, hs, FALSE, 30000) == WAIT_OBJECT_0);
    CloseHandle(started);
    DWORD g[8];
    size_t ng = toolhelp_children(c.dwProcessId, g, 8);
    MT_CHECK_EQ_INT((int)ng, 1);

    ps_proc *child;
    MT_REQUIRE(ps_proc_open((int64_t)c.dwProcessId, &child) == 0);
    ps_proc_list *direct = NULL;
    MT_CHECK_EQ_INT(ps_proc_children(child, 0, &direct), 0);
    if (direct && ng == 1) {
        MT_CHECK_EQ_INT((int)direct->count, 1);
        MT_CHECK(list_has(direct, g[0]));
    }
    ps_proc_list_free(direct);

    ps_proc *self;
    MT_REQUIRE(ps_proc_open_self(&self) == 0);
    ps_proc_list *all = NULL, *top = NULL;
    MT_CHECK_EQ_INT(ps_proc_children(self, 1, &all), 0);
    MT_CHECK_EQ_INT(ps_proc_children(self, 0, &top), 0);
    if (all && top && ng == 1) {
        MT_CHECK(list_has(all, c.dwProcessId));
        MT_CHECK(list_has(all, g[0]));
        MT_CHECK(!list_has(top, g[0]));
        MT_CHECK_EQ_INT((int)all->count, (int)top->count + 1);
    }
    ps_proc_list_free(all);
    ps_proc_list_free(top);
    ps_proc_free(self);
    ps_proc_free(child);
    for (size_t i = 0; i < ng; i++) terminate_pid(g[i]);
    kill_child(&c);
}

MT_TEST(children_of_a_gone_process_is_enoproc)
{
    wchar_t ev[64];
    PROCESS_INFORMATION a = spawn_sleeper(L"", ev);
    MT_REQUIRE(a.hProcess != NULL);
    ps_proc *p;
    MT_REQUIRE(ps_proc_open((int64_t)a.dwProcessId, &p) == 0);
    kill_child(&a);
    ps_proc_list *l = (ps_proc_list *)1;
    MT_CHECK_EQ_INT(ps_proc_children(p, 0, &l), PS_ENOPROC);
    MT_CHECK(l == NULL);
    ps_proc_cpu_sample s;
    MT_CHECK_EQ_INT(ps_proc_cpu_sample_take(p, &s), PS_ENOPROC);
    ps_proc_free(p);
}

static double filetime_seconds(FILETIME f)
{
    return (double)(((uint64_t)f.dwHighDateTime << 32) | f.dwLowDateTime) / 1e7;
}

static double own_cpu_seconds(void)
{
    FILETIME c, e, k, u;
    GetProcessTimes(GetCurrentProcess(), &c, &e, &k, &u);
    return filetime_seconds(k) + filetime_seconds(u);
}

static double qpc_seconds(void)
{
    LARGE_INTEGER f, t;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)f.QuadPart;
}

MT_TEST(cpu_percent_of_a_busy_self_matches_get_process_times)
{
    ps_proc *self;
    MT_REQUIRE(ps_proc_open_self(&self) == 0);
    ps_proc_cpu_sample a, b;
    double c0 = own_cpu_seconds(), t0 = qpc_seconds();
    MT_REQUIRE(ps_proc_cpu_sample_take(self, &a) == 0);
    volatile double x = 0;
    while (qpc_seconds() - t0 < 0.5) x += 1.0;   /* about 0.5 s of CPU, less when others run */
    MT_REQUIRE(ps_proc_cpu_sample_take(self, &b) == 0);
    double c1 = own_cpu_seconds(), t1 = qpc_seconds();
    double pct;
    MT_CHECK_EQ_INT(ps_proc_cpu_percent(&a, &b, &pct), 0);
    double dc = b.cpu_seconds - a.cpu_seconds, dt = b.timestamp - a.timestamp;
    MT_LOG("cpu %.3f s over %.3f s: %.1f%% (GetProcessTimes %.3f s over QPC %.3f s)", dc, dt, pct,
           c1 - c0, t1 - t0);
    /* The samples lie inside the test's own readings: no more CPU or time than those saw, and
     * no less than those minus one 15.6 ms scheduler tick (wine: the host's 10 ms clock tick). */
    MT_CHECK(dc <= (c1 - c0) + 1e-6 && dc >= (c1 - c0) - 0.032);
    MT_CHECK(dt <= (t1 - t0) + 1e-6 && dt >= 0.5 - 1e-3);
    MT_CHECK(fabs(pct - 100.0 * dc / dt) < 1e-9);
    MT_CHECK(pct > 0.0);
    MT_CHECK(a.cpu_seconds >= 0.0 && b.cpu_seconds >= a.cpu_seconds);
    ps_proc_free(self);
}

MT_TEST(cpu_percent_of_a_sleeping_child_is_near_zero)
{
    wchar_t ev[64];
    PROCESS_INFORMATION s = spawn_sleeper(L"", ev);
    MT_REQUIRE(s.hProcess != NULL);
    ps_proc *p;
    MT_REQUIRE(ps_proc_open((int64_t)s.dwProcessId, &p) == 0);
    ps_proc_cpu_sample a, b;
    MT_CHECK_EQ_INT(ps_proc_cpu_sample_take(p, &a), 0);
    Sleep(300);
    MT_CHECK_EQ_INT(ps_proc_cpu_sample_take(p, &b), 0);
    FILETIME c, e, k, u;
    MT_REQUIRE(GetProcessTimes(s.hProcess, &c, &e, &k, &u));
    double pct = -1;
    MT_CHECK_EQ_INT(ps_proc_cpu_percent(&a, &b, &pct), 0);
    MT_LOG("sleeping child: %.2f%%, %.3f s of CPU in all", pct, b.cpu_seconds);
    MT_CHECK(pct >= 0.0 && pct < 10.0);
    MT_CHECK(fabs(b.cpu_seconds - (filetime_seconds(k) + filetime_seconds(u))) < 1e-6);
    ps_proc_free(p);
    kill_child(&s);
}

MT_TEST(children_and_sample_reject_null)
{
    ps_proc *self;
    MT_REQUIRE(ps_proc_open_self(&self) == 0);
    ps_proc_list *l;
    ps_proc_cpu_sample s;
    MT_CHECK_EQ_INT(ps_proc_children(NULL, 0, &l), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_children(self, 0, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_cpu_sample_take(NULL, &s), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_cpu_sample_take(self, NULL), PS_EINVAL);
    ps_proc_free(self);
}

MT_MAIN()
