/* SPDX-License-Identifier: MIT */
/*
 * CLI golden output: the human and JSON output of commands run on the fixture trees
 * tests/cli/fixtures/{proc,sys} (through --procfs/--sysfs) must equal tests/cli/golden/NAME
 * byte for byte. The fixtures hold known answers (meminfo, stat, mountinfo with an escaped
 * space and invalid UTF-8, hwmon sensors, a battery). To regenerate after an intended change:
 * PSINFO_GOLDEN_UPDATE=1 meson test -C BUILD cli_golden, then review the diff.
 */
#include "cli/clitest.h"
#include "helpers/fdcheck.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(cli_golden);

static char *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    char *s = slurp_fd(fd, len);
    close(fd);
    return s;
}

/* Run psinfo --procfs F/proc --sysfs F/sys ARGS with COLUMNS=cols and compare with golden/NAME. */
static void golden(const char *name, const char *columns, const char *const *args)
{
    char *proc = NULL, *sys = NULL, *gold = NULL, *cols = NULL;
    cr_assert(asprintf(&proc, "%s/tests/cli/fixtures/proc", src_root()) > 0);
    cr_assert(asprintf(&sys, "%s/tests/cli/fixtures/sys", src_root()) > 0);
    cr_assert(asprintf(&gold, "%s/tests/cli/golden/%s", src_root(), name) > 0);
    cr_assert(asprintf(&cols, "COLUMNS=%s", columns) > 0);
    const char *argv[32];
    int n = 0;
    argv[n++] = cli_bin();
    argv[n++] = "--procfs";
    argv[n++] = proc;
    argv[n++] = "--sysfs";
    argv[n++] = sys;
    for (int i = 0; args[i]; i++) argv[n++] = args[i];
    argv[n] = NULL;
    const char *env[] = { cols, "NO_COLOR=", "TZ=UTC", NULL };
    run_result r = run_argv_env(argv, env, NULL);
    cr_expect_eq(r.status, 0, "%s: status %d, stderr %s", name, r.status, r.err);
    cr_expect_str_eq(r.err, "", "%s: stderr %s", name, r.err);
    const char *update = getenv("PSINFO_GOLDEN_UPDATE");
    if (update && strcmp(update, "1") == 0) {
        FILE *f = fopen(gold, "wb");
        cr_assert(f, "cannot write %s", gold);
        fwrite(r.out, 1, r.out_len, f);
        fclose(f);
    } else {
        size_t glen = 0;
        char *want = read_file(gold, &glen);
        cr_assert(want, "missing golden file %s", gold);
        cr_expect(glen == r.out_len && memcmp(want, r.out, glen) == 0,
                  "%s differs from the golden file.\n--- got:\n%s\n--- want:\n%s", name, r.out,
                  want);
        free(want);
    }
    run_free(&r);
    free(proc);
    free(sys);
    free(gold);
    free(cols);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

Test(cli_golden, mem)
{
    golden("mem.txt", "80", ARGS("mem"));
    golden("mem.json", "80", ARGS("mem", "--json"));
}

Test(cli_golden, cpu)
{
    /* interval 0: both samples read the same fixture, so every percentage is 0 */
    golden("cpu.txt", "80", ARGS("cpu", "--interval", "0"));
    /* cumulative times: the fixture's ticks / 100 */
    golden("cpu.json", "80", ARGS("cpu", "--interval", "0", "--json"));
}

/* A kernel that prints four CPU columns ("cpu  1 2 3 4"): psutil's tuple would have those four
 * fields, so the JSON objects have exactly them (no 0 and no null for the others), and the
 * table only their columns. */
Test(cli_golden, cpu_old_kernel_keeps_only_the_kernels_columns)
{
    char *proc = NULL;
    cr_assert(asprintf(&proc, "%s/tests/fixtures/sys/old/proc", src_root()) > 0);
    run_result r = run_cli("--procfs", proc, "cpu", "--interval", "0", "--json", NULL);
    cr_expect_eq(r.status, 0, "stderr %s", r.err);
    const char *want = "{\n    \"user\": 0.01,\n    \"system\": 0.03,\n    \"idle\": 0.04,\n"
                       "    \"nice\": 0.02\n  }";
    const char *t = strstr(r.out, "\"cpu_times\": ");
    cr_expect(t && !strncmp(t + strlen("\"cpu_times\": "), want, strlen(want)), "%s", r.out);
    cr_expect(strstr(r.out, "\"cpu_times_percent\": {\n    \"user\": 0.0,\n    \"system\": 0.0,\n"
                            "    \"idle\": 0.0,\n    \"nice\": 0.0\n  }"), "%s", r.out);
    cr_expect(!strstr(r.out, "iowait") && !strstr(r.out, "dpc") && !strstr(r.out, "NaN"), "%s", r.out);
    run_free(&r);
    r = run_cli("--procfs", proc, "cpu", "--interval", "0", NULL);
    cr_expect_eq(r.status, 0, "stderr %s", r.err);
    cr_expect(strstr(r.out, "CPU      %  user  nice  system  idle\n"), "%s", r.out);
    cr_expect(!strstr(r.out, "iowait"), "%s", r.out);
    run_free(&r);
    free(proc);
}

Test(cli_golden, disks)
{
    golden("disks.txt", "100", ARGS("disks"));
    golden("disks-all.txt", "100", ARGS("disks", "--all"));
    golden("disks.json", "100", ARGS("disks", "--json"));
}

Test(cli_golden, disks_narrow_terminal_truncates_the_widest_column)
{
    golden("disks-60.txt", "60", ARGS("disks"));
}

Test(cli_golden, sensors)
{
    golden("sensors.txt", "80", ARGS("sensors"));
    golden("sensors.json", "80", ARGS("sensors", "--json"));
}

Test(cli_golden, ps_and_tree)
{
    /* five fixture processes: init, a kernel thread (no cmdline), a login shell, a process
     * whose comm, exe, cwd and argv hold invalid UTF-8 (and ") x" in the comm), a zombie;
     * user names come from this machine's passwd (uid 0 root, 65534 nobody) */
    golden("ps.txt", "120", ARGS("ps", "--interval", "0"));
    golden("ps-sorted-mem.txt", "120", ARGS("ps", "--interval", "0", "--sort", "mem"));
    golden("ps.json", "120", ARGS("ps", "--interval", "0", "--all-fields", "--json"));
    golden("tree.txt", "80", ARGS("tree"));
    golden("tree.json", "80", ARGS("tree", "--json"));
}

Test(cli_golden, json_surrogate_escapes_load_as_psutil_str)
{
    /* The fixture mount point is the bytes ".../caf\xc3\xa9/\xff\xfe": json.loads of the CLI's
     * output must give exactly bytes.decode('utf-8', 'surrogateescape'), psutil's str. */
    char *proc = NULL, *sys = NULL;
    cr_assert(asprintf(&proc, "%s/tests/cli/fixtures/proc", src_root()) > 0);
    cr_assert(asprintf(&sys, "%s/tests/cli/fixtures/sys", src_root()) > 0);
    const char *argv[] = { cli_bin(), "--procfs", proc, "--sysfs", sys, "disks", "--json", NULL };
    run_result r = run_argv_env(argv, NULL, NULL);
    cr_assert_eq(r.status, 0);
    char *script = cli_script("check.py");
    run_result py = run_py(r.out, script, "fixture-disks", NULL);
    cr_expect_eq(py.status, 0, "%s%s", py.out, py.err);
    run_free(&py);
    run_free(&r);
    free(script);
    free(proc);
    free(sys);
}

Test(cli_golden, width_from_columns_and_unlimited_without)
{
    /* no COLUMNS and not a terminal: nothing is truncated */
    char *proc = NULL, *sys = NULL;
    cr_assert(asprintf(&proc, "%s/tests/cli/fixtures/proc", src_root()) > 0);
    cr_assert(asprintf(&sys, "%s/tests/cli/fixtures/sys", src_root()) > 0);
    const char *argv[] = { "/usr/bin/env", "-u", "COLUMNS", cli_bin(), "--procfs", proc,
                           "--sysfs", sys, "disks", NULL };
    run_result r = run_argv_env(argv, NULL, NULL);
    cr_assert_eq(r.status, 0);
    cr_expect(strstr(r.out, "/nonexistent/psinfo-fixture/caf\xc3\xa9/\\xff\\xfe\n"),
              "untruncated mount point expected:\n%s", r.out);
    cr_expect(!strstr(r.out, "\033["), "colour escape in non-terminal output");
    run_free(&r);
    free(proc);
    free(sys);
}

/* On a terminal (a pty from util-linux script(1)): the width comes from TIOCGWINSZ (60 here,
 * even with COLUMNS=200), and the header is bold unless NO_COLOR is set. */
static char *on_pty(const char *env_prefix)
{
    char *cmd = NULL;
    cr_assert(asprintf(&cmd,
                       "stty cols 60 rows 20; %s COLUMNS=200 %s --procfs %s/tests/cli/fixtures/proc "
                       "--sysfs %s/tests/cli/fixtures/sys disks",
                       env_prefix, cli_bin(), src_root(), src_root()) > 0);
    const char *argv[] = { "/usr/bin/script", "-qec", cmd, "/dev/null", NULL };
    const char *env[] = { "TERM=xterm", NULL };
    run_result r = run_argv_env(argv, env, NULL);
    cr_assert_eq(r.status, 0, "script: %d %s", r.status, r.err);
    free(cmd);
    /* drop the pty's carriage returns */
    char *o = r.out, *w = r.out;
    for (; *o; o++)
        if (*o != '\r') *w++ = *o;
    *w = '\0';
    free(r.err);
    return r.out;
}

Test(cli_golden, terminal_width_from_tiocgwinsz_and_colour_only_on_a_tty)
{
    cr_assert(access("/usr/bin/script", X_OK) == 0, "util-linux script(1) is missing");
    char *gold = NULL;
    cr_assert(asprintf(&gold, "%s/tests/cli/golden/disks-60.txt", src_root()) > 0);
    size_t glen;
    char *want = read_file(gold, &glen);
    cr_assert(want);
    char *plain = on_pty("NO_COLOR=1");
    cr_expect_str_eq(plain, want, "NO_COLOR on a 60-column pty");
    char *bold = on_pty("");
    cr_expect(strncmp(bold, "\033[1mDevice", 10) == 0, "no bold header on a tty:\n%s", bold);
    /* apart from the escapes, the same table */
    char *nl = strchr(bold, '\n');
    cr_assert(nl);
    cr_expect_str_eq(nl, strchr(want, '\n'));
    free(plain);
    free(bold);
    free(want);
    free(gold);
}
