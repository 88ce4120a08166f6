/* SPDX-License-Identifier: MIT */
/* Process getters that Windows implements (src/windows/proc_getters.c) but BSD/macOS do not
 * yet: PS_ENOTSUP for the BSD build only. The rest of the stubs are in proc_getters.c, shared by
 * the BSD and Windows builds. */
#include <stdlib.h>

#include "../backend.h"

int ps__bk_proc_name(ps_proc *p, ps__nstr *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_name");
}

int ps__bk_proc_exe(ps_proc *p, ps__nstr *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_exe");
}

int ps__bk_proc_cmdline(ps_proc *p, ps__nstr *items, size_t *count)
{
    (void)p;
    (void)items;
    (void)count;
    return PS__NOTSUP("ps_proc_cmdline");
}

int ps__bk_proc_ppid(ps_proc *p, int64_t *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_ppid");
}

int ps__bk_proc_create_time(ps_proc *p, double *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_create_time");
}

int ps__bk_proc_cpu_times(ps_proc *p, ps_proc_cputimes *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_cpu_times");
}

int ps__bk_proc_memory_info(ps_proc *p, ps_proc_mem *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_memory_info");
}

int ps__bk_proc_num_threads(ps_proc *p, int64_t *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_num_threads");
}

int ps__bk_proc_username(ps_proc *p, ps__nstr *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_username");
}

int ps__bk_proc_nice(ps_proc *p, int32_t *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_nice");
}

int ps__bk_proc_set_nice(ps_proc *p, int32_t value)
{
    (void)p;
    (void)value;
    return PS__NOTSUP("ps_proc_set_nice");
}

int ps__bk_proc_status(ps_proc *p, ps_process_status *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_status");
}

int ps__bk_proc_page_faults(ps_proc *p, ps_proc_pagefaults *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_page_faults");
}

int ps__bk_proc_num_ctx_switches(ps_proc *p, ps_proc_ctxsw *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_num_ctx_switches");
}

int ps__bk_proc_environ(ps_proc *p, ps__nstr *block)
{
    (void)p;
    (void)block;
    return PS__NOTSUP("ps_proc_environ");
}

int ps__bk_proc_cwd(ps_proc *p, ps__nstr *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_cwd");
}

int ps__bk_proc_threads(ps_proc *p, ps__bk_thread **items, size_t *count)
{
    (void)p;
    (void)items;
    (void)count;
    return PS__NOTSUP("ps_proc_threads");
}

int ps__bk_proc_signal(ps_proc *p, int op, int32_t sig)
{
    (void)p;
    (void)op;
    (void)sig;
    return PS__NOTSUP("ps_proc_signal");
}

int ps__bk_proc_memory_info_ex(ps_proc *p, ps_proc_mem_ex *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_memory_info_ex");
}

int ps__bk_proc_memory_footprint(ps_proc *p, ps_proc_footprint *out)
{
    (void)p;
    (void)out;
    return PS__NOTSUP("ps_proc_memory_footprint");
}
