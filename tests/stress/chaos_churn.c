/* SPDX-License-Identifier: MIT */
/*
 * Chaos: table scans, pid listings and waits while thousands of processes are
 * created and destroyed. Two churner threads fork children as fast as they can (each child
 * lives 0-2 ms) and reap them through ps_proc_wait_many; two
 * scanner threads run ps_ptable_scan / ps_pids / ps_pid_exists / ps_proc_snapshot on whatever
 * they see; two waiter threads open handles on the churned children and wait on them with short
 * timeouts. Checks:
 *  - every call returns 0 or a PS_E* code;
 *  - a record of a scan whose ppid is us carries our name (children do not exec): a record
 *    never mixes two processes;
 *  - a snapshot through a handle is of that handle's pid;
 *  - a wait that reports an exit reports the code the child exited with (children exit with
 *    pid % 200, so the code identifies the process) or PS_WAIT_UNKNOWN when another handle
 *    reaped it;
 *  - no fd leaked; the run ends (no hang).
 * Environment: CHAOS_SECONDS (default 10). Prints the number of processes churned.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psinfo.h"
#include "../helpers/fdcheck.h"

#define SLOTS 24

static atomic_int stop, failed;
static atomic_long churned, scans, records_checked, waits_done, snapshots;
static int64_t self_pid;
static char self_comm[32];

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t recent[64];
static unsigned recent_pos;

static void fail(const char *what, int rc)
{
    fprintf(stderr, "chaos: FAILED: %s (rc %d %s)\n", what, rc, ps_err_name(rc));
    atomic_store(&failed, 1);
}

static int ok(const char *what, int rc)
{
    if (rc > 0 || rc < PS_ERANGE) fail(what, rc);
    return rc == 0;
}

static int child_code(pid_t pid) { return (int)(pid % 200); }

static void *churner(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    ps_proc *live[SLOTS] = {0};
    pid_t pids[SLOTS] = {0};
    while (!atomic_load(&stop)) {
        for (int i = 0; i < SLOTS; i++) {
            if (live[i]) continue;
            int mode = rand_r(&seed) % 2;
            pid_t pid = fork();
            if (pid == 0) {
                if (mode == 1) usleep((useconds_t)(rand_r(&seed) % 2000));
                _exit(child_code(getpid()));
            }
            if (pid < 0) break;
            atomic_fetch_add(&churned, 1);
            pthread_mutex_lock(&lock);
            recent[recent_pos++ % 64] = pid;
            pthread_mutex_unlock(&lock);
            pids[i] = pid;
            if (!ok("ps_proc_open(child)", ps_proc_open(pid, &live[i]))) live[i] = NULL;
        }
        ps_wait_status st[SLOTS];
        ps_proc *hs[SLOTS];
        int idx[SLOTS], n = 0;
        for (int i = 0; i < SLOTS; i++)
            if (live[i]) { idx[n] = i; hs[n++] = live[i]; }
        size_t nd = 0;
        if (n && ok("ps_proc_wait_many", ps_proc_wait_many(hs, (size_t)n, 0.01, PS_WAIT_ANY, st, &nd))) {
            for (int k = 0; k < n; k++) {
                if (!st[k].done) continue;
                int i = idx[k];
                const ps_wait_result *r = &st[k].result;
                if (r->kind == PS_WAIT_EXITED && r->code != child_code(pids[i])) fail("exit code of another process", 0);
                if (r->kind == PS_WAIT_SIGNALED) fail("churned child was signaled", 0);
                atomic_fetch_add(&waits_done, 1);
                ps_proc_free(live[i]);
                live[i] = NULL;
            }
        }
    }
    for (int i = 0; i < SLOTS; i++) {
        if (!live[i]) continue;
        ps_wait_result wr;
        ok("final wait", ps_proc_wait(live[i], 10.0, &wr));
        ps_proc_free(live[i]);
    }
    return NULL;
}

static void *scanner(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    while (!atomic_load(&stop)) {
        ps_ptable *t = NULL;
        uint64_t mask = PS_PT_BIT(PS_PT_PPID) | PS_PT_BIT(PS_PT_NAME) | PS_PT_BIT(PS_PT_STATUS) |
                        PS_PT_BIT(PS_PT_CMDLINE) | PS_PT_BIT(PS_PT_MEMORY_INFO);
        if (ok("ps_ptable_scan", ps_ptable_scan(rand_r(&seed) % 3 ? mask : PS_PT_ALL, 0, &t))) {
            atomic_fetch_add(&scans, 1);
            for (size_t i = 0; i < t->count; i++) {
                const ps_ptable_record *r = &t->records[i];
                uint64_t both = PS_PT_BIT(PS_PT_PPID) | PS_PT_BIT(PS_PT_NAME);
                if ((r->present & both) == both && r->ppid == self_pid) {
                    atomic_fetch_add(&records_checked, 1);
                    if (strncmp(r->name, self_comm, strlen(self_comm)) != 0) {
                        fprintf(stderr, "chaos: pid %lld ppid us, name '%s'\n", (long long)r->pid, r->name);
                        fail("a scan record mixing two processes", 0);
                    }
                }
            }
        }
        ps_ptable_free(t);
        ps_pid_list *pl = NULL;
        if (ok("ps_pids", ps_pids(&pl)) && pl->count) {
            int64_t pid = pl->items[(unsigned)rand_r(&seed) % pl->count];
            int exists;
            ok("ps_pid_exists", ps_pid_exists(pid, &exists));
            ps_proc *p = NULL;
            if (ps_proc_open(pid, &p) == 0) {
                ps_ptable *s = NULL;
                if (ok("ps_proc_snapshot", ps_proc_snapshot(p, PS_PT_ALL, &s))) {
                    atomic_fetch_add(&snapshots, 1);
                    if (s->count != 1 || s->records[0].pid != pid) fail("snapshot of another pid", 0);
                }
                ps_ptable_free(s);
                ps_proc_free(p);
            }
        }
        ps_pid_list_free(pl);
    }
    return NULL;
}

static void *waiter(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    while (!atomic_load(&stop)) {
        pthread_mutex_lock(&lock);
        int64_t pid = recent[(unsigned)rand_r(&seed) % 64];
        pthread_mutex_unlock(&lock);
        if (pid <= 0) { usleep(1000); continue; }
        ps_proc *p = NULL;
        if (ps_proc_open(pid, &p) != 0) continue;
        int64_t ppid;
        ps_wait_result wr;
        if (ps_proc_ppid(p, &ppid) == 0 && ppid == self_pid) {
            int rc = ps_proc_wait(p, 0.002, &wr);
            if (ok("ps_proc_wait", rc) && wr.kind == PS_WAIT_EXITED && wr.code != child_code((pid_t)pid))
                fail("waiter: exit code of another process", 0);
        }
        ps_proc_free(p);
    }
    return NULL;
}

int main(void)
{
    const char *e = getenv("CHAOS_SECONDS");
    double seconds = e ? atof(e) : 10.0;
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    self_pid = getpid();
    prctl(PR_GET_NAME, self_comm);
    int fds = fdcheck_count();
    pthread_t th[6];
    pthread_create(&th[0], NULL, churner, (void *)1);
    pthread_create(&th[1], NULL, churner, (void *)2);
    pthread_create(&th[2], NULL, scanner, (void *)3);
    pthread_create(&th[3], NULL, scanner, (void *)4);
    pthread_create(&th[4], NULL, waiter, (void *)5);
    pthread_create(&th[5], NULL, waiter, (void *)6);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double el = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (el >= seconds || atomic_load(&failed)) break;
        usleep(500);
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < 6; i++) pthread_join(th[i], NULL);
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    usleep(5000);
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    if (fdcheck_count() != fds) fail("fd leak", 0);
    printf("chaos: %.0f s: %ld processes churned, %ld waits, %ld scans (%ld records of our children "
           "checked), %ld snapshots: %s\n",
           seconds, atomic_load(&churned), atomic_load(&waits_done), atomic_load(&scans),
           atomic_load(&records_checked), atomic_load(&snapshots), atomic_load(&failed) ? "FAILED" : "ok");
    return atomic_load(&failed) ? 1 : 0;
}
