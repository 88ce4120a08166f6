/* SPDX-License-Identifier: MIT */
/* A tmpfs mounted by the test on a mount point whose name holds invalid UTF-8, a space and a
 * backslash: disk_partitions shows it exactly as psutil does under both string policies, and
 * disk_usage on it matches df. Mounted in a private mount namespace and unmounted in the fini
 * (which also runs after a failed assertion). */
#include <criterion/criterion.h>
#include <sched.h>
#include <errno.h>
#include <math.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psinfo.h"
#include "test_system_util.h"

static char mnt[256];      /* raw bytes */
static bool mounted;
static int fds_before;

static void setup(void)
{
    fds_before = sys_count_fds();
    ps_set_root(PS_ROOT_PROC, NULL);
    ps_set_root(PS_ROOT_SYS, NULL);
    /* A private mount namespace: the tmpfs is seen only by this test process and the oracles
     * it starts (psutil, df), and vanishes with the process even if it crashes. */
    cr_assert_eq(unshare(CLONE_NEWNS), 0, "unshare: %s", strerror(errno));
    /* the type is ignored for a propagation change; a string keeps valgrind from flagging NULL */
    cr_assert_eq(mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL), 0);
    snprintf(mnt, sizeof mnt, "/tmp/psinfo mnt\\x\xff-%d", (int)getpid());
    cr_assert(mkdir(mnt, 0755) == 0 || errno == EEXIST);
    cr_assert_eq(mount("psinfo\xfe test", mnt, "tmpfs", 0, "size=4m"), 0, "mount: %s", strerror(errno));
    mounted = true;
}

static void teardown(void)
{
    if (mounted) umount2(mnt, MNT_DETACH);
    mounted = false;
    rmdir(mnt);
    ps_set_errors_policy(ps_default_errors_policy());
    cr_expect_eq(sys_count_fds(), fds_before, "fd count changed");
}

TestSuite(sysmount, .init = setup, .fini = teardown);

/* psutil's entry for our mount point: device, mountpoint, fstype, opts, each encoded with
 * 'surrogatepass' (escape) or re-decoded with 'replace'. */
static char *psutil_entry(bool replace)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             PY " -c 'import psutil,sys,os\n"
             "want=os.fsdecode(bytes.fromhex(sys.argv[1]))\n"
             "enc=(lambda s: os.fsencode(s).decode(\"utf-8\",\"replace\").encode()) if %d else (lambda s: s.encode(\"utf-8\",\"surrogatepass\"))\n"
             "for p in psutil.disk_partitions(all=True):\n"
             " if p.mountpoint == want: sys.stdout.buffer.write(b\"\\t\".join(enc(x) for x in (p.device,p.mountpoint,p.fstype,p.opts)))' ",
             replace ? 1 : 0);
    size_t n = strlen(cmd);
    for (const unsigned char *c = (const unsigned char *)mnt; *c; c++) n += (size_t)snprintf(cmd + n, sizeof cmd - n, "%02x", *c);
    return sys_run(cmd);
}

static void check(ps_errors_policy pol)
{
    cr_assert_eq(ps_set_errors_policy(pol), 0);
    char *theirs = psutil_entry(pol == PS_ERRORS_REPLACE);
    cr_assert(theirs && *theirs, "psutil does not list the mount");
    ps_disk_partition_list *l = NULL;
    cr_assert_eq(ps_disk_partitions(1, &l), 0);
    char want_mp[512];
    char *dec = NULL;
    cr_assert_eq(ps_fsdecode_policy(mnt, strlen(mnt), pol, &dec, NULL), 0);
    snprintf(want_mp, sizeof want_mp, "%s", dec);
    ps_free(dec);
    char ours[4096] = "";
    int found = 0;
    for (size_t i = 0; i < l->count; i++)
        if (!strcmp(l->items[i].mountpoint, want_mp)) {
            found++;
            snprintf(ours, sizeof ours, "%s\t%s\t%s\t%s", l->items[i].device, l->items[i].mountpoint,
                     l->items[i].fstype, l->items[i].opts);
        }
    cr_expect_eq(found, 1);
    cr_expect_str_eq(ours, theirs);
    /* all = 0 drops tmpfs (nodev) exactly as psutil */
    ps_disk_partition_list_free(l);
    cr_assert_eq(ps_disk_partitions(0, &l), 0);
    for (size_t i = 0; i < l->count; i++) cr_expect_str_neq(l->items[i].mountpoint, want_mp);
    ps_disk_partition_list_free(l);
    free(theirs);
}

Test(sysmount, partitions_escape_policy) { check(PS_ERRORS_SURROGATEESCAPE); }
Test(sysmount, partitions_replace_policy) { check(PS_ERRORS_REPLACE); }

Test(sysmount, disk_usage_matches_df)
{
    /* write 1 MiB so used is not 0 */
    char f[300];
    snprintf(f, sizeof f, "%s/blob", mnt);
    FILE *fp = fopen(f, "w");
    cr_assert(fp);
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    cr_assert_eq(fwrite(block, 1, sizeof block, fp), sizeof block);
    fclose(fp);
    /* the path as the user holds it: our decoded (escaped) string */
    char *path = NULL;
    cr_assert_eq(ps_fsdecode_policy(mnt, strlen(mnt), PS_ERRORS_SURROGATEESCAPE, &path, NULL), 0);
    ps_diskusage u;
    cr_assert_eq(ps_disk_usage(path, &u), 0);
    ps_free(path);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "df -B1 --output=size,used,avail \"$(printf '%%b' '");
    size_t n = strlen(cmd);
    for (const unsigned char *c = (const unsigned char *)mnt; *c; c++) n += (size_t)snprintf(cmd + n, sizeof cmd - n, "\\0%03o", *c);
    snprintf(cmd + n, sizeof cmd - n, "')\" | tail -1 | awk '{print \"size=\" $1 \"\\nused=\" $2 \"\\navail=\" $3}'");
    char *out = sys_run(cmd);
    cr_assert(out, "df failed");
    /* nothing else writes there: exact */
    cr_expect_eq((double)u.total, sys_kv_d(out, "size"));
    cr_expect_eq((double)u.used, sys_kv_d(out, "used"));
    cr_expect_eq((double)u.free, sys_kv_d(out, "avail"));
    cr_expect_eq(u.total, 4u << 20);
    cr_expect(u.used >= 1u << 20);
    free(out);
}
