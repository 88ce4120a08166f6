/* SPDX-License-Identifier: MIT */
/* The one table of error codes: X(name, value, message). include/psinfo/common.h spells the
 * same enum out for readers and binding generators; src/error.c checks both agree at compile time. */
PS__ERR(PS_OK, 0, "success")
PS__ERR(PS_EINVAL, -1, "invalid argument")
PS__ERR(PS_ENOMEM, -2, "out of memory")
PS__ERR(PS_ENOPROC, -3, "no such process")
PS__ERR(PS_EZOMBIE, -4, "process is a zombie")
PS__ERR(PS_EACCES, -5, "permission denied")
PS__ERR(PS_ETIMEDOUT, -6, "timeout expired")
PS__ERR(PS_ENOTSUP, -7, "not supported on this platform")
PS__ERR(PS_EIO, -8, "operating system call failed")
PS__ERR(PS_ENOENT, -9, "no such file or object")
PS__ERR(PS_EMFILE, -10, "too many open files or handles")
PS__ERR(PS_EPARSE, -11, "could not parse operating system data")
PS__ERR(PS_ERANGE, -12, "value out of range")
