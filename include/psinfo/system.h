/* SPDX-License-Identifier: MIT */
/*
 * psinfo — system-wide information: CPU, memory, disks, sensors, users, and container
 * (cgroup) limits. psutil's system functions with psutil's meaning and units (see
 * docs/system.md for every difference). Network functions live in psinfo/net.h.
 *
 * Common rules:
 *  - every function returns 0 or a negative PS_E* code; PS_EINVAL for a NULL out-pointer;
 *  - lists are returned as one allocated object freed by exactly one *_free function
 *    (NULL is a no-op); every string inside was decoded by the library's one decoder under
 *    the process-wide policy (ps_set_errors_policy);
 *  - on Linux every reader honours the configurable roots (ps_set_root: PS_ROOT_PROC,
 *    PS_ROOT_SYS), so the library can read a container's /proc or a fixture tree;
 *  - nothing is cached between calls and there is no hidden state: rates (cpu_percent) are
 *    computed from two samples the caller keeps;
 *  - a platform that cannot answer returns PS_ENOTSUP (never zeros that look like data);
 *  - every function is thread-safe.
 */
#ifndef PSINFO_SYSTEM_H
#define PSINFO_SYSTEM_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================== CPU ============================================== */

/*
 * CPU times in seconds (psutil scputimes). On Linux the fields are the columns of the
 * "cpu"/"cpuN" lines of <proc>/stat divided by the clock tick (sysconf(_SC_CLK_TCK)).
 * guest and guest_nice are already included in user and nice (kernel accounting).
 * Columns the kernel does not provide are 0; ncolumns says how many it provided (10 on any
 * kernel since 2.6.33; unknown extra columns of newer kernels are ignored).
 */
typedef struct ps_cputimes {
    double user;
    double nice;
    double system;
    double idle;
    double iowait;
    double irq;
    double softirq;
    double steal;
    double guest;
    double guest_nice;
    int32_t ncolumns;  /* how many of the 10 columns above the OS reported */
    int32_t pad0;      /**< zero */
    double dpc;        /**< Windows: time servicing deferred procedure calls (psutil 8 "dpc"; its
                            "irq" is the field above). NaN on every other platform. */
} ps_cputimes;

/* A list of per-CPU times, in the order the OS lists them (cpu0, cpu1, ... online CPUs). */
typedef struct ps_cputimes_list {
    size_t count;
    ps_cputimes *items;
} ps_cputimes_list;

/* System-wide CPU times (psutil cpu_times()). out: receives the times. */
PS_EXTERN int ps_cpu_times(ps_cputimes *out);
/* Per-CPU times (psutil cpu_times(percpu=True)). out: receives a list to free with
 * ps_cputimes_list_free(). */
PS_EXTERN int ps_cpu_times_percpu(ps_cputimes_list **out);
/* Free a list from ps_cpu_times_percpu (NULL is a no-op). list: the list. */
PS_EXTERN void ps_cputimes_list_free(ps_cputimes_list *list);

/*
 * Busy percentage between two samples the caller kept (psutil cpu_percent(interval=None)
 * with the previous sample passed explicitly): 100 * busy delta / total delta, where total
 * excludes guest and guest_nice and busy excludes idle and iowait; each field delta is
 * clamped at 0; rounded to one decimal as psutil; 0.0 when no time passed. Pure function
 * (no OS access).
 * before: the earlier sample. after: the later sample. percent: receives the percentage.
 */
PS_EXTERN int ps_cpu_percent(const ps_cputimes *before, const ps_cputimes *after,
                             double *percent);
/*
 * Per-field percentages between two samples (psutil cpu_times_percent): each field delta *
 * 100 / max(1, total delta), rounded to one decimal, clamped to [0, 100]. out->ncolumns is
 * the smaller of the two samples'. Pure function.
 * before: the earlier sample. after: the later sample. out: receives the percentages.
 */
PS_EXTERN int ps_cpu_times_percent(const ps_cputimes *before, const ps_cputimes *after,
                                   ps_cputimes *out);

/*
 * Number of logical CPUs online (psutil cpu_count()). On Linux: <sys>/devices/system/cpu/online,
 * then "processor" lines of <proc>/cpuinfo, then cpuN lines of <proc>/stat.
 * count: receives the number. PS_ENOTSUP when it cannot be determined.
 */
PS_EXTERN int ps_cpu_count_logical(int32_t *count);
/*
 * Number of physical cores (psutil cpu_count(logical=False)): unique
 * topology/core_cpus_list (or thread_siblings_list) contents, else the sum of "cpu cores" per
 * "physical id" in <proc>/cpuinfo. count: receives the number. PS_ENOTSUP when unknown (psutil
 * returns None) — never a guessed number.
 */
PS_EXTERN int ps_cpu_count_physical(int32_t *count);

/* CPU statistics since boot (psutil scpustats). */
typedef struct ps_cpustats {
    uint64_t ctx_switches;     /* context switches ("ctxt") */
    uint64_t interrupts;       /* interrupts ("intr" total) */
    uint64_t soft_interrupts;  /* soft interrupts ("softirq" total) */
    uint64_t syscalls;         /* system calls; always 0 on Linux (as psutil) */
} ps_cpustats;

/* out: receives the statistics. */
PS_EXTERN int ps_cpu_stats(ps_cpustats *out);

/* CPU frequency in MHz (psutil scpufreq). min and max are 0.0 when unknown. */
typedef struct ps_cpufreq {
    double current;
    double min;
    double max;
    int32_t cpu;       /**< the logical CPU number of a per-CPU entry; PS_UNKNOWN_I32 in an
                            average, or where the source does not say which CPU it is */
    int32_t pad0;      /**< zero */
} ps_cpufreq;

typedef struct ps_cpufreq_list {
    size_t count;
    ps_cpufreq *items;
} ps_cpufreq_list;

/**
 * Per-CPU frequencies (psutil 8 cpu_freq(percpu=True)): one entry per online CPU, sorted by CPU
 * number. Linux: each cpufreq policy in sysfs applies to the CPUs of its affected_cpus (one
 * entry each; psutil <= 7 gave one entry per policy); offline CPUs belong to no policy and are
 * left out, as is a CPU whose policy has no current-frequency file and whose online file says
 * 0. current = scaling_cur_freq (else cpuinfo_cur_freq), or the "cpu MHz" of <proc>/cpuinfo
 * when it lists as many CPUs; min/max from scaling_min_freq/scaling_max_freq. Without cpufreq
 * in sysfs: the "cpu MHz" lines of <proc>/cpuinfo, min = max = 0,
 * cpu = PS_UNKNOWN_I32.
 * @param out receives a list to free with ps_cpufreq_list_free().
 * @return 0, or PS_EINVAL, PS_ENOMEM, PS_ENOTSUP when no source exists.
 */
PS_EXTERN int ps_cpu_freq_percpu(ps_cpufreq_list **out);
/* Average over CPUs (psutil cpu_freq()). out: receives the average. PS_ENOTSUP as above. */
PS_EXTERN int ps_cpu_freq(ps_cpufreq *out);
/* list: a list from ps_cpu_freq_percpu (NULL is a no-op). */
PS_EXTERN void ps_cpufreq_list_free(ps_cpufreq_list *list);

/* Load averages over 1, 5 and 15 minutes (psutil getloadavg; <proc>/loadavg).
 * load: receives the three values. */
PS_EXTERN int ps_getloadavg(double load[3]);

/* System boot time, seconds since the epoch (psutil boot_time; "btime" of <proc>/stat).
 * out: receives the time. */
PS_EXTERN int ps_boot_time(double *out);

/* ===================================== memory =========================================== */

/*
 * Virtual memory in bytes (psutil svmem, Linux fields). From <proc>/meminfo:
 * total = MemTotal; available = MemAvailable (or, when missing, the kernel's estimate from
 * MemFree, Active(file), Inactive(file), SReclaimable and the "low" watermarks of
 * <proc>/zoneinfo, as psutil; clamped to [0, total]); used = total - available (as `free`
 * since procps 4.0.1; psutil < 6 used total - free - buffers - cached);
 * percent = (total - available) / total * 100 rounded to one decimal; free = MemFree;
 * active, inactive, buffers; cached = Cached + SReclaimable; shared = Shmem; slab = Slab.
 * A field the kernel does not report is 0 and its bit is set in missing (PS_VMEM_MISSING_*).
 * macOS (psutil's formulas; see docs/macos.md): total = hw.memsize, free = free - speculative
 * pages, available = inactive + free pages, used = active + wired, active, inactive, wired;
 * buffers, cached, shared and slab PS_UNKNOWN_U64.
 */
typedef struct ps_vmem {
    uint64_t total;
    uint64_t available;
    double percent;
    uint64_t used;
    uint64_t free;
    uint64_t active;
    uint64_t inactive;
    uint64_t buffers;
    uint64_t cached;
    uint64_t shared;
    uint64_t slab;
    uint32_t missing;  /* bit set of PS_VMEM_MISSING_* (psutil's RuntimeWarning) */
    uint32_t pad0;     /**< zero */
    uint64_t wired;    /**< memory that never leaves RAM (macOS, BSD; Windows KernelNonpaged as
                            psutil 8). PS_UNKNOWN_U64 on Linux. */
} ps_vmem;

#define PS_VMEM_MISSING_BUFFERS   0x01u
#define PS_VMEM_MISSING_CACHED    0x02u
#define PS_VMEM_MISSING_SHARED    0x04u
#define PS_VMEM_MISSING_ACTIVE    0x08u
#define PS_VMEM_MISSING_INACTIVE  0x10u
#define PS_VMEM_MISSING_SLAB      0x20u
#define PS_VMEM_ESTIMATED_AVAIL   0x40u  /* MemAvailable missing: available was estimated */

/* out: receives the figures. PS_EPARSE when MemTotal or MemFree is missing. */
PS_EXTERN int ps_virtual_memory(ps_vmem *out);

/*
 * Swap in bytes (psutil sswap): total/free from SwapTotal/SwapFree of <proc>/meminfo,
 * used = total - free, percent rounded to one decimal, sin/sout = pswpin/pswpout of
 * <proc>/vmstat times 4096 (psutil's fixed 4 KiB unit). sinout_known is 0 when <proc>/vmstat
 * lacks them (sin = sout = 0 then, psutil's warning).
 */
typedef struct ps_swapmem {
    uint64_t total;
    uint64_t used;
    uint64_t free;
    double percent;
    uint64_t sin;
    uint64_t sout;
    int32_t sinout_known;
} ps_swapmem;

/* out: receives the figures. */
PS_EXTERN int ps_swap_memory(ps_swapmem *out);

/* ===================================== disks ============================================ */

/* One mounted filesystem (psutil sdiskpart). */
typedef struct ps_disk_partition {
    char *device;      /* "" when the source is "none" (as psutil) */
    char *mountpoint;
    char *fstype;
    char *opts;        /* as /proc/mounts shows them: "rw,relatime,..." */
} ps_disk_partition;

typedef struct ps_disk_partition_list {
    size_t count;
    ps_disk_partition *items;
} ps_disk_partition_list;

/*
 * Mounted filesystems (psutil disk_partitions(all)), read from <proc>/self/mountinfo with the
 * kernel's escapes (\040 \011 \012 \134) undone before decoding. all = 0 keeps only entries
 * with a device and a filesystem type listed in <proc>/filesystems without "nodev" (plus zfs),
 * as psutil. Never calls statvfs (a dead network mount cannot hang it).
 * all: 0 or 1. out: receives a list to free with ps_disk_partition_list_free().
 */
PS_EXTERN int ps_disk_partitions(int all, ps_disk_partition_list **out);
/* list: a list from ps_disk_partitions (NULL is a no-op). */
PS_EXTERN void ps_disk_partition_list_free(ps_disk_partition_list *list);

/* Disk usage in bytes, the user's view like df (psutil sdiskusage). */
typedef struct ps_diskusage {
    uint64_t total;    /* f_blocks * f_frsize */
    uint64_t used;     /* (f_blocks - f_bfree) * f_frsize */
    uint64_t free;     /* f_bavail * f_frsize (what an unprivileged user may still use) */
    double percent;    /* used / (used + free) * 100, rounded to one decimal */
} ps_diskusage;

/*
 * Usage of the filesystem holding path (statvfs). path: UTF-8 as returned by this library
 * (surrogate escapes are turned back into the original bytes with ps_fsencode). out: receives
 * the figures. PS_ENOENT when path does not exist, PS_EACCES when it cannot be reached.
 */
PS_EXTERN int ps_disk_usage(const char *path, ps_diskusage *out);

/* Disk I/O counters (psutil sdiskio, Linux fields). Times in milliseconds. */
typedef struct ps_diskio {
    uint64_t read_count;
    uint64_t write_count;
    uint64_t read_bytes;          /* sectors * 512 (modulo 2^64) */
    uint64_t write_bytes;
    uint64_t read_time;
    uint64_t write_time;
    uint64_t read_merged_count;
    uint64_t write_merged_count;
    uint64_t busy_time;
} ps_diskio;

typedef struct ps_diskio_entry {
    char *name;          /* kernel name: "sda", "sda1", "nvme0n1", ... */
    ps_diskio counters;
} ps_diskio_entry;

typedef struct ps_diskio_list {
    size_t count;
    ps_diskio_entry *items;
} ps_diskio_list;

/*
 * Totals over whole disks (an entry counts when <sys>/block/NAME exists, as psutil); from
 * <proc>/diskstats. No wrap correction (psutil's nowrap keeps hidden state; keep two samples
 * yourself). out: receives the totals. PS_ENOENT when there is no disk (psutil returns None).
 */
PS_EXTERN int ps_disk_io_counters(ps_diskio *out);
/* Every line of <proc>/diskstats (disks and partitions, psutil perdisk=True).
 * out: receives a list to free with ps_diskio_list_free(). */
PS_EXTERN int ps_disk_io_counters_perdisk(ps_diskio_list **out);
/* list: a list from ps_disk_io_counters_perdisk (NULL is a no-op). */
PS_EXTERN void ps_diskio_list_free(ps_diskio_list *list);

/* ===================================== sensors ========================================== */

/* One temperature sensor in degrees Celsius (psutil shwtemp plus the unit's name).
 * high and critical are NaN when unknown (psutil's None). */
typedef struct ps_temperature {
    char *unit;        /* the hwmon "name" (or thermal zone "type"): psutil's dict key */
    char *label;       /* "" when the sensor has no label */
    double current;
    double high;
    double critical;
} ps_temperature;

typedef struct ps_temperature_list {
    size_t count;
    ps_temperature *items;
} ps_temperature_list;

/*
 * Temperatures (psutil sensors_temperatures): <sys>/class/hwmon/hwmon* /temp*_input (and
 * device/, and coretemp platform devices), else <sys>/class/thermal/thermal_zone*. Sorted as
 * psutil sorts its paths; grouped by unit in that order. No sensors → an empty list.
 * out: receives a list to free with ps_temperature_list_free().
 */
PS_EXTERN int ps_sensors_temperatures(ps_temperature_list **out);
/* list: a list from ps_sensors_temperatures (NULL is a no-op). */
PS_EXTERN void ps_temperature_list_free(ps_temperature_list *list);

/* One fan in RPM (psutil sfan plus the unit's name). */
typedef struct ps_fan {
    char *unit;
    char *label;
    int64_t current;
} ps_fan;

typedef struct ps_fan_list {
    size_t count;
    ps_fan *items;
} ps_fan_list;

/* Fans (psutil sensors_fans; <sys>/class/hwmon). No fans → an empty list.
 * out: receives a list to free with ps_fan_list_free(). */
PS_EXTERN int ps_sensors_fans(ps_fan_list **out);
/* list: a list from ps_sensors_fans (NULL is a no-op). */
PS_EXTERN void ps_fan_list_free(ps_fan_list *list);

#define PS_POWER_TIME_UNKNOWN -1      /* psutil POWER_TIME_UNKNOWN */
#define PS_POWER_TIME_UNLIMITED -2    /* psutil POWER_TIME_UNLIMITED (plugged in) */

/* Battery state (psutil sbattery). */
typedef struct ps_battery {
    int32_t present;        /* 0: no battery (psutil returns None); the rest is then 0 */
    double percent;
    int64_t secsleft;       /* seconds, or PS_POWER_TIME_UNKNOWN / PS_POWER_TIME_UNLIMITED */
    int32_t power_plugged;  /* 1 plugged, 0 on battery, -1 unknown (psutil None) */
} ps_battery;

/* Battery (psutil sensors_battery; <sys>/class/power_supply/BAT* or *battery*).
 * out: receives the state; out->present = 0 when there is none (not an error). */
PS_EXTERN int ps_sensors_battery(ps_battery *out);

/* ===================================== users ============================================ */

/* A logged-in user (psutil suser). */
typedef struct ps_user {
    char *name;
    char *terminal;   /* "" when none */
    char *host;       /* "" when none */
    double started;   /* login time, seconds since the epoch */
    int64_t pid;      /* the login process */
} ps_user;

typedef struct ps_user_list {
    size_t count;
    ps_user *items;
} ps_user_list;

/*
 * Users logged in (psutil users()): USER_PROCESS records of the utmp file (Linux: parsed
 * directly from /var/run/utmp, reentrant; no file → an empty list).
 * out: receives a list to free with ps_user_list_free().
 */
PS_EXTERN int ps_users(ps_user_list **out);
/* list: a list from ps_users (NULL is a no-op). */
PS_EXTERN void ps_user_list_free(ps_user_list *list);

/* ===================================== containers (beyond psutil) ====================== */

/* Whether a limit is known, absent or set. */
typedef enum ps_limit_state {
    PS_LIMIT_UNKNOWN = 0,  /* no cgroup controller found or readable: nothing is known */
    PS_LIMIT_NONE = 1,     /* the controller exists and says "no limit" ("max", -1) */
    PS_LIMIT_SET = 2       /* a limit is set: the value field holds it */
} ps_limit_state;

/*
 * The cgroup limits that apply to a process (psutil #2100, #1122, #490). cgroup v2 first
 * (memory.max, memory.current, cpu.max in the process's cgroup under the cgroup2 mount), then
 * v1 (memory.limit_in_bytes, memory.usage_in_bytes, cpu.cfs_quota_us / cpu.cfs_period_us).
 * The cgroup path comes from <proc>/PID/cgroup and the mount points from <proc>/self/mountinfo.
 * memory_limit / cpu_quota_us are the process's own cgroup's; the effective_* fields are the
 * tightest limits of the cgroup and every ancestor visible under the mount (a limit on a parent
 * cgroup — a Kubernetes pod, a systemd slice — applies to the children).
 */
typedef struct ps_cgroup_limits {
    char *path;                  /* the cgroup path ("/user.slice/..."), or "" */
    int32_t memory_version;      /* 2 or 1: which hierarchy gave the memory figures; 0 none */
    int32_t memory_limit_state;  /* ps_limit_state */
    uint64_t memory_limit;       /* bytes, when PS_LIMIT_SET */
    int32_t memory_usage_known;  /* 1 when memory_usage holds memory.current/usage_in_bytes */
    uint64_t memory_usage;       /* bytes */
    int32_t cpu_version;         /* 2 or 1: which hierarchy gave the CPU quota; 0 none */
    int32_t cpu_quota_state;     /* ps_limit_state */
    int64_t cpu_quota_us;        /* microseconds per period, when PS_LIMIT_SET */
    int64_t cpu_period_us;       /* microseconds, when PS_LIMIT_SET */
    int32_t affinity_count;      /* CPUs in the process's affinity mask (Cpus_allowed_list) */
    int32_t usable_cpus;         /* min(affinity_count, ceil(effective_cpu_limit)) when a
                                    quota applies, else affinity_count */
    int32_t effective_memory_limit_state; /* ps_limit_state of the tightest memory limit of
                                    the cgroup and its ancestors (up to the mount's root) */
    uint64_t effective_memory_limit;      /* bytes, when PS_LIMIT_SET */
    int32_t effective_cpu_limit_state;    /* ps_limit_state of the tightest CPU quota of the
                                    cgroup and its ancestors */
    double effective_cpu_limit;  /* CPUs' worth of time (quota / period), when PS_LIMIT_SET */
} ps_cgroup_limits;

/*
 * Cgroup limits of process pid (0 = the calling process). out: receives a struct to free with
 * ps_cgroup_limits_free(). PS_ENOPROC when the process does not exist; PS_EINVAL for pid < 0.
 */
PS_EXTERN int ps_cgroup_limits_get(int64_t pid, ps_cgroup_limits **out);
/* limits: from ps_cgroup_limits_get (NULL is a no-op). */
PS_EXTERN void ps_cgroup_limits_free(ps_cgroup_limits *limits);
/*
 * The number of CPUs process pid (0 = self) can really use: its affinity mask intersected with
 * its effective cgroup CPU quota, ceil(quota / period) (psutil #1122's usable_cpu_count).
 * count: receives the number.
 */
PS_EXTERN int ps_cpu_count_usable(int64_t pid, int32_t *count);

#ifdef __cplusplus
}
#endif

#endif /* PSINFO_SYSTEM_H */
