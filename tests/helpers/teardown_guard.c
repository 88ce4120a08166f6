/* SPDX-License-Identifier: MIT */
/*
 * Makes a failed assertion in a .fini fixture fail its test. Criterion 2.4 reports an
 * assertion that fails in .fini (after the test body's result was sent) but still counts the
 * test as passed and exits 0, so the per-test open-fd checks of the suites' .fini fixtures
 * (helpers/fdcheck.h) would print and never fail. Linked into every suite (tests/meson.build):
 * a POST_FINI hook (run in the runner process) notices a test that passed with a failed
 * assertion — which can only have come from its teardown — and the POST_ALL hook counts those
 * tests as failed and makes the runner exit with status 1.
 */
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static size_t teardown_failures;

static void exit_failed(void)
{
    fflush(NULL);
    _exit(1);
}

ReportHook(POST_FINI)(struct criterion_test_stats *stats)
{
    if (stats->test_status == CR_STATUS_PASSED && stats->failed_asserts > 0) {
        stats->test_status = CR_STATUS_FAILED;
        teardown_failures++;
        fprintf(stderr, "[FAIL] %s::%s: an assertion of its teardown (.fini) failed\n",
                stats->test->category, stats->test->name);
    }
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
    if (teardown_failures == 0) return;
    stats->tests_failed += teardown_failures;
    stats->tests_passed -= teardown_failures;
    fprintf(stderr, "[====] %zu test(s) failed in teardown\n", teardown_failures);
    atexit(exit_failed);
}
