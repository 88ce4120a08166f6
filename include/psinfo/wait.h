/* SPDX-License-Identifier: MIT */
/**
 * @file psinfo/wait.h
 * @brief Waiting for processes to exit, event-driven (pidfd on Linux, kqueue on BSD/macOS,
 * process handles on Windows), with a silent fallback to a backoff loop.
 *
 * See docs/wait.md for the semantics, the mechanisms and the figures.
 */
#ifndef PSINFO_WAIT_H
#define PSINFO_WAIT_H

#include "common.h"
#include "proc.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The "wait forever" timeout. Any other negative timeout, and NaN, is PS_EINVAL. +INFINITY is
 * accepted as a synonym of PS_TIMEOUT_INFINITE. A timeout of 0 is a non-blocking check. Finite
 * timeouts of any size (1e10 s included) are honoured on a monotonic clock without overflow;
 * timeouts below the OS's resolution (1 ms for poll/WaitForSingleObject) are rounded up.
 */
#define PS_TIMEOUT_INFINITE -1

/** How the process ended (ps_wait_result.kind). */
typedef enum ps_wait_kind {
    /** It exited: code holds the exit status (0..255; any DWORD on Windows). */
    PS_WAIT_EXITED = 0,
    /** It was killed by a signal: code holds the signal number (POSIX). */
    PS_WAIT_SIGNALED = 1,
    /** It is gone, but its status cannot be known: it was not our child (or another waiter
     *  reaped it first) and the kernel kept no exit record for the handle (before Linux 6.15,
     *  no pidfd, the fallback path). code and returncode are PS_UNKNOWN_I32. */
    PS_WAIT_UNKNOWN = 2
} ps_wait_kind;

/** Which mechanism served the call (ps_wait_result.mechanism; diagnostics only, the results
 *  do not depend on it). */
typedef enum ps_wait_mechanism {
    PS_WAIT_MECH_PIDFD = 0,     /**< Linux pidfd + poll/epoll */
    PS_WAIT_MECH_KQUEUE = 1,    /**< BSD/macOS kqueue EVFILT_PROC/NOTE_EXIT */
    PS_WAIT_MECH_WINDOWS = 2,   /**< Windows process handle + WaitFor*Object(s) */
    PS_WAIT_MECH_FALLBACK = 3   /**< waitpid(WNOHANG)/liveness check with 0.1 ms..40 ms sleeps */
} ps_wait_mechanism;

/** Where the exit status came from (ps_wait_result.source). */
typedef enum ps_wait_source {
    /** No status: kind is PS_WAIT_UNKNOWN. */
    PS_WAIT_SOURCE_NONE = 0,
    /** This library reaped its own child (waitid/waitpid). */
    PS_WAIT_SOURCE_REAPED = 1,
    /** The exit record the kernel keeps on the handle's pidfd once another process reaped it
     *  (Linux 6.15+, PIDFD_GET_INFO with PIDFD_INFO_EXIT). */
    PS_WAIT_SOURCE_PIDFD_INFO = 2,
    /** The OS keeps it for any process (Windows GetExitCodeProcess). */
    PS_WAIT_SOURCE_EXIT_CODE = 3
} ps_wait_source;

/** The outcome of a wait (filled by ps_proc_wait, and in each ps_wait_status). */
typedef struct ps_wait_result {
    int64_t pid;            /**< the process waited for */
    int32_t kind;           /**< a ps_wait_kind */
    /** Exit status (PS_WAIT_EXITED), signal number (PS_WAIT_SIGNALED), PS_UNKNOWN_I32
     *  (PS_WAIT_UNKNOWN). */
    int32_t code;
    /** psutil's value: code when exited, -signal when signaled, PS_UNKNOWN_I32 when unknown
     *  (psutil's None). */
    int32_t returncode;
    int32_t core_dumped;    /**< 1 if a signal also dumped core (POSIX children), else 0 */
    int32_t mechanism;      /**< a ps_wait_mechanism: what observed the exit in the first place */
    int32_t cached;         /**< 1 if this call answered from the handle's remembered result */
    int32_t source;         /**< a ps_wait_source: where kind and code came from */
    int32_t pad_0;          /**< keeps the struct 8-byte aligned; zero */
    uint64_t reserved[8];   /**< room for later fields; zero-filled by the library */
} ps_wait_result;

/**
 * Wait until the process pinned by a handle has ended, or until a timeout has passed.
 *
 * A child of the caller is reaped by this call (its status is collected; the PID becomes free).
 * The first result is remembered in the handle: waiting again on the same handle returns the
 * same result at once with out->cached = 1. Another handle on the same child, opened before
 * the reap, gets the status from the kernel's exit record (Linux 6.15+, source
 * PS_WAIT_SOURCE_PIDFD_INFO) or PS_WAIT_UNKNOWN where there is none.
 *
 * A process that is not the caller's child has ended once it is reaped by its parent; its
 * status then comes from the exit record the kernel keeps on the handle's pidfd (Linux 6.15+;
 * the handle must have been opened before the reap). Without one (older kernels, seccomp, no
 * pidfd, the fallback) the result is PS_WAIT_UNKNOWN. See docs/wait.md for the table.
 *
 * Thread safety: any number of threads may wait on the same handle at once; exactly one of them
 * reaps, and all of them get the same result. Signals delivered to the waiting thread do not cut
 * the wait short (EINTR is absorbed; the original deadline holds). No signal handler is ever
 * installed.
 *
 * @param[in] proc an open handle (ps_proc_open). Waiting never frees or invalidates it; the
 *        caller still frees it with ps_proc_free.
 * @param[in] timeout seconds (fractions allowed); 0 = check without blocking;
 *        PS_TIMEOUT_INFINITE (or +INFINITY) = no limit. Other negative values and NaN give
 *        PS_EINVAL.
 * @param[out] out receives the outcome on success (caller-owned storage); left untouched on
 *        error.
 * @return 0 when the process has ended (see out->kind); PS_ETIMEDOUT if it was still there
 *         when the timeout expired (a zombie that is not our child counts as still there, as
 *         in psutil: it has ended only once its parent reaps it); PS_EINVAL for NULL arguments
 *         or a bad timeout; PS_ENOMEM; PS_EIO (or the PS_E* code mapped from errno) for an
 *         unexpected OS failure.
 */
PS_EXTERN int ps_proc_wait(ps_proc *proc, double timeout, ps_wait_result *out);

/** Per-handle outcome of ps_proc_wait_many (an array the caller provides). */
typedef struct ps_wait_status {
    int32_t done;           /**< 1 if the process has ended (result is valid), 0 if still alive */
    /** 0, or the PS_E* code of an unexpected failure for this handle (it is then reported as
     *  done = 0). */
    int32_t error;
    ps_wait_result result;  /**< valid when done = 1 */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_wait_status;

/** Flags of ps_proc_wait_many (a uint32_t mask). */
typedef enum ps_wait_flag {
    /** Return when every process has ended or at the timeout (psutil's wait_procs). */
    PS_WAIT_ALL = 0,
    /** Return as soon as at least one process has ended (or at the timeout). */
    PS_WAIT_ANY = 1
} ps_wait_flag;

/**
 * Wait for several processes at once, event-driven: one epoll over the handles' pidfds
 * (Linux), one kqueue (BSD/macOS), WaitForMultipleObjects in groups of 64 (Windows).
 *
 * Handles whose fast path is unavailable (no pidfd, registration refused) are checked with the
 * fallback's backoff between event waits, so n is not limited by RLIMIT_NOFILE. Results are
 * remembered in each handle exactly as by ps_proc_wait.
 *
 * @param[in] procs n open handles (none NULL; the same handle may not appear twice); they
 *        stay the caller's.
 * @param[in] n how many; 0 is allowed (returns at once, *out_done = 0).
 * @param[in] timeout as for ps_proc_wait (0 = one non-blocking pass).
 * @param[in] flags PS_WAIT_ALL or PS_WAIT_ANY.
 * @param[out] out n entries (caller-owned storage) receiving each handle's outcome (done or
 *        alive).
 * @param[out] out_done receives how many are done; may be NULL.
 * @return 0 whether or not every process ended (as psutil's wait_procs, a timeout is not an
 *         error: look at out[i].done); PS_EINVAL for bad arguments (NULL procs or out with
 *         n > 0, a NULL handle, unknown flags, a bad timeout); PS_ENOMEM; PS_EIO (or the PS_E*
 *         code mapped from errno) for an unexpected OS failure.
 */
PS_EXTERN int ps_proc_wait_many(ps_proc *const *procs, size_t n, double timeout, uint32_t flags,
                                ps_wait_status *out, size_t *out_done);

#ifdef __cplusplus
}
#endif

#endif /* PSINFO_WAIT_H */
