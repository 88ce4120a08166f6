/* SPDX-License-Identifier: MIT */
/*
 * The macOS decoders (src/bsd/darwin_parse.c) on fixtures with known answers. The fixtures are
 * built from C structs that copy Apple's declarations field for field (sys/proc_info.h,
 * sys/resource.h, sys/sysctl.h, mach/vm_statistics.h, net/if.h, net/if_var.h, net/if_dl.h),
 * filled by field name, so the decoders' hand-written offsets are checked against the compiler's
 * layout of the documented structs (the macOS build also asserts them against the SDK).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <psinfo.h>

#include "bsd/darwin_parse.h"
#include "helpers/fdcheck.h"

FDCHECK_SUITE(darwin_parse);

/* ---- the documented layouts ------------------------------------------------------------ */

struct m_proc_taskinfo {
    uint64_t pti_virtual_size, pti_resident_size, pti_total_user, pti_total_system;
    uint64_t pti_threads_user, pti_threads_system;
    int32_t pti_policy, pti_faults, pti_pageins, pti_cow_faults, pti_messages_sent;
    int32_t pti_messages_received, pti_syscalls_mach, pti_syscalls_unix, pti_csw;
    int32_t pti_threadnum, pti_numrunning, pti_priority;
};

struct m_rusage_info_v0 {
    uint8_t ri_uuid[16];
    uint64_t ri_user_time, ri_system_time, ri_pkg_idle_wkups, ri_interrupt_wkups, ri_pageins;
    uint64_t ri_wired_size, ri_resident_size, ri_phys_footprint, ri_proc_start_abstime;
    uint64_t ri_proc_exit_abstime;
};

struct m_xsw_usage {
    uint64_t xsu_total, xsu_avail, xsu_used;
    uint32_t xsu_pagesize;
    int32_t xsu_encrypted;   /* boolean_t */
};

struct m_vm_statistics64 {
    uint32_t free_count, active_count, inactive_count, wire_count;
    uint64_t zero_fill_count, reactivations, pageins, pageouts, faults, cow_faults, lookups;
    uint64_t hits, purges;
    uint32_t purgeable_count, speculative_count;
    uint64_t decompressions, compressions, swapins, swapouts;
    uint32_t compressor_page_count, throttled_count, external_page_count, internal_page_count;
    uint64_t total_uncompressed_pages_in_compressor;
} __attribute__((aligned(8)));

#pragma pack(4)
struct m_if_data64 {
    uint8_t ifi_type, ifi_typelen, ifi_physical, ifi_addrlen, ifi_hdrlen, ifi_recvquota;
    uint8_t ifi_xmitquota, ifi_unused1;
    uint32_t ifi_mtu, ifi_metric;
    uint64_t ifi_baudrate, ifi_ipackets, ifi_ierrors, ifi_opackets, ifi_oerrors;
    uint64_t ifi_collisions, ifi_ibytes, ifi_obytes, ifi_imcasts, ifi_omcasts, ifi_iqdrops;
    uint64_t ifi_noproto;
    uint32_t ifi_recvtiming, ifi_xmittiming;
    struct { int32_t tv_sec, tv_usec; } ifi_lastchange;   /* struct timeval32 */
};
#pragma pack()

struct m_if_msghdr2 {
    unsigned short ifm_msglen;
    unsigned char ifm_version, ifm_type;
    int ifm_addrs, ifm_flags;
    unsigned short ifm_index;
    int ifm_snd_len, ifm_snd_maxlen, ifm_snd_drops, ifm_timer;
    struct m_if_data64 ifm_data;
};

struct m_sockaddr_dl {
    uint8_t sdl_len, sdl_family;
    uint16_t sdl_index;
    uint8_t sdl_type, sdl_nlen, sdl_alen, sdl_slen;
    char sdl_data[12];
};

Test(darwin_parse, mirrored_sizes_match_the_decoders)
{
    cr_assert_eq(sizeof(struct m_proc_taskinfo), PS__DARWIN_TASKINFO_SIZE);
    cr_assert_eq(sizeof(struct m_rusage_info_v0), PS__DARWIN_RUSAGE_V0_SIZE);
    cr_assert_eq(sizeof(struct m_xsw_usage), PS__DARWIN_XSW_USAGE_SIZE);
    cr_assert_eq(sizeof(struct m_vm_statistics64), PS__DARWIN_VMSTAT_SIZE);
    cr_assert_eq(offsetof(struct m_vm_statistics64, decompressions), PS__DARWIN_VMSTAT_MIN_SIZE);
    cr_assert_eq(sizeof(struct m_if_msghdr2), PS__DARWIN_IFMSGHDR2_SIZE);
}

/* ---- KERN_PROCARGS2 --------------------------------------------------------------------- */

/* argc word, then the raw bytes (which may hold NULs). */
static size_t procargs(unsigned char *out, int32_t argc, const char *rest, size_t rest_len)
{
    memcpy(out, &argc, 4);
    memcpy(out + 4, rest, rest_len);
    return 4 + rest_len;
}
#define PA(buf, argc, lit) procargs(buf, argc, lit, sizeof(lit) - 1)

Test(darwin_parse, procargs_full_layout)
{
    unsigned char b[256] = {0};
    /* exec path, padding to 8, 3 args (one empty), 2 env strings, the empty end, then junk */
    size_t n = PA(b, 3, "/bin/sh\0\0\0\0\0sh\0\0-c x\0HOME=/h\0A=1\0\0JUNK\0");
    ps__darwin_procargs a;
    cr_assert_eq(ps__darwin_parse_procargs(b, n, &a), 0);
    cr_assert_eq(a.exec_path_len, 7);
    cr_assert_eq(memcmp(a.exec_path, "/bin/sh", 7), 0);
    cr_assert_eq(a.argc, 3);
    cr_assert_eq(a.argv_len, sizeof("sh\0\0-c x"));
    cr_assert_eq(memcmp(a.argv, "sh\0\0-c x\0", a.argv_len), 0);
    cr_assert_eq(a.env_len, sizeof("HOME=/h\0A=1"));
    cr_assert_eq(memcmp(a.env, "HOME=/h\0A=1\0", a.env_len), 0);
}

Test(darwin_parse, procargs_truncated_and_hostile)
{
    unsigned char b[256] = {0};
    ps__darwin_procargs a;
    /* shorter than argc, NULL buffer, negative argc */
    cr_assert_eq(ps__darwin_parse_procargs(b, 3, &a), PS_EPARSE);
    cr_assert_eq(ps__darwin_parse_procargs(NULL, 0, &a), PS_EPARSE);
    size_t n = PA(b, -1, "/x\0a\0");
    cr_assert_eq(ps__darwin_parse_procargs(b, n, &a), PS_EPARSE);
    /* argc only */
    n = PA(b, 0, "");
    cr_assert_eq(ps__darwin_parse_procargs(b, n, &a), 0);
    cr_assert_eq(a.exec_path_len, 0);
    cr_assert_eq(a.argc, 0);
    cr_assert_eq(a.env_len, 0);
    /* unterminated exec path filling the buffer */
    n = PA(b, 2, "/no/nul");
    cr_assert_eq(ps__darwin_parse_procargs(b, n, &a), 0);
    cr_assert_eq(a.exec_path_len, 7);
    cr_assert_eq(a.argc, 0);
    cr_assert_eq(a.argv_len, 0);
    /* argc claims more than the buffer holds: the complete ones, the cut one dropped */
    n = PA(b, 1000, "/p\0\0one\0two\0thr");
    cr_assert_eq(ps__darwin_parse_procargs(b, n, &a), 0);
    cr_assert_eq(a.argc, 2);
    cr_assert_eq(a.argv_len, 8);
    cr_assert_eq(memcmp(a.argv, "one\0two\0", 8), 0);
    cr_assert_eq(a.env_len, 0);
    /* environment without its empty terminator, cut in the last string */
    n = PA(b, 1, "/p\0a\0K=V\0L=W");
    cr_assert_eq(ps__darwin_parse_procargs(b, n, &a), 0);
    cr_assert_eq(a.argc, 1);
    cr_assert_eq(a.env_len, 4);
    cr_assert_eq(memcmp(a.env, "K=V\0", 4), 0);
    /* only padding after the path */
    n = PA(b, 2, "/p\0\0\0\0\0\0");
    cr_assert_eq(ps__darwin_parse_procargs(b, n, &a), 0);
    cr_assert_eq(a.argc, 0);
    cr_assert_eq(a.env_len, 0);
}

Test(darwin_parse, procargs_invalid_utf8_goes_through_the_decoder)
{
    unsigned char b[64] = {0};
    ps_set_errors_policy(PS_ERRORS_SURROGATEESCAPE);
    size_t n = PA(b, 1, "/p\xff\0\0ab\xc3(\0");
    ps__darwin_procargs a;
    cr_assert_eq(ps__darwin_parse_procargs(b, n, &a), 0);
    char *s = NULL;
    cr_assert_eq(ps__decode_native(a.exec_path, a.exec_path_len, &s, NULL), 0);
    cr_assert_str_eq(s, "/p\xed\xb3\xbf");   /* 0xff -> U+DCFF */
    ps_free(s);
    cr_assert_eq(a.argc, 1);
    cr_assert_eq(ps__decode_native(a.argv, a.argv_len - 1, &s, NULL), 0);
    cr_assert_str_eq(s, "ab\xed\xb3\x83(");   /* 0xc3 -> U+DCC3 */
    ps_free(s);
}

/* ---- Mach time -------------------------------------------------------------------------- */

Test(darwin_parse, mach_time_conversion)
{
    /* Intel: 1/1; Apple Silicon: 125/3 (24 MHz ticks) */
    cr_assert_eq(ps__darwin_ticks_to_ns(123456789, 1, 1), 123456789);
    cr_assert_eq(ps__darwin_ticks_to_ns(24000000, 125, 3), 1000000000);
    cr_assert_eq(ps__darwin_ticks_to_ns(3, 125, 3), 125);
    cr_assert_eq(ps__darwin_ticks_to_ns(1, 125, 3), 41);    /* 41.67 truncated */
    /* no overflow where ticks * numer exceeds 2^64: 2^62 ticks * 125 / 3 */
    uint64_t big = (uint64_t)1 << 62;
    cr_assert_eq(ps__darwin_ticks_to_ns(big / 125 * 3, 125, 3), big / 125 * 125);
    cr_assert_eq(ps__darwin_ticks_to_ns(UINT64_MAX, 125, 3), UINT64_MAX);   /* saturates */
    cr_assert_eq(ps__darwin_ticks_to_ns(5, 1, 0), UINT64_MAX);
    cr_assert_eq(ps__darwin_tbfreq_from_timebase(125, 3), 24000000);
    cr_assert_eq(ps__darwin_tbfreq_from_timebase(1, 1), 1000000000);
    cr_assert_eq(ps__darwin_tbfreq_from_timebase(0, 1), 0);
    cr_assert_float_eq(ps__darwin_ticks_to_sec(36000000, 24000000), 1.5, 1e-12);
    cr_assert_float_eq(ps__darwin_ticks_to_sec(2500000000u, 1000000000), 2.5, 1e-12);
    cr_assert(isnan(ps__darwin_ticks_to_sec(1, 0)));
    /* exact beyond 2^53 ticks: whole seconds kept apart from the fraction */
    uint64_t t = ((uint64_t)1 << 60) + 12000000;   /* 2^60 ticks at 24 MHz */
    double sec = ps__darwin_ticks_to_sec(t, 24000000);
    cr_assert_float_eq(sec, (double)(((uint64_t)1 << 60) / 24000000) +
                                (double)((((uint64_t)1 << 60) % 24000000) + 12000000) / 24e6, 1e-3);
}

/* ---- proc_taskinfo / rusage_info_v0 ----------------------------------------------------- */

Test(darwin_parse, taskinfo_conversions)
{
    struct m_proc_taskinfo ti;
    memset(&ti, 0x5a, sizeof ti);   /* fields the decoder must not read */
    ti.pti_virtual_size = 0x123456789abcULL;
    ti.pti_resident_size = 7 * 16384;
    ti.pti_total_user = 48000000;    /* 2 s at 24 MHz */
    ti.pti_total_system = 6000000;   /* 0.25 s */
    ti.pti_faults = 1000;
    ti.pti_pageins = 30;
    ti.pti_csw = 4242;
    ti.pti_threadnum = 9;
    ps__darwin_task t;
    cr_assert_eq(ps__darwin_decode_taskinfo(&ti, sizeof ti, &t), 0);
    cr_assert_eq(t.threadnum, 9);
    ps_proc_cputimes c;
    ps__darwin_task_cputimes(&t, 24000000, &c);
    cr_assert_float_eq(c.user, 2.0, 1e-12);
    cr_assert_float_eq(c.system, 0.25, 1e-12);
    cr_assert(isnan(c.children_user) && isnan(c.children_system) && isnan(c.iowait));
    /* Intel: ticks are nanoseconds */
    ps__darwin_task_cputimes(&t, 1000000000, &c);
    cr_assert_float_eq(c.user, 0.048, 1e-12);
    ps_proc_mem m;
    ps__darwin_task_mem(&t, &m);
    cr_assert_eq(m.rss, 7 * 16384);
    cr_assert_eq(m.vms, 0x123456789abcULL);
    cr_assert_eq(m.shared, PS_UNKNOWN_U64);
    cr_assert_eq(m.text, PS_UNKNOWN_U64);
    cr_assert_eq(m.data, PS_UNKNOWN_U64);
    cr_assert_eq(m.stack, PS_UNKNOWN_U64);
    cr_assert_eq(m.peak_rss, PS_UNKNOWN_U64);
    cr_assert_eq(m.peak_vms, PS_UNKNOWN_U64);
    ps_proc_pagefaults pf;
    ps__darwin_task_faults(&t, &pf);
    cr_assert_eq(pf.major, 30);
    cr_assert_eq(pf.minor, 970);
    ps_proc_ctxsw cs;
    ps__darwin_task_ctxsw(&t, &cs);
    cr_assert_eq(cs.voluntary, 4242);
    cr_assert_eq(cs.involuntary, PS_UNKNOWN_U64);
    /* a short (or long) read is an error, as psutil treats it */
    cr_assert_eq(ps__darwin_decode_taskinfo(&ti, sizeof ti - 1, &t), PS_EPARSE);
    cr_assert_eq(ps__darwin_decode_taskinfo(NULL, sizeof ti, &t), PS_EPARSE);
    /* 32-bit counters past 2^31 read unsigned */
    ti.pti_faults = (int32_t)0x80000010u;
    ti.pti_pageins = 0x10;
    cr_assert_eq(ps__darwin_decode_taskinfo(&ti, sizeof ti, &t), 0);
    ps__darwin_task_faults(&t, &pf);
    cr_assert_eq(pf.minor, 0x80000000u);
}

Test(darwin_parse, rusage_v0)
{
    struct m_rusage_info_v0 ri;
    memset(&ri, 0xa5, sizeof ri);
    ri.ri_user_time = 11;
    ri.ri_system_time = 22;
    ri.ri_pageins = 33;
    ri.ri_wired_size = 44 * 4096;
    ri.ri_resident_size = 55 * 4096;
    ri.ri_phys_footprint = 66 * 4096;
    ri.ri_proc_start_abstime = 77;
    ps__darwin_rusage r;
    cr_assert_eq(ps__darwin_decode_rusage(&ri, sizeof ri, &r), 0);
    cr_assert_eq(r.user_time, 11);
    cr_assert_eq(r.system_time, 22);
    cr_assert_eq(r.pageins, 33);
    cr_assert_eq(r.wired_size, 44 * 4096);
    cr_assert_eq(r.resident_size, 55 * 4096);
    cr_assert_eq(r.phys_footprint, 66 * 4096);
    cr_assert_eq(r.start_abstime, 77);
    cr_assert_eq(ps__darwin_decode_rusage(&ri, sizeof ri - 8, &r), PS_EPARSE);
}

/* ---- swap and virtual memory ------------------------------------------------------------ */

Test(darwin_parse, swapusage)
{
    struct m_xsw_usage x = {0};
    x.xsu_total = 2147483648ULL;   /* 2 GiB, as `sysctl vm.swapusage` shows "total = 2048.00M" */
    x.xsu_used = 1073479680ULL;    /* "used = 1023.75M" */
    x.xsu_avail = x.xsu_total - x.xsu_used;
    x.xsu_pagesize = 16384;
    x.xsu_encrypted = 1;
    uint64_t t, u, a;
    cr_assert_eq(ps__darwin_decode_swapusage(&x, sizeof x, &t, &u, &a), 0);
    cr_assert_eq(t, 2147483648ULL);
    cr_assert_eq(u, 1073479680ULL);
    cr_assert_eq(a, 2147483648ULL - 1073479680ULL);
    cr_assert_eq(ps__darwin_decode_swapusage(&x, sizeof x - 4, &t, &u, &a), PS_EPARSE);
    x.xsu_used = x.xsu_total + 1;
    cr_assert_eq(ps__darwin_decode_swapusage(&x, sizeof x, &t, &u, &a), PS_EPARSE);
}

Test(darwin_parse, vm_statistics64_arithmetic)
{
    /* A vm_stat reading of an 8 GiB Apple Silicon machine (16 KiB pages). */
    struct m_vm_statistics64 v;
    memset(&v, 0x77, sizeof v);
    v.free_count = 12000;
    v.speculative_count = 2000;
    v.active_count = 200000;
    v.inactive_count = 190000;
    v.wire_count = 80000;
    v.pageins = 5000000;
    v.pageouts = 123;
    ps__darwin_vmstat s;
    cr_assert_eq(ps__darwin_decode_vmstat(&v, sizeof v, &s), 0);
    cr_assert_eq(s.pageins, 5000000);
    cr_assert_eq(s.pageouts, 123);
    ps__darwin_vmem m;
    ps__darwin_vmem_compute(&s, 8589934592ULL, 16384, &m);
    cr_assert_eq(m.total, 8589934592ULL);
    cr_assert_eq(m.active, 200000ULL * 16384);
    cr_assert_eq(m.inactive, 190000ULL * 16384);
    cr_assert_eq(m.wired, 80000ULL * 16384);
    cr_assert_eq(m.free, 10000ULL * 16384);              /* free - speculative */
    cr_assert_eq(m.available, (190000ULL + 12000) * 16384);   /* inactive + free_count */
    cr_assert_eq(m.used, (200000ULL + 80000) * 16384);   /* active + wired */
    /* revision 0 is enough; shorter is not */
    cr_assert_eq(ps__darwin_decode_vmstat(&v, PS__DARWIN_VMSTAT_MIN_SIZE, &s), 0);
    cr_assert_eq(ps__darwin_decode_vmstat(&v, PS__DARWIN_VMSTAT_MIN_SIZE - 1, &s), PS_EPARSE);
    /* more speculative than free (a racy snapshot): free 0, not a wrapped huge value */
    v.free_count = 10;
    v.speculative_count = 20;
    cr_assert_eq(ps__darwin_decode_vmstat(&v, sizeof v, &s), 0);
    ps__darwin_vmem_compute(&s, 1, 4096, &m);
    cr_assert_eq(m.free, 0);
    cr_assert_eq(m.available, 190000ULL * 4096 + 10 * 4096);
}

/* ---- NET_RT_IFLIST2 --------------------------------------------------------------------- */

/* Append one RTM_IFINFO2 message (header + sockaddr_dl with the name) to b at *n. */
static void put_ifinfo2(unsigned char *b, size_t *n, const char *name, uint64_t base)
{
    struct m_if_msghdr2 h;
    struct m_sockaddr_dl dl;
    memset(&h, 0, sizeof h);
    memset(&dl, 0, sizeof dl);
    h.ifm_msglen = (unsigned short)(sizeof h + sizeof dl);
    h.ifm_version = 5;
    h.ifm_type = PS__DARWIN_RTM_IFINFO2;
    h.ifm_flags = 0x8863;
    h.ifm_data.ifi_mtu = 1500;
    h.ifm_data.ifi_ipackets = base + 1;
    h.ifm_data.ifi_ierrors = base + 2;
    h.ifm_data.ifi_opackets = base + 3;
    h.ifm_data.ifi_oerrors = base + 4;
    h.ifm_data.ifi_collisions = 999;
    h.ifm_data.ifi_ibytes = base + 5;
    h.ifm_data.ifi_obytes = base + 6;
    h.ifm_data.ifi_imcasts = 998;
    h.ifm_data.ifi_iqdrops = base + 7;
    dl.sdl_len = sizeof dl;
    dl.sdl_family = 18;   /* AF_LINK */
    dl.sdl_nlen = (uint8_t)strlen(name);
    memcpy(dl.sdl_data, name, strlen(name));
    memcpy(b + *n, &h, sizeof h);
    memcpy(b + *n + sizeof h, &dl, sizeof dl);
    *n += sizeof h + sizeof dl;
}

Test(darwin_parse, iflist2_counters)
{
    unsigned char b[1024] = {0};
    size_t n = 0;
    put_ifinfo2(b, &n, "lo0", 100);
    /* an RTM_NEWADDR message (type 0xc) in between is skipped by its length */
    unsigned char other[24] = {24, 0, 5, 0x0c};
    memcpy(b + n, other, sizeof other);
    n += sizeof other;
    put_ifinfo2(b, &n, "en0", (uint64_t)1 << 40);
    size_t pos = 0;
    ps__darwin_ifcounters c;
    cr_assert_eq(ps__darwin_next_ifinfo2(b, n, &pos, &c), 1);
    cr_assert_eq(c.name_len, 3);
    cr_assert_eq(memcmp(c.name, "lo0", 3), 0);
    cr_assert_eq(c.mtu, 1500);
    cr_assert_eq(c.flags, 0x8863);
    cr_assert_eq(c.io.packets_recv, 101);
    cr_assert_eq(c.io.errin, 102);
    cr_assert_eq(c.io.packets_sent, 103);
    cr_assert_eq(c.io.errout, 104);
    cr_assert_eq(c.io.bytes_recv, 105);
    cr_assert_eq(c.io.bytes_sent, 106);
    cr_assert_eq(c.io.dropin, 107);
    cr_assert_eq(c.io.dropout, PS_UNKNOWN_U64);   /* not counted: unknown, not 0 */
    cr_assert_eq(ps__darwin_next_ifinfo2(b, n, &pos, &c), 1);
    cr_assert_eq(memcmp(c.name, "en0", 3), 0);
    cr_assert_eq(c.io.bytes_sent, ((uint64_t)1 << 40) + 6);
    cr_assert_eq(ps__darwin_next_ifinfo2(b, n, &pos, &c), 0);
    cr_assert_eq(pos, n);
}

Test(darwin_parse, iflist2_hostile)
{
    unsigned char b[1024] = {0};
    size_t n = 0, pos = 0;
    ps__darwin_ifcounters c;
    put_ifinfo2(b, &n, "en0", 0);
    /* cut inside the message */
    cr_assert_eq(ps__darwin_next_ifinfo2(b, n - 1, &pos, &c), PS_EPARSE);
    /* a zero length would loop forever */
    pos = 0;
    unsigned char zero[8] = {0};
    cr_assert_eq(ps__darwin_next_ifinfo2(zero, sizeof zero, &pos, &c), PS_EPARSE);
    /* RTM_IFINFO2 claiming a length shorter than its header */
    pos = 0;
    unsigned char tiny[16] = {16, 0, 5, PS__DARWIN_RTM_IFINFO2};
    cr_assert_eq(ps__darwin_next_ifinfo2(tiny, sizeof tiny, &pos, &c), PS_EPARSE);
    /* a name length beyond the message is clamped to what is there */
    pos = 0;
    b[PS__DARWIN_IFMSGHDR2_SIZE + 5] = 200;
    cr_assert_eq(ps__darwin_next_ifinfo2(b, n, &pos, &c), 1);
    cr_assert_leq(c.name_len, 12);
    cr_assert_leq((const unsigned char *)c.name + c.name_len, b + n);
    /* 3 trailing bytes */
    pos = 0;
    cr_assert_eq(ps__darwin_next_ifinfo2(b, n + 3, &pos, &c), 1);
    cr_assert_eq(ps__darwin_next_ifinfo2(b, n + 3, &pos, &c), PS_EPARSE);
}

/* ---- tables ----------------------------------------------------------------------------- */

Test(darwin_parse, status_guess)
{
    cr_assert_eq(ps__darwin_status(PS__DARWIN_SZOMB, PS__DARWIN_P_SYSTEM, 0), PS_STATUS_ZOMBIE);
    cr_assert_eq(ps__darwin_status(PS__DARWIN_SSTOP, 0, PS__DARWIN_EPROC_SLEADER), PS_STATUS_STOPPED);
    cr_assert_eq(ps__darwin_status(PS__DARWIN_SRUN, PS__DARWIN_P_SYSTEM, 0), PS_STATUS_IDLE);
    cr_assert_eq(ps__darwin_status(PS__DARWIN_SRUN, PS__DARWIN_P_WEXIT, 0), PS_STATUS_IDLE);
    cr_assert_eq(ps__darwin_status(PS__DARWIN_SRUN, PS__DARWIN_P_PPWAIT, 0), PS_STATUS_IDLE);
    cr_assert_eq(ps__darwin_status(PS__DARWIN_SRUN, 0, PS__DARWIN_EPROC_SLEADER), PS_STATUS_SLEEPING);
    cr_assert_eq(ps__darwin_status(PS__DARWIN_SRUN, 0, 0), PS_STATUS_RUNNING);
    cr_assert_eq(ps__darwin_status(PS__DARWIN_SSLEEP, 0, 0), PS_STATUS_SLEEPING);
    cr_assert_eq(ps__darwin_status(PS__DARWIN_SIDL, 0, 0), PS_STATUS_IDLE);
    cr_assert_eq(ps__darwin_status(0, 0, 0), PS_STATUS_UNKNOWN);
    cr_assert_eq(ps__darwin_status(99, 0, 0), PS_STATUS_UNKNOWN);
}

Test(darwin_parse, tcp_states_and_cpu_ticks)
{
    cr_assert_eq(ps__darwin_tcp_status(0), PS_CONN_CLOSE);
    cr_assert_eq(ps__darwin_tcp_status(1), PS_CONN_LISTEN);
    cr_assert_eq(ps__darwin_tcp_status(4), PS_CONN_ESTABLISHED);
    cr_assert_eq(ps__darwin_tcp_status(6), PS_CONN_FIN_WAIT1);
    cr_assert_eq(ps__darwin_tcp_status(9), PS_CONN_FIN_WAIT2);
    cr_assert_eq(ps__darwin_tcp_status(10), PS_CONN_TIME_WAIT);
    cr_assert_eq(ps__darwin_tcp_status(11), PS_CONN_NONE);
    cr_assert_eq(ps__darwin_tcp_status(-1), PS_CONN_NONE);
    const uint32_t ticks[4] = {1234, 567, 89000, 10};   /* USER, SYSTEM, IDLE, NICE */
    ps_cputimes t;
    ps__darwin_cpu_ticks(ticks, &t);
    cr_assert_float_eq(t.user, 12.34, 1e-9);
    cr_assert_float_eq(t.system, 5.67, 1e-9);
    cr_assert_float_eq(t.idle, 890.0, 1e-9);
    cr_assert_float_eq(t.nice, 0.1, 1e-9);
    /* psutil's macOS tuple has user, nice, system, idle: every other column unknown */
    cr_assert(isnan(t.iowait) && isnan(t.irq) && isnan(t.softirq) && isnan(t.steal));
    cr_assert(isnan(t.guest) && isnan(t.guest_nice) && isnan(t.dpc));
}

/* ---- proc_regioninfo (uss) and open modes ------------------------------------------------ */

struct m_proc_regioninfo {
    uint32_t pri_protection, pri_max_protection, pri_inheritance, pri_flags;
    uint64_t pri_offset;
    uint32_t pri_behavior, pri_user_wired_count, pri_user_tag, pri_pages_resident;
    uint32_t pri_pages_shared_now_private, pri_pages_swapped_out, pri_pages_dirtied;
    uint32_t pri_ref_count, pri_shadow_depth, pri_share_mode, pri_private_pages_resident;
    uint32_t pri_shared_pages_resident, pri_obj_id, pri_depth;
    uint64_t pri_address, pri_size;
};

static ps__darwin_region region(uint32_t mode, uint32_t refs, uint32_t priv, uint32_t shared,
                                uint64_t addr)
{
    struct m_proc_regioninfo ri;
    memset(&ri, 0x33, sizeof ri);
    ri.pri_share_mode = mode;
    ri.pri_ref_count = refs;
    ri.pri_private_pages_resident = priv;
    ri.pri_shared_pages_resident = shared;
    ri.pri_address = addr;
    ri.pri_size = 0x4000;
    ps__darwin_region r;
    cr_assert_eq(ps__darwin_decode_regioninfo(&ri, sizeof ri, &r), 0);
    cr_assert_eq(r.address, addr);
    cr_assert_eq(r.size, 0x4000);
    return r;
}

Test(darwin_parse, regioninfo_private_pages)
{
    cr_assert_eq(sizeof(struct m_proc_regioninfo), PS__DARWIN_REGIONINFO_SIZE);
    const uint64_t base = 0x180000000ULL, size = 0x100000000ULL;   /* arm64 shared region */
    ps__darwin_region r = region(PS__DARWIN_SM_PRIVATE, 3, 10, 5, 0x1000);
    cr_assert_eq(ps__darwin_region_private_pages(&r, base, size), 15);
    r = region(PS__DARWIN_SM_LARGE_PAGE, 1, 4, 0, 0x1000);
    cr_assert_eq(ps__darwin_region_private_pages(&r, base, size), 4);
    r = region(PS__DARWIN_SM_COW, 2, 10, 5, 0x1000);
    cr_assert_eq(ps__darwin_region_private_pages(&r, base, size), 10);   /* shared pages shared */
    r = region(PS__DARWIN_SM_COW, 1, 10, 5, 0x1000);
    cr_assert_eq(ps__darwin_region_private_pages(&r, base, size), 15);   /* one reference: ours */
    r = region(PS__DARWIN_SM_SHARED, 1, 10, 5, 0x1000);
    cr_assert_eq(ps__darwin_region_private_pages(&r, base, size), 0);
    /* in the dyld shared region only SM_PRIVATE counts */
    r = region(PS__DARWIN_SM_COW, 1, 10, 5, base + 0x8000);
    cr_assert_eq(ps__darwin_region_private_pages(&r, base, size), 0);
    r = region(PS__DARWIN_SM_PRIVATE, 1, 10, 5, base + size - 1);
    cr_assert_eq(ps__darwin_region_private_pages(&r, base, size), 15);
    r = region(PS__DARWIN_SM_COW, 1, 10, 5, base + size);   /* just past it */
    cr_assert_eq(ps__darwin_region_private_pages(&r, base, size), 15);
    struct m_proc_regioninfo ri = {0};
    cr_assert_eq(ps__darwin_decode_regioninfo(&ri, sizeof ri - 1, &r), PS_EPARSE);
}

Test(darwin_parse, open_modes)
{
    int32_t fl;
    char mode[4];
    ps__darwin_open_mode(0x1, &fl, mode);          /* FREAD: O_RDONLY */
    cr_assert_eq(fl, 0);
    cr_assert_str_eq(mode, "r");
    ps__darwin_open_mode(0x2, &fl, mode);          /* FWRITE: O_WRONLY */
    cr_assert_eq(fl, 1);
    cr_assert_str_eq(mode, "w");
    ps__darwin_open_mode(0x3, &fl, mode);          /* FREAD|FWRITE: O_RDWR */
    cr_assert_eq(fl, 2);
    cr_assert_str_eq(mode, "r+");
    ps__darwin_open_mode(0x2 | 0x8, &fl, mode);    /* O_WRONLY|O_APPEND */
    cr_assert_eq(fl, 1 | 0x8);
    cr_assert_str_eq(mode, "a");
    ps__darwin_open_mode(0x3 | 0x8 | 0x200, &fl, mode);   /* O_RDWR|O_APPEND|O_CREAT */
    cr_assert_eq(fl, 2 | 0x8 | 0x200);
    cr_assert_str_eq(mode, "a+");
}

Test(darwin_parse, long_name_rule)
{
    size_t off = 0, len = 0;
    const char *a0 = "/Applications/Xcode.app/Contents/MacOS/com.apple.dt.Xcode.Helper";
    /* p_comm keeps the first 16 bytes of the basename */
    cr_assert_eq(ps__darwin_long_name("com.apple.dt.Xc", 15, a0, strlen(a0), &off, &len), 1);
    cr_assert_eq(len, strlen("com.apple.dt.Xcode.Helper"));
    cr_assert_eq(memcmp(a0 + off, "com.apple.dt.Xcode.Helper", len), 0);
    cr_assert_eq(ps__darwin_long_name("com.apple.dt.Xcx", 16, a0, strlen(a0), &off, &len), 0);
    /* shorter names are never extended; argv[0] without a slash is its own basename */
    cr_assert_eq(ps__darwin_long_name("short", 5, "shortened", 9, &off, &len), 0);
    cr_assert_eq(ps__darwin_long_name("fifteen-chars-x", 15, "fifteen-chars-xyz", 17, &off, &len), 1);
    cr_assert_eq(off, 0);
    /* a basename that does not start with the name, or is shorter, or a missing argv[0] */
    cr_assert_eq(ps__darwin_long_name("fifteen-chars-x", 15, "/bin/other", 10, &off, &len), 0);
    cr_assert_eq(ps__darwin_long_name("fifteen-chars-x", 15, "/x/fifteen", 10, &off, &len), 0);
    cr_assert_eq(ps__darwin_long_name("fifteen-chars-x", 15, NULL, 0, &off, &len), 0);
    cr_assert_eq(ps__darwin_long_name("fifteen-chars-x", 15, "/dir/", 5, &off, &len), 0);
}

/* ---- proc_pidfdinfo(PROC_PIDFDSOCKETINFO): socket_fdinfo --------------------------------- */

/* sys/proc_info.h, field for field (XNU bsd/sys/proc_info.h; sys/un.h sockaddr_un). */
struct m_proc_fileinfo {
    uint32_t fi_openflags, fi_status;
    int64_t fi_offset;
    int32_t fi_type;
    uint32_t fi_guardflags;
};
struct m_vinfo_stat {
    uint32_t vst_dev;
    uint16_t vst_mode, vst_nlink;
    uint64_t vst_ino;
    uint32_t vst_uid, vst_gid;
    int64_t vst_atime, vst_atimensec, vst_mtime, vst_mtimensec, vst_ctime, vst_ctimensec;
    int64_t vst_birthtime, vst_birthtimensec, vst_size, vst_blocks;
    int32_t vst_blksize;
    uint32_t vst_flags, vst_gen, vst_rdev;
    int64_t vst_qspare[2];
};
struct m_sockbuf_info {
    uint32_t sbi_cc, sbi_hiwat, sbi_mbcnt, sbi_mbmax, sbi_lowat;
    short sbi_flags, sbi_timeo;
};
struct m_in4in6_addr {
    uint32_t i46a_pad32[3];
    uint8_t i46a_addr4[4];   /* struct in_addr */
};
union m_in_addr46 {
    struct m_in4in6_addr ina_46;
    uint8_t ina_6[16];   /* struct in6_addr */
};
struct m_in_sockinfo {
    int insi_fport, insi_lport;
    uint64_t insi_gencnt;
    uint32_t insi_flags, insi_flow;
    uint8_t insi_vflag, insi_ip_ttl;
    uint32_t rfu_1;
    union m_in_addr46 insi_faddr, insi_laddr;
    struct { unsigned char in4_tos; } insi_v4;
    struct { uint8_t in6_hlim; int in6_cksum; unsigned short in6_ifindex; short in6_hops; } insi_v6;
};
struct m_tcp_sockinfo {
    struct m_in_sockinfo tcpsi_ini;
    int tcpsi_state, tcpsi_timer[4], tcpsi_mss;
    uint32_t tcpsi_flags, rfu_1;
    uint64_t tcpsi_tp;
};
struct m_sockaddr_un {
    uint8_t sun_len, sun_family;
    char sun_path[104];
};
union m_un_addr {
    struct m_sockaddr_un ua_sun;
    char ua_dummy[255];   /* SOCK_MAXADDRLEN */
};
struct m_un_sockinfo {
    uint64_t unsi_conn_so, unsi_conn_pcb;
    union m_un_addr unsi_addr, unsi_caddr;
};
struct m_socket_info {
    struct m_vinfo_stat soi_stat;
    uint64_t soi_so, soi_pcb;
    int soi_type, soi_protocol, soi_family;
    short soi_options, soi_linger, soi_state, soi_qlen, soi_incqlen, soi_qlimit, soi_timeo;
    unsigned short soi_error;
    uint32_t soi_oobmark;
    struct m_sockbuf_info soi_rcv, soi_snd;
    int soi_kind;
    uint32_t rfu_1;
    union {
        struct m_in_sockinfo pri_in;
        struct m_tcp_sockinfo pri_tcp;
        struct m_un_sockinfo pri_un;
    } soi_proto;
};
struct m_socket_fdinfo {
    struct m_proc_fileinfo pfi;
    struct m_socket_info psi;
};

/* A port as the kernel stores it: network order in the int's first two bytes. */
static int net_port(unsigned port)
{
    int v = 0;
    unsigned char b[2] = {(unsigned char)(port >> 8), (unsigned char)port};
    memcpy(&v, b, 2);
    return v;
}

static struct m_socket_fdinfo sock_fixture(int family, int type, int kind)
{
    struct m_socket_fdinfo f;
    memset(&f, 0xa5, sizeof f);   /* junk everywhere the decoder must not look */
    f.psi.soi_family = family;
    f.psi.soi_type = type;
    f.psi.soi_kind = kind;
    memset(&f.psi.soi_proto, 0, sizeof f.psi.soi_proto);
    return f;
}

Test(darwin_parse, socket_fdinfo_layout)
{
    cr_assert_eq(sizeof(struct m_socket_fdinfo), PS__DARWIN_SOCKET_FDINFO_SIZE);
    cr_assert_eq(offsetof(struct m_socket_fdinfo, psi.soi_type), 176);
    cr_assert_eq(offsetof(struct m_socket_fdinfo, psi.soi_family), 184);
    cr_assert_eq(offsetof(struct m_socket_fdinfo, psi.soi_kind), 256);
    cr_assert_eq(offsetof(struct m_socket_fdinfo, psi.soi_proto.pri_tcp.tcpsi_state), 344);
    cr_assert_eq(offsetof(struct m_socket_fdinfo, psi.soi_proto.pri_un.unsi_addr), 280);
    cr_assert_eq(offsetof(struct m_socket_fdinfo, psi.soi_proto.pri_un.unsi_caddr), 535);
}

Test(darwin_parse, socket_tcp4_and_udp6)
{
    struct m_socket_fdinfo f = sock_fixture(PS__DARWIN_AF_INET, PS__DARWIN_SOCK_STREAM, 2);
    struct m_tcp_sockinfo *t = &f.psi.soi_proto.pri_tcp;
    memcpy(t->tcpsi_ini.insi_laddr.ina_46.i46a_addr4, "\x7f\x00\x00\x01", 4);
    memcpy(t->tcpsi_ini.insi_faddr.ina_46.i46a_addr4, "\x0a\x00\x00\x02", 4);
    t->tcpsi_ini.insi_lport = net_port(8080);
    t->tcpsi_ini.insi_fport = net_port(443);
    t->tcpsi_state = 4;   /* TSI_S_ESTABLISHED */
    ps__darwin_socket s;
    cr_assert_eq(ps__darwin_decode_socket(&f, sizeof f, &s), 0);
    cr_assert_eq(s.family, PS__DARWIN_AF_INET);
    cr_assert_eq(s.type, PS__DARWIN_SOCK_STREAM);
    cr_assert_eq(s.kind, 2);
    cr_assert_eq(memcmp(s.laddr, "\x7f\x00\x00\x01", 4), 0);
    cr_assert_eq(memcmp(s.raddr, "\x0a\x00\x00\x02", 4), 0);
    cr_assert_eq(s.lport, 8080);
    cr_assert_eq(s.rport, 443);
    cr_assert_eq(s.tcp_state, 4);
    cr_assert_null(s.path);
    ps__bk_conn c;
    cr_assert_eq(ps__darwin_socket_conn(&s, 7, 4242, &c), 0);
    cr_assert_eq(c.fd, 7);
    cr_assert_eq(c.pid, 4242);
    cr_assert_eq(c.inode, 0);
    cr_assert_eq(c.family, PS_NET_AF_INET);
    cr_assert_eq(c.type, PS_SOCK_STREAM);
    cr_assert_eq(c.status, PS_CONN_ESTABLISHED);
    cr_assert_eq(c.lport, 8080);
    cr_assert_eq(c.rport, 443);
    cr_assert_eq(memcmp(c.laddr, "\x7f\x00\x00\x01", 4), 0);
    cr_assert_null(c.path.data);
    ps__bk_conn_free(NULL, 0);

    /* UDP over IPv6 (pri_in, read through the same view), unconnected, high port */
    f = sock_fixture(PS__DARWIN_AF_INET6, PS__DARWIN_SOCK_DGRAM, 1);
    struct m_in_sockinfo *in = &f.psi.soi_proto.pri_in;
    in->insi_laddr.ina_6[15] = 1;   /* ::1 */
    in->insi_lport = net_port(65535);
    in->insi_fport = 0;
    cr_assert_eq(ps__darwin_decode_socket(&f, sizeof f, &s), 0);
    cr_assert_eq(s.lport, 65535);
    cr_assert_eq(s.rport, 0);
    cr_assert_eq(s.laddr[15], 1);
    cr_assert_eq(s.tcp_state, -1);
    cr_assert_eq(ps__darwin_socket_conn(&s, 3, 1, &c), 0);
    cr_assert_eq(c.family, PS_NET_AF_INET6);
    cr_assert_eq(c.type, PS_SOCK_DGRAM);
    cr_assert_eq(c.status, PS_CONN_NONE);
    /* the port word's upper bytes are not part of the port */
    in->insi_lport = net_port(80) | (int)0x5a5a0000;
    cr_assert_eq(ps__darwin_decode_socket(&f, sizeof f, &s), 0);
    cr_assert_eq(s.lport, 80);
}

Test(darwin_parse, socket_unix_paths)
{
    struct m_socket_fdinfo f = sock_fixture(PS__DARWIN_AF_UNIX, PS__DARWIN_SOCK_STREAM, 3);
    struct m_un_sockinfo *u = &f.psi.soi_proto.pri_un;
    u->unsi_addr.ua_sun.sun_len = 14;
    u->unsi_addr.ua_sun.sun_family = PS__DARWIN_AF_UNIX;
    memcpy(u->unsi_addr.ua_sun.sun_path, "/tmp/s\xff", 8);
    memcpy(u->unsi_caddr.ua_sun.sun_path, "/peer", 6);
    ps__darwin_socket s;
    cr_assert_eq(ps__darwin_decode_socket(&f, sizeof f, &s), 0);
    cr_assert_eq(s.path_len, 7);
    cr_assert_eq(memcmp(s.path, "/tmp/s\xff", 7), 0);
    cr_assert_eq(s.tcp_state, -1);
    ps__bk_conn c;
    cr_assert_eq(ps__darwin_socket_conn(&s, 5, 9, &c), 0);
    cr_assert_eq(c.family, PS_NET_AF_UNIX);
    cr_assert_eq(c.status, PS_CONN_NONE);
    cr_assert_eq(c.path.len, 7);
    /* the core decodes it as every native string: surrogateescape */
    ps_set_errors_policy(PS_ERRORS_SURROGATEESCAPE);
    char *text = NULL;
    cr_assert_eq(ps__decode_native(c.path.data, c.path.len, &text, NULL), 0);
    cr_assert_str_eq(text, "/tmp/s\xed\xb3\xbf");
    ps_free(text);
    ps__nstr_dispose(&c.path);
    /* unbound: "" (not NULL) */
    memset(&u->unsi_addr, 0, sizeof u->unsi_addr);
    cr_assert_eq(ps__darwin_decode_socket(&f, sizeof f, &s), 0);
    cr_assert_eq(s.path_len, 0);
    cr_assert_eq(ps__darwin_socket_conn(&s, 5, 9, &c), 0);
    cr_assert_not_null(c.path.data);
    cr_assert_eq(c.path.len, 0);
    ps__nstr_dispose(&c.path);
    /* no NUL in the whole address union: stops at the union's end, not in unsi_caddr */
    memset(&u->unsi_addr, 'A', sizeof u->unsi_addr);
    cr_assert_eq(ps__darwin_decode_socket(&f, sizeof f, &s), 0);
    cr_assert_eq(s.path_len, 253);
    cr_assert_eq((const unsigned char *)s.path + s.path_len,
                 (const unsigned char *)&f + offsetof(struct m_socket_fdinfo, psi.soi_proto.pri_un.unsi_caddr));
}

Test(darwin_parse, socket_short_and_hostile)
{
    struct m_socket_fdinfo f = sock_fixture(PS__DARWIN_AF_INET, PS__DARWIN_SOCK_STREAM, 2);
    ps__darwin_socket s;
    cr_assert_eq(ps__darwin_decode_socket(&f, sizeof f - 1, &s), PS_EPARSE);
    cr_assert_eq(ps__darwin_decode_socket(&f, 0, &s), PS_EPARSE);
    cr_assert_eq(ps__darwin_decode_socket(NULL, sizeof f, &s), PS_EPARSE);
    unsigned char big[sizeof f + 8] = {0};
    cr_assert_eq(ps__darwin_decode_socket(big, sizeof big, &s), PS_EPARSE);
    /* a TCP state outside TCPS_*: NONE, never an out-of-table read */
    f.psi.soi_proto.pri_tcp.tcpsi_state = 0x7fffffff;
    cr_assert_eq(ps__darwin_decode_socket(&f, sizeof f, &s), 0);
    ps__bk_conn c;
    cr_assert_eq(ps__darwin_socket_conn(&s, 1, 1, &c), 0);
    cr_assert_eq(c.status, PS_CONN_NONE);
    f.psi.soi_proto.pri_tcp.tcpsi_state = -5;
    cr_assert_eq(ps__darwin_decode_socket(&f, sizeof f, &s), 0);
    cr_assert_eq(ps__darwin_socket_conn(&s, 1, 1, &c), 0);
    cr_assert_eq(c.status, PS_CONN_NONE);
    /* an unknown family: no addresses, no path; unknown type */
    f = sock_fixture(17 /* AF_ROUTE */, 3, 0);
    cr_assert_eq(ps__darwin_decode_socket(&f, sizeof f, &s), 0);
    cr_assert_null(s.path);
    cr_assert_eq(s.lport, 0);
    cr_assert_eq(ps__darwin_socket_conn(&s, 1, 1, &c), 0);
    cr_assert_eq(c.family, PS_NET_AF_UNSPEC);
    cr_assert_eq(c.type, PS_SOCK_RAW);
    s.type = 99;
    cr_assert_eq(ps__darwin_socket_conn(&s, 1, 1, &c), 0);
    cr_assert_eq(c.type, PS_SOCK_UNKNOWN);
}

Test(darwin_parse, connection_kind_filter)
{
    enum { IN4 = PS__DARWIN_AF_INET, IN6 = PS__DARWIN_AF_INET6, UN = PS__DARWIN_AF_UNIX,
           ST = PS__DARWIN_SOCK_STREAM, DG = PS__DARWIN_SOCK_DGRAM };
    /* psutil's conn_tmap: kind -> which of tcp4 tcp6 udp4 udp6 unix-stream unix-dgram */
    static const struct { ps_conn_kind k; const char *want; } rows[] = {
        {PS_CONN_KIND_INET, "111100"}, {PS_CONN_KIND_INET4, "101000"},
        {PS_CONN_KIND_INET6, "010100"}, {PS_CONN_KIND_TCP, "110000"},
        {PS_CONN_KIND_TCP4, "100000"}, {PS_CONN_KIND_TCP6, "010000"},
        {PS_CONN_KIND_UDP, "001100"}, {PS_CONN_KIND_UDP4, "001000"},
        {PS_CONN_KIND_UDP6, "000100"}, {PS_CONN_KIND_UNIX, "000011"},
        {PS_CONN_KIND_ALL, "111111"},
    };
    static const int fam[6] = {IN4, IN6, IN4, IN6, UN, UN}, typ[6] = {ST, ST, DG, DG, ST, DG};
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
        for (int i = 0; i < 6; i++)
            cr_assert_eq(ps__darwin_conn_wanted(rows[r].k, fam[i], typ[i]), rows[r].want[i] == '1',
                         "kind %d socket %d", (int)rows[r].k, i);
    /* raw and seqpacket sockets and other families are in no kind (psutil's type filter) */
    cr_assert_eq(ps__darwin_conn_wanted(PS_CONN_KIND_ALL, IN4, PS__DARWIN_SOCK_RAW), 0);
    cr_assert_eq(ps__darwin_conn_wanted(PS_CONN_KIND_ALL, UN, PS__DARWIN_SOCK_SEQPACKET), 0);
    cr_assert_eq(ps__darwin_conn_wanted(PS_CONN_KIND_ALL, 17, ST), 0);
    cr_assert_eq(ps__darwin_conn_wanted((ps_conn_kind)11, IN4, ST), 0);
    cr_assert_eq(ps__darwin_conn_wanted((ps_conn_kind)-1, IN4, ST), 0);
}

/* ---- getifaddrs AF_LINK: sockaddr_dl ------------------------------------------------------ */

Test(darwin_parse, lladdr_finds_the_link_address)
{
    struct m_sockaddr_dl d;
    memset(&d, 0, sizeof d);
    d.sdl_len = sizeof d;
    d.sdl_family = PS__DARWIN_AF_LINK;
    d.sdl_nlen = 3;
    d.sdl_alen = 6;
    memcpy(d.sdl_data, "en0\xa4\x83\xe7\x0b\xcd\x01", 9);
    const unsigned char *a;
    size_t n;
    cr_assert_eq(ps__darwin_lladdr(&d, d.sdl_len, &a, &n), 1);
    cr_assert_eq(n, 6);
    cr_assert_eq(a, (const unsigned char *)d.sdl_data + 3);   /* LLADDR: after the name */
    cr_assert_eq(memcmp(a, "\xa4\x83\xe7\x0b\xcd\x01", 6), 0);
    /* a shorter address (the core pads its text as psutil does) */
    d.sdl_alen = 2;
    cr_assert_eq(ps__darwin_lladdr(&d, d.sdl_len, &a, &n), 1);
    cr_assert_eq(n, 2);
    /* no address (loopback, tunnels): none */
    d.sdl_alen = 0;
    cr_assert_eq(ps__darwin_lladdr(&d, d.sdl_len, &a, &n), 0);
    cr_assert_null(a);
    cr_assert_eq(n, 0);
}

Test(darwin_parse, lladdr_hostile)
{
    unsigned char b[64];
    memset(b, 0x11, sizeof b);
    const unsigned char *a;
    size_t n;
    cr_assert_eq(ps__darwin_lladdr(NULL, 20, &a, &n), 0);
    cr_assert_eq(ps__darwin_lladdr(b, 7, &a, &n), 0);   /* shorter than the header */
    /* name + address beyond sdl_len */
    b[0] = 20; b[5] = 10; b[6] = 6;
    cr_assert_eq(ps__darwin_lladdr(b, sizeof b, &a, &n), 0);
    /* ... or beyond the bytes available though sdl_len claims more */
    b[0] = 64; b[5] = 10; b[6] = 6;
    cr_assert_eq(ps__darwin_lladdr(b, 23, &a, &n), 0);
    cr_assert_eq(ps__darwin_lladdr(b, 24, &a, &n), 1);
    cr_assert_eq(a, b + 18);
    cr_assert_eq(n, 6);
    /* sdl_len below the header */
    b[0] = 4;
    cr_assert_eq(ps__darwin_lladdr(b, sizeof b, &a, &n), 0);
    /* the largest a u8 length allows: 255 - 8 bytes of name + address */
    unsigned char big[256];
    memset(big, 0xff, sizeof big);
    big[0] = 255; big[5] = 0; big[6] = 247;
    cr_assert_eq(ps__darwin_lladdr(big, sizeof big, &a, &n), 1);
    cr_assert_eq(n, 247);
    big[6] = 248;
    cr_assert_eq(ps__darwin_lladdr(big, sizeof big, &a, &n), 0);
}

/* ---- interface flags and the media word --------------------------------------------------- */

static void flags_are(uint32_t flags, const char *want)
{
    ps__nstr s;
    cr_assert_eq(ps__darwin_if_flags(flags, &s), 0);
    cr_assert_eq(s.len, strlen(want), "flags %#x: %.*s", flags, (int)s.len, (char *)s.data);
    cr_assert_eq(memcmp(s.data, want, s.len), 0);
    ps__nstr_dispose(&s);
}

Test(darwin_parse, interface_flag_names)
{
    /* en0 (ifconfig calls 0x20 SMART; net/if.h and psutil name it notrailers) */
    flags_are(0x8863, "up,broadcast,notrailers,running,multicast,simplex");
    flags_are(0x8049, "up,loopback,running,multicast");            /* lo0 */
    flags_are(0x8051, "up,pointopoint,running,multicast");         /* utun0 */
    flags_are(0, "");
    flags_are(0x10000, "");   /* beyond ifr_flags' 16 bits */
    flags_are(0xffff, "up,broadcast,debug,loopback,pointopoint,notrailers,running,noarp,promisc,"
                      "allmulti,multicast,oactive,simplex,link0,link1,link2");
}

static void media_is(uint32_t word, int64_t speed, ps_nic_duplex duplex)
{
    ps_nic_duplex d = (ps_nic_duplex)99;
    int64_t sp = -1;
    ps__darwin_ifmedia(word, &d, &sp);
    cr_assert_eq(sp, speed, "media %#x: speed %lld", word, (long long)sp);
    cr_assert_eq(d, duplex, "media %#x: duplex %d", word, (int)d);
}

Test(darwin_parse, ifmedia_speed_and_duplex)
{
    enum { ETHER = 0x20, TOKEN = 0x40, WIFI = 0x80, FDX = 0x100000, HDX = 0x200000 };
    media_is(ETHER | 16 | FDX, 1000, PS_NIC_DUPLEX_FULL);     /* IFM_1000_T full-duplex */
    media_is(ETHER | 6 | HDX, 100, PS_NIC_DUPLEX_HALF);       /* IFM_100_TX half-duplex */
    media_is(ETHER | 3, 10, PS_NIC_DUPLEX_UNKNOWN);           /* IFM_10_T */
    media_is(ETHER | 17, 1, PS_NIC_DUPLEX_UNKNOWN);           /* IFM_HPNA_1 */
    media_is(ETHER | 18 | FDX, 10000, PS_NIC_DUPLEX_FULL);    /* IFM_10G_SR */
    media_is(ETHER | 21 | FDX, 10000, PS_NIC_DUPLEX_FULL);    /* IFM_10G_T */
    media_is(ETHER | 22 | FDX, 2500, PS_NIC_DUPLEX_FULL);     /* IFM_2500_T */
    media_is(ETHER | 23 | FDX, 5000, PS_NIC_DUPLEX_FULL);     /* IFM_5000_T */
    media_is(ETHER | 0, 0, PS_NIC_DUPLEX_UNKNOWN);            /* IFM_AUTO: not negotiated */
    media_is(ETHER | 31, 0, PS_NIC_DUPLEX_UNKNOWN);           /* a subtype the table lacks */
    media_is(WIFI | 7, 11, PS_NIC_DUPLEX_UNKNOWN);            /* IFM_IEEE80211_DS11 */
    media_is(WIFI | 8, 1, PS_NIC_DUPLEX_UNKNOWN);             /* IFM_IEEE80211_DS1 */
    media_is(WIFI | 0, 0, PS_NIC_DUPLEX_UNKNOWN);
    media_is(TOKEN | 4, 16, PS_NIC_DUPLEX_UNKNOWN);           /* IFM_TOK_STP16 */
    media_is(0x60 | 3, 0, PS_NIC_DUPLEX_UNKNOWN);             /* FDDI: no speed */
    media_is(0xe0 | 16 | FDX, 0, PS_NIC_DUPLEX_FULL);         /* unknown type */
    /* the instance bits and type options do not change the answer */
    media_is(0x30000000u | 0x0100 | ETHER | 16 | FDX, 1000, PS_NIC_DUPLEX_FULL);
    /* both duplex bits (hostile): full wins, as psutil tests FDX first */
    media_is(ETHER | 16 | FDX | HDX, 1000, PS_NIC_DUPLEX_FULL);
    media_is(0xffffffffu, 0, PS_NIC_DUPLEX_FULL);
}

/* ---- getattrlist(ATTR_VOL_SPACEUSED) ----------------------------------------------------- */

/* getattrlist(2)'s reply: u32 length, then the attribute, packed at 4-byte alignment. */
#pragma pack(4)
struct m_spaceused_reply {
    uint32_t size;
    int64_t spaceused;   /* off_t */
};
#pragma pack()

Test(darwin_parse, spaceused_reply)
{
    cr_assert_eq(sizeof(struct m_spaceused_reply), PS__DARWIN_SPACEUSED_REPLY_SIZE);
    struct m_spaceused_reply r = {12, 494384795648LL};
    uint64_t used = 1;
    cr_assert_eq(ps__darwin_decode_spaceused(&r, sizeof r, &used), 0);
    cr_assert_eq(used, 494384795648ULL);
    /* a longer buffer than the reply is fine */
    unsigned char big[32] = {0};
    memcpy(big, &r, sizeof r);
    cr_assert_eq(ps__darwin_decode_spaceused(big, sizeof big, &used), 0);
    cr_assert_eq(used, 494384795648ULL);
    /* short, a length word below the reply or beyond the buffer, a negative off_t */
    cr_assert_eq(ps__darwin_decode_spaceused(&r, 11, &used), PS_EPARSE);
    cr_assert_eq(used, 0);
    cr_assert_eq(ps__darwin_decode_spaceused(NULL, 12, &used), PS_EPARSE);
    r.size = 8;
    cr_assert_eq(ps__darwin_decode_spaceused(&r, sizeof r, &used), PS_EPARSE);
    r.size = 16;
    cr_assert_eq(ps__darwin_decode_spaceused(&r, sizeof r, &used), PS_EPARSE);
    r.size = 12;
    r.spaceused = -1;
    cr_assert_eq(ps__darwin_decode_spaceused(&r, sizeof r, &used), PS_EPARSE);
}

/* ---- IOPSGetPowerSourceDescription -> sensors_battery ------------------------------------- */

Test(darwin_parse, battery_from_power_source)
{
    ps_battery b;
    ps__darwin_battery(87, 0, 1, 135, &b);   /* on battery, 2 h 15 min estimated */
    cr_assert_eq(b.present, 1);
    cr_assert_float_eq(b.percent, 87.0, 1e-12);
    cr_assert_eq(b.power_plugged, 0);
    cr_assert_eq(b.secsleft, 135 * 60);
    ps__darwin_battery(100, 1, 1, 0, &b);    /* "AC Power": unlimited, whatever the estimate */
    cr_assert_eq(b.power_plugged, 1);
    cr_assert_eq(b.secsleft, PS_POWER_TIME_UNLIMITED);
    ps__darwin_battery(40, 0, 1, -1, &b);    /* -1: "still calculating" */
    cr_assert_eq(b.secsleft, PS_POWER_TIME_UNKNOWN);
    ps__darwin_battery(40, 0, 0, 77, &b);    /* no "Time to Empty" */
    cr_assert_eq(b.secsleft, PS_POWER_TIME_UNKNOWN);
    ps__darwin_battery(40, 0, 1, -30, &b);   /* hostile estimates */
    cr_assert_eq(b.secsleft, PS_POWER_TIME_UNKNOWN);
    ps__darwin_battery(40, 0, 1, INT32_MAX, &b);
    cr_assert_eq(b.secsleft, (int64_t)INT32_MAX * 60);
    ps__darwin_battery(250, 0, 1, 1, &b);    /* capacities outside 0..100 */
    cr_assert_float_eq(b.percent, 100.0, 1e-12);
    ps__darwin_battery(-3, 0, 1, 1, &b);
    cr_assert_float_eq(b.percent, 0.0, 1e-12);
}

/* ---- IORegistry pmgr voltage-states -> cpu_freq (Apple Silicon) ---------------------------- */

/* One table row as the property holds it: u32 frequency, u32 voltage, little-endian. */
struct m_vstate {
    uint32_t freq, volt;
};

Test(darwin_parse, voltage_states_key)
{
    static const char *yes[] = {"voltage-states1-sram", "voltage-states5-sram", "voltage-states13-sram"};
    static const char *no[] = {"voltage-states-sram", "voltage-states1", "voltage-states1-sra",
                               "voltage-states1a-sram", "voltage-states5", "Voltage-states1-sram",
                               "voltage-states1-sram ", "", "-sram"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_assert_eq(ps__darwin_voltage_states_key(yes[i], strlen(yes[i])), 1, "%s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_assert_eq(ps__darwin_voltage_states_key(no[i], strlen(no[i])), 0, "%s", no[i]);
    cr_assert_eq(ps__darwin_voltage_states_key(NULL, 20), 0);
    /* the length counts, not a NUL */
    cr_assert_eq(ps__darwin_voltage_states_key("voltage-states1-sramXX", 20), 1);
}

Test(darwin_parse, freq_tables_m1_hz)
{
    /* M1-like: efficiency cluster to 2064 MHz, performance to 3204, GPU to 1278 (in Hz) */
    struct m_vstate e[] = {{600000000u, 800}, {972000000u, 800}, {1332000000u, 820},
                           {1704000000u, 900}, {2064000000u, 1000}};
    struct m_vstate p[] = {{600000000u, 800}, {828000000u, 800}, {2988000000u, 1000},
                           {3204000000u, 1050}};
    struct m_vstate gpu[] = {{396000000u, 700}, {720000000u, 750}, {1278000000u, 900}};
    ps__darwin_freq f = {0};
    cr_assert_eq(ps__darwin_freq_table(&f, gpu, sizeof gpu), 0);   /* not a CPU cluster */
    cr_assert_eq(f.found, 0);
    cr_assert_eq(ps__darwin_freq_table(&f, p, sizeof p), 1);
    cr_assert_float_eq(f.min, 600.0, 1e-9);
    cr_assert_float_eq(f.max, 3204.0, 1e-9);
    cr_assert_eq(ps__darwin_freq_table(&f, e, sizeof e), 1);
    cr_assert_eq(f.found, 1);
    cr_assert_float_eq(f.min, 600.0, 1e-9);
    cr_assert_float_eq(f.max, 3204.0, 1e-9);
}

Test(darwin_parse, freq_tables_m4_khz_and_junk)
{
    /* M4 and later: kHz; zero rows and out-of-range values are skipped */
    struct m_vstate p[] = {{0, 0}, {1260000u, 700}, {4512000u, 1100}, {50000u, 1}};
    struct m_vstate e[] = {{1020000u, 700}, {2592000u, 900}};
    ps__darwin_freq f = {0};
    cr_assert_eq(ps__darwin_freq_table(&f, e, sizeof e), 1);
    cr_assert_float_eq(f.min, 1020.0, 1e-9);
    cr_assert_float_eq(f.max, 2592.0, 1e-9);
    cr_assert_eq(ps__darwin_freq_table(&f, p, sizeof p), 1);
    cr_assert_float_eq(f.min, 1020.0, 1e-9);
    cr_assert_float_eq(f.max, 4512.0, 1e-9);
    /* a cut last row is ignored: only the first row (1020 MHz) counts, below 2000 */
    ps__darwin_freq g = {0};
    cr_assert_eq(ps__darwin_freq_table(&g, e, sizeof e - 1), 0);
    cr_assert_eq(g.found, 0);
    /* empty, short, NULL, all zero, all beyond 20 GHz (in Hz: 25 GHz), exactly 2000 MHz */
    unsigned char zero[64] = {0};
    cr_assert_eq(ps__darwin_freq_table(&g, zero, 0), 0);
    cr_assert_eq(ps__darwin_freq_table(&g, zero, 7), 0);
    cr_assert_eq(ps__darwin_freq_table(&g, NULL, 64), 0);
    cr_assert_eq(ps__darwin_freq_table(&g, zero, sizeof zero), 0);
    struct m_vstate big[] = {{4000000000u, 1}};   /* 4000 MHz in Hz */
    struct m_vstate edge[] = {{2000000000u, 1}};
    struct m_vstate huge[] = {{25000000u, 1}};    /* 25000 MHz as kHz: beyond the range */
    cr_assert_eq(ps__darwin_freq_table(&g, huge, sizeof huge), 0);
    cr_assert_eq(ps__darwin_freq_table(&g, edge, sizeof edge), 1);
    cr_assert_float_eq(g.min, 2000.0, 1e-9);
    cr_assert_eq(ps__darwin_freq_table(&g, big, sizeof big), 1);
    cr_assert_float_eq(g.min, 2000.0, 1e-9);
    cr_assert_float_eq(g.max, 4000.0, 1e-9);
}
