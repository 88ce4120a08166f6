/* SPDX-License-Identifier: MIT */
/*
 * Linux: sockets from <proc>/net/{tcp,tcp6,udp,udp6,unix} joined with the inode → (pid, fd)
 * map read from <proc>/<pid>/fd, with psutil's rules (see include/psinfo/net.h).
 */
#include <dirent.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net_linux.h"
#include "../list.h"
#include "../net_conns.h"

/* ---- table parsing ---------------------------------------------------------------------- */

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Split on blanks: up to max tokens; returns the count found (<= max). */
static int tokens(const char *s, const char *e, const char **t, size_t *tl, int max)
{
    int n = 0;
    while (n < max) {
        while (s < e && blank(*s)) s++;
        if (s == e) break;
        t[n] = s;
        while (s < e && !blank(*s)) s++;
        tl[n] = (size_t)(s - t[n]);
        n++;
    }
    return n;
}

static int parse_hex_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0 || n > 16) return -1;
    for (size_t i = 0; i < n; i++) {
        int d = hexval(s[i]);
        if (d < 0) return -1;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return 0;
}

static int parse_dec_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0) return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* "0100007F:1F90": the kernel prints each 32-bit word of the address (network byte order in
 * memory) as a host-order integer, so storing the parsed word back in host order gives the
 * original bytes. */
static int parse_addr(const char *s, size_t n, int v6, uint8_t *addr, int32_t *port)
{
    size_t hexlen = v6 ? 32 : 8;
    uint64_t p;
    if (n < hexlen + 2 || s[hexlen] != ':') return -1;
    for (size_t w = 0; w < hexlen / 8; w++) {
        uint64_t word;
        if (parse_hex_u64(s + 8 * w, 8, &word)) return -1;
        uint32_t w32 = (uint32_t)word;
        memcpy(addr + 4 * w, &w32, 4);
    }
    if (parse_hex_u64(s + hexlen + 1, n - hexlen - 1, &p) || p > 65535) return -1;
    *port = (int32_t)p;
    return 0;
}

static ps_conn_status tcp_status(uint64_t st)
{
    /* The kernel's TCP_* numbers 1..11 are psutil's CONN_* order. */
    return st >= 1 && st <= 11 ? (ps_conn_status)st : PS_CONN_NONE;
}

/* The line at *p (to the '\n' or the end of the text): sets *le to its end, moves *p past it. */
static const char *next_line(const char **p, const char *end, const char **le)
{
    const char *line = *p;
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    *le = nl ? nl : end;
    *p = nl ? nl + 1 : end;
    return line;
}

static int parse_inet(const char *text, size_t len, const char *file, ps_net_family fam,
                      ps_sock_type type, ps__conn_vec *out)
{
    const char *p = text, *end = text + len;
    size_t lineno = 0;
    while (p < end) {
        const char *le, *line = next_line(&p, end, &le);
        if (lineno++ == 0) continue;       /* the header */
        const char *t[10];
        size_t tl[10];
        int nt = tokens(line, le, t, tl, 10);
        if (nt == 0) continue;             /* empty line */
        uint64_t st, inode;
        ps__bk_conn e;
        memset(&e, 0, sizeof e);
        if (nt < 10 || parse_addr(t[1], tl[1], fam == PS_NET_AF_INET6, e.laddr, &e.lport) ||
            parse_addr(t[2], tl[2], fam == PS_NET_AF_INET6, e.raddr, &e.rport) ||
            parse_hex_u64(t[3], tl[3], &st) || parse_dec_u64(t[9], tl[9], &inode))
            return ps__error(PS_EPARSE, 0, "%s: malformed line %zu", file, lineno);
        ps__bk_conn *c = ps__conn_push(out);
        if (!c) return ps__error(PS_ENOMEM, 0, "%s: out of memory", file);
        memcpy(c->laddr, e.laddr, 16);
        memcpy(c->raddr, e.raddr, 16);
        c->lport = e.lport;
        c->rport = e.rport;
        c->family = fam;
        c->type = type;
        c->status = type == PS_SOCK_STREAM ? tcp_status(st) : PS_CONN_NONE;
        c->inode = inode;
    }
    return 0;
}

/* Does this line start a /proc/net/unix record ("Num: RefCount Protocol Flags Type St Inode")? */
static int unix_record(const char **t, const size_t *tl, int nt)
{
    if (nt < 7 || tl[0] < 2 || t[0][tl[0] - 1] != ':') return 0;
    uint64_t x;
    if (parse_hex_u64(t[0], tl[0] - 1, &x)) return 0;
    for (int i = 1; i <= 5; i++)
        if (parse_hex_u64(t[i], tl[i], &x)) return 0;
    return parse_dec_u64(t[6], tl[6], &x) == 0;
}

static int append_bytes(ps__nstr *s, const char *a, size_t an, const char *b, size_t bn)
{
    char *d = realloc(s->data, s->len + an + bn + 1);
    if (!d) return -1;
    memcpy(d + s->len, a, an);
    memcpy(d + s->len + an, b, bn);
    s->data = d;
    s->len += an + bn;
    return 0;
}

/*
 * The path is every byte after the one blank that follows the inode, to the end of the line,
 * blanks included (psutil gives "" for a path holding blanks). A path holding a newline
 * continues on the next line(s): a line that is not a record continues the previous path.
 */
static int parse_unix(const char *text, size_t len, const char *file, ps__conn_vec *out)
{
    const char *p = text, *end = text + len;
    size_t lineno = 0;
    int have_prev = 0;
    size_t prev_idx = 0;
    while (p < end) {
        const char *le, *line = next_line(&p, end, &le);
        if (lineno++ == 0) continue;
        const char *t[7];
        size_t tl[7];
        int nt = tokens(line, le, t, tl, 7);
        if (!unix_record(t, tl, nt)) {
            if (have_prev && out->v[prev_idx].path.data) {
                if (append_bytes(&out->v[prev_idx].path, "\n", 1, line, (size_t)(le - line)))
                    return ps__error(PS_ENOMEM, 0, "%s: out of memory", file);
                continue;
            }
            if (nt == 0 || !memchr(line, ' ', (size_t)(le - line))) continue; /* psutil #766 */
            return ps__error(PS_EPARSE, 0, "%s: malformed line %zu", file, lineno);
        }
        uint64_t type = 0, inode = 0;
        parse_hex_u64(t[4], tl[4], &type);
        parse_dec_u64(t[6], tl[6], &inode);
        ps__bk_conn *c = ps__conn_push(out);
        if (!c) return ps__error(PS_ENOMEM, 0, "%s: out of memory", file);
        c->family = PS_NET_AF_UNIX;
        c->type = type >= 1 && type <= 5 ? (ps_sock_type)type : PS_SOCK_UNKNOWN;
        c->status = PS_CONN_NONE;
        c->inode = inode;
        const char *ps = t[6] + tl[6];
        if (ps < le && blank(*ps)) {
            ps++;
            c->path.data = malloc((size_t)(le - ps) + 1);
            if (!c->path.data) return ps__error(PS_ENOMEM, 0, "%s: out of memory", file);
            memcpy(c->path.data, ps, (size_t)(le - ps));
            c->path.len = (size_t)(le - ps);
        }
        have_prev = 1;
        prev_idx = out->n - 1;
    }
    return 0;
}

/* ---- the same tables through sock_diag netlink (what ss uses) ------------------------------
 * Used when reading the default /proc for every process: the kernel answers a dump several
 * times faster than it formats <proc>/net/tcp. One netlink socket serves every dump of a call
 * (*nls, opened on first use; closed and reset to -1 when a dump is abandoned half-read).
 * A dump function returns 1 when netlink cannot answer (no socket, module missing, refused):
 * the caller then tries the next source. */
static int nl_socket(int *nls)
{
    if (*nls < 0) *nls = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    return *nls;
}

static void nl_abandon(int *nls)
{
    if (*nls >= 0) close(*nls);
    *nls = -1;
}

/* TCP states 0..12 as /proc/net/tcp shows them (request sockets, TCP_NEW_SYN_RECV, come back
 * as SYN_RECV); not bit 13, TCP_BOUND_INACTIVE (kernel 6.6+: sockets only bound, which
 * /proc/net/tcp does not list). Every state is wanted, so the kernel walks both the listening
 * and the established hash tables: the state filter cannot spare either walk. */
#define NL_STATES 0x1fffu

/*
 * Send one dump request on socket s (of nl_socket) and hand every answer message to row, until
 * the kernel's NLMSG_DONE. Returns 0 when the dump ended; 1 when sending or receiving failed
 * or a message is not of msg_type (an error, an old kernel): the caller abandons the socket,
 * forgets the partial answer and falls back to /proc; 0 with *rc set, the socket abandoned,
 * when row failed (out of memory).
 */
static int nl_dump(int *nls, int s, const void *req, size_t len, uint16_t msg_type,
                   int (*row)(const struct nlmsghdr *h, void *ctx), void *ctx, int *rc)
{
    struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
    if (sendto(s, req, len, 0, (struct sockaddr *)&nl, sizeof nl) != (ssize_t)len) return 1;
    /* 32 KiB aligned for nlmsghdr: the most the kernel puts in one dump message batch */
    union { struct nlmsghdr h; char b[32768]; } buf;
    for (;;) {
        ssize_t r = recv(s, buf.b, sizeof buf.b, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        for (struct nlmsghdr *h = &buf.h; NLMSG_OK(h, (size_t)r); h = NLMSG_NEXT(h, r)) {
            if (h->nlmsg_type == NLMSG_DONE) return 0;
            if (h->nlmsg_type != msg_type) return 1;   /* NLMSG_ERROR among others */
            int err = row(h, ctx);
            if (err) {
                nl_abandon(nls);
                *rc = err;
                return 0;
            }
        }
    }
    return 1;
}

/* Where netlink_inet's rows go. */
typedef struct inet_rows {
    ps_sock_type type;
    ps__conn_vec *out4, *out6;
} inet_rows;

/* One inet_diag_msg into a row of out4 or out6 (other families are skipped). */
static int inet_row(const struct nlmsghdr *h, void *ctx)
{
    inet_rows *x = ctx;
    if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg))) return 0;
    const struct inet_diag_msg *m = NLMSG_DATA(h);
    ps_net_family f;
    if (m->idiag_family == AF_INET) f = PS_NET_AF_INET;
    else if (m->idiag_family == AF_INET6) f = PS_NET_AF_INET6;
    else return 0;
    ps__bk_conn *c = ps__conn_push(f == PS_NET_AF_INET ? x->out4 : x->out6);
    if (!c) return ps__error(PS_ENOMEM, 0, "net_connections: out of memory");
    memcpy(c->laddr, m->id.idiag_src, 16);
    memcpy(c->raddr, m->id.idiag_dst, 16);
    if (f == PS_NET_AF_INET) {
        memset(c->laddr + 4, 0, 12);
        memset(c->raddr + 4, 0, 12);
    }
    c->lport = ntohs(m->id.idiag_sport);
    c->rport = ntohs(m->id.idiag_dport);
    c->family = f;
    c->type = x->type;
    c->status = x->type == PS_SOCK_STREAM ? tcp_status(m->idiag_state) : PS_CONN_NONE;
    c->inode = m->idiag_inode;
    return 0;
}

/*
 * One inet dump. compat = 0: a SOCK_DIAG_BY_FAMILY request for one family (fam) and type.
 * compat = 1: TCP through the legacy TCPDIAG_GETSOCK request, which the kernel answers with
 * sdiag_family = AF_UNSPEC — IPv4 and IPv6 sockets from ONE walk of the TCP hash tables
 * instead of one walk per family (the walk of the established hash, sized by RAM, not by the
 * number of sockets, is most of a dump's cost). Rows go to out4 or out6 by their family, so
 * the caller keeps the tcp4-then-tcp6 order of the per-family requests.
 */
static int netlink_inet(int *nls, int compat, ps_net_family fam, ps_sock_type type,
                        ps__conn_vec *out4, ps__conn_vec *out6, int *rc)
{
    int s = nl_socket(nls);
    if (s < 0) return 1;
    union {
        struct nlmsghdr h;
        char b[NLMSG_LENGTH(sizeof(struct inet_diag_req_v2)) + NLMSG_LENGTH(sizeof(struct inet_diag_req))];
    } req;
    memset(&req, 0, sizeof req);
    uint16_t msg_type;
    if (compat) {
        struct inet_diag_req *r = NLMSG_DATA(&req.h);
        req.h.nlmsg_len = NLMSG_LENGTH(sizeof *r);
        msg_type = TCPDIAG_GETSOCK;
        r->idiag_family = AF_INET;   /* ignored by the kernel's compat dump (AF_UNSPEC) */
        r->idiag_states = NL_STATES;
    } else {
        struct inet_diag_req_v2 *r = NLMSG_DATA(&req.h);
        req.h.nlmsg_len = NLMSG_LENGTH(sizeof *r);
        msg_type = SOCK_DIAG_BY_FAMILY;
        r->sdiag_family = fam == PS_NET_AF_INET ? AF_INET : AF_INET6;
        r->sdiag_protocol = type == PS_SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
        r->idiag_states = NL_STATES;
    }
    req.h.nlmsg_type = msg_type;
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.h.nlmsg_seq = 1;
    size_t start4 = out4->n, start6 = out6->n;
    inet_rows ctx = { type, out4, out6 };
    int fallback = nl_dump(nls, s, &req, req.h.nlmsg_len, msg_type, inet_row, &ctx, rc);
    if (fallback) {
        nl_abandon(nls);
        /* forget a partial answer; the next source replaces it (rows hold no paths) */
        out4->n = start4;
        out6->n = start6;
        return 1;
    }
    return 0;
}

/* One unix_diag_msg into a row of the vector ctx. */
static int unix_row(const struct nlmsghdr *h, void *ctx)
{
    ps__conn_vec *out = ctx;
    if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct unix_diag_msg))) return 0;
    const struct unix_diag_msg *m = NLMSG_DATA(h);
    ps__bk_conn *c = ps__conn_push(out);
    if (!c) return ps__error(PS_ENOMEM, 0, "net_connections: out of memory");
    c->family = PS_NET_AF_UNIX;
    c->type = m->udiag_type >= 1 && m->udiag_type <= 5 ? (ps_sock_type)m->udiag_type : PS_SOCK_UNKNOWN;
    c->status = PS_CONN_NONE;
    c->inode = m->udiag_ino;
    unsigned int alen = (unsigned int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *m));
    const struct rtattr *a = (const struct rtattr *)((const char *)m + NLMSG_ALIGN(sizeof *m));
    for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
        if (a->rta_type != UNIX_DIAG_NAME) continue;
        const char *name = RTA_DATA(a);
        size_t n = RTA_PAYLOAD(a);
        if (n == 0) break;
        c->path.data = malloc(n + 1);
        if (!c->path.data) return ps__error(PS_ENOMEM, 0, "net_connections: out of memory");
        char *d = c->path.data;
        if (name[0]) {
            memcpy(d, name, n - 1);   /* the kernel's length counts the NUL */
            c->path.len = n - 1;
        } else {
            for (size_t i = 0; i < n; i++) d[i] = name[i] ? name[i] : '@';
            c->path.len = n;
        }
        break;
    }
    return 0;
}

/* The UNIX table through unix_diag. Names come as the kernel stores them; they are turned into
 * the text /proc/net/unix prints (so the answer is the same whichever source is used): a path
 * without its terminating NUL; an abstract name as '@' + the name with NULs shown as '@'.
 * Unlike the /proc text, a path holding a newline is unambiguous here. */
static int netlink_unix(int *nls, ps__conn_vec *out, int *rc)
{
    int s = nl_socket(nls);
    if (s < 0) return 1;
    struct {
        struct nlmsghdr h;
        struct unix_diag_req r;
    } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = sizeof req;
    req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.h.nlmsg_seq = 1;
    req.r.sdiag_family = AF_UNIX;
    req.r.udiag_states = ~0u;
    req.r.udiag_show = UDIAG_SHOW_NAME;
    size_t start = out->n;
    int fallback = nl_dump(nls, s, &req, sizeof req, SOCK_DIAG_BY_FAMILY, unix_row, out, rc);
    if (fallback) {
        nl_abandon(nls);
        for (size_t i = start; i < out->n; i++) ps__nstr_dispose(&out->v[i].path);
        out->n = start;
        return 1;
    }
    return 0;
}

/* Read one table: relative to dirfd ("net/tcp") or under the proc root. */
static int read_table(int dirfd, const char *rel, ps__buf *b)
{
    if (dirfd >= 0) return ps__read_file_at(dirfd, rel, b);
    return ps__net_read_proc(rel, b);
}

/* ---- the inode → (pid, fd) map ------------------------------------------------------------ */

typedef struct inode_slot {
    uint64_t inode;     /* 0: empty */
    int64_t pid;        /* owner: -1 until found */
    size_t first, last; /* chain of fds in `fds` (index + 1; 0 = none) */
    int counted;        /* counted in inode_map.unclaimed */
} inode_slot;

typedef struct fd_link {
    int64_t fd;
    size_t next;        /* index + 1 */
} fd_link;

typedef struct inode_map {
    inode_slot *slots;
    size_t mask;
    fd_link *fds;
    size_t nfds, capfds;
    size_t unclaimed;   /* inodes no process claimed yet */
} inode_map;

static size_t hash64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static inode_slot *map_find(inode_map *m, uint64_t inode, int insert)
{
    size_t i = hash64(inode) & m->mask;
    for (;;) {
        inode_slot *s = &m->slots[i];
        if (s->inode == inode) return s;
        if (s->inode == 0) {
            if (!insert) return NULL;
            s->inode = inode;
            s->pid = -1;
            return s;
        }
        i = (i + 1) & m->mask;
    }
}

static int map_init(inode_map *m, const ps__conn_vec *c)
{
    size_t size = 16;
    while (size < c->n * 2 + 2) size *= 2;
    memset(m, 0, sizeof *m);
    m->slots = calloc(size, sizeof *m->slots);
    if (!m->slots) return PS_ENOMEM;
    m->mask = size - 1;
    for (size_t i = 0; i < c->n; i++) {
        if (!c->v[i].inode) continue;
        inode_slot *s = map_find(m, c->v[i].inode, 1);
        if (!s->counted) {
            s->counted = 1;
            m->unclaimed++;
        }
    }
    return 0;
}

/* Append fd to the chain of s. */
static int map_link_fd(inode_map *m, inode_slot *s, int64_t fd)
{
    fd_link *nv = ps__grow(m->fds, &m->capfds, m->nfds, sizeof *nv, 64);
    if (!nv) return ps__error(PS_ENOMEM, 0, "net_connections: out of memory");
    m->fds = nv;
    m->fds[m->nfds].fd = fd;
    m->fds[m->nfds].next = 0;
    m->nfds++;
    if (s->last) m->fds[s->last - 1].next = m->nfds;
    else s->first = m->nfds;
    s->last = m->nfds;
    return 0;
}

static void map_dispose(inode_map *m)
{
    free(m->slots);
    free(m->fds);
}

/* "socket:[12345]" → 12345; 0 when the link is something else. */
static uint64_t socket_inode(const char *s, size_t n)
{
    uint64_t v;
    if (n < 10 || memcmp(s, "socket:[", 8) != 0 || s[n - 1] != ']') return 0;
    if (parse_dec_u64(s + 8, n - 9, &v)) return 0;
    return v;
}

/* Scan one process's fd directory (an open fd of it, consumed) with getdents64 into dbuf
 * (DENTS_BUF bytes, shared by every process of a scan: no DIR, no per-process allocation and
 * none of fdopendir's fstat/fcntl calls). Sockets in the map that no higher pid claimed get
 * this pid and its fds in directory order. */
static int scan_fds(inode_map *m, int64_t pid, int fddir, char *dbuf)
{
    int rc = 0;
    for (;;) {
        long r = syscall(SYS_getdents64, fddir, dbuf, DENTS_BUF);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == ENOMEM || errno == EMFILE || errno == ENFILE)) {
            rc = ps__errno_error(errno, "net_connections: fd directory");
            break;
        }
        if (r <= 0) break;   /* the end, or the process went away meanwhile */
        for (long off = 0; off < r && rc == 0;) {
            struct ps__dirent64 *de = (struct ps__dirent64 *)(void *)(dbuf + off);
            off += de->d_reclen;
            if (de->d_name[0] < '0' || de->d_name[0] > '9') continue;
            char link[64];
            ssize_t n = readlinkat(fddir, de->d_name, link, sizeof link);
            if (n <= 0 || (size_t)n >= sizeof link) continue;
            uint64_t inode = socket_inode(link, (size_t)n);
            if (!inode) continue;
            inode_slot *s = map_find(m, inode, 0);
            if (!s) continue;
            if (s->pid == -1) {
                s->pid = pid;
                m->unclaimed--;
            } else if (s->pid != pid) {
                continue;
            }
            uint64_t fdn;
            if (parse_dec_u64(de->d_name, strlen(de->d_name), &fdn)) continue;
            rc = map_link_fd(m, s, (int64_t)fdn);
        }
        if (rc) break;
    }
    close(fddir);
    return rc;
}

/* One process's socket fds as (inode, fd) pairs in directory order (consumes fddir). */
typedef struct sock_fd {
    uint64_t inode;
    int64_t fd;
} sock_fd;

static int proc_socket_fds(int fddir, sock_fd **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    DIR *d = fdopendir(fddir);
    if (!d) {
        int err = errno;
        close(fddir);
        return ps__errno_error(err == ENOENT ? ESRCH : err, "net_connections: fd directory");
    }
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char link[64];
        uint64_t fdn;
        if (parse_dec_u64(de->d_name, strlen(de->d_name), &fdn)) continue;
        ssize_t r = readlinkat(dirfd(d), de->d_name, link, sizeof link);
        if (r < 0 && (errno == EACCES || errno == EPERM)) {
            /* listable fd directory, unreadable links (a target with capabilities we lack):
             * psutil raises AccessDenied; an empty list would hide the sockets */
            int err = errno;
            closedir(d);
            free(*out);
            *out = NULL;
            *count = 0;
            return ps__errno_error(err, "net_connections: fd link");
        }
        if (r <= 0 || (size_t)r >= sizeof link) continue;
        uint64_t inode = socket_inode(link, (size_t)r);
        if (!inode) continue;
        if (*count == cap) {
            size_t nc = cap ? cap * 2 : 16;
            sock_fd *nv = realloc(*out, nc * sizeof *nv);
            if (!nv) {
                closedir(d);
                free(*out);
                *out = NULL;
                return ps__error(PS_ENOMEM, 0, "net_connections: out of memory");
            }
            *out = nv;
            cap = nc;
        }
        (*out)[*count].inode = inode;
        (*out)[*count].fd = (int64_t)fdn;
        (*count)++;
    }
    closedir(d);
    return 0;
}

/* Feed a process's pairs into the map (as scan_fds would). */
static int map_add_pairs(inode_map *m, int64_t pid, const sock_fd *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        inode_slot *s = map_find(m, p[i].inode, 0);
        if (!s) continue;
        if (s->pid == -1) m->unclaimed--;
        s->pid = pid;
        int rc = map_link_fd(m, s, p[i].fd);
        if (rc) return rc;
    }
    return 0;
}

static int cmp_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Every process under the proc root, highest pid first (psutil's dict.update over ascending
 * pids keeps the last one). Unreadable or vanished processes are skipped. The scan stops as
 * soon as every socket of the tables has its owner: a socket's owner is the highest pid
 * holding it, so the processes left (lower pids) could not change any row. */
static int scan_all(inode_map *m)
{
    const char *root = ps__root(PS_ROOT_PROC);
    int rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rfd < 0) return ps__errno_error(errno, root);
    char *dbuf = malloc(DENTS_BUF);
    if (!dbuf) {
        close(rfd);
        return ps__error(PS_ENOMEM, 0, "net_connections: out of memory");
    }
    int64_t *pids = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (;;) {
        long r = syscall(SYS_getdents64, rfd, dbuf, DENTS_BUF);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            rc = ps__errno_error(errno, root);
            break;
        }
        if (r == 0) break;
        for (long off = 0; off < r && rc == 0;) {
            struct ps__dirent64 *de = (struct ps__dirent64 *)(void *)(dbuf + off);
            off += de->d_reclen;
            uint64_t pid;
            if (parse_dec_u64(de->d_name, strlen(de->d_name), &pid) || pid == 0 || pid > INT64_MAX)
                continue;
            int64_t *np = ps__grow(pids, &cap, n, sizeof *np, 512);
            if (!np) {
                rc = ps__error(PS_ENOMEM, 0, "net_connections: out of memory");
                break;
            }
            pids = np;
            pids[n++] = (int64_t)pid;
        }
        if (rc) break;
    }
    if (!rc) qsort(pids, n, sizeof *pids, cmp_desc);
    char name[32];
    for (size_t i = 0; i < n && rc == 0 && m->unclaimed > 0; i++) {
        snprintf(name, sizeof name, "%lld/fd", (long long)pids[i]);
        int fd = openat(rfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOMEM)
                rc = ps__errno_error(errno, "net_connections: open fd directory");
            continue;   /* gone, or not ours to read: pid -1, fd -1 as psutil */
        }
        rc = scan_fds(m, pids[i], fd, dbuf);
    }
    free(pids);
    free(dbuf);
    close(rfd);
    return rc;
}

/* ---- the whole operation ------------------------------------------------------------------ */

static const struct {
    unsigned bit;
    const char *rel;
    ps_net_family fam;
    ps_sock_type type;
} tables[] = {
    { PS__CONN_TCP4, "net/tcp", PS_NET_AF_INET, PS_SOCK_STREAM },
    { PS__CONN_TCP6, "net/tcp6", PS_NET_AF_INET6, PS_SOCK_STREAM },
    { PS__CONN_UDP4, "net/udp", PS_NET_AF_INET, PS_SOCK_DGRAM },
    { PS__CONN_UDP6, "net/udp6", PS_NET_AF_INET6, PS_SOCK_DGRAM },
    { PS__CONN_UNIX, "net/unix", PS_NET_AF_UNIX, PS_SOCK_UNKNOWN },
};

/* psutil's decode_address: () for a port of 0, whatever the address */
const ps__conn_end_rule ps__bk_conn_end_rule = PS__END_RULE_PORT;

int ps__bk_net_connections(ps_proc *proc, ps_conn_kind kind, ps__bk_conn **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    unsigned want = ps__conn_kind_tables(kind);
    int dirfd = proc ? proc->dirfd : -1;
    ps__conn_vec rows = { NULL, 0, 0 };
    int rc = 0;
    ps__buf b;
    ps__buf_init(&b);
    int64_t pid = proc ? proc->pid : -1;
    int fddir = -1;
    /* netlink answers for the caller's network namespace: the one the default /proc/net shows,
     * and the one a process's own net/ shows when it shares our namespace */
    int use_netlink = strcmp(ps__root(PS_ROOT_PROC), "/proc") == 0;
    if (use_netlink && proc) {
        struct stat mine_ns, its_ns;
        use_netlink = fstatat(dirfd, "ns/net", &its_ns, 0) == 0 &&
                      stat("/proc/self/ns/net", &mine_ns) == 0 &&
                      mine_ns.st_ino == its_ns.st_ino && mine_ns.st_dev == its_ns.st_dev;
    }
    sock_fd *mine = NULL;
    size_t nmine = 0;
    if (proc) {
        /* The fds first: a process that is gone or not readable is an error here, and one
         * without sockets needs no table (psutil returns [] the same way). */
        fddir = openat(dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fddir < 0)
            return ps__errno_error(errno == ENOENT ? ESRCH : errno, "net_connections: fd directory");
        rc = proc_socket_fds(fddir, &mine, &nmine);
        fddir = -1;
        if (rc || nmine == 0) return rc;
    }
    int nls = -1;
    unsigned have = 0;
    if (use_netlink && (want & (PS__CONN_TCP4 | PS__CONN_TCP6)) == (PS__CONN_TCP4 | PS__CONN_TCP6)) {
        /* both TCP tables from one walk; tcp6 rows wait in v6 to keep the table order */
        ps__conn_vec v6 = { NULL, 0, 0 };
        if (netlink_inet(&nls, 1, PS_NET_AF_INET, PS_SOCK_STREAM, &rows, &v6, &rc) == 0 && rc == 0) {
            for (size_t i = 0; i < v6.n && rc == 0; i++) {
                ps__bk_conn *c = ps__conn_push(&rows);
                if (!c) rc = ps__error(PS_ENOMEM, 0, "net_connections: out of memory");
                else *c = v6.v[i];
            }
            have = PS__CONN_TCP4 | PS__CONN_TCP6;
        }
        free(v6.v); /* inet rows own no memory */
    }
    for (size_t i = 0; i < sizeof tables / sizeof tables[0] && rc == 0; i++) {
        if (!(want & tables[i].bit) || (have & tables[i].bit)) continue;
        if (use_netlink && (tables[i].fam == PS_NET_AF_UNIX ? netlink_unix(&nls, &rows, &rc)
                            : netlink_inet(&nls, 0, tables[i].fam, tables[i].type, &rows, &rows, &rc)) == 0)
            continue;
        b.len = 0;
        rc = read_table(dirfd, tables[i].rel, &b);
        if (rc == PS_ENOENT && tables[i].fam == PS_NET_AF_INET6) { rc = 0; continue; } /* no IPv6 */
        if (rc) break;
        if (tables[i].fam == PS_NET_AF_UNIX) rc = parse_unix(b.data, b.len, tables[i].rel, &rows);
        else rc = parse_inet(b.data, b.len, tables[i].rel, tables[i].fam, tables[i].type, &rows);
    }
    if (nls >= 0) close(nls);
    ps__buf_dispose(&b);
    inode_map m;
    memset(&m, 0, sizeof m);
    if (!rc && rows.n) {
        if (map_init(&m, &rows)) rc = ps__error(PS_ENOMEM, 0, "net_connections: out of memory");
        else if (proc) rc = map_add_pairs(&m, pid, mine, nmine);
        else rc = scan_all(&m);
    }
    free(mine);
    if (rc) {
        map_dispose(&m);
        ps__bk_conn_free(rows.v, rows.n);
        return rc;
    }
    /* Join: inet rows take the first fd; unix rows repeat for every fd of the owner. */
    ps__conn_vec res = { NULL, 0, 0 };
    for (size_t i = 0; i < rows.n && rc == 0; i++) {
        ps__bk_conn *r = &rows.v[i];
        inode_slot *s = r->inode ? map_find(&m, r->inode, 0) : NULL;
        size_t link = s && s->pid != -1 ? s->first : 0;
        if (proc && !link) continue;
        do {
            ps__bk_conn *c = ps__conn_push(&res);
            if (!c) { rc = ps__error(PS_ENOMEM, 0, "net_connections: out of memory"); break; }
            *c = *r;
            c->pid = link ? s->pid : -1;
            c->fd = link ? m.fds[link - 1].fd : -1;
            if (r->path.data) {
                c->path.data = malloc(r->path.len + 1);
                if (!c->path.data) { c->path.len = 0; rc = ps__error(PS_ENOMEM, 0, "net_connections: out of memory"); break; }
                memcpy(c->path.data, r->path.data, r->path.len);
            }
            link = (link && r->family == PS_NET_AF_UNIX) ? m.fds[link - 1].next : 0;
        } while (link);
    }
    map_dispose(&m);
    ps__bk_conn_free(rows.v, rows.n);
    if (rc) {
        ps__bk_conn_free(res.v, res.n);
        return rc;
    }
    *items = res.v;
    *count = res.n;
    return 0;
}
