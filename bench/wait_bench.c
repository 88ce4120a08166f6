/* SPDX-License-Identifier: MIT */
/*
 * wait_bench — the event path (pidfd + poll/epoll) against the forced fallback (0.1 ms doubling
 * to 40 ms backoff), in one binary and one run:
 *   1. a long wait on a live process: voluntary context switches and CPU time of the waiting
 *      thread (getrusage RUSAGE_THREAD deltas around the call);
 *   2. exit -> return latency over many child exits at random delays: the child stamps
 *      CLOCK_MONOTONIC into a MAP_SHARED page right before _exit; p50/p99/max; next to bare
 *      loops without the library (the floor), for forked children and for CLONE_VM children
 *      (whose exit has no address space to tear down: the waiting path alone);
 *   3. ps_proc_wait_many over many processes exiting at random times: wake-ups (voluntary
 *      context switches of the waiting thread) per exit.
 * Usage: wait_bench [LIVE_SECONDS=10] [EXITS=200] [MANY=1000]
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <psinfo.h>
#include "test_hooks.h"   /* ps__wait_force_fallback */

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void thread_usage(long *nvcsw, double *cpu_ms)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    *nvcsw = ru.ru_nvcsw;
    *cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static const char *path_name(int forced)
{
    return forced ? "fallback" : "pidfd   ";
}

static void bench_live(double seconds)
{
    printf("## 1. %.0f s wait on a live process (waiting thread)\n", seconds);
    printf("path      vol.switches  cpu_ms\n");
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        pid_t c = fork();
        if (c == 0) {
            for (;;) pause();
        }
        ps_proc *p;
        if (ps_proc_open(c, &p) != 0) exit(1);
        ps_wait_result r;
        long cs0, cs1;
        double cpu0, cpu1;
        thread_usage(&cs0, &cpu0);
        int rc = ps_proc_wait(p, seconds, &r);
        thread_usage(&cs1, &cpu1);
        printf("%s  %12ld  %6.2f   (%s)\n", path_name(forced), cs1 - cs0, cpu1 - cpu0, ps_err_name(rc));
        kill(c, SIGKILL);
        ps_proc_wait(p, PS_TIMEOUT_INFINITE, &r);
        ps_proc_free(p);
    }
    ps__wait_force_fallback(0);
}

/* How the child of a latency sample is made. A forked child's exit first tears down its
 * address space (exit_mm) and only then notifies waiters; a CLONE_VM child shares ours, so
 * its exit notifies almost at once. The difference is the kernel's share of the latency,
 * which no waiter can remove; the CLONE_VM rows measure the waiting path itself. */
enum child_kind { CHILD_FORK, CHILD_CLONE_VM };
/* How the sample is waited for: the library (event path or forced fallback), or a bare
 * program without the library (the floor on this machine). */
enum waiter { WAIT_LIB_PIDFD, WAIT_LIB_FALLBACK, WAIT_BARE_PIDFD, WAIT_BARE_WAITID };

static volatile int64_t *lat_stamp;
static long lat_delay_us;

static void sleep_stamp(void)
{
    struct timespec ts = {lat_delay_us / 1000000, (lat_delay_us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0) {}
    *lat_stamp = mono_ns();
}

static int clone_vm_child(void *arg)
{
    (void)arg;
    sleep_stamp();
    syscall(SYS_exit, 0); /* only this task: it shares our memory, not our thread group */
    return 0;
}

static pid_t spawn_child(enum child_kind kind, char *stack_top)
{
    if (kind == CHILD_CLONE_VM) return clone(clone_vm_child, stack_top, CLONE_VM | SIGCHLD, NULL);
    pid_t c = fork();
    if (c == 0) {
        sleep_stamp();
        _exit(0);
    }
    return c;
}

/* Wait for child c as `w` does; 0 when it was reaped. *returned_at: the clock when the wait
 * call returned (before any clean-up). */
static int wait_child(pid_t c, enum waiter w, int64_t *returned_at)
{
    if (w == WAIT_BARE_WAITID) {
        siginfo_t si;
        int r = waitid(P_PID, (id_t)c, &si, WEXITED);
        *returned_at = mono_ns();
        return r;
    }
    if (w == WAIT_BARE_PIDFD) {
        int fd = (int)syscall(SYS_pidfd_open, c, 0);
        if (fd < 0) return -1;
        struct pollfd q = {fd, POLLIN, 0};
        while (poll(&q, 1, -1) < 0) {}
        siginfo_t si;
        int r = waitid((idtype_t)3 /* P_PIDFD */, (id_t)fd, &si, WEXITED);
        *returned_at = mono_ns();
        close(fd);
        return r;
    }
    ps__wait_force_fallback(w == WAIT_LIB_FALLBACK);
    ps_proc *p;
    if (ps_proc_open(c, &p) != 0) return -1;
    ps_wait_result r;
    int rc = ps_proc_wait(p, PS_TIMEOUT_INFINITE, &r);
    *returned_at = mono_ns();
    ps_proc_free(p);
    ps__wait_force_fallback(0);
    return rc;
}

static void bench_latency(int exits)
{
    printf("\n## 2. exit -> return latency, %d child exits per row, random delays 1..60 ms\n", exits);
    printf("   (bare = a loop without the library: the floor on this machine)\n");
    printf("waiter                  child     p50_ms   p99_ms   max_ms   mean_ms\n");
    int64_t *stamp = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (stamp == MAP_FAILED) exit(1);
    lat_stamp = stamp;
    size_t stack_size = 1 << 16;
    char *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (stack == MAP_FAILED) exit(1);
    int64_t *lat = malloc(sizeof *lat * (size_t)exits);
    static const struct {
        enum waiter w;
        enum child_kind k;
        const char *name;
    } rows[] = {
        {WAIT_LIB_PIDFD, CHILD_FORK, "ps_proc_wait pidfd    fork    "},
        {WAIT_BARE_PIDFD, CHILD_FORK, "bare poll(pidfd)      fork    "},
        {WAIT_BARE_WAITID, CHILD_FORK, "bare blocking waitid  fork    "},
        {WAIT_LIB_FALLBACK, CHILD_FORK, "ps_proc_wait fallback fork    "},
        {WAIT_LIB_PIDFD, CHILD_CLONE_VM, "ps_proc_wait pidfd    clone_vm"},
        {WAIT_BARE_PIDFD, CHILD_CLONE_VM, "bare poll(pidfd)      clone_vm"},
    };
    for (size_t row = 0; row < sizeof rows / sizeof rows[0]; row++) {
        srand(12345); /* the same delays for every row */
        for (int i = 0; i < exits; i++) {
            lat_delay_us = 1000 + rand() % 59000;
            *lat_stamp = 0;
            pid_t c = spawn_child(rows[row].k, stack + stack_size);
            int64_t returned_at = 0;
            if (c < 0 || wait_child(c, rows[row].w, &returned_at) != 0) {
                fprintf(stderr, "wait_bench: latency sample %d of row %zu failed\n", i, row);
                exit(1);
            }
            lat[i] = returned_at - *lat_stamp;
        }
        qsort(lat, (size_t)exits, sizeof *lat, cmp_i64);
        double sum = 0;
        for (int i = 0; i < exits; i++) sum += (double)lat[i];
        printf("%s  %7.3f  %7.3f  %7.3f  %7.3f\n", rows[row].name, lat[exits / 2] / 1e6,
               lat[(exits * 99) / 100] / 1e6, lat[exits - 1] / 1e6, sum / exits / 1e6);
    }
    free(lat);
    munmap(stack, stack_size);
    munmap(stamp, 4096);
}

static void bench_many(int n)
{
    printf("\n## 3. ps_proc_wait_many on %d processes exiting at random times within 3 s\n", n);
    printf("path      exits  vol.switches  per_exit  cpu_ms  elapsed_s\n");
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < (rlim_t)(3 * n + 64)) {
        rl.rlim_cur = (rlim_t)(3 * n + 64);
        if (rl.rlim_max < rl.rlim_cur) rl.rlim_max = rl.rlim_cur;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    ps_proc **p = calloc((size_t)n, sizeof *p);
    ps_wait_status *st = calloc((size_t)n, sizeof *st);
    srand(777);
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        int64_t t0 = mono_ns() + 500000000LL; /* exits start after every child is forked */
        for (int i = 0; i < n; i++) {
            int64_t at = t0 + (int64_t)(rand() % 3000000) * 1000;
            pid_t c = fork();
            if (c == 0) {
                struct timespec ts = {(time_t)(at / 1000000000LL), (long)(at % 1000000000LL)};
                while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {}
                _exit(0);
            }
            if (ps_proc_open(c, &p[i]) != 0) {
                fprintf(stderr, "open %d failed\n", i);
                exit(1);
            }
        }
        long cs0, cs1;
        double cpu0, cpu1;
        int64_t w0 = mono_ns();
        thread_usage(&cs0, &cpu0);
        size_t nd = 0;
        ps_proc_wait_many(p, (size_t)n, 30.0, PS_WAIT_ALL, st, &nd);
        thread_usage(&cs1, &cpu1);
        double el = (mono_ns() - w0) / 1e9;
        printf("%s  %5zu  %12ld  %8.3f  %6.1f  %9.2f\n", path_name(forced), nd, cs1 - cs0,
               nd ? (double)(cs1 - cs0) / (double)nd : 0.0, cpu1 - cpu0, el);
        for (int i = 0; i < n; i++) ps_proc_free(p[i]);
    }
    ps__wait_force_fallback(0);
    free(p);
    free(st);
}

int main(int argc, char **argv)
{
    double live = argc > 1 ? atof(argv[1]) : 10.0;
    int exits = argc > 2 ? atoi(argv[2]) : 200;
    int many = argc > 3 ? atoi(argv[3]) : 1000;
    struct utsname u;
    uname(&u);
    printf("# wait_bench: %s %s %s, %ld CPUs\n\n", u.sysname, u.release, u.machine, sysconf(_SC_NPROCESSORS_ONLN));
    setvbuf(stdout, NULL, _IONBF, 0);
    if (live > 0) bench_live(live);
    if (exits > 0) bench_latency(exits);
    if (many > 0) bench_many(many);
    return 0;
}
