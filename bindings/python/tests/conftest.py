# SPDX-License-Identifier: MIT
"""Shared helpers. The oracle is Debian's psutil (5.9.4) on live processes."""
import os
import subprocess
import sys
import time

import pytest

import psinfo

try:
    import psutil
except ImportError:       # the oracle is required: fail loudly rather than skip everything
    raise SystemExit('python3-psutil (the oracle) is not importable')

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


@pytest.fixture
def sleeper():
    """A child that sleeps until killed."""
    argv = [sys.executable, '-c', 'import time; time.sleep(600)']
    p = subprocess.Popen(argv)
    deadline = time.monotonic() + 60
    # Until the exec is complete (before it, the child shows our own cmdline).
    while psutil.Process(p.pid).cmdline() != argv:
        assert time.monotonic() < deadline, 'child did not exec'
        time.sleep(0.01)
    yield p
    p.kill()
    p.wait()


@pytest.fixture
def zombie():
    """A zombie child (exited, not reaped)."""
    p = subprocess.Popen([sys.executable, '-c', 'pass'])
    deadline = time.monotonic() + 30
    while psutil.Process(p.pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, 'child did not become a zombie'
        time.sleep(0.01)
    yield p
    p.wait()


def retried(fn, attempts=5):
    """Run a comparison of live values until it holds, at most `attempts` times: other
    processes on this machine change what both libraries read between the two reads (a
    sibling exits and its shared pages become private; another suite creates and deletes
    NICs, some with names psutil 5.9.4 cannot decode). A real difference fails every time."""
    for i in range(attempts):
        try:
            return fn()
        except AssertionError:
            if i == attempts - 1:
                raise
            time.sleep(0.2)
