// SPDX-License-Identifier: GPL-2.0
/*
 * The VMCS field table and its lookups. Built into the module and into the
 * user-space unit tests: only vmxhv/types.h may be included here.
 */
#include "vmxhv/vmcs_fields.h"

const struct vmxhv_field vmxhv_fields[] = {
#define VMXHV_FIELD(_name, _enc, _flags) \
	[VFI_##_name] = { .enc = (_enc), .flags = (_flags), .name = #_name },
#include "vmxhv/vmcs_fields.def"
#undef VMXHV_FIELD
};

const unsigned int vmxhv_nr_fields = ARRAY_SIZE(vmxhv_fields);

static const char * const vmxhv_field_type_names[VMXHV_NR_FIELD_TYPES] = {
	[VMXHV_FT_CONTROL]	= "control",
	[VMXHV_FT_RO]		= "read-only",
	[VMXHV_FT_GUEST]	= "guest",
	[VMXHV_FT_HOST]		= "host",
};

const char *vmxhv_field_type_name(enum vmxhv_field_type type)
{
	if ((unsigned int)type >= VMXHV_NR_FIELD_TYPES)
		return NULL;
	return vmxhv_field_type_names[type];
}

const struct vmxhv_field *vmxhv_field_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vmxhv_fields); i++) {
		if (!strcmp(vmxhv_fields[i].name, name))
			return &vmxhv_fields[i];
	}
	return NULL;
}

/* Binary search: the table is sorted by encoding. */
const struct vmxhv_field *vmxhv_field_by_enc(u32 enc)
{
	unsigned int lo = 0, hi = ARRAY_SIZE(vmxhv_fields);

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		u32 cur = vmxhv_fields[mid].enc;

		if (cur == enc)
			return &vmxhv_fields[mid];
		if (cur < enc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
