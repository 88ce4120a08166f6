/* SPDX-License-Identifier: MIT */
/* The real Windows process getters (src/windows/proc_getters.c), run under wine. Oracles: the
 * Win32 calls of the test itself (GetModuleFileNameW, GetCurrentProcessId, the CreateProcessW
 * handle and the command line passed to it, the system clock), and changes the test makes
 * (a busy loop, 64 MiB touched, one more thread). Children are this program started again with
 * "--sleep-child ..." (they sleep until terminated) or "--exit-child" (they exit at once). */
#include <windows.h>
#include <psapi.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "minitest.h"
#include "wintest.h"
#include <psinfo.h>

MT_TEST(exe_and_name_of_self)
{
    wchar_t self[MAX_PATH];
    DWORD n = GetModuleFileNameW(NULL, self, MAX_PATH);
    MT_REQUIRE(n > 0 && n < MAX_PATH);
    char *want = utf8(self);
    const char *base = want;
    for (const char *c = want; *c; c++)
        if (*c == '\\' || *c == '/') base = c + 1;
    ps_proc *p;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    char *exe = NULL, *name = NULL;
    MT_CHECK_EQ_INT(ps_proc_exe(p, &exe), 0);
    MT_CHECK_STR_EQ(exe, want);
    MT_CHECK_EQ_INT(ps_proc_name(p, &name), 0);
    MT_CHECK_STR_EQ(name, base);
    MT_CHECK_STR_EQ(name, "test_proc_getters_win.exe");
    ps_free(exe);
    ps_free(name);
    ps_proc_free(p);
    free(want);
}

MT_TEST(ppid_and_create_time_of_a_spawned_child)
{
    ps_proc *self;
    MT_REQUIRE(ps_proc_open_self(&self) == 0);
    double my_ct;
    MT_REQUIRE(ps_proc_create_time(self, &my_ct) == 0);
    double before = now_unix();
    wchar_t ev[64];
    PROCESS_INFORMATION pi = spawn_sleeper(L"", ev);
    MT_REQUIRE(pi.hProcess != NULL);
    double after = now_unix();
    ps_proc *p;
    MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
    int64_t ppid = -1;
    MT_CHECK_EQ_INT(ps_proc_ppid(p, &ppid), 0);
    MT_CHECK(ppid == (int64_t)GetCurrentProcessId());
    /* ps_proc_parent (portable core: ppid + create_time ordering) names us. */
    ps_proc *par = NULL;
    MT_CHECK_EQ_INT(ps_proc_parent(p, &par), 0);
    MT_CHECK(par != NULL && ps_proc_pid(par) == (int64_t)GetCurrentProcessId());
    ps_proc_free(par);
    int64_t my_ppid = -1;
    MT_CHECK_EQ_INT(ps_proc_ppid(self, &my_ppid), 0);
    MT_CHECK(my_ppid != (int64_t)GetCurrentProcessId());
    double ct = 0;
    MT_CHECK_EQ_INT(ps_proc_create_time(p, &ct), 0);
    MT_LOG("child create_time %.3f, spawned between %.3f and %.3f; ours %.3f", ct, before, after, my_ct);
    /* FILETIME clock granularity (up to ~16 ms) and rounding: 2 s of tolerance. */
    MT_CHECK(ct >= before - 2.0 && ct <= after + 2.0);
    MT_CHECK(ct >= my_ct);
    MT_CHECK(my_ct <= before && my_ct > before - 3600);
    /* The handle's answer does not change. */
    double ct2 = 0;
    MT_CHECK_EQ_INT(ps_proc_create_time(p, &ct2), 0);
    MT_CHECK(ct2 == ct);
    ps_proc_free(p);
    ps_proc_free(self);
    kill_child(&pi);
}

static volatile double sink;

/* user + kernel seconds of this process, straight from GetProcessTimes. */
static double self_cpu_seconds(void)
{
    FILETIME c, e, k, u;
    if (!GetProcessTimes(GetCurrentProcess(), &c, &e, &k, &u)) return -1;
    return (double)((((uint64_t)u.dwHighDateTime << 32) | u.dwLowDateTime) +
                    (((uint64_t)k.dwHighDateTime << 32) | k.dwLowDateTime)) / 1e7;
}

MT_TEST(cpu_times_of_self_grow_after_a_busy_loop)
{
    ps_proc *p;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    ps_proc_cputimes a, b;
    MT_REQUIRE(ps_proc_cpu_times(p, &a) == 0);
    MT_CHECK(isnan(a.children_user) && isnan(a.children_system) && isnan(a.iowait));
    /* Spin until the OS says this process used 0.3 s more CPU (however loaded the machine is;
     * at most 60 s of wall time): our second reading, taken after, must show at least that. */
    double o0 = self_cpu_seconds(), o1 = o0, x = 0;
    DWORD start = GetTickCount();
    while (o1 - o0 < 0.3 && GetTickCount() - start < 60000) {
        for (int i = 0; i < 100000; i++) x += i * 0.5;
        o1 = self_cpu_seconds();
    }
    sink = x;
    MT_REQUIRE(o1 - o0 >= 0.3);
    MT_REQUIRE(ps_proc_cpu_times(p, &b) == 0);
    MT_LOG("user %.3f -> %.3f, system %.3f -> %.3f", a.user, b.user, a.system, b.system);
    MT_CHECK(a.user >= 0 && a.system >= 0);
    MT_CHECK(b.user >= a.user && b.system >= a.system);
    MT_CHECK((b.user + b.system) - (a.user + a.system) >= 0.3 - 1e-6);
    /* Compare with the OS directly: ours lies between the OS readings around it. */
    double o2 = self_cpu_seconds();
    MT_CHECK(b.user + b.system >= o1 - 1e-6 && b.user + b.system <= o2 + 1e-6);
    ps_proc_free(p);
}

MT_TEST(memory_info_rss_grows_after_touching_64_mib)
{
    ps_proc *p;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    ps_proc_mem a, b;
    MT_REQUIRE(ps_proc_memory_info(p, &a) == 0);
    MT_CHECK(a.rss > 0 && a.vms > 0);
    MT_CHECK(a.shared == PS_UNKNOWN_U64 && a.text == PS_UNKNOWN_U64 &&
             a.data == PS_UNKNOWN_U64 && a.stack == PS_UNKNOWN_U64);
    MT_CHECK(a.peak_rss >= a.rss && a.peak_vms != PS_UNKNOWN_U64);
    size_t sz = (size_t)64 << 20;
    unsigned char *m = VirtualAlloc(NULL, sz, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    MT_REQUIRE(m != NULL);
    for (size_t i = 0; i < sz; i += 4096) m[i] = (unsigned char)i | 1;
    MT_REQUIRE(ps_proc_memory_info(p, &b) == 0);
    MT_LOG("rss %llu -> %llu, vms %llu -> %llu", (unsigned long long)a.rss, (unsigned long long)b.rss,
           (unsigned long long)a.vms, (unsigned long long)b.vms);
    MT_CHECK(b.rss >= a.rss + ((uint64_t)48 << 20));
    MT_CHECK(b.vms >= a.vms + ((uint64_t)48 << 20));
    PROCESS_MEMORY_COUNTERS_EX pmc;
    pmc.cb = sizeof pmc;
    MT_REQUIRE(GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc, sizeof pmc));
    MT_CHECK(pmc.PagefileUsage == b.vms);
    MT_CHECK(pmc.PeakWorkingSetSize >= b.peak_rss && b.peak_rss >= ((uint64_t)48 << 20));
    uint64_t diff = pmc.WorkingSetSize > b.rss ? pmc.WorkingSetSize - b.rss : b.rss - pmc.WorkingSetSize;
    MT_CHECK(diff < ((uint64_t)4 << 20));
    VirtualFree(m, 0, MEM_RELEASE);
    ps_proc_free(p);
}

static DWORD WINAPI parked(LPVOID ev)
{
    WaitForSingleObject((HANDLE)ev, INFINITE);
    return 0;
}

MT_TEST(num_threads_goes_up_by_one_while_a_thread_runs)
{
    ps_proc *p;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    int ok = 0;
    /* Retry: the runtime may start or end a thread of its own meanwhile. */
    for (int attempt = 0; attempt < 5 && !ok; attempt++) {
        int64_t before = -1, during = -1, after = -1;
        MT_REQUIRE(ps_proc_num_threads(p, &before) == 0);
        HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
        HANDLE t = CreateThread(NULL, 0, parked, ev, 0, NULL);
        MT_REQUIRE(t != NULL);
        MT_REQUIRE(ps_proc_num_threads(p, &during) == 0);
        SetEvent(ev);
        WaitForSingleObject(t, INFINITE);
        CloseHandle(t);
        CloseHandle(ev);
        MT_REQUIRE(ps_proc_num_threads(p, &after) == 0);
        MT_LOG("threads %lld -> %lld -> %lld", (long long)before, (long long)during, (long long)after);
        ok = before >= 1 && during == before + 1 && after == before;
    }
    MT_CHECK(ok);
    ps_proc_free(p);
}

MT_TEST(cmdline_of_a_child_with_spaces_and_non_ascii)
{
    /* Arguments as CommandLineToArgvW reads them: quotes group, \" is a literal quote. */
    const wchar_t *args = L"\"a b\" \"h\u00e9llo w\u00f6rld\" \u65e5\u672c\U0001F600 x\\\"y \"\" plain";
    wchar_t ev[64];
    PROCESS_INFORMATION pi = spawn_sleeper(args, ev);
    char *ev8 = utf8(ev);
    MT_REQUIRE(pi.hProcess != NULL);
    wchar_t self[MAX_PATH];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    char *self8 = utf8(self);
    const char *want[] = {self8, "--sleep-child", ev8, "a b", "h\xc3\xa9llo w\xc3\xb6rld",
                          "\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80", "x\"y", "", "plain"};
    ps_proc *p;
    MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
    ps_proc_str_list *l = NULL;
    MT_CHECK_EQ_INT(ps_proc_cmdline(p, &l), 0);
    MT_REQUIRE(l != NULL);
    MT_CHECK_EQ_INT((int)l->count, 9);
    for (size_t i = 0; i < l->count && i < 9; i++) MT_CHECK_STR_EQ(l->items[i], want[i]);
    ps_proc_str_list_free(l);
    ps_proc_free(p);
    kill_child(&pi);
    free(self8);
    free(ev8);
}

MT_TEST(cmdline_lone_surrogate_is_replaced)
{
    /* A lone high surrogate in an argument: U+FFFD under the (Windows default) replace policy. */
    const wchar_t args[] = {L'a', 0xD800, L'b', 0};
    wchar_t ev[64];
    PROCESS_INFORMATION pi = spawn_sleeper(args, ev);
    MT_REQUIRE(pi.hProcess != NULL);
    ps_proc *p;
    MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
    ps_proc_str_list *l = NULL;
    MT_CHECK_EQ_INT(ps_proc_cmdline(p, &l), 0);
    MT_REQUIRE(l != NULL);
    MT_CHECK_EQ_INT((int)l->count, 4);
    if (l->count == 4) MT_CHECK_STR_EQ(l->items[3], "a\xef\xbf\xbd" "b");
    ps_proc_str_list_free(l);
    ps_proc_free(p);
    kill_child(&pi);
}

/* Every real getter on a handle, with its result code. */
static void all_getters(ps_proc *p, int rcs[8])
{
    char *s = NULL;
    rcs[0] = ps_proc_name(p, &s);
    ps_free(s);
    s = NULL;
    rcs[1] = ps_proc_exe(p, &s);
    ps_free(s);
    ps_proc_str_list *l = NULL;
    rcs[2] = ps_proc_cmdline(p, &l);
    ps_proc_str_list_free(l);
    int64_t v;
    rcs[3] = ps_proc_ppid(p, &v);
    double d;
    rcs[4] = ps_proc_create_time(p, &d);
    ps_proc_cputimes ct;
    rcs[5] = ps_proc_cpu_times(p, &ct);
    ps_proc_mem m;
    rcs[6] = ps_proc_memory_info(p, &m);
    rcs[7] = ps_proc_num_threads(p, &v);
}

MT_TEST(gone_process_gives_enoproc)
{
    PROCESS_INFORMATION pi = spawn(L"--exit-child");
    MT_REQUIRE(pi.hProcess != NULL);
    ps_proc *p;
    int orc = ps_proc_open((int64_t)pi.dwProcessId, &p);
    MT_REQUIRE(orc == 0);
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    int rcs[8];
    all_getters(p, rcs);
    for (int i = 0; i < 8; i++) MT_CHECK_EQ_INT(rcs[i], PS_ENOPROC);
    ps_proc_free(p);
}

MT_TEST(live_self_getters_all_succeed_and_leak_no_handles)
{
    ps_proc *p;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    int rcs[8];
    all_getters(p, rcs); /* warm up (loads, first-use allocations) */
    DWORD h0 = 0, h1 = 0;
    BOOL have = GetProcessHandleCount(GetCurrentProcess(), &h0);
    for (int k = 0; k < 50; k++) {
        all_getters(p, rcs);
        for (int i = 0; i < 8; i++) MT_CHECK_EQ_INT(rcs[i], 0);
    }
    /* wine answers 0 handles: the check only means something where the count is real. */
    if (have && h0 > 0 && GetProcessHandleCount(GetCurrentProcess(), &h1)) {
        MT_LOG("handles %lu -> %lu", (unsigned long)h0, (unsigned long)h1);
        MT_CHECK(h1 == h0);
    }
    ps_proc_free(p);
}

MT_TEST(null_arguments_give_einval_and_the_rest_stay_enotsup)
{
    ps_proc *p;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    MT_CHECK_EQ_INT(ps_proc_name(p, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_exe(p, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_cmdline(p, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_ppid(p, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_create_time(p, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_cpu_times(p, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_memory_info(p, NULL), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_num_threads(p, NULL), PS_EINVAL);
    char *s = NULL;
    int64_t v;
    double d;
    ps_proc_cputimes ct;
    ps_proc_mem m;
    ps_proc_str_list *l = NULL;
    MT_CHECK_EQ_INT(ps_proc_name(NULL, &s), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_exe(NULL, &s), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_cmdline(NULL, &l), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_ppid(NULL, &v), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_create_time(NULL, &d), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_cpu_times(NULL, &ct), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_memory_info(NULL, &m), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_num_threads(NULL, &v), PS_EINVAL);
    /* Windows has no file descriptors (psutil has no num_fds there): PS_ENOTSUP. */
    v = -5;
    MT_CHECK_EQ_INT(ps_proc_num_fds(p, &v), PS_ENOTSUP);
    MT_CHECK(v == -5);
    ps_proc_free(p);
}

/* username: "DOMAIN\\user" of the token; the user part is GetUserNameW's, the domain the
 * account's (LookupAccountNameW of that user, a second lookup direction). */
MT_TEST(username_of_self_is_domain_backslash_user)
{
    WT_HANDLES_BEFORE();
    wchar_t user[256], dom[256];
    DWORD un = 256, dn = 256, sidn = 256;
    MT_REQUIRE(GetUserNameW(user, &un));
    unsigned char sid[256];
    SID_NAME_USE use;
    MT_REQUIRE(LookupAccountNameW(NULL, user, sid, &sidn, dom, &dn, &use));
    wchar_t want[520];
    _snwprintf(want, 520, L"%ls\\%ls", dom, user);
    char *want8 = utf8(want);
    ps_proc *p;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    char *got = NULL;
    MT_CHECK_EQ_INT(ps_proc_username(p, &got), 0);
    MT_LOG("username %s (want %s)", got ? got : "(null)", want8);
    MT_CHECK_STR_EQ(got, want8);
    ps_free(got);
    ps_proc_free(p);
    free(want8);
    WT_HANDLES_AFTER();
}

/* nice: the priority class a child was started with, then one we set (GetPriorityClass of the
 * CreateProcess handle is the oracle); anything but a class is PS_EINVAL. */
MT_TEST(nice_is_the_priority_class_get_and_set)
{
    WT_HANDLES_BEFORE();
    PROCESS_INFORMATION pi = spawn_ex(NULL, L"--sleep-child none", BELOW_NORMAL_PRIORITY_CLASS, NULL, NULL);
    MT_REQUIRE(pi.hProcess != NULL);
    ps_proc *p;
    MT_REQUIRE(ps_proc_open((int64_t)pi.dwProcessId, &p) == 0);
    int32_t n = 0;
    MT_CHECK_EQ_INT(ps_proc_nice(p, &n), 0);
    MT_CHECK_EQ_INT(n, GetPriorityClass(pi.hProcess));
    if (GetPriorityClass(pi.hProcess) != BELOW_NORMAL_PRIORITY_CLASS)
        WT_WINE_GAP("CreateProcess ignores BELOW_NORMAL_PRIORITY_CLASS (class %lu)", (unsigned long)n);
    else
        MT_CHECK_EQ_INT(n, BELOW_NORMAL_PRIORITY_CLASS);
    MT_CHECK_EQ_INT(ps_proc_set_nice(p, IDLE_PRIORITY_CLASS), 0);
    MT_CHECK_EQ_INT(GetPriorityClass(pi.hProcess), IDLE_PRIORITY_CLASS);
    MT_CHECK_EQ_INT(ps_proc_nice(p, &n), 0);
    MT_CHECK_EQ_INT(n, IDLE_PRIORITY_CLASS);
    MT_CHECK_EQ_INT(ps_proc_set_nice(p, 5), PS_EINVAL);
    MT_CHECK_EQ_INT(ps_proc_set_nice(p, -1), PS_EINVAL);
    MT_CHECK_EQ_INT(GetPriorityClass(pi.hProcess), IDLE_PRIORITY_CLASS);
    kill_child(&pi);
    MT_CHECK_EQ_INT(ps_proc_nice(p, &n), PS_ENOPROC);
    MT_CHECK_EQ_INT(ps_proc_set_nice(p, NORMAL_PRIORITY_CLASS), PS_ENOPROC);
    ps_proc_free(p);
    WT_HANDLES_AFTER();
}

MT_MAIN()
