/* SPDX-License-Identifier: MIT */
/* psinfo CLI — the Prometheus metrics shared by `psinfo metrics` and `psinfo serve`. */
#ifndef PSINFO_CLI_METRICS_H
#define PSINFO_CLI_METRICS_H

#include "cli.h"

/* Per-process series: every process (pid, name labels), none, the top N by CPU since the
 * previous scan, or one set of series per process name / user / cgroup (bounded, as
 * process-exporter's groups). */
typedef enum cli_proc_kind {
    CLI_PROC_ALL = 0,
    CLI_PROC_NONE = 1,
    CLI_PROC_TOP = 2,
    CLI_PROC_NAME = 3,
    CLI_PROC_USER = 4,
    CLI_PROC_CGROUP = 5
} cli_proc_kind;

typedef struct cli_metrics_mode {
    cli_proc_kind kind;
    size_t top_n;
} cli_metrics_mode;

/* "all", "none", "top:N", "name", "user", "cgroup". */
bool cli_metrics_parse_mode(const char *s, cli_metrics_mode *m);
/* The scanner fields the mode needs. */
uint64_t cli_metrics_fields(const cli_metrics_mode *m);
/* What grouped series keep between scrapes (metrics_groups.c): each process's group and CPU
 * seconds, and what exited members left in their group, so a group's CPU counter never drops. */
typedef struct cli_groups_state cli_groups_state;
cli_groups_state *cli_groups_state_new(void);
void cli_groups_state_free(cli_groups_state *st);
/* System metrics, then (sc not NULL) process counts by status and the per-process series;
 * groups (NULL: none kept, the counters are sums over the live members) is used and updated
 * by the grouped modes (one writer at a time). */
void cli_metrics_write(cli_prom *p, const cli_metrics_mode *m, const ps_scan *sc, cli_groups_state *groups);
/* The grouped series (metrics_groups.c). */
void cli_metrics_groups(cli_prom *p, const cli_metrics_mode *m, const ps_scan *sc, cli_groups_state *groups);

#endif
