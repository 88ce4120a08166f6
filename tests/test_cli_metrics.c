/* SPDX-License-Identifier: MIT */
/*
 * CLI metrics: `psinfo metrics` must pass `promtool check metrics` (Debian's prometheus
 * package), including while a process whose name holds a quote, a backslash and an invalid
 * UTF-8 byte is running (label escaping); a few values are cross-checked with psutil.
 */
#include "cli/clitest.h"
#include "helpers/fdcheck.h"

#include <limits.h>

#define PROMTOOL "/usr/bin/promtool"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(cli_metrics);

static void promtool_check(const char *text)
{
    cr_assert(access(PROMTOOL, X_OK) == 0, "promtool is not installed (Debian: prometheus)");
    const char *argv[] = { PROMTOOL, "check", "metrics", NULL };
    run_result r = run_argv_env(argv, NULL, text);
    cr_expect_eq(r.status, 0, "promtool check metrics failed:\n%s%s", r.out, r.err);
    run_free(&r);
}

Test(cli_metrics, promtool_accepts_the_output)
{
    run_result r = run_cli("metrics", NULL);
    cr_assert_eq(r.status, 0, "psinfo metrics: %d %s", r.status, r.err);
    cr_expect(strstr(r.out, "# TYPE psinfo_cpu_seconds_total counter\n"));
    cr_expect(strstr(r.out, "# TYPE psinfo_memory_total_bytes gauge\n"));
    cr_expect(strstr(r.out, "psinfo_process_resident_memory_bytes{pid=\"1\","));
    promtool_check(r.out);
    /* values against psutil */
    char *script = cli_script("check.py");
    run_result py = run_py(r.out, script, "prom", NULL);
    cr_expect_eq(py.status, 0, "%s%s", py.out, py.err);
    run_free(&py);
    free(script);
    run_free(&r);

    r = run_cli("metrics", "--no-processes", NULL);
    cr_assert_eq(r.status, 0);
    cr_expect(!strstr(r.out, "psinfo_process_"), "per-process series with --no-processes");
    promtool_check(r.out);
    run_free(&r);
}

Test(cli_metrics, label_values_are_escaped)
{
    /* a process named  q"b\s<0xff>  (its comm, the name label) */
    char base[] = "/tmp/psinfo-cli-prom-XXXXXX";
    cr_assert(mkdtemp(base));
    char exe[256];
    snprintf(exe, sizeof exe, "%s/q\"b\\s\xff", base);
    int in = open("/bin/sleep", O_RDONLY | O_CLOEXEC);
    int out = open(exe, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
    cr_assert(in >= 0 && out >= 0);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) cr_assert(write(out, buf, (size_t)n) == n);
    close(in);
    close(out);
    pid_t p = fork();
    cr_assert(p >= 0);
    if (p == 0) {
        execl(exe, exe, "60", (char *)NULL);
        _exit(127);
    }
    char link[64], target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/%d/exe", (int)p);
    for (int i = 0; i < 500; i++) {
        ssize_t k = readlink(link, target, sizeof target - 1);
        if (k > 0 && (target[k] = '\0', strcmp(target, exe) == 0)) break;
        usleep(2000);
    }
    run_result r = run_cli("metrics", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char want[128];
    snprintf(want, sizeof want, "{pid=\"%d\",name=\"q\\\"b\\\\s\\\\xff\"}", (int)p);
    cr_expect(strstr(r.out, want), "no series with %s", want);
    promtool_check(r.out);
    run_free(&r);
    kill(p, SIGKILL);
    waitpid(p, NULL, 0);
    unlink(exe);
    rmdir(base);
}
