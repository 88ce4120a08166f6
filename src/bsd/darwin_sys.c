/* SPDX-License-Identifier: MIT */
/* macOS system-wide figures: CPU times (Mach host statistics), CPU counts and frequency
 * (sysctl), load average, boot time, virtual memory (host_statistics64 + hw.memsize) and swap
 * (vm.swapusage), mounted file systems (getfsstat), logged-in users (utmpx). The records are
 * decoded by darwin_parse.c; the asserts tie its offsets to the SDK's. */
#include <errno.h>
#include <math.h>
#include <mach/mach.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/param.h>
#include <sys/sysctl.h>
#include <unistd.h>
#include <utmpx.h>

#include "darwin.h"

_Static_assert(sizeof(struct xsw_usage) == PS__DARWIN_XSW_USAGE_SIZE &&
               offsetof(struct xsw_usage, xsu_used) == 16, "xsw_usage layout");
_Static_assert(sizeof(struct vm_statistics64) == PS__DARWIN_VMSTAT_SIZE &&
               offsetof(struct vm_statistics64, pageins) == 32 &&
               offsetof(struct vm_statistics64, speculative_count) == 92 &&
               offsetof(struct vm_statistics64, decompressions) == PS__DARWIN_VMSTAT_MIN_SIZE,
               "vm_statistics64 layout");
_Static_assert(CPU_STATE_USER == 0 && CPU_STATE_SYSTEM == 1 && CPU_STATE_IDLE == 2 &&
               CPU_STATE_NICE == 3 && CPU_STATE_MAX == 4, "cpu_ticks order");

/* The one Mach host port send right per call, released after use. */
static int host_cpu_total(ps_cputimes *out)
{
    host_cpu_load_info_data_t info;
    mach_msg_type_number_t n = HOST_CPU_LOAD_INFO_COUNT;
    mach_port_t host = mach_host_self();
    kern_return_t kr = host_statistics(host, HOST_CPU_LOAD_INFO, (host_info_t)&info, &n);
    mach_port_deallocate(mach_task_self(), host);
    if (kr != KERN_SUCCESS) return ps__error(PS_EIO, kr, "host_statistics(HOST_CPU_LOAD_INFO): %s", mach_error_string(kr));
    uint32_t t[4];
    for (int i = 0; i < 4; i++) t[i] = (uint32_t)info.cpu_ticks[i];
    ps__darwin_cpu_ticks(t, out);
    return 0;
}

static int host_cpu_each(ps_cputimes_list **out)
{
    natural_t ncpu = 0;
    processor_info_array_t arr = NULL;
    mach_msg_type_number_t n = 0;
    mach_port_t host = mach_host_self();
    kern_return_t kr = host_processor_info(host, PROCESSOR_CPU_LOAD_INFO, &ncpu, &arr, &n);
    mach_port_deallocate(mach_task_self(), host);
    if (kr != KERN_SUCCESS) return ps__error(PS_EIO, kr, "host_processor_info: %s", mach_error_string(kr));
    ps_cputimes_list *l = calloc(1, sizeof *l);
    if (l) l->items = calloc(ncpu ? ncpu : 1, sizeof *l->items);
    int rc = 0;
    if (!l || !l->items) rc = ps__error(PS_ENOMEM, 0, "out of memory");
    for (natural_t c = 0; rc == 0 && c < ncpu; c++) {
        const processor_cpu_load_info_data_t *li = (const processor_cpu_load_info_data_t *)arr + c;
        uint32_t t[4];
        for (int i = 0; i < 4; i++) t[i] = (uint32_t)li->cpu_ticks[i];
        ps__darwin_cpu_ticks(t, &l->items[c]);
    }
    vm_deallocate(mach_task_self(), (vm_address_t)arr, n * sizeof(integer_t));
    if (rc) {
        ps_cputimes_list_free(l);
        return rc;
    }
    l->count = ncpu;
    *out = l;
    return 0;
}

int ps__bk_cpu_times(ps_cputimes *total, ps_cputimes_list **percpu)
{
    int rc = total ? host_cpu_total(total) : 0;
    if (rc == 0 && percpu) rc = host_cpu_each(percpu);
    return rc;
}

static int sysctl_i32(const char *name, int32_t *out)
{
    int v = 0;
    size_t len = sizeof v;
    if (sysctlbyname(name, &v, &len, NULL, 0) != 0) return ps__errno_error(errno, name);
    *out = v;
    return 0;
}

int ps__bk_cpu_count_logical(int32_t *count) { return sysctl_i32("hw.logicalcpu", count); }
int ps__bk_cpu_count_physical(int32_t *count) { return sysctl_i32("hw.physicalcpu", count); }

int ps__bk_cpu_stats(ps_cpustats *out)
{
    (void)out;
    /* psutil reads HOST_VM_INFO into a struct vmmeter, but xnu fills a vm_statistics there:
     * its "ctx_switches" are page counts (psutil #847). macOS has no system-wide counters. */
    return ps__error(PS_ENOTSUP, 0, "cpu_stats: macOS keeps no system-wide context switch or interrupt counters");
}

int ps__bk_cpu_freq_percpu(ps_cpufreq_list **out)
{
    /* hw.cpufrequency exists on Intel Macs only (psutil's x86_64 path); Apple Silicon
     * publishes its frequency tables in the IORegistry (psutil's arm64 path), which answers
     * the x86_64 build under Rosetta 2 too. Both are static: current is the maximum. */
    int64_t cur = 0, lo = 0, hi = 0;
    size_t len = sizeof cur;
    double mcur, mlo, mhi;
    if (sysctlbyname("hw.cpufrequency", &cur, &len, NULL, 0) == 0 && cur > 0) {
        len = sizeof lo;
        if (sysctlbyname("hw.cpufrequency_min", &lo, &len, NULL, 0) != 0) lo = 0;
        len = sizeof hi;
        if (sysctlbyname("hw.cpufrequency_max", &hi, &len, NULL, 0) != 0) hi = 0;
        mcur = (double)cur / 1e6;
        mlo = lo > 0 ? (double)lo / 1e6 : NAN;
        mhi = hi > 0 ? (double)hi / 1e6 : NAN;
    } else {
        ps__darwin_freq f;
        int rc = ps__darwin_pmgr_freq(&f);
        if (rc) return rc;
        mcur = mhi = f.max;
        mlo = f.min;
    }
    ps_cpufreq_list *l = calloc(1, sizeof *l);
    if (l) l->items = calloc(1, sizeof *l->items);
    if (!l || !l->items) {
        free(l);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    l->count = 1;
    l->items[0].current = mcur;
    l->items[0].min = mlo;
    l->items[0].max = mhi;
    l->items[0].cpu = PS_UNKNOWN_I32;   /* one figure for the package */
    *out = l;
    return 0;
}

int ps__bk_getloadavg(double load[3])
{
    if (getloadavg(load, 3) != 3) return ps__error(PS_EIO, errno, "getloadavg failed");
    return 0;
}

/* A two-level sysctl into buf (*len: its size in, the length read out). */
static int sysctl2(int a, int b, void *buf, size_t *len, const char *what)
{
    int mib[2] = {a, b};
    return sysctl(mib, 2, buf, len, NULL, 0) == 0 ? 0 : ps__errno_error(errno, what);
}

int ps__bk_boot_time(double *out)
{
    struct timeval tv;
    size_t len = sizeof tv;
    int rc = sysctl2(CTL_KERN, KERN_BOOTTIME, &tv, &len, "sysctl KERN_BOOTTIME");
    if (rc) return rc;
    *out = (double)tv.tv_sec;   /* psutil: seconds only */
    return 0;
}

/* host_statistics64(HOST_VM_INFO64) with a buffer of HOST_INFO_MAX integers: passing the
 * struct's exact count fails with "(ipc/mig) array not large enough" on newer macOS. */
static int vmstat(ps__darwin_vmstat *out)
{
    integer_t buf[HOST_INFO_MAX];
    mach_msg_type_number_t n = HOST_INFO_MAX;
    mach_port_t host = mach_host_self();
    kern_return_t kr = host_statistics64(host, HOST_VM_INFO64, (host_info64_t)buf, &n);
    mach_port_deallocate(mach_task_self(), host);
    if (kr != KERN_SUCCESS) return ps__error(PS_EIO, kr, "host_statistics64: %s", mach_error_string(kr));
    size_t len = (size_t)n * sizeof(integer_t);
    return ps__darwin_decode_vmstat(buf, len < sizeof buf ? len : sizeof buf, out);
}

int ps__bk_virtual_memory(ps_vmem *out)
{
    uint64_t memsize = 0;
    size_t len = sizeof memsize;
    int rc = sysctl2(CTL_HW, HW_MEMSIZE, &memsize, &len, "sysctl HW_MEMSIZE");
    ps__darwin_vmstat vs;
    if (rc == 0) rc = vmstat(&vs);
    if (rc) return rc;
    ps__darwin_vmem m;
    ps__darwin_vmem_compute(&vs, memsize, (uint64_t)getpagesize(), &m);
    out->total = m.total;
    out->available = m.available;
    out->used = m.used;
    out->free = m.free;
    out->active = m.active;
    out->inactive = m.inactive;
    out->wired = m.wired;
    out->buffers = out->cached = out->shared = out->slab = PS_UNKNOWN_U64;   /* Linux only */
    return 0;
}

int ps__bk_swap_memory(ps_swapmem *out)
{
    struct xsw_usage xsw;
    size_t len = sizeof xsw;
    uint64_t used, avail;
    int rc = sysctl2(CTL_VM, VM_SWAPUSAGE, &xsw, &len, "sysctl VM_SWAPUSAGE");
    if (rc == 0) rc = ps__darwin_decode_swapusage(&xsw, len, &out->total, &used, &avail);
    if (rc) return rc;
    out->free = avail;
    ps__darwin_vmstat vs;
    rc = vmstat(&vs);
    if (rc) return rc;
    /* psutil: pageins/pageouts (file paging included) in bytes */
    uint64_t ps = (uint64_t)getpagesize();
    out->sin = vs.pageins * ps;
    out->sout = vs.pageouts * ps;
    return 0;
}
