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
#include <asm/debugreg.h>
#include <asm/fpu/xcr.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "vmxhv.h"
#include "vmx_ops.h"
#include "virt.h"
#include "vmxhv/cpu_rules.h"
#include "vmxhv/vmcs_policy.h"
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

/*
 * Past the instruction; an STI/MOV SS shadow before it ends with it.
 * With RFLAGS.TF set (a debugger's single step over CPUID, say) the
 * instruction ends in a single-step #DB natively: make it pending (DR6.BS
 * = DR_STEP in the pending debug exceptions), which VM entry delivers
 * after it; KVM's kvm_skip_emulated_instruction() queues the same #DB
 * through kvm_vcpu_do_singlestep().  A VMCALL that leaves loses it: the
 * trap then comes one instruction late, after the caller's RET.
 * BTF turns TF into single step on branches, which these are not.
 */
static __always_inline enum vmxhv_virt_action skip(void)
{
	u32 intr = vmxhv_vmread(GUEST_INTERRUPTIBILITY_INFO);

	vmxhv_vmwrite(GUEST_RIP, vmxhv_vmread(GUEST_RIP) +
		      vmxhv_vmread(VM_EXIT_INSTRUCTION_LEN));
	if (unlikely(intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)))
		vmxhv_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			      intr & ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
	if (unlikely(vmxhv_vmread(GUEST_RFLAGS) & X86_EFLAGS_TF) &&
	    !(vmxhv_vmread(GUEST_IA32_DEBUGCTL) & DEBUGCTLMSR_BTF))
		vmxhv_vmwrite(GUEST_PENDING_DBG_EXCEPTIONS,
			      vmxhv_vmread(GUEST_PENDING_DBG_EXCEPTIONS) | DR_STEP);
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

/*
 * May this exit fire tracepoints?  Only where RCU is watching; otherwise
 * the event is counted as dropped.  The first event of an exit drops the
 * stale root-mode translations first (virt.h).
 */
static __always_inline bool trace_ok(struct vmxhv_cpu *v)
{
	if (!rcu_is_watching()) {
		v->trace_dropped++;
		return false;
	}
	if (!v->virt_tlb_clean) {
		vmxhv_virt_flush_root_tlb();
		v->virt_tlb_clean = true;
	}
	return true;
}

/* Leave at the instruction, which then runs natively; the log says so. */
static __always_inline enum vmxhv_virt_action leave_and_log(struct vmxhv_cpu *v)
{
	v->virt_unhandled = vmxhv_vmread(VM_EXIT_REASON);
	instrumentation_begin();
	irq_work_queue(&v->virt_work);
	instrumentation_end();
	return VMXHV_VIRT_LEAVE;
}

/*
 * INIT: in non-root operation it is an exit, and nothing else happens
 * (SDM 26.2).  Leaving here would drop it too, at an arbitrary point
 * (user mode, entry code): the CPU goes on as it was.  Linux sends INIT
 * only to CPUs it brings up or parks, which are devirtualized first.
 */
static noinstr enum vmxhv_virt_action handle_init(struct vmxhv_cpu *v,
						  struct vmxhv_virt_frame *f)
{
	return VMXHV_VIRT_RESUME;
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

/* virt_lists.c's spare bitmaps become the ones in use, in root operation. */
static __always_inline void swap_in_root(struct vmxhv_cpu *v, bool io)
{
	if (!io) {
		swap(v->virt_msr_bitmap, v->virt_spare_msr_bitmap);
		vmxhv_vmwrite(MSR_BITMAP, v->virt_swap_pa[0]);
		return;
	}
	swap(v->virt_io_bitmap_a, v->virt_spare_io_bitmap_a);
	swap(v->virt_io_bitmap_b, v->virt_spare_io_bitmap_b);
	v->virt_mtf_bits = 0;	/* the new selection decides */
	vmxhv_vmwrite(IO_BITMAP_A, v->virt_swap_pa[0]);
	vmxhv_vmwrite(IO_BITMAP_B, v->virt_swap_pa[1]);
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
	if (f->gprs[VMXHV_RAX] == VMXHV_VIRT_CALL_MSR_BITMAP ||
	    f->gprs[VMXHV_RAX] == VMXHV_VIRT_CALL_IO_BITMAPS) {
		swap_in_root(v, f->gprs[VMXHV_RAX] == VMXHV_VIRT_CALL_IO_BITMAPS);
		return skip();
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

/*
 * VMWRITE from the module's own field files (through an IPI that lands
 * in the guest): only the exit-selection controls, by the same rule as
 * the files (vmxhv_virt_field_policy) and within what the CPU allows.
 */
static noinstr enum vmxhv_virt_action handle_vmwrite(struct vmxhv_cpu *v,
						     struct vmxhv_virt_frame *f)
{
	u32 info = vmxhv_vmread(VMX_INSTRUCTION_INFO);
	const struct vmxhv_ctl_caps *caps;
	u64 enc, val, cur;
	const char *why;
	int bad;

	if (guest_cpl())
		return inject_gp();
	if (!(info & BIT(10)))
		return vmx_result(true);
	val = get_reg(f, (info >> 3) & 0xf);
	enc = get_reg(f, (info >> 28) & 0xf);
	if (vmxhv_vmread_checked(enc, &cur))
		return vmx_result(true);
	caps = enc == CPU_BASED_VM_EXEC_CONTROL ? &vmxhv_caps.proc : &vmxhv_caps.proc2;
	instrumentation_begin();
	bad = vmxhv_virt_field_policy(enc, cur, val, &why) ||
	      vmxhv_ctl_adjust(caps, val) != val;
	instrumentation_end();
	if (bad)
		return vmx_result(true);
	return vmx_result(__vmxhv_vmwrite(enc, val) != 0);
}

static __always_inline void trace_reg(struct vmxhv_cpu *v, u8 reg, bool debug, u64 val,
				      bool write)
{
	if (trace_cr_enabled() && trace_ok(v)) {
		instrumentation_begin();
		trace_cr(reg, debug, val, write);
		instrumentation_end();
	}
}

/*
 * MOV to or from CR3 (CR3-load/store exiting, switched on through the
 * vmcs files).  A load flushes what MOV to CR3 flushes natively: the
 * non-global translations, unless CR4.PCIDE and bit 63 say not to; the
 * guest's translations are those of its VPID.  MOV to CR4 exits only
 * when it clears VMXE (the kernel leaving VMX): it runs natively.
 */
static noinstr enum vmxhv_virt_action handle_cr(struct vmxhv_cpu *v,
						struct vmxhv_virt_frame *f)
{
	u64 q = vmxhv_vmread(EXIT_QUALIFICATION), val;
	unsigned int cr = q & 0xf, type = (q >> 4) & 3, reg = (q >> 8) & 0xf;

	if (cr != 3 || type > 1)
		return run_natively(v, f);
	if (type == 1) {
		val = vmxhv_vmread(GUEST_CR3);
		set_reg(f, reg, val);
		trace_reg(v, 3, false, val, false);
		return skip();
	}
	val = get_reg(f, reg);
	trace_reg(v, 3, false, val, true);
	if ((vmxhv_vmread(GUEST_CR4) & X86_CR4_PCIDE) && (val & BIT_ULL(63))) {
		val &= ~BIT_ULL(63);
	} else if (vmxhv_invvpid(3, v->virt_vpid, 0) &&
		   vmxhv_invvpid(1, v->virt_vpid, 0)) {
		vmxhv_invvpid_all();
	}
	vmxhv_vmwrite(GUEST_CR3, val);
	return skip();
}

/*
 * MOV DR (MOV-DR exiting): DR7 is in the VMCS, DR0-DR3 and DR6 are the
 * CPU's own (neither the exit nor this handler changes them).
 */
static noinstr enum vmxhv_virt_action handle_dr(struct vmxhv_cpu *v,
						struct vmxhv_virt_frame *f)
{
	u64 q = vmxhv_vmread(EXIT_QUALIFICATION), val;
	unsigned int dr = q & 7, reg = (q >> 8) & 0xf;
	bool read = q & BIT(4);

	if (dr == 4 || dr == 5) {
		if (vmxhv_vmread(GUEST_CR4) & X86_CR4_DE)
			return inject(X86_TRAP_UD, false);
		dr += 2;
	}
	if (read) {
		val = dr == 7 ? vmxhv_vmread(GUEST_DR7) : native_get_debugreg(dr);
		set_reg(f, reg, val);
	} else {
		val = get_reg(f, reg);
		if (dr == 7)
			vmxhv_vmwrite(GUEST_DR7, val);
		else
			native_set_debugreg(dr, val);
	}
	trace_reg(v, dr, true, val, !read);
	return skip();
}

/* RDPMC (RDPMC exiting): the counter, or the #GP a bad index raises. */
static noinstr enum vmxhv_virt_action handle_rdpmc(struct vmxhv_cpu *v,
						   struct vmxhv_virt_frame *f)
{
	u32 lo = 0, hi = 0;
	int err = 0;

	asm volatile("1: rdpmc\n2:\n"
		     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_EFAULT_REG, %[err])
		     : [err] "+r" (err), "=a" (lo), "=d" (hi) : "c" ((u32)f->gprs[VMXHV_RCX]));
	if (err)
		return inject_gp();
	f->gprs[VMXHV_RAX] = lo;
	f->gprs[VMXHV_RDX] = hi;
	return skip();
}

/* WBINVD (WBINVD exiting): done in root mode, the same caches. */
static noinstr enum vmxhv_virt_action handle_wbinvd(struct vmxhv_cpu *v,
						    struct vmxhv_virt_frame *f)
{
	native_wbinvd();
	return skip();
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

static __always_inline int wrmsr_safe_noinstr(u32 msr, u64 val)
{
	int err = 0;

	asm volatile("1: wrmsr\n2:\n"
		     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_WRMSR_SAFE, %[err])
		     : [err] "+r" (err) : "c" (msr), "a" ((u32)val), "d" ((u32)(val >> 32))
		     : "memory");
	return err;
}

/*
 * A WRMSR of a VMCS-held MSR goes to the VMCS field, after the checks
 * that make a bad value #GP as natively, instead of failing the next VM
 * entry (cpu_rules.c).  DEBUGCTL's valid bits are the model's: the value
 * is tried on the real MSR, which the exit left 0 and gets back 0.
 */
static __always_inline int vmcs_msr_write(u32 msr, int field, u64 val)
{
	unsigned int va_bits = boot_cpu_has(X86_FEATURE_LA57) ? 57 : 48;

	if (msr == MSR_IA32_DEBUGCTLMSR) {
		/* Not tried: branch trace and BTS, which would start writing. */
		if (wrmsr_safe_noinstr(msr, val & ~(DEBUGCTLMSR_TR | DEBUGCTLMSR_BTS)))
			return -EIO;
		virt_wrmsr(msr, 0);
	} else {
		u64 cur = vmxhv_vmread(field);
		const char *bad;

		instrumentation_begin();
		bad = vmxhv_vmcs_msr_invalid(msr, val, cur, va_bits);
		instrumentation_end();
		if (bad)
			return -EIO;
	}
	if (msr == MSR_EFER)	/* LMA is read-only */
		val = (val & ~EFER_LMA) | (vmxhv_vmread(field) & EFER_LMA);
	vmxhv_vmwrite(field, val);
	return 0;
}

static noinstr enum vmxhv_virt_action handle_rdmsr(struct vmxhv_cpu *v,
						   struct vmxhv_virt_frame *f)
{
	u32 msr = f->gprs[VMXHV_RCX], lo = 0, hi = 0;
	int field = vmcs_msr_field(msr), err = 0;
	u64 val;

	if (field >= 0) {
		val = vmxhv_vmread(field);
	} else if (msr == MSR_IA32_SPEC_CTRL && cpu_feature_enabled(X86_FEATURE_KERNEL_IBRS)) {
		val = v->virt_spec_ctrl;	/* the MSR holds the exit's own */
	} else {
		asm volatile("1: rdmsr\n2:\n"
			     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_RDMSR_SAFE, %[err])
			     : [err] "+r" (err), "=a" (lo), "=d" (hi) : "c" (msr));
		val = (u64)hi << 32 | lo;
	}
	if (trace_msr_enabled() && trace_ok(v)) {
		instrumentation_begin();
		trace_msr(msr, val, false, err);
		instrumentation_end();
	}
	if (err)
		return inject_gp();
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

	if (field >= 0)
		err = vmcs_msr_write(msr, field, (u64)hi << 32 | lo);
	else
		asm volatile("1: wrmsr\n2:\n"
			     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_WRMSR_SAFE, %[err])
			     : [err] "+r" (err) : "c" (msr), "a" (lo), "d" (hi) : "memory");
	/* The value the exit handler's end gives back (virt.c, legacy IBRS). */
	if (!err && msr == MSR_IA32_SPEC_CTRL)
		v->virt_spec_ctrl = (u64)hi << 32 | lo;
	if (trace_msr_enabled() && trace_ok(v)) {
		instrumentation_begin();
		trace_msr(msr, (u64)hi << 32 | lo, true, err);
		instrumentation_end();
	}
	if (err)
		return inject_gp();
	return skip();
}

/* The I/O-bitmap bit of @port (bitmap B holds 0x8000 on). */
static __always_inline unsigned long *io_map(struct vmxhv_cpu *v, u16 port, unsigned int *bit)
{
	*bit = port & 0x7fff;
	return port & 0x8000 ? v->virt_io_bitmap_b : v->virt_io_bitmap_a;
}

/*
 * String I/O (INS/OUTS, REP or not) on a selected port: its memory
 * operand is a linear address of whatever address space the code runs
 * in.  Rather than walk those page tables, let the instruction run once
 * in non-root operation: its ports' bits come out of the I/O bitmap and
 * the monitor trap flag brings the CPU back after it (or after the
 * first event it lets in), to put the bits back.  Without the monitor
 * trap flag (a CPU model that lacks it) the ports stop exiting for good.
 * Leaving non-root operation is no answer: user code (a process with
 * ioperm) must go on in its own address space.
 */
static noinstr enum vmxhv_virt_action string_io(struct vmxhv_cpu *v, u16 port,
						unsigned int size)
{
	unsigned int i, bit;
	u8 mask = 0;

	/* Wrapping past 0xffff exits whatever the bitmaps say (SDM 26.1.3). */
	if (port + size > 0x10000)
		return leave_and_log(v);
	for (i = 0; i < size; i++) {
		unsigned long *map = io_map(v, port + i, &bit);

		if (arch_test_and_clear_bit(bit, map))
			mask |= BIT(i);
	}
	if (!(vmxhv_caps.proc.may_be_1 & CPU_BASED_MONITOR_TRAP_FLAG)) {
		v->virt_io_dropped++;
		return VMXHV_VIRT_RESUME;
	}
	v->virt_mtf_port = port;
	v->virt_mtf_bits = mask;
	vmxhv_vmwrite(CPU_BASED_VM_EXEC_CONTROL,
		      vmxhv_vmread(CPU_BASED_VM_EXEC_CONTROL) | CPU_BASED_MONITOR_TRAP_FLAG);
	return VMXHV_VIRT_RESUME;
}

/*
 * The ports' bits back, at the first exit after string_io(): the MTF exit
 * after the instruction, or any exit that came first (from an interrupt
 * handler the instruction let in, which is then taken up again and exits
 * again).  Bochs 2.7 accepts the monitor trap flag but never delivers its
 * exit (Documentation/testing.md): there the next exit of any kind does it.
 */
static __always_inline void mtf_restore(struct vmxhv_cpu *v)
{
	unsigned int i, bit;

	for (i = 0; i < 4; i++) {
		unsigned long *map = io_map(v, v->virt_mtf_port + i, &bit);

		if (v->virt_mtf_bits & BIT(i))
			arch_set_bit(bit, map);
	}
	v->virt_mtf_bits = 0;
}

noinstr void vmxhv_virt_mtf_restore(struct vmxhv_cpu *v)
{
	if (v->virt_mtf_bits)
		mtf_restore(v);
}

static noinstr enum vmxhv_virt_action handle_mtf(struct vmxhv_cpu *v,
						 struct vmxhv_virt_frame *f)
{
	vmxhv_vmwrite(CPU_BASED_VM_EXEC_CONTROL,
		      vmxhv_vmread(CPU_BASED_VM_EXEC_CONTROL) & ~CPU_BASED_MONITOR_TRAP_FLAG);
	return VMXHV_VIRT_RESUME;
}

/*
 * IN and OUT on a port in io_exits, carried out for real.  The CPU has
 * already checked IOPL and the TSS I/O bitmap (those faults come before
 * the exit).
 */
static noinstr enum vmxhv_virt_action handle_io(struct vmxhv_cpu *v,
						struct vmxhv_virt_frame *f)
{
	u64 q = vmxhv_vmread(EXIT_QUALIFICATION);
	unsigned int size = (q & 7) + 1;
	u16 port = q >> 16;
	bool in = q & BIT(3);
	u64 rax = f->gprs[VMXHV_RAX];
	u32 val;

	if (q & BIT(4))
		return string_io(v, port, size);
	if (in) {
		if (size == 1) {
			u8 b;

			asm volatile("inb %w1, %b0" : "=a" (b) : "Nd" (port));
			val = b;
			rax = (rax & ~0xffULL) | b;
		} else if (size == 2) {
			u16 w;

			asm volatile("inw %w1, %w0" : "=a" (w) : "Nd" (port));
			val = w;
			rax = (rax & ~0xffffULL) | w;
		} else {
			asm volatile("inl %w1, %0" : "=a" (val) : "Nd" (port));
			rax = val;	/* a 32-bit result clears the upper half */
		}
		f->gprs[VMXHV_RAX] = rax;
	} else {
		val = size == 4 ? (u32)rax : rax & (size == 2 ? 0xffff : 0xff);
		if (size == 1)
			asm volatile("outb %b0, %w1" : : "a" ((u8)val), "Nd" (port));
		else if (size == 2)
			asm volatile("outw %w0, %w1" : : "a" ((u16)val), "Nd" (port));
		else
			asm volatile("outl %0, %w1" : : "a" (val), "Nd" (port));
	}
	if (trace_pio_enabled() && trace_ok(v)) {
		instrumentation_begin();
		trace_pio(port, size, in, val);
		instrumentation_end();
	}
	return skip();
}

static const virt_handler_t handlers[VMXHV_NR_EXIT_REASONS] = {
	[VMXHV_EXIT_IO_INSTRUCTION] = handle_io,
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
	[VMXHV_EXIT_VMWRITE] = handle_vmwrite,
	[VMXHV_EXIT_VMOFF] = handle_vmxoff,
	[VMXHV_EXIT_VMON] = handle_vmx_insn,
	[VMXHV_EXIT_INVEPT] = handle_vmx_insn,
	[VMXHV_EXIT_INVVPID] = handle_vmx_insn,
	[VMXHV_EXIT_MSR_READ] = handle_rdmsr,
	[VMXHV_EXIT_MSR_WRITE] = handle_wrmsr,
	[VMXHV_EXIT_XSETBV] = handle_xsetbv,
	[VMXHV_EXIT_CR_ACCESS] = handle_cr,
	[VMXHV_EXIT_DR_ACCESS] = handle_dr,
	[VMXHV_EXIT_RDPMC] = handle_rdpmc,
	[VMXHV_EXIT_WBINVD] = handle_wbinvd,
	[VMXHV_EXIT_INIT_SIGNAL] = handle_init,
	[VMXHV_EXIT_MONITOR_TRAP_FLAG] = handle_mtf,
	/* Natively the CPU resets: it does so once out of non-root mode. */
	[VMXHV_EXIT_TRIPLE_FAULT] = run_natively,
};

/* The probes may run BPF and touch maps in vmalloc space: see trace_ok(). */
static noinstr void trace_or_drop(struct vmxhv_cpu *v, u32 reason, u64 qual, u64 rip)
{
	if (!trace_ok(v))
		return;
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
	v->virt_tlb_clean = false;
	if (unlikely(v->virt_mtf_bits))
		mtf_restore(v);
	record(v, f, reason, basic);
	/*
	 * A machine check during VM entry is an exit, not a #MC: it goes back
	 * as the #MC it was, to the kernel's own handler in the context it
	 * hit (KVM calls do_machine_check() on the vCPU thread's stack; this
	 * stack is no thread's).
	 */
	if (unlikely(reason & VMXHV_EXIT_REASON_FAILED_VMENTRY)) {
		if (basic == VMXHV_EXIT_MCE_DURING_VMENTRY)
			return inject(X86_TRAP_MC, false);
		return leave_and_log(v);
	}
	if (basic < VMXHV_NR_EXIT_REASONS)
		h = handlers[array_index_nospec(basic, VMXHV_NR_EXIT_REASONS)];
	if (likely(h))
		return h(v, f);
	/* Nothing dropped: it runs natively. */
	return leave_and_log(v);
}
