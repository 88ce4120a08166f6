/* SPDX-License-Identifier: MIT */
/* Process enumeration and the process table: not implemented on this platform yet
 * (PS_ENOTSUP, never an empty list that looks like data). */
#include "stub.h"

PS__STUB2(ps__bk_pids, "ps_pids", int64_t **, size_t *)
PS__STUB2(ps__bk_pid_exists, "ps_pid_exists", int64_t, int *)
PS__STUB3(ps__bk_ptable_scan, "ps_ptable_scan", uint64_t, uint32_t, ps__ptable_builder *)
PS__STUB3(ps__bk_proc_snapshot, "ps_proc_snapshot", ps_proc *, uint64_t, ps__ptable_builder *)
