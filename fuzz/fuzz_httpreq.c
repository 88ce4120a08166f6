/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for psinfo serve's request head parser (tools/httpreq.c, what the Windows
 * server runs on every byte a client sends). The input is the bytes received, not
 * NUL-terminated. Checks: every span the parser returns lies inside the head, the head inside
 * the input and the limit; the method is a token and the path starts with '/'; a verdict other
 * than INCOMPLETE on a prefix is the verdict on the whole input (so the server may decide as
 * soon as it has one); the head alone parses to the same result.
 */
#include <stdint.h>
#include <string.h>

#include "../tools/httpreq.h"

#define CHECK(c) do { if (!(c)) { __builtin_trap(); } } while (0)

static void same(const httpreq *a, const httpreq *b)
{
    CHECK(a->method == b->method && a->method_len == b->method_len);
    CHECK(a->path == b->path && a->path_len == b->path_len);
    CHECK(a->minor == b->minor && a->openmetrics == b->openmetrics && a->head_len == b->head_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    httpreq r, p;
    httpreq_result res = httpreq_parse(buf, size, &r);
    CHECK(res == HTTPREQ_INCOMPLETE || res == HTTPREQ_OK || res == HTTPREQ_BAD || res == HTTPREQ_TOO_LARGE);
    if (res == HTTPREQ_INCOMPLETE) CHECK(size < HTTPREQ_MAX_HEAD);
    if (res == HTTPREQ_TOO_LARGE) CHECK(size >= HTTPREQ_MAX_HEAD);
    if (res == HTTPREQ_OK) {
        CHECK(r.head_len >= 16 && r.head_len <= size && r.head_len <= HTTPREQ_MAX_HEAD);
        CHECK(r.method == buf && r.method_len > 0 && r.method_len < r.head_len);
        CHECK(r.path > buf && r.path + r.path_len <= buf + r.head_len && r.path[0] == '/' && r.path_len >= 1);
        CHECK(r.minor == 0 || r.minor == 1);
        CHECK(memcmp(buf + r.head_len - 4, "\r\n\r\n", 4) == 0);
        for (size_t i = 0; i < r.method_len; i++) CHECK(buf[i] > ' ' && buf[i] < 0x7f);
        httpreq_route route = httpreq_route_of(r.method, r.method_len, r.path, r.path_len);
        CHECK(route <= HTTPREQ_ROUTE_METHOD);
        CHECK(httpreq_parse(buf, r.head_len, &p) == HTTPREQ_OK);
        same(&r, &p);
        CHECK(httpreq_parse(buf, r.head_len - 1, &p) == HTTPREQ_INCOMPLETE);
    }
    size_t cuts[2] = { size / 2, size > 0 ? size - 1 : 0 };
    for (int k = 0; k < 2; k++) {
        httpreq_result pr = httpreq_parse(buf, cuts[k], &p);
        if (pr != HTTPREQ_INCOMPLETE) {
            CHECK(pr == res);
            if (pr == HTTPREQ_OK) same(&r, &p);
        }
    }
    (void)httpreq_wants_openmetrics(buf, size);
    return 0;
}
