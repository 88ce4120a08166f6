/* SPDX-License-Identifier: MIT */
/*
 * The one decoder, outside Criterion: on Windows (run under wine by `meson test -C build-win`)
 * and, linked statically with zig cc, under musl (scripts/zig-check.sh runs it). Checks the
 * CPython vectors generated on the build machine (path in $PSINFO_VECTORS or argv[1]), the
 * platform's default policy and native string form (PS_NATIVE_UTF16 from ps_config.h), and
 * bad input.
 */
#include "minitest.h"

#include <psinfo.h>

#include "../test_decoder_vectors.h"
#include "internal.h" /* ps__decode_native: what the back ends' strings go through */

MT_TEST(default_policy)
{
    /* replace where native strings are UTF-16 (Windows), surrogateescape elsewhere */
    int want = PS_NATIVE_UTF16 ? PS_ERRORS_REPLACE : PS_ERRORS_SURROGATEESCAPE;
    MT_CHECK_EQ_INT(ps_default_errors_policy(), want);
    MT_CHECK_EQ_INT(ps_get_errors_policy(), want);
}

MT_TEST(cpython_vectors)
{
    const char *path = getenv("PSINFO_VECTORS");
    if (mt_argc > 1) path = mt_argv[1];
    MT_REQUIRE(path != NULL);
    tv_stats st;
    int rc = tv_run_file(path, &st, stdout);
    if (rc != 0) MT_LOG("%s", st.error);
    MT_REQUIRE(rc == 0);
    MT_LOG("%ld UTF-8 vectors (%ld random), %ld UTF-16, %ld fsencode; %ld checks, %ld failed",
           st.u8, st.u8_random, st.u16, st.enc, st.checks, st.failures);
    MT_CHECK(st.u8_random >= 100000);
    MT_CHECK(st.u16 > 1000);
    MT_CHECK_EQ_INT(st.failures, 0);
}

MT_TEST(utf16_known_answers)
{
    const uint16_t u[] = {0x0041, 0xD800, 0x0042, 0xD83D, 0xDE00, 0xDC00};
    char *s = NULL;
    size_t n = 0;
    MT_REQUIRE(ps_utf16_decode_policy(u, 6, PS_ERRORS_REPLACE, &s, &n) == 0);
    MT_CHECK_STR_EQ(s, "A\xef\xbf\xbd" "B\xf0\x9f\x98\x80\xef\xbf\xbd");
    MT_CHECK_EQ_INT(n, 12);
    ps_free(s);
    MT_REQUIRE(ps_utf16_decode_policy(u, 6, PS_ERRORS_SURROGATEESCAPE, &s, &n) == 0);
    MT_CHECK_STR_EQ(s, "A\xed\xa0\x80" "B\xf0\x9f\x98\x80\xed\xb0\x80");
    ps_free(s);
}

MT_TEST(bad_input)
{
    char *s = (char *)1;
    MT_CHECK_EQ_INT(ps_fsdecode(NULL, 1, &s, NULL), PS_EINVAL);
    MT_CHECK(s == NULL);
    MT_CHECK_EQ_INT(ps_fsdecode("a", 1, NULL, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_utf16_decode_policy(NULL, 1, PS_ERRORS_REPLACE, &s, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_fsencode(NULL, 1, &s, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_fsencode("\xed\xb1\xbf", 3, &s, NULL), PS_EINVAL); /* U+DC7F */
    MT_CHECK_EQ_INT(ps_fsencode("\xff", 1, &s, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_set_errors_policy((ps_errors_policy)2), PS_EINVAL);
    ps_error_detail d;
    MT_CHECK_EQ_INT(ps_error_last(&d), 0);
    MT_CHECK_EQ_INT(d.code, PS_EINVAL);
}

MT_TEST(native_strings)
{
    char *s = NULL;
    size_t n = 0;
    if (PS_NATIVE_UTF16) {
        const uint16_t u[] = {0x0063, 0x003A, 0x005C, 0x00E9, 0xDC00, 0xD83D, 0xDE00};
        MT_REQUIRE(ps_set_errors_policy(PS_ERRORS_REPLACE) == 0);
        MT_REQUIRE(ps__decode_native(u, 7, &s, &n) == 0);
        MT_CHECK_STR_EQ(s, "c:\\\xc3\xa9\xef\xbf\xbd\xf0\x9f\x98\x80");
        ps_free(s);
        MT_REQUIRE(ps_set_errors_policy(PS_ERRORS_SURROGATEESCAPE) == 0);
        MT_REQUIRE(ps__decode_native(u, 7, &s, &n) == 0);
        MT_CHECK_STR_EQ(s, "c:\\\xc3\xa9\xed\xb0\x80\xf0\x9f\x98\x80");
        ps_free(s);
    } else {
        const char b[] = "/tmp/\xc3\xa9\xff";
        MT_REQUIRE(ps_set_errors_policy(PS_ERRORS_REPLACE) == 0);
        MT_REQUIRE(ps__decode_native(b, 8, &s, &n) == 0);
        MT_CHECK_STR_EQ(s, "/tmp/\xc3\xa9\xef\xbf\xbd");
        ps_free(s);
        MT_REQUIRE(ps_set_errors_policy(PS_ERRORS_SURROGATEESCAPE) == 0);
        MT_REQUIRE(ps__decode_native(b, 8, &s, &n) == 0);
        MT_CHECK_STR_EQ(s, "/tmp/\xc3\xa9\xed\xb3\xbf");
        ps_free(s);
    }
    MT_CHECK_EQ_INT(ps_set_errors_policy(ps_default_errors_policy()), 0);
}

MT_MAIN()
