/* SPDX-License-Identifier: MIT */
/* Windows back end: helpers shared by the system-wide and network files, and the internal
 * hooks the Windows tests use to check the load-average sampler. */
#ifndef PS_WINSYS_H
#define PS_WINSYS_H

#include <windows.h>
#include <stdint.h>

#include "../backend.h"

/* FILETIME -> 100 ns ticks. */
static inline uint64_t ps__ft_ticks(FILETIME ft)
{
    return ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}

/* A copy of n UTF-16 units (or of an ASCII string) as a native string. */
int ps__win_nstr(const WCHAR *w, size_t n, ps__nstr *out);
int ps__win_nstr_ascii(const char *s, ps__nstr *out);
/* A Win32 error as a PS_E* code (not found, access denied, out of memory, not supported;
 * anything else PS_EIO). */
int ps__win_error_code(DWORD err);

/* Where the load-average sampler reads the processor queue length. */
typedef enum ps_loadavg_source {
    PS_LOADAVG_NONE = 0,           /* not started (no ps_getloadavg yet) */
    PS_LOADAVG_PDH = 1,            /* "\System\Processor Queue Length", as psutil */
    PS_LOADAVG_READY_THREADS = 2,  /* ready threads of the process table (no such PDH counter) */
} ps_loadavg_source;

/* One 5-second step of the three decayed averages (1, 5, 15 minutes) with queue length q. */
void ps__loadavg_step(double load[3], double q);
/* The sampler's source, and (samples non-NULL) how many samples it has folded in so far. */
ps_loadavg_source ps__loadavg_source(uint64_t *samples);

#endif /* PS_WINSYS_H */
