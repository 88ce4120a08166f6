/* SPDX-License-Identifier: MIT */
/* What the back ends' net_connections share (src/net_conns.c, portable): the row vector, the
 * tables a kind reads, psutil's set of rows. */
#ifndef PS_NET_CONNS_H
#define PS_NET_CONNS_H

#include <stdbool.h>

#include "backend.h"

/* A growing array of connection rows. */
typedef struct ps__conn_vec {
    ps__bk_conn *v;
    size_t n, cap;
} ps__conn_vec;

/* A new zeroed row at the end of c, fd and pid -1 (none known); NULL without memory. */
ps__bk_conn *ps__conn_push(ps__conn_vec *c);

/* The socket tables, as bits. */
enum { PS__CONN_TCP4 = 1, PS__CONN_TCP6 = 2, PS__CONN_UDP4 = 4, PS__CONN_UDP6 = 8, PS__CONN_UNIX = 16 };

/* The tables kind reads (psutil's conn_tmap); "all" includes PS__CONN_UNIX (a back end without
 * UNIX sockets masks it out); 0 for a value outside the enum. */
unsigned ps__conn_kind_tables(ps_conn_kind kind);

/* Whether psutil shows this end of an AF_INET/AF_INET6 row as (ip, port) under rule (remote:
 * the raddr end); addr holds the family's 4 or 16 bytes. Never for another family. */
bool ps__conn_end_shown(ps__conn_end_rule rule, ps_net_family fam, const uint8_t *addr, int32_t port,
                        bool remote);

/* psutil's set of connection tuples (Windows; psutil's _pswindows.py builds one): of the rows
 * equal in every field of psutil's tuple (fd, family, type, laddr, raddr, status, pid), compared
 * as the core shows them (an end not shown, per ps__bk_conn_end_rule, is () whatever its address, any negative fd or pid
 * unknown, a UNIX row's laddr its path), the first is kept; order is otherwise unchanged and
 * the repeats' strings are released. inode is not in psutil's tuple. *count is updated.
 * 0, or PS_ENOMEM with the rows unchanged. */
int ps__conn_dedup(ps__bk_conn *items, size_t *count);

#endif /* PS_NET_CONNS_H */
