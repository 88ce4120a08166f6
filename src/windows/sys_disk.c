/* SPDX-License-Identifier: MIT */
/* Windows back end: disk partitions, usage and I/O counters, logged-in users and the battery,
 * through the calls psutil uses. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>
#include <winioctl.h>
#include <wtsapi32.h>

#include "../list.h"
#include "nt.h"
#include "winsys.h"

int ps__win_nstr(const WCHAR *w, size_t n, ps__nstr *out)
{
    uint16_t *d = malloc((n ? n : 1) * sizeof *d);
    if (!d) return ps__error(PS_ENOMEM, 0, "out of memory");
    if (n) memcpy(d, w, n * sizeof *d);
    out->data = d;
    out->len = n;
    return 0;
}

int ps__win_nstr_ascii(const char *s, ps__nstr *out)
{
    size_t n = strlen(s);
    uint16_t *d = malloc((n ? n : 1) * sizeof *d);
    if (!d) return ps__error(PS_ENOMEM, 0, "out of memory");
    for (size_t i = 0; i < n; i++) d[i] = (unsigned char)s[i];
    out->data = d;
    out->len = n;
    return 0;
}

int ps__win_error_code(DWORD err)
{
    switch (err) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_DRIVE:
    case ERROR_BAD_NETPATH:
    case ERROR_BAD_NET_NAME:
        return PS_ENOENT;
    case ERROR_ACCESS_DENIED:
    case ERROR_PRIVILEGE_NOT_HELD:
        return PS_EACCES;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return PS_ENOMEM;
    case ERROR_NOT_SUPPORTED:
    case ERROR_CALL_NOT_IMPLEMENTED:
        return PS_ENOTSUP;
    default:
        return PS_EIO;
    }
}

/* ---- disk_partitions ---------------------------------------------------------------------- */

static const char *drive_type_name(UINT type)
{
    switch (type) {
    case DRIVE_FIXED: return "fixed";
    case DRIVE_CDROM: return "cdrom";
    case DRIVE_REMOVABLE: return "removable";
    case DRIVE_UNKNOWN: return "unknown";
    case DRIVE_NO_ROOT_DIR: return "unmounted";
    case DRIVE_REMOTE: return "remote";
    case DRIVE_RAMDISK: return "ramdisk";
    default: return "?";
    }
}

typedef struct part_vec {
    ps__bk_partition *items;
    size_t count, cap;
} part_vec;

static int part_add(part_vec *v, const WCHAR *device, const WCHAR *mountpoint, const WCHAR *fstype, const char *opts)
{
    ps__bk_partition *n = ps__grow(v->items, &v->cap, v->count, sizeof *n, 8);
    if (!n) return ps__error(PS_ENOMEM, 0, "disk_partitions: out of memory");
    v->items = n;
    ps__bk_partition *p = &v->items[v->count];   /* zeroed by ps__grow */
    int rc = ps__win_nstr(device, wcslen(device), &p->device);
    if (!rc) rc = ps__win_nstr(mountpoint, wcslen(mountpoint), &p->mountpoint);
    if (!rc) rc = ps__win_nstr(fstype, wcslen(fstype), &p->fstype);
    if (!rc) rc = ps__win_nstr_ascii(opts, &p->opts);
    v->count++;   /* counted even when partly filled: the disposer frees what is there */
    return rc;
}

/* psutil: the drive letters (GetLogicalDriveStringsW) and, on volumes that can hold them, their
 * mount points (FindFirstVolumeMountPointW); all = 0 leaves out unknown, unmounted, remote and
 * RAM drives and the removable A:\ (a floppy: slow). SEM_FAILCRITICALERRORS keeps an empty
 * removable drive from raising a dialog (or hanging a service). */
int ps__bk_disk_partitions(int all, ps__bk_partition **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    WCHAR drives[27 * 4 + 1];
    DWORD n = GetLogicalDriveStringsW((DWORD)(sizeof drives / sizeof *drives - 1), drives);
    if (n == 0 || n >= sizeof drives / sizeof *drives) {
        DWORD err = GetLastError();
        return ps__error(n ? PS_ERANGE : PS_EIO, (int)err, "disk_partitions: GetLogicalDriveStringsW failed: error %lu",
                         (unsigned long)err);
    }
    drives[n] = 0;
    UINT old_mode = SetErrorMode(SEM_FAILCRITICALERRORS);
    part_vec v = {NULL, 0, 0};
    int rc = 0;
    for (const WCHAR *d = drives; *d && rc == 0; d += wcslen(d) + 1) {
        UINT type = GetDriveTypeW(d);
        if (!all) {
            if (type == DRIVE_UNKNOWN || type == DRIVE_NO_ROOT_DIR || type == DRIVE_REMOTE || type == DRIVE_RAMDISK)
                continue;
            if (type == DRIVE_REMOVABLE && wcscmp(d, L"A:\\") == 0) continue;
        }
        WCHAR fstype[MAX_PATH + 1] = {0};
        DWORD flags = 0;
        char opts[64] = "";
        /* A drive that is not ready (error 21: an empty card reader) keeps its name and type,
         * with an empty fstype and no "rw"/"ro" (psutil). */
        if (GetVolumeInformationW(d, NULL, 0, NULL, NULL, &flags, fstype, MAX_PATH + 1)) {
            snprintf(opts, sizeof opts, "%s%s", flags & FILE_READ_ONLY_VOLUME ? "ro" : "rw",
                     flags & FILE_VOLUME_IS_COMPRESSED ? ",compressed" : "");
        } else {
            fstype[0] = 0;
        }
        size_t ol = strlen(opts);
        snprintf(opts + ol, sizeof opts - ol, "%s%s", ol ? "," : "", drive_type_name(type));
        rc = part_add(&v, d, d, fstype, opts);
        if (rc || !(flags & FILE_SUPPORTS_REPARSE_POINTS)) continue;
        /* mount points on this volume: device = the drive, same fstype and options (psutil 8) */
        WCHAR mp[MAX_PATH + 1];
        HANDLE h = FindFirstVolumeMountPointW(d, mp, MAX_PATH + 1);
        if (h == INVALID_HANDLE_VALUE) continue;
        do {
            WCHAR full[2 * MAX_PATH + 8];
            if (wcslen(d) + wcslen(mp) < sizeof full / sizeof *full) {
                wcscpy(full, d);
                wcscat(full, mp);
                rc = part_add(&v, d, full, fstype, opts);
            }
        } while (rc == 0 && FindNextVolumeMountPointW(h, mp, MAX_PATH + 1));
        FindVolumeMountPointClose(h);
    }
    SetErrorMode(old_mode);
    if (rc) {
        ps__bk_partitions_dispose(v.items, v.count);
        return rc;
    }
    *items = v.items;
    *count = v.count;
    return 0;
}

/* ---- disk_usage ------------------------------------------------------------------------------- */

/* UTF-8 (what ps_fsencode gives on Windows) -> a malloc'd UTF-16 string. */
static int to_wide(const char *s, WCHAR **out)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
    if (n <= 0) return ps__error(PS_EINVAL, (int)GetLastError(), "disk_usage: the path is not valid UTF-8");
    WCHAR *w = malloc((size_t)n * sizeof *w);
    if (!w) return ps__error(PS_ENOMEM, 0, "disk_usage: out of memory");
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n);
    *out = w;
    return 0;
}

/* psutil 8: GetDiskFreeSpaceExW; total, free = all free bytes (not the caller's quota), used =
 * total - free. A file's path is answered for its directory. */
int ps__bk_disk_usage(const char *path, ps_diskusage *out)
{
    WCHAR *w = NULL;
    int rc = to_wide(path, &w);
    if (rc) return rc;
    ULARGE_INTEGER avail, total, tfree;
    BOOL ok = GetDiskFreeSpaceExW(w, &avail, &total, &tfree);
    DWORD err = ok ? 0 : GetLastError();
    if (!ok) {
        DWORD attr = GetFileAttributesW(w);
        if (attr != INVALID_FILE_ATTRIBUTES && !(attr & FILE_ATTRIBUTE_DIRECTORY)) {
            /* a file: its directory (the path up to the last separator, kept for a root) */
            WCHAR *sep = NULL;
            for (WCHAR *c = w; *c; c++)
                if (*c == L'\\' || *c == L'/') sep = c;
            if (sep) {
                if (sep == w || sep[-1] == L':') sep[1] = 0;
                else sep[0] = 0;
            } else {
                wcscpy(w, L".");
            }
            ok = GetDiskFreeSpaceExW(w, &avail, &total, &tfree);
            if (!ok) err = GetLastError();
        }
    }
    free(w);
    if (!ok)
        return ps__error(ps__win_error_code(err), (int)err, "disk_usage: GetDiskFreeSpaceExW(%s) failed: error %lu", path,
                         (unsigned long)err);
    memset(out, 0, sizeof *out);
    out->total = total.QuadPart;
    out->free = tfree.QuadPart;
    out->used = total.QuadPart >= tfree.QuadPart ? total.QuadPart - tfree.QuadPart : 0;
    return 0;
}

/* ---- disk_io_counters ----------------------------------------------------------------------- */

/* psutil: \\.\PhysicalDrive0..32, IOCTL_DISK_PERFORMANCE each (may need "diskperf -y"). A disk
 * that cannot be opened or does not answer the ioctl (ERROR_INVALID_FUNCTION, NOT_SUPPORTED)
 * is left out. Times: DISK_PERFORMANCE counts 100 ns; ps_diskio wants milliseconds (psutil
 * divides by 1e7, giving seconds under its documented "ms"). No count of merged requests or
 * busy time on Windows: PS_UNKNOWN_U64. */
int ps__bk_diskio_read(ps__bk_diskio **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    ps__bk_diskio *v = calloc(33, sizeof *v);
    if (!v) return ps__error(PS_ENOMEM, 0, "disk_io_counters: out of memory");
    size_t n = 0;
    int rc = 0;
    for (int dev = 0; dev <= 32 && rc == 0; dev++) {
        WCHAR name[40];
        swprintf(name, sizeof name / sizeof *name, L"\\\\.\\PhysicalDrive%d", dev);
        HANDLE h = CreateFileW(name, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        if (h == INVALID_HANDLE_VALUE) continue;
        DISK_PERFORMANCE dp;
        memset(&dp, 0, sizeof dp);
        DWORD got = 0;
        BOOL ok = DeviceIoControl(h, IOCTL_DISK_PERFORMANCE, NULL, 0, &dp, sizeof dp, &got, NULL);
        DWORD err = ok ? 0 : GetLastError();
        CloseHandle(h);
        if (!ok) {
            if (err == ERROR_INVALID_FUNCTION || err == ERROR_NOT_SUPPORTED || err == ERROR_INVALID_PARAMETER) continue;
            rc = ps__error(ps__win_error_code(err), (int)err,
                           "disk_io_counters: DeviceIoControl(PhysicalDrive%d, IOCTL_DISK_PERFORMANCE) failed: error %lu",
                           dev, (unsigned long)err);
            break;
        }
        ps__bk_diskio *d = &v[n];
        memset(d, 0, sizeof *d);
        rc = ps__win_nstr(name + 4, wcslen(name + 4), &d->name);   /* "PhysicalDriveN", psutil's key */
        if (rc) break;
        n++;
        d->counters.read_count = dp.ReadCount;
        d->counters.write_count = dp.WriteCount;
        d->counters.read_bytes = (uint64_t)dp.BytesRead.QuadPart;
        d->counters.write_bytes = (uint64_t)dp.BytesWritten.QuadPart;
        d->counters.read_time = (uint64_t)dp.ReadTime.QuadPart / 10000;
        d->counters.write_time = (uint64_t)dp.WriteTime.QuadPart / 10000;
        d->counters.read_merged_count = d->counters.write_merged_count = PS_UNKNOWN_U64;
        d->counters.busy_time = PS_UNKNOWN_U64;
        d->whole_disk = 1;
    }
    if (rc) {
        for (size_t i = 0; i < n; i++) ps__nstr_dispose(&v[i].name);
        free(v);
        return rc;
    }
    *items = v;
    *count = n;
    return 0;
}

/* ---- users -------------------------------------------------------------------------------- */

typedef BOOL(WINAPI *wts_enum_fn)(HANDLE, DWORD, DWORD, PWTS_SESSION_INFOW *, DWORD *);
typedef BOOL(WINAPI *wts_query_fn)(HANDLE, DWORD, WTS_INFO_CLASS, LPWSTR *, DWORD *);
typedef void(WINAPI *wts_free_fn)(PVOID);

/* psutil: the sessions of WTSEnumerateSessionsW with a user name (WTSUserName longer than the
 * terminator), host = the IPv4 client address (WTSClientAddress), started = WTSSessionInfo's
 * ConnectTime (NaN when the session does not say); no terminal, no host without an IPv4 client
 * address and pid PS_UNKNOWN_I64 (psutil None for the three). wtsapi32 is loaded at run time:
 * Windows editions without it (Nano Server) or without the service answer no users. */
int ps__bk_users(const char *utmp_path, ps__bk_user **items, size_t *count)
{
    (void)utmp_path;
    *items = NULL;
    *count = 0;
    HMODULE m = LoadLibraryExW(L"wtsapi32.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (!m) return 0;
    FARPROC fe = GetProcAddress(m, "WTSEnumerateSessionsW"), fq = GetProcAddress(m, "WTSQuerySessionInformationW"),
            ff = GetProcAddress(m, "WTSFreeMemory");
    if (!fe || !fq || !ff) {
        FreeLibrary(m);
        return 0;
    }
    wts_enum_fn wenum;
    wts_query_fn wquery;
    wts_free_fn wfree;
    memcpy(&wenum, &fe, sizeof fe);
    memcpy(&wquery, &fq, sizeof fq);
    memcpy(&wfree, &ff, sizeof ff);
    WTS_SESSION_INFOW *s = NULL;
    DWORD ns = 0;
    if (!wenum(WTS_CURRENT_SERVER_HANDLE, 0, 1, &s, &ns)) {
        DWORD err = GetLastError();
        FreeLibrary(m);
        if (err == ERROR_CALL_NOT_IMPLEMENTED) return 0;
        return ps__error(ps__win_error_code(err), (int)err, "users: WTSEnumerateSessionsW failed: error %lu",
                         (unsigned long)err);
    }
    ps__bk_user *v = ns ? calloc(ns, sizeof *v) : NULL;
    if (ns && !v) {
        wfree(s);
        FreeLibrary(m);
        return ps__error(PS_ENOMEM, 0, "users: out of memory");
    }
    size_t n = 0;
    int rc = 0;
    for (DWORD i = 0; i < ns && rc == 0; i++) {
        DWORD sid = s[i].SessionId, bytes = 0;
        LPWSTR user = NULL;
        if (!wquery(WTS_CURRENT_SERVER_HANDLE, sid, WTSUserName, &user, &bytes) || !user) continue;
        if (bytes <= 2) {   /* no user in this session (services, listeners) */
            wfree(user);
            continue;
        }
        ps__bk_user *u = &v[n++];
        memset(u, 0, sizeof *u);
        u->pid = PS_UNKNOWN_I64;
        u->started = NAN;
        rc = ps__win_nstr(user, wcslen(user), &u->name);
        wfree(user);
        char host[32] = "";   /* stays empty (none) unless the client address is IPv4 */
        LPWSTR buf = NULL;
        if (!rc && wquery(WTS_CURRENT_SERVER_HANDLE, sid, WTSClientAddress, &buf, &bytes) && buf) {
            const WTS_CLIENT_ADDRESS *a = (const void *)buf;
            if (bytes >= sizeof *a && a->AddressFamily == 2 /* AF_INET */)
                snprintf(host, sizeof host, "%u.%u.%u.%u", a->Address[2], a->Address[3], a->Address[4], a->Address[5]);
            wfree(buf);
        }
        if (!rc && host[0]) rc = ps__win_nstr_ascii(host, &u->host);
        buf = NULL;
        if (!rc && wquery(WTS_CURRENT_SERVER_HANDLE, sid, WTSSessionInfo, &buf, &bytes) && buf) {
            const WTSINFOW *wi = (const void *)buf;
            if (bytes >= sizeof *wi && wi->ConnectTime.QuadPart > 0)
                u->started = ps__nt_epoch((uint64_t)wi->ConnectTime.QuadPart);
            wfree(buf);
        }
    }
    wfree(s);
    FreeLibrary(m);
    if (rc) {
        ps__bk_users_dispose(v, n);
        return rc;
    }
    *items = v;
    *count = n;
    return 0;
}

/* ---- sensors_battery ---------------------------------------------------------------------- */

/* psutil: GetSystemPowerStatus. BatteryFlag bit 128 (also set in 255, "unknown"): no battery.
 * Plugged in (ACLineStatus 1) or charging (flag 8): time left unlimited; BatteryLifeTime
 * (DWORD)-1: unknown. ACLineStatus 255 and BatteryLifePercent 255 are unknown (PS_UNKNOWN_I32
 * and NaN; psutil reports them as False and 255). */
int ps__bk_battery(ps_battery *out)
{
    SYSTEM_POWER_STATUS st;
    if (!GetSystemPowerStatus(&st))
        return ps__error(PS_EIO, (int)GetLastError(), "sensors_battery: GetSystemPowerStatus failed");
    memset(out, 0, sizeof *out);
    if (st.BatteryFlag & 128) {
        out->present = 0;
        return 0;
    }
    out->present = 1;
    out->percent = st.BatteryLifePercent <= 100 ? (double)st.BatteryLifePercent : (double)NAN;
    out->power_plugged = st.ACLineStatus == 1 ? 1 : st.ACLineStatus == 0 ? 0 : PS_UNKNOWN_I32;
    if (st.ACLineStatus == 1 || (st.BatteryFlag & 8)) out->secsleft = PS_POWER_TIME_UNLIMITED;
    else if (st.BatteryLifeTime == (DWORD)-1) out->secsleft = PS_POWER_TIME_UNKNOWN;
    else out->secsleft = (int64_t)st.BatteryLifeTime;
    return 0;
}

/* psutil has no temperatures or fans on Windows (the attributes are absent); no cgroups. */
int ps__bk_temperatures(ps__bk_sensor **items, size_t *count)
{
    (void)items, (void)count;
    return ps__error(PS_ENOTSUP, 0, "sensors_temperatures: not available on Windows (as psutil)");
}
int ps__bk_fans(ps__bk_sensor **items, size_t *count)
{
    (void)items, (void)count;
    return ps__error(PS_ENOTSUP, 0, "sensors_fans: not available on Windows (as psutil)");
}
int ps__bk_cgroup_limits(const ps_proc *proc, int64_t pid, ps_cgroup_limits *out, ps__nstr *path)
{
    (void)proc, (void)pid, (void)out, (void)path;
    return ps__error(PS_ENOTSUP, 0, "cgroup limits: Windows has no cgroups");
}
