/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — Prometheus text exposition format (version 0.0.4) writer.
 *
 * Each family gets its # HELP and # TYPE lines once, followed by all its samples. Label values
 * are escaped (backslash, double quote, newline) and made valid UTF-8: a surrogate-escaped byte
 * (U+DC80..U+DCFF) is written as the four characters \xNN (so the backslash is doubled in the
 * exposition), any other lone surrogate or invalid byte likewise, so no sample is ever rejected.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "utf8.h"

void cli_prom_init(cli_prom *p, FILE *f)
{
    memset(p, 0, sizeof *p);
    p->f = f;
}

static void write_help_text(FILE *f, const char *s)
{
    /* HELP text escapes backslash and newline only */
    for (; *s; s++) {
        if (*s == '\\') fputs("\\\\", f);
        else if (*s == '\n') fputs("\\n", f);
        else fputc(*s, f);
    }
}

void cli_prom_family(cli_prom *p, const char *name, const char *type, const char *help)
{
    snprintf(p->family, sizeof p->family, "%s", name);
    size_t n = strlen(p->family);
    if (p->openmetrics) {
        /* OpenMetrics names a counter family without the _total its samples carry */
        if (!strcmp(type, "counter") && n > 6 && !strcmp(p->family + n - 6, "_total")) p->family[n - 6] = '\0';
        if (!strcmp(type, "untyped")) type = "unknown";
    }
    fprintf(p->f, "# HELP %s ", p->family);
    write_help_text(p->f, help);
    fprintf(p->f, "\n# TYPE %s %s\n", p->family, type);
}

void cli_prom_finish(cli_prom *p)
{
    if (p->openmetrics) fputs("# EOF\n", p->f);
}

char *cli_prom_escape(const char *s)
{
    if (!s) s = "";
    size_t n = strlen(s), cap = n * 6 + 8, o = 0;
    char *out = cli_xmalloc(cap);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = cli_utf8_next(u + i, n - i, &cp);
        if (len == 0) {
            o += (size_t)sprintf(out + o, "\\\\x%02x", u[i]);
            i++;
            continue;
        }
        if (cp >= 0xDC80 && cp <= 0xDCFF)
            o += (size_t)sprintf(out + o, "\\\\x%02x", (unsigned)(cp & 0xFF));
        else if (cp >= 0xD800 && cp <= 0xDFFF)
            o += (size_t)sprintf(out + o, "\\\\u%04x", (unsigned)cp);
        else if (cp == '\\') { out[o++] = '\\'; out[o++] = '\\'; }
        else if (cp == '"') { out[o++] = '\\'; out[o++] = '"'; }
        else if (cp == '\n') { out[o++] = '\\'; out[o++] = 'n'; }
        else { memcpy(out + o, u + i, len); o += len; }
        i += len;
    }
    out[o] = '\0';
    return out;
}

static void write_value(FILE *f, double v)
{
    if (isnan(v)) fputs("NaN", f);
    else if (isinf(v)) fputs(v > 0 ? "+Inf" : "-Inf", f);
    else if (v == floor(v) && fabs(v) < 9007199254740992.0) fprintf(f, "%.0f", v);
    else {
        char buf[64];
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(buf, sizeof buf, "%.*g", prec, v);
            if (strtod(buf, NULL) == v) break;
        }
        fputs(buf, f);
    }
}

void cli_prom_sample(cli_prom *p, const char *name, double value, ...)
{
    va_list ap;
    va_start(ap, value);
    fputs(name, p->f);
    const char *lname = va_arg(ap, const char *);
    if (lname) {
        fputc('{', p->f);
        bool first = true;
        while (lname) {
            const char *lval = va_arg(ap, const char *);
            char *esc = cli_prom_escape(lval);
            fprintf(p->f, "%s%s=\"%s\"", first ? "" : ",", lname, esc);
            free(esc);
            first = false;
            lname = va_arg(ap, const char *);
        }
        fputc('}', p->f);
    }
    va_end(ap);
    fputc(' ', p->f);
    write_value(p->f, value);
    fputc('\n', p->f);
}
