/* SPDX-License-Identifier: MIT */
/* ps_proc_wait on Linux: reference/wait.md §7 cases. Exit codes and signals are fixtures
 * (children with known fates); /proc/<pid>/stat and waitpid are the oracles for states. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <float.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "test_wait_util.h"
#include "linux/linux.h"   /* the handle's pidfd, to simulate handles opened without one */
#include "helpers/fdcheck.h"
#include "helpers/vgaware.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(wait);

/* seccomp filters below name the syscalls of this architecture */
#if defined(__x86_64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_I386
#endif
#ifndef SYS_poll
#define SYS_poll SYS_ppoll
#endif
#ifndef SYS_epoll_create
#define SYS_epoll_create SYS_epoll_create1
#endif
#ifndef SYS_epoll_wait
#define SYS_epoll_wait SYS_epoll_pwait
#endif

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

/* Wait on a fresh child with a known fate; return the result. */
static ps_wait_result wait_child_fate(double delay, int code, int sig, int expect_mech)
{
    pid_t c = spawn_child(delay, code);
    cr_assert(c > 0);
    ps_proc *p;
    cr_assert_eq(ps_proc_open(c, &p), 0);
    if (sig) {
        sleep_s(0.02);
        kill(c, sig);
    }
    ps_wait_result r;
    memset(&r, 0x55, sizeof r);
    cr_assert_eq(ps_proc_wait(p, 10.0, &r), 0);
    cr_expect_eq(r.pid, c);
    cr_expect_eq(r.cached, 0);
    cr_expect_eq(r.mechanism, expect_mech, "mechanism %d, expected %d", r.mechanism, expect_mech);
    /* The child was reaped by the wait: waitpid must not find it any more. */
    cr_expect_eq(waitpid(c, NULL, WNOHANG), -1);
    cr_expect_eq(errno, ECHILD);
    /* Waiting again gives the remembered result. */
    ps_wait_result again;
    cr_assert_eq(ps_proc_wait(p, 0, &again), 0);
    cr_expect_eq(again.kind, r.kind);
    cr_expect_eq(again.code, r.code);
    cr_expect_eq(again.cached, 1);
    ps_proc_free(p);
    return r;
}

static void check_codes(int mech)
{
    CHECK_FDS_BEGIN;
    ps_wait_result r = wait_child_fate(0.05, 0, 0, mech);
    cr_expect_eq(r.kind, PS_WAIT_EXITED);
    cr_expect_eq(r.code, 0);
    cr_expect_eq(r.returncode, 0);
    r = wait_child_fate(0.05, 5, 0, mech);
    cr_expect_eq(r.kind, PS_WAIT_EXITED);
    cr_expect_eq(r.code, 5);
    cr_expect_eq(r.returncode, 5);
    int sigs[] = {SIGTERM, SIGKILL, SIGABRT};
    for (int i = 0; i < 3; i++) {
        r = wait_child_fate(0, -1, sigs[i], mech);
        cr_expect_eq(r.kind, PS_WAIT_SIGNALED);
        cr_expect_eq(r.code, sigs[i]);
        cr_expect_eq(r.returncode, -sigs[i]);
        cr_expect_eq(r.core_dumped, 0); /* RLIMIT_CORE 0 in the child */
    }
    CHECK_FDS_END;
}

Test(wait, exit_codes_and_signals)
{
    check_codes(fast_mech());
}

Test(wait, exit_codes_and_signals_forced_fallback)
{
    cr_assert_eq(ps__wait_force_fallback(1), 0);
    check_codes(PS_WAIT_MECH_FALLBACK);
    cr_assert_eq(ps__wait_force_fallback(0), 0);
    cr_expect_eq(ps__wait_force_fallback(2), PS_EINVAL);
}

Test(wait, already_zombie)
{
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        pid_t c = spawn_child(0, 3);
        ps_proc *p;
        cr_assert_eq(ps_proc_open(c, &p), 0);
        cr_assert(wait_zombie(c));
        ps_wait_result r;
        double t0 = now_s();
        cr_assert_eq(ps_proc_wait(p, 0, &r), 0);
        cr_expect_lt(now_s() - t0, 0.05);
        cr_expect_eq(r.kind, PS_WAIT_EXITED);
        cr_expect_eq(r.code, 3);
        cr_expect_eq(proc_state(c), '?'); /* reaped */
        ps_proc_free(p);
    }
    ps__wait_force_fallback(0);
}

Test(wait, already_reaped_and_never_existed)
{
    CHECK_FDS_BEGIN;
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        pid_t c = spawn_child(0, 4);
        ps_proc *p;
        cr_assert_eq(ps_proc_open(c, &p), 0);
        int st;
        cr_assert_eq(waitpid(c, &st, 0), c); /* reaped by us, behind the handle's back */
        ps_wait_result r;
        double t0 = now_s();
        cr_assert_eq(ps_proc_wait(p, 5.0, &r), 0);
        cr_expect_lt(now_s() - t0, 0.05);
        /* The handle's pidfd was open at the reap: the kernel kept the status for it. */
        EXPECT_REAPED_ELSEWHERE(&r, st, !forced && kernel_keeps_exit_records());
        ps_proc_free(p);
    }
    ps__wait_force_fallback(0);
    /* Never existed: no handle can be opened, so there is nothing to wait on. */
    ps_proc *p;
    cr_expect_eq(ps_proc_open(INT_MAX, &p), PS_ENOPROC);
    CHECK_FDS_END;
}

/* An intermediate child forks a grandchild; the grandchild meets its fate when the test
 * writes to `go` (FATE_EXIT9 or EOF: _exit(9); FATE_ABORT: abort() with core dumps allowed, in
 * family_core_dir); the intermediate reaps it when `reap` gets a byte (reap_at_once: right
 * away) and sends the test the status its waitpid got: the oracle of every non-child result. */
struct family {
    pid_t mid, grand;
    int go_w, reap_w, status_r;
};
#define FATE_EXIT9 "x"
#define FATE_ABORT "a"
static char family_core_dir[256];

static void grandchild_fate(int go_r)
{
    char b = 'x';
    while (read(go_r, &b, 1) < 0 && errno == EINTR) {}
    if (b == 'a' && family_core_dir[0] && chdir(family_core_dir) == 0) {
        struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
        setrlimit(RLIMIT_CORE, &rl);
        signal(SIGABRT, SIG_DFL);
        abort();
    }
    _exit(9);
}

static struct family make_family(int reap_at_once)
{
    int go[2], reap[2], info[2], status[2];
    cr_assert_eq(pipe(go), 0);
    cr_assert_eq(pipe(reap), 0);
    cr_assert_eq(pipe(info), 0);
    cr_assert_eq(pipe(status), 0);
    struct family f;
    f.mid = fork();
    if (f.mid == 0) {
        close(go[1]);
        close(reap[1]);
        close(info[0]);
        close(status[0]);
        pid_t g = fork();
        if (g == 0) grandchild_fate(go[0]);
        close(go[0]);
        if (write(info[1], &g, sizeof g) != sizeof g) _exit(1);
        if (!reap_at_once) {
            char b;
            while (read(reap[0], &b, 1) < 0 && errno == EINTR) {}
        }
        int st = 0;
        if (waitpid(g, &st, 0) != g) st = -1;
        if (write(status[1], &st, sizeof st) != sizeof st) _exit(1);
        char b;
        while (read(reap[0], &b, 1) < 0 && errno == EINTR) {} /* stay until told (EOF) */
        _exit(0);
    }
    close(go[0]);
    close(reap[0]);
    close(info[1]);
    close(status[1]);
    cr_assert_eq(read(info[0], &f.grand, sizeof f.grand), (ssize_t)sizeof f.grand);
    close(info[0]);
    f.go_w = go[1];
    f.reap_w = reap[1];
    f.status_r = status[0];
    return f;
}

/* The waitpid status the grandchild's real parent collected (blocks until it has). */
static int family_status(struct family *f)
{
    int st = -1;
    cr_assert_eq(read(f->status_r, &st, sizeof st), (ssize_t)sizeof st);
    cr_assert_neq(st, -1, "the parent could not reap the grandchild");
    return st;
}

static void end_family(struct family *f)
{
    close(f->go_w);
    close(f->reap_w);
    close(f->status_r);
    waitpid(f->mid, NULL, 0);
}

Test(wait, non_child_exit_returns_promptly)
{
    CHECK_FDS_BEGIN;
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        struct family f = make_family(1);
        ps_proc *p;
        cr_assert_eq(ps_proc_open(f.grand, &p), 0);
        ps_wait_result r;
        cr_expect_eq(ps_proc_wait(p, 0.05, &r), PS_ETIMEDOUT);
        sleep_s(0.3); /* let the fallback's backoff grow to its 40 ms cap */
        double t0 = now_s();
        cr_assert_eq(write(f.go_w, "x", 1), 1);
        cr_assert_eq(ps_proc_wait(p, 5.0, &r), 0);
        double dt = now_s() - t0;
        EXPECT_REAPED_ELSEWHERE(&r, family_status(&f), !forced && kernel_keeps_exit_records());
        if (!forced && fast_mech() == PS_WAIT_MECH_PIDFD) {
            cr_expect_lt(dt, vg_slow(0.02), "pidfd path took %.3f s", dt);
            cr_expect_eq(r.mechanism, PS_WAIT_MECH_PIDFD);
        } else {
            cr_expect_lt(dt, vg_slow(0.04 + 0.03), "fallback took %.3f s", dt);
            cr_expect_eq(r.mechanism, PS_WAIT_MECH_FALLBACK);
        }
        ps_proc_free(p);
        end_family(&f);
    }
    ps__wait_force_fallback(0);
    CHECK_FDS_END;
}

/* Documented choice (psutil's): a non-child zombie has not ended until its parent reaps it. */
Test(wait, non_child_zombie_waits_for_reap)
{
    CHECK_FDS_BEGIN;
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        struct family f = make_family(0);
        ps_proc *p;
        cr_assert_eq(ps_proc_open(f.grand, &p), 0);
        cr_assert_eq(write(f.go_w, "x", 1), 1);
        cr_assert(wait_zombie(f.grand));
        ps_wait_result r;
        long cs0 = nvcsw_thread();
        cr_expect_eq(ps_proc_wait(p, 0.001, &r), PS_ETIMEDOUT);
        cr_expect_eq(ps_proc_wait(p, 0.3, &r), PS_ETIMEDOUT);
        long cs = nvcsw_thread() - cs0;
        int fast = !forced && fast_mech() == PS_WAIT_MECH_PIDFD;
        if (fast) cr_expect_leq(cs, 6, "%ld voluntary switches waiting on a zombie", cs);
        else if (!forced) vg_note("context switches of a pidfd wait (%ld: the fallback polls)", cs);
        cr_expect_eq(proc_state(f.grand), 'Z');
        double t0 = now_s();
        cr_assert_eq(write(f.reap_w, "x", 1), 1);
        cr_assert_eq(ps_proc_wait(p, 5.0, &r), 0);
        double dt = now_s() - t0;
        EXPECT_REAPED_ELSEWHERE(&r, family_status(&f), fast && kernel_keeps_exit_records());
        cr_expect_lt(dt, vg_slow(fast ? 0.02 : 0.08), "took %.3f s after the reap", dt);
        ps_proc_free(p);
        end_family(&f);
    }
    ps__wait_force_fallback(0);
    CHECK_FDS_END;
}

Test(wait, timeout_zero_and_bad_timeouts)
{
    CHECK_FDS_BEGIN;
    pid_t c = spawn_child(0, -1);
    ps_proc *p;
    cr_assert_eq(ps_proc_open(c, &p), 0);
    ps_wait_result r;
    double t0 = now_s();
    cr_expect_eq(ps_proc_wait(p, 0, &r), PS_ETIMEDOUT);
    cr_expect_lt(now_s() - t0, vg_slow(0.005));
    cr_expect_eq(ps_proc_wait(p, -0.5, &r), PS_EINVAL);
    cr_expect_eq(ps_proc_wait(p, -2.0, &r), PS_EINVAL);
    cr_expect_eq(ps_proc_wait(p, -INFINITY, &r), PS_EINVAL);
    cr_expect_eq(ps_proc_wait(p, NAN, &r), PS_EINVAL);
    cr_expect_eq(ps_proc_wait(NULL, 0, &r), PS_EINVAL);
    cr_expect_eq(ps_proc_wait(p, 0, NULL), PS_EINVAL);
    ps_wait_status st[1];
    cr_expect_eq(ps_proc_wait_many(&p, 1, NAN, PS_WAIT_ALL, st, NULL), PS_EINVAL);
    cr_expect_eq(ps_proc_wait_many(&p, 1, 0, 7, st, NULL), PS_EINVAL);
    kill(c, SIGKILL);
    cr_expect_eq(ps_proc_wait(p, 5, &r), 0);
    cr_expect_eq(r.kind, PS_WAIT_SIGNALED);
    ps_proc_free(p);
    CHECK_FDS_END;
}

Test(wait, infinite_and_huge_timeouts)
{
    double ts[] = {PS_TIMEOUT_INFINITE, INFINITY, 1e10, 1e300, DBL_MAX, (double)INT_MAX / 1000 + 1, 4.3e6};
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
            pid_t c = spawn_child(0.03, (int)i + 1);
            ps_proc *p;
            cr_assert_eq(ps_proc_open(c, &p), 0);
            ps_wait_result r;
            double t0 = now_s();
            cr_assert_eq(ps_proc_wait(p, ts[i], &r), 0, "timeout %g", ts[i]);
            cr_expect_lt(now_s() - t0, 2.0);
            cr_expect_eq(r.kind, PS_WAIT_EXITED);
            cr_expect_eq(r.code, (int)i + 1);
            ps_proc_free(p);
        }
    }
    ps__wait_force_fallback(0);
}

Test(wait, sub_ms_and_accuracy)
{
    pid_t c = spawn_child(0, -1);
    ps_proc *p;
    cr_assert_eq(ps_proc_open(c, &p), 0);
    ps_wait_result r;
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        double t0 = now_s();
        cr_expect_eq(ps_proc_wait(p, 0.0005, &r), PS_ETIMEDOUT);
        double dt = now_s() - t0;
        cr_expect_geq(dt, 0.0005);
        cr_expect_lt(dt, vg_slow(0.02), "sub-ms wait took %.4f s", dt);
        double want[] = {0.05, 0.5};
        for (int i = 0; i < 2; i++) {
            t0 = now_s();
            cr_expect_eq(ps_proc_wait(p, want[i], &r), PS_ETIMEDOUT);
            dt = now_s() - t0;
            cr_expect_geq(dt, want[i], "%.4f < %.3f", dt, want[i]);
            cr_expect_lt(dt, want[i] + vg_slow(0.05), "%.4f s for a %.3f s timeout", dt, want[i]);
        }
    }
    ps__wait_force_fallback(0);
    kill(c, SIGKILL);
    cr_assert_eq(ps_proc_wait(p, 5, &r), 0);
    ps_proc_free(p);
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static void eintr_case(int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    cr_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval it = {{0, 20000}, {0, 20000}};
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        pid_t c = spawn_child(0, -1);
        ps_proc *p;
        cr_assert_eq(ps_proc_open(c, &p), 0);
        ps_wait_result r;
        alarms = 0;
        setitimer(ITIMER_REAL, &it, NULL);
        double t0 = now_s();
        cr_expect_eq(ps_proc_wait(p, 0.3, &r), PS_ETIMEDOUT);
        double dt = now_s() - t0;
        cr_expect_geq(dt, 0.3);
        cr_expect_lt(dt, 0.3 + vg_slow(0.06), "%.3f s", dt);
        cr_expect_geq(alarms, 5, "only %d alarms", (int)alarms);
        kill(c, SIGKILL);
        cr_expect_eq(ps_proc_wait(p, 5, &r), 0);
        cr_expect_eq(r.kind, PS_WAIT_SIGNALED);
        ps_proc_free(p);
        /* and an exit during the interrupted wait is still seen */
        c = spawn_child(0.15, 12);
        cr_assert_eq(ps_proc_open(c, &p), 0);
        cr_expect_eq(ps_proc_wait(p, 5, &r), 0);
        cr_expect_eq(r.code, 12);
        ps_proc_free(p);
        struct itimerval off = {{0, 0}, {0, 0}};
        setitimer(ITIMER_REAL, &off, NULL);
    }
    ps__wait_force_fallback(0);
    signal(SIGALRM, SIG_DFL);
}

Test(wait, eintr_without_sa_restart)
{
    eintr_case(0);
}

Test(wait, eintr_with_sa_restart)
{
    eintr_case(SA_RESTART);
}

Test(wait, stopped_and_continued)
{
    pid_t c = spawn_child(0, -1);
    ps_proc *p;
    cr_assert_eq(ps_proc_open(c, &p), 0);
    ps_wait_result r;
    kill(c, SIGSTOP);
    for (int i = 0; i < 1000 && proc_state(c) != 'T'; i++) sleep_s(0.001);
    cr_expect_eq(proc_state(c), 'T');
    cr_expect_eq(ps_proc_wait(p, 0.1, &r), PS_ETIMEDOUT);
    kill(c, SIGCONT);
    cr_expect_eq(ps_proc_wait(p, 0.1, &r), PS_ETIMEDOUT);
    kill(c, SIGTERM);
    cr_assert_eq(ps_proc_wait(p, 5, &r), 0);
    cr_expect_eq(r.kind, PS_WAIT_SIGNALED);
    cr_expect_eq(r.returncode, -SIGTERM);
    ps_proc_free(p);
}

Test(wait, self_times_out)
{
    ps_proc *p;
    cr_assert_eq(ps_proc_open_self(&p), 0);
    ps_wait_result r;
    double t0 = now_s();
    cr_expect_eq(ps_proc_wait(p, 0.1, &r), PS_ETIMEDOUT);
    cr_expect_geq(now_s() - t0, 0.1);
    ps_proc_free(p);
}

/* SIGCHLD ignored: the kernel reaps the child itself (waitid says ECHILD); its exit record
 * still reaches the handle's pidfd. */
Test(wait, sigchld_ignored_children_are_reaped_by_the_kernel)
{
    signal(SIGCHLD, SIG_IGN);
    pid_t c = spawn_child(0.05, 6);
    ps_proc *p;
    cr_assert_eq(ps_proc_open(c, &p), 0);
    ps_wait_result r;
    cr_assert_eq(ps_proc_wait(p, 5, &r), 0);
    EXPECT_REAPED_ELSEWHERE(&r, 6 << 8 /* the wait status of _exit(6) */,
                            fast_mech() == PS_WAIT_MECH_PIDFD && kernel_keeps_exit_records());
    ps_proc_free(p);
    signal(SIGCHLD, SIG_DFL);
}

/* Voluntary context switches over a 2 s wait on a live process: a busy loop would do ~60. */
Test(wait, context_switch_budget)
{
    pid_t c = spawn_child(0, -1);
    ps_proc *p;
    cr_assert_eq(ps_proc_open(c, &p), 0);
    ps_wait_result r;
    long cs0 = nvcsw_thread();
    cr_expect_eq(ps_proc_wait(p, 2.0, &r), PS_ETIMEDOUT);
    long cs = nvcsw_thread() - cs0;
    if (fast_mech() == PS_WAIT_MECH_PIDFD)
        cr_expect_leq(cs, 5, "%ld voluntary context switches in a 2 s wait", cs);
    else
        vg_note("context switches of a pidfd wait (%ld: the fallback polls)", cs);
    kill(c, SIGKILL);
    cr_assert_eq(ps_proc_wait(p, 5, &r), 0);
    ps_proc_free(p);
}

/* ---- seccomp and fd exhaustion: in a forked sub-process that reports by exit status ---- */

#define SUB_CHECK(cond) do { if (!(cond)) { fprintf(stderr, "sub check failed line %d: %s\n", __LINE__, #cond); _exit(__LINE__ % 250 + 1); } } while (0)

static int run_sub(void (*fn)(int), int arg)
{
    pid_t s = fork();
    if (s == 0) {
        fn(arg);
        _exit(0);
    }
    int st;
    waitpid(s, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

static void sub_expect_fallback_results(void)
{
    int fds0 = count_fds();
    pid_t c = spawn_child(0.05, 7);
    ps_proc *p;
    SUB_CHECK(ps_proc_open(c, &p) == 0);
    ps_wait_result r;
    SUB_CHECK(ps_proc_wait(p, 0, &r) == PS_ETIMEDOUT);
    SUB_CHECK(ps_proc_wait(p, 10, &r) == 0);
    SUB_CHECK(r.kind == PS_WAIT_EXITED && r.code == 7);
    SUB_CHECK(r.mechanism == PS_WAIT_MECH_FALLBACK);
    ps_proc_free(p);
    c = spawn_child(0, -1);
    SUB_CHECK(ps_proc_open(c, &p) == 0);
    kill(c, SIGTERM);
    SUB_CHECK(ps_proc_wait(p, 10, &r) == 0);
    SUB_CHECK(r.kind == PS_WAIT_SIGNALED && r.code == SIGTERM);
    ps_proc_free(p);
    SUB_CHECK(count_fds() == fds0);
}

static void sub_seccomp(int err)
{
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEST_AUDIT_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 434 /* pidfd_open */, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)err & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {(unsigned short)(sizeof f / sizeof f[0]), f};
    SUB_CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
    SUB_CHECK(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0);
    int under_vg = vg_running();
    SUB_CHECK(syscall(434, getpid(), 0) == -1 && (errno == err || (under_vg && errno == ENOSYS)));
    if (under_vg && err != ENOSYS) vg_note("valgrind answers pidfd_open itself (ENOSYS), not the filter's errno %d", err);
    sub_expect_fallback_results();
    sub_expect_fallback_results(); /* the second time the block is already remembered */
}

Test(wait, seccomp_enosys_falls_back)
{
    cr_expect_eq(run_sub(sub_seccomp, ENOSYS), 0);
}

Test(wait, seccomp_eperm_falls_back)
{
    cr_expect_eq(run_sub(sub_seccomp, EPERM), 0);
}

static void sub_nofile(int unused)
{
    (void)unused;
    int fast = fast_mech();
    /* Handles opened, then the fd table filled: a handle without a pidfd must still wait. */
    pid_t c = spawn_child(0.1, 8);
    ps_proc *p;
    SUB_CHECK(ps_proc_open(c, &p) == 0);
    if (p->pidfd >= 0) close(p->pidfd); /* none under valgrind: pidfd_open is ENOSYS there */
    p->pidfd = -1; /* as if pidfd_open had failed with EMFILE at open */
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = 64;
    SUB_CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
    int filled = 0;
    while (dup(0) >= 0) filled++;
    SUB_CHECK(errno == EMFILE);
    SUB_CHECK(ps__pidfd_open(getpid(), 0) < 0 && (errno == EMFILE || (fast != PS_WAIT_MECH_PIDFD && errno == ENOSYS)));
    ps_wait_result r;
    SUB_CHECK(ps_proc_wait(p, 10, &r) == 0);
    SUB_CHECK(r.kind == PS_WAIT_EXITED && r.code == 8);
    SUB_CHECK(r.mechanism == PS_WAIT_MECH_FALLBACK);
    ps_proc_free(p);
    /* EMFILE is transient: not remembered as a block. One fd free again → fast path. */
    close(63);
    close(62);
    close(61);
    c = spawn_child(0.05, 9);
    SUB_CHECK(ps_proc_open(c, &p) == 0);
    SUB_CHECK(ps_proc_wait(p, 10, &r) == 0);
    SUB_CHECK(r.code == 9 && r.mechanism == fast);
    ps_proc_free(p);
}

Test(wait, rlimit_nofile_exhausted_falls_back)
{
    cr_expect_eq(run_sub(sub_nofile, 0), 0);
}

/* ---- PID reuse: the handle must never report (or reap) the newcomer ---- */

static int set_last_pid(pid_t v)
{
    int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
    if (fd < 0) return -1;
    char b[32];
    int n = snprintf(b, sizeof b, "%d", (int)v);
    int ok = write(fd, b, (size_t)n) == n;
    close(fd);
    return ok ? 0 : -1;
}

Test(wait, pid_reuse_is_not_confused)
{
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        pid_t newcomer = -1, old = -1;
        int old_status = 0;
        ps_proc *p = NULL;
        for (int attempt = 0; attempt < 50 && newcomer < 0; attempt++) {
            old = spawn_child(0, -1);
            cr_assert_eq(ps_proc_open(old, &p), 0);
            kill(old, SIGKILL);
            waitpid(old, &old_status, 0); /* reaped behind the handle's back: the number is free */
            if (set_last_pid(old - 1) < 0) cr_skip_test("ns_last_pid not writable");
            pid_t n = spawn_child(0, -1);
            if (n == old) {
                newcomer = n;
                break;
            }
            kill(n, SIGKILL);
            waitpid(n, NULL, 0);
            ps_proc_free(p);
            p = NULL;
        }
        cr_assert_eq(newcomer, old, "could not recycle the PID (other processes forking)");
        ps_wait_result r;
        cr_assert_eq(ps_proc_wait(p, 1.0, &r), 0);
        /* The old process's own status (SIGKILL), never the newcomer's. */
        EXPECT_REAPED_ELSEWHERE(&r, old_status,
                                !forced && fast_mech() == PS_WAIT_MECH_PIDFD && kernel_keeps_exit_records());
        /* The newcomer is untouched: still running, still ours to reap. */
        cr_expect_eq(waitpid(newcomer, NULL, WNOHANG), 0);
        cr_expect_neq(proc_state(newcomer), 'Z');
        kill(newcomer, SIGKILL);
        int st;
        cr_expect_eq(waitpid(newcomer, &st, 0), newcomer);
        cr_expect(WIFSIGNALED(st));
        ps_proc_free(p);
    }
    ps__wait_force_fallback(0);
}

/* ---- many threads ---- */

struct thr_arg {
    ps_proc *p;
    ps_wait_result r;
    int rc;
};

static void *thr_wait(void *a)
{
    struct thr_arg *t = a;
    t->rc = ps_proc_wait(t->p, 10.0, &t->r);
    return NULL;
}

Test(wait, eight_threads_one_handle)
{
    CHECK_FDS_BEGIN;
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        pid_t c = spawn_child(0.2, 21);
        ps_proc *p;
        cr_assert_eq(ps_proc_open(c, &p), 0);
        pthread_t th[8];
        struct thr_arg a[8];
        for (int i = 0; i < 8; i++) {
            a[i].p = p;
            pthread_create(&th[i], NULL, thr_wait, &a[i]);
        }
        int fresh = 0;
        for (int i = 0; i < 8; i++) {
            pthread_join(th[i], NULL);
            cr_expect_eq(a[i].rc, 0);
            cr_expect_eq(a[i].r.kind, PS_WAIT_EXITED);
            cr_expect_eq(a[i].r.code, 21);
            fresh += !a[i].r.cached;
        }
        cr_expect_eq(fresh, 1, "%d threads reaped", fresh);
        ps_proc_free(p);
    }
    ps__wait_force_fallback(0);
    CHECK_FDS_END;
}

Test(wait, eight_threads_eight_handles)
{
    CHECK_FDS_BEGIN;
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        pid_t c = spawn_child(0.2, 22);
        pthread_t th[8];
        struct thr_arg a[8];
        for (int i = 0; i < 8; i++) cr_assert_eq(ps_proc_open(c, &a[i].p), 0);
        for (int i = 0; i < 8; i++) pthread_create(&th[i], NULL, thr_wait, &a[i]);
        /* One handle reaps; the seven others learn the status from the kernel's exit record
         * on their own pidfds where it keeps one, else it is unknown to them. */
        int records = !forced && fast_mech() == PS_WAIT_MECH_PIDFD && kernel_keeps_exit_records();
        int reaped = 0, recorded = 0, unknown = 0;
        for (int i = 0; i < 8; i++) {
            pthread_join(th[i], NULL);
            cr_expect_eq(a[i].rc, 0);
            int exited22 = a[i].r.kind == PS_WAIT_EXITED && a[i].r.code == 22;
            if (exited22 && a[i].r.source == PS_WAIT_SOURCE_REAPED) reaped++;
            if (exited22 && a[i].r.source == PS_WAIT_SOURCE_PIDFD_INFO) recorded++;
            if (a[i].r.kind == PS_WAIT_UNKNOWN) unknown++;
            ps_proc_free(a[i].p);
        }
        cr_expect_eq(reaped, 1);
        cr_expect_eq(recorded, records ? 7 : 0);
        cr_expect_eq(unknown, records ? 0 : 7);
    }
    ps__wait_force_fallback(0);
    CHECK_FDS_END;
}

/* ---- permission-less waiter: pidfd needs no permission; the fallback reads kill() EPERM as
 * "alive" ---- */

static void sub_nobody(int target)
{
    SUB_CHECK(setgid(65534) == 0 && setuid(65534) == 0);
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        ps_proc *p;
        SUB_CHECK(ps_proc_open(target, &p) == 0);
        SUB_CHECK(kill(target, 0) == -1 && errno == EPERM);
        ps_wait_result r;
        double t0 = now_s();
        SUB_CHECK(ps_proc_wait(p, 0.1, &r) == PS_ETIMEDOUT);
        SUB_CHECK(now_s() - t0 >= 0.1);
        ps_proc_free(p);
    }
}

Test(wait, permissionless_waiter)
{
    pid_t target = spawn_child(0, -1); /* root-owned */
    cr_expect_eq(run_sub(sub_nobody, target), 0);
    /* and once the target is gone, the unprivileged waiter sees it go */
    kill(target, SIGKILL);
    waitpid(target, NULL, 0);
}

/* ---- a multithreaded target whose leader exits first: not ended until the group is ---- */

/* The thread that outlives the leader ends the group with 17 once the parent writes to the pipe
 * (not after a fixed sleep: under valgrind or load the leader may not even be a zombie by then). */
static int release_fd = -1;

static void *late_exit(void *a)
{
    (void)a;
    char b;
    while (read(release_fd, &b, 1) < 0 && errno == EINTR) {}
    exit(17);
}

Test(wait, leader_exits_before_threads)
{
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        int rel[2];
        cr_assert_eq(pipe(rel), 0);
        pid_t c = fork();
        if (c == 0) {
            close(rel[1]);
            release_fd = rel[0];
            pthread_t t;
            pthread_create(&t, NULL, late_exit, NULL);
            pthread_exit(NULL);
        }
        close(rel[0]);
        ps_proc *p;
        cr_assert_eq(ps_proc_open(c, &p), 0);
        /* the leader is a zombie already, the group is not: the wait must not end */
        for (int i = 0; i < 1000 && proc_state(c) != 'Z'; i++) sleep_s(0.005);
        cr_expect_eq(proc_state(c), 'Z');
        ps_wait_result r;
        cr_expect_eq(ps_proc_wait(p, 0.15, &r), PS_ETIMEDOUT);
        cr_assert_eq(write(rel[1], "x", 1), 1);
        close(rel[1]);
        cr_assert_eq(ps_proc_wait(p, 5, &r), 0);
        cr_expect_eq(r.kind, PS_WAIT_EXITED);
        cr_expect_eq(r.code, 17);
        ps_proc_free(p);
    }
    ps__wait_force_fallback(0);
}

/* ---- many threads, each on its own child: all right, CPU stays near zero ---- */

Test(wait, threads_on_different_children)
{
    CHECK_FDS_BEGIN;
    enum { T = 8 };
    pthread_t th[T];
    struct thr_arg a[T];
    for (int i = 0; i < T; i++) {
        pid_t c = spawn_child(0.3 + 0.02 * i, 40 + i);
        cr_assert_eq(ps_proc_open(c, &a[i].p), 0);
    }
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    for (int i = 0; i < T; i++) pthread_create(&th[i], NULL, thr_wait, &a[i]);
    for (int i = 0; i < T; i++) {
        pthread_join(th[i], NULL);
        cr_expect_eq(a[i].rc, 0);
        cr_expect_eq(a[i].r.code, 40 + i);
        ps_proc_free(a[i].p);
    }
    getrusage(RUSAGE_SELF, &r1);
    double cpu = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec + r1.ru_stime.tv_sec - r0.ru_stime.tv_sec)
               + (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec + r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
    cr_expect_lt(cpu, vg_slow(0.05), "%.4f s CPU for %d waits", cpu, T);
    CHECK_FDS_END;
}

/* ---- the oracle: psutil (python3-psutil) makes the same zombie decision ---- */

static void psutil_wait(pid_t pid, double timeout, char *out, size_t len)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c 'import psutil\n"
             "try:\n print(psutil.Process(%d).wait(timeout=%g))\n"
             "except psutil.TimeoutExpired:\n print(\"timeout\")\n"
             "except psutil.NoSuchProcess:\n print(\"nsp\")'",
             (int)pid, timeout);
    FILE *f = popen(cmd, "r");
    cr_assert(f);
    out[0] = 0;
    if (!fgets(out, (int)len, f)) out[0] = 0;
    pclose(f);
    out[strcspn(out, "\n")] = 0;
}

/* psutil makes the same zombie decision; after the reap it says None where the kernel's exit
 * record lets us give the status. */
Test(wait, psutil_agrees_on_non_child_zombie)
{
    struct family f = make_family(0);
    ps_proc *p;
    cr_assert_eq(ps_proc_open(f.grand, &p), 0);
    cr_assert_eq(write(f.go_w, "x", 1), 1);
    cr_assert(wait_zombie(f.grand));
    char got[64];
    psutil_wait(f.grand, 0.3, got, sizeof got);
    ps_wait_result r;
    cr_expect_str_eq(got, "timeout");
    cr_expect_eq(ps_proc_wait(p, 0.3, &r), PS_ETIMEDOUT);
    /* After the reap psutil says None (gone, status unknown; it needs the PID, which is gone,
     * hence NoSuchProcess or None); we give the status where the kernel kept it. */
    cr_assert_eq(write(f.reap_w, "x", 1), 1);
    cr_assert_eq(ps_proc_wait(p, 5, &r), 0);
    EXPECT_REAPED_ELSEWHERE(&r, family_status(&f),
                            fast_mech() == PS_WAIT_MECH_PIDFD && kernel_keeps_exit_records());
    psutil_wait(f.grand, 0.3, got, sizeof got);
    cr_expect(strcmp(got, "None") == 0 || strcmp(got, "nsp") == 0, "psutil: %s", got);
    ps_proc_free(p);
    end_family(&f);
}

Test(wait, psutil_agrees_on_non_child_exit)
{
    struct family f = make_family(1);
    ps_proc *p;
    cr_assert_eq(ps_proc_open(f.grand, &p), 0);
    /* psutil waits in a python3 child of ours while the grandchild exits and is reaped */
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c 'import psutil,sys\np=psutil.Process(%d)\nsys.stdout.write(\"ready\\n\"); sys.stdout.flush()\nprint(p.wait(timeout=10))'",
             (int)f.grand);
    FILE *py = popen(cmd, "r");
    cr_assert(py);
    char got[64] = "";
    cr_assert(fgets(got, sizeof got, py));
    cr_assert_eq(write(f.go_w, "x", 1), 1);
    ps_wait_result r;
    cr_assert_eq(ps_proc_wait(p, 10, &r), 0);
    EXPECT_REAPED_ELSEWHERE(&r, family_status(&f),
                            fast_mech() == PS_WAIT_MECH_PIDFD && kernel_keeps_exit_records());
    got[0] = 0;
    if (!fgets(got, sizeof got, py)) got[0] = 0;
    got[strcspn(got, "\n")] = 0;
    pclose(py);
    cr_expect_str_eq(got, "None", "psutil wait() on the non-child said %s", got);
    ps_proc_free(p);
    end_family(&f);
}

/* ---- injected failures of each fast-path call (seccomp RET_ERRNO in a sub-process): every
 * one must end in the fallback with the same results, no crash, no fd leak ---- */

struct inject {
    const char *name;
    int nrs[4];
    int nnr;
    int err;
    int expect_mech;    /* mechanism of a single wait */
};

static const struct inject injects[] = {
    {"pidfd_open ESRCH", {434}, 1, ESRCH, PS_WAIT_MECH_FALLBACK},
    {"pidfd_open EMFILE", {434}, 1, EMFILE, PS_WAIT_MECH_FALLBACK},
    {"pidfd_open ENFILE", {434}, 1, ENFILE, PS_WAIT_MECH_FALLBACK},
    {"pidfd_open ENODEV", {434}, 1, ENODEV, PS_WAIT_MECH_FALLBACK},
    {"pidfd_open ENOMEM", {434}, 1, ENOMEM, PS_WAIT_MECH_FALLBACK},
    {"pidfd_open EINVAL", {434}, 1, EINVAL, PS_WAIT_MECH_FALLBACK},
    {"poll ENOMEM", {SYS_poll, SYS_ppoll}, 2, ENOMEM, PS_WAIT_MECH_FALLBACK},
    {"poll EBADF", {SYS_poll, SYS_ppoll}, 2, EBADF, PS_WAIT_MECH_FALLBACK},
    {"waitid EINVAL (no P_PIDFD)", {SYS_waitid}, 1, EINVAL, PS_WAIT_MECH_FALLBACK},
    {"epoll_create1 EMFILE", {SYS_epoll_create1, SYS_epoll_create}, 2, EMFILE, PS_WAIT_MECH_PIDFD},
    {"epoll_wait EBADF", {SYS_epoll_wait, SYS_epoll_pwait, 441}, 3, EBADF, PS_WAIT_MECH_PIDFD},
    {"epoll_ctl ENOSPC", {SYS_epoll_ctl}, 1, ENOSPC, PS_WAIT_MECH_PIDFD},
};

static void install_errno_filter(const struct inject *in)
{
    struct sock_filter f[16];
    int k = 0;
    f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEST_AUDIT_ARCH, 1, 0);
    f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    for (int i = 0; i < in->nnr; i++) {
        /* match → jump to the ERRNO return after the remaining checks and the ALLOW */
        int to_errno = (in->nnr - 1 - i) + 1;
        f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)in->nrs[i], (unsigned char)to_errno, 0);
    }
    f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)in->err & SECCOMP_RET_DATA));
    struct sock_fprog prog = {(unsigned short)k, f};
    SUB_CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
    SUB_CHECK(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0);
}

static void sub_inject(int which)
{
    const struct inject *in = &injects[which];
    /* Under valgrind 3.19 pidfd_open is ENOSYS (answered by valgrind, before any filter), so
     * no pidfd path is taken at all: every wait is the fallback's, and the results must still
     * be right. */
    int fast = fast_mech();
    int expect_mech = fast == PS_WAIT_MECH_PIDFD ? in->expect_mech : PS_WAIT_MECH_FALLBACK;
    /* handles opened before the filter, so their pidfds exist (pidfd_open cases: dropped) */
    pid_t a = spawn_child(0.05, 7), b = spawn_child(0, -1);
    pid_t m[3] = {spawn_child(0.03, 1), spawn_child(0.06, 2), spawn_child(0.09, 3)};
    ps_proc *pa, *pb, *pm[3];
    SUB_CHECK(ps_proc_open(a, &pa) == 0);
    SUB_CHECK(ps_proc_open(b, &pb) == 0);
    for (int i = 0; i < 3; i++) SUB_CHECK(ps_proc_open(m[i], &pm[i]) == 0);
    if (in->nrs[0] == 434) {
        if (pa->pidfd >= 0) close(pa->pidfd); /* none under valgrind: pidfd_open is ENOSYS there */
        pa->pidfd = -1;
        if (pb->pidfd >= 0) close(pb->pidfd); /* none under valgrind: pidfd_open is ENOSYS there */
        pb->pidfd = -1;
    }
    int fds0 = count_fds();
    install_errno_filter(in);
    /* The injection is in force. Pointer arguments point at a buffer (waitid's infop,
     * epoll_ctl's event), so that valgrind's checks of the call's arguments do not fire. */
    static char buf[256];
    for (int i = 0; i < in->nnr; i++) {
        long a2 = in->nrs[i] == SYS_waitid ? (long)buf : 0L, a3 = in->nrs[i] == SYS_epoll_ctl ? (long)buf : 0L;
        long rc = syscall(in->nrs[i], 0L, 0L, a2, a3, 0L, 0L);
        int e = errno;
        if (rc == -1 && e == ENOSYS && in->err != ENOSYS && vg_running()) {
            /* valgrind 3.19 answers the syscalls it does not know (pidfd_open, epoll_pwait2)
             * itself, before the filter sees them */
            vg_note("%s: syscall %d is ENOSYS under valgrind, not the filter's errno", in->name, in->nrs[i]);
        } else {
            SUB_CHECK(rc == -1 && e == in->err);
        }
    }
    ps_wait_result r;
    SUB_CHECK(ps_proc_wait(pa, 10, &r) == 0);
    SUB_CHECK(r.kind == PS_WAIT_EXITED && r.code == 7);
    if (r.mechanism != expect_mech) {
        fprintf(stderr, "%s: mechanism %d\n", in->name, r.mechanism);
        _exit(200);
    }
    SUB_CHECK(ps_proc_wait(pb, 0.05, &r) == PS_ETIMEDOUT);
    kill(b, SIGTERM);
    SUB_CHECK(ps_proc_wait(pb, 10, &r) == 0);
    SUB_CHECK(r.kind == PS_WAIT_SIGNALED && r.code == SIGTERM);
    ps_wait_status st[3];
    size_t nd = 0;
    SUB_CHECK(ps_proc_wait_many(pm, 3, 10, PS_WAIT_ALL, st, &nd) == 0);
    SUB_CHECK(nd == 3);
    for (int i = 0; i < 3; i++) SUB_CHECK(st[i].done && st[i].result.code == i + 1);
    SUB_CHECK(count_fds() == fds0);
    /* freed, so that valgrind's leak check of this sub-process stays meaningful */
    ps_proc_free(pa);
    ps_proc_free(pb);
    for (int i = 0; i < 3; i++) ps_proc_free(pm[i]);
}

Test(wait, injected_failures_fall_back)
{
    for (size_t i = 0; i < sizeof injects / sizeof injects[0]; i++) {
        int rc = run_sub(sub_inject, (int)i);
        cr_expect_eq(rc, 0, "%s: sub-process status %d", injects[i].name, rc);
    }
}

/* PSINFO_WAIT_FORCE_FALLBACK=1, read once at the first wait of a process. */
static void sub_env(int value)
{
    int fast = fast_mech();
    setenv("PSINFO_WAIT_FORCE_FALLBACK", value ? "1" : "0", 1);
    pid_t c = spawn_child(0.02, 5);
    ps_proc *p;
    SUB_CHECK(ps_proc_open(c, &p) == 0);
    ps_wait_result r;
    SUB_CHECK(ps_proc_wait(p, 10, &r) == 0 && r.code == 5);
    SUB_CHECK(r.mechanism == (value ? PS_WAIT_MECH_FALLBACK : fast));
    ps_proc_free(p);
    /* read once: changing the variable later has no effect */
    setenv("PSINFO_WAIT_FORCE_FALLBACK", value ? "0" : "1", 1);
    c = spawn_child(0.02, 6);
    SUB_CHECK(ps_proc_open(c, &p) == 0);
    SUB_CHECK(ps_proc_wait(p, 10, &r) == 0 && r.code == 6);
    SUB_CHECK(r.mechanism == (value ? PS_WAIT_MECH_FALLBACK : fast));
    ps_proc_free(p);
}

Test(wait, env_forces_fallback)
{
    cr_expect_eq(run_sub(sub_env, 1), 0);
    cr_expect_eq(run_sub(sub_env, 0), 0);
}

/* ---- exit statuses of processes that are not ours (the kernel's exit record on the pidfd) ----
 * The oracle of each status is the waitpid status the real parent collected (family_status). */

/* Wait on one handle through ps_proc_wait (many = 0) or ps_proc_wait_many (many = 1); the same
 * return convention: 0 ended (*r filled), PS_ETIMEDOUT still there. */
static int wait_via(ps_proc *p, double timeout, int many, ps_wait_result *r)
{
    if (!many) return ps_proc_wait(p, timeout, r);
    ps_wait_status st;
    size_t nd = 0;
    int rc = ps_proc_wait_many(&p, 1, timeout, PS_WAIT_ALL, &st, &nd);
    if (rc) return rc;
    cr_expect_eq(st.error, 0);
    if (!st.done) return PS_ETIMEDOUT;
    *r = st.result;
    return 0;
}

static int fast_records(void)
{
    return fast_mech() == PS_WAIT_MECH_PIDFD && kernel_keeps_exit_records();
}

Test(wait, non_child_killed_by_signal)
{
    CHECK_FDS_BEGIN;
    int sigs[] = {SIGKILL, SIGTERM, SIGUSR1};
    for (int many = 0; many < 2; many++)
        for (int i = 0; i < 3; i++) {
            struct family f = make_family(1);
            ps_proc *p;
            cr_assert_eq(ps_proc_open(f.grand, &p), 0);
            cr_assert_eq(kill(f.grand, sigs[i]), 0);
            ps_wait_result r;
            cr_assert_eq(wait_via(p, 10, many, &r), 0);
            int st = family_status(&f);
            cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == sigs[i], "oracle status %#x", st);
            EXPECT_REAPED_ELSEWHERE(&r, st, fast_records());
            cr_expect_eq(r.mechanism, fast_mech());
            /* remembered: the same answer again, cached */
            ps_wait_result again;
            cr_assert_eq(wait_via(p, 0, many, &again), 0);
            cr_expect_eq(again.kind, r.kind);
            cr_expect_eq(again.code, r.code);
            cr_expect_eq(again.source, r.source);
            cr_expect_eq(again.cached, 1);
            ps_proc_free(p);
            end_family(&f);
        }
    CHECK_FDS_END;
}

/* Remove dir and the core files in it. */
static void remove_core_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.') continue;
            char path[512];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

Test(wait, non_child_core_dump)
{
    CHECK_FDS_BEGIN;
    char pattern[256] = "";
    FILE *cp = fopen("/proc/sys/kernel/core_pattern", "r");
    if (cp) {
        if (!fgets(pattern, sizeof pattern, cp)) pattern[0] = 0;
        fclose(cp);
    }
    pattern[strcspn(pattern, "\n")] = 0;
    snprintf(family_core_dir, sizeof family_core_dir, "/tmp/psinfo-core-XXXXXX");
    cr_assert(mkdtemp(family_core_dir));
    for (int many = 0; many < 2; many++) {
        struct family f = make_family(1);
        ps_proc *p;
        cr_assert_eq(ps_proc_open(f.grand, &p), 0);
        cr_assert_eq(write(f.go_w, FATE_ABORT, 1), 1);
        ps_wait_result r;
        cr_assert_eq(wait_via(p, 10, many, &r), 0);
        int st = family_status(&f);
        cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "oracle status %#x", st);
        if (!WCOREDUMP(st))
            fprintf(stderr, "non_child_core_dump: the kernel wrote no core (core_pattern '%s'); "
                            "only the signal is checked\n", pattern);
        EXPECT_REAPED_ELSEWHERE(&r, st, fast_records());
        ps_proc_free(p);
        end_family(&f);
    }
    remove_core_dir(family_core_dir);
    family_core_dir[0] = 0;
    CHECK_FDS_END;
}

/* A parent that never reaps (stopped): the grandchild stays a zombie, which has not ended (as
 * psutil), so every wait times out; no status is guessed. Once the parent runs and reaps it,
 * the status is the parent's. */
Test(wait, non_child_zombie_of_a_stopped_parent)
{
    CHECK_FDS_BEGIN;
    for (int many = 0; many < 2; many++) {
        struct family f = make_family(1);
        ps_proc *p;
        cr_assert_eq(ps_proc_open(f.grand, &p), 0);
        cr_assert_eq(kill(f.mid, SIGSTOP), 0);
        /* The stop takes effect when the parent next runs; a parent woken in waitpid would
         * first reap a child that had exited meanwhile. So: stopped first, then the exit. */
        int stopped = 0;
        for (int i = 0; i < 5000 && !stopped; i++) {
            stopped = proc_state(f.mid) == 'T';
            if (!stopped) sleep_s(0.001);
        }
        cr_assert_eq(write(f.go_w, FATE_EXIT9, 1), 1);
        if (!stopped || !wait_zombie(f.grand)) {
            kill(f.mid, SIGKILL); /* a stopped parent would hold the runner's pipes forever */
            cr_assert_fail("parent %s, grandchild state %c", stopped ? "stopped" : "not stopped",
                           proc_state(f.grand));
        }
        ps_wait_result r;
        memset(&r, 0x55, sizeof r);
        cr_expect_eq(wait_via(p, 0, many, &r), PS_ETIMEDOUT);
        double t0 = now_s();
        cr_expect_eq(wait_via(p, 0.3, many, &r), PS_ETIMEDOUT);
        cr_expect_geq(now_s() - t0, 0.3);
        cr_expect_eq(proc_state(f.grand), 'Z');
        cr_expect_eq(proc_state(f.mid), 'T');
        cr_assert_eq(kill(f.mid, SIGCONT), 0);
        cr_assert_eq(wait_via(p, 10, many, &r), 0);
        EXPECT_REAPED_ELSEWHERE(&r, family_status(&f), fast_records());
        ps_proc_free(p);
        end_family(&f);
    }
    CHECK_FDS_END;
}

/* PIDFD_GET_INFO refused (seccomp: ENOTTY as before Linux 6.13, EINVAL, EPERM): today's
 * "gone, status unknown", every time (the refusal is remembered), no fd leaked. */
static void sub_no_exit_records(int err)
{
    int fds0 = count_fds();
    pid_t c1 = spawn_child(0, 4), c2 = spawn_child(0, -1);
    ps_proc *p1, *p2;
    SUB_CHECK(ps_proc_open(c1, &p1) == 0);
    SUB_CHECK(ps_proc_open(c2, &p2) == 0);
    /* ioctl(fd, PIDFD_GET_INFO) only: the request number is in the low word of args[1] */
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEST_AUDIT_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xC040FF0Bu /* _IOWR(0xFF, 11, 64 bytes) */, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)err & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {(unsigned short)(sizeof f / sizeof f[0]), f};
    SUB_CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
    SUB_CHECK(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0);
    if (!vg_running()) { /* valgrind checks the ioctl's argument before the filter runs */
        char buf[64] = {0};
        SUB_CHECK(ioctl(0, 0xC040FF0Bu, buf) == -1 && errno == err);
    }
    int st;
    SUB_CHECK(waitpid(c1, &st, 0) == c1); /* reaped behind the handles' backs */
    kill(c2, SIGKILL);
    SUB_CHECK(waitpid(c2, &st, 0) == c2);
    ps_wait_result r;
    SUB_CHECK(ps_proc_wait(p1, 5, &r) == 0);
    SUB_CHECK(r.kind == PS_WAIT_UNKNOWN && r.code == PS_UNKNOWN_I32 && r.returncode == PS_UNKNOWN_I32 &&
              r.source == PS_WAIT_SOURCE_NONE);
    SUB_CHECK(r.mechanism == fast_mech());
    ps_wait_status ws;
    size_t nd = 0;
    SUB_CHECK(ps_proc_wait_many(&p2, 1, 5, PS_WAIT_ALL, &ws, &nd) == 0 && nd == 1);
    SUB_CHECK(ws.result.kind == PS_WAIT_UNKNOWN && ws.result.source == PS_WAIT_SOURCE_NONE);
    ps_proc_free(p1);
    ps_proc_free(p2);
    SUB_CHECK(count_fds() == fds0);
}

Test(wait, exit_records_refused_enotty)
{
    cr_expect_eq(run_sub(sub_no_exit_records, ENOTTY), 0);
}

Test(wait, exit_records_refused_einval)
{
    cr_expect_eq(run_sub(sub_no_exit_records, EINVAL), 0);
}

Test(wait, exit_records_refused_eperm)
{
    cr_expect_eq(run_sub(sub_no_exit_records, EPERM), 0);
}

/* Our own child: reaped by the wait itself, source "reaped", never the exit record. */
Test(wait, child_status_source_is_the_reap)
{
    for (int forced = 0; forced < 2; forced++) {
        ps__wait_force_fallback(forced);
        ps_wait_result r = wait_child_fate(0.02, 12, 0, forced ? PS_WAIT_MECH_FALLBACK : fast_mech());
        cr_expect_eq(r.kind, PS_WAIT_EXITED);
        cr_expect_eq(r.code, 12);
        cr_expect_eq(r.source, PS_WAIT_SOURCE_REAPED);
        cr_expect_eq(r.pad_0, 0);
    }
    ps__wait_force_fallback(0);
}
