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
/* The columns of ps_cputimes in storage order (user ... guest_nice, dpc), NaN where the
 * platform lacks one, and their psutil names. */
#define CLI_CPU_FIELDS 11
void cli_cpu_times_fields(const ps_cputimes *t, double v[CLI_CPU_FIELDS]);
const char *cli_cpu_field_name(int i);

#endif
