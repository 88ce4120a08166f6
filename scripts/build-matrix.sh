#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Compile-only build matrix: the configurations users and distributions build, each with
# -Werror and a check that the log has no "warning:" at all (LTO reports its warnings at link
# time, where -Werror does not reach):
#   gcc and clang  x  release (-O3), Debian's hardening flags (buildtype plain + dpkg-buildflags
#   with hardening=+all), LTO (-O3 -flto)
# Debug builds are the suite's own (build/, build-asan/), so they are not repeated here.
# Build directories: build-matrix/<cc>-<config>/ (kept, so a second run only relinks).
# Usage: scripts/build-matrix.sh [CONFIG...]   e.g. gcc-release clang-lto; default: all six
set -uo pipefail
cd "$(dirname "$0")/.."

all=(gcc-release gcc-hardening gcc-lto clang-release clang-hardening clang-lto)
[ $# -gt 0 ] && all=("$@")

configure() { # dir cc config
  local dir=$1 cc=$2 config=$3 args=(-Dtests=disabled -Dwerror=true)
  case $config in
    release) args+=(--buildtype=release) ;;
    lto) args+=(--buildtype=release -Db_lto=true) ;;
    hardening) args+=(--buildtype=plain) ;;
    *) echo "build-matrix: unknown configuration '$config'" >&2; return 2 ;;
  esac
  if [ "$config" = hardening ]; then
    local flags=(env DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get)
    CC=$cc CFLAGS="$("${flags[@]}" CFLAGS) $("${flags[@]}" CPPFLAGS)" \
      LDFLAGS="$("${flags[@]}" LDFLAGS)" meson setup "$dir" "${args[@]}"
  else
    CC=$cc meson setup "$dir" "${args[@]}"
  fi
}

mkdir -p build-matrix
failed=0
for c in "${all[@]}"; do
  cc=${c%%-*} config=${c#*-} dir=build-matrix/$c
  t0=$(date +%s)
  if [ ! -f "$dir/build.ninja" ]; then
    configure "$dir" "$cc" "$config" >"$dir.setup.log" 2>&1 ||
      { mkdir -p "$dir"; echo "FAIL $c: meson setup"; tail -20 "$dir.setup.log"; failed=1; continue; }
  fi
  # -t clean + build, so a warning shows on every run, not only the first
  ninja -C "$dir" -t clean >/dev/null
  if ! ninja -C "$dir" >"$dir/build.log" 2>&1; then
    echo "FAIL $c: build"; grep -E 'error|warning' "$dir/build.log" | head -20; failed=1
  elif grep -q 'warning:' "$dir/build.log"; then
    echo "FAIL $c: warnings"; grep -A3 'warning:' "$dir/build.log" | head -20; failed=1
  else
    echo "ok   $c ($(( $(date +%s) - t0 ))s): $(grep -c 'Compiling C' "$dir/build.log") files," \
      "$($cc --version | head -n1)"
  fi
done
exit $failed
