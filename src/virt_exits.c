// SPDX-License-Identifier: GPL-2.0
/*
 * Exit handlers of a virtualized CPU, by basic exit reason.  The guest
 * is the running kernel and its processes: every instruction that
 * exited is carried out with its native effect, faults included.  An
 * exit without a handler is not dropped: the CPU leaves non-root
 * operation at that instruction, which then runs natively.
 *
 * Runs like an NMI (virt.c): no locks, no printk, no sleeping, nothing
 * instrumented; the tracepoint only where RCU is watching.
 */
#include <linux/instrumentation.h>
#include <linux/irq_work.h>
#include <linux/nospec.h>
#include <linux/rcupdate.h>
#include <asm/fpu/xcr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "vmxhv.h"
#include "vmx_ops.h"
#include "virt.h"
#include "vmxhv/cpu_rules.h"
#include "vmxhv_trace.h"

typedef enum vmxhv_virt_action (*virt_handler_t)(struct vmxhv_cpu *v,
						 struct vmxhv_virt_frame *f);

/* RFLAGS bits a VMX instruction reports its outcome in. */
#define VMX_RESULT_FLAGS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
				 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

static __always_inline u64 get_reg(struct vmxhv_virt_frame *f, unsigned int n)
{
	return n == VMXHV_RSP ? vmxhv_vmread(GUEST_RSP) : f->gprs[n];
}

static __always_inline void set_reg(struct vmxhv_virt_frame *f, unsigned int n, u64 val)
{
	if (n == VMXHV_RSP)
		vmxhv_vmwrite(GUEST_RSP, val);
	else
		f->gprs[n] = val;
}

static __always_inline unsigned int guest_cpl(void)
{
	return (vmxhv_vmread(GUEST_SS_AR_BYTES) >> 5) & 3;
}

/* Past the instruction; an STI/MOV SS shadow before it ends with it. */
static __always_inline enum vmxhv_virt_action skip(void)
{
	u32 intr = vmxhv_vmread(GUEST_INTERRUPTIBILITY_INFO);

	vmxhv_vmwrite(GUEST_RIP, vmxhv_vmread(GUEST_RIP) +
		      vmxhv_vmread(VM_EXIT_INSTRUCTION_LEN));
	if (unlikely(intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)))
		vmxhv_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			      intr & ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
	return VMXHV_VIRT_RESUME;
}

/* The fault the instruction raises natively, delivered by the guest's IDT. */
static __always_inline enum vmxhv_virt_action inject(u8 vector, bool has_err)
{
	u32 info = vector | INTR_TYPE_HARD_EXCEPTION | INTR_INFO_VALID_MASK;

	if (has_err) {
		info |= INTR_INFO_DELIVER_CODE_MASK;
		vmxhv_vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
	}
	vmxhv_vmwrite(VM_ENTRY_INTR_INFO_FIELD, info);
	return VMXHV_VIRT_RESUME;
}

static __always_inline enum vmxhv_virt_action inject_gp(void)
{
	return inject(X86_TRAP_GP, true);
}

/* Set the VMX result flags: VMsucceed, or VMfailInvalid (CF). */
static __always_inline enum vmxhv_virt_action vmx_result(bool fail)
{
	u64 fl = vmxhv_vmread(GUEST_RFLAGS) & ~VMX_RESULT_FLAGS;

	vmxhv_vmwrite(GUEST_RFLAGS, fail ? fl | X86_EFLAGS_CF : fl);
	return skip();
}

/* Leave non-root operation before the instruction: it runs natively. */
static noinstr enum vmxhv_virt_action run_natively(struct vmxhv_cpu *v,
						   struct vmxhv_virt_frame *f)
{
	return VMXHV_VIRT_LEAVE;
}

static noinstr enum vmxhv_virt_action handle_cpuid(struct vmxhv_cpu *v,
						   struct vmxhv_virt_frame *f)
{
	unsigned int a = f->gprs[VMXHV_RAX], b, c = f->gprs[VMXHV_RCX], d;

	native_cpuid(&a, &b, &c, &d);
	f->gprs[VMXHV_RAX] = a;
	f->gprs[VMXHV_RBX] = b;
	f->gprs[VMXHV_RCX] = c;
	f->gprs[VMXHV_RDX] = d;
	return skip();
}

/* XSETBV: the SDM's rules (cpu_rules.c) against what the CPU supports. */
static noinstr enum vmxhv_virt_action handle_xsetbv(struct vmxhv_cpu *v,
						    struct vmxhv_virt_frame *f)
{
	u64 val = (f->gprs[VMXHV_RDX] << 32) | (u32)f->gprs[VMXHV_RAX];
	u32 index = f->gprs[VMXHV_RCX];
	const char *bad;

	if (!(vmxhv_vmread(GUEST_CR4) & X86_CR4_OSXSAVE))
		return inject(X86_TRAP_UD, false);
	if (guest_cpl())
		return inject_gp();
	instrumentation_begin();
	bad = vmxhv_xsetbv_invalid(index, val, v->virt_xcr0_supported);
	instrumentation_end();
	if (bad)
		return inject_gp();
	asm volatile("xsetbv" : : "a" ((u32)val), "d" ((u32)(val >> 32)), "c" (index));
	return skip();
}

/* INVD would drop dirty lines the kernel owns: WBINVD does more, safely. */
static noinstr enum vmxhv_virt_action handle_invd(struct vmxhv_cpu *v,
						  struct vmxhv_virt_frame *f)
{
	native_wbinvd();
	return skip();
}

/* GETSEC exits always; without CR4.SMXE it is #UD natively. */
static noinstr enum vmxhv_virt_action handle_getsec(struct vmxhv_cpu *v,
						    struct vmxhv_virt_frame *f)
{
	return inject(X86_TRAP_UD, false);
}

/*
 * VMX instructions.  Natively this CPU is in VMX root operation (the
 * module's VMXON), so CPL > 0 gets #GP(0); at CPL 0 another VMX user
 * finds no VMCS of its own: VMfailInvalid.
 */
static noinstr enum vmxhv_virt_action handle_vmx_insn(struct vmxhv_cpu *v,
						      struct vmxhv_virt_frame *f)
{
	if (guest_cpl())
		return inject_gp();
	return vmx_result(true);
}

static noinstr enum vmxhv_virt_action handle_vmcall(struct vmxhv_cpu *v,
						    struct vmxhv_virt_frame *f)
{
	if (guest_cpl())
		return inject_gp();
	if (f->gprs[VMXHV_RAX] == VMXHV_VIRT_CALL_LEAVE) {
		skip();
		return VMXHV_VIRT_LEAVE;
	}
	return vmx_result(true);
}

/* VMXOFF: the kernel leaves VMX (emergency, kexec): so does non-root mode. */
static noinstr enum vmxhv_virt_action handle_vmxoff(struct vmxhv_cpu *v,
						    struct vmxhv_virt_frame *f)
{
	if (guest_cpl())
		return inject_gp();
	return VMXHV_VIRT_LEAVE;
}

/*
 * VMREAD of this CPU's VMCS, as the module's own field files do through
 * an IPI that lands in the guest: the live values.  Register operands
 * only (the module's form); a memory operand fails as VMfailInvalid.
 */
static noinstr enum vmxhv_virt_action handle_vmread(struct vmxhv_cpu *v,
						    struct vmxhv_virt_frame *f)
{
	u32 info = vmxhv_vmread(VMX_INSTRUCTION_INFO);
	u64 val;

	if (guest_cpl())
		return inject_gp();
	if (!(info & BIT(10)))
		return vmx_result(true);
	if (vmxhv_vmread_checked(get_reg(f, (info >> 28) & 0xf), &val))
		return vmx_result(true);
	set_reg(f, (info >> 3) & 0xf, val);
	return vmx_result(false);
}

/* MSRs whose guest value is in the VMCS, not in the MSR, during an exit. */
static const struct {
	u32 msr;
	u32 field;
} vmcs_msrs[] = {
	{ MSR_FS_BASE, GUEST_FS_BASE },
	{ MSR_GS_BASE, GUEST_GS_BASE },
	{ MSR_IA32_SYSENTER_CS, GUEST_SYSENTER_CS },
	{ MSR_IA32_SYSENTER_ESP, GUEST_SYSENTER_ESP },
	{ MSR_IA32_SYSENTER_EIP, GUEST_SYSENTER_EIP },
	{ MSR_IA32_DEBUGCTLMSR, GUEST_IA32_DEBUGCTL },
	{ MSR_IA32_CR_PAT, GUEST_IA32_PAT },
	{ MSR_EFER, GUEST_IA32_EFER },
};

static __always_inline int vmcs_msr_field(u32 msr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vmcs_msrs); i++)
		if (vmcs_msrs[i].msr == msr)
			return vmcs_msrs[i].field;
	return -1;
}

static noinstr enum vmxhv_virt_action handle_rdmsr(struct vmxhv_cpu *v,
						   struct vmxhv_virt_frame *f)
{
	u32 msr = f->gprs[VMXHV_RCX], lo = 0, hi = 0;
	int field = vmcs_msr_field(msr), err = 0;
	u64 val;

	if (field >= 0) {
		val = vmxhv_vmread(field);
	} else {
		asm volatile("1: rdmsr\n2:\n"
			     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_RDMSR_SAFE, %[err])
			     : [err] "+r" (err), "=a" (lo), "=d" (hi) : "c" (msr));
		if (err)
			return inject_gp();
		val = (u64)hi << 32 | lo;
	}
	f->gprs[VMXHV_RAX] = (u32)val;
	f->gprs[VMXHV_RDX] = val >> 32;
	return skip();
}

static noinstr enum vmxhv_virt_action handle_wrmsr(struct vmxhv_cpu *v,
						   struct vmxhv_virt_frame *f)
{
	u32 msr = f->gprs[VMXHV_RCX];
	u32 lo = f->gprs[VMXHV_RAX], hi = f->gprs[VMXHV_RDX];
	int field = vmcs_msr_field(msr), err = 0;

	if (field >= 0) {
		vmxhv_vmwrite(field, (u64)hi << 32 | lo);
		return skip();
	}
	asm volatile("1: wrmsr\n2:\n"
		     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_WRMSR_SAFE, %[err])
		     : [err] "+r" (err) : "c" (msr), "a" (lo), "d" (hi) : "memory");
	if (err)
		return inject_gp();
	return skip();
}

static const virt_handler_t handlers[VMXHV_NR_EXIT_REASONS] = {
	[VMXHV_EXIT_CPUID] = handle_cpuid,
	[VMXHV_EXIT_GETSEC] = handle_getsec,
	[VMXHV_EXIT_INVD] = handle_invd,
	[VMXHV_EXIT_VMCALL] = handle_vmcall,
	[VMXHV_EXIT_VMCLEAR] = handle_vmx_insn,
	[VMXHV_EXIT_VMLAUNCH] = handle_vmx_insn,
	[VMXHV_EXIT_VMPTRLD] = handle_vmx_insn,
	[VMXHV_EXIT_VMPTRST] = handle_vmx_insn,
	[VMXHV_EXIT_VMREAD] = handle_vmread,
	[VMXHV_EXIT_VMRESUME] = handle_vmx_insn,
	[VMXHV_EXIT_VMWRITE] = handle_vmx_insn,
	[VMXHV_EXIT_VMOFF] = handle_vmxoff,
	[VMXHV_EXIT_VMON] = handle_vmx_insn,
	[VMXHV_EXIT_INVEPT] = handle_vmx_insn,
	[VMXHV_EXIT_INVVPID] = handle_vmx_insn,
	[VMXHV_EXIT_MSR_READ] = handle_rdmsr,
	[VMXHV_EXIT_MSR_WRITE] = handle_wrmsr,
	[VMXHV_EXIT_XSETBV] = handle_xsetbv,
	/* MOV to CR4 clearing VMXE (the only owned bit): the kernel leaves VMX. */
	[VMXHV_EXIT_CR_ACCESS] = run_natively,
	/* Natively the CPU resets: it does so once out of non-root mode. */
	[VMXHV_EXIT_TRIPLE_FAULT] = run_natively,
};

static noinstr void trace_or_drop(struct vmxhv_cpu *v, u32 reason, u64 qual, u64 rip)
{
	if (!rcu_is_watching()) {
		v->trace_dropped++;
		return;
	}
	/*
	 * The probes may run BPF programs and touch maps in vmalloc space
	 * whose root-mode translations went stale (virt.h).
	 */
	vmxhv_virt_flush_root_tlb();
	instrumentation_begin();
	trace_exit(reason, qual, rip);
	instrumentation_end();
}

static noinstr void record(struct vmxhv_cpu *v, struct vmxhv_virt_frame *f,
			   u32 reason, u32 basic)
{
	u64 rip = vmxhv_vmread(GUEST_RIP), qual = vmxhv_vmread(EXIT_QUALIFICATION);
	unsigned int i;

	WRITE_ONCE(v->nr_exits, v->nr_exits + 1);
	if (basic < VMXHV_NR_EXIT_REASONS) {
		basic = array_index_nospec(basic, VMXHV_NR_EXIT_REASONS);
		WRITE_ONCE(v->exit_counts[basic], v->exit_counts[basic] + 1);
	}
	WRITE_ONCE(v->stop.exit_reason, reason);
	WRITE_ONCE(v->stop.qualification, qual);
	WRITE_ONCE(v->stop.guest_rip, rip);
	for (i = 0; i < VMXHV_NR_GPRS; i++)
		WRITE_ONCE(v->gprs[i], f->gprs[i]);
	WRITE_ONCE(v->rip, rip);
	WRITE_ONCE(v->rsp, vmxhv_vmread(GUEST_RSP));
	WRITE_ONCE(v->rflags, vmxhv_vmread(GUEST_RFLAGS));
	if (trace_exit_enabled())
		trace_or_drop(v, reason, qual, rip);
}

noinstr enum vmxhv_virt_action vmxhv_virt_dispatch(struct vmxhv_cpu *v,
						   struct vmxhv_virt_frame *f, u32 reason)
{
	u32 basic = reason & VMXHV_EXIT_REASON_BASIC_MASK;
	virt_handler_t h = NULL;

	if (unlikely(!v))
		return VMXHV_VIRT_LEAVE;
	record(v, f, reason, basic);
	if (unlikely(reason & VMXHV_EXIT_REASON_FAILED_VMENTRY))
		return VMXHV_VIRT_LEAVE;
	if (basic < VMXHV_NR_EXIT_REASONS)
		h = handlers[array_index_nospec(basic, VMXHV_NR_EXIT_REASONS)];
	if (likely(h))
		return h(v, f);
	/* Nothing dropped: it runs natively; the log says so (virt.c). */
	v->virt_unhandled = reason;
	instrumentation_begin();
	irq_work_queue(&v->virt_work);
	instrumentation_end();
	return VMXHV_VIRT_LEAVE;
}
