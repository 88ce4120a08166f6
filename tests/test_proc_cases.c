/* SPDX-License-Identifier: MIT */
/*
 * Hard cases for the process getters: PID reuse for real (ns_last_pid), zombies, another
 * user's process (seen by root, and root's processes seen from uid 65534), kernel threads,
 * self, signals, setters, children/parent, cpu_percent, bad input. Every test keeps the
 * number of open fds unchanged.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <psinfo.h>

#include "helpers/spawn.h"
#include "linux/linux.h"   /* struct ps_proc: to exercise the no-pidfd fallback */
#include "helpers/fdcheck.h"
#include "helpers/vgaware.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(proc_cases);

/* Call every getter on p; return the number that did NOT return `want` (names logged).
 * skip_rlimit: prlimit(2) on another user's process needs CAP_SYS_RESOURCE, which root in
 * this container may lack; that case is checked against prlimit(2) itself. */
static int skip_rlimit;
static int all_getters(ps_proc *p, int want)
{
    int bad = 0;
    char *s = NULL;
    ps_proc_str_list *l = NULL;
    ps_proc_environ_list *e = NULL;
    ps_proc_ids ids;
    int64_t i64;
    int32_t i32;
    double d;
    int32_t st;
    ps_proc_cputimes ct;
    ps_proc_cpu_sample cs;
    ps_proc_cpu_list *cl = NULL;
    int32_t ic;
    int64_t so, ha;
    ps_proc_mem m;
    ps_proc_fullmem fm;
    ps_proc_mmap_list *ml = NULL;
    ps_proc_pagefaults pf;
    ps_proc_thread_list *tl = NULL;
    ps_proc_ctxsw cx;
    ps_proc_io io;
    ps_proc_open_file_list *of = NULL;
    ps_proc *pp = NULL;
    ps_proc_list *pl = NULL;
#define G(call)                                                                            \
    do {                                                                                   \
        int rc_ = (call);                                                                  \
        if (rc_ != want) {                                                                 \
            cr_log_error("%s -> %s (want %s)", #call, ps_err_name(rc_), ps_err_name(want)); \
            bad++;                                                                         \
        }                                                                                  \
    } while (0)
    G(ps_proc_name(p, &s)); ps_free(s); s = NULL;
    G(ps_proc_exe(p, &s)); ps_free(s); s = NULL;
    G(ps_proc_cwd(p, &s)); ps_free(s); s = NULL;
    G(ps_proc_username(p, &s)); ps_free(s); s = NULL;
    G(ps_proc_terminal(p, &s)); ps_free(s); s = NULL;
    G(ps_proc_cmdline(p, &l)); ps_proc_str_list_free(l); l = NULL;
    G(ps_proc_cgroup(p, &l)); ps_proc_str_list_free(l); l = NULL;
    G(ps_proc_environ(p, &e)); ps_proc_environ_list_free(e);
    G(ps_proc_uids(p, &ids));
    G(ps_proc_gids(p, &ids));
    G(ps_proc_ppid(p, &i64));
    G(ps_proc_parent(p, &pp)); ps_proc_free(pp);
    G(ps_proc_children(p, 1, &pl)); ps_proc_list_free(pl);
    G(ps_proc_status(p, &st));
    G(ps_proc_create_time(p, &d));
    G(ps_proc_cpu_times(p, &ct));
    G(ps_proc_cpu_sample_take(p, &cs));
    G(ps_proc_cpu_num(p, &i32));
    G(ps_proc_cpu_affinity(p, &cl)); ps_proc_cpu_list_free(cl);
    G(ps_proc_nice(p, &i32));
    G(ps_proc_ionice(p, &ic, &i32));
    if (want != 0 || !skip_rlimit) G(ps_proc_rlimit(p, PS_RLIMIT_NOFILE, &so, &ha));
    G(ps_proc_memory_info(p, &m));
    G(ps_proc_memory_full_info(p, &fm));
    G(ps_proc_memory_maps(p, 1, &ml)); ps_proc_mmap_list_free(ml); ml = NULL;
    G(ps_proc_memory_maps(p, 0, &ml)); ps_proc_mmap_list_free(ml);
    G(ps_proc_page_faults(p, &pf));
    G(ps_proc_num_threads(p, &i64));
    G(ps_proc_threads(p, &tl)); ps_proc_thread_list_free(tl);
    G(ps_proc_num_fds(p, &i64));
    G(ps_proc_num_ctx_switches(p, &cx));
    G(ps_proc_io_counters(p, &io));
    G(ps_proc_open_files(p, &of)); ps_proc_open_file_list_free(of);
    if (want != 0) {  /* setters on a gone process */
        G(ps_proc_set_nice(p, 1));
        G(ps_proc_set_ionice(p, PS_IOPRIO_CLASS_BE, 4));
        G(ps_proc_set_rlimit(p, PS_RLIMIT_NOFILE, 64, 64));
        int32_t cpu0 = 0;
        G(ps_proc_set_cpu_affinity(p, &cpu0, 1));
    }
#undef G
    return bad;
}

/* Fork a pause()ing child that gets exactly PID `want`, via ns_last_pid. -1 if the race
 * with the rest of the box was lost every time. */
static pid_t fork_with_pid(pid_t want)
{
    for (int attempt = 0; attempt < 200; attempt++) {
        int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
        if (fd < 0) return -1;
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%d", (int)want - 1);
        ssize_t w = write(fd, buf, (size_t)n);
        close(fd);
        if (w != n) return -1;
        pid_t c = fork();
        if (c == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            for (;;) pause();
        }
        if (c == want) return c;
        if (c > 0) ph_reap(c);
    }
    return -1;
}

static void pid_reuse(int without_pidfd)
{
    int fds0 = fdcheck_count();
    pid_t c = ph_spawn_pause();
    cr_assert_gt(c, 0);
    ps_proc *old;
    cr_assert_eq(ps_proc_open(c, &old), 0);
    if (without_pidfd && old->pidfd >= 0) {
        close(old->pidfd);
        old->pidfd = -1;
    }
    cr_assert_eq(all_getters(old, 0), 0, "getters on the live child");
    ph_reap(c);
    pid_t c2 = fork_with_pid(c);
    cr_assert_eq(c2, c, "could not get PID %d again (ns_last_pid)", (int)c);
    /* the number names a new, live process now */
    ps_proc *fresh;
    cr_assert_eq(ps_proc_open(c2, &fresh), 0);
    int running = -1;
    cr_assert_eq(ps_proc_is_running(fresh, &running), 0);
    cr_assert_eq(running, 1);
    ps_proc_free(fresh);
    cr_assert_eq(ps_proc_is_running(old, &running), 0);
    cr_assert_eq(running, 0);
    cr_assert_eq(all_getters(old, PS_ENOPROC), 0, "every getter on the old handle must say PS_ENOPROC");
    cr_assert_eq(ps_proc_kill(old), PS_ENOPROC);
    cr_assert_eq(ps_proc_terminate(old), PS_ENOPROC);
    cr_assert_eq(ps_proc_suspend(old), PS_ENOPROC);
    cr_assert_eq(ps_proc_send_signal(old, SIGKILL), PS_ENOPROC);
    usleep(50000);
    cr_assert_eq(waitpid(c2, NULL, WNOHANG), 0, "the new process was hit by a signal");
    cr_assert_eq(ph_state(c2) == 'S' || ph_state(c2) == 'R', 1, "new process state %c", ph_state(c2));
    ps_proc_free(old);
    ph_reap(c2);
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

Test(proc_cases, pid_reuse_pidfd, .timeout = 120)
{
    pid_reuse(0);
}

Test(proc_cases, pid_reuse_without_pidfd, .timeout = 120)
{
    pid_reuse(1);
}

Test(proc_cases, zombie, .timeout = 60)
{
    int fds0 = fdcheck_count();
    pid_t z = ph_spawn_zombie();
    cr_assert_gt(z, 0);
    ps_proc *p;
    cr_assert_eq(ps_proc_open(z, &p), 0);
    int32_t st;
    cr_assert_eq(ps_proc_status(p, &st), 0);
    cr_assert_eq(st, PS_STATUS_ZOMBIE);
    cr_assert_str_eq(ps_process_status_name(st), "zombie");
    int running = 0;
    cr_assert_eq(ps_proc_is_running(p, &running), 0);
    cr_assert_eq(running, 1, "a zombie is running (psutil)");
    /* psutil 7's ZombieProcess getters */
    char *s = NULL;
    ps_proc_str_list *l = NULL;
    ps_proc_mmap_list *ml = NULL;
    ps_proc_fullmem fm;
    cr_assert_eq(ps_proc_exe(p, &s), PS_EZOMBIE);
    cr_assert_null(s);
    cr_assert_eq(ps_proc_cwd(p, &s), PS_EZOMBIE);
    cr_assert_eq(ps_proc_cmdline(p, &l), PS_EZOMBIE);
    cr_assert_null(l);
    cr_assert_eq(ps_proc_memory_maps(p, 1, &ml), PS_EZOMBIE);
    cr_assert_eq(ps_proc_memory_full_info(p, &fm), PS_EZOMBIE);
    /* the rest works: name from stat, ids, times, memory_info... */
    cr_assert_eq(ps_proc_name(p, &s), 0);
    if (vg_running() && vg_is_tool_comm(s))
        vg_note("zombie name %s: under valgrind the comm is the tool's", s);
    else
        cr_assert_str_eq(s, "test_proc_cases");
    ps_free(s);
    int64_t ppid;
    cr_assert_eq(ps_proc_ppid(p, &ppid), 0);
    cr_assert_eq(ppid, getpid());
    ps_proc_ids ids;
    cr_assert_eq(ps_proc_uids(p, &ids), 0);
    cr_assert_eq(ids.real, (int64_t)getuid());
    double ct;
    cr_assert_eq(ps_proc_create_time(p, &ct), 0);
    ps_proc_environ_list *e = NULL;
    cr_assert_eq(ps_proc_environ(p, &e), PS_EZOMBIE, "the kernel says ESRCH: psutil 7 ZombieProcess");
    int64_t n;
    cr_assert_eq(ps_proc_num_fds(p, &n), 0);
    cr_assert_eq(n, 0);
    cr_assert_eq(ps_proc_send_signal(p, 0), 0, "signals to a zombie succeed (psutil on Linux)");
    /* reaped: gone */
    cr_assert_eq(waitpid(z, NULL, 0), z);
    cr_assert_eq(ps_proc_is_running(p, &running), 0);
    cr_assert_eq(running, 0);
    cr_assert_eq(ps_proc_status(p, &st), PS_ENOPROC);
    cr_assert_eq(ps_proc_exe(p, &s), PS_ENOPROC);
    ps_proc_free(p);
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

Test(proc_cases, zombie_of_a_subreaper, .timeout = 60)
{
    /* A helper becomes a subreaper, its child forks a grandchild and exits: the orphaned
     * grandchild, once dead, stays a zombie of the helper (PID 1 here does not reap). */
    int fds0 = fdcheck_count();
    int pfd[2];
    cr_assert_eq(pipe(pfd), 0);
    pid_t helper = fork();
    if (helper == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);  /* never outlive a failed test */
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        pid_t mid = fork();
        if (mid == 0) {
            pid_t g = fork();
            if (g == 0) _exit(0);
            if (write(pfd[1], &g, sizeof g) < 0) _exit(1);
            _exit(0);
        }
        waitpid(mid, NULL, 0);
        pause();
        _exit(0);
    }
    pid_t g;
    cr_assert_eq(read(pfd[0], &g, sizeof g), (ssize_t)sizeof g);
    close(pfd[0]);
    close(pfd[1]);
    for (int i = 0; i < 1000 && ph_state(g) != 'Z'; i++) usleep(2000);
    cr_assert_eq(ph_state(g), 'Z');
    ps_proc *p;
    cr_assert_eq(ps_proc_open(g, &p), 0);
    /* g may die before its parent exits: wait for the reparenting to the subreaper */
    int64_t pp = -1;
    for (int i = 0; i < 2500 && (ps_proc_ppid(p, &pp) != 0 || pp != helper); i++) usleep(2000);
    int32_t st;
    cr_assert_eq(ps_proc_status(p, &st), 0);
    cr_assert_eq(st, PS_STATUS_ZOMBIE);
    int64_t ppid;
    cr_assert_eq(ps_proc_ppid(p, &ppid), 0);
    cr_assert_eq(ppid, helper, "reparented to the subreaper");
    char *s = NULL;
    cr_assert_eq(ps_proc_exe(p, &s), PS_EZOMBIE);
    ps_proc_free(p);
    ph_reap(helper);  /* the grandchild zombie goes with its reaper */
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

Test(proc_cases, other_user_seen_by_root, .timeout = 60)
{
    int fds0 = fdcheck_count();
    pid_t c = ph_spawn_as_user(65534, 65534);
    cr_assert_gt(c, 0);
    ps_proc *p;
    cr_assert_eq(ps_proc_open(c, &p), 0);
    ps_proc_ids ids;
    cr_assert_eq(ps_proc_uids(p, &ids), 0);
    cr_assert_eq(ids.real, 65534);
    cr_assert_eq(ids.effective, 65534);
    cr_assert_eq(ids.saved, 65534);
    cr_assert_eq(ps_proc_gids(p, &ids), 0);
    cr_assert_eq(ids.real, 65534);
    char *s;
    cr_assert_eq(ps_proc_username(p, &s), 0);
    char *want = ph_capture("getent passwd 65534 | cut -d: -f1 | tr -d '\\n'");
    cr_assert_not_null(want);
    cr_assert_str_eq(s, want[0] ? want : "65534");
    free(want);
    ps_free(s);
    skip_rlimit = 1;
    cr_assert_eq(all_getters(p, 0), 0, "root reads everything");
    skip_rlimit = 0;
    struct rlimit rl;
    int64_t so, ha;
    int sys = prlimit(c, RLIMIT_NOFILE, NULL, &rl) == 0 ? 0 : errno;
    int rc = ps_proc_rlimit(p, PS_RLIMIT_NOFILE, &so, &ha);
    if (sys == 0) {
        cr_assert_eq(rc, 0);
        cr_assert_eq(so, (int64_t)rl.rlim_cur);
    } else {
        cr_assert_eq(sys, EPERM);
        cr_assert_eq(rc, PS_EACCES, "prlimit(2) says EPERM: PS_EACCES");
    }
    ps_proc_free(p);
    ph_reap(c);
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

/* In a child that dropped to uid 65534: which getters on a root-owned process are refused.
 * Exit code: a bit per unexpected result. */
static int unprivileged_view(pid_t target)
{
    int bad = 0;
    ps_proc *p;
    if (ps_proc_open(target, &p) != 0) return 1;
    char *s = NULL;
    ps_proc_environ_list *e = NULL;
    ps_proc_open_file_list *of = NULL;
    int64_t n;
    if (ps_proc_exe(p, &s) != PS_EACCES) bad |= 2;
    if (ps_proc_cwd(p, &s) != PS_EACCES) bad |= 4;
    if (ps_proc_environ(p, &e) != PS_EACCES) bad |= 8;
    if (ps_proc_num_fds(p, &n) != PS_EACCES) bad |= 16;
    if (ps_proc_open_files(p, &of) != PS_EACCES) bad |= 32;
    /* these work */
    if (ps_proc_name(p, &s) != 0) bad |= 64;
    ps_free(s);
    ps_proc_ids ids;
    if (ps_proc_uids(p, &ids) != 0 || ids.real != 0) bad |= 128;
    int32_t st;
    if (ps_proc_status(p, &st) != 0) bad |= 256;
    ps_proc_mem m;
    if (ps_proc_memory_info(p, &m) != 0) bad |= 512;
    ps_proc_str_list *l = NULL;
    if (ps_proc_cmdline(p, &l) != 0) bad |= 1024;
    ps_proc_str_list_free(l);
    /* signals are refused too */
    if (ps_proc_send_signal(p, 0) != PS_EACCES) bad |= 2048;
    ps_proc_free(p);
    return bad;
}

Test(proc_cases, root_process_seen_by_uid_65534, .timeout = 60)
{
    int fds0 = fdcheck_count();
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) _exit(255);
        int bad = unprivileged_view(parent);
        _exit(bad > 254 ? 254 : bad ? (bad & 0xff ? bad & 0xff : 253) : 0);
    }
    int status;
    cr_assert_eq(waitpid(c, &status, 0), c);
    cr_assert(WIFEXITED(status));
    cr_assert_eq(WEXITSTATUS(status), 0, "unprivileged view: mask %d (see unprivileged_view)", WEXITSTATUS(status));
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

Test(proc_cases, kernel_thread_kthreadd)
{
    int fds0 = fdcheck_count();
    ps_proc *p;
    cr_assert_eq(ps_proc_open(2, &p), 0);
    char *s;
    cr_assert_eq(ps_proc_name(p, &s), 0);
    cr_assert_str_eq(s, "kthreadd");
    ps_free(s);
    cr_assert_eq(ps_proc_exe(p, &s), 0);
    cr_assert_str_eq(s, "", "kernel threads have no exe (psutil \"\")");
    ps_free(s);
    ps_proc_str_list *l;
    cr_assert_eq(ps_proc_cmdline(p, &l), 0);
    cr_assert_eq(l->count, 0);
    ps_proc_str_list_free(l);
    ps_proc_environ_list *e;
    cr_assert_eq(ps_proc_environ(p, &e), 0);
    cr_assert_eq(e->count, 0);
    ps_proc_environ_list_free(e);
    ps_proc_fullmem fm;
    cr_assert_eq(ps_proc_memory_full_info(p, &fm), 0);
    cr_assert_eq(fm.rss + fm.vms + fm.uss + fm.pss + fm.swap, 0);
    int64_t ppid;
    cr_assert_eq(ps_proc_ppid(p, &ppid), 0);
    cr_assert_eq(ppid, 0);
    ps_proc *pp = (ps_proc *)1;
    cr_assert_eq(ps_proc_parent(p, &pp), 0);
    cr_assert_null(pp);
    ps_proc_list *kids;
    cr_assert_eq(ps_proc_children(p, 0, &kids), 0);
    cr_assert_gt(kids->count, 0, "kthreadd has kernel-thread children");
    for (size_t i = 0; i < kids->count; i++) {
        int64_t kp;
        if (ps_proc_ppid(kids->items[i], &kp) == 0) cr_assert_eq(kp, 2);
    }
    ps_proc_list_free(kids);
    ps_proc_free(p);
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

Test(proc_cases, self_and_pid1)
{
    int fds0 = fdcheck_count();
    ps_proc *p;
    cr_assert_eq(ps_proc_open_self(&p), 0);
    cr_assert_eq(all_getters(p, 0), 0);
    char *s;
    cr_assert_eq(ps_proc_exe(p, &s), 0);
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    buf[n] = '\0';
    if (vg_running() && vg_is_tool_exe(s))  /* valgrind's readlink answers the program's path */
        vg_note("own exe %s: under valgrind the kernel's is the tool's, not %s", s, buf);
    else
        cr_assert_str_eq(s, buf);
    ps_free(s);
    int64_t nfds;
    cr_assert_eq(ps_proc_num_fds(p, &nfds), 0);
    cr_assert_eq(nfds, fdcheck_count() + 1, "the library's own listing fd is counted, as psutil's");
    ps_proc_thread_list *t;
    cr_assert_eq(ps_proc_threads(p, &t), 0);
    cr_assert_geq(t->count, 1);
    cr_assert_eq(t->items[0].id, getpid());
    if (vg_running() && vg_is_tool_comm(t->items[0].name))
        vg_note("main thread name %s: under valgrind the comm is the tool's", t->items[0].name);
    else
        cr_assert_str_eq(t->items[0].name, "test_proc_cases");
    ps_proc_thread_list_free(t);
    ps_proc_free(p);
    cr_assert_eq(ps_proc_open(1, &p), 0);
    int64_t ppid;
    cr_assert_eq(ps_proc_ppid(p, &ppid), 0);
    cr_assert_eq(ppid, 0);
    ps_proc *pp = (ps_proc *)1;
    cr_assert_eq(ps_proc_parent(p, &pp), 0);
    cr_assert_null(pp);
    ps_proc_free(p);
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

Test(proc_cases, signals, .timeout = 60)
{
    int fds0 = fdcheck_count();
    ps_proc *p;
    int32_t st;
    pid_t c = ph_spawn_pause();
    cr_assert_eq(ps_proc_open(c, &p), 0);
    cr_assert_eq(ps_proc_suspend(p), 0);
    for (int i = 0; i < 500 && ph_state(c) != 'T'; i++) usleep(2000);
    cr_assert_eq(ps_proc_status(p, &st), 0);
    cr_assert_eq(st, PS_STATUS_STOPPED);
    cr_assert_eq(ps_proc_resume(p), 0);
    for (int i = 0; i < 500 && ph_state(c) == 'T'; i++) usleep(2000);
    cr_assert_eq(ps_proc_status(p, &st), 0);
    cr_assert_neq(st, PS_STATUS_STOPPED);
    cr_assert_eq(ps_proc_send_signal(p, -1), PS_EINVAL);
    cr_assert_eq(ps_proc_send_signal(p, 100000), PS_EINVAL);
    cr_assert_eq(ps_proc_terminate(p), 0);
    int status;
    cr_assert_eq(waitpid(c, &status, 0), c);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    cr_assert_eq(ps_proc_kill(p), PS_ENOPROC);
    ps_proc_free(p);
    c = ph_spawn_pause();
    cr_assert_eq(ps_proc_open(c, &p), 0);
    cr_assert_eq(ps_proc_kill(p), 0);
    cr_assert_eq(waitpid(c, &status, 0), c);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    ps_proc_free(p);
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

Test(proc_cases, setters, .timeout = 60)
{
    int fds0 = fdcheck_count();
    pid_t c = ph_spawn_pause();
    ps_proc *p;
    cr_assert_eq(ps_proc_open(c, &p), 0);
    int32_t v;
    cr_assert_eq(ps_proc_set_nice(p, 7), 0);
    cr_assert_eq(ps_proc_nice(p, &v), 0);
    cr_assert_eq(v, 7);
    errno = 0;
    cr_assert_eq(getpriority(PRIO_PROCESS, (id_t)c), 7);
    int32_t ic;
    cr_assert_eq(ps_proc_set_ionice(p, PS_IOPRIO_CLASS_BE, 6), 0);
    cr_assert_eq(ps_proc_ionice(p, &ic, &v), 0);
    cr_assert_eq(ic, PS_IOPRIO_CLASS_BE);
    cr_assert_eq(v, 6);
    cr_assert_eq(ps_proc_set_ionice(p, PS_IOPRIO_CLASS_IDLE, 3), PS_EINVAL);
    cr_assert_eq(ps_proc_set_ionice(p, PS_IOPRIO_CLASS_BE, 8), PS_EINVAL);
    cr_assert_eq(ps_proc_set_ionice(p, (ps_ioprio_class)9, 0), PS_EINVAL);
    cr_assert_eq(ps_proc_set_ionice(p, PS_IOPRIO_CLASS_IDLE, 0), 0);
    cr_assert_eq(ps_proc_ionice(p, &ic, &v), 0);
    cr_assert_eq(ic, PS_IOPRIO_CLASS_IDLE);
    int64_t so, ha;
    cr_assert_eq(ps_proc_set_rlimit(p, PS_RLIMIT_NOFILE, 100, 200), 0);
    cr_assert_eq(ps_proc_rlimit(p, PS_RLIMIT_NOFILE, &so, &ha), 0);
    cr_assert_eq(so, 100);
    cr_assert_eq(ha, 200);
    struct rlimit rl;
    cr_assert_eq(prlimit(c, RLIMIT_NOFILE, NULL, &rl), 0);
    cr_assert_eq(rl.rlim_cur, 100);
    cr_assert_eq(ps_proc_set_rlimit(p, PS_RLIMIT_CORE, PS_RLIM_INFINITY, PS_RLIM_INFINITY), 0);
    cr_assert_eq(ps_proc_rlimit(p, PS_RLIMIT_CORE, &so, &ha), 0);
    cr_assert_eq(so, PS_RLIM_INFINITY);
    cr_assert_eq(ps_proc_rlimit(p, (ps_rlimit_resource)99, &so, &ha), PS_EINVAL);
    cr_assert_eq(ps_proc_set_rlimit(p, PS_RLIMIT_CORE, -5, 0), PS_EINVAL);
    int32_t cpu0 = 0;
    cr_assert_eq(ps_proc_set_cpu_affinity(p, &cpu0, 1), 0);
    ps_proc_cpu_list *cl;
    cr_assert_eq(ps_proc_cpu_affinity(p, &cl), 0);
    cr_assert_eq(cl->count, 1);
    cr_assert_eq(cl->items[0], 0);
    ps_proc_cpu_list_free(cl);
    cr_assert_eq(ps_proc_set_cpu_affinity(p, NULL, 0), 0, "[] = every eligible CPU");
    cr_assert_eq(ps_proc_cpu_affinity(p, &cl), 0);
    cpu_set_t set;
    cr_assert_eq(sched_getaffinity(c, sizeof set, &set), 0);
    cr_assert_eq(cl->count, (size_t)CPU_COUNT(&set));
    cr_assert_geq(cl->count, 1);
    ps_proc_cpu_list_free(cl);
    int32_t badcpu = -1;
    cr_assert_eq(ps_proc_set_cpu_affinity(p, &badcpu, 1), PS_EINVAL);
    ps_proc_free(p);
    ph_reap(c);
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

Test(proc_cases, children_parent_cpu_percent, .timeout = 60)
{
    int fds0 = fdcheck_count();
    int pfd[2];
    cr_assert_eq(pipe(pfd), 0);
    pid_t c = fork();
    if (c == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        pid_t g = fork();
        if (g == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            for (;;) {}  /* busy grandchild */
        }
        if (write(pfd[1], &g, sizeof g) < 0) _exit(1);
        for (;;) pause();
    }
    pid_t g;
    cr_assert_eq(read(pfd[0], &g, sizeof g), (ssize_t)sizeof g);
    close(pfd[0]);
    close(pfd[1]);
    ps_proc *self, *child;
    cr_assert_eq(ps_proc_open_self(&self), 0);
    cr_assert_eq(ps_proc_open(c, &child), 0);
    ps_proc_list *l;
    cr_assert_eq(ps_proc_children(self, 0, &l), 0);
    int found_c = 0, found_g = 0;
    for (size_t i = 0; i < l->count; i++) {
        found_c |= ps_proc_pid(l->items[i]) == c;
        found_g |= ps_proc_pid(l->items[i]) == g;
    }
    cr_assert(found_c && !found_g);
    ps_proc_list_free(l);
    cr_assert_eq(ps_proc_children(self, 1, &l), 0);
    found_c = found_g = 0;
    for (size_t i = 0; i < l->count; i++) {
        found_c |= ps_proc_pid(l->items[i]) == c;
        found_g |= ps_proc_pid(l->items[i]) == g;
    }
    cr_assert(found_c && found_g, "recursive children include the grandchild");
    ps_proc_list_free(l);
    ps_proc *pp;
    cr_assert_eq(ps_proc_parent(child, &pp), 0);
    cr_assert_not_null(pp);
    cr_assert_eq(ps_proc_pid(pp), getpid());
    ps_proc_free(pp);
    /* cpu_percent: the busy grandchild vs the idle child, with the caller's samples */
    ps_proc *gp;
    cr_assert_eq(ps_proc_open(g, &gp), 0);
    ps_proc_cpu_sample b1, b2, i1, i2;
    cr_assert_eq(ps_proc_cpu_sample_take(gp, &b1), 0);
    cr_assert_eq(ps_proc_cpu_sample_take(child, &i1), 0);
    usleep(500000);
    cr_assert_eq(ps_proc_cpu_sample_take(gp, &b2), 0);
    cr_assert_eq(ps_proc_cpu_sample_take(child, &i2), 0);
    double busy, idle;
    cr_assert_eq(ps_proc_cpu_percent(&b1, &b2, &busy), 0);
    cr_assert_eq(ps_proc_cpu_percent(&i1, &i2, &idle), 0);
    cr_assert_gt(busy, 10.0, "busy loop at %.1f%%", busy);
    cr_assert_leq(busy, 100.0 * 1.3);  /* one thread: at most one CPU (+ tick granularity) */
    cr_assert_eq(idle, 0.0);
    cr_assert_eq(ps_proc_cpu_percent(&b1, &b1, &busy), 0);
    cr_assert_eq(busy, 0.0, "no time passed");
    ps_proc_free(gp);
    ps_proc_free(child);
    ps_proc_free(self);
    ph_reap(g);
    ph_reap(c);
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

Test(proc_cases, bad_input)
{
    int fds0 = fdcheck_count();
    ps_proc *p;
    cr_assert_eq(ps_proc_open(0, &p), PS_EINVAL);
    cr_assert_eq(ps_proc_open(-1, &p), PS_EINVAL);
    cr_assert_eq(ps_proc_open((int64_t)INT_MAX + 1, &p), PS_ENOPROC);
    cr_assert_eq(ps_proc_open(INT64_MAX, &p), PS_ENOPROC);
    cr_assert_eq(ps_proc_open_self(&p), 0);
    char *s;
    ps_proc_str_list *l;
    int64_t i64;
    cr_assert_eq(ps_proc_name(NULL, &s), PS_EINVAL);
    cr_assert_eq(ps_proc_name(p, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_exe(NULL, &s), PS_EINVAL);
    cr_assert_eq(ps_proc_cwd(p, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_cmdline(NULL, &l), PS_EINVAL);
    cr_assert_eq(ps_proc_cmdline(p, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_environ(p, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_terminal(p, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_ppid(NULL, &i64), PS_EINVAL);
    cr_assert_eq(ps_proc_parent(p, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_children(p, 0, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_status(p, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_cpu_times(p, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_cpu_percent(NULL, NULL, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_memory_maps(p, 1, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_threads(NULL, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_open_files(p, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_rlimit(p, PS_RLIMIT_NOFILE, NULL, &i64), PS_EINVAL);
    cr_assert_eq(ps_proc_ionice(p, NULL, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_set_cpu_affinity(p, NULL, 3), PS_EINVAL);
    cr_assert_eq(ps_proc_send_signal(NULL, 0), PS_EINVAL);
    cr_assert_eq(ps_proc_kill(NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_suspend(NULL), PS_EINVAL);
    cr_assert_str_eq(ps_process_status_name((ps_process_status)99), "?");
    cr_assert_str_eq(ps_process_status_name(PS_STATUS_DISK_SLEEP), "disk-sleep");
    ps_proc_str_list_free(NULL);
    ps_proc_environ_list_free(NULL);
    ps_proc_list_free(NULL);
    ps_proc_cpu_list_free(NULL);
    ps_proc_mmap_list_free(NULL);
    ps_proc_thread_list_free(NULL);
    ps_proc_open_file_list_free(NULL);
    ps_proc_free(p);
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

Test(proc_cases, terminal_vs_psutil, .timeout = 60)
{
    int fds0 = fdcheck_count();
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    cr_assert_geq(m, 0);
    cr_assert_eq(grantpt(m), 0);
    cr_assert_eq(unlockpt(m), 0);
    char name[128];
    cr_assert_eq(ptsname_r(m, name, sizeof name), 0);
    pid_t c = fork();
    if (c == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        setsid();
        int s = open(name, O_RDWR);  /* a session leader's first tty: the controlling one */
        if (s < 0) _exit(1);
        for (;;) pause();
    }
    ps_proc *p;
    cr_assert_eq(ps_proc_open(c, &p), 0);
    char *t = NULL;
    for (int i = 0; i < 500; i++) {
        cr_assert_eq(ps_proc_terminal(p, &t), 0);
        if (t) break;
        usleep(2000);
    }
    cr_assert_not_null(t, "no terminal found");
    cr_assert_str_eq(t, name);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c 'import psutil; print(psutil.Process(%d).terminal())'", (int)c);
    char *want = ph_capture(cmd);
    cr_assert_not_null(want);
    want[strcspn(want, "\n")] = '\0';
    cr_assert_str_eq(t, want, "psutil says %s", want);
    free(want);
    ps_free(t);
    ps_proc_free(p);
    ph_reap(c);
    close(m);
    /* no terminal: NULL and 0 (psutil None) */
    c = ph_spawn_pause();
    cr_assert_eq(ps_proc_open(c, &p), 0);
    t = (char *)1;
    int rc = ps_proc_terminal(p, &t);
    cr_assert_eq(rc, 0);
    /* the child inherited the test's (lack of a) controlling terminal: compare with stat */
    char stat[1024], path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)c);
    FILE *f = fopen(path, "re");
    cr_assert_not_null(f);
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    int tty_nr = -1;
    sscanf(strrchr(stat, ')') + 2, "%*c %*d %*d %*d %d", &tty_nr);
    if (tty_nr == 0) cr_assert_null(t, "no terminal: NULL");
    ps_free(t);
    ps_proc_free(p);
    ph_reap(c);
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

/* cgroup lines and page faults against /proc read directly. */
Test(proc_cases, cgroup_and_page_faults_vs_proc)
{
    int fds0 = fdcheck_count();
    ps_proc *p;
    cr_assert_eq(ps_proc_open_self(&p), 0);
    ps_proc_str_list *l;
    cr_assert_eq(ps_proc_cgroup(p, &l), 0);
    char *want = ph_capture("cat /proc/$PPID/cgroup");
    cr_assert_not_null(want);
    char *acc = calloc(1, strlen(want) + 2);
    for (size_t i = 0; i < l->count; i++) {
        strcat(acc, l->items[i]);
        strcat(acc, "\n");
    }
    cr_assert_str_eq(acc, want);
    cr_assert_gt(l->count, 0);
    free(acc);
    free(want);
    ps_proc_str_list_free(l);
    /* page faults: between two direct reads of /proc/self/stat fields 10 and 12 */
    unsigned long long min0, maj0, min1, maj1;
    char buf[2048];
    FILE *f = fopen("/proc/self/stat", "re");
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    sscanf(strrchr(buf, ')') + 2, "%*c %*d %*d %*d %*d %*d %*u %llu %*u %llu", &min0, &maj0);
    ps_proc_pagefaults pf;
    cr_assert_eq(ps_proc_page_faults(p, &pf), 0);
    f = fopen("/proc/self/stat", "re");
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    sscanf(strrchr(buf, ')') + 2, "%*c %*d %*d %*d %*d %*d %*u %llu %*u %llu", &min1, &maj1);
    cr_assert(pf.minor >= min0 && pf.minor <= min1, "%llu not in [%llu, %llu]", (unsigned long long)pf.minor, min0, min1);
    cr_assert(pf.major >= maj0 && pf.major <= maj1);
    cr_assert_gt(pf.minor, 0);
    ps_proc_free(p);
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

/* A uid without a passwd entry: username is the number (psutil), checked against psutil. */
Test(proc_cases, username_without_passwd_entry, .timeout = 60)
{
    int fds0 = fdcheck_count();
    char *has = ph_capture("getent passwd 54321 || true");
    cr_assert_not_null(has);
    cr_assert_str_eq(has, "", "uid 54321 exists here; pick another");
    free(has);
    pid_t c = ph_spawn_as_user(54321, 54321);
    cr_assert_gt(c, 0);
    ps_proc *p;
    cr_assert_eq(ps_proc_open(c, &p), 0);
    char *s;
    cr_assert_eq(ps_proc_username(p, &s), 0);
    cr_assert_str_eq(s, "54321");
    char cmd[200];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c 'import psutil; print(psutil.Process(%d).username())'", (int)c);
    char *want = ph_capture(cmd);
    cr_assert_not_null(want);
    want[strcspn(want, "\n")] = '\0';
    cr_assert_str_eq(s, want);
    free(want);
    ps_free(s);
    ps_proc_free(p);
    ph_reap(c);
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}

/*
 * A process whose fd directory is listable but whose fd links are not: uid 65534 like the
 * viewer, but holding capabilities the viewer lacks (PR_SET_KEEPCAPS across setresuid), so the
 * kernel's ptrace check refuses readlink of /proc/<pid>/fd/N. psutil (run as 65534 too) counts
 * the fds and raises AccessDenied for open_files and connections; an empty list would hide them.
 */
Test(proc_cases, fd_links_denied_while_fd_dir_listable, .timeout = 60)
{
    int fds0 = fdcheck_count();
    int ready[2], result[2];
    cr_assert_eq(pipe(ready), 0);
    cr_assert_eq(pipe(result), 0);
    pid_t target = fork();
    cr_assert_geq(target, 0);
    if (target == 0) {
        if (prctl(PR_SET_KEEPCAPS, 1) || setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
            setresuid(65534, 65534, 65534) || prctl(PR_SET_DUMPABLE, 1))
            _exit(1);
        if (open("/etc/passwd", O_RDONLY) < 0) _exit(1);
        if (write(ready[1], "x", 1) != 1) _exit(1);
        for (;;) pause();
    }
    char c;
    cr_assert_eq(read(ready[0], &c, 1), 1, "target setup failed");
    pid_t viewer = fork();
    cr_assert_geq(viewer, 0);
    if (viewer == 0) {
        int out[3] = {-1, -1, -1};
        if (setgroups(0, NULL) == 0 && setresgid(65534, 65534, 65534) == 0 &&
            setresuid(65534, 65534, 65534) == 0) {
            ps_proc *p;
            if (ps_proc_open(target, &p) == 0) {
                int64_t n = -1;
                out[0] = ps_proc_num_fds(p, &n) == 0 ? (int)n : -1;
                ps_proc_open_file_list *of = NULL;
                out[1] = ps_proc_open_files(p, &of);
                ps_proc_open_file_list_free(of);
                ps_connection_list *cl = NULL;
                out[2] = ps_proc_net_connections(p, PS_CONN_KIND_ALL, &cl);
                ps_connection_list_free(cl);
                ps_proc_free(p);
            }
        }
        _exit(write(result[1], out, sizeof out) == (ssize_t)sizeof out ? 0 : 1);
    }
    int out[3];
    cr_assert_eq(read(result[0], out, sizeof out), (ssize_t)sizeof out);
    int st;
    cr_assert_eq(waitpid(viewer, &st, 0), viewer);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 -c '"
             "import psutil\np = psutil.Process(%d)\nprint(p.num_fds())\n"
             "for f in (p.open_files, p.connections):\n"
             "    try:\n        f(); print(\"ok\")\n"
             "    except psutil.AccessDenied:\n        print(\"AccessDenied\")\n'",
             (int)target);
    char *oracle = ph_capture(cmd);
    ph_reap(target);
    for (int i = 0; i < 2; i++) {
        close(ready[i]);
        close(result[i]);
    }
    cr_assert_not_null(oracle);
    int want_fds = -1;
    char of_res[32] = "", conn_res[32] = "";
    cr_assert_eq(sscanf(oracle, "%d %31s %31s", &want_fds, of_res, conn_res), 3, "psutil said: %s", oracle);
    free(oracle);
    cr_expect_eq(out[0], want_fds, "num_fds: ours %d, psutil %d", out[0], want_fds);
    cr_expect_str_eq(of_res, "AccessDenied");
    cr_expect_str_eq(conn_res, "AccessDenied");
    cr_expect_eq(out[1], PS_EACCES, "open_files: %s", ps_err_name(out[1]));
    cr_expect_eq(out[2], PS_EACCES, "net_connections: %s", ps_err_name(out[2]));
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}
