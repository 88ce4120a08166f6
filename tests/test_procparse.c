/* SPDX-License-Identifier: MIT */
/*
 * The /proc parsers on fixed inputs with known answers: hostile comm (')', spaces, newlines),
 * truncated and short files, huge values, status keys, statm, io, smaps_rollup and smaps.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <psinfo.h>

#include "linux/procparse.h"
#include "helpers/fdcheck.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(procparse);

#define S(lit) lit, sizeof(lit) - 1

static const char stat_full[] =
    "1234 (a) b) c\nd) S 1 1234 1234 34816 1234 4194560 100 200 3 4 51 62 73 84 20 -5 7 0 "
    "987654 123456789 321 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 42 0 0 0 0 0 0 0 0 0 0\n";

Test(procparse, stat_hostile_comm_and_all_fields)
{
    ps__stat st;
    cr_assert_eq(ps__parse_stat_buf(S(stat_full), &st), 0);
    cr_assert_eq(st.comm_len, strlen("a) b) c\nd"));
    cr_assert_eq(memcmp(st.comm, "a) b) c\nd", st.comm_len), 0);
    cr_assert_eq(st.state, 'S');
    cr_assert_eq(st.ppid, 1);
    cr_assert_eq(st.pgrp, 1234);
    cr_assert_eq(st.tty_nr, 34816);
    cr_assert_eq(st.minflt, 100);
    cr_assert_eq(st.majflt, 3);
    cr_assert_eq(st.utime, 51);
    cr_assert_eq(st.stime, 62);
    cr_assert_eq(st.cutime, 73);
    cr_assert_eq(st.cstime, 84);
    cr_assert_eq(st.priority, 20);
    cr_assert_eq(st.nice, -5);
    cr_assert_eq(st.num_threads, 7);
    cr_assert_eq(st.starttime, 987654);
    cr_assert_eq(st.vsize, 123456789);
    cr_assert_eq(st.rss, 321);
    cr_assert_eq(st.processor, 1);
    cr_assert_eq(st.blkio_ticks, 42);
    cr_assert_geq(st.nfields, 40);
}

Test(procparse, stat_truncated_and_garbage)
{
    ps__stat st;
    /* up to starttime (field 22) only: accepted, processor unknown */
    static const char upto22[] = "5 (x) R 1 5 5 0 -1 0 0 0 0 0 9 8 0 0 20 0 1 0 777";
    cr_assert_eq(ps__parse_stat_buf(S(upto22), &st), 0);
    cr_assert_eq(st.starttime, 777);
    cr_assert_eq(st.processor, -1);
    cr_assert_eq(st.blkio_ticks, 0);
    /* one field short of starttime */
    static const char short21[] = "5 (x) R 1 5 5 0 -1 0 0 0 0 0 9 8 0 0 20 0 1 0";
    cr_assert_eq(ps__parse_stat_buf(S(short21), &st), -1);
    cr_assert_eq(ps__parse_stat_buf(S("5 (x"), &st), -1);
    cr_assert_eq(ps__parse_stat_buf(S("no parens at all"), &st), -1);
    cr_assert_eq(ps__parse_stat_buf(S(")("), &st), -1);
    cr_assert_eq(ps__parse_stat_buf("", 0, &st), -1);
    /* a buffer cut inside the comm must not read past len */
    cr_assert_eq(ps__parse_stat_buf(stat_full, 8, &st), -1);
}

Test(procparse, status_keys_found)
{
    static const char txt[] =
        "Name:\tmy\\nname\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t42\nNgid:\t0\nPid:\t42\n"
        "PPid:\t1\nTracerPid:\t0\nUid:\t1000\t1001\t1002\t1003\nGid:\t5\t6\t7\t8\n"
        "VmSwap:\t     12 kB\nThreads:\t3\nCpus_allowed_list:\t0-3,8\n"
        "voluntary_ctxt_switches:\t150\nnonvoluntary_ctxt_switches:\t545\n";
    ps__status st;
    ps__parse_status_buf(S(txt), &st);
    uint32_t all = PS__ST_NAME | PS__ST_UMASK | PS__ST_STATE | PS__ST_TGID | PS__ST_PPID |
                   PS__ST_UID | PS__ST_GID | PS__ST_THREADS | PS__ST_VCTX | PS__ST_NVCTX |
                   PS__ST_CPUS_ALLOWED_LIST | PS__ST_VMSWAP;
    cr_assert_eq(st.found & all, all);
    cr_assert_eq(st.name_len, strlen("my\\nname"));
    cr_assert_eq(st.umask, 022);
    cr_assert_eq(st.state, 'S');
    cr_assert_eq(st.tgid, 42);
    cr_assert_eq(st.ppid, 1);
    cr_assert_eq(st.uid[0], 1000);
    cr_assert_eq(st.uid[3], 1003);
    cr_assert_eq(st.gid[2], 7);
    cr_assert_eq(st.threads, 3);
    cr_assert_eq(st.vol_ctxt, 150);
    cr_assert_eq(st.nonvol_ctxt, 545);
    cr_assert_eq(st.vmswap_kb, 12);
    cr_assert_eq(st.cpus_allowed_list_len, 5);
    cr_assert_eq(memcmp(st.cpus_allowed_list, "0-3,8", 5), 0);
    /* a truncated file: only what is there */
    ps__parse_status_buf(txt, 30, &st);
    cr_assert_eq(st.found & PS__ST_UID, 0);
    cr_assert_eq(st.found & PS__ST_NAME, PS__ST_NAME);
}

Test(procparse, status_memory_lines)
{
    /* A 6.1 kernel's lines (values made up), with near-miss keys that must not match:
     * "VmPeakX" is not "VmPeak:", "RssAnonymous" not "RssAnon:", "Hugetlb:" not "HugetlbPages:". */
    static const char txt[] =
        "Name:\tx\nVmPeakX:\t1 kB\nVmPeak:\t  123456 kB\nVmSize:\t  120000 kB\n"
        "VmLck:\t       0 kB\nVmHWM:\t    4321 kB\nVmRSS:\t    4000 kB\nRssAnonymous:\t5 kB\n"
        "RssAnon:\t     700 kB\nRssFile:\t    3200 kB\nRssShmem:\t     100 kB\n"
        "VmSwap:\t      12 kB\nHugetlb:\t9 kB\nHugetlbPages:\t    2048 kB\n";
    ps__status st;
    ps__parse_status_buf(S(txt), &st);
    uint32_t all = PS__ST_VMPEAK | PS__ST_VMHWM | PS__ST_VMRSS | PS__ST_RSSANON | PS__ST_RSSFILE |
                   PS__ST_RSSSHMEM | PS__ST_VMSWAP | PS__ST_HUGETLB;
    cr_assert_eq(st.found & all, all);
    cr_expect_eq(st.vmpeak_kb, 123456);
    cr_expect_eq(st.vmhwm_kb, 4321);
    cr_expect_eq(st.vmrss_kb, 4000);
    cr_expect_eq(st.rssanon_kb, 700);
    cr_expect_eq(st.rssfile_kb, 3200);
    cr_expect_eq(st.rssshmem_kb, 100);
    cr_expect_eq(st.vmswap_kb, 12);
    cr_expect_eq(st.hugetlb_kb, 2048);
    /* a 4.4 kernel (no RssAnon/RssFile/RssShmem) and a zombie (no Vm* lines at all) */
    static const char old[] = "Name:\tx\nVmPeak:\t10 kB\nVmHWM:\t5 kB\nVmRSS:\t4 kB\n";
    ps__parse_status_buf(S(old), &st);
    cr_expect_eq(st.found & (PS__ST_RSSANON | PS__ST_RSSFILE | PS__ST_RSSSHMEM | PS__ST_HUGETLB), 0);
    cr_expect_eq(st.found & (PS__ST_VMPEAK | PS__ST_VMHWM | PS__ST_VMRSS),
                 PS__ST_VMPEAK | PS__ST_VMHWM | PS__ST_VMRSS);
    static const char zombie[] = "Name:\tx\nState:\tZ (zombie)\nThreads:\t1\n";
    ps__parse_status_buf(S(zombie), &st);
    cr_expect_eq(st.found & (all | PS__ST_VMRSS), 0);
}

Test(procparse, statm_io)
{
    ps__statm m;
    cr_assert_eq(ps__parse_statm_buf(S("10 20 30 40 0 60 0\n"), &m), 0);
    cr_assert_eq(m.size, 10);
    cr_assert_eq(m.resident, 20);
    cr_assert_eq(m.data, 60);
    cr_assert_eq(ps__parse_statm_buf(S("10 20 30"), &m), -1);
    ps__io io;
    static const char txt[] = "rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\n"
                              "write_bytes: 18446744073709551615\ncancelled_write_bytes: 7\n";
    ps__parse_io_buf(S(txt), &io);
    cr_assert_eq(io.found, 0x7f);
    cr_assert_eq(io.syscw, 4);
    cr_assert_eq(io.write_bytes, UINT64_MAX);
    ps__parse_io_buf(S("rchar: 1\ngarbage\n"), &io);
    cr_assert_eq(io.found, PS__IO_RCHAR);
}

Test(procparse, smaps_rollup_and_blocks)
{
    static const char rollup[] =
        "00400000-7ffd [rollup]\nRss:  100 kB\nPss:  50 kB\nPss_Anon: 10 kB\n"
        "Private_Clean: 8 kB\nPrivate_Dirty: 4 kB\nPrivate_Hugetlb: 2 kB\nSwap: 3 kB\n";
    ps__smaps_sums s;
    memset(&s, 0, sizeof s);
    ps__parse_smaps_rollup_buf(S(rollup), &s);
    cr_assert_eq(s.rss, 100 * 1024);
    cr_assert_eq(s.pss, 50 * 1024);
    cr_assert_eq(s.private_total, 14 * 1024, "uss = every Private_* line");
    cr_assert_eq(s.swap, 3 * 1024);
    static const char smaps[] =
        "55d0-55d1 r--p 00000000 fe:01 123   /usr/bin/my prog (deleted)\n"
        "Size: 8 kB\nRss: 4 kB\nPss: 2 kB\nShared_Clean: 1 kB\nPrivate_Dirty: 1 kB\n"
        "VmFlags: rd mr mw me\n"
        "7f00-7f01 rw-p 00000000 00:00 0 \n"
        "Size: 4 kB\nRss: 4 kB\nAnonymous: 4 kB\nSwap: 0 kB\n";
    size_t pos = 0;
    ps__smaps_block b;
    cr_assert_eq(ps__smaps_next(S(smaps), &pos, &b), 1);
    cr_assert_eq(b.addr_len, 9);
    cr_assert_eq(memcmp(b.addr, "55d0-55d1", 9), 0);
    cr_assert_eq(memcmp(b.perms, "r--p", 4), 0);
    cr_assert_eq(b.path_len, strlen("/usr/bin/my prog (deleted)"));
    cr_assert_eq(b.sums.size, 8 * 1024);
    cr_assert_eq(b.sums.private_dirty, 1024);
    cr_assert_eq(ps__smaps_next(S(smaps), &pos, &b), 1);
    cr_assert_eq(b.path_len, 0, "anonymous mapping: empty path (trailing space dropped)");
    cr_assert_eq(b.sums.anonymous, 4 * 1024);
    cr_assert_eq(ps__smaps_next(S(smaps), &pos, &b), 0);
}

Test(procparse, status_letters)
{
    const char *letters = "RSDTtZXxKWIP?";
    const int want[] = {PS_STATUS_RUNNING, PS_STATUS_SLEEPING, PS_STATUS_DISK_SLEEP,
                        PS_STATUS_STOPPED, PS_STATUS_TRACING_STOP, PS_STATUS_ZOMBIE,
                        PS_STATUS_DEAD, PS_STATUS_DEAD, PS_STATUS_WAKE_KILL, PS_STATUS_WAKING,
                        PS_STATUS_IDLE, PS_STATUS_PARKED, PS_STATUS_UNKNOWN};
    for (int i = 0; letters[i]; i++) cr_assert_eq(ps__status_from_letter(letters[i]), want[i]);
}
