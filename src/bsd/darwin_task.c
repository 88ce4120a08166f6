/* SPDX-License-Identifier: MIT */
/* macOS: what libproc's proc_pidinfo answers about a process (same uid or root; zombies have
 * no task): exe, cwd, CPU times, memory, page faults, threads, context switches, uss. The
 * records are decoded by darwin_parse.c; the asserts below tie its offsets to the SDK's. */
#include <errno.h>
#include <libproc.h>
#include <mach/mach.h>
#include <mach/mach_time.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/proc_info.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "darwin.h"

_Static_assert(sizeof(struct proc_taskinfo) == PS__DARWIN_TASKINFO_SIZE, "proc_taskinfo size");
_Static_assert(offsetof(struct proc_taskinfo, pti_total_user) == 16 &&
               offsetof(struct proc_taskinfo, pti_faults) == 52 &&
               offsetof(struct proc_taskinfo, pti_pageins) == 56 &&
               offsetof(struct proc_taskinfo, pti_csw) == 80 &&
               offsetof(struct proc_taskinfo, pti_threadnum) == 84, "proc_taskinfo layout");
_Static_assert(sizeof(struct proc_regioninfo) == PS__DARWIN_REGIONINFO_SIZE &&
               offsetof(struct proc_regioninfo, pri_ref_count) == 52 &&
               offsetof(struct proc_regioninfo, pri_share_mode) == 60 &&
               offsetof(struct proc_regioninfo, pri_private_pages_resident) == 64 &&
               offsetof(struct proc_regioninfo, pri_address) == 80, "proc_regioninfo layout");
_Static_assert(sizeof(struct rusage_info_v0) == PS__DARWIN_RUSAGE_V0_SIZE &&
               offsetof(struct rusage_info_v0, ri_phys_footprint) == 72 &&
               offsetof(struct rusage_info_v0, ri_proc_start_abstime) == 80, "rusage_info_v0 layout");
_Static_assert(SM_COW == PS__DARWIN_SM_COW && SM_PRIVATE == PS__DARWIN_SM_PRIVATE &&
               SM_SHARED == PS__DARWIN_SM_SHARED && SM_LARGE_PAGE == PS__DARWIN_SM_LARGE_PAGE,
               "share modes");

uint64_t ps__darwin_tbfreq(void)
{
    static uint64_t cached;   /* one value per boot: a benign race writes the same number */
    uint64_t f = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (f) return f;
    /* hw.tbfrequency is what Rosetta 2 leaves alone (mach_timebase_info says 1/1 there). */
    int64_t v = 0;
    size_t len = sizeof v;
    if (sysctlbyname("hw.tbfrequency", &v, &len, NULL, 0) == 0 && len == sizeof v && v > 0) {
        f = (uint64_t)v;
    } else {
        mach_timebase_info_data_t tb;
        if (mach_timebase_info(&tb) == KERN_SUCCESS) f = ps__darwin_tbfreq_from_timebase(tb.numer, tb.denom);
    }
    if (f) __atomic_store_n(&cached, f, __ATOMIC_RELAXED);
    return f;
}

int ps__darwin_pidinfo(const ps_proc *p, int flavor, uint64_t arg, void *buf, int size)
{
    errno = 0;
    int r = proc_pidinfo((int)p->pid, flavor, arg, buf, size);
    int err = errno;
    if (r <= 0) return ps__darwin_fail(p->pid, err, "proc_pidinfo");
    if (r < size) return ps__darwin_fail(p->pid, 0, "proc_pidinfo (short read)");
    return ps__bsd_pinned(p);
}

int ps__darwin_taskinfo(const ps_proc *p, ps__darwin_task *t)
{
    struct proc_taskinfo ti;
    int rc = ps__darwin_pidinfo(p, PROC_PIDTASKINFO, 0, &ti, (int)sizeof ti);
    if (rc) return rc;
    return ps__darwin_decode_taskinfo(&ti, sizeof ti, t);
}

int ps__bk_proc_exe(ps_proc *p, ps__nstr *out)
{
    char buf[PROC_PIDPATHINFO_MAXSIZE];
    errno = 0;
    int r = proc_pidpath((int)p->pid, buf, sizeof buf);
    int err = errno;
    if (r <= 0) {
        /* The executable was deleted while the process runs: "" (psutil). */
        if (err != ENOENT) return ps__darwin_fail(p->pid, err, "proc_pidpath");
        r = 0;
    }
    int rc = ps__bsd_pinned(p);
    if (rc) return rc;
    return ps__darwin_nstr_copy(out, buf, strnlen(buf, (size_t)r));
}

int ps__bk_proc_cwd(ps_proc *p, ps__nstr *out)
{
    struct proc_vnodepathinfo vpi;
    int rc = ps__darwin_pidinfo(p, PROC_PIDVNODEPATHINFO, 0, &vpi, (int)sizeof vpi);
    if (rc) return rc;
    const char *path = vpi.pvi_cdir.vip_path;
    return ps__darwin_nstr_copy(out, path, strnlen(path, sizeof vpi.pvi_cdir.vip_path));
}

int ps__bk_proc_cpu_times(ps_proc *p, ps_proc_cputimes *out)
{
    ps__darwin_task t;
    int rc = ps__darwin_taskinfo(p, &t);
    if (rc) return rc;
    uint64_t f = ps__darwin_tbfreq();
    if (!f) return ps__error(PS_EIO, 0, "hw.tbfrequency and mach_timebase_info both failed");
    ps__darwin_task_cputimes(&t, f, out);
    return 0;
}

/* One PROC_PIDTASKINFO read, converted to what the getter returns. */
enum task_part { T_MEM, T_FAULTS, T_THREADS, T_CTXSW };
static int task_get(ps_proc *p, enum task_part part, void *out)
{
    ps__darwin_task t;
    int rc = ps__darwin_taskinfo(p, &t);
    if (rc) return rc;
    switch (part) {
    case T_MEM: ps__darwin_task_mem(&t, out); break;
    case T_FAULTS: ps__darwin_task_faults(&t, out); break;
    case T_THREADS: *(int64_t *)out = t.threadnum; break;
    case T_CTXSW: ps__darwin_task_ctxsw(&t, out); break;
    }
    return 0;
}

int ps__bk_proc_memory_info(ps_proc *p, ps_proc_mem *out) { return task_get(p, T_MEM, out); }
int ps__bk_proc_page_faults(ps_proc *p, ps_proc_pagefaults *out) { return task_get(p, T_FAULTS, out); }
int ps__bk_proc_num_threads(ps_proc *p, int64_t *out) { return task_get(p, T_THREADS, out); }
int ps__bk_proc_num_ctx_switches(ps_proc *p, ps_proc_ctxsw *out) { return task_get(p, T_CTXSW, out); }

/* The dyld shared region of this architecture (xnu osfmk/mach/shared_region.h, which the SDK
 * does not ship): pages there are shared unless the region is SM_PRIVATE. */
#if defined(__aarch64__) || defined(__arm64__)
#define SHARED_BASE 0x180000000ULL
#define SHARED_SIZE 0x100000000ULL
#else
#define SHARED_BASE 0x00007FFF00000000ULL
#define SHARED_SIZE 0x00000000FFE00000ULL
#endif

/* uss: walk every VM region (psutil memory_uss). A failure on the first region is an error;
 * later it marks the end of the map. */
static int uss_bytes(const ps_proc *p, uint64_t *out)
{
    uint64_t addr = 0, pages = 0;
    size_t regions = 0;
    for (;;) {
        struct proc_regioninfo ri;
        errno = 0;
        int r = proc_pidinfo((int)p->pid, PROC_PIDREGIONINFO, addr, &ri, (int)sizeof ri);
        int err = errno;
        if (r <= 0) {
            if (regions == 0) return ps__darwin_fail(p->pid, err, "proc_pidinfo(PROC_PIDREGIONINFO)");
            break;
        }
        if (r != (int)sizeof ri) return ps__darwin_fail(p->pid, 0, "proc_pidinfo(PROC_PIDREGIONINFO) short read");
        ps__darwin_region reg;
        int rc = ps__darwin_decode_regioninfo(&ri, sizeof ri, &reg);
        if (rc) return rc;
        regions++;
        pages += ps__darwin_region_private_pages(&reg, SHARED_BASE, SHARED_SIZE);
        uint64_t next = reg.address + reg.size;
        if (reg.size == 0 || next <= addr) break;   /* no progress: stop, never loop */
        addr = next;
    }
    *out = pages * (uint64_t)getpagesize();
    return ps__bsd_pinned(p);
}

int ps__bk_proc_memory_footprint(ps_proc *p, ps_proc_footprint *out)
{
    uint64_t uss = 0;
    int rc = uss_bytes(p, &uss);
    if (rc) return rc;
    out->uss = uss;
    out->pss = out->swap = PS_UNKNOWN_U64;   /* macOS has neither */
    return 0;
}

/* TASK_VM_INFO of the calling process only: another's task port needs task_for_pid, which can
 * block forever (psutil #2885), so for other processes these fields stay unknown. */
static void self_vm_info(const ps_proc *p, ps_proc_mem_ex *out)
{
    if (p->pid != (int64_t)getpid()) return;
    task_vm_info_data_t vi;
    mach_msg_type_number_t n = TASK_VM_INFO_COUNT;
    if (task_info(mach_task_self(), TASK_VM_INFO, (task_info_t)&vi, &n) != KERN_SUCCESS) return;
    out->peak_rss = vi.resident_size_peak;
    out->rss_anon = vi.internal;
    out->rss_file = vi.external;
    out->compressed = vi.compressed;
}

int ps__bk_proc_memory_info_ex(ps_proc *p, ps_proc_mem_ex *out)
{
    ps_proc_mem m;
    int rc = ps__bk_proc_memory_info(p, &m);
    if (rc) return rc;
    struct rusage_info_v0 ri;
    ps__darwin_rusage ru;
    int have_ru = proc_pid_rusage((int)p->pid, RUSAGE_INFO_V0, (rusage_info_t *)&ri) == 0 &&
                  ps__darwin_decode_rusage(&ri, sizeof ri, &ru) == 0;
    /* every field PS_UNKNOWN_U64 unless read below; the reserved tail (the last member, as the
     * assert checks) stays zero */
    _Static_assert(offsetof(ps_proc_mem_ex, reserved) + sizeof out->reserved == sizeof *out,
                   "ps_proc_mem_ex: reserved is the last member");
    memset(out, 0xff, offsetof(ps_proc_mem_ex, reserved));
    out->rss = m.rss;
    out->vms = m.vms;
    if (have_ru) {
        out->wired = ru.wired_size;
        out->phys_footprint = ru.phys_footprint;
    }
    self_vm_info(p, out);
    return ps__bsd_pinned(p);
}

/* PROC_PIDLISTTHREADS yields thread handles (not pthread_threadid_np IDs); psutil reports
 * them as the IDs, and so do we. */
int ps__bk_proc_threads(ps_proc *p, ps__bk_thread **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    ps__darwin_task t;
    int rc = ps__darwin_taskinfo(p, &t);
    if (rc) return rc;
    size_t cap = (size_t)(t.threadnum > 0 ? t.threadnum : 0) + 32;
    uint64_t *ids = malloc(cap * sizeof *ids);
    if (!ids) return ps__error(PS_ENOMEM, 0, "out of memory");
    errno = 0;
    int r = proc_pidinfo((int)p->pid, PROC_PIDLISTTHREADS, 0, ids, (int)(cap * sizeof *ids));
    if (r <= 0) {
        int err = errno;
        free(ids);
        return ps__darwin_fail(p->pid, err, "proc_pidinfo(PROC_PIDLISTTHREADS)");
    }
    size_t n = (size_t)r / sizeof *ids;
    ps__bk_thread *v = calloc(n ? n : 1, sizeof *v);
    if (!v) {
        free(ids);
        return ps__error(PS_ENOMEM, 0, "out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        struct proc_threadinfo ti;
        int tr = proc_pidinfo((int)p->pid, PROC_PIDTHREADINFO, ids[i], &ti, (int)sizeof ti);
        if (tr != (int)sizeof ti) continue;   /* the thread ended since the listing */
        v[k].id = (int64_t)ids[i];
        /* pth_*_time are nanoseconds, unlike the task's Mach ticks */
        v[k].user_time = (double)ti.pth_user_time / 1e9;
        v[k].system_time = (double)ti.pth_system_time / 1e9;
        if (ps__darwin_nstr_copy(&v[k].name, ti.pth_name, strnlen(ti.pth_name, sizeof ti.pth_name))) {
            ps__bk_thread_free(v, k);
            free(ids);
            return PS_ENOMEM;
        }
        k++;
    }
    free(ids);
    rc = ps__bsd_pinned(p);
    if (rc) {
        ps__bk_thread_free(v, k);
        return rc;
    }
    *items = v;
    *count = k;
    return 0;
}
