/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxhv internal interfaces: the per-CPU object and the functions the
 * source files offer each other.
 */
#ifndef VMXHV_H
#define VMXHV_H

#include <linux/cpumask.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/completion.h>
#include <linux/bitmap.h>
#include <linux/irq_work.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "vmxhv/caps.h"
#include "vmxhv/exit_reasons.h"
#include "vmxhv/vmcs_fields.h"
#include "regs.h"

#define VMXHV_GUEST_MEM_BYTES	(2UL << 20)
#define VMXHV_GUEST_PAGES	(VMXHV_GUEST_MEM_BYTES >> PAGE_SHIFT)
#define VMXHV_IMAGE_GPA		0x10000UL
#define VMXHV_IMAGE_MAX		(VMXHV_GUEST_MEM_BYTES - VMXHV_IMAGE_GPA)
#define VMXHV_CONSOLE_BYTES	(64UL << 10)
#define VMXHV_TIMEOUT_DEFAULT	2000U
#define VMXHV_TIMEOUT_MAX	3600000U

/* DR7: bit 10 always reads 1; bits 0-7 enable the four breakpoints. */
#define VMXHV_DR7_FIXED_1	0x400UL
#define VMXHV_DR7_ENABLES	0xffUL

/* Per-reason exit counters cover every basic reason the SDM names. */
#define VMXHV_NR_EXIT_REASONS	(VMXHV_EXIT_MAX + 1)

enum vmxhv_mode { VMXHV_MODE_LONG, VMXHV_MODE_PROTECTED, VMXHV_MODE_REAL };

/* Outcome of a launch, as `status` names it. */
enum vmxhv_state {
	VMXHV_IDLE,
	VMXHV_RUNNING,
	VMXHV_HALTED,
	VMXHV_TIMEOUT,
	VMXHV_INTERRUPTED,
	VMXHV_FAILED,
	VMXHV_FAULT,
	VMXHV_VIRTUALIZED,	/* the running kernel is its guest (virt.c) */
};

/* What the last stop recorded, for `status`. */
struct vmxhv_stop {
	u32 exit_reason;	/* full exit-reason word */
	u64 qualification;
	u64 guest_rip;
	u64 gpa;		/* EPT violation/misconfig */
	u32 insn_error;		/* VM_INSTRUCTION_ERROR after VMfailValid */
	int exception;		/* intercepted vector, or -1 */
	u32 error_code;
	bool has_error_code;
	bool has_gpa;
	bool vmfail;		/* VMLAUNCH/VMRESUME itself failed */
};

/* Guest memory and the structures that map it (ept.c). */
struct vmxhv_mem {
	struct page *ram[VMXHV_GUEST_PAGES];
	u64 *pml4, *pdpt, *pd, *pt;	/* EPT paging structures */
	u64 eptp;
	bool dirty_flags;		/* EPT accessed/dirty flags in use */
	DECLARE_BITMAP(host_dirty, VMXHV_GUEST_PAGES);	/* written by us */
	DECLARE_BITMAP(cleared, VMXHV_GUEST_PAGES);	/* by the last reset */
};

/*
 * MSRs the VMCS does not switch but the guest can reach (SWAPGS,
 * SYSCALL): the guest's values are loaded only while it runs.
 */
enum vmxhv_switched_msr {
	VMXHV_MSR_KERNEL_GS_BASE,
	VMXHV_MSR_STAR,
	VMXHV_MSR_LSTAR,
	VMXHV_MSR_CSTAR,
	VMXHV_MSR_SFMASK,
	VMXHV_NR_SWITCHED_MSRS
};

/* Virtual values of the MSRs and registers the guest may "own". */
struct vmxhv_guest_virt {
	u64 msr[VMXHV_NR_SWITCHED_MSRS];
	u64 xcr0;
	unsigned long dr[4], dr6;
	unsigned long cr2, cr8;
};

/*
 * One CPU's hypervisor.  Allocated when the CPU is selected, kept while
 * it is offline, freed when it is deselected.  Fields marked [cpu] are
 * only touched on that CPU with interrupts off.
 */
struct vmxhv_cpu {
	int cpu;
	bool vmx_on;			/* [cpu] in VMX operation */
	void *vmxon_region;
	void *vmcs;
	void *msr_bitmap, *io_bitmap_a, *io_bitmap_b;
	void *msr_load;			/* pmu.c: guest, then host MSR-load list */
	unsigned int nr_msr_load;	/* entries in each, as in the VMCS */
	void *xsave;			/* guest FPU state (XSAVE layout) */
	struct vmxhv_mem mem;
	struct dentry *dir;
	void *file_refs;		/* cpufiles.c's per-file data */

	/* Serializes configuration against launches; never held long. */
	struct mutex lock;
	bool running;
	bool dying;			/* leaving VMX operation */
	wait_queue_head_t idle_wq;	/* woken when running drops */

	/* VMCS fields: what VMREAD accepts here, and the sticky overrides. */
	DECLARE_BITMAP(fields, VMXHV_NR_FIELDS);
	DECLARE_BITMAP(ovr_set, VMXHV_NR_FIELDS);	/* under lock */
	u64 ovr_val[VMXHV_NR_FIELDS];

	/* Configuration (under lock). */
	u8 *image;			/* vmalloc'd guest image */
	size_t image_len;
	unsigned int timeout_ms;
	enum vmxhv_mode mode;
	int built_mode;			/* structures in guest RAM are for it */

	/* The run in progress: written by the run thread. */
	bool go;			/* the runner's cue */
	struct completion done;
	unsigned long host_cr3;		/* HOST_CR3 as last written */
	unsigned long host_cr4;		/* HOST_CR4 as last written */
	u32 exit_intr_info;		/* VM_EXIT_INTR_INFO of an exception exit */
	bool guest_bp;			/* guest DR7 enables a breakpoint */
	bool l1d_flush;			/* flush L1D before the next entry */
	bool stop_requested;		/* signal, removal, unload */
	bool launched;			/* VMLAUNCH done, VMRESUME next */
	unsigned long gprs[VMXHV_NR_GPRS];
	struct vmxhv_guest_virt virt;
	u64 start_ns;
	u64 slice_tsc;

	/* Results of the last launch (read by status/regs/exits/console). */
	enum vmxhv_state state;
	struct vmxhv_stop stop;
	u64 nr_exits;
	u64 run_ns;
	u64 rip, rflags, rsp;
	u32 exit_counts[VMXHV_NR_EXIT_REASONS];
	char entry_failure[256];	/* the checker's word on a failed entry */
	u8 *console;			/* ring of VMXHV_CONSOLE_BYTES */
	u64 console_len;		/* total bytes written in the launch */

	/* Virtualizing the running kernel (virt.c). */
	bool virt_on;			/* [cpu] its kernel runs in non-root mode */
	bool virt_busy;			/* under lock: being switched, no launch */
	void *virt_stack;		/* the exit handler's stack */
	void *virt_msr_bitmap, *virt_io_bitmap_a, *virt_io_bitmap_b;
	/* The next selection is built here, then swapped in (virt_lists.c). */
	void *virt_spare_msr_bitmap, *virt_spare_io_bitmap_a, *virt_spare_io_bitmap_b;
	bool virt_swap_io;		/* under lock: which ones swap_on_cpu() swaps */
	u64 virt_swap_pa[2];		/* under lock: the spares' physical addresses */
	u64 virt_xcr0_supported;	/* XCR0 bits the CPU supports */
	u16 virt_vpid;			/* its VPID in non-root operation */
	u64 trace_dropped;		/* events not traced: RCU not watching */
	bool virt_tlb_clean;		/* [cpu] root TLB flushed in this exit */
	u32 virt_unhandled;		/* exit reason that made it leave */
	u64 virt_spec_ctrl;		/* [cpu] the guest's SPEC_CTRL (legacy IBRS) */
	u16 virt_mtf_port;		/* [cpu] string I/O let through, until MTF */
	u8 virt_mtf_bits;		/* [cpu] its bitmap bits taken out, by byte */
	u32 virt_io_dropped;		/* ports that stopped exiting (no MTF) */
	struct irq_work virt_work;	/* logs that leave */
};

/* caps.c */
extern struct vmxhv_caps vmxhv_caps;
extern bool vmxhv_has_debugctl;
extern u64 vmxhv_guest_xcr0;		/* XCR0 components a guest may enable */
int vmxhv_caps_read(void);
const char *vmxhv_caps_differ(void);

/* cpu.c: VMX operation and the set of CPUs */
extern struct mutex vmxhv_lock;
extern bool vmxhv_unsafe;
int vmxhv_cpus_set(const struct cpumask *want);
void vmxhv_cpus_show(struct cpumask *out);
int vmxhv_virtualized_set(const struct cpumask *want);
void vmxhv_virtualized_show(struct cpumask *out);
int vmxhv_cpu_init(const struct cpumask *initial);
void vmxhv_cpu_exit(void);
DECLARE_PER_CPU(struct vmxhv_cpu *, vmxhv_vmx_cpu);

/* emergency.c: the kernel's emergency virtualization callback */
void vmxhv_emergency_init(void);
void vmxhv_emergency_exit(void);

/* vmx_ops.c: VMWRITE failures nobody checked */
void vmxhv_vmwrite_failures_reset(void);
unsigned int vmxhv_vmwrite_failures(const struct vmxhv_cpu *v);
void vmxhv_vmwrite_report(const struct vmxhv_cpu *v);

/* mitigations.c: speculation mitigations around guest execution */
struct seq_file;
extern bool vmxhv_l1d_cond, vmxhv_l1d_always;
int vmxhv_mitigations_init(void);
void vmxhv_mitigations_exit(void);
void vmxhv_l1d_flush(void);
void vmxhv_mitigations_show(struct seq_file *m);

/* pmu.c: the host's perf MSRs around guest mode */
#define VMXHV_MAX_PERF_MSRS	8
void vmxhv_pmu_setup(struct vmxhv_cpu *v);
void vmxhv_pmu_switch(struct vmxhv_cpu *v);

/* pcpu.c: the physical-CPU object */
unsigned int vmxhv_xsave_size(void);
unsigned long vmxhv_tr_base(void);
struct vmxhv_cpu *vmxhv_pcpu_alloc(int cpu);
void vmxhv_pcpu_free(struct vmxhv_cpu *v);

/* guest_vmcs.c: the separate guest's controls and host state */
int vmxhv_vmcs_setup(struct vmxhv_cpu *v);

/* ept.c: guest memory */
int vmxhv_mem_alloc(struct vmxhv_mem *m);
void vmxhv_mem_free(struct vmxhv_mem *m);
void vmxhv_mem_reset(struct vmxhv_mem *m);
void *vmxhv_gpa_raw(struct vmxhv_mem *m, u64 gpa);
void vmxhv_gpa_mark(struct vmxhv_mem *m, u64 gpa);
int vmxhv_mem_write(struct vmxhv_mem *m, u64 gpa, const void *src, size_t len);

/* guest.c: initial guest state per mode */
void vmxhv_guest_mem_prepare(struct vmxhv_cpu *v);
void vmxhv_guest_mem_build(struct vmxhv_cpu *v);
void vmxhv_guest_build(struct vmxhv_cpu *v);

/* run.c: the run loop */
int vmxhv_launch(struct vmxhv_cpu *v);
void vmxhv_results_reset(struct vmxhv_cpu *v);
int vmxhv_runners_init(void);
void vmxhv_runners_exit(void);
void vmxhv_runner_attach(struct vmxhv_cpu *v);
void vmxhv_stop_guest(struct vmxhv_cpu *v);
const char *vmxhv_state_name(enum vmxhv_state s);

/* msr.c: the emulated MSRs */
int vmxhv_msr_read(struct vmxhv_cpu *v, u32 msr, u64 *val);
int vmxhv_msr_write(struct vmxhv_cpu *v, u32 msr, u64 val);

/* exits.c */
enum vmxhv_exit_action { VMXHV_RESUME, VMXHV_STOP };

/* An exception-or-NMI exit (reason 0) for an NMI, or for a machine check. */
static inline bool vmxhv_exit_is_nmi(u32 intr_info)
{
	return (intr_info & (INTR_INFO_VALID_MASK | INTR_INFO_INTR_TYPE_MASK)) ==
	       (INTR_INFO_VALID_MASK | INTR_TYPE_NMI_INTR);
}

static inline bool vmxhv_exit_is_mc(u32 intr_info)
{
	return (intr_info & (INTR_INFO_VALID_MASK | INTR_INFO_INTR_TYPE_MASK |
			     INTR_INFO_VECTOR_MASK)) ==
	       (INTR_INFO_VALID_MASK | INTR_TYPE_HARD_EXCEPTION | X86_TRAP_MC);
}

enum vmxhv_exit_action vmxhv_handle_exit(struct vmxhv_cpu *v, u32 reason);

/* vmenter.S */
int vmxhv_vmenter(unsigned long *gprs, unsigned long launched);
extern const char vmxhv_vmexit[];	/* HOST_RIP: label in vmxhv_vmenter */
void vmxhv_do_nmi_irqoff(void);

/* vmcs_files.c */
void vmxhv_vmcs_probe(struct vmxhv_cpu *v);
void vmxhv_overrides_apply(struct vmxhv_cpu *v);
int vmxhv_vmcs_read_all(struct vmxhv_cpu *v, u64 *vals);
int vmxhv_vmcs_files_create(struct vmxhv_cpu *v);
int vmxhv_dump_show(struct seq_file *m, struct vmxhv_cpu *v);
int vmxhv_overrides_show(struct seq_file *m, struct vmxhv_cpu *v);
int vmxhv_overrides_store(struct vmxhv_cpu *v, char *arg);

/* entry_check.c */
int vmxhv_check_show(struct seq_file *m, struct vmxhv_cpu *v);
void vmxhv_explain_failure(struct vmxhv_cpu *v);

/* debugfs.c / cpufiles.c */
extern struct dentry *vmxhv_debugfs_root;
extern unsigned int vmxhv_nr_vmcs_files;
int vmxhv_debugfs_init(void);
void vmxhv_debugfs_exit(void);
int vmxhv_cpufiles_init(void);
int vmxhv_cpufiles_create(struct vmxhv_cpu *v);
void vmxhv_cpufiles_remove(struct vmxhv_cpu *v);

/* unpinned.c */
const struct file_operations *vmxhv_unpinned_init(const struct file_operations *tmpl);
void vmxhv_unpinned_removed(struct dentry *d);
void vmxhv_unpinned_exit(void);

#endif /* VMXHV_H */
