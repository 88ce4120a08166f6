#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ThreadSanitizer run of the thread stress test: builds build-tsan/ with clang and
# -Db_sanitize=thread, then runs tests/stress/stress_threads (16 threads calling every public API,
# a policy flipper, a process churner) for STRESS_SECONDS (default 15). Any TSan report fails
# the run (halt_on_error=1, exit code 66).
#   scripts/tsan-stress.sh                 # 15 s
#   STRESS_SECONDS=600 scripts/tsan-stress.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${TSAN_BUILD:-build-tsan}
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" ${PSINFO_WERROR:+-Dwerror=true} -Db_sanitize=thread -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$build" tests/stress/stress_threads >/dev/null
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
STRESS_SECONDS=${STRESS_SECONDS:-15} STRESS_THREADS=${STRESS_THREADS:-16} \
  "$build/tests/stress/stress_threads"
