/* SPDX-License-Identifier: MIT */
/* System-wide information on this platform: not implemented yet — every entry point returns
 * PS_ENOTSUP (never zeros that look like data). */
#include "../backend.h"

#define NOTSUP(what) ps__error(PS_ENOTSUP, 0, what ": not supported on this platform yet")

int ps__bk_cpu_times(ps_cputimes *total, ps_cputimes_list **percpu)
{
    (void)total;
    (void)percpu;
    return NOTSUP("cpu_times");
}
int ps__bk_cpu_stats(ps_cpustats *out)
{
    (void)out;
    return NOTSUP("cpu_stats");
}
int ps__bk_cpu_freq_percpu(ps_cpufreq_list **out)
{
    (void)out;
    return NOTSUP("cpu_freq");
}
int ps__bk_getloadavg(double load[3])
{
    (void)load;
    return NOTSUP("getloadavg");
}
int ps__bk_swap_memory(ps_swapmem *out)
{
    (void)out;
    return NOTSUP("swap_memory");
}
int ps__bk_disk_partitions(int all, ps__bk_partition **items, size_t *count)
{
    (void)all;
    (void)items;
    (void)count;
    return NOTSUP("disk_partitions");
}
int ps__bk_disk_usage(const char *path, ps_diskusage *out)
{
    (void)path;
    (void)out;
    return NOTSUP("disk_usage");
}
int ps__bk_users(const char *utmp_path, ps__bk_user **items, size_t *count)
{
    (void)utmp_path;
    (void)items;
    (void)count;
    return NOTSUP("users");
}
