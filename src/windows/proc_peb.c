/* SPDX-License-Identifier: MIT */
/*
 * Windows back end: strings read from another process's PEB (command line, working directory,
 * environment), as psutil reads them: NtQueryInformationProcess gives the PEB address,
 * ReadProcessMemory follows PEB -> RTL_USER_PROCESS_PARAMETERS -> the string.
 *
 * Layouts (the ones psutil uses): a 64-bit PEB holds ProcessParameters at 0x20; the parameters
 * hold CurrentDirectory.DosPath (UNICODE_STRING) at 0x38, CommandLine at 0x70 and the
 * Environment pointer at 0x80. A 32-bit (WOW64) process has a second, 32-bit PEB whose address
 * ProcessWow64Information gives (wine 8 answers TRUE instead: see wine_peb32): ProcessParameters
 * at 0x10, then 0x24, 0x40 and 0x48, with UNICODE_STRING32 {USHORT Length, MaximumLength;
 * ULONG Buffer}. Tested on a 32-bit child under wine (tests/win/test_proc_wow64.c).
 *
 * A 32-bit build of the library (as psutil on 32-bit Python) reads a 32-bit target's PEB from
 * ProcessBasicInformation with the 32-bit layout; a 64-bit target's it does not read: access
 * denied, as psutil 8, which dropped its path through the undocumented NtWow64* calls. Tested in
 * build-win32 (./dev windows32), docs/windows.md.
 */
#include <stdlib.h>
#include <string.h>

#include "nt.h"
#include "winproc.h"

enum { WOW64_INFO = 26, BASIC_INFO = 0 };

static const struct {
    unsigned params, field[3];   /* PS__PEB_CMDLINE, PS__PEB_CWD, PS__PEB_ENVIRON */
} layout[2] = {
    {0x20, {0x70, 0x38, 0x80}},   /* 64-bit */
    {0x10, {0x40, 0x24, 0x48}},   /* 32-bit: a WOW64 process's PEB32, or any PEB of a 32-bit caller's peer */
};

/* The process being read: its handle, which layout its PEB has, and how its memory is read. */
typedef struct {
    ps_proc *p;
    HANDLE h;
    const char *fn;
    int l32;   /* layout[1] (32-bit) rather than layout[0] */
} peb_target;

/*
 * Exactly n bytes at addr. A partial copy (the process is starting or exiting) is retried as
 * psutil does: 33 tries, waits doubling to 40 ms (about 1 s), then access denied. Returns 0 or
 * a code.
 */
static int read_mem(const peb_target *t, uint64_t addr, void *buf, size_t n)
{
    DWORD wait = 0;
    for (int tries = 0; tries < 33; tries++) {
        SIZE_T got = 0;
        if (ReadProcessMemory(t->h, (LPCVOID)(uintptr_t)addr, buf, n, &got) && got == n) return 0;
        DWORD err = GetLastError();
        if (err != ERROR_PARTIAL_COPY) {
            if (err == ERROR_NOACCESS) err = ERROR_ACCESS_DENIED;   /* psutil: AccessDenied */
            return ps__win_fail(t->p, t->fn, "ReadProcessMemory(PEB)", err);
        }
        Sleep(wait);
        wait = wait ? (wait * 2 > 40 ? 40 : wait * 2) : 1;
    }
    return ps__win_fail(t->p, t->fn, "reading the PEB kept failing with a partial copy", ERROR_ACCESS_DENIED);
}

/* A pointer-sized value of the target's layout (a 32-bit one: its low half, little-endian). */
static int read_ptr(const peb_target *t, uint64_t addr, uint64_t *v)
{
    *v = 0;
    return read_mem(t, addr, v, t->l32 ? 4 : 8);
}

/*
 * Wine 8 and older answer ProcessWow64Information for another process with TRUE (1) instead of
 * the PEB32's address (no valid address lies in the first 64 KiB). Wine keeps a WOW64 process's
 * PEB32 one page after its 64-bit PEB (the one ProcessBasicInformation gives); taken only when
 * both name the same image base (PEB64 +0x10, PEB32 +0x08).
 */
static int wine_peb32(const peb_target *t, uint64_t peb64, uint64_t *peb32)
{
    uint64_t base64 = 0;
    uint32_t base32 = 0;
    int rc = read_mem(t, peb64 + 0x10, &base64, sizeof base64);
    if (!rc) rc = read_mem(t, peb64 + 0x1000 + 0x08, &base32, sizeof base32);
    if (rc) return rc;
    if (!base64 || base64 != base32)
        return ps__error(PS_EIO, 0, "%s: process %lld is WOW64 but its 32-bit PEB was not found", t->fn, (long long)t->p->pid);
    *peb32 = peb64 + 0x1000;
    return 0;
}

/* ProcessBasicInformation's PebBaseAddress: the PEB of the caller's own bitness. */
static int basic_peb(const peb_target *t, ps__nqip_fn nqip, uint64_t *peb)
{
    struct { LONG exit_status; PVOID peb; ULONG_PTR affinity; LONG prio; ULONG_PTR pid, ppid; } pbi;
    memset(&pbi, 0, sizeof pbi);
    ps__ntstatus st = nqip(t->h, BASIC_INFO, &pbi, sizeof pbi, NULL);
    if (!PS__NT_SUCCESS(st)) return ps__win_nt_fail(t->p, t->fn, "NtQueryInformationProcess(ProcessBasicInformation)", st);
    if (!pbi.peb) return ps__error(PS_EACCES, 0, "%s: process %lld has no PEB", t->fn, (long long)t->p->pid);
    *peb = (uint64_t)(uintptr_t)pbi.peb;
    return 0;
}

/* The address of the parameters block; sets the target's layout and reader. */
static int params_address(peb_target *t, uint64_t *params)
{
    FARPROC fp = ps__nt_proc("NtQueryInformationProcess");
    if (!fp) return ps__error(PS_ENOTSUP, 0, "%s: ntdll has no NtQueryInformationProcess", t->fn);
    ps__nqip_fn nqip;
    memcpy(&nqip, &fp, sizeof nqip);
    uint64_t peb = 0;
    int rc = 0;
    if (sizeof(void *) == 4) {
        /* A 32-bit caller: a 32-bit target (WOW64 as we are, or any on 32-bit Windows) has the
         * PEB that ProcessBasicInformation names; a 64-bit one's memory is out of our address
         * range: access denied, as psutil 8. */
        BOOL self_wow = FALSE, its_wow = FALSE;
        if (!IsWow64Process(GetCurrentProcess(), &self_wow) || !IsWow64Process(t->h, &its_wow))
            return ps__win_fail(t->p, t->fn, "IsWow64Process", GetLastError());
        if (self_wow && !its_wow)
            return ps__error(PS_EACCES, 0, "%s: process %lld is 64-bit; a 32-bit library does not read its memory (as psutil 8)",
                             t->fn, (long long)t->p->pid);
        t->l32 = 1;
        rc = basic_peb(t, nqip, &peb);
    } else {
        ULONG_PTR peb32 = 0;
        ps__ntstatus st = nqip(t->h, WOW64_INFO, &peb32, sizeof peb32, NULL);
        if (!PS__NT_SUCCESS(st)) return ps__win_nt_fail(t->p, t->fn, "NtQueryInformationProcess(ProcessWow64Information)", st);
        t->l32 = peb32 != 0;
        peb = peb32;
        if (!t->l32 || peb32 < 0x10000) {
            rc = basic_peb(t, nqip, &peb);
            if (!rc && t->l32) rc = wine_peb32(t, peb, &peb);
        }
    }
    if (rc) return rc;
    return read_ptr(t, peb + layout[t->l32].params, params);
}

/* Where the string is and how many bytes it has (a UNICODE_STRING of either layout). */
static int ustr_at(const peb_target *t, uint64_t at, uint64_t *buf, size_t *bytes)
{
    int rc;
    if (t->l32) {
        struct { uint16_t len, max; uint32_t buf; } u;
        memset(&u, 0, sizeof u);
        rc = read_mem(t, at, &u, sizeof u);
        *buf = u.buf;
        *bytes = u.len;
    } else {
        struct { uint16_t len, max; uint32_t pad; uint64_t buf; } u;
        memset(&u, 0, sizeof u);
        rc = read_mem(t, at, &u, sizeof u);
        *buf = u.buf;
        *bytes = u.len;
    }
    return rc;
}

/* The end of the memory region holding addr (VirtualQueryEx). */
static int region_end(const peb_target *t, uint64_t addr, uint64_t *end)
{
    MEMORY_BASIC_INFORMATION mbi;
    memset(&mbi, 0, sizeof mbi);
    if (!VirtualQueryEx(t->h, (LPCVOID)(uintptr_t)addr, &mbi, sizeof mbi))
        return ps__win_fail(t->p, t->fn, "VirtualQueryEx(environment)", GetLastError());
    *end = (uint64_t)(uintptr_t)mbi.BaseAddress + mbi.RegionSize;
    return 0;
}

/* The environment block has no length: psutil reads to the end of its memory region. */
static int environ_at(const peb_target *t, uint64_t at, uint64_t *buf, size_t *bytes)
{
    uint64_t ptr = 0, end = 0;
    int rc = read_ptr(t, at, &ptr);
    if (rc) return rc;
    if (!ptr) return ps__error(PS_EACCES, 0, "%s: process %lld has no environment block", t->fn, (long long)t->p->pid);
    rc = region_end(t, ptr, &end);
    if (rc) return rc;
    if (end <= ptr) return ps__error(PS_EIO, 0, "%s: the environment block lies outside its region", t->fn);
    uint64_t n = end - ptr;
    /* A block is at most 32767 characters per variable; 64 MiB bounds a broken region size. */
    if (n > ((uint64_t)64 << 20)) n = (uint64_t)64 << 20;
    *buf = ptr;
    *bytes = (size_t)n & ~(size_t)1;
    return 0;
}

int ps__win_peb_read(ps_proc *p, int what, const char *fn, WCHAR **out, size_t *units)
{
    *out = NULL;
    *units = 0;
    int rc = 0;
    peb_target t = {p, NULL, fn, 0};
    t.h = ps__win_reopen(p, PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, fn, &rc);
    if (!t.h) return rc;
    uint64_t params = 0, addr = 0;
    size_t bytes = 0;
    rc = params_address(&t, &params);
    if (!rc && !params) rc = ps__error(PS_EACCES, 0, "%s: process %lld has no process parameters yet", fn, (long long)p->pid);
    if (!rc) {
        uint64_t at = params + layout[t.l32].field[what];
        rc = what == PS__PEB_ENVIRON ? environ_at(&t, at, &addr, &bytes) : ustr_at(&t, at, &addr, &bytes);
    }
    WCHAR *s = NULL;
    if (!rc) {
        s = malloc(bytes + sizeof(WCHAR));
        if (!s) rc = ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
    }
    if (!rc && bytes) {
        if (!addr) rc = ps__error(PS_EACCES, 0, "%s: the string of process %lld has no buffer", fn, (long long)p->pid);
        else rc = read_mem(&t, addr, s, bytes);
    }
    CloseHandle(t.h);
    if (rc) {
        free(s);
        return rc;
    }
    s[bytes / sizeof(WCHAR)] = 0;
    *out = s;
    *units = bytes / sizeof(WCHAR);
    return 0;
}

/* ---- cwd and environ --------------------------------------------------------------------- */

/* psutil: the PEB's CurrentDirectory, normalized (its trailing backslash dropped, a root such as
 * C:\ kept). PIDs 0 and 4 (the kernel's) are access denied. */
int ps__bk_proc_cwd(ps_proc *p, ps__nstr *out)
{
    const char *fn = "ps_proc_cwd";
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    if (p->pid == 4) return ps__error(PS_EACCES, 0, "%s: the System process has no working directory", fn);
    WCHAR *s;
    size_t n;
    rc = ps__win_peb_read(p, PS__PEB_CWD, fn, &s, &n);
    if (rc) return rc;
    if (n > 1 && (s[n - 1] == L'\\' || s[n - 1] == L'/') && s[n - 2] != L':') {
        size_t seps = 0;
        for (size_t i = 0; i < n; i++) seps += s[i] == L'\\';
        /* \\server\share\ is a root too */
        if (!(n > 2 && s[0] == L'\\' && s[1] == L'\\' && seps <= 4)) s[--n] = 0;
    }
    out->data = s;
    out->len = n;
    return 0;
}

/* The environment block up to its empty entry, each variable's name upper-cased as psutil does
 * (str.upper(); here CharUpperBuffW). The core parses it (as psutil's parse_environ_block):
 * entries starting with '=' (the per-drive "=C:=C:\x") are dropped there. PID 4: empty. */
int ps__bk_proc_environ(ps_proc *p, ps__nstr *block)
{
    const char *fn = "ps_proc_environ";
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    WCHAR *s = NULL;
    size_t n = 0;
    if (p->pid == 4) {
        s = calloc(1, sizeof *s);
        if (!s) return ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
    } else {
        rc = ps__win_peb_read(p, PS__PEB_ENVIRON, fn, &s, &n);
        if (rc) return rc;
    }
    size_t pos = 0;
    while (pos < n && s[pos]) {
        size_t end = pos, eq = 0;
        while (end < n && s[end]) {
            if (!eq && end > pos && s[end] == L'=') eq = end;
            end++;
        }
        if (eq && s[pos] != L'=') CharUpperBuffW(s + pos, (DWORD)(eq - pos));
        pos = end + 1;
    }
    /* keep the block up to and including its terminating empty entry */
    block->data = s;
    block->len = pos < n ? pos + 1 : n;
    return 0;
}
