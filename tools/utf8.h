/* SPDX-License-Identifier: MIT */
/* psinfo CLI — small UTF-8 helpers shared by the writers. */
#ifndef PSINFO_CLI_UTF8_H
#define PSINFO_CLI_UTF8_H

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decode one code point of generalized UTF-8 (surrogate code points accepted, as the library
 * writes surrogate escapes and WTF-8). Returns the sequence length, or 0 for an invalid byte
 * (then *cp is that byte).
 */
size_t cli_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);
/* Byte length of the longest prefix of s that fits `width` display columns. */
size_t cli_prefix_for_width(const char *s, size_t width);

#endif
