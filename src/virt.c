// SPDX-License-Identifier: GPL-2.0
/*
 * Virtualizing the running kernel on one CPU: the VMCS that lets the
 * code running there carry on as a VMX guest, the switch into non-root
 * operation, and the way back out.
 *
 * The guest state is the CPU's own state at the moment of the switch
 * (virt_enter.S supplies RSP, RIP and RFLAGS); the controls exit on
 * nothing the kernel does often: no interrupt, HLT, MWAIT, RDTSC, CR3
 * or CR8 exiting, an empty exception bitmap, empty MSR and I/O bitmaps.
 * The host owns only CR4.VMXE, whose read shadow stays 1 so that other
 * VMX users see VMX in use.  Exits run on a host stack of their own,
 * with a page table of their own (host_pgd below), like an NMI.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/instrumentation.h>
#include <linux/irq_work.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/invpcid.h>
#ifdef VMXHV_HAVE_GSSEG_H	/* 6.2 on: asm_load_gs_index() (Kbuild) */
#include <asm/gsseg.h>
#endif
#include <asm/msr.h>
#include <asm/nmi.h>
#include <asm/nospec-branch.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/vmx.h>

#include "vmxhv.h"
#include "vmx_ops.h"
#include "virt.h"

#define VMX_AR_UNUSABLE		BIT(16)

/* This CPU's object while its kernel runs in non-root operation. */
static DEFINE_PER_CPU(struct vmxhv_cpu *, virt_cpu);

/*
 * HOST_CR3 of every virtualized CPU: a top-level table holding the
 * kernel half of the kernel's own, so the exit handler runs in an
 * address space that no process's exit can free.  The kernel-half
 * entries of x86-64 page tables are fixed at boot (the vmalloc area's
 * are preallocated); only memory hot-add creates new ones, which this
 * copy would not see (Documentation/design.md).
 *
 * It is the first page of an 8 KiB-aligned pair, as pgd_alloc() makes
 * them: with page-table isolation, an NMI or #MC that interrupts an exit
 * runs paranoid_entry, which takes a CR3 with bit 12 set for a process's
 * user-space table and clears that bit.
 */
#define HOST_PGD_ORDER	1
static pgd_t *host_pgd;

/*
 * An NMI that interrupts an exit handler runs the kernel's NMI handlers
 * in root mode, with the root (VPID 0) translations that the guest's
 * own flushes never reached: drop them first (this handler is the first
 * of the NMI_LOCAL list).  The exit path itself flushes before its
 * first tracepoint; nothing else runs in root mode.
 */
static int virt_nmi(unsigned int type, struct pt_regs *regs)
{
	struct vmxhv_cpu *v = this_cpu_read(virt_cpu);

	if (v && regs->sp - (unsigned long)v->virt_stack < VMXHV_VIRT_STACK_BYTES)
		vmxhv_virt_flush_root_tlb();
	return NMI_DONE;
}

int vmxhv_virt_init(void)
{
	pgd_t *src = __va(read_cr3_pa());
	int err;

	host_pgd = (pgd_t *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, HOST_PGD_ORDER);
	if (!host_pgd)
		return -ENOMEM;
	memcpy(host_pgd + KERNEL_PGD_BOUNDARY, src + KERNEL_PGD_BOUNDARY,
	       KERNEL_PGD_PTRS * sizeof(pgd_t));
	err = register_nmi_handler(NMI_LOCAL, virt_nmi, NMI_FLAG_FIRST, "vmxhv_virt");
	if (err) {
		free_pages((unsigned long)host_pgd, HOST_PGD_ORDER);
		host_pgd = NULL;
	}
	return err;
}

void vmxhv_virt_exit_module(void)
{
	unregister_nmi_handler(NMI_LOCAL, "vmxhv_virt");
	free_pages((unsigned long)host_pgd, HOST_PGD_ORDER);
	host_pgd = NULL;
}

int vmxhv_virt_alloc(struct vmxhv_cpu *v)
{
	v->virt_stack = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
						 VMXHV_VIRT_STACK_ORDER);
	v->virt_msr_bitmap = (void *)get_zeroed_page(GFP_KERNEL);
	v->virt_io_bitmap_a = (void *)get_zeroed_page(GFP_KERNEL);
	v->virt_io_bitmap_b = (void *)get_zeroed_page(GFP_KERNEL);
	v->virt_spare_msr_bitmap = (void *)get_zeroed_page(GFP_KERNEL);
	v->virt_spare_io_bitmap_a = (void *)get_zeroed_page(GFP_KERNEL);
	v->virt_spare_io_bitmap_b = (void *)get_zeroed_page(GFP_KERNEL);
	if (!v->virt_stack || !v->virt_msr_bitmap || !v->virt_io_bitmap_a ||
	    !v->virt_io_bitmap_b || !v->virt_spare_msr_bitmap ||
	    !v->virt_spare_io_bitmap_a || !v->virt_spare_io_bitmap_b)
		return -ENOMEM;
	return 0;
}

void vmxhv_virt_free(struct vmxhv_cpu *v)
{
	free_page((unsigned long)v->virt_spare_io_bitmap_b);
	free_page((unsigned long)v->virt_spare_io_bitmap_a);
	free_page((unsigned long)v->virt_spare_msr_bitmap);
	free_page((unsigned long)v->virt_io_bitmap_b);
	free_page((unsigned long)v->virt_io_bitmap_a);
	free_page((unsigned long)v->virt_msr_bitmap);
	free_pages((unsigned long)v->virt_stack, VMXHV_VIRT_STACK_ORDER);
}

/* A secondary control the kernel's instructions need in non-root mode. */
struct needed_ctl {
	int feature;		/* X86_FEATURE_*: the kernel uses it */
	u32 ctl;		/* without it the instruction is #UD */
	const char *name;
};

static const struct needed_ctl needed_ctls[] = {
	{ X86_FEATURE_RDTSCP, SECONDARY_EXEC_ENABLE_RDTSCP, "enable RDTSCP" },
	{ X86_FEATURE_RDPID, SECONDARY_EXEC_ENABLE_RDTSCP, "enable RDTSCP (RDPID)" },
	{ X86_FEATURE_INVPCID, SECONDARY_EXEC_ENABLE_INVPCID, "enable INVPCID" },
	{ X86_FEATURE_XSAVES, VMCS_CONTROL_BIT(XSAVES), "enable XSAVES/XRSTORS" },
	{ X86_FEATURE_WAITPKG, SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE,
	  "enable user wait and pause" },
};

/* Exiting controls a CPU may force on; the kernel would exit constantly. */
#define PROC_UNWANTED	(CPU_BASED_HLT_EXITING | CPU_BASED_MWAIT_EXITING | \
			 CPU_BASED_RDTSC_EXITING | CPU_BASED_CR3_LOAD_EXITING | \
			 CPU_BASED_CR3_STORE_EXITING | CPU_BASED_CR8_LOAD_EXITING | \
			 CPU_BASED_CR8_STORE_EXITING | CPU_BASED_UNCOND_IO_EXITING | \
			 CPU_BASED_INVLPG_EXITING | CPU_BASED_MOV_DR_EXITING)
#define VIRT_PROC	(CPU_BASED_USE_IO_BITMAPS | CPU_BASED_USE_MSR_BITMAPS | \
			 CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)
#define VIRT_EXIT	(VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_PAT | \
			 VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_IA32_EFER | \
			 VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_DEBUG_CONTROLS)
#define VIRT_ENTRY	(VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_IA32_PAT | \
			 VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_DEBUG_CONTROLS)

/* The controls, or the name of what this CPU cannot do. */
static const char *setup_controls(struct vmxhv_cpu *v)
{
	const struct vmxhv_caps *c = &vmxhv_caps;
	u32 proc, proc2 = SECONDARY_EXEC_ENABLE_VPID, exit, entry;
	unsigned int i;

#ifdef X86_FEATURE_FRED
	/* FRED's state is not in this VMCS, and leaving uses SWAPGS. */
	if (cpu_feature_enabled(X86_FEATURE_FRED))
		return "support for a kernel using FRED (this mode predates it)";
#endif
	proc = vmxhv_ctl_adjust(&c->proc, VIRT_PROC);
	if (proc & PROC_UNWANTED)
		return "processor-based controls without HLT, RDTSC, CR3, CR8, I/O exiting";
	if (!(proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ||
	    !(c->proc2.may_be_1 & SECONDARY_EXEC_ENABLE_VPID))
		return "VPID";
	for (i = 0; i < ARRAY_SIZE(needed_ctls); i++) {
		if (!boot_cpu_has(needed_ctls[i].feature))
			continue;
		if (!(c->proc2.may_be_1 & needed_ctls[i].ctl))
			return needed_ctls[i].name;
		proc2 |= needed_ctls[i].ctl;
	}
	exit = vmxhv_ctl_adjust(&c->exit, VIRT_EXIT);
	entry = vmxhv_ctl_adjust(&c->entry, VIRT_ENTRY);
	if ((exit & VIRT_EXIT) != VIRT_EXIT || (entry & VIRT_ENTRY) != VIRT_ENTRY)
		return "VM-exit/VM-entry controls for a 64-bit guest with PAT, EFER, debug state";

	vmxhv_vmwrite(PIN_BASED_VM_EXEC_CONTROL, vmxhv_ctl_adjust(&c->pin, 0));
	vmxhv_vmwrite(CPU_BASED_VM_EXEC_CONTROL, proc);
	vmxhv_vmwrite(SECONDARY_VM_EXEC_CONTROL, vmxhv_ctl_adjust(&c->proc2, proc2));
	vmxhv_vmwrite(VM_EXIT_CONTROLS, exit);
	vmxhv_vmwrite(VM_ENTRY_CONTROLS, entry);
	if (proc2 & VMCS_CONTROL_BIT(XSAVES))
		vmxhv_vmwrite(XSS_EXIT_BITMAP, 0);
	vmxhv_vmwrite(EXCEPTION_BITMAP, 0);
	vmxhv_vmwrite(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmxhv_vmwrite(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmxhv_vmwrite(CR3_TARGET_COUNT, 0);
	vmxhv_vmwrite(CR0_GUEST_HOST_MASK, 0);
	vmxhv_vmwrite(CR4_GUEST_HOST_MASK, X86_CR4_VMXE);
	vmxhv_vmwrite(CR4_READ_SHADOW, __read_cr4());
	vmxhv_vmwrite(CR0_READ_SHADOW, read_cr0());
	vmxhv_vmwrite(IO_BITMAP_A, __pa(v->virt_io_bitmap_a));
	vmxhv_vmwrite(IO_BITMAP_B, __pa(v->virt_io_bitmap_b));
	vmxhv_vmwrite(MSR_BITMAP, __pa(v->virt_msr_bitmap));
	vmxhv_vmwrite(VM_EXIT_MSR_STORE_COUNT, 0);
	vmxhv_vmwrite(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmxhv_vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmxhv_vmwrite(VM_ENTRY_INTR_INFO_FIELD, 0);
	/* Its own VPID: none of the separate guest's translations apply. */
	v->virt_vpid = nr_cpu_ids + v->cpu + 1;
	vmxhv_vmwrite(VIRTUAL_PROCESSOR_ID, v->virt_vpid);
	vmxhv_vmwrite(VMCS_LINK_POINTER, ~0ULL);
	return NULL;
}

static unsigned int seg_lar(u16 sel, bool *ok)
{
	unsigned int ar = 0;

	asm("lar %[sel], %[ar]\n\tsetz %[ok]"
	    : [ar] "+r" (ar), [ok] "=qm" (*ok) : [sel] "r" ((unsigned int)sel) : "cc");
	return ar;
}

static unsigned int seg_lsl(u16 sel)
{
	unsigned int limit = 0;

	asm("lsl %[sel], %[limit]" : [limit] "+r" (limit) : [sel] "r" ((unsigned int)sel) : "cc");
	return limit;
}

/*
 * The field encodings of one segment register, from ES (0) on; its
 * descriptor in the GDT, or in the LDT at @ldt (a 32-bit process of its
 * own, Wine or dosemu, that the switching IPI interrupted).
 */
static void write_seg(unsigned int n, u16 sel, unsigned long gdt, unsigned long ldt,
		      bool system)
{
	unsigned long table = sel & SEGMENT_TI_MASK ? ldt : gdt;
	const struct desc_struct *d = (const void *)(table + (sel & ~7));
	u64 base = 0;
	unsigned int ar;
	bool ok = false;

	vmxhv_vmwrite(GUEST_ES_SELECTOR + 2 * n, sel);
	ar = (sel & ~3) ? seg_lar(sel, &ok) : 0;
	if (!ok) {
		vmxhv_vmwrite(GUEST_ES_AR_BYTES + 2 * n, VMX_AR_UNUSABLE | (sel & 3) << 5);
		vmxhv_vmwrite(GUEST_ES_LIMIT + 2 * n, 0);
		vmxhv_vmwrite(GUEST_ES_BASE + 2 * n, 0);
		return;
	}
	if (table) {
		base = get_desc_base(d);
		if (system)
			base |= (u64)((const struct ldttss_desc *)d)->base3 << 32;
	}
	vmxhv_vmwrite(GUEST_ES_AR_BYTES + 2 * n, (ar >> 8) & 0xf0ff);
	vmxhv_vmwrite(GUEST_ES_LIMIT + 2 * n, seg_lsl(sel));
	vmxhv_vmwrite(GUEST_ES_BASE + 2 * n, base);
}

/* Segment register numbers in the VMCS field order (SDM B.1.2). */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };

/* The guest: this CPU as it is now (RSP, RIP, RFLAGS: virt_enter.S). */
static void setup_guest(void)
{
	struct desc_ptr gdt, idt;
	unsigned long gdt_base;
	u16 sel;
	u64 msr;

	unsigned long ldt_base = 0;

	native_store_gdt(&gdt);
	store_idt(&idt);
	gdt_base = gdt.address;
	asm("sldt %0" : "=r" (sel));
	write_seg(SEG_LDTR, sel, gdt_base, 0, true);
	if (sel)
		ldt_base = vmxhv_vmread(GUEST_LDTR_BASE);
	savesegment(es, sel);
	write_seg(SEG_ES, sel, gdt_base, ldt_base, false);
	savesegment(cs, sel);
	write_seg(SEG_CS, sel, gdt_base, ldt_base, false);
	savesegment(ss, sel);
	write_seg(SEG_SS, sel, gdt_base, ldt_base, false);
	savesegment(ds, sel);
	write_seg(SEG_DS, sel, gdt_base, ldt_base, false);
	savesegment(fs, sel);
	write_seg(SEG_FS, sel, gdt_base, ldt_base, false);
	savesegment(gs, sel);
	write_seg(SEG_GS, sel, gdt_base, ldt_base, false);
	asm("str %0" : "=r" (sel));
	write_seg(SEG_TR, sel, gdt_base, 0, true);
	/* In 64-bit mode FS and GS bases live in MSRs, not descriptors. */
	rdmsrl(MSR_FS_BASE, msr);
	vmxhv_vmwrite(GUEST_FS_BASE, msr);
	rdmsrl(MSR_GS_BASE, msr);
	vmxhv_vmwrite(GUEST_GS_BASE, msr);
	vmxhv_vmwrite(GUEST_GDTR_BASE, gdt.address);
	vmxhv_vmwrite(GUEST_GDTR_LIMIT, gdt.size);
	vmxhv_vmwrite(GUEST_IDTR_BASE, idt.address);
	vmxhv_vmwrite(GUEST_IDTR_LIMIT, idt.size);

	vmxhv_vmwrite(GUEST_CR0, read_cr0());
	vmxhv_vmwrite(GUEST_CR3, __read_cr3());
	vmxhv_vmwrite(GUEST_CR4, __read_cr4());
	vmxhv_vmwrite(GUEST_DR7, native_get_debugreg(7));
	rdmsrl(MSR_IA32_DEBUGCTLMSR, msr);
	vmxhv_vmwrite(GUEST_IA32_DEBUGCTL, msr);
	rdmsrl(MSR_IA32_SYSENTER_CS, msr);
	vmxhv_vmwrite(GUEST_SYSENTER_CS, msr);
	rdmsrl(MSR_IA32_SYSENTER_ESP, msr);
	vmxhv_vmwrite(GUEST_SYSENTER_ESP, msr);
	rdmsrl(MSR_IA32_SYSENTER_EIP, msr);
	vmxhv_vmwrite(GUEST_SYSENTER_EIP, msr);
	rdmsrl(MSR_EFER, msr);
	vmxhv_vmwrite(GUEST_IA32_EFER, msr);
	rdmsrl(MSR_IA32_CR_PAT, msr);
	vmxhv_vmwrite(GUEST_IA32_PAT, msr);
	vmxhv_vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmxhv_vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmxhv_vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
}

/* What every exit loads (SDM 28.5): the kernel's own values. */
static void setup_host(struct vmxhv_cpu *v)
{
	struct vmxhv_virt_frame *f = v->virt_stack + VMXHV_VIRT_STACK_BYTES - sizeof(*f);
	struct desc_ptr gdt, idt;
	u64 msr;

	native_store_gdt(&gdt);
	store_idt(&idt);
	vmxhv_vmwrite(HOST_CR0, read_cr0());
	vmxhv_vmwrite(HOST_CR3, __pa(host_pgd));
	vmxhv_vmwrite(HOST_CR4, __read_cr4());
	vmxhv_vmwrite(HOST_CS_SELECTOR, __KERNEL_CS);
	vmxhv_vmwrite(HOST_SS_SELECTOR, __KERNEL_DS);
	vmxhv_vmwrite(HOST_DS_SELECTOR, 0);
	vmxhv_vmwrite(HOST_ES_SELECTOR, 0);
	vmxhv_vmwrite(HOST_FS_SELECTOR, 0);
	vmxhv_vmwrite(HOST_GS_SELECTOR, 0);
	vmxhv_vmwrite(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	vmxhv_vmwrite(HOST_FS_BASE, 0);
	/* The kernel's per-CPU base: the handler uses this_cpu_*(). */
	rdmsrl(MSR_GS_BASE, msr);
	vmxhv_vmwrite(HOST_GS_BASE, msr);
	vmxhv_vmwrite(HOST_TR_BASE, vmxhv_tr_base());
	vmxhv_vmwrite(HOST_GDTR_BASE, gdt.address);
	vmxhv_vmwrite(HOST_IDTR_BASE, idt.address);
	rdmsrl(MSR_IA32_SYSENTER_CS, msr);
	vmxhv_vmwrite(HOST_IA32_SYSENTER_CS, msr);
	rdmsrl(MSR_IA32_SYSENTER_ESP, msr);
	vmxhv_vmwrite(HOST_IA32_SYSENTER_ESP, msr);
	rdmsrl(MSR_IA32_SYSENTER_EIP, msr);
	vmxhv_vmwrite(HOST_IA32_SYSENTER_EIP, msr);
	rdmsrl(MSR_IA32_CR_PAT, msr);
	vmxhv_vmwrite(HOST_IA32_PAT, msr);
	rdmsrl(MSR_EFER, msr);
	vmxhv_vmwrite(HOST_IA32_EFER, msr);
	vmxhv_vmwrite(HOST_RSP, (unsigned long)&f->rip);
	vmxhv_vmwrite(HOST_RIP, (unsigned long)vmxhv_virt_exit);
}

/*
 * After a CPU left non-root operation by itself (an exit without a
 * handler here, or a failed VMRESUME): say so, in interrupt context.
 */
static void virt_work_fn(struct irq_work *w)
{
	struct vmxhv_cpu *v = container_of(w, struct vmxhv_cpu, virt_work);
	u32 r = READ_ONCE(v->virt_unhandled);

	if (r == ~0U)
		pr_warn("cpu%d: devirtualized: VMRESUME failed (VM-instruction error %u)\n",
			v->cpu, v->stop.insn_error);
	else
		pr_warn("cpu%d: devirtualized: exit %s (%u) at %#llx is not handled in this mode; the instruction ran natively\n",
			v->cpu, vmxhv_exit_reason_name(r & 0xffff) ?: "UNKNOWN", r & 0xffff,
			v->stop.guest_rip);
	WRITE_ONCE(v->state, VMXHV_IDLE);
}

void vmxhv_virt_work_init(struct vmxhv_cpu *v)
{
	init_irq_work(&v->virt_work, virt_work_fn);
}

struct virt_on_result {
	struct vmxhv_cpu *v;
	const char *why;
	int err;
};

/* On the CPU, interrupts off (IPI): the kernel goes on as a guest. */
static void virt_on_this_cpu(void *arg)
{
	struct virt_on_result *r = arg;
	struct vmxhv_cpu *v = r->v;

	r->err = -ENODEV;
	r->why = "not in VMX operation";
	if (!READ_ONCE(v->vmx_on))
		return;
	r->err = -EIO;
	r->why = "VMCLEAR/VMPTRLD failed";
	if (vmxhv_vmclear(__pa(v->vmcs)) || vmxhv_vmptrld(__pa(v->vmcs)))
		return;
	v->launched = false;
	r->err = -EOPNOTSUPP;
	r->why = setup_controls(v);
	if (r->why)
		return;
	setup_host(v);
	setup_guest();
	v->virt_xcr0_supported = 0;
	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		unsigned int a, b, c, d;

		cpuid_count(0xd, 0, &a, &b, &c, &d);
		v->virt_xcr0_supported = (u64)d << 32 | a;
	}
	/* Translations an earlier user of this VPID may have left. */
	vmxhv_invvpid_all();
	this_cpu_write(virt_cpu, v);
	WRITE_ONCE(v->virt_on, true);
	if (vmxhv_virt_enter()) {
		WRITE_ONCE(v->virt_on, false);
		this_cpu_write(virt_cpu, NULL);
		r->err = -EIO;
		r->why = "VMLAUNCH failed";
		v->stop.insn_error = vmxhv_vmread(VM_INSTRUCTION_ERROR);
		return;
	}
	/*
	 * Back at the resume point, but in root operation: VM entry failed
	 * on the guest state (an exit with bit 31 set, which left at once).
	 */
	if (!READ_ONCE(v->virt_on)) {
		r->err = -EIO;
		r->why = "VM entry failed on the guest state (the line above names the exit)";
		return;
	}
	r->err = 0;
}

int vmxhv_virt_on(struct vmxhv_cpu *v)
{
	struct virt_on_result r = { .v = v };
	int err;

	err = smp_call_function_single(v->cpu, virt_on_this_cpu, &r, 1);
	if (err)
		return err;
	if (r.err) {
		if (v->stop.insn_error)
			pr_warn("cpu%d: cannot virtualize: %s (VM-instruction error %u)\n",
				v->cpu, r.why, v->stop.insn_error);
		else if (r.err == -EOPNOTSUPP)
			pr_warn("cpu%d: cannot virtualize: the CPU lacks %s\n", v->cpu, r.why);
		else
			pr_warn("cpu%d: cannot virtualize: %s\n", v->cpu, r.why);
	}
	return r.err;
}

/* Leave non-root operation on that CPU (vmxhv_virt_leave_frame does it). */
static void virt_off_this_cpu(void *arg)
{
	struct vmxhv_cpu *v = arg;

	if (READ_ONCE(v->virt_on))
		vmxhv_virt_vmcall(VMXHV_VIRT_CALL_LEAVE);
}

void vmxhv_virt_off(struct vmxhv_cpu *v)
{
	smp_call_function_single(v->cpu, virt_off_this_cpu, v, 1);
}

static __always_inline void write_cr(int n, unsigned long val)
{
	if (n == 0)
		asm volatile("mov %0, %%cr0" : : "r" (val) : "memory");
	else if (n == 3)
		asm volatile("mov %0, %%cr3" : : "r" (val) : "memory");
	else
		asm volatile("mov %0, %%cr4" : : "r" (val) : "memory");
}

/*
 * Leave non-root operation from an exit: restore what the exit changed
 * and the VMCS does not give back (SDM 28.5: GDTR/IDTR limits, LDTR, the
 * data segment registers, FS base, CR0/3/4 as the guest last had them,
 * DR7 and DEBUGCTL, which the exit cleared), and fill in the IRET frame
 * that continues the guest's code at GUEST_RIP in root operation.
 */
noinstr int vmxhv_virt_leave_frame(struct vmxhv_virt_frame *f)
{
	struct vmxhv_cpu *v = this_cpu_read(virt_cpu);
	struct desc_ptr dt;
	u16 sel;

	unsigned long cr3 = vmxhv_vmread(GUEST_CR3);

	/*
	 * Leaving at CPL 3 (a failed VM entry, an unknown exit of a process)
	 * with page-table isolation: a process's user table maps neither
	 * this code nor its stack.  Take its kernel twin (PTI's bit 12 and
	 * user-PCID bit 11 clear); the kernel keeps user memory NX there, so
	 * the process's first instruction faults and the kernel's return to
	 * user mode loads the user table again.
	 */
	if ((vmxhv_vmread(GUEST_SS_AR_BYTES) >> 5) & 3 &&
	    cpu_feature_enabled(X86_FEATURE_PTI))
		cr3 &= ~(BIT(12) | BIT(11));
	write_cr(4, vmxhv_vmread(GUEST_CR4));
	write_cr(0, vmxhv_vmread(GUEST_CR0));
	write_cr(3, cr3);
	dt.address = vmxhv_vmread(GUEST_GDTR_BASE);
	dt.size = vmxhv_vmread(GUEST_GDTR_LIMIT);
	native_load_gdt(&dt);
	dt.address = vmxhv_vmread(GUEST_IDTR_BASE);
	dt.size = vmxhv_vmread(GUEST_IDTR_LIMIT);
	native_load_idt(&dt);
	sel = vmxhv_vmread(GUEST_LDTR_SELECTOR);
	if (sel)
		asm volatile("lldt %0" : : "r" (sel));
	loadsegment(ds, vmxhv_vmread(GUEST_DS_SELECTOR));
	loadsegment(es, vmxhv_vmread(GUEST_ES_SELECTOR));
	loadsegment(fs, vmxhv_vmread(GUEST_FS_SELECTOR));
	virt_wrmsr(MSR_FS_BASE, vmxhv_vmread(GUEST_FS_BASE));
	/*
	 * GS: the exit left a null selector.  A 32-bit process's TLS
	 * selector is reloaded the way KVM's vmx_prepare_switch_to_host()
	 * does, keeping the inactive (user) base; the active base is
	 * written last, below.
	 */
	sel = vmxhv_vmread(GUEST_GS_SELECTOR);
	if (sel) {
		u64 kgs = virt_rdmsr(MSR_KERNEL_GS_BASE);

		instrumentation_begin();
		asm_load_gs_index(sel);
		instrumentation_end();
		virt_wrmsr(MSR_KERNEL_GS_BASE, kgs);
	}
	native_set_debugreg(7, vmxhv_vmread(GUEST_DR7));
	virt_wrmsr(MSR_IA32_DEBUGCTLMSR, vmxhv_vmread(GUEST_IA32_DEBUGCTL));
	/* The VMCS-held MSRs the guest may have written (virt_exits.c). */
	virt_wrmsr(MSR_IA32_SYSENTER_CS, vmxhv_vmread(GUEST_SYSENTER_CS));
	virt_wrmsr(MSR_IA32_SYSENTER_ESP, vmxhv_vmread(GUEST_SYSENTER_ESP));
	virt_wrmsr(MSR_IA32_SYSENTER_EIP, vmxhv_vmread(GUEST_SYSENTER_EIP));
	if (vmxhv_vmread(GUEST_IA32_PAT) != virt_rdmsr(MSR_IA32_CR_PAT))
		virt_wrmsr(MSR_IA32_CR_PAT, vmxhv_vmread(GUEST_IA32_PAT));
	if (vmxhv_vmread(GUEST_IA32_EFER) != virt_rdmsr(MSR_EFER))
		virt_wrmsr(MSR_EFER, vmxhv_vmread(GUEST_IA32_EFER));

	/*
	 * Root-mode translations from before the switch were never flushed
	 * while the kernel ran as a guest; the exits left the TR limit at
	 * 0x67 (the kernel refreshes it before an I/O bitmap needs it).
	 */
	vmxhv_virt_flush_root_tlb();
	instrumentation_begin();
	invalidate_tss_limit();
	instrumentation_end();

	f->rip = vmxhv_vmread(GUEST_RIP);
	f->cs = vmxhv_vmread(GUEST_CS_SELECTOR);
	f->rflags = vmxhv_vmread(GUEST_RFLAGS);
	f->rsp = vmxhv_vmread(GUEST_RSP);
	f->ss = vmxhv_vmread(GUEST_SS_SELECTOR);
	/* virt_enter.S loads it last, after the per-CPU accesses. */
	f->gs_base = vmxhv_vmread(GUEST_GS_BASE);
	this_cpu_write(virt_cpu, NULL);
	if (v)
		WRITE_ONCE(v->virt_on, false);
	return 1;
}

/* VMRESUME failed (virt_enter.S): the kernel goes on in root operation. */
noinstr void vmxhv_virt_resume_failed(struct vmxhv_virt_frame *f)
{
	struct vmxhv_cpu *v = this_cpu_read(virt_cpu);

	bool ibrs = cpu_feature_enabled(X86_FEATURE_KERNEL_IBRS);

	/* The handler gave the guest its SPEC_CTRL back before VMRESUME. */
	if (ibrs && v) {
		virt_wrmsr(MSR_IA32_SPEC_CTRL, this_cpu_read(x86_spec_ctrl_current));
		barrier_nospec();
	}
	__preempt_count_add(NMI_OFFSET + HARDIRQ_OFFSET);
	if (v) {
		vmxhv_virt_mtf_restore(v);
		v->stop.vmfail = true;
		v->stop.insn_error = vmxhv_vmread(VM_INSTRUCTION_ERROR);
		v->virt_unhandled = ~0U;
		instrumentation_begin();
		irq_work_queue(&v->virt_work);
		instrumentation_end();
	}
	vmxhv_virt_leave_frame(f);
	__preempt_count_sub(NMI_OFFSET + HARDIRQ_OFFSET);
	if (ibrs && v)
		virt_wrmsr(MSR_IA32_SPEC_CTRL, v->virt_spec_ctrl);
}

/*
 * C entry of every exit of a virtualized CPU (virt_enter.S), on its host
 * stack, interrupts off.  It may have interrupted anything, even NMI
 * code: it counts as NMI context for what it calls (in_nmi()), so the
 * ring buffer and BPF take their NMI-safe paths.
 */
noinstr int vmxhv_virt_exit_handler(struct vmxhv_virt_frame *f)
{
	struct vmxhv_cpu *v = this_cpu_read(virt_cpu);
	u32 reason = vmxhv_vmread(VM_EXIT_REASON);
	bool ibrs = cpu_feature_enabled(X86_FEATURE_KERNEL_IBRS);
	u64 host_spec_ctrl = 0;
	enum vmxhv_virt_action a;
	int leave = 0;

	/*
	 * Legacy IBRS protects only after a write in the more privileged
	 * mode: write the kernel's value, as after every kernel entry
	 * (IBRS_ENTER) and KVM's vmx_spec_ctrl_restore_host(), and give
	 * the guest back its own (a user process's has IBRS clear).
	 */
	if (ibrs && v) {
		host_spec_ctrl = this_cpu_read(x86_spec_ctrl_current);
		v->virt_spec_ctrl = virt_rdmsr(MSR_IA32_SPEC_CTRL);
		virt_wrmsr(MSR_IA32_SPEC_CTRL, host_spec_ctrl);
		barrier_nospec();
	}
	__preempt_count_add(NMI_OFFSET + HARDIRQ_OFFSET);
	a = vmxhv_virt_dispatch(v, f, reason);
	if (a == VMXHV_VIRT_LEAVE)
		leave = vmxhv_virt_leave_frame(f);
	__preempt_count_sub(NMI_OFFSET + HARDIRQ_OFFSET);
	if (ibrs && v && v->virt_spec_ctrl != host_spec_ctrl)
		virt_wrmsr(MSR_IA32_SPEC_CTRL, v->virt_spec_ctrl);
	return leave;
}
