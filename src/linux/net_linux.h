/* SPDX-License-Identifier: MIT */
/* Helpers shared by the Linux network readers (src/linux/net_*.c). */
#ifndef PS_LINUX_NET_H
#define PS_LINUX_NET_H

#include "linux.h"

/* Read "<proc root>/<rel>" (rel without a leading '/') whole into b (NUL-terminated). */
int ps__net_read_proc(const char *rel, ps__buf *b);
/* Parse a <proc>/net/dev text into per-NIC native records (malloc'd array). */
int ps__net_parse_dev(const char *text, size_t len, ps__bk_netio **items, size_t *count);

#endif
