#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The public header through the binding generators (docs/abi.md, "Generator-clean header").

    header-gen-check.py [--include DIR] [--gaps FILE] [--cc CC] [--bindgen BINDGEN]

1. The truth: every object-like PS_* macro of the headers (cc -dM) and every enumerator (the
   pycparser parse below), with the values the C compiler gives them (a generated C program
   prints each one).
2. pycparser + cffi: the header preprocessed and printed back as declarations exactly as
   bindings/python/gen_ffi.py does, then given to cffi's cdef in ABI mode, the macros as
   "#define NAME <body>" (what a generator without a C compiler sees). Every macro and
   enumerator must come out of ffi.dlopen(None) with the compiler's value.
3. bindgen (with the flags of scripts/bindings-test.sh): every macro and enumerator must be a
   `pub const` with the compiler's value. A value equal modulo 2^64 counts as carried
   (bindgen 0.60 types 0xFFFFFFFFFFFFFFFF as `i32 = -1`; `PS_UNKNOWN_U64 as u64` is the exact
   bit pattern), and is listed as a note.
4. Shape rules on the parse: no enum-typed struct fields, no pointers to enums, no anonymous
   enums, no bit-fields; every value macro a plain integer literal (decimal or hex, optional
   minus sign, no suffix, cast, parenthesis, shift or reference).
Constants missing or wrong in a generator always fail. A shape violation fails unless its line
is listed in the known-gaps file (scripts/header-gen-gaps.txt); a listed gap that no longer
occurs fails too, so the file only shrinks. Exit 0 when clean.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'bindings', 'python'))
import gen_ffi  # noqa: E402  (the Python binding's own preprocessing and cdef printing)
from pycparser import c_ast  # noqa: E402

LITERAL = re.compile(r'^-?(0[xX][0-9A-Fa-f]+|[0-9]+)$')


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode:
        sys.exit('header-gen-check: %s failed (exit %d):\n%s' % (cmd[0], r.returncode, r.stderr))
    return r.stdout


def header_macros(cc, include):
    """{name: body} of the object-like PS_* macros the headers define (strings left out)."""
    text = run(cc + ['-E', '-dM', '-I', include, os.path.join(include, 'psinfo.h')])
    macros, strings = {}, []
    for line in text.splitlines():
        m = re.match(r'#define (PS_\w+)(\()?\s*(.*)$', line)
        if not m or m.group(1) == 'PS_EXTERN' or m.group(2):
            continue   # PS_EXTERN, function-like (PS_PT_BIT): C conveniences, not data
        if m.group(3).startswith('"'):
            strings.append(m.group(1))   # PS_VERSION_STRING: bindings use ps_version()
            continue
        macros[m.group(1)] = m.group(3).strip()
    return macros, strings


def compiler_values(cc, include, names):
    src = ['#include <stdio.h>', '#include <psinfo.h>', 'int main(void) {']
    for n in names:
        src.append('    if ((%s) < 0) printf("%s %%lld\\n", (long long)(%s)); '
                   'else printf("%s %%llu\\n", (unsigned long long)(%s));' % (n, n, n, n, n))
    src.append('    return 0;\n}')
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, 'v.c'), 'w') as f:
            f.write('\n'.join(src) + '\n')
        run(cc + ['-w', '-I', include, '-o', os.path.join(d, 'v'), os.path.join(d, 'v.c')])
        out = run([os.path.join(d, 'v')])
    return {n: int(v) for n, v in (l.split() for l in out.splitlines())}


def parse_header(cc, include):
    with tempfile.TemporaryDirectory() as stubdir:
        open(os.path.join(stubdir, 'stddef.h'), 'w').close()
        with open(os.path.join(stubdir, 'stdint.h'), 'w') as f:
            f.write(gen_ffi.STUB_STDINT)
        text = gen_ffi.strip_line_markers(gen_ffi.preprocess(cc, include, stubdir, []))
    text = re.sub(r'__attribute__\s*\(\(.*?\)\)', '', text)
    return gen_ffi.parse(text)


class Shapes(c_ast.NodeVisitor):
    """Shape-rule violations and the enumerators of the parsed header."""

    def __init__(self):
        self.enum_typedefs, self.enumerators, self.problems = set(), [], []
        self.struct = None

    def is_enum(self, t):
        if isinstance(t, c_ast.TypeDecl):
            t = t.type
        if isinstance(t, c_ast.Enum):
            return True
        return isinstance(t, c_ast.IdentifierType) and len(t.names) == 1 and \
            t.names[0] in self.enum_typedefs

    def visit_Typedef(self, node):
        t = node.type.type if isinstance(node.type, c_ast.TypeDecl) else None
        if isinstance(t, c_ast.Enum):
            self.enum_typedefs.add(node.name)
        self.generic_visit(node)

    def visit_Enum(self, node):
        if node.values is not None:
            names = [e.name for e in node.values.enumerators]
            self.enumerators += names
            if not node.name:
                self.problems.append('anonymous enum: %s' % ', '.join(names))

    def visit_Struct(self, node):
        if node.decls is None:
            return
        outer, self.struct = self.struct, node.name
        for d in node.decls:
            if d.bitsize is not None:
                self.problems.append('bit-field: %s.%s' % (node.name, d.name))
            if self.is_enum(d.type):
                self.problems.append('enum-typed field: %s.%s' % (node.name, d.name))
            self.visit(d)
        self.struct = outer

    def visit_PtrDecl(self, node):
        if self.is_enum(node.type):
            self.problems.append('pointer to an enum: %s' % self.where)
        self.generic_visit(node)

    def visit_FuncDecl(self, node):
        outer = getattr(self, 'where', None)
        for p in (node.args.params if node.args else []):
            if isinstance(p, c_ast.Decl):
                self.where = '%s(%s)' % (self.func, p.name)
                self.visit(p.type)
        self.where = '%s() return' % self.func
        self.visit(node.type)
        self.where = outer

    def visit_Decl(self, node):
        if isinstance(node.type, c_ast.FuncDecl):
            self.func = node.name
        self.where = '%s.%s' % (self.struct, node.name) if self.struct else node.name
        self.generic_visit(node)


def cffi_values(ast, macros, names):
    import cffi
    decls, _ = gen_ffi.cdef_from_ast(ast)
    ffi = cffi.FFI()
    ffi.cdef('\n'.join(decls))
    problems = []
    for n, body in sorted(macros.items()):
        try:
            ffi.cdef('#define %s %s\n' % (n, body))
        except Exception as e:   # cffi.CDefError: only literals (or "...", API mode only)
            problems.append('cffi cdef rejects #define %s %s: %s'
                            % (n, body, str(e).splitlines()[0]))
    lib = ffi.dlopen(None)
    got = {}
    for n in names:
        try:
            got[n] = getattr(lib, n)
        except AttributeError:
            pass
    return got, problems


def bindgen_values(bindgen, include):
    out = run([bindgen, os.path.join(include, 'psinfo.h'), '--allowlist-function', 'ps_.*',
               '--allowlist-type', 'ps_.*', '--allowlist-var', 'PS_.*', '--', '-I' + include])
    got = {}
    for m in re.finditer(r'pub const (\w+): ([\w:]+) = (-?\d+);', out):
        name = re.sub(r'^ps_\w+?_(?=PS_)', '', m.group(1))   # enum consts: <enum>_<NAME>
        got[name] = (int(m.group(3)), m.group(2))
    return got


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--include', default=os.path.join(ROOT, 'include'))
    ap.add_argument('--gaps', default=os.path.join(ROOT, 'scripts', 'header-gen-gaps.txt'))
    ap.add_argument('--cc', default=os.environ.get('CC', 'cc'))
    ap.add_argument('--bindgen', default='bindgen')
    a = ap.parse_args()
    cc = a.cc.split()
    include = os.path.abspath(a.include)

    macros, strings = header_macros(cc, include)
    ast = parse_header(cc, include)            # pycparser: a syntax it cannot read fails here
    shapes = Shapes()
    shapes.visit(ast)
    names = sorted(set(macros) | set(shapes.enumerators))
    truth = compiler_values(cc, include, names)

    fail, notes = [], []
    for n, body in sorted(macros.items()):
        if not LITERAL.match(body):
            shapes.problems.append('not a plain integer literal: #define %s %s' % (n, body))

    got_cffi, cffi_problems = cffi_values(ast, macros, names)
    fail += cffi_problems
    got_bg = bindgen_values(a.bindgen, include)
    for n in names:
        kind = 'macro' if n in macros else 'enumerator'
        v = truth[n]
        if n not in got_cffi:
            fail.append('cffi: %s %s missing' % (kind, n))
        elif got_cffi[n] != v:
            fail.append('cffi: %s %s = %s, the compiler says %s' % (kind, n, got_cffi[n], v))
        if n not in got_bg:
            fail.append('bindgen: %s %s missing' % (kind, n))
        elif got_bg[n][0] != v:
            if (got_bg[n][0] - v) % (1 << 64) == 0:
                notes.append('bindgen: %s is %s = %d (the compiler: %d; equal modulo 2^64)'
                             % (n, got_bg[n][1], got_bg[n][0], v))
            else:
                fail.append('bindgen: %s %s = %d, the compiler says %d'
                            % (kind, n, got_bg[n][0], v))

    gaps = []
    if os.path.exists(a.gaps):
        gaps = [l.strip() for l in open(a.gaps, encoding='utf-8')
                if l.strip() and not l.lstrip().startswith('#')]
    found = sorted(set(shapes.problems))
    new = [p for p in found if p not in gaps]
    stale = [g for g in gaps if g not in found]
    for p in new:
        fail.append('shape: ' + p)
    for g in stale:
        fail.append('known gap no longer occurs, remove it from %s: %s'
                    % (os.path.relpath(a.gaps, ROOT), g))
    for n in notes:
        print('header-gen-check: note: ' + n)
    for g in found:
        if g in gaps:
            print('header-gen-check: known gap (%s): %s' % (os.path.relpath(a.gaps, ROOT), g))
    if fail:
        print('header-gen-check: FAIL\n  ' + '\n  '.join(fail))
        sys.exit(1)
    print('header-gen-check: %d PS_* value macros and %d enumerators carried by pycparser/cffi '
          'and bindgen with the compiler\'s values; %d string macro(s) left to C (%s); '
          '%d known shape gap(s)' % (len(macros), len(shapes.enumerators), len(strings),
                                    ', '.join(strings), len(gaps)))


if __name__ == '__main__':
    main()
