# SPDX-License-Identifier: MIT
"""Strings are psutil's exactly: a process whose directory, executable, arguments and
environment are not valid UTF-8 gives the same str values as psutil (surrogateescape)."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pytest

import psinfo
import psutil

BAD = b'\xff\xfe-caf\xc3\xa9-\xed\xa0\x80-\xc3'     # invalid bytes, an encoded surrogate, a
                                                  # valid e-acute, a truncated sequence


@pytest.fixture
def weird_process():
    base = tempfile.mkdtemp(prefix='psinfo-utf8-')
    d = os.path.join(os.fsencode(base), b'dir-' + BAD)
    os.mkdir(d)
    exe = os.path.join(d, b'sh-' + BAD)
    shutil.copy('/bin/sh', exe)
    env = {b'PATH': b'/usr/bin:/bin', b'KEY-' + BAD: b'value-' + BAD, b'PLAIN': b'x'}
    # The shell blocks reading its stdin (a pipe) until killed, with the bad bytes in argv.
    argv = [exe, b'-c', b'read x', b'arg-' + BAD]
    p = subprocess.Popen(argv, cwd=d, env=env,
                         stdin=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        # Until the exec is complete: the kernel sets the new exe before the new argv.
        while psutil.Process(p.pid).cmdline() != [os.fsdecode(a) for a in argv]:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        yield p, exe, d
    finally:
        p.kill()
        p.wait()
        p.stdin.close()
        shutil.rmtree(base)


def test_invalid_utf8_process_equals_psutil(weird_process):
    p, exe, d = weird_process
    t, o = psutil.Process(p.pid), psinfo.Process(p.pid)
    assert o.exe() == t.exe() == os.fsdecode(exe)
    assert os.fsencode(o.exe()) == exe                  # lossless: the original bytes
    assert o.cmdline() == t.cmdline()
    assert [os.fsencode(a) for a in o.cmdline()] == [exe, b'-c', b'read x', b'arg-' + BAD]
    assert o.cwd() == t.cwd() == os.fsdecode(d)
    assert o.environ() == t.environ()
    assert o.environ()[os.fsdecode(b'KEY-' + BAD)] == os.fsdecode(b'value-' + BAD)
    # name(): the kernel cuts comm at 15 bytes; both extend it from cmdline[0], but psutil
    # tests len(str) >= 15, so a 15-byte comm holding multi-byte characters (14 str chars
    # here) stays cut in psutil; libpsinfo tests the 15 bytes, the kernel's limit.
    assert o.name() == os.path.basename(t.exe())
    assert o.name().startswith(t.name()) and len(os.fsencode(t.name())) == 15
    # The same strings through the process table and as_dict.
    [info] = [q.info for q in psinfo.process_iter(['exe', 'cmdline', 'cwd', 'name'])
              if q.pid == p.pid]
    assert info == {'exe': t.exe(), 'cmdline': t.cmdline(), 'cwd': t.cwd(), 'name': o.name()}
    assert o.as_dict(['exe', 'cwd', 'environ']) == t.as_dict(['exe', 'cwd', 'environ'])
    # A path with surrogate escapes goes back to the library as its bytes.
    assert psinfo.disk_usage(o.cwd()).total == psutil.disk_usage(t.cwd()).total


def test_open_files_and_maps_with_invalid_utf8(weird_process):
    p, exe, d = weird_process
    path = os.path.join(d, b'file-' + BAD)
    with open(path, 'wb') as f:
        f.write(b'x')
        me_t, me_o = psutil.Process(), psinfo.Process()
        assert [x.path for x in me_o.open_files()] == [x.path for x in me_t.open_files()]
        assert os.fsdecode(path) in [x.path for x in me_o.open_files()]
    t, o = psutil.Process(p.pid), psinfo.Process(p.pid)
    assert [m.path for m in o.memory_maps()] == [m.path for m in t.memory_maps()]
    assert os.fsdecode(exe) in [m.path for m in o.memory_maps()]
