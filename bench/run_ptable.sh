#!/bin/sh
# SPDX-License-Identifier: MIT
# Process table benchmark: builds bench/ in a build directory (default build-ptable) with
# -Dbench=true and runs bench_ptable from the source root (it finds bench/ptable_psutil.py).
# usage: bench/run_ptable.sh [BUILD_DIR] [--procs N] [--runs R]
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build-ptable}
[ $# -gt 0 ] && shift
if [ ! -d "$BUILD" ]; then
    meson setup "$BUILD" -Dbench=true >/dev/null
else
    meson configure "$BUILD" -Dbench=true >/dev/null
fi
ninja -C "$BUILD" bench/bench_ptable >/dev/null
exec "$BUILD/bench/bench_ptable" --psutil bench/ptable_psutil.py "$@"
