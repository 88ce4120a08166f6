/* psinfo — the command-line tool, built only on the public API. */
#include <stdio.h>
#include <string.h>

#include <psinfo.h>

static const char *policy_name(ps_errors_policy p)
{
    return p == PS_ERRORS_REPLACE ? "replace" : "surrogateescape";
}

static int usage(FILE *f)
{
    fprintf(f, "usage: psinfo [--version | --help]\n");
    return f == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) return usage(stdout);
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("psinfo %s\n", ps_version());
        return 0;
    }
    if (argc > 1) return usage(stderr);
    printf("psinfo %s\n", ps_version());
    printf("string policy: %s\n", policy_name(ps_get_errors_policy()));
    return 0;
}
