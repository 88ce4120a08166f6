/* SPDX-License-Identifier: MIT */
/* CPU counts, boot time and virtual memory: not implemented on this platform yet (PS_ENOTSUP).
 * Apart from system.c because Windows implements these (src/windows/sys.c) and not the rest. */
#include "../backend.h"

int ps__bk_cpu_count_logical(int32_t *count)
{
    (void)count;
    return PS__NOTSUP("ps_cpu_count_logical");
}
int ps__bk_cpu_count_physical(int32_t *count)
{
    (void)count;
    return PS__NOTSUP("ps_cpu_count_physical");
}
int ps__bk_boot_time(double *out)
{
    (void)out;
    return PS__NOTSUP("ps_boot_time");
}
int ps__bk_virtual_memory(ps_vmem *out)
{
    (void)out;
    return PS__NOTSUP("ps_virtual_memory");
}
