/* SPDX-License-Identifier: MIT */
/* ps_proc_wait_many on Linux: epoll over the handles' pidfds, the hybrid set for handles
 * without one, psutil wait_procs semantics. Children with known fates are the fixtures. */
#include <criterion/criterion.h>

#include "test_wait_util.h"
#include "linux/linux.h"   /* to drop a handle's pidfd, as if pidfd_open had failed at open */
#include "helpers/fdcheck.h"
#include "helpers/vgaware.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(wait_many);

/* The mechanism of an unforced wait: the pidfd path, except under valgrind 3.19, which answers
 * ENOSYS to pidfd_open, so the library (rightly) waits through its fallback. */
static int fast_mech(void)
{
    if (vg_running() && !vg_pidfd_usable()) {
        vg_note("pidfd_open is ENOSYS under valgrind: the fallback mechanism expected");
        return PS_WAIT_MECH_FALLBACK;
    }
    return PS_WAIT_MECH_PIDFD;
}

#define CHECK_FDS_BEGIN int fds_before_ = count_fds()
#define CHECK_FDS_END cr_expect_eq(count_fds(), fds_before_, "fd leak: %d before, %d after", fds_before_, count_fds())

/* How late a loaded machine (CI's 2 cores, 3000 extra processes, parallel suites) may run us:
 * the bounds below check that a call returns at its event, not at its timeout or after a sleep;
 * the latency itself is measured in bench/, not here. */
#define LATE vg_slow(0.5)
#define NONBLOCKING vg_slow(0.1)

Test(wait_many, zero_handles)
{
    size_t nd = 99;
    double t0 = now_s();
    cr_expect_eq(ps_proc_wait_many(NULL, 0, 5.0, PS_WAIT_ALL, NULL, &nd), 0);
    cr_expect_eq(nd, 0);
    cr_expect_lt(now_s() - t0, NONBLOCKING);
}

Test(wait_many, mixed_exited_alive_gone)
{
    CHECK_FDS_BEGIN;
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        pid_t a = spawn_child(0, 1), b = spawn_child(0, -1), c = spawn_child(0, -1);
        ps_proc *p[3];
        cr_assert_eq(ps_proc_open(a, &p[0]), 0);
        cr_assert_eq(ps_proc_open(b, &p[1]), 0);
        cr_assert_eq(ps_proc_open(c, &p[2]), 0);
        kill(c, SIGKILL);
        int c_status = 0;
        waitpid(c, &c_status, 0); /* gone behind the handle's back */
        ps_wait_status st[3];
        size_t nd = 0;
        double t0 = now_s();
        cr_assert_eq(ps_proc_wait_many(p, 3, 0.3, PS_WAIT_ALL, st, &nd), 0);
        double dt = now_s() - t0;
        cr_expect_geq(dt, 0.3);
        cr_expect_lt(dt, 0.3 + LATE);
        cr_expect_eq(nd, 2);
        cr_expect_eq(st[0].done, 1);
        cr_expect_eq(st[0].result.kind, PS_WAIT_EXITED);
        cr_expect_eq(st[0].result.code, 1);
        cr_expect_eq(st[1].done, 0);
        cr_expect_eq(st[1].error, 0);
        cr_expect_eq(st[2].done, 1);
        EXPECT_REAPED_ELSEWHERE(&st[2].result, c_status,
                                !forced && fast_mech() == PS_WAIT_MECH_PIDFD && kernel_keeps_exit_records());
        /* timeout 0: one non-blocking pass, remembered results come back cached */
        t0 = now_s();
        cr_assert_eq(ps_proc_wait_many(p, 3, 0, PS_WAIT_ALL, st, &nd), 0);
        cr_expect_lt(now_s() - t0, NONBLOCKING);
        cr_expect_eq(nd, 2);
        cr_expect_eq(st[0].result.cached, 1);
        cr_expect_eq(st[0].result.code, 1);
        /* ANY: returns at the first exit */
        pid_t d = spawn_child(0.1, 4);
        ps_proc *q[2] = {p[1], NULL};
        cr_assert_eq(ps_proc_open(d, &q[1]), 0);
        t0 = now_s();
        cr_assert_eq(ps_proc_wait_many(q, 2, 5.0, PS_WAIT_ANY, st, &nd), 0);
        dt = now_s() - t0;
        cr_expect_lt(dt, 0.1 + LATE, "ANY took %.3f s of a 5 s timeout", dt);
        cr_expect_eq(nd, 1);
        cr_expect_eq(st[0].done, 0);
        cr_expect_eq(st[1].done, 1);
        cr_expect_eq(st[1].result.code, 4);
        kill(b, SIGKILL);
        ps_wait_result r;
        cr_assert_eq(ps_proc_wait(p[1], 5, &r), 0);
        cr_expect_eq(r.kind, PS_WAIT_SIGNALED);
        for (int i = 0; i < 3; i++) ps_proc_free(p[i]);
        ps_proc_free(q[1]);
    }
    ps__wait_force_fallback(0);
    CHECK_FDS_END;
}

/* N children exiting 10 ms apart: all reported with their codes; about one wake-up per exit. */
Test(wait_many, staggered_exits_wakeups)
{
    CHECK_FDS_BEGIN;
    enum { N = 20 };
    ps_proc *p[N];
    for (int i = 0; i < N; i++) {
        pid_t c = spawn_child(0.05 + 0.01 * i, 30 + i);
        cr_assert_eq(ps_proc_open(c, &p[i]), 0);
    }
    ps_wait_status st[N];
    size_t nd = 0;
    int fast = fast_mech();
    long cs0 = nvcsw_thread();
    cr_assert_eq(ps_proc_wait_many(p, N, 10.0, PS_WAIT_ALL, st, &nd), 0);
    long cs = nvcsw_thread() - cs0;
    cr_expect_eq(nd, N);
    for (int i = 0; i < N; i++) {
        cr_expect_eq(st[i].done, 1);
        cr_expect_eq(st[i].result.kind, PS_WAIT_EXITED);
        cr_expect_eq(st[i].result.code, 30 + i);
        cr_expect_eq(st[i].result.mechanism, fast);
        ps_proc_free(p[i]);
    }
    if (fast == PS_WAIT_MECH_PIDFD)
        cr_expect_leq(cs, N + 4, "%ld voluntary switches for %d exits", cs, N);
    else
        vg_note("wake-ups of an epoll wait (%ld switches: the fallback polls)", cs);
    CHECK_FDS_END;
}

/* Handles without a pidfd join the hybrid set, checked with the backoff between epoll waits. */
Test(wait_many, hybrid_handles_without_pidfd)
{
    CHECK_FDS_BEGIN;
    enum { N = 30 };
    ps_proc *p[N];
    srand(42);
    for (int i = 0; i < N; i++) {
        pid_t c = spawn_child(0.02 + (rand() % 300) / 1000.0, i);
        cr_assert_eq(ps_proc_open(c, &p[i]), 0);
        if (i % 2) {
            if (p[i]->pidfd >= 0) close(p[i]->pidfd); /* none under valgrind: pidfd_open is ENOSYS there */
            p[i]->pidfd = -1;
        }
    }
    ps_wait_status st[N];
    size_t nd = 0;
    int fast = fast_mech();
    cr_assert_eq(ps_proc_wait_many(p, N, 10.0, PS_WAIT_ALL, st, &nd), 0);
    cr_expect_eq(nd, N);
    for (int i = 0; i < N; i++) {
        cr_expect_eq(st[i].done, 1);
        cr_expect_eq(st[i].result.code, i);
        cr_expect_eq(st[i].result.mechanism, (i % 2) ? PS_WAIT_MECH_FALLBACK : fast);
        ps_proc_free(p[i]);
    }
    CHECK_FDS_END;
}

/* More handles than RLIMIT_NOFILE/2 and no fd left for epoll itself: all served by the
 * hybrid path, still complete. */
Test(wait_many, above_half_rlimit_no_epoll_fd)
{
    pid_t s = fork();
    if (s == 0) {
        enum { N = 40 };
        ps_proc *p[N];
        for (int i = 0; i < N; i++) {
            pid_t c = spawn_child(0.05 + 0.005 * i, 100 + i);
            if (ps_proc_open(c, &p[i]) != 0) _exit(2);
            if (i % 2 == 0) { /* half opened without a pidfd (EMFILE at open) */
                if (p[i]->pidfd >= 0) close(p[i]->pidfd); /* none under valgrind: pidfd_open is ENOSYS there */
                p[i]->pidfd = -1;
            }
        }
        int used = count_fds();
        struct rlimit rl;
        getrlimit(RLIMIT_NOFILE, &rl);
        rl.rlim_cur = (rlim_t)used;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) _exit(3);
        while (dup(0) >= 0) {} /* fill whatever is left */
        if ((rlim_t)N <= rl.rlim_cur / 2) _exit(4);
        ps_wait_status st[N];
        size_t nd = 0;
        if (ps_proc_wait_many(p, N, 10.0, PS_WAIT_ALL, st, &nd) != 0) _exit(5);
        if (nd != N) _exit(6);
        for (int i = 0; i < N; i++)
            if (!st[i].done || st[i].result.code != 100 + i) _exit(7);
        _exit(0);
    }
    int status;
    waitpid(s, &status, 0);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "sub status %d", status);
}

/* A non-child in the set: done once its parent reaps it (not at its exit). */
Test(wait_many, non_child_member)
{
    CHECK_FDS_BEGIN;
    int go[2], info[2];
    cr_assert_eq(pipe(go), 0);
    cr_assert_eq(pipe(info), 0);
    pid_t mid = fork();
    if (mid == 0) {
        close(go[1]);
        pid_t g = fork();
        if (g == 0) {
            char b;
            while (read(go[0], &b, 1) < 0 && errno == EINTR) {}
            _exit(0);
        }
        if (write(info[1], &g, sizeof g) != sizeof g) _exit(1);
        sleep_s(0.4); /* the grandchild stays a zombie this long */
        waitpid(g, NULL, 0);
        _exit(0);
    }
    close(go[0]);
    close(info[1]);
    pid_t g;
    cr_assert_eq(read(info[0], &g, sizeof g), (ssize_t)sizeof g);
    close(info[0]);
    ps_proc *p;
    cr_assert_eq(ps_proc_open(g, &p), 0);
    close(go[1]); /* grandchild exits now, reaped at ~0.4 s */
    ps_wait_status st[1];
    size_t nd;
    cr_assert_eq(ps_proc_wait_many(&p, 1, 0.15, PS_WAIT_ALL, st, &nd), 0);
    cr_expect_eq(nd, 0, "a non-child zombie counts as alive");
    cr_assert_eq(ps_proc_wait_many(&p, 1, 5.0, PS_WAIT_ALL, st, &nd), 0);
    cr_expect_eq(nd, 1);
    EXPECT_REAPED_ELSEWHERE(&st[0].result, 0 /* the wait status of _exit(0) */,
                            fast_mech() == PS_WAIT_MECH_PIDFD && kernel_keeps_exit_records());
    ps_proc_free(p);
    waitpid(mid, NULL, 0);
    CHECK_FDS_END;
}

/* timeout 0 is one non-blocking pass that still sees processes that have already exited,
 * through epoll and through the hybrid set alike. */
Test(wait_many, timeout_zero_sees_exited)
{
    CHECK_FDS_BEGIN;
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        pid_t a = spawn_child(0, 11), b = spawn_child(0, -1), c = spawn_child(0, 12);
        ps_proc *p[3];
        cr_assert_eq(ps_proc_open(a, &p[0]), 0);
        cr_assert_eq(ps_proc_open(b, &p[1]), 0);
        cr_assert_eq(ps_proc_open(c, &p[2]), 0);
        if (p[2]->pidfd >= 0) close(p[2]->pidfd); /* none under valgrind: pidfd_open is ENOSYS there */
        p[2]->pidfd = -1;
        cr_assert(wait_zombie(a));
        cr_assert(wait_zombie(c));
        ps_wait_status st[3];
        size_t nd = 0;
        double t0 = now_s();
        cr_assert_eq(ps_proc_wait_many(p, 3, 0, PS_WAIT_ALL, st, &nd), 0);
        cr_expect_lt(now_s() - t0, NONBLOCKING);
        cr_expect_eq(nd, 2);
        cr_expect_eq(st[0].done, 1);
        cr_expect_eq(st[0].result.code, 11);
        cr_expect_eq(st[0].result.cached, 0);
        cr_expect_eq(st[1].done, 0);
        cr_expect_eq(st[2].done, 1);
        cr_expect_eq(st[2].result.code, 12);
        kill(b, SIGKILL);
        ps_wait_result r;
        cr_assert_eq(ps_proc_wait(p[1], 5, &r), 0);
        for (int i = 0; i < 3; i++) ps_proc_free(p[i]);
    }
    ps__wait_force_fallback(0);
    CHECK_FDS_END;
}
