/* SPDX-License-Identifier: MIT */
/* Windows back end: username (the token's SID as DOMAIN\user) and nice (priority classes). */
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "../backend.h"
#include "winproc.h"

static int exited_or(ps_proc *p, const char *fn, const char *call, DWORD err)
{
    if (WaitForSingleObject(p->h, 0) == WAIT_OBJECT_0)
        return ps__error(PS_ENOPROC, (int)err, "%s: process %lld has exited", fn, (long long)p->pid);
    if (err == ERROR_ACCESS_DENIED || err == ERROR_PRIVILEGE_NOT_HELD || err == ERROR_NONE_MAPPED)
        return ps__error(PS_EACCES, (int)err, "%s: %s(%lld): access denied", fn, call, (long long)p->pid);
    return ps__error(PS_EIO, (int)err, "%s: %s(%lld) failed: error %lu", fn, call, (long long)p->pid,
                     (unsigned long)err);
}

/* The process object outlives the process while a handle is open: gone is PS_ENOPROC. */
static int gone(ps_proc *p, const char *fn)
{
    if (WaitForSingleObject(p->h, 0) != WAIT_OBJECT_0) return 0;
    return ps__error(PS_ENOPROC, 0, "%s: process %lld has exited", fn, (long long)p->pid);
}

/* psutil: OpenProcessToken(TOKEN_QUERY), GetTokenInformation(TokenUser), LookupAccountSidW;
 * ERROR_NONE_MAPPED is AccessDenied. */
int ps__bk_proc_username(ps_proc *p, ps__nstr *out)
{
    const char *fn = "ps_proc_username";
    int rc = gone(p, fn);
    if (rc) return rc;
    HANDLE tok;
    if (!OpenProcessToken(p->h, TOKEN_QUERY, &tok)) return exited_or(p, fn, "OpenProcessToken", GetLastError());
    DWORD len = 0;
    GetTokenInformation(tok, TokenUser, NULL, 0, &len);
    TOKEN_USER *tu = len ? malloc(len) : NULL;
    DWORD err = 0;
    if (!tu || !GetTokenInformation(tok, TokenUser, tu, len, &len)) err = tu ? GetLastError() : ERROR_OUTOFMEMORY;
    CloseHandle(tok);
    WCHAR name[256], dom[256];
    DWORD nn = 256, dn = 256;
    SID_NAME_USE use;
    if (!err && !LookupAccountSidW(NULL, tu->User.Sid, name, &nn, dom, &dn, &use)) err = GetLastError();
    free(tu);
    if (err == ERROR_OUTOFMEMORY) return ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
    if (err) return exited_or(p, fn, "GetTokenInformation/LookupAccountSidW", err);
    uint16_t *d = malloc((dn + 1 + nn) * sizeof *d);
    if (!d) return ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
    memcpy(d, dom, dn * sizeof *d);
    d[dn] = L'\\';
    memcpy(d + dn + 1, name, nn * sizeof *d);
    out->data = d;
    out->len = dn + 1 + nn;
    return 0;
}

/* psutil's nice on Windows is the priority class itself (psutil.*_PRIORITY_CLASS). */
int ps__bk_proc_nice(ps_proc *p, int32_t *out)
{
    int rc = gone(p, "ps_proc_nice");
    if (rc) return rc;
    DWORD c = GetPriorityClass(p->h);
    if (c == 0) return exited_or(p, "ps_proc_nice", "GetPriorityClass", GetLastError());
    *out = (int32_t)c;
    return 0;
}

int ps__bk_proc_set_nice(ps_proc *p, int32_t value)
{
    switch ((DWORD)value) {
    case IDLE_PRIORITY_CLASS:
    case BELOW_NORMAL_PRIORITY_CLASS:
    case NORMAL_PRIORITY_CLASS:
    case ABOVE_NORMAL_PRIORITY_CLASS:
    case HIGH_PRIORITY_CLASS:
    case REALTIME_PRIORITY_CLASS:
        break;
    default:
        return ps__error(PS_EINVAL, 0, "ps_proc_set_nice: %ld is not a priority class", (long)value);
    }
    int rc = gone(p, "ps_proc_set_nice");
    if (rc) return rc;
    /* The pinned PID names the handle's process; setting needs PROCESS_SET_INFORMATION. */
    HANDLE h = OpenProcess(PROCESS_SET_INFORMATION, FALSE, (DWORD)p->pid);
    if (!h) return exited_or(p, "ps_proc_set_nice", "OpenProcess(SET_INFORMATION)", GetLastError());
    BOOL ok = SetPriorityClass(h, (DWORD)value);
    DWORD err = ok ? 0 : GetLastError();
    CloseHandle(h);
    return ok ? 0 : exited_or(p, "ps_proc_set_nice", "SetPriorityClass", err);
}
