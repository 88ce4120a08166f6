/* SPDX-License-Identifier: MIT */
/* Benchmark: system-wide calls, microseconds per call (median of batches) next to psutil's
 * in the same run. Usage: bench_system [python3] (default /usr/bin/python3); the Python side
 * is bench_system.py next to this file (path from PSINFO_SOURCE_ROOT or argv[2]). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "psinfo.h"

#define BATCHES 15

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int op_partitions(void)
{
    ps_disk_partition_list *l = NULL;
    int rc = ps_disk_partitions(0, &l);
    ps_disk_partition_list_free(l);
    return rc;
}

static int op_vmem(void)
{
    ps_vmem m;
    return ps_virtual_memory(&m);
}

static int op_percpu(void)
{
    ps_cputimes_list *l = NULL;
    int rc = ps_cpu_times_percpu(&l);
    ps_cputimes_list_free(l);
    return rc;
}

/* The kernel floor: open + read + close of the files a call must read, nothing else. */
static int slurp(const char *path)
{
    static char buf[1 << 16]; /* benchmark only */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    while (read(fd, buf, sizeof buf) > 0) {
    }
    close(fd);
    return 0;
}
static int floor_partitions(void) { return slurp("/proc/filesystems") | slurp("/proc/self/mountinfo"); }
static int floor_vmem(void) { return slurp("/proc/meminfo"); }
static int floor_percpu(void) { return slurp("/proc/stat"); }

/* ours and the floor in alternating batches, so a change of machine load hits both alike */
static void median_pair_us(int (*op)(void), int (*fl)(void), int per_batch, double *ours, double *floor)
{
    double v[BATCHES], f[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        double t0 = now_us();
        for (int i = 0; i < per_batch; i++)
            if (op() != 0) {
                fprintf(stderr, "call failed\n");
                exit(1);
            }
        double t1 = now_us();
        for (int i = 0; i < per_batch; i++) (void)fl();
        double t2 = now_us();
        v[b] = (t1 - t0) / per_batch;
        f[b] = (t2 - t1) / per_batch;
    }
    qsort(v, BATCHES, sizeof v[0], cmp_d);
    qsort(f, BATCHES, sizeof f[0], cmp_d);
    *ours = v[BATCHES / 2];
    *floor = f[BATCHES / 2];
}

/* "name=value" lines from the Python side */
static double lookup(const char *text, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncmp(p, key, kl) && p[kl] == '=') return strtod(p + kl + 1, NULL);
    return -1;
}

int main(int argc, char **argv)
{
    const char *py = argc > 1 ? argv[1] : "/usr/bin/python3";
    char script[1024];
    const char *src = getenv("PSINFO_SOURCE_ROOT");
    if (argc > 2) snprintf(script, sizeof script, "%s", argv[2]);
    else snprintf(script, sizeof script, "%s/bench/bench_system.py", src ? src : ".");

    struct { const char *name; int (*op)(void); int (*floor)(void); int n; double ours, theirs, fl; } rows[] = {
        {"disk_partitions", op_partitions, floor_partitions, 200, 0, 0, 0},
        {"virtual_memory", op_vmem, floor_vmem, 500, 0, 0, 0},
        {"cpu_times_percpu", op_percpu, floor_percpu, 500, 0, 0, 0},
    };
    size_t nrows = sizeof rows / sizeof rows[0];
    /* ROUNDS rounds of (ours + floor, then psutil), and ours + floor once more: each figure is
     * the median over the rounds, so a burst of load on the machine during one phase does not
     * decide a ratio */
    enum { ROUNDS = 3 };
    double ours_r[3][ROUNDS + 1], fl_r[3][ROUNDS + 1], theirs_r[3][ROUNDS];
    int psutil_ok = 1;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' '%s'", py, script);
    for (int r = 0; r <= ROUNDS; r++) {
        for (size_t i = 0; i < nrows; i++) median_pair_us(rows[i].op, rows[i].floor, rows[i].n, &ours_r[i][r], &fl_r[i][r]);
        if (r == ROUNDS) break;
        FILE *p = popen(cmd, "r");
        char out[4096] = "";
        size_t got = p ? fread(out, 1, sizeof out - 1, p) : 0;
        out[got] = '\0';
        int st = p ? pclose(p) : -1;
        if (st != 0) psutil_ok = 0;
        for (size_t i = 0; i < nrows; i++) theirs_r[i][r] = st == 0 ? lookup(out, rows[i].name) : -1;
    }
    for (size_t i = 0; i < nrows; i++) {
        qsort(ours_r[i], ROUNDS + 1, sizeof(double), cmp_d);
        qsort(fl_r[i], ROUNDS + 1, sizeof(double), cmp_d);
        qsort(theirs_r[i], ROUNDS, sizeof(double), cmp_d);
        rows[i].ours = (ours_r[i][ROUNDS / 2] + ours_r[i][(ROUNDS + 1) / 2]) / 2;
        rows[i].fl = (fl_r[i][ROUNDS / 2] + fl_r[i][(ROUNDS + 1) / 2]) / 2;
        rows[i].theirs = psutil_ok ? theirs_r[i][ROUNDS / 2] : -1;
    }

    /* floor: the kernel's cost of producing the files; best possible ratio = psutil / floor */
    printf("µs per call, medians of %d batches, median over 3 rounds; floor = open + read + close of the files the call\n"
           "must read (the kernel formats them); max ratio = psutil / floor, the best any\n"
           "implementation could reach; ours / floor = what our parsing and allocation add\n", BATCHES);
    printf("%-18s %10s %10s %8s %10s %10s %12s\n", "call", "psinfo us", "psutil us", "ratio", "floor us",
           "max ratio", "ours/floor");
    for (size_t i = 0; i < nrows; i++) {
        if (rows[i].theirs > 0)
            printf("%-18s %10.2f %10.2f %7.1fx %10.2f %9.1fx %11.2fx\n", rows[i].name, rows[i].ours,
                   rows[i].theirs, rows[i].theirs / rows[i].ours, rows[i].fl, rows[i].theirs / rows[i].fl,
                   rows[i].ours / rows[i].fl);
        else
            printf("%-18s %10.2f %10s %8s %10.2f\n", rows[i].name, rows[i].ours, "n/a", "-", rows[i].fl);
    }
    for (size_t i = 0; i < nrows; i++)
        if (rows[i].theirs > 0 && rows[i].theirs / rows[i].fl < 10)
            printf("  -> %s: 10x is out of reach here: reading the file alone is %.1fx faster than psutil\n",
                   rows[i].name, rows[i].theirs / rows[i].fl);
    return 0;
}
