#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Python binding's checks: install bindings/python from this tree into a virtual
# environment that sees Debian's packages (python3-cffi, python3-pycparser, python3-mesonpy,
# python3-pytest and the psutil oracle), exactly as a user would (pip, no build isolation, no
# index: nothing is downloaded), then run its pytest suite from outside the source tree.
# Usage: scripts/python-test.sh [pytest args]   Env: PSINFO_PY_BUILD (default build-py)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/${PSINFO_PY_BUILD:-build-py}
py=/usr/bin/python3        # Debian's interpreter: the one Debian's packages are built for
mkdir -p "$out"
[ -x "$out/venv/bin/python" ] || "$py" -m venv --system-site-packages "$out/venv"
"$out/venv/bin/python" -m pip install -q --no-build-isolation --no-index --no-deps \
  --force-reinstall "$root/bindings/python"
cd "$out"
# -P: the source checkout's psinfo/ (without the built extension) must not shadow the install.
# pytest's exit 5 (no tests collected) fails the step like any other non-zero status.
exec "$out/venv/bin/python" -P -m pytest -p no:cacheprovider -ra "$root/bindings/python/tests" "$@"
