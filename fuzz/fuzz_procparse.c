/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harnesses for the pure /proc/<pid> parsers (src/linux/procparse.c), one binary per
 * parser: -DFUZZ_STAT, -DFUZZ_STATUS, -DFUZZ_STATM, -DFUZZ_IO, -DFUZZ_SMAPS_ROLLUP, -DFUZZ_SMAPS.
 * The input is handed over as is (not NUL-terminated, as the parsers allow), so AddressSanitizer
 * sees any read past its end. Every pointer a parser returns must lie inside the input, and the
 * strings it points at go through the decoder as the getters do.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "linux/procparse.h"

#define CHECK(c) do { if (!(c)) { __builtin_trap(); } } while (0)

static void inside(const uint8_t *data, size_t size, const char *p, size_t n)
{
    if (!p) { CHECK(n == 0); return; }
    CHECK((const uint8_t *)p >= data && n <= size && (const uint8_t *)p + n <= data + size);
    char *s = NULL;
    CHECK(ps__decode_native(p, n, &s, NULL) == 0);
    ps_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
#if defined(FUZZ_STAT)
    ps__stat st;
    if (ps__parse_stat_buf(buf, size, &st) == 0) {
        inside(data, size, st.comm, st.comm_len);
        CHECK(st.nfields >= 20);
        (void)ps__status_from_letter(st.state);
    }
#elif defined(FUZZ_STATUS)
    ps__status st;
    ps__parse_status_buf(buf, size, &st);
    if (st.found & PS__ST_NAME) inside(data, size, st.name, st.name_len);
    if (st.found & PS__ST_CPUS_ALLOWED_LIST) inside(data, size, st.cpus_allowed_list, st.cpus_allowed_list_len);
#elif defined(FUZZ_STATM)
    ps__statm sm;
    (void)ps__parse_statm_buf(buf, size, &sm);
#elif defined(FUZZ_IO)
    ps__io io;
    ps__parse_io_buf(buf, size, &io);
    CHECK((io.found & ~0x7fu) == 0);
#elif defined(FUZZ_SMAPS_ROLLUP)
    ps__smaps_sums sums;
    memset(&sums, 0, sizeof sums);
    ps__parse_smaps_rollup_buf(buf, size, &sums);
#elif defined(FUZZ_SMAPS)
    size_t pos = 0, last = 0, blocks = 0;
    ps__smaps_block b;
    while (ps__smaps_next(buf, size, &pos, &b)) {
        CHECK(pos <= size);
        CHECK(pos > last || blocks == 0); /* progress: no endless loop */
        last = pos;
        inside(data, size, b.addr, b.addr_len);
        inside(data, size, b.perms, b.perms_len);
        inside(data, size, b.path, b.path_len);
        CHECK(++blocks <= size + 1);
    }
#else
#error "define one FUZZ_* target"
#endif
    return 0;
}
