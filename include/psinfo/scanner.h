/* SPDX-License-Identifier: MIT */
/**
 * @file psinfo/scanner.h
 * @brief The process scanner: a process table taken again and again (a monitor's loop), with
 * per-process and system-wide CPU percentages between two scans, top's way.
 *
 * See docs/monitoring.md for the contract (descriptor budget, identity, threading) and figures.
 */
#ifndef PSINFO_SCANNER_H
#define PSINFO_SCANNER_H

#include "common.h"
#include "ptable.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open scanner (opaque): created by ps_scanner_new, freed by ps_scanner_free. */
typedef struct ps_scanner ps_scanner;

/** Flags of ps_scanner_new (a uint32_t mask). */
typedef enum ps_scanner_flag {
    /** Keep no descriptor between scans: every scan opens every file afresh (the plain
     *  ps_ptable_scan's cost; CPU percentages and identity tracking still work). */
    PS_SCANNER_NO_KEEP = 1
} ps_scanner_flag;

/**
 * The result of one scan; immutable, freed by ps_scan_free (independently of the scanner and
 * of other scans: it may outlive the scanner and be read from any thread).
 */
typedef struct ps_scan {
    /** The process table (sorted by PID), owned by the scan. Its mask is the scanner's fields
     *  plus PS_PT_CPU_TIMES and PS_PT_CREATE_TIME, which the percentages need. */
    const ps_ptable *table;
    /** table->count values, in the table's order: CPU use of each process in percent of one
     *  CPU (user + system time delta over wall time delta, so up to 100 x CPUs, as top and
     *  psutil's cpu_percent). A process already seen by the previous scan: its delta since
     *  then. A process first seen now (new, or a new process behind a reused PID): its CPU
     *  time over its age or over the interval, whichever is longer (never another process's
     *  times). NaN on the first scan, and for a record without cpu_times. */
    const double *cpu_percent;
    /** System-wide busy percentage since the previous scan (ps_cpu_percent's rule); NaN on
     *  the first scan or where the system's CPU times are not available. */
    double system_cpu_percent;
    /** Seconds of monotonic time since the previous scan; NaN on the first scan. */
    double interval;
    /** Entries of percpu_percent (0 when per-CPU times are not available). */
    uint64_t cpu_count;
    /** cpu_count per-CPU busy percentages since the previous scan (NaN on the first scan). */
    const double *percpu_percent;
    /** 1 for the scanner's first scan, then 2, 3, ... */
    uint64_t sequence;
    /** Room for later fields; zero-filled by the library. */
    uint64_t reserved[8];
} ps_scan;

/** What a scanner holds (ps_scanner_stats). */
typedef struct ps_scanner_stats {
    /** Processes tracked (those of the last scan). */
    uint64_t tracked;
    /** Descriptors kept open between scans right now. */
    uint64_t kept_fds;
    /** The descriptor budget the last scan used (from RLIMIT_NOFILE; 0 with PS_SCANNER_NO_KEEP
     *  or where descriptors are not kept). */
    uint64_t fd_budget;
    /** Processes whose files were opened afresh in the last scan (new, or beyond the budget). */
    uint64_t fresh_opens;
    /** Reused PIDs detected so far (a kept descriptor of a reaped process, or a changed start
     *  time, behind a PID still listed). */
    uint64_t pid_reuses;
    /** Bytes of heap the scanner's per-process state uses (not counting scans handed out). */
    uint64_t state_bytes;
    /** Room for later fields; zero-filled by the library. */
    uint64_t reserved[6];
} ps_scanner_stats;

/**
 * Create a scanner for the given fields.
 * @param[in] fields a mask of PS_PT_BIT(f) (unknown bits: PS_EINVAL); PS_PT_PID is implied, and
 *        PS_PT_CPU_TIMES and PS_PT_CREATE_TIME are added (the percentages need them).
 * @param[in] flags 0 or ps_scanner_flag values.
 * @param[out] out receives the scanner, owned by the caller: free it with ps_scanner_free.
 * @return 0, PS_EINVAL, PS_ENOMEM, or PS_ENOTSUP where the platform has no process table.
 */
PS_EXTERN int ps_scanner_new(uint64_t fields, uint32_t flags, ps_scanner **out);

/**
 * Scan every process now. Does not sleep: the percentages cover the time since the previous
 * scan of this scanner (call it at the rate you want, e.g. once a second).
 * Records follow ps_ptable_scan's rules (one process per record, never a mix). On Linux the
 * scanner keeps per-process descriptors open between scans within a budget derived from
 * RLIMIT_NOFILE (re-read at every scan); beyond the budget, or after EMFILE, files are opened
 * afresh. The state of processes that are gone is dropped. A kept descriptor that fails while
 * its PID is still listed proves the PID was reused: the process is read afresh as a new one.
 * Thread-safe: concurrent calls on one scanner are serialised by the scanner's lock (each gets
 * its own result; the percentages of each cover the time since the scan before it).
 * @param[in] scanner the scanner.
 * @param[out] out receives the scan, owned by the caller: free it with ps_scan_free (it may
 *        outlive the scanner).
 * @return 0, PS_EINVAL, PS_ENOMEM, PS_EMFILE (only when no descriptor is left even after the
 *         scanner released all of its own), or the error opening the procfs root.
 */
PS_EXTERN int ps_scanner_scan(ps_scanner *scanner, ps_scan **out);

/**
 * What the scanner holds now (descriptors, tracked processes, memory).
 * @param[in] scanner the scanner.
 * @param[out] out receives the figures (caller-owned storage).
 * @return 0 or PS_EINVAL.
 */
PS_EXTERN int ps_scanner_stats_get(ps_scanner *scanner, ps_scanner_stats *out);

/**
 * Free a scan (NULL is a no-op).
 * @param[in] scan the scan (NULL is a no-op).
 */
PS_EXTERN void ps_scan_free(ps_scan *scan);

/**
 * Close every kept descriptor and free the scanner (NULL is a no-op). Must not run while
 * another thread is inside ps_scanner_scan on the same scanner. Scans already returned stay
 * valid.
 * @param[in] scanner the scanner.
 */
PS_EXTERN void ps_scanner_free(ps_scanner *scanner);

#ifdef __cplusplus
}
#endif

#endif /* PSINFO_SCANNER_H */
