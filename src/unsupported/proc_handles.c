/* SPDX-License-Identifier: MIT */
/* Process getters that only Windows has (psutil num_handles): PS_ENOTSUP on every other back
 * end, which has no such thing. */
#include "../backend.h"

int ps__bk_proc_num_handles(ps_proc *p, int64_t *out)
{
    (void)p;
    (void)out;
    return ps__error(PS_ENOTSUP, 0, "ps_proc_num_handles: Windows only (psutil num_handles)");
}
