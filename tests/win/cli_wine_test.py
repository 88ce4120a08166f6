#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The CLI's system commands under wine: psinfo.exe (overview), mem, cpu, disks and net must
exit 0 in text and JSON form, and their JSON must agree with the host that wine reports
(oracles read here on Linux: /proc/meminfo, os.cpu_count, /proc/stat, os.statvfs('/') for wine's
Z: drive, /sys/class/net).

    cli_wine_test.py BUILD/tools/psinfo.exe
"""
import json
import os
import subprocess
import sys

exe = sys.argv[1]
env = dict(os.environ, WINEDEBUG='-all')
failures = []


def check(cond, what):
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        failures.append(what)


def run(*args):
    p = subprocess.run(['wine', exe, *args], capture_output=True, text=True, env=env, timeout=120)
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

if failures:
    print('%d failed' % len(failures))
    sys.exit(1)
print('all checks passed')
