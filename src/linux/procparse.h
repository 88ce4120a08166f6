/* SPDX-License-Identifier: MIT */
/*
 * Pure, allocation-free parsers for /proc/<pid> files (stat, status, statm, io, smaps_rollup,
 * smaps blocks). Each takes a buffer (not necessarily NUL-terminated) and fills a struct;
 * strings are pointers INTO the buffer (raw native bytes, to be decoded by the core).
 * Shared by the process getters and the process table. No OS calls, no allocation.
 */
#ifndef PS_PROCPARSE_H
#define PS_PROCPARSE_H

#include <stddef.h>
#include <stdint.h>

/* /proc/<pid>/stat. Field numbers are proc(5)'s. */
typedef struct ps__stat {
    const char *comm;       /* raw bytes between the first '(' and the LAST ')' */
    size_t comm_len;
    char state;             /* field 3 */
    int64_t ppid;           /* 4 */
    int64_t pgrp;           /* 5 */
    int64_t session;        /* 6 */
    int64_t tty_nr;         /* 7 */
    int64_t tpgid;          /* 8 */
    uint64_t minflt;        /* 10 */
    uint64_t cminflt;       /* 11 */
    uint64_t majflt;        /* 12 */
    uint64_t cmajflt;       /* 13 */
    uint64_t utime;         /* 14, clock ticks */
    uint64_t stime;         /* 15 */
    int64_t cutime;         /* 16 */
    int64_t cstime;         /* 17 */
    int64_t priority;       /* 18 */
    int64_t nice;           /* 19 */
    int64_t num_threads;    /* 20 */
    uint64_t starttime;     /* 22, clock ticks since boot */
    uint64_t vsize;         /* 23, bytes */
    int64_t rss;            /* 24, pages */
    int64_t processor;      /* 39; -1 when the file is too short */
    uint64_t blkio_ticks;   /* 42 delayacct_blkio_ticks; 0 when the file is too short */
    int nfields;            /* fields found after ')' (field 3 is the first) */
} ps__stat;

/* Parse a stat text. Returns 0, or -1 when there is no "(comm)" or fewer than 20 fields after
 * it (i.e. starttime, field 22, is missing): the file is truncated or not a stat file.
 * Robust to ')', spaces and newlines inside comm (the comm ends at the LAST ')'). */
int ps__parse_stat_buf(const char *buf, size_t len, ps__stat *out);

/* /proc/<pid>/status. `found` tells which keys were seen (PS__ST_* bits). */
enum {
    PS__ST_NAME = 1u << 0,
    PS__ST_UMASK = 1u << 1,
    PS__ST_STATE = 1u << 2,
    PS__ST_TGID = 1u << 3,
    PS__ST_PPID = 1u << 4,
    PS__ST_UID = 1u << 5,
    PS__ST_GID = 1u << 6,
    PS__ST_THREADS = 1u << 7,
    PS__ST_VCTX = 1u << 8,
    PS__ST_NVCTX = 1u << 9,
    PS__ST_CPUS_ALLOWED_LIST = 1u << 10,
    PS__ST_VMSWAP = 1u << 11,
    PS__ST_NSPID = 1u << 12,
    PS__ST_VMPEAK = 1u << 13,
    PS__ST_VMHWM = 1u << 14,
    PS__ST_VMRSS = 1u << 15,
    PS__ST_RSSANON = 1u << 16,
    PS__ST_RSSFILE = 1u << 17,
    PS__ST_RSSSHMEM = 1u << 18,
    PS__ST_HUGETLB = 1u << 19
};

typedef struct ps__status {
    uint32_t found;
    const char *name;       /* the Name: value as the kernel wrote it (escapes \\ and \n kept) */
    size_t name_len;
    uint32_t umask;
    char state;
    int64_t tgid;
    int64_t ppid;
    int64_t uid[4];         /* real, effective, saved, filesystem */
    int64_t gid[4];
    int64_t threads;
    uint64_t vol_ctxt;
    uint64_t nonvol_ctxt;
    const char *cpus_allowed_list;  /* e.g. "0-3,8" */
    size_t cpus_allowed_list_len;
    uint64_t vmswap_kb;
    /* memory_info_ex's lines, in kB as the kernel writes them */
    uint64_t vmpeak_kb, vmhwm_kb, vmrss_kb, rssanon_kb, rssfile_kb, rssshmem_kb, hugetlb_kb;
} ps__status;

/* Parse a status text; never fails (keys not seen are absent from `found`). */
void ps__parse_status_buf(const char *buf, size_t len, ps__status *out);

/* /proc/<pid>/statm: seven page counts. Returns 0 or -1 if fewer than 7 numbers. */
typedef struct ps__statm {
    uint64_t size, resident, shared, text, lib, data, dirty;
} ps__statm;
int ps__parse_statm_buf(const char *buf, size_t len, ps__statm *out);

/* /proc/<pid>/io. `found` bits: PS__IO_*. */
enum {
    PS__IO_RCHAR = 1u << 0,
    PS__IO_WCHAR = 1u << 1,
    PS__IO_SYSCR = 1u << 2,
    PS__IO_SYSCW = 1u << 3,
    PS__IO_READ_BYTES = 1u << 4,
    PS__IO_WRITE_BYTES = 1u << 5,
    PS__IO_CANCELLED = 1u << 6,
    PS__IO_ALL6 = 0x3f
};
typedef struct ps__io {
    uint32_t found;
    uint64_t rchar, wchar, syscr, syscw, read_bytes, write_bytes, cancelled_write_bytes;
} ps__io;
void ps__parse_io_buf(const char *buf, size_t len, ps__io *out);

/*
 * The "Key: N kB" lines of /proc/<pid>/smaps_rollup, or of one block of /proc/<pid>/smaps,
 * in bytes. private_total is psutil's uss: the sum of every "Private_*" line (Private_Clean,
 * Private_Dirty, Private_Hugetlb).
 */
typedef struct ps__smaps_sums {
    uint32_t nkeys;         /* number of "Key: N kB" lines seen */
    uint64_t rss, size, pss, shared_clean, shared_dirty, private_clean, private_dirty;
    uint64_t referenced, anonymous, swap, private_total;
} ps__smaps_sums;
/* Parse smaps_rollup (its header line is skipped); adds into *out, so zero it first. */
void ps__parse_smaps_rollup_buf(const char *buf, size_t len, ps__smaps_sums *out);

/*
 * Iterate the blocks of an smaps text. Start with *pos = 0; each call fills the header fields
 * (pointers into buf) and the block's sums, and returns 1, or 0 at the end.
 * Header: "addr perms offset dev inode [path]"; path runs to end of line (may be empty).
 */
typedef struct ps__smaps_block {
    const char *addr; size_t addr_len;
    const char *perms; size_t perms_len;
    const char *path; size_t path_len;
    ps__smaps_sums sums;
} ps__smaps_block;
int ps__smaps_next(const char *buf, size_t len, size_t *pos, ps__smaps_block *out);

/* Parse an unsigned / signed decimal at *p (< end), advancing *p. Returns 0 if no digit. */
int ps__procparse_u64(const char **p, const char *end, uint64_t *out);
int ps__procparse_i64(const char **p, const char *end, int64_t *out);

/* Map a state letter to ps_process_status (psutil's table). */
int ps__status_from_letter(char c);

#endif /* PS_PROCPARSE_H */
