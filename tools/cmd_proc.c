/* SPDX-License-Identifier: MIT */
/* psinfo CLI — psinfo proc PID: everything about one process. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "procout.h"

static const cli_opt proc_opts[] = {
    { "json", 'j', NULL, "print as JSON shaped like psutil.Process(pid).as_dict()" },
    { "interval", 'i', "S", "measure CPU usage over S seconds (default 0.1)" },
    { NULL, 0, NULL, NULL },
};

int cli_open_pid(const char *arg, ps_proc **out)
{
    int64_t pid;
    if (!cli_parse_pid(arg, &pid)) return PS_EINVAL;
    int rc = ps_proc_open(pid, out);
    if (rc == PS_ENOPROC) {
        fprintf(stderr, "%s: no such process: %" PRId64 "\n", cli_prog, pid);
        return rc;
    }
    if (rc) cli_lib_error(rc, "process %" PRId64, pid);
    return rc;
}

static const char *errname(int rc)
{
    switch (rc) {
    case PS_EACCES: return "(access denied)";
    case PS_EZOMBIE: return "(zombie)";
    case PS_ENOTSUP: return "(not supported)";
    default: return "(unavailable)";
    }
}

static void kv(const char *key, const char *value)
{
    char *s = cli_sanitize(value);
    printf("%-16s %s\n", key, s);
    free(s);
}

static void kvf(const char *key, const char *fmt, ...) CLI_PRINTF(2, 3);
static void kvf(const char *key, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    printf("%-16s %s\n", key, buf);
}

static void kv_str(const char *key, int rc, const char *value)
{
    if (rc) kv(key, errname(rc));
    else kv(key, value ? value : "");
}

/* The command line joined by spaces. */
static void print_cmdline(ps_proc *p)
{
    ps_proc_str_list *cl = NULL;
    int rc = ps_proc_cmdline(p, &cl);
    if (rc) kv("cmdline", errname(rc));
    else {
        size_t n = 0;
        for (size_t i = 0; i < cl->count; i++) n += strlen(cl->items[i]) + 1;
        char *joined = cli_xmalloc(n + 1);
        joined[0] = '\0';
        for (size_t i = 0; i < cl->count; i++) {
            if (i) strcat(joined, " ");
            strcat(joined, cl->items[i]);
        }
        kv("cmdline", joined);
        free(joined);
    }
    ps_proc_str_list_free(cl);
}

/* The parent's PID and name. */
static void print_parent(ps_proc *p)
{
    int64_t ppid;
    if (ps_proc_ppid(p, &ppid) != 0) return;
    ps_proc *pp = NULL;
    char *pname = NULL;
    if (ppid > 0 && ps_proc_open(ppid, &pp) == 0) ps_proc_name(pp, &pname);
    char *sn = cli_sanitize(pname ? pname : "");
    kvf("parent", "%" PRId64 "%s%s%s", ppid, pname ? " (" : "", pname ? sn : "",
        pname ? ")" : "");
    free(sn);
    ps_free(pname);
    ps_proc_free(pp);
}

/* Who the process is: names, command line, parent, owner, terminal, status, start. */
static void print_identity(ps_proc *p)
{
    char *s = NULL, b1[32];
    int rc;
    kvf("pid", "%" PRId64, ps_proc_pid(p));
    rc = ps_proc_name(p, &s); kv_str("name", rc, s); ps_free(s); s = NULL;
    rc = ps_proc_exe(p, &s); kv_str("exe", rc, s); ps_free(s); s = NULL;
    rc = ps_proc_cwd(p, &s); kv_str("cwd", rc, s); ps_free(s); s = NULL;
    print_cmdline(p);
    print_parent(p);
    rc = ps_proc_username(p, &s); kv_str("user", rc, s); ps_free(s); s = NULL;
    ps_proc_ids ids;
    if (ps_proc_uids(p, &ids) == 0)
        kvf("uids", "real=%" PRId64 " effective=%" PRId64 " saved=%" PRId64, ids.real,
            ids.effective, ids.saved);
    if (ps_proc_gids(p, &ids) == 0)
        kvf("gids", "real=%" PRId64 " effective=%" PRId64 " saved=%" PRId64, ids.real,
            ids.effective, ids.saved);
    rc = ps_proc_terminal(p, &s); kv_str("terminal", rc, s ? s : "(none)"); ps_free(s); s = NULL;
    int32_t st;
    if (ps_proc_status(p, &st) == 0) kv("status", ps_process_status_name(st));
    double ct;
    if (ps_proc_create_time(p, &ct) == 0) {
        cli_fmt_time(ct, b1, sizeof b1);
        kv("started", b1);
    }
}

/* Scheduling: nice, ionice, threads, fds. */
static void print_sched(ps_proc *p)
{
    int rc;
    int32_t nice;
    if (ps_proc_nice(p, &nice) == 0) kvf("nice", "%d", (int)nice);
    int32_t cls;
    int32_t iov;
    if (ps_proc_ionice(p, &cls, &iov) == 0) {
        static const char *const cn[] = { "none", "realtime", "best-effort", "idle" };
        kvf("ionice", "class=%s value=%d", (unsigned)cls < 4 ? cn[cls] : "?", (int)iov);
    }
    int64_t n;
    if (ps_proc_num_threads(p, &n) == 0) kvf("threads", "%" PRId64, n);
    rc = ps_proc_num_fds(p, &n);
    if (rc == 0) kvf("fds", "%" PRId64, n); else kv("fds", errname(rc));
}

/* Memory: full info when readable, else memory_info; then the percentage. */
static void print_memory(ps_proc *p, const cli_proc_extra *ex)
{
    char b1[32], b2[32], b3[32];
    ps_proc_fullmem fm;
    ps_proc_mem m;
    if (ps_proc_memory_full_info(p, &fm) == 0) {
        cli_bytes2human(fm.rss, b1, sizeof b1);
        cli_bytes2human(fm.vms, b2, sizeof b2);
        cli_bytes2human(fm.uss, b3, sizeof b3);
        kvf("memory", "rss %s, vms %s, uss %s", b1, b2, b3);
    } else if (ps_proc_memory_info(p, &m) == 0) {
        cli_bytes2human(m.rss, b1, sizeof b1);
        cli_bytes2human(m.vms, b2, sizeof b2);
        kvf("memory", "rss %s, vms %s", b1, b2);
        fm.rss = m.rss;
    } else {
        fm.rss = 0;
    }
    if (ex->mem_total) kvf("memory percent", "%.2f%%", (double)fm.rss * 100.0 / (double)ex->mem_total);
}

/* Resource use: CPU times and percent, memory, io, context switches, affinity. */
static void print_usage(ps_proc *p, const cli_proc_extra *ex)
{
    char b1[32], b2[32];
    int rc;
    ps_proc_cputimes t;
    if (ps_proc_cpu_times(p, &t) == 0) {
        cli_fmt_cputime(t.user, b1, sizeof b1);
        cli_fmt_cputime(t.system, b2, sizeof b2);
        if (t.children_user != t.children_user) /* NaN: the platform has no such times */
            kvf("cpu times", "user %s, system %s", b1, b2);
        else
            kvf("cpu times", "user %s, system %s, children %.2f s, iowait %.2f s", b1, b2,
                t.children_user + t.children_system, t.iowait);
    }
    if (ex->have_cpu_percent) kvf("cpu percent", "%.1f%%", ex->cpu_percent);
    print_memory(p, ex);
    ps_proc_io io;
    rc = ps_proc_io_counters(p, &io);
    if (rc == 0) {
        cli_bytes2human(io.read_bytes, b1, sizeof b1);
        cli_bytes2human(io.write_bytes, b2, sizeof b2);
        kvf("io", "read %s (%" PRIu64 " calls), written %s (%" PRIu64 " calls)", b1,
            io.read_count, b2, io.write_count);
    } else {
        kv("io", errname(rc));
    }
    ps_proc_ctxsw cs;
    if (ps_proc_num_ctx_switches(p, &cs) == 0) {
        if (cs.involuntary == PS_UNKNOWN_U64)   /* the OS counts one kind only */
            kvf("ctx switches", "%" PRIu64 " (not split by kind)", cs.voluntary);
        else
            kvf("ctx switches", "voluntary %" PRIu64 ", involuntary %" PRIu64, cs.voluntary,
                cs.involuntary);
    }
    ps_proc_cpu_list *aff = NULL;
    if (ps_proc_cpu_affinity(p, &aff) == 0) {
        char buf[256] = "";
        size_t o = 0;
        for (size_t i = 0; i < aff->count && o + 16 < sizeof buf; i++)
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%d", i ? "," : "",
                                  (int)aff->items[i]);
        kv("cpu affinity", buf);
    }
    ps_proc_cpu_list_free(aff);

}

static void print_children(ps_proc *p)
{
    ps_proc_list *kids = NULL;
    if (ps_proc_children(p, 0, &kids) == 0 && kids->count) {
        printf("\nchildren:\n");
        cli_table *tb = cli_table_new(2);
        cli_table_col(tb, 0, "PID", CLI_RIGHT, false);
        cli_table_col(tb, 1, "NAME", CLI_LEFT, true);
        for (size_t i = 0; i < kids->count; i++) {
            char *kn = NULL;
            cli_table_row(tb);
            cli_table_cellf(tb, 0, "%" PRId64, ps_proc_pid(kids->items[i]));
            if (ps_proc_name(kids->items[i], &kn) == 0) cli_table_cell(tb, 1, kn);
            ps_free(kn);
        }
        cli_table_print(tb, stdout, cli_term_width());
    }
    ps_proc_list_free(kids);
}

static void print_open_files(ps_proc *p)
{
    ps_proc_open_file_list *files = NULL;
    if (ps_proc_open_files(p, &files) == 0 && files->count) {
        printf("\nopen files:\n");
        cli_table *tb = cli_table_new(4);
        cli_table_col(tb, 0, "FD", CLI_RIGHT, false);
        cli_table_col(tb, 1, "MODE", CLI_LEFT, false);
        cli_table_col(tb, 2, "POS", CLI_RIGHT, false);
        cli_table_col(tb, 3, "PATH", CLI_LEFT, true);
        for (size_t i = 0; i < files->count; i++) {
            cli_table_row(tb);
            cli_table_cellf(tb, 0, "%" PRId64, files->items[i].fd);
            cli_table_cell(tb, 1, files->items[i].mode);
            cli_table_cellf(tb, 2, "%" PRId64, files->items[i].position);
            cli_table_cell(tb, 3, files->items[i].path);
        }
        cli_table_print(tb, stdout, cli_term_width());
    }
    ps_proc_open_file_list_free(files);
}

static void print_threads(ps_proc *p)
{
    ps_proc_thread_list *th = NULL;
    if (ps_proc_threads(p, &th) == 0 && th->count > 1) {
        printf("\nthreads:\n");
        cli_table *tb = cli_table_new(4);
        cli_table_col(tb, 0, "TID", CLI_RIGHT, false);
        cli_table_col(tb, 1, "USER", CLI_RIGHT, false);
        cli_table_col(tb, 2, "SYSTEM", CLI_RIGHT, false);
        cli_table_col(tb, 3, "NAME", CLI_LEFT, true);
        for (size_t i = 0; i < th->count; i++) {
            cli_table_row(tb);
            cli_table_cellf(tb, 0, "%" PRId64, th->items[i].id);
            cli_table_cellf(tb, 1, "%.2f", th->items[i].user_time);
            cli_table_cellf(tb, 2, "%.2f", th->items[i].system_time);
            cli_table_cell(tb, 3, th->items[i].name ? th->items[i].name : "");
        }
        cli_table_print(tb, stdout, cli_term_width());
    }
    ps_proc_thread_list_free(th);
}

/* The 10 largest memory maps by RSS. */
static void print_largest_maps(ps_proc *p)
{
    char b1[32], b2[32];
    ps_proc_mmap_list *maps = NULL;
    if (ps_proc_memory_maps(p, 1, &maps) == 0 && maps->count) {
        /* the 10 largest by RSS */
        printf("\nlargest memory maps:\n");
        size_t n_show = maps->count < 10 ? maps->count : 10;
        bool *used = cli_xmalloc(maps->count);
        memset(used, 0, maps->count);
        cli_table *tb = cli_table_new(3);
        cli_table_col(tb, 0, "RSS", CLI_RIGHT, false);
        cli_table_col(tb, 1, "SIZE", CLI_RIGHT, false);
        cli_table_col(tb, 2, "PATH", CLI_LEFT, true);
        for (size_t k = 0; k < n_show; k++) {
            size_t best = maps->count;
            for (size_t i = 0; i < maps->count; i++)
                if (!used[i] && (best == maps->count || maps->items[i].rss > maps->items[best].rss))
                    best = i;
            used[best] = true;
            cli_bytes2human(maps->items[best].rss, b1, sizeof b1);
            cli_bytes2human(maps->items[best].size, b2, sizeof b2);
            cli_table_row(tb);
            cli_table_cell(tb, 0, b1);
            cli_table_cell(tb, 1, b2);
            cli_table_cell(tb, 2, maps->items[best].path);
        }
        free(used);
        cli_table_print(tb, stdout, cli_term_width());
    }
    ps_proc_mmap_list_free(maps);
}

static void print_human(ps_proc *p, const cli_proc_extra *ex)
{
    print_identity(p);
    print_sched(p);
    print_usage(p, ex);
    print_children(p);
    print_open_files(p);
    print_threads(p);
    print_largest_maps(p);
}

static int run_proc(const cli_cmd *cmd, const cli_args *a)
{
    double interval = 0.1;
    const char *iv = cli_value(cmd, a, "interval");
    if (iv && !cli_parse_seconds(iv, &interval))
        return cli_usage_error(cmd, "invalid interval '%s' (seconds expected)", iv);
    int64_t pid;
    if (!cli_parse_pid(a->pos[0], &pid))
        return cli_usage_error(cmd, "invalid PID '%s'", a->pos[0]);
    ps_proc *p = NULL;
    int rc = cli_open_pid(a->pos[0], &p);
    if (rc) return CLI_EXIT_ERROR;

    cli_proc_extra ex;
    memset(&ex, 0, sizeof ex);
    ps_vmem vm;
    if (ps_virtual_memory(&vm) == 0) ex.mem_total = vm.total;
    ps_proc_cpu_sample s0, s1;
    if (ps_proc_cpu_sample_take(p, &s0) == 0) {
        cli_sleep(interval);
        if (ps_proc_cpu_sample_take(p, &s1) == 0 &&
            ps_proc_cpu_percent(&s0, &s1, &ex.cpu_percent) == 0)
            ex.have_cpu_percent = true;
    }
    int status = 0;
    if (cli_flag(cmd, a, "json")) {
        cli_json j;
        cli_json_init(&j, stdout, true);
        rc = cli_proc_json(&j, p, CLI_PF_ALL, &ex);
        if (rc == PS_ENOPROC) {
            free(j.buf);
            fprintf(stderr, "%s: process %" PRId64 " exited\n", cli_prog, pid);
            status = CLI_EXIT_ERROR;
        } else {
            cli_json_end(&j);
        }
    } else {
        int running = 0;
        print_human(p, &ex);
        if (ps_proc_is_running(p, &running) == 0 && !running) {
            fprintf(stderr, "%s: process %" PRId64 " exited\n", cli_prog, pid);
            status = CLI_EXIT_ERROR;
        }
    }
    ps_proc_free(p);
    return status;
}

const cli_cmd cli_cmd_proc = {
    "proc", "PID [--interval S] [--json]", "Everything about one process.",
    "JSON: one object shaped like psutil.Process(pid).as_dict(): namedtuples become objects\n"
    "with the same field names; values psutil reports as AccessDenied/ZombieProcess are null.",
    proc_opts, 1, 1, run_proc,
};
