/* SPDX-License-Identifier: MIT */
/*
 * Hooks for the library's own tests and benchmarks. Not part of the public API: not installed,
 * not exported from the shared library (the tests and benchmarks link the static library).
 */
#ifndef PS_TEST_HOOKS_H
#define PS_TEST_HOOKS_H

/*
 * Force the wait fallback (backoff loop) for every later wait in this process: on = 1 forces
 * it, 0 restores the fast path. Overrides PSINFO_WAIT_FORCE_FALLBACK (read once at the first
 * wait). Returns 0, or PS_EINVAL for other values of on.
 */
int ps__wait_force_fallback(int on);

/*
 * The cgroup limits of a process named by number (0 = the caller), read by path under the
 * configured root: the fixture trees have no process a handle could pin. The API's form is
 * ps_proc_cgroup_limits (a handle). Same codes; PS_EINVAL for pid < 0.
 */
#include <stdint.h>
#include "psinfo/system.h"
int ps__cgroup_limits_pid(int64_t pid, ps_cgroup_limits **out);

#endif /* PS_TEST_HOOKS_H */
