/* SPDX-License-Identifier: MIT */
/*
 * The process scanner (portable core): repeated tables with CPU percentages between scans.
 *
 * The back end (ps__bk_scanner_*) reads the processes, keeping whatever it can between scans
 * (Linux: descriptors) and tagging each record with an identity serial; without one (PS_ENOTSUP)
 * every scan is a fresh ps__bk_ptable_scan and the identity is (PID, create time). This file
 * keeps, per PID of the previous scan, the identity and the CPU seconds, so a percentage is only
 * ever the difference of two samples of ONE process. A lock serialises scans of one scanner.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "ptable_core.h"

typedef struct prev_ent {
    int64_t pid;
    uint64_t ident;
    double cpu;     /* user + system seconds, NaN when unknown */
} prev_ent;

struct ps_scanner {
    uint64_t fields;
    uint32_t flags;
    ps__mutex *lock;
    ps__bk_scanner *bk;     /* NULL: a fresh table per scan */
    prev_ent *prev;         /* the previous scan's processes, by PID */
    size_t nprev;
    double prev_mono;
    uint64_t seq;
    int have_total;
    ps_cputimes prev_total;
    ps_cputimes *prev_percpu;
    size_t nprev_percpu;
    uint64_t reuses;
};

#define SCAN_FLAGS ((uint32_t)PS_SCANNER_NO_KEEP)

int ps_scanner_new(uint64_t fields, uint32_t flags, ps_scanner **out)
{
    if (!out) return ps__error(PS_EINVAL, 0, "ps_scanner_new: out is NULL");
    *out = NULL;
    int rc = ps__ptable_check_fields("ps_scanner_new", fields);
    if (rc) return rc;
    if (flags & ~SCAN_FLAGS)
        return ps__error(PS_EINVAL, 0, "ps_scanner_new: unknown flags 0x%x", (unsigned)flags);
    ps_scanner *s = calloc(1, sizeof *s);
    if (!s) return ps__error(PS_ENOMEM, 0, "ps_scanner_new: out of memory");
    s->fields = fields | PS_PT_BIT(PS_PT_PID) | PS_PT_BIT(PS_PT_CPU_TIMES) | PS_PT_BIT(PS_PT_CREATE_TIME);
    s->flags = flags;
    s->lock = ps__mutex_new();
    if (!s->lock) {
        free(s);
        return ps__error(PS_ENOMEM, 0, "ps_scanner_new: out of memory");
    }
    rc = ps__bk_scanner_new(s->fields, flags, &s->bk);
    if (rc == PS_ENOTSUP) {
        s->bk = NULL;   /* fresh scans */
        rc = 0;
    }
    if (rc) {
        ps__mutex_free(s->lock);
        free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void ps_scanner_free(ps_scanner *s)
{
    if (!s) return;
    if (s->bk) ps__bk_scanner_free(s->bk);
    ps__mutex_free(s->lock);
    free(s->prev);
    free(s->prev_percpu);
    free(s);
}

void ps_scan_free(ps_scan *scan)
{
    if (!scan) return;
    ps_ptable_free((ps_ptable *)scan->table);
    free(scan);
}

/* Identity without a back end: the create time's bits (the PID is compared apart). */
static void idents_from_create_time(const ps_ptable *t, uint64_t *idents)
{
    for (size_t i = 0; i < t->count; i++) {
        uint64_t v = 0;
        if (t->records[i].present & PS_PT_BIT(PS_PT_CREATE_TIME))
            memcpy(&v, &t->records[i].create_time, sizeof v);
        idents[i] = v;
    }
}

/* The table and one ident per record. */
static int take_table(ps_scanner *s, ps_ptable **table, uint64_t **idents)
{
    ps__ptable_builder *b = ps__ptable_builder_new(s->fields, s->bk != NULL);
    if (!b) return ps__error(PS_ENOMEM, 0, "ps_scanner_scan: out of memory");
    int rc;
    if (s->bk) {
        rc = ps__bk_scanner_scan(s->bk, b);
    } else {
        rc = ps__bk_ptable_scan(s->fields, 0, b);
    }
    *idents = NULL;
    if (rc == 0) rc = ps__ptable_builder_finish(b, table, idents);
    ps__ptable_builder_free(b);
    if (rc) return rc;
    if (!s->bk && (*table)->count > 0) {
        *idents = malloc((*table)->count * sizeof **idents);
        if (!*idents) {
            ps_ptable_free(*table);
            *table = NULL;
            return ps__error(PS_ENOMEM, 0, "ps_scanner_scan: out of memory");
        }
        idents_from_create_time(*table, *idents);
    }
    return 0;
}

static double rec_cpu(const ps_ptable_record *r)
{
    if (!(r->present & PS_PT_BIT(PS_PT_CPU_TIMES))) return NAN;
    return r->cpu_times.user + r->cpu_times.system;
}

/*
 * Per-process percentages against the previous scan (merge of two PID-sorted lists), and the
 * new previous-scan state in `next` (t->count entries).
 */
static void process_percents(ps_scanner *s, const ps_ptable *t, const uint64_t *idents,
                             double interval, double wall, double *pct, prev_ent *next)
{
    size_t j = 0;
    for (size_t i = 0; i < t->count; i++) {
        const ps_ptable_record *r = &t->records[i];
        double cpu = rec_cpu(r);
        next[i].pid = r->pid;
        next[i].ident = idents ? idents[i] : 0;
        next[i].cpu = cpu;
        while (j < s->nprev && s->prev[j].pid < r->pid) j++;
        const prev_ent *p = j < s->nprev && s->prev[j].pid == r->pid ? &s->prev[j] : NULL;
        if (p && p->ident != next[i].ident) {
            s->reuses++;    /* the PID names another process now: nothing of the old one */
            p = NULL;
        }
        if (isnan(interval) || isnan(cpu)) {
            pct[i] = NAN;
        } else if (p) {
            double d = isnan(p->cpu) ? NAN : cpu - p->cpu;
            pct[i] = isnan(d) ? NAN : (d > 0 ? d : 0) / interval * 100.0;
        } else {
            /* first seen: its own CPU time over its age (or the interval, when younger: the
             * create time is coarse, and it cannot have run longer than it lived) */
            double age = (r->present & PS_PT_BIT(PS_PT_CREATE_TIME)) ? wall - r->create_time : interval;
            double den = age > interval ? age : interval;
            pct[i] = cpu / den * 100.0;
        }
    }
}

/* System-wide and per-CPU percentages; updates the kept samples. *percpu malloc'd (or NULL). */
static void system_percents(ps_scanner *s, ps_scan *out, double **percpu)
{
    ps_cputimes total;
    ps_cputimes_list *list = NULL;
    out->system_cpu_percent = NAN;
    *percpu = NULL;
    if (ps__bk_cpu_times(&total, &list) != 0) {
        s->have_total = 0;
        return;
    }
    if (s->have_total) ps_cpu_percent(&s->prev_total, &total, &out->system_cpu_percent);
    s->prev_total = total;
    s->have_total = 1;
    size_t n = list ? list->count : 0;
    double *pc = n ? malloc(n * sizeof *pc) : NULL;
    ps_cputimes *keep = n ? malloc(n * sizeof *keep) : NULL;
    if (pc && keep) {
        for (size_t k = 0; k < n; k++) {
            pc[k] = NAN;
            if (s->prev_percpu && s->nprev_percpu == n)
                ps_cpu_percent(&s->prev_percpu[k], &list->items[k], &pc[k]);
            keep[k] = list->items[k];
        }
        free(s->prev_percpu);
        s->prev_percpu = keep;
        s->nprev_percpu = n;
        *percpu = pc;
        out->cpu_count = n;
    } else {
        free(pc);
        free(keep);
    }
    ps_cputimes_list_free(list);
}

/* Build the result block: the scan, then the per-process and per-CPU arrays. */
static int make_result(ps_scanner *s, ps_ptable *t, const uint64_t *idents, double mono, double wall,
                       ps_scan **out)
{
    ps_scan tmp;
    memset(&tmp, 0, sizeof tmp);
    double *percpu = NULL;
    system_percents(s, &tmp, &percpu);
    size_t n = t->count;
    ps_scan *r = malloc(sizeof *r + (n + tmp.cpu_count) * sizeof(double));
    prev_ent *next = n ? malloc(n * sizeof *next) : NULL;
    if (!r || (n && !next)) {
        free(r);
        free(next);
        free(percpu);
        return ps__error(PS_ENOMEM, 0, "ps_scanner_scan: out of memory");
    }
    *r = tmp;
    double *pct = (double *)(void *)(r + 1);
    double interval = s->seq ? mono - s->prev_mono : NAN;
    if (!(interval > 0)) interval = s->seq ? 1e-9 : NAN;   /* two scans in the same tick */
    process_percents(s, t, idents, interval, wall, pct, next);
    if (tmp.cpu_count) memcpy(pct + n, percpu, tmp.cpu_count * sizeof(double));
    free(percpu);
    free(s->prev);
    s->prev = next;
    s->nprev = n;
    s->prev_mono = mono;
    s->seq++;
    r->table = t;
    r->cpu_percent = pct;
    r->percpu_percent = tmp.cpu_count ? pct + n : NULL;
    r->interval = interval;
    r->sequence = s->seq;
    *out = r;
    return 0;
}

int ps_scanner_scan(ps_scanner *s, ps_scan **out)
{
    if (!out) return ps__error(PS_EINVAL, 0, "ps_scanner_scan: out is NULL");
    *out = NULL;
    if (!s) return ps__error(PS_EINVAL, 0, "ps_scanner_scan: scanner is NULL");
    ps__mutex_lock(s->lock);
    double mono = ps__clock_monotonic(), wall = ps__clock_wall();
    ps_ptable *t = NULL;
    uint64_t *idents = NULL;
    int rc = take_table(s, &t, &idents);
    if (rc == 0) {
        rc = make_result(s, t, idents, mono, wall, out);
        if (rc) ps_ptable_free(t);
    }
    free(idents);
    ps__mutex_unlock(s->lock);
    return rc;
}

int ps_scanner_stats_get(ps_scanner *s, ps_scanner_stats *out)
{
    if (!out) return ps__error(PS_EINVAL, 0, "ps_scanner_stats_get: out is NULL");
    memset(out, 0, sizeof *out);
    if (!s) return ps__error(PS_EINVAL, 0, "ps_scanner_stats_get: scanner is NULL");
    ps__mutex_lock(s->lock);
    out->tracked = s->nprev;
    out->pid_reuses = s->reuses;
    out->state_bytes = sizeof *s + s->nprev * sizeof(prev_ent) + s->nprev_percpu * sizeof(ps_cputimes);
    if (s->bk) ps__bk_scanner_stats(s->bk, out);
    else out->fresh_opens = s->nprev;
    ps__mutex_unlock(s->lock);
    return 0;
}
