/* SPDX-License-Identifier: MIT */
/*
 * Linux: the scanner's back end. Per process of the previous scan it keeps the descriptors of
 * the files the fields need (stat, status or a pidfd, statm, cmdline, io), so a later scan
 * costs a pread per file instead of open + read + close; and, when the budget holds them for
 * every process, O_PATH descriptors of the exe and cwd links (a readlink without the walk). The kept stat descriptor is read
 * LAST: if it still reads, the process it was opened on held the PID the whole time (every
 * other kept descriptor is bound to that process too); if it fails while the PID is still
 * listed, the PID names a new process: everything kept is closed and it is read afresh, as a
 * new process (new identity serial, so the core never mixes the two CPU samples).
 *
 * Descriptors: at most half the soft RLIMIT_NOFILE (read at every scan; the other half is the
 * application's), less after an EMFILE (then kept descriptors are given back and the process
 * is read with fresh opens: a scan never fails because of what the scanner keeps).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ptable_read.h"

typedef struct ent {
    int64_t pid;
    uint64_t ident;         /* 0: not assigned yet */
    uint64_t start_ticks;
    ps__lx_kept k;
} ent;

struct ps__bk_scanner {
    uint64_t fields;
    uint32_t flags;
    int need;               /* descriptors per kept process, links aside */
    int links;              /* more for its exe and cwd links (kept when all fit the budget) */
    ent *ents;              /* the previous scan's processes, by PID */
    size_t n;
    uint64_t next_ident;
    uint64_t kept_fds, budget, fresh;
    uint64_t emfile_cap;    /* 0: none; else a ceiling learnt from an EMFILE */
};

static void kept_init(ps__lx_kept *k)
{
    for (int i = 0; i < PS__KF_COUNT; i++) k->fd[i] = -1;
}

static int kept_count(const ps__lx_kept *k)
{
    int n = 0;
    for (int i = 0; i < PS__KF_COUNT; i++) n += k->fd[i] >= 0;
    return n;
}

int ps__bk_scanner_new(uint64_t fields, uint32_t flags, ps__bk_scanner **out)
{
    ps__bk_scanner *s = calloc(1, sizeof *s);
    if (!s) return ps__error(PS_ENOMEM, 0, "ps_scanner_new: out of memory");
    s->fields = fields;
    s->flags = flags;
    s->need = ps__lx_kept_need(fields);
    s->links = ps__lx_kept_links(fields);
    *out = s;
    return 0;
}

static void drop_ent(ps__bk_scanner *s, ent *e)
{
    s->kept_fds -= (uint64_t)ps__lx_kept_close(&e->k);
}

void ps__bk_scanner_free(ps__bk_scanner *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) drop_ent(s, &s->ents[i]);
    free(s->ents);
    free(s);
}

void ps__bk_scanner_stats(const ps__bk_scanner *s, ps_scanner_stats *out)
{
    out->kept_fds = s->kept_fds;
    out->fd_budget = s->budget;
    out->fresh_opens = s->fresh;
    out->state_bytes += sizeof *s + s->n * sizeof(ent);
}

static uint64_t fd_budget(const ps__bk_scanner *s)
{
    if (s->flags & PS_SCANNER_NO_KEEP) return 0;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
    uint64_t soft = rl.rlim_cur == RLIM_INFINITY ? (uint64_t)1 << 21 : (uint64_t)rl.rlim_cur;
    uint64_t b = soft / 2;
    if (s->emfile_cap && b > s->emfile_cap) b = s->emfile_cap;
    return b;
}

/* After an EMFILE: give back a quarter of what is kept (the processes already read this scan,
 * last first) and lower the ceiling to what remains. */
static void shed(ps__bk_scanner *s, ent *done, size_t ndone)
{
    uint64_t target = s->kept_fds - s->kept_fds / 4;
    for (size_t i = ndone; i-- > 0 && s->kept_fds > target;) drop_ent(s, &done[i]);
    s->emfile_cap = s->kept_fds > 0 ? s->kept_fds : 1;
    s->budget = s->emfile_cap;
}

typedef struct scan_run {
    ps__bk_scanner *s;
    ps__lx_ctx *ctx;
    int rootfd;
    ent *done;          /* this scan's processes so far */
    size_t ndone;
    int keep_links;     /* the budget holds every listed process with its links */
} scan_run;

/* One read, with the EMFILE rule: on EMFILE free kept descriptors and read again without
 * keeping; PS_EMFILE only if even that fails. */
static int read_counted(scan_run *run, ent *e, int keep, ps__bk_ptrec *r, uint64_t *ticks)
{
    ps__bk_scanner *s = run->s;
    int before = kept_count(&e->k), emfile = 0;
    int res = ps__lx_read_kept(run->ctx, run->rootfd, e->pid, &e->k, keep, r, ticks, &emfile);
    s->kept_fds += (uint64_t)(kept_count(&e->k) - before);
    if (res < 0 || !emfile) return res;
    drop_ent(s, e);
    shed(s, run->done, run->ndone);
    emfile = 0;
    res = ps__lx_read_kept(run->ctx, run->rootfd, e->pid, &e->k, 0, r, ticks, &emfile);
    if (res >= 0 && emfile) return ps__error(PS_EMFILE, EMFILE, "scanner: out of descriptors");
    return res;
}

/* Read one listed process into its state entry e (taken over from the previous scan, or new). */
static int read_ent(scan_run *run, ent *e, ps__bk_ptrec *r)
{
    ps__bk_scanner *s = run->s;
    int had_kept = e->k.fd[PS__KF_STAT] >= 0;
    int is_new = e->ident == 0;
    if (!run->keep_links) {   /* the budget got tighter: the links are the first to go */
        for (int kf = PS__KF_EXE; kf <= PS__KF_CWD; kf++) {
            if (e->k.fd[kf] < 0) continue;
            close(e->k.fd[kf]);
            e->k.fd[kf] = -1;
            s->kept_fds--;
        }
    }
    int links = run->keep_links ? PS__LX_KEEP_LINKS : 0;
    int keep = had_kept || s->kept_fds + (uint64_t)s->need <= s->budget ? PS__LX_KEEP | links : 0;
    uint64_t ticks = 0;
    int res = read_counted(run, e, keep, r, &ticks);
    if (res == PS__LX_GONE && had_kept) {
        /* the process we held is reaped, yet its PID is listed: a new process (or it died just
         * now). Nothing kept belongs to the new one: close it all and read it as new. */
        drop_ent(s, e);
        is_new = 1;
        had_kept = 0;
        keep = s->kept_fds + (uint64_t)s->need <= s->budget ? PS__LX_KEEP | links : 0;
        res = read_counted(run, e, keep, r, &ticks);
    }
    if (res != PS__LX_OK) return res;
    if (!had_kept) s->fresh++;
    if (!is_new && ticks != e->start_ticks) is_new = 1;   /* reused PID seen without a kept fd */
    if (is_new) {
        e->ident = ++s->next_ident;
        e->start_ticks = ticks;
    }
    r->ident = e->ident;
    return PS__LX_OK;
}

static int cmp_pid(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int list_and_open(int64_t **pids, size_t *npids, int *rootfd)
{
    int rc = ps__bk_pids(pids, npids);
    if (rc) return rc;
    int sorted = 1;   /* the listing is in PID order already (procfs walks PIDs upwards) */
    for (size_t i = 1; i < *npids && sorted; i++) sorted = (*pids)[i - 1] < (*pids)[i];
    if (!sorted) qsort(*pids, *npids, sizeof **pids, cmp_pid);
    const char *root = ps__root(PS_ROOT_PROC);
    do *rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    while (*rootfd < 0 && errno == EINTR);
    if (*rootfd < 0) {
        rc = ps__errno_error(errno, root);
        free(*pids);
        *pids = NULL;
    }
    return rc;
}

/* Walk the sorted listing against the previous scan's entries (by PID). */
static int scan_listed(scan_run *run, const int64_t *pids, size_t npids, ps__ptable_builder *b)
{
    ps__bk_scanner *s = run->s;
    size_t j = 0;
    int rc = 0;
    for (size_t i = 0; i < npids && rc == 0; i++) {
        while (j < s->n && s->ents[j].pid < pids[i]) drop_ent(s, &s->ents[j++]);   /* gone */
        ent *e = &run->done[run->ndone];
        if (j < s->n && s->ents[j].pid == pids[i]) {
            *e = s->ents[j++];
        } else {
            memset(e, 0, sizeof *e);
            e->pid = pids[i];
            kept_init(&e->k);
        }
        ps__bk_ptrec r;
        int res = read_ent(run, e, &r);
        if (res < 0) {
            rc = res;
            drop_ent(s, e);
        } else if (res == PS__LX_GONE) {
            drop_ent(s, e);
        } else {
            rc = ps__ptable_emit(b, &r);
            if (rc) drop_ent(s, e);
            else run->ndone++;
        }
    }
    for (; j < s->n; j++) drop_ent(s, &s->ents[j]);
    return rc;
}

int ps__bk_scanner_scan(ps__bk_scanner *s, ps__ptable_builder *b)
{
    int64_t *pids = NULL;
    size_t npids = 0;
    scan_run run = {s, NULL, -1, NULL, 0, 0};
    int rc = list_and_open(&pids, &npids, &run.rootfd);
    if (rc == PS_EMFILE && s->kept_fds > 0) {   /* what we keep is in the way: give some back */
        shed(s, s->ents, s->n);
        rc = list_and_open(&pids, &npids, &run.rootfd);
    }
    if (rc) return rc;
    s->budget = fd_budget(s);
    s->fresh = 0;
    run.keep_links = s->links && s->budget >= (uint64_t)npids * (uint64_t)(s->need + s->links);
    run.ctx = ps__lx_ctx_new(s->fields);
    run.done = malloc((npids ? npids : 1) * sizeof *run.done);
    rc = ps__ptable_reserve(b, npids);
    if (!rc && (!run.ctx || !run.done)) rc = ps__error(PS_ENOMEM, 0, "scanner: out of memory");
    if (rc) {
        /* nothing read: the previous state stays as it was */
        free(run.done);
        ps__lx_ctx_free(run.ctx);
        close(run.rootfd);
        free(pids);
        return rc;
    }
    rc = scan_listed(&run, pids, npids, b);
    if (rc) {   /* the scan failed: what was read this time is not state for the next */
        for (size_t i = 0; i < run.ndone; i++) drop_ent(s, &run.done[i]);
        run.ndone = 0;
    }
    free(s->ents);
    s->ents = run.done;
    s->n = run.ndone;
    ps__lx_ctx_free(run.ctx);
    close(run.rootfd);
    free(pids);
    return rc;
}
