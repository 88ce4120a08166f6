/* SPDX-License-Identifier: MIT */
/* What the back ends' net_connections share (net_conns.h); portable, no OS headers. */
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "net_conns.h"

ps__bk_conn *ps__conn_push(ps__conn_vec *c)
{
    ps__bk_conn *nv = ps__grow(c->v, &c->cap, c->n, sizeof *nv, 64);
    if (!nv) return NULL;
    c->v = nv;
    /* cleared here, not only by ps__grow: a back end may rewind n over rows it gave up */
    ps__bk_conn *e = &nv[c->n++];
    memset(e, 0, sizeof *e);
    e->fd = -1;
    e->pid = -1;
    return e;
}

unsigned ps__conn_kind_tables(ps_conn_kind kind)
{
    enum { TCP = PS__CONN_TCP4 | PS__CONN_TCP6, UDP = PS__CONN_UDP4 | PS__CONN_UDP6 };
    switch (kind) {
    case PS_CONN_KIND_INET: return TCP | UDP;
    case PS_CONN_KIND_INET4: return PS__CONN_TCP4 | PS__CONN_UDP4;
    case PS_CONN_KIND_INET6: return PS__CONN_TCP6 | PS__CONN_UDP6;
    case PS_CONN_KIND_TCP: return TCP;
    case PS_CONN_KIND_TCP4: return PS__CONN_TCP4;
    case PS_CONN_KIND_TCP6: return PS__CONN_TCP6;
    case PS_CONN_KIND_UDP: return UDP;
    case PS_CONN_KIND_UDP4: return PS__CONN_UDP4;
    case PS_CONN_KIND_UDP6: return PS__CONN_UDP6;
    case PS_CONN_KIND_UNIX: return PS__CONN_UNIX;
    case PS_CONN_KIND_ALL: return TCP | UDP | PS__CONN_UNIX;
    }
    return 0;
}
