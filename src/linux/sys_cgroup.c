/* SPDX-License-Identifier: MIT */
/* Linux container awareness: cgroup v2 / v1 memory and CPU limits for a process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys_common.h"

/* v1 reports "no limit" as a huge page-aligned number (PAGE_COUNTER_MAX * PAGE_SIZE). */
#define V1_UNLIMITED_FLOOR (UINT64_C(1) << 62)

typedef struct mnt {
    char *root;    /* mount's root within the hierarchy (field 4) */
    char *point;   /* mount point */
} mnt;

static void mnt_free(mnt *m)
{
    free(m->root);
    free(m->point);
    m->root = m->point = NULL;
}

static bool has_opt(const char *opts, size_t n, const char *want)
{
    size_t wl = strlen(want), i = 0;
    while (i < n) {
        const char *c = memchr(opts + i, ',', n - i);
        size_t l = c ? (size_t)(c - (opts + i)) : n - i;
        if (l == wl && !memcmp(opts + i, want, wl)) return true;
        i += l + 1;
    }
    return false;
}

/* Find the cgroup2 mount (controller NULL) or the v1 mount carrying controller. */
static void find_mount(const ps__buf *mi, const char *controller, mnt *out)
{
    ps__sys_lines it;
    const char *line;
    size_t len;
    ps__sys_lines_init(&it, mi->data, mi->len);
    while (!out->point && ps__sys_lines_next(&it, &line, &len)) {
        const char *f[PS__MOUNTINFO_FIELDS];
        size_t fl[PS__MOUNTINFO_FIELDS];
        int sep = 0, nf = ps__sys_mountinfo_split(line, len, f, fl, &sep);
        if (nf == 0 || sep + 3 >= nf) continue;
        const char *t = f[sep + 1];
        size_t tl = fl[sep + 1];
        bool match = controller ? (tl == 6 && !memcmp(t, "cgroup", 6) &&
                                   has_opt(f[sep + 3], fl[sep + 3], controller))
                                : (tl == 7 && !memcmp(t, "cgroup2", 7));
        if (!match) continue;
        out->root = ps__sys_mount_unescape(f[3], fl[3], NULL);
        out->point = ps__sys_mount_unescape(f[4], fl[4], NULL);
        if (!out->root || !out->point) { /* out of memory: no mount (cgroup_dir needs both) */
            free(out->root);
            free(out->point);
            out->root = out->point = NULL;
            return;
        }
    }
}

/* From <proc>/PID/cgroup: the v2 path ("0::/x") or the v1 path of the line listing
 * controller. Returns a new string or NULL. */
static char *cgroup_path(const ps__buf *cg, const char *controller)
{
    ps__sys_lines it;
    const char *line;
    size_t len;
    ps__sys_lines_init(&it, cg->data, cg->len);
    while (ps__sys_lines_next(&it, &line, &len)) {
        const char *c1 = memchr(line, ':', len);
        if (!c1) continue;
        const char *c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line));
        if (!c2) continue;
        const char *ctl = c1 + 1;
        size_t cl = (size_t)(c2 - ctl);
        const char *p = c2 + 1;
        size_t pl = len - (size_t)(p - line);
        if (controller ? has_opt(ctl, cl, controller) : (cl == 0 && c1 - line == 1 && line[0] == '0'))
            return ps__strndup(p, pl);
    }
    return NULL;
}

/* The directory of cgroup path within a mount: point + (path without the mount's root). */
static char *cgroup_dir(const mnt *m, const char *path)
{
    const char *rel = path;
    size_t rl = strlen(m->root);
    if (strcmp(m->root, "/") != 0) {
        if (strncmp(path, m->root, rl) == 0 && (path[rl] == '/' || path[rl] == '\0')) rel = path + rl;
        else return NULL; /* outside what this mount shows */
    }
    size_t n = strlen(m->point) + strlen(rel) + 2;
    char *d = malloc(n);
    if (d) snprintf(d, n, "%s%s", m->point, rel);
    return d;
}

/* Read dir/name trimmed into buf (NUL-terminated); false when unreadable. */
static bool read_small(const char *dir, const char *name, char *buf, size_t cap)
{
    char *p = ps__sys_concat(dir, "/", name);
    bool ok = p && ps__sys_read_text_file(p, buf, cap, NULL);
    free(p);
    return ok;
}

/* The memory limit set in one cgroup directory: PS_LIMIT_UNKNOWN when the file is absent. */
static int mem_limit_at(const char *dir, int version, uint64_t *lim)
{
    char v[64];
    uint64_t x;
    if (!read_small(dir, version == 2 ? "memory.max" : "memory.limit_in_bytes", v, sizeof v))
        return PS_LIMIT_UNKNOWN;
    if (version == 2 && !strcmp(v, "max")) return PS_LIMIT_NONE;
    if (!ps__sys_parse_u64(v, strlen(v), &x)) return PS_LIMIT_UNKNOWN;
    if (version == 1 && x >= V1_UNLIMITED_FLOOR) return PS_LIMIT_NONE;
    *lim = x;
    return PS_LIMIT_SET;
}

/* The CPU quota set in one cgroup directory. */
static int cpu_limit_at(const char *dir, int version, int64_t *quota, int64_t *period)
{
    char v[64], w[64];
    int64_t q, p = 100000;
    if (version == 2) {
        if (!read_small(dir, "cpu.max", v, sizeof v)) return PS_LIMIT_UNKNOWN;
        const char *f[2];
        size_t fl[2];
        int n = ps__sys_split_ws(v, strlen(v), f, fl, 2);
        if (n < 1) return PS_LIMIT_UNKNOWN;
        if (fl[0] == 3 && !memcmp(f[0], "max", 3)) return PS_LIMIT_NONE;
        if (!ps__sys_parse_i64(f[0], fl[0], &q) || (n >= 2 && !ps__sys_parse_i64(f[1], fl[1], &p)))
            return PS_LIMIT_UNKNOWN;
    } else {
        if (!read_small(dir, "cpu.cfs_quota_us", v, sizeof v)) return PS_LIMIT_UNKNOWN;
        if (!ps__sys_parse_i64(v, strlen(v), &q)) return PS_LIMIT_UNKNOWN;
        if (q < 0) return PS_LIMIT_NONE;
        if (!read_small(dir, "cpu.cfs_period_us", w, sizeof w) || !ps__sys_parse_i64(w, strlen(w), &p))
            return PS_LIMIT_UNKNOWN;
    }
    if (p <= 0 || q <= 0) return PS_LIMIT_UNKNOWN;
    *quota = q;
    *period = p;
    return PS_LIMIT_SET;
}

/* Fill the own-cgroup fields from dir, then walk up to the mount point for the effective
 * (tightest) limits of the cgroup and its ancestors. */
static void read_limits(const char *dir, const char *top, int version, bool memory, ps_cgroup_limits *out)
{
    char v[64];
    uint64_t x;
    if (memory) {
        uint64_t lim = 0;
        int st = mem_limit_at(dir, version, &lim);
        if (st == PS_LIMIT_UNKNOWN) return;
        out->memory_version = version;
        out->memory_limit_state = st;
        out->memory_limit = st == PS_LIMIT_SET ? lim : PS_UNKNOWN_U64;
        if (read_small(dir, version == 2 ? "memory.current" : "memory.usage_in_bytes", v, sizeof v) &&
            ps__sys_parse_u64(v, strlen(v), &x))
            out->memory_usage = x;
    } else {
        int64_t q = 0, p = 0;
        int st = cpu_limit_at(dir, version, &q, &p);
        if (st == PS_LIMIT_UNKNOWN) return;
        out->cpu_version = version;
        out->cpu_quota_state = st;
        out->cpu_quota_us = st == PS_LIMIT_SET ? q : 0;
        out->cpu_period_us = st == PS_LIMIT_SET ? p : 0;
    }
    /* effective: the tightest limit of the cgroup and every ancestor below the mount point */
    char *d = ps__strdup(dir);
    size_t tl = strlen(top);
    int est = memory ? out->memory_limit_state : out->cpu_quota_state;
    uint64_t emem = out->memory_limit;
    double ecpu = est == PS_LIMIT_SET && !memory ? (double)out->cpu_quota_us / (double)out->cpu_period_us : 0;
    while (d) {
        size_t dl = strlen(d);
        if (dl <= tl) break;
        char *slash = strrchr(d, '/');
        if (!slash || (size_t)(slash - d) < tl) break;
        *slash = '\0';
        if (memory) {
            uint64_t lim;
            if (mem_limit_at(d, version, &lim) == PS_LIMIT_SET && (est != PS_LIMIT_SET || lim < emem)) {
                est = PS_LIMIT_SET;
                emem = lim;
            }
        } else {
            int64_t q, p;
            if (cpu_limit_at(d, version, &q, &p) == PS_LIMIT_SET) {
                double c = (double)q / (double)p;
                if (est != PS_LIMIT_SET || c < ecpu) {
                    est = PS_LIMIT_SET;
                    ecpu = c;
                }
            }
        }
    }
    free(d);
    if (memory) {
        out->effective_memory_limit_state = est;
        out->effective_memory_limit = est == PS_LIMIT_SET ? emem : 0;
    } else {
        out->effective_cpu_limit_state = est;
        out->effective_cpu_limit = est == PS_LIMIT_SET ? ecpu : 0;
    }
}

/* A file of the process: through the handle's /proc/<pid> directory (it fails once that
 * process is gone, even if the number was reused), else <proc>/<pid or self>/name. */
static int proc_file(const ps_proc *proc, int64_t pid, const char *name, ps__buf *b)
{
    if (proc) {
        int rc = ps__read_file_at(proc->dirfd, name, b);
        if (rc == PS_ENOENT) rc = ps__error(PS_ENOPROC, 0, "process %lld is gone (%s)", (long long)proc->pid, name);
        return rc;
    }
    char rel[64];
    if (pid == 0) snprintf(rel, sizeof rel, "/self/%s", name);
    else snprintf(rel, sizeof rel, "/%lld/%s", (long long)pid, name);
    int rc = ps__sys_read(PS_ROOT_PROC, rel, b);
    if (rc == PS_ENOENT && pid != 0) rc = ps__error(PS_ENOPROC, 0, "no process %lld", (long long)pid);
    return rc;
}

/* The memory or cpu limits of the cgroup v1 hierarchy of that controller (read when v2 gave
 * none); returns the process's path in it (malloc'd, NULL if none), which may be shown. */
static char *v1_limits(const ps__buf *cg, const ps__buf *mi, const char *controller, bool memory,
                       ps_cgroup_limits *out)
{
    mnt m = {0};
    char *path = cgroup_path(cg, controller);
    find_mount(mi, controller, &m);
    char *d = (m.point && path) ? cgroup_dir(&m, path) : NULL;
    if (d) read_limits(d, m.point, 1, memory, out);
    free(d);
    mnt_free(&m);
    return path;
}

int ps__bk_cgroup_limits(const ps_proc *proc, int64_t pid, ps_cgroup_limits *out, ps__nstr *path_out)
{
    ps__buf cg, mi, st;
    ps__buf_init(&cg);
    ps__buf_init(&mi);
    ps__buf_init(&st);
    int rc = proc_file(proc, pid, "cgroup", &cg);
    if (rc) goto out;
    /* affinity: Cpus_allowed_list of <proc>/PID/status (works for any root) */
    if (proc_file(proc, pid, "status", &st) == 0) {
        ps__sys_lines it;
        const char *line;
        size_t len;
        ps__sys_lines_init(&it, st.data, st.len);
        while (ps__sys_lines_next(&it, &line, &len)) {
            if (len > 18 && !memcmp(line, "Cpus_allowed_list:", 18)) {
                int c = ps__sys_cpulist_count(line + 18, len - 18);
                out->affinity_count = c > 0 ? c : 0;
                break;
            }
        }
    }
    (void)ps__sys_read(PS_ROOT_PROC, "/self/mountinfo", &mi);

    mnt m2 = {0};
    char *p2 = cgroup_path(&cg, NULL);
    if (mi.data) find_mount(&mi, NULL, &m2);
    char *d2 = (m2.point && p2) ? cgroup_dir(&m2, p2) : NULL;
    if (d2) {
        read_limits(d2, m2.point, 2, true, out);
        read_limits(d2, m2.point, 2, false, out);
    }
    const char *shown = p2;
    char *pm = NULL, *pc = NULL;
    if (!out->memory_version && mi.data) {
        pm = v1_limits(&cg, &mi, "memory", true, out);
        if (out->memory_version == 1) shown = pm;
    }
    if (!out->cpu_version && mi.data) {
        pc = v1_limits(&cg, &mi, "cpu", false, out);
        if (!shown) shown = pc;
    }
    if (shown) rc = ps__sys_nstr_set(path_out, shown, strlen(shown));
    free(d2);
    free(p2);
    free(pm);
    free(pc);
    mnt_free(&m2);
    out->usable_cpus = out->affinity_count;
    if (out->effective_cpu_limit_state == PS_LIMIT_SET) {
        /* ceil(quota / period), computed on the tightest quota of the cgroup and ancestors */
        double c = out->effective_cpu_limit;
        int64_t q = (int64_t)c;
        if ((double)q < c) q++;
        if (q < 1) q = 1;
        if (out->usable_cpus <= 0 || q < out->usable_cpus)   /* affinity unknown: the quota */ out->usable_cpus = (int32_t)(q > INT32_MAX ? INT32_MAX : q);
    }
out:
    ps__buf_dispose(&cg);
    ps__buf_dispose(&mi);
    ps__buf_dispose(&st);
    return rc;
}
