/* SPDX-License-Identifier: MIT */
/* The core's lock and clocks on Windows: an SRW lock, QueryPerformanceCounter, the system time. */
#include <stdlib.h>
#include <windows.h>

#include "../backend.h"

struct ps__mutex {
    SRWLOCK l;
};

ps__mutex *ps__mutex_new(void)
{
    ps__mutex *m = malloc(sizeof *m);
    if (m) InitializeSRWLock(&m->l);
    return m;
}

void ps__mutex_lock(ps__mutex *m)
{
    AcquireSRWLockExclusive(&m->l);
}

void ps__mutex_unlock(ps__mutex *m)
{
    ReleaseSRWLockExclusive(&m->l);
}

void ps__mutex_free(ps__mutex *m)
{
    free(m);
}

double ps__clock_monotonic(void)
{
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart / (double)f.QuadPart;
}

double ps__clock_wall(void)
{
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;   /* 100 ns since 1601 */
    return (double)(t - UINT64_C(116444736000000000)) / 1e7;
}
