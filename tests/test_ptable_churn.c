/* SPDX-License-Identifier: MIT */
/*
 * The process table under churn: a forked churner creates and reaps ~2000 short-lived
 * processes while this process scans the table again and again (pid_max is 32768 here and
 * other agents fork too, so PIDs get reused). Child number <seq> renames itself "c<seq>"
 * (prctl); every other child then execs /bin/true through a symlink named "t<seq>" (so its
 * comm is "t<seq>") with argv[0] "ptc-<seq>". The churner records seq -> pid in shared memory.
 * So each record can be checked against itself: its name and cmdline must carry the same
 * <seq>, and that <seq> must belong to the record's PID; a record that mixed two processes
 * (even two with the same PID) would not. Also: no crash, no fd leak, no memory growth.
 * Child 0 is held: it blocks on a pipe that the test closes only once a scan has seen it and
 * at least MIN_SCANS scans are done, so the test sees a churn child and scans several times
 * however long a scan takes (thousands of other processes make each scan outlast the short-lived
 * children); the other children churn meanwhile, as before.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psinfo.h"
#include "helpers/spawn.h"
#include "helpers/fdcheck.h"
#include "helpers/vgaware.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(ptable_churn);

#define B(f) PS_PT_BIT(PS_PT_##f)
#define CHURN_TOTAL 2000
#define CHURN_BATCH 25
#define MIN_SCANS 4
/* processes churned: CHURN_TOTAL, or 400 under valgrind, where each fork and exec costs ~25x */
static int churn_total = CHURN_TOTAL;

static char link_dir[64];
static volatile int32_t *seq_pid;   /* shared: seq -> pid (0 until the churner wrote it) */

/* Child 0, named "c0" like any forked child: lives until the test closes the pipe's write end
 * (or dies: then the read sees end-of-file too). */
static pid_t fork_held_child(int release_fd)
{
    pid_t c = fork();
    if (c == 0) {
        prctl(PR_SET_NAME, "c0");
        char b;
        while (read(release_fd, &b, 1) < 0) {
        }
        _exit(0);
    }
    return c;
}

static void churner(pid_t parent, int release_fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    prctl(PR_SET_NAME, "ptchurner");
    pid_t held = fork_held_child(release_fd);
    if (held < 0) _exit(1);
    seq_pid[0] = held;
    close(release_fd);
    int made = 1;
    while (made < churn_total) {
        pid_t kids[CHURN_BATCH];
        int n = 0;
        for (; n < CHURN_BATCH && made < churn_total; n++, made++) {
            pid_t c = fork();
            if (c == 0) {
                char name[16], arg0[32], path[128];
                snprintf(name, sizeof name, "c%d", made);
                prctl(PR_SET_NAME, name);
                if (made % 2) {
                    snprintf(arg0, sizeof arg0, "ptc-%d", made);
                    snprintf(path, sizeof path, "%s/t%d", link_dir, made);
                    char *argv[] = {arg0, NULL};
                    execv(path, argv);
                }
                usleep(2000);
                _exit(0);
            }
            if (c < 0) break;
            seq_pid[made] = c;
            kids[n] = c;
        }
        for (int i = 0; i < n; i++) waitpid(kids[i], NULL, 0);
    }
    int st;
    if (waitpid(held, &st, 0) != held || !WIFEXITED(st) || WEXITSTATUS(st) != 0) _exit(1);
    _exit(0);
}

/* Whether the table holds the churner's child pid. */
static int table_has(const ps_ptable *t, pid_t churn, int32_t pid)
{
    for (size_t i = 0; i < t->count; i++) {
        const ps_ptable_record *r = &t->records[i];
        if (r->pid == pid && (r->present & PS_PT_BIT(PS_PT_PPID)) && r->ppid == churn) return 1;
    }
    return 0;
}

static char true_path[4096];

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) v = atol(line + 6);
    if (f) fclose(f);
    return v;
}

static char churner_exe[4096];
static char churner_argv0[4096];   /* the churner's argv[0] (a fork of this process) */

/* Parse "<prefix><seq>" (seq < CHURN_TOTAL); -1 if s has another form. */
static int seq_of(const char *s, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (strncmp(s, prefix, pl) != 0 || !s[pl]) return -1;
    char *end;
    long v = strtol(s + pl, &end, 10);
    if (*end || v < 0 || v >= CHURN_TOTAL) return -1;
    return (int)v;
}

/* Check the records of the churner's children. Returns how many were checked. */
static size_t check_table(const ps_ptable *t, pid_t churn, double churn_start)
{
    size_t checked = 0;
    for (size_t i = 0; i < t->count; i++) {
        const ps_ptable_record *r = &t->records[i];
        cr_assert(r->present & B(PID));
        if (!(r->present & B(PPID)) || r->ppid != churn) continue;
        checked++;
        long long pid = (long long)r->pid;
        cr_assert(r->present & B(NAME), "pid %lld: name error %d", pid, r->error[PS_PT_NAME]);
        cr_assert(r->present & B(CREATE_TIME));
        /* btime is whole seconds (rounded down): create_time can read up to 1 s early */
        cr_assert_geq(r->create_time, churn_start - 1.01, "pid %lld created before the churner", pid);
        int seq;
        if ((seq = seq_of(r->name, "c")) >= 0) {
            /* forked and renamed, not exec'd (yet) */
            cr_assert(seq_pid[seq] == 0 || seq_pid[seq] == r->pid,
                      "record of pid %lld carries the name of child %d (pid %d)", pid, seq, (int)seq_pid[seq]);
            if ((r->present & B(CMDLINE)) && r->cmdline_count == 1 && strncmp(r->cmdline[0], "ptc-", 4) == 0)
                cr_assert_eq(seq_of(r->cmdline[0], "ptc-"), seq, "pid %lld: name %s, cmdline %s", pid, r->name, r->cmdline[0]);
        } else if ((seq = seq_of(r->name, "t")) >= 0) {
            /* exec'd: comm "t<seq>" and argv[0] "ptc-<seq>" must agree (an empty cmdline is
             * the kernel's window inside execve: new comm, argv not published yet) */
            cr_assert(seq_pid[seq] == 0 || seq_pid[seq] == r->pid,
                      "record of pid %lld carries the name of child %d (pid %d)", pid, seq, (int)seq_pid[seq]);
            if ((r->present & B(CMDLINE)) && r->cmdline_count > 0 && seq_of(r->cmdline[0], "ptc-") < 0 &&
                strcmp(r->cmdline[0], churner_argv0) == 0) {
                /* the same process a moment before its exec: the table reads stat (the new comm)
                 * last, after cmdline (still the churner's argv), as exe above may be the
                 * churner's; the stat anchor proves no other process held the PID meanwhile */
            } else if ((r->present & B(CMDLINE)) && r->cmdline_count > 0) {
                cr_assert_eq(r->cmdline_count, 1, "pid %lld", pid);
                cr_assert_eq(seq_of(r->cmdline[0], "ptc-"), seq, "record of pid %lld mixes processes: name %s, cmdline %s",
                             pid, r->name, r->cmdline[0]);
            } else if (!(r->present & B(CMDLINE))) {
                int e = r->error[PS_PT_CMDLINE];
                cr_assert(e == PS_EZOMBIE || e == PS_ENOPROC, "pid %lld: cmdline error %d", pid, e);
            }
            /* the exe is true's, or (read a moment before the exec) the churner's */
            if (r->present & B(EXE))
                cr_assert(strcmp(r->exe, true_path) == 0 || strcmp(r->exe, churner_exe) == 0 ||
                              (vg_running() && vg_is_tool_exe(r->exe)), /* the churner's, under valgrind */
                          "pid %lld: exe %s", pid, r->exe);
        } else {
            /* forked but not renamed yet: still the churner's copy */
            cr_assert_str_eq(r->name, "ptchurner", "pid %lld: unexpected name %s", pid, r->name);
        }
    }
    return checked;
}

Test(ptable_churn, scan_while_2000_processes_come_and_go, .timeout = 600)
{
    uint64_t mask = B(PPID) | B(NAME) | B(CMDLINE) | B(EXE) | B(CREATE_TIME) | B(STATUS) |
                    B(MEMORY_INFO) | B(USERNAME) | B(CWD) | B(NUM_THREADS) | B(CPU_TIMES);
    if (vg_running()) {
        churn_total = 400;
        vg_note("%d processes churned instead of %d (valgrind)", churn_total, CHURN_TOTAL);
    }
    cr_assert_not_null(realpath("/bin/true", true_path));
    cr_assert_not_null(realpath("/proc/self/exe", churner_exe));
    {
        FILE *f = fopen("/proc/self/cmdline", "r");
        cr_assert_not_null(f);
        size_t n = fread(churner_argv0, 1, sizeof churner_argv0 - 1, f);
        fclose(f);
        churner_argv0[n] = '\0';   /* argv[0] ends at the first NUL */
        cr_assert_gt(strlen(churner_argv0), 0);
    }
    snprintf(link_dir, sizeof link_dir, "/tmp/ptable-churn-XXXXXX");
    cr_assert_not_null(mkdtemp(link_dir));
    for (int i = 1; i < CHURN_TOTAL; i += 2) {
        char path[128];
        snprintf(path, sizeof path, "%s/t%d", link_dir, i);
        cr_assert_eq(symlink(true_path, path), 0);
    }
    seq_pid = mmap(NULL, CHURN_TOTAL * sizeof(int32_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq((void *)seq_pid, MAP_FAILED);
    /* warm up (libc, passwd), then measure fds and memory */
    ps_ptable *t;
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(ps_ptable_scan(mask, 0, &t), 0);
        ps_ptable_free(t);
    }
    int fds = fdcheck_count();
    long rss0 = rss_kb();
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    double start = (double)ts.tv_sec + ts.tv_nsec / 1e9;
    pid_t parent = getpid();
    int release[2];   /* held child: read end; the test closes the write end to release it */
    cr_assert_eq(pipe2(release, O_CLOEXEC), 0);
    pid_t churn = fork();
    if (churn == 0) {
        close(release[1]);
        churner(parent, release[0]);
    }
    cr_assert_gt(churn, 0);
    close(release[0]);
    int held_seen = 0;
    size_t scans = 0, checked = 0, partial_checked = 0;
    int status = 0;
    for (;;) {
        /* alternate the default scan and the partial-keeping one */
        uint32_t flags = scans % 2 ? PS_PT_KEEP_PARTIAL : 0;
        int rc = ps_ptable_scan(mask, flags, &t);
        cr_assert_eq(rc, 0, "scan %zu failed: %d", scans, rc);
        size_t n = check_table(t, churn, start);
        checked += n;
        if (flags) partial_checked += n;
        held_seen = held_seen || (seq_pid[0] != 0 && table_has(t, churn, seq_pid[0]));
        ps_ptable_free(t);
        scans++;
        if (held_seen && scans >= MIN_SCANS && release[1] >= 0) {
            close(release[1]);
            release[1] = -1;
        }
        if (waitpid(churn, &status, WNOHANG) == churn) break;
    }
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "churner failed");
    cr_log_info("%zu scans, %zu churn records checked (%zu with KEEP_PARTIAL)", scans, checked, partial_checked);
    cr_assert(held_seen, "the held child was never seen in %zu scans", scans);
    cr_assert_geq(scans, MIN_SCANS);
    cr_assert_gt(checked, 0, "no churn child seen in %zu scans", scans);
    cr_assert_eq(fdcheck_count(), fds, "fd leak");
    long rss1 = rss_kb();
    cr_log_info("VmRSS %ld kB -> %ld kB", rss0, rss1);
#if defined(__SANITIZE_ADDRESS__)
    /* ASan's quarantine keeps freed memory: RSS says nothing here (LeakSanitizer checks) */
    (void)rss1;
#else
    /* valgrind's own memory (translations, shadow memory, freed blocks held back) grows with
     * the run too: there RSS says nothing either (memcheck's leak check does) */
    if (vg_running())
        vg_note("memory growth (%ld kB) under valgrind", rss1 - rss0);
    else
        cr_assert_lt(rss1 - rss0, 4096, "memory grew by %ld kB", rss1 - rss0);
#endif
    munmap((void *)seq_pid, CHURN_TOTAL * sizeof(int32_t));
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf %s", link_dir);
    cr_assert_eq(system(rm), 0);
}
