#!/bin/sh
# SPDX-License-Identifier: MIT
# Lists the C functions longer than N lines (default 120) under the given directories (default
# src and tools of this tree), longest first, as "LINES FILE:LINE NAME"; exits 1 if there is one.
#   scripts/func-length.sh [-n N] [-a] [DIR|FILE...]     (-a: list every function, exit 0)
# The tree's style (.clang-format: Linux braces) puts a function's opening and closing braces
# alone in column 0 and nothing else there, so a function is the lines from its name (the last
# column-0 line with a '(' before the brace) to its closing brace; no compiler or ctags needed.
set -eu
max=120
all=0
while [ $# -gt 0 ]; do
  case $1 in
    -n) max=$2; shift 2 ;;
    -a) all=1; shift ;;
    -h|--help) sed -n '3,8p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- "$root/src" "$root/tools"

list=$(find "$@" -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort |
  xargs awk '
    FNR == 1 { name = ""; body = 0; incomment = 0 }
    {
      line = $0
      # drop block comments (also across lines) so a "(" or brace in prose does not count
      if (incomment) { if (sub(/^.*\*\//, "", line)) incomment = 0; else next }
      gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, "", line)
      if (sub(/\/\*.*$/, "", line)) incomment = 1
    }
    body && line ~ /^}/ { print FNR - start + 1, FILENAME ":" start, name; body = 0; next }
    body { next }
    line ~ /^[A-Za-z_]/ && line ~ /\(/ {
      s = line
      sub(/\(.*/, "", s)
      n = split(s, w, /[^A-Za-z0-9_]+/)
      while (n > 0 && w[n] == "") n--
      if (n > 0) { name = w[n]; start = FNR }
      next
    }
    line ~ /^[A-Za-z_#]/ && line ~ /;[ \t]*$/ { name = "" }
    line ~ /^{/ && name != "" { body = 1 }
  ' | sort -k1,1nr)

[ -n "$list" ] || exit 0
if [ $all = 1 ]; then
  printf '%s\n' "$list" | sed "s|$root/||"
  exit 0
fi
long=$(printf '%s\n' "$list" | awk -v max="$max" '$1 > max' | sed "s|$root/||")
[ -z "$long" ] && exit 0
echo "functions longer than $max lines:"
printf '%s\n' "$long"
exit 1
