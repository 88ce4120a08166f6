/* SPDX-License-Identifier: MIT */
/* Parsers on fake /proc trees (tests/fixtures/net/, written by make_fixtures.py) with known
 * answers: counters near 2^64, extra columns, invalid UTF-8 in NIC names and socket paths,
 * paths with blanks and newlines, truncated, empty and malformed files. */
#include <criterion/criterion.h>

#include "test_net_util.h"
#include "helpers/fdcheck.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(net_fixtures);

static void use_tree(const char *name)
{
    const char *src = getenv("PSINFO_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/net/%s", src ? src : "..", name);
    cr_assert_eq(ps_set_root(PS_ROOT_PROC, path), 0);
}

static void restore(void)
{
    ps_set_root(PS_ROOT_PROC, NULL);
    ps_set_errors_policy(PS_ERRORS_SURROGATEESCAPE);
}

#define M UINT64_MAX

Test(net_fixtures, dev_basic, .fini = restore)
{
    use_tree("basic");
    ps_netio_list *l = NULL;
    cr_assert_eq(ps_net_io_counters_pernic(&l), 0);
    cr_assert_eq(l->count, 3);
    cr_expect_str_eq(l->items[0].name, "lo");
    cr_expect_str_eq(l->items[1].name, "eth0");
    cr_expect_str_eq(l->items[2].name, "p\xed\xb3\xbf\xc3\xa9x");   /* 0xFF escaped, é kept */
    const ps_netio *e = &l->items[1].counters;
    cr_expect_eq(e->bytes_recv, M);
    cr_expect_eq(e->packets_recv, M - 1);
    cr_expect_eq(e->errin, 1);
    cr_expect_eq(e->dropin, 2);
    cr_expect_eq(e->bytes_sent, M - 2);
    cr_expect_eq(e->packets_sent, M - 3);
    cr_expect_eq(e->errout, 3);
    cr_expect_eq(e->dropout, 4);
    const ps_netio *p = &l->items[2].counters;
    cr_expect_eq(p->bytes_recv, 5);
    cr_expect_eq(p->packets_recv, 6);
    cr_expect_eq(p->errin, 7);
    cr_expect_eq(p->dropin, 8);
    cr_expect_eq(p->bytes_sent, 9);
    cr_expect_eq(p->packets_sent, 10);
    cr_expect_eq(p->errout, 11);
    cr_expect_eq(p->dropout, 12);
    ps_netio_list_free(l);
    /* totals wrap modulo 2^64 */
    ps_netio t;
    cr_assert_eq(ps_net_io_counters(&t), 0);
    cr_expect_eq(t.bytes_recv, 100 + M + 5);           /* == 104 mod 2^64 */
    cr_expect_eq(t.bytes_recv, 104);
    cr_expect_eq(t.bytes_sent, (uint64_t)100 + (M - 2) + 9);
    cr_expect_eq(t.packets_recv, 2 + (M - 1) + 6);
    cr_expect_eq(t.errin, 8);
    cr_expect_eq(t.dropout, 16);
    /* the replace policy: one U+FFFD for the byte */
    cr_assert_eq(ps_set_errors_policy(PS_ERRORS_REPLACE), 0);
    cr_assert_eq(ps_net_io_counters_pernic(&l), 0);
    cr_expect_str_eq(l->items[2].name, "p\xef\xbf\xbd\xc3\xa9x");
    ps_netio_list_free(l);
}

Test(net_fixtures, dev_broken, .fini = restore)
{
    ps_netio_list *l = (ps_netio_list *)0x1;
    ps_netio t;
    const char *bad[] = { "truncated", "nonumber", "overflow" };
    for (int i = 0; i < 3; i++) {
        use_tree(bad[i]);
        cr_expect_eq(ps_net_io_counters_pernic(&l), PS_EPARSE, "%s", bad[i]);
        cr_expect_null(l);
        cr_expect_eq(ps_net_io_counters(&t), PS_EPARSE, "%s", bad[i]);
        ps_error_detail d;
        ps_error_last(&d);
        cr_expect(strstr(d.message, "net/dev") != NULL, "%s", d.message);
    }
    use_tree("empty");   /* an empty file: no NICs, zero totals */
    cr_assert_eq(ps_net_io_counters_pernic(&l), 0);
    cr_expect_eq(l->count, 0);
    ps_netio_list_free(l);
    cr_assert_eq(ps_net_io_counters(&t), 0);
    cr_expect_eq(t.bytes_recv, 0);
    use_tree("no-such-tree");
    cr_expect_eq(ps_net_io_counters_pernic(&l), PS_ENOENT);
    ps_nic_stats_list *s = NULL;
    cr_expect_eq(ps_net_if_stats(&s), PS_ENOENT);
}

/* The NIC names of a fixture are not on this machine: net_if_stats leaves them out (ENODEV),
 * and keeps "lo", which every kernel has, with its real state. */
Test(net_fixtures, if_stats_names_from_tree, .fini = restore)
{
    use_tree("basic");
    ps_nic_stats_list *s = NULL;
    cr_assert_eq(ps_net_if_stats(&s), 0);
    int lo = 0;
    for (size_t i = 0; i < s->count; i++) {
        cr_expect(strcmp(s->items[i].nic, "eth0") == 0 || strcmp(s->items[i].nic, "lo") == 0,
                  "%s", s->items[i].nic);
        if (strcmp(s->items[i].nic, "lo") == 0) {
            lo = 1;
            cr_expect(strstr(s->items[i].flags, "loopback") != NULL);
        }
    }
    cr_expect(lo);
    ps_nic_stats_list_free(s);
}

static const ps_connection *by_inode(const ps_connection_list *l, uint64_t inode, int nth)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i].inode == inode && nth-- == 0) return &l->items[i];
    return NULL;
}

static size_t count_inode(const ps_connection_list *l, uint64_t inode)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++) n += l->items[i].inode == inode;
    return n;
}

static void expect_ep(const ps_net_endpoint *e, const char *ip, int port)
{
    if (!ip) {
        cr_expect_null(e->ip);
        return;
    }
    cr_assert_not_null(e->ip, "expected %s", ip);
    cr_expect_str_eq(e->ip, ip);
    cr_expect_eq(e->port, port);
}

Test(net_fixtures, connections_known_answers, .fini = restore)
{
    use_tree("basic");
    ps_connection_list *l = NULL;
    cr_assert_eq(ps_net_connections(PS_CONN_KIND_ALL, &l), 0);
    /* tcp 3 + tcp6 2 + udp 2 + (no udp6) + unix: 6 sockets, 2002 held twice → 7 rows */
    cr_expect_eq(l->count, 14, "rows: %zu", l->count);
    const ps_connection *c = by_inode(l, 1001, 0);
    cr_assert_not_null(c);
    cr_expect_eq(c->family, PS_NET_AF_INET);
    cr_expect_eq(c->type, PS_SOCK_STREAM);
    cr_expect_eq(c->status, PS_CONN_LISTEN);
    expect_ep(&c->laddr, "127.0.0.1", 8080);
    expect_ep(&c->raddr, NULL, 0);
    cr_expect_eq(c->pid, 200, "the highest pid holding it (psutil)");
    cr_expect_eq(c->fd, 5);
    cr_expect_eq(count_inode(l, 1001), 1);
    c = by_inode(l, 1002, 0);
    cr_assert_not_null(c);
    cr_expect_eq(c->status, PS_CONN_ESTABLISHED);
    expect_ep(&c->laddr, "10.0.0.5", 22);
    expect_ep(&c->raddr, "192.168.1.9", 51000);
    cr_expect_eq(c->pid, PS_UNKNOWN_I64);
    cr_expect_eq(c->fd, PS_UNKNOWN_I64);
    c = by_inode(l, 1003, 0);
    cr_assert_not_null(c);
    cr_expect_eq(c->status, PS_CONN_NONE, "unknown TCP state 0C (psutil raises KeyError)");
    c = by_inode(l, 1004, 0);
    cr_assert_not_null(c);
    cr_expect_eq(c->family, PS_NET_AF_INET6);
    expect_ep(&c->laddr, "::1", 443);
    cr_expect_eq(c->pid, 200);
    cr_expect_eq(c->fd, 6);
    c = by_inode(l, 1005, 0);
    cr_assert_not_null(c);
    expect_ep(&c->laddr, "::ffff:127.0.0.1", 40521);
    expect_ep(&c->raddr, "fe80::fffe:1", 2);
    c = by_inode(l, 1006, 0);
    cr_assert_not_null(c);
    cr_expect_eq(c->type, PS_SOCK_DGRAM);
    cr_expect_eq(c->status, PS_CONN_NONE, "UDP state 07 is not reported");
    expect_ep(&c->laddr, "0.0.0.0", 68);
    c = by_inode(l, 1007, 0);
    cr_assert_not_null(c);
    expect_ep(&c->laddr, NULL, 0);   /* port 0 → () */
    cr_expect_eq(c->laddr.port, 0);
    /* unix */
    c = by_inode(l, 2001, 0);
    cr_assert_not_null(c);
    cr_expect_eq(c->family, PS_NET_AF_UNIX);
    cr_expect_str_eq(c->path, "/run/plain.sock");
    cr_expect_null(c->laddr.ip);
    cr_expect_eq(c->pid, PS_UNKNOWN_I64);
    cr_expect_eq(count_inode(l, 2002), 2, "one row per fd of the owner");
    c = by_inode(l, 2002, 0);
    cr_assert_not_null(c);
    cr_expect_str_eq(c->path, "/tmp/with space \xed\xb3\xbf.sock");
    cr_expect_eq(c->pid, 200);
    int64_t fd1 = c->fd;
    c = by_inode(l, 2002, 1);
    cr_assert_not_null(c);
    /* in the directory's order (numeric in a real /proc; whatever the fixture's FS gives) */
    cr_expect((fd1 == 7 && c->fd == 9) || (fd1 == 9 && c->fd == 7), "fds %lld %lld",
              (long long)fd1, (long long)c->fd);
    c = by_inode(l, 2003, 0);
    cr_assert_not_null(c);
    cr_expect_eq(c->type, PS_SOCK_DGRAM);
    cr_expect_str_eq(c->path, "@abstract@name");
    c = by_inode(l, 2004, 0);
    cr_assert_not_null(c);
    cr_expect_str_eq(c->path, "", "unbound: empty path");
    c = by_inode(l, 2005, 0);
    cr_assert_not_null(c);
    cr_expect_eq(c->type, PS_SOCK_SEQPACKET);
    cr_expect_str_eq(c->path, "/tmp/new\nline.sock");
    cr_expect_eq(c->pid, 300);
    cr_expect_eq(c->fd, 1);
    c = by_inode(l, 2006, 0);
    cr_assert_not_null(c);
    cr_expect_str_eq(c->path, " leading-blank");
    /* file order: tcp, tcp6, udp, unix */
    cr_expect_eq(l->items[0].inode, 1001);
    cr_expect_eq(l->items[3].inode, 1004);
    cr_expect_eq(l->items[5].inode, 1006);
    cr_expect_eq(l->items[7].inode, 2001);
    ps_connection_list_free(l);

    /* kinds pick the tables */
    struct { ps_conn_kind k; size_t n; } kinds[] = {
        { PS_CONN_KIND_INET, 7 }, { PS_CONN_KIND_INET4, 5 }, { PS_CONN_KIND_INET6, 2 },
        { PS_CONN_KIND_TCP, 5 }, { PS_CONN_KIND_TCP4, 3 }, { PS_CONN_KIND_TCP6, 2 },
        { PS_CONN_KIND_UDP, 2 }, { PS_CONN_KIND_UDP4, 2 }, { PS_CONN_KIND_UDP6, 0 },
        { PS_CONN_KIND_UNIX, 7 },
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        cr_assert_eq(ps_net_connections(kinds[i].k, &l), 0);
        cr_expect_eq(l->count, kinds[i].n, "%s: %zu", ps_conn_kind_name(kinds[i].k), l->count);
        ps_connection_list_free(l);
    }
}

Test(net_fixtures, connections_broken, .fini = restore)
{
    ps_connection_list *l = (ps_connection_list *)0x1;
    use_tree("truncated");
    cr_expect_eq(ps_net_connections(PS_CONN_KIND_TCP4, &l), PS_EPARSE);   /* line cut short */
    cr_expect_null(l);
    cr_expect_eq(ps_net_connections(PS_CONN_KIND_UDP4, &l), PS_EPARSE);   /* 'G' in hex */
    cr_expect_eq(ps_net_connections(PS_CONN_KIND_UNIX, &l), PS_EPARSE);   /* not a record */
    ps_error_detail d;
    ps_error_last(&d);
    cr_expect(strstr(d.message, "net/unix") != NULL, "%s", d.message);
    cr_assert_eq(ps_net_connections(PS_CONN_KIND_INET6, &l), 0);   /* header only, empty file */
    cr_expect_eq(l->count, 0);
    ps_connection_list_free(l);
    use_tree("nonumber");
    cr_expect_eq(ps_net_connections(PS_CONN_KIND_TCP4, &l), PS_EPARSE);   /* inode overflows */
    use_tree("overflow");
    cr_expect_eq(ps_net_connections(PS_CONN_KIND_TCP4, &l), PS_EPARSE);   /* port > 65535 */
    cr_expect_eq(ps_net_connections(PS_CONN_KIND_TCP6, &l), 0);           /* tcp6 missing: no IPv6 */
    cr_expect_eq(l->count, 0);
    ps_connection_list_free(l);
    cr_expect_eq(ps_net_connections(PS_CONN_KIND_UDP4, &l), PS_ENOENT);   /* udp missing */
    use_tree("empty");
    cr_assert_eq(ps_net_connections(PS_CONN_KIND_ALL, &l), 0);   /* psutil #766 lines skipped */
    cr_expect_eq(l->count, 0);
    ps_connection_list_free(l);
}

/* The core's IPv6 text against Python's socket.inet_ntop (glibc's, which psutil uses) on
 * special and random addresses, random ones biased towards zero groups. */
size_t ps__net_format_ipv6(const uint8_t *a, char *buf);

Test(net_fixtures, ipv6_text_like_inet_ntop)
{
    char *out = tn_run("/usr/bin/python3 -c \""
        "import random, socket\n"
        "random.seed(5)\n"
        "sp = ['::', '::1', '::2', '::ffff:1.2.3.4', '::1.2.3.4', '::ffff:0:1.2.3.4', '1::', '1:0:0:1::1',\n"
        "      '1:0:0:1:0:0:1:1', 'fe80::1', '0:0:1::', '::ffff:0.0.0.0', '::0.0.1.0', '2001:db8::ff00:42:8329']\n"
        "addrs = [socket.inet_pton(socket.AF_INET6, s) for s in sp]\n"
        "for i in range(20000):\n"
        "    w = [random.choice([0, 0, 0, 1, 0xffff, random.randrange(65536)]) for _ in range(8)]\n"
        "    addrs.append(b''.join(x.to_bytes(2, 'big') for x in w))\n"
        "for a in addrs: print(a.hex(), socket.inet_ntop(socket.AF_INET6, a))\n"
        "\"");
    cr_assert_not_null(out);
    tn_lines l = tn_split(out);
    cr_assert_gt(l.n, 20000);
    size_t bad = 0;
    for (size_t i = 0; i < l.n; i++) {
        uint8_t a[16];
        char want[64], got[64];
        for (int k = 0; k < 16; k++) {
            unsigned v;
            sscanf(l.v[i] + 2 * k, "%2x", &v);
            a[k] = (uint8_t)v;
        }
        snprintf(want, sizeof want, "%s", l.v[i] + 33);
        ps__net_format_ipv6(a, got);
        if (strcmp(got, want) != 0 && bad++ < 5) cr_expect_str_eq(got, want, "%.32s", l.v[i]);
    }
    cr_expect_eq(bad, 0);
    free(l.v);
    free(out);
}
