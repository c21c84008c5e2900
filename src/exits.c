// SPDX-License-Identifier: GPL-2.0
/*
 * VM-exit handlers, dispatched from a table indexed by the basic exit
 * reason.  A reason without a handler stops the guest as a fault:
 * nothing is silently ignored.  Runs with interrupts off, on the exit
 * path: no allocation, no locks, no printk.
 */
#include <linux/kernel.h>
#include <linux/nospec.h>
#include <asm/msr.h>
#include <asm/trapnr.h>
#include <asm/processor.h>
#include <asm/vmx.h>

#include "vmxhv.h"
#include "vmx_ops.h"
#include "vmxhv/cpu_rules.h"
#include "hypercall.h"
#include "vmxhv_trace.h"

typedef enum vmxhv_exit_action (*exit_handler_t)(struct vmxhv_cpu *v);

static enum vmxhv_exit_action stop_as(struct vmxhv_cpu *v, enum vmxhv_state s)
{
	v->state = s;
	return VMXHV_STOP;
}

/*
 * Step over the instruction that exited.  An STI or MOV SS right before
 * it blocked interrupts for one instruction: that instruction is now
 * done, so the blocking ends too (as KVM's vmx_set_interrupt_shadow(0)
 * on skip); left set, it would hold off the next external interrupt.
 */
static enum vmxhv_exit_action skip_insn(struct vmxhv_cpu *v)
{
	u32 intr = vmxhv_vmread(GUEST_INTERRUPTIBILITY_INFO);

	vmxhv_vmwrite(GUEST_RIP, vmxhv_vmread(GUEST_RIP) +
		      vmxhv_vmread(VM_EXIT_INSTRUCTION_LEN));
	if (unlikely(intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)))
		vmxhv_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			      intr & ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
	return VMXHV_RESUME;
}

/*
 * Queue a hardware exception for the next entry.  With no guest IDT it
 * turns into an intercepted exception (or a triple fault) right away,
 * which stops the guest and names the vector.
 */
static enum vmxhv_exit_action inject(struct vmxhv_cpu *v, u8 vector, bool has_err)
{
	u32 info = vector | INTR_TYPE_HARD_EXCEPTION | INTR_INFO_VALID_MASK;

	/* Real mode delivers no error code (SDM 27.2.1.3). */
	has_err = has_err && (vmxhv_vmread(GUEST_CR0) & X86_CR0_PE);
	if (has_err) {
		info |= INTR_INFO_DELIVER_CODE_MASK;
		vmxhv_vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
	}
	trace_inject(vector, has_err, vmxhv_vmread(GUEST_RIP));
	vmxhv_vmwrite(VM_ENTRY_INTR_INFO_FIELD, info);
	return VMXHV_RESUME;
}

static enum vmxhv_exit_action inject_ud(struct vmxhv_cpu *v)
{
	return inject(v, X86_TRAP_UD, false);
}

static enum vmxhv_exit_action inject_gp(struct vmxhv_cpu *v)
{
	return inject(v, X86_TRAP_GP, true);
}

static enum vmxhv_exit_action handle_exception_nmi(struct vmxhv_cpu *v)
{
	u32 info = v->exit_intr_info;

	/* Both were handed to the host right after the exit (run.c). */
	if (vmxhv_exit_is_nmi(info) || vmxhv_exit_is_mc(info))
		return VMXHV_RESUME;
	v->stop.exception = info & INTR_INFO_VECTOR_MASK;
	if (info & INTR_INFO_DELIVER_CODE_MASK) {
		v->stop.has_error_code = true;
		v->stop.error_code = vmxhv_vmread(VM_EXIT_INTR_ERROR_CODE);
	}
	return stop_as(v, VMXHV_FAULT);
}

/* The interrupt is still pending; the host takes it when IF comes back. */
static enum vmxhv_exit_action handle_resume(struct vmxhv_cpu *v)
{
	return VMXHV_RESUME;
}

static enum vmxhv_exit_action handle_fault(struct vmxhv_cpu *v)
{
	return stop_as(v, VMXHV_FAULT);
}

/* EPT violation or misconfiguration: name the guest-physical address. */
static enum vmxhv_exit_action handle_ept(struct vmxhv_cpu *v)
{
	v->stop.gpa = vmxhv_vmread(GUEST_PHYSICAL_ADDRESS);
	v->stop.has_gpa = true;
	return stop_as(v, VMXHV_FAULT);
}

static enum vmxhv_exit_action handle_entry_failed(struct vmxhv_cpu *v)
{
	return stop_as(v, VMXHV_FAILED);
}

static enum vmxhv_exit_action handle_hlt(struct vmxhv_cpu *v)
{
	return stop_as(v, VMXHV_HALTED);
}

/* Hypervisor leaves: "vmxhv" then seven zero bytes in EBX, ECX, EDX. */
#define HV_LEAF_BASE	0x40000000U
#define HV_SIG_EBX	0x68786d76U	/* "vmxh" */
#define HV_SIG_ECX	0x00000076U	/* "v\0\0\0" */

static enum vmxhv_exit_action handle_cpuid(struct vmxhv_cpu *v)
{
	unsigned long *r = v->gprs;
	u32 leaf = r[VMXHV_RAX], sub = r[VMXHV_RCX];
	u32 a, b, c, d;

	if ((leaf & 0xffffff00) == HV_LEAF_BASE) {
		a = leaf == HV_LEAF_BASE ? HV_LEAF_BASE : 0;
		b = leaf == HV_LEAF_BASE ? HV_SIG_EBX : 0;
		c = leaf == HV_LEAF_BASE ? HV_SIG_ECX : 0;
		d = 0;
	} else {
		cpuid_count(leaf, sub, &a, &b, &c, &d);
	}
	if (leaf == 1) {
		c &= ~BIT(X86_FEATURE_VMX & 31);
		c |= BIT(X86_FEATURE_HYPERVISOR & 31);
		/* OSXSAVE mirrors the guest's CR4, not the host's. */
		c &= ~BIT(X86_FEATURE_OSXSAVE & 31);
		if (vmxhv_vmread(GUEST_CR4) & X86_CR4_OSXSAVE)
			c |= BIT(X86_FEATURE_OSXSAVE & 31);
	} else if (leaf == 7 && sub == 0 &&
		   !(vmxhv_guest_xcr0 & VMXHV_XFEATURE_XTILE)) {
		d &= ~(BIT(22) | BIT(24) | BIT(25));	/* AMX: not offered */
	} else if (leaf == 0xd && sub == 0) {
		/* The components XSETBV accepts (vmxhv_guest_xcr0_mask). */
		a &= lower_32_bits(vmxhv_guest_xcr0);
		d &= upper_32_bits(vmxhv_guest_xcr0);
	}
	r[VMXHV_RAX] = a;
	r[VMXHV_RBX] = b;
	r[VMXHV_RCX] = c;
	r[VMXHV_RDX] = d;
	return skip_insn(v);
}

static void console_put(struct vmxhv_cpu *v, u8 byte)
{
	v->console[v->console_len % VMXHV_CONSOLE_BYTES] = byte;
	v->console_len++;
}

/*
 * Port I/O: OUT to 0xE9 is the console, every other OUT is dropped and
 * every IN reads all ones.  No guest I/O reaches a device.
 */
static enum vmxhv_exit_action handle_io(struct vmxhv_cpu *v)
{
	u64 q = vmxhv_vmread(EXIT_QUALIFICATION);
	unsigned int size = (q & 7) + 1, port = q >> 16;
	unsigned long *rax = &v->gprs[VMXHV_RAX];
	unsigned int i;

	/* INS/OUTS would need memory operands decoded: not emulated. */
	if (q & BIT(4))
		return handle_fault(v);
	if (q & BIT(3)) {
		if (size == 4)
			*rax = 0xffffffffUL;	/* 32-bit results zero-extend */
		else
			*rax |= size == 2 ? 0xffff : 0xff;
	} else if (port == VMXHV_CONSOLE_PORT) {
		for (i = 0; i < size; i++)
			console_put(v, *rax >> (8 * i));
	}
	trace_pio(port, size, q & BIT(3), *rax);
	return skip_insn(v);
}

static enum vmxhv_exit_action handle_vmcall(struct vmxhv_cpu *v)
{
	unsigned long *r = v->gprs;
	unsigned long nr = r[VMXHV_RAX];

	switch (nr) {
	case VMXHV_HC_VERSION:
		r[VMXHV_RAX] = VMXHV_HC_ABI_VERSION;
		break;
	case VMXHV_HC_PUTC:
		console_put(v, r[VMXHV_RBX]);
		r[VMXHV_RAX] = 0;
		break;
	default:
		r[VMXHV_RAX] = VMXHV_HC_ENOSYS;
		break;
	}
	trace_hypercall(nr, r[VMXHV_RBX], r[VMXHV_RAX]);
	return skip_insn(v);
}

static enum vmxhv_exit_action handle_rdmsr(struct vmxhv_cpu *v)
{
	u64 val;

	if (vmxhv_msr_read(v, v->gprs[VMXHV_RCX], &val))
		return inject_gp(v);
	v->gprs[VMXHV_RAX] = lower_32_bits(val);
	v->gprs[VMXHV_RDX] = upper_32_bits(val);
	return skip_insn(v);
}

static enum vmxhv_exit_action handle_wrmsr(struct vmxhv_cpu *v)
{
	u64 val = (u64)(u32)v->gprs[VMXHV_RDX] << 32 | (u32)v->gprs[VMXHV_RAX];

	if (vmxhv_msr_write(v, v->gprs[VMXHV_RCX], val))
		return inject_gp(v);
	return skip_insn(v);
}

static enum vmxhv_exit_action handle_xsetbv(struct vmxhv_cpu *v)
{
	u64 val = (u64)(u32)v->gprs[VMXHV_RDX] << 32 | (u32)v->gprs[VMXHV_RAX];

	if (vmxhv_xsetbv_invalid(v->gprs[VMXHV_RCX], val, vmxhv_guest_xcr0))
		return inject_gp(v);
	v->virt.xcr0 = val;
	return skip_insn(v);
}

/*
 * MOV to CR0/CR4 exits only when it changes a host-owned bit (the CR0/CR4
 * guest/host masks).  The bits the guest may set virtually (CR0.CD/NW,
 * CR4.MCE) go to the read shadow, then the instruction runs again, now
 * without an exit, and the CPU applies the rest (cpu_rules.c).
 */
static enum vmxhv_exit_action owned_cr_write(struct vmxhv_cpu *v,
					     unsigned int cr, u64 val)
{
	unsigned long mask_f = cr ? CR4_GUEST_HOST_MASK : CR0_GUEST_HOST_MASK;
	unsigned long shadow_f = cr ? CR4_READ_SHADOW : CR0_READ_SHADOW;
	u64 shadow = vmxhv_vmread(shadow_f), mask = vmxhv_vmread(mask_f);
	const char *why = cr ? vmxhv_cr4_owned_write(val, mask, &shadow) :
			       vmxhv_cr0_owned_write(val, mask, &shadow);

	if (why)
		return inject_gp(v);
	vmxhv_vmwrite(shadow_f, shadow);
	return VMXHV_RESUME;
}

/* MOV to/from CR3 and CR8; MOV to CR0/CR4 touching host-owned bits. */
static enum vmxhv_exit_action handle_cr(struct vmxhv_cpu *v)
{
	u64 q = vmxhv_vmread(EXIT_QUALIFICATION);
	unsigned int cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;
	unsigned long *gpr = &v->gprs[reg];

	if (reg == VMXHV_RSP)
		return handle_fault(v);	/* RSP lives in the VMCS */
	switch (type << 4 | cr) {
	case 0x03:			/* MOV to CR3 */
		vmxhv_vmwrite(GUEST_CR3, *gpr);
		break;
	case 0x13:			/* MOV from CR3 */
		*gpr = vmxhv_vmread(GUEST_CR3);
		break;
	case 0x08:			/* MOV to CR8: a virtual TPR */
		if (*gpr > 15)
			return inject_gp(v);
		v->virt.cr8 = *gpr;
		break;
	case 0x18:
		*gpr = v->virt.cr8;
		break;
	case 0x00:			/* MOV to CR0 */
		return owned_cr_write(v, 0, *gpr);
	case 0x04:			/* MOV to CR4 */
		return owned_cr_write(v, 4, *gpr);
	default:
		return handle_fault(v);
	}
	return skip_insn(v);
}

/*
 * Debug registers: DR7 lives in the VMCS, DR0-DR3 and DR6 in virt; the
 * CPU gets DR0-DR3 only while the guest's DR7 enables one (run.c).
 */
static enum vmxhv_exit_action handle_dr(struct vmxhv_cpu *v)
{
	u64 q = vmxhv_vmread(EXIT_QUALIFICATION);
	unsigned int dr = q & 7, reg = (q >> 8) & 15;
	bool from = q & BIT(4);
	unsigned long *gpr = &v->gprs[reg], *slot;

	if (reg == VMXHV_RSP)
		return handle_fault(v);
	if (dr == 4 || dr == 5) {
		if (vmxhv_vmread(GUEST_CR4) & X86_CR4_DE)
			return inject_ud(v);
		dr += 2;	/* aliases of DR6/DR7 */
	}
	if (dr == 7) {
		if (from)
			*gpr = vmxhv_vmread(GUEST_DR7);
		else
			vmxhv_vmwrite(GUEST_DR7, (*gpr & 0xffffffff) | VMXHV_DR7_FIXED_1);
		/* run.c loads the guest's DR0-DR3 while breakpoints are on. */
		if (!from)
			v->guest_bp = *gpr & VMXHV_DR7_ENABLES;
		return skip_insn(v);
	}
	slot = dr == 6 ? &v->virt.dr6 : &v->virt.dr[dr];
	if (from)
		*gpr = *slot;
	else
		*slot = *gpr;
	return skip_insn(v);
}

static const exit_handler_t handlers[VMXHV_NR_EXIT_REASONS] = {
	[EXIT_REASON_EXCEPTION_NMI]	= handle_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT] = handle_resume,
	[EXIT_REASON_TRIPLE_FAULT]	= handle_fault,
	[EXIT_REASON_CPUID]		= handle_cpuid,
	[EXIT_REASON_HLT]		= handle_hlt,
	[EXIT_REASON_INVD]		= skip_insn,
	[EXIT_REASON_RDPMC]		= inject_gp,
	[EXIT_REASON_VMCALL]		= handle_vmcall,
	/* VMX is hidden from the guest: its instructions are #UD. */
	[EXIT_REASON_VMCLEAR]		= inject_ud,
	[EXIT_REASON_VMLAUNCH]		= inject_ud,
	[EXIT_REASON_VMPTRLD]		= inject_ud,
	[EXIT_REASON_VMPTRST]		= inject_ud,
	[EXIT_REASON_VMREAD]		= inject_ud,
	[EXIT_REASON_VMRESUME]		= inject_ud,
	[EXIT_REASON_VMWRITE]		= inject_ud,
	[EXIT_REASON_VMOFF]		= inject_ud,
	[EXIT_REASON_VMON]		= inject_ud,
	[EXIT_REASON_INVEPT]		= inject_ud,
	[EXIT_REASON_INVVPID]		= inject_ud,
	[EXIT_REASON_VMFUNC]		= inject_ud,
	[11]				= inject_ud,	/* GETSEC */
	[17]				= inject_ud,	/* RSM outside SMM */
	[EXIT_REASON_CR_ACCESS]		= handle_cr,
	[EXIT_REASON_DR_ACCESS]		= handle_dr,
	[EXIT_REASON_IO_INSTRUCTION]	= handle_io,
	[EXIT_REASON_MSR_READ]		= handle_rdmsr,
	[EXIT_REASON_MSR_WRITE]		= handle_wrmsr,
	[EXIT_REASON_INVALID_STATE]	= handle_entry_failed,
	[EXIT_REASON_MSR_LOAD_FAIL]	= handle_entry_failed,
	[EXIT_REASON_MCE_DURING_VMENTRY] = handle_entry_failed,
	[EXIT_REASON_MWAIT_INSTRUCTION]	= skip_insn,
	[EXIT_REASON_MONITOR_INSTRUCTION] = skip_insn,
	[EXIT_REASON_EPT_VIOLATION]	= handle_ept,
	[EXIT_REASON_EPT_MISCONFIG]	= handle_ept,
	[EXIT_REASON_PREEMPTION_TIMER]	= handle_resume,
	[EXIT_REASON_WBINVD]		= skip_insn,
	[EXIT_REASON_XSETBV]		= handle_xsetbv,
};

enum vmxhv_exit_action vmxhv_handle_exit(struct vmxhv_cpu *v, u32 reason)
{
	u32 basic = reason & 0xffff;

	/* Bit 31: the VM entry itself failed (exit 33, 34 or 41). */
	if (unlikely(reason & VMX_EXIT_REASONS_FAILED_VMENTRY))
		return handle_entry_failed(v);
	if (unlikely(basic >= ARRAY_SIZE(handlers)))
		return handle_fault(v);
	/* The reason comes from the guest's doing: no speculative overrun. */
	basic = array_index_nospec(basic, ARRAY_SIZE(handlers));
	if (unlikely(!handlers[basic]))
		return handle_fault(v);
	return handlers[basic](v);
}
