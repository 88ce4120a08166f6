/* SPDX-License-Identifier: MIT */
/* The Windows process handle: OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION). */
#include <stdlib.h>

#include "nt.h"
#include "winproc.h"

static int open_error(int64_t pid, DWORD err)
{
    if (err == ERROR_INVALID_PARAMETER)
        return ps__error(PS_ENOPROC, (int)err, "OpenProcess(%lld): no such process", (long long)pid);
    if (err == ERROR_ACCESS_DENIED)
        return ps__error(PS_EACCES, (int)err, "OpenProcess(%lld): access denied", (long long)pid);
    return ps__error(PS_EIO, (int)err, "OpenProcess(%lld) failed: error %lu", (long long)pid, (unsigned long)err);
}

int ps__bk_proc_open(int64_t pid, ps_proc **out)
{
    if (pid > (int64_t)0xFFFFFFFFu) return ps__error(PS_ENOPROC, 0, "pid %lld out of range", (long long)pid);
    /* PID 0 is the System Idle Process: the core already refuses pid <= 0. */
    HANDLE h = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, (DWORD)pid);
    if (!h) return open_error(pid, GetLastError());
    /* Windows ignores a PID's low two bits (OpenProcess(5) opens process 4): not that PID. */
    if (GetProcessId(h) != (DWORD)pid) {
        CloseHandle(h);
        return ps__error(PS_ENOPROC, 0, "OpenProcess(%lld): no such process", (long long)pid);
    }
    ps_proc *p = calloc(1, sizeof *p);
    if (!p) {
        CloseHandle(h);
        return ps__error(PS_ENOMEM, 0, "ps_proc_open: out of memory");
    }
    p->pid = pid;
    p->h = h;
    *out = p;
    return 0;
}

int ps__bk_proc_open_self(ps_proc **out)
{
    return ps__bk_proc_open((int64_t)GetCurrentProcessId(), out);
}

void ps__bk_proc_free(ps_proc *proc)
{
    CloseHandle(proc->h);
    free(proc);
}

int64_t ps__bk_proc_pid(const ps_proc *proc)
{
    return proc->pid;
}

int ps__bk_proc_is_running(const ps_proc *proc, int *running)
{
    DWORD w = WaitForSingleObject(proc->h, 0);
    if (w == WAIT_FAILED)
        return ps__error(PS_EIO, (int)GetLastError(), "WaitForSingleObject failed");
    *running = w == WAIT_TIMEOUT;
    return 0;
}

int ps__win_gone(ps_proc *p, const char *fn)
{
    DWORD w = WaitForSingleObject(p->h, 0);
    if (w == WAIT_OBJECT_0) return ps__error(PS_ENOPROC, 0, "%s: process %lld has exited", fn, (long long)p->pid);
    if (w == WAIT_FAILED) return ps__error(PS_EIO, (int)GetLastError(), "%s: WaitForSingleObject failed", fn);
    return 0;
}

int ps__win_fail(ps_proc *p, const char *fn, const char *call, DWORD err)
{
    /* psutil re-checks liveness after a failure: a process that ended meanwhile is gone */
    if (WaitForSingleObject(p->h, 0) == WAIT_OBJECT_0)
        return ps__error(PS_ENOPROC, (int)err, "%s: process %lld has exited", fn, (long long)p->pid);
    if (err == ERROR_ACCESS_DENIED || err == ERROR_PRIVILEGE_NOT_HELD)
        return ps__error(PS_EACCES, (int)err, "%s: %s(%lld): access denied", fn, call, (long long)p->pid);
    if (err == ERROR_NOT_ENOUGH_MEMORY || err == ERROR_OUTOFMEMORY)
        return ps__error(PS_ENOMEM, (int)err, "%s: %s: out of memory", fn, call);
    return ps__error(PS_EIO, (int)err, "%s: %s(%lld) failed: error %lu", fn, call, (long long)p->pid,
                     (unsigned long)err);
}

int ps__win_nt_fail(ps_proc *p, const char *fn, const char *call, LONG status)
{
    if (WaitForSingleObject(p->h, 0) == WAIT_OBJECT_0)
        return ps__error(PS_ENOPROC, (int)status, "%s: process %lld has exited", fn, (long long)p->pid);
    ULONG st = (ULONG)status;
    if (st == 0xC0000022u /* STATUS_ACCESS_DENIED */ || st == 0xC0000061u /* PRIVILEGE_NOT_HELD */)
        return ps__error(PS_EACCES, (int)status, "%s: %s(%lld): access denied", fn, call, (long long)p->pid);
    if (st == 0xC0000003u /* INVALID_INFO_CLASS */ || st == 0xC0000002u /* NOT_IMPLEMENTED */)
        return ps__error(PS_ENOTSUP, (int)status, "%s: %s: this system does not implement it (status 0x%08lx)", fn,
                         call, (unsigned long)st);
    if (st == 0xC0000017u /* NO_MEMORY */) return ps__error(PS_ENOMEM, (int)status, "%s: %s: out of memory", fn, call);
    return ps__error(PS_EIO, (int)status, "%s: %s(%lld) failed: status 0x%08lx", fn, call, (long long)p->pid,
                     (unsigned long)st);
}

HANDLE ps__win_reopen(ps_proc *p, DWORD access, const char *fn, int *rc)
{
    HANDLE h = OpenProcess(access, FALSE, (DWORD)p->pid);
    if (!h) *rc = ps__win_fail(p, fn, "OpenProcess", GetLastError());
    return h;
}
