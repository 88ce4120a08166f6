/* SPDX-License-Identifier: MIT */
/* Windows back end: network counters, addresses, interface state and connections, through the
 * IP Helper calls psutil uses (GetAdaptersAddresses, GetIfEntry2, GetExtended{Tcp,Udp}Table). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>

#include "winproc.h"
#include "winsys.h"
#include "../list.h"
#include "../net_conns.h"

/* The core's IPv6 text (inet_ntop's form, src/net.c). */
size_t ps__net_format_ipv6(const uint8_t *a, char *buf);

/* GetAdaptersAddresses(AF_UNSPEC, flags) into a malloc'd list: 15 KiB first, as the call asks
 * after ERROR_BUFFER_OVERFLOW (3 tries, as psutil). No adapter: an empty list (NULL). */
static int adapters(const char *fn, ULONG flags, IP_ADAPTER_ADDRESSES **out)
{
    ULONG size = 15 * 1024;
    *out = NULL;
    for (int tries = 0; tries < 3; tries++) {
        IP_ADAPTER_ADDRESSES *a = malloc(size);
        if (!a) return ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
        ULONG rc = GetAdaptersAddresses(AF_UNSPEC, flags, NULL, a, &size);
        if (rc == ERROR_SUCCESS) {
            *out = a;
            return 0;
        }
        free(a);
        if (rc == ERROR_NO_DATA) return 0;
        if (rc != ERROR_BUFFER_OVERFLOW)
            return ps__error(ps__win_error_code(rc), (int)rc, "%s: GetAdaptersAddresses failed: error %lu", fn,
                             (unsigned long)rc);
    }
    return ps__error(PS_EIO, ERROR_BUFFER_OVERFLOW, "%s: GetAdaptersAddresses kept growing", fn);
}

#define GAA_NO_ADDRESSES \
    (GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER | GAA_FLAG_SKIP_UNICAST)

static size_t adapter_count(const IP_ADAPTER_ADDRESSES *a)
{
    size_t n = 0;
    for (; a; a = a->Next) n++;
    return n;
}

static int friendly_name(const IP_ADAPTER_ADDRESSES *a, ps__nstr *out)
{
    const WCHAR *w = a->FriendlyName ? a->FriendlyName : L"";
    return ps__win_nstr(w, wcslen(w), out);
}

/* ---- net_io_counters ------------------------------------------------------------------------ */

/* Fills one item from an adapter and its GetIfEntry2 row. */
typedef int (*if_row_fn)(const IP_ADAPTER_ADDRESSES *a, const MIB_IF_ROW2 *row, void *item);

/* The core's typed free of one kind of item, called through a pointer of its own type. */
typedef void (*if_free_fn)(void *items, size_t n);

/* One GetAdaptersAddresses (no addresses), GetIfEntry2 per adapter by its IfIndex (an adapter
 * it refuses, gone meanwhile, is left out), fill on each item of a zeroed array of size-byte
 * items. Returns the array (NULL: no adapter) and its *count; on failure NULL with *rc the
 * error, what was filled released by dispose. */
static void *if_rows(const char *fn, size_t size, if_row_fn fill, if_free_fn dispose, size_t *count, int *rc)
{
    *count = 0;
    IP_ADAPTER_ADDRESSES *list = NULL;
    *rc = adapters(fn, GAA_NO_ADDRESSES, &list);
    if (*rc || !list) return NULL;
    char *v = calloc(adapter_count(list), size);
    if (!v) {
        free(list);
        *rc = ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
        return NULL;
    }
    size_t n = 0;
    int err = 0;
    for (const IP_ADAPTER_ADDRESSES *a = list; a && err == 0; a = a->Next) {
        MIB_IF_ROW2 row;
        memset(&row, 0, sizeof row);
        row.InterfaceIndex = a->IfIndex;
        if (GetIfEntry2(&row) != NO_ERROR) continue;
        err = fill(a, &row, v + n * size);
        n++;   /* counted even when partly filled: dispose releases what is there */
    }
    free(list);
    *rc = err;
    if (err) {
        dispose(v, n);
        return NULL;
    }
    *count = n;
    return v;
}

static int netio_row(const IP_ADAPTER_ADDRESSES *a, const MIB_IF_ROW2 *row, void *item)
{
    ps__bk_netio *e = item;
    e->counters.bytes_sent = row->OutOctets;
    e->counters.bytes_recv = row->InOctets;
    e->counters.packets_sent = row->OutUcastPkts + row->OutNUcastPkts;
    e->counters.packets_recv = row->InUcastPkts + row->InNUcastPkts;
    e->counters.errin = row->InErrors;
    e->counters.errout = row->OutErrors;
    e->counters.dropin = row->InDiscards;
    e->counters.dropout = row->OutDiscards;
    return friendly_name(a, &e->name);
}

static void netio_free(void *items, size_t n) { ps__bk_netio_free(items, n); }

/* psutil 8: GetIfEntry2 per adapter, keyed by FriendlyName. */
int ps__bk_net_io(ps__bk_netio **items, size_t *count)
{
    int rc;
    *items = if_rows("net_io_counters", sizeof **items, netio_row, netio_free, count, &rc);
    return rc;
}

/* ---- net_if_addrs --------------------------------------------------------------------------- */

typedef struct addr_vec {
    ps__bk_nic_addr *items;
    size_t count, cap;
} addr_vec;

/* the next item, zeroed (ps__grow zeroes the slots it adds); NULL without memory */
static ps__bk_nic_addr *addr_new(addr_vec *v)
{
    ps__bk_nic_addr *n = ps__grow(v->items, &v->cap, v->count, sizeof *n, 16);
    if (!n) return NULL;
    v->items = n;
    return &n[v->count++];
}

/* psutil: per adapter its MAC ("AA-BB-CC-DD-EE-FF", uppercase, short ones padded with "-00")
 * when it has one, then its unicast addresses (inet_ntop text); IPv4 netmasks from
 * OnLinkPrefixLength and the broadcast computed from them (psutil does that in Python); IPv6
 * netmask, broadcast and ptp None. sort_key: Windows' family numbers (AF_LINK -1, AF_INET 2,
 * AF_INET6 23), by which psutil sorts. */
int ps__bk_net_if_addrs(ps__bk_nic_addr **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    IP_ADAPTER_ADDRESSES *list = NULL;
    int rc = adapters("net_if_addrs",
                      GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER, &list);
    if (rc || !list) return rc;
    addr_vec v = {NULL, 0, 0};
    for (const IP_ADAPTER_ADDRESSES *a = list; a && rc == 0; a = a->Next) {
        if (a->PhysicalAddressLength) {
            ps__bk_nic_addr *e = addr_new(&v);
            if (!e) {
                rc = ps__error(PS_ENOMEM, 0, "net_if_addrs: out of memory");
                break;
            }
            char mac[3 * MAX_ADAPTER_ADDRESS_LENGTH + 1] = "";
            size_t len = a->PhysicalAddressLength < MAX_ADAPTER_ADDRESS_LENGTH ? a->PhysicalAddressLength
                                                                                : MAX_ADAPTER_ADDRESS_LENGTH;
            size_t octets = len < 6 ? 6 : len, at = 0;
            for (size_t i = 0; i < octets; i++)
                at += (size_t)snprintf(mac + at, sizeof mac - at, i ? "-%02X" : "%02X", i < len ? a->PhysicalAddress[i] : 0);
            e->family = PS_NET_AF_LINK;
            e->sort_key = -1;
            rc = friendly_name(a, &e->nic);
            if (!rc) rc = ps__win_nstr_ascii(mac, &e->address);
            if (rc) break;
        }
        for (const IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u && rc == 0; u = u->Next) {
            const struct sockaddr *sa = u->Address.lpSockaddr;
            if (!sa || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)) continue;
            ps__bk_nic_addr *e = addr_new(&v);
            if (!e) {
                rc = ps__error(PS_ENOMEM, 0, "net_if_addrs: out of memory");
                break;
            }
            char text[64];
            rc = friendly_name(a, &e->nic);
            if (rc) break;
            if (sa->sa_family == AF_INET) {
                const uint8_t *b = (const uint8_t *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;
                e->family = PS_NET_AF_INET;
                e->sort_key = AF_INET;
                snprintf(text, sizeof text, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
                rc = ps__win_nstr_ascii(text, &e->address);
                unsigned plen = u->OnLinkPrefixLength <= 32 ? u->OnLinkPrefixLength : 32;
                uint32_t mask = plen ? 0xFFFFFFFFu << (32 - plen) : 0;
                uint32_t ip = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
                uint32_t bc = ip | ~mask;
                snprintf(text, sizeof text, "%u.%u.%u.%u", mask >> 24, (mask >> 16) & 255, (mask >> 8) & 255, mask & 255);
                if (!rc) rc = ps__win_nstr_ascii(text, &e->netmask);
                snprintf(text, sizeof text, "%u.%u.%u.%u", bc >> 24, (bc >> 16) & 255, (bc >> 8) & 255, bc & 255);
                if (!rc) rc = ps__win_nstr_ascii(text, &e->broadcast);
            } else {
                const struct sockaddr_in6 *s6 = (const void *)sa;
                e->family = PS_NET_AF_INET6;
                e->sort_key = AF_INET6;
                ps__net_format_ipv6((const uint8_t *)&s6->sin6_addr, text);
                rc = ps__win_nstr_ascii(text, &e->address);
            }
        }
    }
    free(list);
    if (rc) {
        ps__bk_nic_addr_free(v.items, v.count);
        return rc;
    }
    *items = v.items;
    *count = v.count;
    return 0;
}

/* ---- net_if_stats --------------------------------------------------------------------------- */

/* psutil 8: isup = operationally and administratively up, speed = TransmitLinkSpeed in Mbit/s,
 * mtu = Mtu; duplex FULL and flags "" (psutil's fixed answers: Windows reports no duplex). */
static int nic_stats_row(const IP_ADAPTER_ADDRESSES *a, const MIB_IF_ROW2 *row, void *item)
{
    ps__bk_nic_stats *e = item;
    e->isup = row->OperStatus == IfOperStatusUp && row->AdminStatus == NET_IF_ADMIN_STATUS_UP;
    e->duplex = PS_NIC_DUPLEX_FULL;
    e->speed = row->TransmitLinkSpeed == (ULONG64)-1 ? 0 : (int64_t)(row->TransmitLinkSpeed / 1000000);
    e->mtu = row->Mtu;
    int rc = friendly_name(a, &e->nic);
    if (!rc) rc = ps__win_nstr_ascii("", &e->flags);
    return rc;
}

static void nic_stats_free(void *items, size_t n) { ps__bk_nic_stats_free(items, n); }

int ps__bk_net_if_stats(ps__bk_nic_stats **items, size_t *count)
{
    int rc;
    *items = if_rows("net_if_stats", sizeof **items, nic_stats_row, nic_stats_free, count, &rc);
    return rc;
}

/* ---- net_connections ------------------------------------------------------------------------ */

/* GetExtended{Tcp,Udp}Table into a malloc'd buffer: asked for its size, given 25 % more (it
 * grows between the calls), 3 tries (psutil). */
static int ext_table(int tcp, ULONG af, void **out)
{
    DWORD size = 0;
    *out = NULL;
    for (int tries = 0; tries < 3; tries++) {
        void *buf = size ? malloc(size) : NULL;
        if (size && !buf) return ps__error(PS_ENOMEM, 0, "net_connections: out of memory");
        DWORD need = size;
        DWORD rc = tcp ? GetExtendedTcpTable(buf, &need, FALSE, af, TCP_TABLE_OWNER_PID_ALL, 0)
                       : GetExtendedUdpTable(buf, &need, FALSE, af, UDP_TABLE_OWNER_PID, 0);
        if (rc == NO_ERROR && buf) {
            *out = buf;
            return 0;
        }
        free(buf);
        if (rc == ERROR_INSUFFICIENT_BUFFER || rc == 0xC0000001u || (rc == NO_ERROR && !buf)) {
            size = need + need / 4 + 64;
            continue;
        }
        return ps__error(ps__win_error_code(rc), (int)rc, "net_connections: GetExtended%sTable(%s) failed: error %lu",
                         tcp ? "Tcp" : "Udp", af == AF_INET ? "AF_INET" : "AF_INET6", (unsigned long)rc);
    }
    return ps__error(PS_EIO, ERROR_INSUFFICIENT_BUFFER, "net_connections: the %s table kept growing", tcp ? "TCP" : "UDP");
}

/* MIB_TCP_STATE -> psutil's names */
static ps_conn_status tcp_status(DWORD s)
{
    switch (s) {
    case MIB_TCP_STATE_CLOSED: return PS_CONN_CLOSE;
    case MIB_TCP_STATE_LISTEN: return PS_CONN_LISTEN;
    case MIB_TCP_STATE_SYN_SENT: return PS_CONN_SYN_SENT;
    case MIB_TCP_STATE_SYN_RCVD: return PS_CONN_SYN_RECV;
    case MIB_TCP_STATE_ESTAB: return PS_CONN_ESTABLISHED;
    case MIB_TCP_STATE_FIN_WAIT1: return PS_CONN_FIN_WAIT1;
    case MIB_TCP_STATE_FIN_WAIT2: return PS_CONN_FIN_WAIT2;
    case MIB_TCP_STATE_CLOSE_WAIT: return PS_CONN_CLOSE_WAIT;
    case MIB_TCP_STATE_CLOSING: return PS_CONN_CLOSING;
    case MIB_TCP_STATE_LAST_ACK: return PS_CONN_LAST_ACK;
    case MIB_TCP_STATE_TIME_WAIT: return PS_CONN_TIME_WAIT;
    case MIB_TCP_STATE_DELETE_TCB: return PS_CONN_DELETE_TCB;
    default: return PS_CONN_NONE;
    }
}

/* the port of a table row: network byte order in the low 16 bits */
static int32_t row_port(DWORD p)
{
    return (int32_t)ntohs((u_short)(p & 0xFFFF));
}

/* A row's local and remote (raddr NULL: none, a UDP row) address of alen bytes and ports. */
static void row_ends(ps__bk_conn *c, const void *laddr, DWORD lport, const void *raddr, DWORD rport,
                     size_t alen)
{
    memcpy(c->laddr, laddr, alen);
    c->lport = row_port(lport);
    if (!raddr) return;
    memcpy(c->raddr, raddr, alen);
    c->rport = row_port(rport);
}

/* psutil's socks.c: an end is () only when its address and port are both 0 (raddr of a LISTEN
 * row is cleared below, as psutil ignores it) */
const ps__conn_end_rule ps__bk_conn_end_rule = PS__END_RULE_ADDR_AND_PORT;

/* psutil: the TCP (TCP_TABLE_OWNER_PID_ALL) and UDP (UDP_TABLE_OWNER_PID) tables of IPv4 and
 * IPv6, each row's owner PID; LISTEN sockets have no remote end. "unix" is PS_ENOTSUP (psutil
 * has no such kind on Windows); "all" is the four inet tables. proc: only rows its PID owns,
 * after checking it still runs. Rows equal in psutil's tuple (two sockets bound to one UDP
 * port with SO_REUSEADDR, say) are listed once, the first kept: psutil returns a set. */
int ps__bk_net_connections(ps_proc *proc, ps_conn_kind kind, ps__bk_conn **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    if (kind == PS_CONN_KIND_UNIX)
        return ps__error(PS_ENOTSUP, 0, "net_connections: Windows has no \"unix\" kind (as psutil)");
    unsigned want = ps__conn_kind_tables(kind) & ~(unsigned)PS__CONN_UNIX;
    int64_t only = -1;
    if (proc) {
        int running = 0;
        int rc = ps__bk_proc_is_running(proc, &running);
        if (rc) return rc;
        if (!running) return ps__error(PS_ENOPROC, 0, "net_connections: process %lld is gone", (long long)proc->pid);
        only = proc->pid;
    }
    ps__conn_vec v = {NULL, 0, 0};
    int rc = 0;
    for (unsigned t = 1; t <= PS__CONN_UDP6 && rc == 0; t <<= 1) {
        if (!(want & t)) continue;
        int tcp = t == PS__CONN_TCP4 || t == PS__CONN_TCP6;
        ULONG af = t == PS__CONN_TCP4 || t == PS__CONN_UDP4 ? AF_INET : AF_INET6;
        void *buf = NULL;
        rc = ext_table(tcp, af, &buf);
        if (rc) break;
        DWORD rows = *(const DWORD *)buf;
        for (DWORD i = 0; i < rows && rc == 0; i++) {
            ps__bk_conn c0;
            memset(&c0, 0, sizeof c0);
            DWORD state = 0;
            if (t == PS__CONN_TCP4) {
                const MIB_TCPROW_OWNER_PID *r = &((const MIB_TCPTABLE_OWNER_PID *)buf)->table[i];
                row_ends(&c0, &r->dwLocalAddr, r->dwLocalPort, &r->dwRemoteAddr, r->dwRemotePort, 4);
                c0.pid = r->dwOwningPid;
                state = r->dwState;
            } else if (t == PS__CONN_TCP6) {
                const MIB_TCP6ROW_OWNER_PID *r = &((const MIB_TCP6TABLE_OWNER_PID *)buf)->table[i];
                row_ends(&c0, r->ucLocalAddr, r->dwLocalPort, r->ucRemoteAddr, r->dwRemotePort, 16);
                c0.pid = r->dwOwningPid;
                state = r->dwState;
            } else if (t == PS__CONN_UDP4) {
                const MIB_UDPROW_OWNER_PID *r = &((const MIB_UDPTABLE_OWNER_PID *)buf)->table[i];
                row_ends(&c0, &r->dwLocalAddr, r->dwLocalPort, NULL, 0, 4);
                c0.pid = r->dwOwningPid;
            } else {
                const MIB_UDP6ROW_OWNER_PID *r = &((const MIB_UDP6TABLE_OWNER_PID *)buf)->table[i];
                row_ends(&c0, r->ucLocalAddr, r->dwLocalPort, NULL, 0, 16);
                c0.pid = r->dwOwningPid;
            }
            if (only >= 0 && c0.pid != only) continue;
            ps__bk_conn *c = ps__conn_push(&v);
            if (!c) {
                rc = ps__error(PS_ENOMEM, 0, "net_connections: out of memory");
                break;
            }
            memcpy(c->laddr, c0.laddr, 16);
            memcpy(c->raddr, c0.raddr, 16);
            c->lport = c0.lport;
            c->rport = c0.rport;
            c->pid = c0.pid;
            c->family = af == AF_INET ? PS_NET_AF_INET : PS_NET_AF_INET6;
            c->type = tcp ? PS_SOCK_STREAM : PS_SOCK_DGRAM;
            c->status = tcp ? tcp_status(state) : PS_CONN_NONE;
            if (c->status == PS_CONN_LISTEN) {
                memset(c->raddr, 0, sizeof c->raddr);
                c->rport = 0;
            }
        }
        free(buf);
    }
    if (!rc) rc = ps__conn_dedup(v.v, &v.n);
    if (rc) {
        ps__bk_conn_free(v.v, v.n);
        return rc;
    }
    *items = v.v;
    *count = v.n;
    return 0;
}
