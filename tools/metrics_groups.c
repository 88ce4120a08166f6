/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — per-process series grouped by name, user or cgroup: a bounded number of series
 * whatever the PIDs do (as process-exporter's groups). A group's counters are the sums over
 * its live members, so they drop when a member exits (Prometheus's rate() reads a drop as a
 * counter reset).
 */
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

static void add(gsum *g, const ps_ptable_record *r)
{
    g->procs += 1;
    if (r->present & PS_PT_BIT(PS_PT_CPU_TIMES)) g->user += r->cpu_times.user, g->system += r->cpu_times.system;
    if (r->present & PS_PT_BIT(PS_PT_MEMORY_INFO)) g->rss += (double)r->memory_info.rss, g->vms += (double)r->memory_info.vms;
    if (r->present & PS_PT_BIT(PS_PT_NUM_THREADS)) g->threads += (double)r->num_threads;
}

static const struct {
    const char *name, *type, *help;
} families[] = {
    { "psinfo_group_processes", "gauge", "Processes in the group." },
    { "psinfo_group_cpu_seconds_total", "counter", "CPU seconds of the group's live processes, by mode." },
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

void cli_metrics_groups(cli_prom *p, const cli_metrics_mode *m, const ps_scan *sc)
{
    const ps_ptable *t = sc->table;
    member *mb = cli_xmalloc((t->count ? t->count : 1) * sizeof *mb);
    for (size_t i = 0; i < t->count; i++) {
        const ps_ptable_record *r = &t->records[i];
        mb[i].idx = i;
        mb[i].owned = NULL;
        if (m->kind == CLI_PROC_CGROUP) mb[i].key = mb[i].owned = cgroup_of(r->pid);
        else if (m->kind == CLI_PROC_USER) mb[i].key = (r->present & PS_PT_BIT(PS_PT_USERNAME)) ? r->username : "";
        else mb[i].key = (r->present & PS_PT_BIT(PS_PT_NAME)) ? r->name : "";
    }
    qsort(mb, t->count, sizeof *mb, by_key);
    /* groups are runs of equal keys: sum each run once, then write family by family */
    size_t ng = 0;
    gsum *sums = cli_xmalloc((t->count ? t->count : 1) * sizeof *sums);
    const char **keys = cli_xmalloc((t->count ? t->count : 1) * sizeof *keys);
    for (size_t i = 0; i < t->count; i++) {
        if (i == 0 || strcmp(mb[i].key, mb[i - 1].key) != 0) {
            memset(&sums[ng], 0, sizeof sums[ng]);
            keys[ng++] = mb[i].key;
        }
        add(&sums[ng - 1], &t->records[mb[i].idx]);
    }
    for (int f = 0; f < 5; f++) {
        cli_prom_family(p, families[f].name, families[f].type, families[f].help);
        for (size_t g = 0; g < ng; g++) emit(p, f, keys[g], &sums[g]);
    }
    for (size_t i = 0; i < t->count; i++) free(mb[i].owned);
    free(keys);
    free(sums);
    free(mb);
}
