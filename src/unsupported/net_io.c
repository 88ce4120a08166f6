/* SPDX-License-Identifier: MIT */
/* net_io_counters for a platform without it yet (PS_ENOTSUP). */
#include "../backend.h"

int ps__bk_net_io(ps__bk_netio **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    return PS__NOTSUP("ps_net_io_counters");
}
