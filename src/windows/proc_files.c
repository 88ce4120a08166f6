/* SPDX-License-Identifier: MIT */
/*
 * Windows back end: open_files as psutil finds them. The target's handles come from the
 * system handle table (NtQuerySystemInformation(SystemExtendedHandleInformation), the entries
 * of its PID); each is duplicated into this process, kept if its object type is "File", and
 * named by NtQueryObject(ObjectNameInformation), the native path turned into a DOS path
 * (psutil's convert_dos_path). A path is listed once (psutil returns a set); fd is -1.
 *
 * The hang psutil guards against: NtQueryObject waits for the file object's lock, which a
 * pending synchronous read (an idle pipe) holds forever, and a duplicate shares that object.
 * So, as psutil, the query runs in a worker thread that first asks GetFileType (answered
 * without the lock) and goes on only for FILE_TYPE_DISK, rejects directories, then names the
 * handle; the caller waits a bounded time and skips a handle whose worker does not answer.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>

#include "../list.h"
#include "nt.h"
#include "winproc.h"

#define SYSTEM_EXTENDED_HANDLE_INFORMATION 64
#define OBJECT_NAME_INFORMATION_CLASS 1
#define OBJECT_TYPE_INFORMATION_CLASS 2

typedef struct nt_handle_entry {
    PVOID Object;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR HandleValue;
    ULONG GrantedAccess;
    USHORT CreatorBackTraceIndex;
    USHORT ObjectTypeIndex;
    ULONG HandleAttributes;
    ULONG Reserved;
} nt_handle_entry;

/* SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX: 0x28 bytes on x64, 0x1C on x86. */
_Static_assert(sizeof(nt_handle_entry) == (sizeof(void *) == 8 ? 0x28 : 0x1C), "handle entry size");

typedef struct nt_handle_table {
    ULONG_PTR NumberOfHandles;
    ULONG_PTR Reserved;
    nt_handle_entry Handles[1];
} nt_handle_table;

typedef ps__ntstatus(NTAPI *nqo_fn)(HANDLE, int, PVOID, ULONG, PULONG);

/* psutil waits 100 ms; a busy machine (and wine) can take longer than that to start a thread,
 * and a skipped handle is a file missing from the list, so the wait is longer here. */
#define NAME_WAIT_MS 2000
#define NAME_CAP 0x8000   /* bytes: a UNICODE_STRING header and up to ~16 K characters */

/* One query, owned by the worker if it never answers (then it is leaked, never freed under it). */
typedef struct name_job {
    nqo_fn nqo;
    HANDLE h;
    ULONG len;    /* bytes NtQueryObject wrote; 0 = not a regular file or no name */
    union {
        ps__nt_ustr name;
        unsigned char buf[NAME_CAP];
    } u;
} name_job;

/* Syscalls only (no heap, no CRT): the thread may be terminated while it waits. */
static DWORD WINAPI name_worker(LPVOID arg)
{
    name_job *j = arg;
    j->len = 0;
    if (GetFileType(j->h) != FILE_TYPE_DISK) return 0;
    BY_HANDLE_FILE_INFORMATION fi;
    if (GetFileInformationByHandle(j->h, &fi) && (fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) return 0;
    ULONG ret = 0;
    ps__ntstatus st = j->nqo(j->h, OBJECT_NAME_INFORMATION_CLASS, j->u.buf, sizeof j->u.buf - sizeof(WCHAR), &ret);
    if (PS__NT_SUCCESS(st) && j->u.name.Buffer && j->u.name.Length) j->len = ret ? ret : 1;
    return 0;
}

/* 1: j holds the name; 0: skip the handle; 2: the worker hung (j and j->h now belong to it). */
static int name_of(name_job *j)
{
    HANDLE t = CreateThread(NULL, 64 * 1024, name_worker, j, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (!t) return 0;
    if (WaitForSingleObject(t, NAME_WAIT_MS) == WAIT_OBJECT_0) {
        CloseHandle(t);
        return j->len != 0;
    }
    /* As psutil: end the worker; if it does not die either, leave it its job. */
    TerminateThread(t, 1);
    DWORD w = WaitForSingleObject(t, 1000);
    CloseHandle(t);
    return w == WAIT_OBJECT_0 ? 0 : 2;
}

/* The type name of a handle of ours is "File". */
static int is_file(nqo_fn nqo, HANDLE h)
{
    union {
        ps__nt_ustr name;   /* OBJECT_TYPE_INFORMATION starts with its TypeName */
        unsigned char buf[1024];
    } u;
    ULONG ret = 0;
    if (!PS__NT_SUCCESS(nqo(h, OBJECT_TYPE_INFORMATION_CLASS, u.buf, sizeof u.buf, &ret))) return 0;
    return u.name.Buffer && u.name.Length == 8 && wcsncmp(u.name.Buffer, L"File", 4) == 0;
}

static int listed(const ps__bk_open_file *v, size_t n, const ps__nstr *s)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].path.len == s->len && memcmp(v[i].path.data, s->data, s->len * sizeof(uint16_t)) == 0) return 1;
    return 0;
}

/* Name the duplicate dup and append its DOS path to *v unless listed. dup is closed here
 * (or left to a hung worker). */
static int add_file(nqo_fn nqo, HANDLE dup, const ps__win_dos_map *dm, ps__bk_open_file **v, size_t *n, size_t *cap)
{
    if (!is_file(nqo, dup)) {
        CloseHandle(dup);
        return 0;
    }
    name_job *j = malloc(sizeof *j);
    if (!j) {
        CloseHandle(dup);
        return ps__error(PS_ENOMEM, 0, "ps_proc_open_files: out of memory");
    }
    j->nqo = nqo;
    j->h = dup;
    int r = name_of(j);
    if (r == 2) return 0;   /* hung: the job and the handle stay with the worker */
    CloseHandle(dup);
    int rc = 0;
    if (r == 1) {
        ps__nstr s = {0};
        rc = ps__win_dos_path(dm, j->u.name.Buffer, j->u.name.Length / sizeof(WCHAR), &s);
        if (!rc && listed(*v, *n, &s)) ps__nstr_dispose(&s);
        else if (!rc) {
            ps__bk_open_file *nv = ps__grow(*v, cap, *n, sizeof **v, 16);
            if (!nv) {
                ps__nstr_dispose(&s);
                rc = ps__error(PS_ENOMEM, 0, "ps_proc_open_files: out of memory");
            } else {
                *v = nv;
                ps__bk_open_file *f = &(*v)[(*n)++];
                f->path = s;
                f->fd = -1;   /* psutil: Windows has no descriptors */
                f->position = PS_UNKNOWN_I64;
                f->flags = PS_UNKNOWN_I32;
                f->mode[0] = 0;
            }
        }
    }
    free(j);
    return rc;
}

int ps__bk_proc_open_files(ps_proc *p, ps__bk_open_file **items, size_t *count)
{
    const char *fn = "ps_proc_open_files";
    *items = NULL;
    *count = 0;
    int rc = ps__win_gone(p, fn);
    if (rc) return rc;
    if (p->pid == 0 || p->pid == 4) return 0;   /* psutil: [] for the idle and System processes */
    nqo_fn nqo;
    if ((rc = ps__nt_resolve("NtQueryObject", fn, &nqo))) return rc;
    HANDLE src = ps__win_reopen(p, PROCESS_DUP_HANDLE | PROCESS_QUERY_LIMITED_INFORMATION, fn, &rc);
    if (!src) return rc;
    void *buf = NULL;
    ULONG len = 0;
    rc = ps__nt_query_system(SYSTEM_EXTENDED_HANDLE_INFORMATION, fn, &buf, &len);
    ps__win_dos_map *dm = rc ? NULL : malloc(sizeof *dm);
    if (!rc && !dm) rc = ps__error(PS_ENOMEM, 0, "%s: out of memory", fn);
    ps__bk_open_file *v = NULL;
    size_t n = 0, cap = 0;
    if (!rc) {
        ps__win_dos_map_load(dm);
        const nt_handle_table *t = buf;
        size_t max = len < sizeof *t ? 0 : (len - offsetof(nt_handle_table, Handles)) / sizeof t->Handles[0];
        size_t total = t->NumberOfHandles < max ? t->NumberOfHandles : max;
        for (size_t i = 0; i < total && !rc; i++) {
            const nt_handle_entry *e = &t->Handles[i];
            if ((int64_t)e->UniqueProcessId != p->pid) continue;
            HANDLE dup = NULL;
            /* failure: the handle was closed meanwhile, or may not be duplicated: skip it */
            if (!DuplicateHandle(src, (HANDLE)e->HandleValue, GetCurrentProcess(), &dup, 0, FALSE, DUPLICATE_SAME_ACCESS))
                continue;
            rc = add_file(nqo, dup, dm, &v, &n, &cap);
        }
    }
    CloseHandle(src);
    free(buf);
    free(dm);
    if (!rc) rc = ps__win_gone(p, fn);   /* an exit meanwhile: the list may be partial */
    if (!rc) {
        *items = v;
        *count = n;
    } else {
        ps__bk_open_file_free(v, n);
    }
    return rc;
}
