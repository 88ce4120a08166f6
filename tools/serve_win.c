/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — psinfo serve's HTTP server on Windows (Winsock; libmicrohttpd has no mingw build).
 * One thread per connection, at most SERVE_MAX_CONN at once (the accept loop waits for a free
 * slot, the rest queue in the listen backlog). Each connection gets one request: its head is
 * read into a bounded buffer (HTTPREQ_MAX_HEAD, 431 beyond) within SERVE_HEAD_MS in total, so a
 * silent or trickling client holds only its own thread; parsed by httpreq.c; answered with
 * Connection: close; then the socket is half-closed and drained briefly so a pipelined rest
 * does not turn the close into a reset that could cost the client our answer. Scrapes are
 * serialised by one lock, as in the libmicrohttpd server. Ctrl-C, Ctrl-Break and the console's
 * close (SetConsoleCtrlHandler) stop it: no new connection, the open ones see the stop within
 * SERVE_SLICE_MS and end, the main thread waits for them before the scanner is freed.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"

#define SERVE_MAX_CONN 64
#define SERVE_HEAD_MS 10000    /* the whole request head must arrive within this */
#define SERVE_SEND_MS 10000    /* SO_SNDTIMEO: a client that does not read */
#define SERVE_DRAIN_MS 1000    /* after the answer: what the client still sends is read away */
#define SERVE_SLICE_MS 250     /* waits are cut in slices to notice the stop */
#define SERVE_STACK (256 * 1024)

typedef struct winsrv {
    serve_state *st;
    CRITICAL_SECTION scrape;   /* one scrape at a time; also guards scratch */
    FILE *scratch;             /* the metrics are written here, then read back (no open_memstream) */
    CRITICAL_SECTION slots_lock;
    SOCKET slots[SERVE_MAX_CONN];   /* INVALID_SOCKET: free */
    LONG active;
    HANDLE slot_freed;   /* auto-reset: a connection ended */
} winsrv;

typedef struct conn {
    winsrv *srv;
    int slot;
} conn;

static volatile LONG g_stop;   /* 1 + the console event that stopped the server */
static HANDLE g_stop_event;   /* manual-reset: set by the console handler */
static HANDLE g_done_event;   /* manual-reset: the server has cleaned up */

static BOOL WINAPI on_console(DWORD type)
{
    switch (type) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT:
        break;
    default:
        return FALSE;
    }
    InterlockedExchange(&g_stop, (LONG)type + 1);
    SetEvent(g_stop_event);
    /* After the close/logoff/shutdown events the process ends as soon as this returns: give
     * the main thread its clean-up first (Windows allows ~5 s). */
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT) WaitForSingleObject(g_done_event, 4000);
    return TRUE;
}

static bool stopping(void)
{
    return InterlockedCompareExchange(&g_stop, 0, 0) != 0;
}

/* Waits until s is readable, the stop, or deadline (GetTickCount64); 1 readable, 0 not. */
static int wait_readable(SOCKET s, ULONGLONG deadline)
{
    for (;;) {
        if (stopping()) return 0;
        ULONGLONG now = GetTickCount64();
        if (now >= deadline) return 0;
        ULONGLONG left = deadline - now;
        DWORD ms = left < SERVE_SLICE_MS ? (DWORD)left : SERVE_SLICE_MS;
        fd_set rd;
        FD_ZERO(&rd);
        FD_SET(s, &rd);
        struct timeval tv = { (long)(ms / 1000), (long)(ms % 1000) * 1000 };
        int n = select(0, &rd, NULL, NULL, &tv);
        if (n > 0) return 1;
        if (n < 0) return 0;
    }
}

static bool send_all(SOCKET s, const char *p, size_t len)
{
    while (len) {
        int chunk = len > (1u << 30) ? 1 << 30 : (int)len;
        int n = send(s, p, chunk, 0);
        if (n <= 0) return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* Status line and headers, then (unless HEAD) the body, in one send (no Nagle wait between). */
static void respond(SOCKET s, unsigned status, const char *type, const char *body, size_t len, bool head)
{
    char hdr[256];
    int hl = snprintf(hdr, sizeof hdr,
                      "HTTP/1.1 %u %s\r\nContent-Type: %s\r\nContent-Length: %llu\r\nConnection: close\r\n\r\n",
                      status, httpreq_reason(status), type, (unsigned long long)len);
    if (hl < 0 || (size_t)hl >= sizeof hdr) return;
    size_t total = (size_t)hl + (head ? 0 : len);
    char *out = malloc(total);
    if (!out) {
        send_all(s, hdr, (size_t)hl);
        return;
    }
    memcpy(out, hdr, (size_t)hl);
    if (!head && len) memcpy(out + hl, body, len);
    send_all(s, out, total);
    free(out);
}

static void respond_text(SOCKET s, unsigned status, const char *text, bool head)
{
    respond(s, status, SERVE_TYPE_PLAIN, text, strlen(text), head);
}

/* One scrape into a malloc'd buffer (NULL: out of memory, a write error, or *stopped: the
 * stop came while this one waited for the lock, so the ones queued behind a running scrape do
 * not each scan before the server can exit). */
static char *render(winsrv *sv, bool om, size_t *len, bool *stopped)
{
    char *buf = NULL;
    EnterCriticalSection(&sv->scrape);
    FILE *f = sv->scratch;
    *stopped = stopping();
    if (!*stopped && fseek(f, 0, SEEK_SET) == 0) {
        serve_write_metrics(sv->st, f, om);
        long end = ftell(f);
        if (end >= 0 && !ferror(f) && fseek(f, 0, SEEK_SET) == 0) {
            buf = malloc((size_t)end + 1);
            if (buf && fread(buf, 1, (size_t)end, f) != (size_t)end) {
                free(buf);
                buf = NULL;
            }
            *len = (size_t)end;
        }
    }
    clearerr(f);
    LeaveCriticalSection(&sv->scrape);
    return buf;
}

static void handle(winsrv *sv, SOCKET s)
{
    DWORD sndto = SERVE_SEND_MS;
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&sndto, sizeof sndto);
    char buf[HTTPREQ_MAX_HEAD];
    size_t len = 0;
    httpreq r;
    httpreq_result res = HTTPREQ_INCOMPLETE;
    ULONGLONG deadline = GetTickCount64() + SERVE_HEAD_MS;
    for (;;) {
        res = httpreq_parse(buf, len, &r);
        if (res != HTTPREQ_INCOMPLETE) break;
        if (!wait_readable(s, deadline)) return;   /* silent too long, or stopping: just close */
        int n = recv(s, buf + len, (int)(sizeof buf - len), 0);
        if (n < 0) return;   /* reset */
        if (n == 0) {        /* the client ended its side mid-request: it may still read */
            if (len) respond_text(s, 400, "incomplete request\n", false);
            return;
        }
        len += (size_t)n;
    }
    if (res == HTTPREQ_BAD) {
        respond_text(s, 400, "bad request\n", false);
        return;
    }
    if (res == HTTPREQ_TOO_LARGE) {
        respond_text(s, 431, "request head too large\n", false);
        return;
    }
    bool head = r.method_len == 4 && memcmp(r.method, "HEAD", 4) == 0;
    httpreq_route route = httpreq_route_of(r.method, r.method_len, r.path, r.path_len);
    switch (route) {
    case HTTPREQ_ROUTE_METRICS: {
        size_t blen = 0;
        bool stopped;
        char *body = render(sv, r.openmetrics, &blen, &stopped);
        if (!body) {
            if (stopped)
                respond_text(s, 503, "server stopping\n", head);
            else
                respond_text(s, 500, "cannot write the metrics\n", head);
            return;
        }
        respond(s, 200, r.openmetrics ? SERVE_TYPE_OPENMETRICS : SERVE_TYPE_TEXT, body, blen, head);
        free(body);
        break;
    }
    case HTTPREQ_ROUTE_LANDING:
        respond(s, 200, SERVE_TYPE_HTML, serve_landing, serve_landing_len, head);
        break;
    case HTTPREQ_ROUTE_METHOD:
        respond_text(s, 405, serve_error_text(route), head);
        break;
    default:
        respond_text(s, 404, serve_error_text(route), head);
        break;
    }
}

/* Half-close, then read away what the client still sends (a body, a pipelined request) for a
 * moment, so closesocket does not reset the connection before the client read the answer. */
static void finish(SOCKET s)
{
    shutdown(s, SD_SEND);
    ULONGLONG deadline = GetTickCount64() + SERVE_DRAIN_MS;
    char sink[4096];
    size_t total = 0;
    while (total < (1u << 20) && wait_readable(s, deadline)) {
        int n = recv(s, sink, sizeof sink, 0);
        if (n <= 0) break;
        total += (size_t)n;
    }
    closesocket(s);
}

/* Frees the slot and wakes the accept loop. The event is set under the lock: once the main
 * thread sees active reach 0 it closes the event and returns (sv is its stack), so a
 * connection thread must not touch sv after it left the lock. */
static void release_slot(winsrv *sv, int slot)
{
    EnterCriticalSection(&sv->slots_lock);
    sv->slots[slot] = INVALID_SOCKET;
    sv->active--;
    SetEvent(sv->slot_freed);
    LeaveCriticalSection(&sv->slots_lock);
}

static DWORD WINAPI conn_thread(LPVOID arg)
{
    conn *c = arg;
    winsrv *sv = c->srv;
    SOCKET s = sv->slots[c->slot];
    handle(sv, s);
    finish(s);
    release_slot(sv, c->slot);
    free(c);
    return 0;
}

/* A free slot's index, or -1. */
static int take_slot(winsrv *sv, SOCKET s)
{
    int slot = -1;
    EnterCriticalSection(&sv->slots_lock);
    for (int i = 0; i < SERVE_MAX_CONN; i++) {
        if (sv->slots[i] == INVALID_SOCKET) {
            sv->slots[i] = s;
            sv->active++;
            slot = i;
            break;
        }
    }
    LeaveCriticalSection(&sv->slots_lock);
    return slot;
}

static LONG active_count(winsrv *sv)
{
    EnterCriticalSection(&sv->slots_lock);
    LONG n = sv->active;
    LeaveCriticalSection(&sv->slots_lock);
    return n;
}

/* A temporary file for the rendered metrics, deleted when closed (also when the process dies). */
static FILE *scratch_file(void)
{
    wchar_t dir[MAX_PATH + 1], path[MAX_PATH + 1];
    DWORD n = GetTempPathW(MAX_PATH + 1, dir);
    if (n == 0 || n > MAX_PATH || !GetTempFileNameW(dir, L"psi", 0, path)) return NULL;
    HANDLE h = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        DeleteFileW(path);
        return NULL;
    }
    int fd = _open_osfhandle((intptr_t)h, _O_RDWR | _O_BINARY);
    if (fd < 0) {
        CloseHandle(h);
        return NULL;
    }
    FILE *f = _fdopen(fd, "w+b");
    if (!f) _close(fd);
    return f;
}

static void serve_accept_loop(winsrv *sv, SOCKET ls, WSAEVENT accept_ev)
{
    while (!stopping()) {
        if (active_count(sv) >= SERVE_MAX_CONN) {   /* full: the backlog holds the next ones */
            HANDLE w[2] = { g_stop_event, sv->slot_freed };
            WaitForMultipleObjects(2, w, FALSE, SERVE_SLICE_MS);
            continue;
        }
        HANDLE w[2] = { g_stop_event, accept_ev };
        DWORD r = WaitForMultipleObjects(2, w, FALSE, INFINITE);
        if (r != WAIT_OBJECT_0 + 1) break;
        WSANETWORKEVENTS ne;
        WSAEnumNetworkEvents(ls, accept_ev, &ne);   /* resets the event */
        while (!stopping() && active_count(sv) < SERVE_MAX_CONN) {
            SOCKET c = accept(ls, NULL, NULL);
            if (c == INVALID_SOCKET) {   /* WSAEWOULDBLOCK: all taken */
                int e = WSAGetLastError();
                /* Out of sockets or buffers (WSAEMFILE, WSAENOBUFS): a failed accept re-enables
                 * FD_ACCEPT, so the pending connection would signal again at once and the loop
                 * spin; wait a slice first. A reset before accept (WSAECONNRESET) is not that. */
                if (e != WSAEWOULDBLOCK && e != WSAECONNRESET) WaitForSingleObject(g_stop_event, SERVE_SLICE_MS);
                break;
            }
            /* the accepted socket inherits the listener's event selection and non-blocking
             * mode: make it a plain blocking socket */
            WSAEventSelect(c, NULL, 0);
            u_long blocking = 0;
            ioctlsocket(c, FIONBIO, &blocking);
            int slot = take_slot(sv, c);
            conn *cc = slot >= 0 ? malloc(sizeof *cc) : NULL;
            HANDLE th = NULL;
            if (cc) {
                cc->srv = sv;
                cc->slot = slot;
                th = CreateThread(NULL, SERVE_STACK, conn_thread, cc, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
            }
            if (th) {
                CloseHandle(th);
                continue;
            }
            free(cc);
            if (slot >= 0) release_slot(sv, slot);
            respond_text(c, 503, "server busy\n", false);
            finish(c);   /* not a bare close: the unread request would make it a reset */
        }
    }
}

int serve_win_run(serve_state *st, const void *sa, int salen, const char *where)
{
    const struct sockaddr *addr = sa;
    winsrv sv;
    memset(&sv, 0, sizeof sv);
    sv.st = st;
    for (int i = 0; i < SERVE_MAX_CONN; i++) sv.slots[i] = INVALID_SOCKET;
    sv.scratch = scratch_file();
    if (!sv.scratch) {
        fprintf(stderr, "psinfo: serve: cannot create a temporary file (error %lu)\n", GetLastError());
        return CLI_EXIT_ERROR;
    }
    SOCKET ls = socket(addr->sa_family, SOCK_STREAM, IPPROTO_TCP);
    if (ls == INVALID_SOCKET) {
        fprintf(stderr, "psinfo: serve: cannot listen on %s: socket error %d\n", where, WSAGetLastError());
        fclose(sv.scratch);
        return CLI_EXIT_ERROR;
    }
    /* No other socket may bind the port while we hold it (Windows' SO_REUSEADDR would let it). */
    BOOL one = TRUE;
    setsockopt(ls, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&one, sizeof one);
    if (bind(ls, addr, salen) != 0 || listen(ls, SOMAXCONN) != 0) {
        fprintf(stderr, "psinfo: serve: cannot listen on %s: socket error %d\n", where, WSAGetLastError());
        closesocket(ls);
        fclose(sv.scratch);
        return CLI_EXIT_ERROR;
    }
    WSAEVENT accept_ev = WSACreateEvent();
    g_stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    g_done_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    sv.slot_freed = CreateEventW(NULL, FALSE, FALSE, NULL);
    if (accept_ev == WSA_INVALID_EVENT || !g_stop_event || !g_done_event || !sv.slot_freed ||
        WSAEventSelect(ls, accept_ev, FD_ACCEPT) != 0) {
        fprintf(stderr, "psinfo: serve: cannot set up events (error %lu)\n", GetLastError());
        closesocket(ls);
        fclose(sv.scratch);
        return CLI_EXIT_ERROR;
    }
    InitializeCriticalSection(&sv.scrape);
    InitializeCriticalSection(&sv.slots_lock);
    SetConsoleCtrlHandler(on_console, TRUE);
    fprintf(stderr, "psinfo: serving http://%s/metrics\n", where);
    serve_accept_loop(&sv, ls, accept_ev);
    closesocket(ls);
    /* Every connection notices the stop within a slice of its wait; one in a scrape or a send
     * finishes it (SO_SNDTIMEO bounds the send). */
    while (active_count(&sv) > 0) WaitForSingleObject(sv.slot_freed, SERVE_SLICE_MS);
    fclose(sv.scratch);
    DeleteCriticalSection(&sv.scrape);
    DeleteCriticalSection(&sv.slots_lock);
    WSACloseEvent(accept_ev);
    CloseHandle(sv.slot_freed);
    static const char *const names[] = { "Ctrl-C", "Ctrl-Break", "close", "", "", "logoff", "shutdown" };
    LONG ev = InterlockedCompareExchange(&g_stop, 0, 0) - 1;
    fprintf(stderr, "psinfo: serve: stopped (%s)\n", ev >= 0 && ev <= 6 ? names[ev] : "?");
    SetEvent(g_done_event);
    return CLI_EXIT_OK;
}
