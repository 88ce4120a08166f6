/* SPDX-License-Identifier: MIT */
/* What the back ends' net_connections share (net_conns.h); portable, no OS headers. */
#include <stdint.h>
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

bool ps__conn_end_shown(ps__conn_end_rule rule, ps_net_family fam, const uint8_t *addr, int32_t port,
                        bool remote)
{
    size_t len = fam == PS_NET_AF_INET ? 4 : fam == PS_NET_AF_INET6 ? 16 : 0;
    if (!len) return false;
    switch (rule) {
    case PS__END_RULE_ADDR_AND_PORT:
        if (port != 0) return true;
        for (size_t i = 0; i < len; i++)
            if (addr[i]) return true;
        return false;
    case PS__END_RULE_REMOTE_PORT: return !remote || port != 0;
    case PS__END_RULE_PORT: break;
    }
    return port != 0;
}

/* ---- psutil's set of rows --------------------------------------------------------------------- */

/* What the core shows of a row (fill_conn in net.c), as fixed-size bytes: fd and pid (any
 * negative one is "unknown"), family, type, status, then per end its port and the address
 * bytes of the family if the end is shown (ps__conn_end_shown), a UNIX row no ends at all (its
 * path is compared besides). Built from arrays of one type each, so no padding is compared. */
enum { KEY_BYTES = 2 * 8 + 5 * 4 + 2 * 16 };

static size_t addr_len(const ps__bk_conn *c, bool remote)
{
    const uint8_t *addr = remote ? c->raddr : c->laddr;
    if (!ps__conn_end_shown(ps__bk_conn_end_rule, c->family, addr, remote ? c->rport : c->lport, remote))
        return 0;
    return c->family == PS_NET_AF_INET ? 4 : 16;
}

static void conn_key(const ps__bk_conn *c, unsigned char *k)
{
    int un = c->family == PS_NET_AF_UNIX;
    int64_t id[2] = {c->fd < 0 ? -1 : c->fd, c->pid < 0 ? -1 : c->pid};
    int32_t f[5] = {(int32_t)c->family, (int32_t)c->type, (int32_t)c->status, un ? 0 : c->lport,
                    un ? 0 : c->rport};
    memset(k, 0, KEY_BYTES);
    memcpy(k, id, sizeof id);
    memcpy(k + sizeof id, f, sizeof f);
    if (un) return;
    memcpy(k + sizeof id + sizeof f, c->laddr, addr_len(c, false));
    memcpy(k + sizeof id + sizeof f + 16, c->raddr, addr_len(c, true));
}

/* a UNIX row's path in bytes (native units: bytes, or UTF-16 on Windows) */
static size_t path_bytes(const ps__bk_conn *c)
{
    if (c->family != PS_NET_AF_UNIX || !c->path.data) return 0;
    return c->path.len * (PS_NATIVE_UTF16 ? 2 : 1);
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3u;
    return h;
}

static int same_row(const unsigned char *k, const ps__bk_conn *c, const ps__bk_conn *other)
{
    unsigned char ko[KEY_BYTES];
    conn_key(other, ko);
    size_t pb = path_bytes(c);
    return memcmp(k, ko, KEY_BYTES) == 0 && pb == path_bytes(other) &&
           (pb == 0 || memcmp(c->path.data, other->path.data, pb) == 0);
}

int ps__conn_dedup(ps__bk_conn *items, size_t *count)
{
    size_t n = *count;
    if (n < 2) return 0;
    size_t cap = 16;
    while (cap < 2 * n && cap <= SIZE_MAX / 4) cap *= 2;
    /* open addressing: a slot holds 1 + the index of a kept row, 0 when empty */
    size_t *slot = cap >= 2 * n ? calloc(cap, sizeof *slot) : NULL;
    if (!slot) return ps__error(PS_ENOMEM, 0, "net_connections: out of memory");
    size_t kept = 0;
    unsigned char k[KEY_BYTES];
    for (size_t i = 0; i < n; i++) {
        ps__bk_conn *c = &items[i];
        conn_key(c, k);
        uint64_t h = fnv1a(fnv1a(0xcbf29ce484222325u, k, sizeof k), c->path.data, path_bytes(c));
        size_t at = (size_t)h & (cap - 1);
        while (slot[at] && !same_row(k, c, &items[slot[at] - 1])) at = (at + 1) & (cap - 1);
        if (slot[at]) {
            ps__nstr_dispose(&c->path);   /* a repeat: only its strings are the row's own */
            continue;
        }
        items[kept] = *c;
        slot[at] = ++kept;
    }
    free(slot);
    *count = kept;
    return 0;
}
