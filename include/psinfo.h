/* SPDX-License-Identifier: MIT */
/**
 * @file psinfo.h
 * @brief The umbrella header: include this one.
 *
 * psinfo — system and process information for C (psutil's API, event-driven waits,
 * Unicode-consistent strings). Conventions (naming, ownership, out-parameters, errors, unknown
 * values, threading): docs/conventions.md; the ABI policy: docs/abi.md.
 */
#ifndef PSINFO_H
#define PSINFO_H

#include "psinfo/common.h"
#include "psinfo/proc.h"
#include "psinfo/ptable.h"
#include "psinfo/system.h"
#include "psinfo/wait.h"
#include "psinfo/net.h"
#include "psinfo/scanner.h"

#endif /* PSINFO_H */
