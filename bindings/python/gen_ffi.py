#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate the cffi extension of the Python binding from the public C header.

Run by meson at build time (and usable alone):

    gen_ffi.py --include DIR --out-c FILE.c [--out-cdef FILE.h] [--module NAME] --cc CC [ARGS...]

1. Preprocess <DIR>/psinfo.h with the C compiler against stub <stddef.h>/<stdint.h> (so only
   psinfo's own declarations come out) and without __GNUC__ (so PS_EXTERN expands to nothing).
2. Parse the result with pycparser and print every typedef, struct, enum and function back as
   the cffi declarations (cdef).
3. Ask the preprocessor for every object-like PS_* macro (-dM): integer ones become
   "#define NAME ..." (the C compiler computes the value: API mode), string ones
   "static char *const NAME;", floating ones "static const double NAME;".
4. Check that every function the header marks PS_EXTERN was generated, and fail otherwise.
5. Write the C source of the extension (cffi API mode, ffi.emit_c_code).

Nothing is copied from the header by hand: a new function, field or constant reaches Python
with the next build.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import pycparser
from pycparser import c_ast, c_generator

# Types the stub headers stand for. cffi knows them natively; pycparser needs typedefs.
STUB_TYPES = {
    'size_t': 'unsigned long', 'ptrdiff_t': 'long',
    'int8_t': 'signed char', 'int16_t': 'short', 'int32_t': 'int', 'int64_t': 'long long',
    'uint8_t': 'unsigned char', 'uint16_t': 'unsigned short', 'uint32_t': 'unsigned int',
    'uint64_t': 'unsigned long long', 'intptr_t': 'long', 'uintptr_t': 'unsigned long',
}
# Limit macros the header may use in constants; the stub stdint.h maps them to C literals the
# real headers would give (the C compiler, not this script, computes the final values).
STUB_STDINT = """
#define UINT64_MAX 18446744073709551615ULL
#define INT64_MAX 9223372036854775807LL
#define INT64_MIN (-INT64_MAX - 1)
#define INT32_MAX 2147483647
#define INT32_MIN (-INT32_MAX - 1)
#define UINT32_MAX 4294967295U
#define SIZE_MAX 18446744073709551615UL
"""


def preprocess(cc, include, stubdir, extra):
    cmd = list(cc) + ['-E', '-nostdinc', '-U__GNUC__', '-U__clang__', '-I', stubdir,
                      '-I', include] + extra + [os.path.join(include, 'psinfo.h')]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def strip_line_markers(text):
    return '\n'.join(l for l in text.splitlines() if not l.startswith('#'))


def parse(text):
    prelude = ''.join('typedef %s %s;\n' % (c, n) for n, c in STUB_TYPES.items())
    return pycparser.CParser().parse(prelude + text, '<psinfo.h>')


def cdef_from_ast(ast):
    gen = c_generator.CGenerator()
    out, functions = [], []
    for node in ast.ext:
        if isinstance(node, c_ast.Typedef) and node.name in STUB_TYPES:
            continue
        if isinstance(node, c_ast.Decl) and isinstance(node.type, c_ast.FuncDecl):
            functions.append(node.name)
        out.append(gen.visit(node) + ';')
    return out, functions


INT_RE = re.compile(r'^[\s()+\-~]*(0[xX][0-9a-fA-F]+|\d+)[uUlL]*[\s()]*$')
FLOAT_RE = re.compile(r'^[\s()+\-]*(\d+\.\d*|\.\d+|\d+[eE][-+]?\d+)([eE][-+]?\d+)?[fFlL]?[\s()]*$')


def macro_decls(cc, include, stubdir, extra):
    text = subprocess.run(list(cc) + ['-E', '-dM', '-nostdinc', '-U__GNUC__', '-U__clang__',
                                      '-I', stubdir, '-I', include] + extra +
                          [os.path.join(include, 'psinfo.h')],
                          check=True, capture_output=True, text=True).stdout
    decls, skipped = [], []
    for line in sorted(text.splitlines()):
        m = re.match(r'#define (PS_\w+)(\(.*?\))?\s*(.*)$', line)
        if not m or m.group(1) == 'PS_EXTERN':
            continue
        name, params, body = m.groups()
        if params is not None:     # function-like (PS_PT_BIT): a C convenience, not data
            skipped.append(name)
            continue
        if body.startswith('"'):
            decls.append('static char *const %s;' % name)
        elif FLOAT_RE.match(body) or 'INFINITY' in body or 'NAN' in body:
            decls.append('static const double %s;' % name)
        elif body:
            # Any other object-like macro is an integer constant expression (literal, shift,
            # UINT64_MAX, ...): the compiler evaluates it in API mode.
            decls.append('#define %s ...' % name)
    return decls, skipped


def exported_names(include):
    """Names of the functions the header files declare with PS_EXTERN (a text scan, to check
    the parse independently)."""
    names = set()
    for root, _, files in os.walk(include):
        for f in files:
            if f.endswith('.h'):
                src = open(os.path.join(root, f), encoding='utf-8').read()
                src = re.sub(r'/\*.*?\*/', ' ', src, flags=re.S)
                for m in re.finditer(r'PS_EXTERN\b[^;{]*?\b(ps_\w+)\s*\(', src):
                    names.add(m.group(1))
    return names


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--include', required=True)
    ap.add_argument('--out-c', required=True)
    ap.add_argument('--out-cdef')
    ap.add_argument('--module', default='psinfo._psinfo_cffi')
    ap.add_argument('--cc', nargs=argparse.REMAINDER, default=['cc'])
    a = ap.parse_args(argv)
    cc = a.cc or ['cc']
    with tempfile.TemporaryDirectory() as stubdir:
        open(os.path.join(stubdir, 'stddef.h'), 'w').close()
        with open(os.path.join(stubdir, 'stdint.h'), 'w') as f:
            f.write(STUB_STDINT)
        # The stub types are typedef'd by the parser's prelude; the preprocessed text has none.
        text = strip_line_markers(preprocess(cc, a.include, stubdir, []))
        text = re.sub(r'__attribute__\s*\(\(.*?\)\)', '', text)
        decls, functions = cdef_from_ast(parse(text))
        macros, _ = macro_decls(cc, a.include, stubdir, [])

    missing = exported_names(a.include) - set(functions)
    if missing:
        sys.exit('gen_ffi: PS_EXTERN functions not generated: %s' % ', '.join(sorted(missing)))

    cdef = '\n'.join(decls + macros) + '\n'
    if a.out_cdef:
        with open(a.out_cdef, 'w') as f:
            f.write('/* Generated by gen_ffi.py from psinfo.h: %d functions, %d constants. */\n'
                    % (len(functions), len(macros)) + cdef)

    import cffi
    ffi = cffi.FFI()
    ffi.cdef(cdef)
    ffi.set_source(a.module, '#include <psinfo.h>\n')
    tmp = a.out_c + '.tmp'
    ffi.emit_c_code(tmp)
    os.replace(tmp, a.out_c)


if __name__ == '__main__':
    main()
