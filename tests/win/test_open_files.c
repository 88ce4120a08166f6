/* SPDX-License-Identifier: MIT */
/*
 * open_files on Windows (src/windows/proc_files.c): this process opens known files (one with
 * non-ASCII and astral characters in its name, one twice) and they are listed, each once, with
 * the path GetFinalPathNameByHandleW gives; a directory handle and a pipe with a read pending
 * in another thread (the handle psutil's worker thread guards against) are not listed and do
 * not hang the call; closed files are gone from the list; no handle is left behind.
 * Where wine answers nothing useful, the check is skipped and counted as a wine gap.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minitest.h"
#include "wintest.h"
#include <psinfo.h>

enum { NFILES = 3 };

static int count_path(const ps_proc_open_file_list *l, const char *path)
{
    int k = 0;
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].path, path) == 0) k++;
    return k;
}

/* The oracle: the DOS path of an open handle, "\\?\" dropped. */
static char *final_path(HANDLE h)
{
    wchar_t w[MAX_PATH * 2];
    DWORD n = GetFinalPathNameByHandleW(h, w, MAX_PATH * 2, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
    if (n == 0 || n >= MAX_PATH * 2) return NULL;
    return utf8(wcsncmp(w, L"\\\\?\\", 4) == 0 ? w + 4 : w);
}

static DWORD WINAPI pending_read(LPVOID arg)
{
    char c;
    DWORD got = 0;
    ReadFile((HANDLE)arg, &c, 1, &got, NULL);   /* blocks until the write end closes */
    return 0;
}

MT_TEST(open_files_of_self_lists_known_files_once)
{
    WT_HANDLES_BEFORE();
    wchar_t tmp[MAX_PATH], dir[MAX_PATH + 64];
    MT_REQUIRE(GetTempPathW(MAX_PATH, tmp) > 0);
    _snwprintf(dir, MAX_PATH + 64, L"%lspsinfo_of_\u00e9\u4e2d\U0001F600_%lu", tmp, (unsigned long)GetCurrentProcessId());
    MT_REQUIRE(CreateDirectoryW(dir, NULL) || GetLastError() == ERROR_ALREADY_EXISTS);
    static const wchar_t *leaf[NFILES] = {L"plain.txt", L"t\u00e9st_\u65e5\U0001F600.txt", L"twice.bin"};
    wchar_t path[NFILES][MAX_PATH + 96];
    HANDLE h[NFILES + 1];
    char *want[NFILES] = {0};
    for (int i = 0; i < NFILES; i++) {
        _snwprintf(path[i], MAX_PATH + 96, L"%ls\\%ls", dir, leaf[i]);
        h[i] = CreateFileW(path[i], GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        MT_REQUIRE(h[i] != INVALID_HANDLE_VALUE);
        want[i] = final_path(h[i]);
        MT_REQUIRE(want[i] != NULL);
        MT_LOG("opened %s", want[i]);
    }
    /* the last file a second time: psutil lists a path once */
    h[NFILES] = CreateFileW(path[NFILES - 1], GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                            OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    MT_REQUIRE(h[NFILES] != INVALID_HANDLE_VALUE);
    HANDLE hdir = CreateFileW(dir, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                              OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    MT_REQUIRE(hdir != INVALID_HANDLE_VALUE);
    char *dir8 = final_path(hdir);
    HANDLE rd = NULL, wr = NULL;
    MT_REQUIRE(CreatePipe(&rd, &wr, NULL, 0));
    HANDLE reader = CreateThread(NULL, 0, pending_read, rd, 0, NULL);
    MT_REQUIRE(reader != NULL);
    Sleep(100);   /* let the read start */

    ps_proc *p = NULL;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    ps_proc_open_file_list *l = NULL;
    DWORD t0 = GetTickCount();
    int rc = ps_proc_open_files(p, &l);
    DWORD took = GetTickCount() - t0;
    MT_LOG("ps_proc_open_files: rc %d, %zu files, %lu ms", rc, l ? l->count : 0, (unsigned long)took);
    MT_CHECK_EQ_INT(rc, 0);
    MT_CHECK(took < 30000);
    if (rc == 0 && l) {
        for (size_t i = 0; i < l->count; i++) {
            MT_LOG("  %s (fd %lld)", l->items[i].path, (long long)l->items[i].fd);
            MT_CHECK_EQ_INT((int)l->items[i].fd, -1);
            MT_CHECK(l->items[i].position == PS_UNKNOWN_I64);
            for (size_t j = 0; j < i; j++) MT_CHECK(strcmp(l->items[i].path, l->items[j].path) != 0);
        }
        for (int i = 0; i < NFILES; i++) MT_CHECK_EQ_INT(count_path(l, want[i]), 1);
        if (dir8) MT_CHECK_EQ_INT(count_path(l, dir8), 0);
    }
    ps_proc_open_file_list_free(l);
    l = NULL;

    /* closed: gone from the list */
    for (int i = 0; i <= NFILES; i++) CloseHandle(h[i]);
    MT_CHECK_EQ_INT(ps_proc_open_files(p, &l), 0);
    if (l)
        for (int i = 0; i < NFILES; i++) MT_CHECK_EQ_INT(count_path(l, want[i]), 0);
    ps_proc_open_file_list_free(l);
    ps_proc_free(p);

    CloseHandle(wr);   /* ends the pending read */
    MT_CHECK(WaitForSingleObject(reader, 10000) == WAIT_OBJECT_0);
    CloseHandle(reader);
    CloseHandle(rd);
    CloseHandle(hdir);
    for (int i = 0; i < NFILES; i++) {
        DeleteFileW(path[i]);
        free(want[i]);
    }
    free(dir8);
    RemoveDirectoryW(dir);
    WT_HANDLES_AFTER();
}

MT_TEST(open_files_bad_input)
{
    ps_proc *p = NULL;
    MT_REQUIRE(ps_proc_open_self(&p) == 0);
    MT_CHECK_EQ_INT(ps_proc_open_files(p, NULL), PS_EINVAL);
    ps_proc_open_file_list *l = NULL;
    MT_CHECK_EQ_INT(ps_proc_open_files(NULL, &l), PS_EINVAL);
    ps_proc_free(p);
}

MT_MAIN()
