/* SPDX-License-Identifier: MIT */
/*
 * Windows back end: the process getters that are real on Windows (name, exe, cmdline, ppid,
 * create_time, cpu_times, memory_info, num_threads). Every other getter is a PS_ENOTSUP stub in
 * src/unsupported/proc_getters.c. Strings are returned as UTF-16 units (ps__nstr); the core
 * decodes them with the one decoder.
 *
 * The handle (winproc.h) pins the PID: Windows does not reuse a PID while a handle to the
 * process is open, so a Toolhelp entry with that PID is this process. Once the process has
 * exited, every getter returns PS_ENOPROC (the process object outlives the process while the
 * handle is open, so the APIs alone would still answer).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <psapi.h>
#include <shellapi.h>
#include <tlhelp32.h>

#include "../backend.h"
#include "winproc.h"
#include "winsys.h"

/* PS_ENOPROC once the pinned process has exited. */
static int check_alive(ps_proc *p, const char *fn)
{
    DWORD w = WaitForSingleObject(p->h, 0);
    if (w == WAIT_OBJECT_0)
        return ps__error(PS_ENOPROC, 0, "%s: process %lld has exited", fn, (long long)p->pid);
    if (w == WAIT_FAILED)
        return ps__error(PS_EIO, (int)GetLastError(), "%s: WaitForSingleObject failed", fn);
    return 0;
}

static int win_error(const char *fn, const char *call, DWORD err, ps_proc *p)
{
    if (err == ERROR_ACCESS_DENIED)
        return ps__error(PS_EACCES, (int)err, "%s: %s(%lld): access denied", fn, call, (long long)p->pid);
    /* A call that fails because the process ended meanwhile is PS_ENOPROC. */
    if (WaitForSingleObject(p->h, 0) == WAIT_OBJECT_0)
        return ps__error(PS_ENOPROC, (int)err, "%s: process %lld has exited", fn, (long long)p->pid);
    if (err == ERROR_NOT_ENOUGH_MEMORY || err == ERROR_OUTOFMEMORY)
        return ps__error(PS_ENOMEM, (int)err, "%s: %s: out of memory", fn, call);
    return ps__error(PS_EIO, (int)err, "%s: %s(%lld) failed: error %lu", fn, call, (long long)p->pid,
                     (unsigned long)err);
}

/* The full image path (QueryFullProcessImageNameW, Win32 form), malloc'd, NUL-terminated;
 * PS_ENOPROC first if the process has exited. */
static int image_path(ps_proc *p, const char *fn, WCHAR **path, DWORD *len)
{
    int rc = check_alive(p, fn);
    if (rc) return rc;
    DWORD cap = MAX_PATH;
    for (;;) {
        WCHAR *buf = malloc(cap * sizeof *buf);
        if (!buf) return ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
        DWORD n = cap;
        if (QueryFullProcessImageNameW(p->h, 0, buf, &n)) {
            *path = buf;
            *len = n;
            return 0;
        }
        DWORD err = GetLastError();
        free(buf);
        if (err == ERROR_INSUFFICIENT_BUFFER && cap < 32768) {
            cap *= 4;
            continue;
        }
        return win_error(fn, "QueryFullProcessImageNameW", err, p);
    }
}

/* This process's Toolhelp entry (PS_ENOPROC if it is not in the snapshot). */
static int toolhelp_entry(ps_proc *p, const char *fn, PROCESSENTRY32W *out)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (snap == INVALID_HANDLE_VALUE)
        return win_error(fn, "CreateToolhelp32Snapshot", GetLastError(), p);
    PROCESSENTRY32W e;
    memset(&e, 0, sizeof e);
    e.dwSize = sizeof e;
    int found = 0;
    if (Process32FirstW(snap, &e)) {
        do {
            if ((int64_t)e.th32ProcessID == p->pid) {
                found = 1;
                break;
            }
            e.dwSize = sizeof e;
        } while (Process32NextW(snap, &e));
    }
    CloseHandle(snap);
    if (!found) return ps__error(PS_ENOPROC, 0, "%s: process %lld is not in the process snapshot", fn, (long long)p->pid);
    *out = e;
    return 0;
}

int ps__bk_proc_exe(ps_proc *p, ps__nstr *out)
{
    WCHAR *path;
    DWORD n;
    int rc = image_path(p, "ps_proc_exe", &path, &n);
    if (rc) return rc;
    out->data = path; /* malloc'd: the holder frees it */
    out->len = n;
    return 0;
}

/* psutil: basename(exe()); on AccessDenied the Toolhelp szExeFile (psutil's proc_name). */
int ps__bk_proc_name(ps_proc *p, ps__nstr *out)
{
    WCHAR *path;
    DWORD n;
    int rc = image_path(p, "ps_proc_name", &path, &n);
    if (rc == 0) {
        DWORD start = 0;
        for (DWORD i = 0; i < n; i++)
            if (path[i] == L'\\' || path[i] == L'/') start = i + 1;
        rc = ps__win_nstr(path + start, n - start, out);
        free(path);
        return rc;
    }
    /* Access denied, or no image path at all (the System process, PID 4): the snapshot's name. */
    if (rc == PS_ENOPROC || rc == PS_ENOMEM) return rc;
    PROCESSENTRY32W e;
    rc = toolhelp_entry(p, "ps_proc_name", &e);
    if (rc) return rc;
    return ps__win_nstr(e.szExeFile, wcsnlen(e.szExeFile, MAX_PATH), out);
}

/* The Toolhelp entry of a process that must still be running (ppid, num_threads). */
static int live_toolhelp_entry(ps_proc *p, const char *fn, PROCESSENTRY32W *out)
{
    int rc = check_alive(p, fn);
    return rc ? rc : toolhelp_entry(p, fn, out);
}

int ps__bk_proc_ppid(ps_proc *p, int64_t *out)
{
    PROCESSENTRY32W e;
    int rc = live_toolhelp_entry(p, "ps_proc_ppid", &e);
    if (rc == 0) *out = (int64_t)e.th32ParentProcessID;
    return rc;
}

int ps__bk_proc_num_threads(ps_proc *p, int64_t *out)
{
    PROCESSENTRY32W e;
    int rc = live_toolhelp_entry(p, "ps_proc_num_threads", &e);
    if (rc == 0) *out = (int64_t)e.cntThreads;
    return rc;
}

static uint64_t ft_u64(FILETIME ft)
{
    return ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}

static int times(ps_proc *p, const char *fn, FILETIME *create, FILETIME *user, FILETIME *kernel)
{
    int rc = check_alive(p, fn);
    if (rc) return rc;
    FILETIME exit_t;
    if (!GetProcessTimes(p->h, create, &exit_t, kernel, user))
        return win_error(fn, "GetProcessTimes", GetLastError(), p);
    return 0;
}

/* FILETIME: 100 ns units since 1601-01-01; 11644473600 s between 1601 and 1970. */
int ps__bk_proc_create_time(ps_proc *p, double *out)
{
    FILETIME c, u, k;
    int rc = times(p, "ps_proc_create_time", &c, &u, &k);
    if (rc) return rc;
    int64_t t = (int64_t)ft_u64(c) - INT64_C(116444736000000000);
    *out = (double)t / 1e7;
    return 0;
}

int ps__bk_proc_cpu_times(ps_proc *p, ps_proc_cputimes *out)
{
    FILETIME c, u, k;
    int rc = times(p, "ps_proc_cpu_times", &c, &u, &k);
    if (rc) return rc;
    out->user = (double)ft_u64(u) / 1e7;
    out->system = (double)ft_u64(k) / 1e7;
    /* Windows keeps no times of waited-for children, and has no iowait: not data. */
    out->children_user = NAN;
    out->children_system = NAN;
    out->iowait = NAN;
    return 0;
}

int ps__bk_proc_memory_info(ps_proc *p, ps_proc_mem *out)
{
    int rc = check_alive(p, "ps_proc_memory_info");
    if (rc) return rc;
    PROCESS_MEMORY_COUNTERS_EX c;
    memset(&c, 0, sizeof c);
    c.cb = sizeof c;
    BOOL ok = GetProcessMemoryInfo(p->h, (PROCESS_MEMORY_COUNTERS *)&c, sizeof c);
    DWORD err = ok ? 0 : GetLastError();
    if (!ok && err == ERROR_ACCESS_DENIED) {
        /* Before Windows 8.1 the limited right is not enough; the PID is pinned by p->h, so a
         * second handle opened by PID names the same process. */
        HANDLE h2 = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, (DWORD)p->pid);
        if (h2) {
            ok = GetProcessMemoryInfo(h2, (PROCESS_MEMORY_COUNTERS *)&c, sizeof c);
            err = ok ? 0 : GetLastError();
            CloseHandle(h2);
        }
    }
    if (!ok) return win_error("ps_proc_memory_info", "GetProcessMemoryInfo", err, p);
    out->rss = (uint64_t)c.WorkingSetSize;
    out->vms = (uint64_t)c.PagefileUsage;
    out->shared = PS_UNKNOWN_U64;
    out->text = PS_UNKNOWN_U64;
    out->data = PS_UNKNOWN_U64;
    out->stack = PS_UNKNOWN_U64;
    out->peak_rss = (uint64_t)c.PeakWorkingSetSize;
    out->peak_vms = (uint64_t)c.PeakPagefileUsage;
    return 0;
}

/* NtQueryInformationProcess(ProcessCommandLineInformation = 60, Windows 8.1+): a
 * UNICODE_STRING followed by its buffer. */
typedef struct {
    USHORT Length, MaximumLength;
    PWSTR Buffer;
} ps__ustr;
typedef LONG(NTAPI *ps__nqip_fn)(HANDLE, int, PVOID, ULONG, PULONG);

/* Before Windows 8.1 (and under wine): RTL_USER_PROCESS_PARAMETERS.CommandLine through the PEB
 * (proc_peb.c). */
static int peb_command_line(ps_proc *p, WCHAR **out)
{
    size_t n;
    return ps__win_peb_read(p, PS__PEB_CMDLINE, "ps_proc_cmdline", out, &n);
}

static int command_line(ps_proc *p, WCHAR **out)
{
    HMODULE nt = GetModuleHandleW(L"ntdll.dll");
    FARPROC fp = nt ? GetProcAddress(nt, "NtQueryInformationProcess") : NULL;
    if (!fp) return ps__error(PS_ENOTSUP, 0, "ps_proc_cmdline: no NtQueryInformationProcess");
    ps__nqip_fn nqip;
    memcpy(&nqip, &fp, sizeof nqip);
    ULONG cap = 4096;
    for (int tries = 0; tries < 4; tries++) {
        unsigned char *buf = malloc(cap);
        if (!buf) return ps__error(PS_ENOMEM, 0, "ps_proc_cmdline: out of memory");
        ULONG need = 0;
        LONG st = nqip(p->h, 60, buf, cap, &need);
        if (st >= 0) {
            ps__ustr u;
            memcpy(&u, buf, sizeof u);
            size_t n = u.Length / sizeof(WCHAR);
            WCHAR *s = malloc((n + 1) * sizeof *s);
            if (!s) {
                free(buf);
                return ps__error(PS_ENOMEM, 0, "ps_proc_cmdline: out of memory");
            }
            if (n) memcpy(s, u.Buffer, n * sizeof *s);
            s[n] = 0;
            free(buf);
            *out = s;
            return 0;
        }
        free(buf);
        /* STATUS_INFO_LENGTH_MISMATCH, STATUS_BUFFER_OVERFLOW, STATUS_BUFFER_TOO_SMALL */
        if ((ULONG)st == 0xC0000004u || (ULONG)st == 0x80000005u || (ULONG)st == 0xC0000023u) {
            cap = need > cap ? need : cap * 2;
            continue;
        }
        if ((ULONG)st == 0xC0000022u)
            return ps__error(PS_EACCES, (int)st, "ps_proc_cmdline: NtQueryInformationProcess(%lld): access denied", (long long)p->pid);
        /* STATUS_INVALID_INFO_CLASS, STATUS_INVALID_PARAMETER, STATUS_NOT_IMPLEMENTED: no
         * ProcessCommandLineInformation (Windows < 8.1, wine) -> read the PEB. */
        if ((ULONG)st == 0xC0000003u || (ULONG)st == 0xC000000Du || (ULONG)st == 0xC0000002u)
            return peb_command_line(p, out);
        if (WaitForSingleObject(p->h, 0) == WAIT_OBJECT_0)
            return ps__error(PS_ENOPROC, (int)st, "ps_proc_cmdline: process %lld has exited", (long long)p->pid);
        return ps__error(PS_EIO, (int)st, "ps_proc_cmdline: NtQueryInformationProcess failed: status 0x%08lx", (unsigned long)st);
    }
    return ps__error(PS_EIO, 0, "ps_proc_cmdline: the command line kept growing");
}

/* The command line split as CommandLineToArgvW splits it (what psutil does); an empty command
 * line is an empty list (CommandLineToArgvW would answer this program's path instead). */
int ps__bk_proc_cmdline(ps_proc *p, ps__nstr *items, size_t *count)
{
    int rc = check_alive(p, "ps_proc_cmdline");
    if (rc) return rc;
    WCHAR *cl = NULL;
    rc = command_line(p, &cl);
    if (rc) return rc;
    if (cl[0] == 0) {
        free(cl);
        items->data = NULL;
        items->len = 0;
        *count = 0;
        return 0;
    }
    int argc = 0;
    LPWSTR *argv = CommandLineToArgvW(cl, &argc);
    free(cl);
    if (!argv) return win_error("ps_proc_cmdline", "CommandLineToArgvW", GetLastError(), p);
    size_t total = 0;
    for (int i = 0; i < argc; i++) total += wcslen(argv[i]) + 1;
    uint16_t *d = malloc((total ? total : 1) * sizeof *d);
    if (!d) {
        LocalFree(argv);
        return ps__error(PS_ENOMEM, 0, "ps_proc_cmdline: out of memory");
    }
    size_t off = 0;
    for (int i = 0; i < argc; i++) {
        size_t n = wcslen(argv[i]) + 1;
        memcpy(d + off, argv[i], n * sizeof *d);
        off += n;
    }
    LocalFree(argv);
    items->data = d;
    items->len = total;
    *count = (size_t)argc;
    return 0;
}
