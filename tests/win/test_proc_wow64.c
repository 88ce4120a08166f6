/* SPDX-License-Identifier: MIT */
/*
 * A 32-bit (WOW64) process read by the 64-bit library, under wine: cwd, environ and the
 * command line come from its 32-bit PEB (PEB32, RTL_USER_PROCESS_PARAMETERS32, 32-bit
 * UNICODE_STRINGs), exe and name from the kernel. The child is tests/win/wow64_child.c built by
 * i686-w64-mingw32-gcc ($PSINFO_WOW64_CHILD); copied under a non-ASCII name into a non-ASCII
 * directory and started there with a known variable and known arguments. Oracles: the values it
 * was started with, and its own report of what it sees (GetCurrentDirectoryW, GetCommandLineW,
 * GetEnvironmentStringsW written to a file before it signals that it has started).
 *
 * Without the 32-bit compiler (the child is not built) or without wine32 (wine cannot start a
 * 32-bit program) the test says why and is skipped (exit 77); with PSINFO_WOW64_REQUIRED=1
 * (CI, which installs both) that is a failure instead.
 *
 * The 32-bit build (build-win32, ./dev windows32) runs it the other way round: the 32-bit
 * library opens a 64-bit child (the same source built by x86_64-w64-mingw32-gcc): exe and name
 * are exact, and its PEB strings (cwd, environ, cmdline; getters and the table) are PS_EACCES,
 * as psutil 8's AccessDenied for a 32-bit caller and a 64-bit target.
 */
#include <windows.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minitest.h"
#include "wintest.h"
#include <psinfo.h>

static char skip_why[1024];

/* The target has the other bitness: a 64-bit library reads a 32-bit (WOW64) child, the 32-bit
 * library a 64-bit one. */
#define TARGET_BITS (sizeof(void *) == 8 ? 32 : 64)

/* Skipped, or failed when the run requires 32-bit targets to be tested. */
#define WOW64_SKIP(...)                                                                  \
    do {                                                                                 \
        snprintf(skip_why, sizeof skip_why, __VA_ARGS__);                                \
        const char *req_ = getenv("PSINFO_WOW64_REQUIRED");                              \
        if (req_ && strcmp(req_, "1") == 0) {                                            \
            MT_LOG("PSINFO_WOW64_REQUIRED=1 but %s", skip_why);                          \
            MT_REQUIRE(!"32-bit targets are required to be tested");                     \
        }                                                                                \
        MT_SKIP(skip_why);                                                               \
    } while (0)

/* $PSINFO_WOW64_CHILD (a host path from meson) as a DOS path: wine's own converter. */
static int child_path(wchar_t *out, size_t cap)
{
    const char *u = getenv("PSINFO_WOW64_CHILD");
    if (!u || !*u) return 0;
    typedef WCHAR *(CDECL * dosname_fn)(const char *);
    FARPROC fp = GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "wine_get_dos_file_name");
    if (u[0] == '/' && fp) {
        dosname_fn f;
        memcpy(&f, &fp, sizeof f);
        WCHAR *w = f(u);
        if (!w) return 0;
        _snwprintf(out, cap, L"%ls", w);
        HeapFree(GetProcessHeap(), 0, w);
    } else {
        MultiByteToWideChar(CP_UTF8, 0, u, -1, out, (int)cap);
    }
    return GetFileAttributesW(out) != INVALID_FILE_ATTRIBUTES;
}

/* rc, with the library's detail printed when it is an error. */
static int logged(int rc)
{
    ps_error_detail d;
    if (rc && ps_error_last(&d) == 0) MT_LOG("error %d (os error %ld): %s", rc, (long)d.os_error, d.message);
    return rc;
}

static const char *env_get(const ps_proc_environ_list *l, const char *key)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].key, key) == 0) return l->items[i].value;
    return NULL;
}

/* What the child wrote: cwd, command line, environment block (UTF-16). */
typedef struct {
    wchar_t *buf, *cwd, *cmdline, *env;
} child_report;

static int read_report(const wchar_t *path, child_report *r)
{
    memset(r, 0, sizeof *r);
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE) return 0;
    DWORD size = GetFileSize(f, NULL), got = 0;
    r->buf = calloc(size / sizeof(wchar_t) + 2, sizeof(wchar_t));
    int ok = r->buf && ReadFile(f, r->buf, size, &got, NULL) && got == size;
    CloseHandle(f);
    if (!ok) return 0;
    r->cwd = r->buf;
    r->cmdline = r->cwd + wcslen(r->cwd) + 1;
    r->env = r->cmdline + wcslen(r->cmdline) + 1;
    return (size_t)(r->env - r->buf) * sizeof(wchar_t) < size;
}

/* Every variable of the child's own block (psutil's rules: '='-entries dropped, names
 * upper-cased) has its value in the library's list, and the list has no other. */
static void check_environ_against_report(const ps_proc_environ_list *l, const wchar_t *env)
{
    size_t vars = 0;
    for (const wchar_t *e = env; *e; e += wcslen(e) + 1) {
        if (e[0] == L'=' || !wcschr(e, L'=')) continue;
        char *kv = utf8(e);
        char *eq = strchr(kv, '=');
        *eq = 0;
        for (char *c = kv; *c; c++)
            if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 'a' + 'A');
        const char *got = env_get(l, kv);
        if (!got || strcmp(got, eq + 1) != 0) MT_LOG("variable %s: got %s, child sees %s", kv, got ? got : "(none)", eq + 1);
        MT_CHECK(got && strcmp(got, eq + 1) == 0);
        free(kv);
        vars++;
    }
    MT_LOG("child's own block: %zu variables; the library read %zu", vars, l->count);
    MT_CHECK_EQ_INT(l->count, vars);
}

/* argv as CommandLineToArgvW splits the child's own command line. */
static void check_cmdline(ps_proc *p, const char *const *want, int nwant, const wchar_t *own)
{
    ps_proc_str_list *l = NULL;
    MT_CHECK_EQ_INT(logged(ps_proc_cmdline(p, &l)), 0);
    if (!l) return;
    MT_CHECK_EQ_INT((int)l->count, nwant);
    for (size_t i = 0; i < l->count && i < (size_t)nwant; i++) MT_CHECK_STR_EQ(l->items[i], want[i]);
    int argc = 0;
    wchar_t **argv = CommandLineToArgvW(own, &argc);
    MT_CHECK_EQ_INT(argc, (int)l->count);
    for (int i = 0; argv && i < argc && i < (int)l->count; i++) {
        char *a = utf8(argv[i]);
        MT_CHECK_STR_EQ(l->items[i], a);
        free(a);
    }
    if (argv) LocalFree(argv);
    ps_proc_str_list_free(l);
}

/* Start exe "--sleep-child EVENT REPORT rest" in dir with env; wait until it has signalled.
 * On failure, pi.hProcess is NULL and why says what happened. */
static PROCESS_INFORMATION start_child(const wchar_t *exe, const wchar_t *report, const wchar_t *rest,
                                       const wchar_t *dir, wchar_t *env, char *why, size_t cap)
{
    wchar_t ev[64], args[2048];
    _snwprintf(ev, 64, L"psinfo_wt32_%lu", (unsigned long)GetCurrentProcessId());
    _snwprintf(args, 2048, L"--sleep-child %ls \"%ls\" %ls", ev, report, rest);
    HANDLE e = CreateEventW(NULL, TRUE, FALSE, ev);
    PROCESS_INFORMATION pi = spawn_ex(exe, args, 0, dir, env);
    if (!pi.hProcess) {
        snprintf(why, cap, "wine cannot start the %d-bit child: CreateProcessW error %lu (wine32:i386 not installed?)",
                 TARGET_BITS, (unsigned long)GetLastError());
    } else {
        HANDLE hs[2] = {e, pi.hProcess};
        DWORD w = WaitForMultipleObjects(2, hs, FALSE, 30000);
        if (w != WAIT_OBJECT_0) {
            DWORD code = 0;
            GetExitCodeProcess(pi.hProcess, &code);
            snprintf(why, cap,
                     "the %d-bit child did not start (exit code 0x%lx; c0000135: wine32:i386 missing, or the wine "
                     "prefix was made before it was installed and has no C:\\windows\\syswow64)",
                     TARGET_BITS, (unsigned long)code);
            kill_child(&pi);
            pi.hProcess = NULL;
        }
    }
    CloseHandle(e);
    return pi;
}

MT_TEST(wow64_child_cwd_environ_cmdline_exe_name)
{
    WT_HANDLES_BEFORE();
    wchar_t built[MAX_PATH];
    if (!child_path(built, MAX_PATH))
        WOW64_SKIP("no %d-bit child: %s was not found when meson configured this build (Debian: %s), so "
                   "PSINFO_WOW64_CHILD is unset or names no file", TARGET_BITS,
                   TARGET_BITS == 32 ? "i686-w64-mingw32-gcc" : "x86_64-w64-mingw32-gcc",
                   TARGET_BITS == 32 ? "gcc-mingw-w64-i686-win32" : "gcc-mingw-w64-x86-64");
    wchar_t tmp[MAX_PATH], dir[MAX_PATH + 64], exe[MAX_PATH + 128], report[MAX_PATH + 128];
    MT_REQUIRE(GetTempPathW(MAX_PATH, tmp) > 0);
    _snwprintf(dir, MAX_PATH + 64, L"%lspsinfo_wow64_\u00e9\u65e5\U0001F600_%lu", tmp,
               (unsigned long)GetCurrentProcessId());
    MT_REQUIRE(CreateDirectoryW(dir, NULL) || GetLastError() == ERROR_ALREADY_EXISTS);
    _snwprintf(exe, MAX_PATH + 128, L"%ls\\w\u00f6w_\U0001F600.exe", dir);
    _snwprintf(report, MAX_PATH + 128, L"%ls\\report.bin", dir);
    MT_REQUIRE(CopyFileW(built, exe, FALSE));

    /* The child's environment: ours (wine needs its variables) and one to find. */
    wchar_t *mine = GetEnvironmentStringsW();
    MT_REQUIRE(mine != NULL);
    size_t mlen = 0;
    while (mine[mlen] || mine[mlen + 1]) mlen++;
    mlen += 1;
    static const wchar_t extra[] = L"psinfo_wt32=v\u00e9\U0001F600=x\0";
    size_t elen = sizeof extra / sizeof extra[0] - 1;
    wchar_t *env = malloc((mlen + elen + 1) * sizeof *env);
    MT_REQUIRE(env != NULL);
    memcpy(env, extra, elen * sizeof *env);
    memcpy(env + elen, mine, mlen * sizeof *env);
    env[elen + mlen] = 0;
    FreeEnvironmentStringsW(mine);

    char why[512];
    PROCESS_INFORMATION pi = start_child(exe, report, L"\u00e9\U0001F600 \"a \U00010348\"", dir, env, why, sizeof why);
    free(env);
    if (!pi.hProcess) {
        DeleteFileW(exe);
        DeleteFileW(report);
        RemoveDirectoryW(dir);
        WOW64_SKIP("%s", why);
    }
    BOOL wow = FALSE;
    MT_CHECK(IsWow64Process(pi.hProcess, &wow) && wow == (TARGET_BITS == 32));   /* it has the other bitness */
    child_report r;
    MT_CHECK(read_report(report, &r));
    /* A 32-bit caller does not read a 64-bit target's memory (psutil 8: AccessDenied). */
    int no_peb = TARGET_BITS == 64;

    ps_proc *p;
    MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
    char *exe8 = utf8(exe), *dir8 = utf8(dir), *rep8 = utf8(report), *s = NULL;
    wchar_t ev[64];
    _snwprintf(ev, 64, L"psinfo_wt32_%lu", (unsigned long)GetCurrentProcessId());
    char *ev8 = utf8(ev);
    const char *want[] = {exe8, "--sleep-child", ev8, rep8, "\xc3\xa9\xf0\x9f\x98\x80", "a \xf0\x90\x8d\x88"};
    if (no_peb) {
        MT_CHECK_EQ_INT(logged(ps_proc_cwd(p, &s)), PS_EACCES);
        MT_CHECK(s == NULL);
        ps_proc_environ_list *l = NULL;
        MT_CHECK_EQ_INT(ps_proc_environ(p, &l), PS_EACCES);
        MT_CHECK(l == NULL);
        ps_proc_str_list *cl = NULL;
        MT_CHECK_EQ_INT(ps_proc_cmdline(p, &cl), PS_EACCES);
        MT_CHECK(cl == NULL);
    } else {
        MT_CHECK_EQ_INT(logged(ps_proc_cwd(p, &s)), 0);
        MT_CHECK_STR_EQ(s, dir8);
        ps_free(s);
        if (r.cwd) {
            char *own = utf8(r.cwd);
            MT_LOG("the child's own cwd: %s", own);
            free(own);
        }
        ps_proc_environ_list *l = NULL;
        MT_CHECK_EQ_INT(logged(ps_proc_environ(p, &l)), 0);
        if (l) {
            MT_CHECK_STR_EQ(env_get(l, "PSINFO_WT32"), "v\xc3\xa9\xf0\x9f\x98\x80=x");
            const char *path = getenv("PATH");
            if (path) MT_CHECK_STR_EQ(env_get(l, "PATH"), path);
            if (r.env) check_environ_against_report(l, r.env);
            ps_proc_environ_list_free(l);
        }
        check_cmdline(p, want, 6, r.cmdline ? r.cmdline : L"");
    }
    MT_CHECK_EQ_INT(logged(ps_proc_exe(p, &s)), 0);
    MT_CHECK_STR_EQ(s, exe8);
    ps_free(s);
    MT_CHECK_EQ_INT(logged(ps_proc_name(p, &s)), 0);
    MT_CHECK_STR_EQ(s, "w\xc3\xb6w_\xf0\x9f\x98\x80.exe");
    ps_free(s);

    /* The process table reads the same PEB. */
    ps_ptable *t = NULL;
    uint64_t f = PS_PT_BIT(PS_PT_NAME) | PS_PT_BIT(PS_PT_EXE) | PS_PT_BIT(PS_PT_CWD) | PS_PT_BIT(PS_PT_CMDLINE);
    MT_CHECK_EQ_INT(logged(ps_proc_snapshot(p, f, &t)), 0);
    MT_CHECK(t && t->count == 1);
    if (t && t->count == 1 && no_peb) {
        const ps_ptable_record *rec = &t->records[0];
        MT_CHECK_STR_EQ(rec->exe, exe8);
        MT_CHECK(!(rec->present & PS_PT_BIT(PS_PT_CWD)) && rec->cwd == NULL);
        MT_CHECK_EQ_INT(rec->error[PS_PT_CWD], PS_EACCES);
        MT_CHECK(!(rec->present & PS_PT_BIT(PS_PT_CMDLINE)) && rec->cmdline_count == 0);
        MT_CHECK_EQ_INT(rec->error[PS_PT_CMDLINE], PS_EACCES);
    } else if (t && t->count == 1) {
        MT_CHECK_STR_EQ(t->records[0].cwd, dir8);
        MT_CHECK_STR_EQ(t->records[0].exe, exe8);
        MT_CHECK_EQ_INT(t->records[0].cmdline_count, 6);
        for (size_t i = 0; i < t->records[0].cmdline_count && i < 6; i++)
            MT_CHECK_STR_EQ(t->records[0].cmdline[i], want[i]);
    }
    ps_ptable_free(t);

    kill_child(&pi);
    MT_CHECK_EQ_INT(ps_proc_cwd(p, &s), PS_ENOPROC);
    ps_proc_free(p);
    free(r.buf);
    free(exe8);
    free(dir8);
    free(rep8);
    free(ev8);
    DeleteFileW(exe);
    DeleteFileW(report);
    RemoveDirectoryW(dir);
    WT_HANDLES_AFTER();
}

MT_MAIN()
