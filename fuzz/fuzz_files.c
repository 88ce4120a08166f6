/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harnesses for the parsers that read files through the configurable roots (the
 * system-wide and network readers, the cgroup reader, the process table): the input is written
 * into a fixture tree under $PSFUZZ_TMP (else /dev/shm or $TMPDIR) that PS_ROOT_PROC and PS_ROOT_SYS point at,
 * and the public functions that read it are called. Harnesses reading several files take them
 * from one input split on NUL bytes, in the order listed. One binary per target (-DFUZZ_<NAME>):
 *   MEMINFO       meminfo                         ps_virtual_memory, ps_swap_memory
 *   CPUINFO       cpuinfo                         ps_cpu_count_physical/logical, ps_cpu_freq
 *   PROCSTAT      stat                            ps_cpu_times(_percpu), ps_cpu_stats, ps_boot_time
 *   LOADAVG       loadavg                         ps_getloadavg
 *   MOUNTINFO     self/mountinfo \0 filesystems   ps_disk_partitions(0 and 1)
 *   DISKSTATS     diskstats                       ps_disk_io_counters(_perdisk)
 *   NETDEV        net/dev                         ps_net_io_counters(_pernic)
 *   NETTCP        net/tcp \0 net/tcp6             ps_net_connections(TCP)
 *   NETUDP        net/udp \0 net/udp6             ps_net_connections(UDP)
 *   NETUNIX       net/unix                        ps_net_connections(UNIX)
 *   CGROUP        self/cgroup \0 self/status \0 self/mountinfo   ps__cgroup_limits_pid(0), ps_cpu_count_usable
 *   PTABLE        1/stat \0 1/status \0 1/statm \0 1/io \0 stat \0 1/cmdline (the rest, NULs kept)   ps_ptable_scan, ps_pids
 * Every call must return 0 or a PS_E* code, and every string in a result must be valid
 * surrogate-escaped UTF-8 (ps_fsencode accepts it).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psinfo.h"
#include "test_hooks.h"   /* ps__cgroup_limits_pid: the fixture tree has no process to pin */

#define CHECK(c) do { if (!(c)) { __builtin_trap(); } } while (0)

static char root_proc[256], root_sys[256];

static void mkdirs(const char *base, const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    for (char *s = p + strlen(base) + 1; *s; s++) {
        if (*s == '/') { *s = '\0'; mkdir(p, 0755); *s = '/'; }
    }
    mkdir(p, 0755);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    const char *tmp = getenv("PSFUZZ_TMP");
    if (!tmp) tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    char base[200];
    snprintf(base, sizeof base, "%s/psfuzz.XXXXXX", tmp);
    CHECK(mkdtemp(base));
    snprintf(root_proc, sizeof root_proc, "%s/proc", base);
    snprintf(root_sys, sizeof root_sys, "%s/sys", base);
    mkdir(root_proc, 0755);
    mkdir(root_sys, 0755);
    mkdirs(root_proc, "self");
    mkdirs(root_proc, "net");
    mkdirs(root_proc, "1");
    CHECK(ps_set_root(PS_ROOT_PROC, root_proc) == 0);
    CHECK(ps_set_root(PS_ROOT_SYS, root_sys) == 0);
    return 0;
}

static void put_file(const char *rel, const uint8_t *d, size_t n)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root_proc, rel);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    while (n > 0) {
        ssize_t w = write(fd, d, n);
        CHECK(w > 0);
        d += w;
        n -= (size_t)w;
    }
    close(fd);
}

/* Split the input on NUL into up to n files (missing ones are written empty). */
static void put_files(const char *const *rels, int n, const uint8_t *d, size_t size)
{
    for (int i = 0; i < n; i++) {
        const uint8_t *z = i < n - 1 ? memchr(d, 0, size) : NULL;
        size_t len = z ? (size_t)(z - d) : size;
        put_file(rels[i], d, len);
        if (z) { d = z + 1; size -= len + 1; } else { d += len; size = 0; }
    }
}

static int ok(int rc)
{
    CHECK(rc == 0 || (rc <= PS_EINVAL && rc >= PS_ERANGE));
    return rc == 0;
}

static void str_ok(const char *s)
{
    if (!s) return;
    char *b = NULL;
    CHECK(ps_fsencode(s, strlen(s), &b, NULL) == 0 || ps_get_errors_policy() == PS_ERRORS_REPLACE);
    ps_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if defined(FUZZ_MEMINFO)
    put_file("meminfo", data, size);
    ps_vmem vm;
    ps_swapmem sm;
    if (ok(ps_virtual_memory(&vm))) CHECK(vm.percent == vm.percent);
    ok(ps_swap_memory(&sm));
#elif defined(FUZZ_CPUINFO)
    put_file("cpuinfo", data, size);
    int32_t n;
    ps_cpufreq f;
    ok(ps_cpu_count_physical(&n));
    ok(ps_cpu_count_logical(&n));
    ok(ps_cpu_freq(&f));
#elif defined(FUZZ_PROCSTAT)
    put_file("stat", data, size);
    ps_cputimes t;
    ps_cputimes_list *l = NULL;
    ps_cpustats cs;
    double bt;
    int32_t n;
    if (ok(ps_cpu_times(&t))) {
        double pct;
        ps_cputimes tp;
        ok(ps_cpu_percent(&t, &t, &pct));
        ok(ps_cpu_times_percent(&t, &t, &tp));
    }
    if (ok(ps_cpu_times_percpu(&l))) CHECK(l != NULL);
    ps_cputimes_list_free(l);
    ok(ps_cpu_stats(&cs));
    ok(ps_boot_time(&bt));
    ok(ps_cpu_count_logical(&n));
#elif defined(FUZZ_LOADAVG)
    put_file("loadavg", data, size);
    double load[3];
    ok(ps_getloadavg(load));
#elif defined(FUZZ_MOUNTINFO)
    static const char *const rels[] = {"self/mountinfo", "filesystems"};
    put_files(rels, 2, data, size);
    for (int all = 0; all < 2; all++) {
        ps_disk_partition_list *l = NULL;
        if (ok(ps_disk_partitions(all, &l))) {
            for (size_t i = 0; i < l->count; i++) {
                str_ok(l->items[i].device); str_ok(l->items[i].mountpoint);
                str_ok(l->items[i].fstype); str_ok(l->items[i].opts);
            }
        }
        ps_disk_partition_list_free(l);
    }
#elif defined(FUZZ_DISKSTATS)
    put_file("diskstats", data, size);
    ps_diskio io;
    ps_diskio_list *l = NULL;
    ok(ps_disk_io_counters(&io));
    if (ok(ps_disk_io_counters_perdisk(&l)))
        for (size_t i = 0; i < l->count; i++) str_ok(l->items[i].name);
    ps_diskio_list_free(l);
#elif defined(FUZZ_NETDEV)
    put_file("net/dev", data, size);
    ps_netio io;
    ps_netio_list *l = NULL;
    ok(ps_net_io_counters(&io));
    if (ok(ps_net_io_counters_pernic(&l)))
        for (size_t i = 0; i < l->count; i++) str_ok(l->items[i].name);
    ps_netio_list_free(l);
#elif defined(FUZZ_NETTCP) || defined(FUZZ_NETUDP) || defined(FUZZ_NETUNIX)
#if defined(FUZZ_NETTCP)
    static const char *const rels[] = {"net/tcp", "net/tcp6"};
    put_files(rels, 2, data, size);
    ps_conn_kind kind = PS_CONN_KIND_TCP;
#elif defined(FUZZ_NETUDP)
    static const char *const rels[] = {"net/udp", "net/udp6"};
    put_files(rels, 2, data, size);
    ps_conn_kind kind = PS_CONN_KIND_UDP;
#else
    put_file("net/unix", data, size);
    ps_conn_kind kind = PS_CONN_KIND_UNIX;
#endif
    ps_connection_list *l = NULL;
    if (ok(ps_net_connections(kind, &l))) {
        for (size_t i = 0; i < l->count; i++) {
            str_ok(l->items[i].laddr.ip); str_ok(l->items[i].raddr.ip); str_ok(l->items[i].path);
            CHECK(l->items[i].laddr.port >= 0 && l->items[i].laddr.port <= 65535);
            CHECK(ps_conn_status_name(l->items[i].status) != NULL);
        }
    }
    ps_connection_list_free(l);
#elif defined(FUZZ_CGROUP)
    static const char *const rels[] = {"self/cgroup", "self/status", "self/mountinfo"};
    put_files(rels, 3, data, size);
    ps_cgroup_limits *lim = NULL;
    int32_t n;
    if (ok(ps__cgroup_limits_pid(0, &lim))) str_ok(lim->path);
    ps_cgroup_limits_free(lim);
    ok(ps_cpu_count_usable(&n));
#elif defined(FUZZ_PTABLE)
    static const char *const rels[] = {"1/stat", "1/status", "1/statm", "1/io", "stat", "1/cmdline"};
    put_files(rels, 6, data, size);
    ps_ptable *t = NULL;
    if (ok(ps_ptable_scan(PS_PT_ALL, PS_PT_KEEP_PARTIAL, &t))) {
        for (size_t i = 0; i < t->count; i++) {
            const ps_ptable_record *r = &t->records[i];
            str_ok(r->name); str_ok(r->exe); str_ok(r->cwd); str_ok(r->username); str_ok(r->terminal);
            for (size_t j = 0; j < r->cmdline_count; j++) str_ok(r->cmdline[j]);
        }
    }
    ps_ptable_free(t);
    ps_pid_list *pl = NULL;
    ok(ps_pids(&pl));
    ps_pid_list_free(pl);
#else
#error "define one FUZZ_* target"
#endif
    return 0;
}
