// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the basic VM-exit reasons. Built into the module and into the
 * user-space unit tests: only vmxhv/types.h may be included here.
 */
#include "vmxhv/exit_reasons.h"

const struct vmxhv_exit_reason vmxhv_exit_reasons[] = {
	VMXHV_EXIT_REASONS
};

const unsigned int vmxhv_nr_exit_reasons = ARRAY_SIZE(vmxhv_exit_reasons);

/* Binary search: the list is in ascending order. */
const char *vmxhv_exit_reason_name(u32 basic)
{
	unsigned int lo = 0, hi = ARRAY_SIZE(vmxhv_exit_reasons);

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		u32 cur = vmxhv_exit_reasons[mid].value;

		if (cur == basic)
			return vmxhv_exit_reasons[mid].name;
		if (cur < basic)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
