# SPDX-License-Identifier: MIT
"""psutil's exception classes, and the one place that turns a PS_E* code into one of them."""
import errno as _errno

from ._psinfo_cffi import ffi, lib


class Error(Exception):
    """Base exception class. All other psinfo (psutil) exceptions inherit from this one."""

    __module__ = 'psinfo'

    def _details(self):
        parts = []
        for attr in ('pid', 'ppid', 'name'):
            value = getattr(self, attr, None)
            if value or (attr == 'pid' and value == 0):
                parts.append('%s=%r' % (attr, value))
        return '(%s)' % ', '.join(parts) if parts else ''

    def __str__(self):
        return ' '.join(x for x in (getattr(self, 'msg', ''), self._details()) if x)

    def __repr__(self):
        items = ['%s=%r' % (k, getattr(self, k)) for k in ('pid', 'ppid', 'name', 'seconds', 'msg')
                 if getattr(self, k, None) not in (None, '')]
        return 'psinfo.%s(%s)' % (type(self).__name__, ', '.join(items))


class NoSuchProcess(Error):
    """The process no longer exists (or never did)."""

    __module__ = 'psinfo'

    def __init__(self, pid, name=None, msg=None):
        Error.__init__(self)
        self.pid = pid
        self.name = name
        self.msg = msg or 'process no longer exists'

    def __reduce__(self):
        return (self.__class__, (self.pid, self.name, self.msg))


class ZombieProcess(NoSuchProcess):
    """The process exists but is a zombie (only its PID, status and a few fields remain)."""

    __module__ = 'psinfo'

    def __init__(self, pid, name=None, ppid=None, msg=None):
        NoSuchProcess.__init__(self, pid, name, msg)
        self.ppid = ppid
        self.msg = msg or "PID still exists but it's a zombie"

    def __reduce__(self):
        return (self.__class__, (self.pid, self.name, self.ppid, self.msg))


class AccessDenied(Error):
    """The OS refused the operation."""

    __module__ = 'psinfo'

    def __init__(self, pid=None, name=None, msg=None):
        Error.__init__(self)
        self.pid = pid
        self.name = name
        self.msg = msg or ''

    def __reduce__(self):
        return (self.__class__, (self.pid, self.name, self.msg))


class TimeoutExpired(Error):
    """Process.wait() or wait_procs() timed out while the process was still alive."""

    __module__ = 'psinfo'

    def __init__(self, seconds, pid=None, name=None):
        Error.__init__(self)
        self.seconds = seconds
        self.pid = pid
        self.name = name
        self.msg = 'timeout after %s seconds' % seconds

    def __reduce__(self):
        return (self.__class__, (self.seconds, self.pid, self.name))


def last_error():
    """(os_error, message) of the calling thread's last failure (a C thread-local: cffi calls
    run on the calling OS thread, so this is the failure of the call just made)."""
    d = ffi.new('ps_error_detail *')
    lib.ps_error_last(d)
    return d.os_error, ffi.string(d.message).decode('utf-8', 'replace')


def raise_for(rc, pid=None, name=None, ppid=None):
    """Raise psutil's exception for the PS_E* code rc (rc < 0)."""
    if rc == lib.PS_ENOPROC:
        raise NoSuchProcess(pid, name)
    if rc == lib.PS_EZOMBIE:
        raise ZombieProcess(pid, name, ppid)
    if rc == lib.PS_EACCES:
        raise AccessDenied(pid, name)
    if rc == lib.PS_ENOMEM:
        raise MemoryError()
    if rc == lib.PS_ENOTSUP:
        raise NotImplementedError(last_error()[1] or 'not supported on this platform')
    os_error, msg = last_error()
    if rc == lib.PS_EINVAL:
        raise ValueError(msg or 'invalid argument')
    if rc == lib.PS_ENOENT:
        raise FileNotFoundError(os_error or _errno.ENOENT, msg or 'no such file or directory')
    if rc == lib.PS_ETIMEDOUT:
        raise TimeoutExpired(None, pid, name)
    if rc == lib.PS_EMFILE:
        raise OSError(os_error or _errno.EMFILE, msg)
    raise OSError(os_error or _errno.EIO, '%s: %s' % (ffi.string(lib.ps_err_name(rc)).decode(),
                                                     msg))


def check(rc):
    """For system-wide calls: raise on failure."""
    if rc < 0:
        raise_for(rc)
