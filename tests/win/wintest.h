/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the Windows test programs (header only; include after minitest.h).
 *
 * Children are the test program started again in a child mode, chosen by a word on its
 * command line, before the test runner starts:
 *   --exit-child                 exits at once
 *   --sleep-child EVENT [rest]   sets the named event (fully started), then sleeps 60 s; with
 *                                "--hold-events N" in rest it first creates N events and keeps
 *                                them open (N more handles than a plain sleeper)
 * Oracles that do not go through the library: utf8() (the OS converter), now_unix() (the
 * system clock), handle_count() (every handle value probed with GetHandleInformation: wine's
 * GetProcessHandleCount answers 0).
 */
#ifndef PS_WINTEST_H
#define PS_WINTEST_H

#include <windows.h>
#include <shellapi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <psinfo.h>

/* Sets the named event a parent waits on (a child's "I am fully started"). */
__attribute__((unused)) static void wt_set_named_event(const wchar_t *name)
{
    HANDLE ev = OpenEventW(EVENT_MODIFY_STATE, FALSE, name);
    if (ev) {
        SetEvent(ev);
        CloseHandle(ev);
    }
}

__attribute__((constructor)) static void wt_child_mode(void)
{
    const wchar_t *cl = GetCommandLineW();
    if (wcsstr(cl, L"--exit-child")) ExitProcess(0);
    if (wcsstr(cl, L"--sleep-child")) {
        /* argv[2] names the event that tells the parent this process is fully started (under
         * wine the child itself fills in its PEB's command line during startup). */
        int argc = 0;
        wchar_t **argv = CommandLineToArgvW(cl, &argc);
        for (int i = 3; argv && i + 1 < argc; i++)
            if (wcscmp(argv[i], L"--hold-events") == 0)
                for (long k = wcstol(argv[i + 1], NULL, 10); k > 0; k--) CreateEventW(NULL, TRUE, FALSE, NULL);
        if (argv && argc > 2) wt_set_named_event(argv[2]);
        Sleep(60000);
        ExitProcess(1);
    }
}

/* rc == 0, logging the library's error detail when it is not. */
__attribute__((unused)) static int ok(int rc)
{
    if (rc) {
        ps_error_detail d;
        ps_error_last(&d);
        MT_LOG("rc %d: %s (os error %d)", rc, d.message, d.os_error);
    }
    return rc == 0;
}

/* The number after "key" at the start of a line of a host /proc file (Z:\proc\...), or -1:
 * wine runs on the host, so its /proc is an oracle that does not go through wine. */
__attribute__((unused)) static double host_value(const char *file, const char *key)
{
    FILE *f = fopen(file, "r");
    if (!f) return -1;
    char line[512];
    double v = -1;
    size_t kl = strlen(key);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, kl) == 0) {
            v = strtod(line + kl, NULL);
            break;
        }
    fclose(f);
    return v;
}

/* UTF-8 of a valid UTF-16 string with the OS converter (independent of the library's decoder). */
__attribute__((unused)) static char *utf8(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s = malloc((size_t)n);
    WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
    return s;
}

/* Start exe (NULL: this program) as "\"exe\" args" with CreateProcessW flags, in cwd (NULL:
 * ours) with env (NULL: ours; else a UTF-16 block). pi.hProcess NULL on failure. */
__attribute__((unused)) static PROCESS_INFORMATION spawn_ex(const wchar_t *exe, const wchar_t *args, DWORD flags,
                                                            const wchar_t *cwd, void *env)
{
    wchar_t self[MAX_PATH];
    if (!exe) {
        GetModuleFileNameW(NULL, self, MAX_PATH);
        exe = self;
    }
    wchar_t cmd[2 * MAX_PATH + 1024];
    _snwprintf(cmd, sizeof cmd / sizeof cmd[0], L"\"%ls\" %ls", exe, args);
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    PROCESS_INFORMATION pi;
    memset(&pi, 0, sizeof pi);
    if (env) flags |= CREATE_UNICODE_ENVIRONMENT;
    if (!CreateProcessW(exe, cmd, NULL, NULL, FALSE, flags, env, cwd, &si, &pi)) pi.hProcess = NULL;
    return pi;
}

__attribute__((unused)) static PROCESS_INFORMATION spawn(const wchar_t *args)
{
    return spawn_ex(NULL, args, 0, NULL, NULL);
}

__attribute__((unused)) static void kill_child(PROCESS_INFORMATION *pi)
{
    TerminateProcess(pi->hProcess, 0);
    WaitForSingleObject(pi->hProcess, INFINITE);
    CloseHandle(pi->hThread);
    CloseHandle(pi->hProcess);
}

/* A sleeping child "exe --sleep-child EVENT rest", returned once it has started (it sets EVENT,
 * whose name is left in evname). */
__attribute__((unused)) static PROCESS_INFORMATION spawn_sleeper_ex(const wchar_t *exe, const wchar_t *rest,
                                                                    const wchar_t *cwd, void *env,
                                                                    wchar_t evname[64])
{
    static volatile LONG counter;
    _snwprintf(evname, 64, L"psinfo_wt_%lu_%ld", (unsigned long)GetCurrentProcessId(),
               (long)InterlockedIncrement(&counter));
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, evname);
    wchar_t args[1024];
    _snwprintf(args, sizeof args / sizeof args[0], L"--sleep-child %ls %ls", evname, rest);
    PROCESS_INFORMATION pi = spawn_ex(exe, args, 0, cwd, env);
    if (pi.hProcess) {
        HANDLE hs[2] = {ev, pi.hProcess};
        if (WaitForMultipleObjects(2, hs, FALSE, 30000) != WAIT_OBJECT_0) {
            kill_child(&pi);
            pi.hProcess = NULL;
        }
    }
    CloseHandle(ev);
    return pi;
}

__attribute__((unused)) static PROCESS_INFORMATION spawn_sleeper(const wchar_t *rest, wchar_t evname[64])
{
    return spawn_sleeper_ex(NULL, rest, NULL, NULL, evname);
}

__attribute__((unused)) static double now_unix(void)
{
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    return (double)(t - UINT64_C(116444736000000000)) / 1e7;
}

/* The number of open handles of this process, probing every handle value below 1 << 16 (a
 * test program holds a few dozen; each probe is a wine server call). */
__attribute__((unused)) static int handle_count(void)
{
    int n = 0;
    for (ULONG_PTR v = 4; v < ((ULONG_PTR)1 << 16); v += 4) {
        DWORD f;
        if (GetHandleInformation((HANDLE)v, &f)) n++;
    }
    return n;
}

/* Some handles are created once per process and kept: wine's on the first OpenProcess, the first
 * child, the first named object (\BaseNamedObjects), and winpthread's on the first thread-local
 * error record of the library. Make each once before the first count, so a count measures the
 * code under test. */
__attribute__((unused)) static void wt_warm_up(void)
{
    static int done;
    if (done) return;
    done = 1;
    HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentProcessId());
    if (h) CloseHandle(h);
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, L"psinfo_wt_warm_up");
    if (ev) CloseHandle(ev);
    ps_proc *p = NULL;
    if (ps_proc_open(INT64_C(0x100000000), &p) == 0) ps_proc_free(p);
    PROCESS_INFORMATION pi = spawn(L"--exit-child");
    if (pi.hProcess) {
        WaitForSingleObject(pi.hProcess, 30000);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
}

/* Wrap a test body: the handle count must be the same after it. */
#define WT_HANDLES_BEFORE() int wt_handles0_ = (wt_warm_up(), handle_count())
#define WT_HANDLES_AFTER()                                                               \
    do {                                                                                 \
        int wt_handles1_ = handle_count();                                               \
        if (wt_handles1_ != wt_handles0_) MT_LOG("handles %d -> %d", wt_handles0_, wt_handles1_); \
        MT_CHECK_EQ_INT(wt_handles1_, wt_handles0_);                                     \
    } while (0)

/* A gap of wine's (Windows has the call or the data; wine answers nothing useful): printed and
 * counted, so a run says which checks it could not make. */
static int wt_wine_gaps;
#define WT_WINE_GAP(...)                                                                 \
    do {                                                                                 \
        wt_wine_gaps++;                                                                  \
        printf("    wine gap (check skipped): ");                                        \
        printf(__VA_ARGS__);                                                             \
        printf("\n");                                                                    \
    } while (0)

__attribute__((destructor)) static void wt_report_gaps(void)
{
    printf("wine gaps skipped: %d\n", wt_wine_gaps);
}

#endif /* PS_WINTEST_H */
