# SPDX-License-Identifier: MIT
"""The extension is generated from the header: every public C function and constant is there."""
import glob
import os
import re
import subprocess

import psinfo
from psinfo._psinfo_cffi import ffi, lib

from conftest import ROOT

INCLUDE = os.path.join(ROOT, 'include')


def header_functions():
    names = set()
    for h in glob.glob(os.path.join(INCLUDE, '**', '*.h'), recursive=True):
        src = re.sub(r'/\*.*?\*/', ' ', open(h, encoding='utf-8').read(), flags=re.S)
        names.update(re.findall(r'PS_EXTERN\b[^;{]*?\b(ps_\w+)\s*\(', src))
    return names


def header_constants():
    """Object-like PS_* macros and enumerators of the headers (what a binding must carry)."""
    names = set()
    for h in glob.glob(os.path.join(INCLUDE, '**', '*.h'), recursive=True):
        src = re.sub(r'/\*.*?\*/', ' ', open(h, encoding='utf-8').read(), flags=re.S)
        for m in re.finditer(r'^\s*#\s*define\s+(PS_\w+)(\()?', src, flags=re.M):
            if not m.group(2) and m.group(1) != 'PS_EXTERN':
                names.add(m.group(1))
        for body in re.findall(r'\benum\b[^{;]*\{([^}]*)\}', src):
            names.update(re.findall(r'\b(PS_\w+)\s*(?:=|,|$)', body))
    return names


def test_every_header_function_is_in_the_extension():
    fns = header_functions()
    assert len(fns) > 100
    missing = sorted(n for n in fns if not hasattr(lib, n))
    assert not missing, 'not reachable from the extension: %s' % missing


def test_every_exported_symbol_is_in_the_extension():
    """The other way round: the public symbols linked into the extension (nm) are all
    declared to cffi, so no function exported by the library escapes the header."""
    so = psinfo._psinfo_cffi.__file__
    out = subprocess.run(['nm', '-D', '--defined-only', so], check=True, capture_output=True,
                         text=True).stdout
    exported = {l.split()[-1] for l in out.splitlines() if re.search(r' T ps_\w+$', l)}
    assert len(exported) > 100
    missing = sorted(n for n in exported if not hasattr(lib, n))
    assert not missing, 'exported by libpsinfo but not declared: %s' % missing
    assert exported == header_functions(), 'exported set differs from PS_EXTERN set: %s' % \
        sorted(exported ^ header_functions())


def test_every_constant_is_in_the_extension():
    consts = header_constants()
    assert {'PS_ENOPROC', 'PS_PT_ALL', 'PS_TIMEOUT_INFINITE', 'PS_VERSION_STRING'} <= consts
    missing = sorted(n for n in consts if not hasattr(lib, n))
    assert not missing, missing


def test_constant_values_come_from_the_compiler():
    assert lib.PS_PT_ALL == (1 << lib.PS_PT_FIELD_COUNT) - 1
    assert lib.PS_RLIM_INFINITY == -1
    assert lib.PS_TIMEOUT_INFINITE == -1.0
    assert ffi.string(lib.PS_VERSION_STRING).decode() == psinfo.__version__
    assert lib.PS_VERSION_NUMBER == lib.ps_version_number()


def test_generated_cdef_matches_the_header_of_this_tree():
    """gen_ffi.py run now on the tree's header gives the same declarations the installed
    extension has: a header change without a rebuild is caught."""
    import sys
    import tempfile
    sys.path.insert(0, os.path.join(ROOT, 'bindings', 'python'))
    import gen_ffi
    with tempfile.TemporaryDirectory() as d:
        gen_ffi.main(['--include', INCLUDE, '--out-c', os.path.join(d, 'x.c'),
                      '--out-cdef', os.path.join(d, 'x.h'), '--cc', 'cc'])
        cdef = open(os.path.join(d, 'x.h')).read()
    for fn in header_functions():
        assert re.search(r'\b%s\s*\(' % fn, cdef), fn
