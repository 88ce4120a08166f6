# SPDX-License-Identifier: MIT
"""What psutil's example scripts import from psutil._compat."""
from ._common import get_terminal_size  # noqa: F401
