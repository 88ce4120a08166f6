/* SPDX-License-Identifier: MIT */
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
#include "ptable_core.h"

/* The header spells PS_PT_ALL as a literal (binding generators carry no shifts). */
_Static_assert(PS_PT_ALL == (((uint64_t)1 << PS_PT_FIELD_COUNT) - 1),
               "PS_PT_ALL must be the low PS_PT_FIELD_COUNT bits");

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
    memset(l, 0, sizeof *l);
    l->count = n;
    l->items = (int64_t *)(void *)(l + 1);
    if (n) memcpy(l->items, pids, n * sizeof(int64_t));
    free(pids);
    *out = l;
    return 0;
}

void ps_pid_list_free(ps_pid_list *list)
{
    free(list);
}

int ps_pid_exists(int64_t pid, int *out)
{
    if (!out) return ps__error(PS_EINVAL, 0, "ps_pid_exists: out is NULL");
    *out = 0;
    if (pid < 0) return ps__error(PS_EINVAL, 0, "ps_pid_exists: pid %lld is negative", (long long)pid);
    return ps__bk_pid_exists(pid, out);
}

/* ---- field names ------------------------------------------------------------------------ */

const char *ps_ptable_field_name(int32_t field)
{
    static const char *const names[PS_PT_FIELD_COUNT] = {
        "pid", "ppid", "name", "exe", "cmdline", "cwd", "username", "uids", "gids", "terminal",
        "status", "create_time", "cpu_times", "cpu_num", "nice", "memory_info", "num_threads",
        "num_ctx_switches", "io_counters", "num_fds", "page_faults", "num_handles",
    };
    if (field < 0 || field >= PS_PT_FIELD_COUNT) return "?";
    return names[field];
}

/* ---- the builder ------------------------------------------------------------------------ */

/*
 * While building, a record's string pointers hold (offset + 1) into `strs` (0 = NULL) and its
 * cmdline pointer holds (index + 1) into `argv` (offsets of the items); ps__ptable_finish
 * turns them into pointers into the final block.
 */
#define ALIGN_UP(x) (((x) + 15u) & ~(size_t)15u)
#define HDR ALIGN_UP(sizeof(ps_ptable))

struct ps__ptable_builder {
    char *block;                /* the future table: header, then the records (cap of them) */
    ps_ptable_record *recs;     /* block + HDR */
    size_t n, cap;
    size_t bytes;               /* size of block */
    size_t *argv;
    size_t nargv, capargv;
    ps__buf strs;
    ps_errors_policy policy;
    uint64_t fields;
    uint64_t *idents;           /* scanner builds only: r->ident of each record */
    size_t capidents;
    int want_idents;
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
    free(b->block);
    free(b->argv);
    free(b->idents);
    ps__buf_dispose(&b->strs);
}

/* Does s hold only ASCII bytes? (8 bytes at a time) */
static int all_ascii(const unsigned char *s, size_t n)
{
    size_t i = 0;
    uint64_t acc = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        acc |= w;
    }
    for (; i < n; i++) acc |= s[i];
    return (acc & UINT64_C(0x8080808080808080)) == 0;
}

/* Decode n native units at data into the string area, plus a NUL terminator. ASCII decodes to
 * itself under every policy, so it is copied as is; anything else goes through the one
 * decoder. Returns the offset + 1 of the string, or 0 when out of memory. */
static uintptr_t put_native(ps__ptable_builder *b, const void *data, size_t n)
{
    size_t off = b->strs.len;
    if (PS_NATIVE_UTF16) {
        ps__decode_utf16_into(&b->strs, data, n, b->policy);
    } else if (all_ascii(data, n)) {
        if (!ps__buf_reserve(&b->strs, n + 1)) return 0;
        memcpy(b->strs.data + off, data, n);
        b->strs.len += n;
    } else {
        ps__decode_bytes_into(&b->strs, data, n, b->policy);
    }
    ps__buf_putc(&b->strs, '\0');
    if (b->strs.failed) return 0;
    return (uintptr_t)off + 1;
}

static uintptr_t put_str(ps__ptable_builder *b, const ps__nview *v)
{
    if (!v->data) return 0;
    return put_native(b, v->data, v->len);
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

/*
 * Records are written straight into the block that becomes the table (no copy at the end).
 * slack: extra bytes to allocate now for the cmdline arrays and strings that follow the
 * records, so the final realloc shrinks in place instead of moving the block.
 */
static int reserve_recs(ps__ptable_builder *b, size_t need, size_t slack)
{
    if (need <= b->cap) return 0;
    size_t c = b->cap ? b->cap * 2 : 16;
    if (c < need) c = need;
    size_t bytes = HDR + c * sizeof(ps_ptable_record) + slack;
    char *nb = realloc(b->block, bytes);
    if (!nb) return ps__error(PS_ENOMEM, 0, "process table: out of memory");
    b->block = nb;
    b->bytes = bytes;
    b->recs = (ps_ptable_record *)(void *)(nb + HDR);
    b->cap = c;
    return 0;
}

int ps__ptable_reserve(ps__ptable_builder *b, size_t n)
{
    return reserve_recs(b, b->n + n, n * 160);
}

int ps__ptable_emit(ps__ptable_builder *b, const ps__bk_ptrec *r)
{
    if (reserve_recs(b, b->n + 1, 0)) return PS_ENOMEM;
    if (b->want_idents) {
        if (grow((void **)&b->idents, &b->capidents, b->n + 1, sizeof *b->idents))
            return ps__error(PS_ENOMEM, 0, "process table: out of memory");
        b->idents[b->n] = r->ident;
    }
    ps_ptable_record *rec = &b->recs[b->n];
    *rec = r->rec;
    /* the tails are zero whatever the back end left in its record (docs/abi.md) */
    rec->pad_0 = 0;
    PS__TAIL_ZERO(rec);
    PS__TAIL_ZERO(&rec->uids);
    PS__TAIL_ZERO(&rec->gids);
    PS__TAIL_ZERO(&rec->cpu_times);
    PS__TAIL_ZERO(&rec->memory_info);
    PS__TAIL_ZERO(&rec->num_ctx_switches);
    PS__TAIL_ZERO(&rec->io_counters);
    PS__TAIL_ZERO(&rec->page_faults);
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
        if (count > 0) {
            /* Decode the whole block at once: a NUL unit decodes to a NUL byte and the decoder
             * never produces one otherwise, so the items keep their boundaries. */
            size_t units = r->cmdline.len;
            uintptr_t o = put_native(b, r->cmdline.data, units ? units - 1 : 0);
            if (!o) return ps__error(PS_ENOMEM, 0, "process table: out of memory");
            size_t pos = (size_t)o - 1, end = b->strs.len - 1;   /* end: the added NUL */
            for (size_t i = 0; i < count; i++) {
                b->argv[b->nargv++] = pos;
                const char *z = memchr(b->strs.data + pos, '\0', end - pos + 1);
                pos = z ? (size_t)(z - b->strs.data) + 1 : end;
            }
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


/* Sort, append the cmdline pointer arrays and the strings after the records (one realloc),
 * and turn offsets into pointers. */
static int builder_finish(ps__ptable_builder *b, ps_ptable **out)
{
    if (reserve_recs(b, 1, 0)) return PS_ENOMEM;   /* a block even for an empty table */
    int sorted = 1;   /* /proc lists PIDs in increasing order: usually nothing to do */
    for (size_t i = 1; i < b->n && sorted; i++) sorted = b->recs[i - 1].pid < b->recs[i].pid;
    if (!sorted && b->want_idents)   /* scanner back ends emit in PID order (idents follow) */
        return ps__error(PS_EIO, 0, "process table: scanner records out of order");
    if (!sorted) qsort(b->recs, b->n, sizeof *b->recs, cmp_rec);
    size_t recs = ALIGN_UP(b->n * sizeof(ps_ptable_record));
    size_t argv = ALIGN_UP(b->nargv * sizeof(char *));
    size_t total = HDR + recs + argv + b->strs.len + 1;
    /* shrinking (the usual case after ps__ptable_reserve) happens in place */
    char *block = total == b->bytes ? b->block : realloc(b->block, total);
    if (!block) return ps__error(PS_ENOMEM, 0, "process table: out of memory");
    b->block = NULL;   /* handed over */
    b->recs = NULL;
    b->cap = 0;
    ps_ptable *t = (ps_ptable *)(void *)block;
    ps_ptable_record *R = (ps_ptable_record *)(void *)(block + HDR);
    const char **A = (const char **)(void *)(block + HDR + recs);
    char *S = block + HDR + recs + argv;
    if (b->strs.len) memcpy(S, b->strs.data, b->strs.len);
    S[b->strs.len] = '\0';
    for (size_t i = 0; i < b->nargv; i++) A[i] = S + b->argv[i];
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
    memset(t, 0, sizeof *t);
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

ps__ptable_builder *ps__ptable_builder_new(uint64_t fields, int want_idents)
{
    ps__ptable_builder *b = malloc(sizeof *b);
    if (!b) return NULL;
    builder_init(b, fields);
    b->want_idents = want_idents;
    return b;
}

int ps__ptable_builder_finish(ps__ptable_builder *b, ps_ptable **out, uint64_t **idents)
{
    int rc = builder_finish(b, out);
    if (rc == 0 && idents) {
        *idents = b->idents;   /* handed over (NULL for an empty table) */
        b->idents = NULL;
    }
    return rc;
}

void ps__ptable_builder_free(ps__ptable_builder *b)
{
    if (!b) return;
    builder_dispose(b);
    free(b);
}

int ps__ptable_check_fields(const char *fn, uint64_t fields)
{
    return check_fields(fn, fields);
}

void ps_ptable_free(ps_ptable *table)
{
    free(table);
}
