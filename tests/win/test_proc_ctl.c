/* SPDX-License-Identifier: MIT */
/*
 * Threads, CPU affinity, suspend/resume and the signals of the Windows back end, under wine.
 * Oracles: threads this program creates (their ids from CreateThread, names it sets with
 * SetThreadDescription, CPU time it burns in one of them), Toolhelp32's thread list (a second
 * API family), GetProcessAffinityMask of the CreateProcess handle, the process table's status,
 * and GetExitCodeProcess / WaitForSingleObject of children it ends.
 */
#include <windows.h>
#include <tlhelp32.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minitest.h"
#include "wintest.h"
#include <psinfo.h>

static DWORD WINAPI parked(LPVOID ev)
{
    WaitForSingleObject((HANDLE)ev, INFINITE);
    return 0;
}

static volatile LONG stop_spin;
static volatile double spin_sink;

static DWORD WINAPI spinner(LPVOID arg)
{
    (void)arg;
    double x = 0;
    while (!InterlockedCompareExchange(&stop_spin, 0, 0))
        for (int i = 0; i < 10000; i++) x += i * 0.5;
    spin_sink = x;
    return 0;
}

/* Toolhelp32's threads of this process, sorted. */
static size_t toolhelp_threads(DWORD *ids, size_t cap)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    if (snap == INVALID_HANDLE_VALUE) return 0;
    THREADENTRY32 te;
    te.dwSize = sizeof te;
    size_t n = 0;
    if (Thread32First(snap, &te)) {
        do {
            if (te.th32OwnerProcessID == GetCurrentProcessId() && n < cap) ids[n++] = te.th32ThreadID;
            te.dwSize = sizeof te;
        } while (Thread32Next(snap, &te));
    }
    CloseHandle(snap);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
            DWORD t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    return n;
}

typedef HRESULT(WINAPI *set_desc_fn)(HANDLE, PCWSTR);

MT_TEST(threads_of_self_match_created_threads_and_toolhelp)
{
    WT_HANDLES_BEFORE();
    enum { N = 4 };
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    HANDLE th[N];
    DWORD tid[N];
    for (int i = 0; i < N; i++) {
        th[i] = CreateThread(NULL, 0, parked, ev, 0, &tid[i]);
        MT_REQUIRE(th[i] != NULL);
    }
    FARPROC fp = GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "SetThreadDescription");
    set_desc_fn setd = NULL;
    if (fp) memcpy(&setd, &fp, sizeof setd);
    int named = setd && SUCCEEDED(setd(th[0], L"w\u00f6rker \U0001F600"));
    if (!named) WT_WINE_GAP("SetThreadDescription is missing or fails");
    ps_proc *p;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    int ok = 0;
    /* Retry: the runtime may start or end a thread of its own between the two lists. */
    for (int attempt = 0; attempt < 5 && !ok; attempt++) {
        DWORD want[256];
        size_t wn = toolhelp_threads(want, 256);
        ps_proc_thread_list *l = NULL;
        MT_REQUIRE(ps_proc_threads(p, &l) == 0);
        int64_t nt = -1;
        MT_REQUIRE(ps_proc_num_threads(p, &nt) == 0);
        size_t wn2 = toolhelp_threads(want, 256);
        ok = wn == wn2 && l->count == wn && nt == (int64_t)wn;
        for (size_t i = 0; ok && i < l->count; i++) {
            ok = l->items[i].id == (int64_t)want[i] && l->items[i].user_time >= 0 && l->items[i].system_time >= 0;
            if (i > 0) ok = ok && l->items[i - 1].id < l->items[i].id;
        }
        int found = 0;
        for (size_t i = 0; i < l->count; i++)
            for (int k = 0; k < N; k++)
                if (l->items[i].id == (int64_t)tid[k]) {
                    found++;
                    if (k == 0 && named) MT_CHECK_STR_EQ(l->items[i].name, "w\xc3\xb6rker \xf0\x9f\x98\x80");
                    else if (l->items[i].name) MT_CHECK_STR_EQ(l->items[i].name, "");
                }
        MT_CHECK_EQ_INT(found, N);
        MT_LOG("threads: ours %zu, toolhelp %zu then %zu, num_threads %lld", l->count, wn, wn2, (long long)nt);
        ps_proc_thread_list_free(l);
    }
    MT_CHECK(ok);
    SetEvent(ev);
    for (int i = 0; i < N; i++) {
        WaitForSingleObject(th[i], INFINITE);
        CloseHandle(th[i]);
    }
    CloseHandle(ev);
    ps_proc_free(p);
    WT_HANDLES_AFTER();
}

static uint64_t ft64(FILETIME f)
{
    return ((uint64_t)f.dwHighDateTime << 32) | f.dwLowDateTime;
}

MT_TEST(thread_times_follow_a_busy_thread)
{
    WT_HANDLES_BEFORE();
    InterlockedExchange(&stop_spin, 0);
    DWORD tid;
    HANDLE t = CreateThread(NULL, 0, spinner, NULL, 0, &tid);
    MT_REQUIRE(t != NULL);
    /* Until the OS says the thread used 0.3 s (at most 60 s). */
    FILETIME c, e, k, u;
    DWORD start = GetTickCount();
    double os = 0;
    while (os < 0.3 && GetTickCount() - start < 60000) {
        Sleep(20);
        if (GetThreadTimes(t, &c, &e, &k, &u)) os = (double)(ft64(u) + ft64(k)) / 1e7;
    }
    MT_REQUIRE(os >= 0.3);
    ps_proc *p;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    ps_proc_thread_list *l = NULL;
    MT_REQUIRE(ps_proc_threads(p, &l) == 0);
    GetThreadTimes(t, &c, &e, &k, &u);
    double os2 = (double)(ft64(u) + ft64(k)) / 1e7;
    int found = 0;
    for (size_t i = 0; i < l->count; i++) {
        if (l->items[i].id != (int64_t)tid) continue;
        found = 1;
        double ours = l->items[i].user_time + l->items[i].system_time;
        MT_LOG("busy thread: ours %.3f s, GetThreadTimes %.3f .. %.3f s", ours, os, os2);
        MT_CHECK(ours >= os - 1e-6 && ours <= os2 + 1e-6);
    }
    MT_CHECK(found);
    ps_proc_thread_list_free(l);
    InterlockedExchange(&stop_spin, 1);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    ps_proc_free(p);
    WT_HANDLES_AFTER();
}

MT_TEST(cpu_affinity_get_and_set_of_a_child)
{
    WT_HANDLES_BEFORE();
    wchar_t ev[64];
    PROCESS_INFORMATION pi = spawn_sleeper(L"", ev);
    MT_REQUIRE(pi.hProcess != NULL);
    DWORD_PTR pm = 0, sm = 0;
    MT_REQUIRE(GetProcessAffinityMask(pi.hProcess, &pm, &sm));
    ps_proc *p;
    MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
    ps_proc_cpu_list *l = NULL;
    MT_CHECK_EQ_INT(ps_proc_cpu_affinity(p, &l), 0);
    MT_REQUIRE(l != NULL);
    DWORD_PTR got = 0;
    for (size_t i = 0; i < l->count; i++) got |= (DWORD_PTR)1 << l->items[i];
    MT_CHECK(got == pm);
    ps_proc_cpu_list_free(l);
    /* The first CPU alone, then every CPU again (count 0, psutil's []). */
    int32_t first = 0;
    while (!(sm & ((DWORD_PTR)1 << first))) first++;
    MT_CHECK_EQ_INT(ps_proc_set_cpu_affinity(p, &first, 1), 0);
    MT_REQUIRE(GetProcessAffinityMask(pi.hProcess, &pm, &sm));
    MT_CHECK(pm == ((DWORD_PTR)1 << first));
    MT_CHECK_EQ_INT(ps_proc_cpu_affinity(p, &l), 0);
    if (l) MT_CHECK(l->count == 1 && l->items[0] == first);
    ps_proc_cpu_list_free(l);
    MT_CHECK_EQ_INT(ps_proc_set_cpu_affinity(p, NULL, 0), 0);
    MT_REQUIRE(GetProcessAffinityMask(pi.hProcess, &pm, &sm));
    MT_CHECK(pm == sm);
    /* CPUs the system does not have, or negative: PS_EINVAL, mask unchanged. */
    /* The mask is a DWORD_PTR: 64 CPUs for a 64-bit caller, 32 for a 32-bit one. */
    const int32_t bits = (int32_t)(sizeof(DWORD_PTR) * 8);
    int32_t bad[2] = {first, bits - 1};
    if (!(sm & ((DWORD_PTR)1 << (bits - 1)))) MT_CHECK_EQ_INT(ps_proc_set_cpu_affinity(p, bad, 2), PS_EINVAL);
    int32_t neg = -1;
    MT_CHECK_EQ_INT(ps_proc_set_cpu_affinity(p, &neg, 1), PS_EINVAL);
    int32_t big = bits;
    MT_CHECK_EQ_INT(ps_proc_set_cpu_affinity(p, &big, 1), PS_EINVAL);
    MT_REQUIRE(GetProcessAffinityMask(pi.hProcess, &pm, &sm));
    MT_CHECK(pm == sm);
    kill_child(&pi);
    MT_CHECK_EQ_INT(ps_proc_cpu_affinity(p, &l), PS_ENOPROC);
    MT_CHECK_EQ_INT(ps_proc_set_cpu_affinity(p, &first, 1), PS_ENOPROC);
    ps_proc_free(p);
    WT_HANDLES_AFTER();
}

MT_TEST(suspend_and_resume_a_child)
{
    WT_HANDLES_BEFORE();
    wchar_t ev[64];
    PROCESS_INFORMATION pi = spawn_sleeper(L"", ev);
    MT_REQUIRE(pi.hProcess != NULL);
    ps_proc *p;
    MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
    int32_t st = PS_STATUS_UNKNOWN;
    MT_CHECK_EQ_INT(ps_proc_status(p, &st), 0);
    MT_CHECK_EQ_INT(st, PS_STATUS_RUNNING);
    MT_CHECK_EQ_INT(ps_proc_suspend(p), 0);
    /* Oracle: the thread's suspend count, which ResumeThread returns (then puts back). */
    DWORD prev = ResumeThread(pi.hThread);
    MT_CHECK(prev != (DWORD)-1 && prev >= 1);
    if (prev != (DWORD)-1 && prev >= 1) SuspendThread(pi.hThread);
    MT_CHECK_EQ_INT(ps_proc_status(p, &st), 0);
    if (st != PS_STATUS_STOPPED) WT_WINE_GAP("a suspended process's threads are not reported Waiting/Suspended");
    MT_CHECK_EQ_INT(ps_proc_resume(p), 0);
    prev = SuspendThread(pi.hThread);
    MT_CHECK_EQ_INT((int)prev, 0);   /* running again: its count was 0 */
    ResumeThread(pi.hThread);
    MT_CHECK_EQ_INT(ps_proc_status(p, &st), 0);
    MT_CHECK_EQ_INT(st, PS_STATUS_RUNNING);
    kill_child(&pi);
    MT_CHECK_EQ_INT(ps_proc_suspend(p), PS_ENOPROC);
    MT_CHECK_EQ_INT(ps_proc_resume(p), PS_ENOPROC);
    ps_proc_free(p);
    WT_HANDLES_AFTER();
}

/* terminate, kill and send_signal(SIGTERM) end a child with psutil's exit code 15; other
 * signals are refused and leave it running. */
MT_TEST(terminate_kill_and_send_signal)
{
    WT_HANDLES_BEFORE();
    for (int how = 0; how < 4; how++) {
        wchar_t ev[64];
        PROCESS_INFORMATION pi = spawn_sleeper(L"", ev);
        MT_REQUIRE(pi.hProcess != NULL);
        ps_proc *p;
        MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
        if (how == 0) {
            MT_CHECK_EQ_INT(ps_proc_send_signal(p, 2), PS_EINVAL);    /* SIGINT */
            MT_CHECK_EQ_INT(ps_proc_send_signal(p, 19), PS_EINVAL);   /* SIGSTOP */
            MT_CHECK_EQ_INT(ps_proc_send_signal(p, -1), PS_EINVAL);
            MT_CHECK_EQ_INT(WaitForSingleObject(pi.hProcess, 200), WAIT_TIMEOUT);
        }
        int rc = how == 0 ? ps_proc_terminate(p) : how == 1 ? ps_proc_kill(p) : ps_proc_send_signal(p, how == 2 ? 15 : 9);
        MT_CHECK_EQ_INT(rc, 0);
        MT_CHECK_EQ_INT(WaitForSingleObject(pi.hProcess, 10000), WAIT_OBJECT_0);
        DWORD code = 0;
        MT_CHECK(GetExitCodeProcess(pi.hProcess, &code));
        MT_CHECK_EQ_INT((int)code, 15);
        ps_wait_result wr;
        MT_CHECK_EQ_INT(ps_proc_wait(p, 5, &wr), 0);
        /* An ended process: every "signal" is PS_ENOPROC. */
        MT_CHECK_EQ_INT(ps_proc_terminate(p), PS_ENOPROC);
        MT_CHECK_EQ_INT(ps_proc_kill(p), PS_ENOPROC);
        MT_CHECK_EQ_INT(ps_proc_send_signal(p, 15), PS_ENOPROC);
        ps_proc_free(p);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
    WT_HANDLES_AFTER();
}

/* CTRL_BREAK_EVENT to a child that leads its own process group on our console: its default
 * handler ends it (exit code STATUS_CONTROL_C_EXIT). Wine may have no console to share. */
MT_TEST(ctrl_break_event_ends_a_child_process_group)
{
    WT_HANDLES_BEFORE();
    PROCESS_INFORMATION pi = spawn_ex(NULL, L"--sleep-child none", CREATE_NEW_PROCESS_GROUP, NULL, NULL);
    MT_REQUIRE(pi.hProcess != NULL);
    Sleep(300);
    ps_proc *p;
    MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
    int rc = ps_proc_send_signal(p, CTRL_BREAK_EVENT);
    if (rc != 0) {
        ps_error_detail d;
        memset(&d, 0, sizeof d);
        ps_error_last(&d);
        WT_WINE_GAP("GenerateConsoleCtrlEvent fails here (%s, error %d)", ps_err_name(rc), (int)d.os_error);
        MT_CHECK(rc == PS_EIO || rc == PS_EACCES);
    } else if (WaitForSingleObject(pi.hProcess, 10000) != WAIT_OBJECT_0) {
        WT_WINE_GAP("a console control event does not reach a child without a console");
    }
    ps_proc_free(p);
    kill_child(&pi);
    WT_HANDLES_AFTER();
}

MT_TEST(null_arguments_and_gone_processes)
{
    WT_HANDLES_BEFORE();
    ps_proc *p;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    MT_CHECK_EQ_INT(ps_proc_threads(p, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_cpu_affinity(p, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_set_cpu_affinity(p, NULL, 1), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_suspend(NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_resume(NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_terminate(NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_kill(NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_send_signal(NULL, 15), PS_EINVAL);
    ps_proc_free(p);
    PROCESS_INFORMATION pi = spawn(L"--exit-child");
    MT_REQUIRE(pi.hProcess != NULL);
    MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    ps_proc_thread_list *tl = NULL;
    MT_CHECK_EQ_INT(ps_proc_threads(p, &tl), PS_ENOPROC);
    MT_CHECK(tl == NULL);
    ps_proc_free(p);
    WT_HANDLES_AFTER();
}

MT_MAIN()
