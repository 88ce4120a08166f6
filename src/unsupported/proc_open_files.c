/* SPDX-License-Identifier: MIT */
/* open_files: not implemented on this platform yet (PS_ENOTSUP). Windows has its own
 * (src/windows/proc_files.c), so this stub is apart from the other getters. */
#include "stub.h"

PS__STUB3(ps__bk_proc_open_files, "ps_proc_open_files", ps_proc *, ps__bk_open_file **, size_t *)
