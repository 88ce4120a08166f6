/* SPDX-License-Identifier: MIT */
/* The Linux table reader as the scanner uses it: one process read with descriptors kept
 * between scans. Internal to src/linux. */
#ifndef PS_LINUX_PTABLE_READ_H
#define PS_LINUX_PTABLE_READ_H

#include "linux.h"

/* The files a scanner may keep open per process. EXE and CWD are O_PATH descriptors of the
 * links themselves (readlinkat(fd, "") resolves them again at every read, with the access
 * check, and skips the path walk: ~0.7 us per link). */
enum { PS__KF_STAT, PS__KF_STATUS, PS__KF_STATM, PS__KF_CMDLINE, PS__KF_IO, PS__KF_PIDFD, PS__KF_EXE,
       PS__KF_CWD, PS__KF_COUNT };

/* Descriptors of ONE process (-1: not kept). Each is bound to the process it was opened on:
 * once that process is reaped every read through it fails, even if the PID names a new one. */
typedef struct ps__lx_kept {
    int fd[PS__KF_COUNT];
} ps__lx_kept;

/* One scan's reading context: the user-name and terminal caches, boot time, buffers. */
typedef struct ps__lx_ctx ps__lx_ctx;
ps__lx_ctx *ps__lx_ctx_new(uint64_t fields);
void ps__lx_ctx_free(ps__lx_ctx *c);

/* How many descriptors a process needs to be kept whole for these fields, links aside; and
 * how many more its links (exe, cwd) take when they are kept too. */
int ps__lx_kept_need(uint64_t fields);
int ps__lx_kept_links(uint64_t fields);

/* ps__lx_read_kept's keep: store the files' descriptors, and the links' too. */
enum { PS__LX_KEEP = 1, PS__LX_KEEP_LINKS = 2 };

enum { PS__LX_OK = 0, PS__LX_GONE = 1 };
/*
 * Read one process: stat through k->fd[STAT] (or opened now as <pid>/stat) LAST, every other
 * file through its kept descriptor or opened now as <pid>/<file> under rootfd; links by
 * number. A successful final stat read proves the process held the PID throughout (the
 * anchor rule of the plain scan). With keep (PS__LX_KEEP, | PS__LX_KEEP_LINKS), descriptors
 * opened now are stored in k instead of being closed. *emfile is set when an open failed with EMFILE/ENFILE (the record is then
 * incomplete: the caller frees descriptors and reads again). start_ticks: stat's start time.
 * PS__LX_OK, PS__LX_GONE (r is not to be used), or a negative PS_E* (PS_ENOMEM).
 */
int ps__lx_read_kept(ps__lx_ctx *c, int rootfd, int64_t pid, ps__lx_kept *k, int keep,
                     ps__bk_ptrec *r, uint64_t *start_ticks, int *emfile);

/* Close every kept descriptor of k (set to -1); returns how many were open. */
int ps__lx_kept_close(ps__lx_kept *k);

#endif /* PS_LINUX_PTABLE_READ_H */
