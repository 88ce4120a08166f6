/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harnesses for the one decoder, built three times from this file:
 *   -DFUZZ_DECODE   bytes -> ps_fsdecode_policy under both policies, compared with a reference
 *                   decoder written here from the Unicode maximal-subpart rule (independently of
 *                   src/strings.c); the surrogateescape result must round-trip through
 *                   ps_fsencode; the replace result must be valid UTF-8 without surrogates; the
 *                   process-wide policy path (ps_fsdecode) must equal the explicit one.
 *   -DFUZZ_FSENCODE text -> ps_fsencode: accepted exactly when the reference says the text is
 *                   UTF-8 plus U+DC80..U+DCFF escapes; then decoding the bytes and encoding again
 *                   gives the same bytes.
 *   -DFUZZ_UTF16    UTF-16 units -> ps_utf16_decode_policy, compared with a reference.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "psinfo.h"

#define CHECK(c) do { if (!(c)) { __builtin_trap(); } } while (0)

typedef struct {
    unsigned char *p;
    size_t n, cap;
} obuf;

static void put(obuf *o, const void *d, size_t n)
{
    if (o->n + n > o->cap) {
        o->cap = (o->n + n) * 2 + 16;
        o->p = realloc(o->p, o->cap);
        CHECK(o->p);
    }
    memcpy(o->p + o->n, d, n);
    o->n += n;
}

static void put_cp(obuf *o, uint32_t c)
{
    unsigned char b[4];
    if (c < 0x80) { b[0] = (unsigned char)c; put(o, b, 1); }
    else if (c < 0x800) { b[0] = (unsigned char)(0xC0 | c >> 6); b[1] = (unsigned char)(0x80 | (c & 0x3F)); put(o, b, 2); }
    else if (c < 0x10000) {
        b[0] = (unsigned char)(0xE0 | c >> 12); b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (c & 0x3F)); put(o, b, 3);
    } else {
        b[0] = (unsigned char)(0xF0 | c >> 18); b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F)); b[3] = (unsigned char)(0x80 | (c & 0x3F));
        put(o, b, 4);
    }
}

/* Allowed range of the second byte after lead byte b, and how many continuation bytes follow
 * (Unicode Table 3-7). Returns 0 for a byte that cannot start a sequence. */
static int lead_info(unsigned char b, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80; *hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) return 1;
    if (b == 0xE0) { *lo = 0xA0; return 2; }
    if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) return 2;
    if (b == 0xED) { *hi = 0x9F; return 2; }
    if (b == 0xF0) { *lo = 0x90; return 3; }
    if (b >= 0xF1 && b <= 0xF3) return 3;
    if (b == 0xF4) { *hi = 0x8F; return 3; }
    return 0;
}

/* Reference decoder. escape = 1: every byte of a maximal invalid subpart becomes U+DC00+byte;
 * escape = 0: each maximal invalid subpart becomes one U+FFFD. */
static void ref_decode(const unsigned char *s, size_t n, int escape, obuf *o)
{
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        if (b < 0x80) { put(o, &b, 1); i++; continue; }
        unsigned char lo, hi;
        int need = lead_info(b, &lo, &hi);
        size_t k = 0; /* continuation bytes that fit */
        if (need) {
            while ((int)k < need && i + 1 + k < n) {
                unsigned char c = s[i + 1 + k];
                unsigned char l = k == 0 ? lo : 0x80, h = k == 0 ? hi : 0xBF;
                if (c < l || c > h) break;
                k++;
            }
        }
        if (need && (int)k == need) { put(o, s + i, k + 1); i += k + 1; continue; }
        size_t bad = need ? k + 1 : 1;
        if (escape) for (size_t j = 0; j < bad; j++) put_cp(o, 0xDC00u + s[i + j]);
        else put_cp(o, 0xFFFD);
        i += bad;
    }
}

/* Is s valid UTF-8 in which surrogates appear only as U+DC80..U+DCFF? allow_escapes = 0: no
 * surrogate at all. */
static int ref_valid(const unsigned char *s, size_t n, int allow_escapes)
{
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        if (b < 0x80) { i++; continue; }
        if (b == 0xED && i + 2 < n && s[i + 1] >= 0xA0 && s[i + 1] <= 0xBF && s[i + 2] >= 0x80 &&
            s[i + 2] <= 0xBF) {
            uint32_t c = 0xD000u | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
            if (!allow_escapes || c < 0xDC80 || c > 0xDCFF) return 0;
            i += 3;
            continue;
        }
        unsigned char lo, hi;
        int need = lead_info(b, &lo, &hi);
        if (!need) return 0;
        for (int k = 0; k < need; k++) {
            if (i + 1 + (size_t)k >= n) return 0;
            unsigned char c = s[i + 1 + k];
            if (c < (k == 0 ? lo : 0x80) || c > (k == 0 ? hi : 0xBF)) return 0;
        }
        i += (size_t)need + 1;
    }
    return 1;
}

#if defined(FUZZ_DECODE)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    obuf esc = {0}, rep = {0};
    ref_decode(data, size, 1, &esc);
    ref_decode(data, size, 0, &rep);
    char *e = NULL, *r = NULL, *back = NULL, *cur = NULL;
    size_t el = 0, rl = 0, bl = 0, cl = 0;
    CHECK(ps_fsdecode_policy((const char *)data, size, PS_ERRORS_SURROGATEESCAPE, &e, &el) == 0);
    CHECK(ps_fsdecode_policy((const char *)data, size, PS_ERRORS_REPLACE, &r, &rl) == 0);
    CHECK(el == esc.n && memcmp(e, esc.p ? (char *)esc.p : "", el) == 0);
    CHECK(rl == rep.n && memcmp(r, rep.p ? (char *)rep.p : "", rl) == 0);
    CHECK(e[el] == '\0' && r[rl] == '\0');
    CHECK(ref_valid((const unsigned char *)r, rl, 0));
    CHECK(ref_valid((const unsigned char *)e, el, 1));
    CHECK(ps_fsencode(e, el, &back, &bl) == 0);
    CHECK(bl == size && memcmp(back, data, size) == 0);
    CHECK(ps_fsdecode((const char *)data, size, &cur, &cl) == 0);
    if (ps_get_errors_policy() == PS_ERRORS_SURROGATEESCAPE) CHECK(cl == el && !memcmp(cur, e, el));
    else CHECK(cl == rl && !memcmp(cur, r, rl));
    ps_free(e); ps_free(r); ps_free(back); ps_free(cur);
    free(esc.p); free(rep.p);
    return 0;
}
#elif defined(FUZZ_FSENCODE)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *b = NULL, *d = NULL, *b2 = NULL;
    size_t bl = 0, dl = 0, b2l = 0;
    int rc = ps_fsencode((const char *)data, size, &b, &bl);
    CHECK(rc == 0 || rc == PS_EINVAL);
    CHECK((rc == 0) == ref_valid(data, size, 1));
    if (rc == 0) {
        /* Every escape gave one byte, everything else itself. */
        CHECK(bl <= size);
        CHECK(ps_fsdecode_policy(b, bl, PS_ERRORS_SURROGATEESCAPE, &d, &dl) == 0);
        CHECK(ps_fsencode(d, dl, &b2, &b2l) == 0);
        CHECK(b2l == bl && memcmp(b2, b, bl) == 0);
        /* Text without escapes is its own encoding. */
        if (ref_valid(data, size, 0)) CHECK(bl == size && memcmp(b, data, size) == 0);
    }
    ps_free(b); ps_free(d); ps_free(b2);
    return 0;
}
#elif defined(FUZZ_UTF16)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = size / 2;
    uint16_t *u = malloc(n * 2 + 2);
    CHECK(u);
    memcpy(u, data, n * 2);
    for (int pol = 0; pol < 2; pol++) {
        obuf ref = {0};
        for (size_t i = 0; i < n; i++) {
            uint32_t c = u[i];
            if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF) {
                c = 0x10000u + ((c - 0xD800u) << 10) + (u[i + 1] - 0xDC00u);
                i++;
            } else if (c >= 0xD800 && c <= 0xDFFF && pol == PS_ERRORS_REPLACE) {
                c = 0xFFFD;
            }
            put_cp(&ref, c);
        }
        char *out = NULL;
        size_t ol = 0;
        CHECK(ps_utf16_decode_policy(u, n, (ps_errors_policy)pol, &out, &ol) == 0);
        CHECK(ol == ref.n && memcmp(out, ref.p ? (char *)ref.p : "", ol) == 0 && out[ol] == '\0');
        if (pol == PS_ERRORS_REPLACE) CHECK(ref_valid((const unsigned char *)out, ol, 0));
        ps_free(out);
        free(ref.p);
    }
    free(u);
    return 0;
}
#else
#error "define FUZZ_DECODE, FUZZ_FSENCODE or FUZZ_UTF16"
#endif
