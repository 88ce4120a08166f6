# SPDX-License-Identifier: MIT
"""Run (as another user) by test_errors.py: what psutil and psinfo do on a given PID."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import psinfo  # noqa: E402
import psutil  # noqa: E402
from test_errors import METHODS, outcome  # noqa: E402

pid = int(sys.argv[1])
a, b = psutil.Process(pid), psinfo.Process(pid)
print(json.dumps({'ident': [os.getuid(), os.geteuid()],
                  'outcomes': {m: (outcome(psutil, a, m), outcome(psinfo, b, m))
                               for m in METHODS}}))
