/* SPDX-License-Identifier: MIT */
/* macOS: mounted file systems (getfsstat with MNT_NOWAIT: the cached figures, so a dead network
 * mount cannot block the call), disk usage (statvfs, with APFS's used space from getattrlist)
 * and logged-in users (the utmpx API). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/attr.h>
#include <sys/param.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utmpx.h>

#include "darwin.h"

/* sys/attr.h has it from the macOS 12 SDK on (zig's is 11); a kernel that does not know the
 * bit fails the call, and statvfs's figure stays, as in psutil. */
#ifndef ATTR_VOL_SPACEUSED
#define ATTR_VOL_SPACEUSED 0x00800000
#endif
_Static_assert(ATTR_VOL_SPACEUSED == 0x00800000 && ATTR_VOL_INFO == 0x80000000u, "sys/attr.h values");

/* psutil: statvfs, then "used" from getattrlist(ATTR_VOL_SPACEUSED), since the APFS volumes of
 * a container share its free space and statvfs's f_blocks - f_bfree counts the others' too.
 * free stays f_bavail; the core's percent is used / (used + free). */
int ps__bk_disk_usage(const char *path, ps_diskusage *out)
{
    int rc = ps__posix_statvfs_usage(path, out);
    if (rc) return rc;
    struct attrlist al;
    memset(&al, 0, sizeof al);
    al.bitmapcount = ATTR_BIT_MAP_COUNT;
    al.volattr = ATTR_VOL_INFO | ATTR_VOL_SPACEUSED;
    uint32_t reply[(PS__DARWIN_SPACEUSED_REPLY_SIZE + 3) / 4];   /* 4-byte aligned, as the call packs */
    uint64_t used;
    if (getattrlist(path, &al, reply, sizeof reply, 0) == 0 &&
        ps__darwin_decode_spaceused(reply, sizeof reply, &used) == 0)
        out->used = used;
    return 0;
}

/* psutil's option names, in its order, after "ro"/"rw". */
static const struct { uint32_t flag; const char *name; } mount_opts[] = {
    {MNT_SYNCHRONOUS, "sync"}, {MNT_NOEXEC, "noexec"}, {MNT_NOSUID, "nosuid"},
    {MNT_UNION, "union"}, {MNT_ASYNC, "async"}, {MNT_EXPORTED, "exported"},
    {MNT_LOCAL, "local"}, {MNT_QUOTA, "quota"}, {MNT_ROOTFS, "rootfs"},
    {MNT_DOVOLFS, "dovolfs"}, {MNT_DONTBROWSE, "dontbrowse"},
    {MNT_IGNORE_OWNERSHIP, "ignore-ownership"}, {MNT_AUTOMOUNTED, "automounted"},
    {MNT_JOURNALED, "journaled"}, {MNT_NOUSERXATTR, "nouserxattr"},
    {MNT_DEFWRITE, "defwrite"}, {MNT_UPDATE, "update"}, {MNT_RELOAD, "reload"},
    {MNT_FORCE, "force"}, {MNT_CMDFLAGS, "cmdflags"}, {MNT_QUARANTINE, "quarantine"},
    {MNT_MULTILABEL, "multilabel"}, {MNT_NOATIME, "noatime"},
};

static int copy_field(ps__nstr *out, const char *s, size_t max)
{
    return ps__darwin_nstr_copy(out, s, strnlen(s, max));
}

static int one_partition(const struct statfs *f, ps__bk_partition *p)
{
    ps__buf o;
    ps__buf_init(&o);
    const char *rw = (f->f_flags & MNT_RDONLY) ? "ro" : "rw";
    ps__buf_append(&o, rw, 2);
    for (size_t i = 0; i < sizeof mount_opts / sizeof mount_opts[0]; i++) {
        if (!(f->f_flags & mount_opts[i].flag)) continue;
        ps__buf_putc(&o, ',');
        ps__buf_append(&o, mount_opts[i].name, strlen(mount_opts[i].name));
    }
    /* psutil: a device "none" is reported as "" */
    const char *dev = strcmp(f->f_mntfromname, "none") == 0 ? "" : f->f_mntfromname;
    int rc = copy_field(&p->device, dev, sizeof f->f_mntfromname);
    if (!rc) rc = copy_field(&p->mountpoint, f->f_mntonname, sizeof f->f_mntonname);
    if (!rc) rc = copy_field(&p->fstype, f->f_fstypename, sizeof f->f_fstypename);
    if (!rc) rc = o.failed ? ps__error(PS_ENOMEM, 0, "out of memory") : ps__darwin_nstr_copy(&p->opts, o.data, o.len);
    ps__buf_dispose(&o);
    return rc;
}

int ps__bk_disk_partitions(int all, ps__bk_partition **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    int n = getfsstat(NULL, 0, MNT_NOWAIT);
    if (n < 0) return ps__errno_error(errno, "getfsstat");
    size_t cap = (size_t)n + 8;   /* mounts added meanwhile */
    struct statfs *fs = malloc(cap * sizeof *fs);
    if (!fs) return ps__error(PS_ENOMEM, 0, "out of memory");
    n = getfsstat(fs, (int)(cap * sizeof *fs), MNT_NOWAIT);
    if (n < 0) {
        int err = errno;
        free(fs);
        return ps__errno_error(err, "getfsstat");
    }
    ps__bk_partition *v = calloc((size_t)n + 1, sizeof *v);
    int rc = v ? 0 : ps__error(PS_ENOMEM, 0, "out of memory");
    size_t k = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        /* all = 0: only devices that are absolute paths of existing nodes (psutil) */
        struct stat st;
        if (!all && (fs[i].f_mntfromname[0] != '/' || stat(fs[i].f_mntfromname, &st) != 0)) continue;
        rc = one_partition(&fs[i], &v[k]);
        k++;
    }
    free(fs);
    if (rc) {
        ps__bk_partitions_dispose(v, k);
        return rc;
    }
    *items = v;
    *count = k;
    return 0;
}

/* The utmpx API keeps one cursor per process: the whole walk holds this lock. */
static pthread_mutex_t utx_lock = PTHREAD_MUTEX_INITIALIZER;

static int one_user(const struct utmpx *u, ps__bk_user *x)
{
    size_t hl = strnlen(u->ut_host, sizeof u->ut_host);   /* may lack its NUL (psutil #2877) */
    /* psutil: "", ":0" and ":0.0" are no host */
    if ((hl == 2 && !memcmp(u->ut_host, ":0", 2)) || (hl == 4 && !memcmp(u->ut_host, ":0.0", 4))) hl = 0;
    int rc = copy_field(&x->name, u->ut_user, sizeof u->ut_user);
    if (!rc) rc = copy_field(&x->terminal, u->ut_line, sizeof u->ut_line);
    if (!rc) rc = ps__darwin_nstr_copy(&x->host, u->ut_host, hl);
    x->started = (double)u->ut_tv.tv_sec;
    x->pid = u->ut_pid;
    return rc;
}

int ps__bk_users(const char *utmp_path, ps__bk_user **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    size_t n = 0, cap = 16;
    ps__bk_user *v = calloc(cap, sizeof *v);
    if (!v) return ps__error(PS_ENOMEM, 0, "out of memory");
    int rc = 0;
    /* The core names <run root>/utmp; macOS keeps its records in /var/run/utmpx, the API's
     * default, so only another file (a test fixture) is named explicitly. */
    if (utmp_path && strcmp(utmp_path, "/var/run/utmp") == 0) utmp_path = NULL;
    pthread_mutex_lock(&utx_lock);
    if (utmp_path && utmpxname(utmp_path) == 0) rc = ps__error(PS_EINVAL, 0, "utmpxname %s refused", utmp_path);
    setutxent();
    struct utmpx *u;
    while (rc == 0 && (u = getutxent()) != NULL) {
        /* psutil drops the "~" pseudo-terminal records and zero timestamps */
        if (u->ut_type != USER_PROCESS || !strcmp(u->ut_line, "~") || u->ut_tv.tv_sec == 0) continue;
        if (n == cap) {
            ps__bk_user *nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv) {
                rc = ps__error(PS_ENOMEM, 0, "out of memory");
                break;
            }
            memset(nv + cap, 0, cap * sizeof *v);
            v = nv;
            cap *= 2;
        }
        rc = one_user(u, &v[n++]);
    }
    endutxent();
    if (utmp_path) utmpxname(NULL);   /* back to the default file */
    pthread_mutex_unlock(&utx_lock);
    if (rc) {
        ps__bk_users_dispose(v, n);
        return rc;
    }
    *items = v;
    *count = n;
    return 0;
}
