/* SPDX-License-Identifier: MIT */
/* Windows back end: the process handle, and the error rules every getter shares. */
#ifndef PS_WINPROC_H
#define PS_WINPROC_H

#include <windows.h>

#include "../wait_internal.h"

/*
 * The Windows process handle: an OpenProcess handle with SYNCHRONIZE |
 * PROCESS_QUERY_LIMITED_INFORMATION. Holding it pins the PID (Windows does not reuse a PID while
 * a handle to the process is open), so the handle always names the process it was opened on.
 */
struct ps_proc {
    int64_t pid;
    HANDLE h;
    ps__wait_cache wait;
};

/* PS_ENOPROC once the pinned process has exited (its object outlives it while p->h is open,
 * so the APIs alone would still answer), else 0. */
int ps__win_gone(ps_proc *p, const char *fn);
/* A failed Win32 call as a code: PS_ENOPROC if the process has exited meanwhile; PS_EACCES for
 * ERROR_ACCESS_DENIED, ERROR_PRIVILEGE_NOT_HELD; PS_ENOMEM; else PS_EIO. */
int ps__win_fail(ps_proc *p, const char *fn, const char *call, DWORD err);
/* A failed NT call (NTSTATUS) as a code, as ps__win_fail; STATUS_INVALID_INFO_CLASS and
 * STATUS_NOT_IMPLEMENTED (a class this Windows, or wine, lacks) are PS_ENOTSUP. */
int ps__win_nt_fail(ps_proc *p, const char *fn, const char *call, LONG status);
/* A second handle with more rights, opened by the PID that p->h pins (so it names the same
 * process). NULL on failure, with *rc set. */
HANDLE ps__win_reopen(ps_proc *p, DWORD access, const char *fn, int *rc);

/* The PEB strings (src/windows/proc_peb.c): a malloc'd copy of the target's UTF-16 string,
 * NUL-terminated, *units long. */
enum { PS__PEB_CMDLINE = 0, PS__PEB_CWD = 1, PS__PEB_ENVIRON = 2 };
int ps__win_peb_read(ps_proc *p, int what, const char *fn, WCHAR **out, size_t *units);

/* psutil's convert_dos_path (src/windows/proc_maps.c): a native path (\Device\HarddiskVolumeN\x,
 * \??\C:\x, \Device\Mup\srv\sh\x) as a DOS path, through the device names of A: .. Z:
 * (QueryDosDeviceW), read once by ps__win_dos_map_load for a whole listing. */
typedef struct ps__win_dos_map {
    WCHAR dev[26][MAX_PATH];
    int have[26];
} ps__win_dos_map;
void ps__win_dos_map_load(ps__win_dos_map *m);
int ps__win_dos_path(const ps__win_dos_map *m, const WCHAR *p, size_t n, ps__nstr *out);

#endif /* PS_WINPROC_H */
