#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ABI guard (docs/abi.md): the shared library's ABI against the committed baseline.
#   scripts/abi-check.sh             build libpsinfo.so with debug info in build-abi/, abidw it
#                                    (public headers only), compare with abi/libpsinfo.abi;
#                                    exit 1 on a break, 0 on a compatible change (added
#                                    functions are listed; a field taken from a reserved tail
#                                    is accepted). Also checks src/libpsinfo.map (map-check.py).
#   scripts/abi-check.sh --update    the same build, then rewrite abi/libpsinfo.abi from it
#   scripts/abi-check.sh --selftest  prove the guard works: from a copy of the real headers,
#                                    tiny libraries where a struct grows past its end (must be
#                                    a break) and where a new field takes a reserved slot plus
#                                    a new function is added (must pass)
# Needs abigail-tools (abidw, abidiff) and python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mode=${1:-check}
baseline=abi/libpsinfo.abi
build=build-abi
verdict=$root/scripts/abi-verdict.py
for t in abidw abidiff; do
  command -v $t >/dev/null || { echo "abi-check: $t not found (Debian: abigail-tools)" >&2; exit 2; }
done
# Stable output wherever the tree is checked out: no absolute paths, no source locations (a
# line moving in a header is no ABI change and must not touch the baseline).
abidw_flags=(--no-corpus-path --no-comp-dir-path --no-show-locs --drop-private-types)

# compare OLD.abi NEW.abi LABEL: 0 compatible, 1 break. Both corpora were restricted to the
# public headers by abidw --headers-dir (abidiff's --headers-dir1/2 would drop every type of an
# XML corpus written without locations).
compare() {
  local old=$1 new=$2 label=$3 rc=0 report
  report=$(mktemp)
  abidiff --leaf-changes-only --no-added-syms "$old" "$new" >"$report" || rc=$?
  if [ $((rc & 3)) -ne 0 ]; then   # 1: abidiff error, 2: usage error
    cat "$report"; rm -f "$report"
    echo "abi-check: $label: abidiff failed (exit $rc)" >&2
    return 1
  fi
  if [ $rc -ne 0 ] && ! python3 "$verdict" "$report"; then
    rm -f "$report"
    echo "abi-check: $label: INCOMPATIBLE with $old (docs/abi.md, \"Changing the ABI on purpose\")" >&2
    return 1
  fi
  rm -f "$report"
  # Added functions: compatible, listed for the record (--update records them in the baseline).
  abidiff --added-fns "$old" "$new" |
    sed -n "s/^  \[A\] /abi-check: $label: added: /p" || true
  echo "abi-check: $label: compatible with $old"
}

selftest() {
  local tmp
  local -a cc
  read -r -a cc <<<"${CC:-cc}"   # may be a command line ("ccache cc")
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  # The struct: the first whose last member is a reserved tail of at least 2 slots.
  local found
  found=$(python3 - "$root/include" <<'PY'
import os, re, sys
inc = sys.argv[1]
for d, _, files in sorted(os.walk(inc)):
    for f in sorted(files):
        if not f.endswith('.h'):
            continue
        src = open(os.path.join(d, f)).read()
        for m in re.finditer(r'typedef struct (\w+) \{(.*?)\n\} (\w+);', src, re.S):
            last = re.findall(r'uint64_t reserved\[(\d+)\];[^\n]*\n?\s*$', m.group(2))
            if last and int(last[0]) >= 2:
                print(os.path.relpath(os.path.join(d, f), inc), m.group(3), last[0])
                sys.exit(0)
sys.exit('abi-check: --selftest: no struct with a reserved tail in the headers')
PY
)
  local hdr type n
  read -r hdr type n <<<"$found"
  echo "abi-check: selftest on $type ($hdr, uint64_t reserved[$n])"
  for v in base grow break; do
    cp -r "$root/include" "$tmp/$v"
  done
  # grow: a new field takes one slot of the tail; break: a field appended after the tail.
  python3 - "$tmp" "$hdr" "$type" "$n" <<'PY'
import re, sys
tmp, hdr, typ, n = sys.argv[1:5]
n = int(n)
def edit(variant, repl):
    p = '%s/%s/%s' % (tmp, variant, hdr)
    src = open(p).read()
    pat = re.compile(r'(typedef struct \w+ \{.*?)(uint64_t reserved\[%d\];)([^\n]*\n?\s*\} %s;)' % (n, typ), re.S)
    new, k = pat.subn(lambda m: m.group(1) + repl + m.group(3), src, count=1)
    assert k == 1, (variant, typ)
    open(p, 'w').write(new)
edit('grow', 'uint64_t selftest_added; uint64_t reserved[%d];' % (n - 1))
edit('break', 'uint64_t reserved[%d]; uint64_t selftest_added;' % n)
PY
  for v in base grow break; do
    {
      echo '#include <psinfo.h>'
      echo "PS_EXTERN int ps_selftest_use($type *x) { return x != 0; }"
      [ $v = grow ] && echo 'PS_EXTERN int ps_selftest_added(void) { return 1; }'
    } >"$tmp/$v.c"
    "${cc[@]}" -g -O0 -shared -fPIC -fvisibility=hidden -I"$tmp/$v" -o "$tmp/$v/lib.so" "$tmp/$v.c"
    abidw "${abidw_flags[@]}" --headers-dir "$tmp/$v" --out-file "$tmp/$v.abi" "$tmp/$v/lib.so"
  done
  local ok=1
  if compare "$tmp/base.abi" "$tmp/grow.abi" "selftest: reserved slot taken"; then
    echo "abi-check: selftest: OK, a field taken from the reserved tail passes"
  else
    echo "abi-check: selftest: FAIL, a reserved-slot growth was reported as a break" >&2; ok=0
  fi
  if compare "$tmp/base.abi" "$tmp/break.abi" "selftest: field appended" 2>&1 |
      sed 's/^/    | /'; [ "${PIPESTATUS[0]}" -eq 0 ]; then
    echo "abi-check: selftest: FAIL, a struct growing past its end was not caught" >&2; ok=0
  else
    echo "abi-check: selftest: OK, a struct growing past its end (size change) is a break"
  fi
  [ $ok = 1 ]
}

case $mode in
  --selftest) selftest; exit ;;
  check | --update) ;;
  *) echo "usage: scripts/abi-check.sh [--update | --selftest]" >&2; exit 2 ;;
esac

# Only the shared library, with debug info (debug: -O0 -g, so no field is optimised out of the
# DWARF), no tests or tools.
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=debug -Ddefault_library=shared -Dtests=disabled \
    -Dinstall=false >"$root/$build.setup.log" 2>&1 ||
    { tail -20 "$root/$build.setup.log"; exit 1; }
fi
lib=$(cd "$build" && meson introspect --targets |
  python3 -c 'import json,sys; print([f for t in json.load(sys.stdin) if t["type"] == "shared library" and t["name"] == "psinfo" for f in t["filename"]][0])')
ninja -C "$build" "$(realpath --relative-to="$build" "$lib")" >/dev/null
python3 scripts/map-check.py --lib "$lib"
abidw "${abidw_flags[@]}" --headers-dir include --out-file "$build/libpsinfo.abi" "$lib"

if [ "$mode" = --update ]; then
  mkdir -p abi
  cp "$build/libpsinfo.abi" "$baseline"
  echo "abi-check: $baseline rewritten from $lib (commit it with the change; docs/abi.md)"
  exit 0
fi
[ -f "$baseline" ] || { echo "abi-check: no baseline $baseline (scripts/abi-check.sh --update)" >&2; exit 1; }
compare "$baseline" "$build/libpsinfo.abi" "libpsinfo.so"
