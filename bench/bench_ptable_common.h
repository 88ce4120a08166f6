/* SPDX-License-Identifier: MIT */
/*
 * What the process-table benchmarks share (bench_ptable.c, bench_scanner.c): the 12 fields,
 * clocks, medians, the syscall floor of a 12-field scan, sleeping children.
 */
#ifndef PS_BENCH_PTABLE_COMMON_H
#define PS_BENCH_PTABLE_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psinfo.h"

#define B(f) PS_PT_BIT(PS_PT_##f)
static const uint64_t TABLE_FIELDS = B(PID) | B(NAME) | B(EXE) | B(CWD) | B(USERNAME) | B(STATUS) |
                                     B(PPID) | B(CREATE_TIME) | B(MEMORY_INFO) | B(CPU_TIMES) |
                                     B(CMDLINE) | B(NUM_THREADS);

static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the calling thread (the box is shared: CPU time is less noisy than wall time) */
static inline double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static inline double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- the floor ------------------------------------------------------------------------ */

struct dent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static inline ssize_t slurp(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t r = read(fd, buf, cap);
    close(fd);
    return r;
}

typedef struct ucache {
    long uid;
    char name[64];
} ucache;

/* One scan doing only the syscalls the 12 fields need. Returns the process count. */
static inline size_t floor_scan(void)
{
    static char dbuf[32768];
    char path[64] = "/proc/";
    char stat[2048], status[4096], statm[256], cmdline[4096], exe[PATH_MAX], cwd[PATH_MAX];
    ucache users[64];
    size_t nusers = 0, count = 0;
    volatile size_t sink = 0;
    int dfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    long n;
    while ((n = syscall(SYS_getdents64, dfd, dbuf, sizeof dbuf)) > 0) {
        for (long off = 0; off < n;) {
            struct dent64 *d = (struct dent64 *)(void *)(dbuf + off);
            off += d->d_reclen;
            if (d->d_name[0] < '1' || d->d_name[0] > '9') continue;
            size_t l = strlen(d->d_name);
            memcpy(path + 6, d->d_name, l);
            char *tail = path + 6 + l;
            memcpy(tail, "/stat", 6);
            ssize_t r = slurp(path, stat, sizeof stat);
            if (r <= 0) continue;
            memcpy(tail, "/status", 8);
            r = slurp(path, status, sizeof status - 1);
            if (r <= 0) continue;
            status[r] = '\0';
            const char *u = strstr(status, "\nUid:");
            long uid = u ? strtol(u + 5, NULL, 10) : -1;
            size_t k;
            for (k = 0; k < nusers && users[k].uid != uid; k++) {}
            if (k == nusers && nusers < 64) {
                struct passwd pw, *res = NULL;
                char pwbuf[1024];
                getpwuid_r((uid_t)uid, &pw, pwbuf, sizeof pwbuf, &res);
                users[nusers].uid = uid;
                snprintf(users[nusers].name, sizeof users[nusers].name, "%s", res ? res->pw_name : "?");
                nusers++;
            }
            memcpy(tail, "/statm", 7);
            r = slurp(path, statm, sizeof statm);
            memcpy(tail, "/cmdline", 9);
            r = slurp(path, cmdline, sizeof cmdline);
            memcpy(tail, "/exe", 5);
            r = readlink(path, exe, sizeof exe);
            memcpy(tail, "/cwd", 5);
            r = readlink(path, cwd, sizeof cwd);
            sink += (size_t)r;
            count++;
        }
    }
    close(dfd);
    (void)sink;
    return count;
}

/* ---- helpers ---------------------------------------------------------------------------- */

static inline pid_t *spawn_sleepers(int n)
{
    pid_t *v = calloc((size_t)n, sizeof *v);
    pid_t parent = getpid();
    for (int i = 0; i < n; i++) {
        pid_t c = fork();
        if (c == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent) _exit(0);
            for (;;) pause();
        }
        if (c < 0) {
            fprintf(stderr, "fork failed after %d children: %s\n", i, strerror(errno));
            break;
        }
        v[i] = c;
    }
    return v;
}

static inline void kill_sleepers(pid_t *v, int n)
{
    for (int i = 0; i < n; i++)
        if (v[i] > 0) kill(v[i], SIGKILL);
    for (int i = 0; i < n; i++)
        if (v[i] > 0) waitpid(v[i], NULL, 0);
    free(v);
}

#endif /* PS_BENCH_PTABLE_COMMON_H */
