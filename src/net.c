/* SPDX-License-Identifier: MIT */
/* Network information: argument checks, address formatting, psutil's ordering rules, and the
 * decoding of every native string the back end returns. No OS #ifdef here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "list.h"
#include "net_conns.h"

/* ---- the back ends' records, disposed the same way everywhere ------------------------------ */

void ps__bk_netio_free(ps__bk_netio *items, size_t count)
{
    for (size_t i = 0; i < count; i++) ps__nstr_dispose(&items[i].name);
    free(items);
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

void ps__bk_nic_stats_free(ps__bk_nic_stats *items, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        ps__nstr_dispose(&items[i].nic);
        ps__nstr_dispose(&items[i].flags);
    }
    free(items);
}

void ps__bk_conn_free(ps__bk_conn *items, size_t count)
{
    for (size_t i = 0; i < count; i++) ps__nstr_dispose(&items[i].path);
    free(items);
}

/* Decode a native string that may be absent (data NULL → *out NULL). */
static int dec_opt(ps__nstr *s, char **out)
{
    *out = NULL;
    if (!s->data) return 0;
    return ps__decode_native(s->data, s->len, out, NULL);
}

/* Decode a native string that is always present (NULL data → ""). */
static int dec(ps__nstr *s, char **out)
{
    return ps__decode_native(s->data ? s->data : (void *)"", s->data ? s->len : 0, out, NULL);
}

static int oom(const char *fn)
{
    return ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
}

/* ---- I/O counters --------------------------------------------------------------------- */

static int fill_netio(ps_netio_entry *d, ps__bk_netio *s)
{
    d->counters = s->counters;
    return dec(&s->name, &d->name);
}
static const size_t netio_strs[] = {offsetof(ps_netio_entry, name)};
PS__LIST_SPEC(netio_spec, "ps_net_io_counters_pernic", ps_netio_list, ps__bk_netio, fill_netio,
              ps__bk_netio_free, netio_strs);
PS__LIST_FREE(ps_netio_list_free, ps_netio_list, netio_spec)

PS__LIST_GETTER(ps_net_io_counters_pernic, ps_netio_list, netio_spec, ps__bk_netio, ps__bk_net_io)

int ps_net_io_counters(ps_netio *out)
{
    PS__CHECK_ARGS("ps_net_io_counters", out);
    memset(out, 0, sizeof *out);
    ps__bk_netio *it = NULL;
    size_t n = 0;
    int rc = ps__bk_net_io(&it, &n);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) {
        const ps_netio *c = &it[i].counters;
        out->bytes_sent += c->bytes_sent;
        out->bytes_recv += c->bytes_recv;
        out->packets_sent += c->packets_sent;
        out->packets_recv += c->packets_recv;
        out->errin += c->errin;
        out->errout += c->errout;
        out->dropin += c->dropin;
        ps__add_known(&out->dropout, c->dropout);   /* macOS does not count them */
    }
    ps__bk_netio_free(it, n);
    return 0;
}

/* ---- addresses ------------------------------------------------------------------------ */

static int nstr_eq(const ps__nstr *a, const ps__nstr *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* psutil pads a MAC with fewer than 5 separators with ":00" (psutil #786); Windows MACs are
 * "AA-BB-..." and get "-00". */
static int pad_mac(char **s)
{
    size_t seps = 0, len = strlen(*s);
    char sep = strchr(*s, '-') ? '-' : ':';
    char pad[4] = {sep, '0', '0', 0};
    for (size_t i = 0; i < len; i++) seps += (*s)[i] == sep;
    if (seps >= 5) return 0;
    char *p = realloc(*s, len + (5 - seps) * 3 + 1);
    if (!p) return PS_ENOMEM;
    for (; seps < 5; seps++, len += 3) memcpy(p + len, pad, 4);
    *s = p;
    return 0;
}

int ps_net_if_addrs(ps_nic_addr_list **out)
{
    PS__CHECK_ARGS("ps_net_if_addrs", out);
    *out = NULL;
    ps__bk_nic_addr *it = NULL;
    size_t n = 0;
    int rc = ps__bk_net_if_addrs(&it, &n);
    if (rc) return rc;
    /* psutil: rawlist.sort(key=family) (stable), then a dict keyed by NIC name. */
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    size_t *sorted = malloc((n ? n : 1) * sizeof *sorted);
    unsigned char *taken = calloc(n ? n : 1, 1);
    ps_nic_addr_list *l = calloc(1, sizeof *l);
    if (l && n) l->items = calloc(n, sizeof *l->items);
    if (!order || !sorted || !taken || !l || (n && !l->items)) {
        free(order); free(sorted); free(taken);
        if (l) free(l->items);
        free(l);
        ps__bk_nic_addr_free(it, n);
        return oom("ps_net_if_addrs");
    }
    for (size_t i = 0; i < n; i++) { /* stable insertion sort by key */
        size_t j = i;
        while (j > 0 && it[sorted[j - 1]].sort_key > it[i].sort_key) {
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = i;
    }
    size_t k = 0;
    for (size_t a = 0; a < n; a++) {
        if (taken[a]) continue;
        const ps__nstr *name = &it[sorted[a]].nic;
        for (size_t b = a; b < n; b++) {
            if (!taken[b] && nstr_eq(&it[sorted[b]].nic, name)) {
                taken[b] = 1;
                order[k++] = sorted[b];
            }
        }
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        ps__bk_nic_addr *s = &it[order[i]];
        ps_nic_addr *d = &l->items[i];
        l->count = i + 1;
        d->family = s->family;
        rc = dec(&s->nic, &d->nic);
        if (!rc) rc = dec(&s->address, &d->address);
        if (!rc) rc = dec_opt(&s->netmask, &d->netmask);
        if (!rc) rc = dec_opt(&s->broadcast, &d->broadcast);
        if (!rc) rc = dec_opt(&s->ptp, &d->ptp);
        if (!rc && d->family == PS_NET_AF_LINK && pad_mac(&d->address)) rc = oom("ps_net_if_addrs");
    }
    free(order); free(sorted); free(taken);
    ps__bk_nic_addr_free(it, n);
    if (rc) {
        ps_nic_addr_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

void ps_nic_addr_list_free(ps_nic_addr_list *list)
{
    if (!list) return;
    for (size_t i = 0; i < list->count; i++) {
        ps_nic_addr *a = &list->items[i];
        free(a->nic);
        free(a->address);
        free(a->netmask);
        free(a->broadcast);
        free(a->ptp);
    }
    free(list->items);
    free(list);
}

/* ---- interface state ------------------------------------------------------------------ */

static int fill_nic_stats(ps_nic_stats *d, ps__bk_nic_stats *s)
{
    d->isup = s->isup;
    d->duplex = s->duplex;
    d->speed = s->speed > 0 ? s->speed : PS_UNKNOWN_I64;
    d->mtu = s->mtu;
    int rc = dec(&s->nic, &d->nic);
    if (!rc) rc = dec(&s->flags, &d->flags);
    return rc;
}
static const size_t nic_stats_strs[] = {offsetof(ps_nic_stats, nic), offsetof(ps_nic_stats, flags)};
PS__LIST_SPEC(nic_stats_spec, "ps_net_if_stats", ps_nic_stats_list, ps__bk_nic_stats,
              fill_nic_stats, ps__bk_nic_stats_free, nic_stats_strs);
PS__LIST_FREE(ps_nic_stats_list_free, ps_nic_stats_list, nic_stats_spec)

PS__LIST_GETTER(ps_net_if_stats, ps_nic_stats_list, nic_stats_spec, ps__bk_nic_stats, ps__bk_net_if_stats)

/* ---- connections ---------------------------------------------------------------------- */

static const char *const kind_names[] = {
    "inet", "inet4", "inet6", "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "unix", "all",
};
#define N_KINDS (sizeof kind_names / sizeof kind_names[0])

int ps_conn_kind_from_name(const char *name, int32_t *out)
{
    PS__CHECK_ARGS("ps_conn_kind_from_name", name && out);
    for (size_t i = 0; i < N_KINDS; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (int32_t)i;
            return 0;
        }
    }
    return ps__error(PS_EINVAL, 0, "unknown connection kind \"%.64s\"", name);
}

const char *ps_conn_kind_name(ps_conn_kind kind)
{
    if ((int)kind < 0 || (size_t)kind >= N_KINDS) return NULL;
    return kind_names[kind];
}

static const char *const status_names[] = {
    "NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
    "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "DELETE_TCB", "IDLE", "BOUND",
};

const char *ps_conn_status_name(ps_conn_status status)
{
    if ((int)status < 0 || (size_t)status >= sizeof status_names / sizeof status_names[0])
        return NULL;
    return status_names[status];
}

/* IPv4 dotted quad into buf (>= 16 bytes), NUL-terminated; returns the length. (By hand:
 * sprintf was most of the CPU time of a 1000-socket listing.) */
static size_t fmt_ipv4(const uint8_t *a, char *buf)
{
    char *p = buf;
    for (int i = 0; i < 4; i++) {
        unsigned v = a[i];
        if (i) *p++ = '.';
        if (v >= 100) *p++ = (char)('0' + v / 100);
        if (v >= 10) *p++ = (char)('0' + v / 10 % 10);
        *p++ = (char)('0' + v % 10);
    }
    *p = '\0';
    return (size_t)(p - buf);
}

/* One IPv6 group as lowercase hex without leading zeros. */
static char *fmt_hex16(unsigned v, char *p)
{
    static const char hex[] = "0123456789abcdef";
    int started = 0;
    for (int shift = 12; shift >= 0; shift -= 4) {
        unsigned d = (v >> shift) & 0xf;
        if (d || started || shift == 0) {
            *p++ = hex[d];
            started = 1;
        }
    }
    return p;
}

/*
 * IPv6 text exactly as glibc's inet_ntop (what Python's socket.inet_ntop gives psutil): the
 * longest run (first on ties) of at least two zero groups becomes "::"; lowercase hex without
 * leading zeros; "::a.b.c.d" when the first six groups are zero and "::ffff:a.b.c.d" for
 * IPv4-mapped addresses. buf: >= 46 bytes.
 */
size_t ps__net_format_ipv6(const uint8_t *a, char *buf);
size_t ps__net_format_ipv6(const uint8_t *a, char *buf)
{
    unsigned w[8];
    for (int i = 0; i < 8; i++) w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    int best = -1, best_len = 0, cur = -1, cur_len = 0;
    for (int i = 0; i < 8; i++) {
        if (w[i] == 0) {
            if (cur < 0) { cur = i; cur_len = 1; } else cur_len++;
            if (cur_len > best_len) { best = cur; best_len = cur_len; }
        } else {
            cur = -1;
        }
    }
    if (best_len < 2) best = -1;
    char *p = buf;
    for (int i = 0; i < 8; i++) {
        if (best >= 0 && i >= best && i < best + best_len) {
            if (i == best) *p++ = ':';
            continue;
        }
        if (i != 0) *p++ = ':';
        if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
            p += fmt_ipv4(a + 12, p);
            break;
        }
        p = fmt_hex16(w[i], p);
    }
    if (best >= 0 && best + best_len == 8) *p++ = ':';
    *p = '\0';
    return (size_t)(p - buf);
}

/* The endpoint as psutil shows it: () (ip NULL) where this platform's psutil does
 * (ps__bk_conn_end_rule: a port of 0 on Linux, port and address 0 on Windows). The text is ASCII we
 * generate, bytes on every platform (not native: UTF-16 on Windows); it still goes through the
 * byte decoder like every string we return. */
static int endpoint(ps_net_family fam, const uint8_t *addr, int32_t port, bool remote, ps_net_endpoint *e)
{
    char buf[64];
    size_t len;
    e->ip = NULL;
    e->port = port;
    if (!ps__conn_end_shown(ps__bk_conn_end_rule, fam, addr, port, remote)) return 0;
    len = fam == PS_NET_AF_INET ? fmt_ipv4(addr, buf) : ps__net_format_ipv6(addr, buf);
    ps__buf b;
    ps__buf_init(&b);
    ps__decode_bytes_into(&b, (const unsigned char *)buf, len, ps__policy());
    return ps__buf_finish(&b, &e->ip, NULL);
}

static int fill_conn(ps_connection *d, ps__bk_conn *s)
{
    /* the back ends' -1 / 0 for "no visible owner" / "no inode" become the one spelling */
    d->fd = s->fd >= 0 ? s->fd : PS_UNKNOWN_I64;
    d->pid = s->pid >= 0 ? s->pid : PS_UNKNOWN_I64;
    d->inode = s->inode ? s->inode : PS_UNKNOWN_U64;
    d->family = s->family;
    d->type = s->type;
    d->status = s->status;
    if (s->family == PS_NET_AF_UNIX) return dec(&s->path, &d->path);
    int rc = endpoint(s->family, s->laddr, s->lport, false, &d->laddr);
    if (!rc) rc = endpoint(s->family, s->raddr, s->rport, true, &d->raddr);
    return rc;
}
static const size_t conn_strs[] = {offsetof(ps_connection, laddr.ip), offsetof(ps_connection, raddr.ip),
                                   offsetof(ps_connection, path)};
PS__LIST_SPEC(conn_spec, "net_connections", ps_connection_list, ps__bk_conn, fill_conn,
              ps__bk_conn_free, conn_strs);
PS__LIST_FREE(ps_connection_list_free, ps_connection_list, conn_spec)

static int connections(ps_proc *proc, ps_conn_kind kind, ps_connection_list **out)
{
    *out = NULL;
    if ((int)kind < 0 || (size_t)kind >= N_KINDS)
        return ps__error(PS_EINVAL, 0, "net_connections: kind %d is not a ps_conn_kind", (int)kind);
    ps__bk_conn *it = NULL;
    size_t n = 0;
    int rc = ps__bk_net_connections(proc, kind, &it, &n);
    *out = ps__list_take(&conn_spec, it, n, &rc);
    return rc;
}

int ps_net_connections(ps_conn_kind kind, ps_connection_list **out)
{
    PS__CHECK_ARGS("ps_net_connections", out);
    return connections(NULL, kind, out);
}

int ps_proc_net_connections(ps_proc *proc, ps_conn_kind kind, ps_connection_list **out)
{
    PS__CHECK_ARGS("ps_proc_net_connections", proc && out);
    return connections(proc, kind, out);
}
