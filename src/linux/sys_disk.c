/* SPDX-License-Identifier: MIT */
/* Linux disk readers: <proc>/self/mountinfo, <proc>/filesystems, <proc>/diskstats (disk_usage:
 * src/posix/disk_usage.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "sys_common.h"
#include "../list.h"

/* Undo the kernel's mangling of " \t\n\\" (the four escapes glibc's getmntent undoes too),
 * into a new native string. */
static int unescape(const char *s, size_t n, ps__nstr *out)
{
    out->data = ps__sys_mount_unescape(s, n, &out->len);
    return out->data ? 0 : ps__error(PS_ENOMEM, 0, "mountinfo: out of memory");
}

/* Filesystem types psutil accepts for all=0: <proc>/filesystems lines without "nodev", + zfs. */
typedef struct fstypes {
    ps__buf text;       /* used only when the file is longer than stack */
    char stack[2048];   /* /proc/filesystems is ~400 bytes */
    const char *name[128];
    size_t len[128];
    int n;
} fstypes;

static int load_fstypes(fstypes *ft)
{
    ps__buf_init(&ft->text);
    ft->n = 0;
    const char *text;
    size_t tlen;
    int rc = ps__sys_read_into(PS_ROOT_PROC, "/filesystems", ft->stack, sizeof ft->stack, &ft->text, &text, &tlen);
    if (rc) return rc;
    ps__sys_lines it;
    const char *line;
    size_t len;
    ps__sys_lines_init(&it, text, tlen);
    while (ps__sys_lines_next(&it, &line, &len) && ft->n < 128) {
        ps__sys_trim(&line, &len);
        if (len >= 5 && !memcmp(line, "nodev", 5)) {
            const char *tab = memchr(line, '\t', len);
            if (tab && (size_t)(line + len - tab - 1) == 3 && !memcmp(tab + 1, "zfs", 3)) {
                ft->name[ft->n] = tab + 1;
                ft->len[ft->n++] = 3;
            }
            continue;
        }
        if (len == 0) continue;
        ft->name[ft->n] = line;
        ft->len[ft->n++] = len;
    }
    return 0;
}

static bool fstype_ok(const fstypes *ft, const ps__nstr *t)
{
    for (int i = 0; i < ft->n; i++)
        if (ft->len[i] == t->len && !memcmp(ft->name[i], t->data, t->len)) return true;
    return false;
}

static bool is_sb_opt(const char *s, size_t n)
{
    return (n == 4 && !memcmp(s, "sync", 4)) || (n == 7 && !memcmp(s, "dirsync", 7)) ||
           (n == 4 && !memcmp(s, "mand", 4)) || (n == 8 && !memcmp(s, "lazytime", 8));
}

/* Rebuild the option string /proc/mounts (and so psutil) shows from mountinfo's per-mount
 * options (field 6) and super options: ro|rw (ro if either is ro), the superblock flags
 * (sync, dirsync, mand, lazytime), the per-mount flags, then the filesystem's own options. */
static int build_opts(const char *mo, size_t mol, const char *so, size_t sol, ps__buf *out)
{
    const char *mc = memchr(mo, ',', mol);
    size_t m0 = mc ? (size_t)(mc - mo) : mol;
    const char *sc = memchr(so, ',', sol);
    size_t s0 = sc ? (size_t)(sc - so) : sol;
    bool ro = (m0 == 2 && !memcmp(mo, "ro", 2)) || (s0 == 2 && !memcmp(so, "ro", 2));
    ps__buf_append(out, ro ? "ro" : "rw", 2);
    /* superblock flags: a leading run of the known names after ro/rw */
    size_t i = sc ? s0 + 1 : sol;
    while (i < sol) {
        const char *c = memchr(so + i, ',', sol - i);
        size_t l = c ? (size_t)(c - (so + i)) : sol - i;
        if (!is_sb_opt(so + i, l)) break;
        ps__buf_putc(out, ',');
        ps__buf_append(out, so + i, l);
        i += l + 1;
    }
    if (mc) {
        ps__buf_putc(out, ',');
        ps__buf_append(out, mc + 1, mol - m0 - 1);
    }
    if (i < sol) {
        ps__buf_putc(out, ',');
        ps__buf_append(out, so + i, sol - i);
    }
    return out->failed ? PS_ENOMEM : 0;
}

/* "/dev/" + name into a new native string when <dev root>/name exists (psutil checks that
 * the path it made up exists). */
static bool dev_path_if_exists(const char *name, size_t n, ps__nstr *dev)
{
    if (n == 0 || n > 255 || memchr(name, '/', n)) return false;
    char rel[300];
    rel[0] = '/';
    memcpy(rel + 1, name, n);
    rel[n + 1] = '\0';
    char *full = ps__sys_path(PS_ROOT_DEV, rel);
    bool ok = full && ps__sys_path_exists(full);
    free(full);
    if (!ok) return false;
    char *p = malloc(n + 6);
    if (!p) return false;
    memcpy(p, "/dev/", 5);
    memcpy(p + 5, name, n);
    dev->data = p;
    dev->len = n + 5;
    return true;
}

/* psutil's RootFsDeviceFinder for the device number ma:mi: the name by <proc>/partitions,
 * else <sys>/dev/block/M:m/uevent DEVNAME, else the <sys>/class/block/<name>/dev holding
 * "M:m"; the first name found is the answer if /dev/<name> exists. */
static bool find_root_device(unsigned ma, unsigned mi, ps__nstr *dev)
{
    ps__buf b;
    ps__buf_init(&b);
    const char *name = NULL;
    size_t nl = 0;
    char found_name[256];
    if (ps__sys_read(PS_ROOT_PROC, "/partitions", &b) == 0) {
        ps__sys_lines it;
        const char *line;
        size_t len;
        int ln = 0;
        ps__sys_lines_init(&it, b.data, b.len);
        while (!name && ps__sys_lines_next(&it, &line, &len)) {
            if (ln++ < 2) continue;
            const char *f[4];
            size_t fl[4];
            uint64_t a, c;
            if (ps__sys_split_ws(line, len, f, fl, 4) < 4) continue;
            if (ps__sys_parse_u64(f[0], fl[0], &a) && ps__sys_parse_u64(f[1], fl[1], &c) && a == ma && c == mi &&
                fl[3] && fl[3] < sizeof found_name) {
                memcpy(found_name, f[3], fl[3]);
                name = found_name;
                nl = fl[3];
            }
        }
    }
    ps__buf_dispose(&b);
    if (!name) {
        char rel[64];
        snprintf(rel, sizeof rel, "/dev/block/%u:%u/uevent", ma, mi);
        ps__buf_init(&b);
        if (ps__sys_read(PS_ROOT_SYS, rel, &b) == 0) {
            ps__sys_lines it;
            const char *line;
            size_t len;
            ps__sys_lines_init(&it, b.data, b.len);
            while (!name && ps__sys_lines_next(&it, &line, &len)) {
                ps__sys_trim(&line, &len);
                if (len > 8 && !memcmp(line, "DEVNAME=", 8) && len - 8 < sizeof found_name) {
                    memcpy(found_name, line + 8, len - 8);
                    name = found_name;
                    nl = len - 8;
                }
            }
        }
        ps__buf_dispose(&b);
    }
    if (!name) {
        char *dir = ps__sys_path(PS_ROOT_SYS, "/class/block");
        char **names = NULL;
        size_t count = 0;
        char needle[32];
        int ndl = snprintf(needle, sizeof needle, "%u:%u", ma, mi);
        if (dir && ps__sys_list_dir(dir, NULL, &names, &count) == 0) {
            for (size_t i = 0; i < count && !name; i++) {
                char rel[300];
                if (snprintf(rel, sizeof rel, "/class/block/%s/dev", names[i]) >= (int)sizeof rel) continue;
                ps__buf_init(&b);
                if (ps__sys_read(PS_ROOT_SYS, rel, &b) == 0) {
                    const char *t = b.data;
                    size_t tl = b.len;
                    ps__sys_trim(&t, &tl);
                    size_t l = strlen(names[i]);
                    if (tl == (size_t)ndl && !memcmp(t, needle, tl) && l < sizeof found_name) {
                        memcpy(found_name, names[i], l);
                        name = found_name;
                        nl = l;
                    }
                }
                ps__buf_dispose(&b);
            }
        }
        ps__sys_names_free(names, count);
        free(dir);
    }
    return name && dev_path_if_exists(name, nl, dev);
}

/* The device number find_root_device looks for: psutil's os.stat("/") for this machine's own
 * /proc; with another proc root configured, our "/" says nothing about that system's mounts,
 * so the mount's own "major:minor" (mountinfo field 3) is used. */
static bool root_dev_number(const char *mm, size_t n, unsigned *ma, unsigned *mi)
{
    if (!strcmp(ps__root(PS_ROOT_PROC), "/proc")) {
        struct stat st;
        if (stat("/", &st) != 0) return false;
        *ma = major(st.st_dev);
        *mi = minor(st.st_dev);
        return true;
    }
    const char *colon = memchr(mm, ':', n);
    uint64_t a, b;
    if (!colon || !ps__sys_parse_u64(mm, (size_t)(colon - mm), &a) ||
        !ps__sys_parse_u64(colon + 1, n - (size_t)(colon - mm) - 1, &b) || a > 0xfffff || b > 0xfffff)
        return false;
    *ma = (unsigned)a;
    *mi = (unsigned)b;
    return true;
}

static void part_dispose(ps__bk_partition *p)
{
    ps__nstr_dispose(&p->device);
    ps__nstr_dispose(&p->mountpoint);
    ps__nstr_dispose(&p->fstype);
    ps__nstr_dispose(&p->opts);
}

int ps__bk_disk_partitions(int all, ps__bk_partition **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    fstypes ft;
    int rc = 0;
    if (!all) {
        rc = load_fstypes(&ft);
        if (rc) {
            ps__buf_dispose(&ft.text);
            return rc;
        }
    }
    char stack[8192]; /* a few dozen mounts; a container host's longer table goes to the heap */
    ps__sys_file file;
    rc = ps__sys_file_open_into(&file, PS_ROOT_PROC, "/self/mountinfo", stack, sizeof stack);
    if (rc) goto done;
    size_t cap = 0, n = 0;
    ps__bk_partition *v = NULL;
    const char *line;
    size_t len;
    while (ps__sys_file_next(&file, &line, &len)) {
        const char *f[PS__MOUNTINFO_FIELDS];
        size_t fl[PS__MOUNTINFO_FIELDS];
        int sep = 0, nf = ps__sys_mountinfo_split(line, len, f, fl, &sep);
        if (nf == 0 || sep + 2 >= nf) continue;
        /* all = 0 drops most entries on their type and source: decided on the raw fields
         * when they hold no escape (unescaping is then the identity), before any allocation */
        if (!all && !memchr(f[sep + 1], '\\', fl[sep + 1]) && !memchr(f[sep + 2], '\\', fl[sep + 2])) {
            ps__nstr rt = { (char *)f[sep + 1], fl[sep + 1] };
            size_t dl = fl[sep + 2];
            if (dl == 4 && !memcmp(f[sep + 2], "none", 4)) dl = 0;
            if (dl == 0 || !fstype_ok(&ft, &rt)) continue;
        }
        ps__bk_partition p;
        memset(&p, 0, sizeof p);
        /* type and source first: with all = 0 most entries are dropped right here */
        rc = unescape(f[sep + 1], fl[sep + 1], &p.fstype);
        if (!rc) rc = unescape(f[sep + 2], fl[sep + 2], &p.device);
        if (rc) {
            part_dispose(&p);
            break;
        }
        if (p.device.len == 4 && !memcmp(p.device.data, "none", 4)) p.device.len = 0;
        if (!all && (p.device.len == 0 || !fstype_ok(&ft, &p.fstype))) {
            part_dispose(&p);
            continue;
        }
        if ((p.device.len == 9 && !memcmp(p.device.data, "/dev/root", 9)) ||
            (p.device.len == 6 && !memcmp(p.device.data, "rootfs", 6))) {
            ps__nstr real = {NULL, 0};
            unsigned ma, mi;
            if (root_dev_number(f[2], fl[2], &ma, &mi) && find_root_device(ma, mi, &real)) {
                ps__nstr_dispose(&p.device);
                p.device = real;
            }
        }
        ps__buf ob;
        ps__buf_init(&ob);
        const char *so = sep + 3 < nf ? f[sep + 3] : "";
        size_t sol = sep + 3 < nf ? fl[sep + 3] : 0;
        rc = unescape(f[4], fl[4], &p.mountpoint);
        if (!rc) rc = build_opts(f[5], fl[5], so, sol, &ob);
        if (!rc) rc = unescape(ob.data ? ob.data : "", ob.len, &p.opts);
        ps__buf_dispose(&ob);
        if (rc) {
            part_dispose(&p);
            break;
        }
        ps__bk_partition *nv = ps__grow(v, &cap, n, sizeof *nv, 32);
        if (!nv) {
            part_dispose(&p);
            rc = ps__error(PS_ENOMEM, 0, "disk_partitions: out of memory");
            break;
        }
        v = nv;
        v[n++] = p;
    }
    if (rc) {
        for (size_t i = 0; i < n; i++) part_dispose(&v[i]);
        free(v);
    } else {
        *items = v;
        *count = n;
    }
done:
    ps__sys_file_close(&file);
    if (!all) ps__buf_dispose(&ft.text);
    return rc;
}

static bool is_whole_disk(const char *name, size_t n)
{
    char rel[300];
    if (n > 250) return false;
    memcpy(rel, "/block/", 7);
    for (size_t i = 0; i < n; i++) rel[7 + i] = name[i] == '/' ? '!' : name[i];
    rel[7 + n] = '\0';
    char *p = ps__sys_path(PS_ROOT_SYS, rel);
    bool r = p && ps__sys_path_exists(p);
    free(p);
    return r;
}

/* The disk I/O records read so far (both readers: diskstats and the sysfs fallback). */
typedef struct diskio_vec {
    ps__bk_diskio *v;
    size_t n, cap;
} diskio_vec;

/* Append e, whose name is then the vector's; without memory e's name is disposed. */
static int diskio_push(diskio_vec *d, ps__bk_diskio *e)
{
    ps__bk_diskio *nv = ps__grow(d->v, &d->cap, d->n, sizeof *nv, 32);
    if (!nv) {
        ps__nstr_dispose(&e->name);
        return ps__error(PS_ENOMEM, 0, "disk_io_counters: out of memory");
    }
    d->v = nv;
    d->v[d->n++] = *e;
    return 0;
}

/* The readers' end: the records handed out, or after a failure (rc) disposed. */
static int diskio_finish(diskio_vec *d, int rc, ps__bk_diskio **items, size_t *count)
{
    if (rc) {
        for (size_t i = 0; i < d->n; i++) ps__nstr_dispose(&d->v[i].name);
        free(d->v);
        return rc;
    }
    *items = d->v;
    *count = d->n;
    return 0;
}

/* The counters of the full diskstats layout and of a sysfs stat file, from the reads on
 * (sectors of 512 bytes; x[8], the I/Os in flight, is not a counter). */
static void set_counters(ps_diskio *c, const uint64_t *x)
{
    c->read_count = x[0];
    c->read_merged_count = x[1];
    c->read_bytes = x[2] * 512;
    c->read_time = x[3];
    c->write_count = x[4];
    c->write_merged_count = x[5];
    c->write_bytes = x[6] * 512;
    c->write_time = x[7];
    c->busy_time = x[9];
}

/* One <dir>/stat file of sysfs (the first ten numbers, as /proc/diskstats from field 4). */
static bool read_block_stat(const char *dir, ps_diskio *c)
{
    size_t l = strlen(dir) + 6;
    char *p = malloc(l);
    if (!p) return false;
    snprintf(p, l, "%s/stat", dir);
    ps__buf b;
    ps__buf_init(&b);
    bool ok = ps__sys_read_abs(p, &b) == 0;
    free(p);
    const char *f[10];
    size_t fl[10];
    uint64_t x[10];
    ok = ok && ps__sys_split_ws(b.data, b.len, f, fl, 10) >= 10;
    for (int k = 0; ok && k < 10; k++) ok = ps__sys_parse_u64(f[k], fl[k], &x[k]);
    ps__buf_dispose(&b);
    if (!ok) return false;
    set_counters(c, x);
    return true;
}

/* psutil's fallback without <proc>/diskstats (OpenVZ, psutil #1321): <sys>/block/NAME/stat and
 * the stat files of its partition subdirectories. */
static int diskio_sysfs(ps__bk_diskio **items, size_t *count)
{
    char *blk = ps__sys_path(PS_ROOT_SYS, "/block");
    if (!blk) return ps__error(PS_ENOMEM, 0, "out of memory");
    char **disks = NULL;
    size_t nd = 0;
    diskio_vec d = {NULL, 0, 0};
    int rc = ps__sys_list_dir(blk, NULL, &disks, &nd);
    for (size_t i = 0; rc == 0 && i < nd; i++) {
        size_t l = strlen(blk) + strlen(disks[i]) + 2;
        char *dd = malloc(l);
        if (!dd) {
            rc = ps__error(PS_ENOMEM, 0, "out of memory");
            break;
        }
        snprintf(dd, l, "%s/%s", blk, disks[i]);
        ps__bk_diskio e;
        memset(&e, 0, sizeof e);
        if (read_block_stat(dd, &e.counters)) {
            e.whole_disk = 1;
            rc = ps__sys_nstr_set(&e.name, disks[i], strlen(disks[i]));
            if (!rc) rc = diskio_push(&d, &e);
        }
        char **subs = NULL;
        size_t ns = 0;
        if (rc == 0 && ps__sys_list_dir(dd, NULL, &subs, &ns) == 0) {
            for (size_t k = 0; rc == 0 && k < ns; k++) {
                size_t sl = strlen(dd) + strlen(subs[k]) + 2;
                char *sd = malloc(sl);
                if (!sd) continue;
                snprintf(sd, sl, "%s/%s", dd, subs[k]);
                memset(&e, 0, sizeof e);
                /* partitions are the subdirectories holding a "partition" file */
                size_t pl = sl + 10;
                char *pp = malloc(pl);
                bool part = pp && (snprintf(pp, pl, "%s/partition", sd), ps__sys_path_exists(pp));
                free(pp);
                if (part && read_block_stat(sd, &e.counters)) {
                    rc = ps__sys_nstr_set(&e.name, subs[k], strlen(subs[k]));
                    if (!rc) rc = diskio_push(&d, &e);
                }
                free(sd);
            }
            ps__sys_names_free(subs, ns);
        }
        free(dd);
    }
    ps__sys_names_free(disks, nd);
    free(blk);
    return diskio_finish(&d, rc, items, count);
}

/* One line of <proc>/diskstats into e (its name allocated): 1; 0 for a line of another layout
 * or with a field that is no number; PS_ENOMEM. psutil's layouts: 15 fields (name at 3), 14 or
 * >= 18 (name at 2), 7 (old partitions). Others are skipped. */
static int diskstats_line(const char *line, size_t len, ps__bk_diskio *e)
{
    const char *f[24];
    size_t fl[24];
    int nf = ps__sys_split_ws(line, len, f, fl, 24);
    int name_at, first;
    uint64_t x[11] = {0};
    if (nf == 15) {
        name_at = 3;
        first = 2; /* reads at 2, then 4.. */
    } else if (nf == 14 || nf >= 18) {
        name_at = 2;
        first = 3;
    } else if (nf == 7) {
        name_at = 2;
        first = 3;
    } else {
        return 0;
    }
    bool ok = true;
    memset(e, 0, sizeof *e);
    ps_diskio *c = &e->counters;
    if (nf == 7) {
        for (int k = 0; k < 4; k++) ok = ok && ps__sys_parse_u64(f[3 + k], fl[3 + k], &x[k]);
        c->read_count = x[0];
        c->read_bytes = x[1] * 512;
        c->write_count = x[2];
        c->write_bytes = x[3] * 512;
    } else {
        if (nf == 15) {
            ok = ps__sys_parse_u64(f[2], fl[2], &x[0]);
            for (int k = 1; k < 11; k++) ok = ok && ps__sys_parse_u64(f[3 + k], fl[3 + k], &x[k]);
        } else {
            for (int k = 0; k < 11; k++) ok = ok && ps__sys_parse_u64(f[first + k], fl[first + k], &x[k]);
        }
        set_counters(c, x);
    }
    if (!ok) return 0;
    if (ps__sys_nstr_set(&e->name, f[name_at], fl[name_at]) != 0) return PS_ENOMEM;
    e->whole_disk = is_whole_disk(f[name_at], fl[name_at]);
    return 1;
}

int ps__bk_diskio_read(ps__bk_diskio **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    ps__sys_file file;
    int rc = ps__sys_file_open(&file, PS_ROOT_PROC, "/diskstats");
    if (rc == PS_ENOENT) {
        char *blk = ps__sys_path(PS_ROOT_SYS, "/block");
        bool have = blk && ps__sys_path_exists(blk);
        free(blk);
        if (have) return diskio_sysfs(items, count);
        return ps__error(PS_ENOTSUP, 0, "disk_io_counters: neither %s/diskstats nor %s/block exist",
                         ps__root(PS_ROOT_PROC), ps__root(PS_ROOT_SYS));
    }
    if (rc) return rc;
    diskio_vec d = {NULL, 0, 0};
    const char *line;
    size_t len;
    while (ps__sys_file_next(&file, &line, &len)) {
        ps__bk_diskio e;
        int r = diskstats_line(line, len, &e);
        if (r == 0) continue;
        rc = r < 0 ? r : diskio_push(&d, &e);
        if (rc) break;
    }
    ps__sys_file_close(&file);
    return diskio_finish(&d, rc, items, count);
}
