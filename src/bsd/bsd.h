/* SPDX-License-Identifier: MIT */
/* BSD/macOS back end internals. */
#ifndef PS_BSD_H
#define PS_BSD_H

#include <sys/types.h>

#include "../posix/posix.h"
#include "../wait_internal.h"

/*
 * The BSD/macOS process handle: the PID plus its start time (macOS kinfo_proc
 * kp_proc.p_starttime, FreeBSD ki_start), which tells the pinned process from a later one that
 * reuses the number. has_start is 0 where the start time cannot be read (other BSDs): identity
 * then rests on the PID alone.
 */
struct ps_proc {
    int64_t pid;
    int64_t start_sec;
    int64_t start_usec;
    int has_start;
    int defer_pin;   /* set on a private copy by the table scan: one pin check per record */
    ps__wait_cache wait;
};

/* Read the start time of pid (one file per system: darwin_kinfo.c, freebsd_kinfo.c,
 * bsd/start_kill.c). PS_ENOPROC if there is no such process. */
int ps__bsd_start_time(int64_t pid, int64_t *sec, int64_t *usec, int *has_start);

/* PS_ENOPROC unless p's PID still holds the pinned process (start time unchanged): getters
 * call it after reading, so data of a process that reused the number is never returned. */
int ps__bsd_pinned(const ps_proc *p);

#endif /* PS_BSD_H */
