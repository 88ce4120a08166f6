/* SPDX-License-Identifier: MIT */
/* Benchmark: net_connections with 1000 open sockets (500 connected TCP pairs on loopback,
 * opened here), microseconds per call (median of batches), ours next to psutil's in the same
 * run while the same sockets are open, next to the kernel floor and the best ratio any
 * implementation could reach (psutil / floor). Usage: bench_net [pairs=500] [python=/usr/bin/python3] */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "psinfo.h"

#define BATCHES 11

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static size_t last_count;

/* CPU time (user + system) of this process in microseconds. */
static double cpu_us(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e6 +
           (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

/* Median wall-clock µs per call; *cpu receives the median CPU µs per call. */
static double median_us(ps_conn_kind kind, int per_batch, double *cpu)
{
    double v[BATCHES], c[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        double c0 = cpu_us();
        double t0 = now_us();
        for (int i = 0; i < per_batch; i++) {
            ps_connection_list *l = NULL;
            if (ps_net_connections(kind, &l) != 0) {
                ps_error_detail d;
                ps_error_last(&d);
                fprintf(stderr, "ps_net_connections failed: %s\n", d.message);
                exit(1);
            }
            last_count = l->count;
            ps_connection_list_free(l);
        }
        v[b] = (now_us() - t0) / per_batch;
        c[b] = (cpu_us() - c0) / per_batch;
    }
    qsort(v, BATCHES, sizeof v[0], cmp_d);
    qsort(c, BATCHES, sizeof c[0], cmp_d);
    *cpu = c[BATCHES / 2];
    return v[BATCHES / 2];
}

/* The kernel floor of the same answer: the system calls the library cannot avoid, with no
 * parsing, no join and no strings — the sock_diag dumps (TCP v4+v6 in one legacy
 * TCPDIAG_GETSOCK dump, UDP v4 and v6, and for 'all' the UNIX table), on one netlink socket,
 * then getdents64 of /proc and of every /proc/<pid>/fd, and readlinkat of every fd (all of
 * them: the library may stop early once every socket has its owner, which depends on who
 * holds the sockets, so the floor does not). */
static int nl_sock = -1;
static void nl_dump(int compat, int fam, int proto)
{
    if (nl_sock < 0) nl_sock = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    union { struct nlmsghdr h; char b[256]; } req;
    memset(&req, 0, sizeof req);
    if (compat) {
        struct inet_diag_req *r = NLMSG_DATA(&req.h);
        req.h.nlmsg_len = NLMSG_LENGTH(sizeof *r);
        req.h.nlmsg_type = TCPDIAG_GETSOCK;
        r->idiag_family = AF_INET;
        r->idiag_states = 0x1fff;
    } else if (fam == AF_UNIX) {
        struct unix_diag_req *r = NLMSG_DATA(&req.h);
        req.h.nlmsg_len = NLMSG_LENGTH(sizeof *r);
        req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
        r->sdiag_family = AF_UNIX;
        r->udiag_states = ~0u;
        r->udiag_show = UDIAG_SHOW_NAME;
    } else {
        struct inet_diag_req_v2 *r = NLMSG_DATA(&req.h);
        req.h.nlmsg_len = NLMSG_LENGTH(sizeof *r);
        req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
        r->sdiag_family = (unsigned char)fam;
        r->sdiag_protocol = (unsigned char)proto;
        r->idiag_states = 0x1fff;
    }
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    send(nl_sock, &req, req.h.nlmsg_len, 0);
    static union { struct nlmsghdr h; char b[32768]; } buf; /* benchmark only */
    for (int done = 0; !done;) {
        ssize_t r = recv(nl_sock, buf.b, sizeof buf.b, 0);
        if (r <= 0) break;
        for (struct nlmsghdr *h = &buf.h; NLMSG_OK(h, (size_t)r); h = NLMSG_NEXT(h, r))
            if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) done = 1;
    }
}

struct dent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static void floor_once(int with_unix)
{
    static char pbuf[32768], fbuf[32768]; /* benchmark only */
    nl_dump(1, 0, 0);
    nl_dump(0, AF_INET, IPPROTO_UDP);
    nl_dump(0, AF_INET6, IPPROTO_UDP);
    if (with_unix) nl_dump(0, AF_UNIX, 0);
    int pd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    long n;
    while ((n = syscall(SYS_getdents64, pd, pbuf, sizeof pbuf)) > 0) {
        for (long off = 0; off < n;) {
            struct dent64 *de = (struct dent64 *)(void *)(pbuf + off);
            off += de->d_reclen;
            if (de->d_name[0] < '1' || de->d_name[0] > '9') continue;
            char p[300];
            snprintf(p, sizeof p, "%s/fd", de->d_name);
            int f = openat(pd, p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (f < 0) continue;
            long m;
            while ((m = syscall(SYS_getdents64, f, fbuf, sizeof fbuf)) > 0) {
                for (long o = 0; o < m;) {
                    struct dent64 *e = (struct dent64 *)(void *)(fbuf + o);
                    o += e->d_reclen;
                    char l[64];
                    if (e->d_name[0] != '.') (void)!readlinkat(f, e->d_name, l, sizeof l);
                }
            }
            close(f);
        }
    }
    close(pd);
}

static double floor_us(int with_unix, int per_batch)
{
    double v[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        double t0 = now_us();
        for (int i = 0; i < per_batch; i++) floor_once(with_unix);
        v[b] = (now_us() - t0) / per_batch;
    }
    qsort(v, BATCHES, sizeof v[0], cmp_d);
    return v[BATCHES / 2];
}

static double psutil_us(const char *python, const char *kind, int per_batch, long *count,
                        double *cpu)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "%s -c \"import time, psutil\n"
             "v = []\n"
             "c = []\n"
             "for b in range(%d):\n"
             "    t0 = time.perf_counter()\n"
             "    c0 = time.process_time()\n"
             "    for i in range(%d): n = len(psutil.net_connections('%s'))\n"
             "    v.append((time.perf_counter() - t0) / %d * 1e6)\n"
             "    c.append((time.process_time() - c0) / %d * 1e6)\n"
             "v.sort()\n"
             "c.sort()\n"
             "print(v[len(v) // 2], c[len(c) // 2], n)\"",
             python, BATCHES, per_batch, kind, per_batch, per_batch);
    FILE *f = popen(cmd, "r");
    double us = -1;
    if (!f || fscanf(f, "%lf %lf %ld", &us, cpu, count) != 3) us = -1;
    if (f) pclose(f);
    return us;
}

int main(int argc, char **argv)
{
    int pairs = argc > 1 ? atoi(argv[1]) : 500;
    const char *python = argc > 2 ? argv[2] : "/usr/bin/python3";
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < (rlim_t)pairs * 2 + 64) {
        rl.rlim_cur = (rlim_t)pairs * 2 + 64;
        if (rl.rlim_max < rl.rlim_cur) rl.rlim_max = rl.rlim_cur;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) perror("setrlimit");
    }
    int lst = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = { .sin_family = AF_INET };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(lst, (struct sockaddr *)&a, sizeof a) || listen(lst, 1024) ||
        getsockname(lst, (struct sockaddr *)&a, &len)) {
        perror("listen");
        return 1;
    }
    int *fds = malloc(sizeof(int) * 2 * (size_t)pairs);
    for (int i = 0; i < pairs; i++) {
        fds[2 * i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fds[2 * i] < 0 || connect(fds[2 * i], (struct sockaddr *)&a, sizeof a)) {
            perror("connect");
            return 1;
        }
        fds[2 * i + 1] = accept4(lst, NULL, NULL, SOCK_CLOEXEC);
        if (fds[2 * i + 1] < 0) {
            perror("accept");
            return 1;
        }
    }
    printf("bench_net: %d connected TCP pairs on loopback (%d sockets + 1 listener) open; "
           "µs per call, medians of %d batches\n", pairs, 2 * pairs, BATCHES);
    printf("floor: the system calls no implementation can skip (sock_diag dumps, getdents64 of\n"
           "/proc and every fd directory, readlinkat of every fd); max ratio = psutil / floor\n");
    const struct { ps_conn_kind k; const char *name; int with_unix; } kinds[] = {
        { PS_CONN_KIND_INET, "inet", 0 }, { PS_CONN_KIND_ALL, "all", 1 },
    };
    printf("%-24s %10s %10s %7s %10s %9s   %s\n", "call", "psinfo us", "psutil us", "ratio", "floor us",
           "max ratio", "rows ours/psutil, CPU us ours/psutil");
    for (size_t i = 0; i < 2; i++) {
        double c1, c2, tc = -1;
        double ours1 = median_us(kinds[i].k, 20, &c1);
        double fl1 = floor_us(kinds[i].with_unix, 20);
        long n = 0;
        double theirs = psutil_us(python, kinds[i].name, 5, &n, &tc);
        double ours2 = median_us(kinds[i].k, 20, &c2);
        double fl2 = floor_us(kinds[i].with_unix, 20);
        double ours = ours1 < ours2 ? ours1 : ours2, oc = c1 < c2 ? c1 : c2;
        double fl = fl1 < fl2 ? fl1 : fl2;
        char name[64];
        snprintf(name, sizeof name, "net_connections('%s')", kinds[i].name);
        printf("%-24s %10.0f %10.0f %6.1fx %10.0f %8.1fx   %zu/%ld, %.0f/%.0f\n", name, ours, theirs,
               theirs / ours, fl, theirs / fl, last_count, n, oc, tc);
        if (theirs / fl < 10)
            printf("  -> 10x is out of reach here: even an implementation costing only the floor "
                   "would be %.1fx faster than psutil\n", theirs / fl);
    }
    for (int i = 0; i < 2 * pairs; i++) close(fds[i]);
    close(lst);
    free(fds);
    return 0;
}
