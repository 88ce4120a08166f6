/* SPDX-License-Identifier: MIT */
/* Process getters psutil has on some platforms but not on macOS (nor, in this library yet, on
 * Windows and the other BSDs): PS_ENOTSUP. Kept apart from proc_getters.c so that a back end
 * that implements the rest (macOS) links only these. */
#include <stdlib.h>

#include "../backend.h"

int ps__bk_proc_cpu_num(ps_proc *p, int32_t *out)
    { (void)p, (void)out; return PS__NOTSUP("ps_proc_cpu_num"); }
int ps__bk_proc_rlimit(ps_proc *p, ps_rlimit_resource resource, int64_t *soft, int64_t *hard)
    { (void)p, (void)resource, (void)soft, (void)hard; return PS__NOTSUP("ps_proc_rlimit"); }
int ps__bk_proc_set_rlimit(ps_proc *p, ps_rlimit_resource resource, int64_t soft, int64_t hard)
    { (void)p, (void)resource, (void)soft, (void)hard; return PS__NOTSUP("ps_proc_set_rlimit"); }
int ps__bk_proc_cgroup(ps_proc *p, ps__nstr *items, size_t *count)
    { (void)p, (void)items, (void)count; return PS__NOTSUP("ps_proc_cgroup"); }
