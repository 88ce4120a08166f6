/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — psinfo top's parts: cmd_top.c builds each frame as lines of text (shared by
 * every view); a view draws them and reads keys. One view is linked: top_curses.c (ncurses,
 * or a "not built in" error without it) or top_wincon.c (the Win32 console).
 */
#ifndef PSINFO_CLI_TOP_H
#define PSINFO_CLI_TOP_H

#include "cli.h"

enum { TOP_SORT_CPU, TOP_SORT_MEM, TOP_SORT_PID, TOP_SORT_NAME };

typedef struct top_state {
    ps_scanner *scanner;
    ps_scan *scan;
    int sort;               /* TOP_SORT_* */
    char *filter;           /* UTF-8 as the library decodes names (NULL: none) */
    uint64_t mem_total;
} top_state;

typedef struct top_lines {
    char **v;               /* UTF-8, terminal-safe (no control characters) */
    size_t n, cap;
} top_lines;

/* A console cell (the Win32 view's CHAR_INFO, kept portable so the Linux suite tests it): one
 * UTF-16 unit; a wide character is the same unit in a LEAD and a TRAIL cell. */
enum { TOP_CELL_NARROW, TOP_CELL_LEAD, TOP_CELL_TRAIL };
typedef struct top_cell {
    uint16_t ch;
    uint8_t kind;           /* TOP_CELL_* */
} top_cell;
/* The `cols` cells of one row from a UTF-8 line (NULL: blank): cut at the width (a wide
 * character that does not fit whole is left out), padded with blanks; zero-width characters
 * take no cell, a character beyond the BMP (no single unit) is U+FFFD padded to its width. */
void top_line_cells(const char *s, int cols, top_cell *row);

/* A new scan of the processes (the first frame's percentages need one before it). */
int top_rescan(top_state *st);
/* The frame for a screen `width` columns wide (bars are sized to it; lines are not cut). */
void top_build_frame(const top_state *st, int width, top_lines *out);
void top_free_lines(top_lines *l);
/* The keys every view shares: c m p n set the sort (returns true); anything else false. */
bool top_sort_key(top_state *st, int ch);
/* Milliseconds to wait for `seconds` (until the next refresh): 0 when due, at most INT_MAX
 * (an interval of up to 1e9 s is accepted; the views wait again after a wake-up). */
int top_wait_ms(double seconds);
/* The filter line being typed, `text` (UTF-8, `cap` bytes with its NUL), after a key `cp`
 * (a code point): Backspace (8 or 127) takes the last character off, whatever its length; a
 * character from U+0020 on is appended when it fits (surrogates and controls are not). */
void top_filter_edit(char *text, size_t cap, uint32_t cp);
/* The filter typed in a view (UTF-8): empty clears it. */
void top_set_filter(top_state *st, const char *text);

/*
 * The interactive view: until q, Ctrl-C or `frames` frames (0: no limit), a rescan every
 * `interval` seconds, redrawn after each key and resize. Returns an exit status; errors are
 * printed (the view's own, or the scan's through cli_lib_error).
 */
int top_view_run(top_state *st, double interval, uint64_t frames);

#endif
