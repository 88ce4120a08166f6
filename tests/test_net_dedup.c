/* SPDX-License-Identifier: MIT */
/* ps__conn_dedup (src/net_conns.c), the Windows back end's copy of psutil's set of connection
 * tuples, on rows with known answers: repeats, rows differing in one shown field each, what the
 * core does not show (inode, the address of a port-0 end, unknown fd/pid spellings), UNIX paths,
 * the empty list, one row, and many rows (the hash table's probing); which ends each platform
 * shows (ps__conn_end_shown). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "net_conns.h"

static ps__bk_conn tcp4(uint8_t l3, int32_t lport, uint8_t r3, int32_t rport, int64_t pid)
{
    ps__bk_conn c;
    memset(&c, 0, sizeof c);
    c.fd = -1;
    c.pid = pid;
    c.family = PS_NET_AF_INET;
    c.type = PS_SOCK_STREAM;
    c.status = PS_CONN_ESTABLISHED;
    c.laddr[0] = 127;
    c.laddr[3] = l3;
    c.raddr[0] = 127;
    c.raddr[3] = r3;
    c.lport = lport;
    c.rport = rport;
    return c;
}

/* a malloc'd copy of n rows (ps__conn_dedup works in place) */
static ps__bk_conn *dup_rows(const ps__bk_conn *rows, size_t n)
{
    ps__bk_conn *v = malloc((n ? n : 1) * sizeof *v);
    cr_assert(v);
    if (n) memcpy(v, rows, n * sizeof *v);
    return v;
}

static int same_bytes(const ps__bk_conn *a, const ps__bk_conn *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

Test(net_dedup, empty_and_one)
{
    size_t n = 0;
    cr_expect_eq(ps__conn_dedup(NULL, &n), 0);
    cr_expect_eq(n, 0);
    ps__bk_conn one = tcp4(1, 80, 2, 5000, 42);
    ps__bk_conn *v = dup_rows(&one, 1);
    n = 1;
    cr_expect_eq(ps__conn_dedup(v, &n), 0);
    cr_expect_eq(n, 1);
    cr_expect(same_bytes(&v[0], &one));
    free(v);
}

Test(net_dedup, repeats_keep_the_first_in_order)
{
    ps__bk_conn a = tcp4(1, 80, 2, 5000, 42), b = tcp4(1, 80, 2, 5001, 42), c = tcp4(1, 443, 0, 0, 7);
    c.status = PS_CONN_LISTEN;
    b.inode = 99;   /* kept from the first b */
    ps__bk_conn b2 = b;
    b2.inode = 100; /* not part of psutil's tuple: b2 is b again */
    ps__bk_conn rows[] = {a, b, a, c, b2, a, c};
    size_t n = sizeof rows / sizeof rows[0];
    ps__bk_conn *v = dup_rows(rows, n);
    cr_assert_eq(ps__conn_dedup(v, &n), 0);
    cr_assert_eq(n, 3);
    cr_expect(same_bytes(&v[0], &a));
    cr_expect(same_bytes(&v[1], &b));   /* inode 99: the first occurrence */
    cr_expect(same_bytes(&v[2], &c));
    free(v);
}

/* Each row differs from base in one field of psutil's tuple: none is a repeat. */
Test(net_dedup, one_field_apart_are_distinct)
{
    ps__bk_conn base = tcp4(1, 80, 2, 5000, 42);
    ps__bk_conn rows[11];
    for (size_t i = 0; i < 11; i++) rows[i] = base;
    rows[1].fd = 3;
    rows[2].family = PS_NET_AF_INET6;   /* same bytes, another family */
    rows[3].type = PS_SOCK_DGRAM;
    rows[4].laddr[3] = 9;                /* laddr's ip */
    rows[5].lport = 81;                  /* laddr's port */
    rows[6].raddr[3] = 9;                /* raddr's ip */
    rows[7].rport = 5001;                /* raddr's port */
    rows[8].status = PS_CONN_TIME_WAIT;
    rows[9].pid = 43;
    rows[10].pid = -1;                   /* no visible owner is not pid 42 */
    size_t n = 11;
    ps__bk_conn *v = dup_rows(rows, n);
    cr_assert_eq(ps__conn_dedup(v, &n), 0);
    cr_assert_eq(n, 11);
    for (size_t i = 0; i < 11; i++) cr_expect(same_bytes(&v[i], &rows[i]), "row %zu", i);
    /* and each again after all of them: every repeat goes */
    ps__bk_conn twice[22];
    memcpy(twice, rows, sizeof rows);
    memcpy(twice + 11, rows, sizeof rows);
    free(v);
    v = dup_rows(twice, 22);
    n = 22;
    cr_assert_eq(ps__conn_dedup(v, &n), 0);
    cr_assert_eq(n, 11);
    for (size_t i = 0; i < 11; i++) cr_expect(same_bytes(&v[i], &rows[i]), "row %zu", i);
    free(v);
}

/* What the core does not show makes no difference (fill_conn in src/net.c): an end of port 0
 * is () whatever its bytes, IPv4 shows 4 address bytes, every negative fd or pid is unknown. */
Test(net_dedup, unshown_differences_are_repeats)
{
    ps__bk_conn base = tcp4(1, 80, 0, 0, -1);
    base.status = PS_CONN_LISTEN;
    ps__bk_conn r1 = base, r2 = base, r3 = base, r4 = base;
    r1.raddr[3] = 7;      /* port 0: () either way (Linux) */
    r2.laddr[9] = 5;      /* past an IPv4 address */
    r3.fd = -7;
    r4.pid = -3;
    ps__bk_conn rows[] = {base, r1, r2, r3, r4};
    size_t n = 5;
    ps__bk_conn *v = dup_rows(rows, n);
    cr_assert_eq(ps__conn_dedup(v, &n), 0);
    cr_expect_eq(n, 1);
    cr_expect(same_bytes(&v[0], &base));
    free(v);
    /* an IPv6 address is all 16 bytes */
    ps__bk_conn s6 = base, t6 = base;
    s6.family = t6.family = PS_NET_AF_INET6;
    t6.laddr[15] = 1;
    ps__bk_conn rows6[] = {s6, t6, s6};
    n = 3;
    v = dup_rows(rows6, n);
    cr_assert_eq(ps__conn_dedup(v, &n), 0);
    cr_expect_eq(n, 2);
    cr_expect(same_bytes(&v[0], &s6) && same_bytes(&v[1], &t6));
    free(v);
}

static ps__bk_conn unix_row(const char *path)
{
    ps__bk_conn c;
    memset(&c, 0, sizeof c);
    c.fd = 4;
    c.pid = 42;
    c.family = PS_NET_AF_UNIX;
    c.type = PS_SOCK_STREAM;
    c.lport = 123;   /* not shown for UNIX rows */
    if (path) {
        size_t len = strlen(path), w = PS_NATIVE_UTF16 ? 2 : 1;
        c.path.data = calloc(len + 1, w);
        cr_assert(c.path.data);
        for (size_t i = 0; i < len; i++) {
            if (w == 2) ((uint16_t *)c.path.data)[i] = (unsigned char)path[i];
            else ((char *)c.path.data)[i] = path[i];
        }
        c.path.len = len;
    }
    return c;
}

/* UNIX rows: the path is laddr; a repeat's path is released (ASan's leak check sees it). */
Test(net_dedup, unix_paths)
{
    ps__bk_conn rows[] = {unix_row("/run/a"), unix_row("/run/a"), unix_row("/run/b"), unix_row("/run/ab"),
                          unix_row(NULL), unix_row(NULL), unix_row("/run/a")};
    rows[1].lport = 9;   /* not shown: still a repeat */
    void *a = rows[0].path.data, *b = rows[2].path.data, *ab = rows[3].path.data;
    size_t n = sizeof rows / sizeof rows[0];
    cr_assert_eq(ps__conn_dedup(rows, &n), 0);
    cr_assert_eq(n, 4);
    cr_expect(rows[0].path.data == a && rows[1].path.data == b && rows[2].path.data == ab);
    cr_expect(rows[3].path.data == NULL);
    ps__bk_conn_free(dup_rows(rows, n), n);
}

/* Many rows, each three times in a scrambled order: the first occurrences, in order. */
Test(net_dedup, many_rows)
{
    enum { DISTINCT = 5000, TOTAL = 3 * DISTINCT };
    ps__bk_conn *v = malloc(TOTAL * sizeof *v);
    int32_t *first = malloc(DISTINCT * sizeof *first);   /* order of first occurrence */
    int *seen = calloc(DISTINCT, sizeof *seen);
    cr_assert(v && first && seen);
    size_t nfirst = 0;
    uint32_t x = 12345;
    for (size_t i = 0; i < TOTAL; i++) {
        x = x * 1103515245u + 12345u;
        int32_t id = (int32_t)(i < DISTINCT ? (i * 7919) % DISTINCT : (x >> 8) % DISTINCT);
        v[i] = tcp4((uint8_t)(id & 0xff), 1 + (id >> 8), 2, 5000, 42);
        if (!seen[id]) {
            seen[id] = 1;
            first[nfirst++] = id;
        }
    }
    cr_assert_eq(nfirst, DISTINCT);
    size_t n = TOTAL;
    cr_assert_eq(ps__conn_dedup(v, &n), 0);
    cr_assert_eq(n, DISTINCT);
    for (size_t i = 0; i < n; i++) {
        ps__bk_conn want = tcp4((uint8_t)(first[i] & 0xff), 1 + (first[i] >> 8), 2, 5000, 42);
        cr_assert(same_bytes(&v[i], &want), "row %zu", i);
    }
    free(seen);
    free(first);
    free(v);
}

/* Which ends psutil shows as (ip, port) on each platform (ps__conn_end_shown): Linux's
 * decode_address drops any end of port 0; Windows' socks.c only an end whose address and port
 * are both 0; macOS' proc.c never the local end, a remote end of port 0. */
Test(net_dedup, end_rules_per_platform)
{
    static const uint8_t zero[16], lo4[16] = {127, 0, 0, 1}, lo6[16] = {[15] = 1};
    const ps__conn_end_rule lin = PS__END_RULE_PORT, win = PS__END_RULE_ADDR_AND_PORT,
                            mac = PS__END_RULE_REMOTE_PORT;
    for (int remote = 0; remote < 2; remote++) {
        /* a port: shown everywhere */
        cr_expect(ps__conn_end_shown(lin, PS_NET_AF_INET, lo4, 80, remote));
        cr_expect(ps__conn_end_shown(win, PS_NET_AF_INET6, zero, 80, remote));
        cr_expect(ps__conn_end_shown(mac, PS_NET_AF_INET, zero, 80, remote));
        /* an address with port 0: Linux (), Windows (addr, 0) */
        cr_expect(!ps__conn_end_shown(lin, PS_NET_AF_INET, lo4, 0, remote));
        cr_expect(!ps__conn_end_shown(lin, PS_NET_AF_INET6, lo6, 0, remote));
        cr_expect(ps__conn_end_shown(win, PS_NET_AF_INET, lo4, 0, remote));
        cr_expect(ps__conn_end_shown(win, PS_NET_AF_INET6, lo6, 0, remote));
        /* all zero: () on Linux and Windows */
        cr_expect(!ps__conn_end_shown(lin, PS_NET_AF_INET, zero, 0, remote));
        cr_expect(!ps__conn_end_shown(win, PS_NET_AF_INET, zero, 0, remote));
        cr_expect(!ps__conn_end_shown(win, PS_NET_AF_INET6, zero, 0, remote));
        /* an IPv4 row's bytes past its 4 are not its address */
        cr_expect(!ps__conn_end_shown(win, PS_NET_AF_INET, lo6, 0, remote));
        /* UNIX rows have no (ip, port) end under any rule */
        cr_expect(!ps__conn_end_shown(lin, PS_NET_AF_UNIX, lo4, 80, remote));
        cr_expect(!ps__conn_end_shown(win, PS_NET_AF_UNIX, lo4, 80, remote));
        cr_expect(!ps__conn_end_shown(mac, PS_NET_AF_UNIX, lo4, 80, remote));
    }
    /* macOS: the local end always, the remote one only with a port */
    cr_expect(ps__conn_end_shown(mac, PS_NET_AF_INET, zero, 0, false));
    cr_expect(ps__conn_end_shown(mac, PS_NET_AF_INET6, lo6, 0, false));
    cr_expect(!ps__conn_end_shown(mac, PS_NET_AF_INET, lo4, 0, true));
    /* this build's rule is Linux's */
    cr_expect_eq(ps__bk_conn_end_rule, lin);
}
