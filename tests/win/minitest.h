/* SPDX-License-Identifier: MIT */
/*
 * minitest.h — a tiny test runner for the Windows test programs (Criterion is not available
 * for mingw-w64). Header only, plain C99, no dependencies beyond stdio/stdlib/string.
 *
 * Writing a Windows test program (tests/win/test_<name>.c):
 *
 *     #include "minitest.h"
 *     #include <psinfo.h>
 *
 *     MT_TEST(wait_rejects_null)                 // defines and registers a test
 *     {
 *         MT_CHECK_EQ_INT(ps_proc_wait(NULL, 0, NULL), PS_EINVAL);
 *         MT_CHECK(1 + 1 == 2);                  // records a failure, test continues
 *         MT_REQUIRE(ptr != NULL);               // records a failure, test stops here
 *         MT_CHECK_STR_EQ(s, "expected");
 *         MT_CHECK_MEM_EQ(got, got_len, want, want_len);
 *     }
 *
 *     MT_MAIN()                                  // defines main(); exactly once per program
 *
 * Registration uses a constructor (GCC/Clang attribute), so there is no list to maintain; the
 * order tests run in is unspecified (mingw runs them last-defined first): keep them independent. Inside a test, mt_argc/mt_argv hold the program's arguments (after
 * the optional test-name filter, see below) and MT_LOG(...) prints an indented note.
 *
 * Running: the program runs every test and prints one line per test ("PASS name" /
 * "FAIL name") plus each failed check with file:line; the exit status is 0 when every test
 * passed, 1 otherwise (77, meson's "skipped", if MT_SKIP() was called and nothing failed).
 * `prog --test NAME [args...]` runs only NAME. Remaining arguments reach tests via mt_argv.
 *
 * Wiring (tests/win/meson.build, built only when backend == 'windows'): add one line to the
 * win_tests dictionary, e.g. `'wait_win' : files('test_wait_win.c'),`; it is then built, linked
 * statically against libpsinfo and run by `meson test -C build-win` under wine (see
 * cross/mingw-w64.ini). Suite name = the key.
 */
#ifndef PS_MINITEST_H
#define PS_MINITEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MT_MAX_TESTS
#define MT_MAX_TESTS 256
#endif

typedef void (*mt_fn)(void);

typedef struct mt_state {
    const char *names[MT_MAX_TESTS];
    mt_fn fns[MT_MAX_TESTS];
    int count;
    int overflow;
    int current_failed;   /* checks failed in the running test */
    int skipped;          /* the running test called MT_SKIP */
    long checks;          /* total checks evaluated */
} mt_state;

static mt_state mt_g;
static int mt_argc;
static char **mt_argv;

__attribute__((unused)) static void mt_register(const char *name, mt_fn fn)
{
    if (mt_g.count >= MT_MAX_TESTS) {
        mt_g.overflow = 1;
        return;
    }
    mt_g.names[mt_g.count] = name;
    mt_g.fns[mt_g.count] = fn;
    mt_g.count++;
}

#define MT_TEST(name)                                                                    \
    static void mt_test_##name(void);                                                    \
    __attribute__((constructor)) static void mt_reg_##name(void)                         \
    {                                                                                    \
        mt_register(#name, mt_test_##name);                                              \
    }                                                                                    \
    static void mt_test_##name(void)

__attribute__((unused)) static void mt_fail_at(const char *file, int line, const char *expr)
{
    mt_g.current_failed++;
    printf("    %s:%d: check failed: %s\n", file, line, expr);
}

#define MT_LOG(...) (printf("    "), printf(__VA_ARGS__), printf("\n"))

#define MT_CHECK(cond)                                                                   \
    do {                                                                                 \
        mt_g.checks++;                                                                   \
        if (!(cond)) mt_fail_at(__FILE__, __LINE__, #cond);                              \
    } while (0)

#define MT_REQUIRE(cond)                                                                 \
    do {                                                                                 \
        mt_g.checks++;                                                                   \
        if (!(cond)) {                                                                   \
            mt_fail_at(__FILE__, __LINE__, #cond);                                       \
            return;                                                                      \
        }                                                                                \
    } while (0)

#define MT_CHECK_EQ_INT(a, b)                                                            \
    do {                                                                                 \
        long long mt_a_ = (long long)(a), mt_b_ = (long long)(b);                        \
        mt_g.checks++;                                                                   \
        if (mt_a_ != mt_b_) {                                                            \
            mt_fail_at(__FILE__, __LINE__, #a " == " #b);                                \
            printf("      got %lld, expected %lld\n", mt_a_, mt_b_);                     \
        }                                                                                \
    } while (0)

#define MT_CHECK_STR_EQ(a, b)                                                            \
    do {                                                                                 \
        const char *mt_a_ = (a), *mt_b_ = (b);                                           \
        mt_g.checks++;                                                                   \
        if (!mt_a_ || !mt_b_ || strcmp(mt_a_, mt_b_) != 0) {                             \
            mt_fail_at(__FILE__, __LINE__, #a " equals " #b);                            \
            printf("      got \"%s\", expected \"%s\"\n", mt_a_ ? mt_a_ : "(null)",      \
                   mt_b_ ? mt_b_ : "(null)");                                            \
        }                                                                                \
    } while (0)

#define MT_CHECK_MEM_EQ(a, an, b, bn)                                                    \
    do {                                                                                 \
        size_t mt_an_ = (size_t)(an), mt_bn_ = (size_t)(bn);                             \
        mt_g.checks++;                                                                   \
        if (mt_an_ != mt_bn_ || (mt_an_ && memcmp((a), (b), mt_an_) != 0))               \
            mt_fail_at(__FILE__, __LINE__, #a " has the bytes of " #b);                  \
    } while (0)

/* Mark the running test skipped (e.g. a feature wine lacks) and leave it. */
#define MT_SKIP(reason)                                                                  \
    do {                                                                                 \
        mt_g.skipped = 1;                                                                \
        printf("    skipped: %s\n", reason);                                             \
        return;                                                                          \
    } while (0)

__attribute__((unused)) static int mt_run(int argc, char **argv)
{
    const char *only = NULL;
    if (argc > 2 && strcmp(argv[1], "--test") == 0) {
        only = argv[2];
        argc -= 2;
        argv += 2;
    }
    mt_argc = argc;
    mt_argv = argv;
    if (mt_g.overflow) {
        printf("minitest: more than %d tests; raise MT_MAX_TESTS\n", MT_MAX_TESTS);
        return 1;
    }
    int failed = 0, passed = 0, skipped = 0, ran = 0;
    for (int i = 0; i < mt_g.count; i++) {
        if (only && strcmp(only, mt_g.names[i]) != 0) continue;
        ran++;
        mt_g.current_failed = 0;
        mt_g.skipped = 0;
        printf("RUN  %s\n", mt_g.names[i]);
        fflush(stdout);
        mt_g.fns[i]();
        if (mt_g.current_failed) {
            failed++;
            printf("FAIL %s (%d failed checks)\n", mt_g.names[i], mt_g.current_failed);
        } else if (mt_g.skipped) {
            skipped++;
            printf("SKIP %s\n", mt_g.names[i]);
        } else {
            passed++;
            printf("PASS %s\n", mt_g.names[i]);
        }
        fflush(stdout);
    }
    if (only && ran == 0) {
        printf("minitest: no test named %s\n", only);
        return 1;
    }
    printf("%d passed, %d failed, %d skipped, %ld checks\n", passed, failed, skipped,
           mt_g.checks);
    if (failed) return 1;
    if (ran == 0 || (skipped && !passed)) return 77;
    return 0;
}

#define MT_MAIN()                                                                        \
    int main(int argc, char **argv)                                                      \
    {                                                                                    \
        return mt_run(argc, argv);                                                       \
    }

#endif /* PS_MINITEST_H */
