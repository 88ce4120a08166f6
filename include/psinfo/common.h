/* SPDX-License-Identifier: MIT */
/**
 * @file psinfo/common.h
 * @brief Common definitions: export macro, version, error codes and the thread-local error
 * detail, "not available" values, the string policy, ps_free, filesystem roots, platform.
 *
 * Conventions (docs/conventions.md):
 *  - every function returns int: 0 on success or a negative PS_E* code (ps_error_code);
 *  - results go through out-parameters; anything the library allocates is freed by exactly
 *    one function (ps_free for strings and byte buffers, a *_free function per list type);
 *  - every returned string is UTF-8 decoded from the OS's native form by one decoder under the
 *    process-wide error policy (ps_errors_policy);
 *  - a value that is not available has one spelling per type (PS_UNKNOWN_U64, ...; docs/abi.md).
 */
#ifndef PSINFO_COMMON_H
#define PSINFO_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @def PS_EXTERN
 * Marks every exported function: dllexport/dllimport on Windows (define PS_STATIC when
 * linking the static library), default visibility with GCC and clang.
 */
#if defined(_WIN32) && defined(PS_BUILDING_DLL)
#define PS_EXTERN __declspec(dllexport)
#elif defined(_WIN32) && !defined(PS_STATIC)
#define PS_EXTERN __declspec(dllimport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#define PS_EXTERN __attribute__((visibility("default")))
#else
#define PS_EXTERN
#endif

/** The header's major version (the library's at run time: ps_version()). */
#define PS_VERSION_MAJOR 0
/** The header's minor version. */
#define PS_VERSION_MINOR 1
/** The header's patch version. */
#define PS_VERSION_PATCH 0
/** The header's version as "MAJOR.MINOR.PATCH" (for C callers; bindings use ps_version()). */
#define PS_VERSION_STRING "0.1.0"
/**
 * (major << 16) | (minor << 8) | patch, written as a literal so binding generators carry it
 * (a test checks it against the three numbers above).
 */
#define PS_VERSION_NUMBER 0x000100

/**
 * The library's version (the built library, not the header).
 * @return "MAJOR.MINOR.PATCH", a static string.
 */
PS_EXTERN const char *ps_version(void);
/**
 * The library's version as PS_VERSION_NUMBER would compute it for the built library.
 * @return (major << 16) | (minor << 8) | patch.
 */
PS_EXTERN uint32_t ps_version_number(void);

/**
 * Error codes, returned by every int function (negated: 0 is success). The numbers are fixed
 * and do not depend on the OS (bindings rely on them). They mirror psutil's exceptions where
 * one exists. ps_error_last() gives the detail of the last one on the calling thread.
 */
typedef enum ps_error_code {
    PS_OK = 0,          /**< success */
    PS_EINVAL = -1,     /**< invalid argument (NULL pointer, pid <= 0, bad enum, bad timeout) */
    PS_ENOMEM = -2,     /**< out of memory */
    PS_ENOPROC = -3,    /**< no such process, or the process is gone (psutil NoSuchProcess) */
    PS_EZOMBIE = -4,    /**< the process is a zombie; the data is not available (psutil ZombieProcess) */
    PS_EACCES = -5,     /**< permission denied (psutil AccessDenied) */
    PS_ETIMEDOUT = -6,  /**< the timeout expired (psutil TimeoutExpired) */
    PS_ENOTSUP = -7,    /**< not supported on this platform or kernel */
    PS_EIO = -8,        /**< an OS call or read failed unexpectedly; see ps_error_last() */
    PS_ENOENT = -9,     /**< a path or named object does not exist */
    PS_EMFILE = -10,    /**< out of file descriptors or handles */
    PS_EPARSE = -11,    /**< an OS file had a format the library could not parse */
    PS_ERANGE = -12     /**< a value does not fit the result type */
} ps_error_code;

/**
 * @name Not available
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
 * @{
 */
/** A uint64_t field that is not available: all bits set (UINT64_MAX). */
#define PS_UNKNOWN_U64 0xFFFFFFFFFFFFFFFF
/** An int64_t field that is not available: -(2^63 - 1). */
#define PS_UNKNOWN_I64 -9223372036854775807
/** An int32_t field that is not available: -(2^31 - 1). */
#define PS_UNKNOWN_I32 -2147483647
/** @} */

/**
 * A human-readable description of an error code.
 * @param code a PS_E* code (any int is accepted).
 * @return a static string; "unknown error" for a code outside ps_error_code.
 */
PS_EXTERN const char *ps_strerror(int code);
/**
 * The name of an error code, e.g. "PS_ENOPROC".
 * @param code a PS_E* code (any int is accepted).
 * @return a static string; "PS_EUNKNOWN" for a code outside ps_error_code.
 */
PS_EXTERN const char *ps_err_name(int code);

/** The size of ps_error_detail.message, terminator included. */
#define PS_ERROR_MESSAGE_MAX 256

/**
 * Detail about the last error raised on the calling thread (ps_error_last()). Thread-local:
 * each thread sees only the errors its own calls raised.
 */
typedef struct ps_error_detail {
    int32_t code;       /**< the PS_E* code returned */
    int32_t os_error;   /**< errno on POSIX, GetLastError() on Windows; 0 when none */
    char message[PS_ERROR_MESSAGE_MAX]; /**< NUL-terminated, names the file or call that failed */
    uint64_t reserved[8]; /**< room for later fields; zero-filled by the library (docs/abi.md) */
} ps_error_detail;

/**
 * Copy the calling thread's last error detail. A failing call sets the detail before it
 * returns its code; a successful call leaves it as it was (it may describe an older failure,
 * or an error the library handled internally): check return codes first, then ask for detail.
 * @param[out] out receives a copy (caller-owned storage).
 * @return 0, or PS_EINVAL if out is NULL.
 */
PS_EXTERN int ps_error_last(ps_error_detail *out);
/** Forget the calling thread's last error detail (code 0, empty message). */
PS_EXTERN void ps_error_clear(void);

/**
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
    PS_ERRORS_SURROGATEESCAPE = 0, /**< lossless U+DCXY escapes (POSIX default) */
    PS_ERRORS_REPLACE = 1          /**< U+FFFD per invalid subpart (Windows default) */
} ps_errors_policy;

/**
 * The current process-wide string policy.
 * @return a ps_errors_policy value.
 */
PS_EXTERN ps_errors_policy ps_get_errors_policy(void);
/**
 * Set the process-wide string policy (atomically; strings being decoded on other threads use
 * either the old or the new policy, never a mix within one string).
 * @param policy a ps_errors_policy value.
 * @return 0, or PS_EINVAL for a value outside the enum.
 */
PS_EXTERN int ps_set_errors_policy(ps_errors_policy policy);
/**
 * The platform default policy (what the policy is before any ps_set_errors_policy()).
 * @return PS_ERRORS_SURROGATEESCAPE on POSIX, PS_ERRORS_REPLACE on Windows.
 */
PS_EXTERN ps_errors_policy ps_default_errors_policy(void);

/**
 * Decode native bytes (any bytes, NUL allowed) to UTF-8 under the current policy. Never fails
 * on undecodable data.
 * @param[in] bytes the bytes (may be NULL when len is 0).
 * @param len how many bytes.
 * @param[out] out receives a NUL-terminated string owned by the caller, freed with ps_free().
 * @param[out] out_len receives its length without the terminator; may be NULL.
 * @return 0, or PS_EINVAL (out NULL, bytes NULL with len > 0), PS_ENOMEM.
 */
PS_EXTERN int ps_fsdecode(const char *bytes, size_t len, char **out, size_t *out_len);
/**
 * As ps_fsdecode(), with an explicit policy instead of the process-wide one.
 * @param[in] bytes the bytes (may be NULL when len is 0).
 * @param len how many bytes.
 * @param policy a ps_errors_policy value.
 * @param[out] out receives a NUL-terminated string owned by the caller, freed with ps_free().
 * @param[out] out_len receives its length without the terminator; may be NULL.
 * @return 0, or PS_EINVAL (also for a policy outside the enum), PS_ENOMEM.
 */
PS_EXTERN int ps_fsdecode_policy(const char *bytes, size_t len, ps_errors_policy policy,
                                 char **out, size_t *out_len);
/**
 * Decode UTF-16 code units (Windows' native form; available on every platform) to UTF-8 with
 * an explicit policy: a lone surrogate becomes U+FFFD (replace) or its WTF-8 bytes
 * (surrogateescape).
 * @param[in] units the code units (may be NULL when count is 0).
 * @param count how many units.
 * @param policy a ps_errors_policy value.
 * @param[out] out receives a NUL-terminated string owned by the caller, freed with ps_free().
 * @param[out] out_len receives its length in bytes without the terminator; may be NULL.
 * @return 0, or PS_EINVAL, PS_ENOMEM.
 */
PS_EXTERN int ps_utf16_decode_policy(const uint16_t *units, size_t count, ps_errors_policy policy,
                                     char **out, size_t *out_len);
/**
 * The exact inverse of surrogate-escape decoding: UTF-8 text in which U+DC80..U+DCFF stand for
 * the bytes 0x80..0xFF gives back the original bytes, so ps_fsencode(decode(b)) == b for every b.
 * @param[in] str UTF-8 text (plus such escapes).
 * @param len its length in bytes.
 * @param[out] out receives the bytes, NUL-terminated, owned by the caller, freed with ps_free().
 * @param[out] out_len receives their count without the terminator; may be NULL.
 * @return 0, or PS_EINVAL if out is NULL, str is NULL with len > 0, or str is not valid
 *         UTF-8 plus such escapes (any other surrogate, including U+DC00..U+DC7F, is
 *         rejected); PS_ENOMEM.
 */
PS_EXTERN int ps_fsencode(const char *str, size_t len, char **out, size_t *out_len);

/**
 * Free a string or buffer returned by the library (never a list: lists have their own
 * *_list_free function).
 * @param ptr the pointer; NULL is a no-op.
 */
PS_EXTERN void ps_free(void *ptr);

/**
 * Filesystem roots the Linux back end reads (psutil's PROCFS_PATH): point them at a container's
 * /proc and /sys, or at fixture trees (ps_set_root()).
 */
typedef enum ps_root_kind {
    PS_ROOT_PROC = 0,   /**< default "/proc" */
    PS_ROOT_SYS = 1,    /**< default "/sys" */
    PS_ROOT_DEV = 2,    /**< default "/dev" */
    PS_ROOT_ETC = 3,    /**< default "/etc" */
    PS_ROOT_RUN = 4     /**< default "/var/run": where the utmp file is (ps_users() reads `<root>/utmp`) */
} ps_root_kind;

/**
 * Set a filesystem root. Process-wide; set it before other threads use the library (readers
 * see either the old or the new root, never a mix within one string).
 * @param kind which root (ps_root_kind).
 * @param[in] path an absolute path (copied), or NULL to restore the default.
 * @return 0, or PS_EINVAL for an unknown kind or a relative path, PS_ENOMEM, PS_ENOTSUP on
 *         platforms without such roots.
 */
PS_EXTERN int ps_set_root(ps_root_kind kind, const char *path);
/**
 * The current root for kind.
 * @param kind which root (ps_root_kind).
 * @param[out] out receives a UTF-8 string owned by the caller, freed with ps_free().
 * @return 0, or PS_EINVAL, PS_ENOMEM, PS_ENOTSUP on platforms without such roots.
 */
PS_EXTERN int ps_get_root(ps_root_kind kind, char **out);

/**
 * The operating system the library was built for (psutil's LINUX, WINDOWS, MACOS, FREEBSD,
 * OPENBSD, NETBSD flags as one value). The numbers are fixed.
 */
typedef enum ps_platform_id {
    PS_PLATFORM_UNKNOWN = 0,   /**< none of the below */
    PS_PLATFORM_LINUX = 1,     /**< Linux (psutil LINUX) */
    PS_PLATFORM_WINDOWS = 2,   /**< Windows (psutil WINDOWS) */
    PS_PLATFORM_MACOS = 3,     /**< macOS (psutil MACOS) */
    PS_PLATFORM_FREEBSD = 4,   /**< FreeBSD (psutil FREEBSD) */
    PS_PLATFORM_OPENBSD = 5,   /**< OpenBSD (psutil OPENBSD) */
    PS_PLATFORM_NETBSD = 6,    /**< NetBSD (psutil NETBSD) */
    PS_PLATFORM_DRAGONFLY = 7  /**< DragonFly BSD */
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
