/* SPDX-License-Identifier: MIT */
/* The Linux process handle: open, identity, free. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../posix/wait_posix.h"
#include "linux.h"
#include "procparse.h"

int ps__proc_dir_open(int64_t pid, int *dirfd)
{
    char path[PATH_MAX];
    if (pid <= 0 || pid > INT_MAX) return ps__error(PS_ENOPROC, 0, "pid %lld out of range", (long long)pid);
    int n = snprintf(path, sizeof path, "%s/%lld", ps__root(PS_ROOT_PROC), (long long)pid);
    if (n < 0 || (size_t)n >= sizeof path) return ps__error(PS_EINVAL, 0, "procfs root too long");
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT || err == ESRCH) return ps__error(PS_ENOPROC, err, "no process %lld (%s)", (long long)pid, path);
        return ps__errno_error(err, path);
    }
    *dirfd = fd;
    return 0;
}

int ps__parse_stat(const char *text, size_t len, const char **comm, size_t *comm_len,
                   const char **fields, size_t *field_lens, int max)
{
    /* comm may hold ')' and spaces: it runs from the first '(' to the LAST ')'. */
    const char *open_paren = memchr(text, '(', len);
    const char *close_paren = NULL;
    for (size_t i = len; i > 0; i--) {
        if (text[i - 1] == ')') {
            close_paren = text + i - 1;
            break;
        }
    }
    if (!open_paren || !close_paren || close_paren < open_paren) return -1;
    if (comm) *comm = open_paren + 1;
    if (comm_len) *comm_len = (size_t)(close_paren - open_paren - 1);
    const char *p = close_paren + 1, *end = text + len;
    int n = 0;
    while (n < max) {
        while (p < end && (*p == ' ' || *p == '\n')) p++;
        if (p >= end) break;
        const char *start = p;
        while (p < end && *p != ' ' && *p != '\n') p++;
        fields[n] = start;
        if (field_lens) field_lens[n] = (size_t)(p - start);
        n++;
    }
    return n;
}

int ps__proc_start_ticks(int dirfd, uint64_t *ticks)
{
    char buf[1024];
    int fd = openat(dirfd, "stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT || err == ESRCH) return ps__error(PS_ENOPROC, err, "process is gone");
        return ps__errno_error(err, "stat");
    }
    ssize_t r;
    do r = read(fd, buf, sizeof buf - 1);
    while (r < 0 && errno == EINTR);
    int err = errno;
    close(fd);
    if (r < 0) {
        if (err == ESRCH || err == ENOENT) return ps__error(PS_ENOPROC, err, "process is gone");
        return ps__errno_error(err, "read stat");
    }
    const char *fields[20];
    int n = ps__parse_stat(buf, (size_t)r, NULL, NULL, fields, NULL, 20);
    if (n < 20) return ps__error(PS_EPARSE, 0, "stat: %d fields, expected at least 20", n);
    /* fields[0] is field 3, so field 22 (starttime) is fields[19]. */
    *ticks = strtoull(fields[19], NULL, 10);
    return 0;
}

/* Is the task behind dirfd a thread-group leader? /proc/<tid> also opens for non-leader
 * threads; a handle names a process, so those are refused. */
static int check_is_process(int dirfd, int64_t pid)
{
    ps__buf b;
    ps__buf_init(&b);
    int rc = ps__read_file_at(dirfd, "status", &b);
    if (rc == PS_ENOENT) rc = ps__error(PS_ENOPROC, 0, "process %lld is gone", (long long)pid);
    if (rc) {
        ps__buf_dispose(&b);
        return rc;
    }
    const char *t = strstr(b.data, "\nTgid:");
    long long tgid = t ? strtoll(t + 6, NULL, 10) : -1;
    ps__buf_dispose(&b);
    if (tgid != pid) return ps__error(PS_ENOPROC, 0, "%lld is a thread, not a process", (long long)pid);
    return 0;
}

int ps__bk_proc_open(int64_t pid, ps_proc **out)
{
    int dirfd;
    int rc = ps__proc_dir_open(pid, &dirfd);
    if (rc) return rc;
    uint64_t ticks;
    rc = ps__proc_start_ticks(dirfd, &ticks);
    if (rc) goto fail_dir;

    int pidfd = ps__pidfd_open((pid_t)pid, 0);
    if (pidfd < 0) {
        int err = errno;
        /* ESRCH: it exited and was reaped meanwhile. Any other error only costs the fast
         * paths (signals and waits fall back); EINVAL/ENOENT also mean "not a leader". */
        if (err == ESRCH) {
            rc = ps__error(PS_ENOPROC, err, "process %lld is gone", (long long)pid);
            goto fail_dir;
        }
        rc = check_is_process(dirfd, pid);
        if (rc) goto fail_dir;
    } else {
        /* pidfd_open looked the number up afresh: make sure it found the process dirfd pins.
         * If that process is still there now, it held the number when pidfd_open ran. */
        uint64_t again;
        rc = ps__proc_start_ticks(dirfd, &again);
        if (rc == 0 && again != ticks) rc = ps__error(PS_ENOPROC, 0, "process %lld changed", (long long)pid);
        if (rc) {
            close(pidfd);
            goto fail_dir;
        }
    }

    ps_proc *p = calloc(1, sizeof *p); /* zeroes the wait cache too */
    if (!p) {
        if (pidfd >= 0) close(pidfd);
        rc = ps__error(PS_ENOMEM, 0, "ps_proc_open: out of memory");
        goto fail_dir;
    }
    p->pid = pid;
    p->dirfd = dirfd;
    p->pidfd = pidfd;
    p->start_ticks = ticks;
    *out = p;
    return 0;

fail_dir:
    close(dirfd);
    return rc;
}

void ps__bk_proc_free(ps_proc *proc)
{
    if (proc->pidfd >= 0) close(proc->pidfd);
    close(proc->dirfd);
    free(proc);
}

int64_t ps__bk_proc_pid(const ps_proc *proc)
{
    return proc->pid;
}

ps__wait_cache *ps__bk_wait_cache(ps_proc *proc)
{
    return &proc->wait;
}

int ps__bk_proc_is_running(const ps_proc *proc, int *running)
{
    uint64_t ticks;
    int rc = ps__proc_start_ticks(proc->dirfd, &ticks);
    if (rc == PS_ENOPROC) {
        *running = 0;
        return 0;
    }
    if (rc) return rc;
    *running = ticks == proc->start_ticks;
    return 0;
}

static int64_t ts_ns(const struct timespec *t)
{
    return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

/*
 * The kernel's btime (the /proc/stat line) is the whole seconds of CLOCK_REALTIME minus
 * CLOCK_BOOTTIME (both shifted alike in a time namespace). Reading the clocks costs ~50 ns
 * instead of generating /proc/stat (~20 us). boottime is read on both sides of realtime; when
 * the bounds give different whole seconds (the boot instant within a few hundred ns of a
 * second boundary) the answer is ambiguous and the caller reads /proc/stat instead.
 */
static int boot_time_from_clocks(double *out)
{
    struct timespec b1, r, b2;
    if (clock_gettime(CLOCK_BOOTTIME, &b1) || clock_gettime(CLOCK_REALTIME, &r) ||
        clock_gettime(CLOCK_BOOTTIME, &b2))
        return -1;
    int64_t hi = ts_ns(&r) - ts_ns(&b1), lo = ts_ns(&r) - ts_ns(&b2);
    if (lo <= 0) return -1;
    int64_t s_lo = (lo - 1000) / 1000000000, s_hi = (hi + 1000) / 1000000000;
    if (s_lo != s_hi) return -1;
    *out = (double)s_lo;
    return 0;
}

int ps__boot_time(double *out)
{
    if (strcmp(ps__root(PS_ROOT_PROC), "/proc") == 0 && boot_time_from_clocks(out) == 0) return 0;
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/stat", ps__root(PS_ROOT_PROC));
    if (n < 0 || (size_t)n >= sizeof path) return ps__error(PS_EINVAL, 0, "procfs root too long");
    ps__buf b;
    ps__buf_init(&b);
    int rc = ps__read_file_at(AT_FDCWD, path, &b);
    if (rc) {
        ps__buf_dispose(&b);
        return rc;
    }
    const char *line = b.len >= 6 && memcmp(b.data, "btime ", 6) == 0 ? b.data : NULL;
    if (!line) {
        line = memmem(b.data, b.len, "\nbtime ", 7);
        if (line) line++;
    }
    int found = 0;
    if (line) {
        const char *q = line + 6;
        uint64_t v;
        if (ps__procparse_u64(&q, (const char *)b.data + b.len, &v)) {
            *out = (double)v;
            found = 1;
        }
    }
    ps__buf_dispose(&b);
    return found ? 0 : ps__error(PS_EPARSE, 0, "%s: no btime line", path);
}
