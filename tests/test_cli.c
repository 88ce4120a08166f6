/* SPDX-License-Identifier: MIT */
/*
 * CLI suite: argument handling (--help, --version, usage errors → exit 2), JSON validity of every
 * command (json.loads under /usr/bin/python3), `psinfo wait` exit statuses, absent PIDs.
 * The CLI is the built tools/psinfo (PSINFO_CLI).
 */
#include "cli/clitest.h"
#include "helpers/fdcheck.h"

#include <psinfo.h>
#include "helpers/vgaware.h"
#include "helpers/exitrec.h"

#include <utmpx.h>

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(cli);

/* The commands `psinfo --help` lists (names after the "commands:" line). */
static int listed_commands(char names[][32], int max)
{
    run_result r = run_cli("--help", NULL);
    cr_assert_eq(r.status, 0, "psinfo --help: status %d", r.status);
    char *p = strstr(r.out, "\ncommands:\n");
    cr_assert(p, "no command list in:\n%s", r.out);
    p += strlen("\ncommands:\n");
    int n = 0;
    while (*p == ' ' && n < max) {
        while (*p == ' ') p++;
        size_t len = strcspn(p, " \n");
        cr_assert(len > 0 && len < 32);
        memcpy(names[n], p, len);
        names[n][len] = '\0';
        n++;
        p = strchr(p, '\n');
        if (!p) break;
        p++;
    }
    run_free(&r);
    return n;
}

/* Commands that must exist. */
static const char *const required_commands[] = {
    "ps", "proc", "tree", "disks", "mem", "cpu", "net", "sensors", "users", "wait", "metrics",
    "version",
    NULL,
};

Test(cli, help_lists_every_command)
{
    char names[64][32];
    int n = listed_commands(names, 64);
    for (int i = 0; required_commands[i]; i++) {
        bool found = false;
        for (int k = 0; k < n; k++) found |= strcmp(names[k], required_commands[i]) == 0;
        cr_expect(found, "command %s is not listed by psinfo --help", required_commands[i]);
    }
}

Test(cli, version)
{
    run_result r = run_cli("--version", NULL);
    cr_assert_eq(r.status, 0);
    char want[64];
    snprintf(want, sizeof want, "psinfo %s\n", ps_version());
    cr_expect_str_eq(r.out, want);
    cr_expect_str_eq(r.err, "");
    run_free(&r);
}

Test(cli, every_command_has_help)
{
    char names[64][32];
    int n = listed_commands(names, 64);
    cr_assert(n >= 2);
    for (int i = 0; i < n; i++) {
        for (int form = 0; form < 2; form++) {
            run_result r = run_cli(names[i], form ? "-h" : "--help", NULL);
            cr_expect_eq(r.status, 0, "%s --help: status %d", names[i], r.status);
            char want[64];
            snprintf(want, sizeof want, "usage: psinfo %s", names[i]);
            cr_expect(strncmp(r.out, want, strlen(want)) == 0, "%s --help printed:\n%s",
                      names[i], r.out);
            cr_expect(strstr(r.out, "--help"), "%s --help does not document --help", names[i]);
            cr_expect_str_eq(r.err, "");
            run_free(&r);
        }
    }
}

static void expect_usage_error(run_result *r, const char *what)
{
    cr_expect_eq(r->status, 2, "%s: status %d, want 2 (stderr: %s)", what, r->status, r->err);
    cr_expect(strstr(r->err, "usage: psinfo"), "%s: no usage on stderr: %s", what, r->err);
    cr_expect_str_eq(r->out, "", "%s: printed on stdout: %s", what, r->out);
    run_free(r);
}

Test(cli, bad_arguments_exit_2)
{
    run_result r = run_cli("no-such-command", NULL);
    expect_usage_error(&r, "unknown command");
    r = run_cli("--no-such-option", NULL);
    expect_usage_error(&r, "unknown global option");
    r = run_cli("--procfs", NULL);
    expect_usage_error(&r, "--procfs without value");
    r = run_cli("--procfs", "relative/dir", "version", NULL);
    expect_usage_error(&r, "--procfs relative");

    char names[64][32];
    int n = listed_commands(names, 64);
    for (int i = 0; i < n; i++) {
        char what[96];
        r = run_cli(names[i], "--definitely-not-an-option", NULL);
        snprintf(what, sizeof what, "%.31s --definitely-not-an-option", names[i]);
        expect_usage_error(&r, what);
        r = run_cli(names[i], "-Z", NULL);
        snprintf(what, sizeof what, "%.31s -Z", names[i]);
        expect_usage_error(&r, what);
        r = run_cli(names[i], "--help=x", NULL);
        snprintf(what, sizeof what, "%.31s --help=x", names[i]);
        expect_usage_error(&r, what);
    }
    /* value errors */
    r = run_cli("wait", NULL);
    expect_usage_error(&r, "wait without pid");
    r = run_cli("wait", "abc", NULL);
    expect_usage_error(&r, "wait abc");
    r = run_cli("wait", "0", NULL);
    expect_usage_error(&r, "wait 0");
    r = run_cli("wait", "-t", "-1", "1", NULL);
    expect_usage_error(&r, "wait -t -1");
    r = run_cli("wait", "--timeout", "nan", "1", NULL);
    expect_usage_error(&r, "wait --timeout nan");
    r = run_cli("wait", "--timeout", NULL);
    expect_usage_error(&r, "wait --timeout without value");
    r = run_cli("version", "extra", NULL);
    expect_usage_error(&r, "version extra");
}

/* ---- JSON validity of every command ------------------------------------------------------ */

static void expect_valid_json(const char *what, run_result *r)
{
    char *script = cli_script("check.py");
    run_result py = run_py(r->out, script, "json", NULL);
    cr_expect_eq(py.status, 0, "%s: JSON check failed: %s%s", what, py.out, py.err);
    run_free(&py);
    free(script);
}

Test(cli, json_valid_for_every_command)
{
    char names[64][32];
    int n = listed_commands(names, 64);
    char self[32];
    snprintf(self, sizeof self, "%d", (int)getpid());
    for (int i = 0; i < n; i++) {
        run_result r;
        if (strcmp(names[i], "metrics") == 0) continue; /* Prometheus text: test_cli_metrics */
        if (strcmp(names[i], "serve") == 0 || strcmp(names[i], "top") == 0) continue; /* servers, screens: their own tests */
        if (strcmp(names[i], "wait") == 0)
            r = run_cli("wait", "--json", "-t", "0", self, NULL);
        else if (strcmp(names[i], "proc") == 0)
            r = run_cli("proc", self, "--json", NULL);
        else if (strcmp(names[i], "cpu") == 0)
            r = run_cli("cpu", "--json", "--interval", "0.05", NULL);
        else
            r = run_cli(names[i], "--json", NULL);
        int want = strcmp(names[i], "wait") == 0 ? 3 : 0;
        cr_expect_eq(r.status, want, "%s --json: status %d, stderr %s", names[i], r.status,
                     r.err);
        cr_expect(r.out_len > 0, "%s --json printed nothing", names[i]);
        expect_valid_json(names[i], &r);
        run_free(&r);
    }
    /* the overview */
    run_result r = run_cli("--json", NULL);
    cr_expect_eq(r.status, 0, "psinfo --json: %d %s", r.status, r.err);
    expect_valid_json("overview", &r);
    run_free(&r);
}

/* ---- psinfo wait ----------------------------------------------------------------------- */

static pid_t spawn_sleeper(const char *seconds)
{
    pid_t p = fork();
    cr_assert(p >= 0);
    if (p == 0) {
        execl("/bin/sleep", "sleep", seconds, (char *)NULL);
        _exit(127);
    }
    return p;
}

Test(cli, wait_timeout_exit_3)
{
    pid_t child = spawn_sleeper("30");
    char pid[32];
    snprintf(pid, sizeof pid, "%d", (int)child);
    run_result r = run_cli("wait", "--timeout", "0.2", "-v", pid, NULL);
    cr_expect_eq(r.status, 3, "status %d, stderr %s", r.status, r.err);
    cr_expect(strstr(r.out, "still running"), "-v output: %s", r.out);
    run_free(&r);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
}

/* Does process pid hold a pidfd (a link "anon_inode:[pidfd]" in /proc/<pid>/fd)? */
static int holds_pidfd(pid_t pid)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(dir);
    if (!d) return 0;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        char path[320], link[64];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ssize_t n = readlink(path, link, sizeof link - 1);
        if (n > 0) {
            link[n] = 0;
            found = strcmp(link, "anon_inode:[pidfd]") == 0;
        }
    }
    closedir(d);
    return found;
}

/* Run `psinfo wait -v [extra] PID` on a child of ours whose fate is set by `script` (sh -c),
 * reap the child ourselves while psinfo waits, and return psinfo's wait status; *out gets
 * its -v output and *child_status what our waitpid collected. kill_sig: sent to the child
 * once psinfo is waiting (0: none). */
static int cli_wait_on_our_child(const char *script, int kill_sig, const char *extra,
                                 char **out, int *child_status)
{
    pid_t child = fork();
    cr_assert(child >= 0);
    if (child == 0) {
        execl("/bin/sh", "sh", "-c", script, (char *)NULL);
        _exit(127);
    }
    char pid[32];
    snprintf(pid, sizeof pid, "%d", (int)child);
    int ofd = memfd_create("wait-out", MFD_CLOEXEC);
    cr_assert(ofd >= 0);
    pid_t cli = fork();
    cr_assert(cli >= 0);
    if (cli == 0) {
        dup2(ofd, 1);
        if (extra)
            execl(cli_bin(), "psinfo", "wait", "-v", extra, "--timeout", "60", pid, (char *)NULL);
        else
            execl(cli_bin(), "psinfo", "wait", "-v", "--timeout", "60", pid, (char *)NULL);
        _exit(127);
    }
    if (kill_sig) {
        /* psinfo must hold its handle before the child dies: wait for its pidfd (or, without
         * one, give it time to start) */
        for (int i = 0; i < 4000 && !holds_pidfd(cli); i++) usleep(vg_running() ? 10000 : 2000);
        kill(child, kill_sig);
    }
    cr_assert_eq(waitpid(child, child_status, 0), child);
    int st;
    cr_assert_eq(waitpid(cli, &st, 0), cli);
    *out = slurp_fd(ofd, NULL);
    close(ofd);
    return st;
}

Test(cli, wait_exit_status_of_a_process_reaped_by_its_parent)
{
    /* The child is ours, not psinfo's: we reap it while psinfo waits. Where the kernel keeps
     * exit records (Linux 6.15+) psinfo reports its status and exits with it, as the shell's
     * wait would; elsewhere the status is unknown and psinfo exits 0. */
    int records = kernel_keeps_exit_records();
    /* under valgrind psinfo needs seconds to start: the child must outlive that */
    char *out;
    int child_st;
    int st = cli_wait_on_our_child(vg_running() ? "sleep 4; exit 42" : "sleep 0.5; exit 42", 0,
                                   NULL, &out, &child_st);
    cr_assert(WIFEXITED(child_st) && WEXITSTATUS(child_st) == 42);
    cr_expect(WIFEXITED(st), "psinfo wait status %d", st);
    if (records) {
        cr_expect_eq(WEXITSTATUS(st), 42, "psinfo wait exit %d, out %s", WEXITSTATUS(st), out);
        cr_expect(strstr(out, "exited with status 42 (via pidfd, status from the kernel's exit record)"),
                  "-v output: %s", out);
    } else {
        cr_expect_eq(WEXITSTATUS(st), 0, "psinfo wait exit %d, out %s", WEXITSTATUS(st), out);
        cr_expect(strstr(out, "gone") && (strstr(out, "(via pidfd)") || strstr(out, "(via fallback)")),
                  "-v output: %s", out);
    }
    free(out);
}

Test(cli, wait_killed_process_exits_128_plus_signal)
{
    int records = kernel_keeps_exit_records();
    char *out;
    int child_st;
    int st = cli_wait_on_our_child("exec sleep 60", SIGTERM, NULL, &out, &child_st);
    cr_assert(WIFSIGNALED(child_st) && WTERMSIG(child_st) == SIGTERM);
    cr_expect(WIFEXITED(st), "psinfo wait status %d", st);
    if (records) {
        cr_expect_eq(WEXITSTATUS(st), 128 + SIGTERM, "exit %d, out %s", WEXITSTATUS(st), out);
        cr_expect(strstr(out, "killed by signal 15 (via pidfd, status from the kernel's exit record)"),
                  "-v output: %s", out);
    } else {
        cr_expect_eq(WEXITSTATUS(st), 0, "exit %d, out %s", WEXITSTATUS(st), out);
    }
    free(out);
}

Test(cli, wait_forced_fallback_status_unknown)
{
    /* The fallback has no exit record to read: a process psinfo did not reap is gone with an
     * unknown status, exit 0 (the behaviour of kernels before 6.15). */
    setenv("PSINFO_WAIT_FORCE_FALLBACK", "1", 1);
    char *out;
    int child_st;
    int st = cli_wait_on_our_child(vg_running() ? "sleep 4; exit 42" : "sleep 0.5; exit 42", 0,
                                   NULL, &out, &child_st);
    unsetenv("PSINFO_WAIT_FORCE_FALLBACK");
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "psinfo wait status %d, out %s", st, out);
    cr_expect(strstr(out, "gone, exit status unknown (not our child) (via fallback)"), "-v output: %s", out);
    free(out);
}

Test(cli, wait_json_fallback_forced)
{
    /* PSINFO_WAIT_FORCE_FALLBACK=1 makes the library use the backoff loop: -v must say so */
    pid_t child = spawn_sleeper("30");
    char pid[32];
    snprintf(pid, sizeof pid, "%d", (int)child);
    const char *argv[] = { cli_bin(), "wait", "--json", "-t", "0.1", pid, NULL };
    const char *env[] = { "PSINFO_WAIT_FORCE_FALLBACK=1", NULL };
    run_result r = run_argv_env(argv, env, NULL);
    cr_expect_eq(r.status, 3, "status %d %s", r.status, r.err);
    expect_valid_json("wait --json", &r);
    cr_expect(strstr(r.out, "\"done\": false"), "%s", r.out);
    run_free(&r);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
}

Test(cli, absent_pid_is_an_error)
{
    pid_t gone = absent_pid();
    char pid[32];
    snprintf(pid, sizeof pid, "%d", (int)gone);
    run_result r = run_cli("wait", pid, NULL);
    cr_expect_eq(r.status, 1, "wait absent: status %d", r.status);
    cr_expect(strstr(r.err, pid), "wait absent: message %s", r.err);
    cr_expect_str_eq(r.out, "");
    run_free(&r);
}

Test(cli, wait_any_of_several)
{
    /* under valgrind psinfo needs seconds to start: the quick one must outlive that */
    pid_t quick = spawn_sleeper(vg_running() ? "4" : "0.3"), slow = spawn_sleeper("30");
    char q[32], s[32];
    snprintf(q, sizeof q, "%d", (int)quick);
    snprintf(s, sizeof s, "%d", (int)slow);
    int ofd = memfd_create("wait-any", MFD_CLOEXEC);
    cr_assert(ofd >= 0);
    pid_t cli = fork();
    cr_assert(cli >= 0);
    if (cli == 0) {
        dup2(ofd, 1);
        execl(cli_bin(), "psinfo", "wait", "--any", "--json", "--timeout", "20", s, q,
              (char *)NULL);
        _exit(127);
    }
    int st;
    cr_assert_eq(waitpid(quick, &st, 0), quick); /* reaping it is what psinfo observes */
    cr_assert_eq(waitpid(cli, &st, 0), cli);
    char *out = slurp_fd(ofd, NULL);
    close(ofd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d: %s", st, out);
    char *script = cli_script("check.py");
    run_result py = run_py(out, script, "wait-any", s, q, kernel_keeps_exit_records() ? "1" : "0", NULL);
    cr_expect_eq(py.status, 0, "%s%s\n%s", py.out, py.err, out);
    run_free(&py);
    free(script);
    free(out);
    kill(slow, SIGKILL);
    waitpid(slow, NULL, 0);
}

/* --rundir DIR: `users` reads DIR/utmp (ps_set_root(PS_ROOT_RUN)); a relative one is a usage
 * error. The utmp record is written here, so the expected answer is known. */
Test(cli, users_from_rundir)
{
    char dir[] = "/tmp/psinfo-clirun-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/utmp", dir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    struct utmpx u;
    memset(&u, 0, sizeof u);
    u.ut_type = USER_PROCESS;
    u.ut_pid = 4321;
    strncpy(u.ut_user, "dora", sizeof u.ut_user);
    strncpy(u.ut_line, "pts/3", sizeof u.ut_line);
    strncpy(u.ut_host, "10.0.0.7", sizeof u.ut_host);
    u.ut_tv.tv_sec = 1700000000;
    cr_assert_eq(fwrite(&u, sizeof u, 1, f), 1u);
    /* no tty and no host (a local login): psutil's Linux suser has terminal None, host '' */
    memset(u.ut_line, 0, sizeof u.ut_line);
    memset(u.ut_host, 0, sizeof u.ut_host);
    strncpy(u.ut_user, "eve", sizeof u.ut_user);
    cr_assert_eq(fwrite(&u, sizeof u, 1, f), 1u);
    fclose(f);
    run_result r = run_cli("--rundir", dir, "users", "--json", NULL);
    run_result e = run_cli("--rundir", "relative/run", "users", NULL);
    unlink(path);
    rmdir(dir);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect(strstr(r.out, "\"dora\"") && strstr(r.out, "\"pts/3\"") && strstr(r.out, "\"10.0.0.7\"") &&
                  strstr(r.out, "1700000000") && strstr(r.out, "4321"),
              "users --json: %s", r.out);
    cr_expect(strstr(r.out, "\"name\": \"eve\",\n    \"terminal\": null,\n    \"host\": \"\",\n"),
              "users --json: %s", r.out);
    run_free(&r);
    expect_usage_error(&e, "--rundir relative");
}
