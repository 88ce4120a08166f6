/* SPDX-License-Identifier: MIT */
/*
 * Scanner benchmark: the same 12 fields as bench_ptable, >= --procs processes (sleeping children
 * are spawned to reach it), in one run, interleaved, medians of --runs runs (us per process):
 *   floor    the syscall floor of bench_ptable (open/read/close of stat, status, statm, cmdline;
 *            readlink exe and cwd)
 *   kept floor  the syscalls a refresh cannot avoid: the listing, then per process pread of
 *            kept stat, statm and cmdline descriptors, PIDFD_GET_INFO on a kept pidfd and
 *            readlinkat on kept O_PATH descriptors of exe and cwd (the content the kernel
 *            generates anew at every read); kept floor / fresh floor bounds refresh / fresh
 *   fresh    ps_ptable_scan (PIDFD_GET_INFO for the uid where the kernel has it)
 *   refresh  ps_scanner_scan, second and later scans (kept descriptors), CPU % included
 *   psutil   repeated process_iter(attrs) in one interpreter (its Process cache kept, as a
 *            monitor's loop would), timed inside Python
 * plus the scanner's descriptors and memory per tracked process. Goals: fresh/floor <= 0.85,
 * refresh/fresh <= 0.4, psutil/refresh >= 5. Not a test: no pass/fail.
 *
 * usage: bench_scanner [--procs N] [--runs R] [--psutil PATH-TO-ptable_psutil.py]
 */
#include <sys/ioctl.h>
#include <sys/resource.h>

#include "bench_ptable_common.h"

typedef struct figures {
    double floor, fresh, refresh, floor_cpu, fresh_cpu, refresh_cpu, status, status_cpu;
    double kfloor, kfloor_cpu, pfloor, pfloor_cpu;
} figures;

/* ---- the floors with a pidfd instead of status: fresh (open/read/close) and kept ------------ */

/* PIDFD_GET_INFO's argument (uapi linux/pidfd.h, version 0) and request, spelled out */
struct bench_pidfd_info {
    uint64_t mask, cgroupid;
    uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
    int32_t exit_code;
};
#define BENCH_PIDFD_GET_INFO \
    ((unsigned long)((3u << 30) | (sizeof(struct bench_pidfd_info) << 16) | (0xFFu << 8) | 11u))

typedef struct kept_proc {
    int pid, stat, statm, cmdline, pidfd, exe, cwd;
} kept_proc;

static void kept_close(kept_proc *k)
{
    int *fds[] = {&k->stat, &k->statm, &k->cmdline, &k->pidfd, &k->exe, &k->cwd};
    for (size_t i = 0; i < sizeof fds / sizeof *fds; i++)
        if (*fds[i] >= 0) close(*fds[i]);
}

/* Open every process's descriptors once (the scanner's first scan). */
static kept_proc *kept_open(size_t *n)
{
    ps_pid_list *pl = NULL;
    *n = 0;
    if (ps_pids(&pl) != 0) return NULL;
    kept_proc *v = calloc(pl->count ? pl->count : 1, sizeof *v);
    for (size_t i = 0; v && i < pl->count; i++) {
        char p[64];
        kept_proc k = {(int)pl->items[i], -1, -1, -1, -1, -1, -1};
        snprintf(p, sizeof p, "/proc/%d/stat", k.pid);
        if ((k.stat = open(p, O_RDONLY | O_CLOEXEC)) < 0) continue;
        snprintf(p, sizeof p, "/proc/%d/statm", k.pid);
        k.statm = open(p, O_RDONLY | O_CLOEXEC);
        snprintf(p, sizeof p, "/proc/%d/cmdline", k.pid);
        k.cmdline = open(p, O_RDONLY | O_CLOEXEC);
        k.pidfd = (int)syscall(SYS_pidfd_open, k.pid, 0);
        snprintf(p, sizeof p, "/proc/%d/exe", k.pid);
        k.exe = open(p, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        snprintf(p, sizeof p, "/proc/%d/cwd", k.pid);
        k.cwd = open(p, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        v[(*n)++] = k;
    }
    ps_pid_list_free(pl);
    return v;
}

/* One pass of the fresh syscalls with a pidfd for the ids (what ps_ptable_scan issues), or
 * of the kept ones (what a refresh cannot avoid); both list /proc first. */
static void floor_pass(const kept_proc *v, size_t n, int kept, double *wall, double *cpu)
{
    char b[4096], p[64];
    double c0 = cpu_now(), t0 = now();
    ps_pid_list *pl = NULL;
    if (ps_pids(&pl) == 0) ps_pid_list_free(pl);
    int root = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    volatile ssize_t sink = 0;
    for (size_t i = 0; i < n; i++) {
        const kept_proc *k = &v[i];
        struct bench_pidfd_info info = {.mask = 1};
        if (kept) {
            sink += pread(k->stat, b, sizeof b, 0) + pread(k->statm, b, sizeof b, 0) +
                    pread(k->cmdline, b, sizeof b, 0);
            sink += ioctl(k->pidfd, BENCH_PIDFD_GET_INFO, &info);
            sink += readlinkat(k->exe, "", b, sizeof b) + readlinkat(k->cwd, "", b, sizeof b);
            continue;
        }
        static const char *const files[] = {"stat", "statm", "cmdline"};
        for (int f = 0; f < 3; f++) {
            snprintf(p, sizeof p, "%d/%s", k->pid, files[f]);
            int fd = openat(root, p, O_RDONLY | O_CLOEXEC);
            if (fd < 0) continue;
            sink += read(fd, b, sizeof b);
            close(fd);
        }
        int pfd = (int)syscall(SYS_pidfd_open, k->pid, 0);
        if (pfd >= 0) {
            sink += ioctl(pfd, BENCH_PIDFD_GET_INFO, &info);
            close(pfd);
        }
        snprintf(p, sizeof p, "%d/exe", k->pid);
        sink += readlinkat(root, p, b, sizeof b);
        snprintf(p, sizeof p, "%d/cwd", k->pid);
        sink += readlinkat(root, p, b, sizeof b);
    }
    close(root);
    (void)sink;
    *wall = (now() - t0) / (double)n * 1e6;
    *cpu = (cpu_now() - c0) / (double)n * 1e6;
}

/* internal (src/linux/linux.h): 0 forces the status-file path, -1 probes again */
void ps__pidfd_info_force(int mode);

static size_t run_fresh(double *wall, double *cpu)
{
    ps_ptable *t = NULL;
    double c0 = cpu_now(), t0 = now();
    if (ps_ptable_scan(TABLE_FIELDS, 0, &t) != 0) return 0;
    size_t n = t->count;
    ps_ptable_free(t);
    *wall = (now() - t0) / (double)n * 1e6;
    *cpu = (cpu_now() - c0) / (double)n * 1e6;
    return n;
}

static size_t run_refresh(ps_scanner *s, double *wall, double *cpu)
{
    ps_scan *sc = NULL;
    double c0 = cpu_now(), t0 = now();
    if (ps_scanner_scan(s, &sc) != 0) return 0;
    size_t n = sc->table->count;
    ps_scan_free(sc);
    *wall = (now() - t0) / (double)n * 1e6;
    *cpu = (cpu_now() - c0) / (double)n * 1e6;
    return n;
}

static void run_floor(double *wall, double *cpu)
{
    double c0 = cpu_now(), t0 = now();
    size_t n = floor_scan();
    *wall = (now() - t0) / (double)n * 1e6;
    *cpu = (cpu_now() - c0) / (double)n * 1e6;
}

/* psutil's repeated process_iter: us per process of each run after the first. */
static int run_psutil(const char *script, int runs, double *out)
{
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s repeat %d", script, runs + 1);
    FILE *f = popen(cmd, "r");
    int n = 0, k = 0;
    if (!f) return 0;
    size_t count;
    double secs;
    while (n < runs && fscanf(f, "%zu %lf", &count, &secs) == 2)
        if (k++ > 0) out[n++] = secs / (double)count * 1e6;   /* the first fills its cache */
    pclose(f);
    return n;
}

static void report(const figures *m, size_t count, int runs, double pu, const ps_scanner_stats *st)
{
    printf("scanner, 12 fields, %zu processes, median of %d runs (us per process):\n", count, runs);
    printf("  floor (syscalls only)       %8.2f   CPU %.2f\n", m->floor, m->floor_cpu);
    printf("  fresh floor, pidfd ids       %7.2f   CPU %.2f   (what ps_ptable_scan issues)\n", m->pfloor, m->pfloor_cpu);
    printf("  kept floor (unavoidable)     %7.2f   CPU %.2f   kept/fresh floor = %.3f (CPU %.3f): refresh/fresh cannot go below\n",
           m->kfloor, m->kfloor_cpu, m->kfloor / m->pfloor, m->kfloor_cpu / m->pfloor_cpu);
    printf("  fresh (ps_ptable_scan)      %8.2f   CPU %.2f   fresh/floor   = %.3f (CPU %.3f)  (goal <= 0.85)\n",
           m->fresh, m->fresh_cpu, m->fresh / m->floor, m->fresh_cpu / m->floor_cpu);
    printf("  fresh, status file (before)  %7.2f   CPU %.2f   (ps_ptable_scan without PIDFD_GET_INFO)\n",
           m->status, m->status_cpu);
    printf("  refresh vs the status-file fresh scan: %.3f (CPU %.3f)\n", m->refresh / m->status,
           m->refresh_cpu / m->status_cpu);
    printf("  refresh (ps_scanner_scan)   %8.2f   CPU %.2f   refresh/fresh = %.3f (CPU %.3f)  (goal <= 0.4)\n",
           m->refresh, m->refresh_cpu, m->refresh / m->fresh, m->refresh_cpu / m->fresh_cpu);
    if (pu > 0) printf("  psutil repeated process_iter %7.2f   psutil/refresh = %.2f  (goal >= 5)\n", pu, pu / m->refresh);
    else printf("  psutil repeated process_iter (failed to run)\n");
    printf("  scanner: %llu processes tracked, %llu descriptors kept (budget %llu), %.1f bytes of state per process\n",
           (unsigned long long)st->tracked, (unsigned long long)st->kept_fds, (unsigned long long)st->fd_budget,
           st->tracked ? (double)st->state_bytes / (double)st->tracked : 0.0);
}

int main(int argc, char **argv)
{
    int want = 1500, runs = 9;
    const char *script = "bench/ptable_psutil.py";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--procs") && i + 1 < argc) want = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--psutil") && i + 1 < argc) script = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--procs N] [--runs R] [--psutil ptable_psutil.py]\n", argv[0]);
            return 2;
        }
    }
    if (runs < 1 || runs > 100) runs = 9;
    struct rlimit rl;   /* a monitor raises its own limit so every process can be kept */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    ps_pid_list *pl = NULL;
    int have = ps_pids(&pl) == 0 ? (int)pl->count : 0;
    ps_pid_list_free(pl);
    int nkids = want > have ? want - have + 20 : 0;
    pid_t *kids = spawn_sleepers(nkids);
    usleep(200000);
    ps_scanner *s = NULL;
    if (ps_scanner_new(TABLE_FIELDS, 0, &s) != 0) return 1;
    double w, c;
    run_refresh(s, &w, &c);   /* the first scan opens everything */
    run_fresh(&w, &c);        /* warm caches */
    floor_scan();
    size_t nkept = 0;
    kept_proc *kept = kept_open(&nkept);
    double fl[100], fr[100], re[100], flc[100], frc[100], rec[100], su[100], suc[100];
    double kf[100], kfc[100], pf[100], pfc[100];
    size_t count = 0;
    for (int r = 0; r < runs; r++) {
        /* rotate the order, so none always gets the warmest caches */
        for (int k = 0; k < 6; k++) {
            int which = (k + r) % 6;
            if (which == 4) floor_pass(kept, nkept, 0, &pf[r], &pfc[r]);
            else if (which == 5) floor_pass(kept, nkept, 1, &kf[r], &kfc[r]);
            else if (which == 0) run_floor(&fl[r], &flc[r]);
            else if (which == 1) count = run_fresh(&fr[r], &frc[r]);
            else if (which == 2) run_refresh(s, &re[r], &rec[r]);
            else if (which == 3) {
                ps__pidfd_info_force(0);
                run_fresh(&su[r], &suc[r]);
                ps__pidfd_info_force(-1);
            }
        }
    }
    ps_scanner_stats st;
    ps_scanner_stats_get(s, &st);
    double pu[100];
    int npu = run_psutil(script, runs, pu);
    figures m = {median(fl, runs), median(fr, runs), median(re, runs),
                 median(flc, runs), median(frc, runs), median(rec, runs), median(su, runs), median(suc, runs),
                 median(kf, runs), median(kfc, runs), median(pf, runs), median(pfc, runs)};
    report(&m, count, runs, npu ? median(pu, npu) : 0, &st);
    ps_scanner_free(s);
    for (size_t i = 0; i < nkept; i++) kept_close(&kept[i]);
    free(kept);
    kill_sleepers(kids, nkids);
    return 0;
}
