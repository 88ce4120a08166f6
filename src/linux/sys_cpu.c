/* SPDX-License-Identifier: MIT */
/* Linux CPU readers: <proc>/stat, <proc>/cpuinfo, <proc>/loadavg and sysfs cpu topology/cpufreq. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys_common.h"
#include "../list.h"

static double clock_ticks(void)
{
    long t = sysconf(_SC_CLK_TCK);
    return t > 0 ? (double)t : 100.0;
}

/* Parse the numbers after a "cpu"/"cpuN" label. Unknown extra columns are ignored; the
 * columns an older kernel does not print stay NaN (psutil's tuple has fewer fields). */
static void parse_cpu_line(const char *line, size_t len, double tick, ps_cputimes *t)
{
    const char *f[12];
    size_t fl[12];
    int n = ps__sys_split_ws(line, len, f, fl, 12);
    double *col[10] = {&t->user, &t->nice, &t->system, &t->idle, &t->iowait,
                       &t->irq, &t->softirq, &t->steal, &t->guest, &t->guest_nice};
    ps__cputimes_unknown(t);   /* dpc: Windows only */
    for (int i = 1; i < n && i < 11; i++) {
        uint64_t x;
        if (!ps__sys_parse_u64(f[i], fl[i], &x)) break;
        *col[i - 1] = (double)x / tick;
    }
}

static bool is_cpun(const char *line, size_t len)
{
    return len > 3 && !memcmp(line, "cpu", 3) && line[3] >= '0' && line[3] <= '9';
}

int ps__bk_cpu_times(ps_cputimes *total, ps_cputimes_list **percpu)
{
    char stack[8192]; /* a longer file (many CPUs, many IRQs) goes to the heap */
    ps__sys_file file;
    int rc = ps__sys_file_open_into(&file, PS_ROOT_PROC, "/stat", stack, sizeof stack);
    if (rc) return rc;
    double tick = clock_ticks();
    const char *line;
    size_t len;
    bool found = false;
    ps_cputimes_list *l = NULL;
    size_t cap = 0;
    if (percpu) {
        l = calloc(1, sizeof *l);
        if (!l) goto oom;
    }
    while (ps__sys_file_next(&file, &line, &len)) {
        if (total && len > 4 && !memcmp(line, "cpu ", 4)) {
            parse_cpu_line(line, len, tick, total);
            found = true;
            if (!l) break;
            continue;   /* both asked for: the cpuN lines follow */
        }
        if (l && found && !is_cpun(line, len)) break; /* the cpuN lines are contiguous */
        if (l && is_cpun(line, len)) {
            ps_cputimes *ni = ps__grow(l->items, &cap, l->count, sizeof *ni, 8);
            if (!ni) goto oom;
            l->items = ni;
            parse_cpu_line(line, len, tick, &l->items[l->count++]);
            found = true;
        }
    }
    ps__sys_file_close(&file);
    if (total && !found) return ps__error(PS_EPARSE, 0, "%s/stat: no cpu line", ps__root(PS_ROOT_PROC));
    if (l) *percpu = l;
    return 0;
oom:
    ps__sys_file_close(&file);
    ps_cputimes_list_free(l);
    return ps__error(PS_ENOMEM, 0, "cpu_times: out of memory");
}

int ps__bk_cpu_count_logical(int32_t *count)
{
    ps__buf b;
    ps__buf_init(&b);
    int n = -1;
    if (ps__sys_read(PS_ROOT_SYS, "/devices/system/cpu/online", &b) == 0)
        n = ps__sys_cpulist_count(b.data, b.len);
    ps__buf_dispose(&b);
    if (n > 0) {
        *count = n;
        return 0;
    }
    /* psutil's fallbacks: "processor" lines of cpuinfo, then cpuN lines of stat. */
    const char *line;
    size_t len;
    ps__sys_lines it;
    n = 0;
    ps__buf_init(&b);
    if (ps__sys_read(PS_ROOT_PROC, "/cpuinfo", &b) == 0) {
        ps__sys_lines_init(&it, b.data, b.len);
        while (ps__sys_lines_next(&it, &line, &len))
            if (len >= 9 && !strncasecmp(line, "processor", 9)) n++;
    }
    ps__buf_dispose(&b);
    if (n == 0) {
        ps__buf_init(&b);
        if (ps__sys_read(PS_ROOT_PROC, "/stat", &b) == 0) {
            ps__sys_lines_init(&it, b.data, b.len);
            while (ps__sys_lines_next(&it, &line, &len))
                if (is_cpun(line, len)) n++;
        }
        ps__buf_dispose(&b);
    }
    if (n == 0) return ps__error(PS_ENOTSUP, 0, "cpu_count: the number of CPUs cannot be determined");
    *count = n;
    return 0;
}

static int count_unique_topology(const char *file)
{
    char *dir = ps__sys_path(PS_ROOT_SYS, "/devices/system/cpu");
    if (!dir) return -1;
    char **names = NULL;
    size_t n = 0;
    int result = 0;
    if (ps__sys_list_dir(dir, "cpu", &names, &n) != 0) {
        free(dir);
        return 0;
    }
    char **seen = calloc(n ? n : 1, sizeof *seen);
    size_t nseen = 0;
    for (size_t i = 0; seen && i < n; i++) {
        if (names[i][3] < '0' || names[i][3] > '9') continue;
        size_t pl = strlen(dir) + strlen(names[i]) + strlen(file) + 16;
        char *p = malloc(pl);
        if (!p) continue;
        snprintf(p, pl, "%s/%s/topology/%s", dir, names[i], file);
        ps__buf b;
        ps__buf_init(&b);
        if (ps__sys_read_abs(p, &b) == 0) {
            const char *s = b.data;
            size_t sl = b.len;
            ps__sys_trim(&s, &sl);
            bool dup = false;
            for (size_t k = 0; k < nseen; k++)
                if (strlen(seen[k]) == sl && !memcmp(seen[k], s, sl)) dup = true;
            if (!dup && (seen[nseen] = ps__strndup(s, sl)) != NULL) nseen++;
        }
        ps__buf_dispose(&b);
        free(p);
    }
    result = (int)nseen;
    ps__sys_names_free(seen, nseen);
    ps__sys_names_free(names, n);
    free(dir);
    return result;
}

int ps__bk_cpu_count_physical(int32_t *count)
{
    int n = count_unique_topology("core_cpus_list");
    if (n <= 0) n = count_unique_topology("thread_siblings_list");
    if (n > 0) {
        *count = n;
        return 0;
    }
    /* /proc/cpuinfo: sum of "cpu cores" per "physical id"; a block counts when a blank line
     * ends it (as psutil). */
    ps__sys_file file;
    if (ps__sys_file_open(&file, PS_ROOT_PROC, "/cpuinfo"))
        return ps__error(PS_ENOTSUP, 0, "cpu_count(physical): unknown (no topology, no cpuinfo)");
    enum { MAXP = 256 };
    int64_t ids[MAXP], cores[MAXP];
    int nids = 0;
    int64_t cur_id = -1, cur_cores = -1;
    const char *line;
    size_t len;
    while (ps__sys_file_next(&file, &line, &len)) {
        ps__sys_trim(&line, &len);
        if (len == 0) {
            if (cur_id >= 0 && cur_cores >= 0) {
                int k;
                for (k = 0; k < nids; k++)
                    if (ids[k] == cur_id) break;
                if (k == nids && nids < MAXP) nids++;
                if (k < MAXP) {
                    ids[k] = cur_id;
                    cores[k] = cur_cores;
                }
            }
            cur_id = cur_cores = -1;
            continue;
        }
        bool is_id = len >= 11 && !strncasecmp(line, "physical id", 11);
        bool is_cores = len >= 9 && !strncasecmp(line, "cpu cores", 9);
        if (!is_id && !is_cores) continue;
        const char *colon = memchr(line, ':', len);
        if (!colon) continue;
        const char *v = colon + 1;
        size_t vl = len - (size_t)(v - line);
        ps__sys_trim(&v, &vl);
        int64_t x;
        if (!ps__sys_parse_i64(v, vl, &x)) continue;
        if (is_id) cur_id = x;
        else cur_cores = x;
    }
    ps__sys_file_close(&file);
    int64_t sum = 0;
    for (int k = 0; k < nids; k++) sum += cores[k];
    if (sum <= 0 || sum > INT32_MAX)
        return ps__error(PS_ENOTSUP, 0, "cpu_count(physical): cannot be determined");
    *count = (int32_t)sum;
    return 0;
}

/* The first number after a "label value" token on a <proc>/stat line. */
int ps__bk_cpu_stats(ps_cpustats *out)
{
    static const char *const keys[] = { "ctxt", "intr", "softirq" };
    uint64_t v[3] = {0};
    int found = ps__sys_read_keyed_u64(PS_ROOT_PROC, "/stat", keys, v, 3);
    if (found < 0) return found;
    out->ctx_switches = v[0];
    out->interrupts = v[1];
    out->soft_interrupts = v[2];
    out->syscalls = PS_UNKNOWN_U64;   /* Linux does not count them (psutil 0) */
    if (found < 3) return ps__error(PS_EPARSE, 0, "%s/stat: ctxt/intr/softirq missing", ps__root(PS_ROOT_PROC));
    return 0;
}

/* "cpu MHz" values of <proc>/cpuinfo. */
static int cpuinfo_mhz(double **vals, size_t *n)
{
    *vals = NULL;
    *n = 0;
    ps__sys_file file;
    int rc = ps__sys_file_open(&file, PS_ROOT_PROC, "/cpuinfo");
    if (rc) return rc;
    size_t cap = 0;
    const char *line;
    size_t len;
    while (ps__sys_file_next(&file, &line, &len)) {
        if (len < 7 || strncasecmp(line, "cpu mhz", 7)) continue;
        const char *colon = memchr(line, ':', len);
        double v;
        if (!colon || !ps__sys_parse_double(colon + 1, len - (size_t)(colon + 1 - line), &v)) continue;
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            double *nv = realloc(*vals, nc * sizeof *nv);
            if (!nv) {
                free(*vals);
                *vals = NULL;
                ps__sys_file_close(&file);
                return ps__error(PS_ENOMEM, 0, "cpuinfo: out of memory");
            }
            *vals = nv;
            cap = nc;
        }
        (*vals)[(*n)++] = v;
    }
    ps__sys_file_close(&file);
    return 0;
}

static bool read_u64_file(const char *dir, const char *name, uint64_t *out)
{
    char *p = ps__sys_concat(dir, "/", name);
    bool ok = p && ps__sys_read_u64_file(p, out);
    free(p);
    return ok;
}

static long trailing_number(const char *name)
{
    const char *p = name;
    while (*p && (*p < '0' || *p > '9')) p++;
    return strtol(p, NULL, 10);
}

/* The number of ".../policyN" or ".../cpuN/cpufreq" (not digits of the root). */
static long path_number(const char *path)
{
    size_t n = strlen(path);
    if (n >= 8 && !strcmp(path + n - 8, "/cpufreq")) n -= 8;
    const char *p = path + n;
    while (p > path && p[-1] != '/') p--;
    return trailing_number(p);
}

static int cmp_by_number_path(const void *a, const void *b)
{
    long x = path_number(*(char *const *)a), y = path_number(*(char *const *)b);
    return x < y ? -1 : x > y;
}

/* The cpufreq directories psutil uses: policyN, else cpuN/cpufreq, sorted by N. */
static int cpufreq_dirs(char ***dirs, size_t *n)
{
    *dirs = NULL;
    *n = 0;
    char *base = ps__sys_path(PS_ROOT_SYS, "/devices/system/cpu");
    if (!base) return ps__error(PS_ENOMEM, 0, "out of memory");
    char **names = NULL;
    size_t nn = 0;
    size_t bl = strlen(base);
    char *pol = malloc(bl + 16);
    if (!pol) {
        free(base);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    snprintf(pol, bl + 16, "%s/cpufreq", base);
    char **out = NULL;
    size_t cnt = 0;
    if (ps__sys_list_dir(pol, "policy", &names, &nn) == 0 && nn) {
        out = calloc(nn, sizeof *out);
        for (size_t i = 0; out && i < nn; i++) {
            if (names[i][6] < '0' || names[i][6] > '9') continue;
            size_t l = strlen(pol) + strlen(names[i]) + 2;
            if ((out[cnt] = malloc(l)) == NULL) continue;
            snprintf(out[cnt++], l, "%s/%s", pol, names[i]);
        }
    }
    ps__sys_names_free(names, nn);
    if (cnt == 0) {
        free(out);
        out = NULL;
        names = NULL;
        nn = 0;
        if (ps__sys_list_dir(base, "cpu", &names, &nn) == 0 && nn) {
            out = calloc(nn, sizeof *out);
            for (size_t i = 0; out && i < nn; i++) {
                if (names[i][3] < '0' || names[i][3] > '9') continue;
                size_t l = bl + strlen(names[i]) + 16;
                char *p = malloc(l);
                if (!p) continue;
                snprintf(p, l, "%s/%s/cpufreq", base, names[i]);
                if (ps__sys_path_exists(p)) out[cnt++] = p;
                else free(p);
            }
        }
        ps__sys_names_free(names, nn);
    }
    free(pol);
    free(base);
    if (cnt > 1) qsort(out, cnt, sizeof *out, cmp_by_number_path);
    *dirs = out;
    *n = cnt;
    return 0;
}

static bool cpufreq_present(void)
{
    char *a = ps__sys_path(PS_ROOT_SYS, "/devices/system/cpu/cpufreq/policy0");
    char *b = ps__sys_path(PS_ROOT_SYS, "/devices/system/cpu/cpu0/cpufreq");
    bool r = (a && ps__sys_path_exists(a)) || (b && ps__sys_path_exists(b));
    free(a);
    free(b);
    return r;
}

/* psutil's /proc/cpuinfo-only variant: current from "cpu MHz", min = max = 0. */
static int freq_from_cpuinfo(const double *mhz, size_t nmhz, ps_cpufreq_list *l)
{
    if (nmhz == 0)
        return ps__error(PS_ENOTSUP, 0, "cpu_freq: no cpufreq in sysfs and no \"cpu MHz\" in cpuinfo");
    l->items = calloc(nmhz, sizeof *l->items);
    if (!l->items) return ps__error(PS_ENOMEM, 0, "cpu_freq: out of memory");
    for (size_t i = 0; i < nmhz; i++) {
        l->items[i].current = mhz[i];
        l->items[i].cpu = PS_UNKNOWN_I32;   /* cpuinfo lists online CPUs only: an index is no CPU number */
    }
    l->count = nmhz;
    return 0;
}

/* The CPUs a policy directory governs (its affected_cpus; without one, the CPU of the
 * directory's number) into cpus[max]; returns how many, or -1 without memory. */
static int affected_cpus(const char *dir, long *cpus, int max)
{
    size_t pl = strlen(dir) + 16;
    char *ap = malloc(pl);
    if (!ap) return -1;
    snprintf(ap, pl, "%s/affected_cpus", dir);
    ps__buf ab;
    ps__buf_init(&ab);
    int ncpu = 0;
    if (ps__sys_read_abs(ap, &ab) == 0) {
        const char *q = ab.data, *end = ab.data + ab.len;
        while (q < end && ncpu < max) {
            while (q < end && (*q < '0' || *q > '9')) q++;
            if (q >= end) break;
            long v = 0;
            while (q < end && *q >= '0' && *q <= '9' && v < 1000000) v = v * 10 + (*q++ - '0');
            cpus[ncpu++] = v;
        }
    } else {
        cpus[ncpu++] = path_number(dir);
    }
    ps__buf_dispose(&ab);
    free(ap);
    return ncpu;
}

typedef struct cpu_dir {
    long cpu;
    size_t dir;   /* index of its policy directory */
} cpu_dir;

/* psutil 8: one entry per CPU. A policy may govern several CPUs; an offline CPU is in no
 * policy's list, so it is left out. *map: sorted by CPU number. */
static int cpu_dir_map(char **dirs, size_t nd, cpu_dir **map, size_t *nmap)
{
    cpu_dir *m = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < nd; i++) {
        long cpus[1024];
        int ncpu = affected_cpus(dirs[i], cpus, (int)(sizeof cpus / sizeof cpus[0]));
        if (ncpu < 0) rc = ps__error(PS_ENOMEM, 0, "cpu_freq: out of memory");
        for (int k = 0; rc == 0 && k < ncpu; k++) {
            size_t j = 0;
            while (j < n && m[j].cpu != cpus[k]) j++;
            if (j < n) { m[j].dir = i; continue; }   /* a later policy wins, as psutil's dict */
            cpu_dir *nm = ps__grow(m, &cap, n, sizeof *nm, 16);
            if (!nm) {
                rc = ps__error(PS_ENOMEM, 0, "cpu_freq: out of memory");
                break;
            }
            m = nm;
            m[n].cpu = cpus[k];
            m[n++].dir = i;
        }
    }
    for (size_t i = 1; i < n; i++) {   /* by CPU number (insertion sort: few entries) */
        cpu_dir t = m[i];
        size_t j = i;
        while (j > 0 && m[j - 1].cpu > t.cpu) { m[j] = m[j - 1]; j--; }
        m[j] = t;
    }
    *map = m;
    *nmap = n;
    return rc;
}

/* The current frequency of one CPU from its policy directory: 0, 1 if the CPU is offline (left
 * out), else an error. */
static int policy_current(const char *dir, long cpu, double *current)
{
    uint64_t cur = 0;
    if (read_u64_file(dir, "scaling_cur_freq", &cur) || read_u64_file(dir, "cpuinfo_cur_freq", &cur)) {
        *current = (double)cur / 1000.0;
        return 0;
    }
    /* psutil gh-2628: an offline CPU is skipped rather than reported as zeros */
    char on[64];
    snprintf(on, sizeof on, "/devices/system/cpu/cpu%ld/online", cpu);
    ps__buf ob;
    ps__buf_init(&ob);
    int offline = ps__sys_read(PS_ROOT_SYS, on, &ob) == 0 && ob.len >= 1 && ob.data[0] == '0';
    ps__buf_dispose(&ob);
    if (offline) return 1;
    return ps__error(PS_ENOTSUP, 0, "cpu_freq: can't find current frequency file in %s", dir);
}

/* One entry per CPU of the cpufreq policies; current from cpuinfo when it lists every CPU. */
static int freq_from_policies(const double *mhz, size_t nmhz, ps_cpufreq_list *l)
{
    char **dirs = NULL;
    size_t nd = 0, nmap = 0;
    cpu_dir *map = NULL;
    int rc = cpufreq_dirs(&dirs, &nd);
    if (rc == 0) rc = cpu_dir_map(dirs, nd, &map, &nmap);
    if (rc == 0 && nmap) {
        l->items = calloc(nmap, sizeof *l->items);
        if (!l->items) rc = ps__error(PS_ENOMEM, 0, "cpu_freq: out of memory");
    }
    for (size_t i = 0; rc == 0 && i < nmap; i++) {
        const char *dir = dirs[map[i].dir];
        uint64_t mn = 0, mx = 0;
        double current = 0;
        if (nmap == nmhz) {
            current = mhz[i];
        } else {
            rc = policy_current(dir, map[i].cpu, &current);
            if (rc == 1) {   /* offline: left out */
                rc = 0;
                continue;
            }
            if (rc) break;
        }
        if (!read_u64_file(dir, "scaling_max_freq", &mx)) mx = 0;
        if (!read_u64_file(dir, "scaling_min_freq", &mn)) mn = 0;
        ps_cpufreq *f = &l->items[l->count++];
        f->current = current;
        f->min = (double)mn / 1000.0;
        f->max = (double)mx / 1000.0;
        f->cpu = map[i].cpu > INT32_MAX ? PS_UNKNOWN_I32 : (int32_t)map[i].cpu;
    }
    free(map);
    ps__sys_names_free(dirs, nd);
    if (rc == 0 && l->count == 0) rc = ps__error(PS_ENOTSUP, 0, "cpu_freq: no cpufreq policy");
    return rc;
}

int ps__bk_cpu_freq_percpu(ps_cpufreq_list **out)
{
    double *mhz = NULL;
    size_t nmhz = 0;
    if (cpuinfo_mhz(&mhz, &nmhz)) nmhz = 0;
    ps_cpufreq_list *l = calloc(1, sizeof *l);
    if (!l) {
        free(mhz);
        return ps__error(PS_ENOMEM, 0, "cpu_freq: out of memory");
    }
    int rc = cpufreq_present() ? freq_from_policies(mhz, nmhz, l) : freq_from_cpuinfo(mhz, nmhz, l);
    free(mhz);
    if (rc) {
        ps_cpufreq_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

int ps__bk_getloadavg(double load[3])
{
    ps__buf b;
    ps__buf_init(&b);
    int rc = ps__sys_read(PS_ROOT_PROC, "/loadavg", &b);
    if (rc) {
        ps__buf_dispose(&b);
        return rc;
    }
    const char *f[3];
    size_t fl[3];
    int n = ps__sys_split_ws(b.data, b.len, f, fl, 3);
    bool ok = n >= 3;
    for (int i = 0; ok && i < 3; i++) ok = ps__sys_parse_double(f[i], fl[i], &load[i]);
    ps__buf_dispose(&b);
    if (!ok) return ps__error(PS_EPARSE, 0, "%s/loadavg: unexpected format", ps__root(PS_ROOT_PROC));
    return 0;
}

int ps__bk_boot_time(double *out)
{
    static const char *const keys[] = { "btime" };
    uint64_t v;
    int found = ps__sys_read_keyed_u64(PS_ROOT_PROC, "/stat", keys, &v, 1);
    if (found < 0) return found;
    if (!found) return ps__error(PS_EPARSE, 0, "%s/stat: no btime line", ps__root(PS_ROOT_PROC));
    *out = (double)v;
    return 0;
}
