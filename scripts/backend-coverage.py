#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Count, for one configured build, the back-end operations (the ps__bk_* functions of
src/backend.h) that are real and those that only return PS_ENOTSUP, from the very sources
that build compiles into libpsinfo (meson introspect), so the figures in the docs come from
the build and not from a hand-kept list.

    scripts/backend-coverage.py BUILD_DIR [--list] [--min-real N]

A function counts as a stub when its body, after (void) casts, '*out = ...' assignments and
comments, begins with an unconditional return of PS_ENOTSUP (ps__error(PS_ENOTSUP, ...), the
stub files' PS__NOTSUP(...), or PS_ENOTSUP itself), as does every PS__STUBn(...) line of the stub
files; a function that returns PS_ENOTSUP only on
some path (e.g. cpu_freq on Apple Silicon) is real. Disposers (*_free, *_dispose) and the
scanner hooks are not operations and are not counted. Exit status 1 when an operation declared
in backend.h is defined zero or several times, or when fewer than --min-real are real."""
import json
import re
import subprocess
import sys
from pathlib import Path


def compiled_sources(build):
    out = subprocess.run(['meson', 'introspect', '--targets', str(build)], check=True,
                         capture_output=True, text=True).stdout
    for t in json.loads(out):
        if t['name'] == 'psinfo' and t['type'] == 'shared library':
            return [Path(s) for ts in t['target_sources'] for s in ts.get('sources', [])]
    sys.exit('backend-coverage: no psinfo shared library in ' + str(build))


def strip_comments(text):
    return re.sub(r'/\*.*?\*/|//[^\n]*', ' ', text, flags=re.S)


def definitions(path):
    """(name, body) of every ps__bk_ function defined in path."""
    text = strip_comments(path.read_text(errors='replace'))
    for m in re.finditer(r'^[A-Za-z_][\w \*]*?\b(ps__bk_\w+)\s*\([^;{]*?\)\s*\{', text, re.M):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {'{': 1, '}': -1}.get(text[i], 0)
            i += 1
        yield m.group(1), text[m.end():i - 1]


# src/unsupported/stub.h's PS__STUBn(ps__bk_name, "api", types...) defines a PS_ENOTSUP stub.
STUB_MACRO = re.compile(r'^\s*PS__STUB\d\s*\(\s*(ps__bk_\w+)\s*,', re.M)


STUB = re.compile(r'^\s*(?:\(void\)\s*\w+\s*[;,]\s*|\*\w+\s*=\s*[^;]+;\s*)*'
                  r'return\s+(?:ps__error\s*\(\s*PS_ENOTSUP\b|(?:PS__)?NOTSUP\s*\(|PS_ENOTSUP\b)')
NOT_OPS = re.compile(r'_(free|dispose)$|^ps__bk_scanner_')


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    build = Path(args[0])
    min_real = int(args[args.index('--min-real') + 1]) if '--min-real' in args else 0
    root = Path(__file__).resolve().parent.parent
    declared = set(re.findall(r'\b(ps__bk_\w+)\s*\(', strip_comments((root / 'src/backend.h').read_text())))
    ops = sorted(n for n in declared if not NOT_OPS.search(n))
    found = {}
    for src in compiled_sources(build):
        if src.suffix == '.c':
            for name, body in definitions(src):
                found.setdefault(name, []).append(bool(STUB.match(body)))
            for name in STUB_MACRO.findall(strip_comments(src.read_text(errors='replace'))):
                found.setdefault(name, []).append(True)
    bad = [n for n in ops if len(found.get(n, [])) != 1]
    stubs = [n for n in ops if found.get(n) == [True]]
    real = [n for n in ops if found.get(n) == [False]]
    backend = build.name
    print(f'backend-coverage {backend}: {len(real)} of {len(ops)} back-end operations real, '
          f'{len(stubs)} PS_ENOTSUP')
    if '--list' in args:
        print('  real: ' + ' '.join(n[len('ps__bk_'):] for n in real))
        print('  PS_ENOTSUP: ' + ' '.join(n[len('ps__bk_'):] for n in stubs))
    status = 0
    if bad:
        print('backend-coverage: defined zero or several times: ' + ' '.join(bad), file=sys.stderr)
        status = 1
    if len(real) < min_real:
        print(f'backend-coverage: {len(real)} real, fewer than --min-real {min_real}', file=sys.stderr)
        status = 1
    return status


if __name__ == '__main__':
    sys.exit(main())
