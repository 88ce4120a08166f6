/* SPDX-License-Identifier: MIT */
/* Shared helpers of the network suites (tests/test_net*.c): run commands, psutil's oracle
 * script, and our results in the oracle's line format. */
#ifndef TEST_NET_UTIL_H
#define TEST_NET_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <psinfo.h>

/* Run a shell command, return its whole stdout (malloc'd, NUL-terminated) or NULL. */
static inline char *tn_run(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += r;
        if (cap - len < 2) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) { free(buf); buf = NULL; break; }
            buf = nb;
            cap *= 2;
        }
    }
    int st = pclose(f);
    if (!buf) return NULL;
    buf[len] = '\0';
    if (st != 0) { free(buf); return NULL; }
    return buf;
}

/* The oracle's command line for a request ("addrs", "conns all", ...). */
static inline char *tn_oracle(const char *req)
{
    const char *src = getenv("PSINFO_SOURCE_ROOT");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/tests/oracles/net.py %s",
             src ? src : ".", req);
    return tn_run(cmd);
}

/* The oracle's string form: '-' for NULL, else 'x' + hex of the bytes. */
static inline void tn_hex(char *out, size_t cap, const char *s)
{
    if (!s) { snprintf(out, cap, "-"); return; }
    size_t n = 0;
    out[n++] = 'x';
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 3 < cap; p++)
        n += (size_t)snprintf(out + n, cap - n, "%02x", *p);
    out[n] = '\0';
}

/* Number of open fds of this process. */
static inline int tn_fd_count(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    if (!d) return -1;
    while (readdir(d)) n++;
    closedir(d);
    return n - 3;   /* ., .., and the DIR's own fd */
}

/* A line array view over a text (modifies the text). */
typedef struct tn_lines {
    char **v;
    size_t n;
} tn_lines;

static inline tn_lines tn_split(char *text)
{
    tn_lines l = { NULL, 0 };
    size_t cap = 0;
    for (char *p = text; p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        if (l.n == cap) {
            cap = cap ? cap * 2 : 64;
            l.v = realloc(l.v, cap * sizeof *l.v);
        }
        l.v[l.n++] = p;
        p = nl ? nl + 1 : NULL;
    }
    return l;
}

static inline int tn_has(const tn_lines *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0) return 1;
    return 0;
}

/* One connection in the oracle's format. psutil gives "" for a UNIX path holding ASCII
 * whitespace (it splits the line); psutil_form = 1 applies that rule. */
static inline void tn_conn_line(char *out, size_t cap, const ps_connection *c, int psutil_form)
{
    char l[1200], r[220]; /* r: a 200-byte ip, ":", a port */
    if (c->family == PS_NET_AF_UNIX) {
        const char *path = c->path;
        if (psutil_form && strpbrk(path, " \t\n\r\v\f")) path = "";
        tn_hex(l, sizeof l, path);
        snprintf(r, sizeof r, "-");
    } else {
        char ip[200];
        if (c->laddr.ip) { tn_hex(ip, sizeof ip, c->laddr.ip); snprintf(l, sizeof l, "%s:%d", ip, c->laddr.port); }
        else snprintf(l, sizeof l, "-");
        if (c->raddr.ip) { tn_hex(ip, sizeof ip, c->raddr.ip); snprintf(r, sizeof r, "%s:%d", ip, c->raddr.port); }
        else snprintf(r, sizeof r, "-");
    }
    /* psutil's spellings of "no visible owner" (fd -1, pid None printed as -1 by the oracle) */
    int64_t fd = c->fd, pid = c->pid;
    if (psutil_form && fd == PS_UNKNOWN_I64) fd = -1;
    if (psutil_form && pid == PS_UNKNOWN_I64) pid = -1;
    snprintf(out, cap, "%lld %d %d %s %s %s %lld", (long long)fd, (int)c->family, (int)c->type,
             l, r, ps_conn_status_name(c->status), (long long)pid);
}

#endif
