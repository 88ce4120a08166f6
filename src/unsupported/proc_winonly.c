/* SPDX-License-Identifier: MIT */
/* Process getters psutil has on Windows (src/windows implements them) but not on macOS, nor in
 * this library yet on the other BSDs: PS_ENOTSUP for the BSD builds only. */
#include "stub.h"

PS__STUB3(ps__bk_proc_ionice, "ps_proc_ionice", ps_proc *, ps_ioprio_class *, int32_t *)
PS__STUB3(ps__bk_proc_set_ionice, "ps_proc_set_ionice", ps_proc *, ps_ioprio_class, int32_t)
PS__STUB2(ps__bk_proc_io_counters, "ps_proc_io_counters", ps_proc *, ps_proc_io *)
PS__STUB3(ps__bk_proc_cpu_affinity, "ps_proc_cpu_affinity", ps_proc *, int32_t **, size_t *)
PS__STUB3(ps__bk_proc_set_cpu_affinity, "ps_proc_set_cpu_affinity",
          ps_proc *, const int32_t *, size_t)
PS__STUB3(ps__bk_proc_memory_maps, "ps_proc_memory_maps", ps_proc *, ps__bk_mmap **, size_t *)
