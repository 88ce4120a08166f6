/* SPDX-License-Identifier: MIT */
/* Disks, users and the battery on Windows (run under wine). Oracles: a second Win32 family
 * (GetLogicalDrives, QueryDosDeviceW, GetDiskFreeSpaceW, GetUserNameW) and the host (wine's Z:
 * is the host's root; its /sys/class/power_supply). */
#include <windows.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minitest.h"
#include "wintest.h"
#include <psinfo.h>

static const ps_disk_partition *find_mount(const ps_disk_partition_list *l, const char *mp)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].mountpoint, mp) == 0) return &l->items[i];
    return NULL;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

MT_TEST(disk_partitions_are_the_logical_drives)
{
    WT_HANDLES_BEFORE();
    ps_disk_partition_list *all = NULL, *some = NULL;
    MT_REQUIRE(ok(ps_disk_partitions(1, &all)));
    MT_REQUIRE(ok(ps_disk_partitions(0, &some)));
    DWORD mask = GetLogicalDrives();
    MT_LOG("%u partitions (all), %u (not all), GetLogicalDrives 0x%lx", (unsigned)all->count, (unsigned)some->count,
           (unsigned long)mask);
    int letters = 0;
    for (int b = 0; b < 26; b++) {
        if (!(mask & (1u << b))) continue;
        letters++;
        char mp[4] = {(char)('A' + b), ':', '\\', 0};
        const ps_disk_partition *p = find_mount(all, mp);
        MT_CHECK(p != NULL);
        if (!p) continue;
        /* QueryDosDeviceW: the drive is defined */
        WCHAR dev[3] = {(WCHAR)('A' + b), L':', 0}, target[512];
        MT_CHECK(QueryDosDeviceW(dev, target, 512) > 0);
        MT_CHECK_STR_EQ(p->device, mp);
        static const char *const types[] = {"unknown", "unmounted", "removable", "fixed", "remote", "cdrom", "ramdisk"};
        WCHAR root[4] = {(WCHAR)('A' + b), L':', L'\\', 0};
        UINT t = GetDriveTypeW(root);
        MT_CHECK(t < 7 && ends_with(p->opts, types[t]));
        MT_LOG("%s device %s fstype \"%s\" opts \"%s\"", p->mountpoint, p->device, p->fstype, p->opts);
        if (p->fstype[0]) MT_CHECK(strncmp(p->opts, "rw,", 3) == 0 || strncmp(p->opts, "ro,", 3) == 0);
        int excluded = t == DRIVE_UNKNOWN || t == DRIVE_NO_ROOT_DIR || t == DRIVE_REMOTE || t == DRIVE_RAMDISK ||
                       (t == DRIVE_REMOVABLE && b == 0);
        MT_CHECK((find_mount(some, mp) != NULL) == !excluded);
    }
    /* mount points aside, one entry per drive letter */
    size_t letter_entries = 0;
    for (size_t i = 0; i < all->count; i++) letter_entries += strlen(all->items[i].mountpoint) == 3;
    MT_CHECK_EQ_INT(letter_entries, letters);
    /* wine's C: is fixed, with a file system; Z: is the host's root */
    const ps_disk_partition *c = find_mount(some, "C:\\");
    MT_REQUIRE(c != NULL);
    MT_CHECK(c->fstype[0] != 0 && ends_with(c->opts, ",fixed"));
    if (GetFileAttributesW(L"Z:\\proc\\self") != INVALID_FILE_ATTRIBUTES) MT_CHECK(find_mount(all, "Z:\\") != NULL);
    ps_disk_partition_list_free(all);
    ps_disk_partition_list_free(some);
    MT_CHECK_EQ_INT(ps_disk_partitions(0, NULL), PS_EINVAL);
    ps_disk_partition_list *bad = NULL;
    MT_CHECK_EQ_INT(ps_disk_partitions(2, &bad), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_TEST(disk_usage_matches_getdiskfreespacew_for_directories_and_files)
{
    WT_HANDLES_BEFORE();
    ps_diskusage u;
    MT_REQUIRE(ok(ps_disk_usage("C:\\", &u)));
    DWORD spc = 0, bps = 0, nfree = 0, ntotal = 0;
    MT_REQUIRE(GetDiskFreeSpaceW(L"C:\\", &spc, &bps, &nfree, &ntotal));
    double unit = (double)spc * bps;
    MT_LOG("C:\\ total %llu used %llu free %llu (%.1f%%); GetDiskFreeSpaceW total %.0f free %.0f",
           (unsigned long long)u.total, (unsigned long long)u.used, (unsigned long long)u.free, u.percent,
           unit * ntotal, unit * nfree);
    MT_CHECK(u.total > 0 && u.used + u.free == u.total);
    if (ntotal != 0xFFFFFFFFu) {   /* the DWORD cluster count saturates on huge volumes */
        MT_CHECK(fabs((double)u.total - unit * ntotal) < unit);
        /* other processes write meanwhile: 2 % of the volume */
        MT_CHECK(fabs((double)u.free - unit * nfree) < 0.02 * (double)u.total);
    }
    MT_CHECK(fabs(u.percent - 100.0 * (double)u.used / (double)u.total) < 0.051);
    /* a file: its directory's volume (psutil 8) */
    WCHAR self[MAX_PATH];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    char *self8 = utf8(self);
    ps_diskusage f, d;
    MT_REQUIRE(ok(ps_disk_usage(self8, &f)));
    *strrchr(self8, '\\') = 0;
    MT_REQUIRE(ok(ps_disk_usage(self8, &d)));
    MT_LOG("%s: total %llu (its file %llu)", self8, (unsigned long long)d.total, (unsigned long long)f.total);
    MT_CHECK(f.total == d.total);
    free(self8);
    MT_CHECK_EQ_INT(ps_disk_usage("C:\\no\\such\\dir\\here", &u), PS_ENOENT);
    MT_CHECK_EQ_INT(ps_disk_usage(NULL, &u), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_disk_usage("C:\\", NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_TEST(disk_io_counters_per_physical_drive)
{
    WT_HANDLES_BEFORE();
    ps_diskio_list *l = NULL;
    MT_REQUIRE(ok(ps_disk_io_counters_perdisk(&l)));
    /* the oracle: which \\.\PhysicalDriveN open (psutil's probe) */
    int opened = 0;
    for (int i = 0; i <= 32; i++) {
        WCHAR name[40];
        swprintf(name, 40, L"\\\\.\\PhysicalDrive%d", i);
        HANDLE h = CreateFileW(name, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        if (h != INVALID_HANDLE_VALUE) {
            opened++;
            CloseHandle(h);
        }
    }
    MT_LOG("%u disks with counters, %d PhysicalDriveN open", (unsigned)l->count, opened);
    MT_CHECK((int)l->count <= opened);
    for (size_t i = 0; i < l->count; i++) {
        MT_CHECK(strncmp(l->items[i].name, "PhysicalDrive", 13) == 0);
        MT_CHECK(l->items[i].counters.busy_time == PS_UNKNOWN_U64);
    }
    ps_diskio tot;
    int rc = ps_disk_io_counters(&tot);
    if (l->count == 0) {
        MT_CHECK_EQ_INT(rc, PS_ENOENT);   /* no disk: psutil None */
        WT_WINE_GAP(opened ? "PhysicalDriveN opens but IOCTL_DISK_PERFORMANCE is not implemented"
                           : "no \\\\.\\PhysicalDriveN device opens");
    } else {
        MT_CHECK_EQ_INT(rc, 0);
    }
    ps_diskio_list_free(l);
    MT_CHECK_EQ_INT(ps_disk_io_counters_perdisk(NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_disk_io_counters(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_TEST(users_include_this_user_when_sessions_are_listed)
{
    WT_HANDLES_BEFORE();
    ps_user_list *l = NULL;
    MT_REQUIRE(ok(ps_users(&l)));
    WCHAR me[256];
    DWORD n = 256;
    MT_REQUIRE(GetUserNameW(me, &n));
    char *me8 = utf8(me);
    int found = 0;
    for (size_t i = 0; i < l->count; i++) {
        const ps_user *u = &l->items[i];
        MT_LOG("user %s host %s started %.0f", u->name, u->host ? u->host : "(none)", u->started);
        found |= strcmp(u->name, me8) == 0;
        /* psutil None for the three: the absent forms, not "" or 0 */
        MT_CHECK(u->pid == PS_UNKNOWN_I64 && u->terminal == NULL);
        unsigned q[4];
        MT_CHECK(u->host == NULL || sscanf(u->host, "%u.%u.%u.%u", &q[0], &q[1], &q[2], &q[3]) == 4);
        MT_CHECK(isnan(u->started) || (u->started > 1e9 && u->started <= now_unix() + 1));
    }
    if (l->count == 0) WT_WINE_GAP("WTSEnumerateSessionsW lists no session with a user (%s not seen)", me8);
    else MT_CHECK(found);
    free(me8);
    ps_user_list_free(l);
    MT_CHECK_EQ_INT(ps_users(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_TEST(battery_against_the_host_power_supply)
{
    WT_HANDLES_BEFORE();
    ps_battery b;
    MT_REQUIRE(ok(ps_sensors_battery(&b)));
    /* the host's batteries: /sys/class/power_supply/<x>/type "Battery" */
    int host_batteries = 0;
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(L"Z:\\sys\\class\\power_supply\\*", &fd);
    if (h != INVALID_HANDLE_VALUE) {
        do {
            if (fd.cFileName[0] == L'.') continue;
            WCHAR p[MAX_PATH];
            swprintf(p, MAX_PATH, L"Z:\\sys\\class\\power_supply\\%ls\\type", fd.cFileName);
            FILE *f = _wfopen(p, L"r");
            char line[64] = "";
            if (f) {
                if (!fgets(line, sizeof line, f)) line[0] = 0;
                fclose(f);
            }
            host_batteries += strncmp(line, "Battery", 7) == 0;
        } while (FindNextFileW(h, &fd));
        FindClose(h);
    }
    MT_LOG("present %d, percent %.0f, secsleft %lld, plugged %d (host batteries %d)", b.present, b.percent,
           (long long)b.secsleft, b.power_plugged, host_batteries);
    MT_CHECK_EQ_INT(b.present, host_batteries > 0);
    if (b.present) {
        MT_CHECK(isnan(b.percent) || (b.percent >= 0 && b.percent <= 100));
        MT_CHECK(b.secsleft >= 0 || b.secsleft == PS_POWER_TIME_UNKNOWN || b.secsleft == PS_POWER_TIME_UNLIMITED);
    } else {
        /* no battery: nothing about one is known */
        MT_CHECK(isnan(b.percent) && b.secsleft == PS_POWER_TIME_UNKNOWN && b.power_plugged == PS_UNKNOWN_I32);
    }
    MT_CHECK_EQ_INT(ps_sensors_battery(NULL), PS_EINVAL);
    ps_temperature_list *t = NULL;
    MT_CHECK_EQ_INT(ps_sensors_temperatures(&t), PS_ENOTSUP);   /* psutil has none on Windows */
    WT_HANDLES_AFTER();
}

MT_MAIN()
