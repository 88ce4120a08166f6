/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — psutil's process namedtuples as JSON objects: the same field names in the same
 * order. Shared by every emitter that writes a process (proc --json, ps --json, the overview).
 */
#include <string.h>

#include "cli.h"
#include "procout.h"

void cli_json_strv(cli_json *j, const char *const *items, size_t count)
{
    cli_json_arr_begin(j);
    for (size_t i = 0; i < count; i++) cli_json_str(j, items[i]);
    cli_json_arr_end(j);
}

void cli_json_ids(cli_json *j, const ps_proc_ids *ids)
{
    cli_json_obj_begin(j);
    cli_json_key(j, "real"); cli_json_int(j, ids->real);
    cli_json_key(j, "effective"); cli_json_int(j, ids->effective);
    cli_json_key(j, "saved"); cli_json_int(j, ids->saved);
    cli_json_obj_end(j);
}

void cli_json_cputimes(cli_json *j, const ps_proc_cputimes *t)
{
    cli_json_obj_begin(j);
    cli_json_key(j, "user"); cli_json_double(j, t->user);
    cli_json_key(j, "system"); cli_json_double(j, t->system);
    cli_json_key(j, "children_user"); cli_json_double(j, t->children_user);
    cli_json_key(j, "children_system"); cli_json_double(j, t->children_system);
    cli_json_key(j, "iowait"); cli_json_double(j, t->iowait);
    cli_json_obj_end(j);
}

void cli_json_proc_io(cli_json *j, const ps_proc_io *io)
{
    cli_json_obj_begin(j);
    cli_json_key(j, "read_count"); cli_json_uint(j, io->read_count);
    cli_json_key(j, "write_count"); cli_json_uint(j, io->write_count);
    cli_json_key(j, "read_bytes"); cli_json_uint(j, io->read_bytes);
    cli_json_key(j, "write_bytes"); cli_json_uint(j, io->write_bytes);
    cli_json_key(j, "read_chars"); cli_json_uint(j, io->read_chars);
    cli_json_key(j, "write_chars"); cli_json_uint(j, io->write_chars);
    if (io->other_count != PS_UNKNOWN_U64) {   /* Windows: psutil's other_count, other_bytes */
        cli_json_key(j, "other_count"); cli_json_uint(j, io->other_count);
        cli_json_key(j, "other_bytes"); cli_json_uint(j, io->other_bytes);
    }
    cli_json_obj_end(j);
}

void cli_json_ctxsw(cli_json *j, const ps_proc_ctxsw *c)
{
    cli_json_obj_begin(j);
    cli_json_key(j, "voluntary"); cli_json_uint(j, c->voluntary);
    cli_json_key(j, "involuntary"); cli_json_uint_or_zero(j, c->involuntary);
    cli_json_obj_end(j);
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

void cli_json_mem(cli_json *j, const ps_proc_mem *m)
{
    mem_figures f;
    figures_init(&f);
    figures_set_mem(&f, m);
    json_mem_tuple(j, MT_PMEM, &f);
}

void cli_json_fullmem(cli_json *j, const ps_proc_fullmem *m)
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

void cli_json_mem_ex(cli_json *j, const ps_proc_mem_ex *x)
{
    mem_figures f;
    figures_init(&f);
    f.x = *x;
    json_mem_tuple(j, MT_PMEM_EX, &f);
}

void cli_json_footprint(cli_json *j, const ps_proc_footprint *fp)
{
    mem_figures f;
    figures_init(&f);
    f.uss = fp->uss;
    f.pss = fp->pss;
    f.x.swap = fp->swap;
    json_mem_tuple(j, MT_FOOTPRINT, &f);
}
