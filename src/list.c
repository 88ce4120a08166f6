/* SPDX-License-Identifier: MIT */
/* The core's list building (list.h): one allocation and unwinding rule for every list the
 * public API returns from back-end records. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "list.h"

/* The two fields are written through memcpy at ps__list_head's offsets (which PS__LIST_SPEC
 * checks), so no list is accessed through another struct type. */
void *ps__list_build(const ps__list_spec *spec, void *recs, size_t n, int *rc)
{
    *rc = 0;
    unsigned char *l = calloc(1, spec->list_size);
    void *items = l ? calloc(n ? n : 1, spec->item_size) : NULL;
    if (!items) {
        free(l);
        *rc = ps__error(PS_ENOMEM, 0, "%s: out of memory", spec->fn);
        return NULL;
    }
    memcpy(l + offsetof(ps__list_head, items), &items, sizeof items);
    for (size_t i = 0; i < n && *rc == 0; i++) {
        size_t count = i + 1;   /* before the fill: a partly decoded item is freed too */
        memcpy(l + offsetof(ps__list_head, count), &count, sizeof count);
        *rc = spec->fill((unsigned char *)items + i * spec->item_size,
                         (unsigned char *)recs + i * spec->rec_size);
    }
    return l;
}

void *ps__list_take(const ps__list_spec *spec, void *recs, size_t n, int *rc)
{
    if (*rc) return NULL;   /* the back end failed: it kept no records */
    void *l = ps__list_build(spec, recs, n, rc);
    spec->dispose(recs, n);
    if (*rc) {
        ps__list_free(spec, l);
        return NULL;
    }
    return l;
}

void ps__list_free(const ps__list_spec *spec, void *list)
{
    if (!list) return;
    size_t count;
    unsigned char *items;
    memcpy(&count, (unsigned char *)list + offsetof(ps__list_head, count), sizeof count);
    memcpy(&items, (unsigned char *)list + offsetof(ps__list_head, items), sizeof items);
    for (size_t i = 0; i < count; i++) {
        for (size_t j = 0; j < spec->nstrs; j++) {
            char *s;
            memcpy(&s, items + i * spec->item_size + spec->strs[j], sizeof s);
            free(s);
        }
    }
    free(items);
    free(list);
}

void *ps__grow(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap) return v;
    size_t nc = *cap ? *cap * 2 : first;
    if (nc < *cap || nc > SIZE_MAX / size) return NULL;
    unsigned char *nv = realloc(v, nc * size);
    if (!nv) return NULL;
    memset(nv + *cap * size, 0, (nc - *cap) * size);
    *cap = nc;
    return nv;
}
