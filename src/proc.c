/* Process handles: argument checks, then the back end; native strings decoded here. */
#include <stdlib.h>

#include "backend.h"

void ps__nstr_dispose(ps__nstr *s)
{
    free(s->data);
    s->data = NULL;
    s->len = 0;
}

int ps__nstr_decode(ps__nstr *s, char **out)
{
    int rc = ps__decode_native(s->data, s->len, out, NULL);
    ps__nstr_dispose(s);
    return rc;
}

int ps_proc_open(int64_t pid, ps_proc **out)
{
    if (!out) return ps__error(PS_EINVAL, 0, "ps_proc_open: out is NULL");
    *out = NULL;
    if (pid <= 0) return ps__error(PS_EINVAL, 0, "ps_proc_open: pid %lld is not positive", (long long)pid);
    return ps__bk_proc_open(pid, out);
}

int ps_proc_open_self(ps_proc **out)
{
    if (!out) return ps__error(PS_EINVAL, 0, "ps_proc_open_self: out is NULL");
    *out = NULL;
    return ps__bk_proc_open_self(out);
}

void ps_proc_free(ps_proc *proc)
{
    if (proc) ps__bk_proc_free(proc);
}

int64_t ps_proc_pid(const ps_proc *proc)
{
    return proc ? ps__bk_proc_pid(proc) : -1;
}

int ps_proc_is_running(const ps_proc *proc, int *running)
{
    if (!proc || !running) return ps__error(PS_EINVAL, 0, "ps_proc_is_running: NULL argument");
    return ps__bk_proc_is_running(proc, running);
}

const char *ps_process_status_name(ps_process_status status)
{
    static const char *const names[] = {
        "running", "sleeping", "disk-sleep", "stopped", "tracing-stop", "zombie", "dead",
        "wake-kill", "waking", "idle", "parked", "locked", "waiting", "suspended",
    };
    if ((int)status < 0 || (size_t)status >= sizeof names / sizeof names[0]) return "?";
    return names[status];
}

void ps_proc_strlist_free(ps_proc_strlist *list)
{
    free(list);
}
