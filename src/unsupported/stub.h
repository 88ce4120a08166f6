/* SPDX-License-Identifier: MIT */
/* One macro per arity that defines a back-end entry point this platform does not have: it
 * ignores its arguments and returns PS_ENOTSUP with "<api>: not supported on this platform
 * yet". backend.h declares every ps__bk_ function, so a stub whose parameter types drift from
 * the declaration fails to compile. Stubs that do more (clear an out-list, a different
 * message) are written out in full. */
#ifndef PS_UNSUPPORTED_STUB_H
#define PS_UNSUPPORTED_STUB_H

#include "../backend.h"

#define PS__STUB1(fn, api, T1) \
    int fn(T1 a1) { (void)a1; return PS__NOTSUP(api); }
#define PS__STUB2(fn, api, T1, T2) \
    int fn(T1 a1, T2 a2) { (void)a1, (void)a2; return PS__NOTSUP(api); }
#define PS__STUB3(fn, api, T1, T2, T3) \
    int fn(T1 a1, T2 a2, T3 a3) { (void)a1, (void)a2, (void)a3; return PS__NOTSUP(api); }
#define PS__STUB4(fn, api, T1, T2, T3, T4)                          \
    int fn(T1 a1, T2 a2, T3 a3, T4 a4)                              \
    {                                                               \
        (void)a1, (void)a2, (void)a3, (void)a4;                     \
        return PS__NOTSUP(api);                                     \
    }

#endif
