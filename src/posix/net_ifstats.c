/* SPDX-License-Identifier: MIT */
/* net_if_stats as psutil builds it on Linux and macOS: the NIC names of net_io_counters, then
 * on one UDP socket SIOCGIFMTU and SIOCGIFFLAGS per NIC, and the back end's own link query
 * (Linux: ethtool, macOS: SIOCGIFMEDIA) and flag names. A NIC that vanished since the listing
 * (ENODEV, ENXIO) is left out. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "posix.h"

#ifdef __APPLE__
#include <sys/sockio.h>   /* SIOCGIFMTU, SIOCGIFFLAGS */
#endif

int ps__posix_nic_gone(int err)
{
    return err == ENODEV || err == ENXIO;
}

static int udp_socket(void)
{
#ifdef SOCK_CLOEXEC
    return socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
#else
    int sock = socket(AF_INET, SOCK_DGRAM, 0);   /* macOS has no SOCK_CLOEXEC */
    if (sock >= 0) (void)fcntl(sock, F_SETFD, FD_CLOEXEC);
    return sock;
#endif
}

/* One NIC into *e: 1 when it is to be left out, 0, or a PS_E* code. */
static int one_nic(int sock, ps__bk_netio *nic, ps__bk_nic_stats *e, ps__posix_nic_link_fn link,
                   ps__posix_nic_flags_fn flag_names)
{
    struct ifreq ifr;
    if (nic->name.len >= IFNAMSIZ) return 1;   /* no such NIC can exist */
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, nic->name.data, nic->name.len);
    if (ioctl(sock, SIOCGIFMTU, &ifr) < 0)
        return ps__posix_nic_gone(errno) ? 1 : ps__errno_error(errno, "ioctl(SIOCGIFMTU)");
    int64_t mtu = ifr.ifr_mtu;
    if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
        return ps__posix_nic_gone(errno) ? 1 : ps__errno_error(errno, "ioctl(SIOCGIFFLAGS)");
    uint32_t flags = (uint16_t)ifr.ifr_flags;   /* psutil reads the short ifr_flags */
    ps_nic_duplex duplex = PS_NIC_DUPLEX_UNKNOWN;
    int64_t speed = 0;
    if (link(sock, &ifr, &duplex, &speed)) return 1;
    memset(e, 0, sizeof *e);
    e->nic = nic->name;
    nic->name.data = NULL;
    nic->name.len = 0;
    e->mtu = mtu;
    e->isup = (flags & IFF_RUNNING) ? 1 : 0;   /* psutil: running, not up */
    e->duplex = duplex;
    e->speed = speed;
    return flag_names(flags, &e->flags);
}

int ps__posix_net_if_stats(ps__bk_nic_stats **items, size_t *count, ps__posix_nic_link_fn link,
                           ps__posix_nic_flags_fn flag_names)
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
    int sock = udp_socket();
    if (sock < 0) {
        int err = errno;
        free(v);
        ps__bk_netio_free(nics, nn);
        return ps__errno_error(err, "net_if_stats: socket");
    }
    size_t n = 0;
    for (size_t i = 0; i < nn && rc == 0; i++) {
        int r = one_nic(sock, &nics[i], &v[n], link, flag_names);
        if (r == 1) continue;
        if (r == 0 || v[n].nic.data) n++;   /* a failed flag string still owns its name */
        rc = r;
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
