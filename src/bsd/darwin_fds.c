/* SPDX-License-Identifier: MIT */
/* macOS: a process's file descriptors through libproc (PROC_PIDLISTFDS, then
 * PROC_PIDFDVNODEPATHINFO per vnode): num_fds and open_files. */
#include <errno.h>
#include <libproc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/proc_info.h>
#include <sys/stat.h>

#include "darwin.h"

int ps__darwin_list_fds(const ps_proc *p, struct proc_fdinfo **fds, size_t *count)
{
    *fds = NULL;
    *count = 0;
    const int entry = (int)PROC_PIDLISTFD_SIZE, cap_max = 24 * 1024 * 1024;
    errno = 0;
    int need = proc_pidinfo((int)p->pid, PROC_PIDLISTFDS, 0, NULL, 0);
    if (need <= 0) return ps__darwin_fail(p->pid, errno, "proc_pidinfo(PROC_PIDLISTFDS)");
    struct proc_fdinfo *v = NULL;
    int cap = 0, got;
    for (;;) {
        /* Grow in 32-entry steps; a result within one entry of the buffer may be cut. */
        while (need > cap - entry) cap += entry * 32;
        if (cap > cap_max) {
            free(v);
            return ps__error(PS_ENOMEM, 0, "PROC_PIDLISTFDS: more than 24 MiB of descriptors");
        }
        free(v);
        v = malloc((size_t)cap);
        if (!v) return ps__error(PS_ENOMEM, 0, "out of memory");
        errno = 0;
        got = proc_pidinfo((int)p->pid, PROC_PIDLISTFDS, 0, v, cap);
        if (got <= 0) {
            int err = errno;
            free(v);
            return ps__darwin_fail(p->pid, err, "proc_pidinfo(PROC_PIDLISTFDS)");
        }
        if (got + entry < cap) break;
        need = got + entry;
    }
    int rc = ps__bsd_pinned(p);
    if (rc) {
        free(v);
        return rc;
    }
    *fds = v;
    *count = (size_t)got / (size_t)entry;
    return 0;
}

int ps__bk_proc_num_fds(ps_proc *p, int64_t *out)
{
    struct proc_fdinfo *fds;
    size_t n;
    int rc = ps__darwin_list_fds(p, &fds, &n);
    if (rc) return rc;
    free(fds);
    *out = (int64_t)n;
    return 0;
}

/* One vnode fd: 1 and *f filled for a regular file, 0 to skip it (not regular, or closed since
 * the listing), or an error. */
static int vnode_file(const ps_proc *p, int32_t fd, ps__bk_open_file *f)
{
    struct vnode_fdinfowithpath vi;
    errno = 0;
    int r = proc_pidfdinfo((int)p->pid, fd, PROC_PIDFDVNODEPATHINFO, &vi, (int)sizeof vi);
    int err = errno;
    if (r <= 0) {
        if (err == ENOENT || err == EBADF) return 0;
        return ps__darwin_fail(p->pid, err, "proc_pidfdinfo(PROC_PIDFDVNODEPATHINFO)");
    }
    if (r < (int)sizeof vi) return ps__darwin_fail(p->pid, 0, "proc_pidfdinfo (short read)");
    /* The kernel's own stat of the vnode: no second lookup of a path that may have changed. */
    if ((vi.pvip.vip_vi.vi_stat.vst_mode & S_IFMT) != S_IFREG) return 0;
    const char *path = vi.pvip.vip_path;
    int rc = ps__darwin_nstr_copy(&f->path, path, strnlen(path, sizeof vi.pvip.vip_path));
    if (rc) return rc;
    f->fd = fd;
    f->position = (int64_t)vi.pfi.fi_offset;
    ps__darwin_open_mode(vi.pfi.fi_openflags, &f->flags, f->mode);
    return 1;
}

int ps__bk_proc_open_files(ps_proc *p, ps__bk_open_file **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    struct proc_fdinfo *fds;
    size_t n;
    int rc = ps__darwin_list_fds(p, &fds, &n);
    if (rc) return rc;
    ps__bk_open_file *v = calloc(n ? n : 1, sizeof *v);
    if (!v) {
        free(fds);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (fds[i].proc_fdtype != PROX_FDTYPE_VNODE) continue;
        int r = vnode_file(p, fds[i].proc_fd, &v[k]);
        if (r > 0) k++;
        else rc = r;
    }
    free(fds);
    if (rc == 0) rc = ps__bsd_pinned(p);
    if (rc == 0) {
        *items = v;
        *count = k;
    } else {
        ps__bk_open_file_free(v, k);
    }
    return rc;
}
