/* SPDX-License-Identifier: MIT */
/*
 * CLI building blocks, linked directly from tools/: the JSON writer (every surrogate code point
 * as a \udXXX escape, control characters, NaN/inf as null, rollback), bytes2human against
 * psutil's own bytes2human, the terminal sanitizer, the table fitter, the Prometheus label
 * escaping, and the argument parser. Python (/usr/bin/python3) is the oracle for what
 * json.loads and psutil make of the output.
 */
#include "cli/clitest.h"
#include "helpers/fdcheck.h"

#include <limits.h>
#include <math.h>

#include "../tools/cli.h"
#include "../tools/top.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(cli_units);

/* Write with a cli_json into a memory stream; returns the text (free). */
typedef void (*json_fn)(cli_json *j);

static char *json_text(json_fn fn)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    cli_json j;
    cli_json_init(&j, f, false);
    fn(&j);
    cli_json_end(&j);
    fclose(f);
    return buf;
}

/* Strings as the library hands them over: surrogate escapes (ED B3 BF = U+DCFF), a WTF-8 lone
 * high surrogate (ED A0 80 = U+D800) and low surrogate (ED B0 80 = U+DC00), a supplementary
 * character, control characters, quotes; also raw bytes that are not even generalized UTF-8. */
static void write_strings(cli_json *j)
{
    cli_json_arr_begin(j);
    cli_json_str(j, "caf\xc3\xa9/\xed\xb3\xbf\xed\xb3\xbe");
    cli_json_str(j, "hi\xed\xa0\x80lo\xed\xb0\x80");
    cli_json_str(j, "\xf0\x9f\x98\x80 \"q\" \\ \n\t\r\b\f\x01\x1f\x7f");
    cli_json_str(j, "raw\xff\xc3");
    cli_json_str(j, NULL);
    cli_json_double(j, NAN);
    cli_json_double(j, INFINITY);
    cli_json_double(j, -INFINITY);
    cli_json_double(j, 3.0);
    cli_json_double(j, 0.1);
    cli_json_double(j, 1795737318.56);
    cli_json_int(j, INT64_MIN);
    cli_json_uint(j, UINT64_MAX);
    cli_json_bool(j, true);
    cli_json_obj_begin(j);
    cli_json_key(j, "k\xed\xb2\x80");
    cli_json_obj_begin(j);
    cli_json_obj_end(j);
    cli_json_obj_end(j);
    cli_json_arr_end(j);
}

static const char *const check_strings_py =
    "import json, sys, math\n"
    "raw = sys.stdin.buffer.read()\n"
    "text = raw.decode('utf-8', 'strict')\n"
    "def bad(c): raise ValueError(c)\n"
    "v = json.loads(text, parse_constant=bad)\n"
    "want = [b'caf\\xc3\\xa9/\\xff\\xfe'.decode('utf-8', 'surrogateescape'),\n"
    "        'hi\\ud800lo\\udc00',\n"
    "        '\\U0001F600 \"q\" \\\\ \\n\\t\\r\\b\\f\\x01\\x1f\\x7f',\n"
    "        b'raw\\xff\\xc3'.decode('utf-8', 'surrogateescape'),\n"
    "        None, None, None, None, 3.0, 0.1, 1795737318.56, -2**63, 2**64 - 1, True,\n"
    "        {b'k\\x80'.decode('utf-8', 'surrogateescape'): {}}]\n"
    "assert v == want, (v, want)\n"
    "assert type(v[8]) is float and type(v[9]) is float\n"
    "assert '\\\\udcff' in text and '\\\\ud800' in text\n"
    "print('ok')\n";

Test(cli_units, json_strings_surrogates_controls_numbers)
{
    char *text = json_text(write_strings);
    run_result r = run_py(text, "-c", check_strings_py, NULL);
    cr_expect_eq(r.status, 0, "%s\n%s\nJSON was: %s", r.out, r.err, text);
    run_free(&r);
    free(text);
}

static void write_rollback(cli_json *j)
{
    cli_json_arr_begin(j);
    cli_json_int(j, 1);
    cli_json_state m;
    cli_json_mark(j, &m);
    cli_json_obj_begin(j);
    cli_json_key(j, "partial");
    cli_json_str(j, "x");
    cli_json_rollback(j, &m);
    cli_json_int(j, 2);
    cli_json_arr_end(j);
}

Test(cli_units, json_rollback_drops_a_partial_value)
{
    char *text = json_text(write_rollback);
    cr_expect_str_eq(text, "[1,2]\n");
    free(text);
}

/* A process tree nests two levels per generation ({"children": [...]}), as deep as its fork
 * chains: 300 generations, siblings at every level, must still be valid JSON. */
static void write_deep_tree(cli_json *j)
{
    cli_json_arr_begin(j);
    for (int d = 0; d < 300; d++) {
        cli_json_obj_begin(j);
        cli_json_key(j, "pid");
        cli_json_int(j, d);
        cli_json_key(j, "children");
        cli_json_arr_begin(j);
        cli_json_obj_begin(j);   /* an empty sibling first */
        cli_json_obj_end(j);
    }
    for (int d = 0; d < 300; d++) {
        cli_json_arr_end(j);
        cli_json_obj_end(j);
    }
    cli_json_int(j, -1);
    cli_json_arr_end(j);
}

static const char *const check_deep_py =
    "import json, sys\n"
    "v = json.loads(sys.stdin.read())\n"
    "assert v[-1] == -1 and len(v) == 2, v[-1]\n"
    "node, depth = v[0], 0\n"
    "while True:\n"
    "    assert node['pid'] == depth and node['children'][0] == {}, (depth, node.keys())\n"
    "    depth += 1\n"
    "    if len(node['children']) == 1: break\n"
    "    node = node['children'][1]\n"
    "assert depth == 300, depth\n"
    "print('ok')\n";

Test(cli_units, json_nests_without_a_depth_limit)
{
    char *text = json_text(write_deep_tree);
    run_result r = run_py(text, "-c", check_deep_py, NULL);
    cr_expect_eq(r.status, 0, "%s\n%s", r.out, r.err);
    run_free(&r);
    free(text);
}

Test(cli_units, bytes2human_matches_psutil)
{
    static const uint64_t values[] = {
        0, 1, 1023, 1024, 1536, 1048575, 1048576, 1000000000, 1099511627776ULL,
        1152921504606846976ULL, 18446744073709551615ULL, 123456789012ULL,
    };
    char input[1024] = "";
    char expected[2048] = "";
    size_t o = 0, e = 0;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char b[32];
        cli_bytes2human(values[i], b, sizeof b);
        o += (size_t)snprintf(input + o, sizeof input - o, "%" PRIu64 "\n", values[i]);
        e += (size_t)snprintf(expected + e, sizeof expected - e, "%s\n", b);
    }
    run_result r = run_py(input, "-c",
                          "import sys\nfrom psutil._common import bytes2human\n"
                          "for l in sys.stdin: print(bytes2human(int(l)))\n",
                          NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, expected);
    run_free(&r);
}

Test(cli_units, sanitize_makes_strings_terminal_safe)
{
    struct {
        const char *in, *want;
    } cases[] = {
        { "plain", "plain" },
        { "caf\xc3\xa9", "caf\xc3\xa9" },
        { "a\xed\xb3\xbf" "b", "a\\xffb" },           /* surrogate escape of 0xff */
        { "a\xed\xa0\x80" "b", "a\\ud800b" },         /* WTF-8 lone surrogate */
        { "l1\nl2\tx\x1b[31m", "l1\\nl2\\tx\\x1b[31m" }, /* no escape sequences reach the tty */
        { "c1\xc2\x9b" "x", "c1\\u009bx" },           /* C1 control (CSI) */
        { "raw\xff", "raw\\xff" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = cli_sanitize(cases[i].in);
        cr_expect_str_eq(s, cases[i].want, "case %zu", i);
        free(s);
    }
    cr_expect_eq(cli_display_width("caf\xc3\xa9"), 4);
    cr_expect_eq(cli_display_width("\xe6\x97\xa5\xe6\x9c\xac"), 4); /* two wide CJK characters */
}

static char *table_text(int width)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    cli_table *t = cli_table_new(3);
    cli_table_col(t, 0, "PID", CLI_RIGHT, false);
    cli_table_col(t, 1, "USER", CLI_LEFT, true);
    cli_table_col(t, 2, "COMMAND", CLI_LEFT, true);
    cli_table_row(t);
    cli_table_cell(t, 0, "1");
    cli_table_cell(t, 1, "root");
    cli_table_cell(t, 2, "/sbin/init splash");
    cli_table_row(t);
    cli_table_cell(t, 0, "12345");
    cli_table_cell(t, 1, "a-very-long-user-name");
    cli_table_cell(t, 2, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e-command --with many arguments");
    cli_table_print(t, f, width);
    fclose(f);
    return buf;
}

/*
 * 66 columns into 40: COMMAND (36, the widest) goes down to the next widest shrinkable column
 * (USER, 21), then the widest is USER (21, ties go to the first) and takes the remaining 11:
 * USER 10 ("a-very-lo~"), COMMAND 21 (20 columns of text, the CJK characters counting 2, + "~").
 */
Test(cli_units, table_fits_the_width_by_cutting_the_widest_column)
{
    char *wide = table_text(0);
    cr_expect_str_eq(wide,
                     "  PID  USER                   COMMAND\n"
                     "    1  root                   /sbin/init splash\n"
                     "12345  a-very-long-user-name  \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"
                     "-command --with many arguments\n");
    free(wide);
    char *narrow = table_text(40);
    cr_expect_str_eq(narrow,
                     "  PID  USER        COMMAND\n"
                     "    1  root        /sbin/init splash\n"
                     "12345  a-very-lo~  \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e-command --wit~\n");
    /* every line fits 40 columns */
    for (char *line = narrow; *line;) {
        char *nl = strchr(line, '\n');
        cr_assert(nl);
        *nl = '\0';
        cr_expect(cli_display_width(line) <= 40, "line too wide: %s", line);
        line = nl + 1;
    }
    free(narrow);
}

Test(cli_units, prometheus_label_escaping)
{
    struct {
        const char *in, *want;
    } cases[] = {
        { "plain", "plain" },
        { "q\"b\\s\nn", "q\\\"b\\\\s\\nn" },
        { "x\xed\xb3\xbfy", "x\\\\xffy" },
        { "caf\xc3\xa9", "caf\xc3\xa9" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = cli_prom_escape(cases[i].in);
        cr_expect_str_eq(s, cases[i].want, "case %zu", i);
        free(s);
    }
}

static const cli_opt test_opts[] = {
    { "json", 'j', NULL, "json" },
    { "timeout", 't', "S", "timeout" },
    { NULL, 0, NULL, NULL },
};

static int run_nothing(const cli_cmd *cmd, const cli_args *a)
{
    (void)cmd;
    (void)a;
    return 0;
}

static const cli_cmd test_cmd = { "t", "[-j] [-t S] ARG", "test", NULL, test_opts, 1, 2,
                                  run_nothing };

Test(cli_units, argument_parser)
{
    cli_args a;
    char *v1[] = { "-jt5", "x", NULL };
    cr_expect_eq(cli_parse(&test_cmd, 2, v1, &a), -1);
    cr_expect_eq(cli_flag(&test_cmd, &a, "json"), 1);
    cr_expect_str_eq(cli_value(&test_cmd, &a, "timeout"), "5");
    cr_expect_eq(a.npos, 1);
    char *v2[] = { "--timeout=0.5", "--", "-x", NULL };
    cr_expect_eq(cli_parse(&test_cmd, 3, v2, &a), -1);
    cr_expect_str_eq(cli_value(&test_cmd, &a, "timeout"), "0.5");
    cr_expect_str_eq(a.pos[0], "-x");
    double d;
    cr_expect(cli_parse_seconds("0.25", &d) && d == 0.25);
    cr_expect(!cli_parse_seconds("-1", &d));
    cr_expect(!cli_parse_seconds("1e3", &d));
    cr_expect(!cli_parse_seconds("inf", &d));
    cr_expect(!cli_parse_seconds(".", &d));
    int64_t pid;
    cr_expect(cli_parse_pid("42", &pid) && pid == 42);
    cr_expect(!cli_parse_pid("0", &pid));
    cr_expect(!cli_parse_pid("4x", &pid));
    cr_expect(!cli_parse_pid("99999999999999999999999", &pid));
}

/* psinfo top's wait for the next refresh: accepted intervals reach 1e9 s, far past an int of
 * milliseconds (a cast there was a negative timeout: a busy loop). */
Test(cli_units, top_wait_ms_clamps)
{
    cr_expect_eq(top_wait_ms(0.25), 250);
    cr_expect_eq(top_wait_ms(0), 0);
    cr_expect_eq(top_wait_ms(-3), 0);
    cr_expect_eq(top_wait_ms(NAN), 0);
    cr_expect_eq(top_wait_ms(3e6), INT_MAX);
    cr_expect_eq(top_wait_ms(1e9), INT_MAX);
}

/* One row of console cells as "ch/kind" pairs: ch a character, or U+XXXX; kind N, L or T. */
static char *cells_text(const char *line, int cols)
{
    top_cell row[16];
    cr_assert(cols <= 16);
    for (int i = 0; i < 16; i++) row[i].ch = 0xABCD, row[i].kind = 9;   /* unwritten */
    top_line_cells(line, cols, row);
    char *out = cli_xstrdup("");
    for (int i = 0; i < 16; i++) {
        if (i >= cols) {   /* nothing past the width */
            cr_expect(row[i].ch == 0xABCD && row[i].kind == 9, "cell %d past %d written", i, cols);
            continue;
        }
        char one[16];
        if (row[i].ch >= 0x20 && row[i].ch < 0x7F) snprintf(one, sizeof one, "%c", row[i].ch);
        else snprintf(one, sizeof one, "U+%04X", row[i].ch);
        char *next = cli_xasprintf("%s%s%s/%c", out, i ? " " : "", one, "NLT?"[row[i].kind < 3 ? row[i].kind : 3]);
        free(out);
        out = next;
    }
    return out;
}

/* The Win32 console view's cells: UTF-8 lines cut at the width, wide characters in two cells,
 * what a cell cannot hold (no UTF-16 unit, a half sequence at a cut) as U+FFFD at the width
 * cli_display_width gives it (the filter prompt's cursor is placed by that width). */
Test(cli_units, top_line_cells)
{
    struct {
        const char *line;
        int cols;
        const char *want;
    } cases[] = {
        { "ab", 4, "a/N b/N  /N  /N" },
        { "abcdef", 3, "a/N b/N c/N" },
        { NULL, 2, " /N  /N" },
        { "x", 0, "" },
        /* U+65E5, two columns: both cells, or a blank when only one is left */
        { "a\xe6\x97\xa5", 3, "a/N U+65E5/L U+65E5/T" },
        { "a\xe6\x97\xa5" "b", 2, "a/N  /N" },
        { "\xe6\x97\xa5", 1, " /N" },
        /* e + U+0301 (combining): no cell of its own */
        { "e\xcc\x81x", 3, "e/N x/N  /N" },
        /* U+1F600 (two columns, beyond the BMP): U+FFFD is one column, then a blank */
        { "\xf0\x9f\x98\x80" "z", 4, "U+FFFD/N  /N z/N  /N" },
        /* U+10000 (one column, beyond the BMP) */
        { "\xf0\x90\x80\x80" "z", 3, "U+FFFD/N z/N  /N" },
        /* a sequence cut short, an invalid byte, a surrogate escape (ED B3 BF): one cell each */
        { "caf\xc3", 5, "c/N a/N f/N U+FFFD/N  /N" },
        { "\xff" "q", 2, "U+FFFD/N q/N" },
        { "\xed\xb3\xbfq", 3, "U+FFFD/N q/N  /N" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = cells_text(cases[i].line, cases[i].cols);
        cr_expect_str_eq(got, cases[i].want, "case %zu", i);
        free(got);
    }
    /* the cells used match the display width the prompt's cursor is placed by */
    const char *lines[] = { "filter: \xe6\x97\xa5" "e\xcc\x81\xf0\x9f\x98\x80" "z", "filter: \xed\xb3\xbf\xff" };
    for (size_t i = 0; i < 2; i++) {
        top_cell row[16];
        top_line_cells(lines[i], 16, row);
        size_t used = 16;
        while (used > 0 && row[used - 1].ch == ' ') used--;
        cr_expect_eq(used, cli_display_width(lines[i]), "line %zu", i);
    }
}

/* The filter line both top views edit: characters of 1 to 4 UTF-8 bytes appended and taken
 * off whole by Backspace (8 and 127); controls and surrogates left out; nothing past cap. */
Test(cli_units, top_filter_edit)
{
    char t[8] = "";
    top_filter_edit(t, sizeof t, 's');
    top_filter_edit(t, sizeof t, 0xE9);      /* e acute: 2 bytes */
    cr_expect_str_eq(t, "s\xc3\xa9");
    top_filter_edit(t, sizeof t, 0x7F);
    cr_expect_str_eq(t, "s");
    top_filter_edit(t, sizeof t, 0x1F600);   /* 4 bytes */
    cr_expect_str_eq(t, "s\xf0\x9f\x98\x80");
    top_filter_edit(t, sizeof t, 0x65E5);    /* 3 bytes: 8 with the NUL, does not fit in 8 */
    cr_expect_str_eq(t, "s\xf0\x9f\x98\x80");
    top_filter_edit(t, sizeof t, 'x');
    top_filter_edit(t, sizeof t, 'y');       /* the 7th byte: full */
    top_filter_edit(t, sizeof t, 'z');
    cr_expect_str_eq(t, "s\xf0\x9f\x98\x80xy");
    for (int i = 0; i < 3; i++) top_filter_edit(t, sizeof t, 8);
    cr_expect_str_eq(t, "s");
    top_filter_edit(t, sizeof t, 0xDC80);    /* a lone surrogate */
    top_filter_edit(t, sizeof t, 0x1B);
    top_filter_edit(t, sizeof t, 0x110000);
    cr_expect_str_eq(t, "s");
    top_filter_edit(t, sizeof t, 8);
    top_filter_edit(t, sizeof t, 8);         /* nothing left to take */
    cr_expect_str_eq(t, "");
}
