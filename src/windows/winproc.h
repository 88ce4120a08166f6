/* SPDX-License-Identifier: MIT */
/* Windows back end: the process handle. */
#ifndef PS_WINPROC_H
#define PS_WINPROC_H

#include <windows.h>

#include "../wait_internal.h"

/*
 * The Windows process handle: an OpenProcess handle with SYNCHRONIZE |
 * PROCESS_QUERY_LIMITED_INFORMATION. Holding it pins the PID (Windows does not reuse a PID while
 * a handle to the process is open), so the handle always names the process it was opened on.
 */
struct ps_proc {
    int64_t pid;
    HANDLE h;
    ps__wait_cache wait;
};

#endif /* PS_WINPROC_H */
