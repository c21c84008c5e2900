// SPDX-License-Identifier: GPL-2.0
/*
 * The separate guest's VMCS: control and host-state fields, written at
 * the start of every launch (the virtualized kernel's are in virt.c).
 */
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/vmx.h>

#include "vmxhv.h"
#include "vmx_ops.h"
#include "vmxhv/cpu_rules.h"

/* Controls the module wants; vmxhv_ctl_adjust() fits them to the CPU. */
#define WANT_PIN	(PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING | \
			 PIN_BASED_VMX_PREEMPTION_TIMER)
#define WANT_PROC	(CPU_BASED_HLT_EXITING | CPU_BASED_MWAIT_EXITING | \
			 CPU_BASED_MONITOR_EXITING | CPU_BASED_RDPMC_EXITING | \
			 CPU_BASED_CR8_LOAD_EXITING | \
			 CPU_BASED_CR8_STORE_EXITING | \
			 CPU_BASED_MOV_DR_EXITING | \
			 CPU_BASED_UNCOND_IO_EXITING | \
			 CPU_BASED_USE_IO_BITMAPS | CPU_BASED_USE_MSR_BITMAPS | \
			 CPU_BASED_USE_TSC_OFFSETTING | \
			 CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)
#define WANT_PROC2	(SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID | \
			 SECONDARY_EXEC_UNRESTRICTED_GUEST | \
			 SECONDARY_EXEC_ENABLE_RDTSCP | \
			 SECONDARY_EXEC_ENABLE_INVPCID | \
			 SECONDARY_EXEC_WBINVD_EXITING)
#define WANT_EXIT	(VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_PAT | \
			 VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_IA32_EFER | \
			 VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_DEBUG_CONTROLS)
#define WANT_ENTRY	(VM_ENTRY_LOAD_IA32_PAT | VM_ENTRY_LOAD_IA32_EFER | \
			 VM_ENTRY_LOAD_DEBUG_CONTROLS)

static void setup_controls(struct vmxhv_cpu *v)
{
	const struct vmxhv_caps *c = &vmxhv_caps;

	vmxhv_vmwrite(PIN_BASED_VM_EXEC_CONTROL, vmxhv_ctl_adjust(&c->pin, WANT_PIN));
	vmxhv_vmwrite(CPU_BASED_VM_EXEC_CONTROL, vmxhv_ctl_adjust(&c->proc, WANT_PROC));
	vmxhv_vmwrite(SECONDARY_VM_EXEC_CONTROL, vmxhv_ctl_adjust(&c->proc2, WANT_PROC2));
	vmxhv_vmwrite(VM_EXIT_CONTROLS, vmxhv_ctl_adjust(&c->exit, WANT_EXIT));
	vmxhv_vmwrite(VM_ENTRY_CONTROLS, vmxhv_ctl_adjust(&c->entry, WANT_ENTRY));
	/* Every guest exception exits (abi.md, "Exceptions"). */
	vmxhv_vmwrite(EXCEPTION_BITMAP, ~0U);
	vmxhv_vmwrite(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmxhv_vmwrite(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmxhv_vmwrite(CR3_TARGET_COUNT, 0);
	/* The bits the host keeps (cpu_rules.h); the guest owns the rest. */
	vmxhv_vmwrite(CR0_GUEST_HOST_MASK, VMXHV_CR0_HOST_OWNED);
	vmxhv_vmwrite(CR4_GUEST_HOST_MASK, VMXHV_CR4_HOST_OWNED);
	vmxhv_vmwrite(IO_BITMAP_A, __pa(v->io_bitmap_a));
	vmxhv_vmwrite(IO_BITMAP_B, __pa(v->io_bitmap_b));
	vmxhv_vmwrite(MSR_BITMAP, __pa(v->msr_bitmap));
	vmxhv_vmwrite(TSC_OFFSET, 0);
	vmxhv_vmwrite(VM_EXIT_MSR_STORE_COUNT, 0);
	vmxhv_pmu_setup(v);
	vmxhv_vmwrite(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmxhv_vmwrite(VIRTUAL_PROCESSOR_ID, v->cpu + 1);
	vmxhv_vmwrite(EPT_POINTER, v->mem.eptp);
}

/*
 * Host state: what the CPU loads on every VM exit (SDM 28.5).  CR3 and
 * CR4 can change while the guest runs (lazy address spaces, CR4.PCE
 * follows the mm): run.c refreshes them before each entry.
 */
static void setup_host(struct vmxhv_cpu *v)
{
	struct desc_ptr gdt, idt;
	u64 msr;

	native_store_gdt(&gdt);
	store_idt(&idt);
	vmxhv_vmwrite(HOST_CR0, read_cr0());
	v->host_cr3 = __read_cr3();
	vmxhv_vmwrite(HOST_CR3, v->host_cr3);
	v->host_cr4 = cr4_read_shadow();
	vmxhv_vmwrite(HOST_CR4, v->host_cr4);
	vmxhv_vmwrite(HOST_CS_SELECTOR, __KERNEL_CS);
	vmxhv_vmwrite(HOST_SS_SELECTOR, __KERNEL_DS);
	/* A 64-bit kernel needs no DS/ES/FS/GS selectors; bases follow. */
	vmxhv_vmwrite(HOST_DS_SELECTOR, 0);
	vmxhv_vmwrite(HOST_ES_SELECTOR, 0);
	vmxhv_vmwrite(HOST_FS_SELECTOR, 0);
	vmxhv_vmwrite(HOST_GS_SELECTOR, 0);
	vmxhv_vmwrite(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	rdmsrl(MSR_FS_BASE, msr);
	vmxhv_vmwrite(HOST_FS_BASE, msr);
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
	vmxhv_vmwrite(HOST_RIP, (unsigned long)vmxhv_vmexit);
}

/*
 * Fresh VMCS for a launch, on this CPU with interrupts off: VMCLEAR
 * puts it in the clear state so that VMLAUNCH (not VMRESUME) is next.
 */
int vmxhv_vmcs_setup(struct vmxhv_cpu *v)
{
	if (vmxhv_vmclear(__pa(v->vmcs)) || vmxhv_vmptrld(__pa(v->vmcs)))
		return -EIO;
	v->launched = false;
	setup_controls(v);
	setup_host(v);
	vmxhv_guest_build(v);
	vmxhv_overrides_apply(v);
	return 0;
}
