/* SPDX-License-Identifier: MIT */
/* Windows back end: CPU times, statistics, frequency and the emulated load average, through the
 * calls psutil uses (NtQuerySystemInformation, GetSystemTimes, CallNtPowerInformation, PDH). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <pdh.h>
#include <powrprof.h>

#include "nt.h"
#include "winsys.h"

/* SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION (class 8), one per CPU of the caller's group. */
typedef struct ps__nt_cpu_perf {
    LARGE_INTEGER IdleTime, KernelTime, UserTime, DpcTime, InterruptTime;
    ULONG InterruptCount;
} ps__nt_cpu_perf;

/* Per-CPU records into a malloc'd array. The count is what the call wrote: with more than 64
 * CPUs Windows answers only the calling thread's processor group (as psutil). */
static int cpu_perf(const char *fn, ps__nt_cpu_perf **out, size_t *n)
{
    void *buf = NULL;
    ULONG len = 0;
    int rc = ps__nt_query_system(8 /* SystemProcessorPerformanceInformation */, fn, &buf, &len);
    if (rc) return rc;
    *n = len / sizeof(ps__nt_cpu_perf);
    if (*n == 0) {
        free(buf);
        return ps__error(PS_EIO, 0, "%s: SystemProcessorPerformanceInformation lists no CPU", fn);
    }
    *out = buf;
    return 0;
}

static double li_seconds(LARGE_INTEGER v)
{
    return ps__nt_seconds((uint64_t)v.QuadPart);
}

/* psutil's Windows fields; nice, iowait, softirq, steal and the guest times stay NaN (Windows
 * has no such accounting, psutil's tuple no such fields). */
static void cpu_fill(ps_cputimes *t, double user, double kernel, double idle, double irq, double dpc)
{
    ps__cputimes_unknown(t);
    t->user = user;
    t->system = kernel - idle;   /* kernel time includes idle time (psutil: busy kernel time) */
    t->idle = idle;
    t->irq = irq;                /* psutil 8 "irq" (was "interrupt") */
    t->dpc = dpc;
}

int ps__bk_cpu_times(ps_cputimes *total, ps_cputimes_list **percpu)
{
    ps__nt_cpu_perf *c = NULL;
    size_t n = 0;
    int rc = cpu_perf("cpu_times", &c, &n);
    if (rc) return rc;
    if (total) {
        /* psutil: GetSystemTimes for user/system/idle; irq and dpc summed over the CPUs. */
        FILETIME fi, fk, fu;
        if (!GetSystemTimes(&fi, &fk, &fu)) {
            DWORD err = GetLastError();
            free(c);
            return ps__error(PS_EIO, (int)err, "cpu_times: GetSystemTimes failed: error %lu", (unsigned long)err);
        }
        double irq = 0, dpc = 0;
        for (size_t i = 0; i < n; i++) {
            irq += li_seconds(c[i].InterruptTime);
            dpc += li_seconds(c[i].DpcTime);
        }
        cpu_fill(total, ps__nt_seconds(ps__ft_ticks(fu)), ps__nt_seconds(ps__ft_ticks(fk)),
                 ps__nt_seconds(ps__ft_ticks(fi)), irq, dpc);
    }
    if (percpu) {
        ps_cputimes_list *l = calloc(1, sizeof *l);
        if (l) l->items = calloc(n, sizeof *l->items);
        if (!l || !l->items) {
            free(l);
            free(c);
            return ps__error(PS_ENOMEM, 0, "cpu_times: out of memory");
        }
        for (size_t i = 0; i < n; i++)
            cpu_fill(&l->items[i], li_seconds(c[i].UserTime), li_seconds(c[i].KernelTime),
                     li_seconds(c[i].IdleTime), li_seconds(c[i].InterruptTime), li_seconds(c[i].DpcTime));
        l->count = n;
        *percpu = l;
    }
    free(c);
    return 0;
}

/* SYSTEM_PERFORMANCE_INFORMATION (class 2), 312 bytes up to SystemCalls (newer systems append
 * more): 4 LARGE_INTEGERs, then ULONG counters; ContextSwitches is ULONG 66, SystemCalls 69. */
#define SPI_ULONG(i) (32 + 4 * (i))
#define SPI_CONTEXT_SWITCHES SPI_ULONG(66)
#define SPI_SYSTEM_CALLS SPI_ULONG(69)

int ps__bk_cpu_stats(ps_cpustats *out)
{
    void *buf = NULL;
    ULONG len = 0;
    int rc = ps__nt_query_system(2 /* SystemPerformanceInformation */, "cpu_stats", &buf, &len);
    if (rc) return rc;
    if (len < SPI_SYSTEM_CALLS + 4) {
        free(buf);
        return ps__error(PS_EIO, 0, "cpu_stats: SystemPerformanceInformation too short (%lu bytes)", (unsigned long)len);
    }
    ULONG ctx, calls;
    memcpy(&ctx, (const char *)buf + SPI_CONTEXT_SWITCHES, sizeof ctx);
    memcpy(&calls, (const char *)buf + SPI_SYSTEM_CALLS, sizeof calls);
    free(buf);
    ps__nt_cpu_perf *c = NULL;
    size_t n = 0;
    rc = cpu_perf("cpu_stats", &c, &n);
    if (rc) return rc;
    uint64_t intr = 0;
    for (size_t i = 0; i < n; i++) intr += c[i].InterruptCount;
    free(c);
    memset(out, 0, sizeof *out);
    out->ctx_switches = ctx;
    out->interrupts = intr;
    /* Windows counts no soft interrupts (psutil reads the DPC count, drops it and says 0) */
    out->soft_interrupts = PS_UNKNOWN_U64;
    out->syscalls = calls;
    return 0;
}

/* PROCESSOR_POWER_INFORMATION (documented, declared by no SDK header). */
typedef struct ps__power_info {
    ULONG Number, MaxMhz, CurrentMhz, MhzLimit, MaxIdleState, CurrentIdleState;
} ps__power_info;

int ps__bk_cpu_freq_percpu(ps_cpufreq_list **out)
{
    DWORD n = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
    if (n == 0) return ps__error(PS_EIO, (int)GetLastError(), "cpu_freq: GetActiveProcessorCount answered 0");
    ps__power_info *pi = calloc(n, sizeof *pi);
    ps_cpufreq_list *l = calloc(1, sizeof *l);
    if (l) l->items = calloc(n, sizeof *l->items);
    if (!pi || !l || !l->items) {
        free(pi);
        if (l) free(l->items);
        free(l);
        return ps__error(PS_ENOMEM, 0, "cpu_freq: out of memory");
    }
    LONG st = CallNtPowerInformation(ProcessorInformation, NULL, 0, pi, (ULONG)(n * sizeof *pi));
    if (st != 0) {
        free(pi);
        free(l->items);
        free(l);
        return ps__error(PS_EIO, (int)st, "cpu_freq: CallNtPowerInformation(ProcessorInformation) failed: status 0x%08lx",
                         (unsigned long)st);
    }
    /* psutil answers entry 0 only; every CPU's entry is here, min unknown there too (0.0) */
    for (DWORD i = 0; i < n; i++) {
        l->items[i].current = pi[i].CurrentMhz;
        l->items[i].max = pi[i].MaxMhz;
        l->items[i].min = 0.0;
        l->items[i].cpu = (int32_t)pi[i].Number;
    }
    l->count = n;
    free(pi);
    *out = l;
    return 0;
}

/* ---- getloadavg: psutil's emulation -----------------------------------------------------
 * Windows has no load average. Every 5 s a thread-pool timer reads the processor queue length
 * (the threads ready to run and waiting for a CPU) and folds it into three exponentially
 * decayed averages with Linux's 1, 5 and 15 minute factors. Nothing runs before the first
 * ps_getloadavg: that call starts the sampler (once, under InitOnce) and answers zeros, as
 * psutil. The averages are guarded by an SRW lock (timer callback vs readers). The sampler runs
 * for the life of the process; the DLL pins itself so the timer never calls unloaded code. */

/* exp(-5 s / window) for windows of 60, 300 and 900 s: Linux's factors, the ones psutil uses. */
static const double la_factor[3] = {
    0.9200444146293233,   /* exp(-5/60) */
    0.9834714538216175,   /* exp(-5/300) */
    0.9944598480048967,   /* exp(-5/900) */
};

void ps__loadavg_step(double load[3], double queue)
{
    for (int i = 0; i < 3; i++) load[i] = load[i] * la_factor[i] + queue * (1.0 - la_factor[i]);
}

static INIT_ONCE la_once = INIT_ONCE_STATIC_INIT;
static SRWLOCK la_lock = SRWLOCK_INIT;          /* the averages and the sample count */
static SRWLOCK la_sample_lock = SRWLOCK_INIT;   /* one tick at a time reads the source */
static double la_load[3];
static uint64_t la_samples;
static ps_loadavg_source la_source;
static PDH_HQUERY la_query;
static PDH_HCOUNTER la_counter;
static HANDLE la_timer;

/* Ready threads (ThreadState Ready 1, DeferredReady 7) of the process snapshot: what the PDH
 * counter counts, for systems where that counter is missing (performance counters disabled,
 * wine). -1 on failure. */
static double ready_threads(void)
{
    ps__nt_snapshot s;
    if (ps__nt_snapshot_take(&s, "getloadavg")) return -1;
    double q = 0;
    for (const ps__nt_process *e = ps__nt_snapshot_next(&s, NULL); e; e = ps__nt_snapshot_next(&s, e)) {
        const ps__nt_thread *t = ps__nt_threads(e);
        for (ULONG i = 0; i < e->NumberOfThreads; i++) q += t[i].ThreadState == 1 || t[i].ThreadState == 7;
    }
    ps__nt_snapshot_dispose(&s);
    return q;
}

static double queue_length(void)
{
    if (la_source == PS_LOADAVG_PDH) {
        PDH_FMT_COUNTERVALUE v;
        if (PdhCollectQueryData(la_query) != ERROR_SUCCESS) return -1;
        if (PdhGetFormattedCounterValue(la_counter, PDH_FMT_DOUBLE, NULL, &v) != ERROR_SUCCESS) return -1;
        return v.doubleValue;
    }
    return ready_threads();
}

static VOID CALLBACK la_tick(PVOID ctx, BOOLEAN fired)
{
    (void)ctx;
    (void)fired;
    /* A tick still sampling when the next fires (a slow PDH collect): the next one is skipped. */
    if (!TryAcquireSRWLockExclusive(&la_sample_lock)) return;
    double q = queue_length();
    ReleaseSRWLockExclusive(&la_sample_lock);
    if (q < 0) return;   /* a failed sample is skipped, not counted as an idle system */
    AcquireSRWLockExclusive(&la_lock);
    ps__loadavg_step(la_load, q);
    la_samples++;
    ReleaseSRWLockExclusive(&la_lock);
}

static BOOL CALLBACK la_start(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once;
    (void)ctx;
    int *rc = param;
    if (PdhOpenQueryW(NULL, 0, &la_query) == ERROR_SUCCESS) {
        if (PdhAddEnglishCounterW(la_query, L"\\System\\Processor Queue Length", 0, &la_counter) == ERROR_SUCCESS &&
            PdhCollectQueryData(la_query) == ERROR_SUCCESS) {
            la_source = PS_LOADAVG_PDH;
        } else {
            PdhCloseQuery(la_query);
            la_query = NULL;
        }
    }
    if (la_source != PS_LOADAVG_PDH) {
        if (ready_threads() < 0) {
            *rc = ps__error(PS_ENOTSUP, 0, "getloadavg: neither the PDH processor queue length nor the process table answers");
            return FALSE;   /* InitOnce lets a later call try again */
        }
        la_source = PS_LOADAVG_READY_THREADS;
    }
    HMODULE self;
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN, (LPCWSTR)(void *)la_tick,
                       &self);
    if (!CreateTimerQueueTimer(&la_timer, NULL, la_tick, NULL, 5000, 5000, WT_EXECUTEDEFAULT)) {
        DWORD err = GetLastError();
        if (la_query) PdhCloseQuery(la_query);
        la_query = NULL;
        la_source = PS_LOADAVG_NONE;
        *rc = ps__error(PS_EIO, (int)err, "getloadavg: CreateTimerQueueTimer failed: error %lu", (unsigned long)err);
        return FALSE;
    }
    return TRUE;
}

static double round2(double x)
{
    return round(x * 100.0) / 100.0;
}

int ps__bk_getloadavg(double load[3])
{
    int rc = 0;
    if (!InitOnceExecuteOnce(&la_once, la_start, &rc, NULL))
        return rc ? rc : ps__error(PS_EIO, (int)GetLastError(), "getloadavg: starting the sampler failed");
    AcquireSRWLockShared(&la_lock);
    for (int i = 0; i < 3; i++) load[i] = round2(la_load[i]);   /* psutil: 2 decimals, as Linux */
    ReleaseSRWLockShared(&la_lock);
    return 0;
}

ps_loadavg_source ps__loadavg_source(uint64_t *samples)
{
    AcquireSRWLockShared(&la_lock);
    if (samples) *samples = la_samples;
    ps_loadavg_source src = la_source;
    ReleaseSRWLockShared(&la_lock);
    return src;
}
