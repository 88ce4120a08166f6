/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — aligned tables fitted to the terminal width.
 *
 * Cells are made terminal-safe (cli_sanitize) when set. When the table is wider than the
 * terminal, the widest shrinkable column is cut (with a trailing "~") until the table fits or
 * no shrinkable column can lose more; headers are bold when colour is enabled.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "utf8.h"

#define MIN_SHRUNK 6   /* a shrunk column keeps at least this many columns (or its header) */

typedef struct col {
    char *header;
    cli_align align;
    bool shrinkable;
    size_t width;
} col;

struct cli_table {
    int ncols;
    col *cols;
    char ***rows;     /* rows[r][c], NULL = empty */
    size_t nrows, cap;
};

cli_table *cli_table_new(int ncols)
{
    cli_table *t = cli_xmalloc(sizeof *t);
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    t->cols = cli_xmalloc(sizeof(col) * (size_t)ncols);
    memset(t->cols, 0, sizeof(col) * (size_t)ncols);
    return t;
}

void cli_table_col(cli_table *t, int c, const char *header, cli_align align, bool shrinkable)
{
    if (c < 0 || c >= t->ncols) return;
    free(t->cols[c].header);
    t->cols[c].header = cli_xstrdup(header);
    t->cols[c].align = align;
    t->cols[c].shrinkable = shrinkable;
}

void cli_table_row(cli_table *t)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->rows = cli_xrealloc(t->rows, t->cap * sizeof *t->rows);
    }
    char **r = cli_xmalloc(sizeof(char *) * (size_t)t->ncols);
    memset(r, 0, sizeof(char *) * (size_t)t->ncols);
    t->rows[t->nrows++] = r;
}

void cli_table_cell(cli_table *t, int c, const char *text)
{
    if (t->nrows == 0 || c < 0 || c >= t->ncols) return;
    char **r = t->rows[t->nrows - 1];
    free(r[c]);
    r[c] = cli_sanitize(text);
}

void cli_table_cellf(cli_table *t, int c, const char *fmt, ...)
{
    if (!fmt) return;
    va_list ap;
    char tmp[256];
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n < sizeof tmp) {
        cli_table_cell(t, c, tmp);
        return;
    }
    char *buf = cli_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
    va_end(ap);
    cli_table_cell(t, c, buf);
    free(buf);
}

/* A growable line buffer, so trailing blanks can be dropped before printing. */
typedef struct line {
    char *d;
    size_t n, cap;
} line;

static void line_put(line *l, const char *s, size_t n)
{
    if (l->n + n + 1 > l->cap) {
        l->cap = (l->n + n + 1) * 2;
        l->d = cli_xrealloc(l->d, l->cap);
    }
    memcpy(l->d + l->n, s, n);
    l->n += n;
    l->d[l->n] = '\0';
}

static void line_pad(line *l, size_t n)
{
    for (size_t i = 0; i < n; i++) line_put(l, " ", 1);
}

static void line_flush(line *l, FILE *f)
{
    while (l->n > 0 && l->d[l->n - 1] == ' ') l->n--;
    if (l->n) fwrite(l->d, 1, l->n, f);
    l->n = 0;
}

static void put_cell(line *l, const char *s, size_t width, cli_align align)
{
    size_t w = cli_display_width(s);
    if (w > width) {
        /* cut to width-1 columns plus "~" */
        size_t keep = width ? cli_prefix_for_width(s, width - 1) : 0;
        line_put(l, s, keep);
        size_t kw = cli_display_width(l->d + l->n - keep);
        if (width) line_put(l, "~", 1);
        if (kw + 1 < width) line_pad(l, width - kw - 1);
        return;
    }
    if (align == CLI_RIGHT) line_pad(l, width - w);
    line_put(l, s, strlen(s));
    if (align == CLI_LEFT) line_pad(l, width - w);
}

void cli_table_print(cli_table *t, FILE *f, int width)
{
    for (int c = 0; c < t->ncols; c++) {
        col *k = &t->cols[c];
        k->width = k->header ? cli_display_width(k->header) : 0;
        for (size_t r = 0; r < t->nrows; r++) {
            const char *s = t->rows[r][c];
            size_t w = s ? cli_display_width(s) : 0;
            if (w > k->width) k->width = w;
        }
    }
    if (width > 0) {
        size_t total = 0;
        for (int c = 0; c < t->ncols; c++) total += t->cols[c].width + (c ? 2 : 0);
        while (total > (size_t)width) {
            int widest = -1;
            for (int c = 0; c < t->ncols; c++) {
                col *k = &t->cols[c];
                size_t floor = k->header ? cli_display_width(k->header) : 0;
                if (floor < MIN_SHRUNK) floor = MIN_SHRUNK;
                if (!k->shrinkable || k->width <= floor) continue;
                if (widest < 0 || k->width > t->cols[widest].width) widest = c;
            }
            if (widest < 0) break;
            col *k = &t->cols[widest];
            size_t floor = k->header ? cli_display_width(k->header) : 0;
            if (floor < MIN_SHRUNK) floor = MIN_SHRUNK;
            /* take the whole excess, but only down to the next widest column or the floor */
            size_t excess = total - (size_t)width, next = 0;
            for (int c = 0; c < t->ncols; c++)
                if (c != widest && t->cols[c].shrinkable && t->cols[c].width > next)
                    next = t->cols[c].width;
            size_t target = k->width - excess;
            if (excess >= k->width || target < floor) target = floor;
            if (target < next && next < k->width) target = next;
            total -= k->width - target;
            k->width = target;
        }
    }
    bool color = cli_use_color() && f == stdout;
    bool any_header = false;
    for (int c = 0; c < t->ncols; c++) any_header |= t->cols[c].header && t->cols[c].header[0];
    line l = { NULL, 0, 0 };
    if (any_header) {
        for (int c = 0; c < t->ncols; c++) {
            if (c) line_put(&l, "  ", 2);
            put_cell(&l, t->cols[c].header ? t->cols[c].header : "", t->cols[c].width,
                     t->cols[c].align);
        }
        if (color) fputs("\033[1m", f);
        line_flush(&l, f);
        if (color) fputs("\033[0m", f);
        fputc('\n', f);
    }
    for (size_t r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            if (c) line_put(&l, "  ", 2);
            const char *s = t->rows[r][c];
            put_cell(&l, s ? s : "", t->cols[c].width, t->cols[c].align);
        }
        line_flush(&l, f);
        fputc('\n', f);
    }
    free(l.d);
    cli_table_free(t);
}

void cli_table_free(cli_table *t)
{
    if (!t) return;
    for (size_t r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) free(t->rows[r][c]);
        free(t->rows[r]);
    }
    free(t->rows);
    for (int c = 0; c < t->ncols; c++) free(t->cols[c].header);
    free(t->cols);
    free(t);
}
