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

#endif
