/* SPDX-License-Identifier: MIT */
/*
 * Non-UTF-8 for real: a copy of /bin/sleep in a directory whose name is invalid UTF-8, started
 * with that cwd, an invalid-UTF-8 argv and environment. exe, cwd, name, cmdline and environ
 * must equal psutil's strings (encoded with 'surrogatepass'; under the replace policy, psutil's
 * str re-derived with bytes.decode('utf-8', 'replace')), and ps_fsencode must give back the
 * exact bytes.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <psinfo.h>

#include "helpers/spawn.h"
#include "helpers/fdcheck.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(proc_unicode);

static char tmpdir[256], dir[512], exe_short[600], exe_long[600];

static void copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    cr_assert_geq(in, 0);
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    cr_assert_geq(out, 0);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) cr_assert_eq(write(out, buf, (size_t)n), n);
    close(in);
    close(out);
}

static void setup_dirs(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/psinfo-unicode-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
    snprintf(dir, sizeof dir, "%s/dir\xff\xfe", tmpdir);
    cr_assert_eq(mkdir(dir, 0755), 0);
    snprintf(exe_short, sizeof exe_short, "%s/sl\xe9" "ep", dir);          /* comm "sl\xe9ep" */
    snprintf(exe_long, sizeof exe_long, "%s/long\xffname-binary-copy", dir);  /* > 15 bytes */
    copy_file("/bin/sleep", exe_short);
    copy_file("/bin/sleep", exe_long);
}

static void cleanup_dirs(void)
{
    unlink(exe_short);
    unlink(exe_long);
    rmdir(dir);
    rmdir(tmpdir);
}

/* The value psutil_dump.py printed for pid/field. */
static char *psutil_value(const char *dump, pid_t pid, const char *field)
{
    char key[128];
    snprintf(key, sizeof key, "%d\t%s\t", (int)pid, field);
    const char *p = strstr(dump, key);
    if (!p) return NULL;
    p += strlen(key);
    cr_assert(!strncmp(p, "ok\t", 3), "psutil %s: %.40s", field, p);
    p += 3;
    const char *e = strchr(p, '\n');
    return strndup(p, (size_t)(e - p));
}

static char *hx(const char *s)
{
    return ph_hex(s, strlen(s));
}

static void append(char **acc, const char *s)
{
    size_t a = *acc ? strlen(*acc) : 0;
    *acc = realloc(*acc, a + strlen(s) + 1);
    strcpy(*acc + a, s);
}

/* Our five fields in psutil_dump.py's encoding, compared with the dump. */
static void compare(pid_t pid, const char *dump)
{
    ps_proc *p;
    cr_assert_eq(ps_proc_open(pid, &p), 0);
    char *s;
    const char *fields[] = {"name", "exe", "cwd"};
    for (int i = 0; i < 3; i++) {
        int rc = i == 0 ? ps_proc_name(p, &s) : i == 1 ? ps_proc_exe(p, &s) : ps_proc_cwd(p, &s);
        cr_assert_eq(rc, 0, "%s", fields[i]);
        char *h = hx(s), *want = psutil_value(dump, pid, fields[i]);
        cr_assert_str_eq(h, want, "%s differs from psutil", fields[i]);
        free(h);
        free(want);
        ps_free(s);
    }
    ps_proc_str_list *l;
    cr_assert_eq(ps_proc_cmdline(p, &l), 0);
    char *acc = NULL;
    for (size_t i = 0; i < l->count; i++) {
        if (i) append(&acc, ",");
        char *h = hx(l->items[i]);
        append(&acc, h);
        free(h);
    }
    char *want = psutil_value(dump, pid, "cmdline");
    cr_assert_str_eq(acc, want, "cmdline differs from psutil");
    free(acc);
    free(want);
    ps_proc_str_list_free(l);
    ps_proc_environ_list *e;
    cr_assert_eq(ps_proc_environ(p, &e), 0);
    acc = NULL;
    for (size_t i = 0; i < e->count; i++) {
        if (i) append(&acc, ",");
        char *k = hx(e->items[i].key), *v = hx(e->items[i].value);
        append(&acc, k);
        append(&acc, "=");
        append(&acc, v);
        free(k);
        free(v);
    }
    want = psutil_value(dump, pid, "environ");
    cr_assert_str_eq(acc, want, "environ differs from psutil");
    free(acc);
    free(want);
    ps_proc_environ_list_free(e);
    ps_proc_free(p);
}

static char *dump_for(pid_t a, pid_t b, int replace)
{
    const char *src = getenv("PSINFO_SOURCE_ROOT");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/tests/helpers/psutil_dump.py %s %d %d",
             src ? src : ".", replace ? "--replace" : "", (int)a, (int)b);
    char *d = ph_capture(cmd);
    cr_assert_not_null(d);
    return d;
}

/* ps_fsencode(decode(x)) == x for the raw bytes behind exe, cwd and argv[0]. */
static void roundtrip(pid_t pid, const char *exe, const char *arg0)
{
    ps_proc *p;
    cr_assert_eq(ps_proc_open(pid, &p), 0);
    char *s, *raw;
    size_t n;
    cr_assert_eq(ps_proc_exe(p, &s), 0);
    cr_assert_eq(ps_fsencode(s, strlen(s), &raw, &n), 0);
    cr_assert_eq(n, strlen(exe));
    cr_assert_eq(memcmp(raw, exe, n), 0, "exe bytes do not round-trip");
    ps_free(raw);
    ps_free(s);
    cr_assert_eq(ps_proc_cwd(p, &s), 0);
    cr_assert_eq(ps_fsencode(s, strlen(s), &raw, &n), 0);
    cr_assert_eq(n, strlen(dir));
    cr_assert_eq(memcmp(raw, dir, n), 0, "cwd bytes do not round-trip");
    ps_free(raw);
    ps_free(s);
    ps_proc_str_list *l;
    cr_assert_eq(ps_proc_cmdline(p, &l), 0);
    cr_assert_eq(ps_fsencode(l->items[0], strlen(l->items[0]), &raw, &n), 0);
    cr_assert_eq(n, strlen(arg0));
    cr_assert_eq(memcmp(raw, arg0, n), 0, "argv[0] bytes do not round-trip");
    ps_free(raw);
    ps_proc_str_list_free(l);
    ps_proc_free(p);
}

Test(proc_unicode, invalid_utf8_exe_cwd_argv_environ_both_policies, .timeout = 120)
{
    int fds0 = fdcheck_count();
    setup_dirs();
    char arg0[] = "\xff\xfe" "argv0 with space \xc3\x28";
    char *argv_a[] = {arg0, "1000", NULL};
    char *envp[] = {"K\xff=V\xfe", "PLAIN=ok", "SURR=\xed\xa0\x80", "MIXED=caf\xc3\xa9\xe2\x82", "=skipped", NULL};
    pid_t a = ph_spawn_exec(dir, exe_short, argv_a, envp);
    cr_assert_gt(a, 0);
    char *argv_b[] = {exe_long, "1000", NULL};
    pid_t b = ph_spawn_exec(dir, exe_long, argv_b, envp);
    cr_assert_gt(b, 0);
    /* the long-name rule: comm is 15 bytes, psutil's name is the basename of argv[0] */
    ps_errors_policy old = ps_get_errors_policy();
    for (int replace = 0; replace <= 1; replace++) {
        cr_assert_eq(ps_set_errors_policy(replace ? PS_ERRORS_REPLACE : PS_ERRORS_SURROGATEESCAPE), 0);
        char *d = dump_for(a, b, replace);
        compare(a, d);
        compare(b, d);
        free(d);
    }
    /* the long name is the full basename, not the 15-byte comm */
    ps_set_errors_policy(PS_ERRORS_SURROGATEESCAPE);
    ps_proc *p;
    cr_assert_eq(ps_proc_open(b, &p), 0);
    char *name, *raw;
    size_t n;
    cr_assert_eq(ps_proc_name(p, &name), 0);
    cr_assert_eq(ps_fsencode(name, strlen(name), &raw, &n), 0);
    cr_assert_str_eq(raw, "long\xffname-binary-copy");
    ps_free(raw);
    ps_free(name);
    ps_proc_free(p);
    roundtrip(a, exe_short, arg0);
    roundtrip(b, exe_long, exe_long);
    ps_set_errors_policy(old);
    ph_reap(a);
    ph_reap(b);
    cleanup_dirs();
    cr_assert_eq(fdcheck_count(), fds0, "fd leak");
}
