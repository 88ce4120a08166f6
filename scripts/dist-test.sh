#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The release tarball works: `meson dist` (of the committed tree, HEAD) in build-dist/, then the
# tarball is unpacked in a scratch directory, configured with -Dwerror=true, built, and a
# subset of the suite runs from it: the suites that need the files a tarball could forget
# (fixture trees, the oracles, golden outputs, decoder vectors, the header and install tests).
# The whole suite runs in the main test step; repeating it here would double CI time.
# `meson dist --no-tests` because meson's own check would run the whole suite once more.
# --allow-dirty: uncommitted changes are left out (the tarball is always HEAD).
# Usage: scripts/dist-test.sh [SUITE...]
set -euo pipefail
cd "$(dirname "$0")/.."
suites=(strings decoder_conformance procparse system_fixtures net_fixtures cli_golden cli_units
        ptable headers install)
[ $# -gt 0 ] && suites=("$@")
[ -f build-dist/build.ninja ] || meson setup build-dist -Dtests=disabled >/dev/null
rm -rf build-dist/meson-dist
meson dist -C build-dist --no-tests --allow-dirty --formats xztar
tarball=$(ls build-dist/meson-dist/psinfo-*.tar.xz)
echo "dist-test: $tarball, $(du -h "$tarball" | cut -f1), $(tar tJf "$tarball" | wc -l) files"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar xJf "$tarball" -C "$tmp"
src=$(echo "$tmp"/psinfo-*)
meson setup "$tmp/build" "$src" -Dwerror=true >"$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; exit 1; }
ninja -C "$tmp/build" >"$tmp/build.log" 2>&1 || { tail -30 "$tmp/build.log"; exit 1; }
args=()
for s in "${suites[@]}"; do args+=(--suite "$s"); done
meson test -C "$tmp/build" --print-errorlogs "${args[@]}"
echo "dist-test: ok (${#suites[@]} suites from the tarball)"
