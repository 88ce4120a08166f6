/* SPDX-License-Identifier: MIT */
/*
 * fd leak check shared by the test suites: count the calling process's open file
 * descriptors (/proc/self/fd entries, not counting the scan's own). Header-only so a suite just
 * includes it:
 *
 *     int before = fdcheck_count();
 *     ... the test group ...
 *     cr_assert_eq(fdcheck_count(), before);   (or FDCHECK_ASSERT_SAME(before))
 *
 * Criterion runs each test in a forked worker, so a per-test check is exact: count in the
 * .init fixture and compare in .fini (see tests/test_reliability_badinput.c).
 */
#ifndef PS_TEST_FDCHECK_H
#define PS_TEST_FDCHECK_H

#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

/* Number of open fds, or -1 if /proc/self/fd cannot be read. */
static inline int fdcheck_count(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') n++;
    }
    closedir(d);
    return n - 1; /* the DIR's own fd */
}

/* Print the open fds (for a failure message). */
static inline void fdcheck_dump(FILE *to)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char path[300], target[512];
        snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
        ssize_t n = readlink(path, target, sizeof target - 1);
        target[n > 0 ? n : 0] = '\0';
        fprintf(to, "  fd %s -> %s\n", e->d_name, target);
    }
    closedir(d);
}

/*
 * FDCHECK_SUITE(name): declare Criterion suite `name` with an .init/.fini pair that counts the
 * open fds before and after every test of the suite (Criterion runs suite .init, then the test's
 * own .init, the test, the test's .fini, then suite .fini, so per-test fixtures stay balanced).
 * Use once per suite, in place of TestSuite(name); include <criterion/criterion.h> first.
 */
#define FDCHECK_SUITE(name)                                                                      \
    static int fdcheck_before_##name;                                                            \
    static void fdcheck_init_##name(void) { fdcheck_before_##name = fdcheck_count(); }          \
    static void fdcheck_fini_##name(void)                                                        \
    {                                                                                            \
        int after_ = fdcheck_count();                                                            \
        if (after_ != fdcheck_before_##name) fdcheck_dump(stderr);                              \
        cr_expect_eq(after_, fdcheck_before_##name, "open fds: %d before the test, %d after",   \
                     fdcheck_before_##name, after_);                                             \
    }                                                                                            \
    TestSuite(name, .init = fdcheck_init_##name, .fini = fdcheck_fini_##name)

#endif
