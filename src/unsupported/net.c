/* SPDX-License-Identifier: MIT */
/* Network back end for this platform: not implemented yet; every operation says so
 * (net_io_counters apart, in net_io.c, which macOS implements). */
#include <stdlib.h>

#include "../backend.h"

int ps__bk_net_if_addrs(ps__bk_nic_addr **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    return PS__NOTSUP("ps_net_if_addrs");
}

int ps__bk_net_if_stats(ps__bk_nic_stats **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    return PS__NOTSUP("ps_net_if_stats");
}

/* no rows here; Linux's rule, so the core links */
const ps__conn_end_rule ps__bk_conn_end_rule = PS__END_RULE_PORT;

int ps__bk_net_connections(ps_proc *proc, ps_conn_kind kind, ps__bk_conn **items, size_t *count)
{
    (void)proc;
    (void)kind;
    *items = NULL;
    *count = 0;
    return PS__NOTSUP("ps_net_connections");
}
