/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — psinfo top: a live view (top, htop, psutil's top.py) on the scanner: uptime,
 * load, tasks, per-CPU and memory/swap bars, the processes sorted by CPU. One frame is built
 * as lines of text (here, shared by every view), printed as is in batch mode (-b -n N, for
 * pipes) or drawn by the interactive view (keys: c m p n sort by cpu/mem/pid/name, / filter by
 * name, q quit; follows resizes): top_curses.c with ncurses (built only when it is found),
 * top_wincon.c on Windows with the console API. top.h is the interface between them.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "cli.h"
#include "procout.h"
#include "top.h"
#include "utf8.h"

static const cli_opt top_opts[] = {
    { "interval", 'd', "S", "seconds between refreshes (default 1)" },
    { "batch", 'b', NULL, "batch mode: print frames as text (for pipes and files)" },
    { "iterations", 'n', "N", "stop after N frames (default: batch 1, interactive no limit)" },
    { "sort", 's', "KEY", "sort by cpu (default), mem, pid or name" },
    { "filter", 'f', "TEXT", "only processes whose name contains TEXT" },
    { NULL, 0, NULL, NULL },
};

static void add_line(top_lines *l, char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = cli_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = s;
}

void top_free_lines(top_lines *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* "[|||||     ]" of width w for pct in 0..100. */
static char *bar(double pct, int w)
{
    char *b = cli_xmalloc((size_t)w + 3);
    int fill = isnan(pct) ? 0 : (int)(pct / 100.0 * w + 0.5);
    if (fill > w) fill = w;
    if (fill < 0) fill = 0;
    b[0] = '[';
    for (int i = 0; i < w; i++) b[1 + i] = i < fill ? '|' : ' ';
    b[w + 1] = ']';
    b[w + 2] = '\0';
    return b;
}

static void summary_lines(const top_state *st, int width, top_lines *out)
{
    const ps_scan *sc = st->scan;
    double boot = 0, load[3] = { NAN, NAN, NAN };
    char up[64] = "?", now[16];
    if (ps_boot_time(&boot) == 0) cli_fmt_duration((double)time(NULL) - boot, up, sizeof up);
    ps_getloadavg(load);
    time_t t = time(NULL);
    strftime(now, sizeof now, "%H:%M:%S", localtime(&t));
    add_line(out, cli_xasprintf("psinfo top - %s up %s, load average: %.2f, %.2f, %.2f", now, up,
                                load[0], load[1], load[2]));
    size_t run = 0, sleep = 0, zombie = 0;
    for (size_t i = 0; i < sc->table->count; i++) {
        int32_t s = sc->table->records[i].status;
        run += s == PS_STATUS_RUNNING;
        sleep += s == PS_STATUS_SLEEPING || s == PS_STATUS_IDLE || s == PS_STATUS_DISK_SLEEP;
        zombie += s == PS_STATUS_ZOMBIE;
    }
    add_line(out, cli_xasprintf("Tasks: %zu total, %zu running, %zu sleeping, %zu zombie; CPU %5.1f%%",
                                sc->table->count, run, sleep, zombie, sc->system_cpu_percent));
    int bw = width - 20;
    if (bw > 60) bw = 60;
    if (bw < 10) bw = 10;
    for (uint64_t c = 0; c < sc->cpu_count; c++) {
        char *b = bar(sc->percpu_percent[c], bw);
        add_line(out, cli_xasprintf("CPU%-3llu%s %5.1f%%", (unsigned long long)c, b, sc->percpu_percent[c]));
        free(b);
    }
    ps_vmem vm;
    ps_swapmem sw;
    char u[32], tot[32];
    if (ps_virtual_memory(&vm) == 0) {
        char *b = bar(vm.percent, bw);
        cli_bytes2human(vm.total - vm.available, u, sizeof u);
        cli_bytes2human(vm.total, tot, sizeof tot);
        add_line(out, cli_xasprintf("Mem   %s %s/%s", b, u, tot));
        free(b);
    }
    if (ps_swap_memory(&sw) == 0) {
        char *b = bar(sw.percent, bw);
        cli_bytes2human(sw.used, u, sizeof u);
        cli_bytes2human(sw.total, tot, sizeof tot);
        add_line(out, cli_xasprintf("Swap  %s %s/%s", b, u, tot));
        free(b);
    }
}

static const top_state *cmp_state;   /* qsort has no context argument; one frame at a time */

static int cmp_idx(const void *x, const void *y)
{
    const ps_scan *sc = cmp_state->scan;
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    const ps_ptable_record *a = &sc->table->records[i], *b = &sc->table->records[j];
    if (cmp_state->sort == TOP_SORT_CPU) {
        double ca = isnan(sc->cpu_percent[i]) ? -1 : sc->cpu_percent[i];
        double cb = isnan(sc->cpu_percent[j]) ? -1 : sc->cpu_percent[j];
        if (ca != cb) return ca > cb ? -1 : 1;
    } else if (cmp_state->sort == TOP_SORT_MEM) {
        if (a->memory_info.rss != b->memory_info.rss) return a->memory_info.rss > b->memory_info.rss ? -1 : 1;
    } else if (cmp_state->sort == TOP_SORT_NAME) {
        int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
        if (c) return c;
    }
    return (a->pid > b->pid) - (a->pid < b->pid);
}

/* s cut to `w` display columns at a character boundary and padded with blanks to them
 * (printf's %-12.12s counts bytes: it cut a UTF-8 character in two). */
static char *fit_width(const char *s, size_t w)
{
    size_t n = cli_prefix_for_width(s, w), used = 0;
    char *cut = cli_xmalloc(n + 1);
    memcpy(cut, s, n);
    cut[n] = '\0';
    used = cli_display_width(cut);
    char *out = cli_xasprintf("%s%*s", cut, (int)(w - used), "");
    free(cut);
    return out;
}

static void process_lines(const top_state *st, top_lines *out)
{
    const ps_ptable *t = st->scan->table;
    size_t *idx = cli_xmalloc((t->count ? t->count : 1) * sizeof *idx), n = 0;
    for (size_t i = 0; i < t->count; i++) {
        const char *name = t->records[i].name ? t->records[i].name : "";
        if (!st->filter || strstr(name, st->filter)) idx[n++] = i;
    }
    cmp_state = st;
    qsort(idx, n, sizeof *idx, cmp_idx);
    static const char *const keys[] = { "cpu", "mem", "pid", "name" };
    char *f = st->filter ? cli_sanitize(st->filter) : cli_xstrdup("");
    add_line(out, cli_xasprintf("Sort: %s  Filter: %s  (c m p n: sort, /: filter, q: quit)", keys[st->sort], f));
    free(f);
    add_line(out, cli_xstrdup(""));
    add_line(out, cli_xasprintf("%7s %-12s %5s %5s %9s %s %3s  %s", "PID", "USER", "%CPU", "%MEM", "RSS", "S", "THR", "NAME"));
    for (size_t k = 0; k < n; k++) {
        const ps_ptable_record *r = &t->records[idx[k]];
        double pct = st->scan->cpu_percent[idx[k]];
        double mem = st->mem_total ? (double)r->memory_info.rss * 100.0 / (double)st->mem_total : NAN;
        char rss[32], cpu[16];
        cli_bytes2human(r->memory_info.rss, rss, sizeof rss);
        if (isnan(pct)) snprintf(cpu, sizeof cpu, "%5s", "-");
        else snprintf(cpu, sizeof cpu, "%5.1f", pct);
        char *shown = cli_sanitize(r->username ? r->username : "?");
        char *user = fit_width(shown, 12);
        free(shown);
        char *name = cli_sanitize(r->name ? r->name : "?");
        add_line(out, cli_xasprintf("%7" PRId64 " %s %s %5.1f %9s %s %3" PRId64 "  %s", r->pid, user, cpu,
                                    mem, rss, cli_status_letter(r->status), r->num_threads, name));
        free(user);
        free(name);
    }
    free(idx);
}

void top_build_frame(const top_state *st, int width, top_lines *out)
{
    summary_lines(st, width, out);
    process_lines(st, out);
}

int top_rescan(top_state *st)
{
    ps_scan *sc = NULL;
    int rc = ps_scanner_scan(st->scanner, &sc);
    if (rc) return rc;
    ps_scan_free(st->scan);
    st->scan = sc;
    return 0;
}

static int run_batch(top_state *st, double interval, uint64_t frames)
{
    for (uint64_t k = 0; k < frames; k++) {
        if (k) cli_sleep(interval);
        int rc = top_rescan(st);
        if (rc) return cli_lib_error(rc, "scan");
        top_lines l = { 0 };
        top_build_frame(st, 100, &l);
        for (size_t i = 0; i < l.n; i++) printf("%s\n", l.v[i]);
        if (k + 1 < frames) printf("\n");
        fflush(stdout);
        top_free_lines(&l);
    }
    return 0;
}

bool top_sort_key(top_state *st, int ch)
{
    static const char keys[] = "cmpn";   /* in TOP_SORT_* order */
    const char *k = ch > 0 && ch < 128 ? strchr(keys, ch) : NULL;
    if (!k) return false;
    st->sort = (int)(k - keys);
    return true;
}

void top_line_cells(const char *s, int cols, top_cell *row)
{
    int x = 0;
    size_t n = s ? strlen(s) : 0;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n && x < cols;) {
        uint32_t cp;
        size_t len = cli_utf8_next(u + i, n - i, &cp);
        if (len == 0) cp = 0xFFFD, len = 1;   /* the frame is sanitized; not expected */
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;   /* nor these; one cell, as cli_display_width */
        i += len;
        int cw = utf8proc_charwidth((utf8proc_int32_t)cp);
        if (cw == 0) continue;                /* a combining mark: no cell of its own */
        if (cw < 0) cw = 1;
        if (cw > 1 && x + 1 >= cols) break;
        bool wide = cw > 1;
        if (cp > 0xFFFF) cp = 0xFFFD, wide = false;   /* U+FFFD is narrow: then a blank */
        row[x].ch = (uint16_t)cp;
        row[x].kind = wide ? TOP_CELL_LEAD : TOP_CELL_NARROW;
        if (cw > 1) {
            row[x + 1].ch = wide ? (uint16_t)cp : ' ';
            row[x + 1].kind = wide ? TOP_CELL_TRAIL : TOP_CELL_NARROW;
        }
        x += cw > 1 ? 2 : 1;
    }
    for (; x < cols; x++) {
        row[x].ch = ' ';
        row[x].kind = TOP_CELL_NARROW;
    }
}

int top_wait_ms(double seconds)
{
    double ms = seconds * 1000.0;
    if (!(ms > 0)) return 0;
    return ms >= (double)INT_MAX ? INT_MAX : (int)ms;
}

void top_filter_edit(char *text, size_t cap, uint32_t cp)
{
    size_t len = strlen(text);
    if (cp == 8 || cp == 0x7F) {
        while (len > 0 && ((unsigned char)text[len - 1] & 0xC0) == 0x80) len--;
        if (len > 0) len--;
        text[len] = '\0';
        return;
    }
    if (cp < 0x20 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return;
    utf8proc_uint8_t u[4];
    size_t n = (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, u);   /* cp is a scalar value here */
    if (len + n + 1 > cap) return;
    memcpy(text + len, u, n);
    text[len + n] = '\0';
}

void top_set_filter(top_state *st, const char *text)
{
    free(st->filter);
    st->filter = text[0] ? cli_arg_decode(text) : NULL;
}

static int run_top(const cli_cmd *cmd, const cli_args *a)
{
    double interval = 1.0;
    const char *v = cli_value(cmd, a, "interval");
    if (v && (!cli_parse_seconds(v, &interval) || interval < 0.05))
        return cli_usage_error(cmd, "invalid interval '%s' (seconds >= 0.05 expected)", v);
    bool batch = cli_flag(cmd, a, "batch") > 0;
    uint64_t frames = batch ? 1 : 0;
    v = cli_value(cmd, a, "iterations");
    if (v && (!cli_parse_uint(v, &frames) || frames == 0)) return cli_usage_error(cmd, "invalid iterations '%s'", v);
    top_state st;
    memset(&st, 0, sizeof st);
    v = cli_value(cmd, a, "sort");
    static const char *const keys[] = { "cpu", "mem", "pid", "name" };
    st.sort = v ? -1 : TOP_SORT_CPU;
    for (int k = 0; v && k < 4; k++)
        if (strcmp(v, keys[k]) == 0) st.sort = k;
    if (st.sort < 0) return cli_usage_error(cmd, "invalid sort key '%s' (cpu, mem, pid, name)", v);
    v = cli_value(cmd, a, "filter");
    if (v && *v) st.filter = cli_arg_decode(v);
    ps_vmem vm;
    st.mem_total = ps_virtual_memory(&vm) == 0 ? vm.total : 0;
    cli_raise_nofile();
    uint64_t fields = PS_PT_BIT(PS_PT_NAME) | PS_PT_BIT(PS_PT_USERNAME) | PS_PT_BIT(PS_PT_STATUS) |
                      PS_PT_BIT(PS_PT_MEMORY_INFO) | PS_PT_BIT(PS_PT_NUM_THREADS);
    int rc = ps_scanner_new(fields, 0, &st.scanner);
    if (rc) {
        free(st.filter);
        return cli_lib_error(rc, "scanner");
    }
    /* a first scan now, so the first frame shown already has percentages */
    if (top_rescan(&st) == 0) cli_sleep(batch ? (interval < 0.5 ? interval : 0.5) : 0.2);
    rc = batch ? run_batch(&st, interval, frames) : top_view_run(&st, interval, frames);
    ps_scan_free(st.scan);
    ps_scanner_free(st.scanner);
    free(st.filter);
    return rc;
}

const cli_cmd cli_cmd_top = {
    "top", "[-b] [-n N] [--interval S] [--sort KEY] [--filter TEXT]",
    "A live view of the system and its processes, sorted by CPU (top, htop).",
    "Keys: c m p n sort by cpu, memory, pid, name; / filter by name (empty: none); q quit.\n"
    "-b prints frames as text (with -n N frames, default 1). CPU percentages are of one CPU\n"
    "since the previous frame, from the library's scanner.",
    top_opts, 0, 0, run_top,
};
