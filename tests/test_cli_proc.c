/* SPDX-License-Identifier: MIT */
/*
 * CLI process commands against psutil: `psinfo proc PID --json` must equal
 * psutil.Process(PID).as_dict() (same keys; stable fields exactly, moving ones within the
 * tolerances of tests/cli/check.py) for real processes — a plain child, a child whose exe path,
 * cwd and argv are invalid UTF-8, a zombie — and an absent PID is an error with a message.
 */
#include "cli/clitest.h"
#include "helpers/fdcheck.h"

#include <limits.h>
#include <time.h>

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(cli_proc);

/* Compare `psinfo proc PID --json` with psutil; retried (moving values) up to 3 times. */
static void compare_proc(pid_t pid)
{
    char spid[32];
    snprintf(spid, sizeof spid, "%d", (int)pid);
    char *script = cli_script("check.py");
    char last[8192] = "";
    bool ok = false;
    for (int attempt = 0; attempt < 3 && !ok; attempt++) {
        run_result r = run_cli("proc", spid, "--json", "--interval", "0", NULL);
        cr_assert_eq(r.status, 0, "psinfo proc %s: status %d: %s", spid, r.status, r.err);
        run_result py = run_py(r.out, script, "proc", spid, NULL);
        ok = py.status == 0;
        snprintf(last, sizeof last, "%s%s\n--- CLI output:\n%.4000s", py.out, py.err, r.out);
        run_free(&py);
        run_free(&r);
    }
    cr_expect(ok, "psinfo proc %s differs from psutil:\n%s", spid, last);
    free(script);
}

static pid_t spawn_sleep(void)
{
    pid_t p = fork();
    cr_assert(p >= 0);
    if (p == 0) {
        execl("/bin/sleep", "sleep", "60", (char *)NULL);
        _exit(127);
    }
    return p;
}

static void reap(pid_t p)
{
    kill(p, SIGKILL);
    waitpid(p, NULL, 0);
}

/* Wait until /proc/PID/exe points at `want` (the child has exec'd). */
static void wait_exec(pid_t pid, const char *want)
{
    char link[64], buf[PATH_MAX];
    snprintf(link, sizeof link, "/proc/%d/exe", (int)pid);
    for (int i = 0; i < 500; i++) {
        ssize_t n = readlink(link, buf, sizeof buf - 1);
        if (n > 0) {
            buf[n] = '\0';
            if (strcmp(buf, want) == 0) return;
        }
        usleep(2000);
    }
    cr_assert_fail("child %d did not exec %s", (int)pid, want);
}

Test(cli_proc, plain_child_matches_psutil)
{
    pid_t p = spawn_sleep();
    wait_exec(p, "/usr/bin/sleep");
    compare_proc(p);
    reap(p);
}

Test(cli_proc, self_parent_matches_psutil)
{
    /* this test process: threads, open fds, memory maps, environ */
    compare_proc(getpid());
}

static void copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    cr_assert(in >= 0);
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    cr_assert(out >= 0, "create %s: %s", to, strerror(errno));
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) cr_assert(write(out, buf, (size_t)n) == n);
    close(in);
    close(out);
}

Test(cli_proc, invalid_utf8_exe_cwd_argv_match_psutil)
{
    char base[] = "/tmp/psinfo-cli-XXXXXX";
    cr_assert(mkdtemp(base));
    char dir[256], exe[512];
    snprintf(dir, sizeof dir, "%s/d\xff\xfe-caf\xc3\xa9", base);
    cr_assert(mkdir(dir, 0755) == 0, "mkdir: %s", strerror(errno));
    snprintf(exe, sizeof exe, "%s/sl\xff" "eep", dir);
    copy_file("/bin/sleep", exe);
    pid_t p = fork();
    cr_assert(p >= 0);
    if (p == 0) {
        if (chdir(dir) != 0) _exit(126);
        /* argv[0] and the environment are invalid UTF-8 too (sleep rejects other arguments) */
        char *const envp[] = { "PSINFO_CLI_T\xff=v\xe2\x82-bad", "PATH=/usr/bin:/bin", NULL };
        execle(exe, "sl\xff" "eep\xe2\x82", "60", (char *)NULL, envp);
        _exit(127);
    }
    wait_exec(p, exe);
    compare_proc(p);

    /* the human output shows the undecodable bytes as \xNN, never raw */
    char spid[32];
    snprintf(spid, sizeof spid, "%d", (int)p);
    run_result r = run_cli("proc", spid, "--interval", "0", NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "/d\\xff\\xfe-caf\xc3\xa9/sl\\xffeep"), "human output:\n%s", r.out);
    cr_expect(strstr(r.out, "cmdline          sl\\xffeep\\xe2\\x82 60\n"), "human output:\n%s",
              r.out);
    cr_expect(!strchr(r.out, '\xff'), "raw 0xff byte in human output");
    run_free(&r);

    reap(p);
    unlink(exe);
    rmdir(dir);
    rmdir(base);
}

Test(cli_proc, zombie_matches_psutil)
{
    pid_t p = fork();
    cr_assert(p >= 0);
    if (p == 0) _exit(3);
    /* wait until it is a zombie, without reaping it */
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)p);
    bool zombie = false;
    for (int i = 0; i < 500 && !zombie; i++) {
        FILE *f = fopen(path, "re");
        if (f) {
            char buf[512];
            size_t n = fread(buf, 1, sizeof buf - 1, f);
            buf[n] = '\0';
            char *rp = strrchr(buf, ')');
            zombie = rp && rp[1] == ' ' && rp[2] == 'Z';
            fclose(f);
        }
        if (!zombie) usleep(2000);
    }
    cr_assert(zombie, "child did not become a zombie");
    compare_proc(p);
    char spid[32];
    snprintf(spid, sizeof spid, "%d", (int)p);
    run_result r = run_cli("proc", spid, "--json", "--interval", "0", NULL);
    cr_expect(strstr(r.out, "\"status\": \"zombie\""), "%s", r.out);
    cr_expect(strstr(r.out, "\"exe\": null"), "%s", r.out);
    run_free(&r);
    waitpid(p, NULL, 0);
}

Test(cli_proc, absent_pid_message_and_nonzero_exit)
{
    pid_t gone = absent_pid();
    char spid[32];
    snprintf(spid, sizeof spid, "%d", (int)gone);
    for (int json = 0; json < 2; json++) {
        run_result r = json ? run_cli("proc", spid, "--json", NULL) : run_cli("proc", spid, NULL);
        cr_expect_eq(r.status, 1, "status %d", r.status);
        cr_expect(strstr(r.err, "no such process") && strstr(r.err, spid), "stderr: %s", r.err);
        cr_expect_str_eq(r.out, "");
        run_free(&r);
    }
    run_result r = run_cli("proc", "not-a-pid", NULL);
    cr_expect_eq(r.status, 2);
    run_free(&r);
}

/* ---- psinfo ps --------------------------------------------------------------------------- */

static void compare_ps(const char *extra)
{
    char *script = cli_script("check.py");
    char last[8192] = "";
    bool ok = false;
    for (int attempt = 0; attempt < 3 && !ok; attempt++) {
        char started[64];
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        snprintf(started, sizeof started, "%.3f", (double)ts.tv_sec + ts.tv_nsec / 1e9);
        run_result r = extra ? run_cli("ps", "--json", "--interval", "0", extra, NULL)
                             : run_cli("ps", "--json", "--interval", "0", NULL);
        cr_assert_eq(r.status, 0, "psinfo ps: status %d: %s", r.status, r.err);
        run_result py = run_py(r.out, script, "ps", started, NULL);
        ok = py.status == 0;
        snprintf(last, sizeof last, "%s%s", py.out, py.err);
        run_free(&py);
        run_free(&r);
    }
    cr_expect(ok, "psinfo ps --json differs from psutil:\n%s", last);
    free(script);
}

Test(cli_proc, ps_json_matches_psutil_for_every_process)
{
    /* an invalid-UTF-8 process is in the table too: compare_proc above covers it exactly */
    compare_ps(NULL);
    compare_ps("--all-fields");
}

Test(cli_proc, ps_filters_and_sorts)
{
    pid_t p = spawn_sleep();
    wait_exec(p, "/usr/bin/sleep");
    char spid[32];
    snprintf(spid, sizeof spid, "%d", (int)p);
    /* --name: our sleeper is listed, nothing that is not "sleep" */
    run_result r = run_cli("ps", "--name", "sleep", "--interval", "0", NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, spid), "sleeper %s not listed:\n%s", spid, r.out);
    cr_expect(!strstr(r.out, "process_api") && !strstr(r.out, "kthreadd"), "%s", r.out);
    run_free(&r);
    /* --user with a user that has no process: only the header */
    r = run_cli("ps", "--user", "no-such-user-psinfo", "--interval", "0", NULL);
    cr_expect_eq(r.status, 0);
    cr_expect_eq(strchr(r.out, '\n') - r.out + 1, (long)strlen(r.out), "%s", r.out);
    run_free(&r);
    /* --sort pid gives increasing PIDs; --sort mem decreasing RSS (checked via JSON) */
    r = run_cli("ps", "--json", "--sort", "mem", "--limit", "20", "--interval", "0", NULL);
    cr_expect_eq(r.status, 0);
    char *script = cli_script("check.py");
    run_result py = run_py(r.out, script, "sorted", "mem", NULL);
    cr_expect_eq(py.status, 0, "%s%s", py.out, py.err);
    run_free(&py);
    run_free(&r);
    r = run_cli("ps", "--json", "--sort", "pid", "--interval", "0", NULL);
    py = run_py(r.out, script, "sorted", "pid", NULL);
    cr_expect_eq(py.status, 0, "%s%s", py.out, py.err);
    run_free(&py);
    run_free(&r);
    r = run_cli("ps", "--sort", "bogus", NULL);
    cr_expect_eq(r.status, 2);
    run_free(&r);
    free(script);
    reap(p);
}

Test(cli_proc, tree_contains_parent_child_edge)
{
    pid_t p = spawn_sleep();
    wait_exec(p, "/usr/bin/sleep");
    run_result r = run_cli("tree", "--json", NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    char *script = cli_script("check.py");
    char me[32], kid[32];
    snprintf(me, sizeof me, "%d", (int)getpid());
    snprintf(kid, sizeof kid, "%d", (int)p);
    run_result py = run_py(r.out, script, "tree", me, kid, NULL);
    cr_expect_eq(py.status, 0, "%s%s", py.out, py.err);
    run_free(&py);
    run_free(&r);
    free(script);
    reap(p);
}

/* ---- access denied → null --------------------------------------------------------------- */

#define SETPRIV "/usr/bin/setpriv"

/* Run argv (NULL-terminated) as uid/gid 65534 through util-linux setpriv. */
static run_result run_as_nobody(const char *const *args, const char *input)
{
    const char *argv[40];
    int n = 0;
    argv[n++] = SETPRIV;
    argv[n++] = "--reuid=65534";
    argv[n++] = "--regid=65534";
    argv[n++] = "--clear-groups";
    for (int i = 0; args[i]; i++) argv[n++] = args[i];
    argv[n] = NULL;
    return run_argv_env(argv, NULL, input);
}

Test(cli_proc, access_denied_fields_are_null_like_psutil)
{
    /* as an unprivileged user, a root process's exe, cwd, environ, io_counters, num_fds,
     * open_files... are AccessDenied in psutil (None in as_dict) and null in the CLI */
    cr_assert(access(SETPRIV, X_OK) == 0, "util-linux setpriv is missing");
    pid_t p = spawn_sleep();
    wait_exec(p, "/usr/bin/sleep");
    char spid[32];
    snprintf(spid, sizeof spid, "%d", (int)p);
    char *script = cli_script("check.py");
    char last[8192] = "";
    bool ok = false;
    for (int attempt = 0; attempt < 3 && !ok; attempt++) {
        const char *cli[] = { cli_bin(), "proc", spid, "--json", "--interval", "0", NULL };
        run_result r = run_as_nobody(cli, NULL);
        cr_assert_eq(r.status, 0, "psinfo proc as nobody: %d %s", r.status, r.err);
        cr_expect(strstr(r.out, "\"exe\": null") && strstr(r.out, "\"environ\": null"),
                  "root process fields readable by nobody?\n%s", r.out);
        const char *py[] = { PYTHON, script, "proc", spid, NULL };
        run_result c = run_as_nobody(py, r.out);
        ok = c.status == 0;
        snprintf(last, sizeof last, "%s%s", c.out, c.err);
        run_free(&c);
        run_free(&r);
    }
    cr_expect(ok, "psinfo proc as nobody differs from psutil as nobody:\n%s", last);
    free(script);
    reap(p);
}
