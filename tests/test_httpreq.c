/* SPDX-License-Identifier: MIT */
/*
 * psinfo serve's request head parser and routing (tools/httpreq.c; the Windows server's parser,
 * the routing of both servers) on fixtures with known answers: what a request line, method,
 * target, version and Accept header give; every prefix of a good head is INCOMPLETE and the
 * head ends exactly at its empty line; malformed heads (bare LF, control bytes, obs-fold, no
 * Host in 1.1, bad Content-Length, HTTP/2.0, absolute targets) are BAD, garbage as soon as it
 * arrives; a head over HTTPREQ_MAX_HEAD is TOO_LARGE; pipelined bytes after a head are left.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../tools/httpreq.h"

static httpreq_result parse(const char *s, httpreq *r)
{
    return httpreq_parse(s, strlen(s), r);
}

static bool span_is(const char *p, size_t n, const char *want)
{
    return n == strlen(want) && memcmp(p, want, n) == 0;
}

Test(httpreq, prometheus_scrape)
{
    /* what Prometheus 2.x sends */
    const char *req = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9183\r\nUser-Agent: Prometheus/2.42.0\r\n"
                      "Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                      "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1\r\n"
                      "Accept-Encoding: gzip\r\nX-Prometheus-Scrape-Timeout-Seconds: 1\r\n\r\n";
    httpreq r;
    cr_assert_eq(parse(req, &r), HTTPREQ_OK);
    cr_assert(span_is(r.method, r.method_len, "GET"));
    cr_assert(span_is(r.path, r.path_len, "/metrics"));
    cr_assert_eq(r.minor, 1);
    cr_assert(r.openmetrics);
    cr_assert_eq(r.head_len, strlen(req));
    cr_assert_eq(httpreq_route_of(r.method, r.method_len, r.path, r.path_len), HTTPREQ_ROUTE_METRICS);
}

Test(httpreq, fields_and_routes)
{
    httpreq r;
    cr_assert_eq(parse("HEAD /?x=1 HTTP/1.0\r\n\r\n", &r), HTTPREQ_OK);   /* 1.0: Host optional */
    cr_assert(span_is(r.method, r.method_len, "HEAD"));
    cr_assert(span_is(r.path, r.path_len, "/"));
    cr_assert_eq(r.minor, 0);
    cr_assert(!r.openmetrics);
    cr_assert_eq(httpreq_route_of(r.method, r.method_len, r.path, r.path_len), HTTPREQ_ROUTE_LANDING);

    cr_assert_eq(parse("GET /metrics?a=b HTTP/1.1\r\nhOsT:x\r\naccept:\t Application/OpenMetrics-Text \r\n\r\n", &r),
                 HTTPREQ_OK);
    cr_assert(span_is(r.path, r.path_len, "/metrics"));
    cr_assert(r.openmetrics, "header names and media types compare case-insensitively");

    cr_assert_eq(parse("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: text/plain\r\n\r\n", &r), HTTPREQ_OK);
    cr_assert(!r.openmetrics);
    /* a second Accept header counts too */
    cr_assert_eq(parse("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: text/plain\r\nAccept: application/openmetrics-text\r\n\r\n", &r),
                 HTTPREQ_OK);
    cr_assert(r.openmetrics);

    cr_assert_eq(httpreq_route_of("POST", 4, "/metrics", 8), HTTPREQ_ROUTE_METHOD);
    cr_assert_eq(httpreq_route_of("get", 3, "/metrics", 8), HTTPREQ_ROUTE_METHOD, "methods are case-sensitive");
    cr_assert_eq(httpreq_route_of("OPTIONS", 7, "/", 1), HTTPREQ_ROUTE_METHOD);
    cr_assert_eq(httpreq_route_of("GET", 3, "/metrics/", 9), HTTPREQ_ROUTE_NOT_FOUND);
    cr_assert_eq(httpreq_route_of("GET", 3, "/nope", 5), HTTPREQ_ROUTE_NOT_FOUND);
    cr_assert_eq(httpreq_route_of("HEAD", 4, "/metrics", 8), HTTPREQ_ROUTE_METRICS);
    /* a method we do not serve but that is well-formed parses: the server answers 405 */
    cr_assert_eq(parse("DELETE /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", &r), HTTPREQ_OK);
    cr_assert(span_is(r.method, r.method_len, "DELETE"));
}

Test(httpreq, every_prefix_incomplete)
{
    const char *req = "GET /metrics HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n";
    size_t n = strlen(req);
    httpreq r;
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(httpreq_parse(req, i, &r), HTTPREQ_INCOMPLETE, "prefix of %zu bytes", i);
    cr_assert_eq(httpreq_parse(req, n, &r), HTTPREQ_OK);
    cr_assert_eq(r.head_len, n);
}

Test(httpreq, pipelined_rest_left)
{
    const char *two = "GET / HTTP/1.1\r\nHost: h\r\n\r\nGET /metrics HTTP/1.1\r\nHost: h\r\n\r\n";
    httpreq r;
    cr_assert_eq(parse(two, &r), HTTPREQ_OK);
    cr_assert_eq(r.head_len, strlen("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
    cr_assert(span_is(r.path, r.path_len, "/"));
    /* a body after the head is not looked at */
    const char *post = "POST /metrics HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n\x00\xff\x01";
    cr_assert_eq(httpreq_parse(post, strlen(post) + 3, &r), HTTPREQ_OK);
}

Test(httpreq, malformed)
{
    static const char *const bad[] = {
        "GET / HTTP/1.1\nHost: h\n\n",                  /* bare LF */
        "GET / HTTP/1.1\r\nHost: h\n\r\n",              /* one bare LF */
        "GET / HTTP/1.1\rHost: h\r\n\r\n",              /* bare CR */
        "GET /  HTTP/1.1\r\nHost: h\r\n\r\n",           /* two spaces */
        "GET / HTTP/1.1 \r\nHost: h\r\n\r\n",           /* trailing space */
        "GET / HTTP/2.0\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.2\r\nHost: h\r\n\r\n",
        "GET / http/1.1\r\nHost: h\r\n\r\n",
        "GET /\r\n\r\n",                                /* HTTP/0.9 */
        "GET http://h/metrics HTTP/1.1\r\nHost: h\r\n\r\n",   /* absolute-form */
        "GET * HTTP/1.1\r\nHost: h\r\n\r\n",
        "G(T / HTTP/1.1\r\nHost: h\r\n\r\n",            /* not a token */
        " GET / HTTP/1.1\r\nHost: h\r\n\r\n",
        "\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",        /* an empty line first */
        "GET / HTTP/1.1\r\n\r\n",                       /* 1.1 without Host */
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", /* two Hosts */
        "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nBad Header\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : h\r\n\r\n",           /* space before the colon */
        "GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", /* obs-fold */
        "GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n",     /* empty name */
        "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -5\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1 2\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01b\r\n\r\n",   /* a control byte in a value */
        "GET /\x7f HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n",   /* raw non-ASCII target */
    };
    httpreq r;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_eq(parse(bad[i], &r), HTTPREQ_BAD, "fixture %zu: %s", i, bad[i]);
    /* a NUL inside: strlen would stop there, give the length */
    static const char nul[] = "GET / HTTP/1.1\r\nHost: h\0\r\n\r\n";
    cr_assert_eq(httpreq_parse(nul, sizeof nul - 1, &r), HTTPREQ_BAD);
}

Test(httpreq, garbage_refused_early)
{
    httpreq r;
    /* no need to wait for a line end (or the timeout) to refuse these */
    cr_assert_eq(httpreq_parse("\x00\xffGARBAGE", 9, &r), HTTPREQ_BAD);
    cr_assert_eq(parse("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", &r), HTTPREQ_BAD);   /* TLS hello */
    cr_assert_eq(parse("GE\xff", &r), HTTPREQ_BAD);
    cr_assert_eq(parse("GET /\n", &r), HTTPREQ_BAD);
    cr_assert_eq(parse("GET / HTTP/1.1\r\nHo\x01", &r), HTTPREQ_BAD);
    /* but a good start waits */
    cr_assert_eq(parse("GET / HTTP/1.1\r\nHost: h\r\n", &r), HTTPREQ_INCOMPLETE);
    cr_assert_eq(parse("GET / HTTP/1.1\r", &r), HTTPREQ_INCOMPLETE);
    cr_assert_eq(httpreq_parse("", 0, &r), HTTPREQ_INCOMPLETE);
}

Test(httpreq, limits)
{
    static char buf[HTTPREQ_MAX_HEAD * 2];
    httpreq r;
    /* a head that ends exactly at the limit is fine, one byte more is not */
    const char *start = "GET / HTTP/1.1\r\nHost: h\r\nX: ";
    size_t sl = strlen(start);
    size_t vlen = HTTPREQ_MAX_HEAD - sl - 4;
    memcpy(buf, start, sl);
    memset(buf + sl, 'a', vlen);
    memcpy(buf + sl + vlen, "\r\n\r\n", 4);
    cr_assert_eq(httpreq_parse(buf, HTTPREQ_MAX_HEAD, &r), HTTPREQ_OK);
    cr_assert_eq(r.head_len, HTTPREQ_MAX_HEAD);
    memset(buf + sl, 'a', vlen + 1);
    memcpy(buf + sl + vlen + 1, "\r\n\r\n", 4);
    cr_assert_eq(httpreq_parse(buf, HTTPREQ_MAX_HEAD + 1, &r), HTTPREQ_TOO_LARGE);
    cr_assert_eq(httpreq_parse(buf, HTTPREQ_MAX_HEAD - 1, &r), HTTPREQ_INCOMPLETE);
    /* a request line longer than the limit */
    memcpy(buf, "GET /", 5);
    memset(buf + 5, 'x', sizeof buf - 5);
    cr_assert_eq(httpreq_parse(buf, sizeof buf, &r), HTTPREQ_TOO_LARGE);
    /* many small headers */
    size_t n = 0;
    n += (size_t)sprintf(buf, "GET / HTTP/1.1\r\nHost: h\r\n");
    while (n + 6 < sizeof buf) n += (size_t)sprintf(buf + n, "A: b\r\n");
    cr_assert_eq(httpreq_parse(buf, n, &r), HTTPREQ_TOO_LARGE);
}

Test(httpreq, openmetrics_match)
{
    cr_assert(httpreq_wants_openmetrics("application/openmetrics-text", 28));
    cr_assert(!httpreq_wants_openmetrics("application/openmetrics-tex", 27));
    cr_assert(!httpreq_wants_openmetrics("", 0));
    cr_assert(httpreq_wants_openmetrics("text/plain, APPLICATION/OPENMETRICS-TEXT; version=1.0.0", 56));
    cr_assert_str_eq(httpreq_reason(431), "Request Header Fields Too Large");
    cr_assert_str_eq(httpreq_reason(405), "Method Not Allowed");
    cr_assert_str_eq(httpreq_reason(299), "Error");
}
