/* SPDX-License-Identifier: MIT */
/* Windows back end: disks and users (not written yet: PS_ENOTSUP). */
#include "../backend.h"

#define NOTSUP(what) ps__error(PS_ENOTSUP, 0, what ": not supported on Windows yet")

int ps__bk_disk_partitions(int all, ps__bk_partition **items, size_t *count)
{
    (void)all, (void)items, (void)count;
    return NOTSUP("disk_partitions");
}
int ps__bk_disk_usage(const char *path, ps_diskusage *out)
{
    (void)path, (void)out;
    return NOTSUP("disk_usage");
}
int ps__bk_users(const char *utmp_path, ps__bk_user **items, size_t *count)
{
    (void)utmp_path, (void)items, (void)count;
    return NOTSUP("users");
}
