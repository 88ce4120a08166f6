/*
 * psinfo — processes: a handle that pins a process's identity, and its getters.
 */
#ifndef PSINFO_PROC_H
#define PSINFO_PROC_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * An open process. It pins the identity of the process it was opened on (on Linux an open
 * /proc/<pid> directory, a pidfd and the start time): once that process is gone every getter
 * returns PS_ENOPROC, even when a new process got the same PID. A handle may be used from
 * several threads at once. Freed with ps_proc_free().
 */
typedef struct ps_proc ps_proc;

/* Open the process pid. PS_EINVAL for pid <= 0 or a NULL out; PS_ENOPROC if there is no such
 * process (or pid is beyond the OS's range). */
PS_EXTERN int ps_proc_open(int64_t pid, ps_proc **out);
/* Open the calling process. */
PS_EXTERN int ps_proc_open_self(ps_proc **out);
/* Free a handle (NULL is a no-op). */
PS_EXTERN void ps_proc_free(ps_proc *proc);
/* The handle's PID (-1 for a NULL handle). */
PS_EXTERN int64_t ps_proc_pid(const ps_proc *proc);
/*
 * *running = 1 while the pinned process exists (zombies included, as psutil), 0 once it is gone
 * — even if its PID was reused. PS_EINVAL for NULL arguments.
 */
PS_EXTERN int ps_proc_is_running(const ps_proc *proc, int *running);

#ifdef __cplusplus
}
#endif

#endif /* PSINFO_PROC_H */
