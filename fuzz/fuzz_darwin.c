/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harnesses for the macOS decoders (src/bsd/darwin_parse.c), which are portable and
 * so are fuzzed here although the back end cannot run: -DFUZZ_PROCARGS (a KERN_PROCARGS2
 * buffer), -DFUZZ_IFLIST2 (a NET_RT_IFLIST2 message stream), -DFUZZ_DARWIN_STRUCTS (the
 * fixed-size records: proc_taskinfo, rusage_info_v0, xsw_usage, vm_statistics64, each read
 * from the start of the input, with the conversions that follow them), -DFUZZ_DARWIN_SOCKET
 * (a PROC_PIDFDSOCKETINFO record, then the kind filter and the core's record),
 * -DFUZZ_SOCKADDR_DL (a getifaddrs AF_LINK sockaddr), -DFUZZ_IFMEDIA (the SIOCGIFMEDIA word
 * and the SIOCGIFFLAGS names) and -DFUZZ_SPACEUSED (a getattrlist ATTR_VOL_SPACEUSED
 * reply). Every view a decoder
 * returns must lie inside the input, and the strings go through the decoder as the getters do.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "bsd/darwin_parse.h"

#define CHECK(c) do { if (!(c)) { __builtin_trap(); } } while (0)

static void inside(const uint8_t *data, size_t size, const char *p, size_t n)
{
    if (!p) { CHECK(n == 0); return; }
    CHECK((const uint8_t *)p >= data && n <= size && (const uint8_t *)p + n <= data + size);
    char *s = NULL;
    CHECK(ps__decode_native(p, n, &s, NULL) == 0);
    ps_free(s);
}

/* count NUL-terminated strings back to back in [p, p + n): each must end in its NUL. */
static size_t strings_in(const char *p, size_t n)
{
    size_t k = 0, at = 0;
    while (at < n) {
        const char *nul = memchr(p + at, '\0', n - at);
        CHECK(nul != NULL);
        at = (size_t)(nul - p) + 1;
        k++;
    }
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if defined(FUZZ_PROCARGS)
    ps__darwin_procargs a;
    if (ps__darwin_parse_procargs(data, size, &a) == 0) {
        inside(data, size, a.exec_path, a.exec_path_len);
        inside(data, size, a.argv, a.argv_len);
        inside(data, size, a.env, a.env_len);
        CHECK(a.argc == (a.argv ? strings_in(a.argv, a.argv_len) : 0));
        if (a.env) (void)strings_in(a.env, a.env_len);
    }
#elif defined(FUZZ_IFLIST2)
    size_t pos = 0, last = 0;
    ps__darwin_ifcounters c;
    int r;
    while ((r = ps__darwin_next_ifinfo2(data, size, &pos, &c)) == 1) {
        CHECK(pos > last && pos <= size);   /* progress: no endless walk */
        last = pos;
        CHECK(c.name_len <= 16);
        inside(data, size, c.name, c.name_len);
    }
    CHECK(r == 0 || r == PS_EPARSE);
#elif defined(FUZZ_DARWIN_STRUCTS)
    ps__darwin_task t;
    if (ps__darwin_decode_taskinfo(data, size < PS__DARWIN_TASKINFO_SIZE ? size : PS__DARWIN_TASKINFO_SIZE, &t) == 0) {
        ps_proc_cputimes ct;
        ps_proc_mem m;
        ps_proc_pagefaults pf;
        ps_proc_ctxsw cs;
        ps__darwin_task_cputimes(&t, 24000000, &ct);
        CHECK(ct.user >= 0 && ct.system >= 0 && !isnan(ct.user));
        ps__darwin_task_mem(&t, &m);
        ps__darwin_task_faults(&t, &pf);
        CHECK(pf.minor + pf.major == (uint32_t)t.faults || pf.major > (uint32_t)t.faults);
        ps__darwin_task_ctxsw(&t, &cs);
    }
    ps__darwin_rusage ru;
    (void)ps__darwin_decode_rusage(data, size, &ru);
    uint64_t total, used, avail;
    if (ps__darwin_decode_swapusage(data, size < PS__DARWIN_XSW_USAGE_SIZE ? size : PS__DARWIN_XSW_USAGE_SIZE,
                                    &total, &used, &avail) == 0)
        CHECK(used <= total && avail <= total);
    ps__darwin_vmstat vs;
    if (ps__darwin_decode_vmstat(data, size, &vs) == 0) {
        ps__darwin_vmem vm;
        ps__darwin_vmem_compute(&vs, UINT64_MAX / 2, 16384, &vm);
        CHECK(vm.free <= (uint64_t)vs.free_count * 16384);
        CHECK(vm.available >= vm.inactive);
    }
    if (size >= 16) {
        uint32_t ticks[4];
        memcpy(ticks, data, sizeof ticks);
        ps_cputimes c;
        ps__darwin_cpu_ticks(ticks, &c);
        CHECK(c.user >= 0 && c.idle >= 0);
        int32_t v[3];
        memcpy(v, data, sizeof v);
        ps_process_status st = ps__darwin_status(v[0], v[1], v[2]);
        CHECK(st >= PS_STATUS_RUNNING && st <= PS_STATUS_UNKNOWN);
        ps_conn_status cs2 = ps__darwin_tcp_status(v[0]);
        CHECK(cs2 >= PS_CONN_NONE && cs2 <= PS_CONN_BOUND);
        uint64_t tk;
        uint32_t nd[2];
        memcpy(&tk, data, 8);
        memcpy(nd, data + 8, 8);
        ps_battery bat;
        ps__darwin_battery(v[0], v[1] & 1, v[1] & 2, v[2], &bat);
        CHECK(bat.present == 1 && bat.percent >= 0 && bat.percent <= 100);
        CHECK(bat.secsleft >= 0 || bat.secsleft == PS_POWER_TIME_UNKNOWN ||
              bat.secsleft == PS_POWER_TIME_UNLIMITED);
        uint64_t ns = ps__darwin_ticks_to_ns(tk, nd[0], nd[1]);
        /* monotonic in ticks for a fixed ratio */
        if (tk > 0 && nd[1] != 0) CHECK(ps__darwin_ticks_to_ns(tk - 1, nd[0], nd[1]) <= ns);
    }
#elif defined(FUZZ_DARWIN_SOCKET)
    /* the exact record size is what the kernel returns; other sizes must be refused */
    ps__darwin_socket s;
    int r = ps__darwin_decode_socket(data, size, &s);
    CHECK(r == 0 || (r == PS_EPARSE && size != PS__DARWIN_SOCKET_FDINFO_SIZE));
    unsigned char rec[PS__DARWIN_SOCKET_FDINFO_SIZE] = {0};
    memcpy(rec, data, size < sizeof rec ? size : sizeof rec);
    CHECK(ps__darwin_decode_socket(rec, sizeof rec, &s) == 0);
    CHECK(s.lport >= 0 && s.lport <= 65535 && s.rport >= 0 && s.rport <= 65535);
    if (s.path) {
        CHECK((const unsigned char *)s.path >= rec && s.path_len <= 253 &&
              (const unsigned char *)s.path + s.path_len <= rec + sizeof rec);
    }
    for (int k = PS_CONN_KIND_INET; k <= PS_CONN_KIND_ALL; k++) {
        if (!ps__darwin_conn_wanted((ps_conn_kind)k, s.family, s.type)) continue;
        ps__bk_conn c;
        CHECK(ps__darwin_socket_conn(&s, 3, 1, &c) == 0);
        CHECK(c.status >= PS_CONN_NONE && c.status <= PS_CONN_CLOSING);
        CHECK(c.family == PS_NET_AF_INET || c.family == PS_NET_AF_INET6 || c.family == PS_NET_AF_UNIX);
        if (c.family == PS_NET_AF_UNIX) inside(rec, sizeof rec, c.path.data ? s.path : NULL, c.path.len);
        ps__nstr_dispose(&c.path);
    }
#elif defined(FUZZ_SOCKADDR_DL)
    const unsigned char *addr;
    size_t alen;
    int r = ps__darwin_lladdr(data, size, &addr, &alen);
    CHECK(r == 0 || r == 1);
    if (r == 1) {
        CHECK(alen > 0 && addr >= data + 8 && addr + alen <= data + size && addr + alen <= data + data[0]);
    } else {
        CHECK(addr == NULL && alen == 0);
    }
#elif defined(FUZZ_IFMEDIA)
    uint32_t w = 0;
    memcpy(&w, data, size < sizeof w ? size : sizeof w);
    ps_nic_duplex d;
    int64_t speed;
    ps__darwin_ifmedia(w, &d, &speed);
    CHECK(speed >= 0 && speed <= 10000);
    CHECK(d == PS_NIC_DUPLEX_UNKNOWN || d == PS_NIC_DUPLEX_HALF || d == PS_NIC_DUPLEX_FULL);
    ps__nstr f;
    CHECK(ps__darwin_if_flags(w, &f) == 0);
    CHECK(f.data != NULL && f.len <= 160);
    CHECK((w & 0xffff) != 0 || f.len == 0);
    ps__nstr_dispose(&f);
#elif defined(FUZZ_SPACEUSED)
    uint64_t used;
    int r = ps__darwin_decode_spaceused(data, size, &used);
    CHECK(r == 0 || r == PS_EPARSE);
    if (r == 0) CHECK(size >= 12 && used <= (uint64_t)INT64_MAX);
    else CHECK(used == 0);
#elif defined(FUZZ_VOLTAGE_STATES)
    /* one pmgr property: the bytes up to the first NUL are its name, the rest its table */
    const unsigned char *nul = memchr(data, 0, size);
    size_t nlen = nul ? (size_t)(nul - data) : size;
    int key = ps__darwin_voltage_states_key((const char *)data, nlen);
    CHECK(key == 0 || key == 1);
    ps__darwin_freq f = {0};
    const unsigned char *t = nul ? nul + 1 : data + size;
    size_t tlen = (size_t)(data + size - t);
    int r = ps__darwin_freq_table(&f, t, tlen);
    CHECK(r == f.found && (r == 0 || r == 1));
    if (r) CHECK(f.min >= 500 && f.min <= f.max && f.max >= 2000 && f.max <= 20000 && tlen >= 8);
    /* a second table only widens the range */
    ps__darwin_freq g = f;
    (void)ps__darwin_freq_table(&g, data, size);
    CHECK(!f.found || (g.found && g.min <= f.min && g.max >= f.max));
#else
#error "define one FUZZ_* harness"
#endif
    return 0;
}
