/* SPDX-License-Identifier: MIT */
/* Process getters psutil has on Windows (src/windows implements them) but not on macOS, nor in
 * this library yet on the other BSDs: PS_ENOTSUP for the BSD builds only. */
#include <stdlib.h>

#include "../backend.h"

int ps__bk_proc_ionice(ps_proc *p, ps_ioprio_class *ioclass, int32_t *value)
    { (void)p, (void)ioclass, (void)value; return PS__NOTSUP("ps_proc_ionice"); }
int ps__bk_proc_set_ionice(ps_proc *p, ps_ioprio_class ioclass, int32_t value)
    { (void)p, (void)ioclass, (void)value; return PS__NOTSUP("ps_proc_set_ionice"); }
int ps__bk_proc_io_counters(ps_proc *p, ps_proc_io *out)
    { (void)p, (void)out; return PS__NOTSUP("ps_proc_io_counters"); }
int ps__bk_proc_cpu_affinity(ps_proc *p, int32_t **cpus, size_t *count)
    { (void)p, (void)cpus, (void)count; return PS__NOTSUP("ps_proc_cpu_affinity"); }
int ps__bk_proc_set_cpu_affinity(ps_proc *p, const int32_t *cpus, size_t count)
    { (void)p, (void)cpus, (void)count; return PS__NOTSUP("ps_proc_set_cpu_affinity"); }
int ps__bk_proc_memory_maps(ps_proc *p, ps__bk_mmap **items, size_t *count)
    { (void)p, (void)items, (void)count; return PS__NOTSUP("ps_proc_memory_maps"); }
