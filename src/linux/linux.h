/* Linux back end internals. */
#ifndef PS_LINUX_H
#define PS_LINUX_H

#include <sys/types.h>

#include "../posix/posix.h"
#include "../wait_internal.h"

/*
 * The Linux process handle. dirfd is an open /proc/<pid> directory: every read goes through
 * it, and the kernel makes it fail (ENOENT/ESRCH) once this process is reaped, even if the
 * number names a new process. pidfd (or -1 where pidfd_open is unavailable) carries signals
 * and waits to exactly this process. start_ticks is field 22 of /proc/<pid>/stat.
 */
struct ps_proc {
    int64_t pid;
    int dirfd;
    int pidfd;
    uint64_t start_ticks;
    ps__wait_cache wait;   /* the remembered wait result (src/linux/wait.c); zeroed at open */
};

/* pidfd_open(2) / pidfd_send_signal(2) through the raw syscall where libc lacks wrappers.
 * Return -1 and set errno on failure. */
int ps__pidfd_open(pid_t pid, unsigned int flags);
int ps__pidfd_send_signal(int pidfd, int sig);

/* Open the /proc/<pid> directory under the configured root. */
int ps__proc_dir_open(int64_t pid, int *dirfd);

/* Parse the fields after "(comm)" of a /proc/<pid>/stat text: fields[0] is field 3 (state).
 * Returns the number of fields found (up to max) or -1 if the text has no closing ')'.
 * *comm / *comm_len (optional) receive the raw comm bytes. */
int ps__parse_stat(const char *text, size_t len, const char **comm, size_t *comm_len,
                   const char **fields, size_t *field_lens, int max);

/* Read /proc/<pid>/stat through dirfd and return the start time (field 22). A process that is
 * gone yields PS_ENOPROC. */
int ps__proc_start_ticks(int dirfd, uint64_t *ticks);

/* getdents64's record (the kernel ABI; glibc's struct dirent has the same layout, musl's too,
 * but neither promises it under every feature macro). Directory readers that need no DIR (no
 * libc state, no per-directory allocation) read into a DENTS_BUF-byte buffer of these. */
struct ps__dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};
#define DENTS_BUF 32768

/* The boot time as the kernel's btime line of <proc root>/stat states it (whole seconds since
 * the epoch), for create_time. Under the real /proc it comes from the clocks (~50 ns instead
 * of generating /proc/stat, ~20 us); a configured root is read as a file. */
int ps__boot_time(double *out);

#endif /* PS_LINUX_H */
