# SPDX-License-Identifier: MIT
"""Values against Debian's psutil (5.9.4) on the live system, for every API both have.
Where psutil 5.9.4 and psutil 7/8 differ, the test says so and checks psutil 7/8's meaning
against /proc directly."""
import os
import socket
import subprocess
import sys
import time

import pytest

import psinfo
import psutil

from conftest import retried

MB = 1 << 20


def close(a, b, tol):
    return abs(a - b) <= tol


# ------------------------------------------------------------------ system


def test_cpu():
    assert psinfo.cpu_count() == psutil.cpu_count()
    assert psinfo.cpu_count(logical=False) == psutil.cpu_count(logical=False)
    before = psutil.cpu_times()
    ours = psinfo.cpu_times()
    after = psutil.cpu_times()
    assert ours._fields == before._fields
    for f in ours._fields:
        assert getattr(before, f) - 0.01 <= getattr(ours, f) <= getattr(after, f) + 0.01, f
    per = psinfo.cpu_times(percpu=True)
    assert len(per) == len(psutil.cpu_times(percpu=True))
    s0 = psutil.cpu_stats()
    s = psinfo.cpu_stats()
    s1 = psutil.cpu_stats()
    assert s._fields == s0._fields
    assert s0.ctx_switches <= s.ctx_switches <= s1.ctx_switches
    assert s0.interrupts <= s.interrupts <= s1.interrupts
    assert s.syscalls == s0.syscalls == 0
    la = psinfo.getloadavg()
    assert len(la) == 3 and all(close(a, b, 1.0) for a, b in zip(la, psutil.getloadavg()))
    assert psinfo.boot_time() == psutil.boot_time()


def test_cpu_times_fields_of_the_kernel(tmp_path):
    """A /proc/stat with eight columns (a kernel before guest accounting): psutil's scputimes
    has those eight fields and no more; the library's unknown columns are not passed on.
    psutil is asked in a child process: once it has read such a file it keeps the short field
    list for good (a module global), which would break this process's later psutil calls."""
    root = str(tmp_path)
    with open(os.path.join(root, 'stat'), 'w') as f:
        f.write('cpu  100 20 300 4000 50 6 7 8\ncpu0 50 10 150 2000 25 3 4 5\n'
                'cpu1 50 10 150 2000 25 3 3 3\nintr 1\nctxt 2\nbtime 3\nsoftirq 4 0\n')
    script = ('import psutil, sys; psutil.PROCFS_PATH = sys.argv[1]\n'
              'for t in [psutil.cpu_times()] + psutil.cpu_times(percpu=True):\n'
              '    print(repr((t._fields, tuple(t))))')
    ref = subprocess.run([sys.executable, '-c', script, root], check=True, capture_output=True,
                         text=True).stdout.splitlines()
    saved = psinfo.PROCFS_PATH
    psinfo.PROCFS_PATH = root
    try:
        ours = [psinfo.cpu_times()] + psinfo.cpu_times(percpu=True)
    finally:
        psinfo.PROCFS_PATH = saved
    assert ours[0]._fields == ('user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq',
                               'steal')
    assert [repr((t._fields, tuple(t))) for t in ours] == ref


def test_users_from_a_utmp_file(tmp_path):
    """Records written here (glibc's struct utmp, 384 bytes on x86_64): a record without a tty
    or host is psutil's Linux suser(terminal=None, host=''), a ":0" host is 'localhost'."""
    import struct
    from psinfo._psinfo_cffi import ffi, lib

    def rec(user, line, host, pid, sec):
        # ut_type, pad, ut_pid, ut_line[32], ut_id[4], ut_user[32], ut_host[256],
        # ut_exit (2 shorts), ut_session, ut_tv (2 int32), ut_addr_v6[4], unused[20]
        return struct.pack('<hxxi32s4s32s256shhiii16s20s', 7, pid, line, b'', user, host, 0, 0,
                           0, sec, 0, b'', b'')
    with open(os.path.join(str(tmp_path), 'utmp'), 'wb') as f:
        f.write(rec(b'alice', b'pts/0', b':0', 4242, 1700000000))
        f.write(rec(b'dan', b'', b'', 78, 6))
    assert lib.ps_set_root(lib.PS_ROOT_RUN, str(tmp_path).encode()) == 0
    try:
        users = psinfo.users()
    finally:
        lib.ps_set_root(lib.PS_ROOT_RUN, ffi.NULL)
    assert [tuple(u) for u in users] == [('alice', 'pts/0', 'localhost', 1700000000.0, 4242),
                                         ('dan', None, '', 6.0, 78)]


def test_cpu_freq():
    theirs = psutil.cpu_freq()
    ours = psinfo.cpu_freq()
    if theirs is None:
        assert ours is None
        return
    assert ours._fields == theirs._fields
    assert (ours.min, ours.max) == (theirs.min, theirs.max)
    assert ours.current > 0
    # psutil 8 gives one entry per CPU (gh-2512); 5.9.4 one per cpufreq policy, as the C API.
    assert len(psinfo.cpu_freq(percpu=True)) == len(psutil.cpu_freq(percpu=True))


def test_cpu_percent_first_call_semantics():
    out = {}

    def worker():
        out['first'] = psinfo.cpu_percent()
        time.sleep(0.2)
        out['second'] = psinfo.cpu_percent()
        out['percpu'] = psinfo.cpu_percent(percpu=True)
        out['tp'] = psinfo.cpu_times_percent()
    import threading
    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert out['first'] == 0.0           # a thread's first call: nothing to compare with
    assert 0.0 <= out['second'] <= 100.0
    assert len(out['percpu']) == psutil.cpu_count()
    assert out['tp']._fields == psutil.cpu_times_percent()._fields
    v = psinfo.cpu_percent(interval=0.1)
    assert 0.0 <= v <= 100.0
    assert all(0.0 <= x <= 100.0 for x in psinfo.cpu_percent(interval=0.1, percpu=True))
    with pytest.raises(ValueError):
        psinfo.cpu_percent(-1)


def test_memory_unknown_fields_as_psutil(tmp_path):
    """A meminfo without Buffers, Cached and Active: the library says unknown, the binding
    gives psutil's 0 with psutil's RuntimeWarning, field for field and word for word; a vmstat
    without pswpin/pswpout likewise for swap sin/sout."""
    root = str(tmp_path)
    with open(os.path.join(root, 'meminfo'), 'w') as f:
        f.write('MemTotal: 1000 kB\nMemFree: 400 kB\nMemAvailable: 500 kB\nShmem: 7 kB\n'
                'Inactive: 6 kB\nSlab: 9 kB\nSReclaimable: 1 kB\nSwapTotal: 100 kB\n'
                'SwapFree: 50 kB\n')
    with open(os.path.join(root, 'vmstat'), 'w') as f:
        f.write('nr_free_pages 1\n')
    saved_o, saved_t = psinfo.PROCFS_PATH, psutil.PROCFS_PATH
    psinfo.PROCFS_PATH = psutil.PROCFS_PATH = root
    try:
        with pytest.warns(RuntimeWarning) as wo:
            o = psinfo.virtual_memory()
        with pytest.warns(RuntimeWarning) as wt:
            t = psutil.virtual_memory()
        assert [str(w.message) for w in wo] == [str(w.message) for w in wt]
        assert 'buffers' in str(wo[0].message)
        for f in ('buffers', 'cached', 'active'):
            assert getattr(o, f) == getattr(t, f) == 0, f
        with pytest.warns(RuntimeWarning) as so:
            os_ = psinfo.swap_memory()
        with pytest.warns(RuntimeWarning) as st:
            ts = psutil.swap_memory()
        assert [str(w.message) for w in so] == [str(w.message) for w in st]
        assert (os_.sin, os_.sout) == (ts.sin, ts.sout) == (0, 0)
    finally:
        psinfo.PROCFS_PATH, psutil.PROCFS_PATH = saved_o, saved_t


def test_memory():
    t, o = psutil.virtual_memory(), psinfo.virtual_memory()
    assert o._fields == t._fields
    assert o.total == t.total
    for f in ('available', 'free', 'active', 'inactive', 'buffers', 'cached', 'shared', 'slab'):
        assert close(getattr(o, f), getattr(t, f), 64 * MB), f
    # psutil 5.9.4: used = total - free - buffers - cached; psutil >= 6 (and free >= 4.0.1):
    # used = total - available, which is what psinfo gives.
    assert o.used == o.total - o.available
    ts, os_ = psutil.swap_memory(), psinfo.swap_memory()
    assert os_._fields == ts._fields
    assert os_.total == ts.total
    assert close(os_.used, ts.used, 64 * MB)


def test_disks():
    for all_ in (False, True):
        t = [tuple(p)[:4] for p in psutil.disk_partitions(all=all_)]
        o = [tuple(p) for p in psinfo.disk_partitions(all=all_)]
        # psutil 5.9.4's sdiskpart also has maxfile/maxpath (removed in psutil 6.0).
        assert o == t
    assert psinfo.disk_partitions()[0]._fields == ('device', 'mountpoint', 'fstype', 'opts')
    t, o = psutil.disk_usage('/'), psinfo.disk_usage('/')
    assert o._fields == t._fields and o.total == t.total
    assert close(o.used, t.used, 256 * MB)
    with pytest.raises(FileNotFoundError):
        psutil.disk_usage('/nonexistent-dir')
    with pytest.raises(FileNotFoundError):
        psinfo.disk_usage('/nonexistent-dir')
    t, o = psutil.disk_io_counters(perdisk=True), psinfo.disk_io_counters(perdisk=True)
    assert set(o) == set(t)
    for k in o:
        assert o[k]._fields == t[k]._fields
        assert o[k].read_count >= t[k].read_count
    tt, ot = psutil.disk_io_counters(), psinfo.disk_io_counters()
    if tt is None:
        assert ot is None
    else:
        assert ot._fields == tt._fields and ot.read_count >= tt.read_count


def test_network():
    retried(_network)


def _network():
    try:
        t = psutil.net_io_counters(pernic=True)
        addrs = psutil.net_if_addrs()
        stats = psutil.net_if_stats()
    except UnicodeDecodeError as e:      # psutil 5.9.4 on a NIC name that is not UTF-8
        raise AssertionError(e)
    o = psinfo.net_io_counters(pernic=True)
    assert list(o) == list(t)
    for k in o:
        assert o[k]._fields == t[k]._fields
        assert o[k].bytes_recv >= t[k].bytes_recv
    assert psinfo.net_io_counters()._fields == psutil.net_io_counters()._fields
    assert psinfo.net_if_addrs() == addrs
    assert psinfo.net_if_stats() == stats


def test_connections():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(('127.0.0.1', 0))
    srv.listen()
    cli = socket.create_connection(srv.getsockname())
    acc, _ = srv.accept()
    udp = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    udp.bind(('::1', 0))
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    path = '/tmp/psinfo-test-%d.sock' % os.getpid()
    unix.bind(path)
    try:
        for kind in ('inet', 'inet4', 'inet6', 'tcp', 'tcp4', 'tcp6', 'udp', 'udp4', 'udp6',
                     'unix', 'all'):
            me = os.getpid()
            t = {c for c in psutil.net_connections(kind) if c.pid == me}
            o = {c for c in psinfo.net_connections(kind) if c.pid == me}
            assert o == t, kind
            assert set(psinfo.Process().connections(kind)) == set(psutil.Process().connections(kind))
        assert len({c for c in psinfo.net_connections('tcp') if c.pid == os.getpid()}) == 3
        with pytest.raises(ValueError):
            psinfo.net_connections('bogus')
    finally:
        for s in (srv, cli, acc, udp, unix):
            s.close()
        os.unlink(path)


def test_sensors_users():
    assert psinfo.sensors_temperatures() == psutil.sensors_temperatures()
    assert psinfo.sensors_temperatures(fahrenheit=True) == psutil.sensors_temperatures(fahrenheit=True)
    assert psinfo.sensors_fans() == psutil.sensors_fans()
    assert psinfo.sensors_battery() == psutil.sensors_battery()
    assert psinfo.users() == psutil.users()


def test_pids():
    before = set(psutil.pids())
    ours = psinfo.pids()
    after = set(psutil.pids())
    assert ours == sorted(ours)
    assert before & after <= set(ours) <= before | after
    assert psinfo.pid_exists(os.getpid()) and psutil.pid_exists(os.getpid())
    assert psinfo.pid_exists(2 ** 22 + 12345) == psutil.pid_exists(2 ** 22 + 12345)


def test_constants():
    for name in dir(psutil):
        if name.startswith(('STATUS_', 'CONN_', 'NIC_DUPLEX_', 'POWER_TIME_', 'IOPRIO_CLASS_',
                            'RLIMIT_')) or name in ('AF_LINK', 'RLIM_INFINITY', 'LINUX',
                                                     'WINDOWS', 'MACOS', 'OSX', 'POSIX',
                                                     'FREEBSD', 'NETBSD', 'OPENBSD', 'BSD',
                                                     'SUNOS', 'AIX'):
            assert getattr(psinfo, name) == getattr(psutil, name), name
    assert psinfo.version_info == tuple(int(x) for x in psinfo.__version__.split('.'))
    assert psinfo.PROCFS_PATH == psutil.PROCFS_PATH == '/proc'


def test_every_public_function_exists():
    """Every module-level function and class of psutil 5.9.4 on Linux is in psinfo, except
    psutil's self-test entry point."""
    for name in psutil.__all__:
        if name in ('test',):
            continue
        assert hasattr(psinfo, name), name
    for name in dir(psutil.Process):
        if not name.startswith('_'):
            assert hasattr(psinfo.Process, name), name

# ------------------------------------------------------------------ processes


PROC_SAME = ['name', 'exe', 'cmdline', 'environ', 'create_time', 'cwd', 'username', 'uids',
             'gids', 'terminal', 'nice', 'ionice', 'num_threads', 'num_fds', 'open_files',
             'cpu_affinity', 'ppid']


def both(t, o, call, check=lambda x, y: x == y):
    """call(psutil_proc) then call(psinfo_proc): equal exceptions, or values that check()."""
    try:
        vt = call(t)
    except psutil.Error as e:
        with pytest.raises(getattr(psinfo, type(e).__name__)):
            call(o)
        return
    vo = call(o)
    assert check(vt, vo), (vt, vo)


def _stable(p, self_=False):
    t, o = psutil.Process(p), psinfo.Process(p)
    for m in PROC_SAME:
        if (self_ or p == 1) and m in ('num_fds', 'open_files', 'num_threads'):
            continue           # they move while the two libraries read (own fds; PID 1 here is
                               # the sandbox's busy supervisor)
        both(t, o, lambda x: getattr(x, m)())
    both(t, o, lambda x: x.rlimit(psutil.RLIMIT_NOFILE))
    if p != 1:
        both(t, o, lambda x: [th.id for th in x.threads()])
    assert o.threads()[0]._fields == t.threads()[0]._fields
    assert o.status() == t.status()
    both(t, o, lambda x: x.memory_info(),
         lambda a, b: a._fields == b._fields and close(a.rss, b.rss, 4 * MB)
         and close(a.vms, b.vms, 16 * MB))
    both(t, o, lambda x: x.memory_full_info(),
         lambda a, b: a._fields == b._fields and close(a.uss, b.uss, 4 * MB))
    both(t, o, lambda x: [m.path for m in x.memory_maps()])
    both(t, o, lambda x: x.memory_maps(grouped=False),
         lambda a, b: a[0]._fields == b[0]._fields
         and [(m.addr, m.perms) for m in a][:5] == [(m.addr, m.perms) for m in b][:5])
    both(t, o, lambda x: x.io_counters(),
         lambda a, b: a._fields == b._fields and b.read_chars >= a.read_chars)
    both(t, o, lambda x: x.cpu_times(),
         lambda a, b: a._fields == b._fields and close(a.user, b.user, 0.5))
    both(t, o, lambda x: x.num_ctx_switches(),
         lambda a, b: a._fields == b._fields and b.voluntary >= a.voluntary)
    assert 0 <= o.cpu_num() < psutil.cpu_count()
    both(t, o, lambda x: x.memory_percent(), lambda a, b: close(a, b, 0.5))
    both(t, o, lambda x: x.parent() and x.parent().pid)
    # Descendants of PID 1 come and go on a busy machine: a few may differ between the reads.
    both(t, o, lambda x: [c.pid for c in x.children(recursive=True)],
         lambda a, b: a == b if p != 1 else len(set(a) & set(b)) >= len(a) // 2)
    both(t, o, lambda x: [c.pid for c in x.parents()])
    both(t, o, lambda x: x.connections('all'), lambda a, b: set(a) == set(b))
    assert o.is_running()
    assert o == psinfo.Process(p) and hash(o) == hash(psinfo.Process(p))
    with o.oneshot():
        assert (o.name(), o.ppid(), o.uids(), o.status()) == (t.name(), t.ppid(), t.uids(),
                                                              t.status())


def test_self():
    _stable(os.getpid(), self_=True)


def test_child(sleeper):
    time.sleep(0.3)
    _stable(sleeper.pid)


def test_pid1():
    _stable(1)


def test_as_dict_and_process_iter(sleeper):
    time.sleep(0.3)
    t, o = psutil.Process(sleeper.pid), psinfo.Process(sleeper.pid)
    dt, do = t.as_dict(), o.as_dict()
    # psutil 5.9.4 has no page_faults, memory_footprint, memory_info_ex (psutil 8 getters);
    # psinfo names connections as 5.9/7 does.
    assert set(do) - set(dt) == {'page_faults', 'memory_footprint', 'memory_info_ex'}
    assert set(dt) - set(do) == set()
    for k in ('name', 'exe', 'cmdline', 'cwd', 'username', 'uids', 'gids', 'status',
              'create_time', 'terminal', 'num_fds', 'open_files', 'environ', 'nice', 'ppid',
              'cpu_affinity', 'num_threads', 'connections'):
        assert do[k] == dt[k], k
    attrs = ['pid', 'ppid', 'name', 'exe', 'cmdline', 'cwd', 'username', 'uids', 'gids',
             'status', 'create_time', 'terminal', 'nice', 'num_threads', 'num_fds']
    theirs = {p.pid: p.info for p in psutil.process_iter(attrs, ad_value='AD')}
    ours = {p.pid: p.info for p in psinfo.process_iter(attrs, ad_value='AD')}
    for pid in (1, sleeper.pid):
        if pid == 1:
            for k in ('num_fds', 'num_threads'):
                ours[1].pop(k), theirs[1].pop(k)
        assert ours[pid] == theirs[pid], pid
    ours[os.getpid()].pop('num_fds'), theirs[os.getpid()].pop('num_fds')   # moves meanwhile
    assert ours[os.getpid()] == theirs[os.getpid()]
    common = set(ours) & set(theirs)
    same = sum(ours[p]['name'] == theirs[p]['name'] and ours[p]['exe'] == theirs[p]['exe']
               for p in common)
    assert same >= len(common) * 0.95 - 3     # processes can exec meanwhile (thousands here)
    assert list(ours) == sorted(ours)
    # Objects are cached between calls (psutil's _pmap) and identical while alive.
    a = {p.pid: p for p in psinfo.process_iter()}
    b = {p.pid: p for p in psinfo.process_iter()}
    assert a[sleeper.pid] is b[sleeper.pid]
    with pytest.raises(ValueError):
        list(psinfo.process_iter(['bogus']))


def test_num_handles_is_an_attribute_where_psutil_has_one():
    """num_handles (the table field PS_PT_NUM_HANDLES) is psutil's Windows-only attribute: the
    binding has it exactly where psutil has it (not on Linux: no method, no as_dict key, and
    as_dict / process_iter refuse the name with psutil's ValueError)."""
    from psinfo._psinfo_cffi import ffi, lib
    assert psinfo.WINDOWS == psutil.WINDOWS
    mine, theirs = psinfo.Process(), psutil.Process()
    assert hasattr(mine, 'num_handles') == hasattr(theirs, 'num_handles')
    assert ('num_handles' in mine.as_dict()) == ('num_handles' in theirs.as_dict())
    if not psutil.WINDOWS:
        for mod, p in ((psinfo, mine), (psutil, theirs)):
            with pytest.raises(ValueError, match="invalid attr name 'num_handles'"):
                p.as_dict(['num_handles'])
            with pytest.raises(ValueError, match="invalid attr name 'num_handles'"):
                list(mod.process_iter(['num_handles', 'name']))
        # the C table: requested, the field is absent with PS_ENOTSUP in every record
        pp = ffi.new('ps_ptable **')
        assert lib.ps_ptable_scan(1 << lib.PS_PT_NUM_HANDLES, 0, pp) == 0
        t = pp[0]
        try:
            assert t.count > 1
            for i in range(t.count):
                r = t.records[i]
                assert not r.present >> lib.PS_PT_NUM_HANDLES & 1
                assert r.error[lib.PS_PT_NUM_HANDLES] == lib.PS_ENOTSUP
        finally:
            lib.ps_ptable_free(t)


def test_signals_and_wait():
    p = psinfo.Popen([sys.executable, '-c', 'import time; time.sleep(60)'],
                     stdout=subprocess.PIPE)
    assert p.stdout is not None and p.name().startswith('python')
    with pytest.raises(psinfo.TimeoutExpired) as ei:
        p.wait(0.05)
    assert ei.value.seconds == 0.05 and ei.value.pid == p.pid
    p.suspend()
    deadline = time.monotonic() + 10
    while p.status() != psinfo.STATUS_STOPPED and time.monotonic() < deadline:
        time.sleep(0.01)
    assert p.status() == psutil.Process(p.pid).status() == psinfo.STATUS_STOPPED
    p.resume()
    p.terminate()
    assert p.wait(10) == -15 and p.returncode == -15
    p.stdout.close()
    # wait_procs: exit codes, callback order, the ones left alive.
    procs = [psinfo.Popen([sys.executable, '-c', 'import sys; sys.exit(%d)' % i]) for i in (3, 4)]
    slow = psinfo.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
    seen = []
    gone, alive = psinfo.wait_procs(procs + [slow], timeout=5, callback=seen.append)
    assert sorted(x.returncode for x in gone) == [3, 4]
    assert alive == [slow] and set(seen) == set(procs)
    slow.kill()
    gone, alive = psinfo.wait_procs([slow], timeout=10)
    assert gone == [slow] and slow.returncode == -9 and alive == []
    # Not our child (a grandchild, reparented when its shell exits): psutil returns None once
    # it is gone.
    out = subprocess.run(['sh', '-c', 'sleep 60 >/dev/null 2>&1 & echo $!'], capture_output=True,
                         text=True, check=True).stdout
    other = psinfo.Process(int(out))
    assert other.ppid() != os.getpid()
    other.kill()
    assert other.wait(30) is None


@pytest.fixture
def quiet():
    """/bin/sleep: its memory does not move once it has exec'd (a Python child's does while it
    starts)."""
    q = subprocess.Popen(['sleep', '600'])
    deadline = time.monotonic() + 30
    while psutil.Process(q.pid).cmdline() != ['sleep', '600']:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.1)
    yield q
    q.kill()
    q.wait()


def test_psutil8_memory_getters_against_proc(quiet):
    """psutil 8's memory_info_ex, memory_footprint and memory_percent (not in psutil 5.9.4):
    checked against /proc/<pid>/status and smaps_rollup directly."""
    sleeper = quiet
    p = psinfo.Process(sleeper.pid)
    retried(lambda: _mem_ex(p, sleeper))
    retried(lambda: _footprint(p, sleeper))
    assert close(p.memory_percent(), psutil.Process(sleeper.pid).memory_percent(), 0.1)
    with pytest.raises(ValueError):
        p.memory_percent('bogus')


def _mem_ex(p, sleeper):
    status = {}
    for line in open('/proc/%d/status' % sleeper.pid):
        k, _, v = line.partition(':')
        if v.strip().endswith('kB'):
            status[k] = int(v.split()[0]) * 1024
    ex = p.memory_info_ex()
    assert ex.peak_rss == status['VmHWM'] and ex.peak_vms == status['VmPeak']
    assert (ex.rss_anon, ex.rss_file, ex.rss_shmem) == (status['RssAnon'], status['RssFile'],
                                                       status['RssShmem'])
    assert ex.swap == status['VmSwap'] and ex.hugetlb == status.get('HugetlbPages', 0)


def _footprint(p, sleeper):
    roll = {}
    for line in open('/proc/%d/smaps_rollup' % sleeper.pid):
        parts = line.split()
        if len(parts) == 3 and parts[2] == 'kB':
            roll[parts[0].rstrip(':')] = int(parts[1]) * 1024
    fp = p.memory_footprint()
    assert fp.uss == roll['Private_Clean'] + roll['Private_Dirty'] + roll.get('Private_Hugetlb', 0)
    assert fp.pss == roll['Pss'] and fp.swap == roll['Swap']
    total = psutil.virtual_memory().total
    assert close(p.memory_percent('uss'), fp.uss / total * 100, 1e-9)
