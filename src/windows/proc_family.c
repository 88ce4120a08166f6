/* SPDX-License-Identifier: MIT */
/*
 * Windows back end: the process tree. children() reads every (pid, ppid)
 * from one NtQuerySystemInformation(SystemProcessInformation) snapshot (psutil's ppid_map);
 * the core then opens each child and keeps only those not older than the parent, as psutil
 * does, since Windows keeps a dead parent's PID in its children and reuses PIDs.
 */
#include <stdint.h>
#include <stdlib.h>

#include "nt.h"
#include "winproc.h"

int ps__bk_proc_pid_ppid_pairs(int64_t **pairs, size_t *count)
{
    ps__nt_snapshot s;
    int rc = ps__nt_snapshot_take(&s, "ps_proc_children");
    if (rc) return rc;
    size_t n = 0;
    for (const ps__nt_process *e = ps__nt_snapshot_next(&s, NULL); e; e = ps__nt_snapshot_next(&s, e)) n++;
    int64_t *v = malloc((n ? n : 1) * 2 * sizeof *v);
    if (!v) {
        ps__nt_snapshot_dispose(&s);
        return ps__error(PS_ENOMEM, 0, "ps_proc_children: out of memory");
    }
    size_t k = 0;
    for (const ps__nt_process *e = ps__nt_snapshot_next(&s, NULL); e; e = ps__nt_snapshot_next(&s, e)) {
        int64_t pid = (int64_t)(uintptr_t)e->UniqueProcessId;
        int64_t ppid = (int64_t)(uintptr_t)e->InheritedFromUniqueProcessId;
        /* The Idle process (0) names itself as its parent: no process is its own child. */
        if (pid == ppid) continue;
        v[2 * k] = pid;
        v[2 * k + 1] = ppid;
        k++;
    }
    ps__nt_snapshot_dispose(&s);
    *pairs = v;
    *count = k;
    return 0;
}
