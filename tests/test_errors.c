/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <psinfo.h>
#include "helpers/fdcheck.h"

/* Every test leaves the number of open fds as it found it. */
FDCHECK_SUITE(errors);

Test(errors, names_and_messages_are_static_and_distinct)
{
    const int codes[] = {PS_OK, PS_EINVAL, PS_ENOMEM, PS_ENOPROC, PS_EZOMBIE, PS_EACCES,
                         PS_ETIMEDOUT, PS_ENOTSUP, PS_EIO, PS_ENOENT, PS_EMFILE, PS_EPARSE, PS_ERANGE};
    size_t n = sizeof codes / sizeof codes[0];
    for (size_t i = 0; i < n; i++) {
        cr_assert_neq(strcmp(ps_err_name(codes[i]), "PS_EUNKNOWN"), 0);
        cr_assert_neq(strcmp(ps_strerror(codes[i]), "unknown error"), 0);
        for (size_t j = 0; j < i; j++) cr_assert_str_neq(ps_err_name(codes[i]), ps_err_name(codes[j]));
    }
    cr_assert_str_eq(ps_err_name(PS_ENOPROC), "PS_ENOPROC");
    cr_assert_eq(PS_ENOPROC, -3); /* fixed numbers: bindings depend on them */
    cr_assert_str_eq(ps_err_name(-999), "PS_EUNKNOWN");
    cr_assert_str_eq(ps_strerror(12345), "unknown error");
}

Test(errors, last_error_detail_names_the_call)
{
    ps_error_clear();
    char *out;
    cr_assert_eq(ps_fsencode("\xff", 1, &out, NULL), PS_EINVAL);
    ps_error_detail d;
    cr_assert_eq(ps_error_last(&d), 0);
    cr_assert_eq(d.code, PS_EINVAL);
    cr_assert(strstr(d.message, "ps_fsencode") != NULL, "message: %s", d.message);
    cr_assert_eq(ps_error_last(NULL), PS_EINVAL);
    ps_error_clear();
    cr_assert_eq(ps_error_last(&d), 0);
    cr_assert_eq(d.code, 0);
}

static void *other_thread(void *arg)
{
    ps_error_detail *d = arg;
    ps_error_last(d);
    return NULL;
}

Test(errors, last_error_is_per_thread)
{
    char *out;
    cr_assert_eq(ps_fsencode(NULL, 3, &out, NULL), PS_EINVAL);
    ps_error_detail d = {.code = 42};
    pthread_t t;
    pthread_create(&t, NULL, other_thread, &d);
    pthread_join(t, NULL);
    cr_assert_eq(d.code, 0, "a fresh thread must not see another thread's error");
}

Test(errors, version)
{
    cr_assert_str_eq(ps_version(), PS_VERSION_STRING);
    cr_assert_eq(ps_version_number(), (uint32_t)PS_VERSION_NUMBER);
    /* the literal agrees with the three parts */
    cr_assert_eq(PS_VERSION_NUMBER,
                 (PS_VERSION_MAJOR << 16) | (PS_VERSION_MINOR << 8) | PS_VERSION_PATCH);
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", PS_VERSION_MAJOR, PS_VERSION_MINOR,
             PS_VERSION_PATCH);
    cr_assert_str_eq(PS_VERSION_STRING, want);
}

Test(errors, unknown_values_are_the_documented_extremes)
{
    /* the "not available" values: all bits set, and each signed type's minimum plus one */
    uint64_t u = PS_UNKNOWN_U64;
    int64_t i64 = PS_UNKNOWN_I64;
    int32_t i32 = PS_UNKNOWN_I32;
    cr_assert_eq(u, UINT64_MAX);
    cr_assert_eq(i64, INT64_MIN + 1);
    cr_assert_eq(i32, INT32_MIN + 1);
}
