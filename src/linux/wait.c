/* SPDX-License-Identifier: MIT */
/* Waiting on Linux: the handle's pidfd + poll (one process) or epoll (many), reaping children
 * with waitid(P_PIDFD); any failure of that path falls back to src/posix/wait_fallback.c. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../posix/wait_posix.h"
#include "linux.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* poll/epoll take int milliseconds: wait at most a day per slice, then recompute. */
#define SLICE_CAP_MS (24 * 3600 * 1000)

/* Is pidfd_open permanently blocked (seccomp ENOSYS/EPERM, no anon-inode fs)? Learned once
 * from a probe on our own PID: 0 unknown, 1 usable, 2 blocked. */
static atomic_int pidfd_state;
/* Does this kernel raise POLLHUP on a pidfd when the process is reaped (6.9+)? Learned from
 * observation: 0 unknown, 1 yes, 2 no. Lets a non-child zombie be waited on without polling. */
static atomic_int hup_state;

enum { PHASE_EXIT = 0, PHASE_REAP = 1 };
#define USE_FALLBACK 1  /* internal: the event path cannot continue, hand over to the fallback */

static void probe_pidfd_blocked(void)
{
    if (atomic_load(&pidfd_state) != 0) return;
    int fd = ps__pidfd_open(getpid(), 0);
    if (fd >= 0) {
        close(fd);
        atomic_store(&pidfd_state, 1);
        return;
    }
    int err = errno;
    if (err == ENOSYS || err == EPERM || err == EACCES || err == ENODEV) atomic_store(&pidfd_state, 2);
    /* EMFILE/ENFILE/ENOMEM are transient: stay unknown. */
}

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

static void *probe_thread(void *arg)
{
    int *fds = arg;
    pid_t tid = (pid_t)syscall(SYS_gettid);
    if (write(fds[3], &tid, sizeof tid) != (ssize_t)sizeof tid) return NULL;
    char b;
    while (read(fds[0], &b, 1) < 0 && errno == EINTR) {}
    return NULL;
}

/*
 * Learn once whether a pidfd reports POLLHUP when its task is reaped, without forking (which
 * would disturb the application's SIGCHLD handling): a short-lived thread, watched through a
 * PIDFD_THREAD pidfd, is reaped as soon as it exits. Kernels without thread pidfds (< 6.9)
 * also predate POLLHUP-on-reap; they answer EINVAL and are recorded as "no".
 */
static void probe_hup(void)
{
    if (atomic_load(&hup_state) != 0) return;
    int fds[4] = {-1, -1, -1, -1};
    if (pipe2(fds, O_CLOEXEC) < 0) return;
    if (pipe2(fds + 2, O_CLOEXEC) < 0) {
        close(fds[0]);
        close(fds[1]);
        return;
    }
    pthread_t th;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old); /* the probe thread takes no signals */
    int started = pthread_create(&th, NULL, probe_thread, fds) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (started) {
        pid_t tid = 0;
        ssize_t r;
        do r = read(fds[2], &tid, sizeof tid);
        while (r < 0 && errno == EINTR);
        int pfd = r == (ssize_t)sizeof tid ? ps__pidfd_open(tid, PIDFD_THREAD) : -1;
        int err = errno;
        close(fds[1]); /* EOF: the thread exits */
        fds[1] = -1;
        pthread_join(th, NULL);
        if (pfd >= 0) {
            struct pollfd q = {pfd, 0, 0};
            int n;
            do n = poll(&q, 1, 200);
            while (n < 0 && errno == EINTR);
            if (n >= 0) atomic_store(&hup_state, (q.revents & POLLHUP) ? 1 : 2);
            close(pfd);
        } else if (err == EINVAL) {
            atomic_store(&hup_state, 2);
        }
    }
    for (int i = 0; i < 4; i++)
        if (fds[i] >= 0) close(fds[i]);
}

int ps__bk_wait_alive(ps_proc *proc)
{
    uint64_t ticks;
    int rc = ps__proc_start_ticks(proc->dirfd, &ticks);
    if (rc == PS_ENOPROC) return 0;
    if (rc == 0) return ticks == proc->start_ticks;
    /* stat unreadable (EMFILE when the fd table is full, ...): fall back to kill(pid, 0),
     * which cannot tell a reused PID apart but needs no fd. EPERM means it exists. */
    if (kill((pid_t)proc->pid, 0) == 0 || errno == EPERM) return 1;
    if (errno == ESRCH) return 0;
    return rc;
}

/* The pidfd to wait on: the handle's, or (if it has none) a fresh one that the caller closes
 * (*own = 1). -1 when none can be had. */
static int get_pidfd(ps_proc *p, int *own)
{
    *own = 0;
    if (p->pidfd >= 0) return p->pidfd;
    if (atomic_load(&pidfd_state) == 2) return -1;
    int fd = ps__pidfd_open((pid_t)p->pid, 0);
    if (fd < 0) {
        int err = errno;
        if (err == ENOSYS || err == EPERM || err == EACCES || err == ENODEV) probe_pidfd_blocked();
        return -1;
    }
    /* pidfd_open looked the number up afresh: keep it only if it found the pinned process. */
    if (ps__bk_wait_alive(p) != 1) {
        close(fd);
        return -1;
    }
    *own = 1;
    return fd;
}

/* Can PIDFD_GET_INFO give exit records? 0 as far as we know, 2 never (no such ioctl before
 * 6.13, seccomp): learned once from the first refusal. */
static atomic_int exit_info_state;

/* The exit status the kernel recorded on pidfd fd when the process was reaped by someone else
 * (its parent, or another waiter). 1 and *r filled when there is one. ESRCH, a reaped process
 * without a record, is not remembered: 6.13/6.14 answer so, but so may a pidfd opened after
 * the reap. */
static int exit_info(ps_proc *p, int fd, ps_wait_result *r)
{
    if (atomic_load_explicit(&exit_info_state, memory_order_relaxed) == 2) return 0;
    struct ps__pidfd_info info;
    int rc = ps__pidfd_get_exit_info(fd, &info);
    if (rc < 0) {
        int err = -rc;
        if (err == ENOTTY || err == EINVAL || err == ENOSYS || err == EPERM || err == EACCES)
            atomic_store(&exit_info_state, 2);
        return 0;
    }
    if (!(info.mask & PS__PIDFD_INFO_EXIT)) return 0;
    ps__wait_result_from_status(r, p->pid, info.exit_code, PS_WAIT_MECH_PIDFD);
    if (r->kind == PS_WAIT_UNKNOWN) return 0;
    r->source = PS_WAIT_SOURCE_PIDFD_INFO;
    return 1;
}

/* The pinned process has been reaped by someone else: its status from the kernel's exit
 * record when there is one, else unknown. */
static void set_reaped_elsewhere(ps_proc *p, int fd, ps_wait_result *out)
{
    ps_wait_result r;
    if (!exit_info(p, fd, &r)) ps__wait_result_make(&r, p->pid, PS_WAIT_UNKNOWN, 0, 0, PS_WAIT_MECH_PIDFD);
    ps__wait_cache_set(&p->wait, &r, out);
}

/*
 * Act on a readiness report for pidfd fd. Returns 0 (done, *out filled), PS_ETIMEDOUT (not
 * done yet; *phase may have moved to PHASE_REAP: a non-child that exited but is not reaped),
 * or USE_FALLBACK.
 */
static int on_ready(ps_proc *p, int fd, unsigned revents, int *phase, ps_wait_result *out)
{
    if (revents & POLLNVAL) return USE_FALLBACK;
    if (*phase == PHASE_EXIT && (revents & (POLLIN | POLLHUP | POLLERR))) {
        if (!ps__wait_cache_claim(&p->wait, out)) return 0;
        siginfo_t si;
        int r;
        for (;;) {
            memset(&si, 0, sizeof si);
            r = waitid((idtype_t)P_PIDFD, (id_t)fd, &si, WEXITED | WNOHANG);
            if (r == 0 || errno != EINTR) break;
        }
        if (r == 0 && si.si_pid != 0) {
            ps_wait_result res;
            if (si.si_code == CLD_EXITED)
                ps__wait_result_make(&res, p->pid, PS_WAIT_EXITED, si.si_status, 0, PS_WAIT_MECH_PIDFD);
            else if (si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED)
                ps__wait_result_make(&res, p->pid, PS_WAIT_SIGNALED, si.si_status,
                                     si.si_code == CLD_DUMPED, PS_WAIT_MECH_PIDFD);
            else
                ps__wait_result_make(&res, p->pid, PS_WAIT_UNKNOWN, 0, 0, PS_WAIT_MECH_PIDFD);
            ps__wait_cache_publish(&p->wait, &res, out);
            /* Learn, for free, whether this kernel flags reaped pidfds with POLLHUP. */
            if (atomic_load_explicit(&hup_state, memory_order_relaxed) == 0) {
                struct pollfd q = {fd, 0, 0};
                if (poll(&q, 1, 0) >= 0) atomic_store(&hup_state, (q.revents & POLLHUP) ? 1 : 2);
            }
            return 0;
        }
        int err = errno;
        ps__wait_cache_release(&p->wait);
        if (r == 0) return USE_FALLBACK;            /* readable yet not waitable: let waitpid decide */
        if (err != ECHILD) return USE_FALLBACK;     /* e.g. EINVAL: no P_PIDFD before 5.4 */
        /* Not our child (or reaped by someone else): it has ended once it is reaped. */
        *phase = PHASE_REAP;
        probe_hup();
        if (revents & POLLHUP) {
            atomic_store(&hup_state, 1);
            set_reaped_elsewhere(p, fd, out);
            return 0;
        }
        return PS_ETIMEDOUT;
    }
    if (*phase == PHASE_REAP && (revents & POLLHUP)) {
        atomic_store(&hup_state, 1);
        set_reaped_elsewhere(p, fd, out);
        return 0;
    }
    return PS_ETIMEDOUT;
}

/* In PHASE_REAP without a POLLHUP guarantee: has the pinned process gone? 0 done, ETIMEDOUT not. */
static int reap_check(ps_proc *p, int fd, ps_wait_result *out)
{
    int alive = ps__bk_wait_alive(p);
    if (alive < 0) return USE_FALLBACK;
    if (alive) return PS_ETIMEDOUT;
    struct pollfd q = {fd, 0, 0};
    if (poll(&q, 1, 0) >= 0) atomic_store(&hup_state, (q.revents & POLLHUP) ? 1 : 2);
    set_reaped_elsewhere(p, fd, out);
    return 0;
}

static int wait_pidfd(ps_proc *p, int fd, int64_t deadline, ps_wait_result *out)
{
    int phase = PHASE_EXIT;
    int64_t backoff = PS__BACKOFF_FIRST_NS;
    for (;;) {
        int polling = phase == PHASE_REAP && atomic_load(&hup_state) != 1;
        int ms = ps__slice_ms(deadline, SLICE_CAP_MS);
        if (polling) {
            int bms = (int)((backoff + 999999) / 1000000);
            if (bms < ms) ms = bms;
        }
        struct pollfd q = {fd, (short)(phase == PHASE_EXIT ? POLLIN : 0), 0};
        int n = poll(&q, 1, ms);
        if (n < 0) {
            if (errno == EINTR) continue;   /* never restarted by SA_RESTART: recompute the slice */
            return USE_FALLBACK;
        }
        int rc;
        if (n > 0) {
            rc = on_ready(p, fd, (unsigned)q.revents, &phase, out);
            if (rc != PS_ETIMEDOUT) return rc;
            continue;   /* moved to PHASE_REAP: wait for the reap */
        }
        if (polling) {
            rc = reap_check(p, fd, out);
            if (rc != PS_ETIMEDOUT) return rc;
            backoff = backoff * 2 > PS__BACKOFF_MAX_NS ? PS__BACKOFF_MAX_NS : backoff * 2;
        }
        if (ps__ns_left(deadline) == 0)
            return ps__error(PS_ETIMEDOUT, 0, "process %lld still running", (long long)p->pid);
    }
}

int ps__bk_proc_wait(ps_proc *proc, double timeout, ps_wait_result *out)
{
    if (ps__wait_cache_get(&proc->wait, out)) return 0;
    int64_t deadline = ps__deadline_after(timeout);
    if (!ps__wait_forced_fallback()) {
        int own;
        int fd = get_pidfd(proc, &own);
        if (fd >= 0) {
            int rc = wait_pidfd(proc, fd, deadline, out);
            if (own) close(fd);
            if (rc != USE_FALLBACK) return rc;
        }
    }
    return ps__wait_fallback(proc, proc->pid, &proc->wait, deadline, out);
}

/* ---- many ------------------------------------------------------------------------------- */

enum { W_DONE = PS__WM_DONE, W_HYBRID = PS__WM_BACKOFF, W_EPOLL_EXIT = PS__WM_EVENT, W_EPOLL_REAP };

int ps__bk_proc_wait_many(ps_proc *const *procs, size_t n, double timeout, uint32_t flags,
                          ps_wait_status *st)
{
    int64_t deadline = ps__deadline_after(timeout);
    size_t done;
    ps__backoff bo;
    unsigned char *how = ps__wait_many_begin(procs, n, st, &bo, &done);   /* others W_HYBRID */
    if (!how) return PS_ENOMEM;
    int ep = -1;
    int forced = ps__wait_forced_fallback();

    if (done < n && !(flags & PS_WAIT_ANY && done > 0) && !forced) {
        ep = epoll_create1(EPOLL_CLOEXEC);
    }
    for (size_t i = 0; i < n; i++) {
        if (how[i] != W_HYBRID) continue;
        if (ep >= 0 && procs[i]->pidfd >= 0) {
            struct epoll_event ev;
            memset(&ev, 0, sizeof ev);
            ev.events = EPOLLIN;
            ev.data.u64 = i;
            if (epoll_ctl(ep, EPOLL_CTL_ADD, procs[i]->pidfd, &ev) == 0) {
                how[i] = W_EPOLL_EXIT;
                continue;
            }
        }
        bo.members++;
    }

    int rc = 0, last = 0;
    for (;;) {
        /* The hybrid set: one fallback round each when due. */
        ps__backoff_round(&bo, procs, n, how, st, last, &done);
        if (done + bo.failed == n || ((flags & PS_WAIT_ANY) && done > 0) || last) break;
        int64_t left = ps__ns_left(deadline);
        if (left == 0) last = 1;   /* one more non-blocking pass over everything, then stop */

        int ms = last ? 0 : ps__slice_ms(deadline, SLICE_CAP_MS);
        if (bo.members > 0 && !last) {
            int64_t until = ps__backoff_cap_ns(&bo, INT64_MAX);
            int hms = (int)((until + 999999) / 1000000);
            if (hms < ms) ms = hms;
        }
        if (ep < 0) {
            ps__sleep_ns((int64_t)ms * 1000000);
            continue;
        }
        struct epoll_event evs[64];
        int got = epoll_wait(ep, evs, 64, ms);
        if (got < 0) {
            if (errno == EINTR) continue;   /* with `last` set, the next round ends the call */
            /* epoll itself failed: hand every watched process to the hybrid set. */
            for (size_t i = 0; i < n; i++)
                if (how[i] == W_EPOLL_EXIT || how[i] == W_EPOLL_REAP) ps__backoff_add(&bo, how, i);
            close(ep);
            ep = -1;
            bo.next_check = 0;
            continue;
        }
        for (int k = 0; k < got; k++) {
            size_t i = (size_t)evs[k].data.u64;
            if (i >= n || how[i] == W_DONE || how[i] == W_HYBRID) continue;
            int phase = how[i] == W_EPOLL_EXIT ? PHASE_EXIT : PHASE_REAP;
            int r = on_ready(procs[i], procs[i]->pidfd, evs[k].events, &phase, &st[i].result);
            if (r == 0) {
                epoll_ctl(ep, EPOLL_CTL_DEL, procs[i]->pidfd, NULL);
                st[i].done = 1;
                how[i] = W_DONE;
                done++;
            } else if (r == PS_ETIMEDOUT && phase == PHASE_REAP && how[i] == W_EPOLL_EXIT) {
                /* A non-child that exited: wait for its reap. With POLLHUP-on-reap, watch for
                 * EPOLLHUP only (events 0); without it, check it in the hybrid set. */
                struct epoll_event ev;
                memset(&ev, 0, sizeof ev);
                ev.data.u64 = i;
                if (atomic_load(&hup_state) == 1 &&
                    epoll_ctl(ep, EPOLL_CTL_MOD, procs[i]->pidfd, &ev) == 0) {
                    how[i] = W_EPOLL_REAP;
                } else {
                    epoll_ctl(ep, EPOLL_CTL_DEL, procs[i]->pidfd, NULL);
                    ps__backoff_add(&bo, how, i);
                }
            } else if (r == USE_FALLBACK) {
                epoll_ctl(ep, EPOLL_CTL_DEL, procs[i]->pidfd, NULL);
                ps__backoff_add(&bo, how, i);
            }
        }
    }
    if (ep >= 0) close(ep);
    free(how);
    return rc;
}
