/*
 * The process table under churn: a forked churner creates and reaps ~2000 short-lived
 * processes while this process scans the table again and again. Every churn child renames
 * itself "c<its pid>" (prctl) and half of them then exec /bin/true with argv[0] "ptc-<its pid>",
 * so each record can be checked against itself: a record that mixed two processes would carry
 * another PID in its name or cmdline. Also: no crash, no fd leak, no memory growth.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psinfo.h"
#include "helpers/spawn.h"

#define B(f) PS_PT_BIT(PS_PT_##f)
#define CHURN_TOTAL 2000
#define CHURN_BATCH 25

static void churner(pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    prctl(PR_SET_NAME, "ptchurner");
    int made = 0;
    while (made < CHURN_TOTAL) {
        pid_t kids[CHURN_BATCH];
        int n = 0;
        for (; n < CHURN_BATCH && made < CHURN_TOTAL; n++, made++) {
            pid_t c = fork();
            if (c == 0) {
                char name[16], arg0[32];
                snprintf(name, sizeof name, "c%d", (int)getpid());
                prctl(PR_SET_NAME, name);
                if (made % 2) {
                    snprintf(arg0, sizeof arg0, "ptc-%d", (int)getpid());
                    char *argv[] = {arg0, NULL};
                    execv("/bin/true", argv);
                }
                usleep(2000);
                _exit(0);
            }
            if (c < 0) break;
            kids[n] = c;
        }
        for (int i = 0; i < n; i++) waitpid(kids[i], NULL, 0);
    }
    _exit(0);
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

/* Check the records of the churner's children. Returns how many were checked. */
static size_t check_table(const ps_ptable *t, pid_t churn, double churn_start)
{
    size_t checked = 0;
    for (size_t i = 0; i < t->count; i++) {
        const ps_ptable_record *r = &t->records[i];
        cr_assert(r->present & B(PID));
        if (!(r->present & B(PPID)) || r->ppid != churn) continue;
        checked++;
        cr_assert(r->present & B(NAME), "pid %lld: name error %d", (long long)r->pid, r->error[PS_PT_NAME]);
        cr_assert(r->present & B(CREATE_TIME));
        /* btime is whole seconds (rounded down): create_time can read up to 1 s early */
        cr_assert_geq(r->create_time, churn_start - 1.01, "pid %lld created before the churner", (long long)r->pid);
        char want[32];
        if (r->name[0] == 'c' && r->name[1] >= '0' && r->name[1] <= '9') {
            snprintf(want, sizeof want, "c%lld", (long long)r->pid);
            cr_assert_str_eq(r->name, want, "record of pid %lld carries another process's name", (long long)r->pid);
        } else if (strcmp(r->name, "true") == 0) {
            /* an empty cmdline is the kernel's window inside execve (the new comm is set
             * before the new argv is published); anything else must be this PID's argv */
            if ((r->present & B(CMDLINE)) && r->cmdline_count > 0) {
                snprintf(want, sizeof want, "ptc-%lld", (long long)r->pid);
                cr_assert_eq(r->cmdline_count, 1, "pid %lld", (long long)r->pid);
                cr_assert_str_eq(r->cmdline[0], want, "record of pid %lld mixes processes", (long long)r->pid);
            } else if (!(r->present & B(CMDLINE))) {
                int e = r->error[PS_PT_CMDLINE];
                cr_assert(e == PS_EZOMBIE || e == PS_ENOPROC, "pid %lld: cmdline error %d", (long long)r->pid, e);
            }
            if (r->present & B(EXE)) cr_assert_str_eq(r->exe, true_path);
        } else {
            /* forked but not renamed yet: still the churner's copy */
            cr_assert_str_eq(r->name, "ptchurner", "pid %lld: unexpected name %s", (long long)r->pid, r->name);
        }
        if (r->present & B(STATUS) && r->status == PS_STATUS_ZOMBIE)
            cr_assert_neq(r->present & B(EXE), B(EXE), "zombie with an exe");
    }
    return checked;
}

Test(ptable_churn, scan_while_2000_processes_come_and_go, .timeout = 600)
{
    uint64_t mask = B(PPID) | B(NAME) | B(CMDLINE) | B(EXE) | B(CREATE_TIME) | B(STATUS) |
                    B(MEMORY_INFO) | B(USERNAME) | B(CWD) | B(NUM_THREADS) | B(CPU_TIMES);
    cr_assert_not_null(realpath("/bin/true", true_path));
    /* warm up (libc, passwd), then measure fds and memory */
    ps_ptable *t;
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(ps_ptable_scan(mask, 0, &t), 0);
        ps_ptable_free(t);
    }
    int fds = ph_count_fds();
    long rss0 = rss_kb();
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    double start = (double)ts.tv_sec + ts.tv_nsec / 1e9;
    pid_t parent = getpid();
    pid_t churn = fork();
    if (churn == 0) churner(parent);
    cr_assert_gt(churn, 0);
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
        ps_ptable_free(t);
        scans++;
        if (waitpid(churn, &status, WNOHANG) == churn) break;
    }
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "churner failed");
    cr_log_info("%zu scans, %zu churn records checked (%zu with KEEP_PARTIAL)", scans, checked, partial_checked);
    cr_assert_gt(scans, 3);
    cr_assert_gt(checked, 0, "no churn child seen in %zu scans", scans);
    cr_assert_eq(ph_count_fds(), fds, "fd leak");
    long rss1 = rss_kb();
    cr_log_info("VmRSS %ld kB -> %ld kB", rss0, rss1);
    cr_assert_lt(rss1 - rss0, 4096, "memory grew by %ld kB", rss1 - rss0);
}
