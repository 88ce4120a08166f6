/* SPDX-License-Identifier: MIT */
/* Process getters and signals: not implemented on this platform yet (PS_ENOTSUP). */
#include <stdlib.h>

#include "../backend.h"

int ps__bk_proc_ids(ps_proc *p, int gids, ps_proc_ids *out)
{
    (void)p;
    (void)gids;
    (void)out;
    return PS__NOTSUP("ps_proc_ids");
}

int ps__bk_proc_terminal(ps_proc *p, ps__nstr *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_terminal");
}

int ps__bk_proc_pid_ppid_pairs(int64_t **pairs, size_t *count)
{
    (void)pairs;
    (void)count;
    return PS__NOTSUP("ps_proc_pid_ppid_pairs");
}

int ps__bk_proc_cpu_sample(ps_proc *p, ps_proc_cpu_sample *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_cpu_sample");
}

int ps__bk_proc_num_fds(ps_proc *p, int64_t *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_num_fds");
}

