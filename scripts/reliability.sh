#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The reliability checks in one CI step, about 7 minutes on 2 cores:
#   1. ThreadSanitizer: the 16-thread stress test and the churn chaos test (scripts/tsan-stress.sh)
#   2. libFuzzer: every harness in fuzz/, RELIABILITY_FUZZ_SECONDS in total (default 75)
#   3. valgrind memcheck over the Criterion suites, two at a time: half of them per run (a fixed,
#      time-balanced half chosen by the parity of HEAD's commit count, so two consecutive commits
#      cover every suite; ~4 min). RELIABILITY_VALGRIND_SHARD=all runs every suite (~8 min);
#      RELIABILITY_VALGRIND_SUITES="a b" runs just those.
#   4. allocation failures (500 N spread over the ~1000 allocations of the driver, ~20 s) and
#      RLIMIT_NOFILE 3..16 (scripts/alloc-fail.sh), and the chaos test in a plain build
# Builds: build-tsan (clang, TSan), build-fuzz (clang, ASan+UBSan+fuzzer), build-rel (gcc).
# Exit status 0 only if every part passed. Figures are printed per part.
set -uo pipefail
cd "$(dirname "$0")/.."
# clang with libFuzzer and the sanitizer runtimes, and valgrind (installed here when missing,
# so .ci/run needs only the one line that calls this script).
need=()
command -v clang >/dev/null || need+=(clang)
[ -f "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] || need+=(libclang-rt-14-dev)
command -v valgrind >/dev/null || need+=(valgrind)
if [ ${#need[@]} -gt 0 ]; then
  echo "reliability: installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" || exit 1
fi

failed=0
part() { # name command...
  local name=$1 t0 rc
  shift
  echo "---- reliability: $name"
  t0=$(date +%s)
  "$@"
  rc=$?
  echo "---- reliability: $name: exit $rc, $(( $(date +%s) - t0 ))s"
  [ $rc -eq 0 ] || failed=1
}

tsan_chaos() {
  ninja -C build-tsan tests/stress/chaos_churn >/dev/null &&
  TSAN_OPTIONS="halt_on_error=1 exitcode=66" CHAOS_SECONDS=${RELIABILITY_CHAOS_SECONDS:-5} \
    build-tsan/tests/stress/chaos_churn
}
plain_chaos() {
  ninja -C build-rel tests/stress/chaos_churn >/dev/null &&
  CHAOS_SECONDS=${RELIABILITY_CHAOS_SECONDS:-5} build-rel/tests/stress/chaos_churn
}

part "tsan: stress_threads" env STRESS_SECONDS="${RELIABILITY_STRESS_SECONDS:-15}" scripts/tsan-stress.sh
part "tsan: chaos_churn" tsan_chaos
part "fuzz: every harness" env FUZZ_SECONDS="${RELIABILITY_FUZZ_SECONDS:-75}" fuzz/run.sh
[ -f build-rel/build.ninja ] || meson setup build-rel ${PSINFO_WERROR:+-Dwerror=true} >/dev/null
vg_shard=${RELIABILITY_VALGRIND_SHARD:-auto/2}
[ "$vg_shard" = all ] && vg_shard=
part "valgrind: suites (shard ${vg_shard:-all})" env VG_BUILD=build-rel VG_SHARD="$vg_shard" \
  scripts/valgrind-suite.sh ${RELIABILITY_VALGRIND_SUITES:-}
part "alloc-fail + RLIMIT_NOFILE" env ALLOC_FAIL_RUNS="${RELIABILITY_ALLOC_RUNS:-500}" scripts/alloc-fail.sh
part "chaos: churn (plain build)" plain_chaos
exit $failed
