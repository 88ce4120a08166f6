/* SPDX-License-Identifier: MIT */
/* What the back ends' net_connections share (src/net_conns.c, portable): the row vector, the
 * tables a kind reads. */
#ifndef PS_NET_CONNS_H
#define PS_NET_CONNS_H

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

#endif /* PS_NET_CONNS_H */
