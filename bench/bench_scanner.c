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
 *   status kept floor  the other exact source set of a refresh: pread of kept stat, status (the
 *            ruid and every memory_info figure), cmdline, and the two links
 *   sources  each source of the kept floor alone (listing, stat, statm, cmdline, ids, exe, cwd)
 * plus per-round CPU ratios (median over rounds of the two passes of one round), the
 * scanner's descriptors and memory per tracked process (its state, and the unreclaimable slab
 * growth over its first scan: the kernel's open files and seq_file buffers). Goals:
 * fresh/floor <= 0.85, refresh/fresh <= 0.4, psutil/refresh >= 5. Not a test: no pass/fail.
 *
 * usage: bench_scanner [--procs N] [--runs R] [--psutil PATH-TO-ptable_psutil.py]
 */
#include <math.h>
#include <sys/ioctl.h>
#include <sys/resource.h>

#include "bench_ptable_common.h"

enum { NCOMP = 7 };   /* the kept floor's sources, measured one by one (component_pass) */

typedef struct figures {
    double floor, fresh, refresh, floor_cpu, fresh_cpu, refresh_cpu, status, status_cpu;
    double kfloor, kfloor_cpu, pfloor, pfloor_cpu, sfloor, sfloor_cpu;
    /* medians of the per-round CPU ratios (each from two passes of the same round) */
    double r_fresh_floor, r_refresh_fresh, r_kept_fresh, r_skept_fresh, r_minkept_fresh;
    double slab_kb;   /* SUnreclaim growth over the scanner's first scan, kB (NaN: unreadable) */
    double comp[NCOMP];   /* CPU us per process of each kept-floor source alone */
} figures;

/* A /proc/meminfo figure in kB, or -1. */
static long meminfo_kb(const char *key)
{
    char line[256];
    long v = -1;
    size_t kl = strlen(key);
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, kl)) v = strtol(line + kl, NULL, 10);
    fclose(f);
    return v;
}

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
    int pid, stat, statm, cmdline, pidfd, exe, cwd, status;
} kept_proc;

static void kept_close(kept_proc *k)
{
    int *fds[] = {&k->stat, &k->statm, &k->cmdline, &k->pidfd, &k->exe, &k->cwd, &k->status};
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
        kept_proc k = {(int)pl->items[i], -1, -1, -1, -1, -1, -1, -1};
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
        snprintf(p, sizeof p, "/proc/%d/status", k.pid);
        k.status = open(p, O_RDONLY | O_CLOEXEC);
        v[(*n)++] = k;
    }
    ps_pid_list_free(pl);
    return v;
}

/* One pass of the fresh syscalls with a pidfd for the ids (what ps_ptable_scan issues, kept 0),
 * or of the kept ones (what a refresh cannot avoid): kept 1 reads stat, statm, cmdline, the ids
 * by PIDFD_GET_INFO and the two links; kept 2 the other exact source set, status instead of
 * statm + the pidfd (status has the ruid and every memory_info figure: VmSize, VmRSS,
 * RssFile + RssShmem, VmExe, VmData + VmStk). Each lists /proc first. */
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
        if (kept == 2) {
            sink += pread(k->stat, b, sizeof b, 0) + pread(k->status, b, sizeof b, 0) +
                    pread(k->cmdline, b, sizeof b, 0);
            sink += readlinkat(k->exe, "", b, sizeof b) + readlinkat(k->cwd, "", b, sizeof b);
            continue;
        }
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

/* One source of the kept floor alone, over every process (comp 0: the /proc listing, per
 * process; 1..6: pread of kept stat, statm, cmdline; PIDFD_GET_INFO; readlinkat of exe, cwd),
 * so the floor can be split into what each exact source costs. Returns CPU us per process. */
static const char *const comp_name[NCOMP] = {"listing", "stat", "statm", "cmdline", "ids (pidfd)", "exe", "cwd"};
static double component_pass(const kept_proc *v, size_t n, int comp)
{
    char b[4096];
    volatile ssize_t sink = 0;
    double c0 = cpu_now();
    if (comp == 0) {
        ps_pid_list *pl = NULL;
        if (ps_pids(&pl) == 0) ps_pid_list_free(pl);
    }
    for (size_t i = 0; comp && i < n; i++) {
        const kept_proc *k = &v[i];
        struct bench_pidfd_info info = {.mask = 1};
        switch (comp) {
        case 1: sink += pread(k->stat, b, sizeof b, 0); break;
        case 2: sink += pread(k->statm, b, sizeof b, 0); break;
        case 3: sink += pread(k->cmdline, b, sizeof b, 0); break;
        case 4: sink += ioctl(k->pidfd, BENCH_PIDFD_GET_INFO, &info); break;
        case 5: sink += readlinkat(k->exe, "", b, sizeof b); break;
        default: sink += readlinkat(k->cwd, "", b, sizeof b); break;
        }
    }
    (void)sink;
    return (cpu_now() - c0) / (double)n * 1e6;
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
    printf("  kept floor, status instead   %7.2f   CPU %.2f   (stat, status, cmdline, exe, cwd: the other exact set)\n",
           m->sfloor, m->sfloor_cpu);
    printf("  fresh (ps_ptable_scan)      %8.2f   CPU %.2f   fresh/floor   = %.3f (CPU %.3f)  (goal <= 0.85)\n",
           m->fresh, m->fresh_cpu, m->fresh / m->floor, m->fresh_cpu / m->floor_cpu);
    printf("  fresh, status file (before)  %7.2f   CPU %.2f   (ps_ptable_scan without PIDFD_GET_INFO)\n",
           m->status, m->status_cpu);
    printf("  refresh vs the status-file fresh scan: %.3f (CPU %.3f)\n", m->refresh / m->status,
           m->refresh_cpu / m->status_cpu);
    printf("  refresh (ps_scanner_scan)   %8.2f   CPU %.2f   refresh/fresh = %.3f (CPU %.3f)  (goal <= 0.4)\n",
           m->refresh, m->refresh_cpu, m->refresh / m->fresh, m->refresh_cpu / m->fresh_cpu);
    printf("  per-round CPU ratios (median of %d): fresh/floor %.3f, refresh/fresh %.3f;\n"
           "    kernel floor of a refresh / fresh scan: pidfd+statm set %.3f, status set %.3f, the cheaper "
           "of the two %.3f%s\n",
           runs, m->r_fresh_floor, m->r_refresh_fresh, m->r_kept_fresh, m->r_skept_fresh, m->r_minkept_fresh,
           m->r_minkept_fresh > 0.4 ? "  > 0.4: the goal is below the kernel's own cost" : "");
    double sum = 0;
    printf("  kept floor by source, CPU us per process (each alone):");
    for (int i = 0; i < NCOMP; i++) {
        printf("%s %s %.2f", i ? "," : "", comp_name[i], m->comp[i]);
        sum += m->comp[i];
    }
    printf("; sum %.2f = %.3f of fresh; 0.4 of fresh = %.2f\n", sum, sum / m->fresh_cpu, 0.4 * m->fresh_cpu);
    if (pu > 0) printf("  psutil repeated process_iter %7.2f   psutil/refresh = %.2f  (goal >= 5)\n", pu, pu / m->refresh);
    else printf("  psutil repeated process_iter (failed to run)\n");
    printf("  scanner: %llu processes tracked, %llu descriptors kept (budget %llu, %.2f per process), %.1f bytes of state per process\n",
           (unsigned long long)st->tracked, (unsigned long long)st->kept_fds, (unsigned long long)st->fd_budget,
           st->tracked ? (double)st->kept_fds / (double)st->tracked : 0.0,
           st->tracked ? (double)st->state_bytes / (double)st->tracked : 0.0);
    if (m->slab_kb == m->slab_kb && st->tracked)
        printf("  kernel: unreclaimable slab grew %.0f kB over the first scan = %.2f kB per tracked process "
               "(open files and seq_file buffers; other processes' activity included)\n",
               m->slab_kb, m->slab_kb / (double)st->tracked);
}

static double ratio_median(const double *a, const double *b, int n)
{
    double v[100];
    for (int i = 0; i < n; i++) v[i] = a[i] / b[i];
    return median(v, n);
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
    long slab0 = meminfo_kb("SUnreclaim:");
    run_refresh(s, &w, &c);   /* the first scan opens everything */
    long slab1 = meminfo_kb("SUnreclaim:");
    run_fresh(&w, &c);        /* warm caches */
    floor_scan();
    size_t nkept = 0;
    kept_proc *kept = kept_open(&nkept);
    double fl[100], fr[100], re[100], flc[100], frc[100], rec[100], su[100], suc[100];
    double kf[100], kfc[100], pf[100], pfc[100], sf[100], sfc[100], cp[NCOMP][100];
    size_t count = 0;
    for (int r = 0; r < runs; r++) {
        /* rotate the order, so none always gets the warmest caches */
        for (int k = 0; k < 7; k++) {
            int which = (k + r) % 7;
            if (which == 6) floor_pass(kept, nkept, 2, &sf[r], &sfc[r]);
            else if (which == 4) floor_pass(kept, nkept, 0, &pf[r], &pfc[r]);
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
        for (int k = 0; k < NCOMP; k++) {
            int which = (k + r) % NCOMP;
            cp[which][r] = component_pass(kept, nkept, which);
        }
    }
    ps_scanner_stats st;
    ps_scanner_stats_get(s, &st);
    double pu[100];
    int npu = run_psutil(script, runs, pu);
    double mk[100];
    for (int r = 0; r < runs; r++) mk[r] = kfc[r] < sfc[r] ? kfc[r] : sfc[r];
    double r_ff = ratio_median(frc, flc, runs), r_rf = ratio_median(rec, frc, runs);
    double r_kf = ratio_median(kfc, frc, runs), r_sf = ratio_median(sfc, frc, runs);
    double r_mf = ratio_median(mk, frc, runs);
    figures m = {median(fl, runs), median(fr, runs), median(re, runs),
                 median(flc, runs), median(frc, runs), median(rec, runs), median(su, runs), median(suc, runs),
                 median(kf, runs), median(kfc, runs), median(pf, runs), median(pfc, runs),
                 median(sf, runs), median(sfc, runs), r_ff, r_rf, r_kf, r_sf, r_mf,
                 slab0 >= 0 && slab1 >= 0 ? (double)(slab1 - slab0) : NAN, {0}};
    for (int i = 0; i < NCOMP; i++) m.comp[i] = median(cp[i], runs);
    report(&m, count, runs, npu ? median(pu, npu) : 0, &st);
    ps_scanner_free(s);
    for (size_t i = 0; i < nkept; i++) kept_close(&kept[i]);
    free(kept);
    kill_sleepers(kids, nkids);
    return 0;
}
