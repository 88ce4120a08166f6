/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — a streaming JSON writer that always produces valid JSON.
 *
 * Strings from the library are UTF-8 in which undecodable input appears as surrogate code points
 * (U+DC80..U+DCFF for surrogate-escaped bytes; under WTF-8 any lone surrogate). JSON text must be
 * UTF-8, so those code points are written as \udXXX escapes: Python's json.loads then yields
 * exactly the str psutil returns (with its lone surrogates). A byte that is not even generalized
 * UTF-8 (which the library never returns) is written as the surrogate escape of that byte, the
 * same thing Python's surrogateescape would have produced. Control characters are escaped;
 * NaN and infinities are written as null.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "utf8.h"

void cli_json_init(cli_json *j, FILE *f, bool pretty)
{
    memset(j, 0, sizeof *j);
    j->f = f;
    j->pretty = pretty;
    j->first = true;
}

/* Output goes to a buffer; cli_json_flush hands it to the FILE, so a partly written value can
 * be taken back (cli_json_mark / cli_json_rollback) when a process vanishes mid-way. */
static void jput(cli_json *j, const char *s, size_t n)
{
    if (j->len + n + 1 > j->cap) {
        j->cap = (j->len + n + 1) * 2;
        j->buf = cli_xrealloc(j->buf, j->cap);
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
}

static void jputs(cli_json *j, const char *s)
{
    jput(j, s, strlen(s));
}

static void jputc(cli_json *j, char c)
{
    jput(j, &c, 1);
}

static void jprintf(cli_json *j, const char *fmt, ...) CLI_PRINTF(2, 3);
static void jprintf(cli_json *j, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) jput(j, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void cli_json_flush(cli_json *j)
{
    if (j->len) fwrite(j->buf, 1, j->len, j->f);
    j->len = 0;
}

void cli_json_mark(const cli_json *j, cli_json_state *m)
{
    m->len = j->len;
    m->depth = j->depth;
    m->after_key = j->after_key;
    m->first = j->first;
}

void cli_json_rollback(cli_json *j, const cli_json_state *m)
{
    j->len = m->len;
    j->depth = m->depth;
    j->after_key = m->after_key;
    j->first = m->first;
}

static void indent(cli_json *j)
{
    if (!j->pretty) return;
    jputc(j, '\n');
    for (int i = 0; i < j->depth; i++) jputs(j, "  ");
}

/* Before any value: the separating comma and newline, unless it follows a key. */
static void before_value(cli_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth > 0) {
        if (!j->first) jputc(j, ',');
        indent(j);
    }
    j->first = false;
}

static void open_level(cli_json *j, char c)
{
    before_value(j);
    jputc(j, c);
    j->depth++;
    j->first = true;
}

static void close_level(cli_json *j, char c)
{
    bool empty = j->first;
    if (j->depth > 0) j->depth--;
    j->first = false;   /* the closed value is an element of its parent */
    if (!empty) indent(j);
    jputc(j, c);
}

void cli_json_obj_begin(cli_json *j) { open_level(j, '{'); }
void cli_json_obj_end(cli_json *j) { close_level(j, '}'); }
void cli_json_arr_begin(cli_json *j) { open_level(j, '['); }
void cli_json_arr_end(cli_json *j) { close_level(j, ']'); }

static void write_string(cli_json *j, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    jputc(j, '"');
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = cli_utf8_next(u + i, n - i, &cp);
        if (len == 0) {
            /* not UTF-8 at all: the surrogate escape of the byte (or the byte itself if ASCII) */
            jprintf(j, "\\u%04x", (unsigned)(0xDC00 | u[i]));
            i++;
            continue;
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            jprintf(j, "\\u%04x", (unsigned)cp);
        } else if (cp == '"') {
            jputs(j, "\\\"");
        } else if (cp == '\\') {
            jputs(j, "\\\\");
        } else if (cp == '\n') {
            jputs(j, "\\n");
        } else if (cp == '\r') {
            jputs(j, "\\r");
        } else if (cp == '\t') {
            jputs(j, "\\t");
        } else if (cp == '\b') {
            jputs(j, "\\b");
        } else if (cp == '\f') {
            jputs(j, "\\f");
        } else if (cp < 0x20 || cp == 0x7F) {
            jprintf(j, "\\u%04x", (unsigned)cp);
        } else {
            jput(j, (const char *)u + i, len);
        }
        i += len;
    }
    jputc(j, '"');
}

void cli_json_key(cli_json *j, const char *key)
{
    before_value(j);
    write_string(j, key, strlen(key));
    jputs(j, j->pretty ? ": " : ":");
    j->after_key = true;
}

void cli_json_strn(cli_json *j, const char *s, size_t n)
{
    before_value(j);
    if (!s) jputs(j, "null");
    else write_string(j, s, n);
}

void cli_json_str(cli_json *j, const char *s)
{
    cli_json_strn(j, s, s ? strlen(s) : 0);
}

void cli_json_int(cli_json *j, int64_t v)
{
    before_value(j);
    jprintf(j, "%" PRId64, v);
}

void cli_json_uint(cli_json *j, uint64_t v)
{
    before_value(j);
    jprintf(j, "%" PRIu64, v);
}

void cli_json_uint_or_zero(cli_json *j, uint64_t v)
{
    cli_json_uint(j, v == PS_UNKNOWN_U64 ? 0 : v);
}

void cli_json_double(cli_json *j, double v)
{
    before_value(j);
    if (!isfinite(v)) {
        jputs(j, "null");
        return;
    }
    /* the shortest of %.15g/%.16g/%.17g that reads back exactly */
    char buf[64];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    /* locales with a decimal comma never reach here (the CLI keeps the C numeric locale) */
    jputs(j, buf);
    if (!strpbrk(buf, ".eEn")) jputs(j, ".0");
}

void cli_json_bool(cli_json *j, bool v)
{
    before_value(j);
    jputs(j, v ? "true" : "false");
}

void cli_json_null(cli_json *j)
{
    before_value(j);
    jputs(j, "null");
}

void cli_json_end(cli_json *j)
{
    jputc(j, '\n');
    cli_json_flush(j);
    free(j->buf);
    j->buf = NULL;
    j->cap = 0;
}
