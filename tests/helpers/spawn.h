/* SPDX-License-Identifier: MIT */
/*
 * Test helpers shared by the process suites (and free for other modules' tests): spawn a
 * child with a given cwd/exe/argv/envp (bytes, so invalid UTF-8 is fine), a zombie, a process
 * of another user; count fds; run a command and capture its output; hex-encode bytes.
 * Test code only (not part of the library). Every helper aborts the test on setup failure
 * via its return value (-1 / NULL); callers assert on it.
 */
#ifndef PS_TEST_SPAWN_H
#define PS_TEST_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

/* fork + chdir(cwd) (if not NULL) + execve(exe, argv, envp). Returns once the exec succeeded
 * (a CLOEXEC pipe reports failure), or -1. */
pid_t ph_spawn_exec(const char *cwd, const char *exe, char *const argv[], char *const envp[]);
/* fork a child that pause()s forever. Returns its pid or -1. */
pid_t ph_spawn_pause(void);
/* fork a child that exits at once and is NOT reaped: returns once /proc/<pid>/stat says 'Z'. */
pid_t ph_spawn_zombie(void);
/* fork a child that drops to gid/uid and pause()s; returns once the drop is visible. */
pid_t ph_spawn_as_user(uid_t uid, gid_t gid);
/* SIGKILL (if alive) and reap a child. */
void ph_reap(pid_t pid);
/* Run a shell command, return its stdout (malloc'd, NUL-terminated) or NULL. */
char *ph_capture(const char *cmd);
/* Hex of n bytes (malloc'd); "\"\"" for n == 0 (as tests/helpers/psutil_dump.py). */
char *ph_hex(const void *data, size_t n);
/* The state letter of /proc/<pid>/stat, or 0. */
char ph_state(pid_t pid);

#endif
