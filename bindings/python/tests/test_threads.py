# SPDX-License-Identifier: MIT
"""16 Python threads call every API at once (the GIL is released in every C call), each result
checked against a reference taken before the threads start. PSINFO_PY_STRESS_SECONDS sets the
duration: 10 s by default (CI), 30 s for the full run."""
import collections
import os
import subprocess
import sys
import threading
import time

import psinfo

SECONDS = float(os.environ.get('PSINFO_PY_STRESS_SECONDS', '10'))
THREADS = 16


def test_sixteen_threads_every_api(capsys, sleeper):
    me = psinfo.Process()
    child = psinfo.Process(sleeper.pid)
    ref = {
        'total': psinfo.virtual_memory().total,
        'swap_total': psinfo.swap_memory().total,
        'boot': psinfo.boot_time(),
        'ncpu': psinfo.cpu_count(),
        'cmdline': child.cmdline(),
        'exe': child.exe(),
        'name': child.name(),
        'ctime': child.create_time(),
        'uids': child.uids(),
        'parts': psinfo.disk_partitions(),
        'nics': set(psinfo.net_if_addrs()),
        'disk_total': psinfo.disk_usage('/').total,
        'users': psinfo.users(),
    }
    checks = {
        'virtual_memory': lambda: psinfo.virtual_memory().total == ref['total'],
        'swap_memory': lambda: psinfo.swap_memory().total == ref['swap_total'],
        'boot_time': lambda: psinfo.boot_time() == ref['boot'],
        'cpu_count': lambda: psinfo.cpu_count() == ref['ncpu'],
        'cpu_times': lambda: psinfo.cpu_times().user > 0,
        'cpu_times_percpu': lambda: len(psinfo.cpu_times(percpu=True)) == ref['ncpu'],
        'cpu_percent': lambda: 0.0 <= psinfo.cpu_percent() <= 100.0,
        'cpu_times_percent': lambda: 0.0 <= psinfo.cpu_times_percent().idle <= 100.0,
        'cpu_stats': lambda: psinfo.cpu_stats().ctx_switches > 0,
        'cpu_freq': lambda: psinfo.cpu_freq() is None or psinfo.cpu_freq().current >= 0,
        'getloadavg': lambda: len(psinfo.getloadavg()) == 3,
        'disk_partitions': lambda: any(p.mountpoint == '/' for p in psinfo.disk_partitions()),
        'disk_usage': lambda: psinfo.disk_usage('/').total == ref['disk_total'],
        'disk_io_counters': lambda: isinstance(psinfo.disk_io_counters(perdisk=True), dict),
        'net_io_counters': lambda: 'lo' in psinfo.net_io_counters(pernic=True),
        # Other jobs on this machine add and remove NICs and mounts: invariants, not equality.
        'net_if_addrs': lambda: 'lo' in psinfo.net_if_addrs()
        and all(isinstance(a.address, str) for v in psinfo.net_if_addrs().values() for a in v),
        'net_if_stats': lambda: 'lo' in psinfo.net_if_stats(),
        'net_connections': lambda: isinstance(psinfo.net_connections('all'), list),
        'sensors': lambda: isinstance(psinfo.sensors_temperatures(), dict)
        and isinstance(psinfo.sensors_fans(), dict),
        'users': lambda: psinfo.users() == ref['users'],
        'pids': lambda: sleeper.pid in psinfo.pids(),
        'pid_exists': lambda: psinfo.pid_exists(sleeper.pid),
        'process_iter': lambda: any(p.pid == sleeper.pid and p.info['exe'] == ref['exe']
                                    for p in psinfo.process_iter(['exe', 'name'])),
        'Process()': lambda: psinfo.Process(sleeper.pid) == child,
        'name': lambda: child.name() == ref['name'],
        'exe': lambda: child.exe() == ref['exe'],
        'cmdline': lambda: child.cmdline() == ref['cmdline'],
        'create_time': lambda: psinfo.Process(sleeper.pid).create_time() == ref['ctime'],
        'uids': lambda: child.uids() == ref['uids'],
        'status': lambda: child.status() in (psinfo.STATUS_SLEEPING, psinfo.STATUS_RUNNING,
                                             psinfo.STATUS_DISK_SLEEP),
        'as_dict': lambda: child.as_dict(['name', 'exe', 'cmdline'])
        == {'name': ref['name'], 'exe': ref['exe'], 'cmdline': ref['cmdline']},
        'oneshot': lambda: _oneshot(child, ref),
        'memory_info': lambda: child.memory_info().rss > 0,
        'memory_full_info': lambda: child.memory_full_info().uss > 0,
        'memory_maps': lambda: len(child.memory_maps()) > 0,
        'cpu_times_proc': lambda: child.cpu_times().user >= 0,
        'cpu_percent_proc': lambda: child.cpu_percent() >= 0,
        'threads': lambda: len(child.threads()) == child.num_threads(),
        'num_fds': lambda: child.num_fds() > 0,
        'open_files': lambda: isinstance(child.open_files(), list),
        'connections': lambda: isinstance(child.connections('all'), list),
        'environ': lambda: isinstance(child.environ(), dict),
        'cwd': lambda: child.cwd() == os.getcwd(),
        'io_counters': lambda: child.io_counters().read_chars >= 0,
        'ctx_switches': lambda: child.num_ctx_switches().voluntary >= 0,
        'nice_ionice_rlimit': lambda: child.nice() == 0 and child.ionice() is not None
        and child.rlimit(psinfo.RLIMIT_NOFILE)[0] > 0,
        'affinity': lambda: len(child.cpu_affinity()) == ref['ncpu'],
        'parent': lambda: child.parent() == me,
        'children': lambda: child in me.children(),
        'is_running': lambda: child.is_running(),
        'send_signal0': lambda: child.send_signal(0) is None,
        'wait_timeout': lambda: _wait_times_out(child),
        'vanished': _vanished,
    }
    counts = collections.Counter()
    wrong = collections.Counter()
    errors = []
    stop = time.monotonic() + SECONDS
    names = sorted(checks)

    def worker(k):
        i = k
        while time.monotonic() < stop:
            name = names[i % len(names)]
            i += 1
            try:
                ok = checks[name]()
            except Exception as e:       # any exception is a wrong answer here
                ok = False
                errors.append('%s: %r' % (name, e))
            counts[name] += 1
            if not ok:
                wrong[name] += 1

    threads = [threading.Thread(target=worker, args=(k * 7,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = sum(counts.values())
    with capsys.disabled():
        print('\n[threads] %d threads, %.0f s: %d calls over %d APIs, %d wrong; fewest: %s'
              % (THREADS, SECONDS, total, len(counts), sum(wrong.values()),
                 ', '.join('%s=%d' % kv for kv in sorted(counts.items(), key=lambda kv: kv[1])[:3])))
    assert not wrong, (dict(wrong), errors[:10])
    assert set(counts) == set(checks), 'some API never ran'


def _oneshot(p, ref):
    with p.oneshot():
        return (p.name(), p.uids(), p.create_time()) == (ref['name'], ref['uids'], ref['ctime'])


def _wait_times_out(p):
    try:
        p.wait(0)
    except psinfo.TimeoutExpired:
        return True
    return False


def _vanished():
    q = subprocess.Popen(['true'])
    p = psinfo.Process(q.pid)
    q.wait()
    try:
        p.name()
    except psinfo.NoSuchProcess:
        return not p.is_running()
    return False


def test_calls_release_the_gil():
    """A thread blocked in C (ps_proc_wait on a sleeping child) does not stop the others: the
    main thread keeps running Python code meanwhile, then kills the child, which ends the
    wait."""
    q = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])
    p = psinfo.Process(q.pid)
    result = {}
    t = threading.Thread(target=lambda: result.setdefault('rc', p.wait()))
    t.start()
    time.sleep(0.2)                      # let it enter the C call
    spins = 0
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        spins += 1
    assert t.is_alive() and 'rc' not in result
    assert spins > 10000, spins          # the GIL was free while the other thread waited
    q.kill()
    t.join(30)
    assert result['rc'] == -9
    q.wait()
