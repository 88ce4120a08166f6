/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — psinfo top's interactive view on Windows, with the console API (Debian has no
 * mingw ncurses): the frame lines of cmd_top.c are drawn on a screen buffer of our own
 * (CreateConsoleScreenBuffer, made active, so the user's screen comes back as it was) in one
 * WriteConsoleOutputW of the window's cells, UTF-8 converted to UTF-16 cell by cell by
 * top_line_cells (cmd_top.c, tested on Linux: a wide character takes two cells, as conhost lays
 * them out). Keys come
 * from ReadConsoleInputW; the wait for them (WaitForMultipleObjects on the input handle and a
 * stop event) times out at the next refresh. A window or buffer size change is followed: each
 * draw reads the window's size, and WINDOW_BUFFER_SIZE_EVENT wakes the loop. Ctrl-C (a key
 * with processed input off, or CTRL_C/CTRL_BREAK through SetConsoleCtrlHandler) quits like q;
 * the original screen buffer and input mode are restored on every way out. The same keys as
 * top_curses.c: c m p n sort, / (or f) filter (Enter applies, Esc cancels, empty clears), q.
 * Under wine's tty console (wine 8 maps the console to the terminal): see docs/windows.md.
 */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "top.h"

/* Set by the console control handler, which runs on a thread of its own: one already running
 * when the handler is removed may still reach SetEvent, so the event is closed under the lock
 * (not a handle the process may have reused). */
static HANDLE stop_event;
static SRWLOCK stop_lock = SRWLOCK_INIT;

static BOOL WINAPI on_ctrl(DWORD type)
{
    AcquireSRWLockShared(&stop_lock);
    if (stop_event) SetEvent(stop_event);
    ReleaseSRWLockShared(&stop_lock);
    /* Ctrl-C and Ctrl-Break: handled, the loop quits and restores the console. A close,
     * logoff or shutdown ends the process when the handler returns, whatever it says. */
    return type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT;
}

typedef struct wincon {
    HANDLE in, out, buf;    /* stdin, the user's screen buffer, ours */
    WORD attr;              /* the user's colours, kept for our cells */
    CHAR_INFO *cells;
    size_t ncells;
    top_cell *line;         /* one row, converted before it is copied into cells */
    size_t nline;
    int rows, cols;
} wincon;

/* The window's size; the buffer is made the window's size (no scroll bars, row 0 on top). */
static void fit_window(wincon *w)
{
    CONSOLE_SCREEN_BUFFER_INFO ci;
    if (!GetConsoleScreenBufferInfo(w->buf, &ci)) {
        w->rows = 25, w->cols = 80;
        return;
    }
    SHORT cols = (SHORT)(ci.srWindow.Right - ci.srWindow.Left + 1);
    SHORT rows = (SHORT)(ci.srWindow.Bottom - ci.srWindow.Top + 1);
    if (cols < 1) cols = 1;
    if (rows < 1) rows = 1;
    if (ci.dwSize.X != cols || ci.dwSize.Y != rows) {
        SMALL_RECT at_origin = { 0, 0, (SHORT)(cols - 1), (SHORT)(rows - 1) };
        SetConsoleWindowInfo(w->buf, TRUE, &at_origin);
        COORD size = { cols, rows };
        SetConsoleScreenBufferSize(w->buf, size);   /* best effort: drawing uses the window */
    }
    w->rows = rows, w->cols = cols;
}

/* One row of cells from a UTF-8 line (top_line_cells: cut at the width, padded with blanks). */
static void fill_row(const wincon *w, CHAR_INFO *row, const char *s)
{
    top_line_cells(s, w->cols, w->line);
    for (int x = 0; x < w->cols; x++) {
        row[x].Char.UnicodeChar = (WCHAR)w->line[x].ch;
        row[x].Attributes = w->attr;
        if (w->line[x].kind == TOP_CELL_LEAD) row[x].Attributes |= COMMON_LVB_LEADING_BYTE;
        if (w->line[x].kind == TOP_CELL_TRAIL) row[x].Attributes |= COMMON_LVB_TRAILING_BYTE;
    }
}

/* The frame, and the filter prompt on the last row when `prompt` is set (cursor after it). */
static void draw(wincon *w, const top_state *st, const char *prompt)
{
    fit_window(w);
    size_t need = (size_t)w->rows * (size_t)w->cols;
    if (need > w->ncells) {
        w->cells = cli_xrealloc(w->cells, need * sizeof *w->cells);
        w->ncells = need;
    }
    if ((size_t)w->cols > w->nline) {
        w->nline = (size_t)w->cols;
        w->line = cli_xrealloc(w->line, w->nline * sizeof *w->line);
    }
    top_lines l = { 0 };
    top_build_frame(st, w->cols, &l);
    for (int y = 0; y < w->rows; y++)
        fill_row(w, w->cells + (size_t)y * (size_t)w->cols, (size_t)y < l.n ? l.v[y] : NULL);
    top_free_lines(&l);
    size_t pw = 0;
    if (prompt) {
        fill_row(w, w->cells + (size_t)(w->rows - 1) * (size_t)w->cols, prompt);
        pw = cli_display_width(prompt);
        if (pw >= (size_t)w->cols) pw = (size_t)w->cols - 1;
    }
    COORD size = { (SHORT)w->cols, (SHORT)w->rows }, from = { 0, 0 };
    SMALL_RECT to = { 0, 0, (SHORT)(w->cols - 1), (SHORT)(w->rows - 1) };
    WriteConsoleOutputW(w->buf, w->cells, size, from, &to);
    CONSOLE_CURSOR_INFO cur = { 1, prompt != NULL };
    SetConsoleCursorInfo(w->buf, &cur);
    if (prompt) {
        COORD at = { (SHORT)pw, (SHORT)(w->rows - 1) };
        SetConsoleCursorPosition(w->buf, at);
    }
}

enum { EV_NONE, EV_TIMEOUT, EV_STOP, EV_INPUT };

/* Wait for input, the stop event or `ms` (INFINITE: no timeout). */
static int wait_input(const wincon *w, DWORD ms)
{
    HANDLE h[2] = { stop_event, w->in };
    DWORD r = WaitForMultipleObjects(2, h, FALSE, ms);
    if (r == WAIT_OBJECT_0) return EV_STOP;
    if (r == WAIT_OBJECT_0 + 1) return EV_INPUT;
    if (r == WAIT_TIMEOUT) return EV_TIMEOUT;
    return EV_STOP;   /* WAIT_FAILED: nothing more can be read */
}

/* The next typed character (UTF-32; surrogate pairs joined), 0 for a resize or another event
 * that only needs a redraw, -1 when the input cannot be read. */
static long read_key(const wincon *w)
{
    static WCHAR high;   /* the first half of a pair, until its second comes */
    INPUT_RECORD ir;
    DWORD n = 0;
    if (!ReadConsoleInputW(w->in, &ir, 1, &n)) return -1;
    if (n == 0 || ir.EventType != KEY_EVENT || !ir.Event.KeyEvent.bKeyDown) return 0;
    WCHAR c = ir.Event.KeyEvent.uChar.UnicodeChar;
    if (c == 0) {
        /* a key without a character (arrows, shift); Esc and Enter always have one, but a
         * keyboard layout may leave it out */
        WORD vk = ir.Event.KeyEvent.wVirtualKeyCode;
        return vk == VK_ESCAPE ? 27 : vk == VK_RETURN ? '\r' : 0;
    }
    if (c >= 0xD800 && c <= 0xDBFF) {
        high = c;
        return 0;
    }
    if (c >= 0xDC00 && c <= 0xDFFF) {
        long cp = high ? 0x10000 + (((long)high - 0xD800) << 10) + ((long)c - 0xDC00) : 0xFFFD;
        high = 0;
        return cp;
    }
    high = 0;
    return (long)c;
}

/* The filter line: Enter applies, Esc cancels, Backspace deletes a character. false: stop. */
static bool ask_filter(wincon *w, top_state *st)
{
    char text[256] = "";
    for (;;) {
        char *shown = cli_sanitize(text);
        char *prompt = cli_xasprintf("filter: %s", shown);
        draw(w, st, prompt);
        free(prompt);
        free(shown);
        if (wait_input(w, INFINITE) != EV_INPUT) return false;
        long ch = read_key(w);
        if (ch < 0 || ch == 3) return false;   /* Ctrl-C quits here too */
        if (ch == 27) break;
        if (ch == '\r' || ch == '\n') {
            top_set_filter(st, text);
            break;
        }
        top_filter_edit(text, sizeof text, (uint32_t)ch);
    }
    return true;
}

/* What the view changed, put back on the way out, also an exit() from cli_xmalloc's "out of
 * memory" mid-run (atexit), which would leave the console without line input and echo. */
static struct {
    bool active;
    HANDLE in, out;
    DWORD in_mode;
} saved;

static void restore_console(void)
{
    if (!saved.active) return;
    saved.active = false;
    SetConsoleCtrlHandler(on_ctrl, FALSE);
    SetConsoleMode(saved.in, saved.in_mode);
    SetConsoleActiveScreenBuffer(saved.out);
}

int top_view_run(top_state *st, double interval, uint64_t frames)
{
    wincon w;
    memset(&w, 0, sizeof w);
    w.in = GetStdHandle(STD_INPUT_HANDLE);
    w.out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD out_mode, in_mode;
    if (!GetConsoleMode(w.out, &out_mode)) {
        fprintf(stderr, "psinfo: top: stdout is not a console (the interactive view draws on one); "
                        "use -b for text\n");
        return CLI_EXIT_ERROR;
    }
    if (!GetConsoleMode(w.in, &in_mode)) {
        fprintf(stderr, "psinfo: top: stdin is not a console (the interactive view reads keys "
                        "from it); use -b for text\n");
        return CLI_EXIT_ERROR;
    }
    CONSOLE_SCREEN_BUFFER_INFO ci;
    w.attr = GetConsoleScreenBufferInfo(w.out, &ci) ? ci.wAttributes
                                                   : (WORD)(FOREGROUND_RED | FOREGROUND_GREEN | FOREGROUND_BLUE);
    w.attr &= (WORD)~(COMMON_LVB_LEADING_BYTE | COMMON_LVB_TRAILING_BYTE);
    w.buf = CreateConsoleScreenBuffer(GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                      NULL, CONSOLE_TEXTMODE_BUFFER, NULL);
    stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (w.buf == INVALID_HANDLE_VALUE || !stop_event || !SetConsoleActiveScreenBuffer(w.buf)) {
        int err = (int)GetLastError();
        if (w.buf != INVALID_HANDLE_VALUE) CloseHandle(w.buf);
        if (stop_event) CloseHandle(stop_event);
        stop_event = NULL;
        fprintf(stderr, "psinfo: top: cannot make a console screen buffer (error %d); use -b\n", err);
        return CLI_EXIT_ERROR;
    }
    /* our buffer: no wrap at the last column, no scrolling at the last row */
    SetConsoleMode(w.buf, ENABLE_PROCESSED_OUTPUT);
    /* keys one at a time, no echo; Ctrl-C a key (processed input off); resize events;
     * quick edit off (a mouse selection would stop the view) */
    SetConsoleMode(w.in, ENABLE_WINDOW_INPUT | ENABLE_EXTENDED_FLAGS);
    saved.in = w.in, saved.out = w.out, saved.in_mode = in_mode, saved.active = true;
    static bool at_exit;
    if (!at_exit) at_exit = atexit(restore_console) == 0;
    SetConsoleCtrlHandler(on_ctrl, TRUE);
    uint64_t done = 0;
    int rc = 0;
    double next = 0;
    bool quit = false;
    while (!quit && (frames == 0 || done < frames)) {
        double now = cli_monotonic();
        if (now >= next) {
            if ((rc = top_rescan(st)) != 0) break;
            next = now + interval;
            done++;
        }
        draw(&w, st, NULL);
        int ev = wait_input(&w, (DWORD)top_wait_ms(next - cli_monotonic()));
        if (ev == EV_STOP) break;
        if (ev != EV_INPUT) continue;
        long ch = read_key(&w);
        if (ch < 0 || ch == 'q' || ch == 'Q' || ch == 3) break;
        if (top_sort_key(st, (int)ch)) continue;
        if (ch == '/' || ch == 'f') quit = !ask_filter(&w, st);
        /* 0: a resize or another event; the loop redraws at the new size */
    }
    restore_console();
    CloseHandle(w.buf);
    AcquireSRWLockExclusive(&stop_lock);
    CloseHandle(stop_event);
    stop_event = NULL;
    ReleaseSRWLockExclusive(&stop_lock);
    free(w.cells);
    free(w.line);
    return rc ? cli_lib_error(rc, "scan") : 0;
}
