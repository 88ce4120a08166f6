/* SPDX-License-Identifier: MIT */
/* System parsers on fixture trees (tests/fixtures/sys/) with hostile content; every expected
 * value is derived by hand from the fixture text in the comment next to it. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <unistd.h>
#include <utmpx.h>

#include "psinfo.h"
#include "backend.h"
#include "test_system_util.h"
#include "test_hooks.h"

static int fds_before;
static void use_tree(const char *name)
{
    char p[1024], rel[256];
    snprintf(rel, sizeof rel, "%s/proc", name);
    cr_assert_eq(ps_set_root(PS_ROOT_PROC, sys_fixture(p, sizeof p, rel)), 0);
    snprintf(rel, sizeof rel, "%s/sys", name);
    cr_assert_eq(ps_set_root(PS_ROOT_SYS, sys_fixture(p, sizeof p, rel)), 0);
}
static void setup(void)
{
    fds_before = sys_count_fds();
    ps_set_errors_policy(PS_ERRORS_SURROGATEESCAPE);
}
static void teardown(void)
{
    ps_set_root(PS_ROOT_PROC, NULL);
    ps_set_root(PS_ROOT_SYS, NULL);
    ps_set_errors_policy(ps_default_errors_policy());
    cr_expect_eq(sys_count_fds(), fds_before, "fd count changed");
}
TestSuite(sysfix, .init = setup, .fini = teardown);

static double dmin(double a, double b) { return a < b ? a : b; }
static double tick(void) { return (double)sysconf(_SC_CLK_TCK); }

Test(sysfix, cpu_times_extra_columns)
{
    use_tree("hostile");
    ps_cputimes t;
    cr_assert_eq(ps_cpu_times(&t), 0);
    /* "cpu  100 20 300 4000 50 6 7 8 9 10 11 12": 12 numbers, the last two unknown */
    cr_expect_float_eq(t.user, 100 / tick(), 1e-9);
    cr_expect_float_eq(t.nice, 20 / tick(), 1e-9);
    cr_expect_float_eq(t.system, 300 / tick(), 1e-9);
    cr_expect_float_eq(t.idle, 4000 / tick(), 1e-9);
    cr_expect_float_eq(t.iowait, 50 / tick(), 1e-9);
    cr_expect_float_eq(t.irq, 6 / tick(), 1e-9);
    cr_expect_float_eq(t.softirq, 7 / tick(), 1e-9);
    cr_expect_float_eq(t.steal, 8 / tick(), 1e-9);
    cr_expect_float_eq(t.guest, 9 / tick(), 1e-9);
    cr_expect_float_eq(t.guest_nice, 10 / tick(), 1e-9);
    /* Windows' dpc: unknown here, and it neither poisons nor shifts the percentages */
    cr_expect(isnan(t.dpc));
    ps_cputimes later = t, pct;
    later.user += 1.0;
    later.idle += 3.0;
    double busy;
    cr_assert_eq(ps_cpu_percent(&t, &later, &busy), 0);
    cr_expect_float_eq(busy, 25.0, 1e-9);
    cr_assert_eq(ps_cpu_times_percent(&t, &later, &pct), 0);
    cr_expect_float_eq(pct.user, 25.0, 1e-9);
    cr_expect_float_eq(pct.idle, 75.0, 1e-9);
    cr_expect(isnan(pct.dpc));
    /* a platform with dpc (Windows): it counts toward the total */
    t.dpc = 0.0;
    later.dpc = 4.0;
    cr_assert_eq(ps_cpu_percent(&t, &later, &busy), 0);
    cr_expect_float_eq(busy, 62.5, 1e-9);   /* (1 + 4) / (1 + 3 + 4) */
    cr_assert_eq(ps_cpu_times_percent(&t, &later, &pct), 0);
    cr_expect_float_eq(pct.dpc, 50.0, 1e-9);
    ps_cputimes_list *l = NULL;
    cr_assert_eq(ps_cpu_times_percpu(&l), 0);
    cr_assert_eq(l->count, 2);
    cr_expect_float_eq(l->items[1].softirq, 4 / tick(), 1e-9);
    cr_expect_float_eq(l->items[0].guest_nice, 5 / tick(), 1e-9); /* 99 after it is ignored */
    ps_cputimes_list_free(l);
}

Test(sysfix, cpu_times_old_kernel_columns)
{
    use_tree("old");
    ps_cputimes t;
    cr_assert_eq(ps_cpu_times(&t), 0);
    /* "cpu  1 2 3 4": the columns the kernel does not print are unknown, not 0 */
    cr_expect_float_eq(t.idle, 4 / tick(), 1e-9);
    cr_expect(isnan(t.iowait) && isnan(t.irq) && isnan(t.softirq) && isnan(t.steal));
    cr_expect(isnan(t.guest) && isnan(t.guest_nice) && isnan(t.dpc));
    ps_cputimes_list *l = NULL;
    cr_assert_eq(ps_cpu_times_percpu(&l), 0);
    cr_assert_eq(l->count, 1);
    cr_expect_float_eq(l->items[0].user, 1 / tick(), 1e-9);
    cr_expect(isnan(l->items[0].iowait) && isnan(l->items[0].guest_nice) && isnan(l->items[0].dpc));
    ps_cputimes_list_free(l);
}

Test(sysfix, cpu_stats_near_2_64)
{
    use_tree("hostile");
    ps_cpustats s;
    cr_assert_eq(ps_cpu_stats(&s), 0);
    cr_expect_eq(s.interrupts, UINT64_MAX);          /* intr 18446744073709551615 */
    cr_expect_eq(s.ctx_switches, 12345678901234ULL);  /* ctxt */
    cr_expect_eq(s.soft_interrupts, 77);              /* softirq 77 1 2 */
    cr_expect_eq(s.syscalls, PS_UNKNOWN_U64);          /* Linux does not count them */
    double bt;
    cr_assert_eq(ps_boot_time(&bt), 0);
    cr_expect_eq(bt, 1700000000.0);
}

Test(sysfix, cpu_counts)
{
    use_tree("hostile");
    int32_t n;
    cr_assert_eq(ps_cpu_count_logical(&n), 0);
    cr_expect_eq(n, 5);  /* online "0-3,6" */
    cr_assert_eq(ps_cpu_count_physical(&n), 0);
    cr_expect_eq(n, 3);  /* core_cpus_list: {0-1, 2-3, 6} */
}

Test(sysfix, cpu_counts_fallbacks)
{
    /* "old": no sysfs, no cpuinfo -> logical from cpuN lines of stat (1); physical unknown */
    use_tree("old");
    int32_t n;
    cr_assert_eq(ps_cpu_count_logical(&n), 0);
    cr_expect_eq(n, 1);
    cr_expect_eq(ps_cpu_count_physical(&n), PS_ENOTSUP);
    /* "empty": empty online, cpuinfo and stat -> unknown, never a made-up number */
    use_tree("empty");
    cr_expect_eq(ps_cpu_count_logical(&n), PS_ENOTSUP);
    cr_expect_eq(ps_cpu_count_physical(&n), PS_ENOTSUP);
}

Test(sysfix, cpu_freq_policies)
{
    use_tree("hostile");
    ps_cpufreq_list *l = NULL;
    cr_assert_eq(ps_cpu_freq_percpu(&l), 0);
    /* policy0, policy2, policy10 in numeric order; cpuinfo lists 2 MHz lines != 3 policies,
     * so sysfs gives current; policy2 has only cpuinfo_cur_freq */
    cr_assert_eq(l->count, 3);
    cr_expect_float_eq(l->items[0].current, 1500.0, 1e-9);
    cr_expect_float_eq(l->items[1].current, 1000.0, 1e-9);
    cr_expect_float_eq(l->items[2].current, 2000.0, 1e-9);
    cr_expect_float_eq(l->items[2].max, 3500.0, 1e-9);
    cr_expect_float_eq(l->items[0].min, 800.0, 1e-9);
    /* no affected_cpus: each directory stands for the CPU of its number */
    cr_expect_eq(l->items[0].cpu, 0);
    cr_expect_eq(l->items[1].cpu, 2);
    cr_expect_eq(l->items[2].cpu, 10);
    ps_cpufreq_list_free(l);
    ps_cpufreq f;
    cr_assert_eq(ps_cpu_freq(&f), 0);
    cr_expect_float_eq(f.current, 1500.0, 1e-9);
    cr_expect_float_eq(f.min, 800.0, 1e-9);
    cr_expect_float_eq(f.max, (3000.0 + 3000.0 + 3500.0) / 3, 1e-9);
}

Test(sysfix, cpu_freq_one_entry_per_online_cpu)
{
    /* "cpufreq8" (psutil 8, gh-2512 / gh-2628): policy0 governs CPUs "0 1", policy2 CPU 2,
     * policy3 nothing (its only CPU, 3, is offline), policy4 CPU 4, which has no current
     * frequency file and whose cpu4/online is 0. cpuinfo has 2 MHz lines for 4 CPUs mapped,
     * so current comes from sysfs. psutil <= 7 gave 4 entries here (one per policy). */
    use_tree("cpufreq8");
    ps_cpufreq_list *l = NULL;
    cr_assert_eq(ps_cpu_freq_percpu(&l), 0);
    cr_assert_eq(l->count, 3);
    static const int32_t cpu[] = {0, 1, 2};
    static const double cur[] = {1800, 1800, 2400}, mn[] = {800, 800, 1000}, mx[] = {3000, 3000, 3500};
    for (size_t i = 0; i < 3; i++) {
        cr_expect_eq(l->items[i].cpu, cpu[i]);
        cr_expect_float_eq(l->items[i].current, cur[i], 1e-9);
        cr_expect_float_eq(l->items[i].min, mn[i], 1e-9);
        cr_expect_float_eq(l->items[i].max, mx[i], 1e-9);
        cr_expect_eq(l->items[i].pad0, 0);
    }
    ps_cpufreq_list_free(l);
    ps_cpufreq f;
    cr_assert_eq(ps_cpu_freq(&f), 0);
    cr_expect_float_eq(f.current, 2000.0, 1e-9);
    cr_expect_float_eq(f.min, (800.0 + 800.0 + 1000.0) / 3, 1e-9);
    cr_expect_float_eq(f.max, (3000.0 + 3000.0 + 3500.0) / 3, 1e-9);
    cr_expect_eq(f.cpu, PS_UNKNOWN_I32);
}

Test(sysfix, cpu_freq_cpuinfo_only_and_none)
{
    /* "thermal" has no cpufreq and no cpuinfo: unsupported, not zeros */
    use_tree("thermal");
    ps_cpufreq f;
    cr_expect_eq(ps_cpu_freq(&f), PS_ENOTSUP);
    /* "empty" cpuinfo has no MHz lines either */
    use_tree("empty");
    cr_expect_eq(ps_cpu_freq(&f), PS_ENOTSUP);
}

Test(sysfix, loadavg_and_truncated)
{
    use_tree("hostile");
    double la[3];
    cr_assert_eq(ps_getloadavg(la), 0);
    cr_expect_eq(la[0], 0.5);
    cr_expect_eq(la[1], 1.25);
    cr_expect_eq(la[2], 3.0);
    use_tree("empty"); /* "0.5 1" */
    cr_expect_eq(ps_getloadavg(la), PS_EPARSE);
}

Test(sysfix, virtual_memory_estimated_available)
{
    use_tree("hostile");
    ps_vmem m;
    cr_assert_eq(ps_virtual_memory(&m), 0);
    /* No MemAvailable: kernel estimate. free = 204800000, watermark low = 2 * 1000 pages,
     * pagecache = (100000 + 150000) kB, SReclaimable = 40000 kB. */
    double page = (double)sysconf(_SC_PAGESIZE);
    double wm = 2000 * page, freeb = 200000 * 1024.0;
    double pc = 250000 * 1024.0, sr = 40000 * 1024.0;
    double avail = freeb - wm + pc - dmin(pc / 2, wm) + sr - dmin(sr / 2, wm);
    cr_expect_eq(m.available, (uint64_t)avail);
    cr_expect_eq(m.total, 1024000000ULL);
    cr_expect_eq(m.free, 204800000ULL);
    cr_expect_eq(m.buffers, 10000 * 1024ULL);
    cr_expect_eq(m.cached, (300000 + 40000) * 1024ULL);
    cr_expect_eq(m.shared, 5000 * 1024ULL);
    cr_expect_eq(m.active, 400000 * 1024ULL);
    cr_expect_eq(m.inactive, 250000 * 1024ULL);
    cr_expect_eq(m.slab, 60000 * 1024ULL);
    cr_expect_eq(m.used, m.total - m.available);
    char want[32], got[32];
    snprintf(want, sizeof want, "%.1f", (1024000000.0 - (double)(uint64_t)avail) / 1024000000.0 * 100);
    snprintf(got, sizeof got, "%.1f", m.percent);
    cr_expect_str_eq(got, want);
    cr_expect_eq(m.flags, (uint32_t)PS_VMEM_AVAILABLE_ESTIMATED);
    ps_swapmem s;
    cr_assert_eq(ps_swap_memory(&s), 0);
    cr_expect_eq(s.total, 512000000ULL);
    cr_expect_eq(s.free, 409600000ULL);
    cr_expect_eq(s.used, 102400000ULL);
    cr_expect_eq(s.percent, 20.0);
    cr_expect_eq(s.sin, 10 * 4096ULL);   /* pswpin 10 */
    cr_expect_eq(s.sout, 20 * 4096ULL);  /* pswpout 20 */
}

Test(sysfix, virtual_memory_old_kernel)
{
    use_tree("old");
    ps_vmem m;
    cr_assert_eq(ps_virtual_memory(&m), 0);
    /* no MemAvailable and no Active(file): fallback free + cached(missing = 0) */
    cr_expect_eq(m.available, 400 * 1024ULL);
    cr_expect_eq(m.shared, 7 * 1024ULL);           /* MemShared */
    cr_expect_eq(m.inactive, (1 + 2 + 3) * 1024ULL); /* Inact_dirty + clean + laundry */
    cr_expect_eq(m.slab, 9 * 1024ULL);             /* "Slab:9 kB": no space after the colon */
    /* missing from meminfo: unknown (psutil warns and uses 0); available was estimated */
    cr_expect_eq(m.buffers, PS_UNKNOWN_U64);
    cr_expect_eq(m.cached, PS_UNKNOWN_U64);
    cr_expect_eq(m.active, PS_UNKNOWN_U64);
    cr_expect_eq(m.flags, (uint32_t)PS_VMEM_AVAILABLE_ESTIMATED);
    cr_expect_eq(m.percent, 60.0);
    ps_swapmem s;
    cr_assert_eq(ps_swap_memory(&s), 0);
    cr_expect_eq(s.sin, PS_UNKNOWN_U64);  /* vmstat without pswpin */
    cr_expect_eq(s.sout, PS_UNKNOWN_U64);
    cr_expect_eq(s.percent, 0.0);    /* total 0 */
}

/* long/proc/meminfo: 13.9 KB (longer than the 8 KiB stack buffer, so the end is read
 * into the heap), hostile lines: leading blanks, "MemFree:512" without a space, "Mem:Available:"
 * (key "Mem:"), "12x" and an overflowing number (ignored), "Cached:" without a number, "Active"
 * without a colon, "Inactive:  9" without a unit, a vertical tab, a duplicate Shmem (the later
 * wins), MemAvailable on the last line, past 8 KiB, without a final newline. */
Test(sysfix, virtual_memory_long_hostile_meminfo)
{
    use_tree("long");
    ps_vmem m;
    cr_assert_eq(ps_virtual_memory(&m), 0);
    cr_expect_eq(m.total, 2048 * 1024ULL);
    cr_expect_eq(m.free, 512 * 1024ULL);
    cr_expect_eq(m.available, 100 * 1024ULL);
    cr_expect_eq(m.shared, 4 * 1024ULL);
    cr_expect_eq(m.inactive, 9 * 1024ULL);
    cr_expect_eq(m.buffers, PS_UNKNOWN_U64);
    cr_expect_eq(m.cached, PS_UNKNOWN_U64);  /* SReclaimable (1 kB) only adds to a Cached that is there */
    cr_expect_eq(m.active, PS_UNKNOWN_U64);
    cr_expect_eq(m.slab, PS_UNKNOWN_U64);
    cr_expect_eq(m.flags, 0u);   /* MemAvailable is there */
    cr_expect_eq(m.used, (2048 - 100) * 1024ULL);
}

/* long/proc/self/mountinfo: 13 KB (past the 8 KiB stack buffer): 150 tmpfs mounts, then
 * past 8 KiB an ext4 with escapes in mount point and source, a vfat mounted ro, and an ext4
 * whose source is "none". */
Test(sysfix, partitions_long_mountinfo)
{
    use_tree("long");
    ps_disk_partition_list *l = NULL;
    cr_assert_eq(ps_disk_partitions(0, &l), 0);
    cr_assert_eq(l->count, 2);
    cr_expect_str_eq(l->items[0].mountpoint, "/data disk");
    cr_expect_str_eq(l->items[0].device, "/dev/sd\\a1");
    cr_expect_str_eq(l->items[0].fstype, "ext4");
    cr_expect_str_eq(l->items[0].opts, "rw,relatime,errors=remount-ro");
    cr_expect_str_eq(l->items[1].mountpoint, "/boot");
    cr_expect_str_eq(l->items[1].device, "/dev/sda2");
    cr_expect_str_eq(l->items[1].opts, "ro,relatime,fmask=0022");
    ps_disk_partition_list_free(l);
    cr_assert_eq(ps_disk_partitions(1, &l), 0);
    cr_assert_eq(l->count, 153);
    cr_expect_str_eq(l->items[0].mountpoint, "/run/t000");
    cr_expect_str_eq(l->items[0].device, "tmpfs");
    cr_expect_str_eq(l->items[149].opts, "rw,nosuid,nodev,relatime,size=1024k,mode=755");
    cr_expect_str_eq(l->items[152].mountpoint, "/nowhere");
    cr_expect_str_eq(l->items[152].device, "");
    ps_disk_partition_list_free(l);
}

/* long/proc/stat: 200 CPUs ("cpuN 100 N 300 400 5 6 7 8 9 10"), 10.8 KB of cpu lines
 * (past the 8 KiB stack buffer), then a 4 KB intr line. */
Test(sysfix, cpu_times_percpu_long_stat)
{
    use_tree("long");
    ps_cputimes_list *l = NULL;
    cr_assert_eq(ps_cpu_times_percpu(&l), 0);
    cr_assert_eq(l->count, 200);
    for (size_t i = 0; i < l->count; i++) {
        cr_expect_eq(l->items[i].user, 100 / tick());
        cr_expect_eq(l->items[i].nice, (double)i / tick());
        cr_expect_eq(l->items[i].guest_nice, 10 / tick());
        cr_expect(isnan(l->items[i].dpc));
    }
    ps_cputimes_list_free(l);
    ps_cputimes t;
    cr_assert_eq(ps_cpu_times(&t), 0);
    cr_expect_eq(t.user, 20000 / tick());
}

/* rootdev: "/dev/root" and "rootfs" sources resolved as psutil's RootFsDeviceFinder, with the
 * device number of the mount line itself (another system's proc root: our own "/" says
 * nothing about it): 8:3 by proc/partitions (sda3), 8:5 by sys/dev/block/8:5/uevent (sdb5),
 * 8:7 by sys/class/block/sdc7/dev, 8:9 named sdd9 by partitions but without dev/sdd9 (kept as
 * /dev/root, psutil checks that the path exists), 8:11 found nowhere. */
Test(sysfix, partitions_root_device)
{
    use_tree("rootdev");
    char p[1024];
    cr_assert_eq(ps_set_root(PS_ROOT_DEV, sys_fixture(p, sizeof p, "rootdev/dev")), 0);
    ps_disk_partition_list *l = NULL;
    int rc = ps_disk_partitions(0, &l);
    ps_set_root(PS_ROOT_DEV, NULL);
    cr_assert_eq(rc, 0);
    static const char *const want[][2] = {
        {"/", "/dev/sda3"}, {"/b", "/dev/sdb5"}, {"/c", "/dev/sdc7"}, {"/d", "/dev/root"}, {"/e", "/dev/root"},
    };
    cr_assert_eq(l->count, 5);
    for (size_t i = 0; i < 5; i++) {
        cr_expect_str_eq(l->items[i].mountpoint, want[i][0]);
        cr_expect_str_eq(l->items[i].device, want[i][1], "%s", want[i][0]);
    }
    ps_disk_partition_list_free(l);
}

/* Percentages are rounded as Python's round(x, 1): the exact value to one decimal, half to
 * even, i.e. strtod(printf("%.1f")). ps_cpu_percent on 200000 crafted sample pairs (random
 * deltas, and deltas whose percentage is an exact or near tie such as 0.25 or 1/8) against that
 * text round trip; k/256 gives exact ties (6.25 → 6.2, half to even). */
Test(sysfix, percent_rounding_is_pythons)
{
    unsigned long long seed = 12345;
    for (int i = 0; i < 200000; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        unsigned r = (unsigned)(seed >> 33);
        ps_cputimes a, b;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        double busyd, idled;
        switch (i % 4) {
        case 3: busyd = r % 257; idled = 256 - (r % 257) + 0.0; if (idled < 0) idled = 0; break; /* k/256: exact ties (6.25) */
        case 0: busyd = r % 100000; idled = (r >> 7) % 100000 + 1; break;
        case 1: busyd = r % 8 + 1; idled = 8 - (r % 8 + 1) + 0.0; busyd /= 4; idled /= 4; break; /* quarters */
        default: busyd = (r % 4000) / 1000.0; idled = 4.0 - busyd; break;  /* thousandths of 4 */
        }
        b.user = busyd;
        b.idle = idled;
        double pct;
        cr_assert_eq(ps_cpu_percent(&a, &b, &pct), 0);
        double all = b.user + b.idle;   /* the library's sums, in its order */
        double busy = all - b.idle;
        double x = all == 0 ? 0 : busy / all * 100.0;
        char t[64];
        snprintf(t, sizeof t, "%.1f", x);
        double want = all == 0 ? 0 : strtod(t, NULL);
        cr_assert_eq(memcmp(&pct, &want, sizeof pct), 0, "busy %.17g idle %.17g: %.17g, want %.17g", busyd,
                     idled, pct, want);
    }
}

Test(sysfix, memory_empty_files)
{
    use_tree("empty");
    ps_vmem m;
    cr_expect_eq(ps_virtual_memory(&m), PS_EPARSE);
    ps_swapmem s;
    cr_expect_eq(ps_swap_memory(&s), PS_EPARSE);
    ps_cputimes t;
    cr_expect_eq(ps_cpu_times(&t), PS_EPARSE);
    ps_cpustats st;
    cr_expect_eq(ps_cpu_stats(&st), PS_EPARSE);
    double bt;
    cr_expect_eq(ps_boot_time(&bt), PS_EPARSE);
}

/* mount point of line 22: "/mnt/bad\xff\xfeutf8\r" */
static const char bad_escape[] = "/mnt/bad\xed\xb3\xbf\xed\xb3\xbeutf8\r";
static const char bad_replace[] = "/mnt/bad\xef\xbf\xbd\xef\xbf\xbdutf8\r";

static void check_partitions(const char *bad)
{
    ps_disk_partition_list *l = NULL;
    cr_assert_eq(ps_disk_partitions(0, &l), 0);
    /* kept: ext4 /, vfat (escapes), ext4 bad, zfs (nodev but kept), ext4 /new (optional
     * fields and extra columns). dropped: tmpfs (nodev), device "none", truncated line 27. */
    cr_assert_eq(l->count, 5);
    cr_expect_str_eq(l->items[0].device, "/dev/sda1");
    cr_expect_str_eq(l->items[0].mountpoint, "/");
    cr_expect_str_eq(l->items[0].opts, "rw,relatime,errors=remount-ro");
    cr_expect_str_eq(l->items[1].mountpoint, "/mnt/with space\ttab\nnl\\bs");
    cr_expect_str_eq(l->items[1].fstype, "vfat");
    cr_expect_str_eq(l->items[1].opts, "rw,nosuid,fmask=0022");
    cr_expect_str_eq(l->items[2].mountpoint, bad);
    /* mount rw + superblock ro: ro; sb flags sync,lazytime before the mount's relatime */
    cr_expect_str_eq(l->items[2].opts, "ro,sync,lazytime,relatime,data=ordered");
    cr_expect_str_eq(l->items[3].fstype, "zfs");
    cr_expect_str_eq(l->items[3].device, "pool/ds");
    cr_expect_str_eq(l->items[4].mountpoint, "/new");
    cr_expect_str_eq(l->items[4].opts, "rw");
    ps_disk_partition_list_free(l);
    cr_assert_eq(ps_disk_partitions(1, &l), 0);
    cr_assert_eq(l->count, 7);
    cr_expect_str_eq(l->items[3].fstype, "tmpfs");
    cr_expect_str_eq(l->items[4].device, ""); /* "none" */
    cr_expect_str_eq(l->items[4].mountpoint, "/none");
    ps_disk_partition_list_free(l);
}

Test(sysfix, disk_partitions_hostile_escape) { use_tree("hostile"); check_partitions(bad_escape); }

Test(sysfix, disk_partitions_hostile_replace)
{
    use_tree("hostile");
    cr_assert_eq(ps_set_errors_policy(PS_ERRORS_REPLACE), 0);
    check_partitions(bad_replace);
}

Test(sysfix, disk_partitions_empty)
{
    use_tree("empty");
    ps_disk_partition_list *l = NULL;
    cr_assert_eq(ps_disk_partitions(1, &l), 0);
    cr_expect_eq(l->count, 0);
    ps_disk_partition_list_free(l);
    cr_assert_eq(ps_disk_partitions(0, &l), 0);
    cr_expect_eq(l->count, 0);
    ps_disk_partition_list_free(l);
    /* missing files -> PS_ENOENT */
    use_tree("old");
    cr_expect_eq(ps_disk_partitions(1, &l), PS_ENOENT);
    cr_expect_null(l);
}

Test(sysfix, disk_io_layouts)
{
    use_tree("hostile");
    ps_diskio_list *l = NULL;
    cr_assert_eq(ps_disk_io_counters_perdisk(&l), 0);
    cr_assert_eq(l->count, 4); /* the garbage line is skipped */
    cr_expect_str_eq(l->items[0].name, "sda");
    ps_diskio *a = &l->items[0].counters; /* 20 fields (kernel >= 5.5) */
    cr_expect_eq(a->read_count, 100);
    cr_expect_eq(a->read_merged_count, 2);
    cr_expect_eq(a->read_bytes, 300 * 512);
    cr_expect_eq(a->read_time, 4);
    cr_expect_eq(a->write_count, 5);
    cr_expect_eq(a->write_merged_count, 6);
    cr_expect_eq(a->write_bytes, 700 * 512);
    cr_expect_eq(a->write_time, 8);
    cr_expect_eq(a->busy_time, 10);
    cr_expect_eq(l->items[1].counters.read_count, UINT64_MAX); /* sda1: 2^64 - 1 */
    cr_expect_str_eq(l->items[2].name, "sdb");                 /* 7-field layout */
    cr_expect_eq(l->items[2].counters.read_bytes, 2 * 512);
    cr_expect_eq(l->items[2].counters.write_count, 3);
    cr_expect_eq(l->items[2].counters.busy_time, 0);
    ps_diskio_list_free(l);
    ps_diskio t;
    cr_assert_eq(ps_disk_io_counters(&t), 0);
    /* whole disks: sda and sdb have <sys>/block/NAME; sda1 and dm-0 do not */
    cr_expect_eq(t.read_count, 101);
    cr_expect_eq(t.write_count, 8);
    cr_expect_eq(t.read_bytes, 300 * 512 + 2 * 512);
    cr_expect_eq(t.write_bytes, 700 * 512 + 4 * 512);
    cr_expect_eq(t.busy_time, 10);
    use_tree("empty");
    cr_expect_eq(ps_disk_io_counters(&t), PS_ENOENT);
}

Test(sysfix, sensors_hwmon)
{
    use_tree("hostile");
    ps_temperature_list *t = NULL;
    cr_assert_eq(ps_sensors_temperatures(&t), 0);
    /* hwmon1/temp1_input is not a number: skipped; hwmon2 has its files under device/ */
    cr_assert_eq(t->count, 3);
    cr_expect_str_eq(t->items[2].unit, "nvme");
    cr_expect_str_eq(t->items[2].label, "Composite");
    cr_expect_float_eq(t->items[2].current, 30.0, 1e-9);
    cr_expect_str_eq(t->items[0].unit, "coretemp");
    cr_expect_str_eq(t->items[0].label, "Core 0");
    cr_expect_float_eq(t->items[0].current, 45.0, 1e-9);
    cr_expect_float_eq(t->items[0].high, 80.0, 1e-9);
    cr_expect_float_eq(t->items[0].critical, 100.0, 1e-9);
    cr_expect_str_eq(t->items[1].label, "");
    cr_expect_float_eq(t->items[1].current, 46.5, 1e-9);
    cr_expect(isnan(t->items[1].high) && isnan(t->items[1].critical));
    ps_temperature_list_free(t);
    ps_fan_list *f = NULL;
    cr_assert_eq(ps_sensors_fans(&f), 0);
    cr_assert_eq(f->count, 1);
    cr_expect_str_eq(f->items[0].unit, "acpi\xed\xb3\xbf"); /* name "acpi\xff" */
    cr_expect_str_eq(f->items[0].label, "CPU fan");
    cr_expect_eq(f->items[0].current, 1200);
    ps_fan_list_free(f);
    ps_battery b;
    cr_assert_eq(ps_sensors_battery(&b), 0);
    cr_expect_eq(b.present, 1);
    cr_expect_float_eq(b.percent, 50.0, 1e-9);  /* 30000000 / 60000000 */
    cr_expect_eq(b.power_plugged, 0);           /* AC/online = 0 */
    cr_expect_eq(b.secsleft, 7200);             /* 30000000 / 15000000 h */
}

Test(sysfix, sensors_thermal_fallback)
{
    use_tree("thermal");
    ps_temperature_list *t = NULL;
    cr_assert_eq(ps_sensors_temperatures(&t), 0);
    cr_assert_eq(t->count, 1); /* zone1 has an empty temp file */
    cr_expect_str_eq(t->items[0].unit, "x86_pkg_temp");
    cr_expect_float_eq(t->items[0].current, 51.0, 1e-9);
    cr_expect_float_eq(t->items[0].critical, 105.0, 1e-9);
    cr_expect_float_eq(t->items[0].high, 90.0, 1e-9);
    ps_temperature_list_free(t);
    ps_fan_list *f = NULL;
    cr_assert_eq(ps_sensors_fans(&f), 0);
    cr_expect_eq(f->count, 0);
    ps_fan_list_free(f);
    ps_battery b;
    cr_assert_eq(ps_sensors_battery(&b), 0);
    cr_expect_eq(b.present, 1);
    cr_expect_eq(b.percent, 77.0);              /* capacity */
    cr_expect_eq(b.power_plugged, 1);           /* status Full */
    cr_expect_eq(b.secsleft, PS_POWER_TIME_UNLIMITED);
}

Test(sysfix, sensors_absent)
{
    use_tree("empty");
    ps_temperature_list *t = NULL;
    cr_assert_eq(ps_sensors_temperatures(&t), 0);
    cr_expect_eq(t->count, 0);
    ps_temperature_list_free(t);
    ps_battery b;
    cr_assert_eq(ps_sensors_battery(&b), 0);
    cr_expect_eq(b.present, 0);
    /* no battery: nothing about one is known */
    cr_expect(isnan(b.percent));
    cr_expect_eq(b.power_plugged, PS_UNKNOWN_I32);
    cr_expect_eq(b.secsleft, PS_POWER_TIME_UNKNOWN);
}

/* A tree built here: "cpu MHz" lines without cpufreq in sysfs (no bounds: NaN, psutil 0.0),
 * and a battery whose status says neither charging nor discharging, without an AC adapter
 * (plugged in: unknown, psutil None). */
Test(sysfix, unknown_freq_bounds_and_plugged)
{
    char dir[] = "/tmp/psinfo-unk-XXXXXX";
    cr_assert(mkdtemp(dir));
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "set -e; d='%s'; mkdir -p \"$d/proc\" \"$d/sys/class/power_supply/BAT0\";"
             "printf 'processor\t: 0\ncpu MHz\t\t: 2400.000\n\nprocessor\t: 1\ncpu MHz\t\t: 2600.000\n' > \"$d/proc/cpuinfo\";"
             "echo 40 > \"$d/sys/class/power_supply/BAT0/capacity\"; echo Unknown > \"$d/sys/class/power_supply/BAT0/status\"",
             dir);
    cr_assert_eq(system(cmd), 0);
    char p[600];
    snprintf(p, sizeof p, "%s/proc", dir);
    cr_assert_eq(ps_set_root(PS_ROOT_PROC, p), 0);
    snprintf(p, sizeof p, "%s/sys", dir);
    cr_assert_eq(ps_set_root(PS_ROOT_SYS, p), 0);
    ps_cpufreq_list *l = NULL;
    cr_assert_eq(ps_cpu_freq_percpu(&l), 0);
    cr_assert_eq(l->count, 2);
    cr_expect_float_eq(l->items[1].current, 2600.0, 1e-9);
    for (size_t i = 0; i < l->count; i++) {
        cr_expect(isnan(l->items[i].min) && isnan(l->items[i].max), "cpu %zu", i);
        cr_expect_eq(l->items[i].cpu, PS_UNKNOWN_I32);
    }
    ps_cpufreq_list_free(l);
    ps_cpufreq f;
    cr_assert_eq(ps_cpu_freq(&f), 0);
    cr_expect_float_eq(f.current, 2500.0, 1e-9);
    cr_expect(isnan(f.min) && isnan(f.max));
    ps_battery b;
    cr_assert_eq(ps_sensors_battery(&b), 0);
    cr_expect_eq(b.present, 1);
    cr_expect_eq(b.percent, 40.0);
    cr_expect_eq(b.power_plugged, PS_UNKNOWN_I32);
    cr_expect_eq(b.secsleft, PS_POWER_TIME_UNKNOWN);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static void put_rec(int fd, short type, const char *user, const char *line, const char *host, int32_t sec, pid_t pid)
{
    struct utmpx u;
    memset(&u, 0, sizeof u);
    u.ut_type = type;
    u.ut_pid = pid;
    strncpy(u.ut_user, user, sizeof u.ut_user);
    strncpy(u.ut_line, line, sizeof u.ut_line);
    strncpy(u.ut_host, host, sizeof u.ut_host);
    u.ut_tv.tv_sec = sec;
    cr_assert_eq(write(fd, &u, sizeof u), (ssize_t)sizeof u);
}

Test(sysfix, users_utmp_file)
{
    char path[] = "/tmp/psinfo-utmp-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    put_rec(fd, USER_PROCESS, "alice", "pts/0", ":0", 1700000000, 4242);
    put_rec(fd, DEAD_PROCESS, "ghost", "pts/1", "", 1, 1);
    /* a full 32-byte name (no NUL) with an invalid byte */
    char longname[40], want[64];
    memset(longname, '_', sizeof longname);
    memcpy(longname, "b\xffob", 4);
    longname[39] = '\0';
    put_rec(fd, USER_PROCESS, longname, "tty1", "example.org", 5, 77);
    put_rec(fd, USER_PROCESS, "dan", "", "", 6, 78);   /* no tty, no host */
    memset(want, '_', sizeof want);
    memcpy(want, "b\xed\xb3\xbfob", 6);
    want[6 + 28] = '\0'; /* 32 bytes kept: "b" FF "ob" + 28 underscores */
    cr_assert_eq(write(fd, "trunc", 5), 5); /* a truncated trailing record */
    close(fd);
    ps_user_list *l = NULL;
    int rc = ps__users_file(path, &l);
    unlink(path);
    cr_assert_eq(rc, 0);
    cr_assert_eq(l->count, 3);
    cr_expect_str_eq(l->items[0].name, "alice");
    cr_expect_str_eq(l->items[0].terminal, "pts/0");
    cr_expect_str_eq(l->items[0].host, "localhost"); /* ":0" as psutil */
    cr_expect_eq(l->items[0].started, 1700000000.0);
    cr_expect_eq(l->items[0].pid, 4242);
    cr_expect_str_eq(l->items[1].name, want);
    cr_expect_str_eq(l->items[1].host, "example.org");
    /* empty fields are none: NULL, not "" (psutil None for the tty) */
    cr_expect_str_eq(l->items[2].name, "dan");
    cr_expect_null(l->items[2].terminal);
    cr_expect_null(l->items[2].host);
    cr_expect_eq(l->items[2].pid, 78);
    ps_user_list_free(l);
    cr_expect_eq(ps__users_file("/nonexistent/utmp", &l), 0); /* no file: nobody */
    cr_expect_eq(l->count, 0);
    ps_user_list_free(l);
}

/* ps_users reads <PS_ROOT_RUN>/utmp: a container's or a fixture's run directory. */
Test(sysfix, users_follow_the_run_root)
{
    char *def = NULL;
    cr_assert_eq(ps_get_root(PS_ROOT_RUN, &def), 0);
    cr_expect_str_eq(def, "/var/run"); /* psutil's (glibc's) utmp directory */
    ps_free(def);
    char dir[] = "/tmp/psinfo-run-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/utmp", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert(fd >= 0);
    put_rec(fd, USER_PROCESS, "carol", "pts/7", "host.example", 1800000000, 99);
    close(fd);
    cr_assert_eq(ps_set_root(PS_ROOT_RUN, dir), 0);
    ps_user_list *l = NULL;
    int rc = ps_users(&l);
    ps_set_root(PS_ROOT_RUN, NULL);
    unlink(path);
    rmdir(dir);
    cr_assert_eq(rc, 0);
    cr_assert_eq(l->count, 1);
    cr_expect_str_eq(l->items[0].name, "carol");
    cr_expect_str_eq(l->items[0].terminal, "pts/7");
    cr_expect_str_eq(l->items[0].host, "host.example");
    cr_expect_eq(l->items[0].started, 1800000000.0);
    cr_expect_eq(l->items[0].pid, 99);
    ps_user_list_free(l);
    /* a run root without a utmp file: nobody logged in */
    cr_assert_eq(ps_set_root(PS_ROOT_RUN, "/nonexistent-run-root"), 0);
    rc = ps_users(&l);
    ps_set_root(PS_ROOT_RUN, NULL);
    cr_assert_eq(rc, 0);
    cr_expect_eq(l->count, 0);
    ps_user_list_free(l);
}

/* cpu_percent / cpu_times_percent known answers (psutil's formulas, by hand). */
Test(sysfix, cpu_percent_known_answers)
{
    ps_cputimes a = {0}, b = {0};
    a.user = 10; a.system = 5; a.idle = 80; a.iowait = 5; a.guest = 2;
    b.user = 13; b.system = 6; b.idle = 85; b.iowait = 6; b.guest = 3; /* guest moved 1 (in user) */
    double p;
    cr_assert_eq(ps_cpu_percent(&a, &b, &p), 0);
    /* deltas: user 3, system 1, idle 5, iowait 1, guest 1; total = 11 - 1 = 10; busy = 4 */
    cr_expect_eq(p, 40.0);
    ps_cputimes t;
    cr_assert_eq(ps_cpu_times_percent(&a, &b, &t), 0);
    cr_expect_eq(t.user, 30.0);
    cr_expect_eq(t.idle, 50.0);
    cr_expect_eq(t.guest, 10.0);
    cr_assert_eq(ps_cpu_percent(&a, &a, &p), 0);
    cr_expect_eq(p, 0.0); /* no time passed */
    /* a counter going backwards counts as 0; 1/3 rounds to 33.3 */
    b = a;
    b.user = 11; b.idle = 82; b.system = 4;
    cr_assert_eq(ps_cpu_percent(&a, &b, &p), 0);
    cr_expect_eq(p, 33.3);
}

/* A sample with psutil's Windows columns (user, system, idle, irq, dpc); the rest unknown. */
static ps_cputimes win_sample(double user, double system, double idle, double irq, double dpc)
{
    ps_cputimes t;
    memset(&t, 0, sizeof t);
    t.nice = t.iowait = t.softirq = t.steal = t.guest = t.guest_nice = NAN;
    t.user = user; t.system = system; t.idle = idle; t.irq = irq; t.dpc = dpc;
    return t;
}

/* ps_cpu_percent of a -> b must be want; *t receives ps_cpu_times_percent of the same. */
static void percents(const ps_cputimes *a, const ps_cputimes *b, double want, ps_cputimes *t)
{
    double p = -1;
    cr_assert_eq(ps_cpu_percent(a, b, &p), 0);
    cr_expect_eq(p, want);
    cr_assert_eq(ps_cpu_times_percent(a, b, t), 0);
}

/* Unknown (NaN) columns: percent over the known columns only, unknown ones stay unknown. */
Test(sysfix, cpu_percent_unknown_columns_known_answers)
{
    /* Windows: deltas user 2, system 1, idle 5, irq 1, dpc 1; total 10, busy 10 - 5 = 5 */
    ps_cputimes a = win_sample(10, 5, 100, 1, 1), b = win_sample(12, 6, 105, 2, 2), t;
    percents(&a, &b, 50.0, &t);
    cr_expect(t.user == 20.0 && t.system == 10.0 && t.idle == 50.0 && t.irq == 10.0 && t.dpc == 10.0);
    cr_expect(isnan(t.nice) && isnan(t.iowait) && isnan(t.softirq) && isnan(t.steal));
    cr_expect(isnan(t.guest) && isnan(t.guest_nice));
    /* a column known in one sample only is unknown in the result and counts nothing; out may
     * be after */
    b.nice = 50;
    percents(&a, &b, 50.0, &b);
    cr_expect(isnan(b.nice) && b.user == 20.0 && b.dpc == 10.0);
    /* an old kernel's four columns (user, nice, system, idle): deltas 1, 1, 1, 7; busy 3 (no
     * iowait to leave out) */
    ps_cputimes o0, o1;
    memset(&o0, 0, sizeof o0);
    o0.iowait = o0.irq = o0.softirq = o0.steal = o0.guest = o0.guest_nice = o0.dpc = NAN;
    o1 = o0;
    o1.user = 1; o1.nice = 1; o1.system = 1; o1.idle = 7;
    percents(&o0, &o1, 30.0, &t);
    cr_expect(t.user == 10.0 && t.nice == 10.0 && t.system == 10.0 && t.idle == 70.0);
    cr_expect(isnan(t.iowait) && isnan(t.guest) && isnan(t.dpc));
    /* psutil's max(1, total delta): 0.5 s in all gives shares of 100 / 1 */
    o1 = o0;
    o1.user = 0.125; o1.idle = 0.375;
    percents(&o0, &o1, 25.0, &t);
    cr_expect(t.user == 12.5 && t.idle == 37.5 && t.nice == 0.0, "%f %f %f", t.user, t.idle, t.nice);
    cr_expect(isnan(t.steal));
}

Test(sysfix, cgroup_tree)
{
    char dir[] = "/tmp/psinfo-cg-XXXXXX";
    cr_assert(mkdtemp(dir));
    char cmd[4096];
    /* a fake /proc with a cgroup2 mount whose mount point holds a space, one v2 cgroup with
     * limits (pid 77) and one without (pid 78) */
    snprintf(cmd, sizeof cmd,
             "set -e; d='%s'; mkdir -p \"$d/proc/self\" \"$d/proc/77\" \"$d/proc/78\" \"$d/cg two/my app\" \"$d/cg two/free\";"
             "printf '30 20 0:26 / %s/cg\\\\040two rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\\n' \"$d\" > \"$d/proc/self/mountinfo\";"
             "printf '0::/my app\\n' > \"$d/proc/77/cgroup\"; printf 'Name:\\tx\\nCpus_allowed_list:\\t0-7\\n' > \"$d/proc/77/status\";"
             "printf '0::/free\\n' > \"$d/proc/78/cgroup\"; printf 'Cpus_allowed_list:\\t0,2\\n' > \"$d/proc/78/status\";"
             "echo 536870912 > \"$d/cg two/my app/memory.max\"; echo 1000 > \"$d/cg two/my app/memory.current\";"
             "echo '150000 100000' > \"$d/cg two/my app/cpu.max\";"
             "echo max > \"$d/cg two/free/memory.max\"; echo 5 > \"$d/cg two/free/memory.current\"; echo 'max 100000' > \"$d/cg two/free/cpu.max\";"
             "mkdir -p \"$d/proc/80\" \"$d/cg two/my app/inner\"; printf '0::/my app/inner\\n' > \"$d/proc/80/cgroup\";"
             "printf 'Cpus_allowed_list:\\t0-3\\n' > \"$d/proc/80/status\"; echo max > \"$d/cg two/my app/inner/memory.max\";"
             "echo 7 > \"$d/cg two/my app/inner/memory.current\"; echo 'max 100000' > \"$d/cg two/my app/inner/cpu.max\"",
             dir, dir);
    cr_assert_eq(system(cmd), 0);
    char proc[512];
    snprintf(proc, sizeof proc, "%s/proc", dir);
    cr_assert_eq(ps_set_root(PS_ROOT_PROC, proc), 0);
    ps_cgroup_limits *l = NULL;
    cr_assert_eq(ps__cgroup_limits_pid(77, &l), 0);
    cr_expect_str_eq(l->path, "/my app");
    cr_expect_eq(l->memory_version, 2);
    cr_expect_eq(l->memory_limit_state, PS_LIMIT_SET);
    cr_expect_eq(l->memory_limit, 536870912ULL);
    cr_expect_eq(l->memory_usage, 1000);
    cr_expect_eq(l->cpu_quota_state, PS_LIMIT_SET);
    cr_expect_eq(l->cpu_quota_us, 150000);
    cr_expect_eq(l->cpu_period_us, 100000);
    cr_expect_eq(l->affinity_count, 8);
    cr_expect_eq(l->usable_cpus, 2); /* min(8, ceil(1.5)) */
    cr_expect_eq(l->effective_memory_limit, 536870912ULL);
    cr_expect_float_eq(l->effective_cpu_limit, 1.5, 1e-12);
    ps_cgroup_limits_free(l);
    cr_assert_eq(ps__cgroup_limits_pid(78, &l), 0);
    cr_expect_eq(l->memory_limit_state, PS_LIMIT_NONE);
    cr_expect_eq(l->cpu_quota_state, PS_LIMIT_NONE);
    cr_expect_eq(l->usable_cpus, 2); /* affinity {0, 2} */
    cr_expect_eq(l->effective_memory_limit_state, PS_LIMIT_NONE);
    cr_expect_eq(l->effective_cpu_limit_state, PS_LIMIT_NONE);
    ps_cgroup_limits_free(l);
    /* pid 80: its own cgroup is unlimited, its parent "/my app" is not */
    cr_assert_eq(ps__cgroup_limits_pid(80, &l), 0);
    cr_expect_str_eq(l->path, "/my app/inner");
    cr_expect_eq(l->memory_limit_state, PS_LIMIT_NONE);
    cr_expect_eq(l->memory_usage, 7);
    cr_expect_eq(l->effective_memory_limit_state, PS_LIMIT_SET);
    cr_expect_eq(l->effective_memory_limit, 536870912ULL);
    cr_expect_eq(l->cpu_quota_state, PS_LIMIT_NONE);
    cr_expect_eq(l->effective_cpu_limit_state, PS_LIMIT_SET);
    cr_expect_float_eq(l->effective_cpu_limit, 1.5, 1e-12);
    cr_expect_eq(l->affinity_count, 4);
    cr_expect_eq(l->usable_cpus, 2); /* min(4, ceil(1.5)) from the parent's quota */
    ps_cgroup_limits_free(l);
    cr_expect_eq(ps__cgroup_limits_pid(79, &l), PS_ENOPROC);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

Test(sysfix, disk_io_sysfs_fallback)
{
    /* no <proc>/diskstats: <sys>/block/NAME/stat and partition subdirectories (psutil #1321) */
    use_tree("sysblock");
    ps_diskio_list *l = NULL;
    cr_assert_eq(ps_disk_io_counters_perdisk(&l), 0);
    /* sda (17 numbers: the first 10 count), its partition sda1; queue/ has no "partition"
     * file; sr0's stat is too short */
    cr_assert_eq(l->count, 2);
    cr_expect_str_eq(l->items[0].name, "sda");
    cr_expect_eq(l->items[0].counters.read_count, 1);
    cr_expect_eq(l->items[0].counters.read_bytes, 3 * 512);
    cr_expect_eq(l->items[0].counters.write_bytes, 7 * 512);
    cr_expect_eq(l->items[0].counters.busy_time, 10);
    cr_expect_str_eq(l->items[1].name, "sda1");
    cr_expect_eq(l->items[1].counters.read_count, 100);
    ps_diskio_list_free(l);
    ps_diskio t;
    cr_assert_eq(ps_disk_io_counters(&t), 0);
    cr_expect_eq(t.read_count, 1); /* only the whole disk */
    cr_expect_eq(t.write_time, 8);
    /* neither source: unsupported */
    use_tree("old");
    cr_expect_eq(ps_disk_io_counters(&t), PS_ENOTSUP);
}

/* Random garbage in every file the readers parse: no crash, no leak (run under ASan/valgrind),
 * and only documented return codes. Deterministic seeds. */
static void garbage_file(const char *dir, const char *name, unsigned *seed)
{
    static const char alphabet[] = "0123456789   \t\n\n::--\\\\040abcXYZ,/=.\xff\xfe\x80";
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    int n = rand_r(seed) % 3000;
    for (int i = 0; i < n; i++) fputc(alphabet[rand_r(seed) % (sizeof alphabet - 1)], f);
    /* sometimes a plausible line with a huge number */
    if (rand_r(seed) % 2) fputs("\ncpu  18446744073709551615 99999999999999999999999 1 2\n", f);
    fclose(f);
}

static bool valid_rc(int rc) { return rc <= 0 && rc >= PS_ERANGE; }

Test(sysfix, garbage_never_crashes)
{
    char dir[] = "/tmp/psinfo-garbage-XXXXXX";
    cr_assert(mkdtemp(dir));
    char proc[64], sys[64], cmd[1024];
    snprintf(proc, sizeof proc, "%s/proc", dir);
    snprintf(sys, sizeof sys, "%s/sys", dir);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/self' '%s/1' '%s/block/sda' '%s/class/hwmon/hwmon0' "
             "'%s/class/power_supply/BAT0' '%s/devices/system/cpu/cpu0/topology'", proc, proc, sys, sys, sys, sys);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(ps_set_root(PS_ROOT_PROC, proc), 0);
    cr_assert_eq(ps_set_root(PS_ROOT_SYS, sys), 0);
    static const char *pf[] = {"stat", "meminfo", "zoneinfo", "vmstat", "loadavg", "filesystems", "diskstats",
                               "cpuinfo", "partitions", "self/mountinfo", "1/cgroup", "1/status", "self/cgroup", "self/status"};
    static const char *sf[] = {"devices/system/cpu/online", "devices/system/cpu/cpu0/topology/core_cpus_list",
                               "class/hwmon/hwmon0/name", "class/hwmon/hwmon0/temp1_input", "class/hwmon/hwmon0/fan1_input",
                               "class/power_supply/BAT0/capacity", "class/power_supply/BAT0/status"};
    for (unsigned iter = 0; iter < 150; iter++) {
        unsigned seed = iter * 2654435761u + 1;
        for (size_t i = 0; i < sizeof pf / sizeof pf[0]; i++) garbage_file(proc, pf[i], &seed);
        for (size_t i = 0; i < sizeof sf / sizeof sf[0]; i++) garbage_file(sys, sf[i], &seed);
        ps_cputimes t;
        cr_expect(valid_rc(ps_cpu_times(&t)));
        ps_cputimes_list *cl = NULL;
        cr_expect(valid_rc(ps_cpu_times_percpu(&cl)));
        ps_cputimes_list_free(cl);
        int32_t n;
        cr_expect(valid_rc(ps_cpu_count_logical(&n)));
        cr_expect(valid_rc(ps_cpu_count_physical(&n)));
        ps_cpustats st;
        cr_expect(valid_rc(ps_cpu_stats(&st)));
        ps_cpufreq f;
        cr_expect(valid_rc(ps_cpu_freq(&f)));
        double la[3], bt;
        cr_expect(valid_rc(ps_getloadavg(la)));
        cr_expect(valid_rc(ps_boot_time(&bt)));
        ps_vmem m;
        int rc = ps_virtual_memory(&m);
        cr_expect(valid_rc(rc));
        if (rc == 0) cr_expect(m.available <= m.total && m.used == m.total - m.available);
        ps_swapmem s;
        cr_expect(valid_rc(ps_swap_memory(&s)));
        ps_disk_partition_list *pl = NULL;
        cr_expect(valid_rc(ps_disk_partitions(1, &pl)));
        ps_disk_partition_list_free(pl);
        pl = NULL;
        cr_expect(valid_rc(ps_disk_partitions(0, &pl)));
        ps_disk_partition_list_free(pl);
        ps_diskio io;
        cr_expect(valid_rc(ps_disk_io_counters(&io)));
        ps_temperature_list *tl = NULL;
        cr_expect(valid_rc(ps_sensors_temperatures(&tl)));
        ps_temperature_list_free(tl);
        ps_fan_list *fl = NULL;
        cr_expect(valid_rc(ps_sensors_fans(&fl)));
        ps_fan_list_free(fl);
        ps_battery b;
        cr_expect(valid_rc(ps_sensors_battery(&b)));
        ps_cgroup_limits *cg = NULL;
        cr_expect(valid_rc(ps__cgroup_limits_pid(1, &cg)));
        ps_cgroup_limits_free(cg);
        cg = NULL;
        cr_expect(valid_rc(ps__cgroup_limits_pid(0, &cg)));
        ps_cgroup_limits_free(cg);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}
