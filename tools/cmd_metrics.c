/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — psinfo metrics: system and per-process figures in the Prometheus text exposition
 * format, for a scrape (e.g. node_exporter's textfile collector, or a tiny HTTP wrapper).
 * Conventions: names psinfo_<area>_<what>_<unit>, base units (seconds, bytes), counters end in
 * _total, every family has HELP and TYPE, per-process series carry pid and name labels.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include "cli.h"
#include "metrics.h"
#include "procout.h"
#include "sysout.h"

static const cli_opt metrics_opts[] = {
    { "no-processes", 'P', NULL, "leave out the per-process series (= --processes none)" },
    { "processes", 0, "MODE", "per-process series: all (default), none, top:N, name, user, cgroup" },
    { "textfile", 0, "PATH", "write to PATH atomically (node_exporter's textfile collector)" },
    { NULL, 0, NULL, NULL },
};

#define SAMPLE0(p, name, v) cli_prom_sample((p), (name), (double)(v), (const char *)NULL)

static void cpu_metrics(cli_prom *p)
{
    ps_cputimes_list *per = NULL;
    if (ps_cpu_times_percpu(&per) == 0) {
        cli_prom_family(p, "psinfo_cpu_seconds_total", "counter",
                        "Seconds the CPUs spent in each mode (guest time is included in user "
                        "and nice).");
        for (size_t i = 0; i < per->count; i++) {
            char cpu[24];
            double v[CLI_CPU_FIELDS];
            snprintf(cpu, sizeof cpu, "%zu", i);
            cli_cpu_times_fields(&per->items[i], v);
            /* the modes the platform has; guest times are already in user and nice */
            for (int f = 0; f < CLI_CPU_FIELDS; f++)
                if (f != 8 && f != 9 && !isnan(v[f]))
                    cli_prom_sample(p, "psinfo_cpu_seconds_total", v[f], "cpu", cpu, "mode",
                                    cli_cpu_field_name(f), (const char *)NULL);
        }
        ps_cputimes_list_free(per);
    }
    int32_t n;
    if (ps_cpu_count_logical(&n) == 0) {
        cli_prom_family(p, "psinfo_cpu_logical_cpus", "gauge", "Logical CPUs online.");
        SAMPLE0(p, "psinfo_cpu_logical_cpus", n);
    }
    if (ps_cpu_count_physical(&n) == 0) {
        cli_prom_family(p, "psinfo_cpu_physical_cores", "gauge", "Physical CPU cores.");
        SAMPLE0(p, "psinfo_cpu_physical_cores", n);
    }
    ps_cpustats st;
    if (ps_cpu_stats(&st) == 0) {
        cli_prom_family(p, "psinfo_context_switches_total", "counter",
                        "Context switches since boot.");
        SAMPLE0(p, "psinfo_context_switches_total", st.ctx_switches);
        cli_prom_family(p, "psinfo_interrupts_total", "counter", "Interrupts since boot.");
        SAMPLE0(p, "psinfo_interrupts_total", st.interrupts);
        cli_prom_family(p, "psinfo_soft_interrupts_total", "counter",
                        "Soft interrupts since boot.");
        if (st.soft_interrupts != PS_UNKNOWN_U64)   /* Windows does not count them */
            SAMPLE0(p, "psinfo_soft_interrupts_total", st.soft_interrupts);
    }
    ps_cpufreq_list *fl = NULL;
    if (ps_cpu_freq_percpu(&fl) == 0) {
        cli_prom_family(p, "psinfo_cpu_frequency_hertz", "gauge", "Current CPU frequency.");
        for (size_t i = 0; i < fl->count; i++) {
            char cpu[24];
            snprintf(cpu, sizeof cpu, "%zu", i);
            cli_prom_sample(p, "psinfo_cpu_frequency_hertz", fl->items[i].current * 1e6, "cpu",
                            cpu, (const char *)NULL);
        }
        ps_cpufreq_list_free(fl);
    }
    double load[3];
    if (ps_getloadavg(load) == 0) {
        static const char *const names[3] = { "psinfo_load1", "psinfo_load5", "psinfo_load15" };
        static const char *const help[3] = { "1-minute load average.", "5-minute load average.",
                                             "15-minute load average." };
        for (int i = 0; i < 3; i++) {
            cli_prom_family(p, names[i], "gauge", help[i]);
            SAMPLE0(p, names[i], load[i]);
        }
    }
    double boot;
    if (ps_boot_time(&boot) == 0) {
        cli_prom_family(p, "psinfo_boot_time_seconds", "gauge",
                        "System boot time, seconds since the epoch.");
        SAMPLE0(p, "psinfo_boot_time_seconds", boot);
    }
}

static void memory_metrics(cli_prom *p)
{
    ps_vmem vm;
    if (ps_virtual_memory(&vm) == 0) {
        struct {
            const char *name, *help;
            uint64_t v;
        } m[] = {
            { "psinfo_memory_total_bytes", "Total physical memory.", vm.total },
            { "psinfo_memory_available_bytes",
              "Memory available to new programs without swapping.", vm.available },
            { "psinfo_memory_used_bytes", "Memory used (total - available).", vm.used },
            { "psinfo_memory_free_bytes", "Memory not used at all.", vm.free },
            { "psinfo_memory_active_bytes", "Memory recently used.", vm.active },
            { "psinfo_memory_inactive_bytes", "Memory not recently used.", vm.inactive },
            { "psinfo_memory_buffers_bytes", "Memory in file-system metadata buffers.",
              vm.buffers },
            { "psinfo_memory_cached_bytes", "Memory in the page cache (and reclaimable slab).",
              vm.cached },
            { "psinfo_memory_shared_bytes", "Shared memory (tmpfs).", vm.shared },
            { "psinfo_memory_slab_bytes", "Kernel slab memory.", vm.slab },
        };
        for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
            if (m[i].v == PS_UNKNOWN_U64) continue;   /* the kernel does not report it */
            cli_prom_family(p, m[i].name, "gauge", m[i].help);
            SAMPLE0(p, m[i].name, m[i].v);
        }
    }
    ps_swapmem sw;
    if (ps_swap_memory(&sw) == 0) {
        cli_prom_family(p, "psinfo_swap_total_bytes", "gauge", "Total swap space.");
        SAMPLE0(p, "psinfo_swap_total_bytes", sw.total);
        cli_prom_family(p, "psinfo_swap_used_bytes", "gauge", "Swap space used.");
        SAMPLE0(p, "psinfo_swap_used_bytes", sw.used);
        cli_prom_family(p, "psinfo_swap_free_bytes", "gauge", "Swap space free.");
        SAMPLE0(p, "psinfo_swap_free_bytes", sw.free);
        if (sw.sin != PS_UNKNOWN_U64 && sw.sout != PS_UNKNOWN_U64) {
            cli_prom_family(p, "psinfo_swap_in_bytes_total", "counter",
                            "Bytes swapped in since boot.");
            SAMPLE0(p, "psinfo_swap_in_bytes_total", sw.sin);
            cli_prom_family(p, "psinfo_swap_out_bytes_total", "counter",
                            "Bytes swapped out since boot.");
            SAMPLE0(p, "psinfo_swap_out_bytes_total", sw.sout);
        }
    }
}

static void disk_metrics(cli_prom *p)
{
    ps_disk_partition_list *parts = NULL;
    if (ps_disk_partitions(0, &parts) == 0) {
        size_t n = parts->count;
        ps_diskusage *u = cli_xmalloc(sizeof *u * (n ? n : 1));
        bool *ok = cli_xmalloc(n ? n : 1);
        for (size_t i = 0; i < n; i++) ok[i] = ps_disk_usage(parts->items[i].mountpoint, &u[i]) == 0;
        static const char *const names[3] = { "psinfo_filesystem_size_bytes",
                                              "psinfo_filesystem_used_bytes",
                                              "psinfo_filesystem_free_bytes" };
        static const char *const help[3] = {
            "Filesystem size.", "Filesystem space used.",
            "Filesystem space available to unprivileged users (as df)." };
        for (int k = 0; k < 3; k++) {
            cli_prom_family(p, names[k], "gauge", help[k]);
            for (size_t i = 0; i < n; i++) {
                if (!ok[i]) continue;
                uint64_t v = k == 0 ? u[i].total : k == 1 ? u[i].used : u[i].free;
                cli_prom_sample(p, names[k], (double)v, "device", parts->items[i].device,
                                "mountpoint", parts->items[i].mountpoint, "fstype",
                                parts->items[i].fstype, (const char *)NULL);
            }
        }
        free(u);
        free(ok);
        ps_disk_partition_list_free(parts);
    }
    ps_diskio_list *io = NULL;
    if (ps_disk_io_counters_perdisk(&io) == 0) {
        struct {
            const char *name, *help;
            int which;
        } f[] = {
            { "psinfo_disk_reads_completed_total", "Reads completed.", 0 },
            { "psinfo_disk_writes_completed_total", "Writes completed.", 1 },
            { "psinfo_disk_read_bytes_total", "Bytes read.", 2 },
            { "psinfo_disk_written_bytes_total", "Bytes written.", 3 },
            { "psinfo_disk_read_time_seconds_total", "Seconds spent reading.", 4 },
            { "psinfo_disk_write_time_seconds_total", "Seconds spent writing.", 5 },
            { "psinfo_disk_io_time_seconds_total", "Seconds the disk was busy.", 6 },
        };
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
            cli_prom_family(p, f[k].name, "counter", f[k].help);
            for (size_t i = 0; i < io->count; i++) {
                const ps_diskio *c = &io->items[i].counters;
                if (f[k].which == 6 && c->busy_time == PS_UNKNOWN_U64) continue;   /* macOS */
                double v = f[k].which == 0 ? (double)c->read_count
                         : f[k].which == 1 ? (double)c->write_count
                         : f[k].which == 2 ? (double)c->read_bytes
                         : f[k].which == 3 ? (double)c->write_bytes
                         : f[k].which == 4 ? (double)c->read_time / 1000.0
                         : f[k].which == 5 ? (double)c->write_time / 1000.0
                                           : (double)c->busy_time / 1000.0;
                cli_prom_sample(p, f[k].name, v, "disk", io->items[i].name, (const char *)NULL);
            }
        }
        ps_diskio_list_free(io);
    }
}

static void net_metrics(cli_prom *p)
{
    ps_netio_list *io = NULL;
    if (ps_net_io_counters_pernic(&io) != 0) return;
    struct {
        const char *name, *help;
        int which;
    } f[] = {
        { "psinfo_network_receive_bytes_total", "Bytes received.", 0 },
        { "psinfo_network_transmit_bytes_total", "Bytes sent.", 1 },
        { "psinfo_network_receive_packets_total", "Packets received.", 2 },
        { "psinfo_network_transmit_packets_total", "Packets sent.", 3 },
        { "psinfo_network_receive_errors_total", "Receive errors.", 4 },
        { "psinfo_network_transmit_errors_total", "Transmit errors.", 5 },
        { "psinfo_network_receive_drop_total", "Incoming packets dropped.", 6 },
        { "psinfo_network_transmit_drop_total", "Outgoing packets dropped.", 7 },
    };
    for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
        cli_prom_family(p, f[k].name, "counter", f[k].help);
        for (size_t i = 0; i < io->count; i++) {
            const ps_netio *c = &io->items[i].counters;
            uint64_t v[8] = { c->bytes_recv, c->bytes_sent, c->packets_recv, c->packets_sent,
                              c->errin, c->errout, c->dropin, c->dropout };
            if (v[f[k].which] == PS_UNKNOWN_U64) continue;   /* not counted here (macOS drops) */
            cli_prom_sample(p, f[k].name, (double)v[f[k].which], "device", io->items[i].name,
                            (const char *)NULL);
        }
    }
    ps_netio_list_free(io);
}

static void sensor_metrics(cli_prom *p)
{
    ps_temperature_list *t = NULL;
    if (ps_sensors_temperatures(&t) == 0) {
        if (t->count) {
            cli_prom_family(p, "psinfo_temperature_celsius", "gauge", "Sensor temperature.");
            for (size_t i = 0; i < t->count; i++) {
                char idx[24];
                snprintf(idx, sizeof idx, "%zu", i);
                /* the index keeps series unique when a unit repeats a label */
                cli_prom_sample(p, "psinfo_temperature_celsius", t->items[i].current, "sensor",
                                t->items[i].unit, "label", t->items[i].label, "index", idx,
                                (const char *)NULL);
            }
        }
        ps_temperature_list_free(t);
    }
    ps_fan_list *fans = NULL;
    if (ps_sensors_fans(&fans) == 0) {
        if (fans->count) {
            cli_prom_family(p, "psinfo_fan_speed_rpm", "gauge", "Fan speed.");
            for (size_t i = 0; i < fans->count; i++) {
                char idx[24];
                snprintf(idx, sizeof idx, "%zu", i);
                cli_prom_sample(p, "psinfo_fan_speed_rpm", (double)fans->items[i].current,
                                "sensor", fans->items[i].unit, "label", fans->items[i].label,
                                "index", idx, (const char *)NULL);
            }
        }
        ps_fan_list_free(fans);
    }
    ps_battery b;
    if (ps_sensors_battery(&b) == 0 && b.present) {
        cli_prom_family(p, "psinfo_battery_ratio", "gauge", "Battery charge (0 to 1).");
        SAMPLE0(p, "psinfo_battery_ratio", b.percent / 100.0);
        if (b.power_plugged != PS_UNKNOWN_I32) {
            cli_prom_family(p, "psinfo_battery_power_plugged", "gauge",
                            "1 when on external power.");
            SAMPLE0(p, "psinfo_battery_power_plugged", b.power_plugged);
        }
    }
    ps_user_list *u = NULL;
    if (ps_users(&u) == 0) {
        cli_prom_family(p, "psinfo_users_logged_in", "gauge", "Login sessions (utmp).");
        SAMPLE0(p, "psinfo_users_logged_in", u->count);
        ps_user_list_free(u);
    }
}

/* ---- per-process series: all, none, top-N by CPU, or grouped -------------------------- */

bool cli_metrics_parse_mode(const char *s, cli_metrics_mode *m)
{
    static const char *const names[] = { "all", "none", "top", "name", "user", "cgroup" };
    m->top_n = 0;
    for (int i = 0; i < 6; i++) {
        if (strcmp(s, names[i]) == 0 && i != CLI_PROC_TOP) {
            m->kind = (cli_proc_kind)i;
            return true;
        }
    }
    uint64_t n;
    if (strncmp(s, "top:", 4) == 0 && cli_parse_uint(s + 4, &n) && n > 0 && n <= 100000) {
        m->kind = CLI_PROC_TOP;
        m->top_n = (size_t)n;
        return true;
    }
    return false;
}

uint64_t cli_metrics_fields(const cli_metrics_mode *m)
{
    uint64_t f = PS_PT_BIT(PS_PT_NAME) | PS_PT_BIT(PS_PT_STATUS) | PS_PT_BIT(PS_PT_CPU_TIMES) |
                 PS_PT_BIT(PS_PT_MEMORY_INFO) | PS_PT_BIT(PS_PT_NUM_THREADS) |
                 PS_PT_BIT(PS_PT_CREATE_TIME);
    if (m->kind == CLI_PROC_ALL) f |= PS_PT_BIT(PS_PT_NUM_CTX_SWITCHES) | PS_PT_BIT(PS_PT_NUM_FDS);
    if (m->kind == CLI_PROC_USER) f |= PS_PT_BIT(PS_PT_USERNAME);
    return f;
}

static void status_counts(cli_prom *p, const ps_ptable *t)
{
    size_t counts[PS_STATUS_UNKNOWN + 1];
    memset(counts, 0, sizeof counts);
    for (size_t i = 0; i < t->count; i++)
        if (t->records[i].present & PS_PT_BIT(PS_PT_STATUS) &&
            t->records[i].status >= 0 && t->records[i].status <= PS_STATUS_UNKNOWN)
            counts[t->records[i].status]++;
    cli_prom_family(p, "psinfo_processes", "gauge", "Processes by status.");
    for (int s = 0; s <= PS_STATUS_UNKNOWN; s++)
        if (counts[s])
            cli_prom_sample(p, "psinfo_processes", (double)counts[s], "status",
                            ps_process_status_name((ps_process_status)s), (const char *)NULL);
}

/* One gauge family over the chosen records. */
typedef double (*rec_value)(const ps_ptable_record *r, const ps_scan *sc, size_t i);
static double v_rss(const ps_ptable_record *r, const ps_scan *sc, size_t i) { (void)sc, (void)i; return (double)r->memory_info.rss; }
static double v_vms(const ps_ptable_record *r, const ps_scan *sc, size_t i) { (void)sc, (void)i; return (double)r->memory_info.vms; }
static double v_threads(const ps_ptable_record *r, const ps_scan *sc, size_t i) { (void)sc, (void)i; return (double)r->num_threads; }
static double v_fds(const ps_ptable_record *r, const ps_scan *sc, size_t i) { (void)sc, (void)i; return (double)r->num_fds; }
static double v_start(const ps_ptable_record *r, const ps_scan *sc, size_t i) { (void)sc, (void)i; return r->create_time; }
static double v_pct(const ps_ptable_record *r, const ps_scan *sc, size_t i) { (void)r; return sc->cpu_percent[i]; }

static void per_process_family(cli_prom *p, const ps_scan *sc, const size_t *idx, size_t n, int bit,
                               const char *name, const char *help, rec_value v)
{
    const ps_ptable *t = sc->table;
    cli_prom_family(p, name, "gauge", help);
    for (size_t k = 0; k < n; k++) {
        const ps_ptable_record *r = &t->records[idx[k]];
        if (bit >= 0 && !(r->present & PS_PT_BIT(bit))) continue;
        char pid[32];
        snprintf(pid, sizeof pid, "%" PRId64, r->pid);
        cli_prom_sample(p, name, v(r, sc, idx[k]), "pid", pid, "name",
                        (r->present & PS_PT_BIT(PS_PT_NAME)) ? r->name : "", (const char *)NULL);
    }
}

/* A counter with a second label (mode / type) per process. */
static void per_process_pair(cli_prom *p, const ps_scan *sc, const size_t *idx, size_t n, int bit,
                             const char *name, const char *help, const char *label,
                             const char *l1, const char *l2, int ctx)
{
    cli_prom_family(p, name, "counter", help);
    for (size_t k = 0; k < n; k++) {
        const ps_ptable_record *r = &sc->table->records[idx[k]];
        if (!(r->present & PS_PT_BIT(bit))) continue;
        char pid[32];
        snprintf(pid, sizeof pid, "%" PRId64, r->pid);
        const char *nm = (r->present & PS_PT_BIT(PS_PT_NAME)) ? r->name : "";
        double a = ctx ? (double)r->num_ctx_switches.voluntary : r->cpu_times.user;
        double b = ctx ? (double)r->num_ctx_switches.involuntary : r->cpu_times.system;
        cli_prom_sample(p, name, a, "pid", pid, "name", nm, label, l1, (const char *)NULL);
        /* no involuntary series where the OS counts one kind only */
        if (!(ctx && r->num_ctx_switches.involuntary == PS_UNKNOWN_U64))
            cli_prom_sample(p, name, b, "pid", pid, "name", nm, label, l2, (const char *)NULL);
    }
}

static void process_series(cli_prom *p, const ps_scan *sc, const size_t *idx, size_t n, bool top)
{
    per_process_pair(p, sc, idx, n, PS_PT_CPU_TIMES, "psinfo_process_cpu_seconds_total",
                     "CPU seconds used by the process, by mode.", "mode", "user", "system", 0);
    per_process_family(p, sc, idx, n, PS_PT_MEMORY_INFO, "psinfo_process_resident_memory_bytes",
                       "Resident set size of the process.", v_rss);
    per_process_family(p, sc, idx, n, PS_PT_MEMORY_INFO, "psinfo_process_virtual_memory_bytes",
                       "Virtual memory size of the process.", v_vms);
    per_process_family(p, sc, idx, n, PS_PT_NUM_THREADS, "psinfo_process_threads",
                       "Threads of the process.", v_threads);
    if (sc->table->fields & PS_PT_BIT(PS_PT_NUM_FDS))
        per_process_family(p, sc, idx, n, PS_PT_NUM_FDS, "psinfo_process_open_fds",
                           "Open file descriptors.", v_fds);
    if (sc->table->fields & PS_PT_BIT(PS_PT_NUM_CTX_SWITCHES))
        per_process_pair(p, sc, idx, n, PS_PT_NUM_CTX_SWITCHES, "psinfo_process_context_switches_total",
                         "Context switches of the process.", "type", "voluntary", "involuntary", 1);
    per_process_family(p, sc, idx, n, PS_PT_CREATE_TIME, "psinfo_process_start_time_seconds",
                       "Start time of the process, seconds since the epoch.", v_start);
    if (top)
        per_process_family(p, sc, idx, n, -1, "psinfo_process_cpu_percent",
                           "CPU use since the previous scrape, percent of one CPU.", v_pct);
}

static const ps_scan *sort_scan;
static int by_cpu_desc(const void *a, const void *b)
{
    double x = sort_scan->cpu_percent[*(const size_t *)a], y = sort_scan->cpu_percent[*(const size_t *)b];
    if (isnan(x)) x = -1;
    if (isnan(y)) y = -1;
    return (x < y) - (x > y);
}

void cli_metrics_write(cli_prom *p, const cli_metrics_mode *m, const ps_scan *sc, cli_groups_state *groups)
{
    cpu_metrics(p);
    memory_metrics(p);
    disk_metrics(p);
    net_metrics(p);
    sensor_metrics(p);
    if (!sc) return;
    status_counts(p, sc->table);
    if (m->kind == CLI_PROC_NONE) return;
    if (m->kind >= CLI_PROC_NAME) {
        cli_metrics_groups(p, m, sc, groups);
        return;
    }
    size_t n = sc->table->count;
    size_t *idx = cli_xmalloc((n ? n : 1) * sizeof *idx);
    for (size_t i = 0; i < n; i++) idx[i] = i;
    if (m->kind == CLI_PROC_TOP) {
        /* one scrape at a time writes (the caller's lock): a file-scope comparator context */
        sort_scan = sc;
        qsort(idx, n, sizeof *idx, by_cpu_desc);
        if (n > m->top_n) n = m->top_n;
    }
    process_series(p, sc, idx, n, m->kind == CLI_PROC_TOP);
    free(idx);
}

/* Write to `path` atomically: a temporary file in the same directory, then rename. */
static int write_textfile(const char *path, const cli_metrics_mode *m, const ps_scan *sc)
{
    char *tmp = cli_xasprintf("%s.%ld.tmp", path, (long)cli_getpid());
    FILE *f = fopen(tmp, "wb");   /* "b": Windows would end lines with CRLF */
    if (!f) {
        fprintf(stderr, "psinfo: %s: %s\n", tmp, strerror(errno));
        free(tmp);
        return CLI_EXIT_ERROR;
    }
    cli_prom p;
    cli_prom_init(&p, f);
    cli_metrics_write(&p, m, sc, NULL);
    int bad = ferror(f) | (fflush(f) != 0) | cli_fsync(f) | (fclose(f) != 0);
    if (bad || cli_rename_over(tmp, path) != 0) {
        fprintf(stderr, "psinfo: writing %s: %s\n", path, strerror(errno));
        remove(tmp);
        free(tmp);
        return CLI_EXIT_ERROR;
    }
    free(tmp);
    return 0;
}

static int run_metrics(const cli_cmd *cmd, const cli_args *a)
{
    cli_metrics_mode m = { CLI_PROC_ALL, 0 };
    const char *mode = cli_value(cmd, a, "processes");
    if (cli_flag(cmd, a, "no-processes")) m.kind = CLI_PROC_NONE;
    else if (mode && !cli_metrics_parse_mode(mode, &m))
        return cli_usage_error(cmd, "--processes: expected all, none, top:N, name, user or cgroup");
    ps_scanner *s = NULL;
    ps_scan *sc = NULL;
    if (ps_scanner_new(cli_metrics_fields(&m), PS_SCANNER_NO_KEEP, &s) == 0) ps_scanner_scan(s, &sc);
    const char *textfile = cli_value(cmd, a, "textfile");
    int rc = 0;
    if (textfile) {
        rc = write_textfile(textfile, &m, sc);
    } else {
        cli_prom p;
#ifdef _WIN32
        /* the exposition's lines end in \n; a text-mode stdout writes \r\n, which promtool and
         * Prometheus reject ("unknown metric type \"counter\r\"") */
        fflush(stdout);
        _setmode(_fileno(stdout), _O_BINARY);
#endif
        cli_prom_init(&p, stdout);
        cli_metrics_write(&p, &m, sc, NULL);
    }
    ps_scan_free(sc);
    ps_scanner_free(s);
    return rc;
}

const cli_cmd cli_cmd_metrics = {
    "metrics", "[--processes MODE] [--textfile PATH]",
    "System and per-process metrics in the Prometheus text format.",
    "Counters end in _total; units are seconds and bytes; per-process series have pid and\n"
    "name labels (all, top:N by CPU), or group labels (name, user, cgroup: bounded series, as\n"
    "process-exporter). Check with: psinfo metrics | promtool check metrics",
    metrics_opts, 0, 0, run_metrics,
};
