#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Windows install test: `meson install` the mingw-w64 cross build into a scratch DESTDIR, then
#  1. every .exe/.dll installed must import only DLLs of its own folder or DLLs Windows ships
#     (oracle: the PE import tables read by objdump, and wine's system32 folder), and
#  2. the installed psinfo.exe must run under wine from that folder alone (no WINEPATH, started
#     from an unrelated directory) and print the configured version; so must the built one in
#     BUILD_DIR/tools (which gets a copy of the DLL beside it).
# Usage: scripts/win-install-test.sh BUILD_DIR   (a build configured with cross/mingw-w64.ini)
set -euo pipefail
build=$(cd "${1:?usage: win-install-test.sh BUILD_DIR}" && pwd)
objdump=${OBJDUMP:-x86_64-w64-mingw32-objdump}
export WINEDEBUG=-all
unset WINEPATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest

meson install -C "$build" --no-rebuild --quiet --destdir "$dest" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; exit 1; }
exe=$(find "$dest" -name psinfo.exe | head -n1)
[ -n "$exe" ] || { echo "win-install-test: no psinfo.exe installed" >&2; exit 1; }
bindir=$(dirname "$exe")
echo "installed: ${bindir#"$dest"}: $(cd "$bindir" && ls | tr '\n' ' ')"

# Wine's system32 holds the DLLs a Windows installation has (wine creates the prefix on first use).
wine cmd /c exit 0 >/dev/null 2>&1 || true
sys32=${WINEPREFIX:-$HOME/.wine}/drive_c/windows/system32
[ -d "$sys32" ] || { echo "win-install-test: no wine prefix at $sys32" >&2; exit 1; }
has() { [ -n "$(find "$1" -maxdepth 1 -iname "$2" -print -quit)" ]; }   # DLL names: any case
bad=0
for f in "$bindir"/*.exe "$bindir"/*.dll; do
  while read -r dll; do
    if has "$bindir" "$dll"; then
      echo "  $(basename "$f") -> $dll (installed next to it)"
    elif has "$sys32" "$dll"; then
      :
    else
      echo "win-install-test: $(basename "$f") needs $dll, which is neither installed nor part of Windows" >&2
      bad=1
    fi
  done < <("$objdump" -p "$f" | sed -n 's/^\tDLL Name: //p')
done
[ $bad = 0 ] || exit 1

version=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" "$(dirname "$0")/../meson.build" | head -n1)
cd "$tmp"
check_version() { # exe where
  local out
  out=$(wine "$1" --version 2>"$tmp/err") ||
    { echo "win-install-test: psinfo.exe --version failed from $2:" >&2; cat "$tmp/err" >&2; exit 1; }
  out=${out%$'\r'}
  echo "psinfo.exe --version from $2: $out"
  case $out in
    *"$version"*) ;;
    *) echo "win-install-test: expected version $version" >&2; exit 1 ;;
  esac
}
check_version "$exe" "the install folder"
check_version "$build/tools/psinfo.exe" "the build folder"
echo "win-install-test: ok"
