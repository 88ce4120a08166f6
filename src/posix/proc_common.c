/* SPDX-License-Identifier: MIT */
/* Process code identical on every Unix back end that implements it (Linux, macOS; listed
 * per back end in src/meson.build, since the BSDs without getters use the stubs instead). */
#include <stdlib.h>
#include <time.h>

#include "posix.h"

/* ps_proc_cpu_percent's sample: the back end's CPU times and a monotonic timestamp. */
int ps__bk_proc_cpu_sample(ps_proc *p, ps_proc_cpu_sample *out)
{
    ps_proc_cputimes t;
    int rc = ps__bk_proc_cpu_times(p, &t);
    if (rc) return rc;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    out->cpu_seconds = t.user + t.system;
    out->timestamp = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    return 0;
}

