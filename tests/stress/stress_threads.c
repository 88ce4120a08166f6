/* SPDX-License-Identifier: MIT */
/*
 * Thread stress test: N threads (default 16) call every public API concurrently for a
 * bounded time, on shared handles (self, a long-lived child, the parent) and on handles of their
 * own, while one thread flips the string policy and one churner forks short-lived children that
 * appear and vanish. Meant to run under ThreadSanitizer (scripts/tsan-stress.sh) but checks its
 * own invariants in any build:
 *  - every call returns 0 or a documented negative PS_E* code (never anything else);
 *  - a handle opened on a churned child never yields another process's data: a successful ppid
 *    is our pid and a successful name is our comm;
 *  - ps_fsdecode under a policy flipped concurrently gives exactly the escape or the replace
 *    result (never a mix);
 *  - the number of open fds is the same before and after.
 * Plain main() (no Criterion): exit 0 on success, 1 on a failed check. Prints the figures.
 *
 * Environment: STRESS_SECONDS (default 15), STRESS_THREADS (default 16).
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psinfo.h"
#include "test_hooks.h"   /* ps__wait_force_fallback */
#include "../helpers/fdcheck.h"

#define MAX_THREADS 64
#define RING 32 /* one slot per live churned child */

static atomic_int stop;
static atomic_long n_calls, n_errors, n_churned, n_churn_opened, n_policy_flips;
static atomic_int failed;
static int64_t self_pid;
static char self_comm[64];

static ps_proc *shared_self, *shared_child, *shared_parent;
static ps_scanner *shared_scanner;   /* one scanner scanned by every worker at once */

/* The churner's live children (test-side state, under a mutex). */
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t ring[RING];

static void fail(const char *what, int rc)
{
    fprintf(stderr, "stress: FAILED: %s (rc %d %s)\n", what, rc, ps_err_name(rc));
    atomic_store(&failed, 1);
}

/* Every return code must be 0 or a known PS_E* code. */
static int check(const char *what, int rc)
{
    atomic_fetch_add_explicit(&n_calls, 1, memory_order_relaxed);
    if (rc == 0) return 0;
    atomic_fetch_add_explicit(&n_errors, 1, memory_order_relaxed);
    if (rc < PS_ERANGE || rc > 0) fail(what, rc);
    ps_error_detail d;
    if (ps_error_last(&d) != 0) fail("ps_error_last", -99);
    return rc;
}
#define C(call) check(#call, (call))

static int64_t ring_pick(unsigned *seed)
{
    pthread_mutex_lock(&ring_lock);
    int64_t pid = ring[(unsigned)rand_r(seed) % RING];
    pthread_mutex_unlock(&ring_lock);
    return pid;
}

/* Every getter on one handle. own = 1 when the handle is a churned child of ours (identity
 * checks apply). */
static void all_getters(ps_proc *p, unsigned *seed, int churn)
{
    char *s = NULL;
    if (C(ps_proc_name(p, &s)) == 0 && churn && strcmp(s, self_comm) != 0) {
        fprintf(stderr, "stress: churned child name '%s' != '%s'\n", s, self_comm);
        fail("another process's name", 0);
    }
    ps_free(s);
    s = NULL;
    C(ps_proc_exe(p, &s));
    ps_free(s);
    s = NULL;
    C(ps_proc_cwd(p, &s));
    ps_free(s);
    s = NULL;
    C(ps_proc_username(p, &s));
    ps_free(s);
    s = NULL;
    C(ps_proc_terminal(p, &s));
    ps_free(s);
    ps_proc_str_list *sl = NULL;
    C(ps_proc_cmdline(p, &sl));
    ps_proc_str_list_free(sl);
    sl = NULL;
    C(ps_proc_cgroup(p, &sl));
    ps_proc_str_list_free(sl);
    ps_proc_environ_list *env = NULL;
    C(ps_proc_environ(p, &env));
    ps_proc_environ_list_free(env);
    ps_proc_ids ids;
    C(ps_proc_uids(p, &ids));
    C(ps_proc_gids(p, &ids));
    int64_t i64;
    if (C(ps_proc_ppid(p, &i64)) == 0 && churn && i64 != self_pid) {
        fprintf(stderr, "stress: churned child ppid %lld != %lld\n", (long long)i64,
                (long long)self_pid);
        fail("another process's ppid", 0);
    }
    ps_proc *parent = NULL;
    C(ps_proc_parent(p, &parent));
    ps_proc_free(parent);
    if (rand_r(seed) % 8 == 0) { /* a full scan: not every time */
        ps_proc_list *kids = NULL;
        C(ps_proc_children(p, rand_r(seed) % 2, &kids));
        ps_proc_list_free(kids);
    }
    int32_t st;
    C(ps_proc_status(p, &st));
    double d;
    C(ps_proc_create_time(p, &d));
    ps_proc_cputimes ct;
    C(ps_proc_cpu_times(p, &ct));
    ps_proc_cpu_sample a, b;
    if (C(ps_proc_cpu_sample_take(p, &a)) == 0 && C(ps_proc_cpu_sample_take(p, &b)) == 0)
        C(ps_proc_cpu_percent(&a, &b, &d));
    int32_t i32;
    C(ps_proc_cpu_num(p, &i32));
    ps_proc_cpu_list *cl = NULL;
    C(ps_proc_cpu_affinity(p, &cl));
    ps_proc_cpu_list_free(cl);
    C(ps_proc_nice(p, &i32));
    int32_t ioc;
    C(ps_proc_ionice(p, &ioc, &i32));
    int64_t soft, hard;
    C(ps_proc_rlimit(p, (ps_rlimit_resource)(rand_r(seed) % 16), &soft, &hard));
    ps_proc_mem mem;
    C(ps_proc_memory_info(p, &mem));
    ps_proc_fullmem fm;
    C(ps_proc_memory_full_info(p, &fm));
    if (rand_r(seed) % 4 == 0) {
        ps_proc_mmap_list *ml = NULL;
        C(ps_proc_memory_maps(p, rand_r(seed) % 2, &ml));
        ps_proc_mmap_list_free(ml);
    }
    ps_proc_pagefaults pf;
    C(ps_proc_page_faults(p, &pf));
    C(ps_proc_num_threads(p, &i64));
    ps_proc_thread_list *tl = NULL;
    C(ps_proc_threads(p, &tl));
    ps_proc_thread_list_free(tl);
    C(ps_proc_num_fds(p, &i64));
    ps_proc_ctxsw cs;
    C(ps_proc_num_ctx_switches(p, &cs));
    ps_proc_io io;
    C(ps_proc_io_counters(p, &io));
    ps_proc_open_file_list *of = NULL;
    C(ps_proc_open_files(p, &of));
    ps_proc_open_file_list_free(of);
    int running;
    C(ps_proc_is_running(p, &running));
    (void)ps_proc_pid(p);
    ps_ptable *t = NULL;
    if (C(ps_proc_snapshot(p, PS_PT_ALL, &t)) == 0 && churn && t->count == 1 &&
        (t->records[0].present & PS_PT_BIT(PS_PT_PPID)) && t->records[0].ppid != self_pid)
        fail("another process's snapshot", 0);
    ps_ptable_free(t);
    if (rand_r(seed) % 4 == 0) {
        ps_connection_list *conns = NULL;
        C(ps_proc_net_connections(p, (ps_conn_kind)(rand_r(seed) % 11), &conns));
        ps_connection_list_free(conns);
    }
    ps_wait_result wr;
    if (p != shared_self && p != shared_parent) C(ps_proc_wait(p, 0.0, &wr));
}

static void system_calls(unsigned *seed)
{
    ps_cputimes t1, t2, tp;
    double d;
    if (C(ps_cpu_times(&t1)) == 0 && C(ps_cpu_times(&t2)) == 0) {
        C(ps_cpu_percent(&t1, &t2, &d));
        C(ps_cpu_times_percent(&t1, &t2, &tp));
    }
    ps_cputimes_list *cl = NULL;
    C(ps_cpu_times_percpu(&cl));
    ps_cputimes_list_free(cl);
    int32_t n;
    C(ps_cpu_count_logical(&n));
    C(ps_cpu_count_physical(&n));
    ps_cpustats cs;
    C(ps_cpu_stats(&cs));
    ps_cpufreq f;
    C(ps_cpu_freq(&f));
    ps_cpufreq_list *fl = NULL;
    C(ps_cpu_freq_percpu(&fl));
    ps_cpufreq_list_free(fl);
    double load[3];
    C(ps_getloadavg(load));
    C(ps_boot_time(&d));
    ps_vmem vm;
    C(ps_virtual_memory(&vm));
    ps_swapmem sm;
    C(ps_swap_memory(&sm));
    ps_disk_partition_list *pl = NULL;
    C(ps_disk_partitions(rand_r(seed) % 2, &pl));
    ps_disk_partition_list_free(pl);
    ps_diskusage du;
    C(ps_disk_usage("/", &du));
    ps_diskio dio;
    C(ps_disk_io_counters(&dio));
    ps_diskio_list *dl = NULL;
    C(ps_disk_io_counters_perdisk(&dl));
    ps_diskio_list_free(dl);
    ps_temperature_list *tl = NULL;
    C(ps_sensors_temperatures(&tl));
    ps_temperature_list_free(tl);
    ps_fan_list *fans = NULL;
    C(ps_sensors_fans(&fans));
    ps_fan_list_free(fans);
    ps_battery bat;
    C(ps_sensors_battery(&bat));
    ps_user_list *ul = NULL;
    C(ps_users(&ul));
    ps_user_list_free(ul);
    ps_cgroup_limits *lim = NULL;
    ps_proc *me = NULL;
    if (C(rand_r(seed) % 2 ? ps_proc_open_self(&me) : ps_proc_open(self_pid, &me)) == 0) {
        C(ps_proc_cgroup_limits(me, &lim));
        ps_cgroup_limits_free(lim);
        C(ps_proc_cpu_count_usable(me, &n));
        ps_proc_free(me);
    }
    C(ps_cpu_count_usable(&n));
}

static void net_calls(unsigned *seed)
{
    ps_netio io;
    C(ps_net_io_counters(&io));
    ps_netio_list *nl = NULL;
    C(ps_net_io_counters_pernic(&nl));
    ps_netio_list_free(nl);
    ps_nic_addr_list *al = NULL;
    C(ps_net_if_addrs(&al));
    ps_nic_addr_list_free(al);
    ps_nic_stats_list *sl = NULL;
    C(ps_net_if_stats(&sl));
    ps_nic_stats_list_free(sl);
    ps_conn_kind k = (ps_conn_kind)(rand_r(seed) % 11);
    int32_t k2;
    if (C(ps_conn_kind_from_name(ps_conn_kind_name(k), &k2)) == 0 && k2 != (int32_t)k)
        fail("conn kind round trip", 0);
    (void)ps_conn_status_name((ps_conn_status)(rand_r(seed) % 15));
    ps_connection_list *cl = NULL;
    C(ps_net_connections(k, &cl));
    ps_connection_list_free(cl);
}

static void table_calls(unsigned *seed)
{
    ps_pid_list *pl = NULL;
    if (C(ps_pids(&pl)) == 0) {
        int exists;
        if (pl->count) C(ps_pid_exists(pl->items[(unsigned)rand_r(seed) % pl->count], &exists));
    }
    ps_pid_list_free(pl);
    int exists;
    C(ps_pid_exists(ring_pick(seed), &exists));
    ps_ptable *t = NULL;
    uint64_t mask = rand_r(seed) % 2 ? PS_PT_ALL : ((uint64_t)rand_r(seed) & PS_PT_ALL);
    C(ps_ptable_scan(mask, rand_r(seed) % 2 ? PS_PT_KEEP_PARTIAL : 0, &t));
    ps_ptable_free(t);
    ps_scan *sc = NULL;
    if (C(ps_scanner_scan(shared_scanner, &sc)) == 0 && sc->table->count > 0) {
        volatile double sink = sc->cpu_percent[(unsigned)rand_r(seed) % sc->table->count];
        (void)sink;
    }
    ps_scan_free(sc);
    ps_scanner_stats st;
    C(ps_scanner_stats_get(shared_scanner, &st));
    (void)ps_ptable_field_name((ps_ptable_field)(rand_r(seed) % 22));
}

/* Random bytes decoded under the shared policy while another thread flips it: the result must
 * be exactly one of the two explicit-policy results. */
static void string_calls(unsigned *seed)
{
    char bytes[32];
    size_t n = (size_t)rand_r(seed) % sizeof bytes;
    for (size_t i = 0; i < n; i++) bytes[i] = (char)(rand_r(seed) & 0xff);
    char *cur = NULL, *esc = NULL, *rep = NULL, *back = NULL;
    size_t lc = 0, le = 0, lr = 0, lb = 0;
    if (C(ps_fsdecode(bytes, n, &cur, &lc)) == 0 &&
        C(ps_fsdecode_policy(bytes, n, PS_ERRORS_SURROGATEESCAPE, &esc, &le)) == 0 &&
        C(ps_fsdecode_policy(bytes, n, PS_ERRORS_REPLACE, &rep, &lr)) == 0) {
        int same_esc = lc == le && memcmp(cur, esc, lc) == 0;
        int same_rep = lc == lr && memcmp(cur, rep, lc) == 0;
        if (!same_esc && !same_rep) fail("ps_fsdecode under a flipping policy: a mix", 0);
        if (C(ps_fsencode(esc, le, &back, &lb)) == 0 && (lb != n || memcmp(back, bytes, n) != 0))
            fail("fsencode round trip", 0);
    }
    ps_free(cur);
    ps_free(esc);
    ps_free(rep);
    ps_free(back);
    uint16_t units[8];
    for (int i = 0; i < 8; i++) units[i] = (uint16_t)rand_r(seed);
    char *u = NULL;
    C(ps_utf16_decode_policy(units, 8, (ps_errors_policy)(rand_r(seed) % 2), &u, NULL));
    ps_free(u);
    char *root = NULL;
    C(ps_get_root((ps_root_kind)(rand_r(seed) % 4), &root));
    ps_free(root);
    (void)ps_version();
    (void)ps_version_number();
    (void)ps_strerror(-(rand_r(seed) % 14));
    (void)ps_err_name(-(rand_r(seed) % 14));
    (void)ps_get_errors_policy();
    (void)ps_default_errors_policy();
    if (rand_r(seed) % 16 == 0) ps_error_clear();
}

/* A churned child of ours: open a handle of our own, read everything, maybe signal it. */
static void churn_calls(unsigned *seed)
{
    int64_t pid = ring_pick(seed);
    if (pid <= 0) return;
    ps_proc *p = NULL;
    if (C(ps_proc_open(pid, &p)) != 0) return;
    /* The PID may already belong to someone else when we opened it: only a handle whose ppid is
     * us is one of ours; the identity checks then apply for the rest of the handle's life. */
    int64_t ppid;
    if (ps_proc_ppid(p, &ppid) == 0 && ppid == self_pid) {
        atomic_fetch_add_explicit(&n_churn_opened, 1, memory_order_relaxed);
        all_getters(p, seed, 1);
        switch (rand_r(seed) % 8) {
        case 0: C(ps_proc_send_signal(p, 0)); break;
        case 1: C(ps_proc_suspend(p)); C(ps_proc_resume(p)); break;
        case 2: C(ps_proc_kill(p)); break;
        case 3: C(ps_proc_terminate(p)); break;
        case 4: C(ps_proc_set_nice(p, 5)); break;
        case 5: {
            int32_t cpu = 0;
            C(ps_proc_set_cpu_affinity(p, &cpu, 1));
            break;
        }
        case 6: C(ps_proc_set_ionice(p, PS_IOPRIO_CLASS_BE, 4)); break;
        case 7: C(ps_proc_set_rlimit(p, PS_RLIMIT_CORE, 0, 0)); break;
        }
        ps_wait_result wr;
        C(ps_proc_wait(p, (rand_r(seed) % 3) * 0.005, &wr));
    }
    ps_proc_free(p);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *worker(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg * 2654435761u;
    ps_proc *own = NULL;
    C(ps_proc_open_self(&own));
    while (!atomic_load(&stop)) {
        switch (rand_r(&seed) % 10) {
        case 0: all_getters(shared_self, &seed, 0); break;
        case 1: all_getters(shared_child, &seed, 0); break;
        case 2: all_getters(shared_parent, &seed, 0); break;
        case 3: if (own) all_getters(own, &seed, 0); break;
        case 4: system_calls(&seed); break;
        case 5: net_calls(&seed); break;
        case 6: table_calls(&seed); break;
        case 7: case 8: churn_calls(&seed); break;
        case 9: string_calls(&seed); break;
        }
        if (rand_r(&seed) % 64 == 0) { /* waits on the shared child from several threads */
            ps_wait_result wr;
            ps_proc *hs[2] = {shared_child, own};
            ps_wait_status ws[2];
            size_t nd;
            C(ps_proc_wait(shared_child, 0.001, &wr)); /* PS_ETIMEDOUT expected */
            C(ps_proc_wait_many(hs, own ? 2 : 1, 0.001, PS_WAIT_ANY, ws, &nd));
        }
    }
    ps_proc_free(own);
    return NULL;
}

/* Flips the process-wide knobs: the string policy, the wait fallback, a root (to itself). */
static void *flipper(void *arg)
{
    (void)arg;
    unsigned seed = 12345;
    while (!atomic_load(&stop)) {
        C(ps_set_errors_policy((ps_errors_policy)(rand_r(&seed) % 2)));
        atomic_fetch_add_explicit(&n_policy_flips, 1, memory_order_relaxed);
        if (rand_r(&seed) % 50 == 0) C(ps__wait_force_fallback(rand_r(&seed) % 2));
        if (rand_r(&seed) % 200 == 0) C(ps_set_root(PS_ROOT_PROC, rand_r(&seed) % 2 ? "/proc" : NULL));
        string_calls(&seed);
    }
    ps_set_errors_policy(ps_default_errors_policy());
    ps__wait_force_fallback(0);
    return NULL;
}

/* Forks children that live 0-20 ms, reaping them through the library. */
static void *churner(void *arg)
{
    (void)arg;
    unsigned seed = 777;
    ps_proc *live[32] = {0};
    while (!atomic_load(&stop)) {
        for (int i = 0; i < 32; i++) {
            if (live[i]) {
                ps_wait_result wr;
                int rc = ps_proc_wait(live[i], 0.0, &wr);
                if (rc == PS_ETIMEDOUT) continue;
                check("churner ps_proc_wait", rc);
                ps_proc_free(live[i]);
                live[i] = NULL;
                pthread_mutex_lock(&ring_lock);
                ring[i] = 0;
                pthread_mutex_unlock(&ring_lock);
            }
            useconds_t us = (useconds_t)(rand_r(&seed) % 20000);
            pid_t pid = fork();
            if (pid == 0) {
                usleep(us);
                _exit((int)(us % 256));
            }
            if (pid < 0) continue;
            atomic_fetch_add_explicit(&n_churned, 1, memory_order_relaxed);
            pthread_mutex_lock(&ring_lock);
            ring[i] = pid;
            pthread_mutex_unlock(&ring_lock);
            if (check("churner ps_proc_open", ps_proc_open(pid, &live[i])) != 0) {
                /* Already reaped by a worker's wait: nothing to keep. */
                live[i] = NULL;
            }
        }
        usleep(2000);
    }
    for (int i = 0; i < 32; i++) {
        if (!live[i]) continue;
        ps_proc_kill(live[i]);
        ps_wait_result wr;
        check("churner final wait", ps_proc_wait(live[i], 5.0, &wr));
        ps_proc_free(live[i]);
    }
    return NULL;
}

int main(void)
{
    const char *e = getenv("STRESS_SECONDS");
    double seconds = e ? atof(e) : 15.0;
    e = getenv("STRESS_THREADS");
    int nthreads = e ? atoi(e) : 16;
    if (nthreads < 3 || nthreads > MAX_THREADS) nthreads = 16;
    /* Children of our children (none expected) and orphans would not be reaped by PID 1 here. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    int fds_before = fdcheck_count();

    self_pid = getpid();
    prctl(PR_GET_NAME, self_comm);
    pid_t child = fork();
    if (child == 0) {
        for (;;) pause();
    }
    if (child < 0 || ps_proc_open_self(&shared_self) || ps_proc_open(child, &shared_child) ||
        ps_proc_open(getppid(), &shared_parent) ||
        ps_scanner_new(PS_PT_BIT(PS_PT_NAME) | PS_PT_BIT(PS_PT_USERNAME) | PS_PT_BIT(PS_PT_MEMORY_INFO) |
                       PS_PT_BIT(PS_PT_CMDLINE), 0, &shared_scanner)) {
        fprintf(stderr, "stress: setup failed\n");
        return 1;
    }

    pthread_t th[MAX_THREADS];
    double t0 = now_s();
    /* Thread 0: the flipper, thread 1: the churner, the rest: workers. */
    pthread_create(&th[0], NULL, flipper, NULL);
    pthread_create(&th[1], NULL, churner, NULL);
    for (int i = 2; i < nthreads; i++) pthread_create(&th[i], NULL, worker, (void *)(uintptr_t)(i + 1));
    while (now_s() - t0 < seconds && !atomic_load(&failed)) usleep(50000);
    atomic_store(&stop, 1);
    for (int i = 0; i < nthreads; i++) pthread_join(th[i], NULL);
    double elapsed = now_s() - t0;

    ps_proc_kill(shared_child);
    ps_wait_result wr;
    int rc = ps_proc_wait(shared_child, 10.0, &wr);
    if (rc != 0 || wr.kind != PS_WAIT_SIGNALED || wr.code != SIGKILL) fail("shared child wait", rc);
    ps_scanner_free(shared_scanner);
    ps_proc_free(shared_child);
    ps_proc_free(shared_self);
    ps_proc_free(shared_parent);
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    int fds_after = fdcheck_count();
    if (fds_after != fds_before) {
        fprintf(stderr, "stress: fds %d before, %d after\n", fds_before, fds_after);
        fail("fd leak", 0);
    }
    printf("stress: %d threads x %.1f s: %ld calls (%ld returned an error code), %ld processes "
           "churned (%ld opened and read), %ld policy flips: %s\n",
           nthreads, elapsed, atomic_load(&n_calls), atomic_load(&n_errors), atomic_load(&n_churned),
           atomic_load(&n_churn_opened), atomic_load(&n_policy_flips),
           atomic_load(&failed) ? "FAILED" : "ok");
    return atomic_load(&failed) ? 1 : 0;
}
