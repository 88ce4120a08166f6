# SPDX-License-Identifier: MIT
"""psinfo: psutil's API on libpsinfo.

A program written for psutil runs unchanged with ``import psinfo as psutil``. Every function is
a thin layer over one C function of libpsinfo, whose cffi declarations are generated at build
time from the C header. Calls release the GIL (cffi does so around every C call) and the
package is safe to use from many threads at once. See docs/python.md for the differences from
psutil.
"""
import sys
import types

from ._psinfo_cffi import ffi as _ffi, lib as _lib
from . import _common
from ._common import (AF_LINK, AIX, BSD, FREEBSD, LINUX, MACOS, NETBSD, OPENBSD, OSX, POSIX,
                      SUNOS, WINDOWS, BatteryTime, IOPriority, NicDuplex, RLIM_INFINITY,
                      bytes2human)
from ._errors import AccessDenied, Error, NoSuchProcess, TimeoutExpired, ZombieProcess
from ._system import (boot_time, cpu_count, cpu_freq, cpu_percent, cpu_stats, cpu_times,
                      cpu_times_percent, disk_io_counters, disk_partitions, disk_usage,
                      getloadavg, net_connections, net_if_addrs, net_if_stats,
                      net_io_counters, pid_exists, pids, sensors_battery, sensors_fans,
                      sensors_temperatures, swap_memory, users, virtual_memory)
from ._process import Popen, Process, process_iter, wait_procs

globals().update(_common.RLIMITS)
globals().update({n: getattr(_common, n) for n in dir(_common)
                  if n.startswith(('STATUS_', 'CONN_', 'NIC_DUPLEX_', 'POWER_TIME_', 'IOPRIO_CLASS_'))
                  and not n.endswith('_NAMES')})

__version__ = _ffi.string(_lib.ps_version()).decode()
version_info = tuple(int(x) for x in __version__.split('.'))
__author__ = 'the psinfo authors'

__all__ = [
    # exceptions
    'Error', 'NoSuchProcess', 'ZombieProcess', 'AccessDenied', 'TimeoutExpired',
    # constants
    'version_info', '__version__',
    'STATUS_RUNNING', 'STATUS_IDLE', 'STATUS_SLEEPING', 'STATUS_DISK_SLEEP', 'STATUS_STOPPED',
    'STATUS_TRACING_STOP', 'STATUS_ZOMBIE', 'STATUS_DEAD', 'STATUS_WAKING', 'STATUS_LOCKED',
    'STATUS_WAITING', 'STATUS_LOCKED', 'STATUS_PARKED', 'STATUS_WAKE_KILL', 'STATUS_SUSPENDED',
    'CONN_ESTABLISHED', 'CONN_SYN_SENT', 'CONN_SYN_RECV', 'CONN_FIN_WAIT1', 'CONN_FIN_WAIT2',
    'CONN_TIME_WAIT', 'CONN_CLOSE', 'CONN_CLOSE_WAIT', 'CONN_LAST_ACK', 'CONN_LISTEN',
    'CONN_CLOSING', 'CONN_NONE',
    'AF_LINK', 'NIC_DUPLEX_FULL', 'NIC_DUPLEX_HALF', 'NIC_DUPLEX_UNKNOWN',
    'POWER_TIME_UNKNOWN', 'POWER_TIME_UNLIMITED',
    'IOPRIO_CLASS_NONE', 'IOPRIO_CLASS_RT', 'IOPRIO_CLASS_BE', 'IOPRIO_CLASS_IDLE',
    'RLIM_INFINITY',
    'BSD', 'FREEBSD', 'LINUX', 'NETBSD', 'OPENBSD', 'MACOS', 'OSX', 'POSIX', 'SUNOS', 'WINDOWS',
    'AIX',
    # classes
    'Process', 'Popen',
    # functions
    'pid_exists', 'pids', 'process_iter', 'wait_procs',
    'virtual_memory', 'swap_memory',
    'cpu_times', 'cpu_percent', 'cpu_times_percent', 'cpu_count', 'cpu_stats', 'cpu_freq',
    'getloadavg',
    'net_io_counters', 'net_connections', 'net_if_addrs', 'net_if_stats',
    'disk_io_counters', 'disk_partitions', 'disk_usage',
    'users', 'boot_time',
    'sensors_temperatures', 'sensors_fans', 'sensors_battery',
    'bytes2human',
] + sorted(_common.RLIMITS)


class _Module(types.ModuleType):
    """PROCFS_PATH as psutil's: assigning it points the library's /proc root elsewhere."""

    @property
    def PROCFS_PATH(self):
        out = _ffi.new('char **')
        rc = _lib.ps_get_root(_lib.PS_ROOT_PROC, out)
        if rc < 0:
            return '/proc'
        try:
            return _common.decode(out[0])
        finally:
            _lib.ps_free(out[0])

    @PROCFS_PATH.setter
    def PROCFS_PATH(self, path):
        from ._errors import check
        check(_lib.ps_set_root(_lib.PS_ROOT_PROC, _common.encode(path)))


sys.modules[__name__].__class__ = _Module
