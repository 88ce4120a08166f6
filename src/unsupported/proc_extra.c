/* SPDX-License-Identifier: MIT */
/* Process getters psutil has on some platforms but not on macOS (nor, in this library yet, on
 * Windows and the other BSDs): PS_ENOTSUP. Kept apart from proc_getters.c so that a back end
 * that implements the rest (macOS) links only these. */
#include "stub.h"

PS__STUB2(ps__bk_proc_cpu_num, "ps_proc_cpu_num", ps_proc *, int32_t *)
PS__STUB4(ps__bk_proc_rlimit, "ps_proc_rlimit", ps_proc *, ps_rlimit_resource, int64_t *, int64_t *)
PS__STUB4(ps__bk_proc_set_rlimit, "ps_proc_set_rlimit",
          ps_proc *, ps_rlimit_resource, int64_t, int64_t)
PS__STUB3(ps__bk_proc_cgroup, "ps_proc_cgroup", ps_proc *, ps__nstr *, size_t *)
