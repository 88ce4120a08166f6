/* SPDX-License-Identifier: MIT */
/* psinfo CLI — what psinfo serve's two HTTP servers share (cmd_serve.c: the options, the
 * libmicrohttpd server; serve_win.c: the Winsock server). */
#ifndef PSINFO_CLI_SERVE_H
#define PSINFO_CLI_SERVE_H

#include "cli.h"
#include "httpreq.h"
#include "metrics.h"

#define SERVE_TYPE_TEXT "text/plain; version=0.0.4; charset=utf-8"
#define SERVE_TYPE_OPENMETRICS "application/openmetrics-text; version=1.0.0; charset=utf-8"
#define SERVE_TYPE_HTML "text/html; charset=utf-8"
#define SERVE_TYPE_PLAIN "text/plain; charset=utf-8"

/* The server's state for its whole life: one scanner, the mode, the grouped series' memory. */
typedef struct serve_state {
    ps_scanner *scanner;
    cli_metrics_mode mode;
    cli_groups_state *groups;
} serve_state;

extern const char serve_landing[];
extern const size_t serve_landing_len;
/* The plain-text bodies of 404 and 405 (the route's answer). */
const char *serve_error_text(httpreq_route route);

/* One scrape: a scan, then the metrics in the text format or OpenMetrics written to f. The
 * caller serialises scrapes (the grouped series' state has one writer at a time). */
void serve_write_metrics(serve_state *st, FILE *f, bool openmetrics);

#ifdef _WIN32
/* The Winsock server on the bound address sa (salen bytes; WSAStartup done) until Ctrl-C,
 * Ctrl-Break or the console's close; returns a CLI exit status. */
int serve_win_run(serve_state *st, const void *sa, int salen, const char *where);
#endif

#endif
