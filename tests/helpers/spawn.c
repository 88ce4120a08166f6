/* SPDX-License-Identifier: MIT */
/* Test helpers: see spawn.h. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void nap(void)
{
    struct timespec ts = {0, 2 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

pid_t ph_spawn_exec(const char *cwd, const char *exe, char *const argv[], char *const envp[])
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);  /* never outlive a failed test */
        close(fds[0]);
        int err = 0;
        if (cwd && chdir(cwd) != 0) err = errno;
        if (!err) {
            execve(exe, argv, envp);
            err = errno;
        }
        if (write(fds[1], &err, sizeof err) < 0) _exit(126);
        _exit(127);
    }
    close(fds[1]);
    int err = 0;
    ssize_t r;
    do r = read(fds[0], &err, sizeof err);
    while (r < 0 && errno == EINTR);
    close(fds[0]);
    if (r > 0) {
        waitpid(pid, NULL, 0);
        errno = err;
        return -1;
    }
    return pid;
}

pid_t ph_spawn_pause(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        for (;;) pause();
    }
    return pid;
}

char ph_state(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    return p && p[1] == ' ' ? p[2] : 0;
}

pid_t ph_spawn_zombie(void)
{
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) _exit(3);
    for (int i = 0; i < 2500; i++) {
        if (ph_state(pid) == 'Z') return pid;
        nap();
    }
    return -1;
}

pid_t ph_spawn_as_user(uid_t uid, gid_t gid)
{
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0) _exit(1);
        prctl(PR_SET_PDEATHSIG, SIGKILL);  /* after setuid, which clears it */
        for (;;) pause();
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    for (int i = 0; i < 2500; i++) {
        long u = -1;
        FILE *f = fopen(path, "re");
        if (f) {
            char line[256];
            while (fgets(line, sizeof line, f))
                if (strncmp(line, "Uid:", 4) == 0) u = strtol(line + 4, NULL, 10);
            fclose(f);
        }
        if (u == (long)uid) return pid;
        nap();
    }
    ph_reap(pid);
    return -1;
}

void ph_reap(pid_t pid)
{
    if (pid <= 0) return;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

char *ph_capture(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    if (!f) return NULL;
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 4096 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        size_t r = fread(buf + len, 1, cap - len - 1, f);
        if (r == 0) break;
        len += r;
    }
    buf[len] = '\0';
    if (pclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

char *ph_hex(const void *data, size_t n)
{
    if (n == 0) return strdup("\"\"");
    static const char digits[] = "0123456789abcdef";
    char *s = malloc(2 * n + 1);
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[p[i] >> 4];
        s[2 * i + 1] = digits[p[i] & 15];
    }
    s[2 * n] = '\0';
    return s;
}
