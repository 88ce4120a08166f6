# SPDX-License-Identifier: MIT
"""psutil's system-wide functions, one C call each (plus psutil's Python-side bookkeeping
where psutil has some: cpu_percent's previous samples)."""
import math
import os
import warnings
import threading
import time

from ._psinfo_cffi import ffi, lib
from . import _common as c
from ._errors import check

# ------------------------------------------------------------------------ CPU


def _cpu_times_struct():
    out = ffi.new('ps_cputimes *')
    check(lib.ps_cpu_times(out))
    return out


def _cpu_times_list():
    pp = ffi.new('ps_cputimes_list **')
    check(lib.ps_cpu_times_percpu(pp))
    try:
        lst = pp[0]
        return [ffi.new('ps_cputimes *', lst.items[i]) for i in range(lst.count)]
    finally:
        lib.ps_cputimes_list_free(pp[0])


def cpu_times(percpu=False):
    if percpu:
        return [c.conv_cputimes(t) for t in _cpu_times_list()]
    return c.conv_cputimes(_cpu_times_struct())


# psutil keeps the previous sample per calling thread (keyed by thread id); the importing
# thread's is taken at import, so only a thread's very first call without interval returns
# 0.0. A threading.local holds them here: a new thread that reuses a dead thread's id starts
# afresh instead of comparing with the dead thread's sample.
_samples = threading.local()
_samples.total = _cpu_times_struct()
_samples.percpu = _cpu_times_list()
_samples.total_tp = _samples.total
_samples.percpu_tp = _samples.percpu


def _swap_sample(key, new):
    old = getattr(_samples, key, None)
    setattr(_samples, key, new)
    return old if old is not None else new


def _check_interval(interval):
    if interval is not None and interval < 0:
        raise ValueError('interval is not positive (got %r)' % interval)
    return interval is not None and interval > 0.0


def _percent(before, after):
    out = ffi.new('double *')
    check(lib.ps_cpu_percent(before, after, out))
    return out[0]


def cpu_percent(interval=None, percpu=False):
    blocking = _check_interval(interval)
    if not percpu:
        if blocking:
            before = _cpu_times_struct()
            time.sleep(interval)
            after = _cpu_times_struct()
            _swap_sample('total', after)
        else:
            after = _cpu_times_struct()
            before = _swap_sample('total', after)
        return _percent(before, after)
    if blocking:
        before = _cpu_times_list()
        time.sleep(interval)
        after = _cpu_times_list()
        _swap_sample('percpu', after)
    else:
        after = _cpu_times_list()
        before = _swap_sample('percpu', after)
    if len(before) != len(after):     # a CPU went on/offline: no meaningful delta
        before = after
    return [_percent(b, a) for b, a in zip(before, after)]


def _times_percent(before, after):
    out = ffi.new('ps_cputimes *')
    check(lib.ps_cpu_times_percent(before, after, out))
    return c.conv_cputimes(out)


def cpu_times_percent(interval=None, percpu=False):
    blocking = _check_interval(interval)
    if not percpu:
        if blocking:
            before = _cpu_times_struct()
            time.sleep(interval)
            after = _cpu_times_struct()
            _swap_sample('total_tp', after)
        else:
            after = _cpu_times_struct()
            before = _swap_sample('total_tp', after)
        return _times_percent(before, after)
    if blocking:
        before = _cpu_times_list()
        time.sleep(interval)
        after = _cpu_times_list()
        _swap_sample('percpu_tp', after)
    else:
        after = _cpu_times_list()
        before = _swap_sample('percpu_tp', after)
    if len(before) != len(after):
        before = after
    return [_times_percent(b, a) for b, a in zip(before, after)]


def cpu_count(logical=True):
    out = ffi.new('int32_t *')
    rc = lib.ps_cpu_count_logical(out) if logical else lib.ps_cpu_count_physical(out)
    if rc == lib.PS_ENOTSUP:
        return None          # psutil: None when undetermined
    check(rc)
    return out[0]


def cpu_stats():
    out = ffi.new('ps_cpustats *')
    check(lib.ps_cpu_stats(out))
    # Linux does not count syscalls, Windows soft interrupts: the library's unknown, psutil's 0
    return c.scpustats(out.ctx_switches, out.interrupts, c.known(out.soft_interrupts),
                       c.known(out.syscalls))


def cpu_freq(percpu=False):
    if percpu:
        pp = ffi.new('ps_cpufreq_list **')
        rc = lib.ps_cpu_freq_percpu(pp)
        if rc == lib.PS_ENOTSUP:
            return []
        check(rc)
        try:
            return [c.scpufreq(f.current, _nan0(f.min), _nan0(f.max))
                    for f in (pp[0].items[i] for i in range(pp[0].count))]
        finally:
            lib.ps_cpufreq_list_free(pp[0])
    out = ffi.new('ps_cpufreq *')
    rc = lib.ps_cpu_freq(out)
    if rc == lib.PS_ENOTSUP:
        return None
    check(rc)
    return c.scpufreq(out.current, _nan0(out.min), _nan0(out.max))


def _nan0(x):
    """An unknown frequency bound (NaN) as psutil's 0.0."""
    return 0.0 if math.isnan(x) else x


def getloadavg():
    out = ffi.new('double[3]')
    check(lib.ps_getloadavg(out))
    return (out[0], out[1], out[2])


def boot_time():
    out = ffi.new('double *')
    check(lib.ps_boot_time(out))
    return out[0]

# ------------------------------------------------------------------------ memory


def virtual_memory():
    m = ffi.new('ps_vmem *')
    check(lib.ps_virtual_memory(m))
    # psutil (Linux): a field /proc/meminfo lacks is 0, with one RuntimeWarning naming them
    opt = [('buffers', m.buffers), ('cached', m.cached), ('shared', m.shared),
           ('active', m.active), ('inactive', m.inactive), ('slab', m.slab)]   # psutil's order
    missing = [k for k, v in opt[:5] if v == lib.PS_UNKNOWN_U64]   # psutil: slab is 0 silently
    if missing and lib.ps_platform() == lib.PS_PLATFORM_LINUX:
        warnings.warn("%s memory stats couldn't be determined and %s set to 0"
                      % (", ".join(missing), "was" if len(missing) == 1 else "were"),
                      RuntimeWarning, stacklevel=2)
    v = dict((k, c.known(x)) for k, x in opt)
    return c.svmem(m.total, m.available, m.percent, m.used, m.free, v['active'], v['inactive'],
                   v['buffers'], v['cached'], v['shared'], v['slab'])


def swap_memory():
    m = ffi.new('ps_swapmem *')
    check(lib.ps_swap_memory(m))
    if ((m.sin == lib.PS_UNKNOWN_U64 or m.sout == lib.PS_UNKNOWN_U64)
            and lib.ps_platform() == lib.PS_PLATFORM_LINUX):
        warnings.warn("'sin' and 'sout' swap memory stats couldn't be determined and were "
                      "set to 0", RuntimeWarning, stacklevel=2)
    return c.sswap(m.total, m.used, m.free, m.percent, c.known(m.sin), c.known(m.sout))

# ------------------------------------------------------------------------ disks


def disk_partitions(all=False):
    pp = ffi.new('ps_disk_partition_list **')
    check(lib.ps_disk_partitions(1 if all else 0, pp))
    try:
        d = c.decode
        return [c.sdiskpart(d(p.device), d(p.mountpoint), d(p.fstype), d(p.opts))
                for p in (pp[0].items[i] for i in range(pp[0].count))]
    finally:
        lib.ps_disk_partition_list_free(pp[0])


def disk_usage(path):
    out = ffi.new('ps_diskusage *')
    rc = lib.ps_disk_usage(c.encode(path), out)
    if rc == lib.PS_ENOENT:
        raise FileNotFoundError(2, 'No such file or directory', os.fspath(path))
    if rc == lib.PS_EACCES:
        raise PermissionError(13, 'Permission denied', os.fspath(path))
    check(rc)
    return c.sdiskusage(out.total, out.used, out.free, out.percent)


def _diskio(k):
    six = (k.read_count, k.write_count, k.read_bytes, k.write_bytes, k.read_time, k.write_time)
    if not c.LINUX:   # psutil's six fields elsewhere (the library: the rest PS_UNKNOWN_U64)
        return c.sdiskio_short(*six)
    return c.sdiskio(*six, c.known(k.read_merged_count), c.known(k.write_merged_count),
                     c.known(k.busy_time))


def disk_io_counters(perdisk=False, nowrap=True):
    # nowrap: the library reports the kernel's 64-bit counters as they are (docs/python.md).
    if perdisk:
        pp = ffi.new('ps_diskio_list **')
        check(lib.ps_disk_io_counters_perdisk(pp))
        try:
            return {c.decode(e.name): _diskio(e.counters)
                    for e in (pp[0].items[i] for i in range(pp[0].count))}
        finally:
            lib.ps_diskio_list_free(pp[0])
    out = ffi.new('ps_diskio *')
    rc = lib.ps_disk_io_counters(out)
    if rc == lib.PS_ENOENT:
        return None
    check(rc)
    return _diskio(out)


disk_io_counters.cache_clear = lambda: None

# ------------------------------------------------------------------------ network


def _netio(k):
    return c.snetio(k.bytes_sent, k.bytes_recv, k.packets_sent, k.packets_recv, k.errin,
                    k.errout, k.dropin, c.known(k.dropout))   # macOS: psutil 0


def net_io_counters(pernic=False, nowrap=True):
    if pernic:
        pp = ffi.new('ps_netio_list **')
        check(lib.ps_net_io_counters_pernic(pp))
        try:
            return {c.decode(e.name): _netio(e.counters)
                    for e in (pp[0].items[i] for i in range(pp[0].count))}
        finally:
            lib.ps_netio_list_free(pp[0])
    out = ffi.new('ps_netio *')
    check(lib.ps_net_io_counters(out))
    return _netio(out)


net_io_counters.cache_clear = lambda: None


def conn_kind(kind):
    out = ffi.new('int32_t *')
    if not isinstance(kind, str) or lib.ps_conn_kind_from_name(kind.encode(), out) != 0:
        valid = [ffi.string(lib.ps_conn_kind_name(i)).decode()
                 for i in range(lib.PS_CONN_KIND_ALL + 1)]
        raise ValueError('invalid %r kind argument; choose between %s'
                         % (kind, ', '.join(repr(x) for x in valid)))
    return out[0]


def connections_from(lst, with_pid):
    res = []
    for i in range(lst.count):
        k = lst.items[i]
        laddr = c.conv_endpoint(k.family, k.laddr, k.path, True)
        raddr = c.conv_endpoint(k.family, k.raddr, k.path, False)
        status = c.CONN_NAMES[k.status]
        # psutil's spellings of "no visible owner": fd -1, pid None
        fd = -1 if k.fd == lib.PS_UNKNOWN_I64 else k.fd
        if with_pid:
            res.append(c.sconn(fd, c.family(k.family), c.socktype(k.type), laddr, raddr,
                               status, None if k.pid == lib.PS_UNKNOWN_I64 else k.pid))
        else:
            res.append(c.pconn(fd, c.family(k.family), c.socktype(k.type), laddr, raddr,
                               status))
    return res


def net_connections(kind='inet'):
    k = conn_kind(kind)
    pp = ffi.new('ps_connection_list **')
    check(lib.ps_net_connections(k, pp))
    try:
        return connections_from(pp[0], True)
    finally:
        lib.ps_connection_list_free(pp[0])


def net_if_addrs():
    pp = ffi.new('ps_nic_addr_list **')
    check(lib.ps_net_if_addrs(pp))
    try:
        res = {}
        d, dn = c.decode, c.decode_or_none
        for i in range(pp[0].count):
            a = pp[0].items[i]
            res.setdefault(d(a.nic), []).append(
                c.snicaddr(c.family(a.family), d(a.address), dn(a.netmask), dn(a.broadcast),
                           dn(a.ptp)))
        return res
    finally:
        lib.ps_nic_addr_list_free(pp[0])


def net_if_stats():
    pp = ffi.new('ps_nic_stats_list **')
    check(lib.ps_net_if_stats(pp))
    try:
        res = {}
        for i in range(pp[0].count):
            s = pp[0].items[i]
            speed = 0 if s.speed == lib.PS_UNKNOWN_I64 else s.speed   # psutil: 0 when unknown
            res[c.decode(s.nic)] = c.snicstats(bool(s.isup), c.NicDuplex(s.duplex), speed,
                                               s.mtu, c.decode(s.flags))
        return res
    finally:
        lib.ps_nic_stats_list_free(pp[0])

# ------------------------------------------------------------------------ sensors


def _nan_none(x):
    return None if math.isnan(x) else x


def sensors_temperatures(fahrenheit=False):
    pp = ffi.new('ps_temperature_list **')
    check(lib.ps_sensors_temperatures(pp))
    try:
        res = {}
        for i in range(pp[0].count):
            t = pp[0].items[i]
            high, crit = _nan_none(t.high), _nan_none(t.critical)
            if high and not crit:           # psutil: one threshold stands for both
                crit = high
            elif crit and not high:
                high = crit
            vals = [t.current, high, crit]
            if fahrenheit:
                vals = [None if v is None else (v * 9 / 5) + 32 for v in vals]
            res.setdefault(c.decode(t.unit), []).append(c.shwtemp(c.decode(t.label), *vals))
        return res
    finally:
        lib.ps_temperature_list_free(pp[0])


def sensors_fans():
    pp = ffi.new('ps_fan_list **')
    check(lib.ps_sensors_fans(pp))
    try:
        res = {}
        for i in range(pp[0].count):
            f = pp[0].items[i]
            res.setdefault(c.decode(f.unit), []).append(c.sfan(c.decode(f.label), f.current))
        return res
    finally:
        lib.ps_fan_list_free(pp[0])


def sensors_battery():
    b = ffi.new('ps_battery *')
    check(lib.ps_sensors_battery(b))
    if not b.present:
        return None
    if b.secsleft == lib.PS_POWER_TIME_UNLIMITED:
        secsleft = c.POWER_TIME_UNLIMITED
    elif b.secsleft == lib.PS_POWER_TIME_UNKNOWN:
        secsleft = c.POWER_TIME_UNKNOWN
    else:
        secsleft = b.secsleft
    if c.WINDOWS:
        # psutil passes GetSystemPowerStatus' figures: the percent as an int (255: unknown),
        # power_plugged = ACLineStatus == 1 (False when unknown)
        percent = 255 if math.isnan(b.percent) else int(b.percent)
        return c.sbattery(percent, secsleft, b.power_plugged == 1)
    plugged = None if b.power_plugged == lib.PS_UNKNOWN_I32 else bool(b.power_plugged)
    return c.sbattery(b.percent, secsleft, plugged)

# ------------------------------------------------------------------------ users, pids


def users():
    pp = ffi.new('ps_user_list **')
    check(lib.ps_users(pp))
    try:
        d, dn = c.decode, c.decode_or_none
        # psutil's host for none: '' on Linux and BSD (utmp's field), None on macOS, Windows
        no_host = None if (c.MACOS or c.WINDOWS) else ''
        res = []
        for i in range(pp[0].count):
            u = pp[0].items[i]
            host = no_host if u.host == ffi.NULL else d(u.host)
            res.append(c.suser(d(u.name), dn(u.terminal), host, u.started,
                               None if u.pid == lib.PS_UNKNOWN_I64 else u.pid))
        return res
    finally:
        lib.ps_user_list_free(pp[0])


def pids():
    pp = ffi.new('ps_pid_list **')
    check(lib.ps_pids(pp))
    try:
        return list(ffi.unpack(pp[0].items, pp[0].count))
    finally:
        lib.ps_pid_list_free(pp[0])


def pid_exists(pid):
    if pid < 0:
        return False
    out = ffi.new('int *')
    check(lib.ps_pid_exists(pid, out))
    return bool(out[0])
