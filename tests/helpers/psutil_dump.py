#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Dump psutil's view of processes for the C oracle tests (tests/test_proc_oracle.c).

Usage: psutil_dump.py [--replace] [--children-of=PID,...] [PID...]   (no PID: every process)

A call of psutil's children() reads every process's stat, so dumping it for all N
processes costs N^2 reads (minutes with a few thousand processes; the C side's comparison the
same). With no PID given, 'children' is therefore dumped for the CHILDREN_SAMPLE lowest PIDs
and those named with --children-of only; the other fields for every process.

One line per field: PID<TAB>FIELD<TAB>STATUS<TAB>VALUE
  STATUS: ok | AccessDenied | ZombieProcess | NoSuchProcess | Unsupported
  VALUE encodings: str -> hex of s.encode('utf-8', 'surrogatepass') (or of
  bytes.decode('utf-8', 'replace') re-encoded with --replace: psutil's strings are
  re-derived from the surrogate-escaped str); None -> '-'; int -> decimal; float -> repr;
  sequences -> items joined with ','; dict -> hexkey=hexval joined with ','.
Written to stdout; the C side parses it. Kept simple on purpose (no JSON parser in C).
"""
import os
import sys

import psutil

REPLACE = False
CHILDREN_SAMPLE = 100


def hx(s):
    if s is None:
        return '-'
    if REPLACE:
        b = os.fsencode(s).decode('utf-8', 'replace').encode('utf-8')
    else:
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
    if isinstance(v, dict):
        return ','.join('%s=%s' % (hx(k), hx(x)) for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return ','.join(enc(x) for x in v) if v else '[]'
    return str(v)


def pmem8(m):
    """psutil 8's shape of pmem/pfullmem: 5.9's without lib and dirty, which psutil 8 dropped
    because Linux has kept them at 0 since 2.6. A nonzero one keeps the 5.9 tuple, whose length
    then fails the comparison."""
    if m.lib or m.dirty:
        return tuple(m)
    return tuple(v for k, v in zip(m._fields, m) if k not in ('lib', 'dirty'))


def fields(p, with_children):
    yield 'name', p.name
    yield 'exe', p.exe
    yield 'cmdline', p.cmdline
    yield 'environ', p.environ
    yield 'cwd', p.cwd
    yield 'username', p.username
    yield 'uids', lambda: tuple(p.uids())
    yield 'gids', lambda: tuple(p.gids())
    yield 'terminal', p.terminal
    yield 'ppid', p.ppid
    yield 'status', p.status
    yield 'create_time', p.create_time
    yield 'cpu_times', lambda: tuple(p.cpu_times())
    yield 'cpu_num', p.cpu_num
    yield 'cpu_affinity', p.cpu_affinity
    yield 'nice', p.nice
    yield 'ionice', lambda: (int(p.ionice().ioclass), p.ionice().value)
    yield 'rlimit_nofile', lambda: p.rlimit(psutil.RLIMIT_NOFILE)
    yield 'rlimit_stack', lambda: p.rlimit(psutil.RLIMIT_STACK)
    yield 'memory_info', lambda: pmem8(p.memory_info())
    yield 'memory_full_info', lambda: pmem8(p.memory_full_info())
    yield 'num_threads', p.num_threads
    yield 'threads', lambda: [t.id for t in p.threads()]
    yield 'num_fds', p.num_fds
    yield 'num_ctx_switches', lambda: tuple(p.num_ctx_switches())
    yield 'io_counters', lambda: tuple(p.io_counters())
    yield 'open_files', lambda: sorted((f.fd, f.path, f.mode, f.flags) for f in p.open_files())
    if with_children:
        yield 'children', lambda: sorted(c.pid for c in p.children())
    yield 'parent', lambda: (p.parent().pid if p.parent() else 0)
    yield 'memory_maps', lambda: [m.path for m in p.memory_maps(grouped=True)]
    yield 'memory_maps_ext', lambda: [(m.addr, m.perms, m.path, m.size)
                                      for m in p.memory_maps(grouped=False)]


def dump(pid, out, with_children):
    try:
        p = psutil.Process(pid)
    except psutil.Error:
        return
    with p.oneshot():
        for name, fn in fields(p, with_children):
            try:
                st, v = 'ok', enc(fn())
            except psutil.ZombieProcess:
                st, v = 'ZombieProcess', '-'
            except psutil.NoSuchProcess:
                st, v = 'NoSuchProcess', '-'
            except psutil.AccessDenied:
                st, v = 'AccessDenied', '-'
            except (NotImplementedError, AttributeError):
                st, v = 'Unsupported', '-'
            out.append('%d\t%s\t%s\t%s\n' % (pid, name, st, v))


def main():
    global REPLACE
    args = sys.argv[1:]
    if args and args[0] == '--replace':
        REPLACE = True
        args = args[1:]
    children_of = set()
    while args and args[0].startswith('--children-of='):
        children_of.update(int(x) for x in args[0].split('=', 1)[1].split(',') if x)
        args = args[1:]
    if args:
        pids = [int(a) for a in args]
        children_of.update(pids)
    else:
        pids = psutil.pids()
        children_of.update(sorted(pids)[:CHILDREN_SAMPLE])
    out = []
    for pid in pids:
        dump(pid, out, pid in children_of)
    sys.stdout.write(''.join(out))


if __name__ == '__main__':
    main()
