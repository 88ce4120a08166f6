#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The public header through the binding generators: pycparser + cffi (as bindings/python reads
# it) and bindgen (as scripts/bindings-test.sh runs it). Fails when a PS_* value macro or an
# enumerator is missing from either output or carried with a value other than the C
# compiler's, and on the shape rules of docs/abi.md ("Generator-clean header"): enum-typed
# fields, pointers to enums, anonymous enums, bit-fields, constants that are not plain
# integer literals. Shape violations listed in scripts/header-gen-gaps.txt are reported but
# tolerated; the file must end up empty. Details: scripts/header-gen-check.py.
# Usage: scripts/header-gen-check.sh [INCLUDE_DIR]   (CC, BINDGEN, PYTHON override the tools)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
inc=$(cd "${1:-$root/include}" && pwd)
BINDGEN=${BINDGEN:-bindgen}
command -v "$BINDGEN" >/dev/null || { echo "header-gen-check: $BINDGEN not found (Debian: bindgen)" >&2; exit 2; }
# Debian's python3 with python3-cffi/python3-pycparser (CI's); any python3 that has both.
if [ -z "${PYTHON:-}" ]; then
  for p in /usr/bin/python3 python3; do
    if "$p" -c 'import cffi, pycparser' 2>/dev/null; then PYTHON=$p; break; fi
  done
fi
[ -n "${PYTHON:-}" ] || { echo "header-gen-check: no python3 with cffi and pycparser (Debian: python3-cffi python3-pycparser)" >&2; exit 2; }
echo "header-gen-check: $("$BINDGEN" --version), cffi $("$PYTHON" -c 'import cffi; print(cffi.__version__)'), pycparser $("$PYTHON" -c 'import pycparser; print(pycparser.__version__)')"
exec "$PYTHON" "$root/scripts/header-gen-check.py" --include "$inc" --bindgen "$BINDGEN" \
  --gaps "$root/scripts/header-gen-gaps.txt" --cc "${CC:-cc}"
