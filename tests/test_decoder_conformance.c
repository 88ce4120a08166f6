/* SPDX-License-Identifier: MIT */
/*
 * The one decoder, byte for byte against CPython: every vector that tests/vectors/gen_vectors.py
 * generated with /usr/bin/python3 at build time (path in PSINFO_VECTORS, set by tests/meson.build).
 * See test_decoder_vectors.h for what each vector checks.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_decoder_vectors.h"
#include "helpers/fdcheck.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(decoder_conformance);

Test(decoder_conformance, cpython_vectors)
{
    const char *path = getenv("PSINFO_VECTORS");
    cr_assert_not_null(path, "PSINFO_VECTORS is not set (run through meson test)");
    int fds = fdcheck_count();
    tv_stats st;
    int rc = tv_run_file(path, &st, stderr);
    cr_assert_eq(rc, 0, "%s", st.error);
    fprintf(stderr,
            "decoder conformance: %ld UTF-8 vectors (%ld random), %ld UTF-16, %ld fsencode; "
            "%ld checks, %ld failed\n",
            st.u8, st.u8_random, st.u16, st.enc, st.checks, st.failures);
    cr_assert_geq(st.u8_random, 100000, "fewer than 100000 random byte strings");
    cr_assert_gt(st.u16, 1000);
    cr_assert_gt(st.enc, 1000);
    cr_assert_eq(st.failures, 0, "%ld of %ld checks differ from CPython (first ones above)",
                 st.failures, st.checks);
    cr_assert_eq(fdcheck_count(), fds, "open fd count changed");
}

/* The checker itself must be able to fail: a wrong expectation is reported, not accepted. */
Test(decoder_conformance, checker_detects_a_wrong_expectation)
{
    char path[] = "/tmp/psinfo-vectors-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    /* Correct escape output for b"\xff" is ED B3 BF; we claim ED B3 BE. */
    fputs("U8 wrong ff edb3be efbfbd\nENC wrong 80 80\n# end 1 0 1\n", f);
    fclose(f);
    tv_stats st;
    FILE *devnull = fopen("/dev/null", "w");
    int rc = tv_run_file(path, &st, devnull);
    fclose(devnull);
    unlink(path);
    cr_assert_eq(rc, 0, "%s", st.error);
    cr_assert_eq(st.failures, 2);
}
