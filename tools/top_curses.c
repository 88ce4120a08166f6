/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — psinfo top's interactive view with ncurses (Linux, macOS, the BSDs): the frame
 * lines of cmd_top.c cut to the screen, keys from getch() with the refresh interval as its
 * timeout, KEY_RESIZE (ncurses resizes stdscr) redrawn. Without ncurses the view is an error
 * that points to -b. Windows uses top_wincon.c instead.
 */
#include "top.h"

#ifdef PSINFO_HAVE_CURSES
#include <curses.h>
#include <locale.h>
#include <signal.h>

static volatile sig_atomic_t top_stop;
static void on_stop(int sig)
{
    (void)sig;
    top_stop = 1;
}

static void draw(const top_state *st)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    top_lines l = { 0 };
    top_build_frame(st, cols, &l);
    erase();
    for (size_t i = 0; i < l.n && (int)i < rows; i++) mvaddnstr((int)i, 0, l.v[i], cols);
    refresh();
    top_free_lines(&l);
}

/* Read a filter on the last line; Enter applies, Esc cancels, an empty one clears it. */
static void ask_filter(top_state *st)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    (void)cols;
    char buf[256];
    move(rows - 1, 0);
    clrtoeol();
    addstr("filter: ");
    echo();
    curs_set(1);
    timeout(-1);
    int rc = getnstr(buf, (int)sizeof buf - 1);
    noecho();
    curs_set(0);
    if (rc == ERR) return;
    top_set_filter(st, buf);
}

int top_view_run(top_state *st, double interval, uint64_t frames)
{
    setlocale(LC_ALL, "");
    signal(SIGINT, on_stop);
    signal(SIGTERM, on_stop);
    if (!initscr()) return cli_lib_error(PS_EIO, "ncurses: cannot initialise the terminal");
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    uint64_t done = 0;
    int rc = 0;
    double next = 0;
    while (!top_stop && (frames == 0 || done < frames)) {
        double now = cli_monotonic();
        if (now >= next) {
            if ((rc = top_rescan(st)) != 0) break;
            next = now + interval;
            done++;
        }
        draw(st);
        timeout(top_wait_ms(next - cli_monotonic()));
        int ch = getch();
        if (ch == 'q' || ch == 'Q') break;
        if (top_sort_key(st, ch)) continue;
        if (ch == '/' || ch == 'f') ask_filter(st);
        /* KEY_RESIZE: ncurses has resized stdscr; the loop redraws */
    }
    endwin();
    return rc ? cli_lib_error(rc, "scan") : 0;
}
#else
int top_view_run(top_state *st, double interval, uint64_t frames)
{
    (void)st, (void)interval, (void)frames;
    fprintf(stderr, "psinfo: top: the interactive view is not built in (no ncurses); use -b\n");
    return CLI_EXIT_ERROR;
}
#endif
