/* SPDX-License-Identifier: MIT */
/* CPU counts, boot time and virtual memory: not implemented on this platform yet (PS_ENOTSUP).
 * Apart from system.c because Windows implements these (src/windows/sys.c) and not the rest. */
#include "stub.h"

PS__STUB1(ps__bk_cpu_count_logical, "ps_cpu_count_logical", int32_t *)
PS__STUB1(ps__bk_cpu_count_physical, "ps_cpu_count_physical", int32_t *)
PS__STUB1(ps__bk_boot_time, "ps_boot_time", double *)
PS__STUB1(ps__bk_virtual_memory, "ps_virtual_memory", ps_vmem *)
