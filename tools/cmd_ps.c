/* SPDX-License-Identifier: MIT */
/* psinfo CLI — psinfo ps (the process table) and psinfo tree (the process tree). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "procout.h"

/* ---- the table with CPU rates ----------------------------------------------------------- */

#define HAS(r, f) (((r)->present & PS_PT_BIT(f)) != 0)

/* ---- one table record as an as_dict() object --------------------------------------------- */

/* Writers of a field that is present in the record. */
typedef void rec_writer(cli_json *j, const ps_ptable_record *r);

static void r_cmdline(cli_json *j, const ps_ptable_record *r)
{
    cli_json_strv(j, r->cmdline, r->cmdline_count);
}

static void r_cpu_num(cli_json *j, const ps_ptable_record *r) { cli_json_int(j, r->cpu_num); }
static void r_cpu_times(cli_json *j, const ps_ptable_record *r) { cli_json_cputimes(j, &r->cpu_times); }
static void r_create_time(cli_json *j, const ps_ptable_record *r) { cli_json_double(j, r->create_time); }
static void r_cwd(cli_json *j, const ps_ptable_record *r) { cli_json_str(j, r->cwd); }
static void r_exe(cli_json *j, const ps_ptable_record *r) { cli_json_str(j, r->exe); }
static void r_gids(cli_json *j, const ps_ptable_record *r) { cli_json_ids(j, &r->gids); }
static void r_io(cli_json *j, const ps_ptable_record *r) { cli_json_proc_io(j, &r->io_counters); }
static void r_mem(cli_json *j, const ps_ptable_record *r) { cli_json_mem(j, &r->memory_info); }
static void r_name(cli_json *j, const ps_ptable_record *r) { cli_json_str(j, r->name); }
static void r_nice(cli_json *j, const ps_ptable_record *r) { cli_json_int(j, r->nice); }
static void r_ctxsw(cli_json *j, const ps_ptable_record *r) { cli_json_ctxsw(j, &r->num_ctx_switches); }
static void r_num_fds(cli_json *j, const ps_ptable_record *r) { cli_json_int(j, r->num_fds); }
static void r_num_handles(cli_json *j, const ps_ptable_record *r) { cli_json_int(j, r->num_handles); }
static void r_num_threads(cli_json *j, const ps_ptable_record *r) { cli_json_int(j, r->num_threads); }
static void r_ppid(cli_json *j, const ps_ptable_record *r) { cli_json_int(j, r->ppid); }
static void r_terminal(cli_json *j, const ps_ptable_record *r) { cli_json_str(j, r->terminal); }
static void r_uids(cli_json *j, const ps_ptable_record *r) { cli_json_ids(j, &r->uids); }
static void r_username(cli_json *j, const ps_ptable_record *r) { cli_json_str(j, r->username); }

static void r_status(cli_json *j, const ps_ptable_record *r)
{
    cli_json_str(j, ps_process_status_name((ps_process_status)r->status));
}

/* The keys in psutil's (alphabetical) order. Rows without a writer: pid (always written), and
 * cpu_percent / memory_percent (computed, written with ex; memory_percent only next to
 * memory_info). */
enum { REC_PID = -1, REC_CPU_PERCENT = -2, REC_MEM_PERCENT = -3 };
static const struct {
    const char *key;
    int field;
    rec_writer *write;
} rec_keys[] = {
    { "cmdline", PS_PT_CMDLINE, r_cmdline },
    { "cpu_num", PS_PT_CPU_NUM, r_cpu_num },
    { "cpu_percent", REC_CPU_PERCENT, NULL },
    { "cpu_times", PS_PT_CPU_TIMES, r_cpu_times },
    { "create_time", PS_PT_CREATE_TIME, r_create_time },
    { "cwd", PS_PT_CWD, r_cwd },
    { "exe", PS_PT_EXE, r_exe },
    { "gids", PS_PT_GIDS, r_gids },
    { "io_counters", PS_PT_IO_COUNTERS, r_io },
    { "memory_info", PS_PT_MEMORY_INFO, r_mem },
    { "memory_percent", REC_MEM_PERCENT, NULL },
    { "name", PS_PT_NAME, r_name },
    { "nice", PS_PT_NICE, r_nice },
    { "num_ctx_switches", PS_PT_NUM_CTX_SWITCHES, r_ctxsw },
    { "num_fds", PS_PT_NUM_FDS, r_num_fds },
    { "num_handles", PS_PT_NUM_HANDLES, r_num_handles },
    { "num_threads", PS_PT_NUM_THREADS, r_num_threads },
    { "pid", REC_PID, NULL },
    { "ppid", PS_PT_PPID, r_ppid },
    { "status", PS_PT_STATUS, r_status },
    { "terminal", PS_PT_TERMINAL, r_terminal },
    { "uids", PS_PT_UIDS, r_uids },
    { "username", PS_PT_USERNAME, r_username },
};

/* The computed rows: false if the key is not written at all. */
static bool rec_computed(cli_json *j, int row, const ps_ptable_record *r, uint64_t fields,
                         const cli_proc_extra *ex)
{
    if (row == REC_PID) {
        cli_json_key(j, "pid");
        cli_json_int(j, r->pid);
        return true;
    }
    if (!ex || (row == REC_MEM_PERCENT && !(fields & PS_PT_BIT(PS_PT_MEMORY_INFO)))) return false;
    if (row == REC_CPU_PERCENT) {
        cli_json_key(j, "cpu_percent");
        if (ex->have_cpu_percent) cli_json_double(j, ex->cpu_percent); else cli_json_null(j);
    } else {
        cli_json_key(j, "memory_percent");
        if (HAS(r, PS_PT_MEMORY_INFO) && ex->mem_total)
            cli_json_double(j, (double)r->memory_info.rss * 100.0 / (double)ex->mem_total);
        else
            cli_json_null(j);
    }
    return true;
}

/* One table record as an as_dict() object. Requested fields that are absent (access denied,
 * zombie) are null, as psutil's ad_value; a field this platform cannot answer (PS_ENOTSUP: uids
 * on Windows, num_handles off it) has no key, as psutil's as_dict() skips NotImplementedError
 * and has no such method there. */
void cli_record_json(cli_json *j, const ps_ptable_record *r, uint64_t fields,
                     const cli_proc_extra *ex)
{
    cli_json_obj_begin(j);
    for (size_t k = 0; k < sizeof rec_keys / sizeof rec_keys[0]; k++) {
        int f = rec_keys[k].field;
        if (f < 0) {
            rec_computed(j, f, r, fields, ex);
            continue;
        }
        if (!(fields & PS_PT_BIT(f))) continue;
        if (!HAS(r, f) && r->error[f] == PS_ENOTSUP) continue;
        cli_json_key(j, rec_keys[k].key);
        if (HAS(r, f)) rec_keys[k].write(j, r); else cli_json_null(j);
    }
    cli_json_obj_end(j);
}

int cli_ptable_rates(uint64_t fields, double interval, ps_ptable **out, double **cpu_pct)
{
    ps_ptable *t0 = NULL, *t1 = NULL;
    uint64_t f = fields | PS_PT_BIT(PS_PT_CPU_TIMES) | PS_PT_BIT(PS_PT_CREATE_TIME);
    int rc = ps_ptable_scan(PS_PT_BIT(PS_PT_CPU_TIMES) | PS_PT_BIT(PS_PT_CREATE_TIME), 0, &t0);
    if (rc) return rc;
    double ts0 = cli_monotonic();
    cli_sleep(interval);
    rc = ps_ptable_scan(f, 0, &t1);
    double ts1 = cli_monotonic();
    if (rc) {
        ps_ptable_free(t0);
        return rc;
    }
    double *pct = cli_xmalloc(sizeof(double) * (t1->count ? t1->count : 1));
    size_t k = 0;
    for (size_t i = 0; i < t1->count; i++) {
        const ps_ptable_record *r = &t1->records[i];
        pct[i] = NAN;
        while (k < t0->count && t0->records[k].pid < r->pid) k++;
        if (k >= t0->count || t0->records[k].pid != r->pid) continue;
        const ps_ptable_record *b = &t0->records[k];
        if (!HAS(b, PS_PT_CPU_TIMES) || !HAS(r, PS_PT_CPU_TIMES)) continue;
        /* same process: same creation time (a reused PID has a later one) */
        if (!HAS(b, PS_PT_CREATE_TIME) || !HAS(r, PS_PT_CREATE_TIME) ||
            fabs(b->create_time - r->create_time) > 0.001)
            continue;
        ps_proc_cpu_sample s0 = {.cpu_seconds = b->cpu_times.user + b->cpu_times.system, .timestamp = ts0};
        ps_proc_cpu_sample s1 = {.cpu_seconds = r->cpu_times.user + r->cpu_times.system, .timestamp = ts1};
        double p;
        if (ps_proc_cpu_percent(&s0, &s1, &p) == 0) pct[i] = p;
    }
    ps_ptable_free(t0);
    *out = t1;
    *cpu_pct = pct;
    return 0;
}

/* ---- psinfo ps ------------------------------------------------------------------------ */

static const cli_opt ps_opts[] = {
    { "json", 'j', NULL, "print as JSON: an array of as_dict()-shaped objects" },
    { "sort", 's', "KEY", "sort by cpu, mem, pid (default) or name" },
    { "user", 'u', "USER", "only processes of this user name" },
    { "name", 'n', "TEXT", "only processes whose name contains TEXT" },
    { "limit", 'l', "N", "show at most N processes (after sorting)" },
    { "interval", 'i', "S", "measure CPU usage over S seconds (default 0.1)" },
    { "all-fields", 'a', NULL, "JSON: also io_counters, num_fds, num_ctx_switches, cpu_num, num_handles" },
    { NULL, 0, NULL, NULL },
};

typedef struct row {
    const ps_ptable_record *r;
    double cpu;
} row;

static int sort_key;    /* 0 pid, 1 cpu, 2 mem, 3 name (qsort has no context argument) */

static int cmp_rows(const void *x, const void *y)
{
    const row *a = x, *b = y;
    if (sort_key == 1) {
        double ca = isnan(a->cpu) ? -1 : a->cpu, cb = isnan(b->cpu) ? -1 : b->cpu;
        if (ca != cb) return ca > cb ? -1 : 1;
    } else if (sort_key == 2) {
        uint64_t ma = HAS(a->r, PS_PT_MEMORY_INFO) ? a->r->memory_info.rss : 0;
        uint64_t mb = HAS(b->r, PS_PT_MEMORY_INFO) ? b->r->memory_info.rss : 0;
        if (ma != mb) return ma > mb ? -1 : 1;
    } else if (sort_key == 3) {
        const char *na = a->r->name ? a->r->name : "", *nb = b->r->name ? b->r->name : "";
        int c = strcmp(na, nb);
        if (c) return c;
    }
    return a->r->pid < b->r->pid ? -1 : a->r->pid > b->r->pid;
}

const char *cli_status_letter(int32_t st)
{
    switch (st) {
    case PS_STATUS_RUNNING: return "R";
    case PS_STATUS_SLEEPING: return "S";
    case PS_STATUS_DISK_SLEEP: return "D";
    case PS_STATUS_STOPPED: return "T";
    case PS_STATUS_TRACING_STOP: return "t";
    case PS_STATUS_ZOMBIE: return "Z";
    case PS_STATUS_DEAD: return "X";
    case PS_STATUS_IDLE: return "I";
    case PS_STATUS_PARKED: return "P";
    case PS_STATUS_WAKING: return "W";
    case PS_STATUS_WAKE_KILL: return "K";
    default: return "?";
    }
}

/* "COMMAND" text: the command line joined by spaces, else [name] (kernel threads). */
char *cli_record_command(const ps_ptable_record *r)
{
    if (HAS(r, PS_PT_CMDLINE) && r->cmdline_count > 0) {
        size_t n = 1;
        for (size_t i = 0; i < r->cmdline_count; i++) n += strlen(r->cmdline[i]) + 1;
        char *s = cli_xmalloc(n);
        s[0] = '\0';
        for (size_t i = 0; i < r->cmdline_count; i++) {
            if (i) strcat(s, " ");
            strcat(s, r->cmdline[i]);
        }
        return s;
    }
    return cli_xasprintf("[%s]", r->name ? r->name : "?");
}

/* What `psinfo ps` was asked for. */
typedef struct ps_query {
    double interval;
    uint64_t limit;
    char *user, *name;   /* decoded filters, or NULL */
    bool json;
    uint64_t fields;
} ps_query;

/* Options into *q (sort_key set); nonzero: the usage error's exit status. */
static int ps_parse(const cli_cmd *cmd, const cli_args *a, ps_query *q)
{
    q->interval = 0.1;
    const char *v = cli_value(cmd, a, "interval");
    if (v && !cli_parse_seconds(v, &q->interval))
        return cli_usage_error(cmd, "invalid interval '%s' (seconds expected)", v);
    const char *sort = cli_value(cmd, a, "sort");
    sort_key = 0;
    if (sort) {
        if (strcmp(sort, "pid") == 0) sort_key = 0;
        else if (strcmp(sort, "cpu") == 0) sort_key = 1;
        else if (strcmp(sort, "mem") == 0) sort_key = 2;
        else if (strcmp(sort, "name") == 0) sort_key = 3;
        else return cli_usage_error(cmd, "invalid sort key '%s' (cpu, mem, pid, name)", sort);
    }
    q->limit = UINT64_MAX;
    v = cli_value(cmd, a, "limit");
    if (v && !cli_parse_uint(v, &q->limit))
        return cli_usage_error(cmd, "invalid limit '%s'", v);
    /* decoded like the names they are compared with (invalid UTF-8 included) */
    q->user = cli_value(cmd, a, "user") ? cli_arg_decode(cli_value(cmd, a, "user")) : NULL;
    q->name = cli_value(cmd, a, "name") ? cli_arg_decode(cli_value(cmd, a, "name")) : NULL;
    q->json = cli_flag(cmd, a, "json") > 0;

    q->fields = PS_PT_BIT(PS_PT_PPID) | PS_PT_BIT(PS_PT_NAME) | PS_PT_BIT(PS_PT_EXE) |
                PS_PT_BIT(PS_PT_CWD) | PS_PT_BIT(PS_PT_USERNAME) |
                PS_PT_BIT(PS_PT_STATUS) | PS_PT_BIT(PS_PT_CREATE_TIME) |
                PS_PT_BIT(PS_PT_CMDLINE) | PS_PT_BIT(PS_PT_NUM_THREADS) |
                PS_PT_BIT(PS_PT_MEMORY_INFO) | PS_PT_BIT(PS_PT_CPU_TIMES) |
                PS_PT_BIT(PS_PT_UIDS) | PS_PT_BIT(PS_PT_GIDS) |
                PS_PT_BIT(PS_PT_TERMINAL) | PS_PT_BIT(PS_PT_NICE);
    if (!q->json)
        q->fields &= ~(PS_PT_BIT(PS_PT_EXE) | PS_PT_BIT(PS_PT_CWD) | PS_PT_BIT(PS_PT_GIDS));
    if (q->json && cli_flag(cmd, a, "all-fields"))
        q->fields |= PS_PT_BIT(PS_PT_IO_COUNTERS) | PS_PT_BIT(PS_PT_NUM_FDS) |
                     PS_PT_BIT(PS_PT_NUM_CTX_SWITCHES) | PS_PT_BIT(PS_PT_CPU_NUM) |
                     PS_PT_BIT(PS_PT_NUM_HANDLES);
    return 0;
}

/* The records that pass the filters, sorted, at most q->limit; *n: how many. */
static row *ps_rows(const ps_query *q, const ps_ptable *t, const double *pct, size_t *n)
{
    row *rows = cli_xmalloc(sizeof(row) * (t->count ? t->count : 1));
    size_t k = 0;
    for (size_t i = 0; i < t->count; i++) {
        const ps_ptable_record *r = &t->records[i];
        if (q->user && !(HAS(r, PS_PT_USERNAME) && strcmp(r->username, q->user) == 0)) continue;
        if (q->name && !(HAS(r, PS_PT_NAME) && strstr(r->name, q->name))) continue;
        rows[k].r = r;
        rows[k].cpu = pct[i];
        k++;
    }
    qsort(rows, k, sizeof *rows, cmp_rows);
    *n = k > q->limit ? (size_t)q->limit : k;
    return rows;
}

static void ps_print_json(const row *rows, size_t n, uint64_t fields, uint64_t mem_total)
{
    cli_json j;
    cli_json_init(&j, stdout, true);
    cli_json_arr_begin(&j);
    for (size_t i = 0; i < n; i++) {
        cli_proc_extra ex = { !isnan(rows[i].cpu), rows[i].cpu, mem_total };
        cli_record_json(&j, rows[i].r, fields, &ex);
        cli_json_flush(&j);
    }
    cli_json_arr_end(&j);
    cli_json_end(&j);
}

/* One line of the text table. today: "YYYY-MM-DD" of now. */
static void ps_table_row(cli_table *tb, const row *w, uint64_t mem_total, const char *today)
{
    const ps_ptable_record *r = w->r;
    char b[32];
    cli_table_row(tb);
    cli_table_cell(tb, 0, HAS(r, PS_PT_USERNAME) ? r->username : "?");
    cli_table_cellf(tb, 1, "%" PRId64, r->pid);
    if (!isnan(w->cpu)) cli_table_cellf(tb, 2, "%.1f", w->cpu);
    if (HAS(r, PS_PT_MEMORY_INFO)) {
        if (mem_total)
            cli_table_cellf(tb, 3, "%.1f", (double)r->memory_info.rss * 100.0 / (double)mem_total);
        cli_bytes2human(r->memory_info.vms, b, sizeof b);
        cli_table_cell(tb, 4, b);
        cli_bytes2human(r->memory_info.rss, b, sizeof b);
        cli_table_cell(tb, 5, b);
    }
    if (HAS(r, PS_PT_NICE)) cli_table_cellf(tb, 6, "%d", (int)r->nice);
    /* the terminal without "/dev/" (ps's habit), "?" for none */
    if (HAS(r, PS_PT_TERMINAL))
        cli_table_cell(tb, 7, !r->terminal ? "?"
                              : strncmp(r->terminal, "/dev/", 5) == 0 ? r->terminal + 5
                                                                      : r->terminal);
    if (HAS(r, PS_PT_STATUS)) cli_table_cell(tb, 8, cli_status_letter(r->status));
    if (HAS(r, PS_PT_CREATE_TIME)) {
        /* the time of day for processes started today, else the date */
        char tbuf[64];
        cli_fmt_time(r->create_time, tbuf, sizeof tbuf);
        tbuf[10] = '\0';
        cli_table_cell(tb, 9, strcmp(tbuf, today) == 0 ? tbuf + 11 : tbuf);
    }
    if (HAS(r, PS_PT_CPU_TIMES)) {
        cli_fmt_cputime(r->cpu_times.user + r->cpu_times.system, b, sizeof b);
        cli_table_cell(tb, 10, b);
    }
    char *command = cli_record_command(r);
    cli_table_cell(tb, 11, command);
    free(command);
}

static void ps_print_table(const row *rows, size_t n, uint64_t mem_total)
{
    cli_table *tb = cli_table_new(12);
    const char *hdr[12] = { "USER", "PID", "%CPU", "%MEM", "VSZ", "RSS", "NICE", "TTY",
                            "STAT", "START", "TIME", "COMMAND" };
    for (int c = 0; c < 12; c++)
        cli_table_col(tb, c, hdr[c],
                      (c == 0 || c == 7 || c == 8 || c == 9 || c == 11) ? CLI_LEFT : CLI_RIGHT,
                      c == 0 || c == 11);
    char today[64];
    cli_fmt_time((double)time(NULL), today, sizeof today);
    today[10] = '\0';
    for (size_t i = 0; i < n; i++) ps_table_row(tb, &rows[i], mem_total, today);
    cli_table_print(tb, stdout, cli_term_width());
}

static int run_ps(const cli_cmd *cmd, const cli_args *a)
{
    ps_query q = { 0 };
    int rc = ps_parse(cmd, a, &q);
    if (rc) return rc;
    ps_ptable *t = NULL;
    double *pct = NULL;
    rc = cli_ptable_rates(q.fields, q.interval, &t, &pct);
    if (rc) {
        free(q.user);
        free(q.name);
        return cli_lib_error(rc, "process table");
    }
    ps_vmem vm;
    uint64_t mem_total = ps_virtual_memory(&vm) == 0 ? vm.total : 0;
    size_t n;
    row *rows = ps_rows(&q, t, pct, &n);
    if (q.json) ps_print_json(rows, n, t->fields, mem_total);
    else ps_print_table(rows, n, mem_total);
    free(rows);
    free(pct);
    ps_ptable_free(t);
    free(q.user);
    free(q.name);
    return 0;
}

const cli_cmd cli_cmd_ps = {
    "ps", "[--sort cpu|mem|pid|name] [--user USER] [--name TEXT] [--limit N] [--json]",
    "The process table.",
    "JSON: an array of objects shaped like psutil.Process.as_dict() with at least pid, ppid,\n"
    "name, exe, cwd, username, status, create_time, cmdline, num_threads, memory_info,\n"
    "cpu_times, uids, gids, terminal, nice, cpu_percent and memory_percent; values psutil\n"
    "reports as AccessDenied/ZombieProcess are null.",
    ps_opts, 0, 0, run_ps,
};

/* ---- psinfo tree ------------------------------------------------------------------------- */

static const cli_opt tree_opts[] = {
    { "json", 'j', NULL, "print as JSON: nested {pid, name, children} objects" },
    { NULL, 0, NULL, NULL },
};

typedef struct tnode {
    const ps_ptable_record *r;
    size_t *kids;
    size_t nkids, cap;
} tnode;

static void tree_print(tnode *nodes, size_t i, char *prefix, size_t plen, bool last, bool root)
{
    const ps_ptable_record *r = nodes[i].r;
    char *name = cli_sanitize(HAS(r, PS_PT_NAME) ? r->name : "?");
    if (root) printf("%" PRId64 " %s\n", r->pid, name);
    else printf("%.*s%s %" PRId64 " %s\n", (int)plen, prefix, last ? "└─" : "├─", r->pid, name);
    free(name);
    size_t add = root ? 0 : strlen(last ? "   " : "│  ");
    char *p2 = cli_xmalloc(plen + add + 1);
    memcpy(p2, prefix, plen);
    if (!root) memcpy(p2 + plen, last ? "   " : "│  ", add);
    for (size_t k = 0; k < nodes[i].nkids; k++)
        tree_print(nodes, nodes[i].kids[k], p2, plen + add, k + 1 == nodes[i].nkids, false);
    free(p2);
}

static void tree_json(cli_json *j, tnode *nodes, size_t i)
{
    const ps_ptable_record *r = nodes[i].r;
    cli_json_obj_begin(j);
    cli_json_key(j, "pid"); cli_json_int(j, r->pid);
    cli_json_key(j, "name"); cli_json_str(j, HAS(r, PS_PT_NAME) ? r->name : NULL);
    cli_json_key(j, "children");
    cli_json_arr_begin(j);
    for (size_t k = 0; k < nodes[i].nkids; k++) tree_json(j, nodes, nodes[i].kids[k]);
    cli_json_arr_end(j);
    cli_json_obj_end(j);
}

static int run_tree(const cli_cmd *cmd, const cli_args *a)
{
    ps_ptable *t = NULL;
    int rc = ps_ptable_scan(PS_PT_BIT(PS_PT_PPID) | PS_PT_BIT(PS_PT_NAME), 0, &t);
    if (rc) return cli_lib_error(rc, "process table");
    tnode *nodes = cli_xmalloc(sizeof(tnode) * (t->count ? t->count : 1));
    memset(nodes, 0, sizeof(tnode) * (t->count ? t->count : 1));
    bool *is_root = cli_xmalloc(t->count ? t->count : 1);
    for (size_t i = 0; i < t->count; i++) {
        nodes[i].r = &t->records[i];
        is_root[i] = true;
    }
    /* records are sorted by PID: find the parent by binary search */
    for (size_t i = 0; i < t->count; i++) {
        const ps_ptable_record *r = &t->records[i];
        if (!HAS(r, PS_PT_PPID) || r->ppid <= 0 || r->ppid == r->pid) continue;
        size_t lo = 0, hi = t->count;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (t->records[mid].pid < r->ppid) lo = mid + 1; else hi = mid;
        }
        if (lo >= t->count || t->records[lo].pid != r->ppid) continue;
        tnode *pn = &nodes[lo];
        if (pn->nkids == pn->cap) {
            pn->cap = pn->cap ? pn->cap * 2 : 4;
            pn->kids = cli_xrealloc(pn->kids, pn->cap * sizeof *pn->kids);
        }
        pn->kids[pn->nkids++] = i;
        is_root[i] = false;
    }
    if (cli_flag(cmd, a, "json")) {
        cli_json j;
        cli_json_init(&j, stdout, true);
        cli_json_arr_begin(&j);
        for (size_t i = 0; i < t->count; i++)
            if (is_root[i]) tree_json(&j, nodes, i);
        cli_json_arr_end(&j);
        cli_json_end(&j);
    } else {
        for (size_t i = 0; i < t->count; i++)
            if (is_root[i]) tree_print(nodes, i, "", 0, true, true);
    }
    for (size_t i = 0; i < t->count; i++) free(nodes[i].kids);
    free(nodes);
    free(is_root);
    ps_ptable_free(t);
    return 0;
}

const cli_cmd cli_cmd_tree = {
    "tree", "[--json]", "The process tree (like pstree).",
    "Roots are processes whose parent is not listed (PID 1, kthreadd, or orphans).",
    tree_opts, 0, 0, run_tree,
};
