/*
 * psinfo CLI — one process as psutil's Process.as_dict(): the same keys, namedtuples as objects
 * with the same field names, lists as arrays, and null where psutil's as_dict puts its ad_value
 * (access denied, zombie) or where this platform cannot answer (PS_ENOTSUP).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "procout.h"

/* as_dict's keys, in psutil's (alphabetical) order, with their field bits. */
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
    { "memory_full_info", CLI_PF_MEMORY_FULL_INFO },
    { "memory_info", CLI_PF_MEMORY_INFO },
    { "memory_maps", CLI_PF_MEMORY_MAPS },
    { "memory_percent", CLI_PF_MEMORY_PERCENT },
    { "name", CLI_PF_NAME },
    { "nice", CLI_PF_NICE },
    { "num_ctx_switches", CLI_PF_NUM_CTX_SWITCHES },
    { "num_fds", CLI_PF_NUM_FDS },
    { "num_threads", CLI_PF_NUM_THREADS },
    { "open_files", CLI_PF_OPEN_FILES },
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

static void json_strlist(cli_json *j, const ps_proc_strlist *l)
{
    cli_json_arr_begin(j);
    for (size_t i = 0; i < l->count; i++) cli_json_str(j, l->items[i]);
    cli_json_arr_end(j);
}

static void json_mem(cli_json *j, const ps_proc_mem *m)
{
    cli_json_obj_begin(j);
    cli_json_key(j, "rss"); cli_json_uint(j, m->rss);
    cli_json_key(j, "vms"); cli_json_uint(j, m->vms);
    cli_json_key(j, "shared"); cli_json_uint(j, m->shared);
    cli_json_key(j, "text"); cli_json_uint(j, m->text);
    cli_json_key(j, "data"); cli_json_uint(j, m->data);
    cli_json_obj_end(j);
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
            ps_proc_strlist *l = NULL;
            rc = ps_proc_cmdline(p, &l);
            if (ok(rc, &gone)) json_strlist(j, l); else cli_json_null(j);
            ps_proc_strlist_free(l);
            break;
        }
        case CLI_PF_CONNECTIONS:
            cli_proc_json_connections(j, p, &gone);
            break;
        case CLI_PF_CPU_AFFINITY: {
            ps_proc_cpulist *l = NULL;
            rc = ps_proc_cpu_affinity(p, &l);
            if (ok(rc, &gone)) {
                cli_json_arr_begin(j);
                for (size_t i = 0; i < l->count; i++) cli_json_int(j, l->items[i]);
                cli_json_arr_end(j);
            } else {
                cli_json_null(j);
            }
            ps_proc_cpulist_free(l);
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
            ps_proc_environ_free(l);
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
            ps_ioprio_class cls;
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
            if (ok(rc, &gone)) {
                cli_json_obj_begin(j);
                cli_json_key(j, "rss"); cli_json_uint(j, m.rss);
                cli_json_key(j, "vms"); cli_json_uint(j, m.vms);
                cli_json_key(j, "shared"); cli_json_uint(j, m.shared);
                cli_json_key(j, "text"); cli_json_uint(j, m.text);
                cli_json_key(j, "data"); cli_json_uint(j, m.data);
                cli_json_key(j, "uss"); cli_json_uint(j, m.uss);
                cli_json_key(j, "pss"); cli_json_uint(j, m.pss);
                cli_json_key(j, "swap"); cli_json_uint(j, m.swap);
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
                cli_json_key(j, "involuntary"); cli_json_uint(j, c.involuntary);
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
            ps_process_status st;
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
