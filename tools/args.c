/* SPDX-License-Identifier: MIT */
/* psinfo CLI — argument parsing and usage messages. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_prog = "psinfo";

static const cli_opt help_opt = { "help", 'h', NULL, "show this help and exit" };

int cli_opt_index(const cli_cmd *cmd, const char *lname)
{
    for (int i = 0; cmd->opts && cmd->opts[i].lname; i++)
        if (strcmp(cmd->opts[i].lname, lname) == 0) return i;
    return -1;
}

int cli_flag(const cli_cmd *cmd, const cli_args *a, const char *lname)
{
    int i = cli_opt_index(cmd, lname);
    return i < 0 ? 0 : a->count[i];
}

const char *cli_value(const cli_cmd *cmd, const cli_args *a, const char *lname)
{
    int i = cli_opt_index(cmd, lname);
    return i < 0 ? NULL : a->value[i];
}

static void print_usage_line(const cli_cmd *cmd, FILE *f)
{
    if (cmd->name[0])
        fprintf(f, "usage: %s %s%s%s\n", cli_prog, cmd->name, cmd->synopsis[0] ? " " : "",
                cmd->synopsis);
    else
        fprintf(f, "usage: %s %s\n", cli_prog, cmd->synopsis);
}

static void print_opt(FILE *f, const cli_opt *o)
{
    char left[64];
    if (o->sname)
        snprintf(left, sizeof left, "-%c, --%s%s%s", o->sname, o->lname, o->metavar ? " " : "",
                 o->metavar ? o->metavar : "");
    else
        snprintf(left, sizeof left, "    --%s%s%s", o->lname, o->metavar ? " " : "",
                 o->metavar ? o->metavar : "");
    fprintf(f, "  %-26s %s\n", left, o->help);
}

void cli_print_help(const cli_cmd *cmd, FILE *f)
{
    print_usage_line(cmd, f);
    fprintf(f, "\n%s\n", cmd->summary);
    if (cmd->details) fprintf(f, "\n%s\n", cmd->details);
    fprintf(f, "\noptions:\n");
    print_opt(f, &help_opt);
    for (int i = 0; cmd->opts && cmd->opts[i].lname; i++) print_opt(f, &cmd->opts[i]);
}

int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", cli_prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    print_usage_line(cmd, stderr);
    fprintf(stderr, "Try '%s%s%s --help' for more information.\n", cli_prog,
            cmd->name[0] ? " " : "", cmd->name);
    return CLI_EXIT_USAGE;
}

/* Returns the option index, -2 for --help, -1 if unknown. */
static int find_long(const cli_cmd *cmd, const char *name, size_t len)
{
    if (len == 4 && strncmp(name, "help", 4) == 0) return -2;
    for (int i = 0; cmd->opts && cmd->opts[i].lname; i++)
        if (strlen(cmd->opts[i].lname) == len && strncmp(cmd->opts[i].lname, name, len) == 0)
            return i;
    return -1;
}

static int find_short(const cli_cmd *cmd, char c)
{
    if (c == 'h') return -2;
    for (int i = 0; cmd->opts && cmd->opts[i].lname; i++)
        if (cmd->opts[i].sname == c) return i;
    return -1;
}

/*
 * Returns -1 when parsing succeeded, otherwise the exit status to return (0 after --help,
 * CLI_EXIT_USAGE after an error).
 */
int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_args *out)
{
    memset(out, 0, sizeof *out);
    bool only_pos = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            if (out->npos >= CLI_MAX_POS) return cli_usage_error(cmd, "too many arguments");
            out->pos[out->npos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) { only_pos = true; continue; }
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            int k = find_long(cmd, name, len);
            if (k == -2) {
                if (eq) return cli_usage_error(cmd, "option '--help' takes no value");
                cli_print_help(cmd, stdout);
                return CLI_EXIT_OK;
            }
            if (k < 0) return cli_usage_error(cmd, "unknown option '%s'", a);
            const cli_opt *o = &cmd->opts[k];
            if (o->metavar) {
                const char *v = eq ? eq + 1 : NULL;
                if (!v) {
                    if (i + 1 >= argc)
                        return cli_usage_error(cmd, "option '--%s' needs a value", o->lname);
                    v = argv[++i];
                }
                out->value[k] = v;
            } else if (eq) {
                return cli_usage_error(cmd, "option '--%s' takes no value", o->lname);
            }
            out->count[k]++;
            continue;
        }
        /* A cluster of short options: -vj, -t5, -t 5. A negative number is not an option. */
        if (a[1] >= '0' && a[1] <= '9') {
            if (out->npos >= CLI_MAX_POS) return cli_usage_error(cmd, "too many arguments");
            out->pos[out->npos++] = a;
            continue;
        }
        for (const char *p = a + 1; *p; p++) {
            int k = find_short(cmd, *p);
            if (k == -2) {
                cli_print_help(cmd, stdout);
                return CLI_EXIT_OK;
            }
            if (k < 0) return cli_usage_error(cmd, "unknown option '-%c'", *p);
            const cli_opt *o = &cmd->opts[k];
            out->count[k]++;
            if (o->metavar) {
                if (p[1]) { out->value[k] = p + 1; break; }
                if (i + 1 >= argc) return cli_usage_error(cmd, "option '-%c' needs a value", *p);
                out->value[k] = argv[++i];
                break;
            }
        }
    }
    if (out->npos < cmd->min_pos) return cli_usage_error(cmd, "missing argument");
    if (cmd->max_pos >= 0 && out->npos > cmd->max_pos)
        return cli_usage_error(cmd, "unexpected argument '%s'", out->pos[cmd->max_pos]);
    return -1;
}

bool cli_parse_pid(const char *s, int64_t *pid)
{
    uint64_t v;
    if (!cli_parse_uint(s, &v) || v == 0 || v > INT64_MAX) return false;
    *pid = (int64_t)v;
    return true;
}

bool cli_parse_uint(const char *s, uint64_t *out)
{
    if (!s || !*s) return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9') return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return false;
    *out = (uint64_t)v;
    return true;
}

bool cli_parse_seconds(const char *s, double *out)
{
    if (!s || !*s) return false;
    /* digits with an optional fraction; no sign, no exponent, no hex, no inf/nan */
    bool dot = false, digit = false;
    for (const char *p = s; *p; p++) {
        if (*p == '.' && !dot) dot = true;
        else if (*p >= '0' && *p <= '9') digit = true;
        else return false;
    }
    if (!digit) return false;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < 0 || v > 1e9) return false;
    *out = v;
    return true;
}

int cli_lib_error(int rc, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", cli_prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    ps_error_detail d;
    if (rc == PS_ENOPROC || rc == PS_EACCES || rc == PS_EZOMBIE || rc == PS_ENOTSUP ||
        ps_error_last(&d) != 0 || d.code != rc || d.message[0] == '\0')
        fprintf(stderr, ": %s\n", ps_strerror(rc));
    else
        fprintf(stderr, ": %s (%s)\n", ps_strerror(rc), d.message);
    return CLI_EXIT_ERROR;
}
