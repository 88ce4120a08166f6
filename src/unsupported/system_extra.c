/* SPDX-License-Identifier: MIT */
/* System figures macOS does not have (temperatures and fans, which psutil lacks there too;
 * cgroups): PS_ENOTSUP. Kept apart from system.c so that a back end implementing the rest
 * (macOS) links only these; disk I/O counters and the battery are in iokit.c. */
#include "../backend.h"

int ps__bk_temperatures(ps__bk_sensor **items, size_t *count)
    { (void)items, (void)count; return PS__NOTSUP("ps_sensors_temperatures"); }
int ps__bk_fans(ps__bk_sensor **items, size_t *count)
    { (void)items, (void)count; return PS__NOTSUP("ps_sensors_fans"); }
int ps__bk_cgroup_limits(const ps_proc *proc, int64_t pid, ps_cgroup_limits *out, ps__nstr *path)
    { (void)proc, (void)pid, (void)out, (void)path; return PS__NOTSUP("ps_proc_cgroup_limits"); }
