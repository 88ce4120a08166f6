/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — psinfo top's interactive view with ncurses (Linux, macOS, the BSDs): the frame
 * lines of cmd_top.c cut to the screen, keys from getch() with the refresh interval as its
 * timeout, KEY_RESIZE (ncurses resizes stdscr) redrawn. Without ncurses the view is an error
 * that points to -b. Windows uses top_wincon.c instead.
 */
#include <stdlib.h>

#include "top.h"
#include "utf8.h"

#ifdef PSINFO_HAVE_CURSES
#define NCURSES_WIDECHAR 1   /* get_wch */
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
    /* cut at the width in columns (addnstr counts bytes: a multi-byte line was cut short) */
    for (size_t i = 0; i < l.n && (int)i < rows; i++)
        mvaddnstr((int)i, 0, l.v[i], (int)cli_prefix_for_width(l.v[i], cols > 0 ? (size_t)cols : 0));
    refresh();
    top_free_lines(&l);
}

/* The filter prompt on the last line, cut to the width, the cursor after it. */
static void show_prompt(const char *text)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    char *shown = cli_sanitize(text);
    char *prompt = cli_xasprintf("filter: %s", shown);
    move(rows - 1, 0);
    clrtoeol();
    addnstr(prompt, (int)cli_prefix_for_width(prompt, cols > 1 ? (size_t)cols - 1 : 0));
    refresh();
    free(prompt);
    free(shown);
}

/*
 * Read a filter on the last line; Enter applies, Esc cancels, an empty one clears it. Edited
 * here by characters (get_wch, top_filter_edit), not with getnstr's echo: its Backspace takes
 * one byte off, half of a UTF-8 character.
 */
static void ask_filter(top_state *st)
{
    char text[256] = "";
    curs_set(1);
    timeout(200);   /* SIGINT (its handler sets top_stop) does not end a wait */
    while (!top_stop) {
        show_prompt(text);
        wint_t wc;
        int r = get_wch(&wc);
        if (r == ERR) continue;
        if (r == KEY_CODE_YES) {
            if (wc == KEY_BACKSPACE) top_filter_edit(text, sizeof text, 8);
            else if (wc == KEY_ENTER) {
                top_set_filter(st, text);
                break;
            } else if (wc == KEY_RESIZE) draw(st);
            continue;
        }
        if (wc == 27) break;
        if (wc == '\n' || wc == '\r') {
            top_set_filter(st, text);
            break;
        }
        top_filter_edit(text, sizeof text, (uint32_t)wc);
    }
    curs_set(0);
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
