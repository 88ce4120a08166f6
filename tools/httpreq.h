/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — the HTTP/1.x request head parser of psinfo serve's Winsock server (serve_win.c),
 * and the routing both servers share (cmd_serve.c's libmicrohttpd path uses httpreq_route and
 * httpreq_wants_openmetrics). Byte-level only: no OS call, no allocation, so the Linux suite
 * tests it on fixtures (tests/test_httpreq.c) and fuzz/fuzz_httpreq.c fuzzes it.
 */
#ifndef PSINFO_CLI_HTTPREQ_H
#define PSINFO_CLI_HTTPREQ_H

#include <stdbool.h>
#include <stddef.h>

/* The largest request head (request line + headers + the empty line) the server reads; a
 * longer one is answered 431 without reading more. Prometheus sends ~250 bytes. */
#define HTTPREQ_MAX_HEAD 8192

typedef enum httpreq_result {
    HTTPREQ_INCOMPLETE = 0,   /* no empty line yet and nothing wrong so far: read more */
    HTTPREQ_OK = 1,           /* a complete, well-formed head: the fields below are set */
    HTTPREQ_BAD = 2,          /* malformed: answer 400 */
    HTTPREQ_TOO_LARGE = 3     /* no end within HTTPREQ_MAX_HEAD bytes: answer 431 */
} httpreq_result;

typedef struct httpreq {
    const char *method;   /* pointers into the parsed buffer, not NUL-terminated */
    size_t method_len;
    const char *path;     /* the target up to '?' (the query is ignored, as libmicrohttpd's url) */
    size_t path_len;
    int minor;            /* HTTP/1.<minor>: 0 or 1 */
    bool openmetrics;     /* an Accept header names application/openmetrics-text */
    size_t head_len;      /* bytes up to and including the empty line */
} httpreq;

/* Parses the head at the start of buf[0..len) (not NUL-terminated; bytes after the head, a
 * body or a pipelined request, are left alone). Strict where a lax reading could be abused:
 * lines end in CRLF (a bare LF or CR is BAD), the request line is METHOD SP TARGET SP
 * HTTP/1.0|1.1 with a token method and an origin-form target ('/' then visible ASCII), header
 * lines are token ":" value with no control byte but HTAB, no obsolete line folding, HTTP/1.1
 * requires exactly one Host header (as libmicrohttpd), a Content-Length must be digits. A NUL
 * or other control byte anywhere is BAD as soon as it is seen, so garbage is refused without
 * waiting for more. */
httpreq_result httpreq_parse(const char *buf, size_t len, httpreq *r);

/* What a server answers to a method and a path (the query already cut off). */
typedef enum httpreq_route {
    HTTPREQ_ROUTE_METRICS = 0,     /* 200: the metrics */
    HTTPREQ_ROUTE_LANDING = 1,     /* 200: the landing page */
    HTTPREQ_ROUTE_NOT_FOUND = 2,   /* 404 */
    HTTPREQ_ROUTE_METHOD = 3       /* 405: only GET and HEAD */
} httpreq_route;

httpreq_route httpreq_route_of(const char *method, size_t method_len, const char *path, size_t path_len);

/* An Accept header value (len bytes) asks for OpenMetrics: it names
 * application/openmetrics-text (case-insensitively, as media types compare). */
bool httpreq_wants_openmetrics(const char *accept, size_t len);

/* The reason phrase of a status the servers send ("OK", "Not Found", ...; "Error" otherwise). */
const char *httpreq_reason(unsigned status);

#endif
