/* SPDX-License-Identifier: MIT */
/* psinfo CLI — system commands: mem, cpu, disks, sensors, users. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sysout.h"

static const cli_opt json_only_opts[] = {
    { "json", 'j', NULL, "print as JSON (psutil's field names)" },
    { NULL, 0, NULL, NULL },
};

/* ---- JSON shapes shared with the overview and metrics ----------------------------------- */

/* psutil's value for a figure the OS does not give: 0 (cli_json_uint_or_zero; psutil warns
 * for virtual_memory and swap_memory fields), 0.0 for cpu_freq bounds. */
static double psutil0d(double v) { return isnan(v) ? 0.0 : v; }

void cli_json_vmem(cli_json *j, const ps_vmem *m)
{
    cli_json_obj_begin(j);
    cli_json_key(j, "total"); cli_json_uint(j, m->total);
    cli_json_key(j, "available"); cli_json_uint(j, m->available);
    cli_json_key(j, "percent"); cli_json_double(j, m->percent);
    cli_json_key(j, "used"); cli_json_uint(j, m->used);
    cli_json_key(j, "free"); cli_json_uint(j, m->free);
    /* a field the platform does not have (PS_UNKNOWN_U64) is absent, as from psutil's tuple;
     * Linux's tuple always has the first six, 0 when the kernel does not report one (psutil
     * warns) */
    static const char *const names[7] = {"active", "inactive", "buffers", "cached", "shared", "slab", "wired"};
    const uint64_t v[7] = {m->active, m->inactive, m->buffers, m->cached, m->shared, m->slab, m->wired};
    int linux_fields = ps_platform() == PS_PLATFORM_LINUX ? 6 : 0;
    for (int i = 0; i < 7; i++) {
        if (i < linux_fields) {
            cli_json_key(j, names[i]);
            cli_json_uint_or_zero(j, v[i]);
            continue;
        }
        if (v[i] == PS_UNKNOWN_U64) continue;
        cli_json_key(j, names[i]);
        cli_json_uint(j, v[i]);
    }
    cli_json_obj_end(j);
}

void cli_json_swap(cli_json *j, const ps_swapmem *s)
{
    cli_json_obj_begin(j);
    cli_json_key(j, "total"); cli_json_uint(j, s->total);
    cli_json_key(j, "used"); cli_json_uint(j, s->used);
    cli_json_key(j, "free"); cli_json_uint(j, s->free);
    cli_json_key(j, "percent"); cli_json_double(j, s->percent);
    cli_json_key(j, "sin"); cli_json_uint_or_zero(j, s->sin);   /* psutil 0 when unknown */
    cli_json_key(j, "sout"); cli_json_uint_or_zero(j, s->sout);
    cli_json_obj_end(j);
}

/* The columns of ps_cputimes in storage order (/proc/stat's, then Windows' dpc), psutil's names. */
static const char *const cpu_field_names[CLI_CPU_FIELDS] = {
    "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest", "guest_nice",
    "dpc",
};

void cli_cpu_times_fields(const ps_cputimes *t, double v[CLI_CPU_FIELDS])
{
    v[0] = t->user; v[1] = t->nice; v[2] = t->system; v[3] = t->idle; v[4] = t->iowait;
    v[5] = t->irq; v[6] = t->softirq; v[7] = t->steal; v[8] = t->guest; v[9] = t->guest_nice;
    v[10] = t->dpc;
}

const char *cli_cpu_field_name(int i)
{
    return cpu_field_names[i];
}

/* psutil 8's order (gh-2747): user, system, idle first, then the rest in storage order. A
 * column the platform lacks (NaN) is not in psutil's tuple there, so it is left out: Linux
 * keeps its kernel's columns, Windows has user, system, idle, irq, dpc, macOS user, system,
 * idle, nice. */
static void json_cpu_fields(cli_json *j, const double v[CLI_CPU_FIELDS])
{
    static const int order8[CLI_CPU_FIELDS] = {0, 2, 3, 1, 4, 5, 6, 7, 8, 9, 10};
    cli_json_obj_begin(j);
    for (int k = 0; k < CLI_CPU_FIELDS; k++) {
        int i = order8[k];
        if (isnan(v[i])) continue;
        cli_json_key(j, cpu_field_names[i]);
        cli_json_double(j, v[i]);
    }
    cli_json_obj_end(j);
}

void cli_json_cpu_times(cli_json *j, const ps_cputimes *t)
{
    double v[CLI_CPU_FIELDS];
    cli_cpu_times_fields(t, v);
    json_cpu_fields(j, v);
}

void cli_json_disk_usage(cli_json *j, const ps_diskusage *u)
{
    cli_json_obj_begin(j);
    cli_json_key(j, "total"); cli_json_uint(j, u->total);
    cli_json_key(j, "used"); cli_json_uint(j, u->used);
    cli_json_key(j, "free"); cli_json_uint(j, u->free);
    cli_json_key(j, "percent"); cli_json_double(j, u->percent);
    cli_json_obj_end(j);
}

/* ---- psinfo mem ---------------------------------------------------------------------------- */

static int run_mem(const cli_cmd *cmd, const cli_args *a)
{
    ps_vmem vm;
    ps_swapmem sw;
    int rc = ps_virtual_memory(&vm);
    if (rc) return cli_lib_error(rc, "virtual memory");
    rc = ps_swap_memory(&sw);
    /* no source for swap (Windows without the page-file counter): the rest still answers */
    bool have_swap = rc == 0;
    if (rc && rc != PS_ENOTSUP) return cli_lib_error(rc, "swap memory");
    if (cli_flag(cmd, a, "json")) {
        cli_json j;
        cli_json_init(&j, stdout, true);
        cli_json_obj_begin(&j);
        cli_json_key(&j, "virtual_memory");
        cli_json_vmem(&j, &vm);
        cli_json_key(&j, "swap_memory");
        if (have_swap) cli_json_swap(&j, &sw); else cli_json_null(&j);
        cli_json_obj_end(&j);
        cli_json_end(&j);
        return 0;
    }
    char b[8][32];
    cli_table *t = cli_table_new(8);
    const char *hdr[8] = { "", "total", "used", "free", "shared", "buffers", "cache",
                           "available" };
    for (int c = 0; c < 8; c++) cli_table_col(t, c, hdr[c], c ? CLI_RIGHT : CLI_LEFT, false);
    uint64_t mv[7] = { vm.total, vm.used, vm.free, vm.shared, vm.buffers, vm.cached,
                       vm.available };
    cli_table_row(t);
    cli_table_cell(t, 0, "Mem:");
    for (int c = 0; c < 7; c++) {
        if (mv[c] == PS_UNKNOWN_U64) snprintf(b[c], sizeof b[c], "-");   /* not on this platform */
        else cli_bytes2human(mv[c], b[c], sizeof b[c]);
        cli_table_cell(t, c + 1, b[c]);
    }
    cli_table_row(t);
    cli_table_cell(t, 0, "Swap:");
    uint64_t sv[3] = { sw.total, sw.used, sw.free };
    for (int c = 0; c < 3; c++) {
        if (have_swap) cli_bytes2human(sv[c], b[c], sizeof b[c]);
        else snprintf(b[c], sizeof b[c], "n/a");
        cli_table_cell(t, c + 1, b[c]);
    }
    cli_table_print(t, stdout, cli_term_width());
    if (!have_swap) {
        printf("\nmemory used %.1f%%, swap not available on this system\n", vm.percent);
        return 0;
    }
    printf("\nmemory used %.1f%%, swap used %.1f%%", vm.percent, sw.percent);
    char si[32], so[32];
    if (sw.sin != PS_UNKNOWN_U64 && sw.sout != PS_UNKNOWN_U64) {
        cli_bytes2human(sw.sin, si, sizeof si);
        cli_bytes2human(sw.sout, so, sizeof so);
        printf(" (swapped in %s, out %s since boot)\n", si, so);
    } else {
        printf("\n");
    }
    return 0;
}

const cli_cmd cli_cmd_mem = {
    "mem", "[--json]", "Memory and swap usage (like free).",
    "JSON: {\"virtual_memory\": psutil.virtual_memory(), \"swap_memory\": psutil.swap_memory()}"
    " as objects.",
    json_only_opts, 0, 0, run_mem,
};

/* ---- psinfo cpu ---------------------------------------------------------------------------- */

static const cli_opt cpu_opts[] = {
    { "json", 'j', NULL, "print as JSON (psutil's field names)" },
    { "interval", 'i', "S", "measure usage over S seconds (default 0.5)" },
    { NULL, 0, NULL, NULL },
};

/*
 * Per-field shares of the interval, in percent. Not ps_cpu_times_percent: like psutil it
 * divides by max(1, total delta), which is wrong for deltas under one second (Linux times are
 * fractional seconds), e.g. a 0.5 s interval on one CPU. A column unknown in either sample
 * stays NaN and adds nothing to the total.
 */
static void cpu_field_percents(const ps_cputimes *b, const ps_cputimes *e, double v[CLI_CPU_FIELDS])
{
    double x[CLI_CPU_FIELDS], y[CLI_CPU_FIELDS], total = 0;
    cli_cpu_times_fields(b, x);
    cli_cpu_times_fields(e, y);
    for (int i = 0; i < CLI_CPU_FIELDS; i++) {
        if (isnan(x[i]) || isnan(y[i])) {
            v[i] = NAN;
            continue;
        }
        v[i] = y[i] > x[i] ? y[i] - x[i] : 0;
        if (i != 8 && i != 9) total += v[i]; /* guest and guest_nice are inside user and nice */
    }
    for (int i = 0; i < CLI_CPU_FIELDS; i++) {
        if (isnan(v[i])) continue;
        v[i] = total > 0 ? v[i] * 100.0 / total : 0;
        if (v[i] > 100) v[i] = 100;
    }
}

/* cpu_times_percent over the interval, rounded as psutil's (one decimal). */
static void json_cpu_times_percent(cli_json *j, const ps_cputimes *t0, const ps_cputimes *t1)
{
    double v[CLI_CPU_FIELDS];
    cpu_field_percents(t0, t1, v);
    for (int f = 0; f < CLI_CPU_FIELDS; f++) v[f] = round(v[f] * 10) / 10;   /* NaN stays NaN */
    json_cpu_fields(j, v);
}

static void json_cpu_stats(cli_json *j, const ps_cpustats *st)
{
    cli_json_obj_begin(j);
    cli_json_key(j, "ctx_switches"); cli_json_uint(j, st->ctx_switches);
    cli_json_key(j, "interrupts"); cli_json_uint(j, st->interrupts);
    cli_json_key(j, "soft_interrupts"); cli_json_uint_or_zero(j, st->soft_interrupts);   /* psutil 0 */
    cli_json_key(j, "syscalls"); cli_json_uint_or_zero(j, st->syscalls);
    cli_json_obj_end(j);
}

static void json_cpu_freq(cli_json *j, const ps_cpufreq *freq)
{
    cli_json_obj_begin(j);
    cli_json_key(j, "current"); cli_json_double(j, freq->current);
    cli_json_key(j, "min"); cli_json_double(j, psutil0d(freq->min));
    cli_json_key(j, "max"); cli_json_double(j, psutil0d(freq->max));
    cli_json_obj_end(j);
}

void cli_json_loadavg(cli_json *j, const double load[3])
{
    cli_json_arr_begin(j);
    for (int i = 0; i < 3; i++) cli_json_double(j, load[i]);
    cli_json_arr_end(j);
}

/* One row per CPU over the interval, then the total; a column per field the platform has
 * (guest times left out: they are already in user and nice). */
static void print_cpu_table(const ps_cputimes_list *p0, const ps_cputimes_list *p1, size_t n,
                            const ps_cputimes *t0, const ps_cputimes *t1)
{
    double k0[CLI_CPU_FIELDS], k1[CLI_CPU_FIELDS];
    int col[CLI_CPU_FIELDS], nf = 0;
    cli_cpu_times_fields(t0, k0);
    cli_cpu_times_fields(t1, k1);
    for (int f = 0; f < CLI_CPU_FIELDS; f++)
        if (f != 8 && f != 9 && !isnan(k0[f]) && !isnan(k1[f])) col[nf++] = f;
    cli_table *t = cli_table_new(2 + nf);
    cli_table_col(t, 0, "CPU", CLI_LEFT, false);
    cli_table_col(t, 1, "%", CLI_RIGHT, false);
    for (int c = 0; c < nf; c++) cli_table_col(t, 2 + c, cpu_field_names[col[c]], CLI_RIGHT, false);
    for (size_t i = 0; i <= n; i++) {
        const ps_cputimes *b = i < n ? &p0->items[i] : t0;
        const ps_cputimes *e = i < n ? &p1->items[i] : t1;
        double pc = 0, v[CLI_CPU_FIELDS];
        ps_cpu_percent(b, e, &pc);
        cpu_field_percents(b, e, v);
        cli_table_row(t);
        if (i < n) cli_table_cellf(t, 0, "cpu%zu", i);
        else cli_table_cell(t, 0, "total");
        cli_table_cellf(t, 1, "%.1f", pc);
        for (int c = 0; c < nf; c++) {
            if (isnan(v[col[c]])) cli_table_cell(t, 2 + c, "-");
            else cli_table_cellf(t, 2 + c, "%.1f", v[col[c]]);
        }
    }
    cli_table_print(t, stdout, cli_term_width());
}

static int run_cpu(const cli_cmd *cmd, const cli_args *a)
{
    double interval = 0.5;
    const char *iv = cli_value(cmd, a, "interval");
    if (iv && !cli_parse_seconds(iv, &interval))
        return cli_usage_error(cmd, "invalid interval '%s' (seconds expected)", iv);
    bool json = cli_flag(cmd, a, "json");

    ps_cputimes t0, t1;
    ps_cputimes_list *p0 = NULL, *p1 = NULL;
    int rc = ps_cpu_times(&t0);
    if (rc) return cli_lib_error(rc, "cpu times");
    rc = ps_cpu_times_percpu(&p0);
    if (rc) return cli_lib_error(rc, "per-cpu times");
    cli_sleep(interval);
    rc = ps_cpu_times(&t1);
    if (rc == 0) rc = ps_cpu_times_percpu(&p1);
    if (rc) {
        ps_cputimes_list_free(p0);
        return cli_lib_error(rc, "cpu times");
    }
    size_t n = p0->count < p1->count ? p0->count : p1->count;
    double total_pct = 0;
    ps_cpu_percent(&t0, &t1, &total_pct);

    int32_t logical = 0, physical = 0;
    int rc_log = ps_cpu_count_logical(&logical);
    int rc_phys = ps_cpu_count_physical(&physical);
    ps_cpustats st;
    int rc_st = ps_cpu_stats(&st);
    ps_cpufreq freq;
    int rc_freq = ps_cpu_freq(&freq);
    double load[3];
    int rc_load = ps_getloadavg(load);

    if (json) {
        cli_json j;
        cli_json_init(&j, stdout, true);
        cli_json_obj_begin(&j);
        cli_json_key(&j, "interval"); cli_json_double(&j, interval);
        cli_json_key(&j, "cpu_count");
        if (rc_log) cli_json_null(&j); else cli_json_int(&j, logical);
        cli_json_key(&j, "cpu_count_physical");
        if (rc_phys) cli_json_null(&j); else cli_json_int(&j, physical);
        cli_json_key(&j, "cpu_percent"); cli_json_double(&j, total_pct);
        cli_json_key(&j, "cpu_percent_percpu");
        cli_json_arr_begin(&j);
        for (size_t i = 0; i < n; i++) {
            double pc = 0;
            ps_cpu_percent(&p0->items[i], &p1->items[i], &pc);
            cli_json_double(&j, pc);
        }
        cli_json_arr_end(&j);
        cli_json_key(&j, "cpu_times_percent"); json_cpu_times_percent(&j, &t0, &t1);
        cli_json_key(&j, "cpu_times"); cli_json_cpu_times(&j, &t1);
        cli_json_key(&j, "cpu_times_percpu");
        cli_json_arr_begin(&j);
        for (size_t i = 0; i < p1->count; i++) cli_json_cpu_times(&j, &p1->items[i]);
        cli_json_arr_end(&j);
        cli_json_key(&j, "cpu_stats");
        if (rc_st) cli_json_null(&j); else json_cpu_stats(&j, &st);
        cli_json_key(&j, "cpu_freq");
        if (rc_freq) cli_json_null(&j); else json_cpu_freq(&j, &freq);
        cli_json_key(&j, "getloadavg");
        if (rc_load) cli_json_null(&j); else cli_json_loadavg(&j, load);
        cli_json_obj_end(&j);
        cli_json_end(&j);
    } else {
        if (rc_log) printf("CPUs: ? logical, ");
        else printf("CPUs: %d logical, ", (int)logical);
        if (rc_phys) printf("? physical");
        else printf("%d physical", (int)physical);
        if (!rc_freq) printf(", %.0f MHz", freq.current);
        if (!rc_load) printf(", load average %.2f %.2f %.2f", load[0], load[1], load[2]);
        printf("\n\n");
        print_cpu_table(p0, p1, n, &t0, &t1);
    }
    ps_cputimes_list_free(p0);
    ps_cputimes_list_free(p1);
    return 0;
}

const cli_cmd cli_cmd_cpu = {
    "cpu", "[--interval S] [--json]", "CPU usage per CPU over an interval, counts, load, frequency.",
    "Columns other than % are psutil.cpu_times_percent() fields over the interval.",
    cpu_opts, 0, 0, run_cpu,
};

/* ---- psinfo disks -------------------------------------------------------------------------- */

static const cli_opt disks_opts[] = {
    { "json", 'j', NULL, "print as JSON (disk_partitions() entries plus \"usage\")" },
    { "all", 'a', NULL, "every mount, pseudo filesystems included (disk_partitions(all=True))" },
    { NULL, 0, NULL, NULL },
};

static int run_disks(const cli_cmd *cmd, const cli_args *a)
{
    ps_disk_partition_list *parts = NULL;
    int rc = ps_disk_partitions(cli_flag(cmd, a, "all") ? 1 : 0, &parts);
    if (rc) return cli_lib_error(rc, "disk partitions");
    if (cli_flag(cmd, a, "json")) {
        cli_json j;
        cli_json_init(&j, stdout, true);
        cli_json_arr_begin(&j);
        for (size_t i = 0; i < parts->count; i++) {
            const ps_disk_partition *p = &parts->items[i];
            ps_diskusage u;
            int urc = ps_disk_usage(p->mountpoint, &u);
            cli_json_obj_begin(&j);
            cli_json_key(&j, "device"); cli_json_str(&j, p->device);
            cli_json_key(&j, "mountpoint"); cli_json_str(&j, p->mountpoint);
            cli_json_key(&j, "fstype"); cli_json_str(&j, p->fstype);
            cli_json_key(&j, "opts"); cli_json_str(&j, p->opts);
            cli_json_key(&j, "usage");
            if (urc) cli_json_null(&j);
            else cli_json_disk_usage(&j, &u);
            cli_json_obj_end(&j);
        }
        cli_json_arr_end(&j);
        cli_json_end(&j);
    } else {
        cli_table *t = cli_table_new(7);
        cli_table_col(t, 0, "Device", CLI_LEFT, true);
        cli_table_col(t, 1, "Total", CLI_RIGHT, false);
        cli_table_col(t, 2, "Used", CLI_RIGHT, false);
        cli_table_col(t, 3, "Free", CLI_RIGHT, false);
        cli_table_col(t, 4, "Use%", CLI_RIGHT, false);
        cli_table_col(t, 5, "Type", CLI_LEFT, true);
        cli_table_col(t, 6, "Mount", CLI_LEFT, true);
        for (size_t i = 0; i < parts->count; i++) {
            const ps_disk_partition *p = &parts->items[i];
            ps_diskusage u;
            int urc = ps_disk_usage(p->mountpoint, &u);
            char b[3][32];
            cli_table_row(t);
            cli_table_cell(t, 0, p->device[0] ? p->device : "none");
            if (urc == 0) {
                cli_bytes2human(u.total, b[0], sizeof b[0]);
                cli_bytes2human(u.used, b[1], sizeof b[1]);
                cli_bytes2human(u.free, b[2], sizeof b[2]);
                for (int c = 0; c < 3; c++) cli_table_cell(t, c + 1, b[c]);
                cli_table_cellf(t, 4, "%.0f%%", u.percent);
            } else {
                for (int c = 1; c < 5; c++) cli_table_cell(t, c, "-");
            }
            cli_table_cell(t, 5, p->fstype);
            cli_table_cell(t, 6, p->mountpoint);
        }
        cli_table_print(t, stdout, cli_term_width());
    }
    ps_disk_partition_list_free(parts);
    return 0;
}

const cli_cmd cli_cmd_disks = {
    "disks", "[--all] [--json]", "Mounted filesystems with their usage (like df).",
    "JSON: an array of psutil.disk_partitions() entries (device, mountpoint, fstype, opts),\n"
    "each with \"usage\": psutil.disk_usage(mountpoint) as an object, or null if unavailable.",
    disks_opts, 0, 0, run_disks,
};

/* ---- psinfo sensors ------------------------------------------------------------------------ */

static void json_maybe(cli_json *j, double v)
{
    if (isnan(v)) cli_json_null(j);
    else cli_json_double(j, v);
}

/* {unit: [{label, current, high, critical}]}: items are grouped by unit already */
static void json_temperatures(cli_json *j, const ps_temperature_list *temps)
{
    cli_json_obj_begin(j);
    for (size_t i = 0; i < temps->count;) {
        const char *unit = temps->items[i].unit;
        cli_json_key(j, unit);
        cli_json_arr_begin(j);
        for (; i < temps->count && strcmp(temps->items[i].unit, unit) == 0; i++) {
            const ps_temperature *s = &temps->items[i];
            cli_json_obj_begin(j);
            cli_json_key(j, "label"); cli_json_str(j, s->label);
            cli_json_key(j, "current"); json_maybe(j, s->current);
            cli_json_key(j, "high"); json_maybe(j, s->high);
            cli_json_key(j, "critical"); json_maybe(j, s->critical);
            cli_json_obj_end(j);
        }
        cli_json_arr_end(j);
    }
    cli_json_obj_end(j);
}

static void json_fans(cli_json *j, const ps_fan_list *fans)
{
    cli_json_obj_begin(j);
    for (size_t i = 0; i < fans->count;) {
        const char *unit = fans->items[i].unit;
        cli_json_key(j, unit);
        cli_json_arr_begin(j);
        for (; i < fans->count && strcmp(fans->items[i].unit, unit) == 0; i++) {
            cli_json_obj_begin(j);
            cli_json_key(j, "label"); cli_json_str(j, fans->items[i].label);
            cli_json_key(j, "current"); cli_json_int(j, fans->items[i].current);
            cli_json_obj_end(j);
        }
        cli_json_arr_end(j);
    }
    cli_json_obj_end(j);
}

/* psutil's values for what the library reports unknown: on Windows it passes
 * GetSystemPowerStatus' BatteryLifePercent as it is (255: unknown) and says power_plugged =
 * (ACLineStatus == 1), so false when unknown; elsewhere None (null). */
static void json_battery(cli_json *j, const ps_battery *bat)
{
    bool win = ps_platform() == PS_PLATFORM_WINDOWS;
    cli_json_obj_begin(j);
    cli_json_key(j, "percent");
    if (isnan(bat->percent) && win) cli_json_int(j, 255);
    else cli_json_double(j, bat->percent);
    cli_json_key(j, "secsleft"); cli_json_int(j, bat->secsleft);
    cli_json_key(j, "power_plugged");
    if (bat->power_plugged != PS_UNKNOWN_I32) cli_json_bool(j, bat->power_plugged != 0);
    else if (win) cli_json_bool(j, false);
    else cli_json_null(j);
    cli_json_obj_end(j);
}

static void print_battery(int rc_b, const ps_battery *bat)
{
    if (rc_b) printf("Battery: %s\n", rc_b == PS_ENOTSUP ? "not supported" : "unknown");
    else if (!bat->present) printf("Battery: none\n");
    else {
        if (isnan(bat->percent)) printf("Battery: charge unknown");
        else printf("Battery: %.0f%%", bat->percent);
        if (bat->power_plugged == 1) printf(", plugged in");
        else if (bat->power_plugged == 0) printf(", on battery");
        if (bat->secsleft >= 0) {
            char d[32];
            cli_fmt_duration((double)bat->secsleft, d, sizeof d);
            printf(", %s left", d);
        }
        printf("\n");
    }
}

static int run_sensors(const cli_cmd *cmd, const cli_args *a)
{
    ps_temperature_list *temps = NULL;
    ps_fan_list *fans = NULL;
    ps_battery bat;
    int rc_t = ps_sensors_temperatures(&temps);
    int rc_f = ps_sensors_fans(&fans);
    int rc_b = ps_sensors_battery(&bat);
    if (rc_t && rc_t != PS_ENOTSUP) return cli_lib_error(rc_t, "temperatures");
    if (rc_f && rc_f != PS_ENOTSUP) {
        ps_temperature_list_free(temps);
        return cli_lib_error(rc_f, "fans");
    }
    if (cli_flag(cmd, a, "json")) {
        cli_json j;
        cli_json_init(&j, stdout, true);
        cli_json_obj_begin(&j);
        cli_json_key(&j, "temperatures");
        if (rc_t) cli_json_null(&j); else json_temperatures(&j, temps);
        cli_json_key(&j, "fans");
        if (rc_f) cli_json_null(&j); else json_fans(&j, fans);
        cli_json_key(&j, "battery");
        if (rc_b || !bat.present) cli_json_null(&j); else json_battery(&j, &bat);
        cli_json_obj_end(&j);
        cli_json_end(&j);
    } else {
        size_t nt = rc_t ? 0 : temps->count, nf = rc_f ? 0 : fans->count;
        if (nt) {
            cli_table *t = cli_table_new(5);
            cli_table_col(t, 0, "Sensor", CLI_LEFT, true);
            cli_table_col(t, 1, "Label", CLI_LEFT, true);
            cli_table_col(t, 2, "Current", CLI_RIGHT, false);
            cli_table_col(t, 3, "High", CLI_RIGHT, false);
            cli_table_col(t, 4, "Critical", CLI_RIGHT, false);
            for (size_t i = 0; i < nt; i++) {
                const ps_temperature *s = &temps->items[i];
                cli_table_row(t);
                cli_table_cell(t, 0, s->unit);
                cli_table_cell(t, 1, s->label);
                cli_table_cellf(t, 2, "%.1f°C", s->current);
                if (!isnan(s->high)) cli_table_cellf(t, 3, "%.1f°C", s->high);
                if (!isnan(s->critical)) cli_table_cellf(t, 4, "%.1f°C", s->critical);
            }
            cli_table_print(t, stdout, cli_term_width());
        } else {
            printf("Temperatures: %s\n", rc_t ? "not supported" : "none");
        }
        if (nf) {
            cli_table *t = cli_table_new(3);
            cli_table_col(t, 0, "Fan", CLI_LEFT, true);
            cli_table_col(t, 1, "Label", CLI_LEFT, true);
            cli_table_col(t, 2, "RPM", CLI_RIGHT, false);
            for (size_t i = 0; i < nf; i++) {
                cli_table_row(t);
                cli_table_cell(t, 0, fans->items[i].unit);
                cli_table_cell(t, 1, fans->items[i].label);
                cli_table_cellf(t, 2, "%" PRId64, fans->items[i].current);
            }
            printf("\n");
            cli_table_print(t, stdout, cli_term_width());
        } else {
            printf("Fans: %s\n", rc_f ? "not supported" : "none");
        }
        print_battery(rc_b, &bat);
    }
    ps_temperature_list_free(temps);
    ps_fan_list_free(fans);
    return 0;
}

const cli_cmd cli_cmd_sensors = {
    "sensors", "[--json]", "Temperatures, fans and battery.",
    "JSON: {\"temperatures\": sensors_temperatures(), \"fans\": sensors_fans(), "
    "\"battery\": sensors_battery()}\nwith namedtuples as objects (null when unsupported).",
    json_only_opts, 0, 0, run_sensors,
};

/* ---- psinfo users -------------------------------------------------------------------------- */

/* psutil's suser: terminal None when there is none; host '' on Linux and BSD (the utmp field
 * as it is), None on macOS and Windows; pid None on Windows. */
static void json_user(cli_json *j, const ps_user *u)
{
    int pf = ps_platform();
    bool host_none = pf == PS_PLATFORM_MACOS || pf == PS_PLATFORM_WINDOWS;
    cli_json_obj_begin(j);
    cli_json_key(j, "name"); cli_json_str(j, u->name);
    cli_json_key(j, "terminal");
    if (u->terminal) cli_json_str(j, u->terminal); else cli_json_null(j);
    cli_json_key(j, "host");
    if (u->host || !host_none) cli_json_str(j, u->host ? u->host : ""); else cli_json_null(j);
    cli_json_key(j, "started"); cli_json_double(j, u->started);
    cli_json_key(j, "pid");
    if (u->pid == PS_UNKNOWN_I64) cli_json_null(j); else cli_json_int(j, u->pid);
    cli_json_obj_end(j);
}

static int run_users(const cli_cmd *cmd, const cli_args *a)
{
    ps_user_list *users = NULL;
    int rc = ps_users(&users);
    if (rc) return cli_lib_error(rc, "users");
    if (cli_flag(cmd, a, "json")) {
        cli_json j;
        cli_json_init(&j, stdout, true);
        cli_json_arr_begin(&j);
        for (size_t i = 0; i < users->count; i++) json_user(&j, &users->items[i]);
        cli_json_arr_end(&j);
        cli_json_end(&j);
    } else if (users->count == 0) {
        printf("no users logged in\n");
    } else {
        cli_table *t = cli_table_new(5);
        cli_table_col(t, 0, "User", CLI_LEFT, true);
        cli_table_col(t, 1, "Terminal", CLI_LEFT, false);
        cli_table_col(t, 2, "Started", CLI_LEFT, false);
        cli_table_col(t, 3, "PID", CLI_RIGHT, false);
        cli_table_col(t, 4, "Host", CLI_LEFT, true);
        for (size_t i = 0; i < users->count; i++) {
            const ps_user *u = &users->items[i];
            char when[64];
            cli_fmt_time(u->started, when, sizeof when);
            cli_table_row(t);
            cli_table_cell(t, 0, u->name);
            cli_table_cell(t, 1, u->terminal ? u->terminal : "");
            cli_table_cell(t, 2, isnan(u->started) ? "?" : when);
            if (u->pid != PS_UNKNOWN_I64) cli_table_cellf(t, 3, "%" PRId64, u->pid);
            cli_table_cell(t, 4, u->host ? u->host : "");
        }
        cli_table_print(t, stdout, cli_term_width());
    }
    ps_user_list_free(users);
    return 0;
}

const cli_cmd cli_cmd_users = {
    "users", "[--json]", "Users logged in (like who).",
    "JSON: an array of psutil.users() entries (name, terminal, host, started, pid).",
    json_only_opts, 0, 0, run_users,
};
