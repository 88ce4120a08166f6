#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""psinfo top (batch mode against psinfo ps; the interactive view under tmux) and arguments
decoded like the data they are compared with (a passwd entry whose name holds invalid UTF-8).

usage: test_cli_top.py PSINFO_CLI
"""
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time

PSINFO = sys.argv[1] if len(sys.argv) > 1 else os.environ['PSINFO_CLI']
failures = []


def check(cond, what):
    print(('ok   ' if cond else 'FAIL ') + what, flush=True)
    if not cond:
        failures.append(what)


def batch_rows(text):
    """{pid: (user, name)} of every process row of every frame."""
    rows = {}
    header = False
    for line in text.splitlines():
        if line.lstrip().startswith('PID '):
            header = True
            continue
        if not line.strip():
            header = False
            continue
        if header:
            f = line.split(None, 7)
            rows[int(f[0])] = (f[1], f[7] if len(f) > 7 else '')
    return rows


def batch_mode():
    sleeper = subprocess.Popen(['/bin/sleep', '60'])
    try:
        r = subprocess.run([PSINFO, 'top', '-b', '-n', '2', '--interval', '0.2', '--sort', 'pid'],
                           capture_output=True, timeout=120)
        out = r.stdout.decode('utf-8', 'replace')
        check(r.returncode == 0, 'top -b -n 2 exits 0 (%s)' % r.stderr.decode()[:200])
        check(out.count('psinfo top - ') == 2, 'two frames')
        check('load average:' in out and 'CPU0 ' in out and 'Mem ' in out and 'Swap ' in out,
              'uptime, load, per-CPU, memory and swap lines')
        rows = batch_rows(out)
        ps = json.loads(subprocess.run([PSINFO, 'ps', '--json'], capture_output=True, timeout=120).stdout)
        both = [p for p in ps if p['pid'] in rows]
        check(len(both) > 10, 'top and ps list the same processes (%d in both)' % len(both))
        bad = [(p['pid'], p['username'], p['name'], rows[p['pid']]) for p in both
               if (p['username'] or '?')[:12] != rows[p['pid']][0] or (p['name'] or '?') != rows[p['pid']][1]]
        # a process can rename itself between the two commands; a kernel worker changes names
        bad = [b for b in bad if not b[2].startswith('kworker')]
        check(len(bad) <= 2, 'user and name agree with psinfo ps (%s)' % bad[:3])
        check(sleeper.pid in rows and rows[sleeper.pid][1] == 'sleep', 'the test sleeper is listed as sleep')
        pids = [int(l.split()[0]) for l in out.split('\n\n')[0].splitlines() if l[:7].strip().isdigit()]
        check(pids == sorted(pids), '--sort pid sorts by PID')
        r = subprocess.run([PSINFO, 'top', '-b', '--filter', 'sleep'], capture_output=True, timeout=60)
        names = set(v[1] for v in batch_rows(r.stdout.decode('utf-8', 'replace')).values())
        check(names and all('sleep' in n for n in names), '--filter keeps matching names only (%s)' % names)
        r = subprocess.run([PSINFO, 'top', '-b', '--sort', 'bogus'], capture_output=True, timeout=60)
        check(r.returncode == 2, 'a bad sort key is a usage error')
    finally:
        sleeper.kill()
        sleeper.wait()


# a server of this run's own: another checkout's suite running at the same time (its kill-server)
# must not end this one's session
TMUX_SOCKET = 'psinfo-top-test-%d' % os.getpid()


def tmux(*args):
    return subprocess.run(['tmux', '-L', TMUX_SOCKET] + list(args), capture_output=True, timeout=30)


def capture():
    return tmux('capture-pane', '-p', '-t', 'top').stdout.decode('utf-8', 'replace')


def wait_for(pred, secs=30):
    t0 = time.time()
    while time.time() - t0 < secs:
        text = capture()
        if pred(text):
            return text
        time.sleep(0.3)
    return capture()


def first_pids(text):
    out = []
    header = False
    for line in text.splitlines():
        if line.lstrip().startswith('PID '):
            header = True
        elif header and line[:7].strip().isdigit():
            out.append(int(line.split()[0]))
    return out


def interactive():
    if not shutil.which('tmux'):
        check(False, 'tmux is installed (Debian: tmux)')
        return
    tmux('kill-server')
    sleeper = subprocess.Popen(['/bin/sleep', '60'])
    r = tmux('new-session', '-d', '-s', 'top', '-x', '120', '-y', '40', 'env LC_ALL=C.UTF-8 ' + PSINFO + ' top --interval 0.5')
    check(r.returncode == 0, 'tmux session started')
    try:
        text = wait_for(lambda t: 'PID' in t and 'Sort: cpu' in t)
        check('psinfo top - ' in text and 'CPU0' in text and 'Sort: cpu' in text, 'top draws its screen')
        tmux('send-keys', '-t', 'top', 'p')
        text = wait_for(lambda t: 'Sort: pid' in t)
        pids = first_pids(text)
        check('Sort: pid' in text and len(pids) > 5 and pids == sorted(pids), 're-sorts by PID on p (%s)' % pids[:8])
        tmux('send-keys', '-t', 'top', 'n')
        text = wait_for(lambda t: 'Sort: name' in t)
        check('Sort: name' in text, 're-sorts by name on n')
        # / filters by name (Enter applies; an empty filter clears it), as the console view does
        tmux('send-keys', '-t', 'top', '/')
        wait_for(lambda t: 'filter: ' in t, 10)
        # Backspace takes the whole of a two-byte character off (not one byte of it)
        tmux('send-keys', '-t', 'top', '-l', 'sle\u00e9')
        wait_for(lambda t: 'filter: sle\u00e9' in t, 10)
        tmux('send-keys', '-t', 'top', 'BSpace')
        tmux('send-keys', '-t', 'top', '-l', 'e')
        tmux('send-keys', '-t', 'top', 'Enter')
        text = wait_for(lambda t: 'Filter: slee ' in t and sleeper.pid in first_pids(t))
        names = [l.split(None, 7)[7] for l in text.splitlines()
                 if l[:7].strip().isdigit() and len(l.split(None, 7)) > 7]
        check('Filter: slee ' in text and sleeper.pid in first_pids(text) and names and
              all('slee' in n for n in names), '/ filters by name (%s)' % names[:5])
        tmux('send-keys', '-t', 'top', '/')
        wait_for(lambda t: 'filter: ' in t, 10)
        tmux('send-keys', '-t', 'top', 'Enter')
        text = wait_for(lambda t: 'Filter:  ' in t and len(first_pids(t)) > 5)
        check('Filter:  ' in text and len(first_pids(text)) > 5, 'an empty filter clears it')
        tmux('resize-window', '-t', 'top', '-x', '80', '-y', '20')
        text = wait_for(lambda t: len(t.splitlines()) <= 20 and 'PID' in t)
        check(max(len(l) for l in text.splitlines()) <= 80, 'follows a resize to 80 columns')
        tmux('send-keys', '-t', 'top', 'q')
        t0 = time.time()
        while time.time() - t0 < 15 and tmux('has-session', '-t', 'top').returncode == 0:
            time.sleep(0.2)
        check(tmux('has-session', '-t', 'top').returncode != 0, 'quits on q')
    finally:
        tmux('kill-server')
        try:   # the server leaves its socket file behind
            os.unlink(os.path.join(os.environ.get('TMUX_TMPDIR', '/tmp'), 'tmux-%d' % os.getuid(), TMUX_SOCKET))
        except OSError:
            pass
        sleeper.kill()
        sleeper.wait()


def long_interval():
    """-d 3000000 (35 days, accepted): the wait for the next refresh is longer than an int of
    milliseconds holds; the view must still sleep between keys, not redraw in a busy loop."""
    if not shutil.which('tmux'):
        return
    tmux('kill-server')
    tmux('new-session', '-d', '-s', 'top', '-x', '100', '-y', '30', 'exec ' + PSINFO + ' top -d 3000000')
    try:
        wait_for(lambda t: 'PID' in t and 'Sort: cpu' in t)
        pid = int(tmux('display-message', '-p', '-t', 'top', '#{pane_pid}').stdout)

        def cpu():
            with open('/proc/%d/stat' % pid) as f:
                st = f.read().rsplit(')', 1)[1].split()
            return (int(st[11]) + int(st[12])) / os.sysconf('SC_CLK_TCK')
        c0 = cpu()
        time.sleep(2)
        used = cpu() - c0
        check(used < 0.3, 'a 35-day interval waits idle (%.2f s of CPU in 2 s)' % used)
    finally:
        tmux('kill-server')


def cut_at_width():
    """A row wider than the screen is cut at its width in columns, not bytes: in 53 columns a
    process named 'sl\u00e9x' (the row's first 50 columns come before the name) shows 'sl\u00e9'."""
    if not shutil.which('tmux'):
        return
    import tempfile
    d = tempfile.mkdtemp(prefix='psinfo-top-')
    exe = os.path.join(d, 'sl\u00e9x')
    shutil.copy('/bin/sleep', exe)
    child = subprocess.Popen([exe, '60'])
    tmux('kill-server')
    tmux('new-session', '-d', '-s', 'top', '-x', '53', '-y', '40',
         'env LC_ALL=C.UTF-8 ' + PSINFO + ' top --sort pid --filter sl\u00e9')
    try:
        text = wait_for(lambda t: child.pid in first_pids(t))
        mine = [l for l in text.splitlines() if l[:7].strip() == str(child.pid)]
        check(mine and mine[0].endswith('  sl\u00e9'), 'a row cut at 53 columns ends in sl\u00e9 (%r)' % mine)
    finally:
        tmux('kill-server')
        child.kill()
        child.wait()
        shutil.rmtree(d, ignore_errors=True)


def argument_decoding():
    """psinfo ps --user <bytes of a passwd name that is not UTF-8> finds that user's processes."""
    if os.geteuid() != 0:
        print('skip argument decoding: needs root to add a passwd entry')
        return
    name = b'ps\xffarg'
    uid = 54321
    while True:
        try:
            import pwd
            pwd.getpwuid(uid)
            uid += 1
        except KeyError:
            break
    line = name + b':x:%d:%d::/nonexistent:/usr/sbin/nologin\n' % (uid, uid)
    with open('/etc/passwd', 'rb+') as f:
        fcntl.lockf(f, fcntl.LOCK_EX)
        f.seek(0, 2)
        f.write(line)
    child = None
    try:
        child = subprocess.Popen(['/bin/sleep', '60'], user=uid, group=uid)
        time.sleep(0.3)
        r = subprocess.run([PSINFO.encode(), b'ps', b'--json', b'--user', name], capture_output=True, timeout=60)
        found = [p['pid'] for p in json.loads(r.stdout or b'[]')]
        check(r.returncode == 0 and child.pid in found, 'ps --user <invalid UTF-8 name> finds its process (%s)' % found)
        shown = [p['username'] for p in json.loads(r.stdout or b'[]') if p['pid'] == child.pid]
        check(shown == [name.decode('utf-8', 'surrogateescape')], 'the name is shown as psutil shows it (%r)' % shown)
        r = subprocess.run([PSINFO.encode(), b'ps', b'--json', b'--user', b'ps\xfe' + b'arg'], capture_output=True,
                           timeout=60)
        check(json.loads(r.stdout or b'[]') == [], 'another invalid byte matches nothing')
        r = subprocess.run([PSINFO.encode(), b'top', b'-b', b'--sort', b'pid', b'--filter', b'slee'],
                           capture_output=True, timeout=60)
        check(child.pid in batch_rows(r.stdout.decode('utf-8', 'replace')), 'top --filter finds it too')
    finally:
        if child:
            child.kill()
            child.wait()
        with open('/etc/passwd', 'rb+') as f:
            fcntl.lockf(f, fcntl.LOCK_EX)
            data = f.read()
            if line in data:
                data = data.replace(line, b'')
                f.seek(0)
                f.write(data)
                f.truncate()
        with open('/etc/passwd', 'rb') as f:
            check(line not in f.read(), 'the passwd entry is removed again')


def user_column():
    """The USER column is cut and padded by display width: a name of 11 ASCII letters and 'éz'
    cut at 12 bytes (printf's precision) would end in half of the é."""
    if os.geteuid() != 0:
        print('skip the user column: needs root to add a passwd entry')
        return
    import pwd
    name = 'abcdefghijk\u00e9z'
    uid = 54400
    while True:
        try:
            pwd.getpwuid(uid)
            uid += 1
        except KeyError:
            break
    line = name.encode() + b':x:%d:%d::/nonexistent:/usr/sbin/nologin\n' % (uid, uid)
    with open('/etc/passwd', 'rb+') as f:
        fcntl.lockf(f, fcntl.LOCK_EX)
        f.seek(0, 2)
        f.write(line)
    child = None
    try:
        child = subprocess.Popen(['/bin/sleep', '60'], user=uid, group=uid)
        time.sleep(0.3)
        r = subprocess.run([PSINFO, 'top', '-b', '--sort', 'pid', '--filter', 'sleep'], capture_output=True, timeout=60)
        mine = [l for l in r.stdout.split(b'\n') if l[:7].strip() == str(child.pid).encode()]
        try:
            text = mine[0].decode('utf-8') if mine else ''
        except UnicodeDecodeError:
            text = repr(mine[0])
        head = [l for l in r.stdout.decode('utf-8', 'replace').splitlines() if l.lstrip().startswith('PID ')]
        at = head[0].index('%CPU') if head else -1
        check(text[8:20] == 'abcdefghijk\u00e9' and text[20:at] == ' ' * (at - 20),
              'the user column: 12 columns of a non-ASCII name, %%CPU where the header has it (%r)' % text)
    finally:
        if child:
            child.kill()
            child.wait()
        with open('/etc/passwd', 'rb+') as f:
            fcntl.lockf(f, fcntl.LOCK_EX)
            data = f.read()
            if line in data:
                data = data.replace(line, b'')
                f.seek(0)
                f.write(data)
                f.truncate()


def main():
    batch_mode()
    interactive()
    long_interval()
    cut_at_width()
    argument_decoding()
    user_column()
    # the later sessions' server leaves its socket file behind too
    try:
        os.unlink(os.path.join(os.environ.get('TMUX_TMPDIR', '/tmp'), 'tmux-%d' % os.getuid(), TMUX_SOCKET))
    except OSError:
        pass
    print('%d failure(s)' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
