# SPDX-License-Identifier: MIT
"""psutil's Process class on libpsinfo's identity-pinning handle, process_iter on one table
scan, wait_procs on one event-driven multi-wait, and Popen."""
import contextlib
import datetime
import os
import signal
import subprocess
import threading
import time

from ._psinfo_cffi import ffi, lib
from . import _common as c
from . import _system
from ._errors import (AccessDenied, NoSuchProcess, TimeoutExpired, ZombieProcess, check,
                      raise_for)

_d = c.decode

# ---------------------------------------------------------------- the process table fields
# psutil attribute name -> (PS_PT_* field, converter of a ps_ptable_record).


def _cmdline(r):
    return [_d(r.cmdline[i]) for i in range(r.cmdline_count)]


def _terminal(r):
    return None if r.terminal == ffi.NULL else _d(r.terminal)


def _pfaults(r):
    return c.ppagefaults(r.page_faults.minor, r.page_faults.major)


TABLE_FIELDS = {
    'pid': (lib.PS_PT_PID, lambda r: r.pid),
    'ppid': (lib.PS_PT_PPID, lambda r: r.ppid),
    'name': (lib.PS_PT_NAME, lambda r: _d(r.name)),
    'exe': (lib.PS_PT_EXE, lambda r: _d(r.exe)),
    'cmdline': (lib.PS_PT_CMDLINE, _cmdline),
    'cwd': (lib.PS_PT_CWD, lambda r: _d(r.cwd)),
    'username': (lib.PS_PT_USERNAME, lambda r: _d(r.username)),
    'uids': (lib.PS_PT_UIDS, lambda r: c.conv_ids(r.uids, c.puids)),
    'gids': (lib.PS_PT_GIDS, lambda r: c.conv_ids(r.gids, c.pgids)),
    'terminal': (lib.PS_PT_TERMINAL, _terminal),
    'status': (lib.PS_PT_STATUS, lambda r: c.STATUS_NAMES[r.status]),
    'create_time': (lib.PS_PT_CREATE_TIME, lambda r: r.create_time),
    'cpu_times': (lib.PS_PT_CPU_TIMES, lambda r: c.conv_pcputimes(r.cpu_times)),
    'cpu_num': (lib.PS_PT_CPU_NUM, lambda r: r.cpu_num),
    'nice': (lib.PS_PT_NICE, lambda r: r.nice),
    'memory_info': (lib.PS_PT_MEMORY_INFO, lambda r: c.conv_pmem(r.memory_info)),
    'num_threads': (lib.PS_PT_NUM_THREADS, lambda r: r.num_threads),
    'num_ctx_switches': (lib.PS_PT_NUM_CTX_SWITCHES,
                         lambda r: c.conv_pctxsw(r.num_ctx_switches)),
    'io_counters': (lib.PS_PT_IO_COUNTERS, lambda r: c.conv_pio(r.io_counters)),
    'num_fds': (lib.PS_PT_NUM_FDS, lambda r: r.num_fds),
    'page_faults': (lib.PS_PT_PAGE_FAULTS, _pfaults),
    # Windows only: an attribute (method, as_dict key) there alone, as psutil (below)
    'num_handles': (lib.PS_PT_NUM_HANDLES, lambda r: r.num_handles),
}
# The library's own field names must be psutil's (this is what keeps the map honest).
for _n, (_f, _) in TABLE_FIELDS.items():
    assert ffi.string(lib.ps_ptable_field_name(_f)).decode() == _n, _n

# What oneshot() reads in one go: the fields of /proc/<pid>/stat, status and statm (psutil's
# oneshot group on Linux); exe, cwd, io and fds stay lazy (extra files, often denied).
_ONESHOT_MASK = 0
for _n in ('ppid', 'name', 'status', 'create_time', 'cpu_times', 'cpu_num', 'nice',
           'num_threads', 'page_faults', 'uids', 'gids', 'username', 'num_ctx_switches',
           'memory_info', 'terminal'):
    _ONESHOT_MASK |= 1 << TABLE_FIELDS[_n][0]

# psutil's as_dict() default attribute set (every getter; no setters, signals or relations).
AS_DICT_ATTRS = frozenset([
    'cmdline', 'connections', 'cpu_affinity', 'cpu_num', 'cpu_percent', 'cpu_times',
    'create_time', 'cwd', 'environ', 'exe', 'gids', 'io_counters', 'ionice', 'memory_full_info',
    'memory_info', 'memory_maps', 'memory_percent', 'name', 'nice', 'num_ctx_switches',
    'num_fds', 'num_threads', 'open_files', 'pid', 'ppid', 'status', 'terminal', 'threads',
    'uids', 'username', 'page_faults', 'memory_footprint', 'memory_info_ex',
]) | (frozenset(['num_handles']) if c.WINDOWS else frozenset())
# psutil's Windows-only num_handles is not an attribute elsewhere: Process has no such method,
# and as_dict / process_iter refuse the name (ValueError), as psutil does on Linux.


def _mask_of(attrs):
    mask = 0
    for a in attrs:
        f = TABLE_FIELDS.get(a)
        if f is not None:
            mask |= 1 << f[0]
    return mask


class _Table:
    """Owns a ps_ptable and frees it once (the records point into it)."""
    __slots__ = ('ptr',)

    def __init__(self, pp):
        self.ptr = ffi.gc(pp[0], lib.ps_ptable_free)


def _scan(mask):
    pp = ffi.new('ps_ptable **')
    check(lib.ps_ptable_scan(mask, 0, pp))
    return _Table(pp)


_plans = {}


def _plan(attrs):
    """(mask, [(name, field, converter)], [other attrs], explicit) for an attrs argument,
    validated as psutil does; memoised per attrs value (a hot path of as_dict)."""
    key = tuple(attrs) if isinstance(attrs, (list, tuple)) else attrs
    try:
        return _plans[key]
    except (KeyError, TypeError):
        pass
    if attrs is None:
        names, explicit = AS_DICT_ATTRS, False
    else:
        if not isinstance(attrs, (list, tuple, set, frozenset)):
            raise TypeError('invalid attrs type %s' % type(attrs))
        names = set(attrs)
        bad = names - AS_DICT_ATTRS - {'memory_info_ex', 'net_connections', 'memory_footprint'}
        if bad:
            raise ValueError('invalid attr name%s %s' % ('s' if len(bad) > 1 else '',
                                                         ', '.join(map(repr, sorted(bad)))))
        explicit = bool(names)
        names = names or AS_DICT_ATTRS
    specs = [(a,) + TABLE_FIELDS[a] for a in sorted(names) if a in TABLE_FIELDS]
    mask = 0
    for _, f, _c in specs:
        mask |= 1 << f
    plan = (mask, specs, sorted(a for a in names if a not in TABLE_FIELDS), explicit)
    if len(_plans) < 256:
        try:
            _plans[key] = plan
        except TypeError:
            pass
    return plan


def _fill(out, r, specs, ad_value, raise_gone):
    present = r.present
    for a, f, conv in specs:
        if present >> f & 1:
            out[a] = conv(r)
        else:
            err = r.error[f]
            if err in (lib.PS_EACCES, lib.PS_EZOMBIE) or not raise_gone:
                out[a] = ad_value
            else:
                raise_for(err, r.pid)


# ---------------------------------------------------------------- Process


def _started(ct):
    dt = datetime.datetime.fromtimestamp(ct)
    fmt = '%H:%M:%S' if dt.date() == datetime.date.today() else '%Y-%m-%d %H:%M:%S'
    return dt.strftime(fmt)


class Process:
    """A process, pinned by identity: once the process it was created on has ended, every
    method raises NoSuchProcess, even when a new process got the same PID."""

    def __init__(self, pid=None):
        if pid is None:
            pid = os.getpid()
        else:
            if not isinstance(pid, int):
                raise TypeError('pid must be an integer (got %r)' % pid)
            if pid < 0:
                raise ValueError('pid must be a positive integer (got %s)' % pid)
        self._pid = pid
        self._name = None
        self._exitcode = None
        self._lock = threading.RLock()
        self._oneshot_depth = 0
        self._snap = None
        self._last_cpu = None
        self._keep = None
        if pid == 0:      # no process 0 on Linux: psutil says so the same way
            raise NoSuchProcess(pid, msg='process PID not found')
        pp = ffi.new('ps_proc **')
        rc = lib.ps_proc_open_self(pp) if pid == os.getpid() else lib.ps_proc_open(pid, pp)
        if rc == lib.PS_ENOPROC or rc == lib.PS_EINVAL:
            raise NoSuchProcess(pid, msg='process PID not found')
        if rc < 0:
            raise_for(rc, pid)
        self._h = ffi.gc(pp[0], lib.ps_proc_free)
        self._ctime = self._init_ctime()

    def _init_ctime(self):
        out = ffi.new('double *')
        rc = lib.ps_proc_create_time(self._h, out)
        if rc == lib.PS_ENOPROC:
            raise NoSuchProcess(self._pid, msg='process PID not found')
        if rc < 0:
            return None
        return out[0]

    @classmethod
    def _from_handle(cls, h, keep=None, owned=True):
        self = cls.__new__(cls)
        self._pid = lib.ps_proc_pid(h)
        self._name = None
        self._exitcode = None
        self._lock = threading.RLock()
        self._oneshot_depth = 0
        self._snap = None
        self._last_cpu = None
        self._keep = keep          # what owns h when this object does not
        self._h = ffi.gc(h, lib.ps_proc_free) if owned else h
        self._ctime = self._init_ctime()
        return self

    @classmethod
    def _lazy(cls, pid, ctime):
        """A Process from a table record: the handle is opened at first use, and the process
        it opens must still have the record's creation time (else it is gone)."""
        self = cls.__new__(cls)
        self._pid = pid
        self._name = None
        self._exitcode = None
        self._lock = threading.RLock()
        self._oneshot_depth = 0
        self._snap = None
        self._last_cpu = None
        self._keep = None
        self._h = None
        self._ctime = ctime
        return self

    # -- plumbing
    def _handle(self):
        h = self._h
        if h is not None:
            return h
        pp = ffi.new('ps_proc **')
        rc = lib.ps_proc_open(self._pid, pp)
        if rc < 0:
            raise_for(lib.PS_ENOPROC if rc == lib.PS_EINVAL else rc, self._pid, self._name)
        h = ffi.gc(pp[0], lib.ps_proc_free)
        out = ffi.new('double *')
        if lib.ps_proc_create_time(h, out) == 0 and self._ctime is not None \
                and out[0] != self._ctime:
            raise NoSuchProcess(self._pid, self._name)       # the PID was reused
        self._h = h
        return h

    def _raise(self, rc):
        ppid = None
        if rc == lib.PS_EZOMBIE:
            out = ffi.new('int64_t *')
            if lib.ps_proc_ppid(self._h, out) == 0:
                ppid = out[0]
        raise_for(rc, self._pid, self._name, ppid)

    def _get(self, fn, ctype, *args):
        out = ffi.new(ctype)
        rc = fn(self._handle(), *args, out)
        if rc < 0:
            self._raise(rc)
        return out

    def _get_str(self, fn):
        out = ffi.new('char **')
        rc = fn(self._handle(), out)
        if rc < 0:
            self._raise(rc)
        try:
            return c.decode_or_none(out[0])
        finally:
            lib.ps_free(out[0])

    def _list(self, fn, ctype, free, conv, *args):
        pp = ffi.new(ctype)
        rc = fn(self._handle(), *args, pp)
        if rc < 0:
            self._raise(rc)
        try:
            lst = pp[0]
            return [conv(lst.items[i]) for i in range(lst.count)]
        finally:
            free(pp[0])

    def _cached(self, name):
        """Inside oneshot(): the value of table field `name` from one snapshot (None: not
        cached, read it directly)."""
        if not self._oneshot_depth:
            return None
        snap = self._snap
        if snap is None:
            pp = ffi.new('ps_ptable **')
            rc = lib.ps_proc_snapshot(self._handle(), _ONESHOT_MASK, pp)
            if rc < 0:
                self._raise(rc)
            snap = self._snap = _Table(pp)
        r = snap.ptr.records[0]
        f, conv = TABLE_FIELDS[name]
        if r.present >> f & 1:
            return (conv(r),)
        return None

    # -- identity
    @property
    def pid(self):
        return self._pid

    def _ident(self):
        return (self._pid, self._ctime)

    def __eq__(self, other):
        if not isinstance(other, Process):
            return NotImplemented
        return self._ident() == other._ident()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self._ident())

    def __repr__(self):
        info = ['pid=%s' % self._pid]
        try:
            info.append('name=%r' % self.name())
            if self._exitcode is not None:
                info.append('exitcode=%r' % self._exitcode)
            else:
                info.append('status=%r' % self.status())
            if self._ctime is not None:
                info.append('started=%r' % _started(self._ctime))
        except ZombieProcess:
            info.append('status=%r' % c.STATUS_ZOMBIE)
        except NoSuchProcess:
            info.append('status=%r' % 'terminated')
        except AccessDenied:
            pass
        return '%s.%s(%s)' % (type(self).__module__.split('.')[0], type(self).__name__,
                              ', '.join(info))

    __str__ = __repr__

    def is_running(self):
        """True while the process this object was created on exists (a zombie included);
        False once it is gone, even when its PID was reused."""
        if self._h is None:
            try:
                self._handle()
            except NoSuchProcess:
                return False
        out = ffi.new('int *')
        rc = lib.ps_proc_is_running(self._h, out)
        if rc < 0:
            self._raise(rc)
        return bool(out[0])

    @contextlib.contextmanager
    def oneshot(self):
        """Read the stat/status/statm fields once for every getter called inside."""
        with self._lock:
            self._oneshot_depth += 1
            try:
                yield
            finally:
                self._oneshot_depth -= 1
                if not self._oneshot_depth:
                    self._snap = None

    def as_dict(self, attrs=None, ad_value=None):
        """psutil's as_dict(): the table fields in one ps_proc_snapshot, the others through
        their methods; AccessDenied and ZombieProcess give ad_value."""
        plan = _plan(attrs)
        mask, specs, rest, explicit = plan
        ret = {}
        if mask:
            pp = ffi.new('ps_ptable **')
            rc = lib.ps_proc_snapshot(self._handle(), mask, pp)
            if rc < 0:
                self._raise(rc)
            try:
                _fill(ret, pp[0].records[0], specs, ad_value, True)
            finally:
                lib.ps_ptable_free(pp[0])
        if rest:
            with self.oneshot():
                for a in rest:
                    try:
                        ret[a] = getattr(self, a)()
                    except (AccessDenied, ZombieProcess):
                        ret[a] = ad_value
                    except NotImplementedError:
                        if explicit:
                            raise
        return ret

    # -- getters on the table fields (served by oneshot's snapshot when active)
    def ppid(self):
        v = self._cached('ppid')
        return v[0] if v else self._get(lib.ps_proc_ppid, 'int64_t *')[0]

    def name(self):
        v = self._cached('name')
        name = v[0] if v else self._get_str(lib.ps_proc_name)
        self._name = name
        return name

    def exe(self):
        return self._get_str(lib.ps_proc_exe)

    def cmdline(self):
        return self._list(lib.ps_proc_cmdline, 'ps_proc_str_list **', lib.ps_proc_str_list_free,
                          _d)

    def environ(self):
        pp = ffi.new('ps_proc_environ_list **')
        rc = lib.ps_proc_environ(self._handle(), pp)
        if rc < 0:
            self._raise(rc)
        try:
            return {_d(e.key): _d(e.value) for e in (pp[0].items[i] for i in range(pp[0].count))}
        finally:
            lib.ps_proc_environ_list_free(pp[0])

    def create_time(self):
        if self._ctime is not None:
            return self._ctime
        return self._get(lib.ps_proc_create_time, 'double *')[0]

    def status(self):
        v = self._cached('status')
        if v:
            return v[0]
        return c.STATUS_NAMES[self._get(lib.ps_proc_status, 'int32_t *')[0]]

    def cwd(self):
        return self._get_str(lib.ps_proc_cwd)

    def username(self):
        v = self._cached('username')
        return v[0] if v else self._get_str(lib.ps_proc_username)

    def uids(self):
        v = self._cached('uids')
        return v[0] if v else c.conv_ids(self._get(lib.ps_proc_uids, 'ps_proc_ids *'), c.puids)

    def gids(self):
        v = self._cached('gids')
        return v[0] if v else c.conv_ids(self._get(lib.ps_proc_gids, 'ps_proc_ids *'), c.pgids)

    def terminal(self):
        v = self._cached('terminal')
        return v[0] if v else self._get_str(lib.ps_proc_terminal)

    def cpu_times(self):
        v = self._cached('cpu_times')
        if v:
            return v[0]
        return c.conv_pcputimes(self._get(lib.ps_proc_cpu_times, 'ps_proc_cputimes *'))

    def cpu_num(self):
        v = self._cached('cpu_num')
        return v[0] if v else self._get(lib.ps_proc_cpu_num, 'int32_t *')[0]

    def memory_info(self):
        v = self._cached('memory_info')
        return v[0] if v else c.conv_pmem(self._get(lib.ps_proc_memory_info, 'ps_proc_mem *'))

    def memory_full_info(self):
        m = self._get(lib.ps_proc_memory_full_info, 'ps_proc_fullmem *')
        return c.pfullmem(m.rss, m.vms, m.shared, m.text, 0, m.data, 0, m.uss, m.pss,
                          m.swap)   # lib, dirty: 0 (psutil 8 dropped them; see conv_pmem)

    def memory_info_ex(self):
        """psutil 8's memory_info_ex() (psutil <= 7: a deprecated alias of memory_info)."""
        m = self._get(lib.ps_proc_memory_info_ex, 'ps_proc_mem_ex *')
        k = c.known
        return c.pmem_ex(m.rss, m.vms, m.shared, m.text, m.data, k(m.peak_rss), k(m.peak_vms),
                         k(m.rss_anon), k(m.rss_file), k(m.rss_shmem), k(m.swap),
                         k(m.hugetlb))

    def memory_footprint(self):
        """psutil 8's memory_footprint(): uss, pss, swap."""
        m = self._get(lib.ps_proc_memory_footprint, 'ps_proc_footprint *')
        return c.pfootprint(m.uss, c.known(m.pss), c.known(m.swap))

    def memory_percent(self, memtype='rss'):
        if memtype in ('lib', 'dirty'):     # psutil 7's pmem fields, always 0 on Linux
            return 0.0
        mt = c.MEMTYPES.get(memtype)
        if mt is None:
            raise ValueError('invalid memtype %r; valid types are %r'
                             % (memtype, tuple(c.pfullmem._fields)))
        out = ffi.new('double *')
        rc = lib.ps_proc_memory_percent(self._handle(), mt, out)
        if rc == lib.PS_ENOTSUP:
            raise ValueError('memtype %r is not available on this platform' % memtype)
        if rc < 0:
            self._raise(rc)
        return out[0]

    def num_threads(self):
        v = self._cached('num_threads')
        return v[0] if v else self._get(lib.ps_proc_num_threads, 'int64_t *')[0]

    def num_ctx_switches(self):
        v = self._cached('num_ctx_switches')
        if v:
            return v[0]
        s = self._get(lib.ps_proc_num_ctx_switches, 'ps_proc_ctxsw *')
        return c.conv_pctxsw(s)

    def num_fds(self):
        return self._get(lib.ps_proc_num_fds, 'int64_t *')[0]

    def io_counters(self):
        return c.conv_pio(self._get(lib.ps_proc_io_counters, 'ps_proc_io *'))

    if c.WINDOWS:
        def num_handles(self):
            return self._get(lib.ps_proc_num_handles, 'int64_t *')[0]

    def page_faults(self):
        v = self._cached('page_faults')
        if v:
            return v[0]
        f = self._get(lib.ps_proc_page_faults, 'ps_proc_pagefaults *')
        return c.ppagefaults(f.minor, f.major)

    # -- other getters
    def threads(self):
        return self._list(lib.ps_proc_threads, 'ps_proc_thread_list **',
                          lib.ps_proc_thread_list_free,
                          lambda t: c.pthread(t.id, t.user_time, t.system_time))

    def open_files(self):
        return self._list(lib.ps_proc_open_files, 'ps_proc_open_file_list **',
                          lib.ps_proc_open_file_list_free,
                          lambda f: c.popenfile(_d(f.path), f.fd, f.position,
                                                ffi.string(f.mode).decode(), f.flags))

    def connections(self, kind='inet'):
        k = _system.conn_kind(kind)
        pp = ffi.new('ps_connection_list **')
        rc = lib.ps_proc_net_connections(self._handle(), k, pp)
        if rc < 0:
            self._raise(rc)
        try:
            return _system.connections_from(pp[0], False)
        finally:
            lib.ps_connection_list_free(pp[0])

    net_connections = connections     # psutil 6+ name

    def memory_maps(self, grouped=True):
        def conv(m):
            vals = (m.rss, m.size, m.pss, m.shared_clean, m.shared_dirty, m.private_clean,
                    m.private_dirty, m.referenced, m.anonymous, m.swap)
            if grouped:
                return c.pmmap_grouped(_d(m.path), *vals)
            return c.pmmap_ext(_d(m.addr), _d(m.perms), _d(m.path), *vals)
        return self._list(lib.ps_proc_memory_maps, 'ps_proc_mmap_list **',
                          lib.ps_proc_mmap_list_free, conv, 1 if grouped else 0)

    def cpu_affinity(self, cpus=None):
        if cpus is None:
            return self._list(lib.ps_proc_cpu_affinity, 'ps_proc_cpu_list **',
                              lib.ps_proc_cpu_list_free, int)
        cpus = list(cpus)
        if not all(isinstance(x, int) for x in cpus):
            raise TypeError('invalid CPU %r' % cpus)
        arr = ffi.new('int32_t[]', cpus or [0])
        rc = lib.ps_proc_set_cpu_affinity(self._handle(), arr, len(cpus))
        if rc < 0:
            if rc == lib.PS_EINVAL:
                raise ValueError('invalid CPU number in %r' % cpus)
            self._raise(rc)

    def nice(self, value=None):
        if value is None:
            v = self._cached('nice')
            return v[0] if v else self._get(lib.ps_proc_nice, 'int32_t *')[0]
        rc = lib.ps_proc_set_nice(self._handle(), value)
        if rc < 0:
            self._raise(rc)

    def ionice(self, ioclass=None, value=None):
        if ioclass is None:
            if value is not None:
                raise ValueError("'ioclass' argument must be specified")
            cls = ffi.new('int32_t *')
            val = ffi.new('int32_t *')
            rc = lib.ps_proc_ionice(self._handle(), cls, val)
            if rc < 0:
                self._raise(rc)
            return c.pionice(c.IOPriority(cls[0]), val[0])
        if value is None:
            value = 4 if ioclass in (lib.PS_IOPRIO_CLASS_RT, lib.PS_IOPRIO_CLASS_BE) else 0
        rc = lib.ps_proc_set_ionice(self._handle(), int(ioclass), value)
        if rc == lib.PS_EINVAL:
            raise ValueError('invalid ioclass/value %r/%r' % (ioclass, value))
        if rc < 0:
            self._raise(rc)

    def rlimit(self, resource, limits=None):
        if limits is None:
            soft = ffi.new('int64_t *')
            hard = ffi.new('int64_t *')
            rc = lib.ps_proc_rlimit(self._handle(), resource, soft, hard)
            if rc == lib.PS_EINVAL:
                raise ValueError('invalid resource %r' % resource)
            if rc < 0:
                self._raise(rc)
            return (soft[0], hard[0])
        try:
            soft, hard = limits
        except (TypeError, ValueError):
            raise ValueError('second argument must be a (soft, hard) tuple, got %r'
                             % (limits,))
        rc = lib.ps_proc_set_rlimit(self._handle(), resource, soft, hard)
        if rc == lib.PS_EINVAL:
            raise ValueError('invalid resource or limits %r %r' % (resource, limits))
        if rc < 0:
            self._raise(rc)

    def cpu_percent(self, interval=None):
        """psutil's: with interval, busy-waits that long; without, compares with the previous
        call on this object (0.0 the first time). Not divided by the CPU count."""
        blocking = _system._check_interval(interval)
        take = lambda: self._get(lib.ps_proc_cpu_sample_take, 'ps_proc_cpu_sample *')
        if blocking:
            before = take()
            time.sleep(interval)
            after = take()
        else:
            after = take()
            before, self._last_cpu = self._last_cpu, after
            if before is None:
                return 0.0
        self._last_cpu = after
        out = ffi.new('double *')
        check(lib.ps_proc_cpu_percent(before, after, out))
        return round(out[0], 1)

    # -- relations
    def parent(self):
        pp = ffi.new('ps_proc **')
        rc = lib.ps_proc_parent(self._handle(), pp)
        if rc < 0:
            self._raise(rc)
        if pp[0] == ffi.NULL:
            return None
        try:
            return Process._from_handle(pp[0])
        except NoSuchProcess:
            return None

    def parents(self):
        pp = ffi.new('ps_proc_list **')
        rc = lib.ps_proc_parents(self._handle(), pp)
        if rc < 0:
            self._raise(rc)
        keep = ffi.gc(pp[0], lib.ps_proc_list_free)   # owns the handles
        res = []
        for i in range(keep.count):
            try:
                res.append(Process._from_handle(keep.items[i], keep=keep, owned=False))
            except NoSuchProcess:
                pass
        return res

    def children(self, recursive=False):
        pp = ffi.new('ps_proc_list **')
        rc = lib.ps_proc_children(self._handle(), 1 if recursive else 0, pp)
        if rc < 0:
            self._raise(rc)
        keep = ffi.gc(pp[0], lib.ps_proc_list_free)   # owns the handles
        res = []
        for i in range(keep.count):
            try:
                res.append(Process._from_handle(keep.items[i], keep=keep, owned=False))
            except NoSuchProcess:
                pass
        return res

    # -- signals and waiting
    def send_signal(self, sig):
        rc = lib.ps_proc_send_signal(self._handle(), sig)
        if rc == lib.PS_EINVAL:
            raise ValueError('invalid signal %r' % sig)
        if rc < 0:
            self._raise(rc)

    def _signal_call(self, fn):
        rc = fn(self._handle())
        if rc < 0:
            self._raise(rc)

    def suspend(self):
        self._signal_call(lib.ps_proc_suspend)

    def resume(self):
        self._signal_call(lib.ps_proc_resume)

    def terminate(self):
        self._signal_call(lib.ps_proc_terminate)

    def kill(self):
        self._signal_call(lib.ps_proc_kill)

    def wait(self, timeout=None):
        """psutil's wait(): the exit code of a child (a negative signal number if it was
        killed), None for a process that is not our child."""
        if timeout is not None and not isinstance(timeout, (int, float)):
            raise TypeError('timeout must be an int or float (got %s)' % type(timeout))
        if timeout is not None and timeout < 0:
            raise ValueError('timeout must be positive or zero (got %s)' % timeout)
        if self._exitcode is not None:
            return self._exitcode
        res = ffi.new('ps_wait_result *')
        t = lib.PS_TIMEOUT_INFINITE if timeout is None else float(timeout)
        rc = lib.ps_proc_wait(self._handle(), t, res)
        if rc == lib.PS_ETIMEDOUT:
            raise TimeoutExpired(timeout, self._pid, self._name)
        if rc < 0:
            self._raise(rc)
        self._exitcode = _returncode(res)
        return self._exitcode


def _returncode(res):
    # psutil: None for a process that was not our child. The library also reports such a
    # process's status from the kernel's exit record (Linux 6.15+, PS_WAIT_SOURCE_PIDFD_INFO);
    # psutil's answer is kept (docs/python.md).
    if res.source == lib.PS_WAIT_SOURCE_PIDFD_INFO:
        return None
    if res.kind == lib.PS_WAIT_EXITED:
        return res.code
    if res.kind == lib.PS_WAIT_SIGNALED:
        try:
            return -signal.Signals(res.code)
        except ValueError:
            return -res.code
    return None




# ---------------------------------------------------------------- process_iter

_pmap = {}
_pmap_lock = threading.Lock()


def process_iter(attrs=None, ad_value=None):
    """psutil's process_iter(): Process objects sorted by PID, from one ps_ptable_scan (the
    table fields of attrs are read by that scan; other attrs by their methods). Processes seen
    in a previous call are the same objects while their identity holds."""
    if attrs is not None:
        mask, specs, rest, _ = _plan(attrs)
        mask |= 1 << lib.PS_PT_CREATE_TIME
    else:
        mask = 1 << lib.PS_PT_CREATE_TIME
        rest = []
    table = _scan(mask)
    t = table.ptr
    ct_bit = 1 << lib.PS_PT_CREATE_TIME
    with _pmap_lock:
        old = dict(_pmap)
    new = {}
    for i in range(t.count):
        r = t.records[i]
        pid = r.pid
        ctime = r.create_time if r.present & ct_bit else None
        p = old.get(pid)
        if p is None or p._ctime != ctime:
            p = Process._lazy(pid, ctime)
        new[pid] = p
        if attrs is not None:
            info = {}
            _fill(info, r, specs, ad_value, False)
            if rest:
                try:
                    info.update(p.as_dict(rest, ad_value))
                except NoSuchProcess:
                    continue
            p.info = info
        yield p
    with _pmap_lock:
        _pmap.clear()
        _pmap.update(new)


process_iter.cache_clear = lambda: _pmap.clear()


# ---------------------------------------------------------------- wait_procs


def wait_procs(procs, timeout=None, callback=None):
    """psutil's wait_procs(): (gone, alive); gone processes get .returncode and are passed to
    callback as they end. One event-driven ps_proc_wait_many call per ended group."""
    if timeout is not None and not timeout >= 0:
        raise ValueError('timeout must be a positive integer, got %s' % timeout)
    if callback is not None and not callable(callback):
        raise TypeError('callback %r is not a callable' % callback)
    procs = list(procs)
    gone, alive = [], []
    handles = []
    for p in procs:
        if p._exitcode is not None:
            p.returncode = p._exitcode
            gone.append(p)
            if callback is not None:
                callback(p)
            continue
        try:
            handles.append((p, p._handle()))
        except NoSuchProcess:
            p.returncode = None
            gone.append(p)
            if callback is not None:
                callback(p)
    deadline = None if timeout is None else time.monotonic() + timeout
    while handles:
        remaining = lib.PS_TIMEOUT_INFINITE if deadline is None else \
            max(0.0, deadline - time.monotonic())
        arr = ffi.new('ps_proc *[]', [h for _, h in handles])
        st = ffi.new('ps_wait_status[]', len(handles))
        check(lib.ps_proc_wait_many(arr, len(handles), remaining, lib.PS_WAIT_ANY, st,
                                    ffi.NULL))
        still = []
        for i, (p, h) in enumerate(handles):
            if st[i].done:
                p._exitcode = _returncode(st[i].result)
                p.returncode = p._exitcode
                gone.append(p)
                if callback is not None:
                    callback(p)
            else:
                still.append((p, h))
        if len(still) == len(handles) and remaining == 0.0:
            break
        handles = still
        if deadline is not None and time.monotonic() >= deadline:
            break
    alive = [p for p, _ in handles]
    return (gone, alive)


# ---------------------------------------------------------------- Popen


class Popen(Process):
    """subprocess.Popen and Process in one object (psutil's Popen): the subprocess
    attributes and methods are reachable on it, Process's win (send_signal, terminate, kill,
    wait)."""

    def __init__(self, *args, **kwargs):
        self.__subproc = subprocess.Popen(*args, **kwargs)
        Process.__init__(self, self.__subproc.pid)

    def __dir__(self):
        return sorted(set(dir(Popen) + dir(subprocess.Popen)))

    def __enter__(self):
        if hasattr(self.__subproc, '__enter__'):
            self.__subproc.__enter__()
        return self

    def __exit__(self, *args, **kwargs):
        if hasattr(self.__subproc, '__exit__'):
            return self.__subproc.__exit__(*args, **kwargs)
        if self.stdout:
            self.stdout.close()
        if self.stderr:
            self.stderr.close()
        try:
            if self.stdin:
                self.stdin.close()
        finally:
            self.wait()

    def __getattribute__(self, name):
        try:
            return object.__getattribute__(self, name)
        except AttributeError:
            try:
                return object.__getattribute__(self.__subproc, name)
            except AttributeError:
                raise AttributeError('%s instance has no attribute %r'
                                     % (self.__class__.__name__, name))

    def wait(self, timeout=None):
        if self.__subproc.returncode is not None:
            return self.__subproc.returncode
        ret = Process.wait(self, timeout)
        self.__subproc.returncode = ret
        return ret
