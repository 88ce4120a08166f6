/* SPDX-License-Identifier: MIT */
/* NIC addresses through getifaddrs(3), formatted as psutil's C extension does; the same on
 * every Unix but for the link-layer sockaddr, which the back end reads (ps__posix_link_addr). */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "posix.h"

static int set(ps__nstr *s, const char *text, size_t len)
{
    s->data = malloc(len ? len : 1);
    if (!s->data) return PS_ENOMEM;
    memcpy(s->data, text, len);
    s->len = len;
    return 0;
}

/* psutil_convert_ipaddr: a sockaddr of the entry's family as text; *out stays NULL for
 * "None" (no sockaddr, getnameinfo failure, a zero-length hardware address). */
static int convert(const struct sockaddr *sa, int family, ps__nstr *out)
{
    char buf[NI_MAXHOST];
    out->data = NULL;
    out->len = 0;
    if (!sa) return 0;
    if (family == AF_INET || family == AF_INET6) {
        socklen_t len = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
        if (getnameinfo(sa, len, buf, sizeof buf, NULL, 0, NI_NUMERICHOST) != 0) return 0;
        return set(out, buf, strlen(buf));
    }
    unsigned char hw[64];
    int n = ps__posix_link_addr(sa, family, hw, sizeof hw);
    if (n > 0) {
        char *p = buf;
        for (int i = 0; i < n; i++) p += sprintf(p, "%02x:", hw[i]);
        return set(out, buf, (size_t)(p - buf) - 1);
    }
    return 0;
}

int ps__bk_net_if_addrs(ps__bk_nic_addr **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    struct ifaddrs *ifs = NULL;
    if (getifaddrs(&ifs) != 0) return ps__errno_error(errno, "getifaddrs");
    size_t total = 0;
    for (struct ifaddrs *a = ifs; a; a = a->ifa_next) total++;
    ps__bk_nic_addr *v = calloc(total ? total : 1, sizeof *v);
    if (!v) {
        freeifaddrs(ifs);
        return ps__error(PS_ENOMEM, 0, "net_if_addrs: out of memory");
    }
    size_t n = 0;
    int rc = 0;
    for (struct ifaddrs *a = ifs; a && rc == 0; a = a->ifa_next) {
        if (!a->ifa_addr) continue;
        int fam = a->ifa_addr->sa_family;
        ps__bk_nic_addr *e = &v[n];
        memset(e, 0, sizeof *e);
        if (convert(a->ifa_addr, fam, &e->address)) { rc = PS_ENOMEM; break; }
        if (!e->address.data) continue;   /* psutil skips entries without a primary address */
        n++;
        e->family = fam == AF_INET ? PS_NET_AF_INET : fam == AF_INET6 ? PS_NET_AF_INET6 : PS_NET_AF_LINK;
        e->sort_key = fam;
        if (set(&e->nic, a->ifa_name, strlen(a->ifa_name))) { rc = PS_ENOMEM; break; }
        if (convert(a->ifa_netmask, fam, &e->netmask)) { rc = PS_ENOMEM; break; }
        if (a->ifa_flags & IFF_BROADCAST) {
            if (convert(a->ifa_broadaddr, fam, &e->broadcast)) { rc = PS_ENOMEM; break; }
        } else if (a->ifa_flags & IFF_POINTOPOINT) {
            if (convert(a->ifa_dstaddr, fam, &e->ptp)) { rc = PS_ENOMEM; break; }
        }
    }
    freeifaddrs(ifs);
    if (rc) {
        ps__bk_nic_addr_free(v, n);
        return ps__error(PS_ENOMEM, 0, "net_if_addrs: out of memory");
    }
    *items = v;
    *count = n;
    return 0;
}
