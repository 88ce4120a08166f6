/* SPDX-License-Identifier: MIT */
/* Helpers for the wait suites: children with known fates, fd counting, clocks. */
#ifndef TEST_WAIT_UTIL_H
#define TEST_WAIT_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <psinfo.h>
#include "test_hooks.h"   /* ps__wait_force_fallback */
#include "helpers/exitrec.h"

static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
}

/* Open fds of this process (counting /proc/self/fd entries, minus the one opendir uses). */
static inline int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n - 1;
}

/* A child that sleeps `delay` seconds then _exit(code); code < 0: pause() until killed. */
static inline pid_t spawn_child(double delay, int code)
{
    pid_t c = fork();
    if (c == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl); /* no core files from SIGABRT tests */
        if (code < 0) {
            for (;;) pause();
        }
        if (delay > 0) sleep_s(delay);
        _exit(code);
    }
    return c;
}

/* The state letter of /proc/<pid>/stat ('?' if unreadable). */
static inline char proc_state(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return '?';
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    return p && p[1] && p[2] ? p[2] : '?';
}

/* Wait until pid is a zombie (up to 5 s). */
static inline int wait_zombie(pid_t pid)
{
    for (int i = 0; i < 5000; i++) {
        if (proc_state(pid) == 'Z') return 1;
        sleep_s(0.001);
    }
    return 0;
}

static inline long nvcsw_thread(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return ru.ru_nvcsw;
}

/* The outcome a waiter that is not the reaper must see for a process whose real parent
 * collected `status` (a waitpid status): that status from the kernel's exit record where the
 * kernel keeps one and the fast path runs (records = 1), else "gone, status unknown". */
#define EXPECT_REAPED_ELSEWHERE(r, status, records)                                           \
    do {                                                                                      \
        const ps_wait_result *r_ = (r);                                                       \
        int st_ = (status);                                                                   \
        if (records) {                                                                        \
            cr_expect_eq(r_->source, PS_WAIT_SOURCE_PIDFD_INFO, "source %d", r_->source);     \
            if (WIFEXITED(st_)) {                                                             \
                cr_expect_eq(r_->kind, PS_WAIT_EXITED, "kind %d", r_->kind);                  \
                cr_expect_eq(r_->code, WEXITSTATUS(st_), "code %d", r_->code);                \
                cr_expect_eq(r_->returncode, WEXITSTATUS(st_));                               \
            } else {                                                                          \
                cr_expect_eq(r_->kind, PS_WAIT_SIGNALED, "kind %d", r_->kind);                \
                cr_expect_eq(r_->code, WTERMSIG(st_), "signal %d", r_->code);                 \
                cr_expect_eq(r_->returncode, -WTERMSIG(st_));                                 \
                cr_expect_eq(r_->core_dumped, WCOREDUMP(st_) ? 1 : 0);                        \
            }                                                                                 \
        } else {                                                                              \
            cr_expect_eq(r_->kind, PS_WAIT_UNKNOWN, "kind %d", r_->kind);                     \
            cr_expect_eq(r_->code, PS_UNKNOWN_I32);                                           \
            cr_expect_eq(r_->returncode, PS_UNKNOWN_I32);                                     \
            cr_expect_eq(r_->source, PS_WAIT_SOURCE_NONE);                                    \
        }                                                                                     \
    } while (0)

#endif
