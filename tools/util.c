/* SPDX-License-Identifier: MIT */
/* psinfo CLI — text helpers: sizes, durations, terminal-safe strings, terminal properties. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#ifdef _WIN32
#include <io.h>
#include <windows.h>
#define cli_isatty(fd) _isatty(fd)
#else
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>
#define cli_isatty(fd) isatty(fd)
#endif

#include "cli.h"
#include "utf8.h"

void *cli_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "%s: out of memory\n", cli_prog);
        exit(CLI_EXIT_ERROR);
    }
    return p;
}

void *cli_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "%s: out of memory\n", cli_prog);
        exit(CLI_EXIT_ERROR);
    }
    return q;
}

char *cli_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = cli_xmalloc(n);
    memcpy(p, s, n);
    return p;
}

char *cli_xasprintf(const char *fmt, ...)
{
    if (!fmt) fmt = "";
    va_list ap;
    char tmp[256];
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = cli_xmalloc((size_t)n + 1);
    if ((size_t)n < sizeof tmp) {
        memcpy(p, tmp, (size_t)n + 1);
        return p;
    }
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* ---- UTF-8 decoding that accepts surrogate code points (generalized UTF-8 / WTF-8) ---- */

size_t cli_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; v = c & 0x07; min = 0x10000; }
    else { *cp = c; return 0; }
    if (n < len) { *cp = c; return 0; }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) { *cp = c; return 0; }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF) { *cp = c; return 0; }
    *cp = v;
    return len;
}

/* ---- sizes and times ------------------------------------------------------------------ */

/* psutil._common.bytes2human: "%.1f" and the largest power-of-1024 symbol not above n. */
void cli_bytes2human(uint64_t n, char *buf, size_t size)
{
    static const char symbols[] = "KMGTPEZY";
    for (int i = 7; i >= 0; i--) {
        int shift = (i + 1) * 10;
        if (shift >= 64) continue;
        uint64_t prefix = (uint64_t)1 << shift;
        if (n >= prefix) {
            snprintf(buf, size, "%.1f%c", (double)n / (double)prefix, symbols[i]);
            return;
        }
    }
    snprintf(buf, size, "%.1fB", (double)n);
}

void cli_fmt_duration(double seconds, char *buf, size_t size)
{
    if (!isfinite(seconds) || seconds < 0) seconds = 0;
    uint64_t s = (uint64_t)seconds;
    uint64_t d = s / 86400, h = (s / 3600) % 24, m = (s / 60) % 60, sec = s % 60;
    if (d)
        snprintf(buf, size, "%" PRIu64 "d %02" PRIu64 ":%02" PRIu64 ":%02" PRIu64, d, h, m, sec);
    else
        snprintf(buf, size, "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64, h, m, sec);
}

void cli_fmt_cputime(double seconds, char *buf, size_t size)
{
    if (!isfinite(seconds) || seconds < 0) seconds = 0;
    uint64_t cs = (uint64_t)(seconds * 100.0 + 0.5);
    uint64_t m = cs / 6000, s = (cs / 100) % 60, c = cs % 100;
    snprintf(buf, size, "%" PRIu64 ":%02" PRIu64 ".%02" PRIu64, m, s, c);
}

void cli_fmt_time(double epoch, char *buf, size_t size)
{
    time_t t = (time_t)epoch;
    struct tm tm;
#ifdef _WIN32
    if (localtime_s(&tm, &t) != 0) { snprintf(buf, size, "?"); return; }
#else
    if (!localtime_r(&t, &tm)) { snprintf(buf, size, "?"); return; }
#endif
    strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}

/* ---- terminal-safe strings ------------------------------------------------------------ */

char *cli_sanitize(const char *s)
{
    if (!s) return cli_xstrdup("");
    size_t n = strlen(s), cap = n * 4 + 16, o = 0;
    char *out = cli_xmalloc(cap);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = cli_utf8_next(u + i, n - i, &cp);
        if (o + 16 > cap) { cap *= 2; out = cli_xrealloc(out, cap); }
        if (len == 0) {
            o += (size_t)sprintf(out + o, "\\x%02x", u[i]);
            i++;
            continue;
        }
        if (cp >= 0xDC80 && cp <= 0xDCFF) {
            o += (size_t)sprintf(out + o, "\\x%02x", (unsigned)(cp & 0xFF));
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            o += (size_t)sprintf(out + o, "\\u%04x", (unsigned)cp);
        } else if (cp == '\n') {
            out[o++] = '\\'; out[o++] = 'n';
        } else if (cp == '\t') {
            out[o++] = '\\'; out[o++] = 't';
        } else if (cp < 0x20 || cp == 0x7F) {
            o += (size_t)sprintf(out + o, "\\x%02x", (unsigned)cp);
        } else if (cp >= 0x80 && cp < 0xA0) {
            o += (size_t)sprintf(out + o, "\\u%04x", (unsigned)cp);
        } else {
            memcpy(out + o, u + i, len);
            o += len;
        }
        i += len;
    }
    out[o] = '\0';
    return out;
}

size_t cli_display_width(const char *s)
{
    size_t n = strlen(s), w = 0;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = cli_utf8_next(u + i, n - i, &cp);
        if (len == 0) { w++; i++; continue; }
        int cw = (cp >= 0xD800 && cp <= 0xDFFF) ? 1 : utf8proc_charwidth((utf8proc_int32_t)cp);
        w += cw < 0 ? 1 : (size_t)cw;
        i += len;
    }
    return w;
}

/* Byte length of the longest prefix of s that fits `width` columns. */
size_t cli_prefix_for_width(const char *s, size_t width)
{
    size_t n = strlen(s), w = 0, i = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (i < n) {
        uint32_t cp;
        size_t len = cli_utf8_next(u + i, n - i, &cp);
        size_t cw = 1;
        if (len == 0) len = 1;
        else if (!(cp >= 0xD800 && cp <= 0xDFFF)) {
            int c = utf8proc_charwidth((utf8proc_int32_t)cp);
            cw = c < 0 ? 1 : (size_t)c;
        }
        if (w + cw > width) break;
        w += cw;
        i += len;
    }
    return i;
}

void cli_sleep(double s)
{
    if (!(s > 0)) return;
#ifdef _WIN32
    Sleep((DWORD)(s * 1000.0));
#else
    struct timespec ts;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
#endif
}

double cli_monotonic(void)
{
#ifdef _WIN32
    return (double)GetTickCount64() / 1000.0;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
#endif
}

/* ---- terminal -------------------------------------------------------------------------- */

bool cli_stdout_is_tty(void)
{
    return cli_isatty(1) != 0;
}

int cli_term_width(void)
{
    if (cli_stdout_is_tty()) {
#ifdef _WIN32
        CONSOLE_SCREEN_BUFFER_INFO info;
        if (GetConsoleScreenBufferInfo(GetStdHandle(STD_OUTPUT_HANDLE), &info))
            return info.srWindow.Right - info.srWindow.Left + 1;
#else
        struct winsize ws;
        if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
#endif
    }
    const char *c = getenv("COLUMNS");
    uint64_t v;
    if (c && cli_parse_uint(c, &v) && v > 0 && v < 100000) return (int)v;
    return 0;
}

bool cli_use_color(void)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc) return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0) return false;
    return cli_stdout_is_tty();
}

long cli_getpid(void)
{
#ifdef _WIN32
    return (long)GetCurrentProcessId();
#else
    return (long)getpid();
#endif
}

int cli_fsync(FILE *f)
{
#ifdef _WIN32
    return _commit(_fileno(f)) != 0;
#else
    return fsync(fileno(f)) != 0;
#endif
}

int cli_rename_over(const char *from, const char *to)
{
#ifdef _WIN32
    return MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) ? 0 : -1;
#else
    return rename(from, to);   /* atomic: a reader sees the old file or the new one */
#endif
}

void cli_raise_nofile(void)
{
#ifndef _WIN32
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
#endif
}

char *cli_arg_decode(const char *arg)
{
#ifdef _WIN32
    return cli_xstrdup(arg);   /* the C runtime's argv: no byte-level policy to apply */
#else
    char *dec = NULL;
    if (ps_fsdecode(arg, strlen(arg), &dec, NULL) != 0) return cli_xstrdup(arg);
    char *copy = cli_xstrdup(dec);
    ps_free(dec);
    return copy;
#endif
}
