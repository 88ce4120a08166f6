/* Network back end for this platform: not implemented yet; every operation says so. */
#include <stdlib.h>

#include "../backend.h"

void ps__bk_netio_free(ps__bk_netio *items, size_t count)
{
    for (size_t i = 0; i < count; i++) ps__nstr_dispose(&items[i].name);
    free(items);
}

int ps__bk_net_io(ps__bk_netio **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    return ps__error(PS_ENOTSUP, 0, "net_io_counters: not implemented on this platform");
}

void ps__bk_nic_addr_free(ps__bk_nic_addr *items, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        ps__nstr_dispose(&items[i].nic);
        ps__nstr_dispose(&items[i].address);
        ps__nstr_dispose(&items[i].netmask);
        ps__nstr_dispose(&items[i].broadcast);
        ps__nstr_dispose(&items[i].ptp);
    }
    free(items);
}

int ps__bk_net_if_addrs(ps__bk_nic_addr **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    return ps__error(PS_ENOTSUP, 0, "net_if_addrs: not implemented on this platform");
}

void ps__bk_nic_stats_free(ps__bk_nic_stats *items, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        ps__nstr_dispose(&items[i].nic);
        ps__nstr_dispose(&items[i].flags);
    }
    free(items);
}

int ps__bk_net_if_stats(ps__bk_nic_stats **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    return ps__error(PS_ENOTSUP, 0, "net_if_stats: not implemented on this platform");
}

void ps__bk_conn_free(ps__bk_conn *items, size_t count)
{
    for (size_t i = 0; i < count; i++) ps__nstr_dispose(&items[i].path);
    free(items);
}

int ps__bk_net_connections(ps_proc *proc, ps_conn_kind kind, ps__bk_conn **items, size_t *count)
{
    (void)proc;
    (void)kind;
    *items = NULL;
    *count = 0;
    return ps__error(PS_ENOTSUP, 0, "net_connections: not implemented on this platform");
}
