#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build and run every libFuzzer harness in fuzz/ for a bounded total time.
#   fuzz/run.sh                      # all harnesses, FUZZ_SECONDS (default 150) split evenly
#   FUZZ_SECONDS=3600 fuzz/run.sh    # an hour in total
#   fuzz/run.sh decode mountinfo     # only these harnesses
#   FUZZ_REPLAY=1 fuzz/run.sh        # only replay the committed corpora (regression check)
# Builds the library with clang -fsanitize=fuzzer-no-link,address,undefined in build-fuzz/,
# links each harness with -fsanitize=fuzzer,address,undefined, starts from the committed seeds
# in fuzz/corpus/<harness>/ (new inputs go to build-fuzz/corpus/<harness>/, not to git), and
# prints the executions per harness. Exit status 1 if any harness crashed; crash inputs land
# in build-fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${FUZZ_BUILD:-build-fuzz}
total=${FUZZ_SECONDS:-150}

# name:source:define[:extra source compiled in, relative to the repository]
harnesses=(
  decode:fuzz_strings.c:FUZZ_DECODE
  fsencode:fuzz_strings.c:FUZZ_FSENCODE
  utf16:fuzz_strings.c:FUZZ_UTF16
  stat:fuzz_procparse.c:FUZZ_STAT
  status:fuzz_procparse.c:FUZZ_STATUS
  statm:fuzz_procparse.c:FUZZ_STATM
  io:fuzz_procparse.c:FUZZ_IO
  smaps_rollup:fuzz_procparse.c:FUZZ_SMAPS_ROLLUP
  smaps:fuzz_procparse.c:FUZZ_SMAPS
  meminfo:fuzz_files.c:FUZZ_MEMINFO
  cpuinfo:fuzz_files.c:FUZZ_CPUINFO
  procstat:fuzz_files.c:FUZZ_PROCSTAT
  loadavg:fuzz_files.c:FUZZ_LOADAVG
  mountinfo:fuzz_files.c:FUZZ_MOUNTINFO
  diskstats:fuzz_files.c:FUZZ_DISKSTATS
  netdev:fuzz_files.c:FUZZ_NETDEV
  nettcp:fuzz_files.c:FUZZ_NETTCP
  netudp:fuzz_files.c:FUZZ_NETUDP
  netunix:fuzz_files.c:FUZZ_NETUNIX
  cgroup:fuzz_files.c:FUZZ_CGROUP
  ptable:fuzz_files.c:FUZZ_PTABLE
  procargs:fuzz_darwin.c:FUZZ_PROCARGS:src/bsd/darwin_parse.c
  iflist2:fuzz_darwin.c:FUZZ_IFLIST2:src/bsd/darwin_parse.c
  darwin_structs:fuzz_darwin.c:FUZZ_DARWIN_STRUCTS:src/bsd/darwin_parse.c
  darwin_socket:fuzz_darwin.c:FUZZ_DARWIN_SOCKET:src/bsd/darwin_parse.c
  sockaddr_dl:fuzz_darwin.c:FUZZ_SOCKADDR_DL:src/bsd/darwin_parse.c
  ifmedia:fuzz_darwin.c:FUZZ_IFMEDIA:src/bsd/darwin_parse.c
  spaceused:fuzz_darwin.c:FUZZ_SPACEUSED:src/bsd/darwin_parse.c
  voltage_states:fuzz_darwin.c:FUZZ_VOLTAGE_STATES:src/bsd/darwin_parse.c
  httpreq:fuzz_httpreq.c:FUZZ_HTTPREQ:tools/httpreq.c
)
if [ $# -gt 0 ]; then
  sel=()
  for h in "${harnesses[@]}"; do
    for want in "$@"; do [ "${h%%:*}" = "$want" ] && sel+=("$h"); done
  done
  harnesses=("${sel[@]}")
fi

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" ${PSINFO_WERROR:+-Dwerror=true} -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link -Dtests=disabled -Ddefault_library=static \
    -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$build" src/libpsinfo.a >/dev/null
utf8proc_libs=$(pkg-config --libs libutf8proc 2>/dev/null || echo -lutf8proc)

# Compile the harnesses two at a time.
mkdir -p "$build/fuzz" "$build/crashes"
for h in "${harnesses[@]}"; do
  IFS=: read -r name src def extra <<<"$h"
  echo "$name $src $def ${extra:--}"
done | xargs -P "$(nproc)" -n 4 sh -c '
  extra=; [ "$4" = - ] || extra=$4
  clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -D_GNU_SOURCE \
    -D"$3" -Iinclude -I"$0" -Isrc "fuzz/$2" $extra "$0/src/libpsinfo.a" '"$utf8proc_libs"' -lpthread -lm \
    -o "$0/fuzz/fuzz_$1"' "$build"

n=${#harnesses[@]}
per=$(( total / n ))
[ "$per" -lt 1 ] && per=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# The rooted harnesses' fixture trees: one directory for this run, removed at the end.
PSFUZZ_TMP=$(mktemp -d "$( [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/psfuzz-run.XXXXXX")
export PSFUZZ_TMP
trap 'rm -rf "$PSFUZZ_TMP"' EXIT
failed=0
printf '%-14s %10s %8s %s\n' harness execs seconds result
for h in "${harnesses[@]}"; do
  IFS=: read -r name src def _ <<<"$h"
  work="$build/corpus/$name"
  mkdir -p "$work"
  log="$build/fuzz/$name.log"
  if [ -n "${FUZZ_REPLAY:-}" ]; then
    args=(-runs=0 "fuzz/corpus/$name")
  else
    args=(-max_total_time="$per" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$work" "fuzz/corpus/$name")
  fi
  set +e
  "$build/fuzz/fuzz_$name" -artifact_prefix="$build/crashes/$name-" "${args[@]}" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -z "$execs" ] && execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
  if [ $rc -eq 0 ]; then res=ok; else res="CRASH (exit $rc, see $log)"; failed=1; fi
  printf '%-14s %10s %8s %s\n' "$name" "${execs:-?}" "$per" "$res"
  [ $rc -eq 0 ] || grep -m3 -E 'ERROR|runtime error|SUMMARY' "$log" || true
done
exit $failed
