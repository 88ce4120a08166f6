/* SPDX-License-Identifier: MIT */
/*
 * Linux process getters and signals. Every read goes through the handle's
 * /proc/<pid> directory fd (openat/readlinkat relative to it), so a reaped process gives
 * ENOENT/ESRCH and never another process's data. Calls that can only name a PID (getpriority,
 * sched_getaffinity, prlimit, ioprio) check the pinned process before and after.
 * Strings are returned native (ps__nstr); the core decodes them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "linux.h"
#include "procparse.h"
#include "../list.h"

#define STAT_BUF 4096

/* ---- reading through the directory fd ------------------------------------------------ */

/* Open a file relative to dirfd for reading: the fd, or -errno. */
static int open_in(int dirfd, const char *name)
{
    int fd;
    do fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    while (fd < 0 && errno == EINTR);
    return fd < 0 ? -errno : fd;
}

/* Read fd into buf until end of file or room bytes; *n receives the count. 0 or -errno. */
static int read_upto(int fd, char *buf, size_t room, size_t *n)
{
    *n = 0;
    while (*n < room) {
        ssize_t r = read(fd, buf + *n, room - *n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -errno;
        if (r == 0) break;
        *n += (size_t)r;
    }
    return 0;
}

/* Read a small file relative to dirfd into buf (NUL-terminated). 0 or -errno. */
static int read_small(int dirfd, const char *name, char *buf, size_t cap, size_t *len)
{
    int fd = open_in(dirfd, name);
    if (fd < 0) return fd;
    int r = read_upto(fd, buf, cap - 1, len);
    close(fd);
    if (r < 0) return r;
    buf[*len] = '\0';
    return 0;
}

/* Read a whole file relative to dirfd into b (appending, NUL-terminated). 0 or -errno. */
static int read_all(int dirfd, const char *name, ps__buf *b)
{
    int fd = open_in(dirfd, name);
    if (fd < 0) return fd;
    int r = 0;
    for (;;) {
        if (!ps__buf_reserve(b, 4096)) {
            r = -ENOMEM;
            break;
        }
        size_t room = b->cap - b->len - 1, got;
        r = read_upto(fd, b->data + b->len, room, &got);
        b->len += got;
        if (r < 0 || got < room) break;   /* got < room: end of file */
    }
    close(fd);
    if (r < 0) return r;
    b->data[b->len] = '\0';
    return 0;
}

/* Is the pinned process still there (zombies included)? */
static int proc_alive(const ps_proc *p)
{
    uint64_t t;
    int rc = ps__proc_start_ticks(p->dirfd, &t);
    if (rc == PS_ENOPROC) return 0;
    return rc == 0 ? t == p->start_ticks : 1;
}

static int stat_numbers(const ps_proc *p, ps__stat *st);

static int proc_is_zombie(const ps_proc *p)
{
    ps__stat st;
    if (stat_numbers(p, &st)) return 0;
    return st.state == 'Z';
}

static int gone(const ps_proc *p, int err, const char *what)
{
    return ps__error(PS_ENOPROC, err, "process %lld is gone (%s)", (long long)p->pid, what);
}

/*
 * Map a failed read's errno (positive). ENOENT/ESRCH: the process is gone → PS_ENOPROC; a
 * zombie → PS_EZOMBIE (psutil's _raise_if_zombie); else the errno's code.
 */
static int map_err(const ps_proc *p, int err, const char *what)
{
    if (err == ENOENT || err == ESRCH) {
        if (!proc_alive(p)) return gone(p, err, what);
        if (proc_is_zombie(p))
            return ps__error(PS_EZOMBIE, err, "process %lld is a zombie (%s)", (long long)p->pid, what);
        /* alive and not a zombie: ESRCH means the task has no memory (a kernel thread);
         * never report PS_ENOPROC for a process that is still there */
        if (err == ESRCH) return ps__error(PS_EIO, err, "%s: the kernel refused (no mm)", what);
    }
    return ps__errno_error(err, what);
}

/* A read failed with ESRCH although the process is there and is not a zombie: a kernel
 * thread, which has no address space (environ, smaps): the answer is "empty". */
static int no_mm(const ps_proc *p, int r)
{
    return r == -ESRCH && proc_alive(p) && !proc_is_zombie(p);
}

/* A small file of the process (stat, status) into buf; a vanished process is PS_ENOPROC. */
static int read_own(const ps_proc *p, const char *name, char *buf, size_t cap, size_t *len)
{
    int r = read_small(p->dirfd, name, buf, cap, len);
    if (r == -ENOENT || r == -ESRCH) return gone(p, -r, name);
    if (r < 0) return ps__errno_error(-r, name);
    return 0;
}

static int read_stat(const ps_proc *p, char *buf, size_t cap, ps__stat *st)
{
    size_t len = 0; /* gcc -O3 cannot see that read_own fails non-zero */
    int rc = read_own(p, "stat", buf, cap, &len);
    if (rc) return rc;
    if (ps__parse_stat_buf(buf, len, st)) return ps__error(PS_EPARSE, 0, "stat: unexpected format");
    return 0;
}

/* stat's numbers alone, for the getters that want no comm: st->comm would point into this
 * function's buffer, so it is cleared (comm_len kept). */
static int stat_numbers(const ps_proc *p, ps__stat *st)
{
    char buf[STAT_BUF];
    int rc = read_stat(p, buf, sizeof buf, st);
    st->comm = NULL;
    return rc;
}

/* status's numbers (no getter wants its strings: name and cpus_allowed_list are cleared). */
static int status_numbers(const ps_proc *p, ps__status *st)
{
    char buf[STAT_BUF];
    size_t len = 0;
    int rc = read_own(p, "status", buf, sizeof buf, &len);
    if (rc) return rc;
    ps__parse_status_buf(buf, len, st);
    st->name = st->cpus_allowed_list = NULL;
    return 0;
}

/* An empty cmdline or smaps is the answer of a live process (a kernel thread), not of one
 * that is gone (PS_ENOPROC) or a zombie (PS_EZOMBIE): 0 or that error. */
static int empty_is_answer(const ps_proc *p, const char *what)
{
    if (!proc_alive(p)) return gone(p, 0, what);
    if (proc_is_zombie(p))
        return ps__error(PS_EZOMBIE, 0, "process %lld is a zombie (%s)", (long long)p->pid, what);
    return 0;
}

/* A whole file of the process (cmdline, environ, smaps, cgroup) into b, which is initialised
 * here and, after a failed read, disposed (the code is map_err's). kthread_empty: a kernel
 * thread's ESRCH (no address space) reads as an empty file. */
static int read_whole(const ps_proc *p, const char *name, ps__buf *b, bool kthread_empty)
{
    ps__buf_init(b);
    int r = read_all(p->dirfd, name, b);
    if (kthread_empty && no_mm(p, r)) r = 0;
    if (r < 0) {
        ps__buf_dispose(b);
        return map_err(p, -r, name);
    }
    return 0;
}

/* read_whole for cmdline and smaps, whose empty file is an answer only from a live process
 * (a kernel thread): from one that is gone or a zombie it is that error (b disposed). */
static int read_whole_live(const ps_proc *p, const char *name, ps__buf *b, bool kthread_empty)
{
    int rc = read_whole(p, name, b, kthread_empty);
    if (rc == 0 && b->len == 0) {
        rc = empty_is_answer(p, name);
        if (rc) ps__buf_dispose(b);
    }
    return rc;
}

/* The check done after a PID-based syscall: the pinned process must still be there. */
static int after_pid_call(const ps_proc *p, int err, const char *what)
{
    if (!proc_alive(p)) return gone(p, err, what);
    if (err == ESRCH) return gone(p, err, what);
    return err ? ps__errno_error(err, what) : 0;
}

static long clk_tck(void)
{
    long t = sysconf(_SC_CLK_TCK);
    return t > 0 ? t : 100;
}

static int nstr_set(ps__nstr *out, const void *data, size_t len)
{
    out->data = malloc(len ? len : 1);
    if (!out->data) return ps__error(PS_ENOMEM, 0, "out of memory");
    memcpy(out->data, data, len);
    out->len = len;
    return 0;
}

/* ---- name, exe, cmdline, environ, cwd ------------------------------------------------ */

/* psutil's readlink(): the target is cut at a NUL (what follows is garbage on some kernels,
 * psutil #717), and a target ending in " (deleted)" loses the suffix when no file of that full
 * name exists (the kernel appends it to unlinked files). The table's read_link does the same. */
static void strip_deleted(ps__nstr *s)
{
    static const char suffix[] = " (deleted)";
    const size_t sl = sizeof suffix - 1;
    if (s->data) s->len = strnlen(s->data, s->len);
    if (s->len <= sl || s->len >= PATH_MAX || memcmp((char *)s->data + s->len - sl, suffix, sl) != 0) return;
    char tmp[PATH_MAX];
    memcpy(tmp, s->data, s->len);
    tmp[s->len] = '\0';
    struct stat sb;
    if (stat(tmp, &sb) != 0) s->len -= sl;
}

/* psutil's cmdline split on raw bytes: into `items` as NUL-terminated strings back to back. */
static int split_cmdline(const char *data, size_t len, ps__nstr *items, size_t *count)
{
    *count = 0;
    items->data = NULL;
    items->len = 0;
    if (len == 0) return nstr_set(items, "", 0);
    char sep = data[len - 1] == '\0' ? '\0' : ' ';
    size_t n = len;
    if (data[n - 1] == sep) n--;
    if (sep == '\0' && !memchr(data, '\0', n) && memchr(data, ' ', n)) sep = ' ';
    char *out = malloc(n + 1);
    if (!out) return ps__error(PS_ENOMEM, 0, "out of memory");
    size_t c = 1;
    for (size_t i = 0; i < n; i++) {
        if (data[i] == sep) {
            out[i] = '\0';
            c++;
        } else {
            out[i] = data[i];
        }
    }
    out[n] = '\0';
    items->data = out;
    items->len = n + 1;
    *count = c;
    return 0;
}

int ps__bk_proc_cmdline(ps_proc *p, ps__nstr *items, size_t *count)
{
    ps__buf b;
    int rc = read_whole_live(p, "cmdline", &b, false);
    if (rc) return rc;
    rc = split_cmdline(b.data, b.len, items, count);   /* empty (a kernel thread): no arguments */
    ps__buf_dispose(&b);
    return rc;
}

int ps__bk_proc_name(ps_proc *p, ps__nstr *out)
{
    char buf[STAT_BUF];
    ps__stat st;
    int rc = read_stat(p, buf, sizeof buf, &st);
    if (rc) return rc;
    if (st.comm_len >= 15) {
        ps__nstr items;
        size_t count;
        rc = ps__bk_proc_cmdline(p, &items, &count);
        if (rc == PS_EACCES || rc == PS_EZOMBIE) return nstr_set(out, st.comm, st.comm_len);
        if (rc) return rc;
        if (count > 0) {
            const char *arg0 = items.data;
            size_t alen = strlen(arg0);
            const char *slash = memrchr(arg0, '/', alen);
            const char *base = slash ? slash + 1 : arg0;
            size_t blen = alen - (size_t)(base - arg0);
            if (blen >= st.comm_len && memcmp(base, st.comm, st.comm_len) == 0) {
                rc = nstr_set(out, base, blen);
                ps__nstr_dispose(&items);
                return rc;
            }
        }
        ps__nstr_dispose(&items);
    }
    return nstr_set(out, st.comm, st.comm_len);
}

/* The target of the process's exe or cwd link, " (deleted)" stripped; on failure *err is the
 * readlink's errno (0 when the failure was not the kernel's, e.g. out of memory). */
static int read_own_link(const ps_proc *p, const char *name, ps__nstr *out, int *err)
{
    *err = 0;
    int rc = ps__readlink_at(p->dirfd, name, out);
    if (rc == 0) {
        strip_deleted(out);
        return 0;
    }
    ps_error_detail d;
    ps_error_last(&d);
    *err = d.os_error;
    return rc;
}

int ps__bk_proc_exe(ps_proc *p, ps__nstr *out)
{
    int err;
    int rc = read_own_link(p, "exe", out, &err);
    if (rc == 0) return 0;
    if (err == ENOENT || err == ESRCH) {
        if (!proc_alive(p)) return gone(p, err, "exe");
        if (proc_is_zombie(p)) return ps__error(PS_EZOMBIE, err, "process %lld is a zombie (exe)", (long long)p->pid);
        return nstr_set(out, "", 0);  /* kernel threads: no executable (psutil "") */
    }
    return rc;
}

int ps__bk_proc_cwd(ps_proc *p, ps__nstr *out)
{
    int err;
    int rc = read_own_link(p, "cwd", out, &err);
    if (rc && err) return map_err(p, err, "cwd");
    return rc;
}

int ps__bk_proc_environ(ps_proc *p, ps__nstr *block)
{
    ps__buf b;
    int rc = read_whole(p, "environ", &b, true);
    if (rc) return rc;
    if (b.len == 0 && !proc_alive(p)) {
        ps__buf_dispose(&b);
        return gone(p, 0, "environ");
    }
    size_t len = b.len;
    char *data = NULL;
    rc = ps__buf_finish(&b, &data, &len);
    if (rc) return rc;
    block->data = data;
    block->len = len;
    return 0;
}

/* ---- ids, user, terminal, ppid -------------------------------------------------------- */

int ps__bk_proc_ids(ps_proc *p, int gids, ps_proc_ids *out)
{
    /* defined on every path, so no caller reads an indeterminate id after an error */
    out->real = out->effective = out->saved = PS_UNKNOWN_I64;
    ps__status st;
    int rc = status_numbers(p, &st);
    if (rc) return rc;
    if (!(st.found & (gids ? PS__ST_GID : PS__ST_UID))) return ps__error(PS_EPARSE, 0, "status: no %s line", gids ? "Gid" : "Uid");
    const int64_t *v = gids ? st.gid : st.uid;
    out->real = v[0];
    out->effective = v[1];
    out->saved = v[2];
    return 0;
}

int ps__bk_proc_username(ps_proc *p, ps__nstr *out)
{
    ps_proc_ids ids;
    int rc = ps__bk_proc_ids(p, 0, &ids);
    if (rc) return rc;
    return ps__posix_user_name(ids.real, out);
}

/* Search dir (relative name under the dev root) for an entry whose st_rdev is dev. */
static int find_dev(int devfd, const char *sub, const char *prefix, dev_t dev, ps__buf *path)
{
    int fd = openat(devfd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return 0;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return 0;
    }
    int found = 0;
    struct dirent *e;
    size_t plen = strlen(prefix);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (plen && strncmp(e->d_name, prefix, plen) != 0) continue;
        struct stat sb;
        if (fstatat(dirfd(d), e->d_name, &sb, 0) != 0) continue;
        if (!S_ISCHR(sb.st_mode) || sb.st_rdev != dev) continue;
        ps__buf_append(path, sub, strlen(sub));
        ps__buf_putc(path, '/');
        ps__buf_append(path, e->d_name, strlen(e->d_name));
        found = 1;
        break;
    }
    closedir(d);
    return found;
}

int ps__bk_proc_terminal(ps_proc *p, ps__nstr *out)
{
    ps__stat st;
    int rc = stat_numbers(p, &st);
    out->data = NULL;
    out->len = 0;
    if (rc) return rc;
    if (st.tty_nr == 0) return 0;
    const char *root = ps__root(PS_ROOT_DEV);
    int devfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (devfd < 0) return ps__errno_error(errno, root);
    ps__buf path;
    ps__buf_init(&path);
    ps__buf_append(&path, root, strlen(root));
    if (path.len && path.data[path.len - 1] == '/') path.len--;
    ps__buf_putc(&path, '/');
    size_t base = path.len;
    dev_t dev = (dev_t)st.tty_nr;
    int found = find_dev(devfd, "pts", "", dev, &path);
    if (!found) {
        path.len = base;
        found = find_dev(devfd, ".", "tty", dev, &path);
        if (found) {  /* drop the "./" */
            memmove(path.data + base, path.data + base + 2, path.len - base - 2);
            path.len -= 2;
        }
    }
    close(devfd);
    if (!found) {
        ps__buf_dispose(&path);
        return 0;
    }
    char *s;
    size_t len;
    rc = ps__buf_finish(&path, &s, &len);
    if (rc) return rc;
    out->data = s;
    out->len = len;
    return 0;
}

int ps__bk_proc_ppid(ps_proc *p, int64_t *out)
{
    ps__stat st;
    int rc = stat_numbers(p, &st);
    if (rc == 0) *out = st.ppid;
    return rc;
}

/* Every (pid, ppid) pair of a /proc scan (processes that vanish are skipped). */
int ps__bk_proc_pid_ppid_pairs(int64_t **pairs, size_t *count)
{
    const char *root = ps__root(PS_ROOT_PROC);
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return ps__errno_error(errno, root);
    DIR *d = fdopendir(fd);
    if (!d) {
        int err = errno;
        close(fd);
        return ps__errno_error(err, root);
    }
    size_t n = 0, cap = 256;
    int64_t *v = malloc(cap * 2 * sizeof *v);
    if (!v) {
        closedir(d);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    struct dirent *e;
    char buf[STAT_BUF], name[300];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
        snprintf(name, sizeof name, "%s/stat", e->d_name);
        size_t len;
        int r = read_small(dirfd(d), name, buf, sizeof buf, &len);
        if (r == -EMFILE || r == -ENFILE || r == -ENOMEM) { /* an error, not a shorter list */
            free(v);
            closedir(d);
            return ps__errno_error(-r, root);
        }
        if (r < 0) continue; /* vanished */
        ps__stat st;
        if (ps__parse_stat_buf(buf, len, &st)) continue;
        if (n == cap) {
            int64_t *nv = realloc(v, cap * 4 * sizeof *v);
            if (!nv) {
                free(v);
                closedir(d);
                return ps__error(PS_ENOMEM, 0, "out of memory");
            }
            v = nv;
            cap *= 2;
        }
        v[2 * n] = strtoll(e->d_name, NULL, 10);
        v[2 * n + 1] = st.ppid;
        n++;
    }
    closedir(d);
    *pairs = v;
    *count = n;
    return 0;
}

/* ---- status, times, cpu ---------------------------------------------------------------- */

int ps__bk_proc_status(ps_proc *p, ps_process_status *out)
{
    ps__stat st;
    int rc = stat_numbers(p, &st);
    if (rc == 0) *out = (ps_process_status)ps__status_from_letter(st.state);
    return rc;
}

int ps__bk_proc_create_time(ps_proc *p, double *out)
{
    double bt;
    int rc = ps__boot_time(&bt);
    if (rc) return rc;
    *out = (double)p->start_ticks / (double)clk_tck() + bt;
    /* the start time is pinned; still report PS_ENOPROC once the process is gone */
    if (!proc_alive(p)) return gone(p, 0, "create_time");
    return 0;
}

int ps__bk_proc_cpu_times(ps_proc *p, ps_proc_cputimes *out)
{
    ps__stat st;
    int rc = stat_numbers(p, &st);
    if (rc) return rc;
    double t = (double)clk_tck();
    out->user = (double)st.utime / t;
    out->system = (double)st.stime / t;
    out->children_user = (double)st.cutime / t;
    out->children_system = (double)st.cstime / t;
    out->iowait = (double)st.blkio_ticks / t;
    return 0;
}

int ps__bk_proc_cpu_num(ps_proc *p, int32_t *out)
{
    ps__stat st;
    int rc = stat_numbers(p, &st);
    if (rc) return rc;
    if (st.processor < 0) return ps__error(PS_ENOTSUP, 0, "stat has no processor field");
    *out = (int32_t)st.processor;
    return 0;
}

int ps__bk_proc_page_faults(ps_proc *p, ps_proc_pagefaults *out)
{
    ps__stat st;
    int rc = stat_numbers(p, &st);
    if (rc) return rc;
    out->minor = st.minflt;
    out->major = st.majflt;
    return 0;
}

int ps__bk_proc_cpu_affinity(ps_proc *p, int32_t **cpus, size_t *count)
{
    if (!proc_alive(p)) return gone(p, 0, "sched_getaffinity");
    for (int ncpu = 1024;; ncpu *= 2) {
        cpu_set_t *set = CPU_ALLOC(ncpu);
        if (!set) return ps__error(PS_ENOMEM, 0, "out of memory");
        size_t sz = CPU_ALLOC_SIZE(ncpu);
        if (sched_getaffinity((pid_t)p->pid, sz, set) != 0) {
            int err = errno;
            CPU_FREE(set);
            if (err == EINVAL && ncpu < (1 << 20)) continue;
            return after_pid_call(p, err, "sched_getaffinity");
        }
        int n = CPU_COUNT_S(sz, set);
        int32_t *v = malloc((size_t)(n ? n : 1) * sizeof *v);
        if (!v) {
            CPU_FREE(set);
            return ps__error(PS_ENOMEM, 0, "out of memory");
        }
        int k = 0;
        for (int i = 0; i < ncpu && k < n; i++)
            if (CPU_ISSET_S((size_t)i, sz, set)) v[k++] = i;
        CPU_FREE(set);
        int rc = after_pid_call(p, 0, "sched_getaffinity");
        if (rc) {
            free(v);
            return rc;
        }
        *cpus = v;
        *count = (size_t)k;
        return 0;
    }
}

int ps__bk_proc_set_cpu_affinity(ps_proc *p, const int32_t *cpus, size_t count)
{
    int max = 0;
    for (size_t i = 0; i < count; i++) {
        if (cpus[i] < 0 || cpus[i] >= (1 << 20)) return ps__error(PS_EINVAL, 0, "invalid CPU number %d", (int)cpus[i]);
        if (cpus[i] > max) max = cpus[i];
    }
    int ncpu = count ? max + 1 : 1024;
    if (ncpu < 1024) ncpu = 1024;
    cpu_set_t *set = CPU_ALLOC(ncpu);
    if (!set) return ps__error(PS_ENOMEM, 0, "out of memory");
    size_t sz = CPU_ALLOC_SIZE(ncpu);
    CPU_ZERO_S(sz, set);
    if (count == 0) {
        for (int i = 0; i < ncpu; i++) CPU_SET_S((size_t)i, sz, set);
    } else {
        for (size_t i = 0; i < count; i++) CPU_SET_S((size_t)cpus[i], sz, set);
    }
    if (!proc_alive(p)) {
        CPU_FREE(set);
        return gone(p, 0, "sched_setaffinity");
    }
    int r = sched_setaffinity((pid_t)p->pid, sz, set);
    int err = r ? errno : 0;
    CPU_FREE(set);
    return after_pid_call(p, err, "sched_setaffinity");
}

int ps__bk_proc_nice(ps_proc *p, int32_t *out)
{
    if (!proc_alive(p)) return gone(p, 0, "getpriority");
    int32_t v = 0;
    int rc = after_pid_call(p, ps__posix_nice_get(p->pid, &v), "getpriority");
    if (rc) return rc;
    *out = v;
    return 0;
}

int ps__bk_proc_set_nice(ps_proc *p, int32_t value)
{
    if (!proc_alive(p)) return gone(p, 0, "setpriority");
    return after_pid_call(p, ps__posix_nice_set(p->pid, value), "setpriority");
}

#ifndef SYS_ioprio_get
#define SYS_ioprio_get 252
#endif
#ifndef SYS_ioprio_set
#define SYS_ioprio_set 251
#endif
#define IOPRIO_WHO_PROCESS_ 1
#define IOPRIO_CLASS_SHIFT_ 13

int ps__bk_proc_ionice(ps_proc *p, ps_ioprio_class *ioclass, int32_t *value)
{
    if (!proc_alive(p)) return gone(p, 0, "ioprio_get");
    long r = syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS_, (int)p->pid);
    int rc = after_pid_call(p, r < 0 ? errno : 0, "ioprio_get");
    if (rc) return rc;
    *ioclass = (ps_ioprio_class)(r >> IOPRIO_CLASS_SHIFT_);
    *value = (int32_t)(r & ((1 << IOPRIO_CLASS_SHIFT_) - 1));
    return 0;
}

int ps__bk_proc_set_ionice(ps_proc *p, ps_ioprio_class ioclass, int32_t value)
{
    if (!proc_alive(p)) return gone(p, 0, "ioprio_set");
    int prio = ((int)ioclass << IOPRIO_CLASS_SHIFT_) | value;
    long r = syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS_, (int)p->pid, prio);
    return after_pid_call(p, r < 0 ? errno : 0, "ioprio_set");
}

static int rlimit_os(ps_rlimit_resource r)
{
    switch (r) {
    case PS_RLIMIT_CPU: return RLIMIT_CPU;
    case PS_RLIMIT_FSIZE: return RLIMIT_FSIZE;
    case PS_RLIMIT_DATA: return RLIMIT_DATA;
    case PS_RLIMIT_STACK: return RLIMIT_STACK;
    case PS_RLIMIT_CORE: return RLIMIT_CORE;
    case PS_RLIMIT_RSS: return RLIMIT_RSS;
    case PS_RLIMIT_NPROC: return RLIMIT_NPROC;
    case PS_RLIMIT_NOFILE: return RLIMIT_NOFILE;
    case PS_RLIMIT_MEMLOCK: return RLIMIT_MEMLOCK;
    case PS_RLIMIT_AS: return RLIMIT_AS;
    case PS_RLIMIT_LOCKS: return RLIMIT_LOCKS;
    case PS_RLIMIT_SIGPENDING: return RLIMIT_SIGPENDING;
    case PS_RLIMIT_MSGQUEUE: return RLIMIT_MSGQUEUE;
    case PS_RLIMIT_NICE: return RLIMIT_NICE;
    case PS_RLIMIT_RTPRIO: return RLIMIT_RTPRIO;
    case PS_RLIMIT_RTTIME: return RLIMIT_RTTIME;
    default: return -1;
    }
}

static int rlimit_err(const ps_proc *p, int err, const char *what)
{
    if (err == ENOSYS && proc_alive(p) && proc_is_zombie(p))
        return ps__error(PS_EZOMBIE, err, "process %lld is a zombie (%s)", (long long)p->pid, what);
    return after_pid_call(p, err, what);
}

int ps__bk_proc_rlimit(ps_proc *p, ps_rlimit_resource resource, int64_t *soft, int64_t *hard)
{
    int res = rlimit_os(resource);
    if (res < 0) return ps__error(PS_EINVAL, 0, "unknown resource %d", (int)resource);
    if (!proc_alive(p)) return gone(p, 0, "prlimit");
    struct rlimit old;
    int err = prlimit((pid_t)p->pid, res, NULL, &old) ? errno : 0;
    int rc = rlimit_err(p, err, "prlimit");
    if (rc) return rc;
    *soft = old.rlim_cur == RLIM_INFINITY ? PS_RLIM_INFINITY : (int64_t)old.rlim_cur;
    *hard = old.rlim_max == RLIM_INFINITY ? PS_RLIM_INFINITY : (int64_t)old.rlim_max;
    return 0;
}

int ps__bk_proc_set_rlimit(ps_proc *p, ps_rlimit_resource resource, int64_t soft, int64_t hard)
{
    int res = rlimit_os(resource);
    if (res < 0) return ps__error(PS_EINVAL, 0, "unknown resource %d", (int)resource);
    struct rlimit nl;
    nl.rlim_cur = soft == PS_RLIM_INFINITY ? RLIM_INFINITY : (rlim_t)soft;
    nl.rlim_max = hard == PS_RLIM_INFINITY ? RLIM_INFINITY : (rlim_t)hard;
    if (!proc_alive(p)) return gone(p, 0, "prlimit");
    int err = prlimit((pid_t)p->pid, res, &nl, NULL) ? errno : 0;
    return rlimit_err(p, err, "prlimit");
}

/* ---- memory ----------------------------------------------------------------------------- */

/* statm's page counts in bytes, into the fields memory_info and memory_info_ex both have. */
static int statm_bytes(ps_proc *p, uint64_t *rss, uint64_t *vms, uint64_t *shared, uint64_t *text, uint64_t *data)
{
    char buf[512];
    size_t len;
    int r = read_small(p->dirfd, "statm", buf, sizeof buf, &len);
    if (r < 0) return map_err(p, -r, "statm");
    ps__statm m;
    if (ps__parse_statm_buf(buf, len, &m)) return ps__error(PS_EPARSE, 0, "statm: unexpected format");
    uint64_t pg = (uint64_t)sysconf(_SC_PAGESIZE);
    *rss = m.resident * pg;
    *vms = m.size * pg;
    *shared = m.shared * pg;
    *text = m.text * pg;
    *data = m.data * pg;
    return 0;
}

int ps__bk_proc_memory_info(ps_proc *p, ps_proc_mem *out)
{
    memset(out, 0, sizeof *out);   /* defined on every path, also after an error */
    int rc = statm_bytes(p, &out->rss, &out->vms, &out->shared, &out->text, &out->data);
    if (rc) return rc;
    /* statm's lib and dirty columns have been 0 since Linux 2.6: psutil 8 dropped them */
    out->stack = PS_UNKNOWN_U64;
    out->peak_rss = PS_UNKNOWN_U64;   /* in status, not statm: memory_info_ex reads it */
    out->peak_vms = PS_UNKNOWN_U64;
    return 0;
}

/* A status line in kB as bytes: the value when the line is there; 0 when the process has no
 * address space at all (no VmRSS line: a kernel thread or a zombie, whose statm is all zeros
 * too); PS_UNKNOWN_U64 when the kernel does not write that line (older kernels). */
static uint64_t status_kb(const ps__status *st, uint32_t bit, uint64_t kb)
{
    if (st->found & bit) return kb * 1024;
    return (st->found & PS__ST_VMRSS) ? PS_UNKNOWN_U64 : 0;
}

int ps__bk_proc_memory_info_ex(ps_proc *p, ps_proc_mem_ex *out)
{
    /* on an error out may be partly written (the contract): statm's fields go straight in */
    int rc = statm_bytes(p, &out->rss, &out->vms, &out->shared, &out->text, &out->data);
    if (rc) return rc;
    ps__status st;
    rc = status_numbers(p, &st);
    if (rc) return rc;
    out->stack = PS_UNKNOWN_U64;
    out->peak_rss = status_kb(&st, PS__ST_VMHWM, st.vmhwm_kb);
    out->peak_vms = status_kb(&st, PS__ST_VMPEAK, st.vmpeak_kb);
    out->rss_anon = status_kb(&st, PS__ST_RSSANON, st.rssanon_kb);
    out->rss_file = status_kb(&st, PS__ST_RSSFILE, st.rssfile_kb);
    out->rss_shmem = status_kb(&st, PS__ST_RSSSHMEM, st.rssshmem_kb);
    out->swap = status_kb(&st, PS__ST_VMSWAP, st.vmswap_kb);
    out->hugetlb = status_kb(&st, PS__ST_HUGETLB, st.hugetlb_kb);
    out->virtual_size = out->peak_virtual_size = PS_UNKNOWN_U64;
    out->paged_pool = out->nonpaged_pool = PS_UNKNOWN_U64;
    out->peak_paged_pool = out->peak_nonpaged_pool = PS_UNKNOWN_U64;
    out->wired = out->compressed = out->phys_footprint = PS_UNKNOWN_U64;
    return 0;
}

int ps__bk_proc_memory_footprint(ps_proc *p, ps_proc_footprint *out)
{
    ps__buf b;
    ps__buf_init(&b);
    ps__smaps_sums s;
    memset(&s, 0, sizeof s);
    int r = read_all(p->dirfd, "smaps_rollup", &b);
    if (r == -ENOENT && proc_alive(p)) {
        /* no smaps_rollup (kernel < 4.14): sum smaps */
        b.len = 0;
        r = read_all(p->dirfd, "smaps", &b);
        if (r == 0) {
            size_t pos = 0;
            ps__smaps_block blk;
            while (ps__smaps_next(b.data, b.len, &pos, &blk)) {
                s.private_total += blk.sums.private_total;
                s.pss += blk.sums.pss;
                s.swap += blk.sums.swap;
            }
        }
    } else if (r == 0) {
        ps__parse_smaps_rollup_buf(b.data, b.len, &s);
    } else if (no_mm(p, r)) {
        r = 0;  /* kernel thread: no user memory */
    }
    ps__buf_dispose(&b);
    if (r < 0) return map_err(p, -r, "smaps_rollup");
    out->uss = s.private_total;
    out->pss = s.pss;
    out->swap = s.swap;
    return 0;
}

int ps__bk_proc_memory_maps(ps_proc *p, ps__bk_mmap **items, size_t *count)
{
    ps__buf b;
    int rc = read_whole_live(p, "smaps", &b, true);
    if (rc) return rc;
    if (b.len == 0) {   /* a kernel thread: no mappings */
        ps__buf_dispose(&b);
        *items = NULL;
        *count = 0;
        return 0;
    }
    size_t n = 0, cap = 64;
    ps__bk_mmap *v = calloc(cap, sizeof *v);
    if (!v) {
        ps__buf_dispose(&b);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    size_t pos = 0;
    ps__smaps_block blk;
    rc = 0;
    while (ps__smaps_next(b.data, b.len, &pos, &blk)) {
        ps__bk_mmap *nv = ps__grow(v, &cap, n, sizeof *nv, 64);
        if (!nv) {
            rc = ps__error(PS_ENOMEM, 0, "out of memory");
            break;
        }
        v = nv;
        ps__bk_mmap *m = &v[n];
        const char *path = blk.path;
        size_t plen = blk.path_len;
        char tmp[PATH_MAX + 16];
        if (plen == 0) {
            path = "[anon]";
            plen = 6;
        } else if (plen > 10 && memcmp(path + plen - 10, " (deleted)", 10) == 0 && plen < sizeof tmp) {
            memcpy(tmp, path, plen);
            tmp[plen] = '\0';
            struct stat sb;
            if (stat(tmp, &sb) != 0) plen -= 10;
        }
        if (nstr_set(&m->path, path, plen) || nstr_set(&m->addr, blk.addr, blk.addr_len) ||
            nstr_set(&m->perms, blk.perms, blk.perms_len)) {
            n++;
            rc = PS_ENOMEM;
            break;
        }
        m->rss = blk.sums.rss;
        m->size = blk.sums.size;
        m->pss = blk.sums.pss;
        m->shared_clean = blk.sums.shared_clean;
        m->shared_dirty = blk.sums.shared_dirty;
        m->private_clean = blk.sums.private_clean;
        m->private_dirty = blk.sums.private_dirty;
        m->referenced = blk.sums.referenced;
        m->anonymous = blk.sums.anonymous;
        m->swap = blk.sums.swap;
        n++;
    }
    ps__buf_dispose(&b);
    if (rc) {
        ps__bk_mmap_free(v, n);
        return rc;
    }
    *items = v;
    *count = n;
    return 0;
}

/* ---- threads, fds, status counters, io, files, cgroup --------------------------------- */

int ps__bk_proc_num_threads(ps_proc *p, int64_t *out)
{
    ps__status st;
    int rc = status_numbers(p, &st);
    if (rc) return rc;
    if (!(st.found & PS__ST_THREADS)) return ps__error(PS_EPARSE, 0, "status: no Threads line");
    *out = st.threads;
    return 0;
}

int ps__bk_proc_num_ctx_switches(ps_proc *p, ps_proc_ctxsw *out)
{
    ps__status st;
    int rc = status_numbers(p, &st);
    if (rc) return rc;
    if ((st.found & (PS__ST_VCTX | PS__ST_NVCTX)) != (PS__ST_VCTX | PS__ST_NVCTX))
        return ps__error(PS_ENOTSUP, 0, "status: no ctxt_switches lines (kernel < 2.6.23)");
    out->voluntary = st.vol_ctxt;
    out->involuntary = st.nonvol_ctxt;
    return 0;
}

int ps__bk_proc_io_counters(ps_proc *p, ps_proc_io *out)
{
    char buf[1024];
    size_t len;
    int r = read_small(p->dirfd, "io", buf, sizeof buf, &len);
    if (r < 0) return map_err(p, -r, "io");
    ps__io io;
    ps__parse_io_buf(buf, len, &io);
    if ((io.found & PS__IO_ALL6) != PS__IO_ALL6) {
        if (!proc_alive(p)) return gone(p, 0, "io");
        return ps__error(PS_EPARSE, 0, "io: fields missing");
    }
    out->read_count = io.syscr;
    out->write_count = io.syscw;
    out->read_bytes = io.read_bytes;
    out->write_bytes = io.write_bytes;
    out->read_chars = io.rchar;
    out->write_chars = io.wchar;
    return 0;
}

/* A resource error (not "this entry vanished"): report it instead of a shorter list. */
static int resource_err(int r)
{
    return r == -EMFILE || r == -ENFILE || r == -ENOMEM;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Numeric entries of a directory under dirfd, sorted. 0 or -errno. */
static int list_numeric(int dirfd, const char *sub, int64_t **out, size_t *count)
{
    int fd = openat(dirfd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -errno;
    DIR *d = fdopendir(fd);
    if (!d) {
        int err = errno;
        close(fd);
        return -err;
    }
    size_t n = 0, cap = 32;
    int64_t *v = malloc(cap * sizeof *v);
    if (!v) {
        closedir(d);
        return -ENOMEM;
    }
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        if (n == cap) {
            int64_t *nv = realloc(v, cap * 2 * sizeof *v);
            if (!nv) {
                free(v);
                closedir(d);
                return -ENOMEM;
            }
            v = nv;
            cap *= 2;
        }
        v[n++] = strtoll(e->d_name, NULL, 10);
    }
    int err = errno;
    closedir(d);
    if (err) {
        free(v);
        return -err;
    }
    qsort(v, n, sizeof *v, cmp_i64);
    *out = v;
    *count = n;
    return 0;
}

int ps__bk_proc_num_fds(ps_proc *p, int64_t *out)
{
    int64_t *fds;
    size_t n;
    int r = list_numeric(p->dirfd, "fd", &fds, &n);
    if (r < 0) return map_err(p, -r, "fd");
    free(fds);
    if (!proc_alive(p)) return gone(p, 0, "fd");
    *out = (int64_t)n;
    return 0;
}

/* One record for the entry id of a process's directory (a thread of task, a descriptor of fd):
 * 1 when rec is filled, 0 to skip the entry (it went away meanwhile, or psutil does not list
 * it), or a negative code that ends the walk (rec then holds nothing to free). */
typedef int (*entry_fill)(const ps_proc *p, int64_t id, void *rec);

/* The disposers of those records, typed for entry_records. */
static void threads_dispose(void *v, size_t n)
{
    ps__bk_thread_free(v, n);
}

static void open_files_dispose(void *v, size_t n)
{
    ps__bk_open_file_free(v, n);
}

/* The records of the numeric entries of the process's directory sub, one fill call each, in a
 * zeroed array of size-byte records (room for every entry), their number in *count; the answer
 * stands only if the pinned process is still there afterwards. NULL with *rc set on a failure
 * (the records filled so far are gone to dispose). */
static void *entry_records(const ps_proc *p, const char *sub, size_t size, entry_fill fill,
                           void (*dispose)(void *, size_t), size_t *count, int *rc)
{
    int64_t *ids;
    size_t n;
    int r = list_numeric(p->dirfd, sub, &ids, &n);
    if (r < 0) {
        *rc = map_err(p, -r, sub);
        return NULL;
    }
    unsigned char *v = calloc(n ? n : 1, size);
    if (!v) {
        free(ids);
        *rc = ps__error(PS_ENOMEM, 0, "out of memory");
        return NULL;
    }
    size_t k = 0;
    r = 0;
    for (size_t i = 0; i < n && r == 0; i++) {
        r = fill(p, ids[i], v + k * size);
        if (r > 0) {
            k++;
            r = 0;
        }
    }
    free(ids);
    if (r == 0 && !proc_alive(p)) r = gone(p, 0, sub);
    *rc = r;
    if (r) {
        dispose(v, k);
        return NULL;
    }
    *count = k;
    return v;
}

static int thread_entry(const ps_proc *p, int64_t tid, void *rec)
{
    ps__bk_thread *out = rec;
    char name[64], buf[STAT_BUF];
    size_t len;
    snprintf(name, sizeof name, "task/%lld/stat", (long long)tid);
    int r = read_small(p->dirfd, name, buf, sizeof buf, &len);
    if (resource_err(r)) return ps__errno_error(-r, "task stat");
    if (r < 0) return 0;  /* the thread exited */
    ps__stat st;
    if (ps__parse_stat_buf(buf, len, &st)) return 0;
    snprintf(name, sizeof name, "task/%lld/comm", (long long)tid);
    char comm[128];
    size_t clen;
    r = read_small(p->dirfd, name, comm, sizeof comm, &clen);
    if (resource_err(r)) return ps__errno_error(-r, "task comm");
    if (r < 0) return 0;
    if (clen && comm[clen - 1] == '\n') clen--;
    if (nstr_set(&out->name, comm, clen)) return PS_ENOMEM;
    double t = (double)clk_tck();
    out->id = tid;
    out->user_time = (double)st.utime / t;
    out->system_time = (double)st.stime / t;
    return 1;
}

int ps__bk_proc_threads(ps_proc *p, ps__bk_thread **items, size_t *count)
{
    int rc;
    *items = entry_records(p, "task", sizeof **items, thread_entry, threads_dispose, count, &rc);
    return rc;
}

static int open_file_entry(const ps_proc *p, int64_t fd, void *rec)
{
    ps__bk_open_file *out = rec;
    char name[64];
    snprintf(name, sizeof name, "fd/%lld", (long long)fd);
    ps__nstr path;
    int r = ps__readlink_at(p->dirfd, name, &path);
    /* EACCES: the fd directory is listable but its links are not (a target holding
     * capabilities the caller lacks): psutil raises AccessDenied, an empty list would lie */
    if (r == PS_ENOMEM || r == PS_EACCES) return r;
    if (r) return 0;  /* the fd was closed meanwhile */
    strip_deleted(&path);
    char *s = path.data;
    struct stat sb;
    if (path.len == 0 || s[0] != '/' || path.len >= PATH_MAX) goto skip;
    /* psutil: an absolute path that stat()s as a regular file */
    {
        char tmp[PATH_MAX];
        memcpy(tmp, s, path.len);
        tmp[path.len] = '\0';
        if (stat(tmp, &sb) != 0 || !S_ISREG(sb.st_mode)) goto skip;
    }
    snprintf(name, sizeof name, "fdinfo/%lld", (long long)fd);
    char info[1024];
    size_t ilen;
    r = read_small(p->dirfd, name, info, sizeof info, &ilen);
    if (resource_err(r)) {
        ps__nstr_dispose(&path);
        return ps__errno_error(-r, "fdinfo");
    }
    if (r < 0) goto skip;  /* the fd was closed meanwhile */
    const char *pos = strstr(info, "pos:");
    const char *fl = strstr(info, "flags:");
    if (!pos || !fl) goto skip;
    out->path = path;
    out->fd = fd;
    out->position = strtoll(pos + 4, NULL, 10);
    out->flags = (int32_t)strtol(fl + 6, NULL, 8);
    {   /* psutil file_flags_to_mode */
        int acc = out->flags & O_ACCMODE, app = (out->flags & O_APPEND) != 0;
        strcpy(out->mode, acc == O_RDONLY ? "r" : acc == O_WRONLY ? (app ? "a" : "w") : (app ? "a+" : "r+"));
    }
    return 1;
skip:
    ps__nstr_dispose(&path);
    return 0;
}

int ps__bk_proc_open_files(ps_proc *p, ps__bk_open_file **items, size_t *count)
{
    int rc;
    *items = entry_records(p, "fd", sizeof **items, open_file_entry, open_files_dispose, count, &rc);
    return rc;
}

int ps__bk_proc_cgroup(ps_proc *p, ps__nstr *items, size_t *count)
{
    ps__buf b;
    int rc = read_whole(p, "cgroup", &b, false);
    if (rc) return rc;
    size_t c = 0;
    size_t len = b.len;
    if (len && b.data[len - 1] == '\n') len--;
    for (size_t i = 0; i < len; i++) {
        if (b.data[i] == '\n') {
            b.data[i] = '\0';
            c++;
        }
    }
    if (len) c++;
    b.len = len;
    char *data;
    size_t dlen;
    rc = ps__buf_finish(&b, &data, &dlen);
    if (rc) return rc;
    items->data = data;
    items->len = len ? len + 1 : 0;
    *count = c;
    return 0;
}

/* ---- signals ------------------------------------------------------------------------------ */

int ps__bk_proc_signal(ps_proc *p, int op, int32_t sig_in)
{
    int sig;
    int rc = ps__posix_signal(op, sig_in, &sig);
    if (rc) return rc;
    if (p->pidfd >= 0) {
        if (ps__pidfd_send_signal(p->pidfd, sig) == 0) return 0;
        int err = errno;
        if (err == ESRCH) return gone(p, err, "pidfd_send_signal");
        if (err != ENOSYS) return ps__errno_error(err, "pidfd_send_signal");
    }
    /* No pidfd: kill(2) only after checking through the dirfd that the pinned process holds
     * the number (the window between the check and kill is a few microseconds). */
    if (!proc_alive(p)) return gone(p, 0, "kill");
    if (kill((pid_t)p->pid, sig) != 0) {
        int err = errno;
        if (err == ESRCH) return gone(p, err, "kill");
        return ps__errno_error(err, "kill");
    }
    return 0;
}
