/* SPDX-License-Identifier: MIT */
/* psinfo CLI — the overview (no command): host, uptime, CPU, memory, disks, busiest processes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _WIN32
#include <winsock2.h>
#else
#include <unistd.h>
#endif

#include "cli.h"
#include "procout.h"
#include "sysout.h"

static const cli_opt overview_opts[] = {
    { "json", 'j', NULL, "print as JSON" },
    { "interval", 'i', "S", "measure CPU usage over S seconds (default 0.2)" },
    { "top", 't', "N", "how many of the busiest processes to show (default 5)" },
    { NULL, 0, NULL, NULL },
};

static void host_name(char *buf, size_t size)
{
    if (gethostname(buf, size) != 0) snprintf(buf, size, "?");
    buf[size - 1] = '\0';
}

typedef struct top_entry {
    size_t idx;
    double cpu;
} top_entry;

static int cmp_top(const void *x, const void *y)
{
    const top_entry *a = x, *b = y;
    double ca = isnan(a->cpu) ? -1 : a->cpu, cb = isnan(b->cpu) ? -1 : b->cpu;
    if (ca != cb) return ca > cb ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Everything the overview shows, gathered once; rc_* are the calls' results (nonzero: the
 * value is left out, or null in JSON). */
typedef struct overview {
    char host[256];
    double now, boot, load[3], cpu_pct;
    int rc_boot, rc_load, rc_ncpu, rc_vm, rc_sw, rc_cpu, rc_pt, rc_parts;
    int32_t ncpu;
    ps_vmem vm;
    ps_swapmem sw;
    ps_ptable *t;
    double *pct;
    ps_disk_partition_list *parts;
    top_entry *top;     /* the table's records, busiest first */
    size_t nt;          /* how many of them to show */
} overview;

static void overview_gather(overview *o, double interval, uint64_t ntop)
{
    memset(o, 0, sizeof *o);
    host_name(o->host, sizeof o->host);
    o->rc_boot = ps_boot_time(&o->boot);
    o->rc_load = ps_getloadavg(o->load);
    o->rc_ncpu = ps_cpu_count_logical(&o->ncpu);
    o->rc_vm = ps_virtual_memory(&o->vm);
    o->rc_sw = ps_swap_memory(&o->sw);

    /* CPU and processes over the same interval */
    ps_cputimes c0, c1;
    o->rc_cpu = ps_cpu_times(&c0);
    uint64_t fields = PS_PT_BIT(PS_PT_NAME) | PS_PT_BIT(PS_PT_USERNAME) |
                      PS_PT_BIT(PS_PT_MEMORY_INFO) | PS_PT_BIT(PS_PT_CMDLINE);
    o->rc_pt = cli_ptable_rates(fields, interval, &o->t, &o->pct);
    if (o->rc_cpu == 0) o->rc_cpu = ps_cpu_times(&c1);
    if (o->rc_cpu == 0) o->rc_cpu = ps_cpu_percent(&c0, &c1, &o->cpu_pct);
    o->rc_parts = ps_disk_partitions(0, &o->parts);

    if (o->rc_pt == 0) {
        ps_ptable *t = o->t;
        o->top = cli_xmalloc(sizeof *o->top * (t->count ? t->count : 1));
        for (size_t i = 0; i < t->count; i++) {
            o->top[i].idx = i;
            o->top[i].cpu = o->pct[i];
        }
        qsort(o->top, t->count, sizeof *o->top, cmp_top);
        o->nt = t->count < ntop ? t->count : (size_t)ntop;
    }
    o->now = (double)time(NULL);
}

static void overview_dispose(overview *o)
{
    free(o->top);
    free(o->pct);
    ps_ptable_free(o->t);
    ps_disk_partition_list_free(o->parts);
}

static void json_disks(cli_json *j, const ps_disk_partition_list *parts)
{
    cli_json_arr_begin(j);
    for (size_t i = 0; i < parts->count; i++) {
        ps_diskusage u;
        cli_json_obj_begin(j);
        cli_json_key(j, "device"); cli_json_str(j, parts->items[i].device);
        cli_json_key(j, "mountpoint"); cli_json_str(j, parts->items[i].mountpoint);
        cli_json_key(j, "fstype"); cli_json_str(j, parts->items[i].fstype);
        cli_json_key(j, "opts"); cli_json_str(j, parts->items[i].opts);
        cli_json_key(j, "usage");
        if (ps_disk_usage(parts->items[i].mountpoint, &u) == 0)
            cli_json_disk_usage(j, &u);
        else
            cli_json_null(j);
        cli_json_obj_end(j);
    }
    cli_json_arr_end(j);
}

static void json_top(cli_json *j, const overview *o)
{
    cli_json_arr_begin(j);
    cli_proc_extra ex;
    for (size_t k = 0; k < o->nt; k++) {
        ex.have_cpu_percent = !isnan(o->top[k].cpu);
        ex.cpu_percent = o->top[k].cpu;
        ex.mem_total = o->rc_vm ? 0 : o->vm.total;
        cli_record_json(j, &o->t->records[o->top[k].idx], o->t->fields, &ex);
    }
    cli_json_arr_end(j);
}

static void print_json(const overview *o)
{
    cli_json j;
    cli_json_init(&j, stdout, true);
    cli_json_obj_begin(&j);
    cli_json_key(&j, "hostname"); cli_json_str(&j, o->host);
    cli_json_key(&j, "version"); cli_json_str(&j, ps_version());
    cli_json_key(&j, "boot_time");
    if (o->rc_boot) cli_json_null(&j); else cli_json_double(&j, o->boot);
    cli_json_key(&j, "uptime");
    if (o->rc_boot) cli_json_null(&j); else cli_json_double(&j, o->now - o->boot);
    cli_json_key(&j, "cpu_count");
    if (o->rc_ncpu) cli_json_null(&j); else cli_json_int(&j, o->ncpu);
    cli_json_key(&j, "cpu_percent");
    if (o->rc_cpu) cli_json_null(&j); else cli_json_double(&j, o->cpu_pct);
    cli_json_key(&j, "getloadavg");
    if (o->rc_load) cli_json_null(&j); else cli_json_loadavg(&j, o->load);
    cli_json_key(&j, "virtual_memory");
    if (o->rc_vm) cli_json_null(&j); else cli_json_vmem(&j, &o->vm);
    cli_json_key(&j, "swap_memory");
    if (o->rc_sw) cli_json_null(&j); else cli_json_swap(&j, &o->sw);
    cli_json_key(&j, "disks");
    if (o->rc_parts) cli_json_null(&j); else json_disks(&j, o->parts);
    cli_json_key(&j, "processes");
    if (o->rc_pt) cli_json_null(&j); else json_top(&j, o);
    cli_json_obj_end(&j);
    cli_json_end(&j);
}

/* The summary lines: host, uptime, cpu, memory, swap. */
static void print_summary(const overview *o)
{
    char b1[64], b2[32], b3[32];
    char *h = cli_sanitize(o->host);
    printf("host      %s (libpsinfo %s)\n", h, ps_version());
    free(h);
    if (o->rc_boot == 0) {
        cli_fmt_duration(o->now - o->boot, b1, sizeof b1);
        char bt[64];
        cli_fmt_time(o->boot, bt, sizeof bt);
        printf("uptime    %s (booted %s)\n", b1, bt);
    }
    if (o->rc_cpu == 0) {
        printf("cpu       %.1f%% of %d CPUs", o->cpu_pct, o->rc_ncpu ? 0 : (int)o->ncpu);
        if (o->rc_load == 0) printf(", load %.2f %.2f %.2f", o->load[0], o->load[1], o->load[2]);
        printf("\n");
    }
    if (o->rc_vm == 0) {
        cli_bytes2human(o->vm.used, b1, sizeof b1);
        cli_bytes2human(o->vm.total, b2, sizeof b2);
        cli_bytes2human(o->vm.available, b3, sizeof b3);
        printf("memory    %s used of %s (%.1f%%), %s available\n", b1, b2, o->vm.percent, b3);
    }
    if (o->rc_sw == 0) {
        cli_bytes2human(o->sw.used, b1, sizeof b1);
        cli_bytes2human(o->sw.total, b2, sizeof b2);
        printf("swap      %s used of %s (%.1f%%)\n", b1, b2, o->sw.percent);
    }
}

static void print_disks(const ps_disk_partition_list *parts, int width)
{
    char b1[64];
    printf("\n");
    cli_table *tb = cli_table_new(6);
    cli_table_col(tb, 0, "DISK", CLI_LEFT, true);
    cli_table_col(tb, 1, "SIZE", CLI_RIGHT, false);
    cli_table_col(tb, 2, "USED", CLI_RIGHT, false);
    cli_table_col(tb, 3, "FREE", CLI_RIGHT, false);
    cli_table_col(tb, 4, "USE%", CLI_RIGHT, false);
    cli_table_col(tb, 5, "MOUNT", CLI_LEFT, true);
    for (size_t i = 0; i < parts->count; i++) {
        ps_diskusage u;
        if (ps_disk_usage(parts->items[i].mountpoint, &u) != 0) continue;
        cli_table_row(tb);
        cli_table_cell(tb, 0, parts->items[i].device);
        cli_bytes2human(u.total, b1, sizeof b1);
        cli_table_cell(tb, 1, b1);
        cli_bytes2human(u.used, b1, sizeof b1);
        cli_table_cell(tb, 2, b1);
        cli_bytes2human(u.free, b1, sizeof b1);
        cli_table_cell(tb, 3, b1);
        cli_table_cellf(tb, 4, "%.0f%%", u.percent);
        cli_table_cell(tb, 5, parts->items[i].mountpoint);
    }
    cli_table_print(tb, stdout, width);
}

static void print_top(const overview *o, int width)
{
    char b1[64];
    printf("\n");
    cli_table *tb = cli_table_new(6);
    cli_table_col(tb, 0, "PID", CLI_RIGHT, false);
    cli_table_col(tb, 1, "USER", CLI_LEFT, true);
    cli_table_col(tb, 2, "%CPU", CLI_RIGHT, false);
    cli_table_col(tb, 3, "%MEM", CLI_RIGHT, false);
    cli_table_col(tb, 4, "RSS", CLI_RIGHT, false);
    cli_table_col(tb, 5, "COMMAND", CLI_LEFT, true);
    for (size_t k = 0; k < o->nt; k++) {
        const ps_ptable_record *r = &o->t->records[o->top[k].idx];
        cli_table_row(tb);
        cli_table_cellf(tb, 0, "%" PRId64, r->pid);
        cli_table_cell(tb, 1, (r->present & PS_PT_BIT(PS_PT_USERNAME)) ? r->username : "?");
        if (!isnan(o->top[k].cpu)) cli_table_cellf(tb, 2, "%.1f", o->top[k].cpu);
        if (r->present & PS_PT_BIT(PS_PT_MEMORY_INFO)) {
            if (o->rc_vm == 0)
                cli_table_cellf(tb, 3, "%.1f", (double)r->memory_info.rss * 100.0 / (double)o->vm.total);
            cli_bytes2human(r->memory_info.rss, b1, sizeof b1);
            cli_table_cell(tb, 4, b1);
        }
        char *command = cli_record_command(r);
        cli_table_cell(tb, 5, command);
        free(command);
    }
    cli_table_print(tb, stdout, width);
}

static int run_overview(const cli_cmd *cmd, const cli_args *a)
{
    double interval = 0.2;
    const char *v = cli_value(cmd, a, "interval");
    if (v && !cli_parse_seconds(v, &interval))
        return cli_usage_error(cmd, "invalid interval '%s' (seconds expected)", v);
    uint64_t ntop = 5;
    v = cli_value(cmd, a, "top");
    if (v && !cli_parse_uint(v, &ntop)) return cli_usage_error(cmd, "invalid count '%s'", v);
    bool json = cli_flag(cmd, a, "json") > 0;

    overview o;
    overview_gather(&o, interval, ntop);
    if (json) {
        print_json(&o);
    } else {
        print_summary(&o);
        int width = cli_term_width();
        if (o.rc_parts == 0 && o.parts->count) print_disks(o.parts, width);
        if (o.rc_pt == 0 && o.nt) print_top(&o, width);
    }
    overview_dispose(&o);
    return 0;
}

const cli_cmd cli_cmd_overview = {
    "", "[--interval S] [--top N] [--json]",
    "Overview: host, uptime, CPU, memory, disks and the busiest processes.", NULL,
    overview_opts, 0, 0, run_overview,
};
