#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""psinfo serve under a real Prometheus server, and psinfo metrics --textfile.

Starts `psinfo serve` on a free loopback port and Debian's `prometheus` (temporary config and
storage) scraping it every second; checks: the landing page, 404, 405, a garbage request (4xx,
server still up), 40 concurrent scrapes (all 200, every text response accepted by promtool),
OpenMetrics negotiation, the sample Prometheus stored for psinfo_memory_total_bytes equals
MemTotal from /proc/meminfo, bounded per-process modes, clean exit on SIGTERM; the textfile
is written atomically and accepted by promtool.
usage: test_cli_serve.py PSINFO_CLI
"""
import json
import os
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

PSINFO = sys.argv[1] if len(sys.argv) > 1 else os.environ['PSINFO_CLI']
PROMTOOL = '/usr/bin/promtool'
PROMETHEUS = '/usr/bin/prometheus'
failures = []


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


def raw(port, payload):
    s = socket.create_connection(('127.0.0.1', port), timeout=10)
    s.sendall(payload)
    data = b''
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    s.close()
    return data


def http_cases(base, port):
    st, ctype, body = get(base + '/')
    check(st == 200 and 'text/html' in ctype and '/metrics' in body, 'landing page at /')
    check(get(base + '/nope')[0] == 404, '404 for an unknown path')
    check(get(base + '/metrics', method='POST', data=b'x=1')[0] == 405, '405 for POST')
    # a request line that is not HTTP: libmicrohttpd closes the connection without a reply
    reply = raw(port, b'\x00\xffGARBAGE \r\n\r\n')
    check(reply == b'' or reply.split(b' ')[1][:1] == b'4', 'garbage bytes: closed or 4xx (%r)' % reply[:40])
    reply = raw(port, b'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n')
    check(reply.startswith(b'HTTP/1.1 400'), 'a malformed header line: 400 (%r)' % reply[:20])
    reply = raw(port, b'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n')
    check(reply.startswith(b'HTTP/1.1 400') or reply == b'', 'a malformed Content-Length: 400 or closed')
    check(get(base + '/')[0] == 200, 'the server is still up after malformed requests')


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


def modes():
    port = free_port()
    srv = subprocess.Popen([PSINFO, 'serve', '--listen', '127.0.0.1:%d' % port, '--processes', 'top:3'],
                           stderr=subprocess.DEVNULL)
    try:
        base = 'http://127.0.0.1:%d' % port
        check(wait_up(base + '/', srv), 'serve --processes top:3 starts')
        get(base + '/metrics')
        body = get(base + '/metrics')[2]
        n = sum(1 for l in body.splitlines() if l.startswith('psinfo_process_cpu_percent{'))
        check(n == 3, 'top:3 writes 3 processes (%d)' % n)
        check(promtool_ok(body)[0], 'promtool accepts top:3')
    finally:
        srv.terminate()
        srv.wait(30)
    r = subprocess.run([PSINFO, 'serve', '--listen', 'nonsense'], capture_output=True)
    check(r.returncode == 2, 'a bad --listen is a usage error')


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
    srv = subprocess.Popen([PSINFO, 'serve', '--listen', '127.0.0.1:%d' % port, '--processes', 'name'],
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
        srv = subprocess.Popen([PSINFO, 'serve', '--listen', '127.0.0.1:%d' % port], stderr=subprocess.PIPE)
        base = 'http://127.0.0.1:%d' % port
        try:
            check(wait_up(base + '/', srv), 'psinfo serve starts on loopback')
            http_cases(base, port)
            concurrent(base)
            prometheus_case(port, tmp)
            check(srv.poll() is None, 'the server survived everything')
        finally:
            srv.send_signal(signal.SIGTERM)
            try:
                rc = srv.wait(30)
            except subprocess.TimeoutExpired:
                srv.kill()
                rc = None
        check(rc == 0, 'SIGTERM: clean exit 0 (%r)' % rc)
    modes()
    group_counters()
    with tempfile.TemporaryDirectory() as tmp:
        textfile(tmp)
    print('%d failure(s)' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
