/* SPDX-License-Identifier: MIT */
/**
 * @file psinfo/proc.h
 * @brief Processes: a handle that pins a process's identity, and its getters.
 *
 * Common rules for every getter (see docs/proc.md):
 *  - `proc` is an open handle (ps_proc_open) and stays the caller's; `out` (or the named
 *    out_* pointers) receives the result; proc and every out-pointer must be non-NULL
 *    (PS_EINVAL otherwise);
 *  - Linux reads everything through the handle's `/proc/<pid>` directory fd, so once the
 *    process the handle was opened on is gone (reaped) every getter returns PS_ENOPROC, even
 *    when a new process got the same PID;
 *  - PS_EZOMBIE exactly where psutil 7 raises ZombieProcess on Linux: a read the kernel refuses
 *    (ENOENT/ESRCH) or an empty cmdline/smaps while the process is a zombie — exe, cmdline, cwd,
 *    environ, memory_maps, memory_footprint, memory_full_info, and rlimit on ENOSYS;
 *  - PS_EACCES where the OS refuses (EACCES/EPERM: e.g. exe, cwd, environ, fds, io of another
 *    user's process when not privileged);
 *  - PS_EPARSE when an OS file has a format the library cannot parse, PS_EIO for another
 *    unexpected OS failure, PS_ENOTSUP where the platform (or kernel) does not provide the data;
 *  - strings are UTF-8 from the library's one decoder (policy: ps_set_errors_policy); the
 *    caller frees them with ps_free, lists with their *_list_free function;
 *  - on failure *out is left NULL (pointer outs) or unspecified (value outs); value out-structs
 *    are zero-filled, tail included, before the fields are written (docs/abi.md).
 */
#ifndef PSINFO_PROC_H
#define PSINFO_PROC_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * An open process (opaque).
 *
 * It pins the identity of the process it was opened on (on Linux an open `/proc/<pid>`
 * directory, a pidfd and the start time): once that process is gone every getter returns
 * PS_ENOPROC, even when a new process got the same PID. A handle may be used from several
 * threads at once. Freed with ps_proc_free().
 */
typedef struct ps_proc ps_proc;

/**
 * Open a process by PID.
 * @param[in] pid the PID (> 0).
 * @param[out] out receives the handle, owned by the caller: free it with ps_proc_free.
 * @return 0; PS_EINVAL for pid <= 0 or a NULL out; PS_ENOPROC if there is no such process (or
 *         pid is beyond the OS's range); PS_EACCES; PS_EMFILE; PS_ENOMEM; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_open(int64_t pid, ps_proc **out);
/**
 * Open the calling process.
 * @param[out] out receives the handle, owned by the caller: free it with ps_proc_free.
 * @return as ps_proc_open.
 */
PS_EXTERN int ps_proc_open_self(ps_proc **out);
/**
 * Free a handle.
 * @param[in] proc the handle (NULL is a no-op).
 */
PS_EXTERN void ps_proc_free(ps_proc *proc);
/**
 * The handle's PID.
 * @param[in] proc the handle.
 * @return the PID; -1 for a NULL handle.
 */
PS_EXTERN int64_t ps_proc_pid(const ps_proc *proc);
/**
 * Is the pinned process still there?
 * @param[in] proc the handle.
 * @param[out] out receives 1 while the pinned process exists (zombies included, as psutil), 0
 *        once it is gone — even if its PID was reused.
 * @return 0; PS_EINVAL for NULL arguments.
 */
PS_EXTERN int ps_proc_is_running(const ps_proc *proc, int *out);


/* ============================== value types (shared with the process table) ============== */
/*
 * Naming: value types are named after psutil's namedtuples (pcputimes -> ps_proc_cputimes,
 * pmem -> ps_proc_mem, pmem_ex -> ps_proc_mem_ex, pfootprint -> ps_proc_footprint,
 * pfullmem -> ps_proc_fullmem, puids/pgids -> ps_proc_ids, pctxsw ->
 * ps_proc_ctxsw, pio -> ps_proc_io); getters after psutil's methods (ps_proc_cpu_times, ...).
 * C puts typedef and function names in one namespace, hence the two spellings.
 */

/**
 * Process status (psutil's STATUS_* constants, with fixed values).
 *
 * On Linux the state letter of `/proc/<pid>/stat` maps as psutil: R running, S sleeping,
 * D disk-sleep, T stopped, t tracing-stop, Z zombie, X/x dead, K wake-kill, W waking, I idle,
 * P parked. Any other letter is PS_STATUS_UNKNOWN (psutil's '?').
 */
typedef enum ps_process_status {
    PS_STATUS_RUNNING = 0,          /**< "running" */
    PS_STATUS_SLEEPING = 1,         /**< "sleeping" */
    PS_STATUS_DISK_SLEEP = 2,       /**< "disk-sleep" */
    PS_STATUS_STOPPED = 3,          /**< "stopped" */
    PS_STATUS_TRACING_STOP = 4,     /**< "tracing-stop" */
    PS_STATUS_ZOMBIE = 5,           /**< "zombie" */
    PS_STATUS_DEAD = 6,             /**< "dead" */
    PS_STATUS_WAKE_KILL = 7,        /**< "wake-kill" */
    PS_STATUS_WAKING = 8,           /**< "waking" */
    PS_STATUS_IDLE = 9,             /**< "idle" */
    PS_STATUS_PARKED = 10,          /**< "parked" */
    PS_STATUS_LOCKED = 11,          /**< "locked" (BSD) */
    PS_STATUS_WAITING = 12,         /**< "waiting" (BSD) */
    PS_STATUS_SUSPENDED = 13,       /**< "suspended" (NetBSD) */
    PS_STATUS_UNKNOWN = 14          /**< psutil's "?": a state letter psutil does not map */
} ps_process_status;

/**
 * psutil's string for a status.
 * @param[in] status a ps_process_status value.
 * @return "running", "disk-sleep", "tracing-stop", ...; "?" for PS_STATUS_UNKNOWN or a value
 *         outside the enum. A static string, never NULL.
 */
PS_EXTERN const char *ps_process_status_name(int32_t status);

/**
 * Process CPU times in seconds (psutil pcputimes): ticks / sysconf(_SC_CLK_TCK).
 *
 * iowait is the delayacct_blkio_ticks (time waiting for block I/O; 0 without delay
 * accounting). Windows: user and system from GetProcessTimes; children_user, children_system
 * and iowait are NaN (Windows keeps no such times; psutil reports 0.0 for the children fields).
 */
typedef struct ps_proc_cputimes {
    double user;                /**< user time */
    double system;              /**< system (kernel) time */
    double children_user;       /**< user time of reaped children */
    double children_system;     /**< system time of reaped children */
    double iowait;              /**< time waiting for block I/O (Linux) */
    uint64_t reserved[8];       /**< room for later fields; zero-filled by the library */
} ps_proc_cputimes;

/**
 * Process memory in bytes (psutil 8's pmem, memory_info()).
 *
 * One struct for every platform: a field the platform (or the getter that filled it) does not
 * provide is PS_UNKNOWN_U64. psutil 8 dropped Linux's lib and dirty (always 0 since Linux 2.6);
 * they are not here. Linux: `/proc/<pid>/statm` columns * page size; peak_rss, peak_vms and
 * stack are unknown from memory_info (ps_proc_memory_info_ex fills the peaks). Windows:
 * GetProcessMemoryInfo. BSD: kinfo_proc. macOS: rss and vms only.
 */
typedef struct ps_proc_mem {
    uint64_t rss;      /**< resident set size (Windows: WorkingSetSize) */
    uint64_t vms;      /**< virtual size (Windows: PagefileUsage; psutil 8 reads PrivateUsage,
                            which Microsoft documents as the same value since Windows 8) */
    uint64_t shared;   /**< Linux: file-backed resident pages (statm "shared") */
    uint64_t text;     /**< code (Linux, BSD) */
    uint64_t data;     /**< data + stack (Linux), data (BSD) */
    uint64_t stack;    /**< BSD: stack size */
    uint64_t peak_rss; /**< peak resident size (Windows PeakWorkingSetSize, BSD; Linux: VmHWM,
                            filled by ps_proc_memory_info_ex only) */
    uint64_t peak_vms; /**< peak virtual size (Windows PeakPagefileUsage; Linux: VmPeak,
                            filled by ps_proc_memory_info_ex only) */
    uint64_t reserved[8]; /**< room for later fields; zero-filled by the library */
} ps_proc_mem;

/**
 * memory_info plus the platform's extra counters (psutil 8's pmem_ex, memory_info_ex()), in
 * bytes.
 *
 * The first eight fields mean what they mean in ps_proc_mem. Fields the platform does not have
 * are PS_UNKNOWN_U64. Linux: statm as memory_info, then `/proc/<pid>/status`: peak_rss =
 * VmHWM, peak_vms = VmPeak, rss_anon = RssAnon, rss_file = RssFile, rss_shmem = RssShmem
 * (Linux 4.5+), swap = VmSwap, hugetlb = HugetlbPages (4.4+). A process without an address
 * space (kernel thread, zombie) has none of these lines: its values are 0, as its statm. A
 * line an older kernel does not write is PS_UNKNOWN_U64 (psutil 8 reports 0).
 */
typedef struct ps_proc_mem_ex {
    uint64_t rss;                /**< as ps_proc_mem */
    uint64_t vms;                /**< as ps_proc_mem */
    uint64_t shared;             /**< as ps_proc_mem */
    uint64_t text;               /**< as ps_proc_mem */
    uint64_t data;               /**< as ps_proc_mem */
    uint64_t stack;              /**< as ps_proc_mem */
    uint64_t peak_rss;           /**< as ps_proc_mem (Linux VmHWM, macOS resident_size_peak) */
    uint64_t peak_vms;           /**< as ps_proc_mem (Linux VmPeak) */
    uint64_t rss_anon;           /**< anonymous resident memory (Linux RssAnon; macOS internal) */
    uint64_t rss_file;           /**< file-backed resident memory (Linux RssFile; macOS external) */
    uint64_t rss_shmem;          /**< resident shared memory (Linux RssShmem) */
    uint64_t swap;               /**< swapped out (Linux VmSwap) */
    uint64_t hugetlb;            /**< hugetlb pages (Linux HugetlbPages) */
    uint64_t virtual_size;       /**< Windows VirtualSize (psutil "virtual") */
    uint64_t peak_virtual_size;  /**< Windows PeakVirtualSize (psutil "peak_virtual") */
    uint64_t paged_pool;         /**< Windows QuotaPagedPoolUsage */
    uint64_t nonpaged_pool;      /**< Windows QuotaNonPagedPoolUsage */
    uint64_t peak_paged_pool;    /**< Windows QuotaPeakPagedPoolUsage */
    uint64_t peak_nonpaged_pool; /**< Windows QuotaPeakNonPagedPoolUsage */
    uint64_t wired;              /**< macOS ri_wired_size */
    uint64_t compressed;         /**< macOS compressed */
    uint64_t phys_footprint;     /**< macOS phys_footprint */
    uint64_t reserved[16];       /**< room for later fields; zero-filled by the library */
} ps_proc_mem_ex;

/**
 * Memory unique to the process and its proportional share (psutil 8's pfootprint,
 * memory_footprint()), in bytes.
 *
 * Linux: `/proc/<pid>/smaps_rollup` (or the sums over `/proc/<pid>/smaps`): uss = the sum of
 * the Private_* lines, pss = Pss, swap = Swap. pss and swap are PS_UNKNOWN_U64 where the
 * platform has only uss (Windows, macOS).
 */
typedef struct ps_proc_footprint {
    uint64_t uss;   /**< unique set size: what freeing the process would give back */
    uint64_t pss;   /**< proportional set size (Linux) */
    uint64_t swap;  /**< swapped-out memory (Linux) */
    uint64_t reserved[4]; /**< room for later fields; zero-filled by the library */
} ps_proc_footprint;

/**
 * psutil's pfullmem (memory_full_info(), deprecated in psutil 8 in favour of
 * memory_footprint()): the ps_proc_mem fields followed by the ps_proc_footprint fields.
 */
typedef struct ps_proc_fullmem {
    uint64_t rss;       /**< as ps_proc_mem */
    uint64_t vms;       /**< as ps_proc_mem */
    uint64_t shared;    /**< as ps_proc_mem */
    uint64_t text;      /**< as ps_proc_mem */
    uint64_t data;      /**< as ps_proc_mem */
    uint64_t stack;     /**< as ps_proc_mem */
    uint64_t peak_rss;  /**< as ps_proc_mem */
    uint64_t peak_vms;  /**< as ps_proc_mem */
    uint64_t uss;       /**< as ps_proc_footprint */
    uint64_t pss;       /**< as ps_proc_footprint */
    uint64_t swap;      /**< as ps_proc_footprint */
    uint64_t reserved[16]; /**< room for later fields; zero-filled by the library */
} ps_proc_fullmem;

/**
 * Which memory figure ps_proc_memory_percent compares with total physical memory (psutil's
 * memtype strings; the ps_proc_mem, ps_proc_mem_ex and ps_proc_footprint field of that name).
 */
typedef enum ps_memtype {
    PS_MEMTYPE_RSS = 0,                 /**< "rss" */
    PS_MEMTYPE_VMS = 1,                 /**< "vms" */
    PS_MEMTYPE_SHARED = 2,              /**< "shared" */
    PS_MEMTYPE_TEXT = 3,                /**< "text" */
    PS_MEMTYPE_DATA = 4,                /**< "data" */
    PS_MEMTYPE_STACK = 5,               /**< "stack" */
    PS_MEMTYPE_PEAK_RSS = 6,            /**< "peak_rss" */
    PS_MEMTYPE_PEAK_VMS = 7,            /**< "peak_vms" */
    PS_MEMTYPE_RSS_ANON = 8,            /**< "rss_anon" */
    PS_MEMTYPE_RSS_FILE = 9,            /**< "rss_file" */
    PS_MEMTYPE_RSS_SHMEM = 10,          /**< "rss_shmem" */
    PS_MEMTYPE_SWAP = 11,               /**< "swap" (the footprint's, as psutil) */
    PS_MEMTYPE_HUGETLB = 12,            /**< "hugetlb" */
    PS_MEMTYPE_VIRTUAL = 13,            /**< "virtual" (ps_proc_mem_ex.virtual_size) */
    PS_MEMTYPE_PEAK_VIRTUAL = 14,       /**< "peak_virtual" (ps_proc_mem_ex.peak_virtual_size) */
    PS_MEMTYPE_PAGED_POOL = 15,         /**< "paged_pool" */
    PS_MEMTYPE_NONPAGED_POOL = 16,      /**< "nonpaged_pool" */
    PS_MEMTYPE_PEAK_PAGED_POOL = 17,    /**< "peak_paged_pool" */
    PS_MEMTYPE_PEAK_NONPAGED_POOL = 18, /**< "peak_nonpaged_pool" */
    PS_MEMTYPE_WIRED = 19,              /**< "wired" */
    PS_MEMTYPE_COMPRESSED = 20,         /**< "compressed" */
    PS_MEMTYPE_PHYS_FOOTPRINT = 21,     /**< "phys_footprint" */
    PS_MEMTYPE_USS = 22,                /**< "uss" */
    PS_MEMTYPE_PSS = 23,                /**< "pss" */
    PS_MEMTYPE_COUNT = 24               /**< number of memtypes (not a memtype) */
} ps_memtype;

/**
 * psutil's name of a memtype.
 * @param[in] memtype a ps_memtype value.
 * @return "rss", "peak_rss", "virtual", "uss", ...; "?" for a value outside the enum. A static
 *         string, never NULL.
 */
PS_EXTERN const char *ps_memtype_name(int32_t memtype);

/** Real, effective and saved user or group ids (psutil puids / pgids). */
typedef struct ps_proc_ids {
    int64_t real;           /**< real id */
    int64_t effective;      /**< effective id */
    int64_t saved;          /**< saved set-id */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_proc_ids;

/**
 * Context switches (psutil pctxsw). involuntary is PS_UNKNOWN_U64 where the OS counts only one
 * kind (Windows, macOS: everything is in voluntary; psutil reports 0 there).
 */
typedef struct ps_proc_ctxsw {
    uint64_t voluntary;     /**< voluntary switches (Linux voluntary_ctxt_switches) */
    uint64_t involuntary;   /**< involuntary switches (Linux nonvoluntary_ctxt_switches) */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_proc_ctxsw;

/**
 * I/O counters (psutil pio). Linux: the storage-layer bytes and the read/write calls of
 * `/proc/<pid>/io`. Windows (GetProcessIoCounters): operation counts and bytes of every I/O, not
 * only storage, plus psutil's other_count/other_bytes. A field a platform lacks is
 * PS_UNKNOWN_U64 (read_chars/write_chars on Windows, other_count/other_bytes elsewhere).
 */
typedef struct ps_proc_io {
    uint64_t read_count;    /**< read calls (Linux syscr; Windows ReadOperationCount) */
    uint64_t write_count;   /**< write calls (Linux syscw; Windows WriteOperationCount) */
    uint64_t read_bytes;    /**< bytes read from the storage layer (Windows ReadTransferCount) */
    uint64_t write_bytes;   /**< bytes written to the storage layer (Windows WriteTransferCount) */
    uint64_t read_chars;    /**< bytes passed to read calls (Linux rchar) */
    uint64_t write_chars;   /**< bytes passed to write calls (Linux wchar) */
    uint64_t other_count;   /**< other I/O operations, neither read nor write (Windows OtherOperationCount) */
    uint64_t other_bytes;   /**< bytes of other I/O operations (Windows OtherTransferCount) */
    uint64_t reserved[6];   /**< room for later fields; zero-filled by the library */
} ps_proc_io;

/**
 * Page faults (psutil 8 page_faults): faults of the process itself, children not included.
 */
typedef struct ps_proc_pagefaults {
    uint64_t minor;         /**< minor faults (Linux stat field 10) */
    uint64_t major;         /**< major faults (Linux stat field 12) */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_proc_pagefaults;

/** A list of strings (cmdline, cgroup lines). One allocation: free with ps_proc_str_list_free. */
typedef struct ps_proc_str_list {
    size_t count;           /**< number of strings */
    char **items;           /**< count NUL-terminated UTF-8 strings */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_proc_str_list;

/**
 * Free a string list.
 * @param[in] list the list (NULL is a no-op).
 */
PS_EXTERN void ps_proc_str_list_free(ps_proc_str_list *list);

/* ================================ getters ================================================ */
/* The rules every getter follows (parameters, errors, ownership) are in this file's
 * description at the top. */

/**
 * Process name (psutil name()): the kernel's comm; when comm is 15 bytes or longer (the
 * kernel truncates it) and the basename of cmdline[0] starts with it, that longer basename.
 * @param[in] proc the handle.
 * @param[out] out receives the name, owned by the caller: free it with ps_free.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_ENOMEM; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_name(ps_proc *proc, char **out);
/**
 * Executable path (psutil exe()): readlink of `/proc/<pid>/exe`.
 * @param[in] proc the handle.
 * @param[out] out receives the path, "" (empty string) for kernel threads and where the kernel
 *        gives no path; owned by the caller: free it with ps_free.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EZOMBIE for a zombie; PS_EACCES; PS_ENOMEM; PS_EIO;
 *         PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_exe(ps_proc *proc, char **out);
/**
 * Command line (psutil cmdline()): the NUL-separated arguments; when the text does not end in
 * NUL, or is one argument holding spaces, split on spaces (setproctitle; psutil #1179).
 * @param[in] proc the handle.
 * @param[out] out receives the arguments (an empty list for kernel threads), owned by the
 *        caller: free it with ps_proc_str_list_free.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EZOMBIE for a zombie; PS_EACCES; PS_ENOMEM; PS_EIO;
 *         PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_cmdline(ps_proc *proc, ps_proc_str_list **out);

/** One environment variable (an item of ps_proc_environ_list). */
typedef struct ps_proc_env_var {
    char *key;              /**< the name (UTF-8), inside the list's allocation */
    char *value;            /**< the value (UTF-8), inside the list's allocation */
    uint64_t reserved[4];   /**< room for later fields; zero-filled by the library */
} ps_proc_env_var;
/** An environment (one allocation; free with ps_proc_environ_list_free). */
typedef struct ps_proc_environ_list {
    size_t count;           /**< number of variables */
    ps_proc_env_var *items; /**< count variables, in the order of the environment block */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_proc_environ_list;
/**
 * Environment (psutil environ()): `/proc/<pid>/environ` parsed as psutil (stops at an empty
 * entry; entries without '=' after the first byte are skipped; a repeated key keeps its first
 * position and its last value).
 * @param[in] proc the handle.
 * @param[out] out receives the variables (empty for a kernel thread: no address space; psutil
 *        raises NoSuchProcess there, see docs/proc.md), owned by the caller: free it with
 *        ps_proc_environ_list_free.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EZOMBIE for a zombie; PS_EACCES; PS_ENOMEM; PS_EIO;
 *         PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_environ(ps_proc *proc, ps_proc_environ_list **out);
/**
 * Free an environment list.
 * @param[in] list the list (NULL is a no-op).
 */
PS_EXTERN void ps_proc_environ_list_free(ps_proc_environ_list *list);

/**
 * Working directory (psutil cwd()).
 * @param[in] proc the handle.
 * @param[out] out receives the path, owned by the caller: free it with ps_free.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EZOMBIE for a zombie; PS_EACCES; PS_ENOMEM; PS_EIO;
 *         PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_cwd(ps_proc *proc, char **out);
/**
 * User name of the real uid (psutil username()): getpwuid_r, or the uid as a decimal string
 * when there is no passwd entry.
 * @param[in] proc the handle.
 * @param[out] out receives the name, owned by the caller: free it with ps_free.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_EPARSE; PS_ENOMEM; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_username(ps_proc *proc, char **out);
/**
 * Real, effective, saved user ids (psutil uids()).
 * @param[in] proc the handle.
 * @param[out] out receives the ids (caller-owned storage).
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EPARSE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_uids(ps_proc *proc, ps_proc_ids *out);
/**
 * Real, effective, saved group ids (psutil gids()).
 * @param[in] proc the handle.
 * @param[out] out receives the ids (caller-owned storage).
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EPARSE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_gids(ps_proc *proc, ps_proc_ids *out);
/**
 * Controlling terminal (psutil terminal()): the /dev path (under the PS_ROOT_DEV root) whose
 * device number is stat's tty_nr, searched in /dev/pts and the /dev/tty entries.
 * @param[in] proc the handle.
 * @param[out] out receives the path, owned by the caller (free it with ps_free); NULL, with 0
 *        returned, when the process has no terminal (psutil None).
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EPARSE; PS_ENOMEM; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_terminal(ps_proc *proc, char **out);
/**
 * Parent PID (psutil ppid()).
 * @param[in] proc the handle.
 * @param[out] out receives the PPID; 0 for PID 1 and kernel threads' root.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EPARSE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_ppid(ps_proc *proc, int64_t *out);
/**
 * Parent process (psutil parent()): opens a handle on the PPID and keeps it only if the parent
 * was created no later than this process.
 * @param[in] proc the handle.
 * @param[out] out receives the parent's handle, owned by the caller (free it with
 *        ps_proc_free); NULL, with 0 returned, for ppid 0, a parent that is gone or a reused
 *        PID (created after this process).
 * @return 0; PS_EINVAL; PS_ENOPROC (proc itself is gone); PS_EACCES; PS_EMFILE; PS_ENOMEM;
 *         PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_parent(ps_proc *proc, ps_proc **out);

/** A list of open handles (one array; ps_proc_list_free frees the handles and the list). */
typedef struct ps_proc_list {
    size_t count;           /**< number of handles */
    ps_proc **items;        /**< count handles, owned by the list */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_proc_list;
/**
 * Children (psutil children(recursive)): a scan of every process's PPID.
 *
 * Only processes created no earlier than proc are kept (psutil's PID-reuse rule); processes
 * that vanish during the scan are left out. Sorted by PID within each generation.
 * @param[in] proc the handle.
 * @param[in] recursive 1 for all descendants (breadth first, no duplicates), 0 for the direct
 *        children.
 * @param[out] out receives the list, owned by the caller: free it (and its handles) with
 *        ps_proc_list_free.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EMFILE; PS_ENOMEM; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_children(ps_proc *proc, int recursive, ps_proc_list **out);
/**
 * Free a list of handles and every handle in it.
 * @param[in] list the list (NULL is a no-op).
 */
PS_EXTERN void ps_proc_list_free(ps_proc_list *list);
/**
 * Ancestors (psutil parents()): ps_proc_parent, then the parent's parent, and so on, nearest
 * first.
 *
 * Each step keeps ps_proc_parent's identity check (a parent created after its child is a
 * reused PID and ends the chain). A chain that stops at PID 1, at a PPID of 0, or at a parent
 * that is gone or not readable is complete.
 * @param[in] proc the handle.
 * @param[out] out receives the list (empty when no parent is known), owned by the caller: free
 *        it with ps_proc_list_free.
 * @return 0; PS_EINVAL; PS_ENOPROC (proc itself is gone); PS_ENOMEM; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_parents(ps_proc *proc, ps_proc_list **out);

/**
 * Status (psutil status()); a zombie gives PS_STATUS_ZOMBIE (never PS_EZOMBIE).
 * @param[in] proc the handle.
 * @param[out] out receives a ps_process_status value.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EPARSE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_status(ps_proc *proc, int32_t *out);
/**
 * Creation time (psutil create_time()): boot time (btime of `<proc>/stat`) + starttime /
 * CLK_TCK.
 * @param[in] proc the handle.
 * @param[out] out receives seconds since the epoch.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EPARSE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_create_time(ps_proc *proc, double *out);
/**
 * CPU times (psutil cpu_times()).
 * @param[in] proc the handle.
 * @param[out] out receives the times in seconds (caller-owned storage).
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_EPARSE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_cpu_times(ps_proc *proc, ps_proc_cputimes *out);

/**
 * A CPU sample for ps_proc_cpu_percent: the process's user+system seconds and a monotonic
 * timestamp in seconds, taken together. The caller keeps it (no hidden state).
 */
typedef struct ps_proc_cpu_sample {
    double cpu_seconds;     /**< user + system seconds of the process */
    double timestamp;       /**< monotonic clock, seconds */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_proc_cpu_sample;
/**
 * Take a CPU sample (no hidden state: the caller keeps it).
 * @param[in] proc the handle.
 * @param[out] out receives the sample (caller-owned storage).
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_EPARSE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_cpu_sample_take(ps_proc *proc, ps_proc_cpu_sample *out);
/**
 * psutil cpu_percent(): 100 * delta cpu_seconds / delta timestamp between two samples of the
 * same process; not divided by the CPU count (can exceed 100). A pure function.
 * @param[in] before the earlier sample.
 * @param[in] after the later sample.
 * @param[out] out receives the percentage; 0.0 when no time passed.
 * @return 0; PS_EINVAL for NULL arguments.
 */
PS_EXTERN int ps_proc_cpu_percent(const ps_proc_cpu_sample *before,
                                  const ps_proc_cpu_sample *after, double *out);
/**
 * CPU the process last ran on (psutil cpu_num(); stat field 39).
 * @param[in] proc the handle.
 * @param[out] out receives the CPU number.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EPARSE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_cpu_num(ps_proc *proc, int32_t *out);

/** A list of CPU numbers (free with ps_proc_cpu_list_free). */
typedef struct ps_proc_cpu_list {
    size_t count;           /**< number of CPUs */
    int32_t *items;         /**< count CPU numbers, sorted */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_proc_cpu_list;
/**
 * CPU affinity (psutil cpu_affinity()).
 * @param[in] proc the handle.
 * @param[out] out receives the sorted CPU numbers, owned by the caller: free them with
 *        ps_proc_cpu_list_free.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_ENOMEM; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_cpu_affinity(ps_proc *proc, ps_proc_cpu_list **out);
/**
 * Set the CPU affinity (sched_setaffinity).
 * @param[in] proc the handle.
 * @param[in] cpus count CPU numbers (the caller's; may be NULL when count is 0).
 * @param[in] count how many; 0 means every eligible CPU (psutil's []).
 * @return 0; PS_EINVAL for NULL arguments or a negative or impossible CPU number; PS_ENOPROC;
 *         PS_EACCES; PS_ENOMEM; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_set_cpu_affinity(ps_proc *proc, const int32_t *cpus, size_t count);
/**
 * Free a CPU list.
 * @param[in] list the list (NULL is a no-op).
 */
PS_EXTERN void ps_proc_cpu_list_free(ps_proc_cpu_list *list);

/**
 * Nice value (psutil nice()): getpriority(PRIO_PROCESS).
 * @param[in] proc the handle.
 * @param[out] out receives the nice value, -20..19.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_nice(ps_proc *proc, int32_t *out);
/**
 * Set the nice value (setpriority).
 * @param[in] proc the handle.
 * @param[in] value the new nice value.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES (raising the priority without privileges);
 *         PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_set_nice(ps_proc *proc, int32_t value);

/**
 * I/O priority classes (psutil IOPRIO_CLASS_*; the Linux values), and Windows' I/O priorities
 * (psutil IOPRIO_VERYLOW .. IOPRIO_HIGH, the values of ProcessIoPriority), which reuse 0-3.
 */
typedef enum ps_ioprio_class {
    PS_IOPRIO_CLASS_NONE = 0,   /**< no class set (the CPU nice value decides) */
    PS_IOPRIO_CLASS_RT = 1,     /**< real time */
    PS_IOPRIO_CLASS_BE = 2,     /**< best effort */
    PS_IOPRIO_CLASS_IDLE = 3,   /**< idle */
    PS_IOPRIO_VERYLOW = 0,      /**< Windows: very low (background) */
    PS_IOPRIO_LOW = 1,          /**< Windows: low */
    PS_IOPRIO_NORMAL = 2,       /**< Windows: normal */
    PS_IOPRIO_HIGH = 3          /**< Windows: high (needs SeIncreaseBasePriorityPrivilege) */
} ps_ioprio_class;
/**
 * I/O priority (psutil ionice()): ioprio_get. Windows: NtQueryInformationProcess
 * (ProcessIoPriority); the class is a PS_IOPRIO_VERYLOW .. PS_IOPRIO_HIGH value, the level 0.
 * @param[in] proc the handle.
 * @param[out] out_class receives the class (a ps_ioprio_class value).
 * @param[out] out_value receives the level 0-7.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_EIO; PS_ENOTSUP (also where the system lacks
 *         ProcessIoPriority, as wine does).
 */
PS_EXTERN int ps_proc_ionice(ps_proc *proc, int32_t *out_class, int32_t *out_value);
/**
 * Set the I/O priority (ioprio_set). Windows: NtSetInformationProcess(ProcessIoPriority), the
 * class one of PS_IOPRIO_VERYLOW .. PS_IOPRIO_HIGH and the level 0 (psutil's TypeError
 * otherwise).
 * @param[in] proc the handle.
 * @param[in] ioclass the class.
 * @param[in] value the level 0-7; must be 0 for NONE and IDLE (and on Windows).
 * @return 0; PS_EINVAL for a class outside the enum, a level outside 0-7 or a level with NONE
 *         or IDLE (psutil's ValueError), or a level on Windows; PS_ENOPROC; PS_EACCES; PS_EIO;
 *         PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_set_ionice(ps_proc *proc, ps_ioprio_class ioclass, int32_t value);

/** Resource limits (psutil RLIMIT_*; fixed values, mapped to the OS's numbers). */
typedef enum ps_rlimit_resource {
    PS_RLIMIT_CPU = 0,          /**< CPU time, seconds */
    PS_RLIMIT_FSIZE = 1,        /**< file size, bytes */
    PS_RLIMIT_DATA = 2,         /**< data segment, bytes */
    PS_RLIMIT_STACK = 3,        /**< stack, bytes */
    PS_RLIMIT_CORE = 4,         /**< core file, bytes */
    PS_RLIMIT_RSS = 5,          /**< resident set, bytes */
    PS_RLIMIT_NPROC = 6,        /**< processes of the user */
    PS_RLIMIT_NOFILE = 7,       /**< open file descriptors */
    PS_RLIMIT_MEMLOCK = 8,      /**< locked memory, bytes */
    PS_RLIMIT_AS = 9,           /**< address space, bytes */
    PS_RLIMIT_LOCKS = 10,       /**< file locks */
    PS_RLIMIT_SIGPENDING = 11,  /**< pending signals */
    PS_RLIMIT_MSGQUEUE = 12,    /**< POSIX message queues, bytes */
    PS_RLIMIT_NICE = 13,        /**< ceiling of the nice value (as 20 - nice) */
    PS_RLIMIT_RTPRIO = 14,      /**< real-time priority */
    PS_RLIMIT_RTTIME = 15       /**< real-time CPU time, microseconds */
} ps_rlimit_resource;
/** No limit (Python's resource.RLIM_INFINITY): psutil's data, not an "unknown". */
#define PS_RLIM_INFINITY -1
/**
 * Get a resource limit (psutil rlimit(resource); prlimit).
 * @param[in] proc the handle.
 * @param[in] resource the resource.
 * @param[out] out_soft receives the soft limit, or PS_RLIM_INFINITY.
 * @param[out] out_hard receives the hard limit, or PS_RLIM_INFINITY.
 * @return 0; PS_EINVAL for NULL arguments or an unknown resource; PS_ENOPROC; PS_EZOMBIE;
 *         PS_EACCES; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_rlimit(ps_proc *proc, ps_rlimit_resource resource, int64_t *out_soft,
                             int64_t *out_hard);
/**
 * Set a resource limit (prlimit).
 * @param[in] proc the handle.
 * @param[in] resource the resource.
 * @param[in] soft the new soft limit (PS_RLIM_INFINITY or >= 0).
 * @param[in] hard the new hard limit (PS_RLIM_INFINITY or >= 0).
 * @return 0; PS_EINVAL for a negative limit, an unknown resource or a pair the OS rejects
 *         (soft above hard); PS_ENOPROC; PS_EACCES; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_set_rlimit(ps_proc *proc, ps_rlimit_resource resource, int64_t soft,
                                 int64_t hard);

/**
 * Memory (psutil memory_info()).
 * @param[in] proc the handle.
 * @param[out] out receives the figures in bytes (caller-owned storage; see ps_proc_mem for
 *        which fields a platform fills).
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_EPARSE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_memory_info(ps_proc *proc, ps_proc_mem *out);
/**
 * Memory with the platform's extra counters (psutil 8 memory_info_ex()). Linux: statm and
 * status, no smaps walk (cheap).
 * @param[in] proc the handle.
 * @param[out] out receives the figures in bytes (caller-owned storage; see ps_proc_mem_ex).
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_EPARSE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_memory_info_ex(ps_proc *proc, ps_proc_mem_ex *out);
/**
 * Unique and proportional memory (psutil 8 memory_footprint()). Walks the address space
 * (Linux smaps_rollup): slower than memory_info, and for another user's process it needs
 * privileges.
 * @param[in] proc the handle.
 * @param[out] out receives uss, pss and swap in bytes (caller-owned storage); 0 for a kernel
 *        thread (no address space).
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EZOMBIE (a zombie); PS_EACCES; PS_EPARSE; PS_EIO;
 *         PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_memory_footprint(ps_proc *proc, ps_proc_footprint *out);
/**
 * memory_info and memory_footprint in one struct (psutil memory_full_info(), which psutil 8
 * deprecates in favour of memory_footprint(); kept under its old name).
 * @param[in] proc the handle.
 * @param[out] out receives the figures in bytes (caller-owned storage).
 * @return as ps_proc_memory_footprint.
 */
PS_EXTERN int ps_proc_memory_full_info(ps_proc *proc, ps_proc_fullmem *out);
/**
 * Process memory as a percentage of total physical memory (psutil memory_percent(memtype)):
 * value / ps_virtual_memory().total * 100, not rounded.
 *
 * The value comes from ps_proc_memory_info for the ps_proc_mem fields, ps_proc_memory_footprint
 * for uss, pss and swap (swap is psutil's footprint swap), else ps_proc_memory_info_ex.
 * @param[in] proc the handle.
 * @param[in] memtype a ps_memtype value (PS_MEMTYPE_RSS is psutil's default).
 * @param[out] out receives the percentage.
 * @return 0; PS_EINVAL for a memtype outside the enum; PS_ENOTSUP when that figure is unknown
 *         on this platform (psutil's ValueError for a memtype it does not list); PS_EIO when
 *         total memory is unknown; or the error of the getter that reads the figure.
 */
PS_EXTERN int ps_proc_memory_percent(ps_proc *proc, int32_t memtype, double *out);

/**
 * One memory mapping (psutil pmmap_grouped / pmmap_ext), sizes in bytes.
 */
typedef struct ps_proc_mmap {
    /** The mapped file; "[anon]" for anonymous mappings; loses a trailing " (deleted)" when no
     *  such file exists (as psutil). */
    char *path;
    char *addr;             /**< "start-end" in hex; NULL in the grouped form */
    char *perms;            /**< "rwxp"-style permissions; NULL in the grouped form */
    uint64_t rss;           /**< smaps Rss */
    uint64_t size;          /**< smaps Size */
    uint64_t pss;           /**< smaps Pss */
    uint64_t shared_clean;  /**< smaps Shared_Clean */
    uint64_t shared_dirty;  /**< smaps Shared_Dirty */
    uint64_t private_clean; /**< smaps Private_Clean */
    uint64_t private_dirty; /**< smaps Private_Dirty */
    uint64_t referenced;    /**< smaps Referenced */
    uint64_t anonymous;     /**< smaps Anonymous */
    uint64_t swap;          /**< smaps Swap */
    uint64_t reserved[4];   /**< room for later fields; zero-filled by the library */
} ps_proc_mmap;
/** A list of memory mappings (free with ps_proc_mmap_list_free). */
typedef struct ps_proc_mmap_list {
    size_t count;           /**< number of mappings */
    ps_proc_mmap *items;    /**< count mappings, in address order (grouped: first appearance) */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_proc_mmap_list;
/**
 * Memory maps (psutil memory_maps(grouped)): `/proc/<pid>/smaps`.
 * @param[in] proc the handle.
 * @param[in] grouped 1 sums the mappings per path, in order of first appearance; 0 lists each
 *        mapping.
 * @param[out] out receives the list, owned by the caller: free it with ps_proc_mmap_list_free.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EZOMBIE for a zombie; PS_EACCES; PS_EPARSE; PS_ENOMEM;
 *         PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_memory_maps(ps_proc *proc, int grouped, ps_proc_mmap_list **out);
/**
 * Free a memory map list.
 * @param[in] list the list (NULL is a no-op).
 */
PS_EXTERN void ps_proc_mmap_list_free(ps_proc_mmap_list *list);

/**
 * Page faults of the process itself (psutil 8 page_faults()).
 * @param[in] proc the handle.
 * @param[out] out receives the counts (caller-owned storage).
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EPARSE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_page_faults(ps_proc *proc, ps_proc_pagefaults *out);
/**
 * Number of threads (psutil num_threads()).
 * @param[in] proc the handle.
 * @param[out] out receives the count.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EPARSE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_num_threads(ps_proc *proc, int64_t *out);

/** One thread (psutil pthread, plus its name: psutil #613). */
typedef struct ps_proc_thread {
    int64_t id;             /**< the thread id */
    double user_time;       /**< user time, seconds */
    double system_time;     /**< system time, seconds */
    char *name;             /**< `/proc/<pid>/task/<tid>/comm`, without the newline (UTF-8);
                                 Windows: GetThreadDescription ("" when unnamed), NULL where the
                                 system has no such call or the thread could not be opened */
    uint64_t reserved[4];   /**< room for later fields; zero-filled by the library */
} ps_proc_thread;
/** A list of threads (free with ps_proc_thread_list_free). */
typedef struct ps_proc_thread_list {
    size_t count;           /**< number of threads */
    ps_proc_thread *items;  /**< count threads, sorted by id */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_proc_thread_list;
/**
 * Threads (psutil threads()), sorted by id; threads that exit during the scan are left out.
 * @param[in] proc the handle.
 * @param[out] out receives the list, owned by the caller: free it with
 *        ps_proc_thread_list_free.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_EPARSE; PS_EMFILE; PS_ENOMEM; PS_EIO;
 *         PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_threads(ps_proc *proc, ps_proc_thread_list **out);
/**
 * Free a thread list.
 * @param[in] list the list (NULL is a no-op).
 */
PS_EXTERN void ps_proc_thread_list_free(ps_proc_thread_list *list);

/**
 * Number of open file descriptors (psutil num_fds()).
 * @param[in] proc the handle.
 * @param[out] out receives the count.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_EMFILE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_num_fds(ps_proc *proc, int64_t *out);
/**
 * Number of open handles (psutil num_handles(), Windows only): GetProcessHandleCount, or the
 * HandleCount of the process table when that is denied (or answers 0, as wine does).
 * @param[in] proc the handle.
 * @param[out] out receives the count.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_ENOTSUP on every other platform.
 */
PS_EXTERN int ps_proc_num_handles(ps_proc *proc, int64_t *out);
/**
 * Context switches (psutil num_ctx_switches()).
 * @param[in] proc the handle.
 * @param[out] out receives the counts (caller-owned storage).
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EPARSE; PS_EIO; PS_ENOTSUP (also on a kernel without
 *         the ctxt_switches lines).
 */
PS_EXTERN int ps_proc_num_ctx_switches(ps_proc *proc, ps_proc_ctxsw *out);
/**
 * I/O counters (psutil io_counters()).
 * @param[in] proc the handle.
 * @param[out] out receives the counters (caller-owned storage).
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_EPARSE; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_io_counters(ps_proc *proc, ps_proc_io *out);

/** One open regular file (psutil popenfile: path and fd everywhere; position, mode and flags
 *  where the OS gives them, as psutil on Linux). */
typedef struct ps_proc_open_file {
    char *path;             /**< the absolute path (UTF-8; on Windows the DOS form "C:\\...") */
    int64_t fd;             /**< the descriptor; -1 on Windows (a handle is not an fd, psutil's -1) */
    int64_t position;       /**< the file offset (Linux fdinfo pos, macOS fi_offset);
                                 PS_UNKNOWN_I64 on Windows */
    char mode[4];           /**< "r", "w", "a", "r+" or "a+" (NUL-terminated); "" on Windows */
    int32_t flags;          /**< the open(2) flags (Linux fdinfo, macOS fi_openflags mapped to
                                 O_* values); PS_UNKNOWN_I32 on Windows */
    uint64_t reserved[4];   /**< room for later fields; zero-filled by the library */
} ps_proc_open_file;
/** A list of open files (free with ps_proc_open_file_list_free). */
typedef struct ps_proc_open_file_list {
    size_t count;               /**< number of files */
    ps_proc_open_file *items;   /**< count files: in fd order on Unix; on Windows in the
                                     system handle table's order, each path once */
    uint64_t reserved[2];       /**< room for later fields; zero-filled by the library */
} ps_proc_open_file_list;
/**
 * Open regular files (psutil open_files()). Linux: fds whose /proc link is an absolute path
 * naming an existing regular file, in fd order. macOS: vnode fds whose vnode is a regular file.
 * Windows: the process's handles of type "File" that name a disk file (psutil's rules: each
 * path once, no hang on named pipes: the name query runs in a worker thread with a timeout);
 * PIDs 0 and 4 give an empty list. Details per platform: docs/windows.md, docs/macos.md.
 * @param[in] proc the handle.
 * @param[out] out receives the list, owned by the caller: free it with
 *        ps_proc_open_file_list_free.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_EMFILE; PS_ENOMEM; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_open_files(ps_proc *proc, ps_proc_open_file_list **out);
/**
 * Free an open-file list.
 * @param[in] list the list (NULL is a no-op).
 */
PS_EXTERN void ps_proc_open_file_list_free(ps_proc_open_file_list *list);

/**
 * The lines of `/proc/<pid>/cgroup` ("hierarchy:controllers:path"), without newlines.
 * @param[in] proc the handle.
 * @param[out] out receives the lines, owned by the caller: free them with
 *        ps_proc_str_list_free.
 * @return 0; PS_EINVAL; PS_ENOPROC; PS_EACCES; PS_ENOMEM; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_cgroup(ps_proc *proc, ps_proc_str_list **out);

/* ================================ signals ================================================ */
/*
 * Signals go through the handle's pidfd (pidfd_send_signal), so they can never reach a process
 * that reused the PID; PS_ENOPROC once the process is gone. Without a pidfd (old kernel) the
 * library checks through the directory fd that the process is still there, then uses kill(2).
 * A zombie accepts signals (they do nothing), as psutil on Linux.
 */
/**
 * Send a signal through the handle (never to a process that reused the PID).
 * @param[in] proc the handle.
 * @param[in] sig a POSIX signal number.
 * @return 0; PS_EINVAL for a NULL handle or an invalid signal; PS_ENOPROC once the process is
 *         gone; PS_EACCES; PS_EIO; PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_send_signal(ps_proc *proc, int32_t sig);
/*
 * Windows (psutil's mapping): suspend/resume are NtSuspendProcess/NtResumeProcess; terminate,
 * kill and send_signal(SIGTERM or SIGKILL) are TerminateProcess with exit code 15;
 * send_signal(0 = CTRL_C_EVENT, 1 = CTRL_BREAK_EVENT) is GenerateConsoleCtrlEvent to the
 * process group the PID leads; any other signal is PS_EINVAL (psutil's ValueError).
 */
/**
 * Suspend the process (SIGSTOP).
 * @param[in] proc the handle.
 * @return as ps_proc_send_signal.
 */
PS_EXTERN int ps_proc_suspend(ps_proc *proc);
/**
 * Resume the process (SIGCONT).
 * @param[in] proc the handle.
 * @return as ps_proc_send_signal.
 */
PS_EXTERN int ps_proc_resume(ps_proc *proc);
/**
 * Ask the process to terminate (SIGTERM).
 * @param[in] proc the handle.
 * @return as ps_proc_send_signal.
 */
PS_EXTERN int ps_proc_terminate(ps_proc *proc);
/**
 * Kill the process (SIGKILL).
 * @param[in] proc the handle.
 * @return as ps_proc_send_signal.
 */
PS_EXTERN int ps_proc_kill(ps_proc *proc);

#ifdef __cplusplus
}
#endif

#endif /* PSINFO_PROC_H */
