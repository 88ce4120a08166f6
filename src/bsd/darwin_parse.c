/* SPDX-License-Identifier: MIT */
/* macOS data decoders (see darwin_parse.h): portable C, compiled into the macOS back end and
 * into the Linux test suite and fuzzers. Fields are read with memcpy at the documented offsets,
 * so no alignment or strict-aliasing assumption is made about the caller's buffer. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "darwin_parse.h"

static uint64_t rd_u64(const unsigned char *p, size_t off)
{
    uint64_t v;
    memcpy(&v, p + off, sizeof v);
    return v;
}

static uint32_t rd_u32(const unsigned char *p, size_t off)
{
    uint32_t v;
    memcpy(&v, p + off, sizeof v);
    return v;
}

static int32_t rd_i32(const unsigned char *p, size_t off)
{
    int32_t v;
    memcpy(&v, p + off, sizeof v);
    return v;
}

int ps__darwin_nstr_copy(ps__nstr *out, const char *s, size_t n)
{
    out->data = malloc(n + 1);
    out->len = n;
    if (!out->data) return ps__error(PS_ENOMEM, 0, "out of memory");
    if (n) memcpy(out->data, s, n);
    ((char *)out->data)[n] = '\0';
    return 0;
}

/* A fixed-size record: each entry copies `width` bytes (4 or 8, the destination field's size)
 * from offset `src` of the buffer to offset `dst` of the output struct. */
enum record { R_TASK, R_RUSAGE, R_REGION, R_VMSTAT };
typedef struct fieldmap {
    uint8_t record;
    uint16_t src, dst;
    uint8_t width;
} fieldmap;
#define FM(rec, src, type, field) {rec, src, offsetof(type, field), sizeof(((type *)0)->field)}
/* Every field the fixed-size decoders read: (record, offset in Apple's struct, our field). The
 * darwin_*.c files assert these offsets against the SDK. */
static const fieldmap fields[] = {
    FM(R_TASK, 0, ps__darwin_task, virtual_size), FM(R_TASK, 8, ps__darwin_task, resident_size),
    FM(R_TASK, 16, ps__darwin_task, total_user), FM(R_TASK, 24, ps__darwin_task, total_system),
    FM(R_TASK, 52, ps__darwin_task, faults), FM(R_TASK, 56, ps__darwin_task, pageins),
    FM(R_TASK, 80, ps__darwin_task, csw), FM(R_TASK, 84, ps__darwin_task, threadnum),
    /* rusage_info_v0: ri_uuid[16] first */
    FM(R_RUSAGE, 16, ps__darwin_rusage, user_time), FM(R_RUSAGE, 24, ps__darwin_rusage, system_time),
    FM(R_RUSAGE, 48, ps__darwin_rusage, pageins), FM(R_RUSAGE, 56, ps__darwin_rusage, wired_size),
    FM(R_RUSAGE, 64, ps__darwin_rusage, resident_size),
    FM(R_RUSAGE, 72, ps__darwin_rusage, phys_footprint),
    FM(R_RUSAGE, 80, ps__darwin_rusage, start_abstime),
    FM(R_REGION, 52, ps__darwin_region, ref_count), FM(R_REGION, 60, ps__darwin_region, share_mode),
    FM(R_REGION, 64, ps__darwin_region, private_resident),
    FM(R_REGION, 68, ps__darwin_region, shared_resident),
    FM(R_REGION, 80, ps__darwin_region, address), FM(R_REGION, 88, ps__darwin_region, size),
    FM(R_VMSTAT, 0, ps__darwin_vmstat, free_count), FM(R_VMSTAT, 4, ps__darwin_vmstat, active_count),
    FM(R_VMSTAT, 8, ps__darwin_vmstat, inactive_count), FM(R_VMSTAT, 12, ps__darwin_vmstat, wire_count),
    FM(R_VMSTAT, 32, ps__darwin_vmstat, pageins), FM(R_VMSTAT, 40, ps__darwin_vmstat, pageouts),
    FM(R_VMSTAT, 92, ps__darwin_vmstat, speculative_count),
};
/* Accepted lengths: exact for libproc records (a short read is not data); rusage and
 * vm_statistics64 may be longer (later revisions only append). */
static const struct { const char *name; size_t min, max; } records[] = {
    [R_TASK] = {"proc_taskinfo", PS__DARWIN_TASKINFO_SIZE, PS__DARWIN_TASKINFO_SIZE},
    [R_RUSAGE] = {"rusage_info_v0", PS__DARWIN_RUSAGE_V0_SIZE, SIZE_MAX},
    [R_REGION] = {"proc_regioninfo", PS__DARWIN_REGIONINFO_SIZE, PS__DARWIN_REGIONINFO_SIZE},
    [R_VMSTAT] = {"vm_statistics64", PS__DARWIN_VMSTAT_MIN_SIZE, SIZE_MAX},
};

/* Zero *out, check the length (PS_EPARSE), then copy the record's fields. */
static int decode_record(enum record rec, const void *buf, size_t len, void *out, size_t out_size)
{
    memset(out, 0, out_size);
    if (!buf || len < records[rec].min || len > records[rec].max)
        return ps__error(PS_EPARSE, 0, "%s: %zu bytes, expected %zu%s", records[rec].name, len,
                         records[rec].min, records[rec].max > records[rec].min ? " or more" : "");
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].record == rec)
            memcpy((char *)out + fields[i].dst, (const char *)buf + fields[i].src, fields[i].width);
    return 0;
}

/* ---- KERN_PROCARGS2 ---------------------------------------------------------------------- */

int ps__darwin_parse_procargs(const void *buf, size_t len, ps__darwin_procargs *out)
{
    const char *b = buf;
    memset(out, 0, sizeof *out);
    if (!buf || len < sizeof(int32_t))
        return ps__error(PS_EPARSE, 0, "KERN_PROCARGS2: %zu bytes, shorter than argc", len);
    int32_t argc = rd_i32(buf, 0);
    if (argc < 0) return ps__error(PS_EPARSE, 0, "KERN_PROCARGS2: argc %d", (int)argc);
    size_t pos = sizeof(int32_t);
    const char *nul = memchr(b + pos, '\0', len - pos);
    out->exec_path = b + pos;
    out->exec_path_len = nul ? (size_t)(nul - (b + pos)) : len - pos;
    if (!nul) return 0;   /* the path fills the buffer: no arguments */
    pos = (size_t)(nul - b) + 1;
    /* The kernel pads the exec path with NULs up to pointer alignment. */
    while (pos < len && b[pos] == '\0') pos++;
    size_t start = pos, n = 0;
    while (n < (size_t)argc && pos < len) {
        const char *end = memchr(b + pos, '\0', len - pos);
        if (!end) break;   /* cut by the end of the buffer: dropped */
        pos = (size_t)(end - b) + 1;
        n++;
    }
    out->argv = b + start;
    out->argv_len = pos - start;   /* complete arguments only: pos stops before a cut one */
    out->argc = n;
    if (n < (size_t)argc) return 0;
    /* The environment: strings up to an empty one (or the last terminated one). */
    size_t env = pos;
    while (pos < len && b[pos] != '\0') {
        const char *end = memchr(b + pos, '\0', len - pos);
        if (!end) break;
        pos = (size_t)(end - b) + 1;
    }
    out->env = b + env;
    out->env_len = pos - env;
    if (out->env_len == 0) out->env = NULL;
    return 0;
}

int ps__darwin_long_name(const char *comm, size_t comm_len, const char *argv0, size_t argv0_len,
                         size_t *off, size_t *len)
{
    if (comm_len < 15 || !argv0) return 0;
    size_t start = argv0_len;
    while (start > 0 && argv0[start - 1] != '/') start--;
    size_t n = argv0_len - start;
    if (n < comm_len || memcmp(argv0 + start, comm, comm_len) != 0) return 0;
    *off = start;
    *len = n;
    return 1;
}

/* ---- Mach time --------------------------------------------------------------------------- */

uint64_t ps__darwin_ticks_to_ns(uint64_t ticks, uint32_t numer, uint32_t denom)
{
    if (denom == 0) return UINT64_MAX;
    /* ticks * numer / denom as (q * denom + r) * numer / denom = q * numer + r * numer / denom:
     * r * numer < 2^64 since both are below 2^32. */
    uint64_t q = ticks / denom, r = ticks % denom;
    if (numer != 0 && q > UINT64_MAX / numer) return UINT64_MAX;
    uint64_t hi = q * numer, lo = r * numer / denom;
    return hi > UINT64_MAX - lo ? UINT64_MAX : hi + lo;
}

uint64_t ps__darwin_tbfreq_from_timebase(uint32_t numer, uint32_t denom)
{
    if (numer == 0) return 0;
    return (uint64_t)1000000000u * denom / numer;
}

double ps__darwin_ticks_to_sec(uint64_t ticks, uint64_t tbfreq)
{
    if (tbfreq == 0) return NAN;
    /* Whole seconds and the remainder apart: exact for any tick count a double can hold. */
    return (double)(ticks / tbfreq) + (double)(ticks % tbfreq) / (double)tbfreq;
}

/* ---- proc_taskinfo ----------------------------------------------------------------------- */

int ps__darwin_decode_taskinfo(const void *buf, size_t len, ps__darwin_task *out)
{
    return decode_record(R_TASK, buf, len, out, sizeof *out);
}

void ps__darwin_task_cputimes(const ps__darwin_task *t, uint64_t tbfreq, ps_proc_cputimes *out)
{
    out->user = ps__darwin_ticks_to_sec(t->total_user, tbfreq);
    out->system = ps__darwin_ticks_to_sec(t->total_system, tbfreq);
    out->children_user = NAN;
    out->children_system = NAN;
    out->iowait = NAN;
}

void ps__darwin_task_mem(const ps__darwin_task *t, ps_proc_mem *out)
{
    memset(out, 0, sizeof *out);
    out->rss = t->resident_size;
    out->vms = t->virtual_size;
    out->shared = out->text = out->data = out->stack = PS_UNKNOWN_U64;
    out->peak_rss = out->peak_vms = PS_UNKNOWN_U64;   /* psutil 8 macOS pmem: rss, vms only */
}

void ps__darwin_task_faults(const ps__darwin_task *t, ps_proc_pagefaults *out)
{
    /* The kernel keeps 32-bit counters; read them unsigned, as psutil does. */
    uint32_t faults = (uint32_t)t->faults, pageins = (uint32_t)t->pageins;
    out->major = pageins;
    out->minor = (uint32_t)(faults - pageins);
}

void ps__darwin_task_ctxsw(const ps__darwin_task *t, ps_proc_ctxsw *out)
{
    out->voluntary = (uint32_t)t->csw;
    out->involuntary = PS_UNKNOWN_U64;   /* the task counts one kind only */
}

/* ---- rusage_info_v0 ---------------------------------------------------------------------- */

int ps__darwin_decode_rusage(const void *buf, size_t len, ps__darwin_rusage *out)
{
    return decode_record(R_RUSAGE, buf, len, out, sizeof *out);
}

/* ---- proc_regioninfo -------------------------------------------------------------------- */

int ps__darwin_decode_regioninfo(const void *buf, size_t len, ps__darwin_region *out)
{
    return decode_record(R_REGION, buf, len, out, sizeof *out);
}

uint64_t ps__darwin_region_private_pages(const ps__darwin_region *r, uint64_t shared_base,
                                         uint64_t shared_size)
{
    int in_shared = r->address >= shared_base && r->address - shared_base < shared_size;
    if (in_shared && r->share_mode != PS__DARWIN_SM_PRIVATE) return 0;
    switch (r->share_mode) {
    case PS__DARWIN_SM_PRIVATE:
    case PS__DARWIN_SM_LARGE_PAGE:
        return (uint64_t)r->private_resident + r->shared_resident;
    case PS__DARWIN_SM_COW:
        return (uint64_t)r->private_resident + (r->ref_count == 1 ? r->shared_resident : 0);
    default:
        return 0;
    }
}

void ps__darwin_open_mode(uint32_t fflags, int32_t *oflags, char mode[4])
{
    enum { FREAD_ = 1, FWRITE_ = 2, O_APPEND_ = 8 };
    /* FFLAGS(o) = o + 1 over the access mode: FREAD|FWRITE (3) is O_RDWR (2), and so on. */
    uint32_t acc = fflags & 3u;
    *oflags = (int32_t)((fflags & ~3u) | (acc ? acc - 1 : 0));
    int append = (fflags & O_APPEND_) != 0;
    const char *m = "r";
    if (acc == (FREAD_ | FWRITE_)) m = append ? "a+" : "r+";
    else if (acc == FWRITE_) m = append ? "a" : "w";
    memcpy(mode, m, strlen(m) + 1);
}

/* ---- xsw_usage --------------------------------------------------------------------------- */

int ps__darwin_decode_swapusage(const void *buf, size_t len, uint64_t *total, uint64_t *used,
                                uint64_t *avail)
{
    if (!buf || len != PS__DARWIN_XSW_USAGE_SIZE)
        return ps__error(PS_EPARSE, 0, "vm.swapusage: %zu bytes, expected %d", len,
                         PS__DARWIN_XSW_USAGE_SIZE);
    uint64_t t = rd_u64(buf, 0), a = rd_u64(buf, 8), u = rd_u64(buf, 16);
    if (u > t || a > t)
        return ps__error(PS_EPARSE, 0, "vm.swapusage: used %llu / avail %llu above total %llu",
                         (unsigned long long)u, (unsigned long long)a, (unsigned long long)t);
    *total = t;
    *used = u;
    *avail = a;
    return 0;
}

/* ---- vm_statistics64 --------------------------------------------------------------------- */

int ps__darwin_decode_vmstat(const void *buf, size_t len, ps__darwin_vmstat *out)
{
    return decode_record(R_VMSTAT, buf, len, out, sizeof *out);
}

void ps__darwin_vmem_compute(const ps__darwin_vmstat *vm, uint64_t memsize, uint64_t pagesize,
                             ps__darwin_vmem *out)
{
    uint64_t ps = pagesize;
    out->total = memsize;
    out->active = (uint64_t)vm->active_count * ps;
    out->inactive = (uint64_t)vm->inactive_count * ps;
    out->wired = (uint64_t)vm->wire_count * ps;
    /* Speculative pages are counted in free_count; psutil (and vm_stat) show them apart. */
    uint32_t free_pages = vm->free_count > vm->speculative_count
                              ? vm->free_count - vm->speculative_count : 0;
    out->free = (uint64_t)free_pages * ps;
    out->available = out->inactive + (uint64_t)vm->free_count * ps;
    out->used = out->active + out->wired;
}

/* ---- NET_RT_IFLIST2 ---------------------------------------------------------------------- */

/* if_msghdr2: u16 msglen, u8 version, u8 type, int addrs, int flags, u16 index, 2 bytes of
 * padding, 4 ints of send-queue data, then if_data64 (packed to 4) at 32; sockaddr_dl follows
 * the 160-byte header: u8 len, u8 family, u16 index, u8 type, u8 nlen, u8 alen, u8 slen, data. */
enum { IFM_DATA = 32, SDL_NLEN = 5, SDL_DATA = 8, IFNAMSIZ_ = 16 };

int ps__darwin_next_ifinfo2(const void *buf, size_t len, size_t *pos, ps__darwin_ifcounters *out)
{
    const unsigned char *b = buf;
    while (*pos < len) {
        size_t at = *pos;
        if (len - at < 4) return ps__error(PS_EPARSE, 0, "NET_RT_IFLIST2: %zu trailing bytes", len - at);
        uint16_t msglen;
        memcpy(&msglen, b + at, sizeof msglen);
        if (msglen < 4 || msglen > len - at)
            return ps__error(PS_EPARSE, 0, "NET_RT_IFLIST2: message of %u bytes at %zu of %zu",
                             (unsigned)msglen, at, len);
        *pos = at + msglen;
        if (b[at + 3] != PS__DARWIN_RTM_IFINFO2) continue;
        if (msglen < PS__DARWIN_IFMSGHDR2_SIZE + SDL_DATA)
            return ps__error(PS_EPARSE, 0, "NET_RT_IFLIST2: RTM_IFINFO2 of %u bytes", (unsigned)msglen);
        const unsigned char *m = b + at, *d = m + IFM_DATA, *sdl = m + PS__DARWIN_IFMSGHDR2_SIZE;
        size_t nlen = sdl[SDL_NLEN];
        size_t room = msglen - PS__DARWIN_IFMSGHDR2_SIZE - SDL_DATA;
        if (nlen > room) nlen = room;
        if (nlen > IFNAMSIZ_) nlen = IFNAMSIZ_;
        memset(out, 0, sizeof *out);
        out->name = (const char *)sdl + SDL_DATA;
        out->name_len = nlen;
        out->flags = rd_i32(m, 8);
        out->mtu = rd_u32(d, 8);
        out->io.packets_recv = rd_u64(d, 24);
        out->io.errin = rd_u64(d, 32);
        out->io.packets_sent = rd_u64(d, 40);
        out->io.errout = rd_u64(d, 48);
        out->io.bytes_recv = rd_u64(d, 64);
        out->io.bytes_sent = rd_u64(d, 72);
        out->io.dropin = rd_u64(d, 96);
        out->io.dropout = PS_UNKNOWN_U64;   /* macOS does not count output drops (psutil 0) */
        return 1;
    }
    return 0;
}

/* ---- socket_fdinfo ----------------------------------------------------------------------- */

/* Offsets from the start of struct socket_fdinfo (darwin_parse.h; asserted in darwin_conn.c). */
enum {
    SOI_TYPE = 176, SOI_FAMILY = 184, SOI_KIND = 256, SOI_PROTO = 264,
    INSI_FPORT = SOI_PROTO + 0, INSI_LPORT = SOI_PROTO + 4, INSI_FADDR = SOI_PROTO + 32,
    INSI_LADDR = SOI_PROTO + 48, TCPSI_STATE = SOI_PROTO + 80,
    UNSI_ADDR = SOI_PROTO + 16, SUN_PATH = 2, SOCK_MAXADDRLEN_ = 255
};

/* ntohs of the int's low 16 bits, which hold the port in network order (first two bytes). */
static int32_t rd_port(const unsigned char *b, size_t off)
{
    return (int32_t)((unsigned)b[off] << 8 | b[off + 1]);
}

int ps__darwin_decode_socket(const void *buf, size_t len, ps__darwin_socket *out)
{
    const unsigned char *b = buf;
    memset(out, 0, sizeof *out);
    out->tcp_state = -1;
    if (!buf || len != PS__DARWIN_SOCKET_FDINFO_SIZE)
        return ps__error(PS_EPARSE, 0, "socket_fdinfo: %zu bytes, expected %d", len,
                         PS__DARWIN_SOCKET_FDINFO_SIZE);
    out->type = rd_i32(b, SOI_TYPE);
    out->family = rd_i32(b, SOI_FAMILY);
    out->kind = rd_i32(b, SOI_KIND);
    if (out->family == PS__DARWIN_AF_INET || out->family == PS__DARWIN_AF_INET6) {
        /* UDP's pri_in and TCP's pri_tcp.tcpsi_ini share the union's start: psutil reads both
         * through tcpsi_ini. */
        size_t n = out->family == PS__DARWIN_AF_INET ? 4 : 16, at = out->family == PS__DARWIN_AF_INET ? 12 : 0;
        memcpy(out->laddr, b + INSI_LADDR + at, n);
        memcpy(out->raddr, b + INSI_FADDR + at, n);
        out->lport = rd_port(b, INSI_LPORT);
        out->rport = rd_port(b, INSI_FPORT);
        if (out->type == PS__DARWIN_SOCK_STREAM) out->tcp_state = rd_i32(b, TCPSI_STATE);
    } else if (out->family == PS__DARWIN_AF_UNIX) {
        /* sun_path runs to its NUL, at most to the end of the SOCK_MAXADDRLEN union */
        const char *p = (const char *)b + UNSI_ADDR + SUN_PATH;
        size_t room = SOCK_MAXADDRLEN_ - SUN_PATH;
        const char *nul = memchr(p, '\0', room);
        out->path = p;
        out->path_len = nul ? (size_t)(nul - p) : room;
    }
    return 0;
}

int ps__darwin_conn_wanted(ps_conn_kind kind, int32_t family, int32_t type)
{
    enum { V4 = 1, V6 = 2, UN = 4, ST = 1, DG = 2 };
    static const struct { uint8_t fam, type; } map[] = {
        [PS_CONN_KIND_INET] = {V4 | V6, ST | DG}, [PS_CONN_KIND_INET4] = {V4, ST | DG},
        [PS_CONN_KIND_INET6] = {V6, ST | DG},     [PS_CONN_KIND_TCP] = {V4 | V6, ST},
        [PS_CONN_KIND_TCP4] = {V4, ST},           [PS_CONN_KIND_TCP6] = {V6, ST},
        [PS_CONN_KIND_UDP] = {V4 | V6, DG},       [PS_CONN_KIND_UDP4] = {V4, DG},
        [PS_CONN_KIND_UDP6] = {V6, DG},           [PS_CONN_KIND_UNIX] = {UN, ST | DG},
        [PS_CONN_KIND_ALL] = {V4 | V6 | UN, ST | DG},
    };
    if ((int)kind < 0 || (size_t)kind >= sizeof map / sizeof map[0]) return 0;
    unsigned f = family == PS__DARWIN_AF_INET ? V4 : family == PS__DARWIN_AF_INET6 ? V6
               : family == PS__DARWIN_AF_UNIX ? UN : 0;
    unsigned t = type == PS__DARWIN_SOCK_STREAM ? ST : type == PS__DARWIN_SOCK_DGRAM ? DG : 0;
    return (map[kind].fam & f) && (map[kind].type & t);
}

int ps__darwin_socket_conn(const ps__darwin_socket *s, int64_t fd, int64_t pid, ps__bk_conn *out)
{
    memset(out, 0, sizeof *out);
    out->fd = fd;
    out->pid = pid;
    out->inode = 0;
    out->family = s->family == PS__DARWIN_AF_INET ? PS_NET_AF_INET
                : s->family == PS__DARWIN_AF_INET6 ? PS_NET_AF_INET6
                : s->family == PS__DARWIN_AF_UNIX ? PS_NET_AF_UNIX : PS_NET_AF_UNSPEC;
    switch (s->type) {
    case PS__DARWIN_SOCK_STREAM: out->type = PS_SOCK_STREAM; break;
    case PS__DARWIN_SOCK_DGRAM: out->type = PS_SOCK_DGRAM; break;
    case PS__DARWIN_SOCK_RAW: out->type = PS_SOCK_RAW; break;
    case PS__DARWIN_SOCK_RDM: out->type = PS_SOCK_RDM; break;
    case PS__DARWIN_SOCK_SEQPACKET: out->type = PS_SOCK_SEQPACKET; break;
    default: out->type = PS_SOCK_UNKNOWN; break;
    }
    out->status = PS_CONN_NONE;
    if (out->family == PS_NET_AF_UNIX)
        return ps__darwin_nstr_copy(&out->path, s->path ? s->path : "", s->path ? s->path_len : 0);
    if (out->family == PS_NET_AF_INET || out->family == PS_NET_AF_INET6) {
        memcpy(out->laddr, s->laddr, sizeof out->laddr);
        memcpy(out->raddr, s->raddr, sizeof out->raddr);
        out->lport = s->lport;
        out->rport = s->rport;
        if (s->type == PS__DARWIN_SOCK_STREAM) out->status = ps__darwin_tcp_status(s->tcp_state);
    }
    return 0;
}

/* ---- sockaddr_dl ------------------------------------------------------------------------- */

int ps__darwin_lladdr(const void *sa, size_t avail, const unsigned char **addr, size_t *alen)
{
    const unsigned char *b = sa;
    *addr = NULL;
    *alen = 0;
    if (!sa || avail < SDL_DATA) return 0;
    size_t have = b[0] < avail ? b[0] : avail;   /* sdl_len bounds the record too */
    size_t nlen = b[SDL_NLEN], n = b[SDL_NLEN + 1];
    if (n == 0 || have < SDL_DATA || nlen + n > have - SDL_DATA) return 0;
    *addr = b + SDL_DATA + nlen;   /* LLADDR: after the name */
    *alen = n;
    return 1;
}

/* ---- interface flags and media ----------------------------------------------------------- */

int ps__darwin_if_flags(uint32_t flags, ps__nstr *out)
{
    /* net/if.h's IFF_* values, in the order psutil's net_if_flags appends them */
    static const struct { uint16_t bit; const char *name; } names[] = {
        {0x1, "up"}, {0x2, "broadcast"}, {0x4, "debug"}, {0x8, "loopback"},
        {0x10, "pointopoint"}, {0x20, "notrailers"}, {0x40, "running"}, {0x80, "noarp"},
        {0x100, "promisc"}, {0x200, "allmulti"}, {0x8000, "multicast"}, {0x400, "oactive"},
        {0x800, "simplex"}, {0x1000, "link0"}, {0x2000, "link1"}, {0x4000, "link2"},
    };
    char buf[160];
    size_t n = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(flags & names[i].bit)) continue;
        size_t k = strlen(names[i].name);
        if (n) buf[n++] = ',';
        memcpy(buf + n, names[i].name, k);
        n += k;
    }
    return ps__darwin_nstr_copy(out, buf, n);
}

void ps__darwin_ifmedia(uint32_t active, ps_nic_duplex *duplex, int64_t *speed)
{
    enum { ETHER = 0x20, TOKEN = 0x40, IEEE80211 = 0x80, NMASK = 0xe0, TMASK = 0x1f,
           FDX = 0x100000, HDX = 0x200000 };
    /* Mbit/s by subtype (net/if_media.h): Ethernet 3..23, token ring 3..8, 802.11 3..9 */
    static const uint16_t ether[32] = {
        [3] = 10, [4] = 10, [5] = 10, [6] = 100, [7] = 100, [8] = 100, [9] = 100, [10] = 100,
        [11] = 1000, [12] = 10, [13] = 10, [14] = 1000, [15] = 1000, [16] = 1000, [17] = 1,
        [18] = 10000, [19] = 10000, [20] = 10000, [21] = 10000, [22] = 2500, [23] = 5000,
    };
    static const uint16_t token[32] = {[3] = 4, [4] = 16, [5] = 4, [6] = 16, [7] = 100, [8] = 100};
    static const uint16_t wifi[32] = {[3] = 1, [4] = 2, [5] = 2, [6] = 5, [7] = 11, [8] = 1, [9] = 22};
    unsigned sub = active & TMASK;
    switch (active & NMASK) {
    case ETHER: *speed = ether[sub]; break;
    case TOKEN: *speed = token[sub]; break;
    case IEEE80211: *speed = wifi[sub]; break;
    default: *speed = 0; break;
    }
    *duplex = (active & FDX) ? PS_NIC_DUPLEX_FULL
            : (active & HDX) ? PS_NIC_DUPLEX_HALF : PS_NIC_DUPLEX_UNKNOWN;
}

/* ---- getattrlist ATTR_VOL_SPACEUSED ------------------------------------------------------ */

int ps__darwin_decode_spaceused(const void *buf, size_t len, uint64_t *used)
{
    *used = 0;
    if (!buf || len < PS__DARWIN_SPACEUSED_REPLY_SIZE)
        return ps__error(PS_EPARSE, 0, "ATTR_VOL_SPACEUSED: %zu bytes", len);
    uint32_t n = rd_u32(buf, 0);
    if (n < PS__DARWIN_SPACEUSED_REPLY_SIZE || n > len)
        return ps__error(PS_EPARSE, 0, "ATTR_VOL_SPACEUSED: length word %u of %zu bytes", (unsigned)n, len);
    uint64_t v = rd_u64(buf, 4);
    if (v > (uint64_t)INT64_MAX)
        return ps__error(PS_EPARSE, 0, "ATTR_VOL_SPACEUSED: negative off_t");
    *used = v;
    return 0;
}

/* ---- power sources ----------------------------------------------------------------------- */

void ps__darwin_battery(int32_t capacity, int plugged, int has_minutes, int32_t minutes,
                        ps_battery *out)
{
    memset(out, 0, sizeof *out);
    out->present = 1;
    out->percent = capacity < 0 ? 0.0 : capacity > 100 ? 100.0 : (double)capacity;
    out->power_plugged = plugged ? 1 : 0;
    if (plugged) out->secsleft = PS_POWER_TIME_UNLIMITED;
    else if (!has_minutes || minutes < 0) out->secsleft = PS_POWER_TIME_UNKNOWN;
    else out->secsleft = (int64_t)minutes * 60;
}

/* ---- IORegistry pmgr voltage-states ------------------------------------------------------ */

int ps__darwin_voltage_states_key(const char *name, size_t len)
{
    static const char pre[] = "voltage-states", suf[] = "-sram";
    const size_t np = sizeof pre - 1, ns = sizeof suf - 1;
    if (!name || len < np + 1 + ns || memcmp(name, pre, np) != 0 ||
        memcmp(name + len - ns, suf, ns) != 0)
        return 0;
    for (size_t i = np; i < len - ns; i++)
        if (name[i] < '0' || name[i] > '9') return 0;
    return 1;
}

int ps__darwin_freq_table(ps__darwin_freq *acc, const void *data, size_t len)
{
    const unsigned char *d = data;
    double lo = 0, hi = 0;
    int any = 0;
    for (size_t off = 0; d && len >= 8 && off <= len - 8; off += 8) {
        uint32_t raw = rd_u32(d, off);
        /* Hz on M1..M3, kHz from M4 on: no CPU runs at 100 GHz or at 100 MHz */
        double mhz = raw > 100000000u ? raw / 1e6 : raw / 1e3;
        if (mhz < 500 || mhz > 20000) continue;   /* zero rows, padding, other units */
        if (!any || mhz < lo) lo = mhz;
        if (!any || mhz > hi) hi = mhz;
        any = 1;
    }
    if (!any || hi < 2000) return 0;
    if (!acc->found || lo < acc->min) acc->min = lo;
    if (!acc->found || hi > acc->max) acc->max = hi;
    acc->found = 1;
    return 1;
}

/* ---- tables ------------------------------------------------------------------------------ */

ps_process_status ps__darwin_status(int p_stat, int p_flag, int e_flag)
{
    if (p_stat == PS__DARWIN_SZOMB) return PS_STATUS_ZOMBIE;
    if (p_stat == PS__DARWIN_SSTOP) return PS_STATUS_STOPPED;
    if (p_flag & (PS__DARWIN_P_SYSTEM | PS__DARWIN_P_WEXIT | PS__DARWIN_P_PPWAIT)) return PS_STATUS_IDLE;
    if (e_flag & PS__DARWIN_EPROC_SLEADER) return PS_STATUS_SLEEPING;
    switch (p_stat) {
    case PS__DARWIN_SIDL: return PS_STATUS_IDLE;
    case PS__DARWIN_SRUN: return PS_STATUS_RUNNING;
    case PS__DARWIN_SSLEEP: return PS_STATUS_SLEEPING;
    default: return PS_STATUS_UNKNOWN;
    }
}

ps_conn_status ps__darwin_tcp_status(int tcps)
{
    static const ps_conn_status map[] = {
        PS_CONN_CLOSE, PS_CONN_LISTEN, PS_CONN_SYN_SENT, PS_CONN_SYN_RECV, PS_CONN_ESTABLISHED,
        PS_CONN_CLOSE_WAIT, PS_CONN_FIN_WAIT1, PS_CONN_CLOSING, PS_CONN_LAST_ACK,
        PS_CONN_FIN_WAIT2, PS_CONN_TIME_WAIT,
    };
    if (tcps < 0 || (size_t)tcps >= sizeof map / sizeof map[0]) return PS_CONN_NONE;
    return map[tcps];
}

/* psutil's macOS fields; the others stay NaN. */
void ps__darwin_cpu_ticks(const uint32_t ticks[4], ps_cputimes *out)
{
    ps__cputimes_unknown(out);
    out->user = ticks[0] / 100.0;
    out->system = ticks[1] / 100.0;
    out->idle = ticks[2] / 100.0;
    out->nice = ticks[3] / 100.0;
}
