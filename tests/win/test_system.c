/* SPDX-License-Identifier: MIT */
/* System-wide calls on Windows (run under wine). Oracles: the host, which wine reports (its
 * /proc read through wine's Z: drive: meminfo, cpuinfo, stat's btime), and a second Win32 API
 * family (GetSystemInfo, GlobalMemoryStatusEx, GetTickCount64 with the clock). */
#include <windows.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minitest.h"
#include "wintest.h"
#include <psinfo.h>

/* Lines of Z:\proc\cpuinfo starting with key ("processor"), and distinct "physical id"/"core id"
 * pairs (cores). */
static void host_cpus(int *logical, int *cores)
{
    *logical = *cores = 0;
    FILE *f = fopen("Z:\\proc\\cpuinfo", "r");
    if (!f) return;
    char line[512];
    long phys = 0, seen[1024][2];
    int nseen = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "processor", 9) == 0) (*logical)++;
        if (strncmp(line, "physical id", 11) == 0) phys = strtol(strchr(line, ':') + 1, NULL, 10);
        if (strncmp(line, "core id", 7) == 0) {
            long core = strtol(strchr(line, ':') + 1, NULL, 10);
            int dup = 0;
            for (int i = 0; i < nseen; i++) dup |= seen[i][0] == phys && seen[i][1] == core;
            if (!dup && nseen < 1024) {
                seen[nseen][0] = phys;
                seen[nseen][1] = core;
                nseen++;
            }
        }
    }
    fclose(f);
    *cores = nseen;
}

MT_TEST(cpu_count_matches_the_host_and_getsysteminfo)
{
    WT_HANDLES_BEFORE();
    int32_t logical = 0, physical = 0;
    MT_REQUIRE(ps_cpu_count_logical(&logical) == 0);
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    int hl, hc;
    host_cpus(&hl, &hc);
    MT_LOG("logical %d (GetSystemInfo %lu, host %d)", logical, (unsigned long)si.dwNumberOfProcessors, hl);
    MT_CHECK_EQ_INT(logical, si.dwNumberOfProcessors);
    MT_REQUIRE(hl > 0);
    MT_CHECK_EQ_INT(logical, hl);
    int rc = ps_cpu_count_physical(&physical);
    MT_LOG("physical rc %d: %d (host cores %d)", rc, physical, hc);
    if (rc == PS_ENOTSUP) {
        WT_WINE_GAP("GetLogicalProcessorInformationEx(RelationProcessorCore) gives no records");
    } else {
        MT_CHECK_EQ_INT(rc, 0);
        MT_CHECK(physical >= 1 && physical <= logical);
        if (hc > 0) MT_CHECK_EQ_INT(physical, hc);
    }
    MT_CHECK_EQ_INT(ps_cpu_count_logical(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_TEST(boot_time_matches_the_host_btime_and_the_tick_count)
{
    WT_HANDLES_BEFORE();
    double bt = 0, bt2 = 0;
    MT_REQUIRE(ps_boot_time(&bt) == 0);
    MT_REQUIRE(ps_boot_time(&bt2) == 0);
    MT_CHECK(bt == bt2);   /* psutil: stable across calls */
    double btime = host_value("Z:\\proc\\stat", "btime ");
    double ticks = now_unix() - (double)GetTickCount64() / 1000.0;
    MT_LOG("boot %.3f, host btime %.0f, clock - GetTickCount64 %.3f", bt, btime, ticks);
    /* The host's boot: /proc/stat btime, and the clock less the uptime (GetTickCount64). */
    MT_REQUIRE(btime > 0);
    MT_CHECK(fabs(ticks - btime) < 5.0);
    if (fabs(bt - btime) >= 5.0) {
        /* wine's SystemTimeOfDayInformation BootTime is its server's start, not the host's boot */
        WT_WINE_GAP("boot time is the wineserver's start (%.0f s after the host's btime)", bt - btime);
        MT_CHECK(bt > btime);
    }
    MT_CHECK(bt < now_unix());
    MT_CHECK_EQ_INT(ps_boot_time(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_TEST(virtual_memory_matches_the_host_meminfo_and_globalmemorystatusex)
{
    WT_HANDLES_BEFORE();
    ps_vmem v;
    MT_REQUIRE(ps_virtual_memory(&v) == 0);
    MEMORYSTATUSEX ms;
    ms.dwLength = sizeof ms;
    MT_REQUIRE(GlobalMemoryStatusEx(&ms));
    double host_total = host_value("Z:\\proc\\meminfo", "MemTotal:") * 1024.0;
    MT_LOG("total %llu (GlobalMemoryStatusEx %llu, host %.0f), available %llu (%llu), cached %llu, wired %llu",
           (unsigned long long)v.total, (unsigned long long)ms.ullTotalPhys, host_total,
           (unsigned long long)v.available, (unsigned long long)ms.ullAvailPhys, (unsigned long long)v.cached,
           (unsigned long long)v.wired);
    MT_CHECK_EQ_INT(v.total, ms.ullTotalPhys);
    MT_REQUIRE(host_total > 0);
    MT_CHECK(fabs((double)v.total - host_total) < 1 << 20);   /* page rounding */
    /* Available moves between two calls; the host is busy: 5 % of the total. */
    MT_CHECK(fabs((double)v.available - (double)ms.ullAvailPhys) < 0.05 * (double)v.total);
    MT_CHECK(v.free == v.available);
    MT_CHECK(v.used == v.total - v.available);
    MT_CHECK(fabs(v.percent - 100.0 * (double)v.used / (double)v.total) < 0.051);
    MT_CHECK(v.cached <= v.total && v.wired <= v.total);
    if (v.cached == 0) WT_WINE_GAP("GetPerformanceInfo SystemCache is 0");
    if (v.wired == 0) WT_WINE_GAP("GetPerformanceInfo KernelNonpaged is 0");
    MT_CHECK(v.active == PS_UNKNOWN_U64 && v.buffers == PS_UNKNOWN_U64 && v.slab == PS_UNKNOWN_U64);
    MT_CHECK_EQ_INT(ps_virtual_memory(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_MAIN()
