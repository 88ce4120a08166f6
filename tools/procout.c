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

/* as_dict's keys, in psutil's (alphabetical) order, with their field bits: psutil 8's keys, plus
 * 5.9's connections and memory_full_info, which psutil 8 still answers (deprecated). */
static const struct {
    const char *key;
    uint64_t bit;
} proc_keys[] = {
    { "cmdline", CLI_PF_CMDLINE },
    { "connections", CLI_PF_CONNECTIONS },
    { "cpu_affinity", CLI_PF_CPU_AFFINITY },
    { "cpu_num", CLI_PF_CPU_NUM },
    { "cpu_percent", CLI_PF_CPU_PERCENT },
    { "cpu_times", CLI_PF_CPU_TIMES },
    { "create_time", CLI_PF_CREATE_TIME },
    { "cwd", CLI_PF_CWD },
    { "environ", CLI_PF_ENVIRON },
    { "exe", CLI_PF_EXE },
    { "gids", CLI_PF_GIDS },
    { "io_counters", CLI_PF_IO_COUNTERS },
    { "ionice", CLI_PF_IONICE },
    { "memory_footprint", CLI_PF_MEMORY_FOOTPRINT },
    { "memory_full_info", CLI_PF_MEMORY_FULL_INFO },
    { "memory_info", CLI_PF_MEMORY_INFO },
    { "memory_info_ex", CLI_PF_MEMORY_INFO_EX },
    { "memory_maps", CLI_PF_MEMORY_MAPS },
    { "memory_percent", CLI_PF_MEMORY_PERCENT },
    { "name", CLI_PF_NAME },
    { "net_connections", CLI_PF_NET_CONNECTIONS },
    { "nice", CLI_PF_NICE },
    { "num_ctx_switches", CLI_PF_NUM_CTX_SWITCHES },
    { "num_fds", CLI_PF_NUM_FDS },
    { "num_threads", CLI_PF_NUM_THREADS },
    { "open_files", CLI_PF_OPEN_FILES },
    { "page_faults", CLI_PF_PAGE_FAULTS },
    { "pid", CLI_PF_PID },
    { "ppid", CLI_PF_PPID },
    { "status", CLI_PF_STATUS },
    { "terminal", CLI_PF_TERMINAL },
    { "threads", CLI_PF_THREADS },
    { "uids", CLI_PF_UIDS },
    { "username", CLI_PF_USERNAME },
};

/* true if the value is there; PS_ENOPROC marks the process gone (the caller drops it). */
static bool ok(int rc, bool *gone)
{
    if (rc == PS_ENOPROC) *gone = true;
    return rc == 0;
}

static void json_ids(cli_json *j, const ps_proc_ids *ids)
{
    cli_json_obj_begin(j);
    cli_json_key(j, "real"); cli_json_int(j, ids->real);
    cli_json_key(j, "effective"); cli_json_int(j, ids->effective);
    cli_json_key(j, "saved"); cli_json_int(j, ids->saved);
    cli_json_obj_end(j);
}

static void json_strlist(cli_json *j, const ps_proc_str_list *l)
{
    cli_json_arr_begin(j);
    for (size_t i = 0; i < l->count; i++) cli_json_str(j, l->items[i]);
    cli_json_arr_end(j);
}

/* ---- memory: psutil 8's namedtuples, whose fields differ per platform ---------------------- */

/* Every memory figure the library has, by psutil's field name. */
typedef struct mem_figures {
    ps_proc_mem_ex x;
    uint64_t uss, pss;   /* footprint (its swap is x.swap where a struct has both) */
} mem_figures;

static bool mem_value(const mem_figures *f, const char *name, uint64_t *v)
{
    const ps_proc_mem_ex *x = &f->x;
    const struct { const char *n; uint64_t v; } t[] = {
        {"rss", x->rss}, {"vms", x->vms}, {"shared", x->shared}, {"text", x->text},
        {"data", x->data}, {"stack", x->stack}, {"peak_rss", x->peak_rss},
        {"peak_vms", x->peak_vms}, {"rss_anon", x->rss_anon}, {"rss_file", x->rss_file},
        {"rss_shmem", x->rss_shmem}, {"swap", x->swap}, {"hugetlb", x->hugetlb},
        {"virtual", x->virtual_size}, {"peak_virtual", x->peak_virtual_size},
        {"paged_pool", x->paged_pool}, {"nonpaged_pool", x->nonpaged_pool},
        {"peak_paged_pool", x->peak_paged_pool}, {"peak_nonpaged_pool", x->peak_nonpaged_pool},
        {"wired", x->wired}, {"compressed", x->compressed}, {"phys_footprint", x->phys_footprint},
        {"uss", f->uss}, {"pss", f->pss},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].n, name)) {
            *v = t[i].v;
            return true;
        }
    return false;
}

/* psutil 8's field lists (psutil/_ntuples.py) for the platform the library was built for. */
enum { MT_PMEM, MT_PMEM_EX, MT_FOOTPRINT, MT_FULLMEM };
static const char *const *mem_keys(int tuple)
{
    static const char *const linux_k[][16] = {
        {"rss", "vms", "shared", "text", "data", NULL},
        {"rss", "vms", "shared", "text", "data", "peak_rss", "peak_vms", "rss_anon", "rss_file",
         "rss_shmem", "swap", "hugetlb", NULL},
        {"uss", "pss", "swap", NULL},
        {"rss", "vms", "shared", "text", "data", "uss", "pss", "swap", NULL}};
    static const char *const windows_k[][16] = {
        {"rss", "vms", "peak_rss", "peak_vms", NULL},
        {"rss", "vms", "peak_rss", "peak_vms", "virtual", "peak_virtual", "paged_pool",
         "nonpaged_pool", "peak_paged_pool", "peak_nonpaged_pool", NULL},
        {"uss", NULL},
        {"rss", "vms", "peak_rss", "peak_vms", "uss", NULL}};
    static const char *const macos_k[][16] = {
        {"rss", "vms", NULL},
        {"rss", "vms", "peak_rss", "rss_anon", "rss_file", "wired", "compressed",
         "phys_footprint", NULL},
        {"uss", NULL},
        {"rss", "vms", "uss", NULL}};
    static const char *const bsd_k[][16] = {   /* pmem_ex = pfullmem = pmem; no footprint */
        {"rss", "vms", "text", "data", "stack", "peak_rss", NULL},
        {"rss", "vms", "text", "data", "stack", "peak_rss", NULL},
        {NULL},
        {"rss", "vms", "text", "data", "stack", "peak_rss", NULL}};
    switch (ps_platform()) {
    case PS_PLATFORM_WINDOWS: return windows_k[tuple];
    case PS_PLATFORM_MACOS: return macos_k[tuple];
    case PS_PLATFORM_FREEBSD: case PS_PLATFORM_OPENBSD: case PS_PLATFORM_NETBSD:
    case PS_PLATFORM_DRAGONFLY: return bsd_k[tuple];
    default: return linux_k[tuple];
    }
}

/* One namedtuple as an object; a figure the platform does not have (PS_UNKNOWN_U64) is null. */
static void json_mem_tuple(cli_json *j, int tuple, const mem_figures *f)
{
    cli_json_obj_begin(j);
    for (const char *const *k = mem_keys(tuple); *k; k++) {
        uint64_t v = PS_UNKNOWN_U64;
        mem_value(f, *k, &v);
        cli_json_key(j, *k);
        if (v == PS_UNKNOWN_U64) cli_json_null(j); else cli_json_uint(j, v);
    }
    cli_json_obj_end(j);
}

static void figures_init(mem_figures *f)
{
    memset(f, 0xff, sizeof *f);   /* every figure PS_UNKNOWN_U64 until set */
}

static void figures_set_mem(mem_figures *f, const ps_proc_mem *m)
{
    f->x.rss = m->rss;
    f->x.vms = m->vms;
    f->x.shared = m->shared;
    f->x.text = m->text;
    f->x.data = m->data;
    f->x.stack = m->stack;
    f->x.peak_rss = m->peak_rss;
    f->x.peak_vms = m->peak_vms;
}

static void json_mem(cli_json *j, const ps_proc_mem *m)
{
    mem_figures f;
    figures_init(&f);
    figures_set_mem(&f, m);
    json_mem_tuple(j, MT_PMEM, &f);
}

static void json_fullmem(cli_json *j, const ps_proc_fullmem *m)
{
    mem_figures f;
    figures_init(&f);
    f.x.rss = m->rss;
    f.x.vms = m->vms;
    f.x.shared = m->shared;
    f.x.text = m->text;
    f.x.data = m->data;
    f.x.stack = m->stack;
    f.x.peak_rss = m->peak_rss;
    f.x.peak_vms = m->peak_vms;
    f.uss = m->uss;
    f.pss = m->pss;
    f.x.swap = m->swap;
    json_mem_tuple(j, MT_FULLMEM, &f);
}

static void json_mem_ex(cli_json *j, const ps_proc_mem_ex *x)
{
    mem_figures f;
    figures_init(&f);
    f.x = *x;
    json_mem_tuple(j, MT_PMEM_EX, &f);
}

static void json_footprint(cli_json *j, const ps_proc_footprint *fp)
{
    mem_figures f;
    figures_init(&f);
    f.uss = fp->uss;
    f.pss = fp->pss;
    f.x.swap = fp->swap;
    json_mem_tuple(j, MT_FOOTPRINT, &f);
}


static void json_cputimes(cli_json *j, const ps_proc_cputimes *t)
{
    cli_json_obj_begin(j);
    cli_json_key(j, "user"); cli_json_double(j, t->user);
    cli_json_key(j, "system"); cli_json_double(j, t->system);
    cli_json_key(j, "children_user"); cli_json_double(j, t->children_user);
    cli_json_key(j, "children_system"); cli_json_double(j, t->children_system);
    cli_json_key(j, "iowait"); cli_json_double(j, t->iowait);
    cli_json_obj_end(j);
}

int cli_proc_json(cli_json *j, ps_proc *p, uint64_t fields, const cli_proc_extra *extra)
{
    bool gone = false;
    cli_json_obj_begin(j);
    for (size_t k = 0; k < sizeof proc_keys / sizeof proc_keys[0] && !gone; k++) {
        uint64_t bit = proc_keys[k].bit;
        if (!(fields & bit)) continue;
        cli_json_key(j, proc_keys[k].key);
        int rc;
        switch (bit) {
        case CLI_PF_PID:
            cli_json_int(j, ps_proc_pid(p));
            break;
        case CLI_PF_CMDLINE: {
            ps_proc_str_list *l = NULL;
            rc = ps_proc_cmdline(p, &l);
            if (ok(rc, &gone)) json_strlist(j, l); else cli_json_null(j);
            ps_proc_str_list_free(l);
            break;
        }
        case CLI_PF_CONNECTIONS:       /* 5.9's name, an alias psutil 8 still answers */
        case CLI_PF_NET_CONNECTIONS:
            cli_proc_json_connections(j, p, &gone);
            break;
        case CLI_PF_CPU_AFFINITY: {
            ps_proc_cpu_list *l = NULL;
            rc = ps_proc_cpu_affinity(p, &l);
            if (ok(rc, &gone)) {
                cli_json_arr_begin(j);
                for (size_t i = 0; i < l->count; i++) cli_json_int(j, l->items[i]);
                cli_json_arr_end(j);
            } else {
                cli_json_null(j);
            }
            ps_proc_cpu_list_free(l);
            break;
        }
        case CLI_PF_CPU_NUM: {
            int32_t v;
            rc = ps_proc_cpu_num(p, &v);
            if (ok(rc, &gone)) cli_json_int(j, v); else cli_json_null(j);
            break;
        }
        case CLI_PF_CPU_PERCENT:
            if (extra && extra->have_cpu_percent) cli_json_double(j, extra->cpu_percent);
            else cli_json_null(j);
            break;
        case CLI_PF_CPU_TIMES: {
            ps_proc_cputimes t;
            rc = ps_proc_cpu_times(p, &t);
            if (ok(rc, &gone)) json_cputimes(j, &t); else cli_json_null(j);
            break;
        }
        case CLI_PF_CREATE_TIME: {
            double v;
            rc = ps_proc_create_time(p, &v);
            if (ok(rc, &gone)) cli_json_double(j, v); else cli_json_null(j);
            break;
        }
        case CLI_PF_CWD:
        case CLI_PF_EXE:
        case CLI_PF_NAME:
        case CLI_PF_USERNAME:
        case CLI_PF_TERMINAL: {
            char *s = NULL;
            rc = bit == CLI_PF_CWD ? ps_proc_cwd(p, &s)
               : bit == CLI_PF_EXE ? ps_proc_exe(p, &s)
               : bit == CLI_PF_NAME ? ps_proc_name(p, &s)
               : bit == CLI_PF_USERNAME ? ps_proc_username(p, &s)
               : ps_proc_terminal(p, &s);
            if (ok(rc, &gone) && s) cli_json_str(j, s); else cli_json_null(j);
            ps_free(s);
            break;
        }
        case CLI_PF_ENVIRON: {
            ps_proc_environ_list *l = NULL;
            rc = ps_proc_environ(p, &l);
            if (ok(rc, &gone)) {
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
            break;
        }
        case CLI_PF_GIDS:
        case CLI_PF_UIDS: {
            ps_proc_ids ids;
            rc = bit == CLI_PF_GIDS ? ps_proc_gids(p, &ids) : ps_proc_uids(p, &ids);
            if (ok(rc, &gone)) json_ids(j, &ids); else cli_json_null(j);
            break;
        }
        case CLI_PF_IO_COUNTERS: {
            ps_proc_io io;
            rc = ps_proc_io_counters(p, &io);
            if (ok(rc, &gone)) {
                cli_json_obj_begin(j);
                cli_json_key(j, "read_count"); cli_json_uint(j, io.read_count);
                cli_json_key(j, "write_count"); cli_json_uint(j, io.write_count);
                cli_json_key(j, "read_bytes"); cli_json_uint(j, io.read_bytes);
                cli_json_key(j, "write_bytes"); cli_json_uint(j, io.write_bytes);
                cli_json_key(j, "read_chars"); cli_json_uint(j, io.read_chars);
                cli_json_key(j, "write_chars"); cli_json_uint(j, io.write_chars);
                cli_json_obj_end(j);
            } else {
                cli_json_null(j);
            }
            break;
        }
        case CLI_PF_IONICE: {
            int32_t cls;
            int32_t v;
            rc = ps_proc_ionice(p, &cls, &v);
            if (ok(rc, &gone)) {
                cli_json_obj_begin(j);
                cli_json_key(j, "ioclass"); cli_json_int(j, (int64_t)cls);
                cli_json_key(j, "value"); cli_json_int(j, v);
                cli_json_obj_end(j);
            } else {
                cli_json_null(j);
            }
            break;
        }
        case CLI_PF_MEMORY_FULL_INFO: {
            ps_proc_fullmem m;
            rc = ps_proc_memory_full_info(p, &m);
            if (ok(rc, &gone)) json_fullmem(j, &m); else cli_json_null(j);
            break;
        }
        case CLI_PF_MEMORY_INFO_EX: {
            ps_proc_mem_ex m;
            rc = ps_proc_memory_info_ex(p, &m);
            if (ok(rc, &gone)) json_mem_ex(j, &m); else cli_json_null(j);
            break;
        }
        case CLI_PF_MEMORY_FOOTPRINT: {
            ps_proc_footprint m;
            rc = ps_proc_memory_footprint(p, &m);
            if (ok(rc, &gone)) json_footprint(j, &m); else cli_json_null(j);
            break;
        }
        case CLI_PF_PAGE_FAULTS: {
            ps_proc_pagefaults m;
            rc = ps_proc_page_faults(p, &m);
            if (ok(rc, &gone)) {
                cli_json_obj_begin(j);
                cli_json_key(j, "minor"); cli_json_uint(j, m.minor);
                cli_json_key(j, "major"); cli_json_uint(j, m.major);
                cli_json_obj_end(j);
            } else {
                cli_json_null(j);
            }
            break;
        }
        case CLI_PF_MEMORY_INFO: {
            ps_proc_mem m;
            rc = ps_proc_memory_info(p, &m);
            if (ok(rc, &gone)) json_mem(j, &m); else cli_json_null(j);
            break;
        }
        case CLI_PF_MEMORY_MAPS: {
            ps_proc_mmap_list *l = NULL;
            rc = ps_proc_memory_maps(p, 1, &l);
            if (ok(rc, &gone)) {
                cli_json_arr_begin(j);
                for (size_t i = 0; i < l->count; i++) {
                    const ps_proc_mmap *m = &l->items[i];
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
                cli_json_arr_end(j);
            } else {
                cli_json_null(j);
            }
            ps_proc_mmap_list_free(l);
            break;
        }
        case CLI_PF_MEMORY_PERCENT: {
            ps_proc_mem m;
            rc = ps_proc_memory_info(p, &m);
            if (ok(rc, &gone) && extra && extra->mem_total > 0)
                cli_json_double(j, (double)m.rss * 100.0 / (double)extra->mem_total);
            else
                cli_json_null(j);
            break;
        }
        case CLI_PF_NICE: {
            int32_t v;
            rc = ps_proc_nice(p, &v);
            if (ok(rc, &gone)) cli_json_int(j, v); else cli_json_null(j);
            break;
        }
        case CLI_PF_NUM_CTX_SWITCHES: {
            ps_proc_ctxsw c;
            rc = ps_proc_num_ctx_switches(p, &c);
            if (ok(rc, &gone)) {
                cli_json_obj_begin(j);
                cli_json_key(j, "voluntary"); cli_json_uint(j, c.voluntary);
                cli_json_key(j, "involuntary"); cli_json_uint_or_zero(j, c.involuntary);
                cli_json_obj_end(j);
            } else {
                cli_json_null(j);
            }
            break;
        }
        case CLI_PF_NUM_FDS:
        case CLI_PF_NUM_THREADS: {
            int64_t v;
            rc = bit == CLI_PF_NUM_FDS ? ps_proc_num_fds(p, &v) : ps_proc_num_threads(p, &v);
            if (ok(rc, &gone)) cli_json_int(j, v); else cli_json_null(j);
            break;
        }
        case CLI_PF_OPEN_FILES: {
            ps_proc_open_file_list *l = NULL;
            rc = ps_proc_open_files(p, &l);
            if (ok(rc, &gone)) {
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
            break;
        }
        case CLI_PF_PPID: {
            int64_t v;
            rc = ps_proc_ppid(p, &v);
            if (ok(rc, &gone)) cli_json_int(j, v); else cli_json_null(j);
            break;
        }
        case CLI_PF_STATUS: {
            int32_t st;
            rc = ps_proc_status(p, &st);
            if (ok(rc, &gone)) cli_json_str(j, ps_process_status_name(st));
            else cli_json_null(j);
            break;
        }
        case CLI_PF_THREADS: {
            ps_proc_thread_list *l = NULL;
            rc = ps_proc_threads(p, &l);
            if (ok(rc, &gone)) {
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
            break;
        }
        default:
            cli_json_null(j);
            break;
        }
    }
    if (gone) {
        /* close the object so the document stays valid even if the caller keeps it */
        cli_json_obj_end(j);
        return PS_ENOPROC;
    }
    cli_json_obj_end(j);
    return 0;
}
