/* SPDX-License-Identifier: MIT */
/*
 * A known process for the CLI's wine test (cli_wine_test.py): prints its own pid (the OS's
 * answer, not the library's), then sleeps until the file "release" appears in its working
 * directory (at most 120 s) and exits with status 7.
 *     cli_child.exe ARGS...
 */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    printf("%lu\n", (unsigned long)GetCurrentProcessId());
    fflush(stdout);
    for (int i = 0; i < 2400 && GetFileAttributesW(L"release") == INVALID_FILE_ATTRIBUTES; i++) Sleep(50);
    return 7;
}
