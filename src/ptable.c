/*
 * Process enumeration and the process table (portable core): argument checks, sorting, and
 * the table builder. Back ends read each process and hand native records to ps__ptable_emit,
 * which decodes every string with the one decoder into the table's string area; the finished
 * table is ONE allocation (header, records, cmdline pointer arrays, strings) freed by
 * ps_ptable_free.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

/* ---- PIDs ------------------------------------------------------------------------------ */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int ps_pids(ps_pid_list **out)
{
    if (!out) return ps__error(PS_EINVAL, 0, "ps_pids: out is NULL");
    *out = NULL;
    int64_t *pids = NULL;
    size_t n = 0;
    int rc = ps__bk_pids(&pids, &n);
    if (rc) return rc;
    qsort(pids, n, sizeof *pids, cmp_i64);
    /* one allocation: the header followed by the PIDs */
    ps_pid_list *l = malloc(sizeof *l + n * sizeof(int64_t));
    if (!l) {
        free(pids);
        return ps__error(PS_ENOMEM, 0, "ps_pids: out of memory");
    }
    l->count = n;
    l->pids = (int64_t *)(void *)(l + 1);
    if (n) memcpy(l->pids, pids, n * sizeof(int64_t));
    free(pids);
    *out = l;
    return 0;
}

void ps_pid_list_free(ps_pid_list *list)
{
    free(list);
}

int ps_pid_exists(int64_t pid, int *exists)
{
    if (!exists) return ps__error(PS_EINVAL, 0, "ps_pid_exists: exists is NULL");
    *exists = 0;
    if (pid < 0) return ps__error(PS_EINVAL, 0, "ps_pid_exists: pid %lld is negative", (long long)pid);
    return ps__bk_pid_exists(pid, exists);
}

/* ---- field names ------------------------------------------------------------------------ */

const char *ps_ptable_field_name(ps_ptable_field field)
{
    static const char *const names[PS_PT_FIELD_COUNT] = {
        "pid", "ppid", "name", "exe", "cmdline", "cwd", "username", "uids", "gids", "terminal",
        "status", "create_time", "cpu_times", "cpu_num", "nice", "memory_info", "num_threads",
        "num_ctx_switches", "io_counters", "num_fds", "page_faults",
    };
    if ((int)field < 0 || (int)field >= PS_PT_FIELD_COUNT) return "?";
    return names[field];
}

/* ---- the builder ------------------------------------------------------------------------ */

/*
 * While building, a record's string pointers hold (offset + 1) into `strs` (0 = NULL) and its
 * cmdline pointer holds (index + 1) into `argv` (offsets of the items); ps__ptable_finish
 * turns them into pointers into the final block.
 */
struct ps__ptable_builder {
    ps_ptable_record *recs;
    size_t n, cap;
    size_t *argv;
    size_t nargv, capargv;
    ps__buf strs;
    ps_errors_policy policy;
    uint64_t fields;
};

static void builder_init(ps__ptable_builder *b, uint64_t fields)
{
    memset(b, 0, sizeof *b);
    ps__buf_init(&b->strs);
    b->policy = ps__policy();   /* one policy for the whole table */
    b->fields = fields;
}

static void builder_dispose(ps__ptable_builder *b)
{
    free(b->recs);
    free(b->argv);
    ps__buf_dispose(&b->strs);
}

/* Decode one native string into the string area; returns its (offset + 1), or 0 on failure. */
static uintptr_t put_str(ps__ptable_builder *b, const ps__nview *v)
{
    if (!v->data) return 0;
    size_t off = b->strs.len;
    if (PS_NATIVE_UTF16)
        ps__decode_utf16_into(&b->strs, v->data, v->len, b->policy);
    else
        ps__decode_bytes_into(&b->strs, v->data, v->len, b->policy);
    ps__buf_putc(&b->strs, '\0');
    if (b->strs.failed) return 0;
    return (uintptr_t)off + 1;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *np = realloc(*p, c * elem);
    if (!np) return -1;
    *p = np;
    *cap = c;
    return 0;
}

#define OFF(x) ((const char *)(uintptr_t)(x))

int ps__ptable_emit(ps__ptable_builder *b, const ps__bk_ptrec *r)
{
    if (grow((void **)&b->recs, &b->cap, b->n + 1, sizeof *b->recs))
        return ps__error(PS_ENOMEM, 0, "process table: out of memory");
    ps_ptable_record *rec = &b->recs[b->n];
    *rec = r->rec;
    rec->name = rec->exe = rec->cwd = rec->username = rec->terminal = NULL;
    rec->cmdline = NULL;
    rec->cmdline_count = 0;
    uint64_t pr = rec->present;
    if (pr & PS_PT_BIT(PS_PT_NAME)) rec->name = OFF(put_str(b, &r->name));
    if (pr & PS_PT_BIT(PS_PT_EXE)) rec->exe = OFF(put_str(b, &r->exe));
    if (pr & PS_PT_BIT(PS_PT_CWD)) rec->cwd = OFF(put_str(b, &r->cwd));
    if (pr & PS_PT_BIT(PS_PT_USERNAME)) rec->username = OFF(put_str(b, &r->username));
    if (pr & PS_PT_BIT(PS_PT_TERMINAL)) rec->terminal = OFF(put_str(b, &r->terminal));
    if (pr & PS_PT_BIT(PS_PT_CMDLINE)) {
        size_t first = b->nargv, count = r->cmdline_count;
        if (grow((void **)&b->argv, &b->capargv, b->nargv + count + 1, sizeof *b->argv))
            return ps__error(PS_ENOMEM, 0, "process table: out of memory");
        size_t unit = PS_NATIVE_UTF16 ? 2 : 1;
        const char *p = r->cmdline.data;
        for (size_t i = 0; i < count; i++) {
            /* each item ends with one NUL unit */
            size_t len = 0;
            if (unit == 1) {
                len = strlen(p + 0);
            } else {
                const uint16_t *u = (const uint16_t *)(const void *)p;
                while (u[len]) len++;
            }
            ps__nview v = {p, len};
            uintptr_t o = put_str(b, &v);
            b->argv[b->nargv++] = o ? (size_t)o - 1 : 0;
            p += (len + 1) * unit;
        }
        rec->cmdline_count = count;
        rec->cmdline = (const char *const *)(uintptr_t)(first + 1);
    }
    if (b->strs.failed) return ps__error(PS_ENOMEM, 0, "process table: out of memory");
    b->n++;
    return 0;
}

static int cmp_rec(const void *a, const void *b)
{
    int64_t x = ((const ps_ptable_record *)a)->pid, y = ((const ps_ptable_record *)b)->pid;
    return (x > y) - (x < y);
}

#define ALIGN_UP(x) (((x) + 15u) & ~(size_t)15u)

/* Sort, then copy everything into one block and turn offsets into pointers. */
static int builder_finish(ps__ptable_builder *b, ps_ptable **out)
{
    if (b->n > 1) qsort(b->recs, b->n, sizeof *b->recs, cmp_rec);
    size_t hdr = ALIGN_UP(sizeof(ps_ptable));
    size_t recs = ALIGN_UP(b->n * sizeof(ps_ptable_record));
    size_t argv = ALIGN_UP(b->nargv * sizeof(char *));
    size_t total = hdr + recs + argv + b->strs.len + 1;
    char *block = malloc(total);
    if (!block) return ps__error(PS_ENOMEM, 0, "process table: out of memory");
    ps_ptable *t = (ps_ptable *)(void *)block;
    ps_ptable_record *R = (ps_ptable_record *)(void *)(block + hdr);
    const char **A = (const char **)(void *)(block + hdr + recs);
    char *S = block + hdr + recs + argv;
    if (b->strs.len) memcpy(S, b->strs.data, b->strs.len);
    S[b->strs.len] = '\0';
    for (size_t i = 0; i < b->nargv; i++) A[i] = S + b->argv[i];
    if (b->n) memcpy(R, b->recs, b->n * sizeof *R);
#define FIX(f) (f) = (f) ? S + ((uintptr_t)(f) - 1) : NULL
    for (size_t i = 0; i < b->n; i++) {
        ps_ptable_record *r = &R[i];
        FIX(r->name);
        FIX(r->exe);
        FIX(r->cwd);
        FIX(r->username);
        FIX(r->terminal);
        if (r->cmdline) r->cmdline = (const char *const *)(A + ((uintptr_t)r->cmdline - 1));
    }
#undef FIX
    t->count = b->n;
    t->fields = b->fields;
    t->records = R;
    *out = t;
    return 0;
}

static int check_fields(const char *fn, uint64_t fields)
{
    if (fields & ~PS_PT_ALL)
        return ps__error(PS_EINVAL, 0, "%s: unknown field bits 0x%llx", fn,
                         (unsigned long long)(fields & ~PS_PT_ALL));
    return 0;
}

int ps_ptable_scan(uint64_t fields, uint32_t flags, ps_ptable **out)
{
    if (!out) return ps__error(PS_EINVAL, 0, "ps_ptable_scan: out is NULL");
    *out = NULL;
    int rc = check_fields("ps_ptable_scan", fields);
    if (rc) return rc;
    if (flags & ~(uint32_t)PS_PT_KEEP_PARTIAL)
        return ps__error(PS_EINVAL, 0, "ps_ptable_scan: unknown flags 0x%x", (unsigned)flags);
    fields |= PS_PT_BIT(PS_PT_PID);
    ps__ptable_builder b;
    builder_init(&b, fields);
    rc = ps__bk_ptable_scan(fields, flags, &b);
    if (rc == 0) rc = builder_finish(&b, out);
    builder_dispose(&b);
    return rc;
}

int ps_proc_snapshot(ps_proc *proc, uint64_t fields, ps_ptable **out)
{
    if (!out) return ps__error(PS_EINVAL, 0, "ps_proc_snapshot: out is NULL");
    *out = NULL;
    if (!proc) return ps__error(PS_EINVAL, 0, "ps_proc_snapshot: proc is NULL");
    int rc = check_fields("ps_proc_snapshot", fields);
    if (rc) return rc;
    fields |= PS_PT_BIT(PS_PT_PID);
    ps__ptable_builder b;
    builder_init(&b, fields);
    rc = ps__bk_proc_snapshot(proc, fields, &b);
    if (rc == 0 && b.n != 1) rc = ps__error(PS_EIO, 0, "ps_proc_snapshot: back end gave %zu records", b.n);
    if (rc == 0) rc = builder_finish(&b, out);
    builder_dispose(&b);
    return rc;
}

void ps_ptable_free(ps_ptable *table)
{
    free(table);
}
