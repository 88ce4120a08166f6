/* SPDX-License-Identifier: MIT */
/* statvfs(3) as psutil's disk_usage reads it, shared by every Unix back end. */
#include <errno.h>
#include <sys/statvfs.h>

#include "posix.h"

int ps__posix_statvfs_usage(const char *path, ps_diskusage *out)
{
    struct statvfs st;
    int r;
    do r = statvfs(path, &st);
    while (r != 0 && errno == EINTR);
    if (r != 0) return ps__errno_error(errno, "statvfs");
    uint64_t fr = st.f_frsize ? st.f_frsize : st.f_bsize;
    out->total = (uint64_t)st.f_blocks * fr;
    out->used = ((uint64_t)st.f_blocks - (uint64_t)st.f_bfree) * fr;   /* root's view */
    out->free = (uint64_t)st.f_bavail * fr;                            /* a user's view */
    return 0;
}
