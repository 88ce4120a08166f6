/* SPDX-License-Identifier: MIT */
/* Code shared by every Unix back end. */
#ifndef PS_POSIX_H
#define PS_POSIX_H

#include <errno.h>

#include "../backend.h"

/* Map an errno to a PS_E* code (ESRCH → PS_ENOPROC, EACCES/EPERM → PS_EACCES, ...), recording
 * the detail "<what>: strerror". */
int ps__errno_error(int err, const char *what);
int ps__errno_code(int err);

/* Did getpwuid_r/getpwnam_r (returning e, with no entry found) fail, rather than find no such
 * user? POSIX lets "not found" come back as 0, ENOENT, ESRCH, EBADF or EPERM; anything else
 * (EMFILE, ENFILE, EIO, ENOMEM, EINTR, ...) is a failure: there may well be a name, so a
 * caller must not answer with the number (psutil does, as its pwd lookup raises KeyError for
 * both). */
static inline int ps__pw_failed(int e)
{
    return e != 0 && e != ENOENT && e != ESRCH && e != EBADF && e != EPERM;
}

/* Read a whole file (relative to dirfd, or absolute with AT_FDCWD) into b, appending. Returns
 * 0 or a PS_E* code with errno kept in the last-error detail; ENOENT maps to PS_ENOENT. */
int ps__read_file_at(int dirfd, const char *name, ps__buf *b);
/* Read a symlink relative to dirfd into a native string. */
int ps__readlink_at(int dirfd, const char *name, ps__nstr *out);

/* The signal number for a ps__bk_proc_signal op (PS__SIG_SEND: sig itself, checked against
 * NSIG; PS_EINVAL otherwise). */
int ps__posix_signal(int op, int32_t sig, int *out);

/* disk_usage from statvfs(3), as psutil: total = f_blocks, used = f_blocks - f_bfree, free =
 * f_bavail (what an unprivileged user may still write), all times f_frsize. */
int ps__posix_statvfs_usage(const char *path, ps_diskusage *out);
/* The user name of a uid (getpwuid_r), or the uid as a decimal string when the passwd database
 * has no entry (psutil); NUL-terminated. 0 or PS_ENOMEM (recorded). */
int ps__posix_user_name(int64_t uid, ps__nstr *out);
/* get/setpriority(PRIO_PROCESS) of a PID: 0 or the errno (the caller maps it, after checking
 * that the PID still names its process). */
int ps__posix_nice_get(int64_t pid, int32_t *out);
int ps__posix_nice_set(int64_t pid, int32_t value);

/* Provided by each back end that compiles posix/net_addrs.c: the hardware address of a
 * link-layer sockaddr of an entry of that family (Linux: AF_PACKET) into hw[size]; returns its
 * length, or -1 for a sockaddr of another family. */
struct sockaddr;
int ps__posix_link_addr(const struct sockaddr *sa, int family, unsigned char *hw, size_t size);

/* net_if_stats for a back end whose NICs are those of ps__bk_net_io (posix/net_ifstats.c). The
 * back end gives its link query, called with the NIC's ifreq (name set; the back end may point
 * ifr_data elsewhere) to set *duplex and *speed (left unknown and 0 when it has no answer) and
 * returning 1 to leave the NIC out (it vanished), else 0; and its names of the IFF_* bits. */
struct ifreq;
typedef int (*ps__posix_nic_link_fn)(int sock, struct ifreq *ifr, ps_nic_duplex *duplex,
                                     int64_t *speed);
typedef int (*ps__posix_nic_flags_fn)(uint32_t flags, ps__nstr *out);
int ps__posix_net_if_stats(ps__bk_nic_stats **items, size_t *count, ps__posix_nic_link_fn link,
                           ps__posix_nic_flags_fn flag_names);
/* Did an interface ioctl fail because the NIC is gone (ENODEV, ENXIO)? */
int ps__posix_nic_gone(int err);

#endif /* PS_POSIX_H */
