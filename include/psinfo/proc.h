/*
 * psinfo — processes: a handle that pins a process's identity, and its getters.
 */
#ifndef PSINFO_PROC_H
#define PSINFO_PROC_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * An open process. It pins the identity of the process it was opened on (on Linux an open
 * /proc/<pid> directory, a pidfd and the start time): once that process is gone every getter
 * returns PS_ENOPROC, even when a new process got the same PID. A handle may be used from
 * several threads at once. Freed with ps_proc_free().
 */
typedef struct ps_proc ps_proc;

/* Open the process pid. PS_EINVAL for pid <= 0 or a NULL out; PS_ENOPROC if there is no such
 * process (or pid is beyond the OS's range). */
PS_EXTERN int ps_proc_open(int64_t pid, ps_proc **out);
/* Open the calling process. */
PS_EXTERN int ps_proc_open_self(ps_proc **out);
/* Free a handle (NULL is a no-op). */
PS_EXTERN void ps_proc_free(ps_proc *proc);
/* The handle's PID (-1 for a NULL handle). */
PS_EXTERN int64_t ps_proc_pid(const ps_proc *proc);
/*
 * *running = 1 while the pinned process exists (zombies included, as psutil), 0 once it is gone
 * — even if its PID was reused. PS_EINVAL for NULL arguments.
 */
PS_EXTERN int ps_proc_is_running(const ps_proc *proc, int *running);


/* ============================== value types (shared with the process table) ============== */
/*
 * Naming: value types are named after psutil's namedtuples (pcputimes -> ps_proc_cputimes,
 * pmem -> ps_proc_mem, pfullmem -> ps_proc_fullmem, puids/pgids -> ps_proc_ids, pctxsw ->
 * ps_proc_ctxsw, pio -> ps_proc_io); getters after psutil's methods (ps_proc_cpu_times, ...).
 * C puts typedef and function names in one namespace, hence the two spellings.
 */

/*
 * Process status (psutil's STATUS_* constants, with fixed values). On Linux the state letter of
 * /proc/<pid>/stat maps as psutil: R running, S sleeping, D disk-sleep, T stopped,
 * t tracing-stop, Z zombie, X/x dead, K wake-kill, W waking, I idle, P parked. Any other letter
 * is PS_STATUS_UNKNOWN (psutil's '?').
 */
typedef enum ps_process_status {
    PS_STATUS_RUNNING = 0,
    PS_STATUS_SLEEPING = 1,
    PS_STATUS_DISK_SLEEP = 2,
    PS_STATUS_STOPPED = 3,
    PS_STATUS_TRACING_STOP = 4,
    PS_STATUS_ZOMBIE = 5,
    PS_STATUS_DEAD = 6,
    PS_STATUS_WAKE_KILL = 7,
    PS_STATUS_WAKING = 8,
    PS_STATUS_IDLE = 9,
    PS_STATUS_PARKED = 10,
    PS_STATUS_LOCKED = 11,
    PS_STATUS_WAITING = 12,
    PS_STATUS_SUSPENDED = 13,
    PS_STATUS_UNKNOWN = 14
} ps_process_status;

/* psutil's string for a status ("running", "disk-sleep", "tracing-stop", ...; "?" for
 * PS_STATUS_UNKNOWN or a value outside the enum). Static string; never NULL. */
PS_EXTERN const char *ps_process_status_name(ps_process_status status);

/* Process CPU times in seconds (psutil pcputimes): ticks / sysconf(_SC_CLK_TCK). iowait is the
 * delayacct_blkio_ticks (time waiting for block I/O; 0 without delay accounting). */
typedef struct ps_proc_cputimes {
    double user;
    double system;
    double children_user;
    double children_system;
    double iowait;
} ps_proc_cputimes;

/* Memory in bytes (psutil pmem on Linux): /proc/<pid>/statm columns * page size.
 * rss resident, vms virtual size, shared file-backed resident, text code, lib (always 0 since
 * Linux 2.6), data data+stack, dirty (always 0 since Linux 2.6). */
typedef struct ps_proc_mem {
    uint64_t rss;
    uint64_t vms;
    uint64_t shared;
    uint64_t text;
    uint64_t lib;
    uint64_t data;
    uint64_t dirty;
} ps_proc_mem;

/* psutil pfullmem: memory_info plus uss (sum of Private_* lines), pss and swap, in bytes, from
 * /proc/<pid>/smaps_rollup (or the sums over /proc/<pid>/smaps). */
typedef struct ps_proc_fullmem {
    uint64_t rss;
    uint64_t vms;
    uint64_t shared;
    uint64_t text;
    uint64_t lib;
    uint64_t data;
    uint64_t dirty;
    uint64_t uss;
    uint64_t pss;
    uint64_t swap;
} ps_proc_fullmem;

/* Real, effective and saved user or group ids (psutil puids / pgids). */
typedef struct ps_proc_ids {
    int64_t real;
    int64_t effective;
    int64_t saved;
} ps_proc_ids;

/* Context switches (psutil pctxsw). */
typedef struct ps_proc_ctxsw {
    uint64_t voluntary;
    uint64_t involuntary;
} ps_proc_ctxsw;

/* I/O counters (psutil pio on Linux): read_count = syscr, write_count = syscw, read_bytes and
 * write_bytes (storage layer), read_chars = rchar, write_chars = wchar. */
typedef struct ps_proc_io {
    uint64_t read_count;
    uint64_t write_count;
    uint64_t read_bytes;
    uint64_t write_bytes;
    uint64_t read_chars;
    uint64_t write_chars;
} ps_proc_io;

/* Page faults (psutil 8 page_faults): minor and major faults of the process itself (stat
 * fields 10 and 12; children not included). */
typedef struct ps_proc_pagefaults {
    uint64_t minor;
    uint64_t major;
} ps_proc_pagefaults;

/* A list of strings (cmdline, cgroup lines). One allocation: free with ps_proc_strlist_free. */
typedef struct ps_proc_strlist {
    size_t count;
    char **items;   /* count NUL-terminated UTF-8 strings */
} ps_proc_strlist;

/* Free a string list (NULL is a no-op). list: the list. */
PS_EXTERN void ps_proc_strlist_free(ps_proc_strlist *list);

#ifdef __cplusplus
}
#endif

#endif /* PSINFO_PROC_H */
