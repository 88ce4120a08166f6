/* SPDX-License-Identifier: MIT */
/*
 * The backend contract: what each platform (src/linux, src/bsd, src/windows, with shared
 * POSIX code in src/posix) implements. Back ends return NATIVE data only — ps__nstr holds
 * bytes on POSIX and UTF-16 units on Windows — and the portable core (the .c files in src/) turns every
 * native string into UTF-8 with the one decoder. A back end therefore cannot hand the user an
 * undecoded string. An operation a platform cannot do returns PS_ENOTSUP.
 *
 * Naming: ps__bk_<module>_<verb>. Arguments are already validated by the core (non-NULL
 * pointers, pid > 0), so back ends check only what the OS tells them.
 */
#ifndef PS_BACKEND_H
#define PS_BACKEND_H

#include "internal.h"   /* also every public header (psinfo.h) */

/* A native string: `data` points to `len` bytes (POSIX) or `len` uint16_t units (Windows),
 * not necessarily terminated; owned by the holder and released with ps__nstr_dispose. */
typedef struct ps__nstr {
    void *data;
    size_t len;
} ps__nstr;

void ps__nstr_dispose(ps__nstr *s);
/* Decode and dispose in one step (the core's usual path). */
int ps__nstr_decode(ps__nstr *s, char **out);

/* What an operation a platform does not have returns, worded one way everywhere (the stubs of
 * src/unsupported): "<public function>: not supported on this platform yet". */
#define PS__NOTSUP(fn) ps__error(PS_ENOTSUP, 0, "%s: not supported on this platform yet", fn)

/* ---- processes (struct ps_proc is defined by each back end) ----------------------------- */

int ps__bk_proc_open(int64_t pid, ps_proc **out);
int ps__bk_proc_open_self(ps_proc **out);
void ps__bk_proc_free(ps_proc *proc);
int64_t ps__bk_proc_pid(const ps_proc *proc);
int ps__bk_proc_is_running(const ps_proc *proc, int *running);

/* ---- process getters and signals (include/psinfo/proc.h) -------------------------------- */
/* Native lists of strings ("items"): `count` NUL-terminated strings back to back. */
int ps__bk_proc_name(ps_proc *p, ps__nstr *out);
int ps__bk_proc_exe(ps_proc *p, ps__nstr *out);
int ps__bk_proc_cmdline(ps_proc *p, ps__nstr *items, size_t *count);
/* The raw environment block (NUL-separated, as the OS gives it). */
int ps__bk_proc_environ(ps_proc *p, ps__nstr *block);
int ps__bk_proc_cwd(ps_proc *p, ps__nstr *out);
int ps__bk_proc_username(ps_proc *p, ps__nstr *out);
int ps__bk_proc_ids(ps_proc *p, int gids, ps_proc_ids *out);
/* out->data NULL: no terminal. */
int ps__bk_proc_terminal(ps_proc *p, ps__nstr *out);
int ps__bk_proc_ppid(ps_proc *p, int64_t *out);
/* Every process as pairs[2i] = pid, pairs[2i+1] = ppid (malloc'd). */
int ps__bk_proc_pid_ppid_pairs(int64_t **pairs, size_t *count);
int ps__bk_proc_status(ps_proc *p, ps_process_status *out);
int ps__bk_proc_create_time(ps_proc *p, double *out);
int ps__bk_proc_cpu_times(ps_proc *p, ps_proc_cputimes *out);
int ps__bk_proc_cpu_num(ps_proc *p, int32_t *out);
/* *cpus malloc'd, sorted. */
int ps__bk_proc_cpu_affinity(ps_proc *p, int32_t **cpus, size_t *count);
int ps__bk_proc_set_cpu_affinity(ps_proc *p, const int32_t *cpus, size_t count);
int ps__bk_proc_nice(ps_proc *p, int32_t *out);
int ps__bk_proc_set_nice(ps_proc *p, int32_t value);
int ps__bk_proc_ionice(ps_proc *p, ps_ioprio_class *ioclass, int32_t *value);
int ps__bk_proc_set_ionice(ps_proc *p, ps_ioprio_class ioclass, int32_t value);
int ps__bk_proc_rlimit(ps_proc *p, ps_rlimit_resource resource, int64_t *soft, int64_t *hard);
int ps__bk_proc_set_rlimit(ps_proc *p, ps_rlimit_resource resource, int64_t soft, int64_t hard);
int ps__bk_proc_memory_info(ps_proc *p, ps_proc_mem *out);
/* Fill every field: PS_UNKNOWN_U64 for what the platform lacks. (memory_full_info is the
 * core's memory_info + memory_footprint.) */
int ps__bk_proc_memory_info_ex(ps_proc *p, ps_proc_mem_ex *out);
int ps__bk_proc_memory_footprint(ps_proc *p, ps_proc_footprint *out);
typedef struct ps__bk_mmap {
    ps__nstr path, addr, perms;
    uint64_t rss, size, pss, shared_clean, shared_dirty, private_clean, private_dirty;
    uint64_t referenced, anonymous, swap;
} ps__bk_mmap;
int ps__bk_proc_memory_maps(ps_proc *p, ps__bk_mmap **items, size_t *count);
void ps__bk_mmap_free(ps__bk_mmap *items, size_t count);
int ps__bk_proc_page_faults(ps_proc *p, ps_proc_pagefaults *out);
int ps__bk_proc_num_threads(ps_proc *p, int64_t *out);
typedef struct ps__bk_thread {
    int64_t id;
    double user_time, system_time;
    ps__nstr name;
} ps__bk_thread;
int ps__bk_proc_threads(ps_proc *p, ps__bk_thread **items, size_t *count);
void ps__bk_thread_free(ps__bk_thread *items, size_t count);
int ps__bk_proc_num_fds(ps_proc *p, int64_t *out);
/* Windows only (psutil num_handles); PS_ENOTSUP elsewhere (src/unsupported/proc_handles.c). */
int ps__bk_proc_num_handles(ps_proc *p, int64_t *out);
int ps__bk_proc_num_ctx_switches(ps_proc *p, ps_proc_ctxsw *out);
int ps__bk_proc_io_counters(ps_proc *p, ps_proc_io *out);
typedef struct ps__bk_open_file {
    ps__nstr path;
    int64_t fd, position;
    int32_t flags;
    char mode[4];   /* psutil's "r", "w", "a", "r+", "a+" */
} ps__bk_open_file;
int ps__bk_proc_open_files(ps_proc *p, ps__bk_open_file **items, size_t *count);
void ps__bk_open_file_free(ps__bk_open_file *items, size_t count);
int ps__bk_proc_cgroup(ps_proc *p, ps__nstr *items, size_t *count);
/* op: PS__SIG_SEND uses sig; the others pick the platform's signal (or action). */
enum { PS__SIG_SEND = 0, PS__SIG_SUSPEND = 1, PS__SIG_RESUME = 2, PS__SIG_TERMINATE = 3, PS__SIG_KILL = 4 };
int ps__bk_proc_signal(ps_proc *p, int op, int32_t sig);

/* ---- enumeration and the process table (include/psinfo/ptable.h) ------------------------ */
/* *pids malloc'd (order unspecified; the core sorts). */
int ps__bk_pids(int64_t **pids, size_t *count);
/* pid >= 0 (validated by the core). */
int ps__bk_pid_exists(int64_t pid, int *exists);
/* A native string view (bytes on POSIX, UTF-16 units on Windows; len in units), not owned.
 * data NULL: no string (e.g. no terminal). */
typedef struct ps__nview {
    const void *data;
    size_t len;
} ps__nview;
/* A record as a back end reads it: rec holds pid, present, error and every numeric field (its
 * string pointers are ignored); the strings are native views, valid during ps__ptable_emit.
 * cmdline: cmdline_count native strings back to back, each followed by one NUL unit (len counts
 * every unit, the last NUL included). */
typedef struct ps__bk_ptrec {
    ps_ptable_record rec;
    ps__nview name, exe, cwd, username, terminal, cmdline;
    size_t cmdline_count;
    /* Scanner back ends only: a serial that changes whenever the PID names another process
     * (ignored by the plain scan). */
    uint64_t ident;
} ps__bk_ptrec;
/* The core's table builder: the back end hands it each record; it decodes the strings. */
typedef struct ps__ptable_builder ps__ptable_builder;
int ps__ptable_emit(ps__ptable_builder *b, const ps__bk_ptrec *r);
/* Optional: room for n more records (a scan calls it with the number of PIDs listed). */
int ps__ptable_reserve(ps__ptable_builder *b, size_t n);
/* fields: validated, PS_PT_PID set. Emit every process (any order). */
int ps__bk_ptable_scan(uint64_t fields, uint32_t flags, ps__ptable_builder *b);
/* Emit exactly one record for the handle's process, or fail (PS_ENOPROC once it is gone). */
int ps__bk_proc_snapshot(ps_proc *p, uint64_t fields, ps__ptable_builder *b);

/* ---- the scanner (include/psinfo/scanner.h) -------------------------------------------- */
/* A back end's per-process state kept between scans (Linux: open descriptors). PS_ENOTSUP from
 * ps__bk_scanner_new: the core falls back to one fresh ps__bk_ptable_scan per scan. */
typedef struct ps__bk_scanner ps__bk_scanner;
/* fields: validated, PS_PT_PID | PS_PT_CPU_TIMES | PS_PT_CREATE_TIME set. */
int ps__bk_scanner_new(uint64_t fields, uint32_t flags, ps__bk_scanner **out);
/* Emit every process in increasing PID order, each with r->ident set. */
int ps__bk_scanner_scan(ps__bk_scanner *s, ps__ptable_builder *b);
/* Fill kept_fds, fd_budget, fresh_opens and add the back end's state to state_bytes. */
void ps__bk_scanner_stats(const ps__bk_scanner *s, ps_scanner_stats *out);
void ps__bk_scanner_free(ps__bk_scanner *s);

/* ---- platform primitives for the core (src/posix/sync.c, src/windows/sync.c) ----------- */
typedef struct ps__mutex ps__mutex;
/* NULL when out of memory. */
ps__mutex *ps__mutex_new(void);
void ps__mutex_lock(ps__mutex *m);
void ps__mutex_unlock(ps__mutex *m);
void ps__mutex_free(ps__mutex *m);
/* Seconds of a monotonic clock, and of the wall clock (since the epoch). */
double ps__clock_monotonic(void);
double ps__clock_wall(void);

/* ---- waiting (include/psinfo/wait.h) ---------------------------------------------------- */
/* timeout: seconds >= 0, or -1 for no limit (validated by the core). */
int ps__bk_proc_wait(ps_proc *proc, double timeout, ps_wait_result *out);
/* status[] is zeroed by the core; n > 0; flags PS_WAIT_ALL/PS_WAIT_ANY. */
int ps__bk_proc_wait_many(ps_proc *const *procs, size_t n, double timeout, uint32_t flags,
                          ps_wait_status *status);

/* ---- system-wide: CPU, memory, disks, sensors, users, containers (system.h) ------------- */
/* CPU: either out-pointer of ps__bk_cpu_times may be NULL. The core sets *total to
 * ps__cputimes_unknown before the call; each per-CPU item the back end fills starts from it
 * too, so a column the platform lacks stays NaN. */
int ps__bk_cpu_times(ps_cputimes *total, ps_cputimes_list **percpu);
/* The core's: the whole struct zero (reserved tail) and every column NaN. */
void ps__cputimes_unknown(ps_cputimes *t);
int ps__bk_cpu_count_logical(int32_t *count);
int ps__bk_cpu_count_physical(int32_t *count);
int ps__bk_cpu_stats(ps_cpustats *out);
int ps__bk_cpu_freq_percpu(ps_cpufreq_list **out);
int ps__bk_getloadavg(double load[3]);
int ps__bk_boot_time(double *out);
int ps__bk_virtual_memory(ps_vmem *out);
int ps__bk_swap_memory(ps_swapmem *out);
/* Native records; the core decodes the strings. */
typedef struct ps__bk_partition {
    ps__nstr device, mountpoint, fstype, opts;
} ps__bk_partition;
int ps__bk_disk_partitions(int all, ps__bk_partition **items, size_t *count);
/* The core's disposer of such records (back ends use it on their error paths too). */
void ps__bk_partitions_dispose(ps__bk_partition *items, size_t count);
/* path: native bytes (NUL-terminated) as ps_fsencode gives them. */
int ps__bk_disk_usage(const char *path, ps_diskusage *out);
typedef struct ps__bk_diskio {
    ps__nstr name;
    ps_diskio counters;
    int whole_disk;   /* counts toward the totals */
} ps__bk_diskio;
int ps__bk_diskio_read(ps__bk_diskio **items, size_t *count);
typedef struct ps__bk_sensor {
    ps__nstr unit, label;
    double current, high, critical;   /* fans: current only */
} ps__bk_sensor;
int ps__bk_temperatures(ps__bk_sensor **items, size_t *count);
int ps__bk_fans(ps__bk_sensor **items, size_t *count);
int ps__bk_battery(ps_battery *out);
typedef struct ps__bk_user {
    ps__nstr name, terminal, host;
    double started;
    int64_t pid;
} ps__bk_user;
/* utmp_path NULL: the platform's default file. */
int ps__bk_users(const char *utmp_path, ps__bk_user **items, size_t *count);
/* The core's disposer of such records (back ends use it on their error paths too). */
void ps__bk_users_dispose(ps__bk_user *items, size_t count);
/* Fills the numeric fields of *out (the core has set memory_usage and affinity_count to
 * unknown, and turns every value whose state is not PS_LIMIT_SET into unknown afterwards);
 * *path receives the native cgroup path (may be empty). The process: proc, read through the
 * handle; when proc is NULL, pid (0 = the caller) by number (tests, the calling process). */
int ps__bk_cgroup_limits(const ps_proc *proc, int64_t pid, ps_cgroup_limits *out, ps__nstr *path);
/* Core helper for tests: users from an explicit utmp file. */
int ps__users_file(const char *utmp_path, ps_user_list **out);

/* ---- network (include/psinfo/net.h) ----------------------------------------------------- */
typedef struct ps__bk_netio {
    ps__nstr name;
    ps_netio counters;
} ps__bk_netio;
int ps__bk_net_io(ps__bk_netio **items, size_t *count);
void ps__bk_netio_free(ps__bk_netio *items, size_t count);
/* One getifaddrs-like entry: strings native, data NULL for "None". sort_key orders entries as
 * psutil does (the OS family number); the core sorts stably, groups by NIC and pads MACs. */
typedef struct ps__bk_nic_addr {
    ps__nstr nic, address, netmask, broadcast, ptp;
    ps_net_family family;
    int32_t sort_key;
} ps__bk_nic_addr;
int ps__bk_net_if_addrs(ps__bk_nic_addr **items, size_t *count);
void ps__bk_nic_addr_free(ps__bk_nic_addr *items, size_t count);
typedef struct ps__bk_nic_stats {
    ps__nstr nic, flags;   /* flags: psutil's comma-separated names */
    int32_t isup;
    ps_nic_duplex duplex;
    int64_t speed, mtu;    /* speed 0 when unknown (the core makes it PS_UNKNOWN_I64) */
} ps__bk_nic_stats;
int ps__bk_net_if_stats(ps__bk_nic_stats **items, size_t *count);
void ps__bk_nic_stats_free(ps__bk_nic_stats *items, size_t count);
/* One socket: addresses as raw bytes in network order (4 used for IPv4), path native. fd and
 * pid -1 without a visible owner, inode 0 where there is none; the core turns them into
 * PS_UNKNOWN_I64 / PS_UNKNOWN_U64. */
typedef struct ps__bk_conn {
    int64_t fd, pid;
    uint64_t inode;
    ps_net_family family;
    ps_sock_type type;
    ps_conn_status status;
    uint8_t laddr[16], raddr[16];
    int32_t lport, rport;
    ps__nstr path;
} ps__bk_conn;
/* Which end of a row psutil shows as () rather than (ip, port): its platform code differs.
 * PORT: the port is 0 (Linux: _pslinux.py decode_address). ADDR_AND_PORT: the port is 0 and the
 * address all zero bytes (Windows: socks.c, both ends). REMOTE_PORT: a remote port of 0, the
 * local end always shown (macOS: proc.c, the BSDs alike). Each back end defines its rule. */
typedef enum { PS__END_RULE_PORT, PS__END_RULE_ADDR_AND_PORT, PS__END_RULE_REMOTE_PORT } ps__conn_end_rule;
extern const ps__conn_end_rule ps__bk_conn_end_rule;
/* proc NULL: every process; else only that process's sockets (its own net namespace). */
int ps__bk_net_connections(ps_proc *proc, ps_conn_kind kind, ps__bk_conn **items, size_t *count);
void ps__bk_conn_free(ps__bk_conn *items, size_t count);

#endif /* PS_BACKEND_H */
