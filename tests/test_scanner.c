/* SPDX-License-Identifier: MIT */
/*
 * The process scanner: records equal to the plain table's, descriptors kept and accounted
 * for, gone processes dropped, a PID reused between two scans (ns_last_pid) reported as a new
 * process whose CPU percentage is its own, CPU percentages exactly as documented, EMFILE never
 * failing a scan, PIDFD_GET_INFO and the status file giving identical ids, concurrent scans.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <psinfo.h>

#include "helpers/fdcheck.h"
#include "helpers/spawn.h"
#include "helpers/vgaware.h"
#include "linux/linux.h"

#define B(f) PS_PT_BIT(PS_PT_##f)
#define FIELDS (B(NAME) | B(EXE) | B(CWD) | B(USERNAME) | B(STATUS) | B(PPID) | B(CREATE_TIME) | \
                B(MEMORY_INFO) | B(CPU_TIMES) | B(CMDLINE) | B(NUM_THREADS) | B(UIDS) | B(GIDS))

static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static const ps_ptable_record *find(const ps_ptable *t, int64_t pid, size_t *idx)
{
    for (size_t i = 0; i < t->count; i++)
        if (t->records[i].pid == pid) {
            if (idx) *idx = i;
            return &t->records[i];
        }
    return NULL;
}

static ps_scan *scan_ok(ps_scanner *s)
{
    ps_scan *sc = NULL;
    int rc = ps_scanner_scan(s, &sc);
    cr_assert_eq(rc, 0, "ps_scanner_scan: %s", ps_err_name(rc));
    cr_assert_not_null(sc);
    return sc;
}

static void same_str(const char *a, const char *b, const char *what)
{
    cr_expect((a == NULL) == (b == NULL) && (!a || strcmp(a, b) == 0), "%s: '%s' vs '%s'", what,
              a ? a : "(null)", b ? b : "(null)");
}

/* Every field of two records of one paused process (nothing moves). */
static void same_record(const ps_ptable_record *a, const ps_ptable_record *b)
{
    cr_expect_eq(a->present, b->present, "present %llx vs %llx", (unsigned long long)a->present,
                 (unsigned long long)b->present);
    same_str(a->name, b->name, "name");
    same_str(a->exe, b->exe, "exe");
    same_str(a->cwd, b->cwd, "cwd");
    same_str(a->username, b->username, "username");
    cr_expect_eq(a->cmdline_count, b->cmdline_count);
    for (size_t i = 0; i < a->cmdline_count && i < b->cmdline_count; i++) same_str(a->cmdline[i], b->cmdline[i], "argv");
    cr_expect_eq(a->ppid, b->ppid);
    cr_expect_eq(a->status, b->status);
    cr_expect_eq(a->create_time, b->create_time);
    cr_expect_eq(a->num_threads, b->num_threads);
    cr_expect_eq(a->memory_info.rss, b->memory_info.rss);
    cr_expect_eq(a->memory_info.vms, b->memory_info.vms);
    cr_expect_eq(a->cpu_times.user, b->cpu_times.user);
    cr_expect_eq(a->cpu_times.system, b->cpu_times.system);
    cr_expect_eq(memcmp(&a->uids, &b->uids, sizeof a->uids), 0);
    cr_expect_eq(memcmp(&a->gids, &b->gids, sizeof a->gids), 0);
}

Test(scanner, records_equal_the_plain_table)
{
    raise_nofile();
    pid_t c = ph_spawn_pause();
    cr_assert_gt(c, 0);
    ps_scanner *s;
    cr_assert_eq(ps_scanner_new(FIELDS, 0, &s), 0);
    ps_scan *s1 = scan_ok(s), *s2 = scan_ok(s);   /* the second through kept descriptors */
    ps_ptable *t;
    cr_assert_eq(ps_ptable_scan(FIELDS, 0, &t), 0);
    const ps_ptable_record *a = find(s1->table, c, NULL), *b = find(s2->table, c, NULL), *p = find(t, c, NULL);
    cr_assert(a && b && p, "the child is in every table");
    same_record(a, p);
    same_record(b, p);
    cr_expect_eq(s1->table->fields, FIELDS | B(PID));
    cr_expect_eq(s1->sequence, 1);
    cr_expect_eq(s2->sequence, 2);
    cr_expect(isnan(s1->interval) && isnan(s1->system_cpu_percent));
    cr_expect(s2->interval > 0);
    ps_ptable_free(t);
    ps_scan_free(s1);
    ps_scan_free(s2);
    ps_scanner_free(s);
    ph_reap(c);
}

/* Which fds of ours name /proc/<pid>/...: the scanner's kept descriptors of that process. */
static int fds_naming(pid_t pid)
{
    char want[64], path[64], target[256];
    int wl = snprintf(want, sizeof want, "/proc/%d/", (int)pid), n = 0;
    for (int fd = 0; fd < 65536; fd++) {
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        ssize_t r = readlink(path, target, sizeof target - 1);
        if (r < 0) continue;
        target[r] = '\0';
        if (strncmp(target, want, (size_t)wl) == 0) n++;
    }
    return n;
}

Test(scanner, descriptors_kept_counted_and_released)
{
    raise_nofile();
    int fds0 = fdcheck_count();
    pid_t c = ph_spawn_pause();
    cr_assert_gt(c, 0);
    ps_scanner *s;
    cr_assert_eq(ps_scanner_new(FIELDS, 0, &s), 0);
    ps_scan *s1 = scan_ok(s);
    ps_scanner_stats st;
    cr_assert_eq(ps_scanner_stats_get(s, &st), 0);
    cr_expect_eq(st.tracked, s1->table->count);
    cr_expect_gt(st.kept_fds, 0);
    cr_expect_leq(st.kept_fds, st.fd_budget);
    cr_expect_eq((uint64_t)fdcheck_count(), (uint64_t)fds0 + st.kept_fds, "the scanner accounts for every fd it keeps");
    cr_expect_geq(fds_naming(c), 5, "stat, statm, cmdline, status or a pidfd, and the exe and cwd links of the child are kept");
    ps_scan *s2 = scan_ok(s);
    cr_assert_eq(ps_scanner_stats_get(s, &st), 0);
    /* fresh opens on the second scan: only processes the first scan did not have */
    size_t newcomers = 0;
    for (size_t i = 0; i < s2->table->count; i++) {
        const ps_ptable_record *r = &s2->table->records[i], *o = find(s1->table, r->pid, NULL);
        if (!o || o->create_time != r->create_time) newcomers++;
    }
    cr_expect_leq(st.fresh_opens, newcomers, "fresh %llu, new %zu", (unsigned long long)st.fresh_opens, newcomers);
    cr_expect_gt(st.state_bytes, 0);
    /* the child goes: its state (and every descriptor naming it) is dropped */
    ph_reap(c);
    ps_scan *s3 = scan_ok(s);
    cr_expect_null(find(s3->table, c, NULL));
    cr_expect_eq(fds_naming(c), 0);
    cr_assert_eq(ps_scanner_stats_get(s, &st), 0);
    cr_expect_eq((uint64_t)fdcheck_count(), (uint64_t)fds0 + st.kept_fds);
    ps_scan_free(s1);
    ps_scan_free(s2);
    ps_scanner_free(s);
    cr_expect_eq(fdcheck_count(), fds0, "ps_scanner_free closes everything");
    ps_scan_free(s3);   /* a scan outlives its scanner */
}

/* A child that, told through a pipe, changes its directory and then executes another program:
 * the links and the command line read through kept descriptors must follow (each read resolves
 * again), never repeat what the first scan saw. */
static pid_t spawn_mover(int *go, const char *dir)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    pid_t c = fork();
    if (c == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        close(p[1]);
        char b;
        if (read(p[0], &b, 1) != 1) _exit(1);
        if (chdir(dir) != 0) _exit(2);
        if (read(p[0], &b, 1) != 1) _exit(3);
        execl("/bin/sleep", "sleep", "30", (char *)NULL);
        _exit(4);
    }
    close(p[0]);
    *go = p[1];
    return c;
}

/* Poll until the child's cwd (then exe) is what we asked for. */
static void wait_link(pid_t c, const char *link, const char *want)
{
    char path[64], got[PATH_MAX];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)c, link);
    for (int i = 0; i < 500; i++) {
        ssize_t r = readlink(path, got, sizeof got - 1);
        if (r > 0) {
            got[r] = '\0';
            if (strcmp(got, want) == 0) return;
        }
        usleep(10000);
    }
    cr_assert_fail("the child's %s never became %s", link, want);
}

Test(scanner, kept_links_follow_chdir_and_exec)
{
    raise_nofile();
    char dir[] = "/tmp/psinfo-scan-cwd-XXXXXX", real_dir[PATH_MAX], real_sleep[PATH_MAX];
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_not_null(realpath(dir, real_dir));
    cr_assert_not_null(realpath("/bin/sleep", real_sleep));
    int go;
    pid_t c = spawn_mover(&go, dir);
    ps_scanner *s;
    cr_assert_eq(ps_scanner_new(FIELDS, 0, &s), 0);
    ps_scan *s1 = scan_ok(s);
    const ps_ptable_record *r1 = find(s1->table, c, NULL);
    cr_assert_not_null(r1);
    cr_expect(r1->cwd && strcmp(r1->cwd, real_dir) != 0);
    cr_expect(fds_naming(c) >= 5, "the child's links are kept (%d descriptors)", fds_naming(c));
    cr_assert_eq(write(go, "c", 1), 1);
    wait_link(c, "cwd", real_dir);
    ps_scan *s2 = scan_ok(s);
    const ps_ptable_record *r2 = find(s2->table, c, NULL);
    cr_assert_not_null(r2);
    same_str(r2->cwd, real_dir, "cwd after chdir, through the kept descriptor");
    same_str(r2->exe, r1->exe, "exe before exec");
    cr_assert_eq(write(go, "e", 1), 1);
    wait_link(c, "exe", real_sleep);
    usleep(50000);   /* the exec is complete once the command line is the new one */
    ps_scan *s3 = scan_ok(s);
    const ps_ptable_record *r3 = find(s3->table, c, NULL);
    cr_assert_not_null(r3);
    same_str(r3->exe, real_sleep, "exe after exec, through the kept descriptor");
    same_str(r3->cwd, real_dir, "cwd after exec");
    same_str(r3->name, "sleep", "name after exec");
    cr_expect_eq(r3->cmdline_count, 2);
    if (r3->cmdline_count == 2) same_str(r3->cmdline[1], "30", "argv[1] after exec");
    cr_expect_eq(r3->create_time, r1->create_time, "the same process throughout");
    ps_ptable *t;
    cr_assert_eq(ps_ptable_scan(FIELDS, 0, &t), 0);
    const ps_ptable *fresh = t;
    const ps_ptable_record *p = find(fresh, c, NULL);
    cr_assert_not_null(p);
    same_record(r3, p);
    ps_ptable_free(t);
    ps_scan_free(s1);
    ps_scan_free(s2);
    ps_scan_free(s3);
    ps_scanner_free(s);
    close(go);
    ph_reap(c);
    rmdir(dir);
}

Test(scanner, no_keep_keeps_nothing)
{
    int fds0 = fdcheck_count();
    ps_scanner *s;
    cr_assert_eq(ps_scanner_new(FIELDS, PS_SCANNER_NO_KEEP, &s), 0);
    ps_scan *a = scan_ok(s), *b = scan_ok(s);
    ps_scanner_stats st;
    cr_assert_eq(ps_scanner_stats_get(s, &st), 0);
    cr_expect_eq(st.kept_fds, 0);
    cr_expect_eq(st.fd_budget, 0);
    cr_expect_eq(st.fresh_opens, b->table->count);
    cr_expect_eq(fdcheck_count(), fds0);
    cr_expect(find(b->table, getpid(), NULL) != NULL);
    ps_scan_free(a);
    ps_scan_free(b);
    ps_scanner_free(s);
}

/* CPU seconds (user + system) of the calling process. */
static double own_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In a child: burn `secs` of CPU, take the name, then report on fd and pause. */
static void burn_and_pause(double secs, const char *name, int fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    volatile unsigned long x = 0;
    while (own_cpu() < secs) x++;
    prctl(PR_SET_NAME, name);
    char ok = 'k';
    if (write(fd, &ok, 1) != 1) _exit(1);
    for (;;) pause();
}

static pid_t spawn_burner(double secs, const char *name)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        burn_and_pause(secs, name, p[1]);
    }
    close(p[1]);
    char ok;
    cr_assert_eq(read(p[0], &ok, 1), 1);
    close(p[0]);
    return c;
}

/* A burner that gets exactly PID `want` (ns_last_pid), or -1. */
static pid_t spawn_burner_at(pid_t want, double secs, const char *name)
{
    for (int attempt = 0; attempt < 200; attempt++) {
        int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
        if (fd < 0) return -1;
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%d", (int)want - 1);
        ssize_t w = write(fd, buf, (size_t)n);
        close(fd);
        if (w != n) return -1;
        int p[2];
        cr_assert_eq(pipe(p), 0);
        pid_t c = fork();
        if (c == 0) {
            close(p[0]);
            if (getpid() != want) _exit(0);
            burn_and_pause(secs, name, p[1]);
        }
        close(p[1]);
        if (c == want) {
            char ok;
            cr_assert_eq(read(p[0], &ok, 1), 1);
            close(p[0]);
            return c;
        }
        close(p[0]);
        if (c > 0) ph_reap(c);
    }
    return -1;
}

static void pid_reuse(uint32_t flags)
{
    raise_nofile();
    if (access("/proc/sys/kernel/ns_last_pid", W_OK) != 0) cr_skip_test("ns_last_pid is not writable (needs root)");
    ps_scanner *s;
    cr_assert_eq(ps_scanner_new(FIELDS, flags, &s), 0);
    /* the old process has used far more CPU than the new one will: a mixed delta is negative */
    pid_t old = spawn_burner(0.6 * 1.0, "reuse-old");
    ps_scan *s1 = scan_ok(s);
    size_t i1;
    const ps_ptable_record *r1 = find(s1->table, old, &i1);
    cr_assert_not_null(r1);
    cr_assert_str_eq(r1->name, "reuse-old");
    ps_scanner_stats st0;
    cr_assert_eq(ps_scanner_stats_get(s, &st0), 0);
    ph_reap(old);
    pid_t c = spawn_burner_at(old, 0.15 * 1.0, "reuse-new");
    if (c < 0) {
        ps_scan_free(s1);
        ps_scanner_free(s);
        cr_skip_test("could not get PID %d again through ns_last_pid (busy machine)", (int)old);
    }
    ps_scan *s2 = scan_ok(s);
    size_t i2;
    const ps_ptable_record *r2 = find(s2->table, c, &i2);
    cr_assert_not_null(r2, "the reused PID is listed");
    cr_expect_str_eq(r2->name, "reuse-new", "the new process's own data");
    cr_expect_gt(r2->create_time, r1->create_time);
    double own = r2->cpu_times.user + r2->cpu_times.system;
    cr_expect_lt(own, r1->cpu_times.user + r1->cpu_times.system, "the new process's own CPU times");
    /* its percentage: its own CPU over max(age, interval), never (new - old) (negative: 0) */
    double pct = s2->cpu_percent[i2];
    cr_expect_gt(pct, 0.0, "the CPU percentage is the new process's (%.3f)", pct);
    cr_expect_leq(pct, own / s2->interval * 100.0 + 1e-9);
    ps_scanner_stats st;
    cr_assert_eq(ps_scanner_stats_get(s, &st), 0);
    cr_expect_geq(st.pid_reuses, st0.pid_reuses + 1, "the reuse is counted");
    ps_scan_free(s1);
    ps_scan_free(s2);
    ps_scanner_free(s);
    ph_reap(c);
}

Test(scanner, pid_reuse_is_a_new_process_kept_descriptors)
{
    pid_reuse(0);
}

Test(scanner, pid_reuse_is_a_new_process_fresh_opens)
{
    pid_reuse(PS_SCANNER_NO_KEEP);
}

Test(scanner, cpu_percent_is_the_delta_over_the_interval)
{
    raise_nofile();
    pid_t burner = spawn_burner(0.0, "pct-burner");
    (void)burner;
    ps_scanner *s;
    cr_assert_eq(ps_scanner_new(0, 0, &s), 0);
    ps_scan *s1 = scan_ok(s);
    for (size_t i = 0; i < s1->table->count; i++) cr_expect(isnan(s1->cpu_percent[i]), "NaN on the first scan");
    kill(burner, SIGKILL);   /* a busy one instead: */
    ph_reap(burner);
    pid_t spin = fork();
    if (spin == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        for (volatile unsigned long x = 0;; x++) {}
    }
    usleep(200000);
    ps_scan *s2 = scan_ok(s);
    usleep(300000);
    ps_scan *s3 = scan_ok(s);
    size_t checked = 0;
    for (size_t i = 0; i < s3->table->count; i++) {
        const ps_ptable_record *r = &s3->table->records[i];
        size_t j;
        const ps_ptable_record *o = find(s2->table, r->pid, &j);
        if (!o || o->create_time != r->create_time) continue;
        double d = (r->cpu_times.user + r->cpu_times.system) - (o->cpu_times.user + o->cpu_times.system);
        double want = (d > 0 ? d : 0) / s3->interval * 100.0;
        cr_expect(fabs(s3->cpu_percent[i] - want) <= 1e-9 * (1 + want), "pid %lld: %.6f vs %.6f",
                  (long long)r->pid, s3->cpu_percent[i], want);
        checked++;
    }
    cr_expect_gt(checked, 1);
    size_t k;
    cr_assert_not_null(find(s3->table, spin, &k));
    cr_expect_gt(s3->cpu_percent[k], 0.0, "a spinning child uses CPU");
    cr_expect(s3->system_cpu_percent >= 0 && s3->system_cpu_percent <= 100.0);
    cr_expect_gt(s3->cpu_count, 0);
    for (size_t c = 0; c < s3->cpu_count; c++)
        cr_expect(s3->percpu_percent[c] >= 0 && s3->percpu_percent[c] <= 100.0);
    int32_t ncpu = 0;
    if (ps_cpu_count_logical(&ncpu) == 0) cr_expect_eq(s3->cpu_count, (size_t)ncpu);
    ph_reap(spin);
    ps_scan_free(s1);
    ps_scan_free(s2);
    ps_scan_free(s3);
    ps_scanner_free(s);
}

/* In a child with a small RLIMIT_NOFILE: scans keep descriptors, then every fd is taken;
 * the next scans must still succeed (the scanner gives back what it keeps). */
Test(scanner, emfile_never_fails_a_scan)
{
    if (vg_running()) {
        vg_note("valgrind virtualises RLIMIT_NOFILE and keeps descriptors of its own: EMFILE case skipped");
        cr_skip_test("under valgrind");
    }
    pid_t c = fork();
    if (c == 0) {
        struct rlimit rl = {160, 160};
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) _exit(2);
        ps_scanner *s;
        if (ps_scanner_new(FIELDS, 0, &s) != 0) _exit(3);
        ps_scan *sc;
        if (ps_scanner_scan(s, &sc) != 0) _exit(4);
        /* the user names while descriptors were plenty: later ones must equal them or be
         * marked as failed, never be the uid in decimal (the passwd lookup needs a file) */
        enum { NU = 64 };
        int64_t uid[NU];
        char name[NU][64];
        size_t nu = 0;
        for (size_t i = 0; i < sc->table->count && nu < NU; i++) {
            const ps_ptable_record *r = &sc->table->records[i];
            if (!(r->present & B(USERNAME)) || !(r->present & B(UIDS))) continue;
            size_t k = 0;
            while (k < nu && uid[k] != r->uids.real) k++;
            if (k < nu) continue;
            uid[nu] = r->uids.real;
            snprintf(name[nu++], sizeof name[0], "%s", r->username);
        }
        ps_scan_free(sc);
        ps_scanner_stats st;
        ps_scanner_stats_get(s, &st);
        if (st.kept_fds == 0 || st.kept_fds > 80) _exit(5);
        int last = -1;
        for (int fd; (fd = dup(0)) >= 0;) last = fd;   /* no descriptor left */
        for (int k = 0; k < 4; k++) {
            /* first with ONE descriptor free: the scan's own root fits, the passwd file not */
            if (k == 0 && last >= 0) close(last);
            int rc = ps_scanner_scan(s, &sc);
            if (rc != 0) _exit(10 + k);
            size_t n = sc->table->count, named = 0;
            for (size_t i = 0; i < n; i++) {
                const ps_ptable_record *r = &sc->table->records[i];
                if (!(r->present & B(USERNAME)) || !(r->present & B(UIDS))) continue;
                named++;
                for (size_t u = 0; u < nu; u++)
                    if (uid[u] == r->uids.real && strcmp(name[u], r->username) != 0) _exit(30 + k);
            }
            ps_scan_free(sc);
            if (n < 2) _exit(20 + k);
            if (named < n / 2) _exit(40 + k);   /* the scanner gave descriptors back and retried */
        }
        ps_scanner_free(s);
        _exit(0);
    }
    int status;
    cr_assert_eq(waitpid(c, &status, 0), c);
    cr_assert(WIFEXITED(status), "the child died");
    cr_expect_eq(WEXITSTATUS(status), 0, "step %d failed (30+: a user name changed under EMFILE, 40+: most names missing)",
                 WEXITSTATUS(status));
}

static int kernel_at_least(int major, int minor)
{
    struct utsname u;
    int a = 0, b = 0;
    if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &a, &b) != 2) return 0;
    return a > major || (a == major && b >= minor);
}

/* The same processes through PIDFD_GET_INFO and through the status file: identical ids. */
static void compare_paths(int use_scanner)
{
    raise_nofile();
    uint64_t f = B(UIDS) | B(GIDS) | B(USERNAME) | B(NAME) | B(CREATE_TIME) | B(PPID);
    pid_t other = ph_spawn_as_user(65534, 65534);
    cr_assert_gt(other, 0);
    ps_ptable *t[2] = {NULL, NULL};
    ps_scan *sc[2] = {NULL, NULL};
    for (int mode = 0; mode < 2; mode++) {
        ps__pidfd_info_force(mode ? -1 : 0);   /* 0: status file; then a fresh probe */
        if (mode == 1 && !vg_running() && kernel_at_least(6, 13))
            cr_expect_eq(ps__pidfd_info_usable(), 1, "PIDFD_GET_INFO works on this kernel");
        if (use_scanner) {
            ps_scanner *s;
            cr_assert_eq(ps_scanner_new(f, 0, &s), 0);
            ps_scan *x = scan_ok(s);
            ps_scan_free(x);
            sc[mode] = scan_ok(s);   /* the kept pidfd (or status) descriptors */
            ps_scanner_free(s);
        } else {
            cr_assert_eq(ps_ptable_scan(f, 0, &t[mode]), 0);
        }
    }
    const ps_ptable *a = use_scanner ? sc[0]->table : t[0], *b = use_scanner ? sc[1]->table : t[1];
    size_t same = 0;
    for (size_t i = 0; i < a->count; i++) {
        const ps_ptable_record *x = &a->records[i], *y = find(b, x->pid, NULL);
        if (!y || y->create_time != x->create_time) continue;
        cr_expect_eq(memcmp(&x->uids, &y->uids, sizeof x->uids), 0, "pid %lld uids", (long long)x->pid);
        cr_expect_eq(memcmp(&x->gids, &y->gids, sizeof x->gids), 0, "pid %lld gids", (long long)x->pid);
        same_str(x->username, y->username, "username");
        cr_expect_eq(x->ppid, y->ppid);
        cr_expect_eq(x->present, y->present);
        same++;
    }
    const ps_ptable_record *o = find(b, other, NULL);
    cr_assert_not_null(o);
    cr_expect_eq(o->uids.real, 65534);
    cr_expect_eq(o->gids.effective, 65534);
    cr_expect_gt(same, 2);
    ps_ptable_free(t[0]);
    ps_ptable_free(t[1]);
    ps_scan_free(sc[0]);
    ps_scan_free(sc[1]);
    ph_reap(other);
}

Test(scanner, pidfd_info_and_status_give_identical_records_plain_scan)
{
    compare_paths(0);
}

Test(scanner, pidfd_info_and_status_give_identical_records_scanner)
{
    compare_paths(1);
}

/* Threads: concurrent scans of ONE scanner are serialised; each result is whole and its own. */
typedef struct th_arg {
    ps_scanner *s;
    int scans;
    int failures;
    uint64_t seqs[16];
} th_arg;

static void *scan_thread(void *p)
{
    th_arg *a = p;
    for (int i = 0; i < a->scans; i++) {
        ps_scan *sc = NULL;
        if (ps_scanner_scan(a->s, &sc) != 0 || !find(sc->table, getpid(), NULL)) a->failures++;
        else a->seqs[i] = sc->sequence;
        ps_scanner_stats st;
        if (ps_scanner_stats_get(a->s, &st) != 0) a->failures++;
        ps_scan_free(sc);
    }
    return NULL;
}

Test(scanner, concurrent_scans_of_one_scanner)
{
    raise_nofile();
    ps_scanner *s;
    cr_assert_eq(ps_scanner_new(FIELDS, 0, &s), 0);
    enum { T = 4, N = 6 };
    th_arg args[T];
    pthread_t th[T];
    for (int i = 0; i < T; i++) {
        memset(&args[i], 0, sizeof args[i]);
        args[i].s = s;
        args[i].scans = N;
        cr_assert_eq(pthread_create(&th[i], NULL, scan_thread, &args[i]), 0);
    }
    int seen[T * N + 1];
    memset(seen, 0, sizeof seen);
    for (int i = 0; i < T; i++) {
        pthread_join(th[i], NULL);
        cr_expect_eq(args[i].failures, 0);
        for (int k = 0; k < N; k++) {
            uint64_t q = args[i].seqs[k];
            cr_expect(q >= 1 && q <= T * N, "sequence %llu", (unsigned long long)q);
            if (q >= 1 && q <= T * N) seen[q]++;
        }
    }
    for (int q = 1; q <= T * N; q++) cr_expect_eq(seen[q], 1, "each sequence number exactly once");
    ps_scanner_free(s);
}
