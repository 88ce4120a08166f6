/*
 * The backend contract: what each platform (src/linux, src/bsd, src/windows, with shared
 * POSIX code in src/posix) implements. Back ends return NATIVE data only — ps__nstr holds
 * bytes on POSIX and UTF-16 units on Windows — and the portable core (the .c files in src/) turns every
 * native string into UTF-8 with the one decoder. A back end therefore cannot hand the user an
 * undecoded string. An operation a platform cannot do returns PS_ENOTSUP.
 *
 * Naming: ps__bk_<module>_<verb>. Arguments are already validated by the core (non-NULL
 * pointers, pid > 0), so back ends check only what the OS tells them.
 */
#ifndef PS_BACKEND_H
#define PS_BACKEND_H

#include "internal.h"

/* A native string: `data` points to `len` bytes (POSIX) or `len` uint16_t units (Windows),
 * not necessarily terminated; owned by the holder and released with ps__nstr_dispose. */
typedef struct ps__nstr {
    void *data;
    size_t len;
} ps__nstr;

void ps__nstr_dispose(ps__nstr *s);
/* Decode and dispose in one step (the core's usual path). */
int ps__nstr_decode(ps__nstr *s, char **out);

/* ---- processes (struct ps_proc is defined by each back end) ----------------------------- */

int ps__bk_proc_open(int64_t pid, ps_proc **out);
int ps__bk_proc_open_self(ps_proc **out);
void ps__bk_proc_free(ps_proc *proc);
int64_t ps__bk_proc_pid(const ps_proc *proc);
int ps__bk_proc_is_running(const ps_proc *proc, int *running);

/* ---- process getters and signals (issue 3; include/psinfo/proc.h) ---------------------- */
/* (proc getters: add declarations below this line) */

/* ---- enumeration and the process table (issue 3; include/psinfo/ptable.h) ------------- */
/* (ptable: add declarations below this line) */

/* ---- waiting (issue 4; include/psinfo/wait.h) ----------------------------------------- */
/* (wait: add declarations below this line) */
/* timeout: seconds >= 0, or -1 for no limit (validated by the core). */
int ps__bk_proc_wait(ps_proc *proc, double timeout, ps_wait_result *out);
/* status[] is zeroed by the core; n > 0; flags PS_WAIT_ALL/PS_WAIT_ANY. */
int ps__bk_proc_wait_many(ps_proc *const *procs, size_t n, double timeout, uint32_t flags,
                          ps_wait_status *status);

/* ---- system-wide: CPU, memory, disks, sensors, users, containers (issue 5; system.h) --- */
/* (system: add declarations below this line) */

/* ---- network (issue 5; include/psinfo/net.h) ----------------------------------------- */
/* (net: add declarations below this line) */

#endif /* PS_BACKEND_H */
