/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harnesses for the macOS decoders (src/bsd/darwin_parse.c), which are portable and
 * so are fuzzed here although the back end cannot run: -DFUZZ_PROCARGS (a KERN_PROCARGS2
 * buffer), -DFUZZ_IFLIST2 (a NET_RT_IFLIST2 message stream), -DFUZZ_DARWIN_STRUCTS (the
 * fixed-size records: proc_taskinfo, rusage_info_v0, xsw_usage, vm_statistics64, each read
 * from the start of the input, with the conversions that follow them). Every view a decoder
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
        uint64_t ns = ps__darwin_ticks_to_ns(tk, nd[0], nd[1]);
        /* monotonic in ticks for a fixed ratio */
        if (tk > 0 && nd[1] != 0) CHECK(ps__darwin_ticks_to_ns(tk - 1, nd[0], nd[1]) <= ns);
    }
#else
#error "define one FUZZ_* harness"
#endif
    return 0;
}
