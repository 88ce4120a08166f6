/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — psinfo serve: a Prometheus exporter. /metrics is `psinfo metrics` from one
 * scanner kept for the life of the server (descriptors kept between scrapes, CPU percentages
 * since the previous scrape), in the text format or OpenMetrics when the scraper's Accept
 * header asks for it; / is a small landing page; anything else is 404, a method other than
 * GET or HEAD 405. Two HTTP servers share the options, routing (httpreq.c) and rendering here:
 * on POSIX libmicrohttpd's (a thread pool on epoll, so thousands of kept descriptors are no
 * problem; built only when libmicrohttpd is found, otherwise the command says so), stopped by
 * SIGTERM/SIGINT; on Windows a Winsock one (serve_win.c), stopped by Ctrl-C/Ctrl-Break/close.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"

#if defined(PSINFO_HAVE_MHD) || defined(_WIN32)
#define SERVE_BUILT 1
#endif

static const cli_opt serve_opts[] = {
    { "listen", 'l', "ADDR:PORT", "address to listen on (default 127.0.0.1:9183; [::1]:PORT for IPv6)" },
    { "processes", 0, "MODE", "per-process series: name (default), user, cgroup, top:N, none, all" },
    { NULL, 0, NULL, NULL },
};

const char serve_landing[] =
    "<!DOCTYPE html>\n<html><head><title>psinfo exporter</title></head>\n"
    "<body><h1>psinfo exporter</h1>\n<p><a href=\"/metrics\">Metrics</a></p>\n"
    "<p>System and process metrics from libpsinfo (psutil's data), see docs/monitoring.md.</p>\n"
    "</body></html>\n";
const size_t serve_landing_len = sizeof serve_landing - 1;

const char *serve_error_text(httpreq_route route)
{
    return route == HTTPREQ_ROUTE_METHOD ? "only GET and HEAD\n" : "not found: try /metrics\n";
}

void serve_write_metrics(serve_state *st, FILE *f, bool openmetrics)
{
    ps_scan *sc = NULL;
    int rc = ps_scanner_scan(st->scanner, &sc);
    cli_prom p;
    cli_prom_init(&p, f);
    p.openmetrics = openmetrics;
    cli_metrics_write(&p, &st->mode, rc == 0 ? sc : NULL, st->groups);
    cli_prom_finish(&p);
    ps_scan_free(sc);
}

#ifdef SERVE_BUILT

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <netdb.h>
#include <sys/socket.h>
#endif

/* "HOST:PORT" or "[V6]:PORT" into a socket address. */
static bool parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *sl)
{
    char host[256];
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || strlen(s) >= sizeof host) return false;
    size_t hl = (size_t)(colon - s);
    const char *h = s;
    if (s[0] == '[') {
        if (hl < 2 || s[hl - 1] != ']') return false;
        h = s + 1;
        hl -= 2;
    }
    memcpy(host, h, hl);
    host[hl] = '\0';
    uint64_t port;
    if (!cli_parse_uint(colon + 1, &port) || port == 0 || port > 65535) return false;
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0 || !res) return false;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *sl = (socklen_t)res->ai_addrlen;
    freeaddrinfo(res);
    return true;
}

#endif

#ifdef PSINFO_HAVE_MHD

#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>

typedef struct server {
    serve_state *st;
    pthread_mutex_t lock;   /* one scrape writes at a time (scans are serialised anyway) */
} server;

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type, char *body,
                             size_t len, enum MHD_ResponseMemoryMode mem)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mem);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    return reply(c, status, SERVE_TYPE_PLAIN, (char *)text, strlen(text), MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result serve_metrics(server *sv, struct MHD_Connection *c)
{
    const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    bool om = accept && httpreq_wants_openmetrics(accept, strlen(accept));
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
    pthread_mutex_lock(&sv->lock);
    serve_write_metrics(sv->st, f, om);
    pthread_mutex_unlock(&sv->lock);
    if (fclose(f) != 0) {
        free(buf);
        return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
    }
    return reply(c, MHD_HTTP_OK, om ? SERVE_TYPE_OPENMETRICS : SERVE_TYPE_TEXT, buf, len, MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **state)
{
    (void)version;
    (void)upload;
    static int first_call;
    if (!*state) {   /* headers only so far: answer once the request is complete */
        *state = &first_call;
        return MHD_YES;
    }
    if (*upload_size) {   /* a body we do not want: drop it */
        *upload_size = 0;
        return MHD_YES;
    }
    httpreq_route route = httpreq_route_of(method, strlen(method), url, strlen(url));
    switch (route) {
    case HTTPREQ_ROUTE_METRICS: return serve_metrics(cls, c);
    case HTTPREQ_ROUTE_LANDING:
        return reply(c, MHD_HTTP_OK, SERVE_TYPE_HTML, (char *)serve_landing, serve_landing_len,
                     MHD_RESPMEM_PERSISTENT);
    case HTTPREQ_ROUTE_METHOD: return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, serve_error_text(route));
    default: return reply_text(c, MHD_HTTP_NOT_FOUND, serve_error_text(route));
    }
}

static int serve_loop(serve_state *st, struct sockaddr_storage *ss, socklen_t sl, const char *listen)
{
    (void)sl;
    server sv;
    sv.st = st;
    pthread_mutex_init(&sv.lock, NULL);
    /* the signals are taken by sigwait below, not by the server's threads */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | (ss->ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *d = MHD_start_daemon(flags, 0, NULL, NULL, handle, &sv,
                                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)ss,
                                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)4,
                                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                                            MHD_OPTION_END);
    int status = CLI_EXIT_OK;
    if (!d) {
        fprintf(stderr, "psinfo: serve: cannot listen on %s: %s\n", listen, strerror(errno));
        status = CLI_EXIT_ERROR;
    } else {
        fprintf(stderr, "psinfo: serving http://%s/metrics\n", listen);
        int sig;
        sigwait(&set, &sig);
        MHD_stop_daemon(d);   /* joins the threads: no scrape is running after this */
    }
    pthread_mutex_destroy(&sv.lock);
    return status;
}

#elif defined(_WIN32)

static int serve_loop(serve_state *st, struct sockaddr_storage *ss, socklen_t sl, const char *listen)
{
    return serve_win_run(st, ss, (int)sl, listen);
}

#endif

#ifdef SERVE_BUILT

static int run_serve(const cli_cmd *cmd, const cli_args *a)
{
    const char *listen = cli_value(cmd, a, "listen");
    if (!listen) listen = "127.0.0.1:9183";
#ifdef _WIN32
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "psinfo: serve: WSAStartup failed\n");
        return CLI_EXIT_ERROR;
    }
#endif
    struct sockaddr_storage ss;
    socklen_t sl;
    serve_state st;
    st.mode.kind = CLI_PROC_NAME;
    st.mode.top_n = 0;
    const char *mode = cli_value(cmd, a, "processes");
    int status;
    if (!parse_listen(listen, &ss, &sl)) {
        status = cli_usage_error(cmd, "--listen: expected ADDR:PORT, got '%s'", listen);
    } else if (mode && !cli_metrics_parse_mode(mode, &st.mode)) {
        status = cli_usage_error(cmd, "--processes: expected name, user, cgroup, top:N, none or all");
    } else {
        cli_raise_nofile();
        int rc = ps_scanner_new(cli_metrics_fields(&st.mode), 0, &st.scanner);
        if (rc) {
            status = cli_lib_error(rc, "scanner");
        } else {
            st.groups = cli_groups_state_new();
            status = serve_loop(&st, &ss, sl, listen);
            ps_scanner_free(st.scanner);
            cli_groups_state_free(st.groups);
        }
    }
#ifdef _WIN32
    WSACleanup();
#endif
    return status;
}

#else /* no libmicrohttpd at build time */

static int run_serve(const cli_cmd *cmd, const cli_args *a)
{
    (void)cmd;
    (void)a;
    fprintf(stderr, "psinfo: serve: not built in (psinfo was built without libmicrohttpd)\n");
    return CLI_EXIT_ERROR;
}

#endif

const cli_cmd cli_cmd_serve = {
    "serve", "[--listen ADDR:PORT] [--processes MODE]",
    "A Prometheus exporter: /metrics over HTTP (loopback by default).",
    "Serves `psinfo metrics` at /metrics (OpenMetrics when the scraper asks for it) from one\n"
    "scanner: CPU percentages cover the time since the previous scrape. Per-process series are\n"
    "grouped by name unless --processes says otherwise. / is a landing page, other paths 404,\n"
    "methods but GET and HEAD 405. Stops on SIGTERM or SIGINT; on Windows on Ctrl-C, Ctrl-Break\n"
    "or the console's close (under wine: SIGINT; SIGTERM ends the process at once).",
    serve_opts, 0, 0, run_serve,
};
