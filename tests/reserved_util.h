/* SPDX-License-Identifier: MIT */
/* Reserved tails (docs/abi.md): every public struct ends with uint64_t reserved[N], which the
 * library zero-fills; a caller-provided out-struct is filled with garbage first so that a
 * library that forgot to clear the tail is caught. */
#ifndef PSINFO_TESTS_RESERVED_UTIL_H
#define PSINFO_TESTS_RESERVED_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline int tr_all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

/* nonzero when the struct's reserved tail reads zero */
#define TR_TAIL_ZERO(s) tr_all_zero((s)->reserved, sizeof (s)->reserved)
/* the tail is the last member: nothing but padding-free room follows it */
#define TR_TAIL_LAST(type) (offsetof(type, reserved) + sizeof(((type *)0)->reserved) == sizeof(type))
#define TR_GARBAGE(s) memset((s), 0xA5, sizeof *(s))

#endif
