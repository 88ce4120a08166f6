/* SPDX-License-Identifier: MIT */
/* System-wide API against live oracles: psutil (/usr/bin/python3), free, df, findmnt, nproc
 * and /proc read directly. Moving values are bracketed by two of our samples or compared with
 * the tolerances stated at each check. */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "psinfo.h"
#include "test_system_util.h"
#include "test_hooks.h"
#include "reserved_util.h"

#define MiB (1024.0 * 1024.0)

static int fds_before;
static void setup(void)
{
    ps_set_root(PS_ROOT_PROC, NULL);
    ps_set_root(PS_ROOT_SYS, NULL);
    fds_before = sys_count_fds();
}
static void teardown(void)
{
    cr_expect_eq(sys_count_fds(), fds_before, "fd count changed");
}
TestSuite(system, .init = setup, .fini = teardown);

/* ---- CPU ---------------------------------------------------------------------------- */

#define CPU_FIELDS(X) X(user) X(nice) X(system) X(idle) X(iowait) X(irq) X(softirq) X(steal) X(guest) X(guest_nice)

Test(system, cpu_times_bracket_psutil)
{
    /* psutil's sample is taken between our two: each field must lie between ours (0.02 s
     * slack for psutil's float division). */
    ps_cputimes a, b;
    cr_assert_eq(ps_cpu_times(&a), 0);
    char *out = sys_run(PY " -c 'import psutil; t=psutil.cpu_times(); print(\"\\n\".join(\"%s=%r\" % (k, getattr(t,k)) for k in t._fields))'");
    cr_assert_eq(ps_cpu_times(&b), 0);
    cr_assert(out);
    /* a kernel since 2.6.33 gives all ten columns; Windows' dpc is not one of them */
    cr_expect(isnan(a.dpc));
#define CHK(f) cr_expect(!isnan(a.f), #f " is known");
    CPU_FIELDS(CHK)
#undef CHK
#define CHK(f) { double v = sys_kv_d(out, #f); \
        cr_expect(v >= a.f - 0.02 && v <= b.f + 0.02, #f ": psutil %f not in [%f, %f]", v, a.f, b.f); }
    CPU_FIELDS(CHK)
#undef CHK
    free(out);
}

Test(system, cpu_times_percpu_bracket_psutil)
{
    ps_cputimes_list *a = NULL, *b = NULL;
    cr_assert_eq(ps_cpu_times_percpu(&a), 0);
    char *out = sys_run(PY " -c 'import psutil\nfor i,t in enumerate(psutil.cpu_times(percpu=True)):\n print(\"u%d=%r\\ns%d=%r\\ni%d=%r\" % (i,t.user,i,t.system,i,t.idle))\nprint(\"n=%d\" % len(psutil.cpu_times(percpu=True)))'");
    cr_assert_eq(ps_cpu_times_percpu(&b), 0);
    cr_assert(out);
    cr_assert_eq((double)a->count, sys_kv_d(out, "n"));
    for (size_t i = 0; i < a->count; i++) {
        char k[32];
        snprintf(k, sizeof k, "u%zu", i);
        double u = sys_kv_d(out, k);
        cr_expect(u >= a->items[i].user - 0.02 && u <= b->items[i].user + 0.02);
        snprintf(k, sizeof k, "s%zu", i);
        double s = sys_kv_d(out, k);
        cr_expect(s >= a->items[i].system - 0.02 && s <= b->items[i].system + 0.02);
        snprintf(k, sizeof k, "i%zu", i);
        double id = sys_kv_d(out, k);
        cr_expect(id >= a->items[i].idle - 0.02 && id <= b->items[i].idle + 0.02);
    }
    ps_cputimes_list_free(a);
    ps_cputimes_list_free(b);
    free(out);
}

Test(system, cpu_count_vs_psutil_and_sysfs)
{
    int32_t lg = 0, ph = 0;
    cr_assert_eq(ps_cpu_count_logical(&lg), 0);
    char *out = sys_run(PY " -c 'import psutil,os; print(\"l=%s\\np=%s\\nonln=%d\" % (psutil.cpu_count(), psutil.cpu_count(False), os.sysconf(\"SC_NPROCESSORS_ONLN\")))'");
    cr_assert(out);
    cr_expect_eq(lg, (int32_t)sys_kv_d(out, "l"));
    cr_expect_eq(lg, (int32_t)sys_kv_d(out, "onln"));
    char *pv = sys_kv(out, "p");
    int rc = ps_cpu_count_physical(&ph);
    if (pv && !strcmp(pv, "None")) cr_expect_eq(rc, PS_ENOTSUP);
    else {
        cr_expect_eq(rc, 0);
        cr_expect_eq(ph, (int32_t)sys_kv_d(out, "p"));
    }
    free(pv);
    free(out);
    /* nproc --all counts configured CPUs: an upper bound of online ones. */
    char *np = sys_run("nproc --all");
    cr_assert(np);
    cr_expect(lg <= atoi(np));
    free(np);
}

Test(system, cpu_stats_bracket_psutil)
{
    ps_cpustats a, b;
    cr_assert_eq(ps_cpu_stats(&a), 0);
    char *out = sys_run(PY " -c 'import psutil; s=psutil.cpu_stats(); print(\"c=%d\\ni=%d\\ns=%d\\ny=%d\" % s)'");
    cr_assert_eq(ps_cpu_stats(&b), 0);
    cr_assert(out);
    double c = sys_kv_d(out, "c"), i = sys_kv_d(out, "i"), s = sys_kv_d(out, "s");
    cr_expect(c >= (double)a.ctx_switches && c <= (double)b.ctx_switches);
    cr_expect(i >= (double)a.interrupts && i <= (double)b.interrupts);
    cr_expect(s >= (double)a.soft_interrupts && s <= (double)b.soft_interrupts);
    cr_expect_eq(sys_kv_d(out, "y"), 0.0);
    cr_expect_eq(a.syscalls, PS_UNKNOWN_U64, "Linux does not count syscalls (psutil 0)");
    free(out);
}

Test(system, cpu_freq_vs_psutil)
{
    char *out = sys_run(PY " -c 'import psutil\nf=psutil.cpu_freq()\nprint(\"c=%r\\nmn=%r\\nmx=%r\\nn=%d\" % (f.current, f.min or 0.0, f.max or 0.0, len(psutil.cpu_freq(percpu=True))))'");
    ps_cpufreq f;
    int rc = ps_cpu_freq(&f);
    if (!out) { /* psutil has no frequency here either */
        cr_expect_eq(rc, PS_ENOTSUP);
        return;
    }
    cr_assert_eq(rc, 0);
    /* current moves with scaling_cur_freq: 10 %; min/max are static: exact. */
    double c = sys_kv_d(out, "c");
    cr_expect(fabs(f.current - c) <= c * 0.10, "current %f vs psutil %f", f.current, c);
    /* unknown bounds: NaN here, 0.0 (or None) in psutil */
    cr_expect(fabs((isnan(f.min) ? 0.0 : f.min) - sys_kv_d(out, "mn")) < 1e-6);
    cr_expect(fabs((isnan(f.max) ? 0.0 : f.max) - sys_kv_d(out, "mx")) < 1e-6);
    ps_cpufreq_list *l = NULL;
    cr_assert_eq(ps_cpu_freq_percpu(&l), 0);
    /* psutil 5.9.4 lists one entry per cpufreq policy, psutil 8 (and this library) one per
     * online CPU of the policies' affected_cpus: they agree unless a policy governs several
     * CPUs or covers an offline one. That case is checked against sysfs (the CPUs listed by
     * every policy's affected_cpus) and by the cpufreq8 fixture, not against psutil. */
    char *multi = sys_run("cat /sys/devices/system/cpu/cpufreq/policy*/affected_cpus 2>/dev/null | wc -w; "
                          "ls -d /sys/devices/system/cpu/cpufreq/policy[0-9]* 2>/dev/null | wc -l");
    long ncpus = 0, npol = 0;
    if (multi) sscanf(multi, "%ld %ld", &ncpus, &npol);
    free(multi);
    if (npol > 0 && ncpus != npol) {
        cr_log_info("cpufreq policies govern %ld CPUs in %ld policies: psutil 5.9.4 is per policy; "
                    "compared with sysfs", ncpus, npol);
        cr_expect_eq((long)l->count, ncpus);
        ps_cpufreq_list_free(l);
        free(out);
        return;
    }
    cr_expect_eq((double)l->count, sys_kv_d(out, "n"));
    free(out);
    out = sys_run(PY " -c 'import psutil\nfor i,f in enumerate(psutil.cpu_freq(percpu=True)): print(\"c%d=%r\\nn%d=%r\\nx%d=%r\" % (i, f.current, i, f.min or 0.0, i, f.max or 0.0))'");
    cr_assert(out);
    for (size_t i = 0; i < l->count; i++) {
        char k[3][32];
        snprintf(k[0], sizeof k[0], "c%zu", i);
        snprintf(k[1], sizeof k[1], "n%zu", i);
        snprintf(k[2], sizeof k[2], "x%zu", i);
        double pc = sys_kv_d(out, k[0]);
        cr_expect(fabs(l->items[i].current - pc) <= pc * 0.10, "cpu%zu %f vs %f", i, l->items[i].current, pc);
        cr_expect(fabs((isnan(l->items[i].min) ? 0.0 : l->items[i].min) - sys_kv_d(out, k[1])) < 1e-6);
        cr_expect(fabs((isnan(l->items[i].max) ? 0.0 : l->items[i].max) - sys_kv_d(out, k[2])) < 1e-6);
    }
    ps_cpufreq_list_free(l);
    free(out);
}

Test(system, loadavg_and_boot_time)
{
    double la[3];
    cr_assert_eq(ps_getloadavg(la), 0);
    FILE *f = fopen("/proc/loadavg", "r");
    double d[3];
    cr_assert(f && fscanf(f, "%lf %lf %lf", &d[0], &d[1], &d[2]) == 3);
    fclose(f);
    /* load moves slowly: 0.5 between two reads */
    for (int i = 0; i < 3; i++) cr_expect(fabs(la[i] - d[i]) < 0.5);
    double bt;
    cr_assert_eq(ps_boot_time(&bt), 0);
    char *out = sys_run(PY " -c 'import psutil; print(\"b=%r\" % psutil.boot_time())'");
    cr_assert(out);
    cr_expect_eq(bt, sys_kv_d(out, "b"));
    free(out);
}

/* ---- memory ------------------------------------------------------------------------- */

Test(system, virtual_memory_vs_psutil_and_free)
{
    ps_vmem m, m2;
    cr_assert_eq(ps_virtual_memory(&m), 0);
    char *out = sys_run(PY " -c 'import psutil; m=psutil.virtual_memory(); print(\"\\n\".join(\"%s=%r\" % (k, getattr(m,k)) for k in m._fields))'");
    cr_assert_eq(ps_virtual_memory(&m2), 0);
    cr_assert(out);
    cr_expect_eq((double)m.total, sys_kv_d(out, "total"));
    /* this kernel's meminfo has every field: nothing unknown, available not estimated */
    cr_expect_eq(m.flags, 0u);
    cr_expect(m.active != PS_UNKNOWN_U64 && m.inactive != PS_UNKNOWN_U64 &&
              m.buffers != PS_UNKNOWN_U64 && m.cached != PS_UNKNOWN_U64 &&
              m.shared != PS_UNKNOWN_U64 && m.slab != PS_UNKNOWN_U64);
    /* psutil's Linux svmem has no wired (macOS/BSD/Windows): not available, never 0 */
    cr_expect(!strstr(out, "wired="));
    cr_expect_eq(m.wired, PS_UNKNOWN_U64);
    /* Other suites allocate and free memory concurrently: psutil's figure lies between our two
     * samples or within 64 MiB of one of them. */
#define NEAR(f) do { double p_ = sys_kv_d(out, #f), a_ = (double)m.f, b_ = (double)m2.f; \
        cr_expect((p_ >= (a_ < b_ ? a_ : b_) && p_ <= (a_ < b_ ? b_ : a_)) || fabs(a_ - p_) < 64 * MiB || \
                  fabs(b_ - p_) < 64 * MiB, #f ": psutil %f vs ours %f / %f", p_, a_, b_); } while (0)
    NEAR(available); NEAR(free); NEAR(active); NEAR(inactive); NEAR(buffers); NEAR(cached);
    NEAR(shared); NEAR(slab);
#undef NEAR
    cr_expect(fabs(m.percent - sys_kv_d(out, "percent")) < 1.0);
    cr_expect_eq(m.used, m.total - m.available);
    free(out);
    /* `free -b` (procps >= 4.0.1): used = total - available. */
    out = sys_run("free -b | awk '/^Mem:/ {print \"total=\" $2 \"\\nused=\" $3 \"\\navail=\" $7}'");
    cr_assert(out);
    cr_expect_eq((double)m.total, sys_kv_d(out, "total"));
    cr_expect(fabs((double)m.used - sys_kv_d(out, "used")) < 64 * MiB);
    cr_expect(fabs((double)m.available - sys_kv_d(out, "avail")) < 64 * MiB);
    free(out);
}

Test(system, swap_memory_vs_psutil_and_free)
{
    ps_swapmem s;
    cr_assert_eq(ps_swap_memory(&s), 0);
    char *out = sys_run(PY " -c 'import psutil; m=psutil.swap_memory(); print(\"\\n\".join(\"%s=%r\" % (k, getattr(m,k)) for k in m._fields))'");
    cr_assert(out);
    cr_expect_eq((double)s.total, sys_kv_d(out, "total"));
    cr_expect(fabs((double)s.used - sys_kv_d(out, "used")) < 64 * MiB);
    cr_expect(fabs(s.percent - sys_kv_d(out, "percent")) < 1.0);
    cr_expect(sys_kv_d(out, "sin") >= (double)s.sin && sys_kv_d(out, "sin") < (double)s.sin + 64 * MiB);
    cr_expect(sys_kv_d(out, "sout") >= (double)s.sout && sys_kv_d(out, "sout") < (double)s.sout + 64 * MiB);
    free(out);
    out = sys_run("free -b | awk '/^Swap:/ {print \"total=\" $2}'");
    cr_assert(out);
    cr_expect_eq((double)s.total, sys_kv_d(out, "total"));
    free(out);
}

/* ---- disks -------------------------------------------------------------------------- */

/* Our partitions as psutil would print them: one line per entry, repr() of each str field
 * with surrogateescape bytes shown the way Python shows them. */
static char *ours_as_lines(int all)
{
    ps_disk_partition_list *l = NULL;
    if (ps_disk_partitions(all, &l) != 0) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    buf[0] = '\0';
    for (size_t i = 0; i < l->count; i++) {
        ps_disk_partition *p = &l->items[i];
        size_t need = strlen(p->device) + strlen(p->mountpoint) + strlen(p->fstype) + strlen(p->opts) + 8;
        if (n + need + 1 > cap) {
            cap = (n + need + 1) * 2;
            buf = realloc(buf, cap);
        }
        n += (size_t)sprintf(buf + n, "%s\t%s\t%s\t%s\n", p->device, p->mountpoint, p->fstype, p->opts);
    }
    ps_disk_partition_list_free(l);
    return buf;
}

static char *psutil_partitions(int all)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, PY " -c 'import psutil,sys\nfor p in psutil.disk_partitions(all=%s):\n"
             " sys.stdout.buffer.write((\"%%s\\t%%s\\t%%s\\t%%s\\n\" %% (p.device,p.mountpoint,p.fstype,p.opts)).encode(\"utf-8\",\"surrogatepass\"))'",
             all ? "True" : "False");
    return sys_run(cmd);
}

static void compare_partitions(int all)
{
    /* Mounts of concurrent tests may appear between two reads: retry a few times. */
    char *ours = NULL, *theirs = NULL;
    for (int attempt = 0; attempt < 5; attempt++) {
        free(ours);
        free(theirs);
        ours = ours_as_lines(all);
        theirs = psutil_partitions(all);
        char *again = ours_as_lines(all);
        bool stable = ours && again && !strcmp(ours, again);
        free(again);
        if (stable && theirs && !strcmp(ours, theirs)) break;
        usleep(100000);
    }
    cr_assert(ours && theirs);
    cr_expect_str_eq(ours, theirs);
    free(ours);
    free(theirs);
}

Test(system, disk_partitions_all_equals_psutil) { compare_partitions(1); }
Test(system, disk_partitions_physical_equals_psutil) { compare_partitions(0); }

Test(system, disk_partitions_vs_findmnt)
{
    /* every target findmnt lists (raw mode escapes with \xNN) is one of ours */
    char *out = sys_run("findmnt -rn -o TARGET");
    cr_assert(out);
    ps_disk_partition_list *l = NULL;
    cr_assert_eq(ps_disk_partitions(1, &l), 0);
    size_t found = 0, total = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        char dec[4096];
        size_t j = 0;
        for (size_t i = 0; line[i] && j < sizeof dec - 1; i++) {
            unsigned v;
            if (line[i] == '\\' && line[i + 1] == 'x' && sscanf(line + i + 2, "%2x", &v) == 1) {
                dec[j++] = (char)v;
                i += 3;
            } else dec[j++] = line[i];
        }
        dec[j] = '\0';
        total++;
        for (size_t k = 0; k < l->count; k++)
            if (!strcmp(l->items[k].mountpoint, dec)) {
                found++;
                break;
            }
    }
    cr_expect_gt(total, 0);
    cr_expect(total - found <= 1, "%zu of %zu findmnt targets missing", total - found, total);
    ps_disk_partition_list_free(l);
    free(out);
}

Test(system, disk_usage_vs_df_and_psutil)
{
    ps_diskusage u;
    cr_assert_eq(ps_disk_usage("/", &u), 0);
    char *out = sys_run("df -B1 --output=size,used,avail / | tail -1 | awk '{print \"size=\" $1 \"\\nused=\" $2 \"\\navail=\" $3}'");
    cr_assert(out);
    cr_expect_eq((double)u.total, sys_kv_d(out, "size"));
    /* other tests write files: 256 MiB */
    cr_expect(fabs((double)u.used - sys_kv_d(out, "used")) < 256 * MiB);
    cr_expect(fabs((double)u.free - sys_kv_d(out, "avail")) < 256 * MiB);
    free(out);
    out = sys_run(PY " -c 'import psutil; u=psutil.disk_usage(\"/\"); print(\"t=%d\\np=%r\" % (u.total, u.percent))'");
    cr_assert(out);
    cr_expect_eq((double)u.total, sys_kv_d(out, "t"));
    cr_expect(fabs(u.percent - sys_kv_d(out, "p")) < 0.5);
    free(out);
}

Test(system, disk_usage_bad_input)
{
    ps_diskusage u;
    cr_expect_eq(ps_disk_usage("/nonexistent/psinfo/path", &u), PS_ENOENT);
    cr_expect_eq(ps_disk_usage(NULL, &u), PS_EINVAL);
    cr_expect_eq(ps_disk_usage("/", NULL), PS_EINVAL);
    ps_error_detail d;
    cr_expect_eq(ps_disk_usage("/nonexistent/x", &u), PS_ENOENT);
    ps_error_last(&d);
    cr_expect_eq(d.code, PS_ENOENT);
}

Test(system, disk_io_vs_psutil)
{
    ps_diskio a, b;
    int rc = ps_disk_io_counters(&a);
    char *out = sys_run(PY " -c 'import psutil\nd=psutil.disk_io_counters()\nprint(\"none=1\" if d is None else \"\\n\".join(\"%s=%d\" % (k, getattr(d,k)) for k in d._fields))\nprint(\"names=\" + \",\".join(sorted(psutil.disk_io_counters(perdisk=True))))'");
    cr_assert(out);
    if (sys_kv_d(out, "none") == 1.0) {
        cr_expect_eq(rc, PS_ENOENT);
        free(out);
        return;
    }
    cr_assert_eq(rc, 0);
    cr_assert_eq(ps_disk_io_counters(&b), 0);
#define BR(f) cr_expect(sys_kv_d(out, #f) >= (double)a.f && sys_kv_d(out, #f) <= (double)b.f, \
                        #f ": %f not in [%llu, %llu]", sys_kv_d(out, #f), (unsigned long long)a.f, \
                        (unsigned long long)b.f)
    BR(read_count); BR(write_count); BR(read_bytes); BR(write_bytes); BR(read_time); BR(write_time);
    BR(read_merged_count); BR(write_merged_count); BR(busy_time);
#undef BR
    ps_diskio_list *l = NULL;
    cr_assert_eq(ps_disk_io_counters_perdisk(&l), 0);
    /* names, sorted, as psutil's dict keys */
    char **names = calloc(l->count, sizeof *names);
    for (size_t i = 0; i < l->count; i++) names[i] = l->items[i].name;
    for (size_t i = 0; i < l->count; i++)
        for (size_t j = i + 1; j < l->count; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char *t = names[i];
                names[i] = names[j];
                names[j] = t;
            }
    char joined[8192] = "";
    for (size_t i = 0; i < l->count; i++) {
        if (i) strcat(joined, ",");
        strcat(joined, names[i]);
    }
    /* per disk: psutil's read_count of each disk lies between our two samples */
    char *pd = sys_run(PY " -c 'import psutil\nfor k,v in psutil.disk_io_counters(perdisk=True).items(): print(\"%s=%d\" % (k, v.read_count))'");
    ps_diskio_list *l2 = NULL;
    cr_assert_eq(ps_disk_io_counters_perdisk(&l2), 0);
    cr_assert(pd);
    for (size_t i = 0; i < l->count && i < l2->count; i++) {
        double v = sys_kv_d(pd, l->items[i].name);
        cr_expect(v >= (double)l->items[i].counters.read_count - 1e-9 || v == -12345.0);
        if (!strcmp(l->items[i].name, l2->items[i].name))
            cr_expect(v <= (double)l2->items[i].counters.read_count + 1e-9 || v == -12345.0,
                      "%s: psutil %f", l->items[i].name, v);
    }
    ps_diskio_list_free(l2);
    free(pd);
    char *pn = sys_kv(out, "names");
    cr_expect_str_eq(joined, pn);
    free(pn);
    free(names);
    ps_diskio_list_free(l);
    free(out);
}

/* ---- sensors, users ------------------------------------------------------------------- */

Test(system, sensors_vs_psutil)
{
    char *out = sys_run(PY " -c 'import psutil\nt=psutil.sensors_temperatures()\nf=psutil.sensors_fans()\nb=psutil.sensors_battery()\n"
                        "print(\"t=%d\\nf=%d\\nb=%d\" % (sum(len(v) for v in t.values()), sum(len(v) for v in f.values()), b is not None))\n"
                        "print(\"bp=%r\" % (b.percent if b else -1))'");
    cr_assert(out);
    ps_temperature_list *t = NULL;
    cr_assert_eq(ps_sensors_temperatures(&t), 0);
    cr_expect_eq((double)t->count, sys_kv_d(out, "t"));
    ps_temperature_list_free(t);
    ps_fan_list *f = NULL;
    cr_assert_eq(ps_sensors_fans(&f), 0);
    cr_expect_eq((double)f->count, sys_kv_d(out, "f"));
    ps_fan_list_free(f);
    ps_battery b;
    cr_assert_eq(ps_sensors_battery(&b), 0);
    cr_expect_eq((double)b.present, sys_kv_d(out, "b"));
    if (b.present) cr_expect(fabs(b.percent - sys_kv_d(out, "bp")) < 2.0);
    free(out);
}

Test(system, users_vs_psutil)
{
    ps_user_list *u = NULL;
    cr_assert_eq(ps_users(&u), 0);
    char *out = sys_run(PY " -c 'import psutil\nu=psutil.users()\nprint(\"n=%d\" % len(u))\nfor i,x in enumerate(u): print(\"u%d=%s %s %d\" % (i, x.name, x.host, x.started))'");
    cr_assert(out);
    cr_expect_eq((double)u->count, sys_kv_d(out, "n"));
    for (size_t i = 0; i < u->count; i++) {
        char k[32], exp[1024];
        snprintf(k, sizeof k, "u%zu", i);
        /* no host: NULL here, psutil's '' on Linux */
        snprintf(exp, sizeof exp, "%s %s %d", u->items[i].name, u->items[i].host ? u->items[i].host : "",
                 (int)u->items[i].started);
        char *v = sys_kv(out, k);
        cr_expect_str_eq(exp, v ? v : "");
        free(v);
    }
    ps_user_list_free(u);
    free(out);
}

/* ---- containers --------------------------------------------------------------------- */

Test(system, cgroup_limits_self_vs_files)
{
    ps_cgroup_limits *l = NULL;
    ps_proc *self = NULL;
    cr_assert_eq(ps_proc_open_self(&self), 0);
    cr_assert_eq(ps_proc_cgroup_limits(self, &l), 0);
    /* affinity: nproc prints the size of our affinity mask */
    char *np = sys_run("nproc");
    cr_assert(np);
    cr_expect_eq(l->affinity_count, atoi(np));
    free(np);
    cr_expect(l->usable_cpus >= 1 && l->usable_cpus <= l->affinity_count);
    int32_t usable = 0, usable_h = 0;
    cr_assert_eq(ps_cpu_count_usable(&usable), 0);
    cr_expect_eq(usable, l->usable_cpus);
    cr_assert_eq(ps_proc_cpu_count_usable(self, &usable_h), 0);
    cr_expect_eq(usable_h, usable);
    ps_proc_free(self);
    /* the files, read by the shell: v2 first, else v1 */
    /* mnt TYPE [CONTROLLER]: the mount point of the first mount of that type (whose super
     * options list the controller), fields located after mountinfo's "-" separator */
    char *out = sys_run(
        "mnt() { awk -v t=\"$1\" -v c=\"$2\" '{for(i=7;i<=NF;i++) if($i==\"-\") break;"
        " if($(i+1)!=t) next; if(c!=\"\" && (\",\" $(i+3) \",\") !~ (\",\" c \",\")) next; print $5; exit}' /proc/self/mountinfo; };"
        "v1path() { awk -F: -v c=\"$1\" '(\",\" $2 \",\") ~ (\",\" c \",\") {print $3; exit}' /proc/self/cgroup; };"
        "p2=$(sed -n 's/^0:://p' /proc/self/cgroup); m2=$(mnt cgroup2);"
        "if [ -n \"$m2\" ] && [ -f \"$m2$p2/memory.max\" ]; then echo v=2; echo lim=$(cat \"$m2$p2/memory.max\"); echo path=$p2;"
        "else p1=$(v1path memory); m1=$(mnt cgroup memory);"
        " if [ -n \"$m1\" ] && [ -f \"$m1$p1/memory.limit_in_bytes\" ]; then echo v=1; echo lim=$(cat \"$m1$p1/memory.limit_in_bytes\"); echo path=$p1; else echo v=0; fi; fi;"
        "if [ -n \"$m2\" ] && [ -f \"$m2$p2/cpu.max\" ]; then echo cv=2; echo cq=$(cut -d' ' -f1 \"$m2$p2/cpu.max\");"
        "else pc=$(v1path cpu); mc=$(mnt cgroup cpu);"
        " if [ -n \"$mc\" ] && [ -f \"$mc$pc/cpu.cfs_quota_us\" ]; then echo cv=1; echo cq=$(cat \"$mc$pc/cpu.cfs_quota_us\"); else echo cv=0; fi; fi");
    cr_assert(out);
    int v = (int)sys_kv_d(out, "v");
    cr_expect_eq(l->memory_version, v);
    if (v) {
        char *lim = sys_kv(out, "lim"), *path = sys_kv(out, "path");
        if (!strcmp(lim, "max") || strtod(lim, NULL) >= 4611686018427387904.0) {
            cr_expect_eq(l->memory_limit_state, PS_LIMIT_NONE);
            cr_expect_eq(l->memory_limit, PS_UNKNOWN_U64, "no limit: no value");
        } else {
            cr_expect_eq(l->memory_limit_state, PS_LIMIT_SET);
            cr_expect_eq((double)l->memory_limit, strtod(lim, NULL));
        }
        cr_expect_str_eq(l->path, path);
        cr_expect_neq(l->memory_usage, PS_UNKNOWN_U64);
        cr_expect_gt(l->memory_usage, 0);
        free(lim);
        free(path);
    }
    /* the effective limit is never looser than the own one */
    if (l->memory_limit_state == PS_LIMIT_SET) {
        cr_expect_eq(l->effective_memory_limit_state, PS_LIMIT_SET);
        cr_expect_leq(l->effective_memory_limit, l->memory_limit);
    }
    int cv = (int)sys_kv_d(out, "cv");
    cr_expect_eq(l->cpu_version, cv);
    if (cv) {
        char *cq = sys_kv(out, "cq");
        if (!strcmp(cq, "max") || !strcmp(cq, "-1")) {
            cr_expect_eq(l->cpu_quota_state, PS_LIMIT_NONE);
            cr_expect_eq(l->cpu_quota_us, PS_UNKNOWN_I64);
            cr_expect_eq(l->cpu_period_us, PS_UNKNOWN_I64);
        } else {
            cr_expect_eq(l->cpu_quota_state, PS_LIMIT_SET);
            cr_expect_eq((double)l->cpu_quota_us, strtod(cq, NULL));
        }
        free(cq);
    }
    free(out);
    ps_cgroup_limits_free(l);
}

Test(system, cgroup_limits_other_pid)
{
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    ps_cgroup_limits *l = NULL, *me = NULL;
    ps_proc *h = NULL;
    cr_assert_eq(ps_proc_open(child, &h), 0);
    cr_assert_eq(ps_proc_cgroup_limits(h, &l), 0);
    cr_assert_eq(ps__cgroup_limits_pid(0, &me), 0);
    /* a forked child shares our cgroup */
    cr_expect_str_eq(l->path, me->path);
    cr_expect_eq(l->memory_version, me->memory_version);
    cr_expect_eq(l->affinity_count, me->affinity_count);
    ps_cgroup_limits_free(l);
    ps_cgroup_limits_free(me);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    /* the reaped child is gone: the handle says so, whoever gets its number next */
    cr_expect_eq(ps_proc_cgroup_limits(h, &l), PS_ENOPROC);
    cr_expect_null(l);
    int32_t n = 0;
    cr_expect_eq(ps_proc_cpu_count_usable(h, &n), PS_ENOPROC);
    ps_proc_free(h);
    cr_expect_eq(ps__cgroup_limits_pid(child, &l), PS_ENOPROC);
    cr_expect_eq(ps__cgroup_limits_pid(-1, &l), PS_EINVAL);
}

/* ---- bad input ---------------------------------------------------------------------- */

Test(system, null_out_pointers)
{
    cr_expect_eq(ps_cpu_times(NULL), PS_EINVAL);
    cr_expect_eq(ps_cpu_times_percpu(NULL), PS_EINVAL);
    cr_expect_eq(ps_cpu_count_logical(NULL), PS_EINVAL);
    cr_expect_eq(ps_cpu_count_physical(NULL), PS_EINVAL);
    cr_expect_eq(ps_cpu_stats(NULL), PS_EINVAL);
    cr_expect_eq(ps_cpu_freq(NULL), PS_EINVAL);
    cr_expect_eq(ps_cpu_freq_percpu(NULL), PS_EINVAL);
    cr_expect_eq(ps_getloadavg(NULL), PS_EINVAL);
    cr_expect_eq(ps_boot_time(NULL), PS_EINVAL);
    cr_expect_eq(ps_virtual_memory(NULL), PS_EINVAL);
    cr_expect_eq(ps_swap_memory(NULL), PS_EINVAL);
    cr_expect_eq(ps_disk_partitions(0, NULL), PS_EINVAL);
    ps_disk_partition_list *pl = (void *)1;
    cr_expect_eq(ps_disk_partitions(2, &pl), PS_EINVAL);
    cr_expect_null(pl);
    cr_expect_eq(ps_disk_io_counters(NULL), PS_EINVAL);
    cr_expect_eq(ps_disk_io_counters_perdisk(NULL), PS_EINVAL);
    cr_expect_eq(ps_sensors_temperatures(NULL), PS_EINVAL);
    cr_expect_eq(ps_sensors_fans(NULL), PS_EINVAL);
    cr_expect_eq(ps_sensors_battery(NULL), PS_EINVAL);
    cr_expect_eq(ps_users(NULL), PS_EINVAL);
    ps_proc *self = NULL;
    cr_assert_eq(ps_proc_open_self(&self), 0);
    ps_cgroup_limits *cg = NULL;
    int32_t n = 0;
    cr_expect_eq(ps_proc_cgroup_limits(NULL, &cg), PS_EINVAL);
    cr_expect_eq(ps_proc_cgroup_limits(self, NULL), PS_EINVAL);
    cr_expect_eq(ps_proc_cpu_count_usable(NULL, &n), PS_EINVAL);
    cr_expect_eq(ps_proc_cpu_count_usable(self, NULL), PS_EINVAL);
    cr_expect_eq(ps_cpu_count_usable(NULL), PS_EINVAL);
    ps_proc_free(self);
    ps_cputimes t;
    double p;
    cr_expect_eq(ps_cpu_percent(NULL, &t, &p), PS_EINVAL);
    cr_expect_eq(ps_cpu_percent(&t, NULL, &p), PS_EINVAL);
    cr_expect_eq(ps_cpu_percent(&t, &t, NULL), PS_EINVAL);
    cr_expect_eq(ps_cpu_times_percent(&t, &t, NULL), PS_EINVAL);
    /* free functions accept NULL */
    ps_cputimes_list_free(NULL);
    ps_cpufreq_list_free(NULL);
    ps_disk_partition_list_free(NULL);
    ps_diskio_list_free(NULL);
    ps_temperature_list_free(NULL);
    ps_fan_list_free(NULL);
    ps_user_list_free(NULL);
    ps_cgroup_limits_free(NULL);
}

/* cpu_percent over a real interval, checked against psutil's formula applied to our two
 * samples (and bounded). */
Test(system, cpu_percent_live)
{
    ps_cputimes a, b;
    cr_assert_eq(ps_cpu_times(&a), 0);
    usleep(700000); /* > 1 s of CPU time in total on 2 CPUs: psutil's scale is 100/max(1, total) */
    cr_assert_eq(ps_cpu_times(&b), 0);
    double p;
    cr_assert_eq(ps_cpu_percent(&a, &b, &p), 0);
    cr_expect(p >= 0.0 && p <= 100.0);
    ps_cputimes tp;
    cr_assert_eq(ps_cpu_times_percent(&a, &b, &tp), 0);
    double sum = tp.user + tp.nice + tp.system + tp.idle + tp.iowait + tp.irq + tp.softirq + tp.steal;
    /* each field is rounded to 0.1: the eight non-guest fields add up to 100 +- 0.4 */
    cr_expect(fabs(sum - 100.0) < 0.5, "sum %f", sum);
}

/* ---- threads -------------------------------------------------------------------------- */

#include <pthread.h>

static void *hammer(void *arg)
{
    long bad = 0;
    (void)arg;
    for (int i = 0; i < 150; i++) {
        ps_disk_partition_list *l = NULL;
        if (ps_disk_partitions(1, &l) != 0) bad++;
        else {
            int root = 0;
            for (size_t k = 0; k < l->count; k++) root += !strcmp(l->items[k].mountpoint, "/");
            if (root < 1) bad++;
        }
        ps_disk_partition_list_free(l);
        ps_vmem m;
        if (ps_virtual_memory(&m) != 0 || m.total == 0 || m.used != m.total - m.available) bad++;
        ps_cputimes_list *c = NULL;
        if (ps_cpu_times_percpu(&c) != 0 || c->count == 0) bad++;
        ps_cputimes_list_free(c);
        ps_cgroup_limits *g = NULL;
        if (ps__cgroup_limits_pid(0, &g) != 0 || g->affinity_count < 1) bad++;
        ps_cgroup_limits_free(g);
        ps_diskusage u;
        if (ps_disk_usage("/", &u) != 0 || u.total == 0) bad++;
    }
    return (void *)bad;
}

Test(system, concurrent_calls_from_threads)
{
    pthread_t t[6];
    for (int i = 0; i < 6; i++) cr_assert_eq(pthread_create(&t[i], NULL, hammer, NULL), 0);
    for (int i = 0; i < 6; i++) {
        void *r;
        pthread_join(t[i], &r);
        cr_expect_eq((long)r, 0, "thread %d: %ld failures", i, (long)r);
    }
}

/* ---- disk_partitions never calls statvfs ---------------------------------------------- */

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

Test(system, disk_partitions_never_statfs)
{
    /* This test runs in its own process: kill it if statfs/fstatfs (what statvfs uses) is
     * ever called — a dead network mount would hang there. */
    struct sock_filter filt[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_statfs, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_fstatfs, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    };
    struct sock_fprog prog = {.len = sizeof filt / sizeof filt[0], .filter = filt};
    cr_assert_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
    cr_assert_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);
    ps_disk_partition_list *l = NULL;
    cr_assert_eq(ps_disk_partitions(1, &l), 0);
    cr_expect_gt(l->count, 0);
    ps_disk_partition_list_free(l);
    cr_assert_eq(ps_disk_partitions(0, &l), 0);
    ps_disk_partition_list_free(l);
}

Test(system, disk_usage_does_statfs_under_the_same_filter, .signal = SIGSYS)
{
    /* the counter-check: the filter above does catch statvfs */
    struct sock_filter filt[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_statfs, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_fstatfs, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    };
    struct sock_fprog prog = {.len = sizeof filt / sizeof filt[0], .filter = filt};
    cr_assert_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
    cr_assert_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);
    ps_diskusage u;
    ps_disk_usage("/", &u);
}

/* Reserved tails (docs/abi.md) read zero in every struct the library fills: out-structs are
 * filled with garbage first, list headers and every item are checked. */
Test(system, reserved_tails_zero)
{
    cr_expect(TR_TAIL_LAST(ps_cputimes) && TR_TAIL_LAST(ps_cputimes_list) && TR_TAIL_LAST(ps_cpustats));
    cr_expect(TR_TAIL_LAST(ps_cpufreq) && TR_TAIL_LAST(ps_cpufreq_list) && TR_TAIL_LAST(ps_vmem));
    cr_expect(TR_TAIL_LAST(ps_swapmem) && TR_TAIL_LAST(ps_disk_partition) &&
              TR_TAIL_LAST(ps_disk_partition_list) && TR_TAIL_LAST(ps_diskusage));
    cr_expect(TR_TAIL_LAST(ps_diskio) && TR_TAIL_LAST(ps_diskio_entry) && TR_TAIL_LAST(ps_diskio_list));
    cr_expect(TR_TAIL_LAST(ps_temperature) && TR_TAIL_LAST(ps_temperature_list) &&
              TR_TAIL_LAST(ps_fan) && TR_TAIL_LAST(ps_fan_list) && TR_TAIL_LAST(ps_battery));
    cr_expect(TR_TAIL_LAST(ps_user) && TR_TAIL_LAST(ps_user_list) && TR_TAIL_LAST(ps_cgroup_limits));
    cr_expect(TR_TAIL_LAST(ps_error_detail));

    ps_cputimes t, t2, tp;
    TR_GARBAGE(&t);
    cr_assert_eq(ps_cpu_times(&t), 0);
    cr_expect(TR_TAIL_ZERO(&t));
    t2 = t;
    t2.user += 1;
    TR_GARBAGE(&tp);
    cr_assert_eq(ps_cpu_times_percent(&t, &t2, &tp), 0);
    cr_expect(TR_TAIL_ZERO(&tp));
    ps_cputimes_list *cl = NULL;
    cr_assert_eq(ps_cpu_times_percpu(&cl), 0);
    cr_expect(TR_TAIL_ZERO(cl));
    for (size_t i = 0; i < cl->count; i++) cr_expect(TR_TAIL_ZERO(&cl->items[i]), "cpu %zu", i);
    ps_cputimes_list_free(cl);
    ps_cpustats st;
    TR_GARBAGE(&st);
    cr_assert_eq(ps_cpu_stats(&st), 0);
    cr_expect(TR_TAIL_ZERO(&st));
    ps_cpufreq f;
    TR_GARBAGE(&f);
    int rc = ps_cpu_freq(&f);
    cr_expect(rc == 0 || rc == PS_ENOTSUP);
    if (rc == 0) {
        cr_expect(TR_TAIL_ZERO(&f) && f.pad0 == 0);
        ps_cpufreq_list *fl = NULL;
        cr_assert_eq(ps_cpu_freq_percpu(&fl), 0);
        cr_expect(TR_TAIL_ZERO(fl));
        for (size_t i = 0; i < fl->count; i++) cr_expect(TR_TAIL_ZERO(&fl->items[i]) && fl->items[i].pad0 == 0);
        ps_cpufreq_list_free(fl);
    }
    ps_vmem vm;
    TR_GARBAGE(&vm);
    cr_assert_eq(ps_virtual_memory(&vm), 0);
    cr_expect(TR_TAIL_ZERO(&vm) && vm.pad0 == 0);
    ps_swapmem sw;
    TR_GARBAGE(&sw);
    cr_assert_eq(ps_swap_memory(&sw), 0);
    cr_expect(TR_TAIL_ZERO(&sw));
    ps_disk_partition_list *pl = NULL;
    cr_assert_eq(ps_disk_partitions(1, &pl), 0);
    cr_expect(TR_TAIL_ZERO(pl));
    for (size_t i = 0; i < pl->count; i++) cr_expect(TR_TAIL_ZERO(&pl->items[i]), "%s", pl->items[i].mountpoint);
    ps_disk_partition_list_free(pl);
    ps_diskusage du;
    TR_GARBAGE(&du);
    cr_assert_eq(ps_disk_usage("/", &du), 0);
    cr_expect(TR_TAIL_ZERO(&du));
    ps_diskio io;
    TR_GARBAGE(&io);
    rc = ps_disk_io_counters(&io);
    cr_expect(rc == 0 || rc == PS_ENOENT);
    if (rc == 0) cr_expect(TR_TAIL_ZERO(&io));
    ps_diskio_list *dl = NULL;
    cr_assert_eq(ps_disk_io_counters_perdisk(&dl), 0);
    cr_expect(TR_TAIL_ZERO(dl));
    for (size_t i = 0; i < dl->count; i++)
        cr_expect(TR_TAIL_ZERO(&dl->items[i]) && TR_TAIL_ZERO(&dl->items[i].counters), "%s", dl->items[i].name);
    ps_diskio_list_free(dl);
    ps_temperature_list *tl = NULL;
    cr_assert_eq(ps_sensors_temperatures(&tl), 0);
    cr_expect(TR_TAIL_ZERO(tl));
    for (size_t i = 0; i < tl->count; i++) cr_expect(TR_TAIL_ZERO(&tl->items[i]));
    ps_temperature_list_free(tl);
    ps_fan_list *fa = NULL;
    cr_assert_eq(ps_sensors_fans(&fa), 0);
    cr_expect(TR_TAIL_ZERO(fa));
    for (size_t i = 0; i < fa->count; i++) cr_expect(TR_TAIL_ZERO(&fa->items[i]));
    ps_fan_list_free(fa);
    ps_battery b;
    TR_GARBAGE(&b);
    cr_assert_eq(ps_sensors_battery(&b), 0);
    cr_expect(TR_TAIL_ZERO(&b));
    ps_user_list *ul = NULL;
    cr_assert_eq(ps_users(&ul), 0);
    cr_expect(TR_TAIL_ZERO(ul));
    for (size_t i = 0; i < ul->count; i++) cr_expect(TR_TAIL_ZERO(&ul->items[i]));
    ps_user_list_free(ul);
    ps_proc *self = NULL;
    cr_assert_eq(ps_proc_open_self(&self), 0);
    ps_cgroup_limits *cg = NULL;
    cr_assert_eq(ps_proc_cgroup_limits(self, &cg), 0);
    cr_expect(TR_TAIL_ZERO(cg));
    ps_cgroup_limits_free(cg);
    ps_proc_free(self);
    ps_error_detail d;
    TR_GARBAGE(&d);
    cr_expect_eq(ps_disk_usage("/nonexistent/psinfo", &du), PS_ENOENT);
    cr_assert_eq(ps_error_last(&d), 0);
    cr_expect(TR_TAIL_ZERO(&d));
}
