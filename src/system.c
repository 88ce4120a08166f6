/* SPDX-License-Identifier: MIT */
/* System-wide information: argument checks, the pure CPU-percent arithmetic, and the decoding
 * of every native string the back end returns. No OS #ifdef here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "list.h"
#include "test_hooks.h"

/* Python's round(x, 1): correctly rounded to the nearest tenth, ties to even on the exact
 * binary value — which is what printf's %.1f does — as the nearest double. Fast path: y = x * 10 carries an error below 1e-12 for |x| < 1e3, so when
 * y is not within 1e-9 of a tie, floor(y + 0.5) is the correctly rounded exact x * 10, and
 * N / 10 (one correctly rounded division) is the double nearest to the decimal N/10 — what
 * strtod gives for the text. Near a tie (or for large x) the exact decimal text decides. */
static double round1(double x)
{
    char buf[64];
    if (!isfinite(x)) return x;
    if (x > -1e3 && x < 1e3) { /* no libm: floor and fabs by hand for this small range */
        double y = x * 10.0, h = y + 0.5, n = (double)(long long)h;
        if (n > h) n -= 1;  /* floor(h) */
        double d = y - n;   /* in [-0.5, 0.5) */
        double t = (d < 0 ? -d : d) - 0.5;
        if (t < -1e-9) {
            double r = n / 10.0;
            return r == 0 ? (signbit(x) ? -0.0 : 0.0) : r; /* "%.1f" of -0.01 is "-0.0" */
        }
    }
    snprintf(buf, sizeof buf, "%.1f", x);
    return strtod(buf, NULL);
}

static double usage_percent(double used, double total)
{
    if (total == 0) return 0.0;
    return round1(used / total * 100.0);
}

/* ---- CPU ------------------------------------------------------------------------------ */

void ps__cputimes_unknown(ps_cputimes *t)
{
    memset(t, 0, sizeof *t);
    t->user = t->nice = t->system = t->idle = t->iowait = t->irq = t->softirq = t->steal = NAN;
    t->guest = t->guest_nice = t->dpc = NAN;
}

int ps_cpu_times(ps_cputimes *out)
{
    PS__CHECK_ARGS("ps_cputimes", out);
    ps__cputimes_unknown(out);
    return ps__bk_cpu_times(out, NULL);
}

int ps_cpu_times_percpu(ps_cputimes_list **out)
{
    PS__CHECK_ARGS("ps_cpu_times_percpu", out);
    *out = NULL;
    return ps__bk_cpu_times(NULL, out);
}

void ps_cputimes_list_free(ps_cputimes_list *list)
{
    if (!list) return;
    free(list->items);
    free(list);
}

/* The columns of cpu_fields: ps_cputimes' fields in order. */
enum {
    CPU_USER, CPU_NICE, CPU_SYSTEM, CPU_IDLE, CPU_IOWAIT, CPU_IRQ, CPU_SOFTIRQ, CPU_STEAL,
    CPU_GUEST, CPU_GUEST_NICE, CPU_DPC, N_CPU_FIELDS
};
static void cpu_fields(const ps_cputimes *t, double f[N_CPU_FIELDS])
{
    f[CPU_USER] = t->user; f[CPU_NICE] = t->nice; f[CPU_SYSTEM] = t->system;
    f[CPU_IDLE] = t->idle; f[CPU_IOWAIT] = t->iowait; f[CPU_IRQ] = t->irq;
    f[CPU_SOFTIRQ] = t->softirq; f[CPU_STEAL] = t->steal; f[CPU_GUEST] = t->guest;
    f[CPU_GUEST_NICE] = t->guest_nice; f[CPU_DPC] = t->dpc;
}

/* psutil's _cpu_times_deltas then _cpu_tot_time: guest and guest_nice are already in user
 * and nice, so they leave the total. A column the platform does not have (NaN in either
 * sample: dpc on Linux, iowait on Windows) is NaN in d and adds nothing; psutil's tuple has
 * no such field. */
static double cpu_deltas(const ps_cputimes *a, const ps_cputimes *b, double d[N_CPU_FIELDS])
{
    double fa[N_CPU_FIELDS], fb[N_CPU_FIELDS], tot = 0;
    cpu_fields(a, fa);
    cpu_fields(b, fb);
    for (int i = 0; i < N_CPU_FIELDS; i++) {
        if (isnan(fa[i]) || isnan(fb[i])) {
            d[i] = NAN;
            continue;
        }
        d[i] = fb[i] - fa[i];
        if (!(d[i] > 0)) d[i] = 0;   /* a counter going backwards */
        if (i != CPU_GUEST && i != CPU_GUEST_NICE) tot += d[i];
    }
    return tot;
}

static double known0(double v) { return isnan(v) ? 0 : v; }

int ps_cpu_percent(const ps_cputimes *before, const ps_cputimes *after, double *out)
{
    PS__CHECK_ARGS("ps_cpu_percent", before && after && out);
    double d[N_CPU_FIELDS];
    double all = cpu_deltas(before, after, d);
    double busy = all - known0(d[CPU_IDLE]) - known0(d[CPU_IOWAIT]);
    *out = all == 0 ? 0.0 : round1(busy / all * 100.0);
    return 0;
}

int ps_cpu_times_percent(const ps_cputimes *before, const ps_cputimes *after, ps_cputimes *out)
{
    PS__CHECK_ARGS("ps_cpu_times_percent", before && after && out);
    double d[N_CPU_FIELDS], p[N_CPU_FIELDS];
    double all = cpu_deltas(before, after, d);
    double scale = 100.0 / (all > 1 ? all : 1);
    for (int i = 0; i < N_CPU_FIELDS; i++) {
        double v = round1(d[i] * scale);   /* NaN stays NaN */
        p[i] = v < 0 ? 0 : v > 100 ? 100 : v;
    }
    memset(out, 0, sizeof *out);   /* out may be before or after: everything was read above */
    out->user = p[CPU_USER]; out->nice = p[CPU_NICE]; out->system = p[CPU_SYSTEM];
    out->idle = p[CPU_IDLE]; out->iowait = p[CPU_IOWAIT]; out->irq = p[CPU_IRQ];
    out->softirq = p[CPU_SOFTIRQ]; out->steal = p[CPU_STEAL]; out->guest = p[CPU_GUEST];
    out->guest_nice = p[CPU_GUEST_NICE]; out->dpc = p[CPU_DPC];
    return 0;
}

int ps_cpu_count_logical(int32_t *out)
{
    PS__CHECK_ARGS("ps_cpu_count_logical", out);
    *out = 0;
    return ps__bk_cpu_count_logical(out);
}

int ps_cpu_count_physical(int32_t *out)
{
    PS__CHECK_ARGS("ps_cpu_count_physical", out);
    *out = 0;
    return ps__bk_cpu_count_physical(out);
}

int ps_cpu_stats(ps_cpustats *out)
{
    PS__CHECK_ARGS("ps_cpustats", out);
    memset(out, 0, sizeof *out);
    return ps__bk_cpu_stats(out);
}

/* The back ends give 0 for a bound the OS does not report (psutil's 0.0); no CPU runs at
 * 0 MHz, so that is the unknown value's place. */
static void freq_unknowns(ps_cpufreq_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        if (!(l->items[i].min > 0)) l->items[i].min = NAN;
        if (!(l->items[i].max > 0)) l->items[i].max = NAN;
    }
}

int ps_cpu_freq_percpu(ps_cpufreq_list **out)
{
    PS__CHECK_ARGS("ps_cpu_freq_percpu", out);
    *out = NULL;
    int rc = ps__bk_cpu_freq_percpu(out);
    if (rc == 0) freq_unknowns(*out);
    return rc;
}

int ps_cpu_freq(ps_cpufreq *out)
{
    PS__CHECK_ARGS("ps_cpufreq", out);
    memset(out, 0, sizeof *out);
    ps_cpufreq_list *l = NULL;
    int rc = ps__bk_cpu_freq_percpu(&l);
    if (rc) return rc;
    freq_unknowns(l);   /* one unknown bound makes the average's unknown (NaN sums) */
    if (l->count == 0) {
        ps_cpufreq_list_free(l);
        return ps__error(PS_ENOTSUP, 0, "ps_cpufreq: no CPU frequency available");
    }
    for (size_t i = 0; i < l->count; i++) {
        out->current += l->items[i].current;
        out->min += l->items[i].min;
        out->max += l->items[i].max;
    }
    out->current /= (double)l->count;
    out->min /= (double)l->count;
    out->max /= (double)l->count;
    out->cpu = PS_UNKNOWN_I32;
    ps_cpufreq_list_free(l);
    return 0;
}

void ps_cpufreq_list_free(ps_cpufreq_list *list)
{
    if (!list) return;
    free(list->items);
    free(list);
}

int ps_getloadavg(double out[3])
{
    PS__CHECK_ARGS("ps_getloadavg", out);
    out[0] = out[1] = out[2] = 0;
    return ps__bk_getloadavg(out);
}

int ps_boot_time(double *out)
{
    PS__CHECK_ARGS("ps_boot_time", out);
    *out = 0;
    return ps__bk_boot_time(out);
}

/* ---- memory --------------------------------------------------------------------------- */

int ps_virtual_memory(ps_vmem *out)
{
    PS__CHECK_ARGS("ps_vmem", out);
    memset(out, 0, sizeof *out);
    int rc = ps__bk_virtual_memory(out);
    if (rc) return rc;
    /* used is the back end's: total - available on Linux, active + wired on macOS (psutil) */
    out->percent = usage_percent((double)(out->total - out->available), (double)out->total);
    return 0;
}

int ps_swap_memory(ps_swapmem *out)
{
    PS__CHECK_ARGS("ps_swapmem", out);
    memset(out, 0, sizeof *out);
    out->sin = out->sout = PS_UNKNOWN_U64;   /* a back end without the counters leaves them */
    int rc = ps__bk_swap_memory(out);
    if (rc) return rc;
    out->used = out->total >= out->free ? out->total - out->free : 0;
    out->percent = usage_percent((double)out->used, (double)out->total);
    return 0;
}

/* ---- disks ---------------------------------------------------------------------------- */

/* Decode one native string into *out (always set, "" for an empty one). */
static int dec(ps__nstr *s, char **out)
{
    return ps__decode_native(s->data ? s->data : "", s->data ? s->len : 0, out, NULL);
}

void ps__bk_partitions_dispose(ps__bk_partition *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ps__nstr_dispose(&it[i].device);
        ps__nstr_dispose(&it[i].mountpoint);
        ps__nstr_dispose(&it[i].fstype);
        ps__nstr_dispose(&it[i].opts);
    }
    free(it);
}

static int fill_partition(ps_disk_partition *d, ps__bk_partition *s)
{
    int rc = dec(&s->device, &d->device);
    if (!rc) rc = dec(&s->mountpoint, &d->mountpoint);
    if (!rc) rc = dec(&s->fstype, &d->fstype);
    if (!rc) rc = dec(&s->opts, &d->opts);
    return rc;
}
static const size_t partition_strs[] = {offsetof(ps_disk_partition, device),
                                        offsetof(ps_disk_partition, mountpoint),
                                        offsetof(ps_disk_partition, fstype),
                                        offsetof(ps_disk_partition, opts)};
PS__LIST_SPEC(partition_spec, "ps_disk_partitions", ps_disk_partition_list, ps__bk_partition,
              fill_partition, ps__bk_partitions_dispose, partition_strs);
PS__LIST_FREE(ps_disk_partition_list_free, ps_disk_partition_list, partition_spec)

int ps_disk_partitions(int all, ps_disk_partition_list **out)
{
    PS__CHECK_ARGS("ps_disk_partitions", out);
    *out = NULL;
    if (all != 0 && all != 1) return ps__error(PS_EINVAL, 0, "ps_disk_partitions: all must be 0 or 1");
    ps__bk_partition *it = NULL;
    size_t n = 0;
    int rc = ps__bk_disk_partitions(all, &it, &n);
    *out = ps__list_take(&partition_spec, it, n, &rc);
    return rc;
}

int ps_disk_usage(const char *path, ps_diskusage *out)
{
    PS__CHECK_ARGS("ps_diskusage", path && out);
    memset(out, 0, sizeof *out);
    char *native = NULL;
    int rc = ps_fsencode(path, strlen(path), &native, NULL);
    if (rc) return rc;
    rc = ps__bk_disk_usage(native, out);
    free(native);
    if (rc) return rc;
    out->percent = usage_percent((double)out->used, (double)out->used + (double)out->free);
    return 0;
}

static void bk_disk_io_dispose(ps__bk_diskio *it, size_t n)
{
    for (size_t i = 0; i < n; i++) ps__nstr_dispose(&it[i].name);
    free(it);
}

int ps_disk_io_counters(ps_diskio *out)
{
    PS__CHECK_ARGS("ps_disk_io_counters", out);
    memset(out, 0, sizeof *out);
    ps__bk_diskio *it = NULL;
    size_t n = 0, used = 0;
    int rc = ps__bk_diskio_read(&it, &n);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) {
        if (!it[i].whole_disk) continue;
        const ps_diskio *c = &it[i].counters;
        used++;
        out->read_count += c->read_count;
        out->write_count += c->write_count;
        out->read_bytes += c->read_bytes;
        out->write_bytes += c->write_bytes;
        out->read_time += c->read_time;
        out->write_time += c->write_time;
        ps__add_known(&out->read_merged_count, c->read_merged_count);
        ps__add_known(&out->write_merged_count, c->write_merged_count);
        ps__add_known(&out->busy_time, c->busy_time);
    }
    bk_disk_io_dispose(it, n);
    if (!used) return ps__error(PS_ENOENT, 0, "ps_disk_io_counters: no disks");
    return 0;
}

static int fill_diskio(ps_diskio_entry *d, ps__bk_diskio *s)
{
    d->counters = s->counters;
    return dec(&s->name, &d->name);
}
static const size_t diskio_strs[] = {offsetof(ps_diskio_entry, name)};
PS__LIST_SPEC(diskio_spec, "ps_disk_io_counters_perdisk", ps_diskio_list, ps__bk_diskio,
              fill_diskio, bk_disk_io_dispose, diskio_strs);
PS__LIST_FREE(ps_diskio_list_free, ps_diskio_list, diskio_spec)

PS__LIST_GETTER(ps_disk_io_counters_perdisk, ps_diskio_list, diskio_spec, ps__bk_diskio, ps__bk_diskio_read)

/* ---- sensors -------------------------------------------------------------------------- */

static void bk_sensors_dispose(ps__bk_sensor *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ps__nstr_dispose(&it[i].unit);
        ps__nstr_dispose(&it[i].label);
    }
    free(it);
}

static int fill_temperature(ps_temperature *d, ps__bk_sensor *s)
{
    d->current = s->current;
    d->high = s->high;
    d->critical = s->critical;
    int rc = dec(&s->unit, &d->unit);
    if (!rc) rc = dec(&s->label, &d->label);
    return rc;
}
static const size_t temperature_strs[] = {offsetof(ps_temperature, unit),
                                          offsetof(ps_temperature, label)};
PS__LIST_SPEC(temperature_spec, "ps_sensors_temperatures", ps_temperature_list, ps__bk_sensor,
              fill_temperature, bk_sensors_dispose, temperature_strs);
PS__LIST_FREE(ps_temperature_list_free, ps_temperature_list, temperature_spec)

PS__LIST_GETTER(ps_sensors_temperatures, ps_temperature_list, temperature_spec, ps__bk_sensor,
                ps__bk_temperatures)

static int fill_fan(ps_fan *d, ps__bk_sensor *s)
{
    d->current = (int64_t)s->current;
    int rc = dec(&s->unit, &d->unit);
    if (!rc) rc = dec(&s->label, &d->label);
    return rc;
}
static const size_t fan_strs[] = {offsetof(ps_fan, unit), offsetof(ps_fan, label)};
PS__LIST_SPEC(fan_spec, "ps_sensors_fans", ps_fan_list, ps__bk_sensor, fill_fan, bk_sensors_dispose,
              fan_strs);
PS__LIST_FREE(ps_fan_list_free, ps_fan_list, fan_spec)

PS__LIST_GETTER(ps_sensors_fans, ps_fan_list, fan_spec, ps__bk_sensor, ps__bk_fans)

int ps_sensors_battery(ps_battery *out)
{
    PS__CHECK_ARGS("ps_sensors_battery", out);
    memset(out, 0, sizeof *out);
    out->power_plugged = PS_UNKNOWN_I32;
    int rc = ps__bk_battery(out);
    if (rc == 0 && !out->present) {   /* no battery: nothing about one is known */
        out->percent = NAN;
        out->secsleft = PS_POWER_TIME_UNKNOWN;
        out->power_plugged = PS_UNKNOWN_I32;
    }
    return rc;
}

/* ---- users ---------------------------------------------------------------------------- */

void ps__bk_users_dispose(ps__bk_user *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ps__nstr_dispose(&it[i].name);
        ps__nstr_dispose(&it[i].terminal);
        ps__nstr_dispose(&it[i].host);
    }
    free(it);
}

static int fill_user(ps_user *d, ps__bk_user *s)
{
    d->started = s->started;
    d->pid = s->pid;
    int rc = dec(&s->name, &d->name);
    /* an empty tty or host field is none: NULL (psutil None; the CLI and binding print '' for
     * a host where psutil does) */
    if (!rc && s->terminal.len) rc = dec(&s->terminal, &d->terminal);
    if (!rc && s->host.len) rc = dec(&s->host, &d->host);
    return rc;
}
static const size_t user_strs[] = {offsetof(ps_user, name), offsetof(ps_user, terminal),
                                   offsetof(ps_user, host)};
PS__LIST_SPEC(user_spec, "ps_users", ps_user_list, ps__bk_user, fill_user, ps__bk_users_dispose,
              user_strs);
PS__LIST_FREE(ps_user_list_free, ps_user_list, user_spec)

int ps__users_file(const char *utmp_path, ps_user_list **out)
{
    PS__CHECK_ARGS("ps_users", out);
    ps__bk_user *it = NULL;
    size_t n = 0;
    int rc = ps__bk_users(utmp_path, &it, &n);
    *out = ps__list_take(&user_spec, it, n, &rc);
    return rc;
}

int ps_users(ps_user_list **out)
{
    PS__CHECK_ARGS("ps_users", out);
    *out = NULL;
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/utmp", ps__root(PS_ROOT_RUN));
    if (n < 0 || (size_t)n >= sizeof path) return ps__error(PS_EINVAL, 0, "ps_users: run root too long");
    return ps__users_file(path, out);
}

/* ---- containers ----------------------------------------------------------------------- */

/* proc NULL: pid by number (0 = the caller). */
static int cgroup_limits(const ps_proc *proc, int64_t pid, ps_cgroup_limits **out)
{
    PS__CHECK_ARGS("ps_proc_cgroup_limits", out);
    *out = NULL;
    if (pid < 0) return ps__error(PS_EINVAL, 0, "cgroup limits: pid %lld < 0", (long long)pid);
    ps_cgroup_limits *l = calloc(1, sizeof *l);
    if (!l) return ps__error(PS_ENOMEM, 0, "cgroup limits: out of memory");
    l->memory_usage = PS_UNKNOWN_U64;
    l->affinity_count = PS_UNKNOWN_I32;
    ps__nstr path = {NULL, 0};
    int rc = ps__bk_cgroup_limits(proc, pid, l, &path);
    if (!rc) rc = dec(&path, &l->path);
    if (!rc) {   /* a value without a limit set is unknown, whatever the back end left there */
        if (l->memory_limit_state != PS_LIMIT_SET) l->memory_limit = PS_UNKNOWN_U64;
        if (l->cpu_quota_state != PS_LIMIT_SET) l->cpu_quota_us = l->cpu_period_us = PS_UNKNOWN_I64;
        if (l->effective_memory_limit_state != PS_LIMIT_SET) l->effective_memory_limit = PS_UNKNOWN_U64;
        if (l->effective_cpu_limit_state != PS_LIMIT_SET) l->effective_cpu_limit = NAN;
    }
    ps__nstr_dispose(&path);
    if (rc) {
        ps_cgroup_limits_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

void ps_cgroup_limits_free(ps_cgroup_limits *limits)
{
    if (!limits) return;
    free(limits->path);
    free(limits);
}

int ps__cgroup_limits_pid(int64_t pid, ps_cgroup_limits **out)
{
    return cgroup_limits(NULL, pid, out);
}

int ps_proc_cgroup_limits(const ps_proc *proc, ps_cgroup_limits **out)
{
    PS__CHECK_ARGS("ps_proc_cgroup_limits", proc && out);
    return cgroup_limits(proc, 0, out);
}

static int count_usable(const ps_proc *proc, int32_t *out)
{
    *out = 0;
    ps_cgroup_limits *l = NULL;
    int rc = cgroup_limits(proc, 0, &l);
    if (rc) return rc;
    *out = l->usable_cpus;
    ps_cgroup_limits_free(l);
    if (*out <= 0) {
        *out = 0;
        return ps__error(PS_ENOTSUP, 0, "cpu_count_usable: affinity unknown");
    }
    return 0;
}

int ps_proc_cpu_count_usable(const ps_proc *proc, int32_t *out)
{
    PS__CHECK_ARGS("ps_proc_cpu_count_usable", proc && out);
    return count_usable(proc, out);
}

int ps_cpu_count_usable(int32_t *out)
{
    PS__CHECK_ARGS("ps_cpu_count_usable", out);
    return count_usable(NULL, out);
}
