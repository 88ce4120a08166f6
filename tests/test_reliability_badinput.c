/* SPDX-License-Identifier: MIT */
/*
 * The bad-input matrix: every public function with NULL pointers, bad PIDs (0,
 * negative, above pid_max), NaN / negative timeouts, values outside enums, and a handle of a
 * process that is gone -> the PS_E* code its header documents, with the thread's error detail
 * naming the same code. scripts/api-coverage.sh (a meson test) fails when a PS_EXTERN function
 * of include/psinfo/ is not named in this file. Every test also checks that no fd leaked.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "psinfo.h"
#include "test_hooks.h"   /* ps__wait_force_fallback */
#include "helpers/fdcheck.h"

static int fds_before;
static void fd_setup(void) { fds_before = fdcheck_count(); }
static void fd_teardown(void)
{
    int after = fdcheck_count();
    if (after != fds_before) fdcheck_dump(stderr);
    cr_assert_eq(after, fds_before, "open fds: %d before, %d after", fds_before, after);
}
TestSuite(badinput, .init = fd_setup, .fini = fd_teardown);

/* rc must be want, and the calling thread's error detail must carry the same code. */
#define EXPECT(call, want)                                                                        \
    do {                                                                                          \
        int rc_ = (call);                                                                         \
        cr_expect_eq(rc_, (want), "%s: got %d (%s), want %s", #call, rc_, ps_err_name(rc_), #want); \
        if (rc_ != 0) {                                                                           \
            ps_error_detail d_;                                                                   \
            cr_expect_eq(ps_error_last(&d_), 0);                                                  \
            cr_expect_eq(d_.code, rc_, "%s: error detail code %d, returned %d", #call, d_.code, rc_); \
            cr_expect(d_.message[0] != '\0', "%s: empty error message", #call);                 \
        }                                                                                         \
    } while (0)

static int64_t pid_max(void)
{
    FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
    long long v = 4194304;
    if (f) {
        if (fscanf(f, "%lld", &v) != 1) v = 4194304;
        fclose(f);
    }
    return v;
}

Test(badinput, null_out_pointers_common)
{
    /* The error-reporting function itself leaves the detail alone. */
    cr_expect_eq(ps_error_last(NULL), PS_EINVAL);
    size_t n;
    EXPECT(ps_fsdecode("a", 1, NULL, &n), PS_EINVAL);
    EXPECT(ps_fsdecode(NULL, 1, (char **)&n, NULL), PS_EINVAL);
    EXPECT(ps_fsdecode_policy("a", 1, PS_ERRORS_REPLACE, NULL, NULL), PS_EINVAL);
    EXPECT(ps_fsdecode_policy(NULL, 2, PS_ERRORS_REPLACE, (char **)&n, NULL), PS_EINVAL);
    EXPECT(ps_utf16_decode_policy(NULL, 2, PS_ERRORS_REPLACE, (char **)&n, NULL), PS_EINVAL);
    uint16_t u = 'a';
    EXPECT(ps_utf16_decode_policy(&u, 1, PS_ERRORS_REPLACE, NULL, NULL), PS_EINVAL);
    EXPECT(ps_fsencode(NULL, 1, (char **)&n, NULL), PS_EINVAL);
    EXPECT(ps_fsencode("a", 1, NULL, NULL), PS_EINVAL);
    EXPECT(ps_get_root(PS_ROOT_PROC, NULL), PS_EINVAL);
    /* NULL with length 0 is an empty input, not an error. */
    char *s = NULL;
    EXPECT(ps_fsdecode(NULL, 0, &s, NULL), 0);
    cr_expect_str_eq(s, "");
    ps_free(s);
    ps_free(NULL);
    ps_error_clear();
}

Test(badinput, null_out_pointers_proc)
{
    ps_proc *p = NULL;
    cr_assert_eq(ps_proc_open_self(&p), 0);
    EXPECT(ps_proc_open(getpid(), NULL), PS_EINVAL);
    EXPECT(ps_proc_open_self(NULL), PS_EINVAL);
    EXPECT(ps_proc_is_running(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_name(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_exe(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_cmdline(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_environ(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_cwd(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_username(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_uids(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_gids(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_terminal(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_ppid(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_parent(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_children(p, 0, NULL), PS_EINVAL);
    EXPECT(ps_proc_status(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_create_time(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_cpu_times(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_cpu_sample_take(p, NULL), PS_EINVAL);
    ps_proc_cpu_sample a = {.cpu_seconds = 1.0, .timestamp = 1.0};
    ps_proc_cpu_sample b = {.cpu_seconds = 2.0, .timestamp = 2.0};
    double d;
    EXPECT(ps_proc_cpu_percent(NULL, &b, &d), PS_EINVAL);
    EXPECT(ps_proc_cpu_percent(&a, NULL, &d), PS_EINVAL);
    EXPECT(ps_proc_cpu_percent(&a, &b, NULL), PS_EINVAL);
    EXPECT(ps_proc_cpu_num(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_cpu_affinity(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_set_cpu_affinity(p, NULL, 2), PS_EINVAL);
    EXPECT(ps_proc_nice(p, NULL), PS_EINVAL);
    int32_t v;
    int32_t c;
    EXPECT(ps_proc_ionice(p, NULL, &v), PS_EINVAL);
    EXPECT(ps_proc_ionice(p, &c, NULL), PS_EINVAL);
    int64_t soft, hard;
    EXPECT(ps_proc_rlimit(p, PS_RLIMIT_NOFILE, NULL, &hard), PS_EINVAL);
    EXPECT(ps_proc_rlimit(p, PS_RLIMIT_NOFILE, &soft, NULL), PS_EINVAL);
    EXPECT(ps_proc_memory_info(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_memory_full_info(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_memory_info_ex(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_memory_footprint(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_memory_percent(p, PS_MEMTYPE_RSS, NULL), PS_EINVAL);
    EXPECT(ps_proc_memory_percent(p, -1, &d), PS_EINVAL);
    EXPECT(ps_proc_memory_percent(p, PS_MEMTYPE_COUNT, &d), PS_EINVAL);
    EXPECT(ps_proc_memory_percent(p, INT32_MAX, &d), PS_EINVAL);
    EXPECT(ps_proc_parents(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_memory_maps(p, 0, NULL), PS_EINVAL);
    EXPECT(ps_proc_page_faults(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_num_threads(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_threads(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_num_fds(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_num_handles(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_num_ctx_switches(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_io_counters(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_open_files(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_cgroup(p, NULL), PS_EINVAL);
    EXPECT(ps_proc_snapshot(p, PS_PT_ALL, NULL), PS_EINVAL);
    EXPECT(ps_proc_net_connections(p, PS_CONN_KIND_ALL, NULL), PS_EINVAL);
    EXPECT(ps_proc_wait(p, 0.0, NULL), PS_EINVAL);
    ps_proc *hs[1] = {p};
    ps_wait_status st[1];
    EXPECT(ps_proc_wait_many(hs, 1, 0.0, PS_WAIT_ANY, NULL, NULL), PS_EINVAL);
    EXPECT(ps_proc_wait_many(NULL, 1, 0.0, PS_WAIT_ANY, st, NULL), PS_EINVAL);
    ps_proc *hn[2] = {p, NULL};
    ps_wait_status st2[2];
    EXPECT(ps_proc_wait_many(hn, 2, 0.0, PS_WAIT_ANY, st2, NULL), PS_EINVAL);
    ps_proc_free(p);
}

Test(badinput, null_handle)
{
    char *s;
    int64_t i64;
    int32_t i32;
    int running;
    double d;
    ps_proc *q;
    ps_proc_ids ids;
    ps_proc_str_list *sl;
    ps_proc_environ_list *el;
    ps_proc_list *pl;
    int32_t status;
    ps_proc_cputimes ct;
    ps_proc_cpu_sample smp;
    ps_proc_cpu_list *cl;
    int32_t ioc;
    ps_proc_mem mem;
    ps_proc_fullmem fm;
    ps_proc_mmap_list *ml;
    ps_proc_pagefaults pf;
    ps_proc_thread_list *tl;
    ps_proc_ctxsw cs;
    ps_proc_io io;
    ps_proc_open_file_list *of;
    ps_ptable *t;
    ps_connection_list *conns;
    ps_wait_result wr;
    int32_t cpu = 0;
    cr_expect_eq(ps_proc_pid(NULL), -1);
    EXPECT(ps_proc_is_running(NULL, &running), PS_EINVAL);
    EXPECT(ps_proc_name(NULL, &s), PS_EINVAL);
    EXPECT(ps_proc_exe(NULL, &s), PS_EINVAL);
    EXPECT(ps_proc_cmdline(NULL, &sl), PS_EINVAL);
    EXPECT(ps_proc_environ(NULL, &el), PS_EINVAL);
    EXPECT(ps_proc_cwd(NULL, &s), PS_EINVAL);
    EXPECT(ps_proc_username(NULL, &s), PS_EINVAL);
    EXPECT(ps_proc_uids(NULL, &ids), PS_EINVAL);
    EXPECT(ps_proc_gids(NULL, &ids), PS_EINVAL);
    EXPECT(ps_proc_terminal(NULL, &s), PS_EINVAL);
    EXPECT(ps_proc_ppid(NULL, &i64), PS_EINVAL);
    EXPECT(ps_proc_parent(NULL, &q), PS_EINVAL);
    EXPECT(ps_proc_children(NULL, 1, &pl), PS_EINVAL);
    EXPECT(ps_proc_status(NULL, &status), PS_EINVAL);
    EXPECT(ps_proc_create_time(NULL, &d), PS_EINVAL);
    EXPECT(ps_proc_cpu_times(NULL, &ct), PS_EINVAL);
    EXPECT(ps_proc_cpu_sample_take(NULL, &smp), PS_EINVAL);
    EXPECT(ps_proc_cpu_num(NULL, &i32), PS_EINVAL);
    EXPECT(ps_proc_cpu_affinity(NULL, &cl), PS_EINVAL);
    EXPECT(ps_proc_set_cpu_affinity(NULL, &cpu, 1), PS_EINVAL);
    EXPECT(ps_proc_nice(NULL, &i32), PS_EINVAL);
    EXPECT(ps_proc_set_nice(NULL, 0), PS_EINVAL);
    EXPECT(ps_proc_ionice(NULL, &ioc, &i32), PS_EINVAL);
    EXPECT(ps_proc_set_ionice(NULL, PS_IOPRIO_CLASS_BE, 4), PS_EINVAL);
    EXPECT(ps_proc_rlimit(NULL, PS_RLIMIT_NOFILE, &i64, &i64), PS_EINVAL);
    EXPECT(ps_proc_set_rlimit(NULL, PS_RLIMIT_CORE, 0, 0), PS_EINVAL);
    EXPECT(ps_proc_memory_info(NULL, &mem), PS_EINVAL);
    EXPECT(ps_proc_memory_full_info(NULL, &fm), PS_EINVAL);
    ps_proc_mem_ex mex;
    ps_proc_footprint fp;
    EXPECT(ps_proc_memory_info_ex(NULL, &mex), PS_EINVAL);
    EXPECT(ps_proc_memory_footprint(NULL, &fp), PS_EINVAL);
    EXPECT(ps_proc_memory_percent(NULL, PS_MEMTYPE_RSS, &d), PS_EINVAL);
    EXPECT(ps_proc_parents(NULL, &pl), PS_EINVAL);
    EXPECT(ps_proc_memory_maps(NULL, 1, &ml), PS_EINVAL);
    EXPECT(ps_proc_page_faults(NULL, &pf), PS_EINVAL);
    EXPECT(ps_proc_num_threads(NULL, &i64), PS_EINVAL);
    EXPECT(ps_proc_threads(NULL, &tl), PS_EINVAL);
    EXPECT(ps_proc_num_fds(NULL, &i64), PS_EINVAL);
    EXPECT(ps_proc_num_handles(NULL, &i64), PS_EINVAL);
    EXPECT(ps_proc_num_ctx_switches(NULL, &cs), PS_EINVAL);
    EXPECT(ps_proc_io_counters(NULL, &io), PS_EINVAL);
    EXPECT(ps_proc_open_files(NULL, &of), PS_EINVAL);
    EXPECT(ps_proc_cgroup(NULL, &sl), PS_EINVAL);
    EXPECT(ps_proc_send_signal(NULL, SIGCONT), PS_EINVAL);
    EXPECT(ps_proc_suspend(NULL), PS_EINVAL);
    EXPECT(ps_proc_resume(NULL), PS_EINVAL);
    EXPECT(ps_proc_terminate(NULL), PS_EINVAL);
    EXPECT(ps_proc_kill(NULL), PS_EINVAL);
    EXPECT(ps_proc_snapshot(NULL, PS_PT_ALL, &t), PS_EINVAL);
    EXPECT(ps_proc_net_connections(NULL, PS_CONN_KIND_ALL, &conns), PS_EINVAL);
    EXPECT(ps_proc_wait(NULL, 0.0, &wr), PS_EINVAL);
    /* Every free function takes NULL. */
    ps_proc_free(NULL);
    ps_scan_free(NULL);
    ps_scanner_free(NULL);
    ps_proc_str_list_free(NULL);
    ps_proc_environ_list_free(NULL);
    ps_proc_list_free(NULL);
    ps_proc_cpu_list_free(NULL);
    ps_proc_mmap_list_free(NULL);
    ps_proc_thread_list_free(NULL);
    ps_proc_open_file_list_free(NULL);
    ps_pid_list_free(NULL);
    ps_ptable_free(NULL);
    ps_cputimes_list_free(NULL);
    ps_cpufreq_list_free(NULL);
    ps_disk_partition_list_free(NULL);
    ps_diskio_list_free(NULL);
    ps_temperature_list_free(NULL);
    ps_fan_list_free(NULL);
    ps_user_list_free(NULL);
    ps_cgroup_limits_free(NULL);
    ps_netio_list_free(NULL);
    ps_nic_addr_list_free(NULL);
    ps_nic_stats_list_free(NULL);
    ps_connection_list_free(NULL);
}

Test(badinput, null_out_pointers_system_net_table)
{
    ps_cputimes a = {0}, b = {0};
    double d;
    EXPECT(ps_cpu_times(NULL), PS_EINVAL);
    EXPECT(ps_cpu_times_percpu(NULL), PS_EINVAL);
    EXPECT(ps_cpu_percent(NULL, &b, &d), PS_EINVAL);
    EXPECT(ps_cpu_percent(&a, NULL, &d), PS_EINVAL);
    EXPECT(ps_cpu_percent(&a, &b, NULL), PS_EINVAL);
    EXPECT(ps_cpu_times_percent(NULL, &b, &a), PS_EINVAL);
    EXPECT(ps_cpu_times_percent(&a, &b, NULL), PS_EINVAL);
    EXPECT(ps_cpu_count_logical(NULL), PS_EINVAL);
    EXPECT(ps_cpu_count_physical(NULL), PS_EINVAL);
    EXPECT(ps_cpu_stats(NULL), PS_EINVAL);
    EXPECT(ps_cpu_freq(NULL), PS_EINVAL);
    EXPECT(ps_cpu_freq_percpu(NULL), PS_EINVAL);
    EXPECT(ps_getloadavg(NULL), PS_EINVAL);
    EXPECT(ps_boot_time(NULL), PS_EINVAL);
    EXPECT(ps_virtual_memory(NULL), PS_EINVAL);
    EXPECT(ps_swap_memory(NULL), PS_EINVAL);
    EXPECT(ps_disk_partitions(0, NULL), PS_EINVAL);
    ps_diskusage du;
    EXPECT(ps_disk_usage(NULL, &du), PS_EINVAL);
    EXPECT(ps_disk_usage("/", NULL), PS_EINVAL);
    EXPECT(ps_disk_io_counters(NULL), PS_EINVAL);
    EXPECT(ps_disk_io_counters_perdisk(NULL), PS_EINVAL);
    EXPECT(ps_sensors_temperatures(NULL), PS_EINVAL);
    EXPECT(ps_sensors_fans(NULL), PS_EINVAL);
    EXPECT(ps_sensors_battery(NULL), PS_EINVAL);
    EXPECT(ps_users(NULL), PS_EINVAL);
    EXPECT(ps_proc_cgroup_limits(NULL, NULL), PS_EINVAL);
    EXPECT(ps_proc_cpu_count_usable(NULL, NULL), PS_EINVAL);
    EXPECT(ps_cpu_count_usable(NULL), PS_EINVAL);
    EXPECT(ps_net_io_counters(NULL), PS_EINVAL);
    EXPECT(ps_net_io_counters_pernic(NULL), PS_EINVAL);
    EXPECT(ps_net_if_addrs(NULL), PS_EINVAL);
    EXPECT(ps_net_if_stats(NULL), PS_EINVAL);
    EXPECT(ps_net_connections(PS_CONN_KIND_ALL, NULL), PS_EINVAL);
    int32_t k;
    EXPECT(ps_conn_kind_from_name(NULL, &k), PS_EINVAL);
    EXPECT(ps_conn_kind_from_name("tcp", NULL), PS_EINVAL);
    EXPECT(ps_pids(NULL), PS_EINVAL);
    EXPECT(ps_pid_exists(1, NULL), PS_EINVAL);
    EXPECT(ps_ptable_scan(PS_PT_ALL, 0, NULL), PS_EINVAL);
    EXPECT(ps_scanner_new(PS_PT_ALL, 0, NULL), PS_EINVAL);
    ps_scan *scan = (ps_scan *)&scan;
    EXPECT(ps_scanner_scan(NULL, &scan), PS_EINVAL);
    cr_expect_null(scan);
    ps_scanner *sc = NULL;
    EXPECT(ps_scanner_new(PS_PT_BIT(PS_PT_NAME), 0, &sc), 0);
    EXPECT(ps_scanner_scan(sc, NULL), PS_EINVAL);
    EXPECT(ps_scanner_stats_get(sc, NULL), PS_EINVAL);
    ps_scanner_stats st;
    EXPECT(ps_scanner_stats_get(NULL, &st), PS_EINVAL);
    ps_scanner_free(sc);
}

Test(badinput, bad_pids)
{
    ps_proc *p = (ps_proc *)&p; /* must be overwritten or left alone, never used */
    int64_t big = pid_max() + 1;
    EXPECT(ps_proc_open(0, &p), PS_EINVAL);
    EXPECT(ps_proc_open(-1, &p), PS_EINVAL);
    EXPECT(ps_proc_open(INT64_MIN, &p), PS_EINVAL);
    EXPECT(ps_proc_open(big, &p), PS_ENOPROC);
    EXPECT(ps_proc_open((int64_t)1 << 40, &p), PS_ENOPROC);
    EXPECT(ps_proc_open(INT64_MAX, &p), PS_ENOPROC);
    int exists = -1;
    EXPECT(ps_pid_exists(-1, &exists), PS_EINVAL);
    EXPECT(ps_pid_exists(INT64_MIN, &exists), PS_EINVAL);
    EXPECT(ps_pid_exists(0, &exists), 0);
    cr_expect_eq(exists, 0);
    exists = -1;
    EXPECT(ps_pid_exists(big, &exists), 0);
    cr_expect_eq(exists, 0);
    exists = -1;
    EXPECT(ps_pid_exists(INT64_MAX, &exists), 0);
    cr_expect_eq(exists, 0);
    exists = -1;
    EXPECT(ps_pid_exists(getpid(), &exists), 0);
    cr_expect_eq(exists, 1);
    ps_cgroup_limits *lim = NULL;
    /* by number (the tests' hook; the API takes a handle, which such pids cannot open) */
    EXPECT(ps__cgroup_limits_pid(-1, &lim), PS_EINVAL);
    EXPECT(ps__cgroup_limits_pid(big, &lim), PS_ENOPROC);
    EXPECT(ps__cgroup_limits_pid(INT64_MAX, &lim), PS_ENOPROC);
    cr_expect_null(lim);
    int32_t n;
    EXPECT(ps_proc_cgroup_limits(NULL, &lim), PS_EINVAL);
    EXPECT(ps_proc_cpu_count_usable(NULL, &n), PS_EINVAL);
}

Test(badinput, bad_timeouts)
{
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    cr_assert_gt(child, 0);
    ps_proc *p = NULL;
    cr_assert_eq(ps_proc_open(child, &p), 0);
    ps_wait_result wr;
    ps_wait_status st[1];
    ps_proc *hs[1] = {p};
    const double bad[] = {NAN, -NAN, -0.5, -2.0, -INFINITY, -1e-9};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        EXPECT(ps_proc_wait(p, bad[i], &wr), PS_EINVAL);
        EXPECT(ps_proc_wait_many(hs, 1, bad[i], PS_WAIT_ALL, st, NULL), PS_EINVAL);
    }
    EXPECT(ps_proc_wait_many(hs, 1, 0.0, 7u, st, NULL), PS_EINVAL);
    /* The documented special values still work: 0 and a tiny timeout time out. */
    EXPECT(ps_proc_wait(p, 0.0, &wr), PS_ETIMEDOUT);
    EXPECT(ps_proc_wait(p, 1e-6, &wr), PS_ETIMEDOUT);
    EXPECT(ps_proc_kill(p), 0);
    EXPECT(ps_proc_wait(p, PS_TIMEOUT_INFINITE, &wr), 0);
    cr_expect_eq(wr.kind, PS_WAIT_SIGNALED);
    cr_expect_eq(wr.code, SIGKILL);
    ps_proc_free(p);
}

Test(badinput, bad_enums_and_values)
{
    ps_proc *p = NULL;
    cr_assert_eq(ps_proc_open_self(&p), 0);
    EXPECT(ps_set_errors_policy((ps_errors_policy)2), PS_EINVAL);
    EXPECT(ps_set_errors_policy((ps_errors_policy)-1), PS_EINVAL);
    cr_expect_eq(ps_get_errors_policy(), ps_default_errors_policy());
    char *s = NULL;
    EXPECT(ps_fsdecode_policy("a", 1, (ps_errors_policy)7, &s, NULL), PS_EINVAL);
    uint16_t u = 'a';
    EXPECT(ps_utf16_decode_policy(&u, 1, (ps_errors_policy)7, &s, NULL), PS_EINVAL);
    EXPECT(ps_fsencode("\xed\xb0\x80", 3, &s, NULL), PS_EINVAL); /* U+DC00: not an escape */
    EXPECT(ps_fsencode("\xed\xa0\x80", 3, &s, NULL), PS_EINVAL); /* U+D800 */
    EXPECT(ps_fsencode("\xff", 1, &s, NULL), PS_EINVAL);
    EXPECT(ps_set_root((ps_root_kind)9, "/proc"), PS_EINVAL);
    EXPECT(ps_set_root(PS_ROOT_PROC, "relative/proc"), PS_EINVAL);
    EXPECT(ps_get_root((ps_root_kind)-1, &s), PS_EINVAL);
    cr_expect_null(s);
    EXPECT(ps__wait_force_fallback(2), PS_EINVAL);
    EXPECT(ps__wait_force_fallback(-1), PS_EINVAL);
    cr_expect_str_eq(ps_strerror(12345), "unknown error");
    cr_expect_str_eq(ps_err_name(12345), "PS_EUNKNOWN");
    cr_expect_str_eq(ps_err_name(PS_ENOPROC), "PS_ENOPROC");
    cr_expect_str_eq(ps_process_status_name((ps_process_status)99), "?");
    cr_expect_str_eq(ps_ptable_field_name((ps_ptable_field)99), "?");
    cr_expect_null(ps_conn_kind_name((ps_conn_kind)99));
    cr_expect_null(ps_conn_status_name((ps_conn_status)99));
    int32_t k;
    EXPECT(ps_conn_kind_from_name("bogus", &k), PS_EINVAL);
    ps_connection_list *cl = NULL;
    EXPECT(ps_net_connections((ps_conn_kind)99, &cl), PS_EINVAL);
    EXPECT(ps_proc_net_connections(p, (ps_conn_kind)-1, &cl), PS_EINVAL);
    cr_expect_null(cl);
    int64_t soft, hard;
    EXPECT(ps_proc_rlimit(p, (ps_rlimit_resource)99, &soft, &hard), PS_EINVAL);
    EXPECT(ps_proc_set_rlimit(p, (ps_rlimit_resource)99, 1, 1), PS_EINVAL);
    EXPECT(ps_proc_set_rlimit(p, PS_RLIMIT_CORE, -5, -5), PS_EINVAL);
    EXPECT(ps_proc_set_ionice(p, (ps_ioprio_class)9, 0), PS_EINVAL);
    EXPECT(ps_proc_set_ionice(p, PS_IOPRIO_CLASS_BE, 99), PS_EINVAL);
    EXPECT(ps_proc_set_ionice(p, PS_IOPRIO_CLASS_IDLE, 3), PS_EINVAL);
    EXPECT(ps_proc_send_signal(p, -1), PS_EINVAL);
    EXPECT(ps_proc_send_signal(p, 9999), PS_EINVAL);
    ps_ptable *t = NULL;
    EXPECT(ps_ptable_scan((uint64_t)1 << 40, 0, &t), PS_EINVAL);
    EXPECT(ps_ptable_scan(PS_PT_ALL, 0x80u, &t), PS_EINVAL);
    ps_scanner *sc = (ps_scanner *)&sc;
    EXPECT(ps_scanner_new((uint64_t)1 << 40, 0, &sc), PS_EINVAL);
    cr_expect_null(sc);
    EXPECT(ps_scanner_new(PS_PT_ALL, 0x80u, &sc), PS_EINVAL);
    EXPECT(ps_proc_snapshot(p, (uint64_t)1 << 40, &t), PS_EINVAL);
    cr_expect_null(t);
    ps_diskusage du;
    EXPECT(ps_disk_usage("/nonexistent/psinfo/badinput", &du), PS_ENOENT);
    EXPECT(ps_disk_usage("\xed\xa0\x80", &du), PS_EINVAL); /* not fsencode-able */
    ps_proc_free(p);
}

/* A child that is gone (killed and reaped through the handle): every getter says PS_ENOPROC,
 * the waits answer from the handle's remembered result, is_running says 0. */
Test(badinput, gone_handle)
{
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    cr_assert_gt(child, 0);
    ps_proc *p = NULL;
    cr_assert_eq(ps_proc_open(child, &p), 0);
    ps_wait_result wr;
    cr_assert_eq(ps_proc_kill(p), 0);
    cr_assert_eq(ps_proc_wait(p, 10.0, &wr), 0);
    cr_expect_eq(wr.kind, PS_WAIT_SIGNALED);

    char *s = NULL;
    int64_t i64;
    int32_t i32;
    int running = -1;
    double d;
    ps_proc *q = NULL;
    ps_proc_ids ids;
    ps_proc_str_list *sl = NULL;
    ps_proc_environ_list *el = NULL;
    ps_proc_list *pl = NULL;
    int32_t status;
    ps_proc_cputimes ct;
    ps_proc_cpu_sample smp;
    ps_proc_cpu_list *cl = NULL;
    int32_t ioc;
    ps_proc_mem mem;
    ps_proc_fullmem fm;
    ps_proc_mmap_list *ml = NULL;
    ps_proc_pagefaults pf;
    ps_proc_thread_list *tl = NULL;
    ps_proc_ctxsw cs;
    ps_proc_io io;
    ps_proc_open_file_list *of = NULL;
    ps_ptable *t = NULL;
    ps_connection_list *conns = NULL;
    int32_t cpu = 0;
    EXPECT(ps_proc_is_running(p, &running), 0);
    cr_expect_eq(running, 0);
    cr_expect_eq(ps_proc_pid(p), child);
    EXPECT(ps_proc_name(p, &s), PS_ENOPROC);
    EXPECT(ps_proc_exe(p, &s), PS_ENOPROC);
    EXPECT(ps_proc_cmdline(p, &sl), PS_ENOPROC);
    EXPECT(ps_proc_environ(p, &el), PS_ENOPROC);
    EXPECT(ps_proc_cwd(p, &s), PS_ENOPROC);
    EXPECT(ps_proc_username(p, &s), PS_ENOPROC);
    EXPECT(ps_proc_uids(p, &ids), PS_ENOPROC);
    EXPECT(ps_proc_gids(p, &ids), PS_ENOPROC);
    EXPECT(ps_proc_terminal(p, &s), PS_ENOPROC);
    EXPECT(ps_proc_ppid(p, &i64), PS_ENOPROC);
    EXPECT(ps_proc_parent(p, &q), PS_ENOPROC);
    EXPECT(ps_proc_children(p, 1, &pl), PS_ENOPROC);
    EXPECT(ps_proc_status(p, &status), PS_ENOPROC);
    EXPECT(ps_proc_create_time(p, &d), PS_ENOPROC);
    EXPECT(ps_proc_cpu_times(p, &ct), PS_ENOPROC);
    EXPECT(ps_proc_cpu_sample_take(p, &smp), PS_ENOPROC);
    EXPECT(ps_proc_cpu_num(p, &i32), PS_ENOPROC);
    EXPECT(ps_proc_cpu_affinity(p, &cl), PS_ENOPROC);
    EXPECT(ps_proc_set_cpu_affinity(p, &cpu, 1), PS_ENOPROC);
    EXPECT(ps_proc_nice(p, &i32), PS_ENOPROC);
    EXPECT(ps_proc_set_nice(p, 1), PS_ENOPROC);
    EXPECT(ps_proc_ionice(p, &ioc, &i32), PS_ENOPROC);
    EXPECT(ps_proc_set_ionice(p, PS_IOPRIO_CLASS_BE, 4), PS_ENOPROC);
    EXPECT(ps_proc_rlimit(p, PS_RLIMIT_NOFILE, &i64, &i64), PS_ENOPROC);
    EXPECT(ps_proc_set_rlimit(p, PS_RLIMIT_CORE, 0, 0), PS_ENOPROC);
    EXPECT(ps_proc_memory_info(p, &mem), PS_ENOPROC);
    EXPECT(ps_proc_memory_full_info(p, &fm), PS_ENOPROC);
    ps_proc_mem_ex mex;
    ps_proc_footprint fp;
    EXPECT(ps_proc_memory_info_ex(p, &mex), PS_ENOPROC);
    EXPECT(ps_proc_memory_footprint(p, &fp), PS_ENOPROC);
    EXPECT(ps_proc_memory_percent(p, PS_MEMTYPE_RSS, &d), PS_ENOPROC);
    EXPECT(ps_proc_memory_percent(p, PS_MEMTYPE_PEAK_RSS, &d), PS_ENOPROC);
    EXPECT(ps_proc_memory_percent(p, PS_MEMTYPE_USS, &d), PS_ENOPROC);
    EXPECT(ps_proc_parents(p, &pl), PS_ENOPROC);
    EXPECT(ps_proc_memory_maps(p, 1, &ml), PS_ENOPROC);
    EXPECT(ps_proc_page_faults(p, &pf), PS_ENOPROC);
    EXPECT(ps_proc_num_threads(p, &i64), PS_ENOPROC);
    EXPECT(ps_proc_threads(p, &tl), PS_ENOPROC);
    EXPECT(ps_proc_num_fds(p, &i64), PS_ENOPROC);
    EXPECT(ps_proc_num_handles(p, &i64), PS_ENOTSUP);   /* Windows only */
    EXPECT(ps_proc_num_ctx_switches(p, &cs), PS_ENOPROC);
    EXPECT(ps_proc_io_counters(p, &io), PS_ENOPROC);
    EXPECT(ps_proc_open_files(p, &of), PS_ENOPROC);
    EXPECT(ps_proc_cgroup(p, &sl), PS_ENOPROC);
    EXPECT(ps_proc_send_signal(p, 0), PS_ENOPROC);
    EXPECT(ps_proc_suspend(p), PS_ENOPROC);
    EXPECT(ps_proc_resume(p), PS_ENOPROC);
    EXPECT(ps_proc_terminate(p), PS_ENOPROC);
    EXPECT(ps_proc_kill(p), PS_ENOPROC);
    EXPECT(ps_proc_snapshot(p, PS_PT_ALL, &t), PS_ENOPROC);
    EXPECT(ps_proc_net_connections(p, PS_CONN_KIND_ALL, &conns), PS_ENOPROC);
    /* Nothing was handed out on error. */
    cr_expect_null(s);
    cr_expect_null(q);
    cr_expect_null(sl);
    cr_expect_null(el);
    cr_expect_null(pl);
    cr_expect_null(cl);
    cr_expect_null(ml);
    cr_expect_null(tl);
    cr_expect_null(of);
    cr_expect_null(t);
    cr_expect_null(conns);
    /* The remembered result, from ps_proc_wait and ps_proc_wait_many alike. */
    ps_wait_result wr2;
    EXPECT(ps_proc_wait(p, 0.0, &wr2), 0);
    cr_expect_eq(wr2.kind, PS_WAIT_SIGNALED);
    cr_expect_eq(wr2.cached, 1);
    ps_proc *hs[1] = {p};
    ps_wait_status st[1];
    size_t nd = 0;
    EXPECT(ps_proc_wait_many(hs, 1, 0.0, PS_WAIT_ALL, st, &nd), 0);
    cr_expect_eq(nd, 1);
    cr_expect_eq(st[0].done, 1);
    cr_expect_eq(st[0].result.kind, PS_WAIT_SIGNALED);
    /* Opening the PID now: gone (or, if the number was reused meanwhile, someone else: the
     * old handle still says ENOPROC above). */
    int exists = -1;
    EXPECT(ps_pid_exists(child, &exists), 0);
    ps_proc_free(p);
}

/* Functions that take no bad input still answer sanely (the matrix names every function). */
Test(badinput, no_input_functions)
{
    cr_expect_str_eq(ps_version(), PS_VERSION_STRING);
    cr_expect_eq(ps_version_number(), (uint32_t)PS_VERSION_NUMBER);
    /* this suite runs on Linux; the enum's names are fixed, out-of-range values are "unknown" */
    cr_expect_eq(ps_platform(), PS_PLATFORM_LINUX);
    cr_expect_eq(ps_platform_is_posix(), 1);
    cr_expect_str_eq(ps_platform_name(ps_platform()), "linux");
    cr_expect_str_eq(ps_platform_name(PS_PLATFORM_WINDOWS), "windows");
    cr_expect_str_eq(ps_platform_name(PS_PLATFORM_MACOS), "macos");
    cr_expect_str_eq(ps_platform_name(-1), "unknown");
    cr_expect_str_eq(ps_platform_name(INT32_MAX), "unknown");
    cr_expect_str_eq(ps_memtype_name(PS_MEMTYPE_RSS), "rss");
    cr_expect_str_eq(ps_memtype_name(PS_MEMTYPE_VIRTUAL), "virtual");
    cr_expect_str_eq(ps_memtype_name(PS_MEMTYPE_PSS), "pss");
    cr_expect_str_eq(ps_memtype_name(-1), "?");
    cr_expect_str_eq(ps_memtype_name(PS_MEMTYPE_COUNT), "?");
    ps_error_clear();
    ps_error_detail d;
    EXPECT(ps_error_last(&d), 0);
    cr_expect_eq(d.code, 0);
    EXPECT(ps_set_errors_policy(PS_ERRORS_REPLACE), 0);
    cr_expect_eq(ps_get_errors_policy(), PS_ERRORS_REPLACE);
    EXPECT(ps_set_errors_policy(ps_default_errors_policy()), 0);
    EXPECT(ps_set_root(PS_ROOT_PROC, NULL), 0);
    ps_pid_list *pl = NULL;
    EXPECT(ps_pids(&pl), 0);
    ps_pid_list_free(pl);
    EXPECT(ps__wait_force_fallback(0), 0);
    cr_expect_str_eq(ps_process_status_name(PS_STATUS_RUNNING), "running");
    cr_expect_str_eq(ps_ptable_field_name(PS_PT_PID), "pid");
    cr_expect_str_eq(ps_conn_kind_name(PS_CONN_KIND_TCP), "tcp");
    cr_expect_str_eq(ps_conn_status_name(PS_CONN_LISTEN), "LISTEN");
}
