/* SPDX-License-Identifier: MIT */
/* Network calls on Windows (run under wine). Oracles: the host, which wine reports (its
 * /proc/net/dev, /proc/net/if_inet6 and /sys/class/net through wine's Z: drive; wine names the
 * adapters after the host's interfaces), a second IP Helper family (GetIfTable, GetIpAddrTable,
 * GetTcpTable), and sockets this test opens itself. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "minitest.h"
#include "wintest.h"
#include <psinfo.h>

/* Winsock and IP Helper keep handles once used: make them before counting. */
static void net_warm_up(void)
{
    static int done;
    if (done) return;
    done = 1;
    WSADATA wd;
    WSAStartup(MAKEWORD(2, 2), &wd);
    ps_netio_list *a = NULL;
    ps_nic_addr_list *b = NULL;
    ps_nic_stats_list *c = NULL;
    ps_connection_list *d = NULL;
    if (ps_net_io_counters_pernic(&a) == 0) ps_netio_list_free(a);
    if (ps_net_if_addrs(&b) == 0) ps_nic_addr_list_free(b);
    if (ps_net_if_stats(&c) == 0) ps_nic_stats_list_free(c);
    if (ps_net_connections(PS_CONN_KIND_ALL, &d) == 0) ps_connection_list_free(d);
    SOCKET s = socket(AF_INET6, SOCK_STREAM, 0);
    if (s != INVALID_SOCKET) closesocket(s);
    s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s != INVALID_SOCKET) closesocket(s);
}
#define NET_HANDLES_BEFORE() net_warm_up(); WT_HANDLES_BEFORE()

static const ps_netio_entry *find_io(const ps_netio_list *l, const char *name)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].name, name) == 0) return &l->items[i];
    return NULL;
}

static int between(uint64_t lo, uint64_t x, uint64_t hi)
{
    return x >= lo && x <= hi;
}

MT_TEST(net_io_counters_bracket_the_host_proc_net_dev)
{
    NET_HANDLES_BEFORE();
    ps_netio_list *a = NULL, *b = NULL;
    MT_REQUIRE(ok(ps_net_io_counters_pernic(&a)));
    FILE *f = fopen("Z:\\proc\\net\\dev", "r");
    MT_REQUIRE(f != NULL);
    char line[512];
    struct { char name[64]; unsigned long long v[16]; } host[64];
    int nh = 0;
    while (fgets(line, sizeof line, f) && nh < 64) {
        char *colon = strchr(line, ':');
        if (!colon) continue;
        *colon = 0;
        char *name = line;
        while (*name == ' ') name++;
        snprintf(host[nh].name, sizeof host[nh].name, "%s", name);
        char *p = colon + 1;
        for (int i = 0; i < 16; i++) host[nh].v[i] = strtoull(p, &p, 10);
        nh++;
    }
    fclose(f);
    MT_REQUIRE(ok(ps_net_io_counters_pernic(&b)));
    MT_LOG("%u NICs (host %d)", (unsigned)a->count, nh);
    int matched = 0;
    for (int h = 0; h < nh; h++) {
        const ps_netio_entry *x = find_io(a, host[h].name), *y = find_io(b, host[h].name);
        if (!x || !y) continue;
        matched++;
        const unsigned long long *v = host[h].v;   /* rx bytes packets errs drop ... tx bytes packets errs drop */
        MT_LOG("%s: recv %llu (host %llu), sent %llu (host %llu), packets %llu/%llu (host %llu/%llu)", host[h].name,
               (unsigned long long)x->counters.bytes_recv, v[0], (unsigned long long)x->counters.bytes_sent, v[8],
               (unsigned long long)x->counters.packets_recv, (unsigned long long)x->counters.packets_sent, v[1], v[9]);
        MT_CHECK(between(x->counters.bytes_recv, v[0], y->counters.bytes_recv));
        MT_CHECK(between(x->counters.bytes_sent, v[8], y->counters.bytes_sent));
        MT_CHECK(between(x->counters.packets_recv, v[1], y->counters.packets_recv));
        MT_CHECK(between(x->counters.packets_sent, v[9], y->counters.packets_sent));
        MT_CHECK(between(x->counters.errin, v[2], y->counters.errin));
        MT_CHECK(between(x->counters.errout, v[10], y->counters.errout));
    }
    MT_CHECK_EQ_INT(matched, a->count);   /* every adapter is a host interface */
    MT_CHECK(matched > 0);
    /* the total is the sum over the NICs */
    ps_netio t;
    MT_REQUIRE(ok(ps_net_io_counters(&t)));
    uint64_t sum = 0;
    for (size_t i = 0; i < b->count; i++) sum += b->items[i].counters.bytes_recv;
    MT_CHECK(t.bytes_recv >= sum);
    ps_netio_list_free(a);
    ps_netio_list_free(b);
    MT_CHECK_EQ_INT(ps_net_io_counters_pernic(NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_net_io_counters(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_TEST(net_io_counters_match_getiftable)
{
    NET_HANDLES_BEFORE();
    ps_netio_list *a = NULL, *b = NULL;
    MT_REQUIRE(ok(ps_net_io_counters_pernic(&a)));
    ULONG size = 0;
    GetIfTable(NULL, &size, FALSE);
    MIB_IFTABLE *t = malloc(size);
    MT_REQUIRE(t && GetIfTable(t, &size, FALSE) == NO_ERROR);
    MT_REQUIRE(ok(ps_net_io_counters_pernic(&b)));
    int matched = 0;
    for (DWORD i = 0; i < t->dwNumEntries; i++) {
        const MIB_IFROW *r = &t->table[i];
        char descr[MAXLEN_IFDESCR + 1];
        size_t dl = r->dwDescrLen < MAXLEN_IFDESCR ? r->dwDescrLen : MAXLEN_IFDESCR;
        memcpy(descr, r->bDescr, dl);
        descr[dl] = 0;
        if (dl && descr[dl - 1] == 0) dl--;
        const ps_netio_entry *x = find_io(a, descr), *y = find_io(b, descr);
        if (!x || !y) continue;
        matched++;
        /* MIB_IFROW's 32-bit counters: ours modulo 2^32, read between two of ours */
        uint32_t lo = (uint32_t)x->counters.bytes_recv, hi = (uint32_t)y->counters.bytes_recv;
        if (lo <= hi) MT_CHECK(r->dwInOctets >= lo && r->dwInOctets <= hi);
        lo = (uint32_t)x->counters.bytes_sent, hi = (uint32_t)y->counters.bytes_sent;
        if (lo <= hi) MT_CHECK(r->dwOutOctets >= lo && r->dwOutOctets <= hi);
    }
    MT_LOG("%d of %lu GetIfTable rows matched by description", matched, (unsigned long)t->dwNumEntries);
    if (matched == 0) WT_WINE_GAP("GetIfTable descriptions are not the adapters' friendly names");
    free(t);
    ps_netio_list_free(a);
    ps_netio_list_free(b);
    WT_HANDLES_AFTER();
}

static int host_file(const char *nic, const char *file, char *buf, size_t n)
{
    char p[256];
    snprintf(p, sizeof p, "Z:\\sys\\class\\net\\%s\\%s", nic, file);
    FILE *f = fopen(p, "r");
    if (!f) return 0;
    int r = fgets(buf, (int)n, f) != NULL;
    fclose(f);
    if (r) buf[strcspn(buf, "\n")] = 0;
    return r;
}

MT_TEST(net_if_addrs_against_the_host_and_getipaddrtable)
{
    NET_HANDLES_BEFORE();
    ps_nic_addr_list *l = NULL;
    MT_REQUIRE(ok(ps_net_if_addrs(&l)));
    MT_REQUIRE(l->count > 0);
    int macs = 0, v6 = 0, v4 = 0;
    for (size_t i = 0; i < l->count; i++) {
        const ps_nic_addr *a = &l->items[i];
        MT_LOG("%s family %d %s mask %s bcast %s", a->nic, a->family, a->address, a->netmask ? a->netmask : "-",
               a->broadcast ? a->broadcast : "-");
        MT_CHECK(a->ptp == NULL);
        if (a->family == PS_NET_AF_LINK) {
            /* the host's MAC, "aa:bb:..": psutil's Windows form is "AA-BB-..." */
            char host[64];
            if (host_file(a->nic, "address", host, sizeof host)) {
                for (char *c = host; *c; c++) *c = *c == ':' ? '-' : (char)toupper((unsigned char)*c);
                MT_CHECK_STR_EQ(a->address, host);
                macs++;
            }
            MT_CHECK(a->netmask == NULL && a->broadcast == NULL);
        } else if (a->family == PS_NET_AF_INET6) {
            MT_CHECK(a->netmask == NULL && a->broadcast == NULL);
        } else {
            MT_CHECK(a->family == PS_NET_AF_INET && a->netmask != NULL && a->broadcast != NULL);
        }
        /* psutil's order: per NIC, AF_LINK (-1) before AF_INET (2) before AF_INET6 (23) */
        if (i > 0 && strcmp(l->items[i - 1].nic, a->nic) == 0) {
            int fa = l->items[i - 1].family == PS_NET_AF_LINK ? -1 : l->items[i - 1].family == PS_NET_AF_INET ? 2 : 23;
            int fb = a->family == PS_NET_AF_LINK ? -1 : a->family == PS_NET_AF_INET ? 2 : 23;
            MT_CHECK(fa <= fb);
        }
    }
    /* every host IPv6 address (if_inet6: hex address, index, prefix, scope, flags, name) */
    FILE *f = fopen("Z:\\proc\\net\\if_inet6", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        char hex[33], name[64];
        unsigned idx, plen, scope, flags;
        if (sscanf(line, "%32s %x %x %x %x %63s", hex, &idx, &plen, &scope, &flags, name) != 6) continue;
        uint8_t b[16];
        for (int k = 0; k < 16; k++) {
            unsigned x;
            sscanf(hex + 2 * k, "%2x", &x);
            b[k] = (uint8_t)x;
        }
        char text[64];
        inet_ntop(AF_INET6, b, text, sizeof text);
        int found = 0;
        for (size_t i = 0; i < l->count; i++)
            found |= l->items[i].family == PS_NET_AF_INET6 && strcmp(l->items[i].nic, name) == 0 &&
                     strcmp(l->items[i].address, text) == 0;
        if (!found) MT_LOG("host IPv6 %s on %s not listed", text, name);
        MT_CHECK(found);
        v6++;
    }
    if (f) fclose(f);
    /* every IPv4 address of GetIpAddrTable, with its netmask */
    ULONG size = 0;
    GetIpAddrTable(NULL, &size, FALSE);
    MIB_IPADDRTABLE *t = malloc(size);
    MT_REQUIRE(t && GetIpAddrTable(t, &size, FALSE) == NO_ERROR);
    for (DWORD i = 0; i < t->dwNumEntries; i++) {
        char ip[16], mask[16];
        inet_ntop(AF_INET, &t->table[i].dwAddr, ip, sizeof ip);
        inet_ntop(AF_INET, &t->table[i].dwMask, mask, sizeof mask);
        const ps_nic_addr *hit = NULL;
        for (size_t k = 0; k < l->count; k++)
            if (l->items[k].family == PS_NET_AF_INET && strcmp(l->items[k].address, ip) == 0) hit = &l->items[k];
        MT_CHECK(hit != NULL);
        if (hit) MT_CHECK_STR_EQ(hit->netmask, mask);
        v4++;
    }
    free(t);
    MT_LOG("checked %d MACs against sysfs, %d IPv6 against if_inet6, %d IPv4 against GetIpAddrTable", macs, v6, v4);
    MT_CHECK(v4 > 0);
    ps_nic_addr_list_free(l);
    MT_CHECK_EQ_INT(ps_net_if_addrs(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_TEST(net_if_stats_against_the_host_sysfs)
{
    NET_HANDLES_BEFORE();
    ps_nic_stats_list *l = NULL;
    MT_REQUIRE(ok(ps_net_if_stats(&l)));
    MT_REQUIRE(l->count > 0);
    for (size_t i = 0; i < l->count; i++) {
        const ps_nic_stats *s = &l->items[i];
        char mtu[32], flags[32];
        MT_LOG("%s isup %d duplex %d speed %lld mtu %lld flags \"%s\"", s->nic, s->isup, s->duplex, (long long)s->speed,
               (long long)s->mtu, s->flags);
        MT_CHECK_EQ_INT(s->duplex, PS_NIC_DUPLEX_FULL);   /* psutil's fixed answer */
        MT_CHECK_STR_EQ(s->flags, "");
        MT_CHECK(s->speed == PS_UNKNOWN_I64 || s->speed > 0);
        if (host_file(s->nic, "mtu", mtu, sizeof mtu)) MT_CHECK_EQ_INT(s->mtu, strtoll(mtu, NULL, 10));
        if (host_file(s->nic, "flags", flags, sizeof flags)) {
            unsigned long fl = strtoul(flags, NULL, 16);
            if (s->isup) MT_CHECK(fl & 1);   /* IFF_UP */
            if (!(fl & 1)) MT_CHECK_EQ_INT(s->isup, 0);
        }
    }
    ps_nic_stats_list_free(l);
    MT_CHECK_EQ_INT(ps_net_if_stats(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

static const ps_connection *find_conn(const ps_connection_list *l, int type, const char *ip, int port)
{
    for (size_t i = 0; i < l->count; i++) {
        const ps_connection *c = &l->items[i];
        if (c->type == type && c->laddr.ip && strcmp(c->laddr.ip, ip) == 0 && c->laddr.port == port) return c;
    }
    return NULL;
}

static int local_port(SOCKET s)
{
    struct sockaddr_storage ss;
    int len = sizeof ss;
    getsockname(s, (struct sockaddr *)&ss, &len);
    return ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* 127.0.0.1, port 0 (the system picks one) */
static struct sockaddr_in loopback4(void)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sa;
}

MT_TEST(net_connections_list_our_own_sockets)
{
    net_warm_up();
    struct sockaddr_in sa = loopback4();
    SOCKET lis = socket(AF_INET, SOCK_STREAM, 0), cli = socket(AF_INET, SOCK_STREAM, 0);
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, 0), lis6 = socket(AF_INET6, SOCK_STREAM, 0);
    MT_REQUIRE(lis != INVALID_SOCKET && cli != INVALID_SOCKET && udp != INVALID_SOCKET);
    MT_REQUIRE(bind(lis, (struct sockaddr *)&sa, sizeof sa) == 0 && listen(lis, 4) == 0);
    MT_REQUIRE(bind(udp, (struct sockaddr *)&sa, sizeof sa) == 0);
    int lport = local_port(lis), uport = local_port(udp);
    sa.sin_port = htons((u_short)lport);
    MT_REQUIRE(connect(cli, (struct sockaddr *)&sa, sizeof sa) == 0);
    SOCKET acc = accept(lis, NULL, NULL);
    MT_REQUIRE(acc != INVALID_SOCKET);
    int cport = local_port(cli), l6port = -1;
    struct sockaddr_in6 s6;
    memset(&s6, 0, sizeof s6);
    s6.sin6_family = AF_INET6;
    s6.sin6_addr = in6addr_loopback;
    if (lis6 != INVALID_SOCKET && bind(lis6, (struct sockaddr *)&s6, sizeof s6) == 0 && listen(lis6, 1) == 0)
        l6port = local_port(lis6);
    MT_LOG("listener %d, client %d, udp %d, listener6 %d", lport, cport, uport, l6port);
    /* counted around the library's calls only: wine's sockets keep handles of their own */
    WT_HANDLES_BEFORE();

    ps_connection_list *all = NULL, *mine = NULL;
    MT_REQUIRE(ok(ps_net_connections(PS_CONN_KIND_INET, &all)));
    ps_proc *self = NULL;
    MT_REQUIRE(ok(ps_proc_open_self(&self)));
    MT_REQUIRE(ok(ps_proc_net_connections(self, PS_CONN_KIND_INET, &mine)));
    int64_t pid = (int64_t)GetCurrentProcessId();
    const ps_connection *l = find_conn(all, PS_SOCK_STREAM, "127.0.0.1", lport);
    const ps_connection *c = find_conn(all, PS_SOCK_STREAM, "127.0.0.1", cport);
    const ps_connection *u = find_conn(all, PS_SOCK_DGRAM, "127.0.0.1", uport);
    MT_REQUIRE(l && c && u);
    MT_CHECK_EQ_INT(l->status, PS_CONN_LISTEN);
    MT_CHECK(l->raddr.ip == NULL && l->raddr.port == 0);
    MT_CHECK_EQ_INT(c->status, PS_CONN_ESTABLISHED);
    MT_CHECK(c->raddr.ip && strcmp(c->raddr.ip, "127.0.0.1") == 0 && c->raddr.port == lport);
    MT_CHECK_EQ_INT(u->status, PS_CONN_NONE);
    MT_CHECK(u->raddr.ip == NULL);
    MT_CHECK(l->family == PS_NET_AF_INET && l->fd == PS_UNKNOWN_I64 && l->inode == PS_UNKNOWN_U64 && l->path == NULL);
    /* the accepted end: local port = the listener's, remote = the client */
    int accepted = 0;
    for (size_t i = 0; i < all->count; i++) {
        const ps_connection *x = &all->items[i];
        accepted |= x->laddr.port == lport && x->raddr.port == cport && x->status == PS_CONN_ESTABLISHED;
    }
    MT_CHECK(accepted);
    if (l->pid != pid) {
        WT_WINE_GAP("the owning PID of our sockets is %lld, not ours (%lld)", (long long)l->pid, (long long)pid);
    } else {
        MT_CHECK(c->pid == pid && u->pid == pid);
        MT_CHECK(find_conn(mine, PS_SOCK_STREAM, "127.0.0.1", lport) && find_conn(mine, PS_SOCK_DGRAM, "127.0.0.1", uport));
        for (size_t i = 0; i < mine->count; i++) MT_CHECK_EQ_INT(mine->items[i].pid, pid);
    }
    if (l6port > 0) {
        const ps_connection *l6 = find_conn(all, PS_SOCK_STREAM, "::1", l6port);
        MT_CHECK(l6 && l6->family == PS_NET_AF_INET6 && l6->status == PS_CONN_LISTEN);
    } else {
        WT_WINE_GAP("no IPv6 loopback listener could be opened");
    }
    ps_proc_free(self);
    WT_HANDLES_AFTER();
    /* the old table (no owners) has our listener too */
    ULONG size = 0;
    GetTcpTable(NULL, &size, FALSE);
    MIB_TCPTABLE *t = malloc(size + 4096);
    size += 4096;
    MT_REQUIRE(t && GetTcpTable(t, &size, FALSE) == NO_ERROR);
    int in_old = 0;
    for (DWORD i = 0; i < t->dwNumEntries; i++)
        in_old |= ntohs((u_short)t->table[i].dwLocalPort) == lport && t->table[i].dwState == MIB_TCP_STATE_LISTEN;
    MT_CHECK(in_old);
    free(t);
    /* kinds */
    wt_handles0_ = handle_count();
    ps_connection_list *k = NULL;
    MT_REQUIRE(ok(ps_net_connections(PS_CONN_KIND_TCP4, &k)));
    MT_CHECK(find_conn(k, PS_SOCK_STREAM, "127.0.0.1", lport) && !find_conn(k, PS_SOCK_DGRAM, "127.0.0.1", uport));
    for (size_t i = 0; i < k->count; i++) MT_CHECK(k->items[i].family == PS_NET_AF_INET && k->items[i].type == PS_SOCK_STREAM);
    ps_connection_list_free(k);
    MT_REQUIRE(ok(ps_net_connections(PS_CONN_KIND_UDP6, &k)));
    for (size_t i = 0; i < k->count; i++) MT_CHECK(k->items[i].family == PS_NET_AF_INET6 && k->items[i].type == PS_SOCK_DGRAM);
    ps_connection_list_free(k);
    k = NULL;
    MT_CHECK_EQ_INT(ps_net_connections(PS_CONN_KIND_UNIX, &k), PS_ENOTSUP);   /* psutil: no "unix" on Windows */
    MT_CHECK_EQ_INT(ps_net_connections((ps_conn_kind)99, &k), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_net_connections(PS_CONN_KIND_INET, NULL), PS_EINVAL);
    ps_connection_list_free(all);
    ps_connection_list_free(mine);
    WT_HANDLES_AFTER();
    closesocket(acc);
    closesocket(cli);
    closesocket(lis);
    closesocket(udp);
    if (lis6 != INVALID_SOCKET) closesocket(lis6);
}

/* rows of the raw GetExtendedUdpTable(AF_INET) at 127.0.0.1:port (the oracle: the table as the
 * OS gives it, before the library's set of rows) */
static int raw_udp4_rows(int port)
{
    DWORD size = 0;
    GetExtendedUdpTable(NULL, &size, FALSE, AF_INET, UDP_TABLE_OWNER_PID, 0);
    size += 4096;
    MIB_UDPTABLE_OWNER_PID *t = malloc(size);
    if (!t || GetExtendedUdpTable(t, &size, FALSE, AF_INET, UDP_TABLE_OWNER_PID, 0) != NO_ERROR) {
        free(t);
        return -1;
    }
    int n = 0;
    for (DWORD i = 0; i < t->dwNumEntries; i++)
        n += ntohs((u_short)t->table[i].dwLocalPort) == port && t->table[i].dwLocalAddr == htonl(INADDR_LOOPBACK);
    free(t);
    return n;
}

static int count_conn(const ps_connection_list *l, int type, const char *ip, int port)
{
    int n = 0;
    for (size_t i = 0; i < l->count; i++) {
        const ps_connection *c = &l->items[i];
        n += c->type == type && c->laddr.ip && strcmp(c->laddr.ip, ip) == 0 && c->laddr.port == port;
    }
    return n;
}

/* Two UDP sockets of ours on one port (SO_REUSEADDR): the table has two equal rows, psutil's
 * set one, and so have both calls. */
MT_TEST(net_connections_equal_rows_listed_once)
{
    net_warm_up();
    struct sockaddr_in sa = loopback4();
    SOCKET a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    MT_REQUIRE(a != INVALID_SOCKET && b != INVALID_SOCKET);
    BOOL on = TRUE;
    MT_REQUIRE(setsockopt(a, SOL_SOCKET, SO_REUSEADDR, (const char *)&on, sizeof on) == 0 &&
               setsockopt(b, SOL_SOCKET, SO_REUSEADDR, (const char *)&on, sizeof on) == 0);
    MT_REQUIRE(bind(a, (struct sockaddr *)&sa, sizeof sa) == 0);
    int port = local_port(a);
    sa.sin_port = htons((u_short)port);
    MT_REQUIRE(bind(b, (struct sockaddr *)&sa, sizeof sa) == 0);
    int raw = raw_udp4_rows(port);
    MT_LOG("port %d: %d rows in GetExtendedUdpTable", port, raw);
    if (raw != 2) WT_WINE_GAP("the UDP table has %d rows for our two sockets on port %d, not 2", raw, port);
    WT_HANDLES_BEFORE();
    ps_connection_list *all = NULL, *mine = NULL;
    ps_proc *self = NULL;
    MT_REQUIRE(ok(ps_net_connections(PS_CONN_KIND_UDP4, &all)));
    MT_REQUIRE(ok(ps_proc_open_self(&self)));
    MT_REQUIRE(ok(ps_proc_net_connections(self, PS_CONN_KIND_ALL, &mine)));
    MT_CHECK_EQ_INT(count_conn(all, PS_SOCK_DGRAM, "127.0.0.1", port), raw > 0 ? 1 : 0);
    const ps_connection *u = find_conn(all, PS_SOCK_DGRAM, "127.0.0.1", port);
    if (u && u->pid == (int64_t)GetCurrentProcessId())
        MT_CHECK_EQ_INT(count_conn(mine, PS_SOCK_DGRAM, "127.0.0.1", port), 1);
    else
        WT_WINE_GAP("the owning PID of our UDP sockets is not ours");
    /* nothing else is listed twice either */
    for (size_t i = 0; i < all->count; i++) {
        const ps_connection *x = &all->items[i];
        for (size_t j = i + 1; j < all->count; j++) {
            const ps_connection *y = &all->items[j];
            MT_CHECK(!(x->pid == y->pid && x->laddr.port == y->laddr.port && x->raddr.port == y->raddr.port &&
                       x->family == y->family && x->status == y->status && x->laddr.ip && y->laddr.ip &&
                       strcmp(x->laddr.ip, y->laddr.ip) == 0 && !x->raddr.ip && !y->raddr.ip));
        }
    }
    ps_connection_list_free(all);
    ps_connection_list_free(mine);
    ps_proc_free(self);
    WT_HANDLES_AFTER();
    closesocket(a);
    closesocket(b);
}

MT_MAIN()
