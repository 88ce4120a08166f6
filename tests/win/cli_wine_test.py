#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The CLI's system commands under wine: psinfo.exe (overview), mem, cpu, disks and net must
exit 0 in text and JSON form, and their JSON must agree with the host that wine reports
(oracles read here on Linux: /proc/meminfo, os.cpu_count, /proc/stat, os.statvfs('/') for wine's
Z: drive, /sys/class/net). ps, proc, metrics and wait are checked on a known child
(cli_child.exe: prints its pid from GetCurrentProcessId, started here in a known directory with a
non-ASCII argument, exits 7 once the file "release" appears); top's interactive view needs a
console and must say so (exit 1, no crash; top_wine_test.py drives it); serve is
tests/test_cli_serve.py --wine.

    cli_wine_test.py BUILD/tools/psinfo.exe BUILD/tests/win/cli_child.exe
"""
import json
import os
import subprocess
import sys
import tempfile
import time

exe = sys.argv[1]
child_exe = sys.argv[2]
env = dict(os.environ, WINEDEBUG='-all')
failures = []


def check(cond, what):
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        failures.append(what)


def run(*args):
    p = subprocess.run(['wine', exe, *args], capture_output=True, text=True, env=env, timeout=120,
                       encoding='utf-8')
    # wine's own notes ("wine: Read access denied for device ...") may come on stderr; the CLI's
    # errors start with "psinfo:"
    errors = [l for l in p.stderr.splitlines() if l.startswith('psinfo')]
    check(p.returncode == 0 and not errors, 'psinfo.exe %s: exit %d %s' % (' '.join(args), p.returncode, errors))
    return p.stdout


def meminfo(key):
    with open('/proc/meminfo') as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1]) * 1024
    return None


def host_user_seconds():
    with open('/proc/stat') as f:
        cols = f.readline().split()
    return (int(cols[1]) + int(cols[2])) / os.sysconf('SC_CLK_TCK')


for cmd in ([], ['mem'], ['cpu'], ['disks'], ['net']):
    out = run(*cmd)
    check(len(out.strip()) > 0, 'psinfo.exe %s prints something' % ' '.join(cmd))

# mem: wine reports the host's RAM
mem = json.loads(run('mem', '--json'))
vm = mem['virtual_memory']
check(abs(vm['total'] - meminfo('MemTotal')) < 1 << 20, 'mem total %d = host MemTotal %d' % (vm['total'], meminfo('MemTotal')))
check(vm['used'] + vm['available'] == vm['total'], 'mem used + available = total')
check('buffers' not in vm and 'wired' in vm, "mem: Windows' fields (no buffers; wired)")
sw = mem['swap_memory']
check(sw is None or abs(sw['total'] - meminfo('SwapTotal')) < 1 << 20, 'swap: null (no page-file counter) or the host swap')

# cpu: counts and times
before = host_user_seconds()
cpu = json.loads(run('cpu', '--json', '--interval', '0.2'))
after = host_user_seconds()
check(cpu['cpu_count'] == os.cpu_count(), 'cpu_count %d = host %d' % (cpu['cpu_count'], os.cpu_count()))
check(len(cpu['cpu_times_percpu']) == os.cpu_count(), 'one cpu_times entry per CPU')
check(list(cpu['cpu_times']) == ['user', 'system', 'idle', 'irq', 'dpc'], "cpu_times: psutil 8's Windows fields %s" % list(cpu['cpu_times']))
check(list(cpu['cpu_times_percent']) == ['user', 'system', 'idle', 'irq', 'dpc'],
      "cpu_times_percent: the same fields %s" % list(cpu['cpu_times_percent']))
check(all(list(t) == ['user', 'system', 'idle', 'irq', 'dpc'] for t in cpu['cpu_times_percpu']),
      'cpu_times_percpu: the same fields')
check(abs(sum(cpu['cpu_times_percent'].values()) - 100) <= 0.5 or sum(cpu['cpu_times_percent'].values()) == 0,
      'cpu_times_percent: the five shares sum to 100 %s' % cpu['cpu_times_percent'])
check(before - 1 <= cpu['cpu_times']['user'] <= after + 1,
      'cpu user %.2f within the host user+nice %.2f..%.2f' % (cpu['cpu_times']['user'], before, after))
check(0 <= cpu['cpu_percent'] <= 100, 'cpu_percent in 0..100')
check(cpu['cpu_stats'] is not None and cpu['cpu_stats']['soft_interrupts'] == 0,
      "cpu_stats: soft_interrupts psutil's 0 (the library's unknown) %s" % cpu['cpu_stats'])

# disks: C: and Z:, Z: is the host's root
disks = json.loads(run('disks', '--json'))
mounts = {d['mountpoint']: d for d in disks}
check('C:\\' in mounts and 'Z:\\' in mounts, 'disks: C:\\ and Z:\\ %s' % sorted(mounts))
if 'Z:\\' in mounts:
    st = os.statvfs('/')
    total = st.f_blocks * st.f_frsize
    z = mounts['Z:\\']['usage']['total']
    check(abs(z - total) <= 0.01 * total, 'Z:\\ total %d = statvfs("/") %d' % (z, total))

# net: wine's adapters are the host's interfaces
net = json.loads(run('net', '--json'))
host_nics = set(os.listdir('/sys/class/net'))
check(set(net['net_io_counters']) == host_nics, 'net NICs %s = host %s' % (sorted(net['net_io_counters']), sorted(host_nics)))
for nic, st in net['net_if_stats'].items():
    with open('/sys/class/net/%s/mtu' % nic) as f:
        check(st['mtu'] == int(f.read()), '%s mtu %d = sysfs' % (nic, st['mtu']))

# users and battery: psutil's Windows values for what the library reports unknown
users = json.loads(run('users', '--json'))
check(all(u['terminal'] is None and u['pid'] is None for u in users),
      'users: terminal and pid null (psutil None) %s' % users)
check(all(u['host'] is None or len(u['host'].split('.')) == 4 for u in users),
      'users: host an IPv4 address or null %s' % users)
bat = json.loads(run('sensors', '--json'))['battery']
check(bat is None or (isinstance(bat['power_plugged'], bool) and
                      (bat['percent'] == 255 or 0 <= bat['percent'] <= 100)),
      "battery: null, or psutil's percent (255: unknown) and a bool power_plugged %s" % bat)

# ps --all-fields and proc: psutil's Windows-only num_handles, from the table's snapshot, on
# every process; proc of one of them has the key too (wine's HandleCount is its handle table's
# size: at least 32 here, and never 0 for a live process)
ps = json.loads(run('ps', '--json', '--all-fields', '--interval', '0'))
check(len(ps) > 1 and all(isinstance(p.get('num_handles'), int) and p['num_handles'] > 0 for p in ps),
      'ps --all-fields: num_handles an integer > 0 for every process %s' % [(p.get('pid'), p.get('num_handles')) for p in ps])
# psutil's Windows Process has no uids, gids, terminal, num_fds or cpu_num: no such keys (not null)
unix_only = {'uids', 'gids', 'terminal', 'num_fds', 'cpu_num'}
check(all(not unix_only & set(p) for p in ps),
      'ps --all-fields: no Unix-only key %s' % sorted({k for p in ps for k in unix_only & set(p)}))
check(all({'cmdline', 'exe', 'username', 'io_counters', 'memory_info', 'num_ctx_switches'} <= set(p) for p in ps),
      'ps --all-fields: the Windows keys on every row (null where access is denied)')
check(all('num_handles' not in p for p in json.loads(run('ps', '--json', '--interval', '0'))),
      'ps --json without --all-fields: no num_handles')
pid = min(p['pid'] for p in ps if p['pid'] not in (0, 4))   # wine's first service: stays
one = json.loads(run('proc', str(pid), '--json'))
check(isinstance(one.get('num_handles'), int) and one['num_handles'] > 0,
      'proc %d --json: num_handles %r' % (pid, one.get('num_handles')))

# the overview
ov = json.loads(run('--json'))
check(ov['cpu_count'] == os.cpu_count() and abs(ov['virtual_memory']['total'] - vm['total']) < 1 << 20,
      'overview: cpu_count and memory total')

# top's view needs a console (stdout is a pipe here): a clear error, exit 1
for args, text in ((['top'], 'not a console'),):
    p = subprocess.run(['wine', exe, *args], capture_output=True, text=True, env=env, timeout=120)
    check(p.returncode == 1 and text in p.stderr, 'psinfo.exe %s: exit %d, says %r: %r' % (' '.join(args), p.returncode, text, p.stderr.strip()))
top = run('top', '-b')
check('PID' in top and 'NAME' in top, 'top -b prints a frame')

# the known child, in a known directory (wine maps the Linux path under Z:)
wdir = tempfile.mkdtemp(prefix='psinfo-cli-win-')
winpath = lambda path: 'Z:' + os.path.abspath(path).replace('/', '\\')
arg = 'h\u00e9-\u043c\u0438\u0440'
t0 = time.time()
child = subprocess.Popen(['wine', child_exe, arg, 'two words'], cwd=wdir, stdout=subprocess.PIPE,
                         text=True, env=dict(env, LANG='C.UTF-8'))
cpid = int(child.stdout.readline())
t1 = time.time()
want_cmdline = [winpath(child_exe), arg, 'two words']

ps = json.loads(run('ps', '--json'))
pids = [r['pid'] for r in ps]
check(len(pids) == len(set(pids)), 'ps: every pid unique (%d rows)' % len(pids))
rows = [r for r in ps if r['pid'] == cpid]
check(len(rows) == 1, 'ps: the child %d has one row' % cpid)
row = rows[0] if rows else {}
check(row.get('name') == 'cli_child.exe', 'ps: name %r' % row.get('name'))
check(row.get('exe') == winpath(child_exe), 'ps: exe %r' % row.get('exe'))
check(row.get('cmdline') == want_cmdline, 'ps: cmdline %r = %r' % (row.get('cmdline'), want_cmdline))
# Wine runs a 32-bit program started from Linux (build-win32's child) with no Windows parent:
# NtQueryInformationProcess answers ppid 0 for it as well, where a 64-bit one gets the loader's.
with open(child_exe, 'rb') as f:
    head = f.read(4096)
pe = int.from_bytes(head[0x3c:0x40], 'little')
no_parent = head[pe + 4:pe + 6] == b'\x4c\x01' and row.get('ppid') == 0   # IMAGE_FILE_MACHINE_I386
if no_parent:
    print('wine gap (check skipped): the 32-bit child started from Linux has no parent (ppid 0)')
else:
    check(isinstance(row.get('ppid'), int) and row.get('ppid') in pids, 'ps: ppid %r is a listed process' % row.get('ppid'))
ps2 = json.loads(run('ps', '--json'))
check(abs(len(ps2) - len(ps)) <= 5, 'ps: %d rows, a second listing %d' % (len(ps), len(ps2)))
text = run('ps')
check(any(str(cpid) in l.split() and arg in l for l in text.splitlines()), 'ps text: a line with the pid and the non-ASCII argument')

# proc PID --json: psutil's Windows as_dict() keys, the child's values
d = json.loads(run('proc', str(cpid), '--json'))
win_keys = {'cmdline', 'connections', 'cpu_affinity', 'cpu_percent', 'cpu_times', 'create_time', 'cwd',
            'environ', 'exe', 'io_counters', 'ionice', 'memory_full_info', 'memory_info', 'memory_info_ex',
            'memory_maps', 'memory_percent', 'name', 'net_connections', 'nice', 'num_ctx_switches',
            'num_handles', 'num_threads', 'open_files', 'pid', 'ppid', 'status', 'threads', 'username'}
check(win_keys <= set(d), "proc: psutil's Windows as_dict() keys present; missing %s" % sorted(win_keys - set(d)))
# psutil 8's Windows keys beyond 5.9's list above: memory_footprint, page_faults; nothing else
check(set(d) == win_keys | {'memory_footprint', 'page_faults'},
      "proc: exactly psutil's Windows as_dict() keys; extra %s" % sorted(set(d) - win_keys))
check(d.get('pid') == cpid and d.get('ppid') == row.get('ppid'), 'proc: pid, ppid %r' % d.get('ppid'))
check(d.get('name') == 'cli_child.exe' and d.get('exe') == winpath(child_exe), 'proc: name, exe')
check(d.get('cmdline') == want_cmdline, 'proc: cmdline %r' % d.get('cmdline'))
check(d.get('cwd') in (winpath(wdir), winpath(wdir) + '\\'), 'proc: cwd %r = %r' % (d.get('cwd'), winpath(wdir)))
check(d.get('num_threads', 0) >= 1, 'proc: num_threads %r' % d.get('num_threads'))
check(t0 - 1 <= (d.get('create_time') or 0) <= t1 + 1, 'proc: create_time %r within %.2f..%.2f' % (d.get('create_time'), t0, t1))
check(d.get('status') in ('running', 'sleeping'), 'proc: status %r' % d.get('status'))
check(bool(d.get('username')), 'proc: username %r' % d.get('username'))
check(isinstance(d.get('cpu_percent'), float) and 0 <= d['cpu_percent'] <= 100 * os.cpu_count(), 'proc: cpu_percent %r' % d.get('cpu_percent'))
if not no_parent:
    parent = json.loads(run('proc', str(d['ppid']), '--json'))
    check(parent.get('pid') == d['ppid'], 'proc of the parent %r' % d['ppid'])

# metrics: promtool accepts it, the child's series are there
m = run('metrics')
check('\r' not in m, 'metrics: lines end in \\n only')
pc = subprocess.run(['promtool', 'check', 'metrics'], input=m, capture_output=True, text=True)
check(pc.returncode == 0, 'promtool check metrics: %s' % pc.stderr.strip()[:300])
series = [l for l in m.splitlines() if 'pid="%d"' % cpid in l]
check(any(l.startswith('psinfo_process_resident_memory_bytes{') and 'name="cli_child.exe"' in l for l in series),
      'metrics: the child\'s resident memory series (%d series)' % len(series))

# wait: a clear error for a pid that does not exist; the child's exit code 7 once it ends
p = subprocess.run(['wine', exe, 'wait', '999996'], capture_output=True, text=True, env=env, timeout=120)
check(p.returncode == 1 and 'no such process' in p.stderr, 'wait on a missing pid: exit %d %r' % (p.returncode, p.stderr.strip()))
w = subprocess.Popen(['wine', exe, 'wait', '--json', '--timeout', '120', str(cpid)], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True, env=env)
# release the child once the waiter is past its open: it is in the table, then 3 s more
for _ in range(60):
    if any(r['name'] == 'psinfo.exe' and 'wait' in (r['cmdline'] or []) for r in json.loads(run('ps', '--json'))):
        break
    time.sleep(0.5)
time.sleep(3)
open(os.path.join(wdir, 'release'), 'w').close()
out, err = w.communicate(timeout=120)
check(w.returncode == 7, 'wait: exit status %d = the child\'s 7 %r' % (w.returncode, err.strip()))
res = json.loads(out) if out.strip() else [{}]
check(res[0].get('done') is True and res[0].get('kind') == 'exited' and res[0].get('returncode') == 7 and
      res[0].get('mechanism') == 'windows-handle', 'wait --json: %s' % res[0])
check(child.wait(timeout=60) == 7, 'the child exited 7 (wine reports it to its Linux parent)')

if failures:
    print('%d failed' % len(failures))
    sys.exit(1)
print('all checks passed')
