/* SPDX-License-Identifier: MIT */
/*
 * psinfo — the command-line tool, built only on the public API (<psinfo.h>).
 *
 *   psinfo [GLOBAL OPTIONS] [COMMAND [ARGS]]
 *
 * Global options (before the command): --procfs DIR, --sysfs DIR, --rundir DIR (also
 * $PSINFO_PROCFS, $PSINFO_SYSFS, $PSINFO_RUNDIR) point the library at another /proc, /sys or
 * /var/run (a container's, or a fixture tree);
 * --version; --help. Every command has --help; data commands have --json. Bad arguments print
 * the usage on stderr and exit 2. See docs/cli.md.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

extern const cli_cmd cli_cmd_overview;
extern const cli_cmd cli_cmd_version;
extern const cli_cmd cli_cmd_wait;
extern const cli_cmd cli_cmd_cpu;
extern const cli_cmd cli_cmd_proc;
extern const cli_cmd cli_cmd_ps;
extern const cli_cmd cli_cmd_tree;
extern const cli_cmd cli_cmd_net;
extern const cli_cmd cli_cmd_metrics;
extern const cli_cmd cli_cmd_serve;
extern const cli_cmd cli_cmd_top;
extern const cli_cmd cli_cmd_mem;
extern const cli_cmd cli_cmd_disks;
extern const cli_cmd cli_cmd_sensors;
extern const cli_cmd cli_cmd_users;

const cli_cmd *const cli_commands[] = {
    &cli_cmd_ps,
    &cli_cmd_proc,
    &cli_cmd_tree,
    &cli_cmd_disks,
    &cli_cmd_mem,
    &cli_cmd_cpu,
    &cli_cmd_net,
    &cli_cmd_sensors,
    &cli_cmd_users,
    &cli_cmd_wait,
    &cli_cmd_metrics,
    &cli_cmd_serve,
    &cli_cmd_top,
    &cli_cmd_version,
    NULL,
};

/* ---- psinfo version -------------------------------------------------------------------- */

static const cli_opt version_opts[] = {
    { "json", 'j', NULL, "print as JSON" },
    { NULL, 0, NULL, NULL },
};

static const char *policy_name(ps_errors_policy p)
{
    return p == PS_ERRORS_REPLACE ? "replace" : "surrogateescape";
}

static int run_version(const cli_cmd *cmd, const cli_args *a)
{
    if (cli_flag(cmd, a, "json")) {
        cli_json j;
        cli_json_init(&j, stdout, true);
        cli_json_obj_begin(&j);
        cli_json_key(&j, "version");
        cli_json_str(&j, ps_version());
        cli_json_key(&j, "version_number");
        cli_json_uint(&j, ps_version_number());
        cli_json_key(&j, "errors_policy");
        cli_json_str(&j, policy_name(ps_get_errors_policy()));
        cli_json_obj_end(&j);
        cli_json_end(&j);
        return 0;
    }
    printf("psinfo %s\n", ps_version());
    printf("string policy: %s\n", policy_name(ps_get_errors_policy()));
    return 0;
}

const cli_cmd cli_cmd_version = {
    "version", "[--json]", "Show the library version and string policy.", NULL,
    version_opts, 0, 0, run_version,
};

/* ---- top level ----------------------------------------------------------------------------- */

static void print_main_help(FILE *f)
{
    fprintf(f,
            "usage: %s [--procfs DIR] [--sysfs DIR] [--rundir DIR] [COMMAND [OPTIONS]]\n"
            "       %s --version | --help\n"
            "\nSystem and process information (libpsinfo %s).\n"
            "Without a command: an overview (host, uptime, CPU, memory, disks, busiest "
            "processes).\n\ncommands:\n",
            cli_prog, cli_prog, ps_version());
    for (int i = 0; cli_commands[i]; i++)
        if (cli_commands[i]->name[0])
            fprintf(f, "  %-10s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    fprintf(f,
            "\nglobal options:\n"
            "  --procfs DIR   read DIR instead of /proc (also $PSINFO_PROCFS)\n"
            "  --sysfs DIR    read DIR instead of /sys (also $PSINFO_SYSFS)\n"
            "  --rundir DIR   read DIR/utmp instead of /var/run/utmp (also $PSINFO_RUNDIR)\n"
            "  --version      print the version and exit\n"
            "  -h, --help     show this help and exit\n"
            "\nRun '%s COMMAND --help' for a command's options.\n",
            cli_prog);
}

static int main_usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", cli_prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nusage: %s [--procfs DIR] [--sysfs DIR] [--rundir DIR] [COMMAND [OPTIONS]]\n"
                    "Try '%s --help' for more information.\n", cli_prog, cli_prog);
    return CLI_EXIT_USAGE;
}

static int set_root(ps_root_kind kind, const char *path, const char *what)
{
    int rc = ps_set_root(kind, path);
    if (rc == PS_EINVAL) {
        return main_usage_error("%s needs an absolute directory", what);
    }
    if (rc != 0) return cli_lib_error(rc, "%s", what);
    return 0;
}

static int run_command(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(cmd, argc, argv, &a);
    if (rc >= 0) return rc;
    rc = cmd->run(cmd, &a);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: error writing output\n", cli_prog);
        return CLI_EXIT_ERROR;
    }
    return rc;
}

int main(int argc, char **argv)
{
    /* keep the C numeric locale (JSON and Prometheus need '.'); only LC_CTYPE follows the user */
    setlocale(LC_CTYPE, "");
    const char *procfs = getenv("PSINFO_PROCFS");
    const char *sysfs = getenv("PSINFO_SYSFS");
    const char *rundir = getenv("PSINFO_RUNDIR");
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_main_help(stdout);
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            printf("psinfo %s\n", ps_version());
            return 0;
        }
        if (strcmp(a, "--procfs") == 0 || strcmp(a, "--sysfs") == 0 || strcmp(a, "--rundir") == 0) {
            if (i + 1 >= argc) return main_usage_error("option '%s' needs a value", a);
            if (a[2] == 'p') procfs = argv[++i];
            else if (a[2] == 's') sysfs = argv[++i];
            else rundir = argv[++i];
            continue;
        }
        if (strncmp(a, "--procfs=", 9) == 0) { procfs = a + 9; continue; }
        if (strncmp(a, "--sysfs=", 8) == 0) { sysfs = a + 8; continue; }
        if (strncmp(a, "--rundir=", 9) == 0) { rundir = a + 9; continue; }
        if (a[0] == '-' && a[1] != '\0') {
            /* an option of the overview command (psinfo --json) */
            break;
        }
        break;
    }
    if (procfs && *procfs) {
        int rc = set_root(PS_ROOT_PROC, procfs, "--procfs");
        if (rc) return rc;
    }
    if (sysfs && *sysfs) {
        int rc = set_root(PS_ROOT_SYS, sysfs, "--sysfs");
        if (rc) return rc;
    }
    if (rundir && *rundir) {
        int rc = set_root(PS_ROOT_RUN, rundir, "--rundir");
        if (rc) return rc;
    }
    if (i >= argc || argv[i][0] == '-')
        return run_command(&cli_cmd_overview, argc - i, argv + i);
    for (int k = 0; cli_commands[k]; k++)
        if (cli_commands[k]->name[0] && strcmp(cli_commands[k]->name, argv[i]) == 0)
            return run_command(cli_commands[k], argc - i - 1, argv + i + 1);
    return main_usage_error("unknown command '%s'", argv[i]);
}
