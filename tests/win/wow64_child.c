/* SPDX-License-Identifier: MIT */
/*
 * The other-bitness child of test_proc_wow64.c: built with i686-w64-mingw32-gcc so that the
 * 64-bit library reads a WOW64 process (its 32-bit PEB), and with x86_64-w64-mingw32-gcc in the
 * 32-bit build (build-win32) so that the 32-bit library reads a 64-bit one (tests/win/meson.build).
 *
 *   wow64_child.exe --sleep-child EVENT REPORT [args...]
 *
 * writes what it sees of itself to the file REPORT (UTF-16): its working directory, NUL, its
 * command line, NUL, then its environment block as GetEnvironmentStringsW gives it (ending in
 * an empty entry); then sets the named EVENT (it is fully started) and sleeps 60 s. The parent
 * compares the library's answers with this report and with the values it started the child with.
 */
#include <windows.h>
#include <shellapi.h>

static int put(HANDLE f, const wchar_t *s, size_t units)
{
    DWORD done = 0;
    return WriteFile(f, s, (DWORD)(units * sizeof *s), &done, NULL) && done == units * sizeof *s;
}

static int report(const wchar_t *path)
{
    HANDLE f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE) return 0;
    wchar_t cwd[32768];
    DWORD n = GetCurrentDirectoryW(32768, cwd);
    const wchar_t *cl = GetCommandLineW();
    wchar_t *env = GetEnvironmentStringsW();
    size_t elen = 0;
    if (env)
        while (env[elen] || env[elen + 1]) elen++;
    int ok = n > 0 && n < 32768 && env && put(f, cwd, n + 1) && put(f, cl, lstrlenW(cl) + 1) &&
             put(f, env, elen + 2);
    if (env) FreeEnvironmentStringsW(env);
    return CloseHandle(f) && ok;
}

int main(void)
{
    int argc = 0;
    wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    if (!argv || argc < 4 || lstrcmpW(argv[1], L"--sleep-child") != 0) return 2;
    if (!report(argv[3])) return 3;
    HANDLE ev = OpenEventW(EVENT_MODIFY_STATE, FALSE, argv[2]);
    if (!ev || !SetEvent(ev)) return 4;
    CloseHandle(ev);
    Sleep(60000);
    return 1;
}
