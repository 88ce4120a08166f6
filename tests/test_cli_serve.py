#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""psinfo serve under a real Prometheus server, and psinfo metrics --textfile.

Starts `psinfo serve` on a free loopback port and Debian's `prometheus` (temporary config and
storage) scraping it every second; checks: the landing page, 404, 405, HEAD (headers only),
malformed requests (garbage and random bytes, a malformed header or Content-Length, oversized
headers, a request line without CRLF then the client's close, an early disconnect, pipelined
requests; each 4xx or closed as the server's rules say, the server still up and answering
afterwards), a silent client held open while scrapes go on (the server closes it on its
timeout), 40 concurrent scrapes (all 200, every text response accepted by promtool),
OpenMetrics negotiation, the sample Prometheus stored for psinfo_memory_total_bytes equals
MemTotal from /proc/meminfo, bounded per-process modes, [::1] (when the host has IPv6
loopback), clean exit on SIGTERM; the textfile is written atomically and accepted by promtool.

With --wine the same runs against psinfo.exe under wine (tests/win/meson.build: serve_win), the
Winsock server (tools/serve_win.c): wine reports the host's memory, so the oracles hold. There
its stricter answers are asked for exactly (400 for garbage, 431 for oversized headers, one
answer with Connection: close to pipelined requests, the silent client closed after its 10 s);
the stop is SIGINT (wine makes it a Ctrl-C event: clean exit 0, "stopped (Ctrl-C)"), and
SIGTERM is checked to end the process (wine terminates it at once, no console event). The
Linux-only parts (group counters on /proc children, --textfile: tests/win/cli_wine_test.py
covers it) are skipped with a printed reason.
usage: test_cli_serve.py PSINFO_CLI
       test_cli_serve.py --wine BUILD-WIN/tools/psinfo.exe
"""
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

WINE = len(sys.argv) > 2 and sys.argv[1] == '--wine'
PSINFO = sys.argv[-1] if len(sys.argv) > 1 else os.environ['PSINFO_CLI']
# psinfo.exe's request timeout (tools/serve_win.c SERVE_HEAD_MS); libmicrohttpd's is 30 s
IDLE_TIMEOUT = 10 if WINE else 30
PROMTOOL = '/usr/bin/promtool'
PROMETHEUS = '/usr/bin/prometheus'
failures = []


def psinfo(*args):
    """The command line of psinfo (under wine: psinfo.exe through wine)."""
    return (['wine', PSINFO] if WINE else [PSINFO]) + list(args)


def skip(what, why):
    print('skip %s: %s' % (what, why), flush=True)


def wine_pid(listen, secs=10):
    """The Linux pid of the psinfo.exe serving on listen: `wine X.exe` is start.exe /exec, whose
    child is a process of its own (its cmdline starts with the Windows path)."""
    t0 = time.time()
    while time.time() - t0 < secs:
        for d in os.listdir('/proc'):
            if not d.isdigit():
                continue
            try:
                with open('/proc/%s/cmdline' % d, 'rb') as f:
                    argv = f.read().split(b'\0')
            except OSError:
                continue
            if argv[0].endswith(b'psinfo.exe') and b'serve' in argv and listen.encode() in argv:
                return int(d)
        time.sleep(0.1)
    return None


def start(*args):
    """psinfo serve ARGS with stderr to a temporary file (read by stop)."""
    err = tempfile.TemporaryFile()
    return subprocess.Popen(psinfo('serve', *args), stderr=err, stdout=subprocess.DEVNULL), err


def stop(srv, err, listen):
    """The clean stop: SIGTERM on Linux; under wine SIGINT to psinfo.exe (a Ctrl-C event).
    Returns (exit status or None, stderr)."""
    if WINE:
        pid = wine_pid(listen, 2)
        if pid:
            os.kill(pid, signal.SIGINT)
    else:
        srv.send_signal(signal.SIGTERM)
    try:
        rc = srv.wait(30)
    except subprocess.TimeoutExpired:
        srv.kill()
        rc = None
        if WINE and wine_pid(listen, 0):
            os.kill(wine_pid(listen, 0), signal.SIGKILL)
    err.seek(0)
    return rc, err.read().decode('utf-8', 'replace')


def check(cond, what):
    print(('ok   ' if cond else 'FAIL ') + what, flush=True)
    if not cond:
        failures.append(what)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(url, headers=None, method='GET', data=None):
    req = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers.get('Content-Type', ''), r.read().decode('utf-8')
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get('Content-Type', ''), e.read().decode('utf-8', 'replace')


def promtool_ok(text):
    r = subprocess.run([PROMTOOL, 'check', 'metrics'], input=text.encode(), capture_output=True)
    return r.returncode == 0, r.stdout.decode() + r.stderr.decode()


def wait_up(url, proc, secs=30):
    t0 = time.time()
    while time.time() - t0 < secs:
        if proc.poll() is not None:
            return False
        try:
            if get(url)[0] == 200:
                return True
        except OSError:
            time.sleep(0.1)
    return False


def raw(port, payload, half_close=False, timeout=10):
    """Send payload on a new connection, read until the server closes or timeout seconds pass
    without a byte (b'' if it resets)."""
    s = socket.create_connection(('127.0.0.1', port), timeout=timeout)
    data = b''
    try:
        s.sendall(payload)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionError):
        pass
    s.close()
    return data


def status_of(reply):
    """The status code of a raw reply, 0 for none."""
    parts = reply.split(b' ', 2)
    return int(parts[1]) if reply.startswith(b'HTTP/1.') and len(parts) > 1 and parts[1].isdigit() else 0


class Silent(threading.Thread):
    """A client that connects and sends nothing: the server must not wait for it beyond its
    timeout, and must go on serving others meanwhile. closed_after: seconds until the server
    closed the connection (None: not within the wait)."""

    def __init__(self, port):
        super().__init__()
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=IDLE_TIMEOUT + 20)
        self.t0 = time.time()
        self.closed_after = None
        self.start()

    def run(self):
        try:
            while self.sock.recv(4096):
                pass
            self.closed_after = time.time() - self.t0
        except socket.timeout:
            pass
        except ConnectionError:
            self.closed_after = time.time() - self.t0
        self.sock.close()


class Trickle(Silent):
    """A client that sends a valid request's first bytes one every 0.5 s: the Windows server
    closes it when its 10 s for the whole head are up (libmicrohttpd's timeout is per idle
    period, so there it would go on for minutes)."""

    def run(self):
        self.sock.settimeout(0.5)
        for b in b'GET /metrics HTTP/1.1\r\nX-Slow: ' + b'a' * 200:
            try:
                self.sock.send(bytes([b]))
                if self.sock.recv(4096) == b'':
                    self.closed_after = time.time() - self.t0
                    break
            except socket.timeout:
                continue
            except ConnectionError:
                self.closed_after = time.time() - self.t0
                break
            if time.time() - self.t0 > IDLE_TIMEOUT + 20:
                break
        self.sock.close()


def http_cases(base, port):
    st, ctype, body = get(base + '/')
    check(st == 200 and 'text/html' in ctype and '/metrics' in body, 'landing page at /')
    check(get(base + '/nope')[0] == 404, '404 for an unknown path')
    check(get(base + '/metrics', method='POST', data=b'x=1')[0] == 405, '405 for POST')
    check(get(base + '/metrics', method='DELETE')[0] == 405, '405 for DELETE')
    reply = raw(port, b'HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n')
    head, _, rest = reply.partition(b'\r\n\r\n')
    clen = [l for l in head.split(b'\r\n') if l.lower().startswith(b'content-length:')]
    check(status_of(reply) == 200 and rest == b'' and b'text/plain; version=0.0.4' in head,
          'HEAD /metrics: 200, the headers only (%r)' % reply[:60])
    check(not WINE or (clen and int(clen[0].split(b':')[1]) > 1000),
          'HEAD /metrics: Content-Length of the GET body (%r)' % clen)
    # bytes that are not HTTP: libmicrohttpd does not answer (it keeps the connection until its
    # timeout: 3 s of silence is taken as that), psinfo.exe answers 400 and closes
    reply = raw(port, b'\x00\xffGARBAGE \r\n\r\n', timeout=10 if WINE else 3)
    check(status_of(reply) == 400 if WINE else (reply == b'' or status_of(reply) // 100 == 4),
          'garbage bytes: %s (%r)' % ('400' if WINE else 'no answer or 4xx', reply[:40]))
    noise = random.Random(7).randbytes(4096)
    reply = raw(port, noise)
    check(status_of(reply) == 400 if WINE else (reply == b'' or status_of(reply) // 100 == 4),
          '4 KiB of random bytes: %s (%r)' % ('400' if WINE else 'closed or 4xx', reply[:40]))
    reply = raw(port, b'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n')
    check(reply.startswith(b'HTTP/1.1 400'), 'a malformed header line: 400 (%r)' % reply[:20])
    reply = raw(port, b'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n')
    check(reply.startswith(b'HTTP/1.1 400') or reply == b'', 'a malformed Content-Length: 400 or closed')
    # 64 KiB of headers: over psinfo.exe's 8 KiB head (431) and libmicrohttpd's 32 KiB pool
    big = b'GET / HTTP/1.1\r\nHost: x\r\n' + b''.join(b'X-Pad-%d: %s\r\n' % (i, b'a' * 1000) for i in range(64)) + b'\r\n'
    reply = raw(port, big)
    check(status_of(reply) == 431 if WINE else (reply == b'' or status_of(reply) in (400, 413, 431)),
          'oversized headers (64 KiB): %s (%r)' % ('431' if WINE else '431, 413, 400 or closed', reply[:40]))
    reply = raw(port, b'GET /' + b'x' * 65536 + b' HTTP/1.1\r\nHost: x\r\n\r\n')
    check(status_of(reply) == 431 if WINE else (reply == b'' or status_of(reply) in (400, 413, 414, 431)),
          'a 64 KiB request line: %s (%r)' % ('431' if WINE else '4xx or closed', reply[:40]))
    # the request line without its CRLF, then the client ends its side
    reply = raw(port, b'GET / HTTP/1.1', half_close=True)
    check(status_of(reply) == 400 if WINE else (reply == b'' or status_of(reply) == 400),
          'no CRLF, then the client half-closes: %s (%r)' % ('400' if WINE else '400 or closed', reply[:40]))
    # an early disconnect: the request, then a reset before the answer
    s = socket.create_connection(('127.0.0.1', port))
    s.sendall(b'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n')
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\x01\x00\x00\x00\x00\x00\x00\x00')
    s.close()
    # two pipelined requests: psinfo.exe answers the first, with Connection: close; libmicrohttpd
    # both (the second asks to close, so that it does not keep the connection)
    reply = raw(port, b'GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    n = reply.count(b'HTTP/1.1 ')
    check(status_of(reply) == 200 and b'/metrics' in reply and
          (n == 1 and b'Connection: close' in reply if WINE else n in (1, 2)),
          'pipelined requests: the first answered (%d answers)' % n)
    check(get(base + '/')[0] == 200 and get(base + '/metrics')[0] == 200,
          'the server is still up after malformed requests')


def concurrent(base):
    results = [None] * 40

    def one(i):
        try:
            results[i] = get(base + '/metrics')
        except OSError as e:
            results[i] = (0, '', str(e))
    th = [threading.Thread(target=one, args=(i,)) for i in range(40)]
    for t in th:
        t.start()
    for t in th:
        t.join()
    check(all(r[0] == 200 for r in results), '40 concurrent scrapes: all 200')
    bad = [r for r in results if r[0] == 200 and not promtool_ok(r[2])[0]]
    check(not bad, 'promtool accepts every one of the 40 responses')
    if bad:
        print(promtool_ok(bad[0][2])[1][:2000])
    st, ctype, body = get(base + '/metrics', {'Accept': 'application/openmetrics-text;version=1.0.0'})
    check(st == 200 and ctype.startswith('application/openmetrics-text') and body.endswith('# EOF\n'),
          'OpenMetrics when asked for it')
    check('# TYPE psinfo_cpu_seconds counter' in body and 'psinfo_cpu_seconds_total{' in body,
          'OpenMetrics counter family named without _total')
    text = results[0][2]
    check('psinfo_group_processes{group=' in text and 'pid="' not in text,
          'default: series grouped by name, no pid labels')


def meminfo_total():
    with open('/proc/meminfo') as f:
        for line in f:
            if line.startswith('MemTotal:'):
                return int(line.split()[1]) * 1024
    return None


def prometheus_case(port, tmp):
    if not os.access(PROMETHEUS, os.X_OK):
        check(False, 'prometheus is installed (Debian: prometheus)')
        return
    pport = free_port()
    cfg = os.path.join(tmp, 'prometheus.yml')
    with open(cfg, 'w') as f:
        f.write('global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n'
                'scrape_configs:\n  - job_name: psinfo\n    static_configs:\n'
                "      - targets: ['127.0.0.1:%d']\n" % port)
    prom = subprocess.Popen([PROMETHEUS, '--config.file=' + cfg, '--storage.tsdb.path=' + tmp + '/data',
                             '--web.listen-address=127.0.0.1:%d' % pport], stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(tmp, 'prometheus.log'), 'w'))
    try:
        api = 'http://127.0.0.1:%d/api/v1/query?query=' % pport
        value = None
        up = None
        t0 = time.time()
        while time.time() - t0 < 90 and (value is None or up is None):
            time.sleep(1)
            try:
                r = json.loads(get(api + urllib.parse.quote('psinfo_memory_total_bytes'))[2])
                if r['data']['result']:
                    value = float(r['data']['result'][0]['value'][1])
                r = json.loads(get(api + urllib.parse.quote('up{job="psinfo"}'))[2])
                if r['data']['result'] and r['data']['result'][0]['value'][1] == '1':
                    up = 1
            except (OSError, ValueError, KeyError):
                pass
        check(up == 1, 'Prometheus scrapes the target (up == 1)')
        want = meminfo_total()
        if WINE:   # wine's own figure from the host's: a page apart here, within 1 MiB as cli_win asks
            check(value is not None and abs(value - want) < 1 << 20,
                  'Prometheus stored psinfo_memory_total_bytes = MemTotal within 1 MiB (%r vs %r: %r apart)' %
                  (value, want, None if value is None else want - value))
        else:
            check(value == want, 'Prometheus stored psinfo_memory_total_bytes = MemTotal (%r vs %r)' % (value, want))
        r = json.loads(get(api + urllib.parse.quote('count(psinfo_group_processes)'))[2])
        n = float(r['data']['result'][0]['value'][1]) if r['data']['result'] else 0
        check(n >= 1, 'Prometheus stored the grouped process series (%d groups)' % n)
    finally:
        prom.send_signal(signal.SIGTERM)
        try:
            prom.wait(30)
        except subprocess.TimeoutExpired:
            prom.kill()


def stop_while_scraping():
    """A stop while QUEUED scrapes wait for the one-at-a-time lock: the server must exit after
    the running one, not scan once for each queued request (under wine ~0.03 s each: the Winsock server ran all
    60 before it answered the queued ones 503, a stop of 0.67 s, 0.27 s now)."""
    queued = 60
    port = free_port()
    listen = '127.0.0.1:%d' % port
    srv, err = start('--listen', listen)
    base = 'http://' + listen
    socks = []
    try:
        check(wait_up(base + '/', srv), 'serve starts (stop while scraping)')
        times = []
        for _ in range(3):
            t0 = time.time()
            get(base + '/metrics')
            times.append(time.time() - t0)
        scrape = sorted(times)[1]
        for _ in range(queued):
            s = socket.create_connection(('127.0.0.1', port), timeout=30)
            s.sendall(b'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n')
            socks.append(s)
        time.sleep(0.5)   # all read: one scrape running, the rest waiting for the lock
    finally:
        t0 = time.time()
        rc, text = stop(srv, err, listen)
        took = time.time() - t0
    replies = []
    for s in socks:
        data = b''
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except (socket.timeout, ConnectionError):
            pass
        s.close()
        replies.append(status_of(data))
    bound = 2.0 + 10 * scrape
    check(rc == 0 and took < bound,
          'a stop with %d scrapes queued: exit %r in %.2f s (one scrape %.3f s, bound %.2f s)' %
          (queued, rc, took, scrape, bound))
    counts = {st: replies.count(st) for st in set(replies)}
    check(set(replies) <= {0, 200, 503},
          'the queued clients got 200, 503 or a close (%r)' % counts)
    if WINE:
        check(counts.get(503, 0) > 0, 'the Winsock server answered queued scrapes 503 at the stop (%r)' % counts)


def modes():
    port = free_port()
    listen = '127.0.0.1:%d' % port
    srv, err = start('--listen', listen, '--processes', 'top:3')
    try:
        base = 'http://' + listen
        check(wait_up(base + '/', srv), 'serve --processes top:3 starts')
        get(base + '/metrics')
        body = get(base + '/metrics')[2]
        n = sum(1 for l in body.splitlines() if l.startswith('psinfo_process_cpu_percent{'))
        check(n == 3, 'top:3 writes 3 processes (%d)' % n)
        check(promtool_ok(body)[0], 'promtool accepts top:3')
    finally:
        if WINE:
            # wine's answer to SIGTERM: the process ends at once (exit 0, no console event, so
            # no "stopped" line); what matters is that it ends and the port is free again
            pid = wine_pid(listen, 2)
            if pid:
                os.kill(pid, signal.SIGTERM)
            try:
                rc = srv.wait(30)
            except subprocess.TimeoutExpired:
                srv.kill()
                rc = None
            err.seek(0)
            said = 'stopped' in err.read().decode('utf-8', 'replace')
            freed = False   # nothing listens any more: a connection is refused
            for _ in range(50):
                try:
                    socket.create_connection(('127.0.0.1', port), timeout=5).close()
                except ConnectionRefusedError:
                    freed = True
                    break
                except OSError:
                    pass
                time.sleep(0.1)
            check(pid is not None and rc is not None and freed,
                  'SIGTERM to psinfo.exe under wine: it ends (status %r), the port is free (%s); %s' %
                  (rc, freed, 'it ran its stop' if said else 'wine ended it without a console event'))
        else:
            srv.terminate()
            srv.wait(30)
    r = subprocess.run(psinfo('serve', '--listen', 'nonsense'), capture_output=True)
    check(r.returncode == 2, 'a bad --listen is a usage error')
    v6 = socket.socket(socket.AF_INET6) if socket.has_ipv6 else None
    try:
        v6.bind(('::1', 0))
        port = v6.getsockname()[1]
    except (OSError, AttributeError):
        port = None
    if v6:
        v6.close()
    if port is None:
        skip('--listen [::1]:PORT', 'the host has no IPv6 loopback')
        return
    listen = '[::1]:%d' % port
    srv, err = start('--listen', listen, '--processes', 'none')
    try:
        base = 'http://' + listen
        check(wait_up(base + '/', srv), 'serve --listen %s starts' % listen)
        st, ctype, body = get(base + '/metrics')
        check(st == 200 and 'psinfo_memory_total_bytes ' in body and 'psinfo_group_' not in body,
              'over IPv6: /metrics 200, --processes none: no per-process series')
    finally:
        rc, text = stop(srv, err, listen)
    check(rc == 0, '[::1] server: clean exit (%r)' % rc)


CHILD = r"""
import os, sys, time
open('/proc/self/comm', 'w').write(sys.argv[1])
t = time.process_time()
while time.process_time() - t < float(sys.argv[2]):
    pass
sys.stdout.write('ready\n')
sys.stdout.flush()
time.sleep(600)
"""


def cpu_of(pid):
    """utime + stime of a process in seconds, from /proc (the source of the counter)."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def group_values(body, group):
    cpu, procs = 0.0, None
    for line in body.splitlines():
        if line.startswith('psinfo_group_cpu_seconds_total{group="%s",' % group):
            cpu += float(line.rsplit(' ', 1)[1])
        elif line.startswith('psinfo_group_processes{group="%s"}' % group):
            procs = float(line.rsplit(' ', 1)[1])
    return cpu, procs


def group_counters():
    """A group's CPU counter keeps what exited members used (process-exporter's rule): it
    never drops, and once every member is gone it still equals what they used."""
    group = 'grp%05d' % (os.getpid() % 100000)
    kids = [subprocess.Popen([sys.executable, '-c', CHILD, group, '0.3'], stdout=subprocess.PIPE)
            for _ in range(3)]
    port = free_port()
    srv = subprocess.Popen(psinfo('serve', '--listen', '127.0.0.1:%d' % port, '--processes', 'name'),
                           stderr=subprocess.DEVNULL)
    try:
        for k in kids:
            k.stdout.readline()   # done burning: its CPU time no longer moves
        used = sum(cpu_of(k.pid) for k in kids)
        base = 'http://127.0.0.1:%d' % port
        check(wait_up(base + '/', srv), 'serve --processes name starts')
        c1, p1 = group_values(get(base + '/metrics')[2], group)
        check(p1 == 3 and abs(c1 - used) < 1e-6, 'group of 3: counter %.3f = their CPU %.3f' % (c1, used))
        for k in kids[:2]:
            k.kill()
            k.wait()
        body = get(base + '/metrics')[2]
        c2, p2 = group_values(body, group)
        check(p2 == 1 and abs(c2 - used) < 1e-6,
              'two members exited: 1 left, the counter keeps their time (%.3f, was %.3f)' % (c2, c1))
        check(promtool_ok(body)[0], 'promtool accepts the grouped metrics')
        kids[2].kill()
        kids[2].wait()
        c3, p3 = group_values(get(base + '/metrics')[2], group)
        check(p3 == 0 and abs(c3 - used) < 1e-6,
              'every member exited: the group stays at 0 processes, its counter %.3f (was %.3f)' % (c3, used))
    finally:
        for k in kids:
            k.kill()
            k.wait()
        srv.terminate()
        srv.wait(30)


def textfile(tmp):
    path = os.path.join(tmp, 'psinfo.prom')
    for _ in range(2):
        r = subprocess.run([PSINFO, 'metrics', '--processes', 'user', '--textfile', path], capture_output=True)
        check(r.returncode == 0, 'metrics --textfile exits 0 (%s)' % r.stderr.decode()[:200])
    with open(path) as f:
        text = f.read()
    check(promtool_ok(text)[0], 'promtool accepts the textfile')
    check(sorted(os.listdir(tmp)) == ['psinfo.prom'], 'no temporary file left: %s' % os.listdir(tmp))
    r = subprocess.run([PSINFO, 'metrics', '--textfile', '/nonexistent-dir/x.prom'], capture_output=True)
    check(r.returncode == 1, 'an unwritable textfile is an error')


def main():
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        listen = '127.0.0.1:%d' % port
        srv, err = start('--listen', listen)
        base = 'http://' + listen
        try:
            check(wait_up(base + '/', srv), 'psinfo serve starts on loopback')
            silent = Silent(port)
            trickle = Trickle(port) if WINE else None
            if not WINE:
                skip('a trickling client', "libmicrohttpd's timeout is per idle period")
            http_cases(base, port)
            t0 = time.time()
            st = get(base + '/metrics')[0]
            check(st == 200 and silent.closed_after is None,
                  'a scrape while a silent client is connected: 200 in %.2f s (silent closed after %r)' %
                  (time.time() - t0, silent.closed_after))
            concurrent(base)
            prometheus_case(port, tmp)
            silent.join()
            if trickle:
                trickle.join()
                c = trickle.closed_after
                check(c is not None and IDLE_TIMEOUT - 1 <= c <= IDLE_TIMEOUT + 5,
                      'a client trickling a byte every 0.5 s closed after %s s (the head\'s %d s)' %
                      (None if c is None else '%.1f' % c, IDLE_TIMEOUT))
            c = silent.closed_after
            check(c is not None and IDLE_TIMEOUT - 1 <= c <= IDLE_TIMEOUT + 10,
                  'the silent client closed by the server after %s s (its timeout: %d s)' %
                  (None if c is None else '%.1f' % c, IDLE_TIMEOUT))
            check(get(base + '/')[0] == 200 and srv.poll() is None, 'the server survived everything')
        finally:
            rc, text = stop(srv, err, listen)
        check(rc == 0, '%s: clean exit 0 (%r)' % ('SIGINT (Ctrl-C under wine)' if WINE else 'SIGTERM', rc))
        if WINE:
            check('psinfo: serve: stopped (Ctrl-C)' in text, 'SIGINT: psinfo.exe ran its Ctrl-C stop (%r)' % text[-200:])
    stop_while_scraping()
    modes()
    if WINE:
        skip('group counters', 'Linux children named through /proc/self/comm (tests/win/cli_wine_test.py '
             'checks metrics on a Windows child)')
        skip('metrics --textfile', 'Linux paths (tests/win/cli_wine_test.py runs it)')
        skip('Ctrl-Break and the console close', 'the host cannot send them to a wine process')
    else:
        group_counters()
        with tempfile.TemporaryDirectory() as tmp:
            textfile(tmp)
    print('%d failure(s)' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
