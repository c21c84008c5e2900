/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thin wrappers around the VMX instructions.  Only the instruction
 * and its flag-based failure reporting live here; policy is elsewhere.
 *
 * VMX instructions report failure through RFLAGS: CF=1 is VMfailInvalid
 * (no current VMCS), ZF=1 is VMfailValid (the reason is in the
 * VM_INSTRUCTION_ERROR field).  setna catches both.
 */
#ifndef VMXHV_VMX_OPS_H
#define VMXHV_VMX_OPS_H

#include <linux/types.h>
#include <asm/vmx.h>

static __always_inline int __vmxhv_vmxon(u64 pa)
{
	u8 bad;

	asm volatile("vmxon %[pa]; setna %[bad]"
		     : [bad] "=qm" (bad) : [pa] "m" (pa) : "cc", "memory");
	return bad ? -EIO : 0;
}

static __always_inline void __vmxhv_vmxoff(void)
{
	asm volatile("vmxoff" ::: "cc", "memory");
}

static __always_inline int vmxhv_vmclear(u64 pa)
{
	u8 bad;

	asm volatile("vmclear %[pa]; setna %[bad]"
		     : [bad] "=qm" (bad) : [pa] "m" (pa) : "cc", "memory");
	return bad ? -EIO : 0;
}

static __always_inline int vmxhv_vmptrld(u64 pa)
{
	u8 bad;

	asm volatile("vmptrld %[pa]; setna %[bad]"
		     : [bad] "=qm" (bad) : [pa] "m" (pa) : "cc", "memory");
	return bad ? -EIO : 0;
}

/* VMREAD that reports failure (unsupported field, no current VMCS). */
static __always_inline int vmxhv_vmread_checked(unsigned long field, u64 *val)
{
	unsigned long v;
	u8 bad;

	asm volatile("vmread %[f], %[v]; setna %[bad]"
		     : [v] "=r" (v), [bad] "=qm" (bad)
		     : [f] "r" (field) : "cc");
	*val = v;
	return bad ? -EIO : 0;
}

/* VMREAD of a field the module knows to exist in its own VMCS. */
static __always_inline u64 vmxhv_vmread(unsigned long field)
{
	unsigned long v;

	asm volatile("vmread %[f], %[v]" : [v] "=r" (v) : [f] "r" (field) : "cc");
	return v;
}

static __always_inline int vmxhv_vmwrite(unsigned long field, u64 val)
{
	u8 bad;

	asm volatile("vmwrite %[v], %[f]; setna %[bad]"
		     : [bad] "=qm" (bad)
		     : [f] "r" (field), [v] "rm" ((unsigned long)val) : "cc");
	return bad ? -EIO : 0;
}

/*
 * All-context INVEPT/INVVPID (type 2, SDM 30.3): this CPU's VMX belongs
 * to the module alone, so flushing everything costs nobody else.
 */
static __always_inline void vmxhv_invept_all(void)
{
	struct { u64 eptp, rsvd; } desc = { 0, 0 };

	asm volatile("invept %[d], %[t]"
		     :: [d] "m" (desc), [t] "r" (2UL) : "cc", "memory");
}

static __always_inline void vmxhv_invvpid_all(void)
{
	struct { u64 vpid, gva; } desc = { 0, 0 };

	asm volatile("invvpid %[d], %[t]"
		     :: [d] "m" (desc), [t] "r" (2UL) : "cc", "memory");
}

#endif /* VMXHV_VMX_OPS_H */
