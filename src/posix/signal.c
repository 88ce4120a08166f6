/* SPDX-License-Identifier: MIT */
/* The signal an operation sends on every Unix (ps__bk_proc_signal's op). */
#include <signal.h>

#include "posix.h"

int ps__posix_signal(int op, int32_t sig, int *out)
{
    switch (op) {
    case PS__SIG_SUSPEND: sig = SIGSTOP; break;
    case PS__SIG_RESUME: sig = SIGCONT; break;
    case PS__SIG_TERMINATE: sig = SIGTERM; break;
    case PS__SIG_KILL: sig = SIGKILL; break;
    default: break;
    }
    if (sig < 0 || sig >= NSIG) return ps__error(PS_EINVAL, 0, "invalid signal %d", (int)sig);
    *out = sig;
    return 0;
}
