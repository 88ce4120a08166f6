/* SPDX-License-Identifier: MIT */
/* Disk I/O counters and the battery where the back end has no source for them yet (macOS reads
 * both through IOKit, bsd/darwin_iokit.c): PS_ENOTSUP. */
#include "../backend.h"

int ps__bk_diskio_read(ps__bk_diskio **items, size_t *count)
{
    (void)items;
    (void)count;
    return ps__error(PS_ENOTSUP, 0, "disk_io_counters: not supported on this platform yet");
}

int ps__bk_battery(ps_battery *out)
{
    (void)out;
    return ps__error(PS_ENOTSUP, 0, "sensors_battery: not supported on this platform yet");
}
