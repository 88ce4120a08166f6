/* SPDX-License-Identifier: MIT */
/* Linux: per-NIC counters from <proc>/net/dev, and NIC state through ioctls. */
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net_linux.h"
#include "sys_common.h"
#include "../list.h"

int ps__net_read_proc(const char *rel, ps__buf *b)
{
    const char *root = ps__root(PS_ROOT_PROC);
    size_t rl = strlen(root), nl = strlen(rel);
    char *path = malloc(rl + nl + 2);
    if (!path) return ps__error(PS_ENOMEM, 0, "%s: out of memory", rel);
    memcpy(path, root, rl);
    path[rl] = '/';
    memcpy(path + rl + 1, rel, nl + 1);
    int rc = ps__read_file_at(AT_FDCWD, path, b);
    free(path);
    return rc;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Columns: bytes packets errs drop fifo frame compressed multicast (receive), then the same
 * eight for transmit; newer kernels may add more, which are ignored. */
int ps__net_parse_dev(const char *text, size_t len, ps__bk_netio **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    size_t cap = 0, n = 0, lineno = 0;
    ps__bk_netio *v = NULL;
    ps__sys_lines it;
    const char *line;
    size_t ll;
    ps__sys_lines_init(&it, text, len);
    while (ps__sys_lines_next(&it, &line, &ll)) {
        const char *le = line + ll;
        if (++lineno <= 2) continue;      /* the two header lines, as psutil */
        const char *colon = NULL;
        for (const char *q = line; q < le; q++) if (*q == ':') colon = q;
        const char *s = line;
        while (s < le && is_blank(*s)) s++;
        if (s == le) continue;            /* an empty line */
        if (!colon) goto bad;
        const char *ne = colon;
        while (ne > s && is_blank(ne[-1])) ne--;
        if (ne == s) goto bad;
        uint64_t f[16];
        int nf = 0;
        const char *q = colon + 1;
        while (nf < 16) {
            while (q < le && is_blank(*q)) q++;
            if (q == le) break;
            uint64_t val = 0;
            const char *d = q;
            while (q < le && !is_blank(*q)) {
                if (*q < '0' || *q > '9') goto bad;
                unsigned dig = (unsigned)(*q - '0');
                if (val > (UINT64_MAX - dig) / 10) goto bad;
                val = val * 10 + dig;
                q++;
            }
            if (q == d) break;
            f[nf++] = val;
        }
        if (nf < 16) goto bad;
        ps__bk_netio *nv = ps__grow(v, &cap, n, sizeof *nv, 16);
        if (!nv) {
            ps__bk_netio_free(v, n);
            return ps__error(PS_ENOMEM, 0, "net/dev: out of memory");
        }
        v = nv;
        ps__bk_netio *e = &v[n];
        memset(e, 0, sizeof *e);
        e->name.data = malloc((size_t)(ne - s));
        if (!e->name.data) {
            ps__bk_netio_free(v, n);
            return ps__error(PS_ENOMEM, 0, "net/dev: out of memory");
        }
        memcpy(e->name.data, s, (size_t)(ne - s));
        e->name.len = (size_t)(ne - s);
        e->counters.bytes_recv = f[0];
        e->counters.packets_recv = f[1];
        e->counters.errin = f[2];
        e->counters.dropin = f[3];
        e->counters.bytes_sent = f[8];
        e->counters.packets_sent = f[9];
        e->counters.errout = f[10];
        e->counters.dropout = f[11];
        n++;
        continue;
bad:
        ps__bk_netio_free(v, n);
        return ps__error(PS_EPARSE, 0, "net/dev: malformed line %zu", lineno);
    }
    *items = v;
    *count = n;
    return 0;
}

int ps__bk_net_io(ps__bk_netio **items, size_t *count)
{
    ps__buf b;
    ps__buf_init(&b);
    int rc = ps__net_read_proc("net/dev", &b);
    if (!rc) rc = ps__net_parse_dev(b.data, b.len, items, count);
    ps__buf_dispose(&b);
    return rc;
}

/* ---- NIC state -------------------------------------------------------------------------- */

/* psutil's flag names, in the order _psutil_posix.c appends them. */
static const struct { unsigned bit; const char *name; } flag_names[] = {
    { IFF_UP, "up" }, { IFF_BROADCAST, "broadcast" }, { IFF_DEBUG, "debug" },
    { IFF_LOOPBACK, "loopback" }, { IFF_POINTOPOINT, "pointopoint" },
    { IFF_NOTRAILERS, "notrailers" }, { IFF_RUNNING, "running" }, { IFF_NOARP, "noarp" },
    { IFF_PROMISC, "promisc" }, { IFF_ALLMULTI, "allmulti" }, { IFF_MASTER, "master" },
    { IFF_SLAVE, "slave" }, { IFF_MULTICAST, "multicast" }, { IFF_PORTSEL, "portsel" },
    { IFF_AUTOMEDIA, "automedia" }, { IFF_DYNAMIC, "dynamic" },
};

static int flags_string(uint32_t flags, ps__nstr *out)
{
    ps__buf b;
    ps__buf_init(&b);
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++) {
        if (!(flags & flag_names[i].bit)) continue;
        if (b.len) ps__buf_putc(&b, ',');
        ps__buf_append(&b, flag_names[i].name, strlen(flag_names[i].name));
    }
    char *s = NULL;
    size_t len = 0;
    int rc = ps__buf_finish(&b, &s, &len);
    if (rc) return ps__error(PS_ENOMEM, 0, "net_if_stats: out of memory");
    out->data = s;
    out->len = len;
    return 0;
}

/* Speed and duplex from ethtool's ETHTOOL_GSET; EOPNOTSUPP, EINVAL (psutil) or anything else:
 * unknown duplex, speed 0; a NIC gone meanwhile is left out. */
static int ethtool_link(int sock, struct ifreq *ifr, ps_nic_duplex *duplex, int64_t *speed)
{
    struct ethtool_cmd cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.cmd = ETHTOOL_GSET;
    ifr->ifr_data = (void *)&cmd;
    if (ioctl(sock, SIOCETHTOOL, ifr) == 0) {
        if (cmd.duplex == DUPLEX_FULL) *duplex = PS_NIC_DUPLEX_FULL;
        else if (cmd.duplex == DUPLEX_HALF) *duplex = PS_NIC_DUPLEX_HALF;
        uint32_t sp = ((uint32_t)cmd.speed_hi << 16) | cmd.speed;
        *speed = sp == (uint32_t)SPEED_UNKNOWN ? 0 : (int64_t)sp;
        return 0;
    }
    return ps__posix_nic_gone(errno);
}

int ps__bk_net_if_stats(ps__bk_nic_stats **items, size_t *count)
{
    return ps__posix_net_if_stats(items, count, ethtool_link, flags_string);
}
