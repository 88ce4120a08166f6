/* SPDX-License-Identifier: MIT */
/* Network interfaces created for real (root): a veth pair with an odd but valid UTF-8 name,
 * a veth pair whose name holds invalid UTF-8, and a point-to-point tun device, each with
 * addresses; ours against psutil (where psutil copes), ip and /sys. Deleted afterwards,
 * also when a check fails. */
#include <criterion/criterion.h>
#include <signal.h>
#include <unistd.h>

#include "test_net_util.h"
#include "helpers/fdcheck.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(net_nic);

static char good_a[16], good_b[16], bad_a[16], bad_b[16], tun[16];
static int created;

static int sh(const char *fmt, const char *a, const char *b)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    return system(cmd);
}

/* Remove what an earlier run of this suite (now dead) may have left behind. */
static void remove_stale(void)
{
    DIR *d = opendir("/sys/class/net");
    struct dirent *de;
    while (d && (de = readdir(d))) {
        const char *n = de->d_name;
        int pid = 0;
        if (strncmp(n, "pn\xc3\xa9#", 5) == 0) pid = atoi(n + 5);
        else if (strncmp(n, "pv\xff", 3) == 0) pid = atoi(n + 3);
        else if (strncmp(n, "pt", 2) == 0 && n[2] >= '0' && n[2] <= '9') pid = atoi(n + 2);
        else continue;
        if (pid > 0 && kill(pid, 0) != 0) {
            char cmd[400];
            snprintf(cmd, sizeof cmd, "ip link del '%s' 2>/dev/null", n);
            (void)!system(cmd);
        }
    }
    if (d) closedir(d);
}

static void teardown(void)
{
    if (!created) return;
    sh("ip link del '%s' 2>/dev/null%s", good_a, "");
    sh("ip link del '%s' 2>/dev/null%s", bad_a, "");
    sh("ip tuntap del dev '%s' mode tun 2>/dev/null%s", tun, "");
    created = 0;
}

static void setup(void)
{
    int id = (int)getpid() % 100000;
    remove_stale();
    snprintf(good_a, sizeof good_a, "pn\xc3\xa9#%05da", id);   /* "pné#NNNNNa": valid UTF-8 */
    snprintf(good_b, sizeof good_b, "pn\xc3\xa9#%05db", id);
    snprintf(bad_a, sizeof bad_a, "pv\xff%05da", id);          /* 0xFF: never valid UTF-8 */
    snprintf(bad_b, sizeof bad_b, "pv\xff%05db", id);
    snprintf(tun, sizeof tun, "pt%05d", id);
    created = 1;
    cr_assert_eq(sh("ip link add name '%s' type veth peer name '%s'", good_a, good_b), 0,
                 "the kernel refused a veth pair");
    cr_assert_eq(sh("ip link add name '%s' type veth peer name '%s'", bad_a, bad_b), 0);
    cr_assert_eq(sh("ip addr add 10.77.1.1/24 brd + dev '%s' && ip addr add fd77::1/64 dev '%s'", good_a, good_a), 0);
    cr_assert_eq(sh("ip addr add 10.77.2.1/28 brd + dev '%s' && ip addr add fd77:2::1:0:0:1/80 dev '%s'", bad_a, bad_a), 0);
    cr_assert_eq(sh("ip link set '%s' up && ip link set '%s' up", good_a, good_b), 0);
    cr_assert_eq(sh("ip link set '%s' up && ip link set '%s' up", bad_a, bad_b), 0);
    cr_assert_eq(sh("ip link set '%s' promisc on && ip link set '%s' mtu 1280", good_a, bad_a), 0);
    if (sh("ip tuntap add dev '%s' mode tun%s", tun, "") == 0) {
        cr_assert_eq(sh("ip addr add 10.78.1.1 peer 10.78.1.2/32 dev '%s' && ip link set '%s' up", tun, tun), 0);
    } else {
        tun[0] = '\0';
    }
    usleep(300000);   /* let IPv6 link-local addresses appear */
}

static char *esc(const char *raw)
{
    char *out = NULL;
    cr_assert_eq(ps_fsdecode(raw, strlen(raw), &out, NULL), 0);
    return out;
}

static const ps_nic_addr *find_addr(const ps_nic_addr_list *l, const char *nic, int32_t f, const char *prefix)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].nic, nic) == 0 && l->items[i].family == f &&
            (!prefix || strncmp(l->items[i].address, prefix, strlen(prefix)) == 0))
            return &l->items[i];
    return NULL;
}

static char *our_lines(int stats)
{
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    if (stats) {
        ps_nic_stats_list *l = NULL;
        cr_assert_eq(ps_net_if_stats(&l), 0);
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
    } else {
        ps_nic_addr_list *l = NULL;
        cr_assert_eq(ps_net_if_addrs(&l), 0);
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
    }
    return out;
}

/* psutil cannot list NICs whose names are not UTF-8 (net_if_addrs raises UnicodeDecodeError,
 * net_if_stats UnicodeEncodeError); compare with psutil after hiding the invalid pair from
 * both sides: the rows psutil gives must equal ours minus the bad NICs' rows. */
static void compare_with_psutil(int stats)
{
    char bad_prefix[32];
    tn_hex(bad_prefix, sizeof bad_prefix, "pv");
    int ok = 0;
    char *ours = NULL, *theirs = NULL;
    for (int attempt = 0; attempt < 5 && !ok; attempt++) {
        free(ours);
        free(theirs);
        sh("ip link set '%s' down%s", bad_a, "");
        sh("ip link set '%s' down%s", bad_b, "");
        /* psutil fails on the whole call as long as the bad names exist: check that first */
        theirs = tn_oracle(stats ? "stats 2>/dev/null" : "addrs 2>/dev/null");
        cr_expect_null(theirs, "psutil coped with an invalid UTF-8 NIC name (update the test)");
        free(theirs);
        sh("ip link set '%s' name pvtmpa%s", bad_a, "");
        sh("ip link set '%s' name pvtmpb%s", bad_b, "");
        ours = our_lines(stats);
        theirs = tn_oracle(stats ? "stats" : "addrs");
        sh("ip link set pvtmpa name '%s'%s", bad_a, "");
        sh("ip link set pvtmpb name '%s'%s", bad_b, "");
        sh("ip link set '%s' up && ip link set '%s' up", bad_a, bad_b);
        cr_assert_not_null(theirs);
        ok = strcmp(ours, theirs) == 0;
    }
    cr_expect(ok, "ours:\n%s\npsutil:\n%s", ours, theirs);
    char gn[64];
    tn_hex(gn, sizeof gn, good_a);
    cr_expect(strstr(ours, gn) != NULL, "%s not listed:\n%s", good_a, ours);
    free(ours);
    free(theirs);
}

Test(net_nic, addrs_vs_psutil, .init = setup, .fini = teardown)
{
    compare_with_psutil(0);
}

Test(net_nic, stats_vs_psutil, .init = setup, .fini = teardown)
{
    compare_with_psutil(1);
}

/* Known answers for what we configured, for both names (the invalid one escaped). */
Test(net_nic, known_answers, .init = setup, .fini = teardown)
{
    int before = tn_fd_count();
    char *ga = esc(good_a), *ba = esc(bad_a), *bb = esc(bad_b);
    cr_expect(strstr(ba, "\xed\xb3\xbf") != NULL, "0xFF not surrogate-escaped: %s", ba);
    ps_nic_addr_list *l = NULL;
    cr_assert_eq(ps_net_if_addrs(&l), 0);
    const ps_nic_addr *a = find_addr(l, ga, PS_NET_AF_INET, NULL);
    cr_assert_not_null(a);
    cr_expect_str_eq(a->address, "10.77.1.1");
    cr_expect_str_eq(a->netmask, "255.255.255.0");
    cr_expect_str_eq(a->broadcast, "10.77.1.255");
    cr_expect_null(a->ptp);
    a = find_addr(l, ba, PS_NET_AF_INET, NULL);
    cr_assert_not_null(a);
    cr_expect_str_eq(a->address, "10.77.2.1");
    cr_expect_str_eq(a->netmask, "255.255.255.240");
    cr_expect_str_eq(a->broadcast, "10.77.2.15");
    a = find_addr(l, ba, PS_NET_AF_INET6, "fd77");
    cr_assert_not_null(a);
    cr_expect_str_eq(a->address, "fd77:2::1:0:0:1");
    cr_expect_str_eq(a->netmask, "ffff:ffff:ffff:ffff:ffff::");
    cr_expect_null(a->broadcast);
    /* the link-local address carries the scope: the NIC's (escaped) name, as getnameinfo */
    a = find_addr(l, bb, PS_NET_AF_INET6, "fe80:");
    cr_assert_not_null(a, "no link-local address on the peer");
    char *pct = strchr(a->address, '%');
    cr_assert_not_null(pct);
    cr_expect_str_eq(pct + 1, bb);
    /* the MAC is the one in /sys, the broadcast the Ethernet one */
    a = find_addr(l, ba, PS_NET_AF_LINK, NULL);
    cr_assert_not_null(a);
    char path[128], *mac;
    snprintf(path, sizeof path, "cat '/sys/class/net/%s/address'", bad_a);
    mac = tn_run(path);
    cr_assert_not_null(mac);
    mac[strcspn(mac, "\n")] = '\0';
    cr_expect_str_eq(a->address, mac);
    cr_expect_str_eq(a->broadcast, "ff:ff:ff:ff:ff:ff");
    cr_expect_null(a->netmask);
    free(mac);
    if (tun[0]) {
        a = find_addr(l, tun, PS_NET_AF_INET, NULL);
        cr_assert_not_null(a);
        cr_expect_str_eq(a->address, "10.78.1.1");
        cr_expect_str_eq(a->netmask, "255.255.255.255");
        cr_expect_null(a->broadcast);
        cr_assert_not_null(a->ptp);
        cr_expect_str_eq(a->ptp, "10.78.1.2");
        cr_expect_null(find_addr(l, tun, PS_NET_AF_LINK, NULL), "a tun has no MAC (psutil skips it)");
    }
    ps_nic_addr_list_free(l);

    ps_nic_stats_list *s = NULL;
    cr_assert_eq(ps_net_if_stats(&s), 0);
    int seen = 0;
    for (size_t i = 0; i < s->count; i++) {
        ps_nic_stats *x = &s->items[i];
        if (strcmp(x->nic, ba) == 0) {
            seen++;
            cr_expect_eq(x->mtu, 1280);
            cr_expect_eq(x->isup, 1);
            cr_expect_str_eq(x->flags, "up,broadcast,running,multicast");
            cr_expect_eq(x->duplex, PS_NIC_DUPLEX_FULL);      /* veth says 10000 Mb/s full */
            cr_expect_eq(x->speed, 10000);
        } else if (strcmp(x->nic, ga) == 0) {
            seen++;
            cr_expect_str_eq(x->flags, "up,broadcast,running,promisc,multicast");
        } else if (tun[0] && strcmp(x->nic, tun) == 0) {
            seen++;
            cr_expect_eq(x->isup, 0, "a tun nobody attached has no carrier");
            cr_expect_str_eq(x->flags, "up,pointopoint,noarp,multicast");
        }
    }
    cr_expect_eq(seen, tun[0] ? 3 : 2);
    ps_nic_stats_list_free(s);

    /* the replace policy turns the invalid byte into U+FFFD in every API */
    cr_assert_eq(ps_set_errors_policy(PS_ERRORS_REPLACE), 0);
    ps_netio_list *io = NULL;
    cr_assert_eq(ps_net_io_counters_pernic(&io), 0);
    char want[32];
    snprintf(want, sizeof want, "pv\xef\xbf\xbd%05da", (int)getpid() % 100000);
    int found = 0;
    for (size_t i = 0; i < io->count; i++) found += strcmp(io->items[i].name, want) == 0;
    cr_expect_eq(found, 1);
    ps_netio_list_free(io);
    cr_assert_eq(ps_set_errors_policy(PS_ERRORS_SURROGATEESCAPE), 0);
    free(ga);
    free(ba);
    free(bb);
    cr_expect_eq(tn_fd_count(), before);
}

/* psutil's net_io_counters copes with any name (surrogateescape): traffic over the veth pair
 * is counted on both ends; ours lies between two psutil reads. */
Test(net_nic, io_counters_move, .init = setup, .fini = teardown)
{
    char *ba = esc(bad_a), *bb = esc(bad_b);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ping -c 3 -i 0.2 -W 1 -I '%s' 10.77.2.2 >/dev/null 2>&1", bad_a);
    (void)!system(cmd);   /* nobody answers; the requests still leave (ARP) */
    ps_netio_list *l = NULL;
    cr_assert_eq(ps_net_io_counters_pernic(&l), 0);
    const ps_netio *a = NULL, *b = NULL;
    for (size_t i = 0; i < l->count; i++) {
        if (strcmp(l->items[i].name, ba) == 0) a = &l->items[i].counters;
        if (strcmp(l->items[i].name, bb) == 0) b = &l->items[i].counters;
    }
    cr_assert(a && b);
    cr_expect_gt(a->packets_sent, 0);
    cr_expect_gt(a->bytes_sent, 0);
    /* what one end sent the other received (nothing else talks on this private pair) */
    cr_expect_eq(a->packets_sent, b->packets_recv);
    cr_expect_eq(a->bytes_sent, b->bytes_recv);
    ps_netio_list_free(l);
    free(ba);
    free(bb);
}
