/* SPDX-License-Identifier: MIT */
/*
 * Driver for the allocation-failure and fd-exhaustion runs: calls a long list of
 * public functions once each, checking that every call returns 0 or a PS_E* code, that what a
 * successful call returns is ours (our own name, our pid, our child's exit status) and that
 * nothing hangs (the script puts a timeout around it). Run by scripts/alloc-fail.sh:
 *   LD_PRELOAD=libfailmalloc.so ALLOC_FAIL_N=n driver     the nth allocation fails
 *   driver --nofile 8                                     RLIMIT_NOFILE lowered to 8 first
 * Prints "allocations: K" (with the shim) so the script knows how far to go. Exit 0 when every
 * check held, 1 when one did not (a crash or a hang is caught by the script).
 */
#include <dlfcn.h>
#include <execinfo.h>
#include <fcntl.h>
#include <math.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "psinfo.h"

static void (*arm)(int);
static long (*count)(void);
static long (*live)(void);
static int bad;
static char self_comm[32];
static int enomem_seen;

static void on(void) { if (arm) arm(1); }
static void off(void) { if (arm) arm(0); }

static int chk(const char *what, int rc)
{
    off();
    if (rc > 0 || rc < PS_ERANGE) {
        fprintf(stderr, "driver: %s returned %d, not a PS_E* code\n", what, rc);
        bad = 1;
    }
    if (rc == PS_ENOMEM) enomem_seen++;
    on();
    return rc;
}
#define C(call) chk(#call, (call))
#define FAILIF(cond, msg) do { off(); if (cond) { fprintf(stderr, "driver: %s\n", msg); bad = 1; } on(); } while (0)

/* A crash prints its stack (build with -rdynamic for names) before dying of the signal. */
static void on_crash(int sig)
{
    void *frames[64];
    int n = backtrace(frames, 64);
    backtrace_symbols_fd(frames, n, 2);
    signal(sig, SIG_DFL);
    raise(sig);
}

int main(int argc, char **argv)
{
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGABRT, on_crash);
    signal(SIGFPE, on_crash);
    if (argc == 3 && strcmp(argv[1], "--nofile") == 0) {
        struct rlimit rl = {(rlim_t)atoi(argv[2]), (rlim_t)atoi(argv[2])};
        /* Close everything above the limit first (an inherited fd would not count against it
         * otherwise), keeping 0-2. */
        for (int fd = 3; fd < 1024; fd++) close(fd);
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) { perror("setrlimit"); return 2; }
    }
    prctl(PR_GET_NAME, self_comm);
    arm = (void (*)(int))dlsym(RTLD_DEFAULT, "failmalloc_arm");
    count = (long (*)(void))dlsym(RTLD_DEFAULT, "failmalloc_count");
    live = (long (*)(void))dlsym(RTLD_DEFAULT, "failmalloc_live");
    pid_t child = fork();
    if (child == 0) {
        /* Never outlive the driver, and never hold its output pipe open. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) { dup2(devnull, 1); dup2(devnull, 2); }
        if (getppid() == 1) _exit(0);
        pause();
        _exit(0);
    }
    if (child < 0) return 2;
    /* glibc's NSS asserts or crashes when an allocation fails while it loads nsswitch.conf
     * (nss_database_reload, getpwuid_r's first call): not ours to fix, so load it first. */
    char pwbuf[4096];
    struct passwd pw, *pwr;
    getpwuid_r(getuid(), &pw, pwbuf, sizeof pwbuf, &pwr);
    on();

    ps_proc *p = NULL;
    if (C(ps_proc_open_self(&p)) == 0) {
        char *s = NULL;
        if (C(ps_proc_name(p, &s)) == 0) FAILIF(strncmp(s, self_comm, strlen(self_comm)) != 0, "name is not ours");
        ps_free(s); s = NULL;
        C(ps_proc_exe(p, &s)); ps_free(s); s = NULL;
        C(ps_proc_cwd(p, &s)); ps_free(s); s = NULL;
        C(ps_proc_username(p, &s)); ps_free(s); s = NULL;
        C(ps_proc_terminal(p, &s)); ps_free(s); s = NULL;
        ps_proc_str_list *sl = NULL;
        if (C(ps_proc_cmdline(p, &sl)) == 0) FAILIF(sl->count != (size_t)argc, "cmdline is not ours");
        ps_proc_str_list_free(sl); sl = NULL;
        C(ps_proc_cgroup(p, &sl)); ps_proc_str_list_free(sl);
        ps_proc_environ_list *el = NULL;
        C(ps_proc_environ(p, &el)); ps_proc_environ_list_free(el);
        int64_t i64;
        if (C(ps_proc_ppid(p, &i64)) == 0) FAILIF(i64 != getppid(), "ppid is not ours");
        ps_proc *parent = NULL;
        C(ps_proc_parent(p, &parent)); ps_proc_free(parent);
        ps_proc_list *kids = NULL;
        if (C(ps_proc_children(p, 0, &kids)) == 0)
            FAILIF(kids->count != 1 || ps_proc_pid(kids->items[0]) != child, "children are not ours");
        ps_proc_list_free(kids);
        ps_proc_cpu_list *cl = NULL;
        C(ps_proc_cpu_affinity(p, &cl)); ps_proc_cpu_list_free(cl);
        ps_proc_mmap_list *ml = NULL;
        C(ps_proc_memory_maps(p, 1, &ml)); ps_proc_mmap_list_free(ml); ml = NULL;
        C(ps_proc_memory_maps(p, 0, &ml)); ps_proc_mmap_list_free(ml);
        ps_proc_fullmem fm;
        C(ps_proc_memory_full_info(p, &fm));
        ps_proc_thread_list *tl = NULL;
        C(ps_proc_threads(p, &tl)); ps_proc_thread_list_free(tl);
        C(ps_proc_num_fds(p, &i64));
        ps_proc_open_file_list *of = NULL;
        C(ps_proc_open_files(p, &of)); ps_proc_open_file_list_free(of);
        ps_ptable *t = NULL;
        if (C(ps_proc_snapshot(p, PS_PT_ALL, &t)) == 0)
            FAILIF(t->count != 1 || t->records[0].pid != getpid(), "snapshot is not ours");
        ps_ptable_free(t);
        ps_connection_list *conns = NULL;
        C(ps_proc_net_connections(p, PS_CONN_KIND_ALL, &conns)); ps_connection_list_free(conns);
    }
    ps_proc_free(p);

    ps_pid_list *pl = NULL;
    C(ps_pids(&pl)); ps_pid_list_free(pl);
    int exists;
    C(ps_pid_exists(child, &exists));
    ps_ptable *t = NULL;
    C(ps_ptable_scan(PS_PT_ALL, 0, &t)); ps_ptable_free(t);

    ps_cputimes_list *ctl = NULL;
    C(ps_cpu_times_percpu(&ctl)); ps_cputimes_list_free(ctl);
    int32_t n;
    C(ps_cpu_count_logical(&n));
    C(ps_cpu_count_physical(&n));
    ps_cpufreq_list *fl = NULL;
    C(ps_cpu_freq_percpu(&fl)); ps_cpufreq_list_free(fl);
    ps_vmem vm;
    C(ps_virtual_memory(&vm));
    ps_swapmem sm;
    C(ps_swap_memory(&sm));
    ps_disk_partition_list *dpl = NULL;
    C(ps_disk_partitions(1, &dpl)); ps_disk_partition_list_free(dpl);
    ps_diskusage du;
    C(ps_disk_usage("/", &du));
    ps_diskio_list *dl = NULL;
    C(ps_disk_io_counters_perdisk(&dl)); ps_diskio_list_free(dl);
    ps_temperature_list *tl = NULL;
    C(ps_sensors_temperatures(&tl)); ps_temperature_list_free(tl);
    ps_fan_list *fans = NULL;
    C(ps_sensors_fans(&fans)); ps_fan_list_free(fans);
    ps_battery bat;
    C(ps_sensors_battery(&bat));
    ps_user_list *ul = NULL;
    C(ps_users(&ul)); ps_user_list_free(ul);
    ps_cgroup_limits *lim = NULL;
    ps_proc *me = NULL;
    if (ps_proc_open_self(&me) == 0) {
        C(ps_proc_cgroup_limits(me, &lim)); ps_cgroup_limits_free(lim);
        C(ps_proc_cpu_count_usable(me, &n));
        ps_proc_free(me);
    }
    C(ps_cpu_count_usable(&n));
    ps_netio_list *nl = NULL;
    C(ps_net_io_counters_pernic(&nl)); ps_netio_list_free(nl);
    ps_nic_addr_list *al = NULL;
    C(ps_net_if_addrs(&al)); ps_nic_addr_list_free(al);
    ps_nic_stats_list *nsl = NULL;
    C(ps_net_if_stats(&nsl)); ps_nic_stats_list_free(nsl);
    ps_connection_list *cl = NULL;
    C(ps_net_connections(PS_CONN_KIND_ALL, &cl)); ps_connection_list_free(cl);

    char *s = NULL, *b = NULL;
    size_t sl = 0, bl = 0;
    if (C(ps_fsdecode_policy("a\xff\xe2\x82", 4, PS_ERRORS_SURROGATEESCAPE, &s, &sl)) == 0 &&
        C(ps_fsencode(s, sl, &b, &bl)) == 0)
        FAILIF(bl != 4 || memcmp(b, "a\xff\xe2\x82", 4) != 0, "fsencode round trip");
    ps_free(s); ps_free(b); s = NULL;
    C(ps_get_root(PS_ROOT_PROC, &s)); ps_free(s);
    C(ps_set_root(PS_ROOT_ETC, "/etc"));

    /* Waits: the child, killed, then waited through one handle, and wait_many on another. */
    ps_proc *c = NULL, *c2 = NULL;
    int rc_open = C(ps_proc_open(child, &c));
    C(ps_proc_open(child, &c2));
    off();
    kill(child, SIGKILL);
    on();
    ps_wait_result wr;
    if (rc_open == 0 && C(ps_proc_wait(c, 5.0, &wr)) == 0)
        FAILIF(wr.kind != PS_WAIT_SIGNALED || wr.code != SIGKILL, "wait result is not our child's");
    if (c2) {
        ps_wait_status st[1];
        ps_proc *hs[1] = {c2};
        C(ps_proc_wait_many(hs, 1, 5.0, PS_WAIT_ALL, st, NULL));
    }
    ps_proc_free(c);
    ps_proc_free(c2);
    off();
    /* The child was reaped by a wait above, or is reaped here. */
    waitpid(child, NULL, WNOHANG);
    if (count) printf("allocations: %ld\n", count());
    if (live) printf("live blocks: %ld\n", live());
    printf("enomem returned: %d\n", enomem_seen);
    return bad;
}
