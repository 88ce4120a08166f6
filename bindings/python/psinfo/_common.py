# SPDX-License-Identifier: MIT
"""psutil's named tuples, constants and enums, and the conversions from the C types.

Field names and their order are psutil 7's (Linux): a program that unpacks or indexes a tuple
gets what it got from psutil. Where psutil 8 changed a tuple the difference is in docs/python.md.
"""
import enum
import math
import os
import shutil
import socket
import sys
from collections import namedtuple

from ._psinfo_cffi import ffi, lib

# ---------------------------------------------------------------- platform flags
# The platform the library was built for (ps_platform), as psutil's flags.
_platform = lib.ps_platform()
POSIX = bool(lib.ps_platform_is_posix())
WINDOWS = _platform == lib.PS_PLATFORM_WINDOWS
LINUX = _platform == lib.PS_PLATFORM_LINUX
MACOS = _platform == lib.PS_PLATFORM_MACOS
OSX = MACOS
FREEBSD = _platform in (lib.PS_PLATFORM_FREEBSD, lib.PS_PLATFORM_DRAGONFLY)
OPENBSD = _platform == lib.PS_PLATFORM_OPENBSD
NETBSD = _platform == lib.PS_PLATFORM_NETBSD
BSD = FREEBSD or OPENBSD or NETBSD
SUNOS = False       # no SunOS or AIX back end
AIX = False

# ---------------------------------------------------------------- strings


def decode(cstr):
    """A UTF-8 string from the library as Python's str. The library's surrogate escapes
    (U+DC80..U+DCFF written as 3 bytes) decode with 'surrogatepass' to the very str that
    surrogateescape decoding of the original bytes gives, as psutil's strings."""
    return ffi.string(cstr).decode('utf-8', 'surrogatepass')


def decode_or_none(cstr):
    return None if cstr == ffi.NULL else ffi.string(cstr).decode('utf-8', 'surrogatepass')


def encode(s):
    """A str (possibly holding surrogate escapes) in the library's UTF-8 form."""
    if isinstance(s, bytes):
        s = os.fsdecode(s)
    return os.fspath(s).encode('utf-8', 'surrogatepass')


# ---------------------------------------------------------------- constants
STATUS_RUNNING = 'running'
STATUS_SLEEPING = 'sleeping'
STATUS_DISK_SLEEP = 'disk-sleep'
STATUS_STOPPED = 'stopped'
STATUS_TRACING_STOP = 'tracing-stop'
STATUS_ZOMBIE = 'zombie'
STATUS_DEAD = 'dead'
STATUS_WAKE_KILL = 'wake-kill'
STATUS_WAKING = 'waking'
STATUS_IDLE = 'idle'
STATUS_LOCKED = 'locked'
STATUS_WAITING = 'waiting'
STATUS_SUSPENDED = 'suspended'
STATUS_PARKED = 'parked'

# ps_process_status value -> psutil's string, from the library's own table.
STATUS_NAMES = tuple(ffi.string(lib.ps_process_status_name(i)).decode()
                     for i in range(lib.PS_STATUS_UNKNOWN + 1))

CONN_ESTABLISHED = 'ESTABLISHED'
CONN_SYN_SENT = 'SYN_SENT'
CONN_SYN_RECV = 'SYN_RECV'
CONN_FIN_WAIT1 = 'FIN_WAIT1'
CONN_FIN_WAIT2 = 'FIN_WAIT2'
CONN_TIME_WAIT = 'TIME_WAIT'
CONN_CLOSE = 'CLOSE'
CONN_CLOSE_WAIT = 'CLOSE_WAIT'
CONN_LAST_ACK = 'LAST_ACK'
CONN_LISTEN = 'LISTEN'
CONN_CLOSING = 'CLOSING'
CONN_NONE = 'NONE'
CONN_NAMES = tuple(ffi.string(lib.ps_conn_status_name(i)).decode()
                   for i in range(lib.PS_CONN_BOUND + 1))


class NicDuplex(enum.IntEnum):
    NIC_DUPLEX_FULL = 2
    NIC_DUPLEX_HALF = 1
    NIC_DUPLEX_UNKNOWN = 0


NIC_DUPLEX_FULL = NicDuplex.NIC_DUPLEX_FULL
NIC_DUPLEX_HALF = NicDuplex.NIC_DUPLEX_HALF
NIC_DUPLEX_UNKNOWN = NicDuplex.NIC_DUPLEX_UNKNOWN


class BatteryTime(enum.IntEnum):
    POWER_TIME_UNKNOWN = lib.PS_POWER_TIME_UNKNOWN
    POWER_TIME_UNLIMITED = lib.PS_POWER_TIME_UNLIMITED


POWER_TIME_UNKNOWN = BatteryTime.POWER_TIME_UNKNOWN
POWER_TIME_UNLIMITED = BatteryTime.POWER_TIME_UNLIMITED


class IOPriority(enum.IntEnum):
    IOPRIO_CLASS_NONE = lib.PS_IOPRIO_CLASS_NONE
    IOPRIO_CLASS_RT = lib.PS_IOPRIO_CLASS_RT
    IOPRIO_CLASS_BE = lib.PS_IOPRIO_CLASS_BE
    IOPRIO_CLASS_IDLE = lib.PS_IOPRIO_CLASS_IDLE


IOPRIO_CLASS_NONE = IOPriority.IOPRIO_CLASS_NONE
IOPRIO_CLASS_RT = IOPriority.IOPRIO_CLASS_RT
IOPRIO_CLASS_BE = IOPriority.IOPRIO_CLASS_BE
IOPRIO_CLASS_IDLE = IOPriority.IOPRIO_CLASS_IDLE

# psutil's AF_LINK is the OS's link-layer family (AF_PACKET on Linux).
AF_LINK = getattr(socket, 'AF_PACKET', getattr(socket, 'AF_LINK', -1))
_FAMILIES = {
    lib.PS_NET_AF_INET: socket.AF_INET,
    lib.PS_NET_AF_INET6: socket.AF_INET6,
    lib.PS_NET_AF_LINK: AF_LINK,
    lib.PS_NET_AF_UNIX: getattr(socket, 'AF_UNIX', 1),
}
_SOCK_TYPES = {
    lib.PS_SOCK_STREAM: socket.SOCK_STREAM,
    lib.PS_SOCK_DGRAM: socket.SOCK_DGRAM,
    lib.PS_SOCK_RAW: getattr(socket, 'SOCK_RAW', 3),
    lib.PS_SOCK_RDM: getattr(socket, 'SOCK_RDM', 4),
    lib.PS_SOCK_SEQPACKET: getattr(socket, 'SOCK_SEQPACKET', 5),
}


def family(v):
    f = _FAMILIES.get(v, v)
    try:
        return socket.AddressFamily(f)
    except ValueError:
        return f


def socktype(v):
    t = _SOCK_TYPES.get(v, v)
    try:
        return socket.SocketKind(t)
    except ValueError:
        return t


# RLIMIT_*: the library's values are the Linux numbers (resource.RLIMIT_* on Linux).
RLIM_INFINITY = lib.PS_RLIM_INFINITY
_RLIMITS = ('CPU', 'FSIZE', 'DATA', 'STACK', 'CORE', 'RSS', 'NPROC', 'NOFILE', 'MEMLOCK', 'AS',
            'LOCKS', 'SIGPENDING', 'MSGQUEUE', 'NICE', 'RTPRIO', 'RTTIME')
RLIMITS = {'RLIMIT_' + n: getattr(lib, 'PS_RLIMIT_' + n) for n in _RLIMITS}

# ---------------------------------------------------------------- named tuples
# system
# scputimes: its fields are the columns the platform has (conv_cputimes), as psutil's
scputimes = namedtuple('scputimes', ['user', 'nice', 'system', 'idle', 'iowait', 'irq',
                                     'softirq', 'steal', 'guest', 'guest_nice'])
scpustats = namedtuple('scpustats', ['ctx_switches', 'interrupts', 'soft_interrupts', 'syscalls'])
scpufreq = namedtuple('scpufreq', ['current', 'min', 'max'])
svmem = namedtuple('svmem', ['total', 'available', 'percent', 'used', 'free', 'active',
                             'inactive', 'buffers', 'cached', 'shared', 'slab'])
sswap = namedtuple('sswap', ['total', 'used', 'free', 'percent', 'sin', 'sout'])
sdiskpart = namedtuple('sdiskpart', ['device', 'mountpoint', 'fstype', 'opts'])
sdiskusage = namedtuple('sdiskusage', ['total', 'used', 'free', 'percent'])
sdiskio = namedtuple('sdiskio', ['read_count', 'write_count', 'read_bytes', 'write_bytes',
                                 'read_time', 'write_time', 'read_merged_count',
                                 'write_merged_count', 'busy_time'])
# psutil's sdiskio on Windows and macOS: no merged counts and no busy time (the library's
# PS_UNKNOWN_U64 there)
sdiskio_short = namedtuple('sdiskio', sdiskio._fields[:6])
snetio = namedtuple('snetio', ['bytes_sent', 'bytes_recv', 'packets_sent', 'packets_recv',
                               'errin', 'errout', 'dropin', 'dropout'])
snicaddr = namedtuple('snicaddr', ['family', 'address', 'netmask', 'broadcast', 'ptp'])
snicstats = namedtuple('snicstats', ['isup', 'duplex', 'speed', 'mtu', 'flags'])
sconn = namedtuple('sconn', ['fd', 'family', 'type', 'laddr', 'raddr', 'status', 'pid'])
addr = namedtuple('addr', ['ip', 'port'])
shwtemp = namedtuple('shwtemp', ['label', 'current', 'high', 'critical'])
sfan = namedtuple('sfan', ['label', 'current'])
sbattery = namedtuple('sbattery', ['percent', 'secsleft', 'power_plugged'])
suser = namedtuple('suser', ['name', 'terminal', 'host', 'started', 'pid'])
# processes
pcputimes = namedtuple('pcputimes', ['user', 'system', 'children_user', 'children_system',
                                     'iowait'])
pmem = namedtuple('pmem', ['rss', 'vms', 'shared', 'text', 'lib', 'data', 'dirty'])
pfullmem = namedtuple('pfullmem', pmem._fields + ('uss', 'pss', 'swap'))
puids = namedtuple('puids', ['real', 'effective', 'saved'])
pgids = namedtuple('pgids', ['real', 'effective', 'saved'])
pio = namedtuple('pio', ['read_count', 'write_count', 'read_bytes', 'write_bytes',
                         'read_chars', 'write_chars'])
pionice = namedtuple('pionice', ['ioclass', 'value'])
pctxsw = namedtuple('pctxsw', ['voluntary', 'involuntary'])
pthread = namedtuple('pthread', ['id', 'user_time', 'system_time'])
popenfile = namedtuple('popenfile', ['path', 'fd', 'position', 'mode', 'flags'])
pconn = namedtuple('pconn', ['fd', 'family', 'type', 'laddr', 'raddr', 'status'])
pmmap_grouped = namedtuple('pmmap_grouped', ['path', 'rss', 'size', 'pss', 'shared_clean',
                                             'shared_dirty', 'private_clean', 'private_dirty',
                                             'referenced', 'anonymous', 'swap'])
pmmap_ext = namedtuple('pmmap_ext', 'addr perms ' + ' '.join(pmmap_grouped._fields))
ppagefaults = namedtuple('ppagefaults', ['minor', 'major'])   # psutil 8
# psutil 8 (Linux): memory_info_ex() and memory_footprint()
pmem_ex = namedtuple('pmem_ex', ['rss', 'vms', 'shared', 'text', 'data', 'peak_rss', 'peak_vms',
                                 'rss_anon', 'rss_file', 'rss_shmem', 'swap', 'hugetlb'])
pfootprint = namedtuple('pfootprint', ['uss', 'pss', 'swap'])
# psutil's memtype strings -> ps_memtype, from the library's own names.
MEMTYPES = {ffi.string(lib.ps_memtype_name(i)).decode(): i for i in range(lib.PS_MEMTYPE_COUNT)}


def known(v):
    """PS_UNKNOWN_U64 (a figure an older kernel does not give) as psutil 8's 0."""
    return 0 if v == lib.PS_UNKNOWN_U64 else v


# ps_cputimes' columns in psutil 7's order; psutil 7 calls Windows' irq column "interrupt".
_CPU_COLUMNS = ('user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest',
                'guest_nice', 'dpc')
_CPU_NAMES = {'irq': 'interrupt'} if WINDOWS else {}
_scputimes_of = {_CPU_COLUMNS[:10]: scputimes}


def conv_cputimes(c):
    """psutil's scputimes has the fields the platform gives (Linux: the columns of this
    kernel's /proc/stat; Windows user, system, idle, interrupt, dpc; macOS user, nice, system,
    idle): the library's NaN columns are left out, not passed on."""
    cols = tuple(f for f in _CPU_COLUMNS if not math.isnan(getattr(c, f)))
    cls = _scputimes_of.get(cols)
    if cls is None:   # two threads may both build it: equal classes, either one is kept
        cls = namedtuple('scputimes', [_CPU_NAMES.get(f, f) for f in cols])
        _scputimes_of[cols] = cls
    return cls(*(getattr(c, f) for f in cols))


def conv_pcputimes(c):
    return pcputimes(c.user, c.system, c.children_user, c.children_system, c.iowait)


def conv_pmem(m):
    # psutil 5.9's pmem shape; libpsinfo follows psutil 8, which dropped lib and dirty (always
    # 0 on Linux since 2.6)
    return pmem(m.rss, m.vms, m.shared, m.text, 0, m.data, 0)


def conv_pctxsw(s):
    # involuntary is PS_UNKNOWN_U64 where the OS counts one kind only; psutil says 0
    return pctxsw(s.voluntary, known(s.involuntary))


def conv_ids(ids, cls):
    return cls(ids.real, ids.effective, ids.saved)


def conv_pio(c):
    return pio(c.read_count, c.write_count, c.read_bytes, c.write_bytes, c.read_chars,
               c.write_chars)


def conv_endpoint(fam, ep, path, is_local):
    if fam == lib.PS_NET_AF_UNIX:
        # psutil: the bound path for laddr (or ''), '' for raddr.
        return decode(path) if (is_local and path != ffi.NULL) else ''
    if ep.ip == ffi.NULL:
        return ()
    return addr(decode(ep.ip), ep.port)


# ---------------------------------------------------------------- helpers psutil exports


def bytes2human(n, format='%(value).1f%(symbol)s'):
    """psutil._common.bytes2human (psutil 8: psutil.bytes2human): 10000 -> '9.8K'."""
    symbols = ('B', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y')
    for i in range(len(symbols) - 1, 0, -1):
        unit = 1 << (i * 10)
        if abs(n) >= unit:
            return format % {'value': float(n) / unit, 'symbol': symbols[i]}
    return format % {'value': n, 'symbol': symbols[0]}


def get_terminal_size(fallback=(80, 24)):
    return shutil.get_terminal_size(fallback)
