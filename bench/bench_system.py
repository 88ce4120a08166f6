# SPDX-License-Identifier: MIT
# psutil side of bench_system: microseconds per call, median of 15 batches (same shape as the
# C side). Prints name=value lines.
import time

import psutil

BATCHES = 15


def median_us(fn, n):
    v = []
    for _ in range(BATCHES):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        v.append((time.perf_counter() - t0) / n * 1e6)
    v.sort()
    return v[BATCHES // 2]


print("disk_partitions=%f" % median_us(lambda: psutil.disk_partitions(all=False), 50))
print("virtual_memory=%f" % median_us(psutil.virtual_memory, 200))
print("cpu_times_percpu=%f" % median_us(lambda: psutil.cpu_times(percpu=True), 200))
