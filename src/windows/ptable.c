/* SPDX-License-Identifier: MIT */
/*
 * Windows back end: pids, pid_exists and the process table. The table is ONE
 * NtQuerySystemInformation(SystemProcessInformation) snapshot (ppid, name, status, times,
 * memory, threads, context switches, I/O, page faults, handle count: psutil 8's approach); a
 * process is opened only for the fields that need a handle (exe, cmdline, cwd, username, nice),
 * and that handle is checked to name the snapshot's process (same creation time), so a record
 * never mixes a PID's old and new owner.
 */
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <psapi.h>

#include "nt.h"
#include "winproc.h"

int ps__bk_pids(int64_t **pids, size_t *count)
{
    DWORD cap = 1024, got = 0, *buf = NULL;
    for (;;) {
        DWORD *nb = realloc(buf, cap * sizeof *nb);
        if (!nb) {
            free(buf);
            return ps__error(PS_ENOMEM, 0, "ps_pids: out of memory");
        }
        buf = nb;
        if (!EnumProcesses(buf, cap * sizeof *buf, &got)) {
            DWORD err = GetLastError();
            free(buf);
            return ps__error(PS_EIO, (int)err, "ps_pids: EnumProcesses failed: error %lu", (unsigned long)err);
        }
        if (got < cap * sizeof *buf) break;   /* it fitted: the list is complete */
        cap += 1024;
    }
    size_t n = got / sizeof *buf;
    int64_t *out = malloc((n ? n : 1) * sizeof *out);
    if (!out) {
        free(buf);
        return ps__error(PS_ENOMEM, 0, "ps_pids: out of memory");
    }
    for (size_t i = 0; i < n; i++) out[i] = buf[i];
    free(buf);
    *pids = out;
    *count = n;
    return 0;
}

static int listed(int64_t pid, int *exists)
{
    int64_t *pids;
    size_t n;
    int rc = ps__bk_pids(&pids, &n);
    if (rc) return rc;
    *exists = 0;
    for (size_t i = 0; i < n; i++)
        if (pids[i] == pid) *exists = 1;
    free(pids);
    return 0;
}

/* psutil's pid_exists: PID 0 exists; access denied means it exists; an open handle to a
 * process that has exited (a handle elsewhere keeps its object) does not. */
int ps__bk_pid_exists(int64_t pid, int *exists)
{
    *exists = 0;
    if (pid == 0) {
        *exists = 1;
        return 0;
    }
    if (pid > (int64_t)0xFFFFFFFFu) return 0;
    HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, (DWORD)pid);
    if (!h) {
        DWORD err = GetLastError();
        if (err == ERROR_ACCESS_DENIED) {
            *exists = 1;
            return 0;
        }
        if (err == ERROR_INVALID_PARAMETER) return 0;
        return listed(pid, exists);
    }
    /* Windows ignores the low two bits of a PID: OpenProcess(5) opens process 4. */
    DWORD real = GetProcessId(h), code = 0;
    BOOL ok = GetExitCodeProcess(h, &code);
    CloseHandle(h);
    if (real != (DWORD)pid) return 0;
    if (ok && code == STILL_ACTIVE) {
        *exists = 1;
        return 0;
    }
    /* Exited, or a process whose real exit code is 259: the PID list decides. */
    return listed(pid, exists);
}

/* ---- the table --------------------------------------------------------------------------- */

#define B(f) PS_PT_BIT(PS_PT_##f)
#define HANDLE_FIELDS (B(EXE) | B(CMDLINE) | B(CWD) | B(USERNAME) | B(NICE))
#define NEVER_FIELDS (B(UIDS) | B(GIDS) | B(TERMINAL) | B(CPU_NUM) | B(NUM_FDS))

static const WCHAR idle_name[] = L"System Idle Process";
static const WCHAR system_name[] = L"System";
static const WCHAR system_user[] = L"NT AUTHORITY\\SYSTEM";

static void mark(ps__bk_ptrec *r, uint64_t fields, int f, int code)
{
    if (!(fields & PS_PT_BIT(f))) return;
    r->rec.present &= ~PS_PT_BIT(f);
    r->rec.error[f] = (int8_t)code;
}

static void mark_all(ps__bk_ptrec *r, uint64_t fields, uint64_t which, int code)
{
    for (int f = 0; f < PS_PT_FIELD_COUNT; f++)
        if (which & PS_PT_BIT(f)) mark(r, fields, f, code);
}

static void view(ps__nview *v, const void *data, size_t len)
{
    v->data = data;
    v->len = len;
}

/* The strings a record borrows until it is emitted. */
typedef struct owned {
    ps__nstr exe, cmdline, cwd, user;
} owned;

static void owned_dispose(owned *o)
{
    ps__nstr_dispose(&o->exe);
    ps__nstr_dispose(&o->cmdline);
    ps__nstr_dispose(&o->cwd);
    ps__nstr_dispose(&o->user);
}

/* One handle field through its getter: present, or marked with the getter's code.
 * Returns PS_ENOPROC when the process is gone, else 0. */
static int getter_field(ps__bk_ptrec *r, uint64_t fields, int f, int rc, ps__nview *v, const ps__nstr *s)
{
    if (!(fields & PS_PT_BIT(f))) return 0;
    if (rc == PS_ENOPROC) return rc;
    if (rc) {
        mark(r, fields, f, rc);
        return 0;
    }
    if (v) view(v, s->data, s->len);
    r->rec.present |= PS_PT_BIT(f);
    return 0;
}

/* The handle fields of a process of ours (PID > 4) through the getters. */
static int handle_fields(ps_proc *p, uint64_t fields, ps__bk_ptrec *r, owned *o)
{
    int rc = 0;
    if (fields & B(EXE)) rc = getter_field(r, fields, PS_PT_EXE, ps__bk_proc_exe(p, &o->exe), &r->exe, &o->exe);
    if (!rc && (fields & B(CMDLINE))) {
        size_t n = 0;
        rc = getter_field(r, fields, PS_PT_CMDLINE, ps__bk_proc_cmdline(p, &o->cmdline, &n), &r->cmdline,
                          &o->cmdline);
        r->cmdline_count = n;
    }
    if (!rc && (fields & B(CWD))) rc = getter_field(r, fields, PS_PT_CWD, ps__bk_proc_cwd(p, &o->cwd), &r->cwd, &o->cwd);
    if (!rc && (fields & B(USERNAME)))
        rc = getter_field(r, fields, PS_PT_USERNAME, ps__bk_proc_username(p, &o->user), &r->username, &o->user);
    if (!rc && (fields & B(NICE))) rc = getter_field(r, fields, PS_PT_NICE, ps__bk_proc_nice(p, &r->rec.nice), NULL, NULL);
    return rc;
}

/* PIDs 0 and 4 (the kernel's): psutil's fixed answers, no handle. */
static void kernel_fields(int64_t pid, uint64_t fields, ps__bk_ptrec *r)
{
    if (fields & B(EXE)) {
        if (pid == 0) mark(r, fields, PS_PT_EXE, PS_EACCES);
        else {
            view(&r->exe, system_name, 0);   /* "" */
            r->rec.present |= B(EXE);
        }
    }
    if (fields & B(CMDLINE)) {
        view(&r->cmdline, NULL, 0);
        r->cmdline_count = 0;
        r->rec.present |= B(CMDLINE);
    }
    if (fields & B(USERNAME)) {
        view(&r->username, system_user, sizeof system_user / sizeof(WCHAR) - 1);
        r->rec.present |= B(USERNAME);
    }
    mark_all(r, fields, B(CWD) | B(NICE), PS_EACCES);
}

/* Open the snapshot's process by PID; PS_ENOPROC if that PID now names another process. */
static int open_same(const ps__nt_process *e, ps_proc **out)
{
    int64_t pid = (int64_t)(uintptr_t)e->UniqueProcessId;
    int rc = ps__bk_proc_open(pid, out);
    if (rc) return rc;
    FILETIME c, x, k, u;
    if (GetProcessTimes((*out)->h, &c, &x, &k, &u) &&
        (((uint64_t)c.dwHighDateTime << 32) | c.dwLowDateTime) != (uint64_t)e->CreateTime.QuadPart) {
        ps__bk_proc_free(*out);
        *out = NULL;
        return ps__error(PS_ENOPROC, 0, "process %lld was replaced during the scan", (long long)pid);
    }
    return 0;
}

/*
 * One record: the snapshot entry e, plus the handle fields through p (NULL: open one).
 * Returns 0 (emitted or dropped as gone), PS_ENOPROC when p's own process is gone, or a failure
 * of the scan itself.
 */
static int emit_entry(const ps__nt_process *e, ps_proc *p, uint64_t fields, uint32_t flags, uint64_t boot,
                      ps__ptable_builder *b)
{
    ps__bk_ptrec r;
    memset(&r, 0, sizeof r);
    owned o;
    memset(&o, 0, sizeof o);
    int64_t pid = (int64_t)(uintptr_t)e->UniqueProcessId;
    r.rec.pid = pid;
    r.rec.present = B(PID);
    if (fields & B(NAME)) {
        if (pid == 0) view(&r.name, idle_name, sizeof idle_name / sizeof(WCHAR) - 1);
        else if (pid == 4) view(&r.name, system_name, sizeof system_name / sizeof(WCHAR) - 1);
        else view(&r.name, e->ImageName.Buffer, e->ImageName.Length / sizeof(WCHAR));
        r.rec.present |= B(NAME);
    }
    if (fields & B(CREATE_TIME)) {
        /* The kernel's processes have no creation time: psutil answers the boot time. */
        uint64_t t = (pid == 0 || pid == 4 || e->CreateTime.QuadPart == 0) ? boot : (uint64_t)e->CreateTime.QuadPart;
        if (t) {
            r.rec.create_time = ps__nt_epoch(t);
            r.rec.present |= B(CREATE_TIME);
        } else {
            mark(&r, fields, PS_PT_CREATE_TIME, PS_ENOTSUP);
        }
    }
    ps__nt_fill_record(e, fields, &r);
    mark_all(&r, fields, NEVER_FIELDS, PS_ENOTSUP);
    int rc = 0;
    if (fields & HANDLE_FIELDS) {
        if (pid == 0 || pid == 4) {
            kernel_fields(pid, fields, &r);
        } else {
            ps_proc *mine = NULL;
            rc = p ? 0 : open_same(e, &mine);
            if (rc == PS_EACCES) {
                /* Fields that need a handle are denied; the snapshot's stay. */
                mark_all(&r, fields, HANDLE_FIELDS, PS_EACCES);
                rc = 0;
            } else if (rc == 0) {
                rc = handle_fields(p ? p : mine, fields, &r, &o);
            }
            if (mine) ps__bk_proc_free(mine);
        }
    }
    if (rc == PS_ENOPROC && !p && (flags & PS_PT_KEEP_PARTIAL)) {
        mark_all(&r, fields, HANDLE_FIELDS & ~r.rec.present, PS_ENOPROC);
        rc = 0;
    } else if (rc == PS_ENOPROC && !p) {
        owned_dispose(&o);
        return 0;   /* exited during the scan: left out */
    }
    if (rc == 0) rc = ps__ptable_emit(b, &r);
    owned_dispose(&o);
    return rc;
}

/* The boot time (for PIDs 0 and 4, if create_time is wanted) and the snapshot. */
static int take(uint64_t fields, const char *fn, uint64_t *boot, ps__nt_snapshot *s)
{
    *boot = 0;
    if ((fields & B(CREATE_TIME)) && ps__nt_boot_ticks(boot) == PS_ENOMEM) return PS_ENOMEM;
    /* otherwise: without a boot time, PIDs 0 and 4 get no create_time */
    return ps__nt_snapshot_take(s, fn);
}

int ps__bk_ptable_scan(uint64_t fields, uint32_t flags, ps__ptable_builder *b)
{
    uint64_t boot;
    ps__nt_snapshot s;
    int rc = take(fields, "ps_ptable_scan", &boot, &s);
    if (rc) return rc;
    size_t n = 0;
    for (const ps__nt_process *e = ps__nt_snapshot_next(&s, NULL); e; e = ps__nt_snapshot_next(&s, e)) n++;
    rc = ps__ptable_reserve(b, n);
    for (const ps__nt_process *e = ps__nt_snapshot_next(&s, NULL); e && !rc; e = ps__nt_snapshot_next(&s, e)) {
        rc = emit_entry(e, NULL, fields, flags, boot, b);
        if (rc == PS_ENOPROC) rc = 0;
    }
    ps__nt_snapshot_dispose(&s);
    return rc;
}

/* A getter psutil answers from the table: the snapshot record of the handle's process, the
 * fields of one PS_PT_* through the same filler as the table. */
static int snapshot_field(ps_proc *p, int field, const char *fn, ps__bk_ptrec *r)
{
    if (WaitForSingleObject(p->h, 0) == WAIT_OBJECT_0)
        return ps__error(PS_ENOPROC, 0, "%s: process %lld has exited", fn, (long long)p->pid);
    ps__nt_snapshot s;
    int rc = ps__nt_snapshot_take(&s, fn);
    if (rc) return rc;
    const ps__nt_process *e = ps__nt_snapshot_find(&s, p->pid);
    memset(r, 0, sizeof *r);
    if (e) ps__nt_fill_record(e, PS_PT_BIT(field), r);
    ps__nt_snapshot_dispose(&s);
    if (!e) return ps__error(PS_ENOPROC, 0, "%s: process %lld is not in the process table", fn, (long long)p->pid);
    return 0;
}

int ps__bk_proc_status(ps_proc *p, ps_process_status *out)
{
    ps__bk_ptrec r;
    int rc = snapshot_field(p, PS_PT_STATUS, "ps_proc_status", &r);
    if (rc == 0) *out = (ps_process_status)r.rec.status;
    return rc;
}

int ps__bk_proc_num_ctx_switches(ps_proc *p, ps_proc_ctxsw *out)
{
    ps__bk_ptrec r;
    int rc = snapshot_field(p, PS_PT_NUM_CTX_SWITCHES, "ps_proc_num_ctx_switches", &r);
    if (rc == 0) *out = r.rec.num_ctx_switches;
    return rc;
}

int ps__bk_proc_page_faults(ps_proc *p, ps_proc_pagefaults *out)
{
    ps__bk_ptrec r;
    int rc = snapshot_field(p, PS_PT_PAGE_FAULTS, "ps_proc_page_faults", &r);
    if (rc == 0) *out = r.rec.page_faults;
    return rc;
}

int ps__bk_proc_snapshot(ps_proc *p, uint64_t fields, ps__ptable_builder *b)
{
    if (WaitForSingleObject(p->h, 0) == WAIT_OBJECT_0)
        return ps__error(PS_ENOPROC, 0, "ps_proc_snapshot: process %lld has exited", (long long)p->pid);
    uint64_t boot;
    ps__nt_snapshot s;
    int rc = take(fields, "ps_proc_snapshot", &boot, &s);
    if (rc) return rc;
    const ps__nt_process *e = ps__nt_snapshot_find(&s, p->pid);
    rc = e ? emit_entry(e, p, fields, 0, boot, b)
           : ps__error(PS_ENOPROC, 0, "ps_proc_snapshot: process %lld is not in the process table", (long long)p->pid);
    ps__nt_snapshot_dispose(&s);
    return rc;
}
