/* SPDX-License-Identifier: MIT */
/* Configurable filesystem roots (psutil's PROCFS_PATH). Each root is an atomic pointer to an
 * interned string; replaced strings are kept on a list and never freed while the process runs,
 * so a reader holding an old pointer is always safe without a lock. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PS__ROOT_KINDS 5

static const char *const default_roots[PS__ROOT_KINDS] = {"/proc", "/sys", "/dev", "/etc", "/var/run"};
static _Atomic(const char *) roots[PS__ROOT_KINDS];

/* Every string ever installed, reachable so leak checkers stay quiet. */
struct retired_root {
    struct retired_root *next;
    char path[];
};
static _Atomic(struct retired_root *) retired;

static bool kind_valid(int kind)
{
    return kind >= 0 && kind < PS__ROOT_KINDS;
}

const char *ps__root(ps_root_kind kind)
{
    const char *r = atomic_load_explicit(&roots[kind], memory_order_acquire);
    return r ? r : default_roots[kind];
}

int ps_set_root(ps_root_kind kind, const char *path)
{
    if (!PS_HAVE_ROOTS) return ps__error(PS_ENOTSUP, 0, "ps_set_root: no filesystem roots here");
    if (!kind_valid((int)kind)) return ps__error(PS_EINVAL, 0, "ps_set_root: unknown kind %d", (int)kind);
    if (!path) {
        atomic_store_explicit(&roots[kind], NULL, memory_order_release);
        return 0;
    }
    if (path[0] != '/') return ps__error(PS_EINVAL, 0, "ps_set_root: '%s' is not absolute", path);
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') n--; /* "/host/proc/" and "/host/proc" are one root */
    struct retired_root *node = malloc(sizeof *node + n + 1);
    if (!node) return ps__error(PS_ENOMEM, 0, "ps_set_root: out of memory");
    memcpy(node->path, path, n);
    node->path[n] = '\0';
    node->next = atomic_load_explicit(&retired, memory_order_relaxed);
    while (!atomic_compare_exchange_weak(&retired, &node->next, node)) {
    }
    atomic_store_explicit(&roots[kind], node->path, memory_order_release);
    return 0;
}

int ps_get_root(ps_root_kind kind, char **out)
{
    if (!out) return ps__error(PS_EINVAL, 0, "ps_get_root: out is NULL");
    *out = NULL;
    if (!kind_valid((int)kind)) return ps__error(PS_EINVAL, 0, "ps_get_root: unknown kind %d", (int)kind);
    const char *r = ps__root(kind);
    /* Roots are stored as the bytes the caller gave, so they decode as bytes everywhere. */
    return ps_fsdecode(r, strlen(r), out, NULL);
}
