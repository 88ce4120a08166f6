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

    char host[256];
    host_name(host, sizeof host);
    double boot = 0, load[3] = { 0, 0, 0 }, cpu_pct = 0;
    int rc_boot = ps_boot_time(&boot);
    int rc_load = ps_getloadavg(load);
    int32_t ncpu = 0;
    int rc_ncpu = ps_cpu_count_logical(&ncpu);
    ps_vmem vm;
    ps_swapmem sw;
    int rc_vm = ps_virtual_memory(&vm);
    int rc_sw = ps_swap_memory(&sw);

    /* CPU and processes over the same interval */
    ps_cputimes c0, c1;
    int rc_cpu = ps_cpu_times(&c0);
    ps_ptable *t = NULL;
    double *pct = NULL;
    uint64_t fields = PS_PT_BIT(PS_PT_NAME) | PS_PT_BIT(PS_PT_USERNAME) |
                      PS_PT_BIT(PS_PT_MEMORY_INFO) | PS_PT_BIT(PS_PT_CMDLINE);
    int rc_pt = cli_ptable_rates(fields, interval, &t, &pct);
    if (rc_cpu == 0) rc_cpu = ps_cpu_times(&c1);
    if (rc_cpu == 0) rc_cpu = ps_cpu_percent(&c0, &c1, &cpu_pct);
    ps_disk_partition_list *parts = NULL;
    int rc_parts = ps_disk_partitions(0, &parts);

    top_entry *top = NULL;
    size_t nt = 0;
    if (rc_pt == 0) {
        top = cli_xmalloc(sizeof *top * (t->count ? t->count : 1));
        for (size_t i = 0; i < t->count; i++) {
            top[i].idx = i;
            top[i].cpu = pct[i];
        }
        qsort(top, t->count, sizeof *top, cmp_top);
        nt = t->count < ntop ? t->count : (size_t)ntop;
    }
    double now = (double)time(NULL);

    if (json) {
        cli_json j;
        cli_json_init(&j, stdout, true);
        cli_json_obj_begin(&j);
        cli_json_key(&j, "hostname"); cli_json_str(&j, host);
        cli_json_key(&j, "version"); cli_json_str(&j, ps_version());
        cli_json_key(&j, "boot_time");
        if (rc_boot) cli_json_null(&j); else cli_json_double(&j, boot);
        cli_json_key(&j, "uptime");
        if (rc_boot) cli_json_null(&j); else cli_json_double(&j, now - boot);
        cli_json_key(&j, "cpu_count");
        if (rc_ncpu) cli_json_null(&j); else cli_json_int(&j, ncpu);
        cli_json_key(&j, "cpu_percent");
        if (rc_cpu) cli_json_null(&j); else cli_json_double(&j, cpu_pct);
        cli_json_key(&j, "getloadavg");
        if (rc_load) cli_json_null(&j);
        else {
            cli_json_arr_begin(&j);
            for (int i = 0; i < 3; i++) cli_json_double(&j, load[i]);
            cli_json_arr_end(&j);
        }
        cli_json_key(&j, "virtual_memory");
        if (rc_vm) cli_json_null(&j); else cli_json_vmem(&j, &vm);
        cli_json_key(&j, "swap_memory");
        if (rc_sw) cli_json_null(&j); else cli_json_swap(&j, &sw);
        cli_json_key(&j, "disks");
        if (rc_parts) cli_json_null(&j);
        else {
            cli_json_arr_begin(&j);
            for (size_t i = 0; i < parts->count; i++) {
                ps_diskusage u;
                cli_json_obj_begin(&j);
                cli_json_key(&j, "device"); cli_json_str(&j, parts->items[i].device);
                cli_json_key(&j, "mountpoint"); cli_json_str(&j, parts->items[i].mountpoint);
                cli_json_key(&j, "fstype"); cli_json_str(&j, parts->items[i].fstype);
                cli_json_key(&j, "opts"); cli_json_str(&j, parts->items[i].opts);
                cli_json_key(&j, "usage");
                if (ps_disk_usage(parts->items[i].mountpoint, &u) == 0)
                    cli_json_disk_usage(&j, &u);
                else
                    cli_json_null(&j);
                cli_json_obj_end(&j);
            }
            cli_json_arr_end(&j);
        }
        cli_json_key(&j, "processes");
        if (rc_pt) cli_json_null(&j);
        else {
            cli_json_arr_begin(&j);
            cli_proc_extra ex;
            for (size_t k = 0; k < nt; k++) {
                ex.have_cpu_percent = !isnan(top[k].cpu);
                ex.cpu_percent = top[k].cpu;
                ex.mem_total = rc_vm ? 0 : vm.total;
                cli_record_json(&j, &t->records[top[k].idx], t->fields, &ex);
            }
            cli_json_arr_end(&j);
        }
        cli_json_obj_end(&j);
        cli_json_end(&j);
    } else {
        char b1[64], b2[32], b3[32];
        char *h = cli_sanitize(host);
        printf("host      %s (libpsinfo %s)\n", h, ps_version());
        free(h);
        if (rc_boot == 0) {
            cli_fmt_duration(now - boot, b1, sizeof b1);
            char bt[64];
            cli_fmt_time(boot, bt, sizeof bt);
            printf("uptime    %s (booted %s)\n", b1, bt);
        }
        if (rc_cpu == 0) {
            printf("cpu       %.1f%% of %d CPUs", cpu_pct, rc_ncpu ? 0 : (int)ncpu);
            if (rc_load == 0) printf(", load %.2f %.2f %.2f", load[0], load[1], load[2]);
            printf("\n");
        }
        if (rc_vm == 0) {
            cli_bytes2human(vm.used, b1, sizeof b1);
            cli_bytes2human(vm.total, b2, sizeof b2);
            cli_bytes2human(vm.available, b3, sizeof b3);
            printf("memory    %s used of %s (%.1f%%), %s available\n", b1, b2, vm.percent, b3);
        }
        if (rc_sw == 0) {
            cli_bytes2human(sw.used, b1, sizeof b1);
            cli_bytes2human(sw.total, b2, sizeof b2);
            printf("swap      %s used of %s (%.1f%%)\n", b1, b2, sw.percent);
        }
        int width = cli_term_width();
        if (rc_parts == 0 && parts->count) {
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
        if (rc_pt == 0 && nt) {
            printf("\n");
            cli_table *tb = cli_table_new(6);
            cli_table_col(tb, 0, "PID", CLI_RIGHT, false);
            cli_table_col(tb, 1, "USER", CLI_LEFT, true);
            cli_table_col(tb, 2, "%CPU", CLI_RIGHT, false);
            cli_table_col(tb, 3, "%MEM", CLI_RIGHT, false);
            cli_table_col(tb, 4, "RSS", CLI_RIGHT, false);
            cli_table_col(tb, 5, "COMMAND", CLI_LEFT, true);
            for (size_t k = 0; k < nt; k++) {
                const ps_ptable_record *r = &t->records[top[k].idx];
                cli_table_row(tb);
                cli_table_cellf(tb, 0, "%" PRId64, r->pid);
                cli_table_cell(tb, 1, (r->present & PS_PT_BIT(PS_PT_USERNAME)) ? r->username
                                                                             : "?");
                if (!isnan(top[k].cpu)) cli_table_cellf(tb, 2, "%.1f", top[k].cpu);
                if (r->present & PS_PT_BIT(PS_PT_MEMORY_INFO)) {
                    if (rc_vm == 0)
                        cli_table_cellf(tb, 3, "%.1f",
                                        (double)r->memory_info.rss * 100.0 / (double)vm.total);
                    cli_bytes2human(r->memory_info.rss, b1, sizeof b1);
                    cli_table_cell(tb, 4, b1);
                }
                char *command = cli_record_command(r);
                cli_table_cell(tb, 5, command);
                free(command);
            }
            cli_table_print(tb, stdout, width);
        }
    }
    free(top);
    free(pct);
    ps_ptable_free(t);
    ps_disk_partition_list_free(parts);
    return 0;
}

const cli_cmd cli_cmd_overview = {
    "", "[--interval S] [--top N] [--json]",
    "Overview: host, uptime, CPU, memory, disks and the busiest processes.", NULL,
    overview_opts, 0, 0, run_overview,
};
