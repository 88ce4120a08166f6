/* SPDX-License-Identifier: MIT */
/* System figures macOS does not have (temperatures and fans, which psutil lacks there too;
 * cgroups): PS_ENOTSUP. Kept apart from system.c so that a back end implementing the rest
 * (macOS) links only these; disk I/O counters and the battery are in iokit.c. */
#include "stub.h"

PS__STUB2(ps__bk_temperatures, "ps_sensors_temperatures", ps__bk_sensor **, size_t *)
PS__STUB2(ps__bk_fans, "ps_sensors_fans", ps__bk_sensor **, size_t *)
PS__STUB4(ps__bk_cgroup_limits, "ps_proc_cgroup_limits",
          const ps_proc *, int64_t, ps_cgroup_limits *, ps__nstr *)
