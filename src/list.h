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
} ps__list_spec;

/* The list of n records, filled in order; count says how many items were (partly) filled, so
 * on an error the caller frees the list with its public free function. Returns the list, or
 * NULL with PS_ENOMEM; *rc: 0 or the first error. The records stay the caller's. */
void *ps__list_build(const ps__list_spec *spec, void *recs, size_t n, int *rc);

/* Room for item n of the array v of size-byte items (capacity *cap): v itself while n < *cap,
 * else v reallocated to twice *cap (first when *cap is 0), *cap updated and the new slots
 * zeroed; NULL without memory (v is then unchanged and still the caller's). */
void *ps__grow(void *v, size_t *cap, size_t n, size_t size, size_t first);

/* Defines `name`, the spec of public list type L built from back-end records of type R by fill,
 * and checks at compile time that L has the list shape. */
#define PS__LIST_SPEC(name, fn, L, R, fill)                                                   \
    _Static_assert(offsetof(L, count) == offsetof(ps__list_head, count) &&                  \
                       offsetof(L, items) == offsetof(ps__list_head, items),                \
                   #L " starts with count and items");                                     \
    static const ps__list_spec name = { fn, sizeof(L), sizeof(*((L *)0)->items), sizeof(R), fill }

#endif /* PS_LIST_H */
