/* SPDX-License-Identifier: MIT */
/* psinfo CLI — psinfo net: NICs, addresses, counters, connections; and Process.connections. */
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#define CLI_AF_LINK (-1)
#else
#include <sys/socket.h>
#ifdef AF_PACKET
#define CLI_AF_LINK AF_PACKET
#else
#define CLI_AF_LINK AF_LINK
#endif
#endif

#include "cli.h"
#include "procout.h"

/* psutil gives socket.AddressFamily / SocketKind values: the OS's numbers. */
static int os_family(int32_t f)   /* a ps_net_family */
{
    switch (f) {
    case PS_NET_AF_INET: return AF_INET;
    case PS_NET_AF_INET6: return AF_INET6;
    case PS_NET_AF_LINK: return CLI_AF_LINK;
#ifdef AF_UNIX
    case PS_NET_AF_UNIX: return AF_UNIX;
#endif
    default: return 0;
    }
}

static int os_socktype(int32_t t) /* a ps_sock_type */
{
    switch (t) {
    case PS_SOCK_STREAM: return SOCK_STREAM;
    case PS_SOCK_DGRAM: return SOCK_DGRAM;
    case PS_SOCK_RAW: return SOCK_RAW;
    case PS_SOCK_RDM: return SOCK_RDM;
    case PS_SOCK_SEQPACKET: return SOCK_SEQPACKET;
    default: return 0;
    }
}

static const char *family_name(int32_t f) /* a ps_net_family */
{
    switch (f) {
    case PS_NET_AF_INET: return "IPv4";
    case PS_NET_AF_INET6: return "IPv6";
    case PS_NET_AF_LINK: return "MAC";
    case PS_NET_AF_UNIX: return "UNIX";
    default: return "?";
    }
}

/* laddr/raddr: addr(ip, port) → {"ip", "port"}, () → [], UNIX → the path string. */
static void json_endpoint(cli_json *j, const ps_connection *c, const ps_net_endpoint *e,
                          bool local)
{
    if (c->family == PS_NET_AF_UNIX) {
        cli_json_str(j, local && c->path ? c->path : "");
        return;
    }
    if (!e->ip) {
        cli_json_arr_begin(j);
        cli_json_arr_end(j);
        return;
    }
    cli_json_obj_begin(j);
    cli_json_key(j, "ip"); cli_json_str(j, e->ip);
    cli_json_key(j, "port"); cli_json_int(j, e->port);
    cli_json_obj_end(j);
}

static void json_conn(cli_json *j, const ps_connection *c, bool with_pid)
{
    cli_json_obj_begin(j);
    /* psutil's spellings of "no visible owner": fd -1, pid None */
    cli_json_key(j, "fd"); cli_json_int(j, c->fd == PS_UNKNOWN_I64 ? -1 : c->fd);
    cli_json_key(j, "family"); cli_json_int(j, os_family(c->family));
    cli_json_key(j, "type"); cli_json_int(j, os_socktype(c->type));
    cli_json_key(j, "laddr"); json_endpoint(j, c, &c->laddr, true);
    cli_json_key(j, "raddr"); json_endpoint(j, c, &c->raddr, false);
    cli_json_key(j, "status");
    const char *st = ps_conn_status_name(c->status);
    cli_json_str(j, st ? st : "NONE");
    if (with_pid) {
        cli_json_key(j, "pid");
        if (c->pid == PS_UNKNOWN_I64) cli_json_null(j); else cli_json_int(j, c->pid);
    }
    cli_json_obj_end(j);
}

void cli_proc_json_connections(cli_json *j, ps_proc *p, bool *gone)
{
    ps_connection_list *l = NULL;
    int rc = ps_proc_net_connections(p, PS_CONN_KIND_INET, &l);
    if (rc == PS_ENOPROC) *gone = true;
    if (rc) {
        cli_json_null(j);
        return;
    }
    cli_json_arr_begin(j);
    for (size_t i = 0; i < l->count; i++) json_conn(j, &l->items[i], false);
    cli_json_arr_end(j);
    ps_connection_list_free(l);
}

static const cli_opt net_opts[] = {
    { "json", 'j', NULL, "print as JSON (psutil's net_* results)" },
    { "kind", 'k', "KIND", "connections to list: inet (default), tcp, udp, unix, all, ..." },
    { "no-connections", 'C', NULL, "do not list connections" },
    { NULL, 0, NULL, NULL },
};

static void endpoint_text(const ps_connection *c, const ps_net_endpoint *e, bool local,
                          char *buf, size_t size)
{
    if (c->family == PS_NET_AF_UNIX) snprintf(buf, size, "%s", local && c->path ? c->path : "");
    else if (!e->ip) snprintf(buf, size, "-");
    else if (c->family == PS_NET_AF_INET6) snprintf(buf, size, "[%s]:%d", e->ip, (int)e->port);
    else snprintf(buf, size, "%s:%d", e->ip, (int)e->port);
}

/* What `psinfo net` shows; rc_* nonzero: left out (null in JSON). */
typedef struct net_view {
    bool want_conns;
    ps_netio_list *io;
    ps_nic_addr_list *addrs;
    ps_nic_stats_list *stats;
    ps_connection_list *conns;
    int rc_a, rc_s, rc_c;
} net_view;

static void json_netio(cli_json *j, const ps_netio_list *io)
{
    cli_json_obj_begin(j);
    for (size_t i = 0; i < io->count; i++) {
        const ps_netio *c = &io->items[i].counters;
        cli_json_key(j, io->items[i].name);
        cli_json_obj_begin(j);
        cli_json_key(j, "bytes_sent"); cli_json_uint(j, c->bytes_sent);
        cli_json_key(j, "bytes_recv"); cli_json_uint(j, c->bytes_recv);
        cli_json_key(j, "packets_sent"); cli_json_uint(j, c->packets_sent);
        cli_json_key(j, "packets_recv"); cli_json_uint(j, c->packets_recv);
        cli_json_key(j, "errin"); cli_json_uint(j, c->errin);
        cli_json_key(j, "errout"); cli_json_uint(j, c->errout);
        cli_json_key(j, "dropin"); cli_json_uint(j, c->dropin);
        cli_json_key(j, "dropout"); cli_json_uint_or_zero(j, c->dropout);   /* macOS: psutil 0 */
        cli_json_obj_end(j);
    }
    cli_json_obj_end(j);
}

/* net_if_addrs: {nic: [addr, ...]}; the list comes grouped by NIC. */
static void json_if_addrs(cli_json *j, const ps_nic_addr_list *addrs)
{
    cli_json_obj_begin(j);
    for (size_t i = 0; i < addrs->count;) {
        const char *nic = addrs->items[i].nic;
        cli_json_key(j, nic);
        cli_json_arr_begin(j);
        for (; i < addrs->count && strcmp(addrs->items[i].nic, nic) == 0; i++) {
            const ps_nic_addr *ad = &addrs->items[i];
            cli_json_obj_begin(j);
            cli_json_key(j, "family"); cli_json_int(j, os_family(ad->family));
            cli_json_key(j, "address"); cli_json_str(j, ad->address);
            cli_json_key(j, "netmask"); cli_json_str(j, ad->netmask);
            cli_json_key(j, "broadcast"); cli_json_str(j, ad->broadcast);
            cli_json_key(j, "ptp"); cli_json_str(j, ad->ptp);
            cli_json_obj_end(j);
        }
        cli_json_arr_end(j);
    }
    cli_json_obj_end(j);
}

static void json_if_stats(cli_json *j, const ps_nic_stats_list *stats)
{
    cli_json_obj_begin(j);
    for (size_t i = 0; i < stats->count; i++) {
        const ps_nic_stats *s = &stats->items[i];
        cli_json_key(j, s->nic);
        cli_json_obj_begin(j);
        cli_json_key(j, "isup"); cli_json_bool(j, s->isup != 0);
        cli_json_key(j, "duplex"); cli_json_int(j, (int64_t)s->duplex);
        cli_json_key(j, "speed"); cli_json_int(j, s->speed == PS_UNKNOWN_I64 ? 0 : s->speed); /* psutil 0 */
        cli_json_key(j, "mtu"); cli_json_int(j, s->mtu);
        cli_json_key(j, "flags"); cli_json_str(j, s->flags);
        cli_json_obj_end(j);
    }
    cli_json_obj_end(j);
}

static void print_net_json(const net_view *v)
{
    cli_json j;
    cli_json_init(&j, stdout, true);
    cli_json_obj_begin(&j);
    cli_json_key(&j, "net_io_counters");
    json_netio(&j, v->io);
    cli_json_key(&j, "net_if_addrs");
    if (v->rc_a) cli_json_null(&j); else json_if_addrs(&j, v->addrs);
    cli_json_key(&j, "net_if_stats");
    if (v->rc_s) cli_json_null(&j); else json_if_stats(&j, v->stats);
    if (v->want_conns) {
        cli_json_key(&j, "net_connections");
        if (v->rc_c) cli_json_null(&j);
        else {
            cli_json_arr_begin(&j);
            for (size_t i = 0; i < v->conns->count; i++) json_conn(&j, &v->conns->items[i], true);
            cli_json_arr_end(&j);
        }
    }
    cli_json_obj_end(&j);
    cli_json_end(&j);
}

/* "IPv4 10.0.0.1, MAC ..." for one NIC (malloc'd). */
static char *nic_addresses(const net_view *v, const char *nic)
{
    char *list = cli_xstrdup("");
    for (size_t k = 0; !v->rc_a && k < v->addrs->count; k++) {
        const ps_nic_addr *ad = &v->addrs->items[k];
        if (strcmp(ad->nic, nic) != 0) continue;
        char *n = cli_xasprintf("%s%s%s %s", list, list[0] ? ", " : "", family_name(ad->family),
                                ad->address);
        free(list);
        list = n;
    }
    return list;
}

static void print_nics(const net_view *v, int width)
{
    cli_table *t = cli_table_new(9);
    const char *hdr[9] = { "NIC", "UP", "SPEED", "MTU", "SENT", "RECV", "ERR", "DROP",
                           "ADDRESSES" };
    for (int c = 0; c < 9; c++)
        cli_table_col(t, c, hdr[c], (c >= 2 && c <= 7) ? CLI_RIGHT : CLI_LEFT, c == 8);
    for (size_t i = 0; i < v->io->count; i++) {
        const char *nic = v->io->items[i].name;
        const ps_netio *c = &v->io->items[i].counters;
        char b1[32], b2[32];
        cli_table_row(t);
        cli_table_cell(t, 0, nic);
        for (size_t k = 0; !v->rc_s && k < v->stats->count; k++) {
            const ps_nic_stats *s = &v->stats->items[k];
            if (strcmp(s->nic, nic) != 0) continue;
            cli_table_cell(t, 1, s->isup ? "yes" : "no");
            if (s->speed != PS_UNKNOWN_I64) cli_table_cellf(t, 2, "%" PRId64 "M", s->speed);
            cli_table_cellf(t, 3, "%" PRId64, s->mtu);
        }
        cli_bytes2human(c->bytes_sent, b1, sizeof b1);
        cli_bytes2human(c->bytes_recv, b2, sizeof b2);
        cli_table_cell(t, 4, b1);
        cli_table_cell(t, 5, b2);
        cli_table_cellf(t, 6, "%" PRIu64, c->errin + c->errout);
        if (c->dropout == PS_UNKNOWN_U64) cli_table_cellf(t, 7, "%" PRIu64 "+?", c->dropin);
        else cli_table_cellf(t, 7, "%" PRIu64, c->dropin + c->dropout);
        char *list = nic_addresses(v, nic);
        cli_table_cell(t, 8, list);
        free(list);
    }
    cli_table_print(t, stdout, width);
}

static const char *conn_proto(const ps_connection *c)
{
    if (c->family == PS_NET_AF_UNIX) return "unix";
    if (c->type == PS_SOCK_STREAM) return c->family == PS_NET_AF_INET6 ? "tcp6" : "tcp";
    return c->family == PS_NET_AF_INET6 ? "udp6" : "udp";
}

static void print_conns(const ps_connection_list *conns, int width)
{
    printf("\n");
    cli_table *ct = cli_table_new(6);
    const char *ch[6] = { "PROTO", "LOCAL", "REMOTE", "STATUS", "PID", "PROGRAM" };
    for (int c = 0; c < 6; c++)
        cli_table_col(ct, c, ch[c], c == 4 ? CLI_RIGHT : CLI_LEFT, c == 1 || c == 2 || c == 5);
    for (size_t i = 0; i < conns->count; i++) {
        const ps_connection *c = &conns->items[i];
        char l[300], r[300];
        endpoint_text(c, &c->laddr, true, l, sizeof l);
        endpoint_text(c, &c->raddr, false, r, sizeof r);
        cli_table_row(ct);
        cli_table_cell(ct, 0, conn_proto(c));
        cli_table_cell(ct, 1, l);
        cli_table_cell(ct, 2, r);
        const char *st = ps_conn_status_name(c->status);
        cli_table_cell(ct, 3, c->status == PS_CONN_NONE ? "" : (st ? st : "?"));
        if (c->pid != PS_UNKNOWN_I64) {
            cli_table_cellf(ct, 4, "%" PRId64, c->pid);
            ps_proc *p = NULL;
            char *name = NULL;
            if (ps_proc_open(c->pid, &p) == 0 && ps_proc_name(p, &name) == 0)
                cli_table_cell(ct, 5, name);
            ps_free(name);
            ps_proc_free(p);
        }
    }
    cli_table_print(ct, stdout, width);
}

static int run_net(const cli_cmd *cmd, const cli_args *a)
{
    int32_t kind = PS_CONN_KIND_INET;
    const char *kv = cli_value(cmd, a, "kind");
    if (kv && ps_conn_kind_from_name(kv, &kind) != 0)
        return cli_usage_error(cmd, "unknown connection kind '%s'", kv);
    net_view v;
    memset(&v, 0, sizeof v);
    v.want_conns = cli_flag(cmd, a, "no-connections") == 0;
    int rc = ps_net_io_counters_pernic(&v.io);
    if (rc) return cli_lib_error(rc, "network I/O counters");
    v.rc_a = ps_net_if_addrs(&v.addrs);
    v.rc_s = ps_net_if_stats(&v.stats);
    v.rc_c = v.want_conns ? ps_net_connections((ps_conn_kind)kind, &v.conns) : PS_ENOTSUP;
    int status = 0;

    if (cli_flag(cmd, a, "json")) {
        print_net_json(&v);
    } else {
        int width = cli_term_width();
        print_nics(&v, width);
        if (v.want_conns && v.rc_c == 0) {
            print_conns(v.conns, width);
        } else if (v.want_conns) {
            fprintf(stderr, "%s: connections: %s\n", cli_prog, ps_strerror(v.rc_c));
            status = CLI_EXIT_ERROR;
        }
    }
    ps_netio_list_free(v.io);
    ps_nic_addr_list_free(v.addrs);
    ps_nic_stats_list_free(v.stats);
    ps_connection_list_free(v.conns);
    return status;
}

const cli_cmd cli_cmd_net = {
    "net", "[--kind KIND] [--no-connections] [--json]",
    "Network interfaces, addresses, counters and connections.",
    "JSON: {\"net_io_counters\": net_io_counters(pernic=True), \"net_if_addrs\": net_if_addrs(),\n"
    "\"net_if_stats\": net_if_stats(), \"net_connections\": net_connections(KIND)} with\n"
    "namedtuples as objects; families and socket types are the OS's numbers, as psutil's enums.",
    net_opts, 0, 0, run_net,
};
