/* SPDX-License-Identifier: MIT */
/* The core's lock and clocks on every Unix: a pthread mutex, CLOCK_MONOTONIC, CLOCK_REALTIME. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "../backend.h"

struct ps__mutex {
    pthread_mutex_t m;
};

ps__mutex *ps__mutex_new(void)
{
    ps__mutex *m = malloc(sizeof *m);
    if (m && pthread_mutex_init(&m->m, NULL) != 0) {
        free(m);
        m = NULL;
    }
    return m;
}

void ps__mutex_lock(ps__mutex *m)
{
    pthread_mutex_lock(&m->m);
}

void ps__mutex_unlock(ps__mutex *m)
{
    pthread_mutex_unlock(&m->m);
}

void ps__mutex_free(ps__mutex *m)
{
    if (!m) return;
    pthread_mutex_destroy(&m->m);
    free(m);
}

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double ps__clock_monotonic(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}

double ps__clock_wall(void)
{
    return clock_seconds(CLOCK_REALTIME);
}
