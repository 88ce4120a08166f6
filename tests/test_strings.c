/* SPDX-License-Identifier: MIT */
/* Decoder basics; the byte-for-byte CPython conformance lives in test_decoder_conformance.c. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <psinfo.h>

#include "internal.h"
#include "helpers/fdcheck.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(strings);

static char *dec(const char *b, size_t n, ps_errors_policy p)
{
    char *out = NULL;
    cr_assert_eq(ps_fsdecode_policy(b, n, p, &out, NULL), 0);
    return out;
}

Test(strings, escape_and_replace_known_answers)
{
    char *s = dec("a\xe2\x82" "b", 4, PS_ERRORS_SURROGATEESCAPE);
    cr_assert_str_eq(s, "a\xed\xb3\xa2\xed\xb2\x82" "b"); /* per byte: U+DCE2 U+DC82 */
    ps_free(s);
    s = dec("a\xe2\x82" "b", 4, PS_ERRORS_REPLACE);
    cr_assert_str_eq(s, "a\xef\xbf\xbd" "b"); /* one maximal subpart: one U+FFFD */
    ps_free(s);
}

Test(strings, fsencode_round_trip_and_rejects)
{
    const char raw[] = "x\xff\xc0\xed\xa0\x80y";
    char *s = dec(raw, sizeof raw - 1, PS_ERRORS_SURROGATEESCAPE);
    char *back;
    size_t n;
    cr_assert_eq(ps_fsencode(s, strlen(s), &back, &n), 0);
    cr_assert_eq(n, sizeof raw - 1);
    cr_assert_eq(memcmp(back, raw, n), 0);
    ps_free(back);
    ps_free(s);
    cr_assert_eq(ps_fsencode("\xed\xb0\x80", 3, &back, NULL), PS_EINVAL); /* U+DC00 */
    cr_assert_eq(ps_fsencode("\xed\xa0\x80", 3, &back, NULL), PS_EINVAL); /* U+D800 */
    cr_assert_eq(ps_fsencode("\x80", 1, &back, NULL), PS_EINVAL);
    cr_assert_eq(ps_fsencode(NULL, 1, &back, NULL), PS_EINVAL);
    cr_assert_eq(ps_fsencode("a", 1, NULL, NULL), PS_EINVAL);
}

Test(strings, policy_get_set)
{
    cr_assert_eq(ps_get_errors_policy(), ps_default_errors_policy());
    cr_assert_eq(ps_set_errors_policy(PS_ERRORS_REPLACE), 0);
    cr_assert_eq(ps_get_errors_policy(), PS_ERRORS_REPLACE);
    cr_assert_eq(ps_set_errors_policy((ps_errors_policy)7), PS_EINVAL);
    cr_assert_eq(ps_get_errors_policy(), PS_ERRORS_REPLACE);
    char *s;
    cr_assert_eq(ps_fsdecode("\xff", 1, &s, NULL), 0);
    cr_assert_str_eq(s, "\xef\xbf\xbd");
    ps_free(s);
    cr_assert_eq(ps_set_errors_policy(PS_ERRORS_SURROGATEESCAPE), 0);
}

Test(strings, utf16_lone_surrogates)
{
    const uint16_t u[] = {0x0041, 0xD800, 0x0042, 0xD83D, 0xDE00, 0xDC00};
    char *s;
    cr_assert_eq(ps_utf16_decode_policy(u, 6, PS_ERRORS_REPLACE, &s, NULL), 0);
    cr_assert_str_eq(s, "A\xef\xbf\xbd" "B\xf0\x9f\x98\x80\xef\xbf\xbd");
    ps_free(s);
    cr_assert_eq(ps_utf16_decode_policy(u, 6, PS_ERRORS_SURROGATEESCAPE, &s, NULL), 0);
    cr_assert_str_eq(s, "A\xed\xa0\x80" "B\xf0\x9f\x98\x80\xed\xb0\x80");
    ps_free(s);
}

Test(strings, null_pointers_are_einval)
{
    char *s = (char *)"sentinel";
    uint16_t u = 0x41;
    cr_assert_eq(ps_fsdecode(NULL, 1, &s, NULL), PS_EINVAL);
    cr_assert_null(s, "*out must be NULL after a failure");
    cr_assert_eq(ps_fsdecode("a", 1, NULL, NULL), PS_EINVAL);
    cr_assert_eq(ps_fsdecode_policy(NULL, 3, PS_ERRORS_REPLACE, &s, NULL), PS_EINVAL);
    cr_assert_eq(ps_fsdecode_policy("a", 1, PS_ERRORS_REPLACE, NULL, NULL), PS_EINVAL);
    cr_assert_eq(ps_fsdecode_policy("a", 1, (ps_errors_policy)-1, &s, NULL), PS_EINVAL);
    cr_assert_eq(ps_utf16_decode_policy(NULL, 1, PS_ERRORS_REPLACE, &s, NULL), PS_EINVAL);
    cr_assert_eq(ps_utf16_decode_policy(&u, 1, PS_ERRORS_REPLACE, NULL, NULL), PS_EINVAL);
    cr_assert_eq(ps_utf16_decode_policy(&u, 1, (ps_errors_policy)5, &s, NULL), PS_EINVAL);
    cr_assert_eq(ps_fsencode(NULL, 2, &s, NULL), PS_EINVAL);
    cr_assert_eq(ps_fsencode("a", 1, NULL, NULL), PS_EINVAL);
    cr_assert_eq(ps_error_last(NULL), PS_EINVAL);
    cr_assert_eq(ps_get_root(PS_ROOT_PROC, NULL), PS_EINVAL);
    /* NULL with length 0 is the empty string, not an error. */
    size_t n = 99;
    cr_assert_eq(ps_fsdecode(NULL, 0, &s, &n), 0);
    cr_assert_str_eq(s, "");
    cr_assert_eq(n, 0);
    ps_free(s);
    ps_free(NULL);
}

/* Every surrogate code point, written as 3 bytes: only U+DC80..U+DCFF (the escapes) encode,
 * each to exactly its byte; everything else, U+DC00..U+DC7F included, is PS_EINVAL. */
Test(strings, fsencode_every_surrogate)
{
    for (unsigned cp = 0xD800; cp <= 0xDFFF; cp++) {
        char in[4] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                      (char)(0x80 | (cp & 0x3F)), 'z'};
        char *out = NULL;
        size_t n = 0;
        int rc = ps_fsencode(in, 4, &out, &n);
        if (cp >= 0xDC80 && cp <= 0xDCFF) {
            cr_assert_eq(rc, 0, "U+%04X", cp);
            cr_assert_eq(n, 2);
            cr_assert_eq((unsigned char)out[0], cp - 0xDC00, "U+%04X", cp);
            cr_assert_eq(out[1], 'z');
            ps_free(out);
        } else {
            cr_assert_eq(rc, PS_EINVAL, "U+%04X", cp);
            cr_assert_null(out);
            ps_error_detail d;
            cr_assert_eq(ps_error_last(&d), 0);
            cr_assert_eq(d.code, PS_EINVAL);
            cr_assert(strstr(d.message, "ps_fsencode") != NULL, "%s", d.message);
        }
    }
}

/* Truncated escapes and invalid UTF-8 that is not an escape never crash and say PS_EINVAL. */
Test(strings, fsencode_rejects_non_escapes)
{
    static const char *bad[] = {"\xed", "\xed\xb2", "\xed\xb3", "\xc3", "\xc0\xaf", "\xe0\x80\xaf",
                                "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\xfe", "a\x80" "b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *out = NULL;
        cr_assert_eq(ps_fsencode(bad[i], strlen(bad[i]), &out, NULL), PS_EINVAL, "case %zu", i);
        cr_assert_null(out);
    }
}

/* The internal entry point the back ends' strings go through reads the policy per call. */
Test(strings, decode_native_follows_the_policy)
{
    const char raw[] = "n\xe2\x82\xff";
    char *s = NULL;
    size_t n = 0;
    cr_assert_eq(ps_set_errors_policy(PS_ERRORS_SURROGATEESCAPE), 0);
    cr_assert_eq(ps__decode_native(raw, 4, &s, &n), 0);
    cr_assert_eq(n, 10);
    cr_assert_eq(memcmp(s, "n\xed\xb3\xa2\xed\xb2\x82\xed\xb3\xbf", 10), 0);
    ps_free(s);
    cr_assert_eq(ps_set_errors_policy(PS_ERRORS_REPLACE), 0);
    cr_assert_eq(ps__decode_native(raw, 4, &s, &n), 0);
    cr_assert_str_eq(s, "n\xef\xbf\xbd\xef\xbf\xbd");
    ps_free(s);
    cr_assert_eq(ps_set_errors_policy(ps_default_errors_policy()), 0);
    /* Appending into a buffer keeps what is there. */
    ps__buf b;
    ps__buf_init(&b);
    ps__buf_append(&b, "x=", 2);
    ps__decode_bytes_into(&b, (const unsigned char *)"\xc3\xa9\xc3", 3, PS_ERRORS_REPLACE);
    cr_assert_eq(ps__buf_finish(&b, &s, &n), 0);
    cr_assert_str_eq(s, "x=\xc3\xa9\xef\xbf\xbd");
    ps_free(s);
}

/* The policy is read once per string: while another thread flips it, every decoded string is
 * entirely one policy's output, never a mix. */
static atomic_int flipping = 1;

static void *flip_policy(void *arg)
{
    (void)arg;
    int i = 0;
    while (atomic_load(&flipping))
        ps_set_errors_policy((i++ & 1) ? PS_ERRORS_REPLACE : PS_ERRORS_SURROGATEESCAPE);
    return NULL;
}

Test(strings, policy_read_once_per_string)
{
    char raw[64 * 3];
    for (int i = 0; i < 64; i++) memcpy(raw + 3 * i, "a\xff" "b", 3);
    char *esc = NULL, *rep = NULL, *s = NULL;
    size_t esc_n, rep_n, n;
    cr_assert_eq(ps_fsdecode_policy(raw, sizeof raw, PS_ERRORS_SURROGATEESCAPE, &esc, &esc_n), 0);
    cr_assert_eq(ps_fsdecode_policy(raw, sizeof raw, PS_ERRORS_REPLACE, &rep, &rep_n), 0);
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, flip_policy, NULL), 0);
    int seen_esc = 0, seen_rep = 0;
    for (int i = 0; i < 20000; i++) {
        cr_assert_eq(ps_fsdecode(raw, sizeof raw, &s, &n), 0);
        if (n == esc_n && memcmp(s, esc, n) == 0) seen_esc++;
        else if (n == rep_n && memcmp(s, rep, n) == 0) seen_rep++;
        else cr_assert_fail("iteration %d: a string mixes both policies", i);
        ps_free(s);
    }
    atomic_store(&flipping, 0);
    pthread_join(t, NULL);
    cr_assert_eq(seen_esc + seen_rep, 20000);
    ps_free(esc);
    ps_free(rep);
    cr_assert_eq(ps_set_errors_policy(ps_default_errors_policy()), 0);
}
