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

static int gone(int err)
{
    return err == ENODEV || err == ENXIO;   /* the NIC vanished since the listing */
}

int ps__bk_net_if_stats(ps__bk_nic_stats **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    ps__bk_netio *nics = NULL;
    size_t nn = 0;
    int rc = ps__bk_net_io(&nics, &nn);   /* psutil: the names of net_io_counters */
    if (rc) return rc;
    ps__bk_nic_stats *v = calloc(nn ? nn : 1, sizeof *v);
    if (!v) {
        ps__bk_netio_free(nics, nn);
        return ps__error(PS_ENOMEM, 0, "net_if_stats: out of memory");
    }
    int sock = socket(AF_INET, SOCK_DGRAM, 0);
    if (sock < 0) {
        int err = errno;
        free(v);
        ps__bk_netio_free(nics, nn);
        return ps__errno_error(err, "net_if_stats: socket");
    }
    (void)fcntl(sock, F_SETFD, FD_CLOEXEC);
    size_t n = 0;
    for (size_t i = 0; i < nn && rc == 0; i++) {
        struct ifreq ifr;
        if (nics[i].name.len >= IFNAMSIZ) continue;   /* no such NIC can exist */
        memset(&ifr, 0, sizeof ifr);
        memcpy(ifr.ifr_name, nics[i].name.data, nics[i].name.len);
        if (ioctl(sock, SIOCGIFMTU, &ifr) < 0) {
            if (gone(errno)) continue;
            rc = ps__errno_error(errno, "ioctl(SIOCGIFMTU)");
            break;
        }
        int64_t mtu = ifr.ifr_mtu;
        if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0) {
            if (gone(errno)) continue;
            rc = ps__errno_error(errno, "ioctl(SIOCGIFFLAGS)");
            break;
        }
        uint32_t flags = (uint16_t)ifr.ifr_flags;
        struct ifmediareq ifm;
        memset(&ifm, 0, sizeof ifm);
        memcpy(ifm.ifm_name, nics[i].name.data, nics[i].name.len);
        ps__bk_nic_stats *e = &v[n];
        memset(e, 0, sizeof *e);
        e->duplex = PS_NIC_DUPLEX_UNKNOWN;
        e->speed = 0;
        /* no media word (loopback, tunnels, bridges): psutil's 0 and unknown */
        if (ioctl(sock, SIOCGIFMEDIA, &ifm) == 0) ps__darwin_ifmedia((uint32_t)ifm.ifm_active, &e->duplex, &e->speed);
        e->nic = nics[i].name;
        nics[i].name.data = NULL;
        nics[i].name.len = 0;
        e->mtu = mtu;
        e->isup = (flags & IFF_RUNNING) ? 1 : 0;
        n++;
        rc = ps__darwin_if_flags(flags, &e->flags);
    }
    close(sock);
    ps__bk_netio_free(nics, nn);
    if (rc) {
        ps__bk_nic_stats_free(v, n);
        return rc;
    }
    *items = v;
    *count = n;
    return 0;
}
