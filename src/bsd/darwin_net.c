/* SPDX-License-Identifier: MIT */
/* macOS network counters: sysctl NET_RT_IFLIST2, a stream of routing messages whose
 * RTM_IFINFO2 entries carry each interface's 64-bit counters, walked by darwin_parse.c. */
#include <errno.h>
#include <net/if.h>
#include <net/if_dl.h>
#include <net/if_var.h>
#include <net/route.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/sysctl.h>

#include "darwin.h"

_Static_assert(sizeof(struct if_msghdr2) == PS__DARWIN_IFMSGHDR2_SIZE &&
               offsetof(struct if_msghdr2, ifm_data) == 32 &&
               offsetof(struct if_data64, ifi_mtu) == 8 &&
               offsetof(struct if_data64, ifi_ipackets) == 24 &&
               offsetof(struct if_data64, ifi_ibytes) == 64 &&
               offsetof(struct if_data64, ifi_iqdrops) == 96 &&
               offsetof(struct sockaddr_dl, sdl_nlen) == 5 &&
               offsetof(struct sockaddr_dl, sdl_data) == 8 &&
               RTM_IFINFO2 == PS__DARWIN_RTM_IFINFO2, "NET_RT_IFLIST2 layout");

/* The whole message stream. */
static int iflist2(char **buf, size_t *len)
{
    int mib[6] = {CTL_NET, PF_ROUTE, 0, 0, NET_RT_IFLIST2, 0};
    void *b = NULL;
    int rc = ps__darwin_sysctl_table(mib, 6, 1024, "sysctl NET_RT_IFLIST2", "list", &b, len);
    if (rc == 0) *buf = b;
    return rc;
}

int ps__bk_net_io(ps__bk_netio **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    char *buf;
    size_t len;
    int rc = iflist2(&buf, &len);
    if (rc) return rc;
    /* at most one RTM_IFINFO2 per header-sized piece of the stream */
    size_t cap = len / PS__DARWIN_IFMSGHDR2_SIZE + 1, n = 0, pos = 0;
    ps__bk_netio *v = calloc(cap, sizeof *v);
    if (!v) rc = ps__error(PS_ENOMEM, 0, "out of memory");
    ps__darwin_ifcounters c;
    int r;
    while (rc == 0 && n < cap && (r = ps__darwin_next_ifinfo2(buf, len, &pos, &c)) != 0) {
        if (r < 0) {
            rc = r;   /* a malformed message: the walk cannot go on */
            break;
        }
        v[n].counters = c.io;
        rc = ps__darwin_nstr_copy(&v[n].name, c.name, c.name_len);
        n++;
    }
    free(buf);
    if (rc) {
        ps__bk_netio_free(v, n);
        return rc;
    }
    *items = v;
    *count = n;
    return 0;
}
