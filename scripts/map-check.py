#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The version script and the header must name the same functions.

    map-check.py [--map src/libpsinfo.map] [--include include] [--lib libpsinfo.so]
    map-check.py --print        the map src/libpsinfo.map should have (one node, PSINFO_0)

Compares the symbols the global: sections of the version script list with the functions the
public headers declare PS_EXTERN, and fails with the exact lines to add to or remove from the
map. With --lib, also compares with the functions the shared library really exports
(nm -D --defined-only), so a declared but undefined function, or an export the map and the
header do not know, fails too. Used by scripts/abi-check.sh and the meson test abi_map.
"""
import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def header_functions(include):
    """Names of the functions the header files declare with PS_EXTERN (comments stripped)."""
    names = set()
    for d, _, files in os.walk(include):
        for f in files:
            if f.endswith('.h'):
                src = open(os.path.join(d, f), encoding='utf-8').read()
                src = re.sub(r'/\*.*?\*/', ' ', src, flags=re.S)
                src = re.sub(r'//[^\n]*', ' ', src)
                src = re.sub(r'^\s*#[^\n]*', ' ', src, flags=re.M)   # the PS_EXTERN definitions
                for m in re.finditer(r'\bPS_EXTERN\b[^;{]*?\b(\w+)\s*\(', src):
                    names.add(m.group(1))
    return names


def map_symbols(path):
    """{symbol: node} of the global: entries of a GNU version script."""
    text = re.sub(r'/\*.*?\*/', ' ', open(path, encoding='utf-8').read(), flags=re.S)
    text = re.sub(r'#[^\n]*', ' ', text)
    syms = {}
    for node, body in re.findall(r'(\w+)\s*\{(.*?)\}\s*\w*\s*;', text, flags=re.S):
        section = None
        for tok in re.findall(r'[\w*]+\s*:|[^;:\s]+\s*;', body):
            tok = tok.strip()
            if tok.endswith(':'):
                section = tok[:-1].strip()
            elif section == 'global':
                name = tok[:-1].strip()
                if name in syms:
                    sys.exit('map-check: %s is listed twice (%s and %s)' % (name, syms[name], node))
                syms[name] = node
    return syms


def library_exports(lib):
    out = subprocess.run(['nm', '-D', '--defined-only', lib], check=True, capture_output=True,
                         text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] != 'A':   # A: the version node itself
            names.add(parts[2].split('@')[0])
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--map', default=os.path.join(ROOT, 'src', 'libpsinfo.map'))
    ap.add_argument('--include', default=os.path.join(ROOT, 'include'))
    ap.add_argument('--lib')
    ap.add_argument('--print', action='store_true')
    a = ap.parse_args()
    declared = header_functions(a.include)
    if not declared:
        sys.exit('map-check: no PS_EXTERN function found under %s' % a.include)
    if a.print:
        print('PSINFO_0 {\n  global:\n' + ''.join('    %s;\n' % n for n in sorted(declared)) +
              '  local: *;\n};')
        return
    mapped = map_symbols(a.map)
    rel = os.path.relpath(a.map, ROOT) if os.path.abspath(a.map).startswith(ROOT + os.sep) \
        else a.map
    errors = []
    add = sorted(declared - set(mapped))
    remove = sorted(set(mapped) - declared)
    if add:
        errors.append('%d PS_EXTERN function(s) of the header missing from %s: add them to its '
                      'newest node (%s), in sorted order:\n%s'
                      % (len(add), rel, max(set(mapped.values()) or {'PSINFO_0'}),
                         ''.join('    %s;\n' % n for n in add)))
    if remove:
        errors.append('%d symbol(s) in %s that the header does not declare PS_EXTERN: remove '
                      'these lines (a removed or renamed function is an ABI break, docs/abi.md):\n%s'
                      % (len(remove), rel, ''.join('    %s;   (node %s)\n' % (n, mapped[n])
                                                   for n in remove)))
    if a.lib:
        exported = library_exports(a.lib)
        undefined = sorted(declared - exported)
        extra = sorted(n for n in exported - declared)
        if undefined:
            errors.append('declared PS_EXTERN but not exported by %s (not defined, or the '
                          'definition lacks the header\'s declaration): %s'
                          % (a.lib, ', '.join(undefined)))
        if extra:
            errors.append('exported by %s but not declared PS_EXTERN in the header: %s'
                          % (a.lib, ', '.join(extra)))
    if errors:
        sys.exit('map-check: FAIL\n' + '\n'.join(errors))
    print('map-check: %s and the header agree on %d functions%s'
          % (rel, len(declared), ' (and %s exports exactly them)' % os.path.basename(a.lib)
             if a.lib else ''))


if __name__ == '__main__':
    main()
