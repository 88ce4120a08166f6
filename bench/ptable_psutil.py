#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""psutil side of bench/bench_ptable.c. Timed inside Python (interpreter start-up excluded).

  ptable_psutil.py table RUNS     process_iter(attrs=the 12 fields), RUNS times; prints
                                  "count seconds" per run
  ptable_psutil.py repeat RUNS    the same, psutil's Process cache kept between runs (a
                                  monitor's loop; bench_scanner)
  ptable_psutil.py one PID N      N x Process(PID).as_dict(attrs=the snapshot's fields) under
                                  oneshot(); prints the seconds per call
"""
import sys
import time

import psutil

TABLE_ATTRS = ['pid', 'name', 'exe', 'cwd', 'username', 'status', 'ppid', 'create_time',
               'memory_info', 'cpu_times', 'cmdline', 'num_threads']
# The fields of PS_PT_ALL that psutil 5.9 has (page_faults is psutil 8).
ONE_ATTRS = ['pid', 'ppid', 'name', 'exe', 'cmdline', 'cwd', 'username', 'uids', 'gids',
             'terminal', 'status', 'create_time', 'cpu_times', 'cpu_num', 'nice', 'memory_info',
             'num_threads', 'num_ctx_switches', 'io_counters', 'num_fds']


def table(runs, keep_cache=False):
    for _ in range(runs):
        pmap = getattr(psutil, '_pmap', None)
        if pmap is not None and not keep_cache:
            pmap.clear()    # no Process objects cached from the previous run
        t0 = time.perf_counter()
        n = 0
        for p in psutil.process_iter(attrs=TABLE_ATTRS):
            n += 1
        t1 = time.perf_counter()
        print(n, t1 - t0, flush=True)


def one(pid, n):
    p = psutil.Process(pid)
    p.as_dict(attrs=ONE_ATTRS)      # warm up (terminal map, BOOT_TIME, ...)
    t0 = time.perf_counter()
    for _ in range(n):
        p.as_dict(attrs=ONE_ATTRS)  # as_dict uses oneshot()
    t1 = time.perf_counter()
    print((t1 - t0) / n)


if __name__ == '__main__':
    if sys.argv[1] == 'table':
        table(int(sys.argv[2]))
    elif sys.argv[1] == 'repeat':
        table(int(sys.argv[2]), keep_cache=True)
    else:
        one(int(sys.argv[2]), int(sys.argv[3]))
