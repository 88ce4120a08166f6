/* SPDX-License-Identifier: MIT */
/* Helpers shared by the Linux system-wide readers (src/linux/sys_*.c). */
#ifndef PS_LINUX_SYS_COMMON_H
#define PS_LINUX_SYS_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "linux.h"

/* Build "<root><rel>" into a new string (rel starts with '/'); NULL when out of memory. */
char *ps__sys_path(ps_root_kind kind, const char *rel);
/* a, sep and b joined into a new string ("dir", "/", "name"); NULL when out of memory. */
char *ps__sys_concat(const char *a, const char *sep, const char *b);
/* A small sysfs/cgroup file, whitespace trimmed: parsed as an unsigned or signed decimal, copied
 * into buf[cap] (NUL-terminated, cut to fit; *len the length before the cut, if not NULL), or into a new
 * native string; false when the file cannot be read (or does not parse). */
bool ps__sys_read_u64_file(const char *path, uint64_t *out);
bool ps__sys_read_i64_file(const char *path, int64_t *out);
bool ps__sys_read_text_file(const char *path, char *buf, size_t cap, size_t *len);
bool ps__sys_read_nstr_file(const char *path, ps__nstr *out);
/* Read "<root><rel>" whole into b (initialised by the caller, appended, NUL-terminated). */
int ps__sys_read(ps_root_kind kind, const char *rel, ps__buf *b);
/* Read "<root><rel>" whole, into stack[0..cap) when it fits (no allocation at all: the
 * usual case for the small /proc files), else into heap (initialised by the caller, disposed
 * by the caller in every case). *data and *len receive the NUL-terminated text. */
int ps__sys_read_into(ps_root_kind kind, const char *rel, char *stack, size_t cap, ps__buf *heap,
                      const char **data, size_t *len);
/* Read an absolute path whole into b. */
int ps__sys_read_abs(const char *path, ps__buf *b);

/* Iterate over lines: *line and *len receive the next line without '\n'; returns false at end. */
typedef struct ps__sys_lines {
    const char *p, *end;
} ps__sys_lines;
void ps__sys_lines_init(ps__sys_lines *it, const char *data, size_t len);
bool ps__sys_lines_next(ps__sys_lines *it, const char **line, size_t *len);

/* A "<root><rel>" file read whole, then walked line by line (the read-and-iterate of most
 * sys_*.c readers): ps__sys_file_open gives 0 or the read's error (then there is nothing to
 * close, though closing is harmless), ps__sys_file_next behaves as ps__sys_lines_next,
 * ps__sys_file_close frees the text. ps__sys_file_open_into reads into stack[0..cap) when the
 * file fits, as ps__sys_read_into (stack must outlive the walk). */
typedef struct ps__sys_file {
    ps__buf buf;
    ps__sys_lines it;
} ps__sys_file;
int ps__sys_file_open(ps__sys_file *f, ps_root_kind kind, const char *rel);
int ps__sys_file_open_into(ps__sys_file *f, ps_root_kind kind, const char *rel, char *stack, size_t cap);
bool ps__sys_file_next(ps__sys_file *f, const char **line, size_t *len);
void ps__sys_file_close(ps__sys_file *f);
/* The "key value" lines of "<root><rel>" (<proc>/stat, <proc>/vmstat): vals[i] receives the
 * first number after keys[i], from the first line that has one (the scan stops once every key
 * has been seen); returns how many of the n keys were found, or the read's error code. */
int ps__sys_read_keyed_u64(ps_root_kind kind, const char *rel, const char *const *keys, uint64_t *vals,
                           int n);

/* Split s[0..n) on ASCII whitespace: up to max fields; returns how many were found, or
 * max + 1 when there are more than max (the scan stops there). */
int ps__sys_split_ws(const char *s, size_t n, const char **f, size_t *fl, int max);
/* The same on single spaces only: mountinfo's separator (the kernel escapes space, tab,
 * newline and backslash inside a field, but not other bytes, so a '\r' stays in its field). */
int ps__sys_split_spaces(const char *s, size_t n, const char **f, size_t *fl, int max);
/* One mountinfo line into f[PS__MOUNTINFO_FIELDS], fl[]: returns the field count and *sep, the
 * index of the "-" that ends the optional fields (type, source and super options follow it),
 * or 0 for a line that is not one. */
#define PS__MOUNTINFO_FIELDS 64
int ps__sys_mountinfo_split(const char *line, size_t len, const char **f, size_t *fl, int *sep);
/* A mountinfo field with the kernel's " \t\n\\" escapes (\040 ...) undone, the four glibc's
 * getmntent undoes too: malloc'd, NUL-terminated, *out_len its length (if not NULL); NULL
 * without memory. */
char *ps__sys_mount_unescape(const char *s, size_t n, size_t *out_len);
/* Parse an unsigned decimal; false when the text is not one (overflow saturates to UINT64_MAX
 * and returns false). */
bool ps__sys_parse_u64(const char *s, size_t n, uint64_t *out);
bool ps__sys_parse_i64(const char *s, size_t n, int64_t *out);
/* Parse a double (strtod on a bounded copy). */
bool ps__sys_parse_double(const char *s, size_t n, double *out);
/* Trim ASCII whitespace on both ends. */
void ps__sys_trim(const char **s, size_t *n);
/* Count the CPUs in a kernel cpu list ("0-3,8,10-11"); -1 when malformed. */
int ps__sys_cpulist_count(const char *s, size_t n);

/* Sorted names of a directory's entries that start with prefix (NULL: all but . and ..).
 * *names receives an array of malloc'd strings, freed with ps__sys_names_free. */
int ps__sys_list_dir(const char *dir, const char *prefix, char ***names, size_t *count);
void ps__sys_names_free(char **names, size_t count);
/* Does the path exist (stat)? */
bool ps__sys_path_exists(const char *path);
/* Copy n bytes into a new native string. */
int ps__sys_nstr_set(ps__nstr *s, const char *data, size_t n);

#endif
