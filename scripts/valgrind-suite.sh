#!/usr/bin/env bash
# valgrind memcheck over the Criterion suites (issue 7): zero errors, zero definite leaks.
#   scripts/valgrind-suite.sh                    # every suite built in build-vg/
#   scripts/valgrind-suite.sh strings errors     # only these suites (CI runs a subset: see
#                                                # scripts/reliability.sh)
# Each suite binary runs under valgrind with --trace-children=yes, so Criterion's per-test
# workers (which it spawns by re-executing the binary) are checked too; every process writes its
# own log (build-vg/valgrind/<suite>.<pid>.log) and the logs are read afterwards, so an error in
# a worker cannot be hidden by Criterion's exit status. Oracles the tests run (python3 and
# psutil, ps, df, ip...: anything under /usr, /bin, /sbin, /opt) are not traced. scripts/valgrind.supp suppresses only
# Criterion's / BoxFort's own noise.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=${VG_BUILD:-build-vg}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" -Dbuildtype=debugoptimized >/dev/null
fi
if [ $# -gt 0 ]; then
  targets=()
  for s in "$@"; do targets+=("tests/test_$s"); done
  ninja -C "$build" "${targets[@]}" >/dev/null
else
  ninja -C "$build" >/dev/null
fi
logs="$build/valgrind"
rm -rf "$logs"
mkdir -p "$logs"

export PSINFO_BUILD_ROOT=$PWD/$build PSINFO_SOURCE_ROOT=$src PSINFO_CLI=$PWD/$build/tools/psinfo
export PSINFO_VECTORS=$PWD/$build/tests/decoder_vectors.txt

if [ $# -gt 0 ]; then
  suites=("$@")
else
  suites=()
  for f in "$build"/tests/test_*; do
    [ -x "$f" ] && [ -f "$f" ] && suites+=("${f##*/test_}")
  done
fi

failed=0
printf '%-22s %5s %6s %7s %7s %s\n' suite secs tests memerr defleak result
for s in "${suites[@]}"; do
  bin="$build/tests/test_$s"
  [ -x "$bin" ] || { echo "no such suite: $s"; failed=1; continue; }
  t0=$(date +%s)
  set +e
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --error-exitcode=97 --vgdb=no --trace-children=yes --child-silent-after-fork=no \
    --trace-children-skip='/usr/*,/bin/*,/sbin/*,/opt/*,/root/*' \
    --suppressions="$src/scripts/valgrind.supp" \
    --log-file="$logs/$s.%p.log" "$bin" --jobs 1 >"$logs/$s.out" 2>&1
  rc=$?
  set -e
  dt=$(( $(date +%s) - t0 ))
  # valgrind's own findings are the "==pid== " lines of each process's log ("--pid-- " lines
  # are warnings such as an unknown syscall). Leak reports start with "N bytes in M blocks are
  # definitely lost"; every other report (invalid read/write, uninitialised value, bad free...)
  # is a memory error.
  memerr=$(cat "$logs/$s".*.log 2>/dev/null | grep -E '^==[0-9]+== [A-Z]' | grep -vcE 'definitely lost|could not unlink' || true)
  leaks=$(cat "$logs/$s".*.log 2>/dev/null | grep -c 'are definitely lost' || true)
  tests=ok
  grep -q 'Synthesis:.*Failing: 0 | Crashing: 0' "$logs/$s.out" || tests=FAIL
  res=ok
  if [ "$rc" -ne 0 ] || [ "$memerr" -ne 0 ] || [ "$leaks" -ne 0 ] || [ "$tests" != ok ]; then
    res="FAIL (exit $rc; $logs/$s.out, $logs/$s.*.log)"
    failed=1
  fi
  printf '%-22s %5s %6s %7s %7s %s\n' "$s" "$dt" "$tests" "$memerr" "$leaks" "$res"
done
exit $failed
