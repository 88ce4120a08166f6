#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Header test: every public header under include/ must compile on its own, and all of them
# together, as strict C99 and as C++11, with warnings as errors. New headers are picked up
# automatically. Usage: scripts/header-test.sh [INCLUDE_DIR]  (CC / CXX override the compilers)
set -euo pipefail
inc=${1:-$(dirname "$0")/../include}
inc=$(cd "$inc" && pwd)
CC=${CC:-cc}
CXX=${CXX:-}
if [ -z "$CXX" ]; then
  for c in g++ c++ clang++; do
    if command -v "$c" >/dev/null 2>&1; then CXX=$c; break; fi
  done
fi
if [ -z "$CXX" ]; then echo "header-test: no C++ compiler found" >&2; exit 1; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cflags=(-std=c99 -Wall -Wextra -pedantic -Werror -Wstrict-prototypes -I"$inc")
cxxflags=(-std=c++11 -Wall -Wextra -pedantic -Werror -I"$inc")

mapfile -t headers < <(cd "$inc" && find . -name '*.h' | sed 's|^\./||' | LC_ALL=C sort)
if [ "${#headers[@]}" -eq 0 ]; then echo "header-test: no headers in $inc" >&2; exit 1; fi

# The given compilers, plus clang/clang++ when installed (what binding generators parse with).
ccs=("$CC")
cxxs=("$CXX")
if command -v clang >/dev/null 2>&1 && [[ $CC != *clang* ]]; then ccs+=(clang); fi
if command -v clang++ >/dev/null 2>&1 && [[ $CXX != *clang* ]]; then cxxs+=(clang++); fi

fail=0
check() { # name, file with the translation unit
  local name=$1 tu=$2 c
  for c in "${ccs[@]}"; do
    # shellcheck disable=SC2086
    if ! $c "${cflags[@]}" -x c -c "$tu" -o "$tmp/out.o" 2>"$tmp/err"; then
      echo "FAIL (C99, $c)   $name"; sed 's/^/    /' "$tmp/err"; fail=1
    else
      echo "ok   (C99, $c)   $name"
    fi
  done
  for c in "${cxxs[@]}"; do
    # shellcheck disable=SC2086
    if ! $c "${cxxflags[@]}" -x c++ -c "$tu" -o "$tmp/out.o" 2>"$tmp/err"; then
      echo "FAIL (C++11, $c) $name"; sed 's/^/    /' "$tmp/err"; fail=1
    else
      echo "ok   (C++11, $c) $name"
    fi
  done
}

for h in "${headers[@]}"; do
  # The header alone, included twice (include guard), in a translation unit of its own.
  printf '#include <%s>\n#include <%s>\nint ps_header_test_dummy;\n' "$h" "$h" >"$tmp/one.c"
  check "$h" "$tmp/one.c"
done
{
  for h in "${headers[@]}"; do printf '#include <%s>\n' "$h"; done
  printf 'int main(void) { return ps_version() == 0; }\n'
} >"$tmp/all.c"
check "all headers together" "$tmp/all.c"
# The umbrella header includes every module header.
for h in "${headers[@]}"; do
  case $h in
    psinfo/*.h)
      if ! grep -Eq "^#include [\"<]$h[\">]" "$inc/psinfo.h"; then
        echo "FAIL (umbrella) psinfo.h does not include $h"; fail=1
      fi ;;
  esac
done
echo "header-test: ${#headers[@]} headers checked with ${ccs[*]} and ${cxxs[*]}"
exit $fail
