/* SPDX-License-Identifier: MIT */
/* The table builder as the portable core's other modules use it (the scanner). Not installed. */
#ifndef PS_PTABLE_CORE_H
#define PS_PTABLE_CORE_H

#include "backend.h"

/* A builder for a table of `fields`; want_idents: keep each record's ident (the records must
 * then come in PID order). NULL when out of memory. */
ps__ptable_builder *ps__ptable_builder_new(uint64_t fields, int want_idents);
/* Finish the table into *out; *idents (optional) receives the idents, one per record, malloc'd
 * (NULL for an empty table). The builder is still freed by ps__ptable_builder_free. */
int ps__ptable_builder_finish(ps__ptable_builder *b, ps_ptable **out, uint64_t **idents);
void ps__ptable_builder_free(ps__ptable_builder *b);
/* PS_EINVAL (with the detail naming fn) for unknown field bits. */
int ps__ptable_check_fields(const char *fn, uint64_t fields);

#endif /* PS_PTABLE_CORE_H */
