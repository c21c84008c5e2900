/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMX capability MSRs of one CPU, read once and used by every
 * feature: control adjustment, the VM-entry checker, `info`.
 * Pure data: no kernel dependency.
 */
#ifndef VMXHV_CAPS_H
#define VMXHV_CAPS_H

#include "types.h"

/* Allowed settings of one 32-bit control field. */
struct vmxhv_ctl_caps {
	u32 must_be_1;	/* allowed-0 settings: bits that must be 1 */
	u32 may_be_1;	/* allowed-1 settings: bits that may be 1 */
};

struct vmxhv_caps {
	u64 basic;		/* IA32_VMX_BASIC */
	u64 misc;		/* IA32_VMX_MISC */
	u64 ept_vpid;		/* IA32_VMX_EPT_VPID_CAP, 0 if absent */
	u64 vmfunc;		/* IA32_VMX_VMFUNC, 0 if absent */
	u64 procbased3;		/* IA32_VMX_PROCBASED_CTLS3 (may-be-1 bits) */
	u64 cr0_fixed0, cr0_fixed1;
	u64 cr4_fixed0, cr4_fixed1;
	struct vmxhv_ctl_caps pin, proc, proc2, exit, entry;
	u32 vmcs_revision;	/* bits 30:0 of IA32_VMX_BASIC */
	u32 vmcs_size;		/* bytes, bits 44:32 of IA32_VMX_BASIC */
	bool true_controls;	/* IA32_VMX_BASIC bit 55: TRUE_* MSRs used */
	u8 maxphyaddr;		/* CPUID 0x80000008 EAX[7:0] */
	/* CPU facts some VM-entry checks need (src/lib/check*.c). */
	u8 linaddr_bits;	/* CPUID 0x80000008 EAX[15:8]; 0 means 48 */
	u32 cpu_features;	/* VMXHV_CPUF_* below */
	/* IA32_PERF_GLOBAL_CTRL bits that exist (CPUID 0xA); 0: unknown */
	u64 perf_global_ctrl;
};

/* Bits of vmxhv_caps.cpu_features. */
#define VMXHV_CPUF_RTM		BIT(0)	/* CPUID.(7,0):EBX[11] */
#define VMXHV_CPUF_SGX		BIT(1)	/* CPUID.(7,0):EBX[2] */
#define VMXHV_CPUF_CET_SS	BIT(2)	/* CPUID.(7,0):ECX[7] */

/* Bit positions in IA32_VMX_BASIC (SDM A.1). */
#define VMXHV_BASIC_TRUE_CTLS	BIT_ULL(55)
#define VMXHV_BASIC_32BIT_PA	BIT_ULL(48)

/* Adjust a wanted control value to what the CPU allows. */
static inline u32 vmxhv_ctl_adjust(const struct vmxhv_ctl_caps *c, u32 want)
{
	return (want | c->must_be_1) & c->may_be_1;
}

/* True when every bit of @bits may be set. */
static inline bool vmxhv_ctl_allows(const struct vmxhv_ctl_caps *c, u32 bits)
{
	return (c->may_be_1 & bits) == bits;
}

#endif /* VMXHV_CAPS_H */
