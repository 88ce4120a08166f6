/* Decoder basics; the byte-for-byte CPython conformance lives in test_decoder_conformance.c. */
#include <criterion/criterion.h>
#include <string.h>

#include <psinfo.h>

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
