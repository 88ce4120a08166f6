/* SPDX-License-Identifier: MIT */
/*
 * Windows back end: memory_maps as psutil reads them: VirtualQueryEx over the address space,
 * GetMappedFileNameW of each region (file-backed regions only), the native device path turned
 * into a DOS path (\Device\HarddiskVolumeN\x -> C:\x through QueryDosDeviceW, \??\C:\x -> C:\x,
 * \Device\Mup\srv\sh\x and \??\UNC\srv\sh\x -> \\srv\sh\x).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>
#include <psapi.h>

#include "nt.h"
#include "winproc.h"

/* psutil's get_region_protection_string. */
static const char *perms_of(DWORD protect)
{
    switch (protect & 0xff) {
    case PAGE_NOACCESS: return "";
    case PAGE_READONLY: return "r";
    case PAGE_READWRITE: return "rw";
    case PAGE_WRITECOPY: return "wc";
    case PAGE_EXECUTE: return "x";
    case PAGE_EXECUTE_READ: return "xr";
    case PAGE_EXECUTE_READWRITE: return "xrw";
    case PAGE_EXECUTE_WRITECOPY: return "xwc";
    default: return "?";
    }
}

static int set_units(ps__nstr *s, const WCHAR *a, size_t na, const WCHAR *b, size_t nb)
{
    uint16_t *d = malloc((na + nb + 1) * sizeof *d);
    if (!d) return ps__error(PS_ENOMEM, 0, "out of memory");
    if (na) memcpy(d, a, na * sizeof *d);
    if (nb) memcpy(d + na, b, nb * sizeof *d);
    s->data = d;
    s->len = na + nb;
    return 0;
}

static int set_ascii(ps__nstr *s, const char *a)
{
    size_t n = strlen(a);
    uint16_t *d = malloc((n + 1) * sizeof *d);
    if (!d) return ps__error(PS_ENOMEM, 0, "out of memory");
    for (size_t i = 0; i < n; i++) d[i] = (unsigned char)a[i];
    s->data = d;
    s->len = n;
    return 0;
}

/* Index just past the k-th backslash-separated component (k counted from the leading '\'). */
static size_t after_parts(const WCHAR *p, size_t n, int k)
{
    int seen = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] == L'\\' && ++seen == k + 1) return i;
    return n;
}

void ps__win_dos_map_load(ps__win_dos_map *m)
{
    for (int i = 0; i < 26; i++) {
        WCHAR drive[3] = {(WCHAR)(L'A' + i), L':', 0};
        m->have[i] = QueryDosDeviceW(drive, m->dev[i], MAX_PATH) != 0;
    }
}

int ps__win_dos_path(const ps__win_dos_map *m, const WCHAR *p, size_t n, ps__nstr *out)
{
    if (n >= 2 && p[0] == L'\\' && p[1] == L'\\') return set_units(out, p, n, NULL, 0);
    /* already a DOS path (wine answers C:\x for some mappings) */
    if (n >= 3 && p[1] == L':' && p[2] == L'\\') return set_units(out, p, n, NULL, 0);
    size_t r3 = after_parts(p, n, 2);   /* "\Device\HarddiskVolume1" or "\??\C:" */
    if ((r3 == 7 && wcsncmp(p, L"\\??\\UNC", 7) == 0) || (r3 == 11 && wcsncmp(p, L"\\Device\\Mup", 11) == 0)) {
        size_t r5 = after_parts(p, n, 4);
        static const WCHAR two[] = L"\\\\";
        size_t s3 = r3 + 1;   /* the server */
        ps__nstr tmp;
        int rc = set_units(&tmp, two, 2, p + s3, r5 > s3 ? r5 - s3 : 0);
        if (rc) return rc;
        rc = set_units(out, tmp.data, tmp.len, p + r5, n - r5);
        ps__nstr_dispose(&tmp);
        return rc;
    }
    if (n >= 4 && wcsncmp(p, L"\\??\\", 4) == 0) return set_units(out, p + 4, n - 4, NULL, 0);
    for (int i = 0; i < 26; i++) {
        if (!m->have[i]) continue;
        size_t dl = wcslen(m->dev[i]);
        if (dl == r3 && wcsncmp(p, m->dev[i], dl) == 0) {
            WCHAR drive[2] = {(WCHAR)(L'A' + i), L':'};
            return set_units(out, drive, 2, p + r3, n - r3);
        }
    }
    /* no drive letter: psutil joins an empty drive, i.e. the rest of the path */
    return set_units(out, p + r3, n - r3, NULL, 0);
}

int ps__bk_proc_memory_maps(ps_proc *p, ps__bk_mmap **items, size_t *count)
{
    const char *fn = "ps_proc_memory_maps";
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    HANDLE h = ps__win_reopen(p, PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, fn, &rc);
    if (!h) return rc;
    const size_t name_cap = 0x7FFF + 1;   /* characters, as GetMappedFileNameW counts them */
    WCHAR *name = malloc(name_cap * sizeof *name);
    ps__win_dos_map *dm = malloc(sizeof *dm);
    size_t cap = 64, n = 0;
    ps__bk_mmap *v = calloc(cap, sizeof *v);
    if (!name || !dm || !v) {
        free(name);
        free(dm);
        free(v);
        CloseHandle(h);
        return ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
    }
    ps__win_dos_map_load(dm);
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    const char *a = NULL;
    MEMORY_BASIC_INFORMATION mbi;
    while (!rc && VirtualQueryEx(h, a, &mbi, sizeof mbi)) {
        if (a > (const char *)si.lpMaximumApplicationAddress) break;
        DWORD len = GetMappedFileNameW(h, (LPVOID)a, name, (DWORD)name_cap);
        if (len > 0) {
            if (n == cap) {
                ps__bk_mmap *nv = realloc(v, cap * 2 * sizeof *v);
                if (!nv) {
                    rc = ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
                    break;
                }
                memset(nv + cap, 0, cap * sizeof *nv);
                v = nv;
                cap *= 2;
            }
            ps__bk_mmap *m = &v[n++];
            char addr[32];
            snprintf(addr, sizeof addr, "0x%llx", (unsigned long long)(uintptr_t)mbi.BaseAddress);
            rc = ps__win_dos_path(dm, name, len, &m->path);
            if (!rc) rc = set_ascii(&m->addr, addr);
            if (!rc) rc = set_ascii(&m->perms, perms_of(mbi.Protect));
            m->rss = (uint64_t)mbi.RegionSize;   /* psutil's "rss" on Windows is the region size */
            m->size = m->pss = m->shared_clean = m->shared_dirty = m->private_clean = m->private_dirty =
                m->referenced = m->anonymous = m->swap = PS_UNKNOWN_U64;
        }
        const char *next = (const char *)mbi.BaseAddress + mbi.RegionSize;
        if (next <= a) break;
        a = next;
    }
    free(name);
    free(dm);
    CloseHandle(h);
    if (!rc) rc = ps__win_gone(p, fn);
    if (rc) {
        ps__bk_mmap_free(v, n);
        return rc;
    }
    *items = v;
    *count = n;
    return 0;
}
