/* SPDX-License-Identifier: MIT */
/* Process enumeration and the process table: not implemented on this platform yet
 * (PS_ENOTSUP, never an empty list that looks like data). */
#include "../backend.h"

int ps__bk_pids(int64_t **pids, size_t *count)
{
    (void)pids;
    (void)count;
    return PS__NOTSUP("ps_pids");
}

int ps__bk_pid_exists(int64_t pid, int *exists)
{
    (void)pid;
    (void)exists;
    return PS__NOTSUP("ps_pid_exists");
}

int ps__bk_ptable_scan(uint64_t fields, uint32_t flags, ps__ptable_builder *b)
{
    (void)fields;
    (void)flags;
    (void)b;
    return PS__NOTSUP("ps_ptable_scan");
}

int ps__bk_proc_snapshot(ps_proc *p, uint64_t fields, ps__ptable_builder *b)
{
    (void)p;
    (void)fields;
    (void)b;
    return PS__NOTSUP("ps_proc_snapshot");
}
