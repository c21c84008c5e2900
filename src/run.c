// SPDX-License-Identifier: GPL-2.0
/*
 * The run loop.  Each CPU has a runner thread bound to it; a write to
 * `launch` hands it the guest and sleeps until it stops.
 *
 * Guest execution is cut into slices.  A slice runs with preemption off
 * (the guest's FPU state and MSRs are loaded on the CPU) and interrupts
 * on between VM exits; it ends after about half a scheduler tick (the
 * VMX preemption timer guarantees an exit to notice it), at
 * need_resched(), or when the guest stops.  Between slices the thread
 * may sleep (it stays on its CPU) and notices signals, timeouts and
 * removal.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/smpboot.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/topology.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/hardirq.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/tsc.h>
#include <asm/vmx.h>

#include "vmxhv.h"
#include "vmx_ops.h"
#include "vmxhv_trace.h"

static const char * const state_names[] = {
	[VMXHV_IDLE] = "idle",
	[VMXHV_RUNNING] = "running",
	[VMXHV_HALTED] = "halted",
	[VMXHV_TIMEOUT] = "timeout",
	[VMXHV_INTERRUPTED] = "interrupted",
	[VMXHV_FAILED] = "failed",
	[VMXHV_FAULT] = "fault",
	[VMXHV_VIRTUALIZED] = "virtualized",
};

const char *vmxhv_state_name(enum vmxhv_state s)
{
	return state_names[s];
}

/* The real MSRs behind enum vmxhv_switched_msr, in its order. */
static const u32 switched_msrs[VMXHV_NR_SWITCHED_MSRS] = {
	[VMXHV_MSR_KERNEL_GS_BASE] = MSR_KERNEL_GS_BASE,
	[VMXHV_MSR_STAR] = MSR_STAR,
	[VMXHV_MSR_LSTAR] = MSR_LSTAR,
	[VMXHV_MSR_CSTAR] = MSR_CSTAR,
	[VMXHV_MSR_SFMASK] = MSR_SYSCALL_MASK,
};

struct host_save {
	u64 msr[VMXHV_NR_SWITCHED_MSRS];
	u64 xcr0;
	u16 ldt;
};

static void xsave_guest(struct vmxhv_cpu *v)
{
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		asm volatile("xsave64 %0" : "+m" (*(u8 *)v->xsave)
			     : "a" (-1), "d" (-1) : "memory");
	else
		asm volatile("fxsave64 %0" : "+m" (*(u8 *)v->xsave) :: "memory");
}

static void xrstor_guest(struct vmxhv_cpu *v)
{
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		asm volatile("xrstor64 %0" :: "m" (*(u8 *)v->xsave),
			     "a" (-1), "d" (-1) : "memory");
	else
		asm volatile("fxrstor64 %0" :: "m" (*(u8 *)v->xsave) : "memory");
}

/*
 * The FPU state a guest starts with: every XSAVE component in its init
 * state (XSTATE_BV = 0), MXCSR and the x87 control word at their reset
 * values, which (F)XRSTOR loads from the legacy area.
 */
static void fpu_reset(struct vmxhv_cpu *v)
{
	u8 *area = v->xsave;

	memset(area, 0, vmxhv_xsave_size());
	*(u16 *)(area + 0) = 0x037f;	/* FCW */
	*(u32 *)(area + 24) = 0x1f80;	/* MXCSR */
}

static void slice_begin(struct vmxhv_cpu *v, struct host_save *h)
{
	unsigned int i;

	/*
	 * Owning the FPU: kernel_fpu_begin saves the interrupted user
	 * state and makes sure the kernel reloads it before user space
	 * runs again, so guest vector registers never leak to a task.
	 */
	kernel_fpu_begin_mask(0);
	xrstor_guest(v);
	for (i = 0; i < ARRAY_SIZE(switched_msrs); i++) {
		rdmsrl(switched_msrs[i], h->msr[i]);
		wrmsrl(switched_msrs[i], v->virt.msr[i]);
	}
	h->xcr0 = boot_cpu_has(X86_FEATURE_XSAVE) ? xgetbv(0) : 0;
	store_ldt(h->ldt);
	/* Anything may have run since the last slice (mitigations.c). */
	v->l1d_flush = true;
}

static void slice_end(struct vmxhv_cpu *v, struct host_save *h)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(switched_msrs); i++) {
		rdmsrl(switched_msrs[i], v->virt.msr[i]);
		wrmsrl(switched_msrs[i], h->msr[i]);
	}
	xsave_guest(v);
	/* VM exits cut the GDT limit to 0xffff and the TR limit to 0x67. */
	load_fixmap_gdt(smp_processor_id());
	invalidate_tss_limit();
	/*
	 * ...and load a null LDTR.  The lazily held address space may be a
	 * process's with an LDT (modify_ldt), and switching back to that
	 * process reloads nothing (KVM's vmx_prepare_switch_to_host).
	 */
	if (unlikely(h->ldt))
		asm volatile("lldt %0" :: "rm" (h->ldt));
	kernel_fpu_end();
	/*
	 * VMSCAPE: where the kernel asks for it, an IBPB before the next
	 * return to user space, so no user task trains on what the guest
	 * left in the predictors (KVM's vcpu_enter_guest does the same).
	 */
	if (cpu_feature_enabled(X86_FEATURE_IBPB_EXIT_TO_USER))
		this_cpu_write(x86_ibpb_exit_to_user, true);
}

static bool stop_pending(struct vmxhv_cpu *v)
{
	return READ_ONCE(v->stop_requested);
}

/*
 * A machine check in guest mode (an exception exit for vector 18, or exit
 * 41 during VM entry) was consumed by the exit: the host's handler must
 * still see it, or MCIP stays set and a broadcast #MC waits forever for
 * this CPU.  The frame says user mode: the guest, not the kernel, was
 * interrupted (KVM's kvm_machine_check does the same).
 */
static void host_machine_check(void)
{
#ifdef CONFIG_X86_MCE
	struct pt_regs regs = { .cs = 3, .flags = X86_EFLAGS_IF };

	do_machine_check(&regs);
#endif
}

/*
 * NMIs and machine checks go to the host first, before any other VMREAD
 * or state change, as KVM's vmx_vcpu_enter_exit does for NMIs.
 */
static void host_events_first(struct vmxhv_cpu *v, u32 reason)
{
	u32 basic = reason & 0xffff;

	if (basic == EXIT_REASON_EXCEPTION_NMI) {
		v->exit_intr_info = vmxhv_vmread(VM_EXIT_INTR_INFO);
		if (vmxhv_exit_is_nmi(v->exit_intr_info))
			vmxhv_do_nmi_irqoff();
		else if (vmxhv_exit_is_mc(v->exit_intr_info))
			host_machine_check();
	} else if (unlikely(basic == EXIT_REASON_MCE_DURING_VMENTRY)) {
		host_machine_check();
	}
}

/* CR3 and CR4 as the host has them now, for the next VM exit to load. */
static void refresh_host_cr(struct vmxhv_cpu *v)
{
	unsigned long cr3 = __read_cr3(), cr4 = cr4_read_shadow();

	if (unlikely(cr3 != v->host_cr3)) {
		v->host_cr3 = cr3;
		vmxhv_vmwrite(HOST_CR3, cr3);
	}
	if (unlikely(cr4 != v->host_cr4)) {
		v->host_cr4 = cr4;
		vmxhv_vmwrite(HOST_CR4, cr4);
	}
}

/*
 * L1TF: flush the L1D before entering the guest when something other
 * than the guest's own exits ran here since the last flush: a new slice,
 * an interrupt (the kernel's per-CPU flag, which KVM uses too), a traced
 * exit.  Under l1tf=full, before every entry.
 */
static void l1d_flush_maybe(struct vmxhv_cpu *v)
{
	bool flush = vmxhv_l1d_always || v->l1d_flush;

#if IS_ENABLED(CONFIG_KVM_INTEL)
	flush |= kvm_get_cpu_l1tf_flush_l1d();
	kvm_clear_cpu_l1tf_flush_l1d();
#endif
	v->l1d_flush = false;
	if (flush)
		vmxhv_l1d_flush();
}

/*
 * Debug registers.  The guest's DR7 is in the VMCS; its DR0-DR3 are
 * loaded only while that DR7 enables a breakpoint, so a guest breakpoint
 * fires where the guest set it.  Host breakpoints are off in guest mode
 * (VM exit leaves DR7 = 0x400) and come back from the kernel's per-CPU
 * copy after the exit (KVM: switch_db_regs, hw_breakpoint_restore).
 */
static void debug_regs_enter(struct vmxhv_cpu *v)
{
	if (unlikely(v->guest_bp)) {
		set_debugreg(VMXHV_DR7_FIXED_1, 7);
		set_debugreg(v->virt.dr[0], 0);
		set_debugreg(v->virt.dr[1], 1);
		set_debugreg(v->virt.dr[2], 2);
		set_debugreg(v->virt.dr[3], 3);
	} else if (unlikely(hw_breakpoint_active())) {
		set_debugreg(VMXHV_DR7_FIXED_1, 7);
	}
}

static void debug_regs_exit(u64 debugctl)
{
	if (unlikely(hw_breakpoint_active()))
		hw_breakpoint_restore();
	/* A VM exit clears IA32_DEBUGCTL: give the host its own back. */
	if (unlikely(debugctl))
		wrmsrl(MSR_IA32_DEBUGCTLMSR, debugctl);
}

/* One VM entry and the handling of its exit; interrupts off. */
static enum vmxhv_exit_action enter_once(struct vmxhv_cpu *v,
					 const struct host_save *h)
{
	u64 debugctl = 0;
	u32 reason = 0;
	int fail;

	/* Never VMRESUME another CPU's VMCS, whatever the scheduler did. */
	if (unlikely(!READ_ONCE(v->vmx_on) || raw_smp_processor_id() != v->cpu)) {
		v->stop.vmfail = true;
		return VMXHV_STOP;
	}
	refresh_host_cr(v);
	vmxhv_pmu_switch(v);
	/* Read with interrupts off: IPIs may change it (perf, LBR). */
	if (vmxhv_has_debugctl)
		rdmsrl(MSR_IA32_DEBUGCTLMSR, debugctl);
	debug_regs_enter(v);
	if (unlikely(v->virt.xcr0 != h->xcr0))
		xsetbv(0, v->virt.xcr0);
	/* The guest's CR2, not the host's last fault address (KVM does too). */
	if (native_read_cr2() != v->virt.cr2)
		native_write_cr2(v->virt.cr2);
	if (unlikely(vmxhv_l1d_cond || vmxhv_l1d_always))
		l1d_flush_maybe(v);

	fail = vmxhv_vmenter(v->gprs, v->launched);

	v->virt.cr2 = native_read_cr2();
	if (likely(!fail)) {
		reason = vmxhv_vmread(VM_EXIT_REASON);
		host_events_first(v, reason);
	}
	if (unlikely(v->virt.xcr0 != h->xcr0))
		xsetbv(0, h->xcr0);
	debug_regs_exit(debugctl);

	if (unlikely(fail)) {
		v->stop.vmfail = true;
		if (READ_ONCE(v->vmx_on))
			v->stop.insn_error = vmxhv_vmread(VM_INSTRUCTION_ERROR);
		return VMXHV_STOP;
	}
	v->launched = true;
	/* The VMREADs are side effects: only do them when tracing. */
	if (trace_exit_enabled()) {
		trace_exit(reason, vmxhv_vmread(EXIT_QUALIFICATION),
			   vmxhv_vmread(GUEST_RIP));
		v->l1d_flush = true;	/* the tracer touched host data */
	}
	v->nr_exits++;
	if (likely((reason & 0xffff) < VMXHV_NR_EXIT_REASONS))
		v->exit_counts[array_index_nospec(reason & 0xffff,
						  VMXHV_NR_EXIT_REASONS)]++;
	return vmxhv_handle_exit(v, reason);
}

/* Returns true when the guest stopped. */
static bool run_slice(struct vmxhv_cpu *v)
{
	enum vmxhv_exit_action act = VMXHV_RESUME;
	struct host_save h;
	u64 end;

	slice_begin(v, &h);
	end = rdtsc() + v->slice_tsc;
	do {
		local_irq_disable();
		if (unlikely(stop_pending(v))) {
			local_irq_enable();
			break;
		}
		act = enter_once(v, &h);
		local_irq_enable();
	} while (act == VMXHV_RESUME && !need_resched() && rdtsc() < end);
	slice_end(v, &h);
	return act == VMXHV_STOP;
}

static void record_stop(struct vmxhv_cpu *v)
{
	v->rip = vmxhv_vmread(GUEST_RIP);
	v->rsp = vmxhv_vmread(GUEST_RSP);
	v->rflags = vmxhv_vmread(GUEST_RFLAGS);
	v->stop.guest_rip = v->rip;
	/* A VMfail before any exit leaves the exit fields of an older launch. */
	if (!v->nr_exits)
		return;
	v->stop.exit_reason = vmxhv_vmread(VM_EXIT_REASON);
	v->stop.qualification = vmxhv_vmread(EXIT_QUALIFICATION);
}

static void run_guest(struct vmxhv_cpu *v)
{
	u64 deadline;
	int err;

	local_irq_disable();
	err = vmxhv_vmcs_setup(v);
	v->guest_bp = !err && (vmxhv_vmread(GUEST_DR7) & VMXHV_DR7_ENABLES);
	/* The guest's page tables were rebuilt: drop cached translations. */
	vmxhv_invept_all();
	if (vmxhv_caps.ept_vpid & VMX_VPID_INVVPID_BIT << 32)
		vmxhv_invvpid_all();
	local_irq_enable();
	if (err) {
		v->state = VMXHV_FAILED;
		v->stop.vmfail = true;
		return;
	}

	/* Half a scheduler tick of TSC: the VMX preemption timer sees to it. */
	v->slice_tsc = (tsc_khz ?: 1000000) * 1000ULL / HZ / 2;
	vmxhv_vmwrite(VMX_PREEMPTION_TIMER_VALUE,
		      v->slice_tsc >> (vmxhv_caps.misc & 0x1f));
	trace_launch(v->mode, v->image_len, v->timeout_ms);
	v->start_ns = ktime_get_ns();
	deadline = v->start_ns + (u64)v->timeout_ms * NSEC_PER_MSEC;
	for (;;) {
		if (run_slice(v))
			break;	/* the exit handler set the state */
		if (stop_pending(v)) {
			v->state = VMXHV_INTERRUPTED;
			break;
		}
		if (ktime_get_ns() >= deadline) {
			v->state = VMXHV_TIMEOUT;
			break;
		}
		cond_resched();
	}
	if (v->stop.vmfail)
		v->state = VMXHV_FAILED;
	v->run_ns = ktime_get_ns() - v->start_ns;
	if (READ_ONCE(v->vmx_on)) {
		local_irq_disable();
		record_stop(v);
		local_irq_enable();
	}
	if (v->state == VMXHV_FAILED) {
		if (READ_ONCE(v->vmx_on))
			vmxhv_explain_failure(v);
		trace_entry_failed(v->stop.insn_error,
				   v->stop.vmfail ? 0 : v->stop.exit_reason,
				   v->stop.vmfail ? 0 : v->stop.qualification,
				   v->entry_failure);
	}
	trace_stop(v->state, v->nr_exits, v->run_ns);
}

/*
 * The runners: one smpboot per-CPU thread on every CPU.  Being per-CPU
 * threads, they stay on their CPU while it goes offline (until they are
 * parked, after vmxhv's own hotplug teardown has stopped the guest);
 * an ordinary bound kthread would be pushed off the CPU first.
 */
static DEFINE_PER_CPU(struct task_struct *, runner_task);
static DEFINE_PER_CPU(struct vmxhv_cpu *, runner_vcpu);

static int runner_should_run(unsigned int cpu)
{
	struct vmxhv_cpu *v = per_cpu(runner_vcpu, cpu);

	return v && READ_ONCE(v->go);
}

static void runner_fn(unsigned int cpu)
{
	struct vmxhv_cpu *v = per_cpu(runner_vcpu, cpu);

	WRITE_ONCE(v->go, false);
	run_guest(v);
	complete(&v->done);
}

static struct smp_hotplug_thread runners = {
	.store			= &runner_task,
	.thread_should_run	= runner_should_run,
	.thread_fn		= runner_fn,
	.thread_comm		= "vmxhv/%u",
};

int vmxhv_runners_init(void)
{
	return smpboot_register_percpu_thread(&runners);
}

void vmxhv_runners_exit(void)
{
	smpboot_unregister_percpu_thread(&runners);
}

/* The CPU entered VMX operation: its runner may now run @v's guest. */
void vmxhv_runner_attach(struct vmxhv_cpu *v)
{
	WRITE_ONCE(per_cpu(runner_vcpu, v->cpu), v);
}

static void kick_fn(void *unused)
{
	/* The IPI itself is the point: it makes the guest exit. */
}

static void request_stop(struct vmxhv_cpu *v)
{
	WRITE_ONCE(v->stop_requested, true);
	smp_call_function_single(v->cpu, kick_fn, NULL, 0);
}

static int state_errno(struct vmxhv_cpu *v)
{
	switch (v->state) {
	case VMXHV_HALTED:
		return 0;
	case VMXHV_TIMEOUT:
		return -ETIMEDOUT;
	case VMXHV_INTERRUPTED:
		return READ_ONCE(v->dying) ? -ENODEV : -EINTR;
	default:
		return -EIO;
	}
}

void vmxhv_results_reset(struct vmxhv_cpu *v)
{
	memset(&v->stop, 0, sizeof(v->stop));
	v->stop.exception = -1;
	memset(v->exit_counts, 0, sizeof(v->exit_counts));
	v->nr_exits = 0;
	v->console_len = 0;
	v->entry_failure[0] = '\0';
	v->run_ns = 0;
	v->stop_requested = false;
}

/* Runs a launch to its end on behalf of the writer of `launch`. */
int vmxhv_launch(struct vmxhv_cpu *v)
{
	int err;

	mutex_lock(&v->lock);
	if (v->dying) {
		mutex_unlock(&v->lock);
		return -ENODEV;
	}
	if (v->running) {
		mutex_unlock(&v->lock);
		return -EBUSY;
	}
	if (v->virt_busy || READ_ONCE(v->virt_on)) {
		mutex_unlock(&v->lock);
		pr_warn_ratelimited("cpu%d: launch: the CPU is virtualized; remove it from virtualized first\n",
				    v->cpu);
		return -EBUSY;
	}
	vmxhv_results_reset(v);
	fpu_reset(v);
	vmxhv_guest_mem_prepare(v);
	vmxhv_mem_reset(&v->mem);
	vmxhv_guest_mem_build(v);
	vmxhv_mem_write(&v->mem, VMXHV_IMAGE_GPA, v->image, v->image_len);
	v->state = VMXHV_RUNNING;
	WRITE_ONCE(v->running, true);
	mutex_unlock(&v->lock);

	reinit_completion(&v->done);
	WRITE_ONCE(v->go, true);
	wake_up_process(per_cpu(runner_task, v->cpu));
	if (wait_for_completion_interruptible(&v->done)) {
		request_stop(v);
		wait_for_completion(&v->done);
	}

	mutex_lock(&v->lock);
	err = state_errno(v);
	WRITE_ONCE(v->running, false);
	mutex_unlock(&v->lock);
	wake_up_all(&v->idle_wq);
	return err;
}

/* Stop any launch and refuse new ones; used before leaving VMX. */
void vmxhv_stop_guest(struct vmxhv_cpu *v)
{
	mutex_lock(&v->lock);
	WRITE_ONCE(v->dying, true);
	mutex_unlock(&v->lock);
	if (READ_ONCE(v->running))
		request_stop(v);
	wait_event(v->idle_wq, !READ_ONCE(v->running));
	WRITE_ONCE(per_cpu(runner_vcpu, v->cpu), NULL);
}
