/* bsd process handle: not implemented yet — every call says so (PS_ENOTSUP). */
#include <stdlib.h>

#include "../backend.h"

struct ps_proc {
    int64_t pid;
};

int ps__bk_proc_open(int64_t pid, ps_proc **out)
{
    (void)pid;
    (void)out;
    return ps__error(PS_ENOTSUP, 0, "process handles are not implemented on this platform yet");
}

int ps__bk_proc_open_self(ps_proc **out)
{
    (void)out;
    return ps__error(PS_ENOTSUP, 0, "process handles are not implemented on this platform yet");
}

void ps__bk_proc_free(ps_proc *proc)
{
    free(proc);
}

int64_t ps__bk_proc_pid(const ps_proc *proc)
{
    return proc->pid;
}

int ps__bk_proc_is_running(const ps_proc *proc, int *running)
{
    (void)proc;
    (void)running;
    return ps__error(PS_ENOTSUP, 0, "process handles are not implemented on this platform yet");
}
