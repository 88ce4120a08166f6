/* SPDX-License-Identifier: MIT */
/* CPU times, statistics, frequency, the load-average emulation and swap on Windows (run under
 * wine). Oracles: the host, which wine reports (its /proc and /sys through wine's Z: drive),
 * a second Win32 family (GetSystemTimes against the per-CPU records), fixtures with known
 * answers (the decay step). */
#include <windows.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minitest.h"
#include "wintest.h"
#include <psinfo.h>

#include "windows/winsys.h"

#define HOST_HZ 100.0   /* USER_HZ of the host's /proc/stat (x86 and arm64 Linux) */

/* One "cpu"/"cpuN" line of the host's /proc/stat (label "cpu " or "cpu3 "): the columns. */
static int host_stat_cpu(const char *label, double col[10])
{
    FILE *f = fopen("Z:\\proc\\stat", "r");
    if (!f) return 0;
    char line[1024];
    int n = 0;
    size_t ll = strlen(label);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, label, ll) == 0) {
            char *p = line + ll;
            for (n = 0; n < 10; n++) {
                char *end;
                col[n] = strtod(p, &end) / HOST_HZ;
                if (end == p) break;
                p = end;
            }
            break;
        }
    fclose(f);
    return n;
}

/* lo - slack <= x <= hi + slack */
static int between(double lo, double x, double hi, double slack)
{
    return x >= lo - slack && x <= hi + slack;
}

MT_TEST(cpu_times_percpu_brackets_the_host_proc_stat)
{
    WT_HANDLES_BEFORE();
    ps_cputimes_list *a = NULL, *b = NULL;
    MT_REQUIRE(ps_cpu_times_percpu(&a) == 0);
    int32_t logical = 0;
    MT_REQUIRE(ps_cpu_count_logical(&logical) == 0);
    MT_CHECK_EQ_INT(a->count, logical);
    double host[64][10];
    int cols[64];
    size_t n = a->count < 64 ? a->count : 64;
    for (size_t i = 0; i < n; i++) {
        char label[16];
        snprintf(label, sizeof label, "cpu%u ", (unsigned)i);
        cols[i] = host_stat_cpu(label, host[i]);
    }
    MT_REQUIRE(ps_cpu_times_percpu(&b) == 0);
    MT_REQUIRE(b->count == a->count);
    int irq_seen = 0;
    for (size_t i = 0; i < n; i++) {
        const ps_cputimes *x = &a->items[i], *y = &b->items[i];
        const double *h = host[i];
        MT_REQUIRE(cols[i] >= 4);
        /* wine: UserTime = user + nice, IdleTime = idle, KernelTime = every other column + idle */
        double hu = h[0] + h[1], hi = h[3], hs = h[2];
        for (int c = 4; c < cols[i]; c++) hs += h[c];
        if (i < 2)
            MT_LOG("cpu%u: user %.2f (host %.2f), system %.2f (host %.2f), idle %.2f (host %.2f), irq %.2f, dpc %.2f",
                   (unsigned)i, x->user, hu, x->system, hs, x->idle, hi, x->irq, x->dpc);
        /* the host read lies between our two reads: one host tick of slack (rounding) */
        MT_CHECK(between(x->user, hu, y->user, 1.0 / HOST_HZ));
        MT_CHECK(between(x->idle, hi, y->idle, 1.0 / HOST_HZ));
        MT_CHECK(between(x->system, hs, y->system, 1.0 / HOST_HZ));
        MT_CHECK(x->user >= 0 && x->system >= 0 && x->idle > 0);
        MT_CHECK(x->irq >= 0 && x->dpc >= 0 && x->irq <= x->system + x->idle && x->dpc <= x->system + x->idle);
        /* psutil's Windows tuple has no such fields: unknown, not 0 */
        MT_CHECK(isnan(x->nice) && isnan(x->iowait) && isnan(x->softirq) && isnan(x->steal));
        MT_CHECK(isnan(x->guest) && isnan(x->guest_nice));
        irq_seen |= x->irq > 0 || x->dpc > 0;
    }
    if (!irq_seen) WT_WINE_GAP("SystemProcessorPerformanceInformation InterruptTime and DpcTime are 0");
    ps_cputimes_list_free(a);
    ps_cputimes_list_free(b);
    MT_CHECK_EQ_INT(ps_cpu_times_percpu(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_TEST(cpu_times_total_is_getsystemtimes_and_the_percpu_sum)
{
    WT_HANDLES_BEFORE();
    ps_cputimes t0, t1;
    ps_cputimes_list *l = NULL;
    double host[10];
    MT_REQUIRE(ps_cpu_times(&t0) == 0);
    int hc = host_stat_cpu("cpu ", host);
    MT_REQUIRE(ps_cpu_times_percpu(&l) == 0);
    MT_REQUIRE(ps_cpu_times(&t1) == 0);
    double su = 0, ss = 0, si = 0, sirq = 0, sdpc = 0;
    for (size_t i = 0; i < l->count; i++) {
        su += l->items[i].user;
        ss += l->items[i].system;
        si += l->items[i].idle;
        sirq += l->items[i].irq;
        sdpc += l->items[i].dpc;
    }
    MT_LOG("total user %.2f system %.2f idle %.2f irq %.2f dpc %.2f; per-CPU sums %.2f %.2f %.2f %.2f %.2f",
           t0.user, t0.system, t0.idle, t0.irq, t0.dpc, su, ss, si, sirq, sdpc);
    /* GetSystemTimes against the per-CPU records read between two totals */
    double slack = 0.02 * (double)l->count;
    MT_CHECK(between(t0.user, su, t1.user, slack));
    MT_CHECK(between(t0.system, ss, t1.system, slack));
    MT_CHECK(between(t0.idle, si, t1.idle, slack));
    MT_CHECK(between(t0.irq, sirq, t1.irq, slack));
    MT_CHECK(between(t0.dpc, sdpc, t1.dpc, slack));
    MT_REQUIRE(hc >= 4);
    MT_CHECK(between(t0.user, host[0] + host[1], t1.user, slack));
    MT_CHECK(between(t0.idle, host[3], t1.idle, slack));
    MT_CHECK(!isnan(t0.dpc));
    MT_CHECK(isnan(t0.nice) && isnan(t0.iowait) && isnan(t0.softirq) && isnan(t0.steal));
    MT_CHECK(isnan(t0.guest) && isnan(t0.guest_nice));
    double pct = -1;
    MT_CHECK(ps_cpu_percent(&t0, &t1, &pct) == 0 && pct >= 0 && pct <= 100);
    /* the percentages: psutil's five fields known, the others unknown */
    ps_cputimes tp;
    MT_REQUIRE(ps_cpu_times_percent(&t0, &t1, &tp) == 0);
    MT_CHECK(!isnan(tp.user) && !isnan(tp.system) && !isnan(tp.idle) && !isnan(tp.irq) && !isnan(tp.dpc));
    MT_CHECK(isnan(tp.nice) && isnan(tp.iowait) && isnan(tp.softirq) && isnan(tp.guest_nice));
    ps_cputimes_list_free(l);
    MT_CHECK_EQ_INT(ps_cpu_times(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_TEST(cpu_stats_against_the_host)
{
    WT_HANDLES_BEFORE();
    ps_cpustats s;
    MT_REQUIRE(ok(ps_cpu_stats(&s)));
    double ctxt = host_value("Z:\\proc\\stat", "ctxt ");
    double intr = host_value("Z:\\proc\\stat", "intr ");
    MT_LOG("ctx_switches %llu (host %.0f), interrupts %llu (host %.0f), soft %llu, syscalls %llu",
           (unsigned long long)s.ctx_switches, ctxt, (unsigned long long)s.interrupts, intr,
           (unsigned long long)s.soft_interrupts, (unsigned long long)s.syscalls);
    MT_CHECK(s.soft_interrupts == PS_UNKNOWN_U64);   /* not counted (psutil 0): unknown, not 0 */
    /* Windows counts its own context switches, interrupts and calls; wine has no such counters */
    if (s.ctx_switches == 0) WT_WINE_GAP("SystemPerformanceInformation ContextSwitches is 0");
    if (s.syscalls == 0) WT_WINE_GAP("SystemPerformanceInformation SystemCalls is 0");
    if (s.interrupts == 0) WT_WINE_GAP("SystemProcessorPerformanceInformation InterruptCount is 0");
    ps_cpustats s2;
    MT_REQUIRE(ps_cpu_stats(&s2) == 0);
    MT_CHECK(s2.ctx_switches >= s.ctx_switches && s2.interrupts >= s.interrupts && s2.syscalls >= s.syscalls);
    MT_CHECK_EQ_INT(ps_cpu_stats(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

/* "cpu MHz" of processor i in the host's /proc/cpuinfo, or -1. */
static double host_cpuinfo_mhz(unsigned cpu)
{
    FILE *f = fopen("Z:\\proc\\cpuinfo", "r");
    if (!f) return -1;
    char line[512];
    long cur = -1;
    double v = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "processor", 9) == 0) cur = strtol(strchr(line, ':') + 1, NULL, 10);
        if (cur == (long)cpu && strncmp(line, "cpu MHz", 7) == 0) {
            v = strtod(strchr(line, ':') + 1, NULL);
            break;
        }
    }
    fclose(f);
    return v;
}

MT_TEST(cpu_freq_one_entry_per_cpu_against_the_host_cpufreq)
{
    WT_HANDLES_BEFORE();
    ps_cpufreq_list *l = NULL;
    MT_REQUIRE(ps_cpu_freq_percpu(&l) == 0);
    int32_t logical = 0;
    MT_REQUIRE(ps_cpu_count_logical(&logical) == 0);
    MT_CHECK_EQ_INT(l->count, logical);
    double sum = 0;
    for (size_t i = 0; i < l->count; i++) {
        const ps_cpufreq *f = &l->items[i];
        MT_CHECK_EQ_INT(f->cpu, i);
        MT_CHECK(f->current > 0 && isnan(f->min));   /* Windows gives no minimum (psutil 0.0) */
        sum += f->current;
        char path[128];
        snprintf(path, sizeof path, "Z:\\sys\\devices\\system\\cpu\\cpu%u\\cpufreq\\scaling_cur_freq", (unsigned)i);
        double khz = host_value(path, "");
        double host = khz > 0 ? khz / 1000.0 : host_cpuinfo_mhz((unsigned)i);
        if (i == 0) MT_LOG("cpu0: current %.0f MHz, max %.0f (host: %.0f MHz from %s)", f->current, f->max, host,
                           khz > 0 ? "cpufreq" : "cpuinfo");
        if (host > 0) {
            /* the frequency moves between two reads: within a factor of two */
            MT_CHECK(f->current > host / 2 && f->current < host * 2);
            MT_CHECK(f->max == 0 || f->max >= f->current / 2);
        } else if (i == 0) {
            MT_CHECK(f->current == 1000);
            WT_WINE_GAP("the host has no cpufreq: wine answers a canned 1000 MHz");
        }
    }
    ps_cpufreq avg;
    MT_REQUIRE(ps_cpu_freq(&avg) == 0);
    MT_CHECK(fabs(avg.current - sum / (double)l->count) < 0.5 * sum / (double)l->count);
    MT_CHECK_EQ_INT(avg.cpu, PS_UNKNOWN_I32);
    ps_cpufreq_list_free(l);
    MT_CHECK_EQ_INT(ps_cpu_freq_percpu(NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_cpu_freq(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_TEST(loadavg_decay_step_has_linux_factors)
{
    double l[3] = {0, 0, 0};
    ps__loadavg_step(l, 1.0);
    MT_LOG("one step of 1.0 from 0: %.6f %.6f %.6f", l[0], l[1], l[2]);
    MT_CHECK(fabs(l[0] - (1 - exp(-5.0 / 60))) < 1e-12);
    MT_CHECK(fabs(l[1] - (1 - exp(-5.0 / 300))) < 1e-12);
    MT_CHECK(fabs(l[2] - (1 - exp(-5.0 / 900))) < 1e-12);
    /* a constant queue converges to itself */
    for (int i = 0; i < 20000; i++) ps__loadavg_step(l, 3.0);
    MT_CHECK(fabs(l[0] - 3) < 1e-9 && fabs(l[1] - 3) < 1e-9 && fabs(l[2] - 3) < 1e-9);
}

static volatile LONG la_go;
static DWORD WINAPI la_first_call(LPVOID arg)
{
    double *load = arg;
    while (!la_go) YieldProcessor();
    return (DWORD)ps_getloadavg(load);
}

MT_TEST(loadavg_sampler_starts_once_on_first_use)
{
    uint64_t samples = 99;
    /* nothing runs before the first call */
    MT_REQUIRE(ps__loadavg_source(&samples) == PS_LOADAVG_NONE);
    MT_CHECK_EQ_INT(samples, 0);
    /* four threads make the first call at once: one sampler */
    HANDLE th[4];
    double load[4][3];
    for (int i = 0; i < 4; i++) {
        load[i][0] = load[i][1] = load[i][2] = -1;
        th[i] = CreateThread(NULL, 0, la_first_call, load[i], 0, NULL);
        MT_REQUIRE(th[i] != NULL);
    }
    InterlockedExchange(&la_go, 1);
    WaitForMultipleObjects(4, th, TRUE, 30000);
    for (int i = 0; i < 4; i++) {
        DWORD rc = 1;
        GetExitCodeThread(th[i], &rc);
        CloseHandle(th[i]);
        MT_CHECK_EQ_INT(rc, 0);
        /* psutil: zeros until the first sample */
        MT_CHECK(load[i][0] == 0 && load[i][1] == 0 && load[i][2] == 0);
    }
    ps_loadavg_source src = ps__loadavg_source(NULL);
    MT_LOG("sampler source: %s", src == PS_LOADAVG_PDH ? "PDH \\System\\Processor Queue Length" : "ready threads");
    MT_CHECK(src == PS_LOADAVG_PDH || src == PS_LOADAVG_READY_THREADS);
    if (src != PS_LOADAVG_PDH) WT_WINE_GAP("PDH has no \\System\\Processor Queue Length counter (ready-thread count used)");
    /* the first sample comes 5 s later; a second sampler would add its own at the same moment */
    DWORD t0 = GetTickCount();
    while (ps__loadavg_source(&samples), samples == 0 && GetTickCount() - t0 < 30000) Sleep(100);
    MT_LOG("first sample after %lu ms", (unsigned long)(GetTickCount() - t0));
    MT_REQUIRE(samples >= 1);
    MT_CHECK(GetTickCount() - t0 >= 4500);
    Sleep(1000);
    ps__loadavg_source(&samples);
    MT_CHECK_EQ_INT(samples, 1);
    WT_HANDLES_BEFORE();   /* the sampler's thread-pool handles exist from here on */
    double now[3] = {-1, -1, -1};
    MT_REQUIRE(ps_getloadavg(now) == 0);
    MT_LOG("load %.2f %.2f %.2f", now[0], now[1], now[2]);
    for (int i = 0; i < 3; i++) {
        MT_CHECK(now[i] >= 0 && now[i] < 10000);
        MT_CHECK(fabs(now[i] * 100 - round(now[i] * 100)) < 1e-6);   /* 2 decimals */
    }
    MT_CHECK_EQ_INT(ps_getloadavg(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_TEST(swap_memory_is_the_host_swap)
{
    WT_HANDLES_BEFORE();
    ps_swapmem s;
    int rc = ps_swap_memory(&s);
    if (rc == PS_ENOTSUP) {
        /* psutil raises RuntimeError here too: the page-file use comes only from that counter */
        ps_error_detail d;
        ps_error_last(&d);
        MT_CHECK(strstr(d.message, "Paging File(_Total)") != NULL);
        WT_WINE_GAP("PDH has no \\Paging File(_Total)\\%% Usage counter: %s", d.message);
        MT_CHECK_EQ_INT(ps_swap_memory(NULL), PS_EINVAL);
        WT_HANDLES_AFTER();
        return;
    }
    MT_REQUIRE(ok(rc));
    double host_total = host_value("Z:\\proc\\meminfo", "SwapTotal:") * 1024.0;
    double host_free = host_value("Z:\\proc\\meminfo", "SwapFree:") * 1024.0;
    MT_LOG("total %llu (host %.0f), used %llu, free %llu (host %.0f), percent %.1f",
           (unsigned long long)s.total, host_total, (unsigned long long)s.used, (unsigned long long)s.free,
           host_free, s.percent);
    MT_REQUIRE(host_total >= 0);
    /* wine's commit limit is the host's RAM plus its swap: the difference is the host swap */
    MT_CHECK(fabs((double)s.total - host_total) < 1 << 20);
    MT_CHECK(s.used + s.free == s.total);
    MT_CHECK(s.sin == PS_UNKNOWN_U64 && s.sout == PS_UNKNOWN_U64);   /* no such counters (psutil 0) */
    if (s.total == 0) {
        MT_CHECK(s.used == 0 && s.percent == 0);
        WT_WINE_GAP("the host has no swap: used and percent not compared");
    } else {
        MT_CHECK(fabs(s.percent - 100.0 * (double)s.used / (double)s.total) < 0.051);
    }
    MT_CHECK_EQ_INT(ps_swap_memory(NULL), PS_EINVAL);
    WT_HANDLES_AFTER();
}

MT_MAIN()
