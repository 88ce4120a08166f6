#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# valgrind memcheck over the Criterion suites: zero errors, zero definite leaks, every
# test passing.
#   scripts/valgrind-suite.sh                    # every suite built in build-vg/ (CI: all of them)
#   scripts/valgrind-suite.sh strings errors     # only these suites
#   VG_JOBS=1 scripts/valgrind-suite.sh          # suites run VG_JOBS at a time (default: nproc)
#   VG_SHARD=1/2 scripts/valgrind-suite.sh       # shard 1 of 2: a fixed, time-balanced half
#   VG_SHARD=auto/2 scripts/valgrind-suite.sh    # shard (number of commits of HEAD) mod 2 + 1, so
#                                                # consecutive commits alternate (CI: see reliability.sh);
#                                                # in a shallow clone: the day of the year mod 2 + 1
#   VG_LIST=1 ...                                # only print the suites that would run
# Each suite binary runs under valgrind with --trace-children=yes, so Criterion's per-test
# workers (which it spawns by re-executing the binary) and the psinfo CLI the cli suites run are
# checked too; every process writes its own log (build-vg/valgrind/<suite>.<pid>.log) and the
# logs are read afterwards, so an error in a worker cannot be hidden by Criterion's exit status.
# Not traced (--trace-children-skip): oracles and fixtures that are not our code: anything under
# /usr, /bin, /sbin, /opt, /root (python3 and psutil, ps, df, ip, sleep...) and the tests' own
# /tmp/psinfo-* and /tmp/ptable-churn-* directories (the copies of /bin/sleep and the symlinks to
# /bin/true that the tests exec under odd names).
# PSINFO_UNDER_VALGRIND=1 is exported for the tests (tests/helpers/vgaware.h, tests/cli/check.py):
# they relax only what valgrind makes impossible (no pidfd_open in valgrind 3.19, /proc/<pid>/exe
# of a traced process is valgrind's tool, ~25x slower code) and log each relaxed assertion
# ("[vgaware] ... not checked: ..." in <suite>.out). scripts/valgrind.supp suppresses only
# Criterion's / BoxFort's own noise (none needed so far).
# Suites run longest first (times of the previous run, $build/valgrind-times.txt, else the
# committed scripts/valgrind-times.txt), VG_JOBS at a time; the table is printed in name order at
# the end. Shards are made from the committed times only (greedy: longest suite to the lightest
# shard), so a shard holds the same suites on every machine.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=${VG_BUILD:-build-vg}
jobs=${VG_JOBS:-$(nproc)}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" ${PSINFO_WERROR:+-Dwerror=true} -Dbuildtype=debugoptimized >/dev/null
fi
if [ $# -gt 0 ]; then
  targets=()
  for s in "$@"; do targets+=("tests/test_$s"); done
  ninja -C "$build" "${targets[@]}" tools/psinfo >/dev/null
else
  ninja -C "$build" >/dev/null
fi
logs="$build/valgrind"
rm -rf "$logs"
mkdir -p "$logs"

export PSINFO_BUILD_ROOT=$PWD/$build PSINFO_SOURCE_ROOT=$src PSINFO_CLI=$PWD/$build/tools/psinfo
export PSINFO_VECTORS=$PWD/$build/tests/decoder_vectors.txt
export PSINFO_UNDER_VALGRIND=1

if [ $# -gt 0 ]; then
  suites=("$@")
else
  suites=()
  for f in "$build"/tests/test_*; do
    [ -x "$f" ] && [ -f "$f" ] && suites+=("${f##*/test_}")
  done
fi
weight() { # suite [times file]: its seconds in the file, else 30
  local t
  t=$(awk -v s="$1" '$1 == s {print $2}' "${2:-scripts/valgrind-times.txt}" 2>/dev/null || true)
  echo "${t:-30}"
}
if [ -n "${VG_SHARD:-}" ]; then
  k=${VG_SHARD%/*} n=${VG_SHARD#*/}
  if [ "$k" = auto ]; then # commit count of HEAD; in a shallow clone, the day of the year
    if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = false ]; then
      c=$(git rev-list --count HEAD)
    else
      c=$(( 10#$(date +%j) ))
    fi
    k=$(( c % n + 1 ))
  fi
  declare -a load
  for (( j = 1; j <= n; j++ )); do load[j]=0; done
  picked=()
  while read -r w s; do
    best=1
    for (( j = 2; j <= n; j++ )); do [ "${load[j]}" -lt "${load[best]}" ] && best=$j; done
    load[best]=$(( load[best] + w ))
    [ "$best" -eq "$k" ] && picked+=("$s")
  done < <(for s in "${suites[@]}"; do echo "$(weight "$s") $s"; done | sort -k1,1nr -k2)
  echo "valgrind: shard $k of $n (${load[k]}s of suites by scripts/valgrind-times.txt): ${picked[*]}"
  suites=("${picked[@]}")
fi
if [ -n "${VG_LIST:-}" ]; then printf '%s\n' "${suites[@]}"; exit 0; fi # which suites, no run

# one suite: run it, then write "$logs/$s.res": secs tests memerr leaks warnings exit
run_suite() {
  local s=$1 bin="$build/tests/test_$1" t0 rc dt memerr leaks warns tests
  if [ ! -x "$bin" ]; then echo "0 missing 0 0 0 1" >"$logs/$s.res"; return; fi
  t0=$(date +%s)
  set +e
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --error-exitcode=97 --vgdb=no --trace-children=yes --child-silent-after-fork=no \
    --trace-children-skip='/usr/*,/bin/*,/sbin/*,/opt/*,/root/*,/tmp/psinfo-*,/tmp/ptable-churn-*' \
    --suppressions="$src/scripts/valgrind.supp" \
    --log-file="$logs/$s.%p.log" "$bin" --jobs 1 >"$logs/$s.out" 2>&1
  rc=$?
  set -e
  dt=$(( $(date +%s) - t0 ))
  # valgrind's own findings are the "==pid== " lines of each process's log ("--pid-- " lines
  # are notes such as an unknown syscall). Leak reports start with "N bytes in M blocks are
  # definitely lost"; "Warning: ..." lines (e.g. close() of an invalid fd) are counted apart;
  # every other report (invalid read/write, uninitialised value, bad free, bad syscall
  # parameter...) is a memory error.
  memerr=$(cat "$logs/$s".*.log 2>/dev/null | grep -E '^==[0-9]+== [A-Z]' | grep -vcE 'definitely lost|could not unlink|^==[0-9]+== Warning:' || true)
  leaks=$(cat "$logs/$s".*.log 2>/dev/null | grep -c 'are definitely lost' || true)
  warns=$(cat "$logs/$s".*.log 2>/dev/null | grep -cE '^==[0-9]+== Warning:' || true)
  tests=$(grep -a 'Synthesis:' "$logs/$s.out" | sed -E 's/.*Tested: ([0-9]+).*Failing: ([0-9]+).*Crashing: ([0-9]+).*/\1\/\2\/\3/' || true)
  echo "$dt ${tests:-none} $memerr $leaks $warns $rc" >"$logs/$s.res"
}

# longest first, by the previous run's times
times="$build/valgrind-times.txt"
[ -f "$times" ] && prev=$times || prev=scripts/valgrind-times.txt
order=$(for s in "${suites[@]}"; do echo "$(weight "$s" "$prev") $s"; done | sort -k1,1nr -k2 | awk '{print $2}')

t_all=$(date +%s)
running=0
for s in $order; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$(( running - 1 ))
  fi
  run_suite "$s" &
  running=$(( running + 1 ))
done
wait || true
wall=$(( $(date +%s) - t_all ))

failed=0 nsuites=0 ntests=0 nerr=0 nleak=0 cpu=0
[ -f "$times" ] && grep -v '^#' "$times" >"$times.new" || : >"$times.new"
printf '%-22s %5s %14s %7s %7s %5s %s\n' suite secs 'tests/fail/cr' memerr defleak warn result
for s in $(printf '%s\n' "${suites[@]}" | sort); do
  read -r dt tests memerr leaks warns rc <"$logs/$s.res"
  sed -i "/^$s /d" "$times.new"
  echo "$s $dt" >>"$times.new"
  res=ok
  if [ "$rc" -ne 0 ] || [ "$memerr" -ne 0 ] || [ "$leaks" -ne 0 ] ||
     ! [[ $tests =~ ^[0-9]+/0/0$ ]]; then
    res="FAIL (exit $rc; $logs/$s.out, $logs/$s.*.log)"
    failed=1
  fi
  printf '%-22s %5s %14s %7s %7s %5s %s\n' "$s" "$dt" "$tests" "$memerr" "$leaks" "$warns" "$res"
  nsuites=$(( nsuites + 1 )); ntests=$(( ntests + ${tests%%/*} )) 2>/dev/null || true
  nerr=$(( nerr + memerr )); nleak=$(( nleak + leaks )); cpu=$(( cpu + dt ))
done
sort "$times.new" >"$times" && rm -f "$times.new"
relaxed=$(cat "$logs"/*.out 2>/dev/null | grep -ac '\[vgaware\]' || true)
echo "valgrind: $nsuites suites, $ntests tests, $nerr memory errors, $nleak definite leaks;" \
  "${wall}s wall with $jobs at a time (${cpu}s summed); $relaxed assertions relaxed for valgrind ([vgaware] lines)"
exit $failed
