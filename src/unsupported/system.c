/* SPDX-License-Identifier: MIT */
/* System-wide information on this platform: not implemented yet — every entry point returns
 * PS_ENOTSUP (never zeros that look like data). */
#include "../backend.h"


int ps__bk_cpu_times(ps_cputimes *total, ps_cputimes_list **percpu)
{
    (void)total;
    (void)percpu;
    return PS__NOTSUP("ps_cpu_times");
}
int ps__bk_cpu_stats(ps_cpustats *out)
{
    (void)out;
    return PS__NOTSUP("ps_cpu_stats");
}
int ps__bk_cpu_freq_percpu(ps_cpufreq_list **out)
{
    (void)out;
    return PS__NOTSUP("ps_cpu_freq");
}
int ps__bk_getloadavg(double load[3])
{
    (void)load;
    return PS__NOTSUP("ps_getloadavg");
}
int ps__bk_swap_memory(ps_swapmem *out)
{
    (void)out;
    return PS__NOTSUP("ps_swap_memory");
}
int ps__bk_disk_partitions(int all, ps__bk_partition **items, size_t *count)
{
    (void)all;
    (void)items;
    (void)count;
    return PS__NOTSUP("ps_disk_partitions");
}
int ps__bk_disk_usage(const char *path, ps_diskusage *out)
{
    (void)path;
    (void)out;
    return PS__NOTSUP("ps_disk_usage");
}
int ps__bk_users(const char *utmp_path, ps__bk_user **items, size_t *count)
{
    (void)utmp_path;
    (void)items;
    (void)count;
    return PS__NOTSUP("ps_users");
}
