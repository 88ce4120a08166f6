/* SPDX-License-Identifier: MIT */
/* The scanner's back end where descriptors are not kept between scans: PS_ENOTSUP, so the
 * portable core takes one fresh process table per scan (identity by PID and create time). */
#include "../backend.h"

int ps__bk_scanner_new(uint64_t fields, uint32_t flags, ps__bk_scanner **out)
{
    (void)fields;
    (void)flags;
    *out = NULL;
    return PS_ENOTSUP;
}

int ps__bk_scanner_scan(ps__bk_scanner *s, ps__ptable_builder *b)
{
    (void)s;
    (void)b;
    return ps__error(PS_ENOTSUP, 0, "scanner: no back-end state on this platform");
}

void ps__bk_scanner_stats(const ps__bk_scanner *s, ps_scanner_stats *out)
{
    (void)s;
    (void)out;
}

void ps__bk_scanner_free(ps__bk_scanner *s)
{
    (void)s;
}
