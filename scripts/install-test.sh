#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install test: `meson install` a configured build into a scratch DESTDIR, then build small
# programs OUTSIDE the tree and run them, each with -Wall -Wextra -pedantic -Werror:
#   C with nothing but `pkg-config --cflags --libs psinfo` (shared), and `pkg-config --static`;
#   C++ (-std=c++11) through pkg-config;
#   C through CMake: find_package(psinfo) and the imported target psinfo::psinfo (shared, and
#   static with PSINFO_USE_STATIC_LIBS) when cmake is installed.
# Usage: scripts/install-test.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: install-test.sh BUILD_DIR}" && pwd)
CC=${CC:-cc}
# A sanitizer build's library needs the sanitizer runtime in the program too.
san=()
if [ -n "${PSINFO_SANITIZE:-}" ] && [ "$PSINFO_SANITIZE" != none ]; then
  san=(-fsanitize="$PSINFO_SANITIZE")
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest

meson install -C "$build" --no-rebuild --quiet --destdir "$dest" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; exit 1; }
pc=$(find "$dest" -name psinfo.pc | head -n1)
[ -n "$pc" ] || { echo "install-test: no psinfo.pc installed" >&2; exit 1; }
echo "installed: ${pc#"$dest"}"
# The .pc names the configured prefix; PKG_CONFIG_SYSROOT_DIR maps it into the DESTDIR.
export PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_SYSROOT_DIR=$dest
export PKG_CONFIG_LIBDIR=$PKG_CONFIG_PATH:/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/lib/pkgconfig:/usr/share/pkgconfig
echo "pkg-config version: $(pkg-config --modversion psinfo)"
# Every public header in the source tree is installed (an install_headers line per header).
src_inc=$(cd "$(dirname "$0")/../include" && pwd)
inst_inc=$PKG_CONFIG_SYSROOT_DIR$(PKG_CONFIG_SYSROOT_DIR= pkg-config --variable=includedir psinfo)
missing=0
while IFS= read -r h; do
  [ -f "$inst_inc/$h" ] || { echo "install-test: $h is not installed" >&2; missing=1; }
done < <(cd "$src_inc" && find . -name '*.h' | sed 's|^\./||')
[ $missing = 0 ] || exit 1

mkdir "$tmp/app"
cat >"$tmp/app/app.c" <<'C'
#include <psinfo.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    char *s = NULL;
    size_t n = 0;
    /* "a", an invalid byte 0xFF, "é": surrogateescape gives a, U+DCFF, é */
    if (ps_fsdecode_policy("a\xff\xc3\xa9", 4, PS_ERRORS_SURROGATEESCAPE, &s, &n) != 0) return 1;
    int ok = n == 6 && memcmp(s, "a\xed\xb3\xbf\xc3\xa9", 6) == 0;
    ps_free(s);
    if (strcmp(ps_version(), PS_VERSION_STRING) != 0) return 2;
    printf("psinfo %s, decode %s\n", ps_version(), ok ? "ok" : "WRONG");
    return ok ? 0 : 3;
}
C
cd "$tmp/app"
# shellcheck disable=SC2046
$CC "${san[@]}" -std=c99 -Wall -Wextra -pedantic -Werror app.c -o app $(pkg-config --cflags --libs psinfo)
libdir=$(cd "$(dirname "$pc")/.." && pwd)   # the .pc lives in $libdir/pkgconfig
LD_LIBRARY_PATH=$libdir ./app
# Make sure the installed shared library is what ran, not some other libpsinfo.
LD_LIBRARY_PATH=$libdir ldd ./app >"$tmp/ldd" && grep -q "$libdir/libpsinfo.so" "$tmp/ldd" ||
  { echo "install-test: app did not load the installed libpsinfo" >&2; exit 1; }

# Static: the installed libpsinfo.a plus the .pc's Libs.private / Requires.private must do.
# shellcheck disable=SC2046
$CC "${san[@]}" -std=c99 -Wall -Wextra -pedantic -Werror app.c -o app-static $(pkg-config --cflags psinfo) \
  "$libdir/libpsinfo.a" $(pkg-config --libs --static psinfo | sed 's/-lpsinfo\b//')
./app-static

# C++: the header compiles as C++ and links without extern "C" trouble.
CXX=${CXX:-c++}
cp app.c app.cpp
# shellcheck disable=SC2046
$CXX "${san[@]}" -std=c++11 -Wall -Wextra -pedantic -Werror app.cpp -o app-cxx \
  $(pkg-config --cflags --libs psinfo)
LD_LIBRARY_PATH=$libdir ./app-cxx

# CMake: find_package(psinfo) from the installed package config, shared then static.
if command -v cmake >/dev/null; then
  mkdir "$tmp/cmake-app"
  cp app.c "$tmp/cmake-app/"
  cat >"$tmp/cmake-app/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.13)
project(psinfo_consumer C)
find_package(psinfo 0.1 REQUIRED)
add_executable(app app.c)
set_target_properties(app PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(app PRIVATE -Wall -Wextra -pedantic -Werror)
target_link_libraries(app PRIVATE psinfo::psinfo)
CMAKE
  prefix_dir=$(dirname "$(dirname "$libdir")")   # DESTDIR + prefix (libdir may be lib/<triplet>)
  [ -d "$prefix_dir/include" ] || prefix_dir=$(dirname "$prefix_dir")
  # CC may be "ccache cc": the last word is the compiler, the others its launcher
  read -ra ccw <<<"$CC"
  cc_last=${ccw[${#ccw[@]}-1]}
  launcher=$(IFS=';'; echo "${ccw[*]:0:${#ccw[@]}-1}")
  for static in OFF ON; do
    b="$tmp/cmake-build-$static"
    CFLAGS="${san[*]}" LDFLAGS="${san[*]}" cmake -S "$tmp/cmake-app" -B "$b" -DCMAKE_C_COMPILER="$cc_last" \
      -DCMAKE_C_COMPILER_LAUNCHER="$launcher" \
      -DCMAKE_PREFIX_PATH="$prefix_dir" -DPSINFO_USE_STATIC_LIBS=$static >"$tmp/cmake.log" 2>&1 &&
      cmake --build "$b" >>"$tmp/cmake.log" 2>&1 ||
      { cat "$tmp/cmake.log"; echo "install-test: the CMake consumer (static=$static) failed" >&2; exit 1; }
    LD_LIBRARY_PATH=$libdir "$b/app"
    if [ $static = ON ] && LD_LIBRARY_PATH=$libdir ldd "$b/app" | grep -q libpsinfo; then
      echo "install-test: the static CMake consumer loads libpsinfo.so" >&2; exit 1
    fi
  done
  echo "install-test: CMake consumer ok (find_package(psinfo) $(sed -n 's/.*PACKAGE_VERSION "\(.*\)".*/\1/p' \
    "$(find "$dest" -name psinfoConfigVersion.cmake)" | head -n1))"
else
  echo "install-test: cmake not installed: the CMake consumer is not built" >&2
fi
echo "install-test: ok"
