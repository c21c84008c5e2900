/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The second kind of guest: the running kernel of a virtualized CPU.
 * virt.c enters and leaves that mode, virt_exits.c handles its exits,
 * virt_enter.S switches worlds.
 */
#ifndef VMXHV_VIRT_H
#define VMXHV_VIRT_H

#include <linux/types.h>
#include <asm/cpufeature.h>
#include <asm/invpcid.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <asm/special_insns.h>

#include "regs.h"

/* Host stack of a virtualized CPU's exit handler. */
#define VMXHV_VIRT_STACK_ORDER	2
#define VMXHV_VIRT_STACK_BYTES	(PAGE_SIZE << VMXHV_VIRT_STACK_ORDER)

/*
 * What an exit leaves at the top of the host stack (virt_enter.S): the
 * guest's registers, then an IRET frame used only to leave non-root
 * operation (virt.c fills it in).  HOST_RSP points at @rip.
 */
struct vmxhv_virt_frame {
	unsigned long gprs[VMXHV_NR_GPRS];
	unsigned long rip, cs, rflags, rsp, ss;
	unsigned long gs_base;	/* loaded just before the IRET; keeps alignment */
};

/* VMCALL numbers (RAX) the virtualized kernel's vmxhv code uses. */
#define VMXHV_VIRT_CALL_LEAVE	0x766d7868766f6666ULL	/* "vmxhvoff" */
#define VMXHV_VIRT_CALL_MSR_BITMAP 0x766d7868766d7372ULL	/* "vmxhvmsr" */
#define VMXHV_VIRT_CALL_IO_BITMAPS 0x766d78687670696fULL	/* "vmxhvpio" */

/* What an exit handler of a virtualized CPU asks for. */
enum vmxhv_virt_action {
	VMXHV_VIRT_RESUME,	/* VMRESUME */
	VMXHV_VIRT_LEAVE,	/* leave non-root operation, at GUEST_RIP */
};

struct vmxhv_cpu;

/*
 * Drop every root-mode (VPID 0) translation, global ones too.  While a
 * CPU is virtualized its kernel flushes only its own VPID, so what the
 * exit handler cached in root mode can go stale.  The exit path itself
 * touches only memory whose mapping cannot change (module memory, the
 * direct map); this runs before anything else (the tracepoint's probes)
 * and when the CPU leaves non-root operation.
 */
static __always_inline void vmxhv_virt_flush_root_tlb(void)
{
	unsigned long cr4;

	if (boot_cpu_has(X86_FEATURE_INVPCID)) {
		invpcid_flush_all();
		return;
	}
	cr4 = __read_cr4();
	asm volatile("mov %0, %%cr4" : : "r" (cr4 ^ X86_CR4_PGE) : "memory");
	asm volatile("mov %0, %%cr4" : : "r" (cr4) : "memory");
}

/*
 * MSR access in the exit path: the bare instructions.  native_read_msr()
 * and native_write_msr() fire the msr:read_msr/write_msr tracepoints,
 * which must not run here (KVM's vmx_spec_ctrl_restore_host() uses
 * __rdmsr() for the same reason).
 */
static __always_inline u64 virt_rdmsr(u32 msr)
{
	return __rdmsr(msr);
}

static __always_inline void virt_wrmsr(u32 msr, u64 val)
{
	__wrmsr(msr, (u32)val, (u32)(val >> 32));
}

/* virt.c */
int vmxhv_virt_alloc(struct vmxhv_cpu *v);
void vmxhv_virt_free(struct vmxhv_cpu *v);
int vmxhv_virt_on(struct vmxhv_cpu *v);
void vmxhv_virt_off(struct vmxhv_cpu *v);
int vmxhv_virt_init(void);
void vmxhv_virt_exit_module(void);
void vmxhv_virt_work_init(struct vmxhv_cpu *v);
int vmxhv_virt_leave_frame(struct vmxhv_virt_frame *f);
/* Called from virt_enter.S only. */
int vmxhv_virt_exit_handler(struct vmxhv_virt_frame *f);
void vmxhv_virt_resume_failed(struct vmxhv_virt_frame *f);

/* virt_lists.c: cpuN/msr_exits and cpuN/io_exits */
struct seq_file;
int vmxhv_msr_exits_show(struct seq_file *m, struct vmxhv_cpu *v);
int vmxhv_msr_exits_store(struct vmxhv_cpu *v, char *arg);
int vmxhv_io_exits_show(struct seq_file *m, struct vmxhv_cpu *v);
int vmxhv_io_exits_store(struct vmxhv_cpu *v, char *arg);

void vmxhv_virt_mtf_restore(struct vmxhv_cpu *v);

/* virt_exits.c */
enum vmxhv_virt_action vmxhv_virt_dispatch(struct vmxhv_cpu *v,
					   struct vmxhv_virt_frame *f, u32 reason);

/* virt_enter.S */
int vmxhv_virt_enter(void);
void vmxhv_virt_vmcall(unsigned long nr);
extern const char vmxhv_virt_exit[];	/* HOST_RIP */

#endif /* VMXHV_VIRT_H */
