/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMCS field table: names, encodings and what the encoding says about
 * each field (SDM Vol. 3C 25.11.2, Vol. 3D Appendix B). The list itself is
 * vmcs_fields.def. Pure data: no kernel dependency.
 */
#ifndef VMXHV_VMCS_FIELDS_H
#define VMXHV_VMCS_FIELDS_H

#include "types.h"

/* Field flags (struct vmxhv_field.flags). */
#define VMXHV_FF_PHYS		0x1u	/* holds a physical address */
#define VMXHV_FF_ALL		VMXHV_FF_PHYS

/*
 * VF_<NAME>: the encoding of each field. The prefix keeps these apart from
 * Linux's enum vmcs_field, which uses the bare names.
 */
enum vmxhv_field_enc {
#define VMXHV_FIELD(name, enc, ...)	VF_##name = (enc),
#include "vmcs_fields.def"
#undef VMXHV_FIELD
};

/* VFI_<NAME>: the position of each field in vmxhv_fields[]. */
enum vmxhv_field_idx {
#define VMXHV_FIELD(name, ...)	VFI_##name,
#include "vmcs_fields.def"
#undef VMXHV_FIELD
	VMXHV_NR_FIELDS
};

struct vmxhv_field {
	u32 enc;
	u32 flags;
	const char *name;
};

/* Sorted by encoding (the SDM appendix order); vmxhv_nr_fields entries. */
extern const struct vmxhv_field vmxhv_fields[];
extern const unsigned int vmxhv_nr_fields;

/* Bits of a field encoding (SDM 25.11.2). */
#define VMXHV_ENC_HIGH		0x0001u		/* access type: high half */
#define VMXHV_ENC_INDEX_SHIFT	1
#define VMXHV_ENC_INDEX_MASK	0x01ffu
#define VMXHV_ENC_TYPE_SHIFT	10
#define VMXHV_ENC_TYPE_MASK	0x3u
#define VMXHV_ENC_WIDTH_SHIFT	13
#define VMXHV_ENC_WIDTH_MASK	0x3u
/* Bit 12 and bits 31:15 are reserved and must be 0. */
#define VMXHV_ENC_RESERVED	0xffff9000u

enum vmxhv_field_width {
	VMXHV_FW_16 = 0,
	VMXHV_FW_64 = 1,
	VMXHV_FW_32 = 2,
	VMXHV_FW_NATURAL = 3,
};

enum vmxhv_field_type {
	VMXHV_FT_CONTROL = 0,
	VMXHV_FT_RO = 1,	/* read-only data: VM-exit information */
	VMXHV_FT_GUEST = 2,
	VMXHV_FT_HOST = 3,
};

#define VMXHV_NR_FIELD_TYPES	4

static inline enum vmxhv_field_width vmxhv_field_width(u32 enc)
{
	return (enc >> VMXHV_ENC_WIDTH_SHIFT) & VMXHV_ENC_WIDTH_MASK;
}

static inline enum vmxhv_field_type vmxhv_field_type(u32 enc)
{
	return (enc >> VMXHV_ENC_TYPE_SHIFT) & VMXHV_ENC_TYPE_MASK;
}

static inline unsigned int vmxhv_field_index(u32 enc)
{
	return (enc >> VMXHV_ENC_INDEX_SHIFT) & VMXHV_ENC_INDEX_MASK;
}

static inline bool vmxhv_field_is_high(u32 enc)
{
	return enc & VMXHV_ENC_HIGH;
}

/*
 * A well-formed encoding: no reserved bit set, and the high-half access
 * type only on a 64-bit field. Says nothing about whether a CPU has it.
 */
static inline bool vmxhv_field_enc_valid(u32 enc)
{
	if (enc & VMXHV_ENC_RESERVED)
		return false;
	return !vmxhv_field_is_high(enc) ||
	       vmxhv_field_width(enc) == VMXHV_FW_64;
}

/* Value bits: natural width is 64 as the module is built for x86-64 only. */
static inline unsigned int vmxhv_field_bits(u32 enc)
{
	switch (vmxhv_field_width(enc)) {
	case VMXHV_FW_16:
		return 16;
	case VMXHV_FW_32:
		return 32;
	default:
		return 64;
	}
}

/* Hex digits in a field file: 4, 8, or 16 for 64-bit and natural width. */
static inline unsigned int vmxhv_field_hex_digits(u32 enc)
{
	return vmxhv_field_bits(enc) / 4;
}

/* The largest value the field holds: the mask of its width. */
static inline u64 vmxhv_field_max(u32 enc)
{
	unsigned int bits = vmxhv_field_bits(enc);

	return bits == 64 ? ~0ULL : (1ULL << bits) - 1;
}

/*
 * May user space write this field? Read-only data: never. Host state and
 * fields holding a physical address: only when loaded with unsafe=1.
 * Anything else: yes (policy checks on the value come on top of this).
 */
static inline bool vmxhv_field_writable(const struct vmxhv_field *f,
					bool unsafe)
{
	enum vmxhv_field_type type = vmxhv_field_type(f->enc);

	if (type == VMXHV_FT_RO)
		return false;
	if (type == VMXHV_FT_HOST || (f->flags & VMXHV_FF_PHYS))
		return unsafe;
	return true;
}

/* "control", "read-only", "guest" or "host": the dump group headers. */
const char *vmxhv_field_type_name(enum vmxhv_field_type type);

/* Lookups; NULL if no such field. Names are exact and case-sensitive. */
const struct vmxhv_field *vmxhv_field_by_name(const char *name);
const struct vmxhv_field *vmxhv_field_by_enc(u32 enc);

#endif /* VMXHV_VMCS_FIELDS_H */
