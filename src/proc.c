/* SPDX-License-Identifier: MIT */
/* Process handles: argument checks, then the back end; native strings decoded here. */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "list.h"

void ps__nstr_dispose(ps__nstr *s)
{
    free(s->data);
    s->data = NULL;
    s->len = 0;
}

int ps__nstr_decode(ps__nstr *s, char **out)
{
    int rc = ps__decode_native(s->data, s->len, out, NULL);
    ps__nstr_dispose(s);
    return rc;
}

/* ---- the back ends' records, disposed the same way everywhere ------------------------------ */

void ps__bk_mmap_free(ps__bk_mmap *items, size_t count)
{
    if (!items) return;
    for (size_t i = 0; i < count; i++) {
        ps__nstr_dispose(&items[i].path);
        ps__nstr_dispose(&items[i].addr);
        ps__nstr_dispose(&items[i].perms);
    }
    free(items);
}

void ps__bk_thread_free(ps__bk_thread *items, size_t count)
{
    if (!items) return;
    for (size_t i = 0; i < count; i++) ps__nstr_dispose(&items[i].name);
    free(items);
}

void ps__bk_open_file_free(ps__bk_open_file *items, size_t count)
{
    if (!items) return;
    for (size_t i = 0; i < count; i++) ps__nstr_dispose(&items[i].path);
    free(items);
}

int ps_proc_open(int64_t pid, ps_proc **out)
{
    if (!out) return ps__error(PS_EINVAL, 0, "ps_proc_open: out is NULL");
    *out = NULL;
    if (pid <= 0) return ps__error(PS_EINVAL, 0, "ps_proc_open: pid %lld is not positive", (long long)pid);
    return ps__bk_proc_open(pid, out);
}

int ps_proc_open_self(ps_proc **out)
{
    if (!out) return ps__error(PS_EINVAL, 0, "ps_proc_open_self: out is NULL");
    *out = NULL;
    return ps__bk_proc_open_self(out);
}

void ps_proc_free(ps_proc *proc)
{
    if (proc) ps__bk_proc_free(proc);
}

int64_t ps_proc_pid(const ps_proc *proc)
{
    return proc ? ps__bk_proc_pid(proc) : -1;
}

int ps_proc_is_running(const ps_proc *proc, int *out)
{
    PS__CHECK_ARGS("ps_proc_is_running", proc && out);
    return ps__bk_proc_is_running(proc, out);
}

const char *ps_process_status_name(int32_t status)
{
    static const char *const names[] = {
        "running", "sleeping", "disk-sleep", "stopped", "tracing-stop", "zombie", "dead",
        "wake-kill", "waking", "idle", "parked", "locked", "waiting", "suspended",
    };
    if (status < 0 || (size_t)status >= sizeof names / sizeof names[0]) return "?";
    return names[status];
}

void ps_proc_str_list_free(ps_proc_str_list *list)
{
    free(list);
}

/* ---- getters: argument checks, the back end, then the one decoder ---------------------- */

/* Defines the public getter `int fn(ps_proc *proc, T *out)` of a caller-allocated struct T
 * (docs/abi.md): the argument check, the whole struct zeroed, bk(proc, out) fills its fields,
 * the reserved tail zeroed again (PS__TAIL_ZERO). A macro because only the types differ and
 * the ABI rule is then written once; each use spells the public name out, so grep finds it,
 * and the header's declaration checks the signature. */
#define PS__STRUCT_GETTER(fn, T, bk)                                                              \
    int fn(ps_proc *proc, T *out)                                                                 \
    {                                                                                             \
        PS__CHECK_ARGS(#fn, proc && out);                                                         \
        memset(out, 0, sizeof *out);                                                              \
        int rc = bk(proc, out);                                                                   \
        PS__TAIL_ZERO(out);                                                                       \
        return rc;                                                                                \
    }

/* A getter of one native string (name, exe, cwd, username): the argument check (fn names the
 * public function), then bk's string through the one decoder. */
static int str_getter(const char *fn, int (*bk)(ps_proc *, ps__nstr *), ps_proc *proc, char **out)
{
    if (!proc || !out) return ps__error(PS_EINVAL, 0, "%s: NULL argument", fn);
    *out = NULL;
    ps__nstr s;
    int rc = bk(proc, &s);
    if (rc) return rc;
    return ps__nstr_decode(&s, out);
}

/* str_getter for a string list (cmdline, cgroup): bk gives count NUL-terminated native
 * strings back to back in items, decoded here into a one-block string list. */
static int strlist_getter(const char *fn, int (*bk)(ps_proc *, ps__nstr *, size_t *), ps_proc *proc,
                          ps_proc_str_list **out)
{
    if (!proc || !out) return ps__error(PS_EINVAL, 0, "%s: NULL argument", fn);
    *out = NULL;
    ps__nstr items;
    size_t count;
    int rc = bk(proc, &items, &count);
    if (rc) return rc;
    ps__buf b;
    ps__buf_init(&b);
    ps_errors_policy pol = ps__policy();
    const unsigned char *p = items.data;
    size_t left = items.len;
    /* UTF-16 items (Windows): units, each string ended by a 0 unit. */
    const uint16_t *u = items.data;
    for (size_t i = 0; PS_NATIVE_UTF16 && i < count; i++) {
        size_t n = 0;
        while (n < left && u[n]) n++;
        ps__decode_utf16_into(&b, u, n, pol);
        ps__buf_putc(&b, '\0');
        u += n + (n < left ? 1 : 0);
        left -= n + (n < left ? 1 : 0);
    }
    for (size_t i = 0; !PS_NATIVE_UTF16 && i < count; i++) {
        const unsigned char *nul = memchr(p, '\0', left);
        size_t n = nul ? (size_t)(nul - p) : left;
        ps__decode_bytes_into(&b, p, n, pol);
        ps__buf_putc(&b, '\0');
        p += n + (nul ? 1 : 0);
        left -= n + (nul ? 1 : 0);
    }
    ps__nstr_dispose(&items);
    if (b.failed) {
        ps__buf_dispose(&b);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    size_t head = sizeof(ps_proc_str_list) + count * sizeof(char *);
    ps_proc_str_list *l = malloc(head + b.len + 1);
    if (!l) {
        ps__buf_dispose(&b);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    memset(l, 0, head);   /* the header's reserved tail */
    l->count = count;
    l->items = (char **)(l + 1);
    char *data = (char *)l + head;
    if (b.len) memcpy(data, b.data, b.len);
    data[b.len] = '\0';
    for (size_t i = 0; i < count; i++) {
        l->items[i] = data;
        data += strlen(data) + 1;
    }
    ps__buf_dispose(&b);
    *out = l;
    return 0;
}

int ps_proc_name(ps_proc *proc, char **out)
{
    return str_getter("ps_proc_name", ps__bk_proc_name, proc, out);
}

int ps_proc_exe(ps_proc *proc, char **out)
{
    return str_getter("ps_proc_exe", ps__bk_proc_exe, proc, out);
}

int ps_proc_cwd(ps_proc *proc, char **out)
{
    return str_getter("ps_proc_cwd", ps__bk_proc_cwd, proc, out);
}

int ps_proc_username(ps_proc *proc, char **out)
{
    return str_getter("ps_proc_username", ps__bk_proc_username, proc, out);
}

int ps_proc_terminal(ps_proc *proc, char **out)
{
    PS__CHECK_ARGS("ps_proc_terminal", proc && out);
    *out = NULL;
    ps__nstr s;
    int rc = ps__bk_proc_terminal(proc, &s);
    if (rc) return rc;
    if (!s.data) return 0;
    return ps__nstr_decode(&s, out);
}

int ps_proc_cmdline(ps_proc *proc, ps_proc_str_list **out)
{
    return strlist_getter("ps_proc_cmdline", ps__bk_proc_cmdline, proc, out);
}

int ps_proc_cgroup(ps_proc *proc, ps_proc_str_list **out)
{
    return strlist_getter("ps_proc_cgroup", ps__bk_proc_cgroup, proc, out);
}

/* Unit i of a native environment block (a byte, or a UTF-16 unit on Windows). */
static unsigned env_unit(const void *d, size_t i)
{
    return PS_NATIVE_UTF16 ? ((const uint16_t *)d)[i] : ((const unsigned char *)d)[i];
}

static int env_same(const void *d, size_t a, size_t b, size_t n)
{
    size_t w = PS_NATIVE_UTF16 ? 2 : 1;
    return memcmp((const char *)d + a * w, (const char *)d + b * w, n * w) == 0;
}

static void env_decode(ps__buf *b, const void *d, size_t at, size_t n, ps_errors_policy pol)
{
    if (PS_NATIVE_UTF16)
        ps__decode_utf16_into(b, (const uint16_t *)d + at, n, pol);
    else
        ps__decode_bytes_into(b, (const unsigned char *)d + at, n, pol);
}

int ps_proc_environ(ps_proc *proc, ps_proc_environ_list **out)
{
    PS__CHECK_ARGS("ps_proc_environ", proc && out);
    *out = NULL;
    ps__nstr block;
    int rc = ps__bk_proc_environ(proc, &block);
    if (rc) return rc;
    /* psutil parse_environ_block: stop at an empty entry; skip entries without '=' after
     * the first unit; dict semantics for repeated keys (first position, last value). The block
     * is native: bytes, or UTF-16 units (len counts units). */
    const void *d = block.data;
    size_t len = block.len;
    size_t cap = 16, n = 0;
    struct kv { size_t k, klen, v, vlen; } *kvs = malloc(cap * sizeof *kvs);
    if (!kvs) {
        ps__nstr_dispose(&block);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    size_t pos = 0;
    while (pos < len) {
        size_t next = pos, eq = SIZE_MAX;   /* the first '=' */
        while (next < len && env_unit(d, next) != 0) {
            if (eq == SIZE_MAX && env_unit(d, next) == '=') eq = next;
            next++;
        }
        if (next >= len || next == pos) break;   /* unterminated, or the empty entry */
        if (eq != SIZE_MAX && eq > pos) {
            size_t k = pos, klen = eq - pos;
            size_t v = eq + 1, vlen = next - v;
            size_t j;
            for (j = 0; j < n; j++)
                if (kvs[j].klen == klen && env_same(d, kvs[j].k, k, klen)) break;
            if (j < n) {
                kvs[j].v = v;
                kvs[j].vlen = vlen;
            } else {
                if (n == cap) {
                    void *nk = realloc(kvs, cap * 2 * sizeof *kvs);
                    if (!nk) {
                        free(kvs);
                        ps__nstr_dispose(&block);
                        return ps__error(PS_ENOMEM, 0, "out of memory");
                    }
                    kvs = nk;
                    cap *= 2;
                }
                kvs[n].k = k;
                kvs[n].klen = klen;
                kvs[n].v = v;
                kvs[n].vlen = vlen;
                n++;
            }
        }
        pos = next + 1;
    }
    ps__buf b;
    ps__buf_init(&b);
    ps_errors_policy pol = ps__policy();
    for (size_t j = 0; j < n; j++) {
        env_decode(&b, d, kvs[j].k, kvs[j].klen, pol);
        ps__buf_putc(&b, '\0');
        env_decode(&b, d, kvs[j].v, kvs[j].vlen, pol);
        ps__buf_putc(&b, '\0');
    }
    free(kvs);
    ps__nstr_dispose(&block);
    if (b.failed) {
        ps__buf_dispose(&b);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    size_t head = sizeof(ps_proc_environ_list) + n * sizeof(ps_proc_env_var);
    ps_proc_environ_list *l = malloc(head + b.len + 1);
    if (!l) {
        ps__buf_dispose(&b);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    memset(l, 0, head);   /* the reserved tails of the header and the items */
    l->count = n;
    l->items = (ps_proc_env_var *)(l + 1);
    char *data = (char *)l + head;
    if (b.len) memcpy(data, b.data, b.len);
    for (size_t j = 0; j < n; j++) {
        l->items[j].key = data;
        data += strlen(data) + 1;
        l->items[j].value = data;
        data += strlen(data) + 1;
    }
    ps__buf_dispose(&b);
    *out = l;
    return 0;
}

void ps_proc_environ_list_free(ps_proc_environ_list *list)
{
    free(list);
}

static int bk_uids(ps_proc *proc, ps_proc_ids *out)
{
    return ps__bk_proc_ids(proc, 0, out);
}

static int bk_gids(ps_proc *proc, ps_proc_ids *out)
{
    return ps__bk_proc_ids(proc, 1, out);
}

PS__STRUCT_GETTER(ps_proc_uids, ps_proc_ids, bk_uids)
PS__STRUCT_GETTER(ps_proc_gids, ps_proc_ids, bk_gids)

int ps_proc_ppid(ps_proc *proc, int64_t *out)
{
    PS__CHECK_ARGS("ps_proc_ppid", proc && out);
    return ps__bk_proc_ppid(proc, out);
}

int ps_proc_parent(ps_proc *proc, ps_proc **out)
{
    PS__CHECK_ARGS("ps_proc_parent", proc && out);
    *out = NULL;
    int64_t ppid;
    int rc = ps__bk_proc_ppid(proc, &ppid);
    if (rc) return rc;
    if (ppid <= 0) return 0;
    double ctime, pctime;
    rc = ps__bk_proc_create_time(proc, &ctime);
    if (rc) return rc;
    ps_proc *parent;
    rc = ps__bk_proc_open(ppid, &parent);
    if (rc == PS_ENOPROC) return 0;
    if (rc) return rc;
    rc = ps__bk_proc_create_time(parent, &pctime);
    if (rc || pctime > ctime) {
        ps__bk_proc_free(parent);
        return rc == PS_ENOPROC ? 0 : rc;
    }
    *out = parent;
    return 0;
}

int ps_proc_parents(ps_proc *proc, ps_proc_list **out)
{
    PS__CHECK_ARGS("ps_proc_parents", proc && out);
    *out = NULL;
    ps_proc_list *l = calloc(1, sizeof *l);
    if (!l) return ps__error(PS_ENOMEM, 0, "ps_proc_parents: out of memory");
    size_t cap = 0;
    ps_proc *cur = proc;
    for (;;) {
        ps_proc *parent = NULL;
        int rc = ps_proc_parent(cur, &parent);
        if (rc && cur != proc && (rc == PS_ENOPROC || rc == PS_EACCES || rc == PS_EZOMBIE))
            rc = 0;   /* an ancestor that went away (or hides its parent) ends the chain */
        if (rc) {
            ps_proc_list_free(l);
            return rc;
        }
        if (!parent) break;
        /* the creation-time check already rules out a cycle; a repeated PID ends the chain
         * anyway, so a clock step can never make this loop forever */
        int seen = ps__bk_proc_pid(parent) == ps__bk_proc_pid(proc);
        for (size_t i = 0; !seen && i < l->count; i++)
            seen = ps__bk_proc_pid(l->items[i]) == ps__bk_proc_pid(parent);
        if (seen) {
            ps__bk_proc_free(parent);
            break;
        }
        if (l->count == cap) {
            size_t nc = cap ? cap * 2 : 8;
            ps_proc **ni = realloc(l->items, nc * sizeof *ni);
            if (!ni) {
                ps__bk_proc_free(parent);
                ps_proc_list_free(l);
                return ps__error(PS_ENOMEM, 0, "ps_proc_parents: out of memory");
            }
            l->items = ni;
            cap = nc;
        }
        l->items[l->count++] = parent;
        cur = parent;
    }
    *out = l;
    return 0;
}

void ps_proc_list_free(ps_proc_list *list)
{
    if (!list) return;
    for (size_t i = 0; i < list->count; i++) ps_proc_free(list->items[i]);
    free(list->items);
    free(list);
}

static int cmp_pair(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

int ps_proc_children(ps_proc *proc, int recursive, ps_proc_list **out)
{
    PS__CHECK_ARGS("ps_proc_children", proc && out);
    *out = NULL;
    double ctime;
    int rc = ps__bk_proc_create_time(proc, &ctime);
    if (rc) return rc;
    int64_t *pairs;
    size_t n;
    rc = ps__bk_proc_pid_ppid_pairs(&pairs, &n);
    if (rc) return rc;
    qsort(pairs, n, 2 * sizeof *pairs, cmp_pair);
    ps_proc_list *l = calloc(1, sizeof *l);
    int64_t *queue = malloc((n + 1) * sizeof *queue);
    char *seen = calloc(n ? n : 1, 1);
    size_t cap = 8;
    if (l) l->items = malloc(cap * sizeof *l->items);
    if (!l || !queue || !seen || !l->items) {
        free(pairs);
        free(queue);
        free(seen);
        if (l) free(l->items);
        free(l);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    size_t qh = 0, qt = 0;
    queue[qt++] = ps__bk_proc_pid(proc);
    while (qh < qt) {
        int64_t parent = queue[qh++];
        for (size_t i = 0; i < n; i++) {
            if (seen[i] || pairs[2 * i + 1] != parent) continue;
            seen[i] = 1;
            ps_proc *c;
            int orc = ps__bk_proc_open(pairs[2 * i], &c);
            if (orc == PS_ENOMEM || orc == PS_EMFILE) { /* an error, not a shorter list */
                rc = orc;
                break;
            }
            if (orc) continue;  /* vanished */
            double cct;
            int crc = ps__bk_proc_create_time(c, &cct);
            if (crc || cct < ctime) {
                ps__bk_proc_free(c);
                if (crc == PS_ENOMEM || crc == PS_EMFILE) {
                    rc = crc;
                    break;
                }
                continue;
            }
            if (l->count == cap) {
                ps_proc **ni = realloc(l->items, cap * 2 * sizeof *ni);
                if (!ni) {
                    ps__bk_proc_free(c);
                    rc = ps__error(PS_ENOMEM, 0, "out of memory");
                    break;
                }
                l->items = ni;
                cap *= 2;
            }
            l->items[l->count++] = c;
            if (recursive) queue[qt++] = pairs[2 * i];
        }
        if (rc) break;
    }
    free(pairs);
    free(queue);
    free(seen);
    if (rc == 0) {
        int running = 0;
        rc = ps__bk_proc_is_running(proc, &running);
        if (rc == 0 && !running) rc = ps__error(PS_ENOPROC, 0, "process is gone");
    }
    if (rc) {
        ps_proc_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

int ps_proc_status(ps_proc *proc, int32_t *out)
{
    PS__CHECK_ARGS("ps_proc_status", proc && out);
    ps_process_status st;
    int rc = ps__bk_proc_status(proc, &st);
    if (rc == 0) *out = (int32_t)st;
    return rc;
}

int ps_proc_create_time(ps_proc *proc, double *out)
{
    PS__CHECK_ARGS("ps_proc_create_time", proc && out);
    return ps__bk_proc_create_time(proc, out);
}

PS__STRUCT_GETTER(ps_proc_cpu_times, ps_proc_cputimes, ps__bk_proc_cpu_times)

/* The same on every platform: the back end's user + system times, then the monotonic clock
 * (psutil's cpu_percent timer). */
static int bk_cpu_sample(ps_proc *proc, ps_proc_cpu_sample *out)
{
    ps_proc_cputimes t;
    memset(&t, 0, sizeof t);
    int rc = ps__bk_proc_cpu_times(proc, &t);
    if (rc == 0) {
        out->cpu_seconds = t.user + t.system;
        out->timestamp = ps__clock_monotonic();
    }
    return rc;
}

PS__STRUCT_GETTER(ps_proc_cpu_sample_take, ps_proc_cpu_sample, bk_cpu_sample)

int ps_proc_cpu_percent(const ps_proc_cpu_sample *before, const ps_proc_cpu_sample *after,
                        double *out)
{
    PS__CHECK_ARGS("ps_proc_cpu_percent", before && after && out);
    double dt = after->timestamp - before->timestamp;
    double dc = after->cpu_seconds - before->cpu_seconds;
    if (dt <= 0) {
        *out = 0.0;
        return 0;
    }
    if (dc < 0) dc = 0;
    *out = dc / dt * 100.0;
    return 0;
}

int ps_proc_cpu_num(ps_proc *proc, int32_t *out)
{
    PS__CHECK_ARGS("ps_proc_cpu_num", proc && out);
    return ps__bk_proc_cpu_num(proc, out);
}

/* The CPU list is built like every other list: the back end's array copied into one. */
static int fill_cpu(int32_t *d, const int32_t *s)
{
    *d = *s;
    return 0;
}
static void bk_cpus_free(int32_t *cpus, size_t count)
{
    (void)count;
    free(cpus);
}
PS__LIST_SPEC_N(cpu_spec, "ps_proc_cpu_affinity", ps_proc_cpu_list, int32_t, fill_cpu, bk_cpus_free,
                NULL, 0);
PS__LIST_FREE(ps_proc_cpu_list_free, ps_proc_cpu_list, cpu_spec)

PS__PROC_LIST_GETTER(ps_proc_cpu_affinity, ps_proc_cpu_list, cpu_spec, int32_t, ps__bk_proc_cpu_affinity)

int ps_proc_set_cpu_affinity(ps_proc *proc, const int32_t *cpus, size_t count)
{
    if (!proc || (count && !cpus)) return ps__error(PS_EINVAL, 0, "ps_proc_set_cpu_affinity: NULL argument");
    return ps__bk_proc_set_cpu_affinity(proc, cpus, count);
}

int ps_proc_nice(ps_proc *proc, int32_t *out)
{
    PS__CHECK_ARGS("ps_proc_nice", proc && out);
    return ps__bk_proc_nice(proc, out);
}

int ps_proc_set_nice(ps_proc *proc, int32_t value)
{
    PS__CHECK_ARGS("ps_proc_set_nice", proc);
    return ps__bk_proc_set_nice(proc, value);
}

int ps_proc_ionice(ps_proc *proc, int32_t *out_class, int32_t *out_value)
{
    PS__CHECK_ARGS("ps_proc_ionice", proc && out_class && out_value);
    ps_ioprio_class cls;
    int rc = ps__bk_proc_ionice(proc, &cls, out_value);
    if (rc == 0) *out_class = (int32_t)cls;
    return rc;
}

int ps_proc_set_ionice(ps_proc *proc, ps_ioprio_class ioclass, int32_t value)
{
    PS__CHECK_ARGS("ps_proc_set_ionice", proc);
    if ((int)ioclass < 0 || (int)ioclass > 3) return ps__error(PS_EINVAL, 0, "ionice: bad class %d", (int)ioclass);
    if (value < 0 || value > 7) return ps__error(PS_EINVAL, 0, "ionice: value %d not in 0-7", (int)value);
    if (value && (ioclass == PS_IOPRIO_CLASS_NONE || ioclass == PS_IOPRIO_CLASS_IDLE))
        return ps__error(PS_EINVAL, 0, "ionice: class %d accepts no value", (int)ioclass);
    return ps__bk_proc_set_ionice(proc, ioclass, value);
}

int ps_proc_rlimit(ps_proc *proc, ps_rlimit_resource resource, int64_t *out_soft, int64_t *out_hard)
{
    PS__CHECK_ARGS("ps_proc_rlimit", proc && out_soft && out_hard);
    return ps__bk_proc_rlimit(proc, resource, out_soft, out_hard);
}

int ps_proc_set_rlimit(ps_proc *proc, ps_rlimit_resource resource, int64_t soft, int64_t hard)
{
    PS__CHECK_ARGS("ps_proc_set_rlimit", proc);
    if (soft < PS_RLIM_INFINITY || hard < PS_RLIM_INFINITY)
        return ps__error(PS_EINVAL, 0, "ps_proc_set_rlimit: negative limit");
    return ps__bk_proc_set_rlimit(proc, resource, soft, hard);
}

PS__STRUCT_GETTER(ps_proc_memory_info, ps_proc_mem, ps__bk_proc_memory_info)

PS__STRUCT_GETTER(ps_proc_memory_info_ex, ps_proc_mem_ex, ps__bk_proc_memory_info_ex)

PS__STRUCT_GETTER(ps_proc_memory_footprint, ps_proc_footprint, ps__bk_proc_memory_footprint)

int ps_proc_memory_full_info(ps_proc *proc, ps_proc_fullmem *out)
{
    PS__CHECK_ARGS("ps_proc_memory_full_info", proc && out);
    /* psutil 8: memory_info() followed by memory_footprint() */
    memset(out, 0, sizeof *out);
    ps_proc_mem m;
    ps_proc_footprint f;
    memset(&m, 0, sizeof m);
    memset(&f, 0, sizeof f);
    int rc = ps__bk_proc_memory_info(proc, &m);
    if (!rc) rc = ps__bk_proc_memory_footprint(proc, &f);
    if (rc) return rc;
    out->rss = m.rss;
    out->vms = m.vms;
    out->shared = m.shared;
    out->text = m.text;
    out->data = m.data;
    out->stack = m.stack;
    out->peak_rss = m.peak_rss;
    out->peak_vms = m.peak_vms;
    out->uss = f.uss;
    out->pss = f.pss;
    out->swap = f.swap;
    return 0;
}

static const char *const memtype_names[PS_MEMTYPE_COUNT] = {
    "rss", "vms", "shared", "text", "data", "stack", "peak_rss", "peak_vms", "rss_anon",
    "rss_file", "rss_shmem", "swap", "hugetlb", "virtual", "peak_virtual", "paged_pool",
    "nonpaged_pool", "peak_paged_pool", "peak_nonpaged_pool", "wired", "compressed",
    "phys_footprint", "uss", "pss"};

const char *ps_memtype_name(int32_t memtype)
{
    if (memtype < 0 || memtype >= PS_MEMTYPE_COUNT) return "?";
    return memtype_names[memtype];
}

/* The figure memtype names, read the way psutil's memory_percent reads it: memory_info for
 * pmem's fields, memory_footprint for uss, pss and swap (psutil looks at pfootprint before
 * pmem_ex, so "swap" is smaps' Swap), memory_info_ex for the rest. */
static int memtype_value(ps_proc *proc, int32_t memtype, uint64_t *v)
{
    int rc;
    if (memtype <= PS_MEMTYPE_DATA) {
        ps_proc_mem m;
        if ((rc = ps__bk_proc_memory_info(proc, &m))) return rc;
        const uint64_t f[] = {m.rss, m.vms, m.shared, m.text, m.data};
        *v = f[memtype];
    } else if (memtype == PS_MEMTYPE_USS || memtype == PS_MEMTYPE_PSS || memtype == PS_MEMTYPE_SWAP) {
        ps_proc_footprint f;
        if ((rc = ps__bk_proc_memory_footprint(proc, &f))) return rc;
        *v = memtype == PS_MEMTYPE_USS ? f.uss : memtype == PS_MEMTYPE_PSS ? f.pss : f.swap;
    } else {
        ps_proc_mem_ex x;
        if ((rc = ps__bk_proc_memory_info_ex(proc, &x))) return rc;
        const uint64_t f[] = {x.rss, x.vms, x.shared, x.text, x.data, x.stack, x.peak_rss,
                              x.peak_vms, x.rss_anon, x.rss_file, x.rss_shmem, x.swap,
                              x.hugetlb, x.virtual_size, x.peak_virtual_size, x.paged_pool,
                              x.nonpaged_pool, x.peak_paged_pool, x.peak_nonpaged_pool,
                              x.wired, x.compressed, x.phys_footprint};
        *v = f[memtype];
    }
    return 0;
}

int ps_proc_memory_percent(ps_proc *proc, int32_t memtype, double *out)
{
    PS__CHECK_ARGS("ps_proc_memory_percent", proc && out);
    if (memtype < 0 || memtype >= PS_MEMTYPE_COUNT)
        return ps__error(PS_EINVAL, 0, "ps_proc_memory_percent: unknown memtype %d", (int)memtype);
    uint64_t v;
    int rc = memtype_value(proc, memtype, &v);
    if (rc) return rc;
    if (v == PS_UNKNOWN_U64)
        return ps__error(PS_ENOTSUP, 0, "ps_proc_memory_percent: %s is not available here",
                         memtype_names[memtype]);
    ps_vmem vm;
    if ((rc = ps_virtual_memory(&vm))) return rc;
    if (vm.total == 0 || vm.total == PS_UNKNOWN_U64)
        return ps__error(PS_EIO, 0, "ps_proc_memory_percent: total physical memory is unknown");
    *out = (double)v / (double)vm.total * 100.0;
    return 0;
}

void ps_proc_mmap_list_free(ps_proc_mmap_list *list)
{
    if (!list) return;
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].path);
        free(list->items[i].addr);
        free(list->items[i].perms);
    }
    free(list->items);
    free(list);
}

/* A sum stays unknown once one term is (Windows knows only rss): never a wrapped total. */
static void add_u64(uint64_t *d, uint64_t v, int first)
{
    if (first) *d = v;
    else if (*d == PS_UNKNOWN_U64 || v == PS_UNKNOWN_U64) *d = PS_UNKNOWN_U64;
    else *d += v;
}

static void mmap_add(ps_proc_mmap *d, const ps__bk_mmap *s, int first)
{
    add_u64(&d->rss, s->rss, first);
    add_u64(&d->size, s->size, first);
    add_u64(&d->pss, s->pss, first);
    add_u64(&d->shared_clean, s->shared_clean, first);
    add_u64(&d->shared_dirty, s->shared_dirty, first);
    add_u64(&d->private_clean, s->private_clean, first);
    add_u64(&d->private_dirty, s->private_dirty, first);
    add_u64(&d->referenced, s->referenced, first);
    add_u64(&d->anonymous, s->anonymous, first);
    add_u64(&d->swap, s->swap, first);
}

int ps_proc_memory_maps(ps_proc *proc, int grouped, ps_proc_mmap_list **out)
{
    PS__CHECK_ARGS("ps_proc_memory_maps", proc && out);
    *out = NULL;
    ps__bk_mmap *items;
    size_t n;
    int rc = ps__bk_proc_memory_maps(proc, &items, &n);
    if (rc) return rc;
    ps_proc_mmap_list *l = calloc(1, sizeof *l);
    if (l) l->items = calloc(n ? n : 1, sizeof *l->items);
    if (!l || !l->items) {
        if (l) free(l);
        ps__bk_mmap_free(items, n);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    size_t k = 0;
    size_t *gidx = malloc((n ? n : 1) * sizeof *gidx);
    if (!gidx) rc = ps__error(PS_ENOMEM, 0, "out of memory");
    for (size_t i = 0; i < n && rc == 0; i++) {
        const ps__bk_mmap *s = &items[i];
        if (grouped) {
            size_t j;
            for (j = 0; j < i; j++)  /* an earlier block with the same native path */
                if (items[j].path.len == s->path.len && memcmp(items[j].path.data, s->path.data, s->path.len) == 0) break;
            if (j < i) {
                gidx[i] = gidx[j];
                mmap_add(&l->items[gidx[i]], s, 0);
                continue;
            }
        }
        gidx[i] = k;
        ps_proc_mmap *d = &l->items[k++];
        l->count = k;
        rc = ps__decode_native(s->path.data, s->path.len, &d->path, NULL);
        if (!rc && !grouped) rc = ps__decode_native(s->addr.data, s->addr.len, &d->addr, NULL);
        if (!rc && !grouped) rc = ps__decode_native(s->perms.data, s->perms.len, &d->perms, NULL);
        mmap_add(d, s, 1);
    }
    free(gidx);
    ps__bk_mmap_free(items, n);
    if (rc) {
        ps_proc_mmap_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

PS__STRUCT_GETTER(ps_proc_page_faults, ps_proc_pagefaults, ps__bk_proc_page_faults)

int ps_proc_num_threads(ps_proc *proc, int64_t *out)
{
    PS__CHECK_ARGS("ps_proc_num_threads", proc && out);
    return ps__bk_proc_num_threads(proc, out);
}

static int fill_thread(ps_proc_thread *d, const ps__bk_thread *s)
{
    d->id = s->id;
    d->user_time = s->user_time;
    d->system_time = s->system_time;
    /* no native name (Windows without thread descriptions): NULL, not "" */
    if (!s->name.data) return 0;
    return ps__decode_native(s->name.data, s->name.len, &d->name, NULL);
}
static const size_t thread_strs[] = {offsetof(ps_proc_thread, name)};
PS__LIST_SPEC(thread_spec, "ps_proc_threads", ps_proc_thread_list, ps__bk_thread, fill_thread,
              ps__bk_thread_free, thread_strs);
PS__LIST_FREE(ps_proc_thread_list_free, ps_proc_thread_list, thread_spec)

PS__PROC_LIST_GETTER(ps_proc_threads, ps_proc_thread_list, thread_spec, ps__bk_thread, ps__bk_proc_threads)

int ps_proc_num_fds(ps_proc *proc, int64_t *out)
{
    PS__CHECK_ARGS("ps_proc_num_fds", proc && out);
    return ps__bk_proc_num_fds(proc, out);
}

int ps_proc_num_handles(ps_proc *proc, int64_t *out)
{
    PS__CHECK_ARGS("ps_proc_num_handles", proc && out);
    return ps__bk_proc_num_handles(proc, out);
}

PS__STRUCT_GETTER(ps_proc_num_ctx_switches, ps_proc_ctxsw, ps__bk_proc_num_ctx_switches)

static int bk_io_counters(ps_proc *proc, ps_proc_io *out)
{
    /* Only Windows counts "other" operations; its back end overwrites these. */
    out->other_count = out->other_bytes = PS_UNKNOWN_U64;
    return ps__bk_proc_io_counters(proc, out);
}

PS__STRUCT_GETTER(ps_proc_io_counters, ps_proc_io, bk_io_counters)

static int fill_open_file(ps_proc_open_file *d, const ps__bk_open_file *s)
{
    d->fd = s->fd;
    d->position = s->position;
    d->flags = s->flags;
    memcpy(d->mode, s->mode, sizeof d->mode);
    return ps__decode_native(s->path.data, s->path.len, &d->path, NULL);
}
static const size_t open_file_strs[] = {offsetof(ps_proc_open_file, path)};
PS__LIST_SPEC(open_file_spec, "ps_proc_open_files", ps_proc_open_file_list, ps__bk_open_file,
              fill_open_file, ps__bk_open_file_free, open_file_strs);
PS__LIST_FREE(ps_proc_open_file_list_free, ps_proc_open_file_list, open_file_spec)

PS__PROC_LIST_GETTER(ps_proc_open_files, ps_proc_open_file_list, open_file_spec, ps__bk_open_file,
                     ps__bk_proc_open_files)

/* ---- signals ---------------------------------------------------------------------------- */

/* The signal operations: a NULL handle is PS_EINVAL (fn names the public function), the rest
 * is the back end's (op: PS__SIG_*). */
static int signal_op(const char *fn, ps_proc *proc, int op, int32_t sig)
{
    if (!proc) return ps__error(PS_EINVAL, 0, "%s: NULL handle", fn);
    return ps__bk_proc_signal(proc, op, sig);
}

int ps_proc_send_signal(ps_proc *proc, int32_t sig)
{
    return signal_op("ps_proc_send_signal", proc, PS__SIG_SEND, sig);
}

int ps_proc_suspend(ps_proc *proc)
{
    return signal_op("ps_proc_suspend", proc, PS__SIG_SUSPEND, 0);
}

int ps_proc_resume(ps_proc *proc)
{
    return signal_op("ps_proc_resume", proc, PS__SIG_RESUME, 0);
}

int ps_proc_terminate(ps_proc *proc)
{
    return signal_op("ps_proc_terminate", proc, PS__SIG_TERMINATE, 0);
}

int ps_proc_kill(ps_proc *proc)
{
    return signal_op("ps_proc_kill", proc, PS__SIG_KILL, 0);
}
