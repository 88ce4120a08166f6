/* SPDX-License-Identifier: MIT */
/* Shared helpers of the system suites: run an oracle command, count fds, fixture paths. */
#ifndef TEST_SYSTEM_UTIL_H
#define TEST_SYSTEM_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Run a shell command and return its whole stdout (malloc'd, NUL-terminated) or NULL. */
static inline char *sys_run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += r;
        if (cap - n < 2) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int st = pclose(p);
    if (!buf) return NULL;
    buf[n] = '\0';
    if (st != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The value of "key=..." (up to end of line) in text, as a new string, or NULL. */
static inline char *sys_kv(const char *text, const char *key)
{
    size_t kl = strlen(key);
    const char *p = text;
    while (p && *p) {
        if (!strncmp(p, key, kl) && p[kl] == '=') {
            const char *v = p + kl + 1, *e = strchr(v, '\n');
            size_t n = e ? (size_t)(e - v) : strlen(v);
            char *s = malloc(n + 1);
            memcpy(s, v, n);
            s[n] = '\0';
            return s;
        }
        p = strchr(p, '\n');
        if (p) p++;
    }
    return NULL;
}

static inline double sys_kv_d(const char *text, const char *key)
{
    char *s = sys_kv(text, key);
    double v = s ? strtod(s, NULL) : -12345.0;
    free(s);
    return v;
}

static inline int sys_count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    if (!d) return -1;
    while (readdir(d)) n++;
    closedir(d);
    return n;
}

/* <source>/tests/fixtures/sys/<rel> into buf. */
static inline const char *sys_fixture(char *buf, size_t cap, const char *rel)
{
    const char *src = getenv("PSINFO_SOURCE_ROOT");
    snprintf(buf, cap, "%s/tests/fixtures/sys/%s", src ? src : ".", rel);
    return buf;
}

#define PY "/usr/bin/python3"

#endif
