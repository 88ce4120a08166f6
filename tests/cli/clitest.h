/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the CLI suites: run the built psinfo (PSINFO_CLI) or Python (/usr/bin/python3)
 * with captured stdout/stderr, count open fds. Header-only (static functions) so each suite
 * stays one translation unit.
 */
#ifndef PSINFO_TEST_CLITEST_H
#define PSINFO_TEST_CLITEST_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#define PYTHON "/usr/bin/python3"

typedef struct run_result {
    int status;     /* exit status, or 128 + signal */
    char *out;      /* captured stdout (NUL-terminated) */
    size_t out_len;
    char *err;      /* captured stderr */
    size_t err_len;
} run_result;

static inline const char *cli_bin(void)
{
    const char *p = getenv("PSINFO_CLI");
    cr_assert(p && *p, "PSINFO_CLI is not set (run through meson test)");
    return p;
}

static inline const char *src_root(void)
{
    const char *p = getenv("PSINFO_SOURCE_ROOT");
    cr_assert(p && *p, "PSINFO_SOURCE_ROOT is not set (run through meson test)");
    return p;
}

static inline char *slurp_fd(int fd, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    cr_assert(buf);
    lseek(fd, 0, SEEK_SET);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            cr_assert(buf);
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        cr_assert(r >= 0, "read: %s", strerror(errno));
        if (r == 0) break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/*
 * Run argv (argv[0] is the program path) with env additions ("NAME=value" strings, or NULL),
 * stdin from /dev/null or from `input`, capturing both outputs. Returns the result; free with
 * run_free.
 */
static inline run_result run_argv_env(const char *const *argv, const char *const *env,
                                      const char *input)
{
    run_result r;
    memset(&r, 0, sizeof r);
    int ofd = memfd_create("cli-out", MFD_CLOEXEC);
    int efd = memfd_create("cli-err", MFD_CLOEXEC);
    int ifd = memfd_create("cli-in", MFD_CLOEXEC);
    cr_assert(ofd >= 0 && efd >= 0 && ifd >= 0);
    if (input) {
        size_t n = strlen(input);
        cr_assert(write(ifd, input, n) == (ssize_t)n);
        lseek(ifd, 0, SEEK_SET);
    }
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int in = input ? ifd : open("/dev/null", O_RDONLY);
        dup2(in, 0);
        dup2(ofd, 1);
        dup2(efd, 2);
        for (int i = 0; env && env[i]; i++) putenv((char *)env[i]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0) cr_assert(errno == EINTR);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.out = slurp_fd(ofd, &r.out_len);
    r.err = slurp_fd(efd, &r.err_len);
    close(ofd);
    close(efd);
    close(ifd);
    return r;
}

static inline void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Run psinfo with the given arguments (NULL-terminated list). COLUMNS is fixed to 100. */
static inline run_result run_cli(const char *first, ...)
{
    static const char *const env[] = { "COLUMNS=100", "NO_COLOR=", NULL };
    va_list ap;
    const char *argv[64];
    int n = 0;
    argv[n++] = cli_bin();
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *)) {
        cr_assert(n < 63);
        argv[n++] = a;
    }
    va_end(ap);
    argv[n] = NULL;
    return run_argv_env(argv, env, NULL);
}

/* Run psinfo with an argv array (argv[0] ignored and replaced by the CLI path). */
static inline run_result run_cli_argv(const char **argv)
{
    static const char *const env[] = { "COLUMNS=100", "NO_COLOR=", NULL };
    argv[0] = cli_bin();
    return run_argv_env(argv, env, NULL);
}

/* Run /usr/bin/python3 SCRIPT ARGS... with `input` on stdin (may be NULL). */
static inline run_result run_py(const char *input, const char *script, ...)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = PYTHON;
    argv[n++] = script;
    va_list ap;
    va_start(ap, script);
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL) {
        cr_assert(n < 63);
        argv[n++] = a;
    }
    va_end(ap);
    argv[n] = NULL;
    static const char *const env[] = { "PYTHONIOENCODING=utf-8", NULL };
    return run_argv_env(argv, env, input);
}

/* Path of a file of tests/cli in the source tree (static buffer per call site is not needed:
 * the caller frees). */
static inline char *cli_script(const char *name)
{
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/tests/cli/%s", src_root(), name) > 0);
    return p;
}

/* A PID that does not exist right now: a reaped child's PID, checked against /proc. */
static inline pid_t absent_pid(void)
{
    for (int tries = 0; tries < 100; tries++) {
        pid_t p = fork();
        cr_assert(p >= 0);
        if (p == 0) _exit(0);
        waitpid(p, NULL, 0);
        char path[64];
        snprintf(path, sizeof path, "/proc/%d", (int)p);
        if (access(path, F_OK) != 0) return p;
    }
    cr_assert_fail("could not find an absent pid");
    return -1;
}

#endif /* PSINFO_TEST_CLITEST_H */
