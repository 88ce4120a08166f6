/* SPDX-License-Identifier: MIT */
/* psinfo CLI — JSON shapes of system values shared by several commands. */
#ifndef PSINFO_CLI_SYSOUT_H
#define PSINFO_CLI_SYSOUT_H

#include "cli.h"

void cli_json_vmem(cli_json *j, const ps_vmem *m);
void cli_json_swap(cli_json *j, const ps_swapmem *s);
void cli_json_cpu_times(cli_json *j, const ps_cputimes *t);
void cli_json_disk_usage(cli_json *j, const ps_diskusage *u);
/* getloadavg()'s three values as an array. */
void cli_json_loadavg(cli_json *j, const double load[3]);
/* The 10 Linux fields of t in psutil's order, and their names. */
void cli_cpu_times_fields(const ps_cputimes *t, double v[10]);
const char *cli_cpu_field_name(int i);

#endif
