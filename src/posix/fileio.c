/* SPDX-License-Identifier: MIT */
/* File reading helpers for every Unix back end. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "posix.h"

int ps__errno_code(int err)
{
    switch (err) {
    case ESRCH: return PS_ENOPROC;
    case EACCES:
    case EPERM: return PS_EACCES;
    case ENOMEM: return PS_ENOMEM;
    case EMFILE:
    case ENFILE: return PS_EMFILE;
    case ENOENT:
    case ENOTDIR: return PS_ENOENT;
    case ENOSYS:
    case EOPNOTSUPP: return PS_ENOTSUP;
    case EINVAL: return PS_EINVAL;
    case ETIMEDOUT: return PS_ETIMEDOUT;
    default: return PS_EIO;
    }
}

int ps__errno_error(int err, const char *what)
{
    char msg[128];
    /* strerror_r's GNU and XSI variants differ; strerror is not thread-safe on every libc,
     * so name the errno numerically next to the call. */
    snprintf(msg, sizeof msg, "errno %d", err);
    return ps__error(ps__errno_code(err), err, "%s: %s", what, msg);
}

int ps__read_file_at(int dirfd, const char *name, ps__buf *b)
{
    int fd;
    do fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) return ps__errno_error(errno, name);
    for (;;) {
        if (!ps__buf_reserve(b, 4096)) {
            close(fd);
            return ps__error(PS_ENOMEM, 0, "reading %s: out of memory", name);
        }
        ssize_t r = read(fd, b->data + b->len, b->cap - b->len - 1);
        if (r < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            close(fd);
            return ps__errno_error(err, name);
        }
        if (r == 0) break;
        b->len += (size_t)r;
    }
    close(fd);
    b->data[b->len] = '\0';
    return 0;
}

int ps__readlink_at(int dirfd, const char *name, ps__nstr *out)
{
    size_t cap = 256;
    out->data = NULL;
    out->len = 0;
    for (;;) {
        char *p = malloc(cap);
        if (!p) return ps__error(PS_ENOMEM, 0, "readlink %s: out of memory", name);
        ssize_t r = readlinkat(dirfd, name, p, cap);
        if (r < 0) {
            int err = errno;
            free(p);
            return ps__errno_error(err, name);
        }
        if ((size_t)r < cap) {
            out->data = p;
            out->len = (size_t)r;
            return 0;
        }
        free(p);
        if (cap > (1u << 20)) return ps__error(PS_ERANGE, 0, "readlink %s: link too long", name);
        cap *= 4;
    }
}
