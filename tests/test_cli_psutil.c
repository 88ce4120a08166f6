/* SPDX-License-Identifier: MIT */
/*
 * CLI against psutil: `psinfo X --json` compared with psutil (/usr/bin/python3) by
 * tests/cli/check.py — partitions and usage, memory, CPU, users; processes in test_cli_proc.c.
 * Moving values have the tolerances documented in check.py; a comparison that fails is retried
 * (other test suites churn the machine) and must pass within three attempts.
 */
#include "cli/clitest.h"
#include "helpers/fdcheck.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(cli_psutil);

/* Run psinfo ARGS..., pipe stdout to check.py MODE [MARG]; retry up to 3 times. */
static void compare(const char *mode, const char *marg, const char *const *args)
{
    char *script = cli_script("check.py");
    char last[4096] = "";
    bool ok = false;
    for (int attempt = 0; attempt < 3 && !ok; attempt++) {
        const char *argv[32];
        int n = 0;
        argv[n++] = "psinfo";
        for (int i = 0; args[i]; i++) argv[n++] = args[i];
        argv[n] = NULL;
        run_result r = run_cli_argv(argv);
        cr_assert_eq(r.status, 0, "psinfo %s: status %d: %s", args[0], r.status, r.err);
        run_result py = run_py(r.out, script, mode, marg, NULL);
        ok = py.status == 0;
        snprintf(last, sizeof last, "%s%s", py.out, py.err);
        run_free(&py);
        run_free(&r);
    }
    cr_expect(ok, "psinfo %s differs from psutil:\n%s", args[0], last);
    free(script);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

Test(cli_psutil, disks_match_disk_partitions_and_usage)
{
    compare("disks", NULL, ARGS("disks", "--json"));
}

Test(cli_psutil, disks_all_match_disk_partitions_all)
{
    compare("disks", "all", ARGS("disks", "--all", "--json"));
}

Test(cli_psutil, mem_matches_virtual_and_swap_memory)
{
    compare("mem", NULL, ARGS("mem", "--json"));
}

Test(cli_psutil, cpu_matches_counts_and_times)
{
    compare("cpu", NULL, ARGS("cpu", "--interval", "0.1", "--json"));
}

Test(cli_psutil, users_match)
{
    compare("users", NULL, ARGS("users", "--json"));
}

Test(cli_psutil, net_matches_addrs_stats_counters_and_listeners)
{
    /* a listener of our own, so the connection table has a row with a known owner */
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert(s >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert(bind(s, (struct sockaddr *)&sa, sizeof sa) == 0);
    cr_assert(listen(s, 1) == 0);
    socklen_t len = sizeof sa;
    cr_assert(getsockname(s, (struct sockaddr *)&sa, &len) == 0);
    compare("net", NULL, ARGS("net", "--json"));
    /* and the human view names it */
    char port[32];
    snprintf(port, sizeof port, "127.0.0.1:%d ", ntohs(sa.sin_port));
    run_result r = run_cli("net", NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, port), "listener %s not shown:\n%s", port, r.out);
    run_free(&r);
    close(s);
}
