/* SPDX-License-Identifier: MIT */
/* The core's list building: a public list (psinfo's shape, `size_t count; T *items;` first)
 * from the back end's records, decoding each record's native strings. */
#ifndef PS_LIST_H
#define PS_LIST_H

#include <stddef.h>

/* What every public list starts with (list.c writes these two fields only). */
typedef struct ps__list_head {
    size_t count;
    void *items;
} ps__list_head;

typedef struct ps__list_spec {
    const char *fn;       /* the public function, for the out-of-memory detail */
    size_t list_size;     /* sizeof the public list */
    size_t item_size;     /* sizeof one public item */
    size_t rec_size;      /* sizeof one back-end record */
    /* copy record rec into the zeroed item, decoding its strings; 0 or a PS_E* code */
    int (*fill)(void *item, void *rec);
    void (*dispose)(void *recs, size_t n);   /* the back end's disposer of its records */
    const size_t *strs;   /* offsets of the item's char * fields (each freed by ps__list_free) */
    size_t nstrs;
} ps__list_spec;

/* The list of n records, filled in order; count says how many items were (partly) filled, so
 * on an error the caller frees the list with its public free function. Returns the list, or
 * NULL with PS_ENOMEM; *rc: 0 or the first error. The records stay the caller's. */
void *ps__list_build(const ps__list_spec *spec, void *recs, size_t n, int *rc);

/* A public getter's whole tail: *rc is the back end's answer and recs its n records. On 0 the
 * list built from them; the records are disposed in any case once the back end gave them, and
 * a list that failed half-way is freed. Returns the list, or NULL with *rc the error. */
void *ps__list_take(const ps__list_spec *spec, void *recs, size_t n, int *rc);

/* The public free of a list built by spec: each item's strings, the items, the list (NULL: a
 * no-op). */
void ps__list_free(const ps__list_spec *spec, void *list);

/* Room for item n of the array v of size-byte items (capacity *cap): v itself while n < *cap,
 * else v reallocated to twice *cap (first when *cap is 0), *cap updated and the new slots
 * zeroed; NULL without memory (v is then unchanged and still the caller's). */
void *ps__grow(void *v, size_t *cap, size_t n, size_t size, size_t first);

/* Defines `name`, the spec of public list type L built from back-end records of type R by
 * fill(item *, R *), the records disposed by dispose(R *, size_t), the items' strings at the
 * offsets of the size_t array strs; checks at compile time that L has the list shape.
 * (name##_fill and name##_dispose call the typed functions, so no function is called through
 * a pointer of another type, and the compiler checks that fill takes an R.) */
#define PS__LIST_SPEC(name, fn, L, R, fill, dispose, strs)                                    \
    PS__LIST_SPEC_N(name, fn, L, R, fill, dispose, strs, sizeof strs / sizeof strs[0])
/* PS__LIST_SPEC with the nstrs offsets at strs counted by the caller (items without strings:
 * NULL, 0). */
#define PS__LIST_SPEC_N(name, fn, L, R, fill, dispose, strs, nstrs)                           \
    _Static_assert(offsetof(L, count) == offsetof(ps__list_head, count) &&                  \
                       offsetof(L, items) == offsetof(ps__list_head, items),                \
                   #L " starts with count and items");                                     \
    static int name##_fill(void *item, void *rec) { return fill(item, (R *)rec); }           \
    static void name##_dispose(void *recs, size_t n) { dispose(recs, n); }                   \
    static const ps__list_spec name = { fn, sizeof(L), sizeof(*((L *)0)->items), sizeof(R),  \
                                        name##_fill, name##_dispose, strs, nstrs }

/* The public free of the lists spec builds, `void fn(L *list)`: ps__list_free(&spec, list). */
#define PS__LIST_FREE(fn, L, spec)                                                          \
    void fn(L *list)                                                                        \
    {                                                                                       \
        ps__list_free(&spec, list);                                                         \
    }

/* The public getters whose whole work is a back end's records made into a list: the argument
 * check, bk(&recs, &n) for records of type R (bk(proc, &recs, &n) for a process's list), then
 * ps__list_take with spec; *out is NULL on any error. Macros because only names and types
 * differ; each use spells the public function out, and the header's declaration checks the
 * signature. */
#define PS__LIST_GETTER(fn, L, spec, R, bk)                                                 \
    int fn(L **out)                                                                         \
    {                                                                                       \
        PS__CHECK_ARGS(#fn, out);                                                           \
        R *recs = NULL;                                                                     \
        size_t n = 0;                                                                       \
        int rc = bk(&recs, &n);                                                             \
        *out = ps__list_take(&spec, recs, n, &rc);                                          \
        return rc;                                                                          \
    }
#define PS__PROC_LIST_GETTER(fn, L, spec, R, bk)                                            \
    int fn(ps_proc *proc, L **out)                                                          \
    {                                                                                       \
        PS__CHECK_ARGS(#fn, proc && out);                                                   \
        R *recs = NULL;                                                                     \
        size_t n = 0;                                                                       \
        int rc = bk(proc, &recs, &n);                                                       \
        *out = ps__list_take(&spec, recs, n, &rc);                                          \
        return rc;                                                                          \
    }

#endif /* PS_LIST_H */
