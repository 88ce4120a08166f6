/* SPDX-License-Identifier: MIT */
/* open_files: not implemented on this platform yet (PS_ENOTSUP). Windows has its own
 * (src/windows/proc_files.c), so this stub is apart from the other getters. */
#include <stdlib.h>

#include "../backend.h"

int ps__bk_proc_open_files(ps_proc *p, ps__bk_open_file **items, size_t *count)
{
    (void)p;
    (void)items;
    (void)count;
    return PS__NOTSUP("ps_proc_open_files");
}
