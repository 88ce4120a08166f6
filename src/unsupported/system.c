/* SPDX-License-Identifier: MIT */
/* System-wide information on this platform: not implemented yet — every entry point returns
 * PS_ENOTSUP (never zeros that look like data). */
#include "stub.h"

PS__STUB2(ps__bk_cpu_times, "ps_cpu_times", ps_cputimes *, ps_cputimes_list **)
PS__STUB1(ps__bk_cpu_stats, "ps_cpu_stats", ps_cpustats *)
PS__STUB1(ps__bk_cpu_freq_percpu, "ps_cpu_freq", ps_cpufreq_list **)
PS__STUB1(ps__bk_getloadavg, "ps_getloadavg", double *)
PS__STUB1(ps__bk_swap_memory, "ps_swap_memory", ps_swapmem *)
PS__STUB3(ps__bk_disk_partitions, "ps_disk_partitions", int, ps__bk_partition **, size_t *)
PS__STUB2(ps__bk_disk_usage, "ps_disk_usage", const char *, ps_diskusage *)
PS__STUB3(ps__bk_users, "ps_users", const char *, ps__bk_user **, size_t *)
