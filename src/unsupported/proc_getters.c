/* SPDX-License-Identifier: MIT */
/* Process getters and signals: not implemented on this platform yet (PS_ENOTSUP). */
#include "stub.h"

PS__STUB3(ps__bk_proc_ids, "ps_proc_ids", ps_proc *, int, ps_proc_ids *)
PS__STUB2(ps__bk_proc_terminal, "ps_proc_terminal", ps_proc *, ps__nstr *)
PS__STUB2(ps__bk_proc_num_fds, "ps_proc_num_fds", ps_proc *, int64_t *)
