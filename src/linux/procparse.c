/* SPDX-License-Identifier: MIT */
/* Pure parsers for /proc/<pid> files (see procparse.h). No allocation, no OS calls. */
#include <string.h>

#include "procparse.h"
#include "psinfo/proc.h"

int ps__procparse_u64(const char **pp, const char *end, uint64_t *out)
{
    const char *p = *pp;
    uint64_t v = 0;
    const char *start = p;
    while (p < end && *p >= '0' && *p <= '9') {
        v = v * 10 + (uint64_t)(*p - '0');
        p++;
    }
    *pp = p;
    *out = v;
    return p != start;
}

int ps__procparse_i64(const char **pp, const char *end, int64_t *out)
{
    const char *p = *pp;
    int neg = 0;
    if (p < end && (*p == '-' || *p == '+')) {
        neg = *p == '-';
        p++;
    }
    uint64_t v;
    if (!ps__procparse_u64(&p, end, &v)) return 0;
    *pp = p;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 1;
}

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n')) p++;
    return p;
}

static const char *skip_tok(const char *p, const char *end)
{
    while (p < end && *p != ' ' && *p != '\t' && *p != '\n') p++;
    return p;
}

int ps__parse_stat_buf(const char *buf, size_t len, ps__stat *out)
{
    memset(out, 0, sizeof *out);
    out->processor = -1;
    const char *open_paren = memchr(buf, '(', len);
    if (!open_paren) return -1;
    /* the last ')' ends comm (comm may hold ')' itself) */
    const char *close_paren = memrchr(buf, ')', len);
    if (!close_paren || close_paren <= open_paren) return -1;
    out->comm = open_paren + 1;
    out->comm_len = (size_t)(close_paren - open_paren - 1);
    const char *p = close_paren + 1, *end = buf + len;
    int n = 0;
    for (;;) {
        p = skip_ws(p, end);
        if (p >= end) break;
        const char *q = p;
        int field = n + 3;  /* proc(5) numbering */
        int64_t iv = 0;
        uint64_t uv = 0;
        switch (field) {
        case 3: out->state = *p; break;
        case 4: ps__procparse_i64(&q, end, &out->ppid); break;
        case 5: ps__procparse_i64(&q, end, &out->pgrp); break;
        case 6: ps__procparse_i64(&q, end, &out->session); break;
        case 7: ps__procparse_i64(&q, end, &out->tty_nr); break;
        case 8: ps__procparse_i64(&q, end, &out->tpgid); break;
        case 10: ps__procparse_u64(&q, end, &out->minflt); break;
        case 11: ps__procparse_u64(&q, end, &out->cminflt); break;
        case 12: ps__procparse_u64(&q, end, &out->majflt); break;
        case 13: ps__procparse_u64(&q, end, &out->cmajflt); break;
        case 14: ps__procparse_u64(&q, end, &out->utime); break;
        case 15: ps__procparse_u64(&q, end, &out->stime); break;
        case 16: ps__procparse_i64(&q, end, &out->cutime); break;
        case 17: ps__procparse_i64(&q, end, &out->cstime); break;
        case 18: ps__procparse_i64(&q, end, &out->priority); break;
        case 19: ps__procparse_i64(&q, end, &out->nice); break;
        case 20: ps__procparse_i64(&q, end, &out->num_threads); break;
        case 22: ps__procparse_u64(&q, end, &out->starttime); break;
        case 23: ps__procparse_u64(&q, end, &out->vsize); break;
        case 24: ps__procparse_i64(&q, end, &out->rss); break;
        case 39:
            if (ps__procparse_i64(&q, end, &iv)) out->processor = iv;
            break;
        case 42:
            if (ps__procparse_u64(&q, end, &uv)) out->blkio_ticks = uv;
            break;
        default: break;
        }
        p = skip_tok(q, end);   /* from where a number parse stopped: no second pass over it */
        n++;
        if (field >= 42) break;
    }
    out->nfields = n;
    return n >= 20 ? 0 : -1;
}

/* Does the line [p, eol) start with key (which includes the ':')? */
static int key_is(const char *p, const char *eol, const char *key, size_t klen)
{
    return (size_t)(eol - p) >= klen && memcmp(p, key, klen) == 0;
}

#define KEY(s) s, sizeof(s) - 1

static void parse_ids(const char *p, const char *eol, int64_t ids[4])
{
    for (int i = 0; i < 4; i++) {
        p = skip_ws(p, eol);
        if (!ps__procparse_i64(&p, eol, &ids[i])) ids[i] = -1;
    }
}

/*
 * A "Key:<blanks>N" status line: when the line is `key`, N goes to *u (or, u NULL, to the
 * signed *i) and `bit` into *found if N parses. Returns whether the line was `key`, so that a
 * caller trying several keys stops at the first.
 */
static int status_num(const char *p, const char *eol, const char *key, size_t klen, uint32_t bit,
                      uint32_t *found, uint64_t *u, int64_t *i)
{
    if (!key_is(p, eol, key, klen)) return 0;
    const char *v = skip_ws(p + klen, eol);
    if (u ? ps__procparse_u64(&v, eol, u) : ps__procparse_i64(&v, eol, i)) *found |= bit;
    return 1;
}

void ps__parse_status_buf(const char *buf, size_t len, ps__status *out)
{
    memset(out, 0, sizeof *out);
#define ST_U64(key, field, bit) status_num(p, eol, KEY(key), bit, &out->found, &out->field, NULL)
#define ST_I64(key, field, bit) status_num(p, eol, KEY(key), bit, &out->found, NULL, &out->field)
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        const char *v;
        switch (*p) {
        case 'N':
            if (key_is(p, eol, KEY("Name:"))) {
                v = p + 5;
                if (v < eol && *v == '\t') v++;
                out->name = v;
                out->name_len = (size_t)(eol - v);
                out->found |= PS__ST_NAME;
            } else if (key_is(p, eol, KEY("NSpid:"))) {
                out->found |= PS__ST_NSPID;
            }
            break;
        case 'U':
            if (key_is(p, eol, KEY("Umask:"))) {
                v = skip_ws(p + 6, eol);
                uint32_t m = 0;
                while (v < eol && *v >= '0' && *v <= '7') m = m * 8 + (uint32_t)(*v++ - '0');
                out->umask = m;
                out->found |= PS__ST_UMASK;
            } else if (key_is(p, eol, KEY("Uid:"))) {
                parse_ids(p + 4, eol, out->uid);
                out->found |= PS__ST_UID;
            }
            break;
        case 'S':
            if (key_is(p, eol, KEY("State:"))) {
                v = skip_ws(p + 6, eol);
                if (v < eol) {
                    out->state = *v;
                    out->found |= PS__ST_STATE;
                }
            }
            break;
        case 'T':
            if (ST_I64("Tgid:", tgid, PS__ST_TGID)) break;
            ST_I64("Threads:", threads, PS__ST_THREADS);
            break;
        case 'P': ST_I64("PPid:", ppid, PS__ST_PPID); break;
        case 'G':
            if (key_is(p, eol, KEY("Gid:"))) {
                parse_ids(p + 4, eol, out->gid);
                out->found |= PS__ST_GID;
            }
            break;
        case 'v': ST_U64("voluntary_ctxt_switches:", vol_ctxt, PS__ST_VCTX); break;
        case 'n': ST_U64("nonvoluntary_ctxt_switches:", nonvol_ctxt, PS__ST_NVCTX); break;
        case 'C':
            if (key_is(p, eol, KEY("Cpus_allowed_list:"))) {
                v = skip_ws(p + 18, eol);
                out->cpus_allowed_list = v;
                out->cpus_allowed_list_len = (size_t)(eol - v);
                out->found |= PS__ST_CPUS_ALLOWED_LIST;
            }
            break;
        case 'V':
            if (ST_U64("VmSwap:", vmswap_kb, PS__ST_VMSWAP)) break;
            if (ST_U64("VmPeak:", vmpeak_kb, PS__ST_VMPEAK)) break;
            if (ST_U64("VmHWM:", vmhwm_kb, PS__ST_VMHWM)) break;
            ST_U64("VmRSS:", vmrss_kb, PS__ST_VMRSS);
            break;
        case 'R':
            if (ST_U64("RssAnon:", rssanon_kb, PS__ST_RSSANON)) break;
            if (ST_U64("RssFile:", rssfile_kb, PS__ST_RSSFILE)) break;
            ST_U64("RssShmem:", rssshmem_kb, PS__ST_RSSSHMEM);
            break;
        case 'H': ST_U64("HugetlbPages:", hugetlb_kb, PS__ST_HUGETLB); break;
        default: break;
        }
        p = eol + 1;
    }
#undef ST_U64
#undef ST_I64
}

int ps__parse_statm_buf(const char *buf, size_t len, ps__statm *out)
{
    uint64_t v[7];
    const char *p = buf, *end = buf + len;
    for (int i = 0; i < 7; i++) {
        p = skip_ws(p, end);
        if (!ps__procparse_u64(&p, end, &v[i])) return -1;
    }
    out->size = v[0];
    out->resident = v[1];
    out->shared = v[2];
    out->text = v[3];
    out->lib = v[4];
    out->data = v[5];
    out->dirty = v[6];
    return 0;
}

void ps__parse_io_buf(const char *buf, size_t len, ps__io *out)
{
    memset(out, 0, sizeof *out);
    static const struct { const char *key; size_t klen; uint32_t bit; size_t off; } keys[] = {
        { KEY("rchar: "), PS__IO_RCHAR, offsetof(ps__io, rchar) },
        { KEY("wchar: "), PS__IO_WCHAR, offsetof(ps__io, wchar) },
        { KEY("syscr: "), PS__IO_SYSCR, offsetof(ps__io, syscr) },
        { KEY("syscw: "), PS__IO_SYSCW, offsetof(ps__io, syscw) },
        { KEY("read_bytes: "), PS__IO_READ_BYTES, offsetof(ps__io, read_bytes) },
        { KEY("write_bytes: "), PS__IO_WRITE_BYTES, offsetof(ps__io, write_bytes) },
        { KEY("cancelled_write_bytes: "), PS__IO_CANCELLED, offsetof(ps__io, cancelled_write_bytes) },
    };
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            if (key_is(p, eol, keys[i].key, keys[i].klen)) {
                const char *v = p + keys[i].klen;
                uint64_t x;
                if (ps__procparse_u64(&v, eol, &x)) {
                    memcpy((char *)out + keys[i].off, &x, sizeof x);
                    out->found |= keys[i].bit;
                }
                break;
            }
        }
        p = eol + 1;
    }
}

/* One "Key:   N kB" line into sums. Returns 1 if it was a key line (first token ends in ':'). */
static int smaps_line(const char *p, const char *eol, ps__smaps_sums *s)
{
    const char *colon = p;
    while (colon < eol && *colon != ':' && *colon != ' ') colon++;
    if (colon >= eol || *colon != ':') return 0;
    size_t klen = (size_t)(colon - p);
    const char *v = skip_ws(colon + 1, eol);
    uint64_t kb;
    if (!ps__procparse_u64(&v, eol, &kb)) return 1;  /* e.g. VmFlags: rd wr ... */
    uint64_t bytes = kb * 1024;
    s->nkeys++;
#define IS(k) (klen == sizeof(k) - 1 && memcmp(p, k, klen) == 0)
    if (klen >= 8 && memcmp(p, "Private_", 8) == 0) s->private_total += bytes;
    if (IS("Rss")) s->rss += bytes;
    else if (IS("Size")) s->size += bytes;
    else if (IS("Pss")) s->pss += bytes;
    else if (IS("Shared_Clean")) s->shared_clean += bytes;
    else if (IS("Shared_Dirty")) s->shared_dirty += bytes;
    else if (IS("Private_Clean")) s->private_clean += bytes;
    else if (IS("Private_Dirty")) s->private_dirty += bytes;
    else if (IS("Referenced")) s->referenced += bytes;
    else if (IS("Anonymous")) s->anonymous += bytes;
    else if (IS("Swap")) s->swap += bytes;
#undef IS
    return 1;
}

void ps__parse_smaps_rollup_buf(const char *buf, size_t len, ps__smaps_sums *out)
{
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        smaps_line(p, eol, out);  /* the header line is not a key line */
        p = eol + 1;
    }
}

int ps__smaps_next(const char *buf, size_t len, size_t *pos, ps__smaps_block *out)
{
    const char *p = buf + *pos, *end = buf + len;
    memset(out, 0, sizeof *out);
    /* find a header line */
    const char *eol;
    for (;;) {
        if (p >= end) {
            *pos = len;
            return 0;
        }
        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        ps__smaps_sums dummy = {0};
        if (p < eol && !smaps_line(p, eol, &dummy)) break;
        p = eol + 1;
    }
    const char *q = p;
    const char *toks[5];
    size_t lens[5];
    for (int i = 0; i < 5; i++) {
        while (q < eol && *q == ' ') q++;
        toks[i] = q;
        while (q < eol && *q != ' ') q++;
        lens[i] = (size_t)(q - toks[i]);
    }
    while (q < eol && *q == ' ') q++;
    const char *pe = eol;
    while (pe > q && (pe[-1] == ' ' || pe[-1] == '\t' || pe[-1] == '\r')) pe--;
    out->addr = toks[0];
    out->addr_len = lens[0];
    out->perms = toks[1];
    out->perms_len = lens[1];
    out->path = q;
    out->path_len = (size_t)(pe - q);
    p = eol + 1;
    while (p < end) {
        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        if (p < eol && !smaps_line(p, eol, &out->sums)) break;  /* next header */
        p = eol + 1;
    }
    *pos = p < end ? (size_t)(p - buf) : len;
    return 1;
}

int ps__status_from_letter(char c)
{
    switch (c) {
    case 'R': return PS_STATUS_RUNNING;
    case 'S': return PS_STATUS_SLEEPING;
    case 'D': return PS_STATUS_DISK_SLEEP;
    case 'T': return PS_STATUS_STOPPED;
    case 't': return PS_STATUS_TRACING_STOP;
    case 'Z': return PS_STATUS_ZOMBIE;
    case 'X':
    case 'x': return PS_STATUS_DEAD;
    case 'K': return PS_STATUS_WAKE_KILL;
    case 'W': return PS_STATUS_WAKING;
    case 'I': return PS_STATUS_IDLE;
    case 'P': return PS_STATUS_PARKED;
    default: return PS_STATUS_UNKNOWN;
    }
}
