/* SPDX-License-Identifier: MIT */
/* Network: our answers against psutil (the oracle script) and ss/ip, on real sockets this
 * suite opens; bad input. Counters move: compared within the interval of two psutil reads. */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <stddef.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_net_util.h"
#include "reserved_util.h"
#include "helpers/fdcheck.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(net);

static void restore_root(void)
{
    ps_set_root(PS_ROOT_PROC, NULL);
}

/* ---- bad input ---------------------------------------------------------------------------- */

Test(net, null_and_bad_kind)
{
    int before = tn_fd_count();
    cr_expect_eq(ps_net_io_counters(NULL), PS_EINVAL);
    cr_expect_eq(ps_net_io_counters_pernic(NULL), PS_EINVAL);
    cr_expect_eq(ps_net_if_addrs(NULL), PS_EINVAL);
    cr_expect_eq(ps_net_if_stats(NULL), PS_EINVAL);
    cr_expect_eq(ps_net_connections(PS_CONN_KIND_ALL, NULL), PS_EINVAL);
    ps_connection_list *l = (ps_connection_list *)0x1;
    cr_expect_eq(ps_net_connections((ps_conn_kind)11, &l), PS_EINVAL);
    cr_expect_null(l);
    cr_expect_eq(ps_net_connections((ps_conn_kind)-1, &l), PS_EINVAL);
    ps_error_detail d;
    ps_error_last(&d);
    cr_expect(strstr(d.message, "kind") != NULL, "detail: %s", d.message);
    cr_expect_eq(ps_proc_net_connections(NULL, PS_CONN_KIND_ALL, &l), PS_EINVAL);
    int32_t k;
    cr_expect_eq(ps_conn_kind_from_name("bogus", &k), PS_EINVAL);
    cr_expect_eq(ps_conn_kind_from_name("INET", &k), PS_EINVAL);
    cr_expect_eq(ps_conn_kind_from_name(NULL, &k), PS_EINVAL);
    cr_expect_eq(ps_conn_kind_from_name("inet", NULL), PS_EINVAL);
    const char *names[] = { "inet", "inet4", "inet6", "tcp", "tcp4", "tcp6", "udp", "udp4",
                            "udp6", "unix", "all" };
    for (int i = 0; i < 11; i++) {
        cr_assert_eq(ps_conn_kind_from_name(names[i], &k), 0);
        cr_expect_eq((int)k, i);
        cr_expect_str_eq(ps_conn_kind_name((ps_conn_kind)k), names[i]);
    }
    cr_expect_null(ps_conn_kind_name((ps_conn_kind)11));
    cr_expect_str_eq(ps_conn_status_name(PS_CONN_LISTEN), "LISTEN");
    cr_expect_str_eq(ps_conn_status_name(PS_CONN_NONE), "NONE");
    cr_expect_null(ps_conn_status_name((ps_conn_status)15));
    ps_netio_list_free(NULL);
    ps_nic_addr_list_free(NULL);
    ps_nic_stats_list_free(NULL);
    ps_connection_list_free(NULL);
    cr_expect_eq(tn_fd_count(), before);
}

/* ---- NIC addresses and state against psutil --------------------------------------------- */

static char *our_addrs(void)
{
    ps_nic_addr_list *l = NULL;
    cr_assert_eq(ps_net_if_addrs(&l), 0);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (size_t i = 0; i < l->count; i++) {
        ps_nic_addr *a = &l->items[i];
        char n[200], ad[200], m[200], b[200], p[200];
        tn_hex(n, sizeof n, a->nic);
        tn_hex(ad, sizeof ad, a->address);
        tn_hex(m, sizeof m, a->netmask);
        tn_hex(b, sizeof b, a->broadcast);
        tn_hex(p, sizeof p, a->ptp);
        len += (size_t)snprintf(out + len, cap - len, "%s %d %s %s %s %s\n", n, (int)a->family, ad, m, b, p);
    }
    ps_nic_addr_list_free(l);
    return out;
}

Test(net, if_addrs_vs_psutil)
{
    int before = tn_fd_count();
    int ok = 0;
    char *ours = NULL, *theirs = NULL;
    for (int attempt = 0; attempt < 5 && !ok; attempt++) {   /* NICs may change meanwhile */
        free(ours);
        free(theirs);
        ours = our_addrs();
        theirs = tn_oracle("addrs");   /* NULL while a NIC psutil cannot name exists */
        ok = theirs && strcmp(ours, theirs) == 0;
        if (!ok) usleep(200000);
    }
    cr_expect(ok, "ours:\n%s\npsutil:\n%s", ours, theirs);
    cr_expect(strstr(ours, "x6c6f 1 x3132372e302e302e31 ") != NULL, "lo 127.0.0.1 missing:\n%s", ours);
    free(ours);
    free(theirs);
    cr_expect_eq(tn_fd_count(), before);
}

/* Every IPv4/IPv6 address `ip -j addr` lists is ours too (with its prefix as netmask). */
Test(net, if_addrs_vs_ip)
{
    char *j = tn_run("ip -o addr show 2>/dev/null");
    cr_assert_not_null(j, "ip not available");
    ps_nic_addr_list *l = NULL;
    cr_assert_eq(ps_net_if_addrs(&l), 0);
    tn_lines lines = tn_split(j);
    size_t checked = 0;
    for (size_t i = 0; i < lines.n; i++) {
        /* "2: eth0    inet 192.0.2.2/24 brd ... scope global eth0\       valid_lft ..." */
        char ifname[64], fam[16], addr[128];
        int idx;
        if (sscanf(lines.v[i], "%d: %63s %15s %127s", &idx, ifname, fam, addr) != 4) continue;
        char *slash = strchr(addr, '/');
        if (!slash) continue;
        *slash = '\0';
        int prefix = atoi(slash + 1);
        int found = 0;
        for (size_t k = 0; k < l->count && !found; k++) {
            ps_nic_addr *a = &l->items[k];
            char *raw = NULL;   /* ip prints the name's raw bytes */
            cr_assert_eq(ps_fsencode(a->nic, strlen(a->nic), &raw, NULL), 0);
            int same = strcmp(raw, ifname) == 0;
            ps_free(raw);
            if (!same) continue;
            if (strcmp(fam, "inet") == 0 && a->family == PS_NET_AF_INET && strcmp(a->address, addr) == 0) {
                struct in_addr m;
                cr_assert_eq(inet_pton(AF_INET, a->netmask, &m), 1);
                cr_expect_eq(__builtin_popcount(m.s_addr), prefix, "%s %s mask %s", ifname, addr, a->netmask);
                found = 1;
            } else if (strcmp(fam, "inet6") == 0 && a->family == PS_NET_AF_INET6 &&
                       strncmp(a->address, addr, strlen(addr)) == 0 &&
                       (a->address[strlen(addr)] == '\0' || a->address[strlen(addr)] == '%')) {
                struct in6_addr m;
                cr_assert_eq(inet_pton(AF_INET6, a->netmask, &m), 1);
                int bits = 0;
                for (int b = 0; b < 16; b++) bits += __builtin_popcount(m.s6_addr[b]);
                cr_expect_eq(bits, prefix, "%s %s mask %s", ifname, addr, a->netmask);
                found = 1;
            }
        }
        cr_expect(found, "ip lists %s %s %s; we do not", ifname, fam, addr);
        checked++;
    }
    cr_expect_gt(checked, 0);
    free(lines.v);
    free(j);
    ps_nic_addr_list_free(l);
}

static char *our_stats(void)
{
    ps_nic_stats_list *l = NULL;
    cr_assert_eq(ps_net_if_stats(&l), 0);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (size_t i = 0; i < l->count; i++) {
        ps_nic_stats *s = &l->items[i];
        char n[200], f[400];
        tn_hex(n, sizeof n, s->nic);
        tn_hex(f, sizeof f, s->flags);
        len += (size_t)snprintf(out + len, cap - len, "%s %d %d %lld %lld %s\n", n, s->isup,
                                (int)s->duplex,
                                (long long)(s->speed == PS_UNKNOWN_I64 ? 0 : s->speed), /* psutil 0 */
                                (long long)s->mtu, f);
    }
    ps_nic_stats_list_free(l);
    return out;
}

Test(net, if_stats_vs_psutil)
{
    int before = tn_fd_count();
    int ok = 0;
    char *ours = NULL, *theirs = NULL;
    for (int attempt = 0; attempt < 5 && !ok; attempt++) {
        free(ours);
        free(theirs);
        ours = our_stats();
        theirs = tn_oracle("stats");   /* NULL while a NIC psutil cannot name exists */
        ok = theirs && strcmp(ours, theirs) == 0;
        if (!ok) usleep(200000);
    }
    cr_expect(ok, "ours:\n%s\npsutil:\n%s", ours, theirs);
    /* lo: up, loopback, running, mtu 65536 (as ip link says) */
    cr_expect(strstr(ours, "x6c6f 1 0 0 ") != NULL, "%s", ours);
    /* the loopback driver reports no speed: the library's unknown, psutil's 0 (above) */
    ps_nic_stats_list *sl = NULL;
    cr_assert_eq(ps_net_if_stats(&sl), 0);
    int seen_lo = 0;
    for (size_t i = 0; i < sl->count; i++) {
        if (strcmp(sl->items[i].nic, "lo") != 0) continue;
        seen_lo = 1;
        cr_expect_eq(sl->items[i].speed, PS_UNKNOWN_I64);
        cr_expect_eq(sl->items[i].duplex, PS_NIC_DUPLEX_UNKNOWN);
    }
    cr_expect(seen_lo);
    ps_nic_stats_list_free(sl);
    free(ours);
    free(theirs);
    cr_expect_eq(tn_fd_count(), before);
}

/* ---- I/O counters ------------------------------------------------------------------------- */

typedef struct nic_io {
    char name[200];
    unsigned long long v[8];
} nic_io;

static size_t parse_io(char *text, nic_io *out, size_t max)
{
    tn_lines l = tn_split(text);
    size_t n = 0;
    for (size_t i = 0; i < l.n && n < max; i++) {
        nic_io *e = &out[n];
        if (sscanf(l.v[i], "%199s %llu %llu %llu %llu %llu %llu %llu %llu", e->name, &e->v[0], &e->v[1],
                   &e->v[2], &e->v[3], &e->v[4], &e->v[5], &e->v[6], &e->v[7]) == 9) n++;
    }
    free(l.v);
    return n;
}

Test(net, io_counters_between_psutil_reads)
{
    int before = tn_fd_count();
    int ok = 0;
    for (int attempt = 0; attempt < 5 && !ok; attempt++) {
        char *t1 = tn_oracle("io");
        ps_netio_list *l = NULL;
        cr_assert_eq(ps_net_io_counters_pernic(&l), 0);
        ps_netio total;
        cr_assert_eq(ps_net_io_counters(&total), 0);
        char *t2 = tn_oracle("io");
        cr_assert(t1 && t2);
        nic_io a[64], b[64];
        size_t na = parse_io(t1, a, 64), nb = parse_io(t2, b, 64);
        ok = na == l->count && nb == l->count && na > 0;
        unsigned long long sum_lo[8] = { 0 }, sum_hi[8] = { 0 };
        for (size_t i = 0; ok && i < l->count; i++) {
            char n[200];
            tn_hex(n, sizeof n, l->items[i].name);
            if (strcmp(n, a[i].name) || strcmp(n, b[i].name)) { ok = 0; break; }
            const ps_netio *c = &l->items[i].counters;
            unsigned long long v[8] = { c->bytes_sent, c->bytes_recv, c->packets_sent, c->packets_recv,
                                        c->errin, c->errout, c->dropin, c->dropout };
            for (int k = 0; k < 8; k++) {
                if (v[k] < a[i].v[k] || v[k] > b[i].v[k]) ok = 0;
                sum_lo[k] += a[i].v[k];
                sum_hi[k] += b[i].v[k];
            }
        }
        /* the totals came from a read a moment later: still within [first, second] */
        unsigned long long tv[8] = { total.bytes_sent, total.bytes_recv, total.packets_sent,
                                     total.packets_recv, total.errin, total.errout, total.dropin, total.dropout };
        for (int k = 0; ok && k < 8; k++)
            if (tv[k] < sum_lo[k] || tv[k] > sum_hi[k]) ok = 0;
        ps_netio_list_free(l);
        free(t1);
        free(t2);
    }
    cr_expect(ok, "counters not within two psutil reads (5 attempts)");
    cr_expect_eq(tn_fd_count(), before);
}

/* ---- connections on real sockets ------------------------------------------------------------ */

typedef struct sockset {
    int lst4, cli4, srv4, lst6, cli6, srv6, udp4, udp6, ux, uxc, bound;
    int port4, port6, uport4, uport6;
    int have6;
    char uxpath[108];
} sockset;

static int port_of(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &len);
    return ss.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
                                   : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static void open_sockets(sockset *s)
{
    memset(s, 0xff, sizeof *s);
    s->have6 = 0;
    struct sockaddr_in a4 = { .sin_family = AF_INET };
    a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->lst4 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert_eq(bind(s->lst4, (struct sockaddr *)&a4, sizeof a4), 0);
    cr_assert_eq(listen(s->lst4, 8), 0);
    s->port4 = port_of(s->lst4);
    a4.sin_port = htons((uint16_t)s->port4);
    s->cli4 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert_eq(connect(s->cli4, (struct sockaddr *)&a4, sizeof a4), 0);
    s->srv4 = accept4(s->lst4, NULL, NULL, SOCK_CLOEXEC);
    cr_assert_geq(s->srv4, 0);
    struct sockaddr_in u4 = { .sin_family = AF_INET };
    u4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->udp4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    cr_assert_eq(bind(s->udp4, (struct sockaddr *)&u4, sizeof u4), 0);
    s->uport4 = port_of(s->udp4);

    struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    s->lst6 = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->lst6 >= 0 && bind(s->lst6, (struct sockaddr *)&a6, sizeof a6) == 0 && listen(s->lst6, 8) == 0) {
        s->have6 = 1;
        s->port6 = port_of(s->lst6);
        a6.sin6_port = htons((uint16_t)s->port6);
        s->cli6 = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
        cr_assert_eq(connect(s->cli6, (struct sockaddr *)&a6, sizeof a6), 0);
        s->srv6 = accept4(s->lst6, NULL, NULL, SOCK_CLOEXEC);
        struct sockaddr_in6 u6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
        s->udp6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        cr_assert_eq(bind(s->udp6, (struct sockaddr *)&u6, sizeof u6), 0);
        s->uport6 = port_of(s->udp6);
    }
    /* a TCP socket only bound: neither /proc/net/tcp nor psutil list it (nor may we) */
    s->bound = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert_eq(bind(s->bound, (struct sockaddr *)&u4, sizeof u4), 0);
    /* a UNIX socket whose path holds a space and an invalid UTF-8 byte */
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    snprintf(s->uxpath, sizeof s->uxpath, "/tmp/psinfo net \xff%d.sock", (int)getpid());
    unlink(s->uxpath);
    strcpy(un.sun_path, s->uxpath);
    s->ux = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert_eq(bind(s->ux, (struct sockaddr *)&un, sizeof un), 0);
    cr_assert_eq(listen(s->ux, 4), 0);
    s->uxc = fcntl(s->ux, F_DUPFD_CLOEXEC, 0);   /* a second fd on the same socket: one row per fd (psutil) */
}

static void close_sockets(sockset *s)
{
    int *fds[] = { &s->lst4, &s->cli4, &s->srv4, &s->lst6, &s->cli6, &s->srv6, &s->udp4, &s->udp6, &s->ux, &s->uxc, &s->bound };
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (*fds[i] >= 0) close(*fds[i]);
    unlink(s->uxpath);
}

static const ps_connection *find_fd(const ps_connection_list *l, int fd, long long pid)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i].fd == fd && l->items[i].pid == pid) return &l->items[i];
    return NULL;
}

/* which kinds list a socket of this family/type */
static int in_kind(ps_conn_kind k, ps_net_family fam, int tcp)
{
    int v4 = fam == PS_NET_AF_INET, v6 = fam == PS_NET_AF_INET6, ux = fam == PS_NET_AF_UNIX;
    switch (k) {
    case PS_CONN_KIND_ALL: return 1;
    case PS_CONN_KIND_INET: return !ux;
    case PS_CONN_KIND_INET4: return v4;
    case PS_CONN_KIND_INET6: return v6;
    case PS_CONN_KIND_TCP: return !ux && tcp;
    case PS_CONN_KIND_TCP4: return v4 && tcp;
    case PS_CONN_KIND_TCP6: return v6 && tcp;
    case PS_CONN_KIND_UDP: return !ux && !tcp;
    case PS_CONN_KIND_UDP4: return v4 && !tcp;
    case PS_CONN_KIND_UDP6: return v6 && !tcp;
    case PS_CONN_KIND_UNIX: return ux;
    }
    return 0;
}

static void check_sock(const ps_connection_list *l, ps_conn_kind k, int fd, ps_net_family fam, int tcp,
                       const char *lip, int lport, const char *rip, int rport, ps_conn_status st)
{
    long long me = getpid();
    const ps_connection *c = find_fd(l, fd, me);
    if (!in_kind(k, fam, tcp)) {
        cr_expect_null(c, "fd %d listed under kind %s", fd, ps_conn_kind_name(k));
        return;
    }
    cr_assert_not_null(c, "fd %d (port %d) missing under kind %s", fd, lport, ps_conn_kind_name(k));
    cr_expect_eq(c->family, fam);
    cr_expect_eq(c->type, tcp ? PS_SOCK_STREAM : PS_SOCK_DGRAM);
    cr_expect_eq(c->status, st, "fd %d status %s", fd, ps_conn_status_name(c->status));
    cr_expect_null(c->path);
    cr_assert_not_null(c->laddr.ip);
    cr_expect_str_eq(c->laddr.ip, lip);
    cr_expect_eq(c->laddr.port, lport);
    if (rip) {
        cr_assert_not_null(c->raddr.ip);
        cr_expect_str_eq(c->raddr.ip, rip);
        cr_expect_eq(c->raddr.port, rport);
    } else {
        cr_expect_null(c->raddr.ip);
        cr_expect_eq(c->raddr.port, 0);
    }
    cr_expect_gt(c->inode, 0);
    cr_expect_neq(c->inode, PS_UNKNOWN_U64, "Linux sockets have inodes");
}

Test(net, own_sockets_every_kind)
{
    int before = tn_fd_count();
    sockset s;
    open_sockets(&s);
    const char *esc = "/tmp/psinfo net \xed\xb3\xbf";   /* 0xFF surrogate-escaped */
    for (int k = 0; k <= PS_CONN_KIND_ALL; k++) {
        ps_connection_list *l = NULL;
        cr_assert_eq(ps_net_connections((ps_conn_kind)k, &l), 0);
        int cport4 = port_of(s.cli4);
        check_sock(l, k, s.lst4, PS_NET_AF_INET, 1, "127.0.0.1", s.port4, NULL, 0, PS_CONN_LISTEN);
        check_sock(l, k, s.cli4, PS_NET_AF_INET, 1, "127.0.0.1", cport4, "127.0.0.1", s.port4, PS_CONN_ESTABLISHED);
        check_sock(l, k, s.srv4, PS_NET_AF_INET, 1, "127.0.0.1", s.port4, "127.0.0.1", cport4, PS_CONN_ESTABLISHED);
        check_sock(l, k, s.udp4, PS_NET_AF_INET, 0, "127.0.0.1", s.uport4, NULL, 0, PS_CONN_NONE);
        if (s.have6) {
            int cport6 = port_of(s.cli6);
            check_sock(l, k, s.lst6, PS_NET_AF_INET6, 1, "::1", s.port6, NULL, 0, PS_CONN_LISTEN);
            check_sock(l, k, s.cli6, PS_NET_AF_INET6, 1, "::1", cport6, "::1", s.port6, PS_CONN_ESTABLISHED);
            check_sock(l, k, s.srv6, PS_NET_AF_INET6, 1, "::1", s.port6, "::1", cport6, PS_CONN_ESTABLISHED);
            check_sock(l, k, s.udp6, PS_NET_AF_INET6, 0, "::1", s.uport6, NULL, 0, PS_CONN_NONE);
        }
        cr_expect_null(find_fd(l, s.bound, getpid()), "a socket only bound is listed");
        const ps_connection *u1 = find_fd(l, s.ux, getpid()), *u2 = find_fd(l, s.uxc, getpid());
        if (in_kind(k, PS_NET_AF_UNIX, 1)) {
            cr_assert(u1 && u2, "unix fds missing under %s", ps_conn_kind_name(k));
            cr_expect_eq(u1->inode, u2->inode);
            cr_expect_eq(u1->type, PS_SOCK_STREAM);
            cr_expect_eq(u1->status, PS_CONN_NONE);
            cr_expect_null(u1->laddr.ip);
            cr_expect_eq(strncmp(u1->path, esc, strlen(esc)), 0, "path %s", u1->path);
            cr_expect_str_eq(u1->path, u2->path);
            char *raw = NULL;
            cr_assert_eq(ps_fsencode(u1->path, strlen(u1->path), &raw, NULL), 0);
            cr_expect_str_eq(raw, s.uxpath);
            ps_free(raw);
        } else {
            cr_expect(!u1 && !u2, "unix socket listed under %s", ps_conn_kind_name(k));
        }
        ps_connection_list_free(l);
    }
    /* the same answers for this process through its handle */
    ps_proc *p = NULL;
    cr_assert_eq(ps_proc_open(getpid(), &p), 0);
    for (int k = 0; k <= PS_CONN_KIND_ALL; k++) {
        ps_connection_list *l = NULL;
        cr_assert_eq(ps_proc_net_connections(p, (ps_conn_kind)k, &l), 0);
        check_sock(l, k, s.lst4, PS_NET_AF_INET, 1, "127.0.0.1", s.port4, NULL, 0, PS_CONN_LISTEN);
        check_sock(l, k, s.udp4, PS_NET_AF_INET, 0, "127.0.0.1", s.uport4, NULL, 0, PS_CONN_NONE);
        for (size_t i = 0; i < l->count; i++) cr_expect_eq(l->items[i].pid, getpid());
        ps_connection_list_free(l);
    }
    ps_proc_free(p);
    close_sockets(&s);
    cr_expect_eq(tn_fd_count(), before);
}

/* Our rows against psutil's: every psutil row is one of ours (taken just before or after),
 * and every row we saw both before and after psutil's read is one of psutil's. psutil turns a
 * UNIX path with blanks into "", which tn_conn_line(…, 1) mimics. */
static int compare_conns(const char *kind, long long pid, ps_proc *proc, char **why)
{
    ps_connection_list *a = NULL, *b = NULL;
    char req[64];
    if (pid > 0) snprintf(req, sizeof req, "conns %s %lld", kind, pid);
    else snprintf(req, sizeof req, "conns %s", kind);
    int32_t k;
    cr_assert_eq(ps_conn_kind_from_name(kind, &k), 0);
    int rc = proc ? ps_proc_net_connections(proc, (ps_conn_kind)k, &a) : ps_net_connections((ps_conn_kind)k, &a);
    ps_error_detail d;
    ps_error_last(&d);
    cr_assert_eq(rc, 0, "%s: %s", ps_err_name(rc), d.message);
    char *t = tn_oracle(req);
    rc = proc ? ps_proc_net_connections(proc, k, &b) : ps_net_connections(k, &b);
    ps_error_last(&d);
    cr_assert_eq(rc, 0, "%s: %s", ps_err_name(rc), d.message);
    cr_assert_not_null(t);
    tn_lines theirs = tn_split(t);
    size_t na = a->count, nb = b->count;
    char **la = calloc(na + 1, sizeof *la), **lb = calloc(nb + 1, sizeof *lb);
    for (size_t i = 0; i < na; i++) { la[i] = malloc(2048); tn_conn_line(la[i], 2048, &a->items[i], 1); }
    for (size_t i = 0; i < nb; i++) { lb[i] = malloc(2048); tn_conn_line(lb[i], 2048, &b->items[i], 1); }
    tn_lines A = { la, na }, B = { lb, nb };
    int ok = 1;
    static char msg[4096];
    msg[0] = '\0';
    for (size_t i = 0; i < theirs.n && ok; i++)
        if (!tn_has(&A, theirs.v[i]) && !tn_has(&B, theirs.v[i])) {
            ok = 0;
            snprintf(msg, sizeof msg, "psutil row not ours: %s", theirs.v[i]);
        }
    for (size_t i = 0; i < na && ok; i++)
        if (tn_has(&B, la[i]) && !tn_has(&theirs, la[i])) {
            ok = 0;
            snprintf(msg, sizeof msg, "stable row of ours not psutil's: %s", la[i]);
        }
    *why = msg;
    for (size_t i = 0; i < na; i++) free(la[i]);
    for (size_t i = 0; i < nb; i++) free(lb[i]);
    free(la);
    free(lb);
    free(theirs.v);
    free(t);
    ps_connection_list_free(a);
    ps_connection_list_free(b);
    return ok;
}

Test(net, connections_vs_psutil)
{
    int before = tn_fd_count();
    sockset s;
    open_sockets(&s);
    const char *kinds[] = { "inet", "inet4", "inet6", "tcp", "tcp4", "tcp6", "udp", "udp4",
                            "udp6", "unix", "all" };
    for (int k = 0; k < 11; k++) {
        int ok = 0;
        char *why = NULL;
        for (int attempt = 0; attempt < 5 && !ok; attempt++) ok = compare_conns(kinds[k], 0, NULL, &why);
        cr_expect(ok, "kind %s: %s", kinds[k], why);
    }
    ps_proc *p = NULL;
    cr_assert_eq(ps_proc_open(getpid(), &p), 0);
    for (int k = 0; k < 11; k++) {
        int ok = 0;
        char *why = NULL;
        for (int attempt = 0; attempt < 5 && !ok; attempt++) ok = compare_conns(kinds[k], getpid(), p, &why);
        cr_expect(ok, "process kind %s: %s", kinds[k], why);
    }
    ps_proc_free(p);
    close_sockets(&s);
    cr_expect_eq(tn_fd_count(), before);
}

/* ss agrees on our sockets: every TCP/UDP socket ss attributes to this process is ours with
 * the same fd, local address and port. */
Test(net, connections_vs_ss)
{
    sockset s;
    open_sockets(&s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "ss -Htunap 2>/dev/null | grep 'pid=%d,'", (int)getpid());
    char *out = tn_run(cmd);
    cr_assert_not_null(out, "ss found none of our sockets");
    ps_connection_list *l = NULL;
    cr_assert_eq(ps_net_connections(PS_CONN_KIND_INET, &l), 0);
    tn_lines lines = tn_split(out);
    size_t seen = 0;
    for (size_t i = 0; i < lines.n; i++) {
        /* tcp LISTEN 0 8 127.0.0.1:41234 0.0.0.0:* users:(("test_net",pid=1,fd=5)) */
        char proto[8], state[16], local[128];
        if (sscanf(lines.v[i], "%7s %15s %*s %*s %127s", proto, state, local) != 3) continue;
        char needle[32];
        snprintf(needle, sizeof needle, "pid=%d,fd=", (int)getpid());
        char *f = strstr(lines.v[i], needle);
        cr_assert_not_null(f);
        int fd = atoi(f + strlen(needle));
        const ps_connection *c = find_fd(l, fd, getpid());
        cr_assert_not_null(c, "ss: %s", lines.v[i]);
        char *colon = strrchr(local, ':');
        *colon = '\0';
        char *ip = local;
        if (ip[0] == '[') { ip++; ip[strlen(ip) - 1] = '\0'; }
        cr_expect_str_eq(c->laddr.ip, ip, "ss: %s", lines.v[i]);
        cr_expect_eq(c->laddr.port, atoi(colon + 1));
        cr_expect_eq(c->type, strcmp(proto, "tcp") == 0 ? PS_SOCK_STREAM : PS_SOCK_DGRAM);
        if (strcmp(state, "LISTEN") == 0) cr_expect_eq(c->status, PS_CONN_LISTEN);
        if (strcmp(state, "ESTAB") == 0) cr_expect_eq(c->status, PS_CONN_ESTABLISHED);
        seen++;
    }
    cr_expect_geq(seen, s.have6 ? 8u : 4u);
    free(lines.v);
    free(out);
    ps_connection_list_free(l);
    /* the UNIX socket as ss -xlp shows its path (ss prints the raw bytes) */
    snprintf(cmd, sizeof cmd, "ss -Hxlp 2>/dev/null | grep -a 'pid=%d,fd=%d'", (int)getpid(), s.ux);
    out = tn_run(cmd);
    cr_assert_not_null(out);
    cr_expect(strstr(out, s.uxpath) != NULL, "ss -xlp: %s", out);
    free(out);
    close_sockets(&s);
}

/* A process we do not own through the handle: a child holding a socket. */
Test(net, child_process_sockets)
{
    int pfd[2];
    cr_assert_eq(pipe(pfd), 0);
    int lst = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a4 = { .sin_family = AF_INET };
    a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(lst, (struct sockaddr *)&a4, sizeof a4), 0);
    cr_assert_eq(listen(lst, 1), 0);
    int port = port_of(lst);
    pid_t child = fork();
    if (child == 0) {
        /* the child keeps the socket at fd 7 (dup2) and waits for the pipe to close */
        dup2(lst, 77);
        close(pfd[1]);
        char c;
        (void)!read(pfd[0], &c, 1);
        _exit(0);
    }
    close(pfd[0]);
    close(lst);   /* only the child holds it now */
    usleep(100000);
    ps_proc *held = NULL;
    cr_assert_eq(ps_proc_open(child, &held), 0);
    ps_connection_list *pl = NULL;
    cr_assert_eq(ps_proc_net_connections(held, PS_CONN_KIND_TCP, &pl), 0);
    cr_expect_eq(pl->count, 1, "the child holds one TCP socket (at two fds): %zu rows", pl->count);
    if (pl->count == 1) {
        cr_expect_eq(pl->items[0].pid, child);
        cr_expect_eq(pl->items[0].laddr.port, port);
    }
    ps_connection_list_free(pl);
    ps_connection_list *l = NULL;
    cr_assert_eq(ps_net_connections(PS_CONN_KIND_TCP4, &l), 0);
    int found = 0;
    for (size_t i = 0; i < l->count; i++) {
        ps_connection *c = &l->items[i];
        if (c->laddr.port == port && c->status == PS_CONN_LISTEN) {
            found = 1;
            cr_expect_eq(c->pid, child);
            /* the child holds it at its inherited fd and at 77: the first in directory order */
            cr_expect_eq(c->fd, lst);
        }
    }
    cr_expect(found);
    ps_connection_list_free(l);
    close(pfd[1]);
    waitpid(child, NULL, 0);
    ps_proc *p = NULL;
    cr_expect_eq(ps_proc_open(child, &p), PS_ENOPROC);
    /* the handle outlived its process: no data of whatever reuses the pid */
    pl = (ps_connection_list *)0x1;
    cr_expect_eq(ps_proc_net_connections(held, PS_CONN_KIND_ALL, &pl), PS_ENOPROC);
    cr_expect_null(pl);
    ps_proc_free(held);
}

/* Concurrent calls from several threads: each sees this process's listener, nothing fails. */
static int g_port;

static void *conn_thread(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20; i++) {
        ps_connection_list *l = NULL;
        if (ps_net_connections(i % 2 ? PS_CONN_KIND_ALL : PS_CONN_KIND_TCP4, &l) != 0) return (void *)1;
        int found = 0;
        for (size_t k = 0; k < l->count; k++)
            found |= l->items[k].laddr.port == g_port && l->items[k].pid == getpid() &&
                     l->items[k].status == PS_CONN_LISTEN;
        ps_connection_list_free(l);
        ps_nic_addr_list *a = NULL;
        if (ps_net_if_addrs(&a) != 0) return (void *)2;
        ps_nic_addr_list_free(a);
        if (!found) return (void *)3;
    }
    return NULL;
}

Test(net, threads)
{
    int before = tn_fd_count();
    int lst = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a4 = { .sin_family = AF_INET };
    a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(lst, (struct sockaddr *)&a4, sizeof a4), 0);
    cr_assert_eq(listen(lst, 1), 0);
    g_port = port_of(lst);
    pthread_t t[4];
    for (int i = 0; i < 4; i++) cr_assert_eq(pthread_create(&t[i], NULL, conn_thread, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        cr_expect_null(r, "thread %d failed with %p", i, r);
    }
    close(lst);
    cr_expect_eq(tn_fd_count(), before);
}

/* The two sources agree: netlink (root "/proc") and the /proc/net files (the same directory
 * spelled "/proc/." makes the library read the files), on live data including a UNIX path with
 * a newline and an abstract name with an embedded NUL. */
static int same_rows(const ps_connection_list *a, const ps_connection_list *b, char **why)
{
    static char msg[2048];
    *why = msg;
    msg[0] = '\0';
    for (size_t i = 0; i < a->count; i++) {
        char la[2048];
        tn_conn_line(la, sizeof la, &a->items[i], 0);
        int found = 0;
        for (size_t k = 0; k < b->count && !found; k++) {
            char lb[2048];
            if (b->items[k].inode != a->items[i].inode) continue;
            tn_conn_line(lb, sizeof lb, &b->items[k], 0);
            found = strcmp(la, lb) == 0;
        }
        if (!found) {
            snprintf(msg, sizeof msg, "row %.1900s (inode %llu) only in one source", la,
                     (unsigned long long)a->items[i].inode);
            return 0;
        }
    }
    return 1;
}

Test(net, netlink_and_proc_files_agree, .fini = restore_root)
{
    int before = tn_fd_count();
    sockset s;
    open_sockets(&s);
    char nlpath[108];
    snprintf(nlpath, sizeof nlpath, "/tmp/psinfo nl\n%d.sock", (int)getpid());
    unlink(nlpath);
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    strcpy(un.sun_path, nlpath);
    int nl = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    cr_assert_eq(bind(nl, (struct sockaddr *)&un, sizeof un), 0);
    struct sockaddr_un ab = { .sun_family = AF_UNIX };
    char abs_name[64];
    int an = snprintf(abs_name, sizeof abs_name, "psinfo%cabs%d", 0, (int)getpid());
    memcpy(ab.sun_path + 1, abs_name, (size_t)an);
    int abs = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    cr_assert_eq(bind(abs, (struct sockaddr *)&ab, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)an)), 0);
    int ok = 0;
    char *why = NULL;
    for (int attempt = 0; attempt < 5 && !ok; attempt++) {
        ps_connection_list *a = NULL, *b = NULL, *a2 = NULL;
        cr_assert_eq(ps_set_root(PS_ROOT_PROC, NULL), 0);
        cr_assert_eq(ps_net_connections(PS_CONN_KIND_ALL, &a), 0);
        cr_assert_eq(ps_set_root(PS_ROOT_PROC, "/proc/."), 0);
        cr_assert_eq(ps_net_connections(PS_CONN_KIND_ALL, &b), 0);
        cr_assert_eq(ps_set_root(PS_ROOT_PROC, NULL), 0);
        cr_assert_eq(ps_net_connections(PS_CONN_KIND_ALL, &a2), 0);
        /* rows stable across the two netlink reads must be in the files' answer, and back */
        ps_connection_list stable = { .count = 0, .items = calloc(a->count + 1, sizeof(ps_connection)) };
        for (size_t i = 0; i < a->count; i++) {
            ps_connection_list one = { .count = 1, .items = &a->items[i] };
            char *w;
            if (same_rows(&one, a2, &w)) stable.items[stable.count++] = a->items[i];
        }
        ok = same_rows(&stable, b, &why);
        free(stable.items);
        /* our two sockets, exactly, from both sources */
        for (int src = 0; src < 2 && ok; src++) {
            const ps_connection_list *l = src ? b : a;
            const ps_connection *c1 = find_fd(l, nl, getpid()), *c2 = find_fd(l, abs, getpid());
            cr_assert(c1 && c2, "source %d", src);
            cr_expect_str_eq(c1->path, nlpath, "source %d", src);
            cr_expect_eq(c1->type, PS_SOCK_DGRAM);
            char want[80];
            snprintf(want, sizeof want, "@psinfo@abs%d", (int)getpid());
            cr_expect_str_eq(c2->path, want, "source %d", src);
            cr_expect_eq(c2->type, PS_SOCK_SEQPACKET);
        }
        ps_connection_list_free(a);
        ps_connection_list_free(a2);
        ps_connection_list_free(b);
    }
    cr_expect(ok, "%s", why);
    close(nl);
    close(abs);
    unlink(nlpath);
    close_sockets(&s);
    cr_expect_eq(tn_fd_count(), before);
}

/* A process in another network namespace (unshare(CLONE_NEWNET)): its socket is listed through
 * its handle (its own net/ tables), and not by the system-wide call (our namespace's tables).
 * psutil's Process.connections reads the caller's /proc/net and misses it. */
Test(net, other_network_namespace)
{
    int pfd[2], rfd[2];
    cr_assert_eq(pipe(pfd), 0);
    cr_assert_eq(pipe(rfd), 0);
    pid_t child = fork();
    if (child == 0) {
        close(pfd[1]);
        close(rfd[0]);
        int port = -1;
        if (unshare(CLONE_NEWNET) == 0) {
            /* a new namespace's lo is down; a socket bound to 0.0.0.0 needs no interface */
            int l = socket(AF_INET, SOCK_STREAM, 0);
            struct sockaddr_in a = { .sin_family = AF_INET };
            if (l >= 0 && bind(l, (struct sockaddr *)&a, sizeof a) == 0 && listen(l, 1) == 0)
                port = port_of(l);
        }
        (void)!write(rfd[1], &port, sizeof port);
        char c;
        (void)!read(pfd[0], &c, 1);
        _exit(0);
    }
    close(pfd[0]);
    close(rfd[1]);
    int port = -1;
    cr_assert_eq(read(rfd[0], &port, sizeof port), (ssize_t)sizeof port);
    close(rfd[0]);
    if (port < 0) {
        close(pfd[1]);
        waitpid(child, NULL, 0);
        cr_skip_test("unshare(CLONE_NEWNET) refused here");
    }
    ps_proc *p = NULL;
    cr_assert_eq(ps_proc_open(child, &p), 0);
    ps_connection_list *l = NULL;
    cr_assert_eq(ps_proc_net_connections(p, PS_CONN_KIND_TCP4, &l), 0);
    cr_expect_eq(l->count, 1, "rows: %zu", l->count);
    uint64_t inode = 0;
    if (l->count == 1) {
        cr_expect_eq(l->items[0].laddr.port, port);
        cr_expect_str_eq(l->items[0].laddr.ip, "0.0.0.0");
        cr_expect_eq(l->items[0].status, PS_CONN_LISTEN);
        cr_expect_eq(l->items[0].pid, child);
        inode = l->items[0].inode;
    }
    ps_connection_list_free(l);
    cr_assert_eq(ps_net_connections(PS_CONN_KIND_ALL, &l), 0);
    for (size_t i = 0; i < l->count; i++)
        cr_expect_neq(l->items[i].inode, inode, "a socket of another namespace in ours");
    ps_connection_list_free(l);
    ps_proc_free(p);
    close(pfd[1]);
    waitpid(child, NULL, 0);
}

/* 'tcp' comes from one legacy TCPDIAG_GETSOCK dump (IPv4 and IPv6 from one walk of the TCP
 * hash tables), 'tcp4' and 'tcp6' from one SOCK_DIAG_BY_FAMILY dump each: rows stable across
 * two 'tcp' reads are in 'tcp4' + 'tcp6' and back, every tcp4 row comes before every tcp6 row
 * (the table order of /proc/net/tcp then tcp6), and our own sockets are there. */
Test(net, tcp_one_dump_equals_tcp4_plus_tcp6)
{
    int before = tn_fd_count();
    sockset s;
    open_sockets(&s);
    int ok = 0;
    char *why = "";
    for (int attempt = 0; attempt < 5 && !ok; attempt++) {
        ps_connection_list *t = NULL, *t2 = NULL, *t4 = NULL, *t6 = NULL;
        cr_assert_eq(ps_net_connections(PS_CONN_KIND_TCP, &t), 0);
        cr_assert_eq(ps_net_connections(PS_CONN_KIND_TCP4, &t4), 0);
        cr_assert_eq(ps_net_connections(PS_CONN_KIND_TCP6, &t6), 0);
        cr_assert_eq(ps_net_connections(PS_CONN_KIND_TCP, &t2), 0);
        size_t n46 = t4->count + t6->count;
        ps_connection_list both = { .count = 0, .items = calloc(n46 + 1, sizeof(ps_connection)) };
        for (size_t i = 0; i < t4->count; i++) both.items[both.count++] = t4->items[i];
        for (size_t i = 0; i < t6->count; i++) both.items[both.count++] = t6->items[i];
        ps_connection_list stable = { .count = 0, .items = calloc(t->count + 1, sizeof(ps_connection)) };
        for (size_t i = 0; i < t->count; i++) {
            ps_connection_list one = { .count = 1, .items = &t->items[i] };
            char *w;
            if (same_rows(&one, t2, &w)) stable.items[stable.count++] = t->items[i];
        }
        ok = same_rows(&stable, &both, &why);
        /* the other way: rows of tcp4/tcp6 stable in both 'tcp' reads */
        for (size_t i = 0; ok && i < both.count; i++) {
            ps_connection_list one = { .count = 1, .items = &both.items[i] };
            char *w;
            if (same_rows(&one, t, &w) != same_rows(&one, t2, &w)) continue; /* moved meanwhile */
            ok = same_rows(&one, t, &why);
        }
        int seen6 = 0;
        for (size_t i = 0; ok && i < t->count; i++) {
            if (t->items[i].family == PS_NET_AF_INET6) seen6 = 1;
            else if (seen6) {
                ok = 0;
                why = "a tcp4 row after a tcp6 row";
            }
        }
        if (ok) {
            cr_expect(find_fd(t, s.cli4, getpid()) && find_fd(t, s.srv4, getpid()) && find_fd(t, s.lst4, getpid()));
            if (s.have6)
                cr_expect(find_fd(t, s.cli6, getpid()) && find_fd(t, s.srv6, getpid()) && find_fd(t, s.lst6, getpid()));
        }
        free(both.items);
        free(stable.items);
        ps_connection_list_free(t);
        ps_connection_list_free(t2);
        ps_connection_list_free(t4);
        ps_connection_list_free(t6);
    }
    cr_expect(ok, "%s", why);
    close_sockets(&s);
    cr_expect_eq(tn_fd_count(), before);
}

/* A zombie holds no fds: its connections are [] for every kind, as psutil's (checked on the
 * same zombie), not an error. The child held copies of our sockets until it exited. */
Test(net, zombie_has_no_connections)
{
    int before = tn_fd_count();
    sockset s;
    open_sockets(&s);
    pid_t z = fork();
    cr_assert_neq(z, -1);
    if (z == 0) _exit(0);
    char path[64], st[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)z);
    char state = 0;
    for (int i = 0; i < 500 && state != 'Z'; i++) {
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(st, 1, sizeof st - 1, f) : 0;
        if (f) fclose(f);
        st[n] = '\0';
        char *rp = strrchr(st, ')');
        state = rp && rp[1] == ' ' ? rp[2] : 0;
        if (state != 'Z') usleep(10000);
    }
    cr_assert_eq(state, 'Z');
    ps_proc *h = NULL;
    cr_assert_eq(ps_proc_open(z, &h), 0);
    for (int k = PS_CONN_KIND_INET; k <= PS_CONN_KIND_ALL; k++) {
        ps_connection_list *l = NULL;
        cr_expect_eq(ps_proc_net_connections(h, (ps_conn_kind)k, &l), 0, "kind %d", k);
        if (l) cr_expect_eq(l->count, 0, "kind %d", k);
        ps_connection_list_free(l);
    }
    char cmd[256];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c \"import psutil; p = psutil.Process(%d); "
             "print(p.status(), len(p.connections('all')), len(p.connections('inet')))\"", (int)z);
    char *out = tn_run(cmd);
    cr_assert(out);
    cr_expect_str_eq(out, "zombie 0 0\n");
    free(out);
    ps_proc_free(h);
    cr_assert_eq(waitpid(z, NULL, 0), z);
    close_sockets(&s);
    cr_expect_eq(tn_fd_count(), before);
}

/* Reserved tails (docs/abi.md) read zero in every struct the library fills, pads too. */
Test(net, reserved_tails_zero)
{
    cr_expect(TR_TAIL_LAST(ps_netio) && TR_TAIL_LAST(ps_netio_entry) && TR_TAIL_LAST(ps_netio_list));
    cr_expect(TR_TAIL_LAST(ps_nic_addr) && TR_TAIL_LAST(ps_nic_addr_list));
    cr_expect(TR_TAIL_LAST(ps_nic_stats) && TR_TAIL_LAST(ps_nic_stats_list));
    cr_expect(TR_TAIL_LAST(ps_net_endpoint) && TR_TAIL_LAST(ps_connection) &&
              TR_TAIL_LAST(ps_connection_list));
    ps_netio io;
    TR_GARBAGE(&io);
    cr_assert_eq(ps_net_io_counters(&io), 0);
    cr_expect(TR_TAIL_ZERO(&io));
    ps_netio_list *il = NULL;
    cr_assert_eq(ps_net_io_counters_pernic(&il), 0);
    cr_expect(TR_TAIL_ZERO(il));
    for (size_t i = 0; i < il->count; i++)
        cr_expect(TR_TAIL_ZERO(&il->items[i]) && TR_TAIL_ZERO(&il->items[i].counters), "%s",
                  il->items[i].name);
    ps_netio_list_free(il);
    ps_nic_addr_list *al = NULL;
    cr_assert_eq(ps_net_if_addrs(&al), 0);
    cr_expect(TR_TAIL_ZERO(al));
    for (size_t i = 0; i < al->count; i++)
        cr_expect(TR_TAIL_ZERO(&al->items[i]) && al->items[i].pad0 == 0, "%s", al->items[i].nic);
    ps_nic_addr_list_free(al);
    ps_nic_stats_list *sl = NULL;
    cr_assert_eq(ps_net_if_stats(&sl), 0);
    cr_expect(TR_TAIL_ZERO(sl));
    for (size_t i = 0; i < sl->count; i++) cr_expect(TR_TAIL_ZERO(&sl->items[i]), "%s", sl->items[i].nic);
    ps_nic_stats_list_free(sl);
    sockset s;
    open_sockets(&s);   /* inet rows with both endpoints, UNIX rows */
    ps_connection_list *cl = NULL;
    cr_assert_eq(ps_net_connections(PS_CONN_KIND_ALL, &cl), 0);
    cr_expect(TR_TAIL_ZERO(cl));
    cr_expect_gt(cl->count, 0);
    for (size_t i = 0; i < cl->count; i++) {
        const ps_connection *c = &cl->items[i];
        cr_expect(TR_TAIL_ZERO(c) && c->pad0 == 0, "row %zu", i);
        cr_expect(TR_TAIL_ZERO(&c->laddr) && TR_TAIL_ZERO(&c->raddr) && c->laddr.pad0 == 0 &&
                  c->raddr.pad0 == 0, "row %zu", i);
    }
    ps_connection_list_free(cl);
    close_sockets(&s);
}
