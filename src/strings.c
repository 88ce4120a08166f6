/* SPDX-License-Identifier: MIT */
/*
 * The one decoder: native strings (bytes, or UTF-16 units on Windows) to UTF-8 under the
 * process-wide error policy, and its inverse ps_fsencode. utf8proc validates and iterates;
 * the only UTF-8 knowledge here is the "maximal subpart" length that Python's 'replace'
 * handler needs and utf8proc does not report.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "internal.h"

static atomic_int current_policy = PS_DEFAULT_POLICY; /* plain init: ATOMIC_VAR_INIT is deprecated */

ps_errors_policy ps__policy(void)
{
    return (ps_errors_policy)atomic_load_explicit(&current_policy, memory_order_relaxed);
}

ps_errors_policy ps_get_errors_policy(void)
{
    return ps__policy();
}

ps_errors_policy ps_default_errors_policy(void)
{
    return (ps_errors_policy)PS_DEFAULT_POLICY;
}

static bool policy_valid(int policy)
{
    return policy == PS_ERRORS_SURROGATEESCAPE || policy == PS_ERRORS_REPLACE;
}

int ps_set_errors_policy(ps_errors_policy policy)
{
    if (!policy_valid((int)policy))
        return ps__error(PS_EINVAL, 0, "ps_set_errors_policy: unknown policy %d", (int)policy);
    atomic_store_explicit(&current_policy, (int)policy, memory_order_relaxed);
    return 0;
}

/* ---- buffer ------------------------------------------------------------------------- */

void ps__buf_init(ps__buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

bool ps__buf_reserve(ps__buf *b, size_t extra)
{
    if (b->failed) return false;
    if (extra > SIZE_MAX - b->len - 1) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1; /* room for the terminator */
    if (need <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void ps__buf_append(ps__buf *b, const void *data, size_t len)
{
    if (!ps__buf_reserve(b, len)) return;
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
}

void ps__buf_putc(ps__buf *b, char c)
{
    if (!ps__buf_reserve(b, 1)) return;
    b->data[b->len++] = c;
}

int ps__buf_finish(ps__buf *b, char **out, size_t *len)
{
    if (!ps__buf_reserve(b, 0)) {
        ps__buf_dispose(b);
        return ps__error(PS_ENOMEM, 0, "out of memory building a string");
    }
    b->data[b->len] = '\0';
    *out = b->data;
    if (len) *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return 0;
}

void ps__buf_dispose(ps__buf *b)
{
    free(b->data);
    ps__buf_init(b);
}

void ps_free(void *ptr)
{
    free(ptr);
}

char *ps__strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ps__strdup(const char *s)
{
    return ps__strndup(s, strlen(s));
}

/* ---- decoding ------------------------------------------------------------------------ */

/* Append code point cp (any value up to U+10FFFF, surrogates included: WTF-8 / surrogatepass). */
static void put_codepoint(ps__buf *b, uint32_t cp)
{
    unsigned char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (unsigned char)(0xF0 | (cp >> 18));
        u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    ps__buf_append(b, u, n);
}

/*
 * Length of the maximal subpart of an ill-formed sequence starting at s (Unicode §3.9,
 * "U+FFFD substitution of maximal subparts", which CPython follows): the longest prefix of a
 * well-formed sequence, or 1. Only called where utf8proc rejected the sequence.
 */
static size_t maximal_subpart(const unsigned char *s, size_t n)
{
    unsigned char lo = 0x80, hi = 0xBF;
    size_t need; /* continuation bytes a well-formed sequence with this lead has */
    unsigned char lead = s[0];
    if (lead >= 0xC2 && lead <= 0xDF) need = 1;
    else if (lead == 0xE0) { need = 2; lo = 0xA0; }
    else if (lead == 0xED) { need = 2; hi = 0x9F; }
    else if (lead >= 0xE1 && lead <= 0xEF) need = 2;
    else if (lead == 0xF0) { need = 3; lo = 0x90; }
    else if (lead >= 0xF1 && lead <= 0xF3) need = 3;
    else if (lead == 0xF4) { need = 3; hi = 0x8F; }
    else return 1;
    if (n < 2 || s[1] < lo || s[1] > hi) return 1;
    size_t k = 2;
    while (k <= need && k < n && s[k] >= 0x80 && s[k] <= 0xBF) k++;
    return k;
}

/* The end of the run of ASCII and valid UTF-8 sequences of s[0..n) that starts at i: the first
 * byte that does not begin a valid sequence, or n. */
static size_t valid_utf8_run(const unsigned char *s, size_t i, size_t n)
{
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t r = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (r <= 0) break;
        i += (size_t)r;
    }
    return i;
}

void ps__decode_bytes_into(ps__buf *b, const unsigned char *s, size_t n, ps_errors_policy policy)
{
    static const unsigned char replacement[3] = {0xEF, 0xBF, 0xBD};
    size_t i = 0;
    if (!ps__buf_reserve(b, n)) return;
    while (i < n) {
        /* Copy the longest run of ASCII and valid sequences in one append. */
        size_t start = i;
        i = valid_utf8_run(s, i, n);
        ps__buf_append(b, s + start, i - start);
        if (i >= n) break;
        size_t bad = maximal_subpart(s + i, n - i);
        if (policy == PS_ERRORS_REPLACE) {
            ps__buf_append(b, replacement, sizeof replacement);
        } else {
            for (size_t j = 0; j < bad; j++) put_codepoint(b, 0xDC00u + s[i + j]);
        }
        i += bad;
    }
}

void ps__decode_utf16_into(ps__buf *b, const uint16_t *u, size_t n, ps_errors_policy policy)
{
    if (!ps__buf_reserve(b, n)) return;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = u[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] - 0xDC00u);
            i++;
        } else if (c >= 0xD800 && c <= 0xDFFF && policy == PS_ERRORS_REPLACE) {
            c = 0xFFFD;
        }
        put_codepoint(b, c);
    }
}

/* The one decode into a new string: len units of data (UTF-16 units when utf16, else bytes)
 * under policy. */
static int decode_new(const void *data, size_t len, bool utf16, ps_errors_policy policy, char **out,
                      size_t *out_len)
{
    ps__buf b;
    ps__buf_init(&b);
    if (utf16)
        ps__decode_utf16_into(&b, data, len, policy);
    else
        ps__decode_bytes_into(&b, data, len, policy);
    return ps__buf_finish(&b, out, out_len);
}

/* decode_new behind the public decoders' argument checks; the messages name the public
 * function fn and its input what. */
static int decode_checked(const char *fn, const char *what, const void *data, size_t len, bool utf16,
                          ps_errors_policy policy, char **out, size_t *out_len)
{
    if (!out) return ps__error(PS_EINVAL, 0, "%s: out is NULL", fn);
    *out = NULL;
    if (!data && len) return ps__error(PS_EINVAL, 0, "%s: %s is NULL", fn, what);
    if (!policy_valid((int)policy))
        return ps__error(PS_EINVAL, 0, "%s: unknown policy %d", fn, (int)policy);
    return decode_new(data, len, utf16, policy, out, out_len);
}

int ps_fsdecode_policy(const char *bytes, size_t len, ps_errors_policy policy, char **out,
                       size_t *out_len)
{
    return decode_checked("ps_fsdecode", "bytes", bytes, len, false, policy, out, out_len);
}

int ps_fsdecode(const char *bytes, size_t len, char **out, size_t *out_len)
{
    return ps_fsdecode_policy(bytes, len, ps__policy(), out, out_len);
}

int ps_utf16_decode_policy(const uint16_t *units, size_t count, ps_errors_policy policy,
                           char **out, size_t *out_len)
{
    return decode_checked("ps_utf16_decode", "units", units, count, true, policy, out, out_len);
}

int ps__decode_native(const void *native, size_t len, char **out, size_t *out_len)
{
    *out = NULL; /* callers may rely on NULL after a failure (PS_ENOMEM) */
    return decode_new(native, len, PS_NATIVE_UTF16, ps__policy(), out, out_len);
}

int ps_fsencode(const char *str, size_t len, char **out, size_t *out_len)
{
    if (!out) return ps__error(PS_EINVAL, 0, "ps_fsencode: out is NULL");
    *out = NULL;
    if (!str && len) return ps__error(PS_EINVAL, 0, "ps_fsencode: str is NULL");
    const unsigned char *s = (const unsigned char *)str;
    ps__buf b;
    ps__buf_init(&b);
    if (!ps__buf_reserve(&b, len)) return ps__buf_finish(&b, out, out_len);
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        i = valid_utf8_run(s, i, len);
        ps__buf_append(&b, s + start, i - start);
        if (i >= len) break;
        /* Only the escapes U+DC80..U+DCFF (ED B2 80 .. ED B3 BF) stand for bytes. */
        if (len - i >= 3 && s[i] == 0xED && (s[i + 1] == 0xB2 || s[i + 1] == 0xB3) &&
            s[i + 2] >= 0x80 && s[i + 2] <= 0xBF) {
            ps__buf_putc(&b, (char)(((s[i + 1] & 0x01) << 6 | (s[i + 2] & 0x3F)) + 0x80));
            i += 3;
            continue;
        }
        ps__buf_dispose(&b);
        return ps__error(PS_EINVAL, 0,
                         "ps_fsencode: byte offset %zu is neither UTF-8 nor a U+DC80..U+DCFF escape",
                         i);
    }
    return ps__buf_finish(&b, out, out_len);
}
