/* SPDX-License-Identifier: MIT */
/* Internal helpers shared by the portable core and every back end. Not installed. */
#ifndef PS_INTERNAL_H
#define PS_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h> /* defines __MINGW_PRINTF_FORMAT on mingw-w64 */
#include <string.h>

#include "psinfo.h"
#include "ps_config.h"

/* Zero the reserved tail of a public struct (docs/abi.md). Getters zero the whole out-struct
 * before the back end writes its fields, and the tail again after, so no back end (one that
 * fills a struct with a pattern, or copies a local) can leave anything but zeros there. */
#define PS__TAIL_ZERO(p) memset((p)->reserved, 0, sizeof (p)->reserved)

/* A sum of counters that stays PS_UNKNOWN_U64 once one term is (a field some platform lacks:
 * merged disk requests on Windows, output drops on macOS). */
static inline void ps__add_known(uint64_t *acc, uint64_t v)
{
    *acc = (*acc == PS_UNKNOWN_U64 || v == PS_UNKNOWN_U64) ? PS_UNKNOWN_U64 : *acc + v;
}

#if defined(__MINGW_PRINTF_FORMAT)
/* mingw-w64: gnu_printf when built with __USE_MINGW_ANSI_STDIO=1 (C99 %zu, %lld), as we are. */
#define PS__PRINTF(f, a) __attribute__((format(__MINGW_PRINTF_FORMAT, f, a)))
#define PS__UNUSED __attribute__((unused))
#elif defined(__GNUC__)
#define PS__PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PS__UNUSED __attribute__((unused))
#else
#define PS__PRINTF(f, a)
#define PS__UNUSED
#endif

/* ---- errors --------------------------------------------------------------------------- */

/* Record the calling thread's last error and return code, so callers write
 * `return ps__error(PS_EIO, errno, "read %s", path);`. */
int ps__error(int code, int os_error, const char *fmt, ...) PS__PRINTF(3, 4);
/* The core's argument check: PS_EINVAL "<fn>: NULL argument" unless ok holds (`proc && out`). */
#define PS__CHECK_ARGS(fn, ok)                                                                  \
    do {                                                                                        \
        if (!(ok)) return ps__error(PS_EINVAL, 0, fn ": NULL argument");                        \
    } while (0)
int ps__verror(int code, int os_error, const char *fmt, va_list ap);

/* ---- growable byte buffer ------------------------------------------------------------ */

typedef struct ps__buf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;    /* an allocation failed; later appends are no-ops */
} ps__buf;

void ps__buf_init(ps__buf *b);
bool ps__buf_reserve(ps__buf *b, size_t extra);
void ps__buf_append(ps__buf *b, const void *data, size_t len);
void ps__buf_putc(ps__buf *b, char c);
/* NUL-terminate and hand the data over (*out, *len); PS_ENOMEM if any append failed. */
int ps__buf_finish(ps__buf *b, char **out, size_t *len);
void ps__buf_dispose(ps__buf *b);

/* ---- strings: the one decoder --------------------------------------------------------- */

/* Decode a native string (bytes on POSIX, UTF-16 units on Windows, per PS_NATIVE_UTF16)
 * under the current policy into a new NUL-terminated UTF-8 string. `len` is in native units. */
int ps__decode_native(const void *native, size_t len, char **out, size_t *out_len);
/* Decode into an existing buffer (appends). Used to build lists without a copy per item. */
void ps__decode_bytes_into(ps__buf *b, const unsigned char *s, size_t n, ps_errors_policy policy);
void ps__decode_utf16_into(ps__buf *b, const uint16_t *u, size_t n, ps_errors_policy policy);
ps_errors_policy ps__policy(void);

char *ps__strdup(const char *s);
char *ps__strndup(const char *s, size_t n);

/* ---- configurable roots --------------------------------------------------------------- */

/* The current root directory for kind ("/proc" by default). The pointer stays valid for the
 * life of the process (old roots are kept, never freed), so readers need no lock. */
const char *ps__root(ps_root_kind kind);

#endif /* PS_INTERNAL_H */
