/* SPDX-License-Identifier: MIT */
/*
 * Checks the one decoder against the vectors that tests/vectors/gen_vectors.py wrote from
 * CPython's codecs. Shared by the Criterion suite (test_decoder_conformance.c) and the Windows
 * runner (tests/win/test_decoder_win.c); uses only the public API and plain C99 stdio.
 *
 * For every vector:
 *   U8   ps_fsdecode_policy(b, ESCAPE) == CPython's surrogateescape output (as surrogatepass UTF-8)
 *        ps_fsdecode_policy(b, REPLACE) == CPython's replace output
 *        ps_fsencode(escape output) == b                          (lossless round trip)
 *   U16  ps_utf16_decode_policy(u, ESCAPE/REPLACE) == CPython's surrogatepass/replace output
 *   ENC  ps_fsencode(t) == CPython's surrogateescape encoding, or PS_EINVAL where CPython raises
 */
#ifndef PS_TEST_DECODER_VECTORS_H
#define PS_TEST_DECODER_VECTORS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <psinfo.h>

typedef struct tv_stats {
    long u8, u16, enc;          /* vectors read, by kind */
    long u8_random;             /* of which random byte strings */
    long checks;                /* individual comparisons made */
    long failures;              /* comparisons that failed */
    long declared[3];           /* counts on the generator's "# end" line, -1 if missing */
    char error[256];            /* set when the file could not be read or parsed */
} tv_stats;

static int tv_hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Parse a hex field ('-' = empty) into a malloc'd buffer; returns 0 or -1. */
static int tv_unhex(const char *s, unsigned char **out, size_t *n)
{
    size_t len = strlen(s);
    *out = NULL;
    *n = 0;
    if (strcmp(s, "-") == 0) {
        *out = (unsigned char *)malloc(1);
        return *out ? 0 : -1;
    }
    if (len % 2) return -1;
    unsigned char *b = (unsigned char *)malloc(len / 2 + 1);
    if (!b) return -1;
    for (size_t i = 0; i < len / 2; i++) {
        int hi = tv_hexval(s[2 * i]), lo = tv_hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(b);
            return -1;
        }
        b[i] = (unsigned char)(hi << 4 | lo);
    }
    *out = b;
    *n = len / 2;
    return 0;
}

static void tv_dump(FILE *log, const char *what, const unsigned char *b, size_t n)
{
    fprintf(log, "    %-9s", what);
    if (!b) {
        fprintf(log, " (none)\n");
        return;
    }
    for (size_t i = 0; i < n && i < 96; i++) fprintf(log, "%02x", b[i]);
    fprintf(log, "%s (%lu bytes)\n", n > 96 ? "..." : "", (unsigned long)n);
}

/* Compare one result; log the first few failures. */
static void tv_expect(tv_stats *st, FILE *log, long line, const char *label, const char *what,
                      int rc, const char *got, size_t got_n, const unsigned char *want,
                      size_t want_n, const unsigned char *input, size_t input_n)
{
    st->checks++;
    if (rc == 0 && got && got_n == want_n && memcmp(got, want, want_n) == 0 &&
        got[got_n] == '\0')
        return;
    st->failures++;
    if (log && st->failures <= 20) {
        fprintf(log, "vector line %ld (%s): %s mismatch, rc=%d\n", line, label, what, rc);
        tv_dump(log, "input", input, input_n);
        tv_dump(log, "expected", want, want_n);
        tv_dump(log, "got", (const unsigned char *)got, got_n);
    }
}

static void tv_expect_einval(tv_stats *st, FILE *log, long line, const char *label, int rc,
                             const char *out, const unsigned char *input, size_t input_n)
{
    st->checks++;
    if (rc == PS_EINVAL && out == NULL) return;
    st->failures++;
    if (log && st->failures <= 20) {
        fprintf(log, "vector line %ld (%s): ps_fsencode should fail with PS_EINVAL, rc=%d\n",
                line, label, rc);
        tv_dump(log, "input", input, input_n);
    }
}

/*
 * Run every vector in the file at path. Returns 0 when the file was read completely (check
 * st->failures for the verdict), -1 with st->error set otherwise.
 */
static int tv_run_file(const char *path, tv_stats *st, FILE *log)
{
    enum { LINE_MAX_LEN = 1 << 20 };
    memset(st, 0, sizeof *st);
    st->declared[0] = st->declared[1] = st->declared[2] = -1;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(st->error, sizeof st->error, "cannot open vector file %s", path);
        return -1;
    }
    char *line = (char *)malloc(LINE_MAX_LEN);
    if (!line) {
        fclose(f);
        snprintf(st->error, sizeof st->error, "out of memory");
        return -1;
    }
    long lineno = 0;
    int ret = 0;
    while (fgets(line, LINE_MAX_LEN, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == 0 || line[len - 1] != '\n') {
            snprintf(st->error, sizeof st->error, "line %ld: too long or unterminated", lineno);
            ret = -1;
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (line[0] == '#') {
            long a, b, c;
            if (sscanf(line, "# end %ld %ld %ld", &a, &b, &c) == 3) {
                st->declared[0] = a;
                st->declared[1] = b;
                st->declared[2] = c;
            }
            continue;
        }
        /* Split into at most 5 space-separated fields. */
        char *fld[5] = {0};
        int nf = 0;
        char *p = line;
        while (nf < 5 && *p) {
            fld[nf++] = p;
            char *sp = strchr(p, ' ');
            if (!sp) break;
            *sp = '\0';
            p = sp + 1;
        }
        int is_u8 = strcmp(fld[0], "U8") == 0, is_u16 = strcmp(fld[0], "U16") == 0;
        int is_enc = strcmp(fld[0], "ENC") == 0;
        if (!((is_u8 || is_u16) && nf == 5) && !(is_enc && nf == 4)) {
            snprintf(st->error, sizeof st->error, "line %ld: malformed vector", lineno);
            ret = -1;
            break;
        }
        unsigned char *in = NULL, *w1 = NULL, *w2 = NULL;
        size_t in_n = 0, w1_n = 0, w2_n = 0;
        int bad = tv_unhex(fld[2], &in, &in_n);
        int enc_fails = is_enc && strcmp(fld[3], "!") == 0;
        if (!bad && !enc_fails) bad = tv_unhex(fld[3], &w1, &w1_n);
        if (!bad && !is_enc) bad = tv_unhex(fld[4], &w2, &w2_n);
        if (bad) {
            free(in);
            free(w1);
            free(w2);
            snprintf(st->error, sizeof st->error, "line %ld: bad hex", lineno);
            ret = -1;
            break;
        }
        const char *label = fld[1];
        char *out = NULL;
        size_t out_n = 0;
        int rc;
        if (is_u8) {
            st->u8++;
            if (strcmp(label, "random") == 0) st->u8_random++;
            rc = ps_fsdecode_policy((const char *)in, in_n, PS_ERRORS_SURROGATEESCAPE, &out, &out_n);
            tv_expect(st, log, lineno, label, "surrogateescape", rc, out, out_n, w1, w1_n, in, in_n);
            if (rc == 0) {
                /* Lossless: fsencode gives the original bytes back. */
                char *back = NULL;
                size_t back_n = 0;
                int rc2 = ps_fsencode(out, out_n, &back, &back_n);
                tv_expect(st, log, lineno, label, "fsencode round trip", rc2, back, back_n, in,
                          in_n, (const unsigned char *)out, out_n);
                ps_free(back);
            }
            ps_free(out);
            out = NULL;
            out_n = 0;
            rc = ps_fsdecode_policy((const char *)in, in_n, PS_ERRORS_REPLACE, &out, &out_n);
            tv_expect(st, log, lineno, label, "replace", rc, out, out_n, w2, w2_n, in, in_n);
            ps_free(out);
        } else if (is_u16) {
            st->u16++;
            size_t units = in_n / 2;
            uint16_t *u = (uint16_t *)malloc((units ? units : 1) * sizeof *u);
            if (!u) {
                free(in);
                free(w1);
                free(w2);
                snprintf(st->error, sizeof st->error, "out of memory");
                ret = -1;
                break;
            }
            for (size_t i = 0; i < units; i++)
                u[i] = (uint16_t)(in[2 * i] | (in[2 * i + 1] << 8)); /* little-endian */
            rc = ps_utf16_decode_policy(u, units, PS_ERRORS_SURROGATEESCAPE, &out, &out_n);
            tv_expect(st, log, lineno, label, "utf16 escape (WTF-8)", rc, out, out_n, w1, w1_n,
                      in, in_n);
            ps_free(out);
            out = NULL;
            out_n = 0;
            rc = ps_utf16_decode_policy(u, units, PS_ERRORS_REPLACE, &out, &out_n);
            tv_expect(st, log, lineno, label, "utf16 replace", rc, out, out_n, w2, w2_n, in, in_n);
            ps_free(out);
            free(u);
        } else {
            st->enc++;
            rc = ps_fsencode((const char *)in, in_n, &out, &out_n);
            if (enc_fails)
                tv_expect_einval(st, log, lineno, label, rc, out, in, in_n);
            else
                tv_expect(st, log, lineno, label, "fsencode", rc, out, out_n, w1, w1_n, in, in_n);
            ps_free(out);
        }
        free(in);
        free(w1);
        free(w2);
    }
    if (ret == 0 && ferror(f)) {
        snprintf(st->error, sizeof st->error, "read error on %s", path);
        ret = -1;
    }
    if (ret == 0 && (st->declared[0] != st->u8 || st->declared[1] != st->u16 ||
                     st->declared[2] != st->enc)) {
        snprintf(st->error, sizeof st->error,
                 "vector file incomplete: read %ld/%ld/%ld, generator declared %ld/%ld/%ld",
                 st->u8, st->u16, st->enc, st->declared[0], st->declared[1], st->declared[2]);
        ret = -1;
    }
    free(line);
    fclose(f);
    return ret;
}

#endif /* PS_TEST_DECODER_VECTORS_H */
