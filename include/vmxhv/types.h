/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Basic types for the pure-logic files (field table, parsers, checker).
 * Those files are compiled into the module and into user-space unit
 * tests, so they include this header instead of any kernel header.
 */
#ifndef VMXHV_TYPES_H
#define VMXHV_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/stddef.h>
#include <linux/string.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>
#include <linux/types.h>	/* the __u8.. types of the uapi headers */
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s64 s64;
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#ifndef BIT
#define BIT(n) (1UL << (n))
#endif
#ifndef BIT_ULL
#define BIT_ULL(n) (1ULL << (n))
#endif
#endif

#endif /* VMXHV_TYPES_H */
