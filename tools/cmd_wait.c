/* SPDX-License-Identifier: MIT */
/* psinfo CLI — psinfo wait PID... : wait for processes to exit through the library. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const cli_opt wait_opts[] = {
    { "timeout", 't', "S", "give up after S seconds (default: wait forever); 0 = just check" },
    { "any", 0, NULL, "return as soon as one process has ended" },
    { "verbose", 'v', NULL, "say how each process ended and which mechanism saw it" },
    { "json", 'j', NULL, "print the outcome as JSON" },
    { NULL, 0, NULL, NULL },
};

static const char *mech_name(int32_t m)
{
    switch (m) {
    case PS_WAIT_MECH_PIDFD: return "pidfd";
    case PS_WAIT_MECH_KQUEUE: return "kqueue";
    case PS_WAIT_MECH_WINDOWS: return "windows-handle";
    case PS_WAIT_MECH_FALLBACK: return "fallback";
    default: return "unknown";
    }
}

static const char *source_name(int32_t s)
{
    switch (s) {
    case PS_WAIT_SOURCE_REAPED: return "reaped";
    case PS_WAIT_SOURCE_PIDFD_INFO: return "pidfd-exit-record";
    case PS_WAIT_SOURCE_EXIT_CODE: return "exit-code";
    default: return NULL;
    }
}

/* What -v adds after the mechanism: where a known status came from. */
static const char *source_note(int32_t s)
{
    switch (s) {
    case PS_WAIT_SOURCE_REAPED: return ", reaped by psinfo";
    case PS_WAIT_SOURCE_PIDFD_INFO: return ", status from the kernel's exit record";
    case PS_WAIT_SOURCE_EXIT_CODE: return ", status from the OS";
    default: return "";
    }
}

/* The shell's convention for a process's fate: its exit status, or 128 + the signal. -1 when
 * the status is unknown. */
static int shell_status(const ps_wait_result *r)
{
    if (r->kind == PS_WAIT_EXITED) return r->code & 0xff;
    if (r->kind == PS_WAIT_SIGNALED) return 128 + (r->code & 0x7f);
    return -1;
}

/* psinfo's exit status once the wait is over: like the shell's `wait`, the fate of the last
 * PID named (with --any: of the first that ended), 0 when that fate is unknown. */
static int ended_status(const ps_wait_status *st, size_t n, bool any)
{
    for (size_t k = 0; k < n; k++) {
        size_t i = any ? k : n - 1 - k;
        if (!st[i].done) continue;
        int s = shell_status(&st[i].result);
        return s < 0 ? CLI_EXIT_OK : s;
    }
    return CLI_EXIT_OK;
}

static const char *kind_name(int32_t k)
{
    switch (k) {
    case PS_WAIT_EXITED: return "exited";
    case PS_WAIT_SIGNALED: return "signaled";
    default: return "gone";
    }
}

static int run_wait(const cli_cmd *cmd, const cli_args *a)
{
    double timeout = PS_TIMEOUT_INFINITE;
    const char *tv = cli_value(cmd, a, "timeout");
    if (tv && !cli_parse_seconds(tv, &timeout))
        return cli_usage_error(cmd, "invalid timeout '%s' (seconds expected)", tv);
    int64_t pids[CLI_MAX_POS];
    for (int i = 0; i < a->npos; i++)
        if (!cli_parse_pid(a->pos[i], &pids[i]))
            return cli_usage_error(cmd, "invalid PID '%s'", a->pos[i]);
    bool verbose = cli_flag(cmd, a, "verbose") > 0, json = cli_flag(cmd, a, "json") > 0;

    size_t n = (size_t)a->npos;
    ps_proc **procs = cli_xmalloc(n * sizeof *procs);
    ps_wait_status *st = cli_xmalloc(n * sizeof *st);
    memset(st, 0, n * sizeof *st);
    int status = CLI_EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        int rc = ps_proc_open(pids[i], &procs[i]);
        if (rc) {
            if (rc == PS_ENOPROC)
                fprintf(stderr, "%s: no such process: %" PRId64 "\n", cli_prog, pids[i]);
            else
                cli_lib_error(rc, "process %" PRId64, pids[i]);
            for (size_t k = 0; k < i; k++) ps_proc_free(procs[k]);
            free(procs);
            free(st);
            return CLI_EXIT_ERROR;
        }
    }
    size_t ndone = 0;
    int rc = ps_proc_wait_many(procs, n, timeout, cli_flag(cmd, a, "any") ? PS_WAIT_ANY
                                                                          : PS_WAIT_ALL,
                               st, &ndone);
    if (rc) {
        status = cli_lib_error(rc, "wait");
    } else {
        bool any_error = false;
        for (size_t i = 0; i < n; i++) any_error |= st[i].error != 0;
        bool any = cli_flag(cmd, a, "any") > 0;
        if (any_error) status = CLI_EXIT_ERROR;
        else if (ndone < n && !(any && ndone > 0)) status = CLI_EXIT_TIMEOUT;
        else status = ended_status(st, n, any);
        if (json) {
            cli_json j;
            cli_json_init(&j, stdout, true);
            cli_json_arr_begin(&j);
            for (size_t i = 0; i < n; i++) {
                const ps_wait_result *r = &st[i].result;
                cli_json_obj_begin(&j);
                cli_json_key(&j, "pid"); cli_json_int(&j, pids[i]);
                cli_json_key(&j, "done"); cli_json_bool(&j, st[i].done != 0);
                cli_json_key(&j, "error");
                if (st[i].error) cli_json_str(&j, ps_err_name(st[i].error));
                else cli_json_null(&j);
                cli_json_key(&j, "kind");
                if (st[i].done) cli_json_str(&j, kind_name(r->kind)); else cli_json_null(&j);
                /* psutil's Process.wait() value: exit code, -signal, or None when unknown */
                cli_json_key(&j, "returncode");
                if (st[i].done && r->kind != PS_WAIT_UNKNOWN) cli_json_int(&j, r->returncode);
                else cli_json_null(&j);
                cli_json_key(&j, "core_dumped");
                if (st[i].done && r->kind == PS_WAIT_SIGNALED) cli_json_bool(&j, r->core_dumped != 0);
                else cli_json_null(&j);
                cli_json_key(&j, "mechanism");
                if (st[i].done) cli_json_str(&j, mech_name(r->mechanism)); else cli_json_null(&j);
                cli_json_key(&j, "source");
                const char *src = st[i].done ? source_name(r->source) : NULL;
                if (src) cli_json_str(&j, src); else cli_json_null(&j);
                cli_json_obj_end(&j);
            }
            cli_json_arr_end(&j);
            cli_json_end(&j);
        }
        for (size_t i = 0; i < n && !json; i++) {
            const ps_wait_result *r = &st[i].result;
            if (st[i].error) {
                fprintf(stderr, "%s: %" PRId64 ": %s\n", cli_prog, pids[i],
                        ps_strerror(st[i].error));
                continue;
            }
            if (!verbose) continue;
            if (!st[i].done) {
                printf("%" PRId64 ": still running (timed out)\n", pids[i]);
            } else if (r->kind == PS_WAIT_EXITED) {
                printf("%" PRId64 ": exited with status %d (via %s%s)\n", pids[i], (int)r->code,
                       mech_name(r->mechanism), source_note(r->source));
            } else if (r->kind == PS_WAIT_SIGNALED) {
                printf("%" PRId64 ": killed by signal %d%s (via %s%s)\n", pids[i], (int)r->code,
                       r->core_dumped ? ", core dumped" : "", mech_name(r->mechanism),
                       source_note(r->source));
            } else {
                printf("%" PRId64 ": gone, exit status unknown (not our child) (via %s)\n",
                       pids[i], mech_name(r->mechanism));
            }
        }
    }
    for (size_t i = 0; i < n; i++) ps_proc_free(procs[i]);
    free(procs);
    free(st);
    return status;
}

const cli_cmd cli_cmd_wait = {
    "wait", "PID... [--timeout S] [--any] [-v] [--json]",
    "Wait for processes to exit (event-driven: pidfd, kqueue, process handles).",
    "Exit status, once every process ended (with --any: at least one): that of the last PID\n"
    "named (with --any: the first that ended), as the shell's wait gives it (its exit code, or\n"
    "128 + the signal number), or 0 when it is unknown (a process that was not psinfo's child,\n"
    "on a kernel that keeps no exit record for it: before Linux 6.15). Otherwise 3 the timeout\n"
    "expired, 1 an error (e.g. no such process), 2 bad arguments. -v and --json tell a\n"
    "process's own 1, 2 or 3 apart from psinfo's.",
    wait_opts, 1, CLI_MAX_POS, run_wait,
};
