/* SPDX-License-Identifier: MIT */
/* psinfo CLI — process output shared by proc, ps, tree, the overview and metrics. */
#ifndef PSINFO_CLI_PROCOUT_H
#define PSINFO_CLI_PROCOUT_H

#include "cli.h"

/* Fields of psutil's Process.as_dict(), one bit each. */
enum {
    CLI_PF_CMDLINE = 1u << 0,
    CLI_PF_CONNECTIONS = 1u << 1,
    CLI_PF_CPU_AFFINITY = 1u << 2,
    CLI_PF_CPU_NUM = 1u << 3,
    CLI_PF_CPU_PERCENT = 1u << 4,
    CLI_PF_CPU_TIMES = 1u << 5,
    CLI_PF_CREATE_TIME = 1u << 6,
    CLI_PF_CWD = 1u << 7,
    CLI_PF_ENVIRON = 1u << 8,
    CLI_PF_EXE = 1u << 9,
    CLI_PF_GIDS = 1u << 10,
    CLI_PF_IO_COUNTERS = 1u << 11,
    CLI_PF_IONICE = 1u << 12,
    CLI_PF_MEMORY_FULL_INFO = 1u << 13,
    CLI_PF_MEMORY_INFO = 1u << 14,
    CLI_PF_MEMORY_MAPS = 1u << 15,
    CLI_PF_MEMORY_PERCENT = 1u << 16,
    CLI_PF_NAME = 1u << 17,
    CLI_PF_NICE = 1u << 18,
    CLI_PF_NUM_CTX_SWITCHES = 1u << 19,
    CLI_PF_NUM_FDS = 1u << 20,
    CLI_PF_NUM_THREADS = 1u << 21,
    CLI_PF_OPEN_FILES = 1u << 22,
    CLI_PF_PID = 1u << 23,
    CLI_PF_PPID = 1u << 24,
    CLI_PF_STATUS = 1u << 25,
    CLI_PF_TERMINAL = 1u << 26,
    CLI_PF_THREADS = 1u << 27,
    CLI_PF_UIDS = 1u << 28,
    CLI_PF_USERNAME = 1u << 29
};
/* psutil 8's new keys (net_connections replaces 5.9's connections, memory_footprint and
 * memory_info_ex are new; 5.9's keys stay as aliases where psutil 8 still answers them). Past
 * bit 30: 64-bit constants, not enumerators (an enumerator must fit an int). */
#define CLI_PF_MEMORY_FOOTPRINT ((uint64_t)1 << 30)
#define CLI_PF_MEMORY_INFO_EX ((uint64_t)1 << 31)
#define CLI_PF_NET_CONNECTIONS ((uint64_t)1 << 32)
#define CLI_PF_PAGE_FAULTS ((uint64_t)1 << 33)
/* psutil's Windows-only key: written only where the platform has it (not PS_ENOTSUP), as
 * psutil's as_dict() has no num_handles elsewhere. */
#define CLI_PF_NUM_HANDLES ((uint64_t)1 << 34)
#define CLI_PF_ALL (((uint64_t)1 << 35) - 1)

/* What `psinfo ps --json` writes at least (docs/cli.md), plus the two percentages. */
#define CLI_PF_PS (CLI_PF_PID | CLI_PF_PPID | CLI_PF_NAME | CLI_PF_EXE | CLI_PF_CWD | \
                   CLI_PF_USERNAME | CLI_PF_STATUS | CLI_PF_CREATE_TIME | CLI_PF_CMDLINE | \
                   CLI_PF_NUM_THREADS | CLI_PF_MEMORY_INFO | CLI_PF_CPU_TIMES | CLI_PF_UIDS | \
                   CLI_PF_GIDS | CLI_PF_TERMINAL | CLI_PF_NICE | CLI_PF_CPU_PERCENT | \
                   CLI_PF_MEMORY_PERCENT)

/* psutil's process namedtuples as JSON objects, field names and order as psutil's (procjson.c);
 * the memory tuples have psutil 8's per-platform fields, a figure the platform lacks is null. */
void cli_json_strv(cli_json *j, const char *const *items, size_t count);
void cli_json_ids(cli_json *j, const ps_proc_ids *ids);
void cli_json_cputimes(cli_json *j, const ps_proc_cputimes *t);
void cli_json_proc_io(cli_json *j, const ps_proc_io *io);
void cli_json_ctxsw(cli_json *j, const ps_proc_ctxsw *c);
void cli_json_mem(cli_json *j, const ps_proc_mem *m);
void cli_json_fullmem(cli_json *j, const ps_proc_fullmem *m);
void cli_json_mem_ex(cli_json *j, const ps_proc_mem_ex *x);
void cli_json_footprint(cli_json *j, const ps_proc_footprint *fp);

/* Values computed outside the process (rates, totals). */
typedef struct cli_proc_extra {
    bool have_cpu_percent;
    double cpu_percent;     /* over the command's sampling interval */
    uint64_t mem_total;     /* for memory_percent; 0 = unknown (null) */
} cli_proc_extra;

/*
 * Write one process as an as_dict() object with the selected fields. Returns PS_ENOPROC if the
 * process vanished while it was being read (the object is still closed, so callers that want
 * to drop it use cli_json_mark/cli_json_rollback), else 0.
 */
int cli_proc_json(cli_json *j, ps_proc *p, uint64_t fields, const cli_proc_extra *extra);
/* The "connections" value (psutil's net_connections of the process), null when unsupported. */
void cli_proc_json_connections(cli_json *j, ps_proc *p, bool *gone);

/* One process-table record as an as_dict() object (the requested fields; absent → null). With
 * ex, also cpu_percent and memory_percent. */
void cli_record_json(cli_json *j, const ps_ptable_record *r, uint64_t fields,
                     const cli_proc_extra *ex);
/*
 * Scan the table twice, `interval` seconds apart, and compute each process's CPU percent
 * (psutil's cpu_percent: not divided by the CPU count). *out: the second table with `fields`
 * (plus cpu_times, create_time); *cpu_pct: one value per record, NaN when unknown (new
 * process, or no access). Free with ps_ptable_free and free.
 */
/* ps's STAT letter of a ps_process_status (R, S, D, T, Z, I, ...). */
const char *cli_status_letter(int32_t st);
int cli_ptable_rates(uint64_t fields, double interval, ps_ptable **out, double **cpu_pct);
/* The command line joined by spaces, or "[name]" when there is none (kernel threads). */
char *cli_record_command(const ps_ptable_record *r);

/* Open the process named by a PID argument; prints "no such process" or the error on stderr. */
int cli_open_pid(const char *arg, ps_proc **out);

#endif
