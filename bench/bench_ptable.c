/* SPDX-License-Identifier: MIT */
/*
 * Process table benchmark. Spawns ~N sleeping processes, then measures, in one run,
 * the µs per process of a full-table scan of 12 fields (pid, name, exe, cwd, username, status,
 * ppid, create_time, memory_info, cpu_times, cmdline, num_threads) for:
 *   ours    ps_ptable_scan
 *   floor   a minimal C loop doing only the needed syscalls (open/read/close of stat, status,
 *           statm, cmdline; readlink exe and cwd; getpwuid_r with a uid cache), parsing only
 *           the Uid line
 *   psutil  process_iter(attrs) under /usr/bin/python3, timed inside Python
 *   ps      `ps -eo pid,ppid,user,stat,lstart,rss,vsz,time,nlwp,comm,args` (ps has no exe/cwd
 *           columns), the whole command timed, divided by the process count
 * and one process with every field: ps_proc_snapshot vs psutil's as_dict() (oneshot).
 * Medians of --runs runs, interleaved; ratios printed. Not a test: no pass/fail.
 *
 * usage: bench_ptable [--procs N] [--runs R] [--psutil PATH-TO-ptable_psutil.py]
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psinfo.h"

extern char **environ;

#include "bench_ptable_common.h"

/* Run argv with stdout to /dev/null; returns the wall time in seconds. */
static double time_command(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    double t0 = now();
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0) return -1;
    waitpid(pid, NULL, 0);
    double t1 = now();
    posix_spawn_file_actions_destroy(&fa);
    return t1 - t0;
}

int main(int argc, char **argv)
{
    int nprocs = 2000, runs = 7;
    const char *script = "bench/ptable_psutil.py";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--procs") && i + 1 < argc) nprocs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--psutil") && i + 1 < argc) script = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--procs N] [--runs R] [--psutil ptable_psutil.py]\n", argv[0]);
            return 2;
        }
    }
    if (runs < 1 || runs > 100) runs = 7;
    pid_t *kids = spawn_sleepers(nprocs);
    usleep(200000);

    double ours[100], flo[100], psv[100], ours_cpu[100], flo_cpu[100];
    size_t count = 0;
    /* warm up (page cache of passwd, dentries) */
    ps_ptable *t;
    if (ps_ptable_scan(TABLE_FIELDS, 0, &t) != 0) {
        fprintf(stderr, "ps_ptable_scan failed\n");
        kill_sleepers(kids, nprocs);
        return 1;
    }
    ps_ptable_free(t);
    floor_scan();
    char *ps_argv[] = {"/bin/ps", "-eo", "pid,ppid,user,stat,lstart,rss,vsz,time,nlwp,comm,args", NULL};
    for (int r = 0; r < runs; r++) {
        /* alternate which of ours / floor goes first, so neither always gets the warmer caches */
        for (int k = 0; k < 2; k++) {
            if ((k == 0) == (r % 2 == 0)) {
                double c0 = cpu_now(), t0 = now();
                ps_ptable_scan(TABLE_FIELDS, 0, &t);
                count = t->count;
                ps_ptable_free(t);
                double t1 = now(), c1 = cpu_now();
                ours[r] = (t1 - t0) / (double)count * 1e6;
                ours_cpu[r] = (c1 - c0) / (double)count * 1e6;
            } else {
                double c0 = cpu_now(), t0 = now();
                size_t fc = floor_scan();
                double t1 = now(), c1 = cpu_now();
                flo[r] = (t1 - t0) / (double)fc * 1e6;
                flo_cpu[r] = (c1 - c0) / (double)fc * 1e6;
            }
        }
        psv[r] = time_command(ps_argv) / (double)count * 1e6;
    }
    /* psutil: one interpreter, runs iterations, each timed inside Python */
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s table %d", script, runs);
    FILE *f = popen(cmd, "r");
    double pu[100];
    int npu = 0;
    if (f) {
        size_t n;
        double secs;
        while (npu < runs && fscanf(f, "%zu %lf", &n, &secs) == 2) pu[npu++] = secs / (double)n * 1e6;
        pclose(f);
    }

    /* one process, all fields */
    ps_proc *p = NULL;
    double snap = 0, pone = 0;
    int iters = 20000;
    if (ps_proc_open(kids[0], &p) == 0) {
        for (int i = 0; i < 100; i++) {
            ps_proc_snapshot(p, PS_PT_ALL, &t);
            ps_ptable_free(t);
        }
        double vals[100];
        for (int r = 0; r < runs; r++) {
            double t0 = now();
            for (int i = 0; i < iters / 10; i++) {
                ps_proc_snapshot(p, PS_PT_ALL, &t);
                ps_ptable_free(t);
            }
            vals[r] = (now() - t0) / (iters / 10) * 1e6;
        }
        snap = median(vals, runs);
        ps_proc_free(p);
        snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s one %d %d", script, (int)kids[0], 2000);
        f = popen(cmd, "r");
        if (f) {
            if (fscanf(f, "%lf", &pone) != 1) pone = 0;
            pclose(f);
            pone *= 1e6;
        }
    }
    kill_sleepers(kids, nprocs);

    double mo = median(ours, runs), mf = median(flo, runs), mp = median(psv, runs);
    double mpu = npu ? median(pu, npu) : 0;
    printf("process table, 12 fields, %zu processes, median of %d runs (us per process):\n", count, runs);
    printf("  ours (ps_ptable_scan)   %8.2f\n", mo);
    printf("  floor (syscalls only)   %8.2f   ours/floor  = %.3f  (goal <= 1.15)\n", mf, mo / mf);
    double moc = median(ours_cpu, runs), mfc = median(flo_cpu, runs);
    printf("  CPU time: ours %.2f, floor %.2f   ours/floor  = %.3f\n", moc, mfc, moc / mfc);
    if (npu) printf("  psutil process_iter     %8.2f   psutil/ours = %.2f  (goal >= 3.5)\n", mpu, mpu / mo);
    else printf("  psutil process_iter     (failed to run %s)\n", script);
    printf("  ps -eo (whole command)  %8.2f   ps/ours     = %.2f\n", mp, mp / mo);
    printf("one process, all fields (us per call):\n");
    printf("  ps_proc_snapshot        %8.2f\n", snap);
    if (pone > 0) printf("  psutil as_dict+oneshot  %8.2f   psutil/ours = %.2f\n", pone, pone / snap);
    return 0;
}
