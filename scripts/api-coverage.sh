#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every PS_EXTERN function of the public headers must appear in the bad-input matrix:
# lists the function names declared with PS_EXTERN in include/psinfo/*.h and fails,
# naming them, when one is not called in tests/test_reliability_badinput.c.
#   scripts/api-coverage.sh [include-dir] [test-file]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
inc=${1:-$here/include}
test_file=${2:-$here/tests/test_reliability_badinput.c}
cc=${CC:-cc}
# Comments stripped (the preprocessor, without expanding anything), directives dropped, each
# declaration joined onto one line; the identifier before the first '(' is the name.
names=$(cat "$inc"/psinfo/*.h | $cc -fpreprocessed -P -E - 2>/dev/null | grep -v '^[[:space:]]*#' |
        tr '\n' ' ' | grep -o 'PS_EXTERN [^;(]*(' |
        sed -E 's/.*[ *]([A-Za-z_][A-Za-z0-9_]*)\($/\1/' | sort -u)
set -f
total=0
missing=()
for n in $names; do
  total=$((total + 1))
  grep -Eq "\\b$n\\(" "$test_file" || missing+=("$n")
done
if [ "$total" -lt 50 ]; then
  echo "api-coverage: only $total PS_EXTERN functions found in $inc: the pattern is broken" >&2
  exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "api-coverage: ${#missing[@]} of $total public functions are missing from $test_file:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi
echo "api-coverage: all $total public functions appear in ${test_file##*/}"
