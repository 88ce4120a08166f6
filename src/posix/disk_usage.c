/* SPDX-License-Identifier: MIT */
/* disk_usage through statvfs(3) alone (posix/statvfs.c), where nothing overrides it. */
#include "posix.h"

int ps__bk_disk_usage(const char *path, ps_diskusage *out)
{
    return ps__posix_statvfs_usage(path, out);
}
