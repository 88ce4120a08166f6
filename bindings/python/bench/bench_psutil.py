#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""psinfo against psutil in one run: process_iter(attrs=[12 fields]) over every process, and
Process.as_dict() (psutil's default attributes, and the same 12 fields) on one process.
Rounds alternate between the two libraries; medians are printed with the ratio.

    bench_psutil.py [--rounds N] [--asdict-calls N]
"""
import argparse
import os
import statistics
import sys
import time

import psinfo
import psutil

FIELDS = ['pid', 'ppid', 'name', 'exe', 'cmdline', 'username', 'status', 'create_time',
          'cpu_times', 'memory_info', 'num_threads', 'nice']


# psutil 5.9.4's default as_dict() attributes, for both (psinfo's default adds psutil 8's
# page_faults, memory_footprint and memory_info_ex).
ALL = sorted(psutil.Process().as_dict())


def t_iter(mod):
    t0 = time.perf_counter()
    n = 0
    for p in mod.process_iter(FIELDS, ad_value=None):
        n += 1
    return time.perf_counter() - t0, n


def t_asdict(mod, calls, attrs):
    p = mod.Process(os.getpid())
    t0 = time.perf_counter()
    for _ in range(calls):
        p.as_dict(attrs)
    return (time.perf_counter() - t0) / calls


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=7)
    ap.add_argument('--asdict-calls', type=int, default=200)
    a = ap.parse_args()
    res = {k: {'psinfo': [], 'psutil': []} for k in ('iter', 'asdict12', 'asdict_all')}
    nprocs = []
    for _ in range(a.rounds):
        for name, mod in (('psinfo', psinfo), ('psutil', psutil)):
            dt, n = t_iter(mod)
            res['iter'][name].append(dt)
            nprocs.append(n)
            res['asdict12'][name].append(t_asdict(mod, a.asdict_calls, FIELDS))
            res['asdict_all'][name].append(t_asdict(mod, max(1, a.asdict_calls // 10), ALL))
    print('psinfo %s vs psutil %s, Python %s, %d CPUs, %d-%d processes, %d rounds (medians)'
          % (psinfo.__version__, psutil.__version__, sys.version.split()[0], os.cpu_count(),
             min(nprocs), max(nprocs), a.rounds))
    labels = {'iter': 'process_iter(attrs=12 fields), all processes',
              'asdict12': 'Process.as_dict(12 fields), one process',
              'asdict_all': 'Process.as_dict(psutil 5.9 default attrs)'}
    ok = True
    for k, lab in labels.items():
        ours = statistics.median(res[k]['psinfo'])
        theirs = statistics.median(res[k]['psutil'])
        ratio = theirs / ours
        print('%-48s psinfo %9.3f ms  psutil %9.3f ms  speed-up %.2fx'
              % (lab, ours * 1e3, theirs * 1e3, ratio))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
