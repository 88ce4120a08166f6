/* SPDX-License-Identifier: MIT */
/* macOS sockets, as psutil lists them: per process PROC_PIDLISTFDS, then for each socket
 * descriptor proc_pidfdinfo(PROC_PIDFDSOCKETINFO), decoded by darwin_parse.c. The system-wide
 * list is the union over every PID (macOS has no system socket table a process may read). */
#include <errno.h>
#include <libproc.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/proc_info.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "darwin.h"
#include "../list.h"

_Static_assert(sizeof(struct socket_fdinfo) == PS__DARWIN_SOCKET_FDINFO_SIZE &&
               offsetof(struct socket_fdinfo, psi) == 24 &&
               offsetof(struct socket_info, soi_type) == 176 - 24 &&
               offsetof(struct socket_info, soi_family) == 184 - 24 &&
               offsetof(struct socket_info, soi_kind) == 256 - 24 &&
               offsetof(struct socket_info, soi_proto) == 264 - 24 &&
               offsetof(struct in_sockinfo, insi_fport) == 0 &&
               offsetof(struct in_sockinfo, insi_lport) == 4 &&
               offsetof(struct in_sockinfo, insi_faddr) == 32 &&
               offsetof(struct in_sockinfo, insi_laddr) == 48 &&
               offsetof(struct in4in6_addr, i46a_addr4) == 12 &&
               offsetof(struct tcp_sockinfo, tcpsi_ini) == 0 &&
               offsetof(struct tcp_sockinfo, tcpsi_state) == 80 &&
               offsetof(struct un_sockinfo, unsi_addr) == 16 &&
               offsetof(struct sockaddr_un, sun_path) == 2 &&
               sizeof(((struct un_sockinfo *)0)->unsi_addr) == 255,
               "socket_fdinfo layout");
_Static_assert(AF_UNIX == PS__DARWIN_AF_UNIX && AF_INET == PS__DARWIN_AF_INET &&
               AF_INET6 == PS__DARWIN_AF_INET6 && AF_LINK == PS__DARWIN_AF_LINK &&
               SOCK_STREAM == PS__DARWIN_SOCK_STREAM && SOCK_DGRAM == PS__DARWIN_SOCK_DGRAM &&
               SOCK_RAW == PS__DARWIN_SOCK_RAW && SOCK_RDM == PS__DARWIN_SOCK_RDM &&
               SOCK_SEQPACKET == PS__DARWIN_SOCK_SEQPACKET, "socket constants");

typedef struct conns {
    ps__bk_conn *v;
    size_t n, cap;
} conns;

static int push(conns *c, const ps__darwin_socket *s, int64_t fd, int64_t pid)
{
    ps__bk_conn *v = ps__grow(c->v, &c->cap, c->n, sizeof *v, 16);
    if (!v) return ps__error(PS_ENOMEM, 0, "out of memory");
    c->v = v;
    int rc = ps__darwin_socket_conn(s, fd, pid, &c->v[c->n]);
    if (rc == 0) c->n++;
    return rc;
}

/* The sockets of one process that kind wants (psutil's proc_net_connections). */
static int proc_sockets(const ps_proc *p, ps_conn_kind kind, conns *c)
{
    if (p->pid == 0) return 0;   /* kernel_task: psutil gives [] */
    struct proc_fdinfo *fds;
    size_t n;
    int rc = ps__darwin_list_fds(p, &fds, &n);
    if (rc) return rc;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (fds[i].proc_fdtype != PROX_FDTYPE_SOCKET) continue;
        struct socket_fdinfo si;
        errno = 0;
        int r = proc_pidfdinfo((int)p->pid, fds[i].proc_fd, PROC_PIDFDSOCKETINFO, &si, (int)sizeof si);
        int err = errno;
        if (r <= 0 || r < (int)sizeof si) {
            /* closed since the listing, or a socket the kernel does not describe (psutil) */
            if (err == EBADF || err == EOPNOTSUPP) continue;
            rc = ps__darwin_fail(p->pid, r <= 0 ? err : 0, "proc_pidfdinfo(PROC_PIDFDSOCKETINFO)");
            break;
        }
        ps__darwin_socket s;
        rc = ps__darwin_decode_socket(&si, (size_t)r, &s);
        if (rc == 0 && ps__darwin_conn_wanted(kind, s.family, s.type))
            rc = push(c, &s, fds[i].proc_fd, p->pid);
    }
    free(fds);
    if (rc == 0) rc = ps__bsd_pinned(p);
    return rc;
}

/* psutil's macOS code: laddr always (ip, port), raddr () when its port is 0 */
const ps__conn_end_rule ps__bk_conn_end_rule = PS__END_RULE_REMOTE_PORT;

int ps__bk_net_connections(ps_proc *proc, ps_conn_kind kind, ps__bk_conn **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    conns c = {NULL, 0, 0};
    int rc = 0;
    if (proc) {
        rc = proc_sockets(proc, kind, &c);
    } else {
        /* psutil: every PID's list; vanished processes and zombies skipped, any other error
         * (EACCES for another user's process without root) fails the call */
        int64_t *pids = NULL;
        size_t np = 0;
        rc = ps__bk_pids(&pids, &np);
        for (size_t i = 0; rc == 0 && i < np; i++) {
            if (pids[i] == 0) continue;
            ps_proc *p = NULL;
            rc = ps__bk_proc_open(pids[i], &p);
            if (rc == 0) rc = proc_sockets(p, kind, &c);
            ps__bk_proc_free(p);
            if (rc == PS_ENOPROC || rc == PS_EZOMBIE) rc = 0;
        }
        free(pids);
    }
    if (rc) {
        ps__bk_conn_free(c.v, c.n);
        return rc;
    }
    *items = c.v;
    *count = c.n;
    return 0;
}
