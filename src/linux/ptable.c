/* SPDX-License-Identifier: MIT */
/*
 * Linux: PIDs, pid_exists and the process table reader (include/psinfo/ptable.h).
 *
 * Each process is read through its own /proc/<pid> directory fd (openat/readlinkat relative
 * to it): once that process is reaped, the kernel fails every lookup and read under the fd
 * (ENOENT/ESRCH), even if a new process got the PID, so a record can never mix two processes.
 * Only the files the requested fields need are opened; each small file is read with ONE read()
 * into a stack buffer (procfs seq files hand over the whole text when the buffer is big enough);
 * big files (cmdline, a long status) continue into a heap buffer kept for the whole scan.
 * Parsing uses the shared allocation-free parsers of procparse.c. Strings stay native (views
 * into the buffers); the core decodes them into the table (ps__ptable_emit).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "linux.h"
#include "procparse.h"
#include "ptable_read.h"

#define B(f) PS_PT_BIT(PS_PT_##f)

/* Fields served by each file. */
#define STAT_FIELDS (B(PPID) | B(NAME) | B(STATUS) | B(CREATE_TIME) | B(CPU_TIMES) | B(CPU_NUM) | \
                     B(NICE) | B(TERMINAL) | B(NUM_THREADS) | B(PAGE_FAULTS))
#define STATUS_FIELDS (B(UIDS) | B(GIDS) | B(USERNAME) | B(NUM_CTX_SWITCHES))

/* ---- directory listing without a DIR (struct ps__dirent64, linux.h) ------------------- */

/* Parse a decimal PID name; 0 if the name is not all digits (or out of range). */
static int64_t parse_pid_name(const char *s)
{
    if (*s < '1' || *s > '9') return 0;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return 0;
        v = v * 10 + (*s - '0');
        if (v > INT_MAX) return 0;
    }
    return v;
}

static int open_proc_root(int *fd)
{
    const char *root = ps__root(PS_ROOT_PROC);
    int f;
    do f = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    while (f < 0 && errno == EINTR);
    *fd = f;    /* -1 on failure: the out-parameter is defined on every path */
    return f < 0 ? ps__errno_error(errno, root) : 0;
}

/* ---- scan context ------------------------------------------------------------------------ */

typedef struct uid_name {
    int64_t uid;
    char *name;     /* native bytes, malloc'd */
    size_t len;
} uid_name;

typedef struct tty_ent {
    uint64_t dev;
    char *path;     /* native bytes, malloc'd */
    size_t len;
} tty_ent;

/* A growable heap buffer reused for every process of a scan. */
typedef struct hbuf {
    char *data;
    size_t cap;
} hbuf;

typedef struct scan_ctx {
    uint64_t fields;
    uint32_t flags;
    double tck;
    uint64_t pagesize;
    double boot_time;
    int have_boot;
    uid_name *users;        /* per-scan uid -> name cache (no global cache) */
    size_t nusers, capusers;
    tty_ent *ttys;          /* per-scan device -> /dev path map, built on first need */
    size_t nttys, capttys;
    int ttys_loaded;
    hbuf h_status, h_cmdline, h_exe, h_cwd;
} scan_ctx;

static void ctx_init(scan_ctx *c, uint64_t fields, uint32_t flags)
{
    memset(c, 0, sizeof *c);
    c->fields = fields;
    c->flags = flags;
    long t = sysconf(_SC_CLK_TCK);
    c->tck = t > 0 ? (double)t : 100.0;
    long ps = sysconf(_SC_PAGESIZE);
    c->pagesize = ps > 0 ? (uint64_t)ps : 4096;
}

static void ctx_dispose(scan_ctx *c)
{
    for (size_t i = 0; i < c->nusers; i++) free(c->users[i].name);
    free(c->users);
    for (size_t i = 0; i < c->nttys; i++) free(c->ttys[i].path);
    free(c->ttys);
    free(c->h_status.data);
    free(c->h_cmdline.data);
    free(c->h_exe.data);
    free(c->h_cwd.data);
}

static int hbuf_reserve(hbuf *h, size_t need)
{
    if (need <= h->cap) return 0;
    size_t c = h->cap ? h->cap : 16384;
    while (c < need) c *= 2;
    char *p = realloc(h->data, c);
    if (!p) return -ENOMEM;
    h->data = p;
    h->cap = c;
    return 0;
}

/* ---- reading ------------------------------------------------------------------------------ */

static int open_at(int dirfd, const char *name)
{
    int fd;
    do fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    while (fd < 0 && errno == EINTR);
    return fd;
}

static ssize_t pread_intr(int fd, char *buf, size_t n, off_t off)
{
    ssize_t r;
    do r = pread(fd, buf, n, off);
    while (r < 0 && errno == EINTR);
    return r;
}

/*
 * Read an open file from its start (pread: the same for a fresh descriptor, and what lets a
 * scanner read a kept one again) into buf (cap bytes) with one call. When the text fills buf
 * and h is not NULL, it continues into h until EOF. data and len receive the text. 0 or
 * -errno. Without h, a file longer than cap is cut (fine for stat, statm, io: every field used
 * is in the first few hundred bytes). Does not close fd.
 */
static int read_fd(int fd, char *buf, size_t cap, hbuf *h, const char **data, size_t *len)
{
    ssize_t r = pread_intr(fd, buf, cap, 0);
    if (r < 0) return -errno;
    if ((size_t)r < cap || !h) {
        *data = buf;
        *len = (size_t)r;
        return 0;
    }
    size_t n = (size_t)r;
    if (hbuf_reserve(h, cap * 2)) return -ENOMEM;
    memcpy(h->data, buf, n);
    for (;;) {
        if (n == h->cap && hbuf_reserve(h, h->cap * 2)) return -ENOMEM;
        r = pread_intr(fd, h->data + n, h->cap - n, (off_t)n);
        if (r < 0) return -errno;
        if (r == 0) break;
        n += (size_t)r;
    }
    *data = h->data;
    *len = n;
    return 0;
}

/* open + read_fd + close of name under dirfd. */
static int read_file(int dirfd, const char *name, char *buf, size_t cap, hbuf *h,
                     const char **data, size_t *len)
{
    int fd = open_at(dirfd, name);
    if (fd < 0) return -errno;
    int e = read_fd(fd, buf, cap, h, data, len);
    close(fd);
    return e;
}

/* readlink name under dirfd into buf (cap bytes, NUL-terminated), continuing into h when the
 * target is longer. Applies psutil's readlink(): cut at a NUL, and drop a " (deleted)" suffix
 * unless a file with that exact name exists. 0 or -errno. */
static int read_link(int dirfd, const char *name, char *buf, size_t cap, hbuf *h,
                     const char **data, size_t *len)
{
    char *p = buf;
    size_t c = cap;
    ssize_t r;
    for (;;) {
        r = readlinkat(dirfd, name, p, c - 1);
        if (r < 0) return -errno;
        if ((size_t)r < c - 1) break;
        if (c >= (1u << 22)) return -ENAMETOOLONG;
        if (hbuf_reserve(h, c * 4)) return -ENOMEM;
        p = h->data;
        c = h->cap;
    }
    p[r] = '\0';
    size_t n = strnlen(p, (size_t)r);
    static const char del[] = " (deleted)";
    size_t dl = sizeof del - 1;
    if (n > dl && memcmp(p + n - dl, del, dl) == 0) {
        struct stat sb;
        if (stat(p, &sb) != 0) n -= dl;
    }
    *data = p;
    *len = n;
    return 0;
}

/* Is the process behind dirfd still there (zombies included)? A lookup under the directory of
 * a reaped process fails. */
static int still_there(int dirfd)
{
    struct stat sb;
    return fstatat(dirfd, "stat", &sb, 0) == 0;
}

/* ---- user names and terminals ----------------------------------------------------------- */

static int lookup_user(scan_ctx *c, int64_t uid, const char **name, size_t *len)
{
    for (size_t i = 0; i < c->nusers; i++) {
        if (c->users[i].uid == uid) {
            *name = c->users[i].name;
            *len = c->users[i].len;
            return 0;
        }
    }
    ps__nstr un = { NULL, 0 };
    int rc = ps__posix_user_name(uid, &un);
    if (rc) return rc;   /* PS_ENOMEM, or a failed lookup (not cached: a later one may work) */
    char *copy = un.data;
    size_t n = un.len;
    if (c->nusers == c->capusers) {
        size_t nc = c->capusers ? c->capusers * 2 : 16;
        uid_name *nu = realloc(c->users, nc * sizeof *nu);
        if (!nu) {
            free(copy);
            return PS_ENOMEM;
        }
        c->users = nu;
        c->capusers = nc;
    }
    c->users[c->nusers].uid = uid;
    c->users[c->nusers].name = copy;
    c->users[c->nusers].len = n;
    c->nusers++;
    *name = copy;
    *len = n;
    return 0;
}

static int tty_add(scan_ctx *c, uint64_t dev, const char *path, size_t len)
{
    for (size_t i = 0; i < c->nttys; i++) {
        if (c->ttys[i].dev == dev) {   /* later entries win, as psutil's dict */
            char *p = malloc(len + 1);
            if (!p) return -ENOMEM;
            memcpy(p, path, len + 1);
            free(c->ttys[i].path);
            c->ttys[i].path = p;
            c->ttys[i].len = len;
            return 0;
        }
    }
    if (c->nttys == c->capttys) {
        size_t nc = c->capttys ? c->capttys * 2 : 64;
        tty_ent *nt = realloc(c->ttys, nc * sizeof *nt);
        if (!nt) return -ENOMEM;
        c->ttys = nt;
        c->capttys = nc;
    }
    char *p = malloc(len + 1);
    if (!p) return -ENOMEM;
    memcpy(p, path, len + 1);
    c->ttys[c->nttys].dev = dev;
    c->ttys[c->nttys].path = p;
    c->ttys[c->nttys].len = len;
    c->nttys++;
    return 0;
}

/* Add the entries of <dev root>/<sub> whose name starts with prefix (psutil: glob /dev/tty*,
 * then the pts directory), keyed by st_rdev (stat follows symlinks, as os.stat). */
static int tty_scan_dir(scan_ctx *c, const char *sub, const char *prefix)
{
    const char *root = ps__root(PS_ROOT_DEV);
    char dir[PATH_MAX];
    int n = snprintf(dir, sizeof dir, "%s%s%s", root, *sub ? "/" : "", sub);
    if (n < 0 || (size_t)n >= sizeof dir) return 0;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return 0;
    char *dbuf = malloc(DENTS_BUF);
    if (!dbuf) {
        close(fd);
        return -ENOMEM;
    }
    size_t plen = strlen(prefix);
    int rc = 0;
    for (;;) {
        long r = syscall(SYS_getdents64, fd, dbuf, DENTS_BUF);
        if (r <= 0) break;
        for (long off = 0; off < r;) {
            struct ps__dirent64 *d = (struct ps__dirent64 *)(void *)(dbuf + off);
            off += d->d_reclen;
            if (d->d_name[0] == '.') continue;
            if (plen && strncmp(d->d_name, prefix, plen) != 0) continue;
            struct stat sb;
            if (fstatat(fd, d->d_name, &sb, 0) != 0) continue;
            char path[PATH_MAX];
            int m = snprintf(path, sizeof path, "%s/%s", dir, d->d_name);
            if (m < 0 || (size_t)m >= sizeof path) continue;
            rc = tty_add(c, (uint64_t)sb.st_rdev, path, (size_t)m);
            if (rc) break;
        }
        if (rc) break;
    }
    free(dbuf);
    close(fd);
    return rc;
}

static int lookup_tty(scan_ctx *c, uint64_t dev, const char **path, size_t *len)
{
    if (!c->ttys_loaded) {
        c->ttys_loaded = 1;
        int rc = tty_scan_dir(c, "", "tty");
        if (!rc) rc = tty_scan_dir(c, "pts", "");
        if (rc) return rc;
    }
    for (size_t i = 0; i < c->nttys; i++) {
        if (c->ttys[i].dev == dev) {
            *path = c->ttys[i].path;
            *len = c->ttys[i].len;
            return 0;
        }
    }
    *path = NULL;   /* psutil: tmap.get(tty_nr) -> None */
    *len = 0;
    return 0;
}

static int load_boot_time(scan_ctx *c)
{
    if (c->have_boot) return 0;
    int rc = ps__boot_time(&c->boot_time);
    if (rc == 0) c->have_boot = 1;
    return rc;
}

/* ---- one process ----------------------------------------------------------------------- */

enum { READ_OK = 0, READ_GONE = 1 };

/* errno of a failed read of a field that does not depend on ENOENT semantics. */
static void mark(ps__bk_ptrec *r, int field, int code)
{
    r->rec.present &= ~PS_PT_BIT(field);
    r->rec.error[field] = (int8_t)code;
}

static void set_present(ps__bk_ptrec *r, int field)
{
    r->rec.present |= PS_PT_BIT(field);
    r->rec.error[field] = 0;
}

/* Mark every requested field that is not present yet with code. */
static void mark_rest(ps__bk_ptrec *r, uint64_t fields, int code)
{
    for (int f = 0; f < PS_PT_FIELD_COUNT; f++) {
        uint64_t bit = PS_PT_BIT(f);
        if ((fields & bit) && !(r->rec.present & bit) && r->rec.error[f] == 0) r->rec.error[f] = (int8_t)code;
    }
}

typedef struct proc_bufs {
    char stat[2048];
    char status[4096];
    char statm[256];
    char cmdline[4096];
    char exe[1024];     /* longer links continue in the scan's heap buffers */
    char cwd[1024];
    char io[1024];
} proc_bufs;

/* Fill the fields that come from stat. 0, or PS_ENOMEM. */
static int fill_stat(scan_ctx *c, ps__bk_ptrec *r, const ps__stat *s, uint64_t fields)
{
    const ps__stat st = *s;
    int e;
    if (fields & B(PPID)) {
        r->rec.ppid = st.ppid;
        set_present(r, PS_PT_PPID);
    }
    if (fields & B(NAME)) {
        r->name.data = st.comm;
        r->name.len = st.comm_len;
        set_present(r, PS_PT_NAME);
    }
    if (fields & B(STATUS)) {
        r->rec.status = ps__status_from_letter(st.state);
        set_present(r, PS_PT_STATUS);
    }
    if (fields & B(CREATE_TIME)) {
        int rc = load_boot_time(c);
        if (rc == PS_ENOMEM) return rc;
        if (rc) mark(r, PS_PT_CREATE_TIME, rc);
        else {
            r->rec.create_time = (double)st.starttime / c->tck + c->boot_time;
            set_present(r, PS_PT_CREATE_TIME);
        }
    }
    if (fields & B(CPU_TIMES)) {
        r->rec.cpu_times.user = (double)st.utime / c->tck;
        r->rec.cpu_times.system = (double)st.stime / c->tck;
        r->rec.cpu_times.children_user = (double)st.cutime / c->tck;
        r->rec.cpu_times.children_system = (double)st.cstime / c->tck;
        r->rec.cpu_times.iowait = (double)st.blkio_ticks / c->tck;
        set_present(r, PS_PT_CPU_TIMES);
    }
    if (fields & B(CPU_NUM)) {
        if (st.processor < 0) mark(r, PS_PT_CPU_NUM, PS_ENOTSUP);
        else {
            r->rec.cpu_num = (int32_t)st.processor;
            set_present(r, PS_PT_CPU_NUM);
        }
    }
    if (fields & B(NICE)) {
        r->rec.nice = (int32_t)st.nice;
        set_present(r, PS_PT_NICE);
    }
    if (fields & B(NUM_THREADS)) {
        r->rec.num_threads = st.num_threads;
        set_present(r, PS_PT_NUM_THREADS);
    }
    if (fields & B(PAGE_FAULTS)) {
        r->rec.page_faults.minor = st.minflt;
        r->rec.page_faults.major = st.majflt;
        set_present(r, PS_PT_PAGE_FAULTS);
    }
    if (fields & B(TERMINAL)) {
        if (st.tty_nr == 0) {
            set_present(r, PS_PT_TERMINAL);   /* no terminal: NULL */
        } else {
            const char *tp;
            size_t tl;
            e = lookup_tty(c, (uint64_t)st.tty_nr, &tp, &tl);
            if (e) return ps__error(PS_ENOMEM, 0, "out of memory");
            r->terminal.data = tp;
            r->terminal.len = tl;
            set_present(r, PS_PT_TERMINAL);
        }
    }
    (void)e;
    return 0;
}

/* Where a process's files are: relative to its directory fd ("stat"), or to the procfs root
 * with a "<pid>/" prefix ("1234/stat"). */
typedef struct ploc {
    int base;
    size_t plen;
    char path[48];
    int64_t pid;
    ps__lx_kept *k;     /* a scanner's kept descriptors (NULL: open and close every file) */
    int keep;           /* PS__LX_KEEP(_LINKS): store descriptors opened now in k, not close them */
    int emfile;         /* an open failed with EMFILE/ENFILE */
    int cmd_for_name;   /* read cmdline for the long-name rule before stat is known */
    int by_pidfd;       /* ids may come from PIDFD_GET_INFO (identity proved by a final stat) */
} ploc;

static void ploc_init(ploc *l, int base, int64_t pid)
{
    l->base = base;
    l->plen = 0;
    l->pid = pid;
    l->k = NULL;
    l->keep = l->emfile = l->cmd_for_name = l->by_pidfd = 0;
}

static const char *at(ploc *l, const char *name)
{
    size_t n = strlen(name);
    memcpy(l->path + l->plen, name, n + 1);
    return l->path;
}

/* Read file `name` (kept-descriptor slot kf) of the process at l: through the kept descriptor
 * when there is one, else opened now (and kept when l->keep). 0 or -errno. */
static int read_kf(ploc *l, int kf, const char *name, char *buf, size_t cap, hbuf *h,
                   const char **data, size_t *len)
{
    if (l->k && l->k->fd[kf] >= 0) return read_fd(l->k->fd[kf], buf, cap, h, data, len);
    int fd = open_at(l->base, at(l, name));
    if (fd < 0) {
        int e = errno;
        if (e == EMFILE || e == ENFILE) l->emfile = 1;
        return -e;
    }
    int e = read_fd(fd, buf, cap, h, data, len);
    if (l->k && l->keep && e == 0) l->k->fd[kf] = fd;
    else close(fd);
    return e;
}

/*
 * One process read: the per-file readers below fill `rd` in this order (read_one), each
 * touching only its own file. Errors kept for the end are positive errno values (0: read
 * fine); classify() then decides what an ENOENT meant, and the finishers turn the raw reads
 * into fields.
 */
typedef struct proc_read {
    scan_ctx *c;
    ploc *l;
    proc_bufs *pb;
    ps__bk_ptrec *r;
    uint64_t fields;
    uint64_t *start_ticks;  /* receives stat's start time when not NULL */
    ps__stat st;
    int have_stat;
    int alive;              /* known alive at the end: 1; gone: 0; not checked yet: -1 */
    char state;             /* stat's state letter; 0 while unknown, '?' when unreadable */
    int64_t ppid;
    int cmd_read, cmd_err;
    const char *cmd_data;
    size_t cmd_len;
    int exe_err, cwd_err, io_err, fds_err;
    const char *exe_data, *cwd_data;
    size_t exe_len, cwd_len;
} proc_read;

#define IS_GONE_ERR(x) ((x) == ENOENT || (x) == ESRCH)

/* Mark every field of mask that was requested with code. */
static void mark_fields(ps__bk_ptrec *r, uint64_t mask, int code)
{
    for (int f = 0; f < PS_PT_FIELD_COUNT; f++)
        if (mask & PS_PT_BIT(f)) mark(r, f, code);
}

/* A stat text: parse it, remember what classify() needs, fill the stat fields. 0, 1 when the
 * text does not parse, or PS_ENOMEM. */
static int take_stat(proc_read *rd, const char *data, size_t len)
{
    if (ps__parse_stat_buf(data, len, &rd->st) != 0) return 1;
    rd->have_stat = 1;
    rd->state = rd->st.state;
    rd->ppid = rd->st.ppid;
    if (rd->start_ticks) *rd->start_ticks = rd->st.starttime;
    return fill_stat(rd->c, rd->r, &rd->st, rd->fields) ? PS_ENOMEM : 0;
}

/* Directory mode: stat first. READ_OK, READ_GONE or PS_ENOMEM. */
static int read_stat_first(proc_read *rd)
{
    const char *data;
    size_t len;
    int e = read_file(rd->l->base, at(rd->l, "stat"), rd->pb->stat, sizeof rd->pb->stat, NULL, &data, &len);
    if (e == -ENOENT || e == -ESRCH) return READ_GONE;
    if (e == 0) {
        int t = take_stat(rd, data, len);
        if (t == 0) return READ_OK;
        if (t < 0) return t;
    }
    if (e == -ENOMEM) return ps__error(PS_ENOMEM, 0, "out of memory");
    mark_fields(rd->r, rd->fields & STAT_FIELDS, e ? ps__errno_code(-e) : PS_EPARSE);
    return READ_OK;
}

/* Anchor mode: stat last, through the fd opened first; its success proves the identity. */
static int read_stat_last(proc_read *rd, int anchor)
{
    const char *data;
    size_t len;
    int e = read_fd(anchor, rd->pb->stat, sizeof rd->pb->stat, NULL, &data, &len);
    if (e) return READ_GONE;   /* gone, or the identity cannot be proved: leave it out */
    int t = take_stat(rd, data, len);
    if (t < 0) return t;
    if (t) {
        mark_fields(rd->r, rd->fields & STAT_FIELDS, PS_EPARSE);
        rd->state = '?';
    }
    rd->alive = 1;
    return READ_OK;
}

/* uids, username, gids from a parsed status. 0 or PS_ENOMEM. */
static int apply_status_ids(proc_read *rd, const ps__status *s, uint64_t want)
{
    ps__bk_ptrec *r = rd->r;
    uint64_t fields = rd->fields;
    if (want & (B(UIDS) | B(USERNAME))) {
        if (!(s->found & PS__ST_UID)) {
            if (fields & B(UIDS)) mark(r, PS_PT_UIDS, PS_EPARSE);
            if (fields & B(USERNAME)) mark(r, PS_PT_USERNAME, PS_EPARSE);
        } else {
            if (fields & B(UIDS)) {
                r->rec.uids.real = s->uid[0];
                r->rec.uids.effective = s->uid[1];
                r->rec.uids.saved = s->uid[2];
                set_present(r, PS_PT_UIDS);
            }
            if (fields & B(USERNAME)) {
                const char *un;
                size_t ul;
                int e = lookup_user(rd->c, s->uid[0], &un, &ul);
                if (e == PS_ENOMEM) return ps__error(PS_ENOMEM, 0, "out of memory");
                if (e) {   /* the passwd lookup failed (EMFILE, EIO): marked, not the uid */
                    mark(r, PS_PT_USERNAME, e);
                    if (e == PS_EMFILE) rd->l->emfile = 1;
                } else {
                    r->username.data = un;
                    r->username.len = ul;
                    set_present(r, PS_PT_USERNAME);
                }
            }
        }
    }
    if (fields & B(GIDS)) {
        if (!(s->found & PS__ST_GID)) mark(r, PS_PT_GIDS, PS_EPARSE);
        else {
            r->rec.gids.real = s->gid[0];
            r->rec.gids.effective = s->gid[1];
            r->rec.gids.saved = s->gid[2];
            set_present(r, PS_PT_GIDS);
        }
    }
    return 0;
}

/* num_ctx_switches and (when stat is not read) num_threads from a parsed status. */
static void apply_status_counts(proc_read *rd, const ps__status *s, uint64_t want)
{
    ps__bk_ptrec *r = rd->r;
    if (rd->fields & B(NUM_CTX_SWITCHES)) {
        if ((s->found & (PS__ST_VCTX | PS__ST_NVCTX)) != (PS__ST_VCTX | PS__ST_NVCTX))
            mark(r, PS_PT_NUM_CTX_SWITCHES, PS_EPARSE);
        else {
            r->rec.num_ctx_switches.voluntary = s->vol_ctxt;
            r->rec.num_ctx_switches.involuntary = s->nonvol_ctxt;
            set_present(r, PS_PT_NUM_CTX_SWITCHES);
        }
    }
    if (want & B(NUM_THREADS)) {
        if (!(s->found & PS__ST_THREADS)) mark(r, PS_PT_NUM_THREADS, PS_EPARSE);
        else {
            r->rec.num_threads = s->threads;
            set_present(r, PS_PT_NUM_THREADS);
        }
    }
}

/*
 * uids, gids, username from PIDFD_GET_INFO instead of the status file (4-5 us less per
 * process fresh, ~14 us less through a kept pidfd). Only when l->by_pidfd: the reader's final
 * stat read then proves the pidfd's process is the one every other file came from.
 * 1: served; 0: use the status file; READ_GONE; PS_ENOMEM.
 */
static int status_by_pidfd(proc_read *rd, uint64_t want)
{
    ploc *l = rd->l;
    if (!l->by_pidfd || (want & ~(B(UIDS) | B(GIDS) | B(USERNAME))) || !ps__pidfd_info_usable()) return 0;
    int kept = l->k && l->k->fd[PS__KF_PIDFD] >= 0;
    int fd = kept ? l->k->fd[PS__KF_PIDFD] : ps__pidfd_open((pid_t)l->pid, 0);
    if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE) l->emfile = 1;
        return errno == ESRCH ? READ_GONE : 0;
    }
    struct ps__pidfd_info info;
    int e = ps__pidfd_get_info(fd, &info);
    if (!kept) {
        if (l->k && l->keep && e == 0) l->k->fd[PS__KF_PIDFD] = fd;
        else close(fd);
    }
    if (e == -ESRCH) return READ_GONE;
    if (e) {
        ps__pidfd_info_failed(-e);
        return 0;
    }
    ps__status st;
    memset(&st, 0, sizeof st);
    st.found = PS__ST_UID | PS__ST_GID;
    st.uid[0] = info.ruid, st.uid[1] = info.euid, st.uid[2] = info.suid, st.uid[3] = info.fsuid;
    st.gid[0] = info.rgid, st.gid[1] = info.egid, st.gid[2] = info.sgid, st.gid[3] = info.fsgid;
    return apply_status_ids(rd, &st, want) ? PS_ENOMEM : 1;
}

/* status: ids and counters (and num_threads when stat is not read). READ_OK, READ_GONE or
 * PS_ENOMEM. */
static int read_status(proc_read *rd, int need_stat)
{
    uint64_t want = rd->fields & STATUS_FIELDS;
    if ((rd->fields & B(NUM_THREADS)) && !need_stat) want |= B(NUM_THREADS);
    if (!want) return READ_OK;
    int via = status_by_pidfd(rd, want);
    if (via == 1) return READ_OK;
    if (via) return via;
    const char *data;
    size_t len;
    int e = read_kf(rd->l, PS__KF_STATUS, "status", rd->pb->status, sizeof rd->pb->status,
                      &rd->c->h_status, &data, &len);
    if (e == -ENOENT || e == -ESRCH) return READ_GONE;
    if (e == -ENOMEM) return ps__error(PS_ENOMEM, 0, "out of memory");
    if (e) {
        mark_fields(rd->r, want, ps__errno_code(-e));
        return READ_OK;
    }
    if (!(want & (B(NUM_CTX_SWITCHES) | B(NUM_THREADS)))) {
        /* only Uid/Gid are needed: they come early, parse up to the end of "Gid:" */
        const char *g = memmem(data, len, "\nGid:", 5);
        const char *eol = g ? memchr(g + 1, '\n', len - (size_t)(g + 1 - data)) : NULL;
        if (eol) len = (size_t)(eol - data) + 1;
    }
    ps__status s;
    ps__parse_status_buf(data, len, &s);
    if (apply_status_ids(rd, &s, want)) return PS_ENOMEM;
    apply_status_counts(rd, &s, want);
    return READ_OK;
}

/* statm: memory_info. READ_OK or READ_GONE. */
static int read_statm(proc_read *rd)
{
    if (!(rd->fields & B(MEMORY_INFO))) return READ_OK;
    const char *data;
    size_t len;
    int e = read_kf(rd->l, PS__KF_STATM, "statm", rd->pb->statm, sizeof rd->pb->statm, NULL, &data, &len);
    if (e == -ENOENT || e == -ESRCH) return READ_GONE;
    ps__bk_ptrec *r = rd->r;
    ps__statm sm;
    if (e) mark(r, PS_PT_MEMORY_INFO, ps__errno_code(-e));
    else if (ps__parse_statm_buf(data, len, &sm)) mark(r, PS_PT_MEMORY_INFO, PS_EPARSE);
    else {
        uint64_t ps = rd->c->pagesize;
        r->rec.memory_info.rss = sm.resident * ps;
        r->rec.memory_info.vms = sm.size * ps;
        r->rec.memory_info.shared = sm.shared * ps;
        r->rec.memory_info.text = sm.text * ps;
        r->rec.memory_info.data = sm.data * ps;
        r->rec.memory_info.stack = PS_UNKNOWN_U64;   /* as ps_proc_memory_info */
        r->rec.memory_info.peak_rss = PS_UNKNOWN_U64;
        r->rec.memory_info.peak_vms = PS_UNKNOWN_U64;
        set_present(r, PS_PT_MEMORY_INFO);
    }
    return READ_OK;
}

/* cmdline, raw (wanted, or needed for the long-name rule: known now in directory mode); split
 * by finish_cmdline once classified. 0 or PS_ENOMEM. */
static int read_cmdline(proc_read *rd)
{
    int want = (rd->fields & B(CMDLINE)) != 0;
    int for_name = rd->l->cmd_for_name || (rd->have_stat && (rd->r->rec.present & B(NAME)) && rd->st.comm_len >= 15);
    if (!want && !for_name) return 0;
    rd->cmd_read = 1;
    int e = read_kf(rd->l, PS__KF_CMDLINE, "cmdline", rd->pb->cmdline, sizeof rd->pb->cmdline,
                      &rd->c->h_cmdline, &rd->cmd_data, &rd->cmd_len);
    if (e == -ENOMEM) return ps__error(PS_ENOMEM, 0, "out of memory");
    rd->cmd_err = -e;
    return 0;
}

/* Link `name` (kept-descriptor slot kf) of the process at l: through its kept O_PATH
 * descriptor, or by path (opening and keeping the O_PATH descriptor when the links are kept).
 * 0 or -errno. */
static int read_link_kf(ploc *l, int kf, const char *name, char *buf, size_t cap, hbuf *h,
                        const char **data, size_t *len)
{
    if (l->k && l->k->fd[kf] >= 0) return read_link(l->k->fd[kf], "", buf, cap, h, data, len);
    if (!l->k || !(l->keep & PS__LX_KEEP_LINKS)) return read_link(l->base, at(l, name), buf, cap, h, data, len);
    int fd;
    do fd = openat(l->base, at(l, name), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        int e = errno;
        if (e == EMFILE || e == ENFILE) l->emfile = 1;
        return -e;
    }
    int e = read_link(fd, "", buf, cap, h, data, len);
    /* kept even after a failed read (EACCES, a kernel thread's ENOENT): each read resolves and
     * checks again, and the final stat read proves the process */
    if (e != -ENOMEM) l->k->fd[kf] = fd;
    else close(fd);
    return e;
}

/* exe and cwd links, raw; judged by finish_links. 0 or PS_ENOMEM. */
static int read_links(proc_read *rd)
{
    int e;
    if (rd->fields & B(EXE)) {
        e = read_link_kf(rd->l, PS__KF_EXE, "exe", rd->pb->exe, sizeof rd->pb->exe, &rd->c->h_exe,
                         &rd->exe_data, &rd->exe_len);
        if (e == -ENOMEM) return ps__error(PS_ENOMEM, 0, "out of memory");
        rd->exe_err = -e;
    }
    if (rd->fields & B(CWD)) {
        e = read_link_kf(rd->l, PS__KF_CWD, "cwd", rd->pb->cwd, sizeof rd->pb->cwd, &rd->c->h_cwd,
                         &rd->cwd_data, &rd->cwd_len);
        if (e == -ENOMEM) return ps__error(PS_ENOMEM, 0, "out of memory");
        rd->cwd_err = -e;
    }
    return 0;
}

/* io: io_counters (a read error is marked at the end, once classified). */
static void read_io(proc_read *rd)
{
    if (!(rd->fields & B(IO_COUNTERS))) return;
    const char *data;
    size_t len;
    int e = read_kf(rd->l, PS__KF_IO, "io", rd->pb->io, sizeof rd->pb->io, NULL, &data, &len);
    rd->io_err = -e;
    if (e) return;
    ps__bk_ptrec *r = rd->r;
    ps__io io;
    ps__parse_io_buf(data, len, &io);
    if ((io.found & PS__IO_ALL6) != PS__IO_ALL6) mark(r, PS_PT_IO_COUNTERS, PS_EPARSE);
    else {
        r->rec.io_counters.read_count = io.syscr;
        r->rec.io_counters.write_count = io.syscw;
        r->rec.io_counters.read_bytes = io.read_bytes;
        r->rec.io_counters.write_bytes = io.write_bytes;
        r->rec.io_counters.read_chars = io.rchar;
        r->rec.io_counters.write_chars = io.wchar;
        r->rec.io_counters.other_count = r->rec.io_counters.other_bytes = PS_UNKNOWN_U64;   /* Windows only */
        set_present(r, PS_PT_IO_COUNTERS);
    }
}

/* fd/: num_fds, the number of entries (a read error is marked at the end). */
static void count_fds(proc_read *rd)
{
    if (!(rd->fields & B(NUM_FDS))) return;
    int fd;
    do fd = openat(rd->l->base, at(rd->l, "fd"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        rd->fds_err = errno;
        return;
    }
    char dbuf[4096];
    int64_t n = 0;
    long rr;
    while ((rr = syscall(SYS_getdents64, fd, dbuf, sizeof dbuf)) > 0) {
        for (long off = 0; off < rr;) {
            struct ps__dirent64 *d = (struct ps__dirent64 *)(void *)(dbuf + off);
            off += d->d_reclen;
            if (d->d_name[0] == '.' && (d->d_name[1] == '\0' || (d->d_name[1] == '.' && d->d_name[2] == '\0')))
                continue;
            n++;
        }
    }
    rd->fds_err = rr < 0 ? errno : 0;
    close(fd);
    if (!rd->fds_err) {
        rd->r->rec.num_fds = n;
        set_present(rd->r, PS_PT_NUM_FDS);
    }
}

/* Something failed with ENOENT/ESRCH or came back empty: is the process gone (READ_GONE), and
 * if not, what is its state letter (for the zombie test)? */
static int classify(proc_read *rd)
{
    int need = (rd->cmd_read && (IS_GONE_ERR(rd->cmd_err) || (!rd->cmd_err && rd->cmd_len == 0))) ||
               IS_GONE_ERR(rd->exe_err) || IS_GONE_ERR(rd->cwd_err) || IS_GONE_ERR(rd->io_err) ||
               IS_GONE_ERR(rd->fds_err);
    if (!need) return READ_OK;
    if (rd->alive < 0) rd->alive = still_there(rd->l->base);
    if (!rd->alive) return READ_GONE;
    if (rd->state) return READ_OK;
    const char *data;
    size_t len;
    ps__stat st2;
    int e = read_file(rd->l->base, at(rd->l, "stat"), rd->pb->stat, sizeof rd->pb->stat, NULL, &data, &len);
    if (e == -ENOENT || e == -ESRCH) return READ_GONE;
    if (e == 0 && ps__parse_stat_buf(data, len, &st2) == 0) {
        rd->state = st2.state;
        rd->ppid = st2.ppid;
    } else {
        rd->state = '?';
    }
    return READ_OK;
}

/* psutil's split of a command line, in place: NUL-separated; text not ending in NUL is split on
 * spaces; one NUL-ended argument holding spaces (a program that rewrote its argv as one string)
 * is split on spaces.
 * *n becomes the length without the last separator; returns the number of arguments. */
static size_t split_cmdline(char *d, size_t *n)
{
    size_t len = *n, count = 0;
    if (len == 0) return 0;
    char sep = d[len - 1] == '\0' ? '\0' : ' ';
    if (d[len - 1] == sep) len--;
    if (sep == '\0' && !memchr(d, '\0', len) && memchr(d, ' ', len)) sep = ' ';
    count = 1;
    if (sep == ' ') {
        for (size_t i = 0; i < len; i++)
            if (d[i] == ' ') {
                d[i] = '\0';
                count++;
            }
    } else {
        for (const char *q = memchr(d, '\0', len); q; q = memchr(q + 1, '\0', len - (size_t)(q + 1 - d)))
            count++;
    }
    /* d[len] is the separator we dropped, or a spare byte (read_fd always leaves one after a
     * short read): terminate */
    d[len] = '\0';
    *n = len;
    return count;
}

/* psutil's long-name rule: a comm of 15+ bytes (the kernel cuts it) that the basename of
 * argv[0] starts with is replaced by that basename. */
static void apply_long_name(ps__bk_ptrec *r, const char *arg0)
{
    size_t alen = strlen(arg0);
    const char *slash = memrchr(arg0, '/', alen);
    const char *base = slash ? slash + 1 : arg0;
    size_t blen = alen - (size_t)(base - arg0);
    if (blen >= r->name.len && memcmp(base, r->name.data, r->name.len) == 0) {
        r->name.data = base;
        r->name.len = blen;
    }
}

/* cmdline and the long name, once classified; no_mm_code is what a live process without a
 * command line gets (0 for a kernel thread). */
static void finish_cmdline(proc_read *rd, int no_mm_code)
{
    if (!rd->cmd_read) return;
    ps__bk_ptrec *r = rd->r;
    int want = (rd->fields & B(CMDLINE)) != 0;
    int err = rd->cmd_err, code = 0;
    if (IS_GONE_ERR(err)) code = rd->state == 'Z' ? PS_EZOMBIE : ps__errno_code(err);
    else if (err) code = ps__errno_code(err);
    else if (rd->cmd_len == 0) code = no_mm_code;
    if (code) {
        if (want) mark(r, PS_PT_CMDLINE, code);
        return;
    }
    char *d = (char *)rd->cmd_data;
    size_t n = rd->cmd_len;
    size_t count = split_cmdline(d, &n);
    if (want) {
        r->cmdline.data = d;
        r->cmdline.len = count ? n + 1 : 0;   /* with the last NUL */
        r->cmdline_count = count;
        set_present(r, PS_PT_CMDLINE);
    }
    if ((r->rec.present & B(NAME)) && r->name.len >= 15 && count > 0) apply_long_name(r, d);
}

/*
 * One link read by read_links: its target, or the error's code. A link gone with its process
 * is a zombie's, except in a kernel thread: there the exe is "" (psutil's; kthread_empty) and
 * the cwd keeps the errno's code.
 */
static void finish_link(ps__bk_ptrec *r, int field, ps__nview *dst, const char *data, size_t len,
                        int err, int kthread, int kthread_empty)
{
    if (!err || (IS_GONE_ERR(err) && kthread && kthread_empty)) {
        dst->data = err ? "" : data;
        dst->len = err ? 0 : len;
        set_present(r, field);
    } else {
        mark(r, field, IS_GONE_ERR(err) && !kthread ? PS_EZOMBIE : ps__errno_code(err));
    }
}

/* exe, cwd, and the io / fd errors kept for the end, once classified. */
static void finish_links(proc_read *rd, int kthread)
{
    ps__bk_ptrec *r = rd->r;
    if (rd->fields & B(EXE))
        finish_link(r, PS_PT_EXE, &r->exe, rd->exe_data, rd->exe_len, rd->exe_err, kthread, 1);
    if (rd->fields & B(CWD))
        finish_link(r, PS_PT_CWD, &r->cwd, rd->cwd_data, rd->cwd_len, rd->cwd_err, kthread, 0);
    if (rd->io_err) mark(r, PS_PT_IO_COUNTERS, ps__errno_code(rd->io_err));
    if (rd->fds_err) mark(r, PS_PT_NUM_FDS, ps__errno_code(rd->fds_err));
}

/*
 * Read the requested fields of one process. Returns READ_OK (record filled, possibly with
 * marked fields), READ_GONE (the process vanished: r holds what was read before; the caller
 * drops it or marks the rest), or a negative PS_E* for a failure of the scan itself (ENOMEM).
 *
 * Two ways to be sure every value comes from one process:
 *  - anchor < 0: l->base is the process's own /proc/<pid> directory fd; the kernel fails every
 *    lookup under it once that process is reaped. stat (if needed) is read first.
 *  - anchor >= 0: l->base is the procfs root and names carry "<pid>/"; anchor is an fd of
 *    "<pid>/stat" opened BEFORE any other file and read LAST. If that read succeeds, the
 *    process it was opened on was not reaped, so it held the PID the whole time and every
 *    lookup by number in between found it. Saves the directory open/close (2 syscalls).
 *    Needs stat, and cmdline whenever the name is wanted (the long-name rule).
 * Files that fail with ENOENT (or an empty cmdline) are classified at the end: gone, zombie
 * (PS_EZOMBIE) or kernel thread (exe "", cmdline []).
 */
static int read_one(scan_ctx *c, ploc *l, int anchor, int64_t pid, uint64_t fields, proc_bufs *pb,
                    ps__bk_ptrec *r, uint64_t *start_ticks)
{
    memset(r, 0, sizeof *r);
    r->rec.pid = pid;
    r->rec.present = B(PID);
    if (fields & B(NUM_HANDLES)) mark(r, PS_PT_NUM_HANDLES, PS_ENOTSUP);   /* Windows only */
    proc_read rd;
    memset(&rd, 0, sizeof rd);
    rd.c = c;
    rd.l = l;
    rd.pb = pb;
    rd.r = r;
    rd.fields = fields;
    rd.start_ticks = start_ticks;
    rd.alive = -1;
    rd.ppid = -1;
    int need_stat = (fields & STAT_FIELDS) != 0 || start_ticks != NULL || anchor >= 0;
    int rc = READ_OK;
    if (anchor < 0 && need_stat) rc = read_stat_first(&rd);
    if (rc == READ_OK) rc = read_status(&rd, need_stat);
    if (rc == READ_OK) rc = read_statm(&rd);
    if (rc == READ_OK) rc = read_cmdline(&rd);
    if (rc == READ_OK) rc = read_links(&rd);
    if (rc != READ_OK) return rc;
    read_io(&rd);
    count_fds(&rd);
    if (anchor >= 0) rc = read_stat_last(&rd, anchor);
    if (rc == READ_OK) rc = classify(&rd);
    if (rc != READ_OK) return rc;
    /* Kernel threads are kthreadd (PID 2) and its children: they have no executable and no
     * command line. Any other live process without them is a zombie, or exiting (its memory
     * already released, the zombie state not yet set): PS_EZOMBIE. */
    int kthread = pid == 2 || rd.ppid == 2;
    finish_cmdline(&rd, kthread ? 0 : PS_EZOMBIE);
    finish_links(&rd, kthread);
    return READ_OK;
}

#undef IS_GONE_ERR

/* ---- public back-end entry points --------------------------------------------------------- */

static int cmp_pid(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* May ids come from PIDFD_GET_INFO? Only under the real /proc (a pidfd names a process of OUR
 * PID namespace; a fixture tree or another procfs would be a different process), and only when
 * nothing else is wanted from status. */
static int pidfd_ids_possible(uint64_t fields)
{
    uint64_t st = fields & STATUS_FIELDS;
    if (!st || (st & ~(B(UIDS) | B(GIDS) | B(USERNAME)))) return 0;
    return strcmp(ps__root(PS_ROOT_PROC), "/proc") == 0 && ps__pidfd_info_usable();
}

int ps__bk_ptable_scan(uint64_t fields, uint32_t flags, ps__ptable_builder *b)
{
    /* List first (so the table can be sized once and comes out sorted), then read. */
    int64_t *pids = NULL;
    size_t npids = 0;
    int rc = ps__bk_pids(&pids, &npids);
    if (rc) return rc;
    int sorted = 1;
    for (size_t i = 1; i < npids && sorted; i++) sorted = pids[i - 1] < pids[i];
    if (!sorted) qsort(pids, npids, sizeof *pids, cmp_pid);
    rc = ps__ptable_reserve(b, npids);
    int rootfd = -1;
    if (!rc) rc = open_proc_root(&rootfd);
    if (rc) {
        free(pids);
        return rc;
    }
    scan_ctx c;
    ctx_init(&c, fields, flags);
    proc_bufs pb;   /* ~14 KB of stack: no allocation (and no page faults) per scan */
    /* anchor mode (see read_one) when stat is read anyway and no partial records are kept */
    int use_anchor = !(flags & PS_PT_KEEP_PARTIAL) && (fields & STAT_FIELDS) != 0 &&
                     ((fields & B(CMDLINE)) || !(fields & B(NAME)));
    int by_pidfd = pidfd_ids_possible(fields);
    for (size_t i = 0; i < npids; i++) {
        int64_t pid = pids[i];
        ploc l;
        ploc_init(&l, rootfd, pid);
        char digits[24];
        char *q = digits + sizeof digits;
        *--q = '\0';
        for (int64_t v = pid; v; v /= 10) *--q = (char)('0' + v % 10);
        int dfd = -1, anchor = -1;
        if (use_anchor) {
            size_t dl = strlen(q);
            memcpy(l.path, q, dl);
            l.path[dl] = '/';
            l.plen = dl + 1;
            l.by_pidfd = by_pidfd;
            anchor = open_at(rootfd, at(&l, "stat"));
            if (anchor < 0) {
                int e = errno;
                if (e == EMFILE || e == ENFILE || e == ENOMEM) {
                    rc = ps__errno_error(e, "open /proc/<pid>/stat");
                    break;
                }
                continue;   /* gone since the listing, or not visible to us */
            }
        } else {
            /* O_PATH: the directory only anchors the lookups below (cheaper than a full open) */
            do dfd = openat(rootfd, q, O_PATH | O_DIRECTORY | O_CLOEXEC);
            while (dfd < 0 && errno == EINTR);
            if (dfd < 0) {
                int e = errno;
                if (e == EMFILE || e == ENFILE || e == ENOMEM) {
                    rc = ps__errno_error(e, "open /proc/<pid>");
                    break;
                }
                continue;
            }
            l.base = dfd;
            l.plen = 0;
        }
        ps__bk_ptrec r;
        int res = read_one(&c, &l, anchor, pid, fields, &pb, &r, NULL);
        if (dfd >= 0) close(dfd);
        if (anchor >= 0) close(anchor);
        if (res < 0) {
            rc = res;
            break;
        }
        if (res == READ_GONE) {
            if (!(flags & PS_PT_KEEP_PARTIAL) || r.rec.present == B(PID)) continue;
            mark_rest(&r, fields, PS_ENOPROC);
        }
        rc = ps__ptable_emit(b, &r);
        if (rc) break;
    }
    free(pids);
    ctx_dispose(&c);
    close(rootfd);
    return rc;
}

int ps__bk_proc_snapshot(ps_proc *p, uint64_t fields, ps__ptable_builder *b)
{
    scan_ctx c;
    ctx_init(&c, fields, 0);
    proc_bufs pb;
    ps__bk_ptrec r;
    uint64_t ticks = 0;
    ploc l;
    ploc_init(&l, p->dirfd, p->pid);
    int res = read_one(&c, &l, -1, p->pid, fields, &pb, &r, &ticks);
    int rc;
    if (res < 0) rc = res;
    else if (res == READ_GONE || ticks != p->start_ticks)
        rc = ps__error(PS_ENOPROC, 0, "process %lld is gone", (long long)p->pid);
    else rc = ps__ptable_emit(b, &r);
    ctx_dispose(&c);
    return rc;
}

/* ---- the scanner's reader (ptable_read.h) ------------------------------------------------ */

struct ps__lx_ctx {
    scan_ctx c;
    proc_bufs pb;
    int by_pidfd;
};

ps__lx_ctx *ps__lx_ctx_new(uint64_t fields)
{
    ps__lx_ctx *x = malloc(sizeof *x);
    if (!x) return NULL;
    ctx_init(&x->c, fields, 0);
    x->by_pidfd = pidfd_ids_possible(fields);
    return x;
}

void ps__lx_ctx_free(ps__lx_ctx *x)
{
    if (!x) return;
    ctx_dispose(&x->c);
    free(x);
}

int ps__lx_kept_need(uint64_t fields)
{
    int n = 1;   /* stat: always read (cpu_times, the identity proof) */
    uint64_t st = fields & STATUS_FIELDS;
    if (st) n++;   /* status, or the pidfd instead */
    if (fields & B(MEMORY_INFO)) n++;
    if (fields & (B(CMDLINE) | B(NAME))) n++;
    if (fields & B(IO_COUNTERS)) n++;
    return n;
}

int ps__lx_kept_links(uint64_t fields)
{
    return ((fields & B(EXE)) != 0) + ((fields & B(CWD)) != 0);
}

int ps__lx_kept_close(ps__lx_kept *k)
{
    int n = 0;
    for (int i = 0; i < PS__KF_COUNT; i++) {
        if (k->fd[i] >= 0) {
            close(k->fd[i]);
            k->fd[i] = -1;
            n++;
        }
    }
    return n;
}

int ps__lx_read_kept(ps__lx_ctx *x, int rootfd, int64_t pid, ps__lx_kept *k, int keep,
                     ps__bk_ptrec *r, uint64_t *start_ticks, int *emfile)
{
    ploc l;
    ploc_init(&l, rootfd, pid);
    char digits[24], *q = digits + sizeof digits;
    for (int64_t v = pid; v; v /= 10) *--q = (char)('0' + v % 10);
    size_t dl = (size_t)(digits + sizeof digits - q);
    memcpy(l.path, q, dl);
    l.path[dl] = '/';
    l.plen = dl + 1;
    l.k = k;
    l.keep = keep;
    l.cmd_for_name = (x->c.fields & B(NAME)) != 0;
    l.by_pidfd = x->by_pidfd;
    int anchor = k->fd[PS__KF_STAT];
    if (anchor < 0) {
        anchor = open_at(rootfd, at(&l, "stat"));
        if (anchor < 0) {
            int e = errno;
            *emfile = e == EMFILE || e == ENFILE;
            if (e == ENOMEM) return ps__error(PS_ENOMEM, 0, "out of memory");
            memset(r, 0, sizeof *r);
            return PS__LX_GONE;
        }
        if (keep) k->fd[PS__KF_STAT] = anchor;
    }
    int res = read_one(&x->c, &l, anchor, pid, x->c.fields, &x->pb, r, start_ticks);
    if (anchor != k->fd[PS__KF_STAT]) close(anchor);
    *emfile = l.emfile;
    if (res == READ_GONE) return PS__LX_GONE;
    return res;
}

int ps__bk_pids(int64_t **pids, size_t *count)
{
    int rootfd;
    int rc = open_proc_root(&rootfd);
    if (rc) return rc;
    char *dbuf = malloc(DENTS_BUF);
    size_t n = 0, cap = 512;
    int64_t *v = malloc(cap * sizeof *v);
    if (!dbuf || !v) {
        rc = ps__error(PS_ENOMEM, 0, "ps_pids: out of memory");
        goto fail;
    }
    for (;;) {
        long r = syscall(SYS_getdents64, rootfd, dbuf, DENTS_BUF);
        if (r < 0) {
            rc = ps__errno_error(errno, "getdents64 /proc");
            goto fail;
        }
        if (r == 0) break;
        for (long off = 0; off < r;) {
            struct ps__dirent64 *d = (struct ps__dirent64 *)(void *)(dbuf + off);
            off += d->d_reclen;
            int64_t pid = parse_pid_name(d->d_name);
            if (pid <= 0) continue;
            if (n == cap) {
                int64_t *nv = realloc(v, cap * 2 * sizeof *v);
                if (!nv) {
                    rc = ps__error(PS_ENOMEM, 0, "ps_pids: out of memory");
                    goto fail;
                }
                v = nv;
                cap *= 2;
            }
            v[n++] = pid;
        }
    }
    free(dbuf);
    close(rootfd);
    *pids = v;
    *count = n;
    return 0;
fail:
    free(dbuf);
    free(v);
    close(rootfd);
    return rc;
}

int ps__bk_pid_exists(int64_t pid, int *exists)
{
    *exists = 0;
    if (pid == 0 || pid > INT_MAX) return 0;   /* psutil: 0 in pids() is False on Linux */
    if (kill((pid_t)pid, 0) != 0) {
        int e = errno;
        if (e == ESRCH) return 0;
        if (e != EPERM) return ps__errno_error(e, "kill(pid, 0)");
    }
    /* kill() also accepts a thread id: only a thread-group leader is a process (psutil #687) */
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/%lld", ps__root(PS_ROOT_PROC), (long long)pid);
    if (n < 0 || (size_t)n >= sizeof path) return ps__error(PS_EINVAL, 0, "procfs root too long");
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        int e = errno;
        if (e == ENOENT || e == ESRCH) return 0;
        return ps__errno_error(e, path);
    }
    char buf[4096];
    hbuf h = {0};
    const char *data;
    size_t len;
    int e = read_file(dfd, "status", buf, sizeof buf, &h, &data, &len);
    close(dfd);
    if (e == -ENOENT || e == -ESRCH) {
        free(h.data);
        return 0;
    }
    if (e == 0) {
        ps__status s;
        ps__parse_status_buf(data, len, &s);
        free(h.data);
        if (s.found & PS__ST_TGID) {
            *exists = s.tgid == pid;
            return 0;
        }
    }
    free(h.data);
    /* psutil's fallback when status is unreadable: is it in the /proc listing? */
    int64_t *pids;
    size_t count;
    int rc = ps__bk_pids(&pids, &count);
    if (rc) return rc;
    for (size_t i = 0; i < count; i++)
        if (pids[i] == pid) *exists = 1;
    free(pids);
    return 0;
}
