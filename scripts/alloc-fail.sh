#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Allocation-failure and fd-exhaustion chaos.
#  1. tests/alloc-fail/driver (calls ~60 public functions, checking that each returns 0 or a
#     PS_E* code and that data returned is ours) runs once per N with the LD_PRELOAD shim
#     tests/alloc-fail/failmalloc.c failing the Nth allocation, N = 1..K (K = the number of
#     allocations of a clean run), then with every allocation failing from N on (sticky).
#  2. The driver runs with RLIMIT_NOFILE lowered to 3..16.
# A crash (signal), a hang (30 s timeout), a failed check, or more blocks left allocated than a
# clean run leaves (a leak on an error path: the shim tracks blocks allocated while armed)
# fails the script.
#   scripts/alloc-fail.sh                 # every N (a few thousand runs: minutes)
#   ALLOC_FAIL_RUNS=200 scripts/alloc-fail.sh   # about 200 N spread evenly over 1..K (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${ALLOC_FAIL_BUILD:-build-rel}
if [ ! -f "$build/build.ninja" ]; then meson setup "$build" ${PSINFO_WERROR:+-Dwerror=true} >/dev/null; fi
ninja -C "$build" src/libpsinfo.a >/dev/null
cc=${CC:-cc}
$cc -O1 -g -shared -fPIC -o "$build/libfailmalloc.so" tests/alloc-fail/failmalloc.c
$cc -O1 -g -rdynamic -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -I"$build" -o "$build/allocfail_driver" \
  tests/alloc-fail/driver.c "$build/src/libpsinfo.a" $(pkg-config --libs libutf8proc 2>/dev/null || echo -lutf8proc) -lpthread -ldl
driver=$PWD/$build/allocfail_driver
shim=$PWD/$build/libfailmalloc.so
logs=$build/alloc-fail
rm -rf "$logs"
mkdir -p "$logs"

clean=$(LD_PRELOAD=$shim ALLOC_FAIL_N=0 "$driver")
K=$(printf '%s\n' "$clean" | sed -n 's/^allocations: //p')
# Blocks a clean run leaves allocated on purpose (ps_set_root keeps every root string).
L0=$(printf '%s\n' "$clean" | sed -n 's/^live blocks: //p')
[ -n "$K" ] && [ "$K" -gt 0 ] || { echo "alloc-fail: the shim counted no allocations"; exit 1; }
runs=${ALLOC_FAIL_RUNS:-$K}
step=$(( K / runs ))
[ "$step" -lt 1 ] && step=1

one() { # mode n
  local mode=$1 n=$2 rc=0 out
  if [ "$mode" = nofile ]; then
    out=$(timeout 30 "$driver" --nofile "$n" 2>&1) || rc=$?
  else
    out=$(LD_PRELOAD=$shim ALLOC_FAIL_TRACE=1 ALLOC_FAIL_N=$n ALLOC_FAIL_STICKY=$([ "$mode" = sticky ] && echo 1 || echo 0) \
          timeout 30 "$driver" 2>&1) || rc=$?
  fi
  local enomem lv
  enomem=$(printf '%s\n' "$out" | sed -n 's/^enomem returned: //p')
  lv=$(printf '%s\n' "$out" | sed -n 's/^live blocks: //p')
  if [ $rc -eq 0 ] && [ -n "$lv" ] && [ "$lv" -gt "$L0" ]; then
    # glibc's NSS keeps what it had allocated when an allocation fails inside getpwuid_r
    # (the injected failure's stack, printed by the shim, says where): glibc's, not ours.
    if printf '%s\n' "$out" | grep -q 'getpwuid_r\|_nss_'; then
      echo "ok $mode $n ${enomem:-0} nss-kept-$((lv - L0))"
      return
    fi
    echo "LEAK $mode $n ($lv live blocks, a clean run leaves $L0)"
    printf '%s\n' "$out" >"$logs/$mode-$n.log"
    return
  fi
  case $rc in
    0) echo "ok $mode $n ${enomem:-0}" ;;
    124) echo "HANG $mode $n"; printf '%s\n' "$out" >"$logs/$mode-$n.log" ;;
    1) echo "CHECK $mode $n"; printf '%s\n' "$out" >"$logs/$mode-$n.log" ;;
    *) echo "CRASH $mode $n (exit $rc)"; printf '%s\n' "$out" >"$logs/$mode-$n.log" ;;
  esac
}
export -f one
export driver shim logs L0

{
  for ((n = ${ALLOC_FAIL_FIRST:-1}; n <= ${ALLOC_FAIL_LAST:-$K}; n += step)); do echo "once $n"; done
  for ((n = 1; n <= K; n += K / 20 + 1)); do echo "sticky $n"; done
  for n in 3 4 5 6 7 8 10 12 16; do echo "nofile $n"; done
} | xargs -P "$(nproc)" -n 2 bash -c 'one "$0" "$1"' >"$logs/results.txt"

total=$(wc -l <"$logs/results.txt")
okc=$(grep -c '^ok ' "$logs/results.txt" || true)
enomem_runs=$(awk '$1 == "ok" && $4 > 0' "$logs/results.txt" | wc -l)
nss=$(grep -c 'nss-kept' "$logs/results.txt" || true)
echo "alloc-fail: $K allocations in a clean run; $total runs (N step $step, sticky, RLIMIT_NOFILE 3..16):" \
     "$okc passed ($enomem_runs of them saw PS_ENOMEM returned; in $nss glibc's NSS kept blocks" \
     "after a failure inside getpwuid_r)"
if [ "$okc" -ne "$total" ]; then
  grep -v '^ok ' "$logs/results.txt" | sort -k2,2 -k3n | head -40
  echo "logs: $logs/"
  exit 1
fi
