/* SPDX-License-Identifier: MIT */
/*
 * Resource limits: with RLIMIT_NOFILE lowered to a handful, calls return an error or
 * the right answer, never a wrong answer that looks like success. Regression test for
 * ps_proc_children(), which returned 0 with the child missing when it ran out of fds.
 * (scripts/alloc-fail.sh covers every function under fd limits 3..16 and allocation failures.)
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "psinfo.h"
#include "helpers/fdcheck.h"

static int fds_before;
static void fd_setup(void) { fds_before = fdcheck_count(); }
static void fd_teardown(void) { cr_assert_eq(fdcheck_count(), fds_before, "fd leak"); }
TestSuite(limits, .init = fd_setup, .fini = fd_teardown);

static pid_t spawn_pause(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    return pid;
}

/* Lower the soft fd limit to `open fds + extra`; returns the old limit. */
static struct rlimit lower_nofile(int extra)
{
    struct rlimit old, rl;
    getrlimit(RLIMIT_NOFILE, &old);
    rl = old;
    rl.rlim_cur = (rlim_t)(fdcheck_count() + extra);
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    return old;
}

/* Does a soft RLIMIT_NOFILE at the current fd count stop the next open? */
static int limit_enforced(void)
{
    struct rlimit old = lower_nofile(0);
    int fd = open("/dev/null", O_RDONLY);
    setrlimit(RLIMIT_NOFILE, &old);
    if (fd >= 0) close(fd);
    return fd < 0;
}

Test(limits, children_complete_or_error_under_fd_limit)
{
    pid_t kids[3];
    for (int i = 0; i < 3; i++) cr_assert_gt(kids[i] = spawn_pause(), 0);
    ps_proc *self = NULL;
    cr_assert_eq(ps_proc_open_self(&self), 0);
    int ok_runs = 0, err_runs = 0;
    for (int extra = 0; extra <= 8; extra++) {
        struct rlimit old = lower_nofile(extra);
        ps_proc_list *l = NULL;
        int rc = ps_proc_children(self, 0, &l);
        setrlimit(RLIMIT_NOFILE, &old);
        if (rc == 0) {
            ok_runs++;
            cr_expect_eq(l->count, 3, "extra fds %d: %zu children, want 3", extra, l->count);
            for (size_t i = 0; i < l->count; i++) {
                int64_t pid = ps_proc_pid(l->items[i]);
                cr_expect(pid == kids[0] || pid == kids[1] || pid == kids[2]);
            }
        } else {
            err_runs++;
            cr_expect(rc == PS_EMFILE || rc == PS_ENOMEM, "extra fds %d: %s", extra, ps_err_name(rc));
            cr_expect_null(l);
        }
        ps_proc_list_free(l);
    }
    /* Both outcomes happened: the limit was low enough to bite and high enough to work
     * (unless the limit is not enforced at all, as under valgrind, which virtualises it). */
    if (limit_enforced()) cr_expect_gt(err_runs, 0);
    cr_expect_gt(ok_runs, 0);
    ps_proc_free(self);
    for (int i = 0; i < 3; i++) {
        kill(kids[i], SIGKILL);
        waitpid(kids[i], NULL, 0);
    }
}

/* A table scan and pid listing at the limit: error or a list that includes us. */
Test(limits, scan_and_pids_under_fd_limit)
{
    for (int extra = 0; extra <= 4; extra++) {
        struct rlimit old = lower_nofile(extra);
        ps_ptable *t = NULL;
        int rc = ps_ptable_scan(PS_PT_BIT(PS_PT_NAME), 0, &t);
        ps_pid_list *pl = NULL;
        int rc2 = ps_pids(&pl);
        setrlimit(RLIMIT_NOFILE, &old);
        if (rc == 0) {
            int found = 0;
            for (size_t i = 0; i < t->count; i++) found |= t->records[i].pid == getpid();
            cr_expect(found, "extra %d: the scan lacks us", extra);
        } else {
            cr_expect_eq(rc, PS_EMFILE, "extra %d: %s", extra, ps_err_name(rc));
        }
        if (rc2 == 0) {
            int found = 0;
            for (size_t i = 0; i < pl->count; i++) found |= pl->items[i] == getpid();
            cr_expect(found, "extra %d: ps_pids lacks us", extra);
        } else {
            cr_expect_eq(rc2, PS_EMFILE, "extra %d: %s", extra, ps_err_name(rc2));
        }
        ps_ptable_free(t);
        ps_pid_list_free(pl);
    }
}
