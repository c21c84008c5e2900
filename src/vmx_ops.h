/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thin wrappers around the VMX instructions.  Only the instruction
 * and its failure reporting live here; policy is elsewhere.
 *
 * VMX instructions report failure through RFLAGS: CF=1 is VMfailInvalid
 * (no current VMCS), ZF=1 is VMfailValid (the reason is in the
 * VM_INSTRUCTION_ERROR field); "jna"/"setna" catch both.  Outside VMX
 * operation (VMX lost to a suspend or the kernel's emergency VMXOFF) they
 * raise #UD instead: every wrapper has an exception-table entry, which
 * costs nothing until it is used, and turns the fault into an error
 * instead of an oops.  The wrappers return 0, -EIO (VMfail) or -EFAULT
 * (fault).
 *
 * No "asm goto" with outputs: 6.12 turns CONFIG_CC_HAS_ASM_GOTO_OUTPUT off
 * for the gcc 12.2 Debian builds it with (GCC_ASM_GOTO_OUTPUT_BROKEN), so
 * the VMREADs use register fixups (EX_TYPE_*_REG) instead.
 */
#ifndef VMXHV_VMX_OPS_H
#define VMXHV_VMX_OPS_H

#include <linux/errno.h>
#include <linux/types.h>
#include <asm/asm.h>
#include <asm/vmx.h>

static __always_inline int __vmxhv_vmxon(u64 pa)
{
	asm goto("1: vmxon %[pa]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [pa] "m" (pa) : "cc", "memory" : fail, fault);
	return 0;
fail:
	return -EIO;
fault:
	return -EFAULT;
}

/* VMXOFF faults (#UD) when the CPU is not in VMX operation. */
static __always_inline int vmxhv_vmxoff(void)
{
	asm goto("1: vmxoff\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : : "cc", "memory" : fault);
	return 0;
fault:
	return -EFAULT;
}

static __always_inline int vmxhv_vmclear(u64 pa)
{
	asm goto("1: vmclear %[pa]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [pa] "m" (pa) : "cc", "memory" : fail, fault);
	return 0;
fail:
	return -EIO;
fault:
	return -EFAULT;
}

static __always_inline int vmxhv_vmptrld(u64 pa)
{
	asm goto("1: vmptrld %[pa]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [pa] "m" (pa) : "cc", "memory" : fail, fault);
	return 0;
fail:
	return -EIO;
fault:
	return -EFAULT;
}

/*
 * VMREAD that reports failure (unsupported field, no current VMCS, not in
 * VMX operation); *val is 0 after a failure.  @err is 1 after VMfail
 * (setna), -EFAULT after a fault (the fixup writes it), else 0.
 */
static __always_inline int vmxhv_vmread_checked(unsigned long field, u64 *val)
{
	unsigned long v, err = 0;

	asm volatile("1: vmread %[f], %[v]\n\t"
		     "setna %b[err]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_EFAULT_REG, %[err])
		     : [v] "=r" (v), [err] "+r" (err)
		     : [f] "r" (field) : "cc");
	if (unlikely(err)) {
		*val = 0;
		return err == 1 ? -EIO : -EFAULT;
	}
	*val = v;
	return 0;
}

/*
 * VMREAD of a field the module knows to exist in its own VMCS: the exit
 * path's hot read, one instruction.  A fault (VMX lost) yields 0, a
 * value no caller can misuse: as an exit reason it ends the launch as a
 * guest fault, as a guest register it is only reported.
 */
static __always_inline u64 vmxhv_vmread(unsigned long field)
{
	unsigned long v;

	asm volatile("1: vmread %[f], %[v]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_ZERO_REG, %[v])
		     : [v] "=r" (v) : [f] "r" (field) : "cc");
	return v;
}

/*
 * VMWRITE whose caller handles the error itself.  Register operands only:
 * on a virtualized CPU this VMWRITE exits and virt_exits.c emulates the
 * register form.
 */
static __always_inline int __vmxhv_vmwrite(unsigned long field, u64 val)
{
	asm goto("1: vmwrite %[v], %[f]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [f] "r" (field), [v] "r" ((unsigned long)val)
		 : "cc" : fail, fault);
	return 0;
fail:
	return -EIO;
fault:
	return -EFAULT;
}

/* Out of line (vmx_ops.c): records a failure for a later report. */
void vmxhv_vmwrite_failed(unsigned long field, u64 val, int err);

/*
 * VMWRITE for the callers that do not check it (VMCS setup, the exit
 * handlers): a failure is recorded per CPU, without printing, and
 * reported after the launch (vmxhv_vmwrite_report).
 */
static __always_inline int vmxhv_vmwrite(unsigned long field, u64 val)
{
	int err = __vmxhv_vmwrite(field, val);

	if (unlikely(err))
		vmxhv_vmwrite_failed(field, val, err);
	return err;
}

/*
 * All-context INVEPT/INVVPID (type 2, SDM 30.3): this CPU's VMX belongs
 * to the module alone, so flushing everything costs nobody else.
 */
static __always_inline int vmxhv_invept_all(void)
{
	struct { u64 eptp, rsvd; } desc = { 0, 0 };

	asm goto("1: invept %[d], %[t]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [d] "m" (desc), [t] "r" (2UL) : "cc", "memory"
		 : fail, fault);
	return 0;
fail:
	return -EIO;
fault:
	return -EFAULT;
}

static __always_inline int vmxhv_invvpid_all(void)
{
	struct { u64 vpid, gva; } desc = { 0, 0 };

	asm goto("1: invvpid %[d], %[t]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [d] "m" (desc), [t] "r" (2UL) : "cc", "memory"
		 : fail, fault);
	return 0;
fail:
	return -EIO;
fault:
	return -EFAULT;
}

/* INVVPID of one type (SDM 30.3: 0 address, 1 context, 3 context but globals). */
static __always_inline int vmxhv_invvpid(unsigned long type, u16 vpid, u64 gva)
{
	struct { u64 vpid, gva; } desc = { vpid, gva };

	asm goto("1: invvpid %[d], %[t]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [d] "m" (desc), [t] "r" (type) : "cc", "memory"
		 : fail, fault);
	return 0;
fail:
	return -EIO;
fault:
	return -EFAULT;
}

#endif /* VMXHV_VMX_OPS_H */
