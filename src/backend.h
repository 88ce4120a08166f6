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

#include "internal.h"

/* A native string: `data` points to `len` bytes (POSIX) or `len` uint16_t units (Windows),
 * not necessarily terminated; owned by the holder and released with ps__nstr_dispose. */
typedef struct ps__nstr {
    void *data;
    size_t len;
} ps__nstr;

void ps__nstr_dispose(ps__nstr *s);
/* Decode and dispose in one step (the core's usual path). */
int ps__nstr_decode(ps__nstr *s, char **out);

/* ---- processes (struct ps_proc is defined by each back end) ----------------------------- */

int ps__bk_proc_open(int64_t pid, ps_proc **out);
int ps__bk_proc_open_self(ps_proc **out);
void ps__bk_proc_free(ps_proc *proc);
int64_t ps__bk_proc_pid(const ps_proc *proc);
int ps__bk_proc_is_running(const ps_proc *proc, int *running);

/* ---- process getters and signals (issue 3; include/psinfo/proc.h) ---------------------- */
/* (proc getters: add declarations below this line) */

/* ---- enumeration and the process table (issue 3; include/psinfo/ptable.h) ------------- */
/* (ptable: add declarations below this line) */

/* ---- waiting (issue 4; include/psinfo/wait.h) ----------------------------------------- */
/* (wait: add declarations below this line) */
/* timeout: seconds >= 0, or -1 for no limit (validated by the core). */
int ps__bk_proc_wait(ps_proc *proc, double timeout, ps_wait_result *out);
/* status[] is zeroed by the core; n > 0; flags PS_WAIT_ALL/PS_WAIT_ANY. */
int ps__bk_proc_wait_many(ps_proc *const *procs, size_t n, double timeout, uint32_t flags,
                          ps_wait_status *status);

/* ---- system-wide: CPU, memory, disks, sensors, users, containers (issue 5; system.h) --- */
/* (system: add declarations below this line) */
#include "psinfo/system.h"
/* CPU: either out-pointer of ps__bk_cpu_times may be NULL. */
int ps__bk_cpu_times(ps_cputimes *total, ps_cputimes_list **percpu);
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
/* Fills every numeric field of *out; *path receives the native cgroup path (may be empty). */
int ps__bk_cgroup_limits(int64_t pid, ps_cgroup_limits *out, ps__nstr *path);
/* Core helper for tests: users from an explicit utmp file. */
int ps__users_file(const char *utmp_path, ps_user_list **out);

/* ---- network (issue 5; include/psinfo/net.h) ----------------------------------------- */
/* (net: add declarations below this line) */

#endif /* PS_BACKEND_H */
