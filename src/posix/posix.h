/* SPDX-License-Identifier: MIT */
/* Code shared by every Unix back end. */
#ifndef PS_POSIX_H
#define PS_POSIX_H

#include "../backend.h"

/* Map an errno to a PS_E* code (ESRCH → PS_ENOPROC, EACCES/EPERM → PS_EACCES, ...), recording
 * the detail "<what>: strerror". */
int ps__errno_error(int err, const char *what);
int ps__errno_code(int err);

/* Read a whole file (relative to dirfd, or absolute with AT_FDCWD) into b, appending. Returns
 * 0 or a PS_E* code with errno kept in the last-error detail; ENOENT maps to PS_ENOENT. */
int ps__read_file_at(int dirfd, const char *name, ps__buf *b);
/* Read a symlink relative to dirfd into a native string. */
int ps__readlink_at(int dirfd, const char *name, ps__nstr *out);

/* The signal number for a ps__bk_proc_signal op (PS__SIG_SEND: sig itself, checked against
 * NSIG; PS_EINVAL otherwise). */
int ps__posix_signal(int op, int32_t sig, int *out);

#endif /* PS_POSIX_H */
