/* SPDX-License-Identifier: MIT */
/*
 * psinfo CLI — internal declarations shared by the tool's files. The tool is built only on the
 * public API (<psinfo.h>); nothing here is part of the library.
 */
#ifndef PSINFO_CLI_H
#define PSINFO_CLI_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <psinfo.h>

#if defined(__MINGW_PRINTF_FORMAT) /* mingw-w64: gnu_printf with __USE_MINGW_ANSI_STDIO=1 */
#define CLI_PRINTF(f, a) __attribute__((format(__MINGW_PRINTF_FORMAT, f, a)))
#elif defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* Exit statuses. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_ERROR = 1,     /* a run-time error (no such process, OS error) */
    CLI_EXIT_USAGE = 2,     /* bad arguments */
    CLI_EXIT_TIMEOUT = 3    /* `psinfo wait`: the timeout expired */
};

/* ---- argument parsing ------------------------------------------------------------------ */

/* One option of a command. metavar == NULL: a flag; otherwise the option takes a value. */
typedef struct cli_opt {
    const char *lname;      /* long name without "--" */
    char sname;             /* short letter, 0 for none */
    const char *metavar;    /* value placeholder for the help, NULL for a flag */
    const char *help;       /* one line of help */
} cli_opt;

#define CLI_MAX_OPTS 16
#define CLI_MAX_POS 64

typedef struct cli_args {
    int count[CLI_MAX_OPTS];          /* how many times each option was given */
    const char *value[CLI_MAX_OPTS];  /* the last value given (options with a metavar) */
    const char *pos[CLI_MAX_POS];     /* positional arguments */
    int npos;
} cli_args;

/* A command: name, synopsis, summary, options, positional limits and its entry point. */
typedef struct cli_cmd {
    const char *name;
    const char *synopsis;   /* after "psinfo NAME " in the usage line */
    const char *summary;    /* one line */
    const char *details;    /* extra help paragraph or NULL */
    const cli_opt *opts;    /* terminated by an entry with lname == NULL */
    int min_pos, max_pos;
    int (*run)(const struct cli_cmd *cmd, const cli_args *args);
} cli_cmd;

/* Options every command has: --help; data commands also --json. Indices in cli_args of the
 * common options are found with cli_opt_index(). */
int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_args *out);
/* Index of option lname in cmd->opts, or -1. */
int cli_opt_index(const cli_cmd *cmd, const char *lname);
/* Count of / value of option lname. */
int cli_flag(const cli_cmd *cmd, const cli_args *a, const char *lname);
const char *cli_value(const cli_cmd *cmd, const cli_args *a, const char *lname);
void cli_print_help(const cli_cmd *cmd, FILE *f);
/* Print a message and the usage line on stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);
/* Parse helpers: strict, whole string. */
bool cli_parse_pid(const char *s, int64_t *pid);
bool cli_parse_seconds(const char *s, double *out);
bool cli_parse_uint(const char *s, uint64_t *out);

/* Report a library error for `what` on stderr ("psinfo: what: message"); returns CLI_EXIT_ERROR. */
int cli_lib_error(int rc, const char *fmt, ...) CLI_PRINTF(2, 3);

/* Global options set before the command (--procfs, --sysfs ...). */
extern const char *cli_prog;

/* ---- text helpers ----------------------------------------------------------------------- */

/* psutil's bytes2human: 1023 -> "1023.0B", 1024 -> "1.0K", 1536000 -> "1.5M". */
void cli_bytes2human(uint64_t n, char *buf, size_t size);
/* Seconds to "[Nd ]HH:MM:SS" (uptime) or "M:SS.cc" (cpu time, ps-like TIME column). */
void cli_fmt_duration(double seconds, char *buf, size_t size);
void cli_fmt_cputime(double seconds, char *buf, size_t size);
/* Local time "YYYY-MM-DD HH:MM:SS" for an epoch. */
void cli_fmt_time(double epoch, char *buf, size_t size);
/* Terminal-safe copy of a library string: surrogate escapes U+DC80..U+DCFF become "\xNN", other
 * lone surrogates "\uDXXX", control characters "\n", "\t" or "\xNN", invalid bytes "\xNN".
 * Returns a malloc'd string (never NULL: aborts on out of memory). */
char *cli_sanitize(const char *s);
/* Display width (columns) of a sanitized UTF-8 string. */
size_t cli_display_width(const char *s);
/* Seconds on a monotonic clock. */
double cli_monotonic(void);
/* Sleep for s seconds (fractions allowed). */
void cli_sleep(double s);
void *cli_xmalloc(size_t n);
void *cli_xrealloc(void *p, size_t n);
char *cli_xstrdup(const char *s);
char *cli_xasprintf(const char *fmt, ...) CLI_PRINTF(1, 2);

/* The process id; fsync of a stream's file (0 or 1); rename replacing `to` atomically. */
long cli_getpid(void);
int cli_fsync(FILE *f);
int cli_rename_over(const char *from, const char *to);
/* A command-line argument that is compared with library strings (a user or process name, a
 * path), decoded as the library decodes what it returns (ps_fsdecode under the process-wide
 * policy, as Python decodes sys.argv), so invalid UTF-8 bytes match the names they came from.
 * malloc'd. */
char *cli_arg_decode(const char *arg);
/* Raise the soft RLIMIT_NOFILE to the hard limit (a scanner can then keep every process). */
void cli_raise_nofile(void);

/* Terminal properties of stdout. */
bool cli_stdout_is_tty(void);
/* Columns available: TIOCGWINSZ on a terminal, else $COLUMNS, else 0 (= unlimited). */
int cli_term_width(void);
/* Colour: only when stdout is a terminal and NO_COLOR is unset. */
bool cli_use_color(void);

/* ---- table formatter -------------------------------------------------------------------- */

typedef enum { CLI_LEFT = 0, CLI_RIGHT = 1 } cli_align;

typedef struct cli_table cli_table;

/* A table with ncols columns. */
cli_table *cli_table_new(int ncols);
/* Header, alignment and whether the column may be truncated to fit the terminal. */
void cli_table_col(cli_table *t, int col, const char *header, cli_align align, bool shrinkable);
/* Start a new row; cells are then set with cli_table_cell/cellf (missing cells print empty). */
void cli_table_row(cli_table *t);
void cli_table_cell(cli_table *t, int col, const char *text);
void cli_table_cellf(cli_table *t, int col, const char *fmt, ...) CLI_PRINTF(3, 4);
/* Print, fitting `width` columns (0 = no limit), then free the table. */
void cli_table_print(cli_table *t, FILE *f, int width);
void cli_table_free(cli_table *t);

/* ---- JSON writer ------------------------------------------------------------------------ */

typedef struct cli_json {
    FILE *f;
    char *buf;                    /* output not yet handed to f */
    size_t len, cap;
    int depth;                    /* any: a process tree nests as deep as its fork chains */
    bool first;                   /* no element written yet in the innermost open level */
    bool after_key;               /* a key was written; the value follows without a comma */
    bool pretty;
} cli_json;

/* A position in the output that cli_json_rollback returns to (nothing flushed in between). */
typedef struct cli_json_state {
    size_t len;
    int depth;
    bool first;
    bool after_key;
} cli_json_state;

void cli_json_init(cli_json *j, FILE *f, bool pretty);
void cli_json_obj_begin(cli_json *j);
void cli_json_obj_end(cli_json *j);
void cli_json_arr_begin(cli_json *j);
void cli_json_arr_end(cli_json *j);
void cli_json_key(cli_json *j, const char *key);
/* A UTF-8 string from the library: surrogate code points become \udXXX escapes; a NULL is null. */
void cli_json_str(cli_json *j, const char *s);
void cli_json_strn(cli_json *j, const char *s, size_t n);
void cli_json_int(cli_json *j, int64_t v);
void cli_json_uint(cli_json *j, uint64_t v);
/* A counter psutil reports as 0 where the OS does not keep it: PS_UNKNOWN_U64 is written as 0. */
void cli_json_uint_or_zero(cli_json *j, uint64_t v);
/* A float: NaN and infinities become null; integral values keep a ".0" so Python reads a float. */
void cli_json_double(cli_json *j, double v);
void cli_json_bool(cli_json *j, bool v);
void cli_json_null(cli_json *j);
/* Finish the document with a newline, write it out and release the buffer. */
void cli_json_end(cli_json *j);
/* Write out what is buffered (then no rollback can go back past this point). */
void cli_json_flush(cli_json *j);
void cli_json_mark(const cli_json *j, cli_json_state *m);
void cli_json_rollback(cli_json *j, const cli_json_state *m);

/* ---- Prometheus text exposition writer --------------------------------------------------- */

typedef struct cli_prom {
    FILE *f;
    char family[128];   /* the family whose HELP/TYPE was written last */
    bool openmetrics;   /* OpenMetrics 1.0: counter families named without _total, # EOF */
} cli_prom;

void cli_prom_init(cli_prom *p, FILE *f);
/* End of the exposition (OpenMetrics: the # EOF line). */
void cli_prom_finish(cli_prom *p);
/* Start a family: # HELP and # TYPE lines (type: "counter", "gauge", "untyped"). */
void cli_prom_family(cli_prom *p, const char *name, const char *type, const char *help);
/* One sample of the current family. labels: alternating name, value, ... terminated by NULL;
 * values are escaped (\\ \" \n) and made valid UTF-8. NaN/inf are written as Prometheus spells
 * them. */
void cli_prom_sample(cli_prom *p, const char *name, double value, ...);
/* Escape a label value into a malloc'd string. */
char *cli_prom_escape(const char *s);

/* ---- commands --------------------------------------------------------------------------- */

extern const cli_cmd *const cli_commands[];

#endif /* PSINFO_CLI_H */
