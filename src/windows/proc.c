/* SPDX-License-Identifier: MIT */
/* The Windows process handle: OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION). */
#include <stdlib.h>

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
