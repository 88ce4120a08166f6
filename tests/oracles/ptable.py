#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""psutil's view of the process table, for tests/test_ptable.c (the oracle).

Usage: oracles/ptable.py table [PID...]   every process (or the given PIDs)
       oracles/ptable.py pids              psutil.pids(), one per line
       oracles/ptable.py exists PID...     "PID 0|1" per line (psutil.pid_exists)

`table` prints one line per process:  PID<TAB>field=STATUS:VALUE<TAB>...
  STATUS: ok | AD (AccessDenied) | ZP (ZombieProcess) | NSP (NoSuchProcess)
  VALUE: strings as hex of s.encode('utf-8', 'surrogatepass') ("" -> '""', None -> '-');
         ints decimal; floats repr; tuples/lists items joined with ',' ('[]' when empty).
Each process's fields are read under oneshot(), as process_iter(attrs) does. Processes that
vanish are left out (as process_iter).
"""
import sys

import psutil

FIELDS = ['ppid', 'name', 'exe', 'cmdline', 'cwd', 'username', 'uids', 'gids', 'terminal',
          'status', 'create_time', 'cpu_times', 'cpu_num', 'nice', 'memory_info', 'num_threads',
          'num_ctx_switches', 'io_counters', 'num_fds']


def hx(s):
    if s is None:
        return '-'
    b = s.encode('utf-8', 'surrogatepass')
    return b.hex() if b else '""'


def enc(v):
    if v is None:
        return '-'
    if isinstance(v, str):
        return hx(v)
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return ','.join(enc(x) for x in v) if len(v) else '[]'
    return str(v)


def one(p):
    out = []
    with p.oneshot():
        for f in FIELDS:
            try:
                v = getattr(p, f)()
                if f == 'cpu_times':
                    v = (v.user, v.system, v.children_user, v.children_system,
                         getattr(v, 'iowait', 0.0))
                elif f == 'io_counters':
                    v = (v.read_count, v.write_count, v.read_bytes, v.write_bytes,
                         v.read_chars, v.write_chars)
                elif f == 'memory_info':
                    # psutil 8's pmem: lib and dirty dropped (0 since Linux 2.6); a nonzero
                    # one keeps 5.9's tuple, whose length fails the comparison
                    v = tuple(v) if (v.lib or v.dirty) else (v.rss, v.vms, v.shared, v.text, v.data)
                elif f in ('uids', 'gids', 'num_ctx_switches'):
                    v = tuple(v)
                out.append('%s=ok:%s' % (f, enc(v)))
            except psutil.ZombieProcess:
                out.append('%s=ZP:' % f)
            except psutil.NoSuchProcess:
                return None
            except psutil.AccessDenied:
                out.append('%s=AD:' % f)
    return '%d\t%s' % (p.pid, '\t'.join(out))


def main():
    cmd = sys.argv[1]
    if cmd == 'pids':
        print('\n'.join(str(p) for p in psutil.pids()))
    elif cmd == 'exists':
        for a in sys.argv[2:]:
            print('%s %d' % (a, int(psutil.pid_exists(int(a)))))
    elif cmd == 'table':
        pids = [int(a) for a in sys.argv[2:]] or psutil.pids()
        lines = []
        for pid in pids:
            try:
                line = one(psutil.Process(pid))
            except psutil.NoSuchProcess:
                continue
            if line:
                lines.append(line)
        print('\n'.join(lines))
    else:
        sys.exit('unknown command')


if __name__ == '__main__':
    main()
