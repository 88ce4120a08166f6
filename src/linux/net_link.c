/* SPDX-License-Identifier: MIT */
/* Linux's link-layer address for posix/net_addrs.c: AF_PACKET's sockaddr_ll. */
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>

#include "linux.h"

int ps__posix_link_addr(const struct sockaddr *sa, int family, unsigned char *hw, size_t size)
{
    if (family != AF_PACKET) return -1;
    const struct sockaddr_ll *ll = (const struct sockaddr_ll *)sa;
    size_t n = ll->sll_halen;
    if (n > sizeof ll->sll_addr) n = sizeof ll->sll_addr;
    if (n > size) n = size;
    memcpy(hw, ll->sll_addr, n);
    return (int)n;
}
