/* SPDX-License-Identifier: MIT */
/* The error model: the code table, static names and messages, the thread-local last error. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The public enum spells out the table; fail the build if they ever disagree. */
#define PS__ERR(name, value, msg) _Static_assert(name == (value), #name " differs from its table value");
#include "errors_table.h"
#undef PS__ERR

static _Thread_local ps_error_detail last_error;

const char *ps_strerror(int code)
{
    switch (code) {
#define PS__ERR(name, value, msg) case value: return msg;
#include "errors_table.h"
#undef PS__ERR
    default: return "unknown error";
    }
}

const char *ps_err_name(int code)
{
    switch (code) {
#define PS__ERR(name, value, msg) case value: return #name;
#include "errors_table.h"
#undef PS__ERR
    default: return "PS_EUNKNOWN";
    }
}

int ps__verror(int code, int os_error, const char *fmt, va_list ap)
{
    last_error.code = code;
    last_error.os_error = os_error;
    if (fmt) {
        vsnprintf(last_error.message, sizeof last_error.message, fmt, ap);
    } else {
        snprintf(last_error.message, sizeof last_error.message, "%s", ps_strerror(code));
    }
    return code;
}

int ps__error(int code, int os_error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps__verror(code, os_error, fmt, ap);
    va_end(ap);
    return code;
}

int ps_error_last(ps_error_detail *out)
{
    if (!out) return PS_EINVAL;
    *out = last_error;
    return 0;
}

void ps_error_clear(void)
{
    memset(&last_error, 0, sizeof last_error);
}

const char *ps_version(void)
{
    return PS_VERSION_STRING;
}

uint32_t ps_version_number(void)
{
    return PS_VERSION_NUMBER;
}
