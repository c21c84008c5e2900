/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lists cpuN/msr_exits and cpuN/io_exits take and show
 * ("0x10,0x6e0,0xc0000080-0xc0000082"), and where each MSR or port lives
 * in the VMX MSR and I/O bitmaps (SDM 25.6.4, 25.6.9).  Pure logic, also
 * built into the user-space unit tests.
 */
#ifndef VMXHV_EXIT_LISTS_H
#define VMXHV_EXIT_LISTS_H

#include "vmxhv/types.h"

struct vmxhv_range {
	u32 first, last;
};

/* The most ranges one write may hold. */
#define VMXHV_MAX_RANGES	64

/* Which list: the two differ only in what numbers they accept. */
enum vmxhv_list_kind { VMXHV_LIST_MSR, VMXHV_LIST_PORT };

/*
 * Parse @s: numbers (base 0: decimal, 0x hex, 0 octal) or FIRST-LAST
 * ranges, separated by commas or white space, into @out (at most @max).
 * An empty string gives 0 ranges.  Returns the number of ranges, or
 * -EINVAL with *@why saying what is wrong.
 */
int vmxhv_list_parse(const char *s, enum vmxhv_list_kind kind,
		     struct vmxhv_range *out, int max, const char **why);

/*
 * Bit of @msr in the read half of the MSR bitmap (0..0x3fff; the write
 * half is 0x4000 bits further on), or -1 outside the two bitmap ranges
 * (0-0x1fff, 0xc0000000-0xc0001fff), where every access exits anyway.
 */
int vmxhv_msr_bitmap_bit(u32 msr);

/* The MSR of read-half bit @bit, the inverse of vmxhv_msr_bitmap_bit. */
u32 vmxhv_msr_of_bit(unsigned int bit);

/*
 * Format @n ranges (sorted, not overlapping) as the files show them:
 * lower-case hex with 0x, commas, FIRST-LAST for a range.  Adjacent
 * ranges are merged.  Returns the length written (NUL not counted), or
 * what it would need when @len is too small.
 */
size_t vmxhv_list_format(char *buf, size_t len, const struct vmxhv_range *r, int n);

#endif /* VMXHV_EXIT_LISTS_H */
