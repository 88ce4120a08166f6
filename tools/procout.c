/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — one process as psutil's Process.as_dict(): the same keys, namedtuples as objects
 * with the same field names, lists as arrays, and null where psutil's as_dict puts its ad_value
 * (access denied, zombie) or where this platform cannot answer (PS_ENOTSUP).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "procout.h"

/* true if the value is there; PS_ENOPROC marks the process gone (the caller drops it). */
static bool ok(int rc, bool *gone)
{
    if (rc == PS_ENOPROC) *gone = true;
    return rc == 0;
}

/* ---- one writer per as_dict() key: the value, or null where psutil puts its ad_value ------ */

typedef void key_writer(cli_json *j, ps_proc *p, const cli_proc_extra *extra, bool *gone);

static void put_str(cli_json *j, ps_proc *p, int (*get)(ps_proc *, char **), bool *gone)
{
    char *s = NULL;
    if (ok(get(p, &s), gone) && s) cli_json_str(j, s); else cli_json_null(j);
    ps_free(s);
}

static void put_i64(cli_json *j, ps_proc *p, int (*get)(ps_proc *, int64_t *), bool *gone)
{
    int64_t v;
    if (ok(get(p, &v), gone)) cli_json_int(j, v); else cli_json_null(j);
}

static void put_i32(cli_json *j, ps_proc *p, int (*get)(ps_proc *, int32_t *), bool *gone)
{
    int32_t v;
    if (ok(get(p, &v), gone)) cli_json_int(j, v); else cli_json_null(j);
}

static void put_ids(cli_json *j, ps_proc *p, int (*get)(ps_proc *, ps_proc_ids *), bool *gone)
{
    ps_proc_ids ids;
    if (ok(get(p, &ids), gone)) cli_json_ids(j, &ids); else cli_json_null(j);
}

static void w_cwd(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    put_str(j, p, ps_proc_cwd, gone);
}

static void w_exe(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    put_str(j, p, ps_proc_exe, gone);
}

static void w_name(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    put_str(j, p, ps_proc_name, gone);
}

static void w_username(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    put_str(j, p, ps_proc_username, gone);
}

static void w_terminal(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    put_str(j, p, ps_proc_terminal, gone);
}

static void w_ppid(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    put_i64(j, p, ps_proc_ppid, gone);
}

static void w_num_fds(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    put_i64(j, p, ps_proc_num_fds, gone);
}

/* num_handles (psutil: Windows only): the key and its value, or no key at all where the
 * platform has no such count (PS_ENOTSUP), as psutil's as_dict() elsewhere. */
static void put_num_handles(cli_json *j, ps_proc *p, bool *gone)
{
    int64_t v;
    int rc = ps_proc_num_handles(p, &v);
    if (rc == PS_ENOTSUP) return;
    cli_json_key(j, "num_handles");
    if (ok(rc, gone)) cli_json_int(j, v); else cli_json_null(j);
}

static void w_num_threads(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    put_i64(j, p, ps_proc_num_threads, gone);
}

static void w_cpu_num(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    put_i32(j, p, ps_proc_cpu_num, gone);
}

static void w_nice(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    put_i32(j, p, ps_proc_nice, gone);
}

static void w_gids(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    put_ids(j, p, ps_proc_gids, gone);
}

static void w_uids(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    put_ids(j, p, ps_proc_uids, gone);
}

static void w_pid(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    (void)gone;
    cli_json_int(j, ps_proc_pid(p));
}

static void w_cmdline(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_str_list *l = NULL;
    if (ok(ps_proc_cmdline(p, &l), gone))
        cli_json_strv(j, (const char *const *)l->items, l->count);
    else
        cli_json_null(j);
    ps_proc_str_list_free(l);
}

/* 5.9's "connections" is an alias psutil 8 still answers: the same value as net_connections */
static void w_connections(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    cli_proc_json_connections(j, p, gone);
}

static void w_cpu_affinity(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_cpu_list *l = NULL;
    if (ok(ps_proc_cpu_affinity(p, &l), gone)) {
        cli_json_arr_begin(j);
        for (size_t i = 0; i < l->count; i++) cli_json_int(j, l->items[i]);
        cli_json_arr_end(j);
    } else {
        cli_json_null(j);
    }
    ps_proc_cpu_list_free(l);
}

static void w_cpu_percent(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)p;
    (void)gone;
    if (x && x->have_cpu_percent) cli_json_double(j, x->cpu_percent); else cli_json_null(j);
}

static void w_cpu_times(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_cputimes t;
    if (ok(ps_proc_cpu_times(p, &t), gone)) cli_json_cputimes(j, &t); else cli_json_null(j);
}

static void w_create_time(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    double v;
    if (ok(ps_proc_create_time(p, &v), gone)) cli_json_double(j, v); else cli_json_null(j);
}

static void w_environ(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_environ_list *l = NULL;
    if (ok(ps_proc_environ(p, &l), gone)) {
        cli_json_obj_begin(j);
        for (size_t i = 0; i < l->count; i++) {
            cli_json_key(j, l->items[i].key);
            cli_json_str(j, l->items[i].value);
        }
        cli_json_obj_end(j);
    } else {
        cli_json_null(j);
    }
    ps_proc_environ_list_free(l);
}

static void w_io_counters(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_io io;
    if (ok(ps_proc_io_counters(p, &io), gone)) cli_json_proc_io(j, &io); else cli_json_null(j);
}

static void w_ionice(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    int32_t cls;
    int32_t v;
    if (ok(ps_proc_ionice(p, &cls, &v), gone)) {
        cli_json_obj_begin(j);
        cli_json_key(j, "ioclass"); cli_json_int(j, (int64_t)cls);
        cli_json_key(j, "value"); cli_json_int(j, v);
        cli_json_obj_end(j);
    } else {
        cli_json_null(j);
    }
}

static void w_memory_full_info(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_fullmem m;
    if (ok(ps_proc_memory_full_info(p, &m), gone)) cli_json_fullmem(j, &m); else cli_json_null(j);
}

static void w_memory_info_ex(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_mem_ex m;
    if (ok(ps_proc_memory_info_ex(p, &m), gone)) cli_json_mem_ex(j, &m); else cli_json_null(j);
}

static void w_memory_footprint(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_footprint m;
    if (ok(ps_proc_memory_footprint(p, &m), gone)) cli_json_footprint(j, &m);
    else cli_json_null(j);
}

static void w_page_faults(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_pagefaults m;
    if (ok(ps_proc_page_faults(p, &m), gone)) {
        cli_json_obj_begin(j);
        cli_json_key(j, "minor"); cli_json_uint(j, m.minor);
        cli_json_key(j, "major"); cli_json_uint(j, m.major);
        cli_json_obj_end(j);
    } else {
        cli_json_null(j);
    }
}

static void w_memory_info(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_mem m;
    if (ok(ps_proc_memory_info(p, &m), gone)) cli_json_mem(j, &m); else cli_json_null(j);
}

static void json_mmap(cli_json *j, const ps_proc_mmap *m)
{
    cli_json_obj_begin(j);
    cli_json_key(j, "path"); cli_json_str(j, m->path);
    cli_json_key(j, "rss"); cli_json_uint(j, m->rss);
    cli_json_key(j, "size"); cli_json_uint(j, m->size);
    cli_json_key(j, "pss"); cli_json_uint(j, m->pss);
    cli_json_key(j, "shared_clean"); cli_json_uint(j, m->shared_clean);
    cli_json_key(j, "shared_dirty"); cli_json_uint(j, m->shared_dirty);
    cli_json_key(j, "private_clean"); cli_json_uint(j, m->private_clean);
    cli_json_key(j, "private_dirty"); cli_json_uint(j, m->private_dirty);
    cli_json_key(j, "referenced"); cli_json_uint(j, m->referenced);
    cli_json_key(j, "anonymous"); cli_json_uint(j, m->anonymous);
    cli_json_key(j, "swap"); cli_json_uint(j, m->swap);
    cli_json_obj_end(j);
}

static void w_memory_maps(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_mmap_list *l = NULL;
    if (ok(ps_proc_memory_maps(p, 1, &l), gone)) {
        cli_json_arr_begin(j);
        for (size_t i = 0; i < l->count; i++) json_mmap(j, &l->items[i]);
        cli_json_arr_end(j);
    } else {
        cli_json_null(j);
    }
    ps_proc_mmap_list_free(l);
}

static void w_memory_percent(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    ps_proc_mem m;
    if (ok(ps_proc_memory_info(p, &m), gone) && x && x->mem_total > 0)
        cli_json_double(j, (double)m.rss * 100.0 / (double)x->mem_total);
    else
        cli_json_null(j);
}

static void w_num_ctx_switches(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_ctxsw c;
    if (ok(ps_proc_num_ctx_switches(p, &c), gone)) cli_json_ctxsw(j, &c); else cli_json_null(j);
}

static void w_open_files(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_open_file_list *l = NULL;
    if (ok(ps_proc_open_files(p, &l), gone)) {
        cli_json_arr_begin(j);
        for (size_t i = 0; i < l->count; i++) {
            const ps_proc_open_file *f = &l->items[i];
            cli_json_obj_begin(j);
            cli_json_key(j, "path"); cli_json_str(j, f->path);
            cli_json_key(j, "fd"); cli_json_int(j, f->fd);
            cli_json_key(j, "position"); cli_json_int(j, f->position);
            cli_json_key(j, "mode"); cli_json_str(j, f->mode);
            cli_json_key(j, "flags"); cli_json_int(j, f->flags);
            cli_json_obj_end(j);
        }
        cli_json_arr_end(j);
    } else {
        cli_json_null(j);
    }
    ps_proc_open_file_list_free(l);
}

static void w_status(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    int32_t st;
    if (ok(ps_proc_status(p, &st), gone)) cli_json_str(j, ps_process_status_name(st));
    else cli_json_null(j);
}

static void w_threads(cli_json *j, ps_proc *p, const cli_proc_extra *x, bool *gone)
{
    (void)x;
    ps_proc_thread_list *l = NULL;
    if (ok(ps_proc_threads(p, &l), gone)) {
        cli_json_arr_begin(j);
        for (size_t i = 0; i < l->count; i++) {
            cli_json_obj_begin(j);
            cli_json_key(j, "id"); cli_json_int(j, l->items[i].id);
            cli_json_key(j, "user_time"); cli_json_double(j, l->items[i].user_time);
            cli_json_key(j, "system_time"); cli_json_double(j, l->items[i].system_time);
            cli_json_obj_end(j);
        }
        cli_json_arr_end(j);
    } else {
        cli_json_null(j);
    }
    ps_proc_thread_list_free(l);
}

/* as_dict's keys, in psutil's (alphabetical) order, with their field bits and writers: psutil
 * 8's keys, plus 5.9's connections and memory_full_info, which psutil 8 still answers
 * (deprecated). */
enum { ON_ALL = 0, NOT_ON_WINDOWS = 1 };   /* where psutil's as_dict() has no such key */
static const struct {
    const char *key;
    uint64_t bit;
    key_writer *write;
    int absent;
} proc_keys[] = {
    { "cmdline", CLI_PF_CMDLINE, w_cmdline, ON_ALL },
    { "connections", CLI_PF_CONNECTIONS, w_connections, ON_ALL },
    { "cpu_affinity", CLI_PF_CPU_AFFINITY, w_cpu_affinity, ON_ALL },
    { "cpu_num", CLI_PF_CPU_NUM, w_cpu_num, NOT_ON_WINDOWS },
    { "cpu_percent", CLI_PF_CPU_PERCENT, w_cpu_percent, ON_ALL },
    { "cpu_times", CLI_PF_CPU_TIMES, w_cpu_times, ON_ALL },
    { "create_time", CLI_PF_CREATE_TIME, w_create_time, ON_ALL },
    { "cwd", CLI_PF_CWD, w_cwd, ON_ALL },
    { "environ", CLI_PF_ENVIRON, w_environ, ON_ALL },
    { "exe", CLI_PF_EXE, w_exe, ON_ALL },
    { "gids", CLI_PF_GIDS, w_gids, NOT_ON_WINDOWS },
    { "io_counters", CLI_PF_IO_COUNTERS, w_io_counters, ON_ALL },
    { "ionice", CLI_PF_IONICE, w_ionice, ON_ALL },
    { "memory_footprint", CLI_PF_MEMORY_FOOTPRINT, w_memory_footprint, ON_ALL },
    { "memory_full_info", CLI_PF_MEMORY_FULL_INFO, w_memory_full_info, ON_ALL },
    { "memory_info", CLI_PF_MEMORY_INFO, w_memory_info, ON_ALL },
    { "memory_info_ex", CLI_PF_MEMORY_INFO_EX, w_memory_info_ex, ON_ALL },
    { "memory_maps", CLI_PF_MEMORY_MAPS, w_memory_maps, ON_ALL },
    { "memory_percent", CLI_PF_MEMORY_PERCENT, w_memory_percent, ON_ALL },
    { "name", CLI_PF_NAME, w_name, ON_ALL },
    { "net_connections", CLI_PF_NET_CONNECTIONS, w_connections, ON_ALL },
    { "nice", CLI_PF_NICE, w_nice, ON_ALL },
    { "num_ctx_switches", CLI_PF_NUM_CTX_SWITCHES, w_num_ctx_switches, ON_ALL },
    { "num_fds", CLI_PF_NUM_FDS, w_num_fds, NOT_ON_WINDOWS },
    { "num_handles", CLI_PF_NUM_HANDLES, NULL, ON_ALL },   /* platform-only: put_num_handles */
    { "num_threads", CLI_PF_NUM_THREADS, w_num_threads, ON_ALL },
    { "open_files", CLI_PF_OPEN_FILES, w_open_files, ON_ALL },
    { "page_faults", CLI_PF_PAGE_FAULTS, w_page_faults, ON_ALL },
    { "pid", CLI_PF_PID, w_pid, ON_ALL },
    { "ppid", CLI_PF_PPID, w_ppid, ON_ALL },
    { "status", CLI_PF_STATUS, w_status, ON_ALL },
    { "terminal", CLI_PF_TERMINAL, w_terminal, NOT_ON_WINDOWS },
    { "threads", CLI_PF_THREADS, w_threads, ON_ALL },
    { "uids", CLI_PF_UIDS, w_uids, NOT_ON_WINDOWS },
    { "username", CLI_PF_USERNAME, w_username, ON_ALL },
};

int cli_proc_json(cli_json *j, ps_proc *p, uint64_t fields, const cli_proc_extra *extra)
{
    bool gone = false;
    /* psutil has no uids, gids, terminal, num_fds or cpu_num on Windows: no key, not a null */
    bool windows = ps_platform() == PS_PLATFORM_WINDOWS;
    cli_json_obj_begin(j);
    for (size_t k = 0; k < sizeof proc_keys / sizeof proc_keys[0] && !gone; k++) {
        if (!(fields & proc_keys[k].bit)) continue;
        if (windows && proc_keys[k].absent == NOT_ON_WINDOWS) continue;
        if (!proc_keys[k].write) {
            put_num_handles(j, p, &gone);
            continue;
        }
        cli_json_key(j, proc_keys[k].key);
        proc_keys[k].write(j, p, extra, &gone);
    }
    /* closed also when the process is gone, so the document stays valid if the caller keeps it */
    cli_json_obj_end(j);
    return gone ? PS_ENOPROC : 0;
}
