/* SPDX-License-Identifier: MIT */
/*
 * psinfo — common definitions: export macro, version, error codes, string policy, ps_free.
 *
 * Conventions (see docs/ARCHITECTURE.md):
 *  - every function returns int: 0 on success or a negative PS_E* code;
 *  - results go through out-parameters; anything the library allocates is freed by exactly
 *    one function (ps_free for strings and byte buffers, a *_free function per list type);
 *  - every returned string is UTF-8 decoded from the OS's native form by one decoder under the
 *    process-wide error policy (ps_errors_policy).
 */
#ifndef PSINFO_COMMON_H
#define PSINFO_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* PS_EXTERN marks every exported symbol. */
#if defined(_WIN32) && defined(PS_BUILDING_DLL)
#define PS_EXTERN __declspec(dllexport)
#elif defined(_WIN32) && !defined(PS_STATIC)
#define PS_EXTERN __declspec(dllimport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#define PS_EXTERN __attribute__((visibility("default")))
#else
#define PS_EXTERN
#endif

#define PS_VERSION_MAJOR 0
#define PS_VERSION_MINOR 1
#define PS_VERSION_PATCH 0
#define PS_VERSION_STRING "0.1.0"
/* (major << 16) | (minor << 8) | patch, written as a literal so binding generators carry it
 * (a test checks it against the three numbers above). */
#define PS_VERSION_NUMBER 0x000100

/* The library's version as "MAJOR.MINOR.PATCH" (static string; the built library, not the header). */
PS_EXTERN const char *ps_version(void);
/* The library's version as PS_VERSION_NUMBER would compute it for the built library. */
PS_EXTERN uint32_t ps_version_number(void);

/*
 * Error codes. The numbers are fixed and do not depend on the OS (bindings rely on them).
 * They mirror psutil's exceptions where one exists.
 */
typedef enum ps_error_code {
    PS_OK = 0,
    PS_EINVAL = -1,     /* invalid argument (NULL pointer, pid <= 0, bad enum, bad timeout) */
    PS_ENOMEM = -2,     /* out of memory */
    PS_ENOPROC = -3,    /* no such process, or the process is gone (psutil NoSuchProcess) */
    PS_EZOMBIE = -4,    /* the process is a zombie; the data is not available (psutil ZombieProcess) */
    PS_EACCES = -5,     /* permission denied (psutil AccessDenied) */
    PS_ETIMEDOUT = -6,  /* the timeout expired (psutil TimeoutExpired) */
    PS_ENOTSUP = -7,    /* not supported on this platform or kernel */
    PS_EIO = -8,        /* an OS call or read failed unexpectedly; see ps_error_last() */
    PS_ENOENT = -9,     /* a path or named object does not exist */
    PS_EMFILE = -10,    /* out of file descriptors or handles */
    PS_EPARSE = -11,    /* an OS file had a format the library could not parse */
    PS_ERANGE = -12     /* a value does not fit the result type */
} ps_error_code;

/*
 * "Not available": the one spelling per type of a value the platform, the kernel or the
 * object does not provide (docs/abi.md). Never 0 and never a separate "*_known" flag:
 *  - unsigned integer fields (uint64_t): PS_UNKNOWN_U64, all bits set (UINT64_MAX);
 *  - signed 64-bit fields (int64_t): PS_UNKNOWN_I64, -(2^63 - 1);
 *  - signed 32-bit fields (int32_t): PS_UNKNOWN_I32, -(2^31 - 1);
 *  - double fields: NaN (test with isnan());
 *  - strings: NULL.
 * The signed values are the type's minimum plus one because INT64_MIN has no plain integer
 * literal in C, and every constant of this header is a plain literal so that cffi, pycparser
 * and bindgen all carry it. Compare fields against these macros, never against 0 or -1.
 */
#define PS_UNKNOWN_U64 0xFFFFFFFFFFFFFFFF
#define PS_UNKNOWN_I64 -9223372036854775807
#define PS_UNKNOWN_I32 -2147483647

/* A static, human-readable description of an error code ("unknown error" for unknown codes). */
PS_EXTERN const char *ps_strerror(int code);
/* The static name of an error code, e.g. "PS_ENOPROC" ("PS_EUNKNOWN" for unknown codes). */
PS_EXTERN const char *ps_err_name(int code);

#define PS_ERROR_MESSAGE_MAX 256

/* Detail about the last error raised on the calling thread. */
typedef struct ps_error_detail {
    int32_t code;       /* the PS_E* code returned */
    int32_t os_error;   /* errno on POSIX, GetLastError() on Windows; 0 when none */
    char message[PS_ERROR_MESSAGE_MAX]; /* NUL-terminated, names the file or call that failed */
} ps_error_detail;

/*
 * Copy the calling thread's last error detail into *out. Returns 0, or PS_EINVAL if out is NULL.
 * After a successful call of any function the detail is left as it was; check return codes first.
 */
PS_EXTERN int ps_error_last(ps_error_detail *out);
/* Forget the calling thread's last error detail. */
PS_EXTERN void ps_error_clear(void);

/*
 * String error policy: how bytes (POSIX) or UTF-16 units (Windows) that are not valid are
 * turned into UTF-8. Process-wide, read once per string, set atomically.
 *  - PS_ERRORS_SURROGATEESCAPE (POSIX default): each byte 0xXY of an invalid sequence becomes
 *    U+DCXY, written as its 3-byte form; equals Python's
 *    b.decode('utf-8', 'surrogateescape').encode('utf-8', 'surrogatepass'). Lossless: ps_fsencode
 *    gives the bytes back. A lone UTF-16 surrogate becomes its WTF-8 form.
 *  - PS_ERRORS_REPLACE (Windows default): each maximal invalid subpart becomes U+FFFD, exactly as
 *    Python's b.decode('utf-8', 'replace'); a lone UTF-16 surrogate becomes U+FFFD.
 */
typedef enum ps_errors_policy {
    PS_ERRORS_SURROGATEESCAPE = 0,
    PS_ERRORS_REPLACE = 1
} ps_errors_policy;

/* The current process-wide policy. */
PS_EXTERN ps_errors_policy ps_get_errors_policy(void);
/* Set the process-wide policy. Returns PS_EINVAL for a value outside the enum. */
PS_EXTERN int ps_set_errors_policy(ps_errors_policy policy);
/* The platform default policy (what the policy is before any ps_set_errors_policy). */
PS_EXTERN ps_errors_policy ps_default_errors_policy(void);

/*
 * Decode native bytes (any bytes, NUL allowed) to UTF-8 under the current policy.
 * *out receives a NUL-terminated string to free with ps_free(); *out_len (may be NULL) its
 * length without the terminator. Never fails on undecodable data.
 */
PS_EXTERN int ps_fsdecode(const char *bytes, size_t len, char **out, size_t *out_len);
/* As ps_fsdecode, with an explicit policy instead of the process-wide one. */
PS_EXTERN int ps_fsdecode_policy(const char *bytes, size_t len, ps_errors_policy policy,
                                 char **out, size_t *out_len);
/*
 * Decode UTF-16 code units (Windows' native form; available on every platform) to UTF-8 with
 * an explicit policy: a lone surrogate becomes U+FFFD (replace) or its WTF-8 bytes
 * (surrogateescape). *out is freed with ps_free().
 */
PS_EXTERN int ps_utf16_decode_policy(const uint16_t *units, size_t count, ps_errors_policy policy,
                                     char **out, size_t *out_len);
/*
 * The exact inverse of surrogate-escape decoding: UTF-8 text in which U+DC80..U+DCFF stand for
 * the bytes 0x80..0xFF gives back the original bytes, so ps_fsencode(decode(b)) == b for every b.
 * Returns PS_EINVAL if str is NULL, or if str is not valid UTF-8 plus such escapes (any other
 * surrogate, including U+DC00..U+DC7F, is rejected). *out (NUL-terminated, freed with ps_free)
 * and *out_len (may be NULL) receive the bytes.
 */
PS_EXTERN int ps_fsencode(const char *str, size_t len, char **out, size_t *out_len);

/* Free a string or buffer returned by the library. NULL is a no-op. */
PS_EXTERN void ps_free(void *ptr);

/*
 * Filesystem roots the Linux back end reads (psutil's PROCFS_PATH): point them at a container's
 * /proc and /sys, or at fixture trees. A path of NULL restores the default. Process-wide; set it
 * before other threads use the library (readers see either the old or the new root, never a mix
 * within one string). Returns PS_EINVAL for an unknown kind or a relative path, PS_ENOTSUP on
 * platforms without such roots.
 */
typedef enum ps_root_kind {
    PS_ROOT_PROC = 0,   /* default "/proc" */
    PS_ROOT_SYS = 1,    /* default "/sys" */
    PS_ROOT_DEV = 2,    /* default "/dev" */
    PS_ROOT_ETC = 3,    /* default "/etc" */
    PS_ROOT_RUN = 4     /* default "/var/run": where the utmp file is (ps_users reads <root>/utmp) */
} ps_root_kind;

PS_EXTERN int ps_set_root(ps_root_kind kind, const char *path);
/* The current root for kind, as a UTF-8 string to free with ps_free(). */
PS_EXTERN int ps_get_root(ps_root_kind kind, char **out);

/**
 * The operating system the library was built for (psutil's LINUX, WINDOWS, MACOS, FREEBSD,
 * OPENBSD, NETBSD flags as one value). The numbers are fixed.
 */
typedef enum ps_platform_id {
    PS_PLATFORM_UNKNOWN = 0,
    PS_PLATFORM_LINUX = 1,
    PS_PLATFORM_WINDOWS = 2,
    PS_PLATFORM_MACOS = 3,
    PS_PLATFORM_FREEBSD = 4,
    PS_PLATFORM_OPENBSD = 5,
    PS_PLATFORM_NETBSD = 6,
    PS_PLATFORM_DRAGONFLY = 7
} ps_platform_id;

/**
 * The platform the library was built for (the built library, not the header).
 * @return a ps_platform_id value.
 */
PS_EXTERN int32_t ps_platform(void);
/**
 * The platform's lower-case name: "linux", "windows", "macos", "freebsd", "openbsd", "netbsd",
 * "dragonfly".
 * @param platform a ps_platform_id value.
 * @return a static string; "unknown" for PS_PLATFORM_UNKNOWN or a value outside the enum.
 */
PS_EXTERN const char *ps_platform_name(int32_t platform);
/**
 * Whether the library was built for a POSIX system (psutil's POSIX flag): every platform but
 * Windows.
 * @return 1 or 0.
 */
PS_EXTERN int ps_platform_is_posix(void);

#ifdef __cplusplus
}
#endif

#endif /* PSINFO_COMMON_H */
