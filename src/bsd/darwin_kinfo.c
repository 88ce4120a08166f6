/* SPDX-License-Identifier: MIT */
/* macOS: what sysctl KERN_PROC_PID (kinfo_proc) answers for any process, zombies included:
 * the identity pin's start time, the error guess every libproc call shares, name, ppid,
 * uids/gids, terminal, status and create time. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/sysctl.h>

#include "darwin.h"

/* The portable status guess uses the documented values; make sure the SDK agrees. */
_Static_assert(SIDL == PS__DARWIN_SIDL && SRUN == PS__DARWIN_SRUN && SSLEEP == PS__DARWIN_SSLEEP &&
               SSTOP == PS__DARWIN_SSTOP && SZOMB == PS__DARWIN_SZOMB, "p_stat values");
_Static_assert(P_PPWAIT == PS__DARWIN_P_PPWAIT && P_SYSTEM == PS__DARWIN_P_SYSTEM &&
               P_WEXIT == PS__DARWIN_P_WEXIT && EPROC_SLEADER == PS__DARWIN_EPROC_SLEADER,
               "p_flag / e_flag values");

int ps__darwin_kinfo(int64_t pid, struct kinfo_proc *kp)
{
    if (pid < 0 || pid > INT32_MAX) return ps__error(PS_ENOPROC, 0, "pid %lld out of range", (long long)pid);
    int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PID, (int)pid};
    size_t len = sizeof *kp;
    memset(kp, 0, sizeof *kp);
    if (sysctl(mib, 4, kp, &len, NULL, 0) < 0) {
        int err = errno;
        if (err == ESRCH) return ps__error(PS_ENOPROC, err, "no process %lld", (long long)pid);
        return ps__errno_error(err, "sysctl KERN_PROC_PID");
    }
    if (len == 0) return ps__error(PS_ENOPROC, ESRCH, "no process %lld", (long long)pid);
    return 0;
}

int ps__bsd_start_time(int64_t pid, int64_t *sec, int64_t *usec, int *has_start)
{
    /* PID 0 (kernel_task) has a kinfo_proc too: the table pins it like any other. */
    if (pid < 0) return ps__error(PS_ENOPROC, 0, "pid %lld out of range", (long long)pid);
    struct kinfo_proc kp;
    int rc = ps__darwin_kinfo(pid, &kp);
    if (rc) return rc;
    *sec = (int64_t)kp.kp_proc.p_starttime.tv_sec;
    *usec = (int64_t)kp.kp_proc.p_starttime.tv_usec;
    *has_start = 1;
    return 0;
}

int ps__darwin_kinfo_pinned(const ps_proc *p, struct kinfo_proc *kp)
{
    int rc = ps__darwin_kinfo(p->pid, kp);
    if (rc) return rc;
    if ((int64_t)kp->kp_proc.p_starttime.tv_sec != p->start_sec ||
        (int64_t)kp->kp_proc.p_starttime.tv_usec != p->start_usec)
        return ps__error(PS_ENOPROC, 0, "process %lld is gone (PID reused)", (long long)p->pid);
    return 0;
}

int ps__darwin_gone(int64_t pid, const char *what)
{
    struct kinfo_proc kp;
    if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
        return ps__error(PS_ENOPROC, ESRCH, "%s: no process %lld", what, (long long)pid);
    if (ps__darwin_kinfo(pid, &kp) == 0 && kp.kp_proc.p_stat == SZOMB)
        return ps__error(PS_EZOMBIE, 0, "%s: process %lld is a zombie", what, (long long)pid);
    return 0;
}

int ps__darwin_fail(int64_t pid, int err, const char *what)
{
    if (err != ESRCH && err != 0) return ps__errno_error(err, what);
    int rc = ps__darwin_gone(pid, what);
    if (rc) return rc;
    if (err == ESRCH) return ps__error(PS_ENOPROC, err, "%s: no process %lld", what, (long long)pid);
    return ps__error(PS_EIO, 0, "%s failed for process %lld without an errno", what, (long long)pid);
}
int ps__bk_proc_name(ps_proc *p, ps__nstr *out)
{
    struct kinfo_proc kp;
    int rc = ps__darwin_kinfo_pinned(p, &kp);
    if (rc) return rc;
    const char *c = kp.kp_proc.p_comm;
    rc = ps__darwin_nstr_copy(out, c, strnlen(c, sizeof kp.kp_proc.p_comm));
    if (rc == 0) rc = ps__darwin_extend_name(p, out);
    if (rc) ps__nstr_dispose(out);
    return rc;
}

int ps__bk_proc_ppid(ps_proc *p, int64_t *out)
{
    struct kinfo_proc kp;
    int rc = ps__darwin_kinfo_pinned(p, &kp);
    if (rc) return rc;
    *out = kp.kp_eproc.e_ppid;
    return 0;
}

int ps__bk_proc_ids(ps_proc *p, int gids, ps_proc_ids *out)
{
    struct kinfo_proc kp;
    int rc = ps__darwin_kinfo_pinned(p, &kp);
    if (rc) return rc;
    const struct eproc *e = &kp.kp_eproc;
    if (gids) {
        out->real = e->e_pcred.p_rgid;
        out->effective = e->e_ucred.cr_groups[0];
        out->saved = e->e_pcred.p_svgid;
    } else {
        out->real = e->e_pcred.p_ruid;
        out->effective = e->e_ucred.cr_uid;
        out->saved = e->e_pcred.p_svuid;
    }
    return 0;
}

int ps__darwin_tty_name(dev_t dev, ps__nstr *out)
{
    out->data = NULL;
    out->len = 0;
    if (dev == NODEV) return 0;
    /* devname_r answers from the kernel's device table: no scan of /dev (psutil scans). */
    char name[64] = "/dev/";
    if (!devname_r(dev, S_IFCHR, name + 5, (int)sizeof name - 5)) return 0;
    if (name[5] == '\0' || name[5] == '?') return 0;
    return ps__darwin_nstr_copy(out, name, strlen(name));
}

int ps__bk_proc_terminal(ps_proc *p, ps__nstr *out)
{
    out->data = NULL;
    out->len = 0;
    struct kinfo_proc kp;
    int rc = ps__darwin_kinfo_pinned(p, &kp);
    if (rc) return rc;
    return ps__darwin_tty_name(kp.kp_eproc.e_tdev, out);
}

int ps__bk_proc_status(ps_proc *p, ps_process_status *out)
{
    struct kinfo_proc kp;
    int rc = ps__darwin_kinfo_pinned(p, &kp);
    if (rc) return rc;
    *out = ps__darwin_status(kp.kp_proc.p_stat, kp.kp_proc.p_flag, kp.kp_eproc.e_flag);
    return 0;
}

int ps__bk_proc_create_time(ps_proc *p, double *out)
{
    /* The pinned start time is the process's: no second read needed, beyond checking that the
     * process is still there. */
    struct kinfo_proc kp;
    int rc = ps__darwin_kinfo_pinned(p, &kp);
    if (rc) return rc;
    *out = (double)p->start_sec + (double)p->start_usec / 1e6;
    return 0;
}
