/* SPDX-License-Identifier: MIT */
/**
 * @file psinfo/ptable.h
 * @brief Process enumeration: the PID list, pid_exists, and the process table (many fields of
 * every process in one call, one allocation, one free).
 *
 * See docs/ptable.md for the semantics, the differences from psutil and the speed figures.
 */
#ifndef PSINFO_PTABLE_H
#define PSINFO_PTABLE_H

#include "common.h"
#include "proc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================ PIDs ==================================================== */

/** A sorted list of PIDs (one allocation: free with ps_pid_list_free). */
typedef struct ps_pid_list {
    size_t count;           /**< number of PIDs */
    int64_t *items;         /**< count PIDs in increasing order (inside the list's allocation) */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_pid_list;

/**
 * Every PID currently alive (psutil pids()): on Linux the numeric entries of /proc (under the
 * PS_ROOT_PROC root), sorted. Thread ids are not listed (as /proc's readdir). Zombies are listed.
 * @param[out] out receives the list, owned by the caller: free it with ps_pid_list_free.
 * @return 0; PS_EINVAL for a NULL out; PS_ENOMEM; PS_EMFILE, PS_EACCES or PS_EIO when the
 *         /proc root cannot be listed; PS_ENOTSUP where the platform has no process list.
 */
PS_EXTERN int ps_pids(ps_pid_list **out);
/**
 * Free a PID list.
 * @param[in] list the list (NULL is a no-op).
 */
PS_EXTERN void ps_pid_list_free(ps_pid_list *list);

/**
 * Does a process with this PID exist (psutil pid_exists())?
 *
 * Linux: kill(pid, 0) (EPERM means it exists), then `/proc/<pid>/status` must say Tgid == pid, so
 * a thread id is NOT a process (psutil #687). Zombies exist.
 * @param[in] pid the PID; 0 gives *out = 0 on Linux (psutil: "0 in pids()"; the swapper is not
 *        listed), a PID beyond the OS's range gives 0.
 * @param[out] out receives 1 or 0.
 * @return 0; PS_EINVAL for pid < 0 or a NULL out (psutil returns False for a negative PID; a
 *         negative PID is a caller bug in C); PS_EIO for an unexpected OS failure; PS_ENOTSUP
 *         where the platform has no process list.
 */
PS_EXTERN int ps_pid_exists(int64_t pid, int *out);

/* ================================ the process table ======================================= */

/**
 * The fields of a process table, one bit each in a mask: PS_PT_BIT(f).
 *
 * Requesting a field makes the library read only the files that field needs (Linux):
 *  - `/proc/<pid>/stat`: ppid, name, status, create_time, cpu_times, cpu_num, nice, terminal,
 *    num_threads, page_faults;
 *  - `/proc/<pid>/status`: uids, gids, username, num_ctx_switches (num_threads when stat is not
 *    read);
 *  - `/proc/<pid>/statm`: memory_info;
 *  - `/proc/<pid>/cmdline`: cmdline (and name, for a comm of 15+ bytes: psutil's long-name rule);
 *  - readlink exe / cwd: exe, cwd;
 *  - `/proc/<pid>/io`: io_counters;
 *  - `/proc/<pid>/fd`: num_fds (a directory listing).
 *
 * Windows reads every field but exe, cmdline, cwd, username and nice (num_handles included) from
 * one NtQuerySystemInformation(SystemProcessInformation) snapshot, without opening the process.
 * A field a platform does not have is never present and error[f] is PS_ENOTSUP in every record:
 * num_handles everywhere but Windows; uids, gids, terminal, cpu_num and num_fds on Windows;
 * cpu_num and io_counters on macOS.
 *
 * PS_PT_PID is always present.
 */
typedef enum ps_ptable_field {
    PS_PT_PID = 0,              /**< pid */
    PS_PT_PPID = 1,             /**< ppid */
    PS_PT_NAME = 2,             /**< name (psutil name(), long-name rule included) */
    PS_PT_EXE = 3,              /**< exe ("" for kernel threads) */
    PS_PT_CMDLINE = 4,          /**< cmdline_count, cmdline */
    PS_PT_CWD = 5,              /**< cwd */
    PS_PT_USERNAME = 6,         /**< username (of the real uid) */
    PS_PT_UIDS = 7,             /**< uids */
    PS_PT_GIDS = 8,             /**< gids */
    PS_PT_TERMINAL = 9,         /**< terminal (NULL: none, psutil None) */
    PS_PT_STATUS = 10,          /**< status */
    PS_PT_CREATE_TIME = 11,     /**< create_time */
    PS_PT_CPU_TIMES = 12,       /**< cpu_times */
    PS_PT_CPU_NUM = 13,         /**< cpu_num */
    PS_PT_NICE = 14,            /**< nice */
    PS_PT_MEMORY_INFO = 15,     /**< memory_info */
    PS_PT_NUM_THREADS = 16,     /**< num_threads */
    PS_PT_NUM_CTX_SWITCHES = 17,/**< num_ctx_switches */
    PS_PT_IO_COUNTERS = 18,     /**< io_counters */
    PS_PT_NUM_FDS = 19,         /**< num_fds */
    PS_PT_PAGE_FAULTS = 20,     /**< page_faults */
    PS_PT_NUM_HANDLES = 21,     /**< num_handles (Windows only; PS_ENOTSUP elsewhere) */
    PS_PT_FIELD_COUNT = 22      /**< number of fields (not a field) */
} ps_ptable_field;

/** The bit of field f in a mask (f is a ps_ptable_field). */
#define PS_PT_BIT(f) ((uint64_t)1 << (f))
/** Every field: the low PS_PT_FIELD_COUNT bits, as a literal so that every binding generator
 *  carries it (src/ptable.c asserts it matches the enum). */
#define PS_PT_ALL 0x3FFFFF
/** Room reserved in each record for per-field error codes (>= PS_PT_FIELD_COUNT). */
#define PS_PT_MAX_FIELDS 32

/**
 * psutil's name for a field.
 * @param[in] field a ps_ptable_field value.
 * @return "pid", "ppid", "memory_info", ...; "?" for a value outside the enum. A static string,
 *         never NULL.
 */
PS_EXTERN const char *ps_ptable_field_name(int32_t field);

/**
 * One process of a table.
 *
 * `present` tells which fields hold data (bit PS_PT_BIT(f)); a field that was requested but
 * could not be read is absent and error[f] holds why:
 *  - PS_EACCES: the OS refused (another user's exe, cwd, io, fd, as psutil's AccessDenied);
 *  - PS_EZOMBIE: the process is a zombie and the OS has no such data (exe, cwd, cmdline);
 *  - PS_ENOPROC: the process vanished while being read (only with a partial record: see
 *    PS_PT_KEEP_PARTIAL);
 *  - PS_ENOTSUP: the platform does not have this field;
 *  - other: an unexpected read or parse failure.
 *
 * error[f] is 0 for present fields and for fields that were not requested. Fields that are
 * absent hold zeros / NULL: check `present` (docs/abi.md). Within a present struct, a figure
 * the platform lacks holds its type's PS_UNKNOWN_* value. Strings are UTF-8 from the library's
 * one decoder, owned by the table (valid until ps_ptable_free).
 */
typedef struct ps_ptable_record {
    int64_t pid;                        /**< the PID (always present) */
    uint64_t present;                   /**< PS_PT_BIT(f) set: field f holds data */
    int8_t error[PS_PT_MAX_FIELDS];     /**< PS_E* code of a requested field that is absent */
    int64_t ppid;                       /**< parent PID (PS_PT_PPID) */
    const char *name;                   /**< process name (PS_PT_NAME) */
    const char *exe;                    /**< executable path (PS_PT_EXE) */
    const char *cwd;                    /**< working directory (PS_PT_CWD) */
    const char *username;               /**< user name of the real uid (PS_PT_USERNAME) */
    /** Controlling terminal (PS_PT_TERMINAL); NULL when present but the process has none. */
    const char *terminal;
    size_t cmdline_count;               /**< number of cmdline strings (PS_PT_CMDLINE) */
    const char *const *cmdline;         /**< cmdline_count strings (PS_PT_CMDLINE) */
    ps_proc_ids uids;                   /**< real, effective, saved uids (PS_PT_UIDS) */
    ps_proc_ids gids;                   /**< real, effective, saved gids (PS_PT_GIDS) */
    int32_t status;                     /**< a ps_process_status value (PS_PT_STATUS) */
    int32_t cpu_num;                    /**< CPU it last ran on (PS_PT_CPU_NUM) */
    int32_t nice;                       /**< nice value (PS_PT_NICE) */
    int32_t pad_0;                      /**< keeps the next field 8-byte aligned; zero */
    double create_time;                 /**< seconds since the epoch, as psutil (PS_PT_CREATE_TIME) */
    ps_proc_cputimes cpu_times;         /**< CPU times in seconds (PS_PT_CPU_TIMES) */
    ps_proc_mem memory_info;            /**< memory in bytes (PS_PT_MEMORY_INFO) */
    int64_t num_threads;                /**< number of threads (PS_PT_NUM_THREADS) */
    ps_proc_ctxsw num_ctx_switches;     /**< context switches (PS_PT_NUM_CTX_SWITCHES) */
    ps_proc_io io_counters;             /**< I/O counters (PS_PT_IO_COUNTERS) */
    int64_t num_fds;                    /**< open file descriptors (PS_PT_NUM_FDS) */
    ps_proc_pagefaults page_faults;     /**< page faults (PS_PT_PAGE_FAULTS) */
    /** Open handles (PS_PT_NUM_HANDLES; psutil num_handles()): the snapshot's HandleCount, the
     *  count ps_proc_num_handles reads with GetProcessHandleCount. Windows only: elsewhere
     *  absent with PS_ENOTSUP. Taken from the reserved tail (16 slots before), so the record's
     *  size and the offsets of every other field are unchanged. */
    int64_t num_handles;
    uint64_t reserved[15];              /**< room for later fields; zero-filled by the library */
} ps_ptable_record;

/** A process table: one allocation holding the records and every string; ps_ptable_free. */
typedef struct ps_ptable {
    size_t count;                       /**< number of records */
    uint64_t fields;                    /**< the mask the table was made with (PID always set) */
    ps_ptable_record *records;          /**< count records, sorted by PID */
    uint64_t reserved[2];               /**< room for later fields; zero-filled by the library */
} ps_ptable;

/** Flags of ps_ptable_scan (a uint32_t mask). */
typedef enum ps_ptable_flag {
    /** Keep a process that vanished after its first file was read, with what was read before
     *  (the fields not read are absent with PS_ENOPROC). Default: such processes are left out. */
    PS_PT_KEEP_PARTIAL = 1
} ps_ptable_flag;

/**
 * Scan every process (psutil process_iter(attrs)) and read the requested fields.
 *
 * A record never mixes two processes, even when a PID is reused during the scan: on Linux
 * each process is read through its own `/proc/<pid>` directory fd, or (when stat is read
 * anyway) its stat file is opened before and read after every other file, which proves the
 * process held its PID throughout (docs/ptable.md). A process that exits during the scan is
 * left out (or kept partially with PS_PT_KEEP_PARTIAL). Access denied and zombie data mark
 * single fields (see ps_ptable_record); they never fail the scan. User names come from
 * getpwuid_r with a cache that lives for one scan only. Thread-safe: concurrent scans share
 * nothing.
 *
 * @param[in] fields a mask of PS_PT_BIT(f); PS_PT_PID is implied.
 * @param[in] flags 0 or PS_PT_KEEP_PARTIAL.
 * @param[out] out receives the table, owned by the caller: free it with ps_ptable_free.
 * @return 0; PS_EINVAL for a NULL out or unknown bits in fields; PS_ENOMEM; PS_EMFILE; the
 *         error opening the /proc root (PS_ENOENT, PS_EACCES, PS_EIO); PS_ENOTSUP where the
 *         platform has no process table. Never the error of one process.
 */
PS_EXTERN int ps_ptable_scan(uint64_t fields, uint32_t flags, ps_ptable **out);

/**
 * One process, many fields, one call (psutil as_dict() under oneshot()): the table reader on
 * an open handle.
 *
 * The result is a table of one record. Unlike the scan, a process that is gone is an error
 * (the handle pins the process; a reused PID is never read). Other per-field failures mark
 * the field as in a scan.
 * @param[in] proc an open handle (still the caller's).
 * @param[in] fields as ps_ptable_scan.
 * @param[out] out receives the table, owned by the caller: free it with ps_ptable_free.
 * @return 0; PS_EINVAL for NULL arguments or unknown bits in fields; PS_ENOPROC once the
 *         process is gone; PS_ENOMEM; PS_EMFILE; PS_ENOTSUP where the platform has no process
 *         table.
 */
PS_EXTERN int ps_proc_snapshot(ps_proc *proc, uint64_t fields, ps_ptable **out);

/**
 * Free a table (its records and strings).
 * @param[in] table the table (NULL is a no-op).
 */
PS_EXTERN void ps_ptable_free(ps_ptable *table);

#ifdef __cplusplus
}
#endif

#endif /* PSINFO_PTABLE_H */
