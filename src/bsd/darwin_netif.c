/* SPDX-License-Identifier: MIT */
/* macOS NIC link-level addresses (for posix/net_addrs.c's getifaddrs loop) and state
 * (SIOCGIFMTU, SIOCGIFFLAGS, SIOCGIFMEDIA on a UDP socket), as psutil's C extension reads them;
 * the link-level address, the flag names and the media word are decoded by darwin_parse.c. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_dl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <unistd.h>

#include "darwin.h"

_Static_assert(offsetof(struct sockaddr_dl, sdl_len) == 0 &&
               offsetof(struct sockaddr_dl, sdl_nlen) == 5 &&
               offsetof(struct sockaddr_dl, sdl_alen) == 6 &&
               offsetof(struct sockaddr_dl, sdl_data) == 8, "sockaddr_dl layout");
_Static_assert(IFF_UP == 0x1 && IFF_BROADCAST == 0x2 && IFF_DEBUG == 0x4 && IFF_LOOPBACK == 0x8 &&
               IFF_POINTOPOINT == 0x10 && IFF_NOTRAILERS == 0x20 && IFF_RUNNING == 0x40 &&
               IFF_NOARP == 0x80 && IFF_PROMISC == 0x100 && IFF_ALLMULTI == 0x200 &&
               IFF_OACTIVE == 0x400 && IFF_SIMPLEX == 0x800 && IFF_LINK0 == 0x1000 &&
               IFF_LINK1 == 0x2000 && IFF_LINK2 == 0x4000 && IFF_MULTICAST == 0x8000,
               "IFF_* values");
#ifdef HAVE_NET_IF_MEDIA_H
#include <net/if_media.h>
_Static_assert(IFM_ETHER == 0x20 && IFM_TOKEN == 0x40 && IFM_IEEE80211 == 0x80 &&
               IFM_NMASK == 0xe0 && IFM_TMASK == 0x1f && IFM_FDX == 0x100000 &&
               IFM_HDX == 0x200000 && IFM_1000_T == 16 && IFM_10G_T == 21, "IFM_* values");
#endif

/* ---- addresses -------------------------------------------------------------------------- */

/* posix/net_addrs.c runs the getifaddrs loop every Unix shares; macOS gives it the AF_LINK
 * address, decoded from sockaddr_dl by darwin_parse.c (bounded by the sockaddr's sa_len). */
int ps__posix_link_addr(const struct sockaddr *sa, int family, unsigned char *hw, size_t size)
{
    if (family != AF_LINK) return -1;
    const unsigned char *a;
    size_t n;
    if (!ps__darwin_lladdr(sa, sa->sa_len, &a, &n)) return 0;
    if (n > size) n = size;
    memcpy(hw, a, n);
    return (int)n;
}

/* ---- state ------------------------------------------------------------------------------ */

/* Speed and duplex from SIOCGIFMEDIA's active word; no media word (loopback, tunnels,
 * bridges): psutil's 0 and unknown. Never leaves a NIC out. */
static int media(int sock, struct ifreq *ifr, ps_nic_duplex *duplex, int64_t *speed)
{
    struct ifmediareq ifm;
    memset(&ifm, 0, sizeof ifm);
    memcpy(ifm.ifm_name, ifr->ifr_name, sizeof ifm.ifm_name);
    if (ioctl(sock, SIOCGIFMEDIA, &ifm) == 0) ps__darwin_ifmedia((uint32_t)ifm.ifm_active, duplex, speed);
    return 0;
}

int ps__bk_net_if_stats(ps__bk_nic_stats **items, size_t *count)
{
    return ps__posix_net_if_stats(items, count, media, ps__darwin_if_flags);
}
