/* SPDX-License-Identifier: MIT */
/* psinfo CLI — HTTP/1.x request head parsing and routing (see httpreq.h). */
#include "httpreq.h"

#include <string.h>

/* RFC 9110 tchar */
static bool is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

static bool ieq(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    if (alen != blen) return false;
    for (size_t i = 0; i < alen; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i])) return false;
    return true;
}

bool httpreq_wants_openmetrics(const char *accept, size_t len)
{
    static const char want[] = "application/openmetrics-text";
    size_t n = sizeof want - 1;
    for (size_t i = 0; i + n <= len; i++)
        if (ieq(accept + i, n, want)) return true;
    return false;
}

/* The request line buf[0..n) (no CRLF). */
static bool parse_request_line(const char *buf, size_t n, httpreq *r)
{
    size_t i = 0;
    while (i < n && is_tchar((unsigned char)buf[i])) i++;
    if (i == 0 || i >= n || buf[i] != ' ') return false;
    r->method = buf;
    r->method_len = i;
    size_t t = ++i;
    while (i < n && (unsigned char)buf[i] > 0x20 && (unsigned char)buf[i] < 0x7f) i++;
    if (i == t || i >= n || buf[i] != ' ' || buf[t] != '/') return false;
    r->path = buf + t;
    const char *q = memchr(buf + t, '?', i - t);
    r->path_len = q ? (size_t)(q - (buf + t)) : i - t;
    i++;
    static const char v[] = "HTTP/1.";
    if (n - i != sizeof v || memcmp(buf + i, v, sizeof v - 1) != 0) return false;
    char minor = buf[n - 1];
    if (minor != '0' && minor != '1') return false;
    r->minor = minor - '0';
    return true;
}

/* One header line buf[0..n) (no CRLF); counts Host headers, notes OpenMetrics in Accept. */
static bool parse_header(const char *buf, size_t n, httpreq *r, unsigned *hosts)
{
    size_t i = 0;
    while (i < n && is_tchar((unsigned char)buf[i])) i++;
    if (i == 0 || i >= n || buf[i] != ':') return false;   /* also: a space before the colon */
    size_t name_len = i++;
    while (i < n && (buf[i] == ' ' || buf[i] == '\t')) i++;
    const char *val = buf + i;
    size_t vlen = n - i;
    while (vlen && (val[vlen - 1] == ' ' || val[vlen - 1] == '\t')) vlen--;
    if (ieq(buf, name_len, "host")) {
        (*hosts)++;
    } else if (ieq(buf, name_len, "accept")) {
        if (httpreq_wants_openmetrics(val, vlen)) r->openmetrics = true;
    } else if (ieq(buf, name_len, "content-length")) {
        if (vlen == 0) return false;
        for (size_t k = 0; k < vlen; k++)
            if (val[k] < '0' || val[k] > '9') return false;
    }
    return true;
}

httpreq_result httpreq_parse(const char *buf, size_t len, httpreq *r)
{
    memset(r, 0, sizeof *r);
    size_t limit = len < HTTPREQ_MAX_HEAD ? len : HTTPREQ_MAX_HEAD;
    /* Scan the bytes once: refuse control bytes and bare CR/LF as soon as they arrive, find
     * the end of each line and parse it when complete. */
    size_t line = 0;   /* start of the current line */
    unsigned lines = 0, hosts = 0;
    for (size_t i = 0; i < limit; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '\r') {
            if (i + 1 < limit && buf[i + 1] != '\n') return HTTPREQ_BAD;
            continue;
        }
        if (c == '\n') {
            if (i == 0 || buf[i - 1] != '\r') return HTTPREQ_BAD;
            size_t n = i - 1 - line;
            if (lines == 0) {
                if (!parse_request_line(buf, n, r)) return HTTPREQ_BAD;
            } else if (n == 0) {   /* the empty line: the head is complete */
                if (r->minor == 1 && hosts != 1) return HTTPREQ_BAD;
                if (r->minor == 0 && hosts > 1) return HTTPREQ_BAD;
                r->head_len = i + 1;
                return HTTPREQ_OK;
            } else {
                if (buf[line] == ' ' || buf[line] == '\t') return HTTPREQ_BAD;   /* obs-fold */
                if (!parse_header(buf + line, n, r, &hosts)) return HTTPREQ_BAD;
            }
            lines++;
            line = i + 1;
            continue;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7f) return HTTPREQ_BAD;
    }
    /* A request line that is already wrong need not wait for its end. */
    if (lines == 0 && limit > 0) {
        size_t i = 0;
        while (i < limit && is_tchar((unsigned char)buf[i])) i++;
        if (i < limit && buf[i] != ' ') return HTTPREQ_BAD;
    }
    return len >= HTTPREQ_MAX_HEAD ? HTTPREQ_TOO_LARGE : HTTPREQ_INCOMPLETE;
}

httpreq_route httpreq_route_of(const char *method, size_t method_len, const char *path, size_t path_len)
{
    bool get = method_len == 3 && memcmp(method, "GET", 3) == 0;
    bool head = method_len == 4 && memcmp(method, "HEAD", 4) == 0;
    if (!get && !head) return HTTPREQ_ROUTE_METHOD;
    if (path_len == 8 && memcmp(path, "/metrics", 8) == 0) return HTTPREQ_ROUTE_METRICS;
    if (path_len == 1 && path[0] == '/') return HTTPREQ_ROUTE_LANDING;
    return HTTPREQ_ROUTE_NOT_FOUND;
}

const char *httpreq_reason(unsigned status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}
