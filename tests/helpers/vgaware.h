/* SPDX-License-Identifier: MIT */
/*
 * What running under valgrind changes for a test (the whole suite under memcheck), so
 * that a suite can relax exactly the assertions valgrind makes impossible and nothing else.
 * Every relaxed assertion logs what it did not check (vg_note), on stderr, where the
 * scripts/valgrind-suite.sh logs keep it.
 *
 *   vg_running()        1 in a process run by valgrind: RUNNING_ON_VALGRIND when
 *                       <valgrind/valgrind.h> is installed, else PSINFO_UNDER_VALGRIND=1 (set by
 *                       scripts/valgrind-suite.sh).
 *   vg_pidfd_usable()   1 if pidfd_open works in this process. valgrind 3.19 does not know the
 *                       syscall and answers ENOSYS, as a seccomp filter or a kernel before 5.3
 *                       would: the library then waits through its fallback, and a test that
 *                       expects PS_WAIT_MECH_PIDFD must expect PS_WAIT_MECH_FALLBACK instead.
 *   vg_slow(x)          a time or CPU bound x, widened under valgrind (x * VG_SLOWDOWN): code
 *                       runs ~20-50 times slower on valgrind's synthetic CPU, so bounds meant for
 *                       a native run cannot hold, while a hang or a busy loop still fails.
 *   vg_is_tool_exe(s)   s is valgrind's tool binary (".../memcheck-amd64-linux"): under valgrind
 *                       /proc/<pid>/exe of a traced process is the tool, not the program.
 *   vg_is_tool_comm(s)  s is the tool's comm ("memcheck-amd64-", the 15-byte truncation).
 */
#ifndef PS_TEST_VGAWARE_H
#define PS_TEST_VGAWARE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define VG_HAVE_CLIENT_REQUESTS 1
#endif
#endif

#define VG_SLOWDOWN 25.0

static inline int vg_running(void)
{
#ifdef VG_HAVE_CLIENT_REQUESTS
    if (RUNNING_ON_VALGRIND) return 1;
#endif
    const char *e = getenv("PSINFO_UNDER_VALGRIND");
    return e != NULL && strcmp(e, "1") == 0;
}

static inline int vg_pidfd_usable(void)
{
    int saved = errno;
    long fd = syscall(434 /* pidfd_open */, (long)getpid(), 0L);
    if (fd >= 0) close((int)fd);
    errno = saved;
    return fd >= 0;
}

static inline double vg_slow(double x)
{
    return vg_running() ? x * VG_SLOWDOWN : x;
}

static inline int vg_is_tool_exe(const char *s)
{
    const char *b = s ? strrchr(s, '/') : NULL;
    return b != NULL && strncmp(b + 1, "memcheck-", 9) == 0;
}

static inline int vg_is_tool_comm(const char *s)
{
    return s != NULL && strncmp(s, "memcheck-", 9) == 0;
}

/* Log an assertion that was not made, and why (once per call site and process is enough). */
#define vg_note(...)                                                                             \
    do {                                                                                         \
        fprintf(stderr, "[vgaware] %s:%d: not checked: ", __FILE__, __LINE__);                  \
        fprintf(stderr, __VA_ARGS__);                                                            \
        fputc('\n', stderr);                                                                     \
    } while (0)

#endif
