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
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "utf8.h"

void cli_json_init(cli_json *j, FILE *f, bool pretty)
{
    memset(j, 0, sizeof *j);
    j->f = f;
    j->pretty = pretty;
    j->first[0] = true;
}

static void indent(cli_json *j)
{
    if (!j->pretty) return;
    fputc('\n', j->f);
    for (int i = 0; i < j->depth; i++) fputs("  ", j->f);
}

/* Before any value: the separating comma and newline, unless it follows a key. */
static void before_value(cli_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth > 0) {
        if (!j->first[j->depth]) fputc(',', j->f);
        indent(j);
    }
    j->first[j->depth] = false;
}

static void open_level(cli_json *j, char c)
{
    before_value(j);
    fputc(c, j->f);
    if (j->depth + 1 < CLI_JSON_DEPTH) j->depth++;
    j->first[j->depth] = true;
}

static void close_level(cli_json *j, char c)
{
    bool empty = j->first[j->depth];
    if (j->depth > 0) j->depth--;
    if (!empty) indent(j);
    fputc(c, j->f);
}

void cli_json_obj_begin(cli_json *j) { open_level(j, '{'); }
void cli_json_obj_end(cli_json *j) { close_level(j, '}'); }
void cli_json_arr_begin(cli_json *j) { open_level(j, '['); }
void cli_json_arr_end(cli_json *j) { close_level(j, ']'); }

static void write_string(FILE *f, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    fputc('"', f);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = cli_utf8_next(u + i, n - i, &cp);
        if (len == 0) {
            /* not UTF-8 at all: the surrogate escape of the byte (or the byte itself if ASCII) */
            fprintf(f, "\\u%04x", (unsigned)(0xDC00 | u[i]));
            i++;
            continue;
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            fprintf(f, "\\u%04x", (unsigned)cp);
        } else if (cp == '"') {
            fputs("\\\"", f);
        } else if (cp == '\\') {
            fputs("\\\\", f);
        } else if (cp == '\n') {
            fputs("\\n", f);
        } else if (cp == '\r') {
            fputs("\\r", f);
        } else if (cp == '\t') {
            fputs("\\t", f);
        } else if (cp == '\b') {
            fputs("\\b", f);
        } else if (cp == '\f') {
            fputs("\\f", f);
        } else if (cp < 0x20 || cp == 0x7F) {
            fprintf(f, "\\u%04x", (unsigned)cp);
        } else {
            fwrite(u + i, 1, len, f);
        }
        i += len;
    }
    fputc('"', f);
}

void cli_json_key(cli_json *j, const char *key)
{
    before_value(j);
    write_string(j->f, key, strlen(key));
    fputs(j->pretty ? ": " : ":", j->f);
    j->after_key = true;
}

void cli_json_strn(cli_json *j, const char *s, size_t n)
{
    before_value(j);
    if (!s) fputs("null", j->f);
    else write_string(j->f, s, n);
}

void cli_json_str(cli_json *j, const char *s)
{
    cli_json_strn(j, s, s ? strlen(s) : 0);
}

void cli_json_int(cli_json *j, int64_t v)
{
    before_value(j);
    fprintf(j->f, "%" PRId64, v);
}

void cli_json_uint(cli_json *j, uint64_t v)
{
    before_value(j);
    fprintf(j->f, "%" PRIu64, v);
}

void cli_json_double(cli_json *j, double v)
{
    before_value(j);
    if (!isfinite(v)) {
        fputs("null", j->f);
        return;
    }
    /* the shortest of %.15g/%.16g/%.17g that reads back exactly */
    char buf[64];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    /* locales with a decimal comma never reach here (the CLI keeps the C numeric locale) */
    fputs(buf, j->f);
    if (!strpbrk(buf, ".eEn")) fputs(".0", j->f);
}

void cli_json_bool(cli_json *j, bool v)
{
    before_value(j);
    fputs(v ? "true" : "false", j->f);
}

void cli_json_null(cli_json *j)
{
    before_value(j);
    fputs("null", j->f);
}

void cli_json_end(cli_json *j)
{
    fputc('\n', j->f);
}
