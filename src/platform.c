/* SPDX-License-Identifier: MIT */
/* Which operating system the library was built for: meson's host system, as a fixed number
 * (ps_config.h), so the core needs no OS #ifdef. */
#include "internal.h"
#include "ps_config.h"

int32_t ps_platform(void)
{
    return PS_PLATFORM_ID;
}

const char *ps_platform_name(int32_t platform)
{
    static const char *const names[] = {"unknown", "linux", "windows", "macos", "freebsd",
                                        "openbsd", "netbsd", "dragonfly"};
    if (platform < 0 || (size_t)platform >= sizeof names / sizeof names[0]) return "unknown";
    return names[platform];
}

int ps_platform_is_posix(void)
{
    return PS_PLATFORM_ID != PS_PLATFORM_WINDOWS;
}
