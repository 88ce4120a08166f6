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

#endif /* PS_TEST_HOOKS_H */
