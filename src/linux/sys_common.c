/* SPDX-License-Identifier: MIT */
/* Helpers shared by the Linux system-wide readers. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys_common.h"

char *ps__sys_concat(const char *a, const char *sep, const char *b)
{
    size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
    char *p = malloc(la + ls + lb + 1);
    if (!p) return NULL;
    memcpy(p, a, la);
    memcpy(p + la, sep, ls);
    memcpy(p + la + ls, b, lb + 1);
    return p;
}

char *ps__sys_path(ps_root_kind kind, const char *rel)
{
    return ps__sys_concat(ps__root(kind), "", rel);
}

/* The file's text without surrounding whitespace, in b (disposed by the caller). */
static bool read_trimmed(const char *path, ps__buf *b, const char **s, size_t *n)
{
    ps__buf_init(b);
    if (ps__sys_read_abs(path, b) != 0) return false;
    *s = b->data;
    *n = b->len;
    ps__sys_trim(s, n);
    return true;
}

bool ps__sys_read_text_file(const char *path, char *buf, size_t cap, size_t *len)
{
    ps__buf b;
    const char *s;
    size_t n;
    bool ok = read_trimmed(path, &b, &s, &n);
    if (ok) {
        if (len) *len = n;   /* before the cut: a caller can tell text that did not fit */
        if (n >= cap) n = cap - 1;
        memcpy(buf, s, n);
        buf[n] = '\0';
    }
    ps__buf_dispose(&b);
    return ok;
}

/* The numbers of sysfs and cgroup files are short: text that does not fit the buffer is refused. */
bool ps__sys_read_u64_file(const char *path, uint64_t *out)
{
    char buf[64];
    size_t n;
    return ps__sys_read_text_file(path, buf, sizeof buf, &n) && n < sizeof buf &&
           ps__sys_parse_u64(buf, n, out);
}

bool ps__sys_read_i64_file(const char *path, int64_t *out)
{
    char buf[64];
    size_t n;
    return ps__sys_read_text_file(path, buf, sizeof buf, &n) && n < sizeof buf &&
           ps__sys_parse_i64(buf, n, out);
}

bool ps__sys_read_nstr_file(const char *path, ps__nstr *out)
{
    ps__buf b;
    const char *s;
    size_t n;
    bool ok = read_trimmed(path, &b, &s, &n) && ps__sys_nstr_set(out, s, n) == 0;
    ps__buf_dispose(&b);
    return ok;
}

int ps__sys_read_abs(const char *path, ps__buf *b)
{
    return ps__read_file_at(AT_FDCWD, path, b);
}

int ps__sys_read(ps_root_kind kind, const char *rel, ps__buf *b)
{
    char *path = ps__sys_path(kind, rel);
    if (!path) return ps__error(PS_ENOMEM, 0, "out of memory");
    ps__buf_reserve(b, 16384); /* most /proc files fit: one read, no regrowth */
    int rc = ps__read_file_at(AT_FDCWD, path, b);
    free(path);
    return rc;
}

int ps__sys_read_into(ps_root_kind kind, const char *rel, char *stack, size_t cap, ps__buf *heap,
                      const char **data, size_t *len)
{
    const char *root = ps__root(kind);
    size_t rl = strlen(root), ll = strlen(rel);
    char pbuf[512];
    char *path = rl + ll < sizeof pbuf ? pbuf : malloc(rl + ll + 1);
    if (!path) return ps__error(PS_ENOMEM, 0, "out of memory");
    memcpy(path, root, rl);
    memcpy(path + rl, rel, ll + 1);
    int fd;
    do fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        int rc = ps__errno_error(errno, path);
        if (path != pbuf) free(path);
        return rc;
    }
    size_t n = 0;
    int rc = 0;
    for (;;) {
        if (n == cap - 1) {
            /* does not fit: the rest goes to the heap after what was read */
            ps__buf_append(heap, stack, n);
            if (heap->failed || !heap->data) {
                rc = ps__error(PS_ENOMEM, 0, "reading %s: out of memory", path);
                break;
            }
            for (;;) {
                if (!ps__buf_reserve(heap, 4096)) {
                    rc = ps__error(PS_ENOMEM, 0, "reading %s: out of memory", path);
                    break;
                }
                ssize_t r = read(fd, heap->data + heap->len, heap->cap - heap->len - 1);
                if (r < 0 && errno == EINTR) continue;
                if (r < 0) {
                    rc = ps__errno_error(errno, path);
                    break;
                }
                if (r == 0) break;
                heap->len += (size_t)r;
            }
            if (!rc) heap->data[heap->len] = '\0';
            break;
        }
        ssize_t r = read(fd, stack + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            rc = ps__errno_error(errno, path);
            break;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (path != pbuf) free(path);
    if (rc) return rc;
    if (heap->len) {
        *data = heap->data;
        *len = heap->len;
    } else {
        stack[n] = '\0';
        *data = stack;
        *len = n;
    }
    return 0;
}

void ps__sys_lines_init(ps__sys_lines *it, const char *data, size_t len)
{
    it->p = data;
    it->end = data + len;
}

bool ps__sys_lines_next(ps__sys_lines *it, const char **line, size_t *len)
{
    if (!it->p || it->p >= it->end) return false;
    const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
    const char *e = nl ? nl : it->end;
    *line = it->p;
    *len = (size_t)(e - it->p);
    it->p = nl ? nl + 1 : it->end;
    return true;
}

int ps__sys_file_open(ps__sys_file *f, ps_root_kind kind, const char *rel)
{
    ps__buf_init(&f->buf);
    int rc = ps__sys_read(kind, rel, &f->buf);
    if (rc) {
        ps__buf_dispose(&f->buf);
        return rc;
    }
    ps__sys_lines_init(&f->it, f->buf.data, f->buf.len);
    return 0;
}

int ps__sys_file_open_into(ps__sys_file *f, ps_root_kind kind, const char *rel, char *stack, size_t cap)
{
    ps__buf_init(&f->buf);
    const char *text;
    size_t len;
    int rc = ps__sys_read_into(kind, rel, stack, cap, &f->buf, &text, &len);
    if (rc) {
        ps__buf_dispose(&f->buf);
        return rc;
    }
    ps__sys_lines_init(&f->it, text, len);
    return 0;
}

bool ps__sys_file_next(ps__sys_file *f, const char **line, size_t *len)
{
    return ps__sys_lines_next(&f->it, line, len);
}

void ps__sys_file_close(ps__sys_file *f)
{
    ps__buf_dispose(&f->buf);
}

int ps__sys_read_keyed_u64(ps_root_kind kind, const char *rel, const char *const *keys, uint64_t *vals,
                           int n)
{
    ps__sys_file file;
    int rc = ps__sys_file_open(&file, kind, rel);
    if (rc) return rc;
    uint32_t seen = 0, all = (uint32_t)((1ull << n) - 1);   /* n <= 32 */
    const char *line;
    size_t len;
    while (seen != all && ps__sys_file_next(&file, &line, &len)) {
        const char *f[2];
        size_t fl[2];
        if (ps__sys_split_ws(line, len, f, fl, 2) < 2) continue;
        for (int i = 0; i < n; i++) {
            if ((seen & (1u << i)) || strlen(keys[i]) != fl[0] || memcmp(f[0], keys[i], fl[0])) continue;
            if (ps__sys_parse_u64(f[1], fl[1], &vals[i])) seen |= 1u << i;
            break;
        }
    }
    ps__sys_file_close(&file);
    int found = 0;
    for (int i = 0; i < n; i++) found += (seen >> i) & 1;
    return found;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_space(char c)
{
    return c == ' ';
}

/* Fields of s[0..n) between runs of separators (sep(c) true), as ps__sys_split_ws says. */
static int split(const char *s, size_t n, bool (*sep)(char), const char **f, size_t *fl, int max)
{
    int count = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && sep(s[i])) i++;
        if (i >= n) break;
        size_t st = i;
        while (i < n && !sep(s[i])) i++;
        if (count < max) {
            f[count] = s + st;
            fl[count] = i - st;
        }
        if (++count > max) break; /* "more than max" is all callers need to know */
    }
    return count;
}

int ps__sys_split_ws(const char *s, size_t n, const char **f, size_t *fl, int max)
{
    return split(s, n, is_ws, f, fl, max);
}

int ps__sys_split_spaces(const char *s, size_t n, const char **f, size_t *fl, int max)
{
    return split(s, n, is_space, f, fl, max);
}

int ps__sys_mountinfo_split(const char *line, size_t len, const char **f, size_t *fl, int *sep)
{
    int nf = ps__sys_split_spaces(line, len, f, fl, PS__MOUNTINFO_FIELDS);
    if (nf < 9 || nf > PS__MOUNTINFO_FIELDS) return 0;
    for (int k = 6; k < nf; k++)   /* the optional fields end at a lone "-" */
        if (fl[k] == 1 && f[k][0] == '-') {
            *sep = k;
            return nf;
        }
    return 0;
}

char *ps__sys_mount_unescape(const char *s, size_t n, size_t *out_len)
{
    char *d = malloc(n + 1);
    if (!d) return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 4 <= n) {
            char c = 0;
            if (!memcmp(s + i + 1, "040", 3)) c = ' ';
            else if (!memcmp(s + i + 1, "011", 3)) c = '\t';
            else if (!memcmp(s + i + 1, "012", 3)) c = '\n';
            else if (!memcmp(s + i + 1, "134", 3)) c = '\\';
            if (c) {
                d[j++] = c;
                i += 3;
                continue;
            }
        }
        d[j++] = s[i];
    }
    d[j] = '\0';
    if (out_len) *out_len = j;
    return d;
}

bool ps__sys_parse_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            *out = UINT64_MAX;
            return false;
        }
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool ps__sys_parse_i64(const char *s, size_t n, int64_t *out)
{
    bool neg = n > 0 && s[0] == '-';
    uint64_t v;
    if (!ps__sys_parse_u64(s + neg, n - neg, &v)) return false;
    if (v > (uint64_t)INT64_MAX + neg) return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

bool ps__sys_parse_double(const char *s, size_t n, double *out)
{
    char buf[64];
    ps__sys_trim(&s, &n);
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (end != buf + n) return false;
    *out = v;
    return true;
}

void ps__sys_trim(const char **s, size_t *n)
{
    while (*n && is_ws((*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_ws((*s)[*n - 1])) (*n)--;
}

int ps__sys_cpulist_count(const char *s, size_t n)
{
    ps__sys_trim(&s, &n);
    int count = 0;
    size_t i = 0;
    if (n == 0) return 0;
    while (i < n) {
        size_t st = i;
        while (i < n && s[i] != ',') i++;
        const char *item = s + st;
        size_t il = i - st;
        const char *dash = memchr(item, '-', il);
        uint64_t a, b;
        if (dash) {
            if (!ps__sys_parse_u64(item, (size_t)(dash - item), &a) ||
                !ps__sys_parse_u64(dash + 1, il - (size_t)(dash - item) - 1, &b) || b < a ||
                b - a > 1u << 20)
                return -1;
            count += (int)(b - a + 1);
        } else {
            if (!ps__sys_parse_u64(item, il, &a)) return -1;
            count++;
        }
        if (i < n) i++;
    }
    return count;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void ps__sys_names_free(char **names, size_t count)
{
    if (!names) return;
    for (size_t i = 0; i < count; i++) free(names[i]);
    free(names);
}

int ps__sys_list_dir(const char *dir, const char *prefix, char ***names, size_t *count)
{
    *names = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) return ps__errno_error(errno, dir);
    size_t n = 0, cap = 0;
    char **v = NULL;
    size_t pl = prefix ? strlen(prefix) : 0;
    struct dirent *e;
    for (;;) {
        errno = 0;
        e = readdir(d); /* a private DIR: readdir is safe here */
        if (!e) break;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (prefix && strncmp(e->d_name, prefix, pl) != 0) continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **nv = realloc(v, nc * sizeof *nv);
            if (!nv) goto oom;
            v = nv;
            cap = nc;
        }
        v[n] = ps__strdup(e->d_name);
        if (!v[n]) goto oom;
        n++;
    }
    closedir(d);
    if (n) qsort(v, n, sizeof *v, cmp_names);
    *names = v;
    *count = n;
    return 0;
oom:
    closedir(d);
    ps__sys_names_free(v, n);
    return ps__error(PS_ENOMEM, 0, "listing %s: out of memory", dir);
}

bool ps__sys_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int ps__sys_nstr_set(ps__nstr *s, const char *data, size_t n)
{
    s->data = malloc(n ? n : 1);
    s->len = 0;
    if (!s->data) return ps__error(PS_ENOMEM, 0, "out of memory");
    if (n) memcpy(s->data, data, n);
    s->len = n;
    return 0;
}
