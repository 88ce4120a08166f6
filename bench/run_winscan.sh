#!/bin/sh
# SPDX-License-Identifier: MIT
# Windows process-table benchmark under wine: cross-builds bench/ with mingw-w64 in a build
# directory (default build-winbench) with -Dbench=true and runs bench_winscan under wine.
# usage: bench/run_winscan.sh [BUILD_DIR] [--procs N] [--rounds R]
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build-winbench}
[ $# -gt 0 ] && shift
if [ ! -d "$BUILD" ]; then
    meson setup "$BUILD" --cross-file cross/mingw-w64.ini -Dbench=true >/dev/null
else
    meson configure "$BUILD" -Dbench=true >/dev/null
fi
ninja -C "$BUILD" -j 2 bench/bench_winscan.exe >/dev/null
WINEDEBUG=-all exec wine "$BUILD/bench/bench_winscan.exe" "$@"
