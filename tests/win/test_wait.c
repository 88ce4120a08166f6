/* SPDX-License-Identifier: MIT */
/* ps_proc_wait / ps_proc_wait_many on Windows (run under wine). Children are this program
 * started again with "--wait-child CODE DELAY_MS": they sleep, then ExitProcess(CODE). The
 * CreateProcess handle (its own wait + GetExitCodeProcess) is the oracle. */
#include <windows.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minitest.h"
#include <psinfo.h>

/* Child mode, before the test runner starts. */
__attribute__((constructor)) static void child_mode(void)
{
    const char *cl = GetCommandLineA();
    const char *m = strstr(cl, "--wait-child ");
    if (!m) return;
    unsigned long code = 0, delay = 0;
    if (sscanf(m + 13, "%lu %lu", &code, &delay) != 2) ExitProcess(1000);
    if (delay == 999999) delay = INFINITE;
    Sleep((DWORD)delay);
    ExitProcess((UINT)code);
}

static PROCESS_INFORMATION spawn(unsigned long code, unsigned long delay_ms)
{
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    char cmd[MAX_PATH + 64];
    snprintf(cmd, sizeof cmd, "\"%s\" --wait-child %lu %lu", self, code, delay_ms);
    STARTUPINFOA si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    PROCESS_INFORMATION pi;
    memset(&pi, 0, sizeof pi);
    /* wine's CreateProcess fails now and then when the machine is loaded (seen once in 70
     * starts): the child is the test's tool, not what it tests, so try again before giving up */
    for (int attempt = 0; attempt < 5; attempt++) {
        if (CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return pi;
        fprintf(stderr, "    CreateProcess failed (error %lu), attempt %d\n", GetLastError(), attempt + 1);
        Sleep(100);
    }
    pi.hProcess = NULL;
    return pi;
}

static void done_with(PROCESS_INFORMATION *pi)
{
    CloseHandle(pi->hThread);
    CloseHandle(pi->hProcess);
}

/* The exit code through the oracle (the CreateProcess handle). */
static DWORD oracle_code(PROCESS_INFORMATION *pi)
{
    WaitForSingleObject(pi->hProcess, INFINITE);
    DWORD c = 0;
    GetExitCodeProcess(pi->hProcess, &c);
    return c;
}

MT_TEST(wait_exit_codes_including_259)
{
    unsigned long codes[] = {0, 5, 259, 0xC0000005ul};
    for (int i = 0; i < 4; i++) {
        PROCESS_INFORMATION pi = spawn(codes[i], 50);
        MT_REQUIRE(pi.hProcess != NULL);
        ps_proc *p;
        MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
        ps_wait_result r;
        MT_CHECK_EQ_INT(ps_proc_wait(p, 30.0, &r), 0);
        DWORD want = oracle_code(&pi);
        MT_CHECK(want == (DWORD)codes[i]);
        MT_CHECK_EQ_INT(r.kind, PS_WAIT_EXITED);
        MT_CHECK((DWORD)r.code == want);
        MT_CHECK_EQ_INT(r.returncode, r.code);
        MT_CHECK_EQ_INT(r.mechanism, PS_WAIT_MECH_WINDOWS);
        MT_CHECK_EQ_INT(r.source, PS_WAIT_SOURCE_EXIT_CODE);
        MT_CHECK_EQ_INT(r.cached, 0);
        MT_CHECK(r.pid == (int64_t)pi.dwProcessId);
        ps_wait_result again;
        MT_CHECK_EQ_INT(ps_proc_wait(p, 0, &again), 0);
        MT_CHECK_EQ_INT(again.cached, 1);
        MT_CHECK(again.code == r.code);
        ps_proc_free(p);
        done_with(&pi);
    }
}

MT_TEST(wait_timeout_then_exit)
{
    PROCESS_INFORMATION pi = spawn(0, 999999);
    MT_REQUIRE(pi.hProcess != NULL);
    ps_proc *p;
    MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
    ps_wait_result r;
    ULONGLONG t0 = GetTickCount64();
    MT_CHECK_EQ_INT(ps_proc_wait(p, 0, &r), PS_ETIMEDOUT);
    MT_CHECK(GetTickCount64() - t0 < 50);
    t0 = GetTickCount64();
    MT_CHECK_EQ_INT(ps_proc_wait(p, 0.2, &r), PS_ETIMEDOUT);
    ULONGLONG dt = GetTickCount64() - t0;
    MT_CHECK(dt >= 180 && dt < 1000); /* GetTickCount64 has ~16 ms resolution */
    MT_CHECK_EQ_INT(ps_proc_wait(p, 0.0005, &r), PS_ETIMEDOUT);
    MT_CHECK_EQ_INT(ps_proc_wait(p, -0.5, &r), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_wait(p, NAN, &r), PS_EINVAL);
    int running = -1;
    MT_CHECK_EQ_INT(ps_proc_is_running(p, &running), 0);
    MT_CHECK_EQ_INT(running, 1);
    TerminateProcess(pi.hProcess, 77);
    MT_CHECK_EQ_INT(ps_proc_wait(p, PS_TIMEOUT_INFINITE, &r), 0);
    MT_CHECK_EQ_INT(r.code, 77);
    MT_CHECK(oracle_code(&pi) == 77);
    MT_CHECK_EQ_INT(ps_proc_is_running(p, &running), 0);
    MT_CHECK_EQ_INT(running, 0);
    ps_proc_free(p);
    done_with(&pi);
}

MT_TEST(wait_huge_timeouts)
{
    double ts[] = {PS_TIMEOUT_INFINITE, INFINITY, 1e10, 4.3e6, 1e300};
    for (int i = 0; i < 5; i++) {
        PROCESS_INFORMATION pi = spawn((unsigned long)(10 + i), 30);
        MT_REQUIRE(pi.hProcess != NULL);
        ps_proc *p;
        MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
        ps_wait_result r;
        MT_CHECK_EQ_INT(ps_proc_wait(p, ts[i], &r), 0);
        MT_CHECK_EQ_INT(r.code, 10 + i);
        ps_proc_free(p);
        done_with(&pi);
    }
}

MT_TEST(wait_already_exited)
{
    PROCESS_INFORMATION pi = spawn(42, 0);
    MT_REQUIRE(pi.hProcess != NULL);
    DWORD want = oracle_code(&pi); /* exited; our handle keeps the PID from being reused */
    ps_proc *p;
    MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
    ps_wait_result r;
    MT_CHECK_EQ_INT(ps_proc_wait(p, 0, &r), 0);
    MT_CHECK_EQ_INT(r.kind, PS_WAIT_EXITED);
    MT_CHECK((DWORD)r.code == want);
    MT_CHECK_EQ_INT(r.code, 42);
    ps_proc_free(p);
    done_with(&pi);
}

MT_TEST(wait_open_errors)
{
    ps_proc *p = NULL;
    /* A PID that does not exist: OpenProcess says ERROR_INVALID_PARAMETER. */
    MT_CHECK_EQ_INT(ps_proc_open(0x7FFFFFF0, &p), PS_ENOPROC);
    MT_CHECK_EQ_INT(ps_proc_open(0, &p), PS_EINVAL);
    /* PID 4 is "System" on Windows: OpenProcess is refused with ERROR_ACCESS_DENIED for
     * SYNCHRONIZE. Wine has no such process; record what it does, and require the mapping of
     * whichever error it gives. */
    HANDLE h = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, 4);
    DWORD err = h ? 0 : GetLastError();
    if (h) CloseHandle(h);
    int rc = ps_proc_open(4, &p);
    MT_LOG("PID 4: OpenProcess error %lu, ps_proc_open %s", (unsigned long)err, ps_err_name(rc));
    if (err == ERROR_ACCESS_DENIED) MT_CHECK_EQ_INT(rc, PS_EACCES);
    else if (err == ERROR_INVALID_PARAMETER) MT_CHECK_EQ_INT(rc, PS_ENOPROC);
    else if (err == 0) {
        MT_CHECK_EQ_INT(rc, 0);
        ps_proc_free(p);
    }
}

/* A process whose DACL grants nothing: OpenProcess(SYNCHRONIZE | QUERY_LIMITED) is refused
 * with ERROR_ACCESS_DENIED (wine enforces this too) → PS_EACCES. */
MT_TEST(wait_open_access_denied)
{
    SECURITY_DESCRIPTOR sd;
    InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION);
    ACL acl;
    InitializeAcl(&acl, sizeof acl, ACL_REVISION);
    SetSecurityDescriptorDacl(&sd, TRUE, &acl, FALSE);
    SECURITY_ATTRIBUTES sa = {sizeof sa, &sd, FALSE};
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    char cmd[MAX_PATH + 64];
    snprintf(cmd, sizeof cmd, "\"%s\" --wait-child 0 999999", self);
    STARTUPINFOA si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    PROCESS_INFORMATION pi;
    MT_REQUIRE(CreateProcessA(NULL, cmd, &sa, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    HANDLE h = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pi.dwProcessId);
    DWORD err = h ? 0 : GetLastError();
    if (h) CloseHandle(h);
    MT_CHECK(err == ERROR_ACCESS_DENIED); /* the oracle */
    ps_proc *p = NULL;
    MT_CHECK_EQ_INT(ps_proc_open((int64_t)pi.dwProcessId, &p), PS_EACCES);
    ps_error_detail d;
    ps_error_last(&d);
    MT_CHECK_EQ_INT(d.os_error, ERROR_ACCESS_DENIED);
    TerminateProcess(pi.hProcess, 0);
    WaitForSingleObject(pi.hProcess, INFINITE);
    done_with(&pi);
}

MT_TEST(wait_many_groups_of_64)
{
    enum { N = 70 };
    PROCESS_INFORMATION pi[N];
    ps_proc *p[N];
    for (int i = 0; i < N; i++) {
        pi[i] = spawn((unsigned long)(i + 1), (unsigned long)(20 + (i * 7) % 200));
        MT_REQUIRE(pi[i].hProcess != NULL);
        MT_REQUIRE(ps_proc_open((int64_t)pi[i].dwProcessId, &p[i]) == 0);
    }
    ps_wait_status st[N];
    size_t nd = 0;
    MT_CHECK_EQ_INT(ps_proc_wait_many(p, N, 60.0, PS_WAIT_ALL, st, &nd), 0);
    MT_CHECK_EQ_INT((int)nd, N);
    for (int i = 0; i < N; i++) {
        MT_CHECK_EQ_INT(st[i].done, 1);
        MT_CHECK_EQ_INT(st[i].result.code, i + 1);
        MT_CHECK(oracle_code(&pi[i]) == (DWORD)(i + 1));
        ps_proc_free(p[i]);
        done_with(&pi[i]);
    }
}

MT_TEST(wait_many_any_and_alive)
{
    PROCESS_INFORMATION a = spawn(3, 999999), b = spawn(4, 100);
    MT_REQUIRE(a.hProcess && b.hProcess);
    ps_proc *p[2];
    MT_REQUIRE(ps_proc_open((int64_t)a.dwProcessId, &p[0]) == 0);
    MT_REQUIRE(ps_proc_open((int64_t)b.dwProcessId, &p[1]) == 0);
    ps_wait_status st[2];
    size_t nd = 9;
    MT_CHECK_EQ_INT(ps_proc_wait_many(p, 2, 10.0, PS_WAIT_ANY, st, &nd), 0);
    MT_CHECK_EQ_INT((int)nd, 1);
    MT_CHECK_EQ_INT(st[0].done, 0);
    MT_CHECK_EQ_INT(st[1].done, 1);
    MT_CHECK_EQ_INT(st[1].result.code, 4);
    MT_CHECK_EQ_INT(ps_proc_wait_many(p, 2, 0.1, PS_WAIT_ALL, st, &nd), 0);
    MT_CHECK_EQ_INT((int)nd, 1);
    MT_CHECK_EQ_INT(ps_proc_wait_many(NULL, 0, 0.1, PS_WAIT_ALL, NULL, &nd), 0);
    MT_CHECK_EQ_INT((int)nd, 0);
    TerminateProcess(a.hProcess, 5);
    MT_CHECK_EQ_INT(ps_proc_wait_many(p, 2, 10.0, PS_WAIT_ALL, st, &nd), 0);
    MT_CHECK_EQ_INT((int)nd, 2);
    MT_CHECK_EQ_INT(st[0].result.code, 5);
    for (int i = 0; i < 2; i++) ps_proc_free(p[i]);
    done_with(&a);
    done_with(&b);
}

/* PS_WAIT_ANY over more than 64 handles (thread-pool waits): returns at the first exit. */
/* Ends child 70 with code 71 from another thread while the test waits on all 80. */
static DWORD WINAPI end_child_later(LPVOID h)
{
    Sleep(200);
    TerminateProcess((HANDLE)h, 71);
    return 0;
}

/* ANY over more handles than one WaitForMultipleObjects takes. Every child sleeps forever; the
 * test ends child 70 itself once the wait has (very likely) started, so no child's own timer
 * races a slow, loaded start of the other 79 (a timed child once exited before the wait and
 * the timing bound failed). Whether child 70 ends before or during the wait, exactly it is done. */
MT_TEST(wait_many_any_over_64)
{
    enum { N = 80 };
    PROCESS_INFORMATION pi[N];
    ps_proc *p[N];
    int started = 0;
    for (; started < N; started++) {
        pi[started] = spawn((unsigned long)(started + 1), 999999);
        if (!pi[started].hProcess) break;
        if (ps_proc_open((int64_t)pi[started].dwProcessId, &p[started]) != 0) {
            TerminateProcess(pi[started].hProcess, 1);
            done_with(&pi[started]);
            break;
        }
    }
    MT_CHECK_EQ_INT(started, N);
    if (started == N) {
        ps_wait_status st[N];
        size_t nd = 0;
        HANDLE t = CreateThread(NULL, 0, end_child_later, pi[70].hProcess, 0, NULL);
        MT_CHECK(t != NULL);
        ULONGLONG t0 = GetTickCount64();
        MT_CHECK_EQ_INT(ps_proc_wait_many(p, N, 60.0, PS_WAIT_ANY, st, &nd), 0);
        ULONGLONG dt = GetTickCount64() - t0;
        MT_LOG("ANY over %d handles returned after %llu ms", N, (unsigned long long)dt);
        MT_CHECK_EQ_INT((int)nd, 1);
        MT_CHECK_EQ_INT(st[70].done, 1);
        MT_CHECK_EQ_INT(st[70].result.code, 71);
        MT_CHECK(dt < 59000);   /* woken by the exit, not by the timeout */
        if (t) {
            WaitForSingleObject(t, INFINITE);
            CloseHandle(t);
        }
    }
    for (int i = 0; i < started; i++) {
        TerminateProcess(pi[i].hProcess, 1);
        WaitForSingleObject(pi[i].hProcess, INFINITE);
        ps_proc_free(p[i]);
        done_with(&pi[i]);
    }
}

MT_MAIN()
