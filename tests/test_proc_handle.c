/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <psinfo.h>
#include "helpers/fdcheck.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(proc_handle);

Test(proc_handle, self_and_bad_input)
{
    ps_proc *p;
    cr_assert_eq(ps_proc_open_self(&p), 0);
    cr_assert_eq(ps_proc_pid(p), getpid());
    int running = -1;
    cr_assert_eq(ps_proc_is_running(p, &running), 0);
    cr_assert_eq(running, 1);
    ps_proc_free(p);
    cr_assert_eq(ps_proc_open(0, &p), PS_EINVAL);
    cr_assert_eq(ps_proc_open(-5, &p), PS_EINVAL);
    cr_assert_eq(ps_proc_open(1, NULL), PS_EINVAL);
    cr_assert_eq(ps_proc_open((int64_t)1 << 40, &p), PS_ENOPROC);
    cr_assert_eq(ps_proc_is_running(NULL, &running), PS_EINVAL);
}

Test(proc_handle, gone_after_reap)
{
    pid_t c = fork();
    if (c == 0) {
        pause();
        _exit(0);
    }
    ps_proc *p;
    cr_assert_eq(ps_proc_open(c, &p), 0);
    kill(c, SIGKILL);
    int running = -1;
    waitpid(c, NULL, 0);
    cr_assert_eq(ps_proc_is_running(p, &running), 0);
    cr_assert_eq(running, 0);
    ps_proc_free(p);
    cr_assert_eq(ps_proc_open(c, &p), PS_ENOPROC);
}
