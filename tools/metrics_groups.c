/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — per-process series grouped by name, user or cgroup: a bounded number of series
 * whatever the PIDs do (as process-exporter's groups). Gauges are sums over the live members.
 * With a state kept between scrapes (psinfo serve), the CPU counter stays monotonic as
 * process-exporter's: a member that exits (or moves to another group) leaves what it used in
 * its group, and a member counts only what it used since it joined its current group. Without
 * one (a single `psinfo metrics`) it is the sum over the live members.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

typedef struct member {
    const char *key;
    char *owned;        /* a cgroup path read for this scrape */
    size_t idx;
} member;

static int by_key(const void *a, const void *b)
{
    return strcmp(((const member *)a)->key, ((const member *)b)->key);
}

/* The process's cgroup: the v2 line ("0::/path"), else the first line's path; "" if unknown. */
static char *cgroup_of(int64_t pid)
{
    ps_proc *p = NULL;
    ps_proc_str_list *l = NULL;
    char *out = NULL;
    if (ps_proc_open(pid, &p) == 0 && ps_proc_cgroup(p, &l) == 0 && l->count > 0) {
        const char *pick = l->items[0];
        for (size_t i = 0; i < l->count; i++)
            if (strncmp(l->items[i], "0::", 3) == 0) pick = l->items[i];
        const char *c = strchr(pick, ':');
        c = c ? strchr(c + 1, ':') : NULL;
        out = cli_xstrdup(c ? c + 1 : pick);
    }
    ps_proc_str_list_free(l);
    ps_proc_free(p);
    return out ? out : cli_xstrdup("");
}

typedef struct gsum {
    double procs, user, system, rss, vms, threads;
} gsum;

/* ---- the state kept between scrapes --------------------------------------------------------- */

/* A process of the previous scrape: its identity, group, last CPU seconds, and the CPU seconds
 * it had when it joined that group (0 when first seen: all of its time is new to the group). */
typedef struct gmember {
    int64_t pid;
    double ctime;
    char *key;
    double user, system, base_user, base_system;
} gmember;

/* What the group's past members left in it. */
typedef struct gleft {
    char *key;
    double user, system;
} gleft;

struct cli_groups_state {
    gmember *m;     /* by PID, as the scan's table */
    size_t nm;
    gleft *left;    /* by key */
    size_t nleft, capleft;
};

cli_groups_state *cli_groups_state_new(void)
{
    cli_groups_state *st = cli_xmalloc(sizeof *st);
    memset(st, 0, sizeof *st);
    return st;
}

void cli_groups_state_free(cli_groups_state *st)
{
    if (!st) return;
    for (size_t i = 0; i < st->nm; i++) free(st->m[i].key);
    for (size_t i = 0; i < st->nleft; i++) free(st->left[i].key);
    free(st->m);
    free(st->left);
    free(st);
}

/* The left-over totals of a group (created at zero). */
static gleft *left_of(cli_groups_state *st, const char *key)
{
    size_t lo = 0, hi = st->nleft;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(st->left[mid].key, key);
        if (c == 0) return &st->left[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    if (st->nleft == st->capleft) {
        st->capleft = st->capleft ? st->capleft * 2 : 32;
        st->left = cli_xrealloc(st->left, st->capleft * sizeof *st->left);
    }
    memmove(&st->left[lo + 1], &st->left[lo], (st->nleft - lo) * sizeof *st->left);
    st->nleft++;
    st->left[lo].key = cli_xstrdup(key);
    st->left[lo].user = st->left[lo].system = 0;
    return &st->left[lo];
}

/* A member leaves its group (exits, or moves): what it used there stays there. */
static void leave(cli_groups_state *st, const gmember *o)
{
    gleft *l = left_of(st, o->key);
    l->user += o->user - o->base_user;
    l->system += o->system - o->base_system;
}

static int has_cpu(const ps_ptable_record *r)
{
    return (r->present & PS_PT_BIT(PS_PT_CPU_TIMES)) != 0;
}

/* This scrape's members from the table (record i's group: keys[i]), against the previous ones. */
static void track(cli_groups_state *st, const ps_ptable *t, const char *const *keys)
{
    gmember *next = cli_xmalloc((t->count ? t->count : 1) * sizeof *next);
    size_t j = 0;
    for (size_t i = 0; i < t->count; i++) {
        const ps_ptable_record *r = &t->records[i];
        while (j < st->nm && st->m[j].pid < r->pid) leave(st, &st->m[j++]);   /* gone */
        gmember *o = j < st->nm && st->m[j].pid == r->pid ? &st->m[j++] : NULL;
        int same = o && (o->ctime == r->create_time || (isnan(o->ctime) && isnan(r->create_time)));
        if (o && !same) {   /* the PID names another process now */
            leave(st, o);
            o = NULL;
        }
        gmember *n = &next[i];
        n->pid = r->pid;
        n->ctime = r->create_time;
        n->key = cli_xstrdup(keys[i]);
        n->user = has_cpu(r) ? r->cpu_times.user : o ? o->user : 0;
        n->system = has_cpu(r) ? r->cpu_times.system : o ? o->system : 0;
        n->base_user = n->base_system = 0;
        if (o && strcmp(o->key, n->key) == 0) {
            n->base_user = o->base_user;
            n->base_system = o->base_system;
        } else if (o) {   /* renamed (exec), or another user or cgroup: it moves */
            leave(st, o);
            n->base_user = o->user;
            n->base_system = o->system;
        }
    }
    for (; j < st->nm; j++) leave(st, &st->m[j]);
    for (size_t k = 0; k < st->nm; k++) free(st->m[k].key);
    free(st->m);
    st->m = next;
    st->nm = t->count;
}

static const struct {
    const char *name, *type, *help;
} families[] = {
    { "psinfo_group_processes", "gauge", "Processes in the group." },
    { "psinfo_group_cpu_seconds_total", "counter", "CPU seconds used in the group, by mode (exited members included)." },
    { "psinfo_group_resident_memory_bytes", "gauge", "Resident set size summed over the group." },
    { "psinfo_group_virtual_memory_bytes", "gauge", "Virtual memory size summed over the group." },
    { "psinfo_group_threads", "gauge", "Threads summed over the group." },
};

static void emit(cli_prom *p, int fam, const char *group, const gsum *g)
{
    const char *n = families[fam].name;
    switch (fam) {
    case 0: cli_prom_sample(p, n, g->procs, "group", group, (const char *)NULL); break;
    case 1:
        cli_prom_sample(p, n, g->user, "group", group, "mode", "user", (const char *)NULL);
        cli_prom_sample(p, n, g->system, "group", group, "mode", "system", (const char *)NULL);
        break;
    case 2: cli_prom_sample(p, n, g->rss, "group", group, (const char *)NULL); break;
    case 3: cli_prom_sample(p, n, g->vms, "group", group, (const char *)NULL); break;
    default: cli_prom_sample(p, n, g->threads, "group", group, (const char *)NULL); break;
    }
}

/* One group's sums; with a state, its CPU counter is what past members left plus what the
 * live ones used since they joined. */
static void add(gsum *g, const ps_ptable_record *r, const gmember *m)
{
    g->procs += 1;
    if (m) {
        g->user += m->user - m->base_user;
        g->system += m->system - m->base_system;
    } else if (has_cpu(r)) {
        g->user += r->cpu_times.user;
        g->system += r->cpu_times.system;
    }
    if (r->present & PS_PT_BIT(PS_PT_MEMORY_INFO)) g->rss += (double)r->memory_info.rss, g->vms += (double)r->memory_info.vms;
    if (r->present & PS_PT_BIT(PS_PT_NUM_THREADS)) g->threads += (double)r->num_threads;
}

typedef struct gout {
    const char *key;
    gsum sum;
} gout;

static int by_gkey(const void *a, const void *b)
{
    return strcmp(((const gout *)a)->key, ((const gout *)b)->key);
}

void cli_metrics_groups(cli_prom *p, const cli_metrics_mode *m, const ps_scan *sc, cli_groups_state *st)
{
    const ps_ptable *t = sc->table;
    size_t cap = t->count ? t->count : 1;
    member *mb = cli_xmalloc(cap * sizeof *mb);
    const char **keys = cli_xmalloc(cap * sizeof *keys);
    for (size_t i = 0; i < t->count; i++) {
        const ps_ptable_record *r = &t->records[i];
        mb[i].idx = i;
        mb[i].owned = NULL;
        if (m->kind == CLI_PROC_CGROUP) mb[i].key = mb[i].owned = cgroup_of(r->pid);
        else if (m->kind == CLI_PROC_USER) mb[i].key = (r->present & PS_PT_BIT(PS_PT_USERNAME)) ? r->username : "";
        else mb[i].key = (r->present & PS_PT_BIT(PS_PT_NAME)) ? r->name : "";
        keys[i] = mb[i].key;
    }
    if (st) track(st, t, keys);   /* st->m[i] is record i's member now */
    qsort(mb, t->count, sizeof *mb, by_key);
    /* groups are runs of equal keys: sum each run once; then the groups only past members
     * left something in (their counters go on, at zero processes) */
    size_t ng = 0;
    gout *g = cli_xmalloc((t->count + (st ? st->nleft : 0) + 1) * sizeof *g);
    for (size_t i = 0; i < t->count; i++) {
        if (i == 0 || strcmp(mb[i].key, mb[i - 1].key) != 0) {
            memset(&g[ng], 0, sizeof g[ng]);
            g[ng++].key = mb[i].key;
        }
        add(&g[ng - 1].sum, &t->records[mb[i].idx], st ? &st->m[mb[i].idx] : NULL);
    }
    size_t nlive = ng;
    for (size_t k = 0; st && k < st->nleft; k++) {
        gout probe = { st->left[k].key, { 0, 0, 0, 0, 0, 0 } };
        gout *live = nlive ? bsearch(&probe, g, nlive, sizeof *g, by_gkey) : NULL;
        if (!live) {
            live = &g[ng++];
            *live = probe;
        }
        live->sum.user += st->left[k].user;
        live->sum.system += st->left[k].system;
    }
    if (ng > nlive) qsort(g, ng, sizeof *g, by_gkey);
    for (int f = 0; f < 5; f++) {
        cli_prom_family(p, families[f].name, families[f].type, families[f].help);
        for (size_t k = 0; k < ng; k++) emit(p, f, g[k].key, &g[k].sum);
    }
    for (size_t i = 0; i < t->count; i++) free(mb[i].owned);
    free(keys);
    free(g);
    free(mb);
}
