/* SPDX-License-Identifier: MIT */
/*
 * Windows back end: threads (from the process-table snapshot, as psutil, plus the thread's
 * description where the system has GetThreadDescription), CPU affinity, and psutil's
 * "signals": suspend/resume (NtSuspendProcess/NtResumeProcess), terminate/kill
 * (TerminateProcess) and the console control events.
 */
#include <stdlib.h>
#include <string.h>

#include "nt.h"
#include "winproc.h"

/* ---- threads ---------------------------------------------------------------------------- */

typedef HRESULT(WINAPI *ps__gtd_fn)(HANDLE, PWSTR *);

/* GetThreadDescription (Windows 10 1607+; kernel32, or KernelBase before 10 1703): looked up at
 * run time so the library loads where it is missing. */
static ps__gtd_fn thread_description_fn(void)
{
    static volatile LONG state;   /* 0 unknown, 1 looked up */
    static ps__gtd_fn fn;
    if (InterlockedCompareExchange(&state, 0, 0) == 0) {
        FARPROC fp = NULL;
        HMODULE k = GetModuleHandleW(L"kernel32.dll");
        if (k) fp = GetProcAddress(k, "GetThreadDescription");
        if (!fp && (k = GetModuleHandleW(L"kernelbase.dll"))) fp = GetProcAddress(k, "GetThreadDescription");
        ps__gtd_fn f = NULL;
        if (fp) memcpy(&f, &fp, sizeof f);
        fn = f;
        InterlockedExchange(&state, 1);
    }
    return fn;
}

/* The description of thread tid: NULL data when the system has no such call or the thread
 * cannot be opened (gone, denied); an empty string for a thread nobody named. */
static int thread_name(DWORD tid, ps__nstr *out)
{
    out->data = NULL;
    out->len = 0;
    ps__gtd_fn gtd = thread_description_fn();
    if (!gtd) return 0;
    HANDLE t = OpenThread(THREAD_QUERY_LIMITED_INFORMATION, FALSE, tid);
    if (!t) return 0;
    PWSTR w = NULL;
    HRESULT hr = gtd(t, &w);
    CloseHandle(t);
    if (FAILED(hr) || !w) return 0;
    size_t n = wcslen(w);
    uint16_t *d = malloc((n ? n : 1) * sizeof *d);
    if (d && n) memcpy(d, w, n * sizeof *d);
    LocalFree(w);
    if (!d) return ps__error(PS_ENOMEM, 0, "ps_proc_threads: out of memory");
    out->data = d;
    out->len = n;
    return 0;
}

static int by_id(const void *a, const void *b)
{
    const ps__bk_thread *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* psutil: the snapshot's threads (ClientId.UniqueThread, UserTime, KernelTime), one call for
 * all, no per-thread handle for the times (#2919). */
int ps__bk_proc_threads(ps_proc *p, ps__bk_thread **items, size_t *count)
{
    const char *fn = "ps_proc_threads";
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    ps__nt_snapshot s;
    rc = ps__nt_snapshot_take(&s, fn);
    if (rc) return rc;
    const ps__nt_process *e = ps__nt_snapshot_find(&s, p->pid);
    if (!e) {
        ps__nt_snapshot_dispose(&s);
        return ps__error(PS_ENOPROC, 0, "%s: process %lld is not in the process table", fn, (long long)p->pid);
    }
    size_t n = e->NumberOfThreads;
    /* never read past what the call wrote */
    size_t room = (size_t)(((const unsigned char *)s.buf + s.len) - (const unsigned char *)ps__nt_threads(e));
    if (n > room / sizeof(ps__nt_thread)) n = room / sizeof(ps__nt_thread);
    ps__bk_thread *v = calloc(n ? n : 1, sizeof *v);
    if (!v) {
        ps__nt_snapshot_dispose(&s);
        return ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
    }
    const ps__nt_thread *t = ps__nt_threads(e);
    for (size_t i = 0; i < n; i++) {
        v[i].id = (int64_t)(uintptr_t)t[i].UniqueThread;
        v[i].user_time = ps__nt_seconds((uint64_t)t[i].UserTime.QuadPart);
        v[i].system_time = ps__nt_seconds((uint64_t)t[i].KernelTime.QuadPart);
    }
    ps__nt_snapshot_dispose(&s);
    for (size_t i = 0; i < n && !rc; i++) rc = thread_name((DWORD)v[i].id, &v[i].name);
    if (!rc) rc = ps__win_gone(p, fn);
    if (rc) {
        ps__bk_thread_free(v, n);
        return rc;
    }
    qsort(v, n, sizeof *v, by_id);
    *items = v;
    *count = n;
    return 0;
}

/* ---- CPU affinity ------------------------------------------------------------------------ */

/* psutil: GetProcessAffinityMask, bits 0-63 (one processor group). */
int ps__bk_proc_cpu_affinity(ps_proc *p, int32_t **cpus, size_t *count)
{
    const char *fn = "ps_proc_cpu_affinity";
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    DWORD_PTR mine = 0, sys = 0;
    if (!GetProcessAffinityMask(p->h, &mine, &sys)) return ps__win_fail(p, fn, "GetProcessAffinityMask", GetLastError());
    int32_t *v = malloc(sizeof(DWORD_PTR) * 8 * sizeof *v);
    if (!v) return ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
    size_t n = 0;
    for (unsigned i = 0; i < sizeof(DWORD_PTR) * 8; i++)
        if (mine & ((DWORD_PTR)1 << i)) v[n++] = (int32_t)i;
    *cpus = v;
    *count = n;
    return 0;
}

/* psutil checks every CPU against the CPUs the system has before SetProcessAffinityMask (whose
 * ERROR_INVALID_PARAMETER is unreliable); here against the system's affinity mask. count 0 is
 * every CPU (psutil's cpu_affinity([])). */
int ps__bk_proc_set_cpu_affinity(ps_proc *p, const int32_t *cpus, size_t count)
{
    const char *fn = "ps_proc_set_cpu_affinity";
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    DWORD_PTR mine = 0, sys = 0;
    if (!GetProcessAffinityMask(p->h, &mine, &sys)) return ps__win_fail(p, fn, "GetProcessAffinityMask", GetLastError());
    DWORD_PTR want = count ? 0 : sys;
    for (size_t i = 0; i < count; i++) {
        if (cpus[i] < 0 || cpus[i] >= (int32_t)(sizeof(DWORD_PTR) * 8) || !(sys & ((DWORD_PTR)1 << cpus[i])))
            return ps__error(PS_EINVAL, 0, "%s: invalid CPU %ld", fn, (long)cpus[i]);
        want |= (DWORD_PTR)1 << cpus[i];
    }
    HANDLE h = ps__win_reopen(p, PROCESS_SET_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION, fn, &rc);
    if (!h) return rc;
    BOOL ok = SetProcessAffinityMask(h, want);
    DWORD err = ok ? 0 : GetLastError();
    CloseHandle(h);
    if (!ok) return err == ERROR_INVALID_PARAMETER ? ps__error(PS_EINVAL, (int)err, "%s: the system refused the mask", fn)
                                                   : ps__win_fail(p, fn, "SetProcessAffinityMask", err);
    return 0;
}

/* ---- signals ----------------------------------------------------------------------------- */

typedef ps__ntstatus(NTAPI *ps__nsr_fn)(HANDLE);

static int suspend_resume(ps_proc *p, int resume)
{
    const char *fn = resume ? "ps_proc_resume" : "ps_proc_suspend";
    const char *call = resume ? "NtResumeProcess" : "NtSuspendProcess";
    FARPROC fp = ps__nt_proc(call);
    if (!fp) return ps__error(PS_ENOTSUP, 0, "%s: ntdll has no %s", fn, call);
    ps__nsr_fn f;
    memcpy(&f, &fp, sizeof f);
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    HANDLE h = ps__win_reopen(p, PROCESS_SUSPEND_RESUME | PROCESS_QUERY_LIMITED_INFORMATION, fn, &rc);
    if (!h) return rc;
    ps__ntstatus st = f(h);
    CloseHandle(h);
    if (!PS__NT_SUCCESS(st)) return ps__win_nt_fail(p, fn, call, st);
    return 0;
}

/* psutil: TerminateProcess(h, SIGTERM), the exit code 15 for terminate and kill alike. Access
 * denied from a process that is already ending is success (#1099). */
static int terminate(ps_proc *p, const char *fn)
{
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    HANDLE h = ps__win_reopen(p, PROCESS_TERMINATE | PROCESS_QUERY_LIMITED_INFORMATION, fn, &rc);
    if (!h) return rc;
    BOOL ok = TerminateProcess(h, 15);
    DWORD err = ok ? 0 : GetLastError();
    CloseHandle(h);
    if (ok) return 0;
    if (err == ERROR_ACCESS_DENIED && WaitForSingleObject(p->h, 0) == WAIT_OBJECT_0) return 0;
    return ps__win_fail(p, fn, "TerminateProcess", err);
}

/* psutil's send_signal: SIGTERM ends the process; CTRL_C_EVENT (0) and CTRL_BREAK_EVENT (1) go
 * to its console process group (GenerateConsoleCtrlEvent, as CPython's os.kill); every other
 * signal is refused (ValueError). SIGKILL (9) ends it too, for POSIX callers. */
static int send_signal(ps_proc *p, int32_t sig)
{
    const char *fn = "ps_proc_send_signal";
    if (sig == 15 || sig == 9) return terminate(p, fn);
    if (sig != CTRL_C_EVENT && sig != CTRL_BREAK_EVENT)
        return ps__error(PS_EINVAL, 0, "%s: only SIGTERM, CTRL_C_EVENT and CTRL_BREAK_EVENT on Windows (got %ld)", fn,
                         (long)sig);
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    if (!GenerateConsoleCtrlEvent((DWORD)sig, (DWORD)p->pid))
        return ps__win_fail(p, fn, "GenerateConsoleCtrlEvent", GetLastError());
    return 0;
}

int ps__bk_proc_signal(ps_proc *p, int op, int32_t sig)
{
    switch (op) {
    case PS__SIG_SUSPEND: return suspend_resume(p, 0);
    case PS__SIG_RESUME: return suspend_resume(p, 1);
    case PS__SIG_TERMINATE: return terminate(p, "ps_proc_terminate");
    case PS__SIG_KILL: return terminate(p, "ps_proc_kill");
    default: return send_signal(p, sig);
    }
}
