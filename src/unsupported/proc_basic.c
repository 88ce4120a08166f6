/* SPDX-License-Identifier: MIT */
/* Process getters that Windows implements (src/windows/proc_getters.c) but BSD/macOS do not
 * yet: PS_ENOTSUP for the BSD build only. The rest of the stubs are in proc_getters.c, shared by
 * the BSD and Windows builds. */
#include "stub.h"

PS__STUB2(ps__bk_proc_name, "ps_proc_name", ps_proc *, ps__nstr *)
PS__STUB2(ps__bk_proc_exe, "ps_proc_exe", ps_proc *, ps__nstr *)
PS__STUB3(ps__bk_proc_cmdline, "ps_proc_cmdline", ps_proc *, ps__nstr *, size_t *)
PS__STUB2(ps__bk_proc_ppid, "ps_proc_ppid", ps_proc *, int64_t *)
PS__STUB2(ps__bk_proc_pid_ppid_pairs, "ps_proc_pid_ppid_pairs", int64_t **, size_t *)
PS__STUB2(ps__bk_proc_create_time, "ps_proc_create_time", ps_proc *, double *)
PS__STUB2(ps__bk_proc_cpu_times, "ps_proc_cpu_times", ps_proc *, ps_proc_cputimes *)
PS__STUB2(ps__bk_proc_memory_info, "ps_proc_memory_info", ps_proc *, ps_proc_mem *)
PS__STUB2(ps__bk_proc_num_threads, "ps_proc_num_threads", ps_proc *, int64_t *)
PS__STUB2(ps__bk_proc_username, "ps_proc_username", ps_proc *, ps__nstr *)
PS__STUB2(ps__bk_proc_nice, "ps_proc_nice", ps_proc *, int32_t *)
PS__STUB2(ps__bk_proc_set_nice, "ps_proc_set_nice", ps_proc *, int32_t)
PS__STUB2(ps__bk_proc_status, "ps_proc_status", ps_proc *, ps_process_status *)
PS__STUB2(ps__bk_proc_page_faults, "ps_proc_page_faults", ps_proc *, ps_proc_pagefaults *)
PS__STUB2(ps__bk_proc_num_ctx_switches, "ps_proc_num_ctx_switches", ps_proc *, ps_proc_ctxsw *)
PS__STUB2(ps__bk_proc_environ, "ps_proc_environ", ps_proc *, ps__nstr *)
PS__STUB2(ps__bk_proc_cwd, "ps_proc_cwd", ps_proc *, ps__nstr *)
PS__STUB3(ps__bk_proc_threads, "ps_proc_threads", ps_proc *, ps__bk_thread **, size_t *)
PS__STUB3(ps__bk_proc_signal, "ps_proc_signal", ps_proc *, int, int32_t)
PS__STUB2(ps__bk_proc_memory_info_ex, "ps_proc_memory_info_ex", ps_proc *, ps_proc_mem_ex *)
PS__STUB2(ps__bk_proc_memory_footprint, "ps_proc_memory_footprint", ps_proc *, ps_proc_footprint *)
