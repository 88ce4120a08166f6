/* SPDX-License-Identifier: MIT */
/* macOS: PIDs, pid_exists, the PID/PPID pairs and the process table. One KERN_PROC_ALL read
 * gives every process's kinfo_proc (name, ppid, ids, terminal, status, start time); the other
 * fields cost one call each, as in psutil's oneshot (one PROC_PIDTASKINFO for CPU, memory,
 * threads, context switches and faults), and one kinfo read at the end checks that the record
 * is one process (the start time did not change). */
#include <errno.h>
#include <libproc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysctl.h>

#include "darwin.h"

int ps__bk_pids(int64_t **pids, size_t *count)
{
    for (int tries = 0; tries < 8; tries++) {
        int n = proc_listallpids(NULL, 0);
        if (n <= 0) return ps__errno_error(errno, "proc_listallpids");
        size_t cap = (size_t)n + 64;   /* room for processes born meanwhile */
        pid_t *v = malloc(cap * sizeof *v);
        if (!v) return ps__error(PS_ENOMEM, 0, "out of memory");
        int got = proc_listallpids(v, (int)(cap * sizeof *v));
        if (got <= 0) {
            int err = errno;
            free(v);
            return ps__errno_error(err, "proc_listallpids");
        }
        if ((size_t)got >= cap) {   /* possibly cut: ask again */
            free(v);
            continue;
        }
        int64_t *out = malloc((size_t)got * sizeof *out + 1);
        if (!out) {
            free(v);
            return ps__error(PS_ENOMEM, 0, "out of memory");
        }
        for (int i = 0; i < got; i++) out[i] = v[i];
        free(v);
        *pids = out;
        *count = (size_t)got;
        return 0;
    }
    return ps__error(PS_EIO, 0, "proc_listallpids: the process count kept growing");
}

int ps__bk_pid_exists(int64_t pid, int *exists)
{
    if (pid > INT32_MAX) {
        *exists = 0;
        return 0;
    }
    if (pid == 0) {   /* kill(0, ...) would mean our process group: ask sysctl */
        struct kinfo_proc kp;
        *exists = ps__darwin_kinfo(0, &kp) == 0;
        return 0;
    }
    *exists = kill((pid_t)pid, 0) == 0 || errno == EPERM;
    return 0;
}

int ps__darwin_sysctl_table(int *mib, unsigned miblen, size_t slack, const char *what,
                            const char *noun, void **buf, size_t *len)
{
    for (int tries = 0; tries < 10; tries++) {
        size_t n = 0;
        if (sysctl(mib, miblen, NULL, &n, NULL, 0) < 0) return ps__errno_error(errno, what);
        n += n / 8 + slack;
        void *b = malloc(n);
        if (!b) return ps__error(PS_ENOMEM, 0, "out of memory");
        if (sysctl(mib, miblen, b, &n, NULL, 0) == 0) {
            *buf = b;
            *len = n;
            return 0;
        }
        int err = errno;
        free(b);
        if (err != ENOMEM) return ps__errno_error(err, what);
    }
    return ps__error(PS_EIO, ENOMEM, "%s: the %s kept growing", what, noun);
}

/* Every process's kinfo_proc (sysctl KERN_PROC_ALL). */
static int kinfo_all(struct kinfo_proc **out, size_t *count)
{
    int mib[3] = {CTL_KERN, KERN_PROC, KERN_PROC_ALL};
    void *v = NULL;
    size_t len = 0;
    int rc = ps__darwin_sysctl_table(mib, 3, sizeof(struct kinfo_proc), "sysctl KERN_PROC_ALL",
                                     "table", &v, &len);
    if (rc) return rc;
    *out = v;
    *count = len / sizeof **out;
    return 0;
}

int ps__bk_proc_pid_ppid_pairs(int64_t **pairs, size_t *count)
{
    struct kinfo_proc *kp;
    size_t n;
    int rc = kinfo_all(&kp, &n);
    if (rc) return rc;
    int64_t *v = malloc(2 * n * sizeof *v + 1);
    if (!v) {
        free(kp);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        v[2 * i] = kp[i].kp_proc.p_pid;
        v[2 * i + 1] = kp[i].kp_eproc.e_ppid;
    }
    free(kp);
    *pairs = v;
    *count = n;
    return 0;
}

#define B(f) PS_PT_BIT(PS_PT_##f)
#define KINFO_FIELDS (B(PID) | B(PPID) | B(UIDS) | B(GIDS) | B(STATUS) | B(CREATE_TIME) | B(TERMINAL) | B(USERNAME))
#define TASK_FIELDS (B(CPU_TIMES) | B(MEMORY_INFO) | B(NUM_THREADS) | B(NUM_CTX_SWITCHES) | B(PAGE_FAULTS))

/* The strings of one record, owned while it is emitted. */
typedef struct rec_strs {
    ps__nstr name, exe, cwd, username, terminal, cmdline;
} rec_strs;

static void strs_dispose(rec_strs *s)
{
    ps__nstr *all[] = {&s->name, &s->exe, &s->cwd, &s->username, &s->terminal, &s->cmdline};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) ps__nstr_dispose(all[i]);
}

static ps__nview view(const ps__nstr *s)
{
    ps__nview v = {s->data, s->len};
    return v;
}

/* Record field f as read (rc 0) or absent with its error. PS_ENOPROC and PS_ENOMEM stop the
 * record (returned); other errors stay with the field. */
static int field(ps__bk_ptrec *r, ps_ptable_field f, int rc)
{
    if (rc == 0) {
        r->rec.present |= PS_PT_BIT(f);
        return 0;
    }
    r->rec.error[f] = (int8_t)rc;
    return rc == PS_ENOPROC || rc == PS_ENOMEM ? rc : 0;
}

/* The fields kinfo_proc answers, from the table's copy. */
static int kinfo_fields(ps_proc *p, const struct kinfo_proc *kp, uint64_t fields, ps__bk_ptrec *r,
                        rec_strs *s)
{
    const struct eproc *e = &kp->kp_eproc;
    r->rec.pid = p->pid;
    r->rec.present = B(PID);
    if (fields & B(PPID)) {
        r->rec.ppid = e->e_ppid;
        r->rec.present |= B(PPID);
    }
    if (fields & B(UIDS)) {
        ps_proc_ids ids = {.real = e->e_pcred.p_ruid, .effective = e->e_ucred.cr_uid,
                           .saved = e->e_pcred.p_svuid};
        r->rec.uids = ids;
        r->rec.present |= B(UIDS);
    }
    if (fields & B(GIDS)) {
        ps_proc_ids ids = {.real = e->e_pcred.p_rgid, .effective = e->e_ucred.cr_groups[0],
                           .saved = e->e_pcred.p_svgid};
        r->rec.gids = ids;
        r->rec.present |= B(GIDS);
    }
    if (fields & B(STATUS)) {
        r->rec.status = (int32_t)ps__darwin_status(kp->kp_proc.p_stat, kp->kp_proc.p_flag, e->e_flag);
        r->rec.present |= B(STATUS);
    }
    if (fields & B(CREATE_TIME)) {
        r->rec.create_time = (double)p->start_sec + (double)p->start_usec / 1e6;
        r->rec.present |= B(CREATE_TIME);
    }
    int rc = 0;
    if (fields & B(NAME)) {
        const char *c = kp->kp_proc.p_comm;
        rc = ps__darwin_nstr_copy(&s->name, c, strnlen(c, sizeof kp->kp_proc.p_comm));
        if (rc == 0) rc = ps__darwin_extend_name(p, &s->name);
        if ((rc = field(r, PS_PT_NAME, rc))) return rc;
    }
    if ((fields & B(TERMINAL)) && (rc = field(r, PS_PT_TERMINAL, ps__darwin_tty_name(e->e_tdev, &s->terminal))))
        return rc;
    if (fields & B(USERNAME)) rc = field(r, PS_PT_USERNAME, ps__posix_user_name(e->e_pcred.p_ruid, &s->username));
    return rc;
}

/* The fields that need a call of their own. */
static int call_fields(ps_proc *p, uint64_t fields, ps__bk_ptrec *r, rec_strs *s)
{
    int rc = 0;
    if (fields & TASK_FIELDS) {
        ps__darwin_task t;
        int trc = ps__darwin_taskinfo(p, &t);
        uint64_t f = ps__darwin_tbfreq();
        if (trc == 0 && !f) trc = ps__error(PS_EIO, 0, "no Mach tick frequency");
        if (trc == 0) {
            ps__darwin_task_cputimes(&t, f, &r->rec.cpu_times);
            ps__darwin_task_mem(&t, &r->rec.memory_info);
            r->rec.num_threads = t.threadnum;
            ps__darwin_task_ctxsw(&t, &r->rec.num_ctx_switches);
            ps__darwin_task_faults(&t, &r->rec.page_faults);
        }
        for (int i = PS_PT_CPU_TIMES; i <= PS_PT_PAGE_FAULTS; i++)
            if ((fields & PS_PT_BIT(i)) && (TASK_FIELDS & PS_PT_BIT(i)) && (rc = field(r, i, trc))) return rc;
    }
    if ((fields & B(EXE)) && (rc = field(r, PS_PT_EXE, ps__bk_proc_exe(p, &s->exe)))) return rc;
    if ((fields & B(CWD)) && (rc = field(r, PS_PT_CWD, ps__bk_proc_cwd(p, &s->cwd)))) return rc;
    if (fields & B(CMDLINE)) {
        rc = field(r, PS_PT_CMDLINE, ps__bk_proc_cmdline(p, &s->cmdline, &r->cmdline_count));
        if (rc) return rc;
    }
    if ((fields & B(NICE)) && (rc = field(r, PS_PT_NICE, ps__bk_proc_nice(p, &r->rec.nice)))) return rc;
    if ((fields & B(NUM_FDS)) && (rc = field(r, PS_PT_NUM_FDS, ps__bk_proc_num_fds(p, &r->rec.num_fds))))
        return rc;
    if (fields & B(CPU_NUM)) field(r, PS_PT_CPU_NUM, PS_ENOTSUP);
    if (fields & B(IO_COUNTERS)) field(r, PS_PT_IO_COUNTERS, PS_ENOTSUP);
    if (fields & B(NUM_HANDLES)) field(r, PS_PT_NUM_HANDLES, PS_ENOTSUP);   /* Windows only */
    return 0;
}

/* Read and emit one process. The getters skip their own pin checks (defer_pin); one check at
 * the end covers the whole record. PS_ENOPROC: the process is gone (the caller decides). */
static int one(ps_proc *p, const struct kinfo_proc *kp, uint64_t fields, uint32_t flags,
               ps__ptable_builder *b)
{
    ps__bk_ptrec r;
    memset(&r, 0, sizeof r);
    rec_strs s;
    memset(&s, 0, sizeof s);
    p->defer_pin = 1;
    int rc = kinfo_fields(p, kp, fields, &r, &s);
    if (rc == 0) rc = call_fields(p, fields, &r, &s);
    p->defer_pin = 0;
    if (rc == 0 && (rc = ps__bsd_pinned(p)) == PS_ENOPROC) {
        /* The PID may hold another process now: keep only what the table's kinfo_proc said. */
        r.rec.present &= KINFO_FIELDS;
        for (int f = 0; f < PS_PT_FIELD_COUNT; f++)
            if (!(KINFO_FIELDS & PS_PT_BIT(f))) r.rec.error[f] = 0;
    }
    if (rc == PS_ENOPROC && (flags & PS_PT_KEEP_PARTIAL) && r.rec.present != B(PID)) {
        for (int f = 0; f < PS_PT_FIELD_COUNT; f++)
            if ((fields & PS_PT_BIT(f)) && !(r.rec.present & PS_PT_BIT(f)) && !r.rec.error[f])
                r.rec.error[f] = (int8_t)PS_ENOPROC;
        rc = 0;
    }
    if (rc == 0) {
        r.name = view(&s.name);
        r.exe = view(&s.exe);
        r.cwd = view(&s.cwd);
        r.username = view(&s.username);
        r.terminal = view(&s.terminal);
        r.cmdline = view(&s.cmdline);
        rc = ps__ptable_emit(b, &r);
    }
    strs_dispose(&s);
    return rc;
}

/* A private handle with p's identity (the caller's may be shared between threads). */
static void pin_copy(ps_proc *dst, int64_t pid, int64_t sec, int64_t usec)
{
    memset(dst, 0, sizeof *dst);
    dst->pid = pid;
    dst->start_sec = sec;
    dst->start_usec = usec;
    dst->has_start = 1;
}

int ps__bk_ptable_scan(uint64_t fields, uint32_t flags, ps__ptable_builder *b)
{
    struct kinfo_proc *kp;
    size_t n;
    int rc = kinfo_all(&kp, &n);
    if (rc) return rc;
    rc = ps__ptable_reserve(b, n);
    for (size_t i = 0; i < n && rc == 0; i++) {
        ps_proc p;
        pin_copy(&p, kp[i].kp_proc.p_pid, (int64_t)kp[i].kp_proc.p_starttime.tv_sec,
                 (int64_t)kp[i].kp_proc.p_starttime.tv_usec);
        rc = one(&p, &kp[i], fields, flags, b);
        if (rc == PS_ENOPROC) rc = 0;   /* gone during the scan: left out */
    }
    free(kp);
    return rc;
}

int ps__bk_proc_snapshot(ps_proc *p, uint64_t fields, ps__ptable_builder *b)
{
    struct kinfo_proc kp;
    int rc = ps__darwin_kinfo_pinned(p, &kp);
    if (rc) return rc;
    ps_proc q;
    pin_copy(&q, p->pid, p->start_sec, p->start_usec);
    rc = one(&q, &kp, fields, 0, b);
    if (rc == PS_ENOPROC) return ps__error(PS_ENOPROC, 0, "process %lld is gone", (long long)p->pid);
    return rc;
}
