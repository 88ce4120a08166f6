/* SPDX-License-Identifier: MIT */
/**
 * @file psinfo/system.h
 * @brief System-wide information: CPU, memory, disks, sensors, users, and container (cgroup)
 * limits.
 *
 * psutil's system functions with psutil's meaning and units (see docs/system.md for every
 * difference). Network functions live in psinfo/net.h.
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
 *  - a platform that cannot answer returns PS_ENOTSUP (never zeros that look like data); a
 *    field the platform or kernel lacks holds its type's unknown value (PS_UNKNOWN_U64, NaN,
 *    ...; docs/abi.md);
 *  - every struct ends with a reserved tail the library zero-fills (docs/abi.md);
 *  - every function is thread-safe.
 */
#ifndef PSINFO_SYSTEM_H
#define PSINFO_SYSTEM_H

#include "common.h"
#include "proc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================== CPU ============================================== */

/**
 * CPU times in seconds (psutil scputimes). On Linux the fields are the columns of the
 * "cpu"/"cpuN" lines of `<proc>/stat` divided by the clock tick (sysconf(_SC_CLK_TCK)).
 * guest and guest_nice are already included in user and nice (kernel accounting).
 * A column the platform or kernel does not provide is NaN: Linux gives the ten columns below
 * user..guest_nice on any kernel since 2.6.33 (older ones fewer; unknown extra columns of
 * newer kernels are ignored) and dpc NaN; Windows gives user, system, idle, irq and dpc; macOS
 * user, nice, system and idle. psutil's scputimes on each platform has exactly the fields that
 * are not NaN (docs/system.md).
 */
typedef struct ps_cputimes {
    double user;        /**< normal processes in user mode */
    double nice;        /**< niced processes in user mode (Linux, macOS) */
    double system;      /**< kernel mode */
    double idle;        /**< idle */
    double iowait;      /**< waiting for I/O (Linux) */
    double irq;         /**< servicing hardware interrupts (Linux; Windows: psutil 8's "irq", was
                             "interrupt") */
    double softirq;     /**< servicing soft interrupts (Linux) */
    double steal;       /**< stolen by the hypervisor (Linux) */
    double guest;       /**< running a guest (Linux; included in user) */
    double guest_nice;  /**< running a niced guest (Linux; included in nice) */
    double dpc;         /**< servicing deferred procedure calls (Windows, psutil "dpc") */
    uint64_t reserved[8]; /**< room for later fields; zero-filled by the library (docs/abi.md) */
} ps_cputimes;

/** A list of per-CPU times, in the order the OS lists them (cpu0, cpu1, ... online CPUs). */
typedef struct ps_cputimes_list {
    size_t count;           /**< number of items */
    ps_cputimes *items;     /**< count entries */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_cputimes_list;

/**
 * System-wide CPU times (psutil cpu_times()).
 * @param[out] out receives the times (caller's storage).
 * @return 0, or PS_EINVAL, PS_ENOENT / PS_EPARSE (`<proc>/stat`), PS_ENOTSUP.
 */
PS_EXTERN int ps_cpu_times(ps_cputimes *out);
/**
 * Per-CPU times (psutil cpu_times(percpu=True)).
 * @param[out] out receives a list owned by the caller, freed with ps_cputimes_list_free().
 * @return 0, or PS_EINVAL, PS_ENOENT / PS_EPARSE, PS_ENOMEM, PS_ENOTSUP.
 */
PS_EXTERN int ps_cpu_times_percpu(ps_cputimes_list **out);
/**
 * Free a list from ps_cpu_times_percpu().
 * @param list the list; NULL is a no-op.
 */
PS_EXTERN void ps_cputimes_list_free(ps_cputimes_list *list);

/**
 * Busy percentage between two samples the caller kept (psutil cpu_percent(interval=None)
 * with the previous sample passed explicitly): 100 * busy delta / total delta, where total
 * excludes guest and guest_nice and busy excludes idle and iowait; each field delta is
 * clamped at 0; a field that is NaN in either sample (the platform lacks it) counts nothing;
 * rounded to one decimal as psutil; 0.0 when no time passed. Pure function (no OS access).
 * @param[in] before the earlier sample.
 * @param[in] after the later sample.
 * @param[out] out receives the percentage.
 * @return 0, or PS_EINVAL for a NULL argument.
 */
PS_EXTERN int ps_cpu_percent(const ps_cputimes *before, const ps_cputimes *after, double *out);
/**
 * Per-field percentages between two samples (psutil cpu_times_percent): each field delta *
 * 100 / max(1, total delta), rounded to one decimal, clamped to [0, 100]. A field that is NaN
 * in either sample is NaN in the result and adds nothing to the total. Pure function.
 * @param[in] before the earlier sample.
 * @param[in] after the later sample.
 * @param[out] out receives the percentages (may be the same struct as before or after).
 * @return 0, or PS_EINVAL for a NULL argument.
 */
PS_EXTERN int ps_cpu_times_percent(const ps_cputimes *before, const ps_cputimes *after,
                                   ps_cputimes *out);

/**
 * Number of logical CPUs online (psutil cpu_count()). On Linux: `<sys>/devices/system/cpu/online`,
 * then "processor" lines of `<proc>/cpuinfo`, then cpuN lines of `<proc>/stat`.
 * @param[out] out receives the number.
 * @return 0, or PS_EINVAL, PS_ENOTSUP when it cannot be determined.
 */
PS_EXTERN int ps_cpu_count_logical(int32_t *out);
/**
 * Number of physical cores (psutil cpu_count(logical=False)): unique
 * topology/core_cpus_list (or thread_siblings_list) contents, else the sum of "cpu cores" per
 * "physical id" in `<proc>/cpuinfo`.
 * @param[out] out receives the number.
 * @return 0, or PS_EINVAL, PS_ENOTSUP when unknown (psutil returns None) — never a guessed
 *         number.
 */
PS_EXTERN int ps_cpu_count_physical(int32_t *out);

/** CPU statistics since boot (psutil scpustats). */
typedef struct ps_cpustats {
    uint64_t ctx_switches;     /**< context switches ("ctxt") */
    uint64_t interrupts;       /**< interrupts ("intr" total) */
    uint64_t soft_interrupts;  /**< soft interrupts ("softirq" total); PS_UNKNOWN_U64 on Windows,
                                    which does not count them (psutil 0) */
    uint64_t syscalls;         /**< system calls; PS_UNKNOWN_U64 on Linux, which does not count
                                    them (psutil 0) */
    uint64_t reserved[8];      /**< room for later fields; zero-filled by the library */
} ps_cpustats;

/**
 * CPU statistics (psutil cpu_stats()).
 * @param[out] out receives the statistics (caller's storage).
 * @return 0, or PS_EINVAL, PS_ENOENT / PS_EPARSE, PS_ENOTSUP (macOS keeps no such counters).
 */
PS_EXTERN int ps_cpu_stats(ps_cpustats *out);

/** CPU frequency in MHz (psutil scpufreq). */
typedef struct ps_cpufreq {
    double current;    /**< the current frequency */
    double min;        /**< the lowest frequency; NaN when unknown (psutil 0.0) */
    double max;        /**< the highest frequency; NaN when unknown (psutil 0.0) */
    int32_t cpu;       /**< the logical CPU number of a per-CPU entry; PS_UNKNOWN_I32 in an
                            average, or where the source does not say which CPU it is */
    int32_t pad0;      /**< zero */
    uint64_t reserved[4]; /**< room for later fields; zero-filled by the library */
} ps_cpufreq;

/** Per-CPU frequencies; freed with ps_cpufreq_list_free(). */
typedef struct ps_cpufreq_list {
    size_t count;           /**< number of items */
    ps_cpufreq *items;      /**< count entries, sorted by CPU number */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_cpufreq_list;

/**
 * Per-CPU frequencies (psutil 8 cpu_freq(percpu=True)): one entry per online CPU, sorted by CPU
 * number. Linux: each cpufreq policy in sysfs applies to the CPUs of its affected_cpus (one
 * entry each; psutil <= 7 gave one entry per policy); offline CPUs belong to no policy and are
 * left out, as is a CPU whose policy has no current-frequency file and whose online file says
 * 0. current = scaling_cur_freq (else cpuinfo_cur_freq), or the "cpu MHz" of `<proc>/cpuinfo`
 * when it lists as many CPUs; min/max from scaling_min_freq/scaling_max_freq. Without cpufreq
 * in sysfs: the "cpu MHz" lines of `<proc>/cpuinfo`, min = max = NaN, cpu = PS_UNKNOWN_I32.
 * @param[out] out receives a list owned by the caller, freed with ps_cpufreq_list_free().
 * @return 0, or PS_EINVAL, PS_ENOMEM, PS_ENOTSUP when no source exists.
 */
PS_EXTERN int ps_cpu_freq_percpu(ps_cpufreq_list **out);
/**
 * Average over CPUs (psutil cpu_freq()); min/max are NaN when any CPU's is unknown.
 * @param[out] out receives the average (caller's storage); out->cpu is PS_UNKNOWN_I32.
 * @return 0, or PS_EINVAL, PS_ENOMEM, PS_ENOTSUP as ps_cpu_freq_percpu().
 */
PS_EXTERN int ps_cpu_freq(ps_cpufreq *out);
/**
 * Free a list from ps_cpu_freq_percpu().
 * @param list the list; NULL is a no-op.
 */
PS_EXTERN void ps_cpufreq_list_free(ps_cpufreq_list *list);

/**
 * Load averages over 1, 5 and 15 minutes (psutil getloadavg; `<proc>/loadavg`).
 * @param[out] out receives the three values.
 * @return 0, or PS_EINVAL, PS_ENOENT / PS_EPARSE, PS_ENOTSUP.
 */
PS_EXTERN int ps_getloadavg(double out[3]);

/**
 * System boot time (psutil boot_time; "btime" of `<proc>/stat`).
 * @param[out] out receives seconds since the epoch.
 * @return 0, or PS_EINVAL, PS_ENOENT / PS_EPARSE, PS_ENOTSUP.
 */
PS_EXTERN int ps_boot_time(double *out);

/* ===================================== memory =========================================== */

/** Information bits of ps_vmem.flags (facts about how the figures were obtained). */
typedef enum ps_vmem_flag {
    /** MemAvailable is missing (kernels before 3.14): available was estimated, as psutil does */
    PS_VMEM_AVAILABLE_ESTIMATED = 0x1
} ps_vmem_flag;

/**
 * Virtual memory in bytes (psutil svmem, Linux fields). From `<proc>/meminfo`:
 * total = MemTotal; available = MemAvailable (or, when missing, the kernel's estimate from
 * MemFree, Active(file), Inactive(file), SReclaimable and the "low" watermarks of
 * `<proc>/zoneinfo`, as psutil, with PS_VMEM_AVAILABLE_ESTIMATED set; clamped to [0, total]);
 * used = total - available (as `free` since procps 4.0.1; psutil < 6 used total - free -
 * buffers - cached); percent = (total - available) / total * 100 rounded to one decimal;
 * free = MemFree; active, inactive, buffers; cached = Cached + SReclaimable; shared = Shmem;
 * slab = Slab. A field the kernel does not report is PS_UNKNOWN_U64 (psutil warns and uses 0).
 * macOS (psutil's formulas; see docs/macos.md): total = hw.memsize, free = free - speculative
 * pages, available = inactive + free pages, used = active + wired, active, inactive, wired;
 * buffers, cached, shared and slab PS_UNKNOWN_U64.
 */
typedef struct ps_vmem {
    uint64_t total;      /**< physical memory */
    uint64_t available;  /**< what can be given to processes without swapping */
    double percent;      /**< (total - available) / total * 100 */
    uint64_t used;       /**< total - available on Linux (see above for other platforms) */
    uint64_t free;       /**< not used at all */
    uint64_t active;     /**< recently used; PS_UNKNOWN_U64 when not reported */
    uint64_t inactive;   /**< not recently used; PS_UNKNOWN_U64 when not reported */
    uint64_t buffers;    /**< file system metadata cache; PS_UNKNOWN_U64 when not reported */
    uint64_t cached;     /**< page cache (Cached + SReclaimable); PS_UNKNOWN_U64 when not reported */
    uint64_t shared;     /**< shared memory (Shmem); PS_UNKNOWN_U64 when not reported */
    uint64_t slab;       /**< kernel slab (Slab); PS_UNKNOWN_U64 when not reported */
    uint32_t flags;      /**< bit set of ps_vmem_flag */
    uint32_t pad0;       /**< zero */
    uint64_t wired;      /**< memory that never leaves RAM (macOS, BSD; Windows KernelNonpaged as
                              psutil 8). PS_UNKNOWN_U64 on Linux. */
    uint64_t reserved[16]; /**< room for later fields; zero-filled by the library */
} ps_vmem;

/**
 * Virtual memory (psutil virtual_memory()).
 * @param[out] out receives the figures (caller's storage).
 * @return 0, or PS_EINVAL, PS_ENOENT, PS_EPARSE when MemTotal or MemFree is missing,
 *         PS_ENOTSUP.
 */
PS_EXTERN int ps_virtual_memory(ps_vmem *out);

/**
 * Swap in bytes (psutil sswap): total/free from SwapTotal/SwapFree of `<proc>/meminfo`,
 * used = total - free, percent rounded to one decimal, sin/sout = pswpin/pswpout of
 * `<proc>/vmstat` times 4096 (psutil's fixed 4 KiB unit).
 */
typedef struct ps_swapmem {
    uint64_t total;    /**< swap space */
    uint64_t used;     /**< total - free */
    uint64_t free;     /**< unused swap */
    double percent;    /**< used / total * 100, rounded to one decimal */
    uint64_t sin;      /**< bytes swapped in since boot; PS_UNKNOWN_U64 when the OS does not
                            count them (Windows; a vmstat without pswpin: psutil warns, 0) */
    uint64_t sout;     /**< bytes swapped out since boot; PS_UNKNOWN_U64 as sin */
    uint64_t reserved[16]; /**< room for later fields; zero-filled by the library */
} ps_swapmem;

/**
 * Swap memory (psutil swap_memory()).
 * @param[out] out receives the figures (caller's storage).
 * @return 0, or PS_EINVAL, PS_ENOENT / PS_EPARSE, PS_ENOTSUP.
 */
PS_EXTERN int ps_swap_memory(ps_swapmem *out);

/* ===================================== disks ============================================ */

/** One mounted filesystem (psutil sdiskpart). Strings are owned by the list. */
typedef struct ps_disk_partition {
    char *device;      /**< the source; "" when it is "none" (as psutil) */
    char *mountpoint;  /**< where it is mounted */
    char *fstype;      /**< the filesystem type */
    char *opts;        /**< as /proc/mounts shows them: "rw,relatime,..." */
    uint64_t reserved[4]; /**< room for later fields; zero-filled by the library */
} ps_disk_partition;

/** Mounted filesystems; freed with ps_disk_partition_list_free(). */
typedef struct ps_disk_partition_list {
    size_t count;               /**< number of items */
    ps_disk_partition *items;   /**< count entries, in mount order */
    uint64_t reserved[2];       /**< room for later fields; zero-filled by the library */
} ps_disk_partition_list;

/**
 * Mounted filesystems (psutil disk_partitions(all)), read from `<proc>/self/mountinfo` with the
 * kernel's escapes (\\040 \\011 \\012 \\134) undone before decoding. all = 0 keeps only entries
 * with a device and a filesystem type listed in `<proc>/filesystems` without "nodev" (plus zfs),
 * as psutil. Never calls statvfs (a dead network mount cannot hang it).
 * @param all 0 or 1.
 * @param[out] out receives a list owned by the caller, freed with ps_disk_partition_list_free().
 * @return 0, or PS_EINVAL (all not 0 or 1, out NULL), PS_ENOENT / PS_EPARSE, PS_ENOMEM,
 *         PS_ENOTSUP.
 */
PS_EXTERN int ps_disk_partitions(int all, ps_disk_partition_list **out);
/**
 * Free a list from ps_disk_partitions(), its items and strings.
 * @param list the list; NULL is a no-op.
 */
PS_EXTERN void ps_disk_partition_list_free(ps_disk_partition_list *list);

/** Disk usage in bytes, the user's view like df (psutil sdiskusage). */
typedef struct ps_diskusage {
    uint64_t total;    /**< f_blocks * f_frsize */
    uint64_t used;     /**< (f_blocks - f_bfree) * f_frsize */
    uint64_t free;     /**< f_bavail * f_frsize (what an unprivileged user may still use) */
    double percent;    /**< used / (used + free) * 100, rounded to one decimal */
    uint64_t reserved[4]; /**< room for later fields; zero-filled by the library */
} ps_diskusage;

/**
 * Usage of the filesystem holding path (statvfs; psutil disk_usage()).
 * @param[in] path UTF-8 as returned by this library (surrogate escapes are turned back into the
 *        original bytes with ps_fsencode()).
 * @param[out] out receives the figures (caller's storage).
 * @return 0, or PS_EINVAL, PS_ENOENT when path does not exist, PS_EACCES when it cannot be
 *         reached, PS_EIO.
 */
PS_EXTERN int ps_disk_usage(const char *path, ps_diskusage *out);

/** Disk I/O counters (psutil sdiskio, Linux fields). Times in milliseconds. */
typedef struct ps_diskio {
    uint64_t read_count;          /**< reads completed */
    uint64_t write_count;         /**< writes completed */
    uint64_t read_bytes;          /**< sectors read * 512 (modulo 2^64) */
    uint64_t write_bytes;         /**< sectors written * 512 (modulo 2^64) */
    uint64_t read_time;           /**< ms spent reading */
    uint64_t write_time;          /**< ms spent writing */
    uint64_t read_merged_count;   /**< reads merged (Linux) */
    uint64_t write_merged_count;  /**< writes merged (Linux) */
    uint64_t busy_time;           /**< ms spent doing I/O (Linux) */
    uint64_t reserved[8];         /**< room for later fields; zero-filled by the library */
} ps_diskio;

/** The counters of one disk or partition. */
typedef struct ps_diskio_entry {
    char *name;          /**< kernel name: "sda", "sda1", "nvme0n1", ...; owned by the list */
    ps_diskio counters;  /**< its counters */
    uint64_t reserved[4]; /**< room for later fields; zero-filled by the library */
} ps_diskio_entry;

/** Per-disk counters; freed with ps_diskio_list_free(). */
typedef struct ps_diskio_list {
    size_t count;             /**< number of items */
    ps_diskio_entry *items;   /**< count entries */
    uint64_t reserved[2];     /**< room for later fields; zero-filled by the library */
} ps_diskio_list;

/**
 * Totals over whole disks (an entry counts when `<sys>/block/NAME` exists, as psutil); from
 * `<proc>/diskstats`. No wrap correction (psutil's nowrap keeps hidden state; keep two samples
 * yourself).
 * @param[out] out receives the totals (caller's storage).
 * @return 0, or PS_EINVAL, PS_ENOENT when there is no disk (psutil returns None), PS_EPARSE,
 *         PS_ENOMEM, PS_ENOTSUP.
 */
PS_EXTERN int ps_disk_io_counters(ps_diskio *out);
/**
 * Every line of `<proc>/diskstats` (disks and partitions, psutil perdisk=True).
 * @param[out] out receives a list owned by the caller, freed with ps_diskio_list_free().
 * @return 0, or PS_EINVAL, PS_ENOENT / PS_EPARSE, PS_ENOMEM, PS_ENOTSUP.
 */
PS_EXTERN int ps_disk_io_counters_perdisk(ps_diskio_list **out);
/**
 * Free a list from ps_disk_io_counters_perdisk(), its items and strings.
 * @param list the list; NULL is a no-op.
 */
PS_EXTERN void ps_diskio_list_free(ps_diskio_list *list);

/* ===================================== sensors ========================================== */

/** One temperature sensor in degrees Celsius (psutil shwtemp plus the unit's name). */
typedef struct ps_temperature {
    char *unit;        /**< the hwmon "name" (or thermal zone "type"): psutil's dict key */
    char *label;       /**< "" when the sensor has no label */
    double current;    /**< the temperature */
    double high;       /**< the high threshold; NaN when unknown (psutil None) */
    double critical;   /**< the critical threshold; NaN when unknown (psutil None) */
    uint64_t reserved[4]; /**< room for later fields; zero-filled by the library */
} ps_temperature;

/** Temperatures; freed with ps_temperature_list_free(). */
typedef struct ps_temperature_list {
    size_t count;              /**< number of items */
    ps_temperature *items;     /**< count sensors */
    uint64_t reserved[2];      /**< room for later fields; zero-filled by the library */
} ps_temperature_list;

/**
 * Temperatures (psutil sensors_temperatures): `<sys>/class/hwmon/hwmon* /temp*_input` (and
 * device/, and coretemp platform devices), else `<sys>/class/thermal/thermal_zone*`. Sorted as
 * psutil sorts its paths; grouped by unit in that order. No sensors → an empty list.
 * @param[out] out receives a list owned by the caller, freed with ps_temperature_list_free().
 * @return 0, or PS_EINVAL, PS_ENOMEM, PS_ENOTSUP.
 */
PS_EXTERN int ps_sensors_temperatures(ps_temperature_list **out);
/**
 * Free a list from ps_sensors_temperatures(), its items and strings.
 * @param list the list; NULL is a no-op.
 */
PS_EXTERN void ps_temperature_list_free(ps_temperature_list *list);

/** One fan in RPM (psutil sfan plus the unit's name). */
typedef struct ps_fan {
    char *unit;        /**< the hwmon "name": psutil's dict key */
    char *label;       /**< "" when the fan has no label */
    int64_t current;   /**< revolutions per minute */
    uint64_t reserved[4]; /**< room for later fields; zero-filled by the library */
} ps_fan;

/** Fans; freed with ps_fan_list_free(). */
typedef struct ps_fan_list {
    size_t count;           /**< number of items */
    ps_fan *items;          /**< count fans */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_fan_list;

/**
 * Fans (psutil sensors_fans; `<sys>/class/hwmon`). No fans → an empty list.
 * @param[out] out receives a list owned by the caller, freed with ps_fan_list_free().
 * @return 0, or PS_EINVAL, PS_ENOMEM, PS_ENOTSUP.
 */
PS_EXTERN int ps_sensors_fans(ps_fan_list **out);
/**
 * Free a list from ps_sensors_fans(), its items and strings.
 * @param list the list; NULL is a no-op.
 */
PS_EXTERN void ps_fan_list_free(ps_fan_list *list);

/** ps_battery.secsleft: the time left cannot be known (psutil POWER_TIME_UNKNOWN, its value). */
#define PS_POWER_TIME_UNKNOWN -1
/** ps_battery.secsleft: plugged in, no limit (psutil POWER_TIME_UNLIMITED, its value). */
#define PS_POWER_TIME_UNLIMITED -2

/** Battery state (psutil sbattery). */
typedef struct ps_battery {
    int32_t present;        /**< 1 when there is a battery; 0: none (psutil returns None), and
                                 every other field is unknown */
    int32_t power_plugged;  /**< 1 plugged in, 0 on battery; PS_UNKNOWN_I32 when unknown (psutil None) */
    double percent;         /**< charge, 0..100; NaN when there is no battery or the OS does
                                 not know it (Windows BatteryLifePercent 255: psutil 255) */
    int64_t secsleft;       /**< seconds, or PS_POWER_TIME_UNKNOWN / PS_POWER_TIME_UNLIMITED */
    uint64_t reserved[8];   /**< room for later fields; zero-filled by the library */
} ps_battery;

/**
 * Battery (psutil sensors_battery; `<sys>/class/power_supply/BAT*` or *battery*).
 * @param[out] out receives the state (caller's storage); out->present = 0 when there is none
 *        (not an error).
 * @return 0, or PS_EINVAL, PS_ENOMEM, PS_ENOTSUP.
 */
PS_EXTERN int ps_sensors_battery(ps_battery *out);

/* ===================================== users ============================================ */

/** A logged-in user (psutil suser). Strings are owned by the list. */
typedef struct ps_user {
    char *name;       /**< the user name */
    char *terminal;   /**< the tty; NULL when the record has none (always on Windows; psutil
                           None) */
    char *host;       /**< the remote host; NULL when the record has none (a local login, a
                           Windows session without an IPv4 client address; psutil '' on Linux
                           and BSD, None on macOS and Windows) */
    double started;   /**< login time, seconds since the epoch; NaN when the OS does not say */
    int64_t pid;      /**< the login process; PS_UNKNOWN_I64 on Windows (psutil None) */
    uint64_t reserved[4]; /**< room for later fields; zero-filled by the library */
} ps_user;

/** Users logged in; freed with ps_user_list_free(). */
typedef struct ps_user_list {
    size_t count;           /**< number of items */
    ps_user *items;         /**< count users */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_user_list;

/**
 * Users logged in (psutil users()): USER_PROCESS records of the utmp file (Linux: parsed
 * directly from `<run root>/utmp`, reentrant; no file → an empty list).
 * @param[out] out receives a list owned by the caller, freed with ps_user_list_free().
 * @return 0, or PS_EINVAL, PS_EPARSE, PS_ENOMEM, PS_ENOTSUP.
 */
PS_EXTERN int ps_users(ps_user_list **out);
/**
 * Free a list from ps_users(), its items and strings.
 * @param list the list; NULL is a no-op.
 */
PS_EXTERN void ps_user_list_free(ps_user_list *list);

/* ===================================== containers (beyond psutil) ====================== */

/** Whether a limit is known, absent or set. */
typedef enum ps_limit_state {
    PS_LIMIT_UNKNOWN = 0,  /**< no cgroup controller found or readable: nothing is known */
    PS_LIMIT_NONE = 1,     /**< the controller exists and says "no limit" ("max", -1) */
    PS_LIMIT_SET = 2       /**< a limit is set: the value field holds it */
} ps_limit_state;

/**
 * The cgroup limits that apply to a process (psutil #2100, #1122, #490). cgroup v2 first
 * (memory.max, memory.current, cpu.max in the process's cgroup under the cgroup2 mount), then
 * v1 (memory.limit_in_bytes, memory.usage_in_bytes, cpu.cfs_quota_us / cpu.cfs_period_us).
 * The cgroup path comes from `<proc>/PID/cgroup` and the mount points from
 * `<proc>/self/mountinfo`. memory_limit / cpu_quota_us are the process's own cgroup's; the
 * effective_* fields are the tightest limits of the cgroup and every ancestor visible under the
 * mount (a limit on a parent cgroup — a Kubernetes pod, a systemd slice — applies to the
 * children). A value field whose state is not PS_LIMIT_SET holds its type's unknown value.
 */
typedef struct ps_cgroup_limits {
    char *path;                  /**< the cgroup path ("/user.slice/..."), or ""; owned by the struct */
    int32_t memory_version;      /**< 2 or 1: which hierarchy gave the memory figures; 0 none */
    int32_t memory_limit_state;  /**< a ps_limit_state */
    uint64_t memory_limit;       /**< bytes, when PS_LIMIT_SET; else PS_UNKNOWN_U64 */
    uint64_t memory_usage;       /**< bytes (memory.current / memory.usage_in_bytes);
                                      PS_UNKNOWN_U64 when not readable */
    int32_t cpu_version;         /**< 2 or 1: which hierarchy gave the CPU quota; 0 none */
    int32_t cpu_quota_state;     /**< a ps_limit_state */
    int64_t cpu_quota_us;        /**< microseconds per period, when PS_LIMIT_SET; else PS_UNKNOWN_I64 */
    int64_t cpu_period_us;       /**< microseconds, when PS_LIMIT_SET; else PS_UNKNOWN_I64 */
    int32_t affinity_count;      /**< CPUs in the process's affinity mask (Cpus_allowed_list);
                                      PS_UNKNOWN_I32 when not readable */
    int32_t usable_cpus;         /**< min(affinity_count, ceil(effective_cpu_limit)) when a
                                      quota applies, else affinity_count */
    int32_t effective_memory_limit_state; /**< ps_limit_state of the tightest memory limit of
                                      the cgroup and its ancestors (up to the mount's root) */
    int32_t effective_cpu_limit_state;    /**< ps_limit_state of the tightest CPU quota of the
                                      cgroup and its ancestors */
    uint64_t effective_memory_limit;      /**< bytes, when PS_LIMIT_SET; else PS_UNKNOWN_U64 */
    double effective_cpu_limit;  /**< CPUs' worth of time (quota / period), when PS_LIMIT_SET;
                                      else NaN */
    uint64_t reserved[16];       /**< room for later fields; zero-filled by the library */
} ps_cgroup_limits;

/**
 * Cgroup limits of a process. The handle pins the process's identity: the files are read
 * through it, so a reused PID never yields another process's limits (the raw-pid form
 * ps_cgroup_limits_get of earlier versions was removed for that reason; for the calling
 * process use ps_proc_open_self()).
 * @param proc an open handle (borrowed).
 * @param[out] out receives a struct owned by the caller, freed with ps_cgroup_limits_free().
 * @return 0, or PS_EINVAL (NULL arguments), PS_ENOPROC when the process is gone, PS_EACCES,
 *         PS_ENOMEM, PS_ENOTSUP (no cgroups on this platform).
 */
PS_EXTERN int ps_proc_cgroup_limits(const ps_proc *proc, ps_cgroup_limits **out);
/**
 * Free a struct from ps_proc_cgroup_limits().
 * @param limits the struct; NULL is a no-op.
 */
PS_EXTERN void ps_cgroup_limits_free(ps_cgroup_limits *limits);
/**
 * The number of CPUs a process can really use: its affinity mask intersected with its
 * effective cgroup CPU quota, ceil(quota / period) (psutil #1122's usable_cpu_count).
 * @param proc an open handle (borrowed).
 * @param[out] out receives the number.
 * @return 0, or the codes of ps_proc_cgroup_limits(); PS_ENOTSUP when the affinity is unknown.
 */
PS_EXTERN int ps_proc_cpu_count_usable(const ps_proc *proc, int32_t *out);
/**
 * ps_proc_cpu_count_usable() for the calling process (which cannot be replaced by another
 * while it runs, so no handle is needed): how many worker threads are worth starting.
 * @param[out] out receives the number.
 * @return 0, or PS_EINVAL, PS_ENOMEM, PS_ENOTSUP when the affinity is unknown.
 */
PS_EXTERN int ps_cpu_count_usable(int32_t *out);

#ifdef __cplusplus
}
#endif

#endif /* PSINFO_SYSTEM_H */
