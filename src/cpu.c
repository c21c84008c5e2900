// SPDX-License-Identifier: GPL-2.0
/*
 * VMX operation on the selected CPUs: entering and leaving it, the set
 * of CPUs, CPU hotplug, reboot, suspend and hibernation.  The emergency
 * path (kdump, emergency reboot) is in emergency.c.
 *
 * Locking: cpu hotplug lock, then vmxhv_lock.  The per-CPU debugfs files
 * take neither, so removing a CPU's directory (which waits for file
 * operations in flight) cannot deadlock against them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/suspend.h>
#include <asm/msr.h>
#include <asm/perf_event.h>
#include <asm/reboot.h>
#include <asm/tlbflush.h>
#include <asm/vmx.h>

#include "vmxhv.h"
#include "vmx_ops.h"
#include "virt.h"

/* Guards the CPU sets and pcpus[]; taken after the hotplug lock. */
DEFINE_MUTEX(vmxhv_lock);

static struct vmxhv_cpu **pcpus;		/* [nr_cpu_ids], set while selected */
static struct cpumask selected;			/* what the user asked for */
static struct cpumask active;			/* in VMX operation now */
static enum cpuhp_state hp_state;
static bool going_down;				/* reboot: no re-entry */
static bool suspended;				/* suspend/hibernation: none until resume */
static struct cpumask virt_want;		/* to be virtualized whenever in VMX operation */

/* This CPU's object while it is in VMX operation, for the emergency path. */
DEFINE_PER_CPU(struct vmxhv_cpu *, vmxhv_vmx_cpu);

/* Why a CPU could not enter VMX operation, and what the user can do. */
#define WHY_UNLOCKED \
	"IA32_FEATURE_CONTROL is unlocked (the kernel did not enable VMX at boot)"
#define WHY_FIRMWARE \
	"VMX disabled by firmware: enable Intel VT-x in the BIOS setup"
#define WHY_OTHER_HV \
	"CR4.VMXE already set: another hypervisor holds VMX (kvm_intel: rmmod kvm_intel, or since Linux 6.12 load kvm with enable_virt_at_load=0; VirtualBox/VMware: stop their VMs)"

struct on_result {
	struct vmxhv_cpu *v;
	int err;
	const char *why;
};

static bool cr_fixed_ok(u64 val, u64 fixed0, u64 fixed1)
{
	return (val & fixed0) == fixed0 && !(val & ~fixed1);
}

static void vmx_on_cr4(struct on_result *r);

/* Runs on the target CPU with interrupts off. */
static void vmx_on_this_cpu(void *arg)
{
	struct on_result *r = arg;
	u64 fc;

	r->err = -EOPNOTSUPP;
	if (!(cpuid_ecx(1) & BIT(5))) {
		r->why = "CPU has no VMX (CPUID.1:ECX.VMX=0)";
		return;
	}
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &fc)) {
		r->why = "cannot read IA32_FEATURE_CONTROL";
		return;
	}
	/*
	 * Linux locks IA32_FEATURE_CONTROL at boot with VMX enabled when
	 * the firmware left it unlocked; an unlocked MSR here means the
	 * kernel chose not to enable VMX, so this module does not either.
	 */
	if (!(fc & FEAT_CTL_LOCKED)) {
		r->why = WHY_UNLOCKED;
		return;
	}
	if (!(fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		r->why = WHY_FIRMWARE;
		return;
	}
	r->err = -EBUSY;
	if (cr4_read_shadow() & X86_CR4_VMXE) {
		r->why = WHY_OTHER_HV;
		return;
	}
	r->err = -EIO;
	r->why = vmxhv_caps_differ();
	if (r->why)
		return;
	if (!cr_fixed_ok(read_cr0(), vmxhv_caps.cr0_fixed0, vmxhv_caps.cr0_fixed1)) {
		r->why = "CR0 does not meet IA32_VMX_CR0_FIXED0/1";
		return;
	}
	vmx_on_cr4(r);
}

/*
 * Second half of vmx_on_this_cpu: CR4.VMXE, VMXON and the VMCS.  Intel
 * PT on a CPU without PT-in-VMX must be stopped while in VMX operation:
 * like KVM's vmx_enable_virtualization_cpu(), tell its driver first.
 */
static void vmx_on_cr4(struct on_result *r)
{
	struct vmxhv_cpu *v = r->v;

	intel_pt_handle_vmx(1);
	cr4_set_bits(X86_CR4_VMXE);
	if (!cr_fixed_ok(__read_cr4(), vmxhv_caps.cr4_fixed0, vmxhv_caps.cr4_fixed1)) {
		r->why = "CR4 does not meet IA32_VMX_CR4_FIXED0/1";
		goto clear_vmxe;
	}
	*(u32 *)v->vmxon_region = vmxhv_caps.vmcs_revision;
	r->err = __vmxhv_vmxon(__pa(v->vmxon_region));
	if (r->err) {
		r->why = r->err == -EFAULT ?
			"VMXON faulted although CR0, CR4 and IA32_FEATURE_CONTROL allow it" :
			"VMXON failed: another hypervisor may hold VMX on this CPU";
		r->err = r->err == -EFAULT ? -EIO : -EBUSY;
		goto clear_vmxe;
	}
	/* Make our VMCS current; it stays current while VMX is on. */
	if (vmxhv_vmclear(__pa(v->vmcs)) || vmxhv_vmptrld(__pa(v->vmcs))) {
		r->err = -EIO;
		r->why = "VMCLEAR/VMPTRLD of the VMCS failed";
		vmxhv_vmxoff();
		goto clear_vmxe;
	}
	v->launched = false;
	vmxhv_vmcs_probe(v);
	vmxhv_vmwrite_failures_reset();
	WRITE_ONCE(v->vmx_on, true);
	this_cpu_write(vmxhv_vmx_cpu, v);
	r->err = 0;
	return;

clear_vmxe:
	cr4_clear_bits(X86_CR4_VMXE);
	intel_pt_handle_vmx(0);
}

/*
 * Leave VMX operation on this CPU.  VMX may already be off if the
 * emergency path ran VMXOFF; VMCLEAR and VMXOFF then fault, and their
 * fixups make that an ignored error.  Intel PT may run again afterwards
 * (KVM's vmx_disable_virtualization_cpu()).
 */
static void vmx_off_this_cpu(void *arg)
{
	struct vmxhv_cpu *v = arg;

	if (!v || !READ_ONCE(v->vmx_on))
		return;
	WRITE_ONCE(v->vmx_on, false);
	this_cpu_write(vmxhv_vmx_cpu, NULL);
	vmxhv_vmclear(__pa(v->vmcs));
	vmxhv_vmxoff();
	cr4_clear_bits(X86_CR4_VMXE);
	intel_pt_handle_vmx(0);
}

/*
 * `info` reports the fields every CPU in VMX operation has a file for.
 * CPUs are normally alike; Bochs' tigerlake model was seen to accept
 * VMREAD of fewer fields on one CPU than on another.
 */
static void count_fields(void)
{
	unsigned int cpu, n = UINT_MAX;

	for_each_cpu(cpu, &active)
		n = min(n, bitmap_weight(pcpus[cpu]->fields, VMXHV_NR_FIELDS));
	WRITE_ONCE(vmxhv_nr_vmcs_files, n == UINT_MAX ? 0 : n);
}

static void cpu_leave(int cpu);

/*
 * Virtualize the running kernel on @cpu (virt.c); hotplug lock and
 * vmxhv_lock held, @cpu in VMX operation.  v->virt_busy keeps launches
 * out while the switch is made.
 */
static int virt_enter(int cpu)
{
	struct vmxhv_cpu *v = pcpus[cpu];
	int err;

	if (READ_ONCE(v->virt_on))
		return 0;
	mutex_lock(&v->lock);
	if (v->running) {
		mutex_unlock(&v->lock);
		pr_warn("cpu%d: virtualized: its guest is running or paused\n", cpu);
		return -EBUSY;
	}
	v->virt_busy = true;
	vmxhv_results_reset(v);
	v->trace_dropped = 0;
	v->virt_io_dropped = 0;
	mutex_unlock(&v->lock);

	err = vmxhv_virt_on(v);
	mutex_lock(&v->lock);
	if (!err)
		v->state = VMXHV_VIRTUALIZED;
	v->virt_busy = false;
	mutex_unlock(&v->lock);
	if (!err)
		pr_info("cpu%d: virtualized: its kernel runs in VMX non-root operation\n", cpu);
	return err;
}

/* And back; also when the CPU left non-root operation by itself. */
static void virt_leave(int cpu)
{
	struct vmxhv_cpu *v = pcpus[cpu];
	bool was_on = READ_ONCE(v->virt_on);

	if (was_on)
		vmxhv_virt_off(v);
	irq_work_sync(&v->virt_work);
	mutex_lock(&v->lock);
	if (v->state == VMXHV_VIRTUALIZED)
		v->state = VMXHV_IDLE;
	mutex_unlock(&v->lock);
	if (was_on)
		pr_info("cpu%d: devirtualized after %llu exits\n", cpu, READ_ONCE(v->nr_exits));
}

/* Enter VMX operation on @cpu; hotplug lock and vmxhv_lock held. */
static int cpu_enter(int cpu)
{
	struct vmxhv_cpu *v = pcpus[cpu];
	struct on_result r = { .v = v };
	int err;

	if (!v || cpumask_test_cpu(cpu, &active) || going_down || suspended)
		return 0;
	err = smp_call_function_single(cpu, vmx_on_this_cpu, &r, 1);
	if (err)
		return err;
	if (r.err) {
		pr_warn("cpu%d: not entering VMX operation: %s\n", cpu, r.why);
		return r.err;
	}
	vmxhv_runner_attach(v);
	WRITE_ONCE(v->dying, false);
	cpumask_set_cpu(cpu, &active);
	count_fields();
	err = vmxhv_cpufiles_create(v);
	if (err) {
		pr_warn("cpu%d: cannot create its debugfs files (%d), leaving it out\n",
			cpu, err);
		cpu_leave(cpu);
		return err;
	}
	pr_info("cpu%d: in VMX operation\n", cpu);
	/* A virtualized CPU that went offline comes back virtualized. */
	if (cpumask_test_cpu(cpu, &virt_want) && virt_enter(cpu))
		cpumask_clear_cpu(cpu, &virt_want);
	return 0;
}

/* Leave VMX operation on @cpu; hotplug lock and vmxhv_lock held. */
static void cpu_leave(int cpu)
{
	struct vmxhv_cpu *v = pcpus[cpu];

	if (!v || !cpumask_test_cpu(cpu, &active))
		return;
	virt_leave(cpu);		/* before anything else touches VMX */
	vmxhv_stop_guest(v);		/* sets dying, waits, detaches */
	vmxhv_cpufiles_remove(v);	/* waits for file operations */
	smp_call_function_single(cpu, vmx_off_this_cpu, v, 1);
	cpumask_clear_cpu(cpu, &active);
	count_fields();
	pr_info("cpu%d: left VMX operation\n", cpu);
}

/* Why the last selected CPU that failed to enter failed: load's errno. */
static int online_err;

static int hp_online(unsigned int cpu)
{
	int err;

	mutex_lock(&vmxhv_lock);
	/* A CPU that cannot enter is logged and left out, never fatal. */
	err = cpu_enter(cpu);
	if (err)
		online_err = err;
	mutex_unlock(&vmxhv_lock);
	return 0;
}

static int hp_offline(unsigned int cpu)
{
	mutex_lock(&vmxhv_lock);
	cpu_leave(cpu);
	mutex_unlock(&vmxhv_lock);
	return 0;
}

static void deselect(int cpu)
{
	cpumask_clear_cpu(cpu, &virt_want);
	cpu_leave(cpu);
	cpumask_clear_cpu(cpu, &selected);
	vmxhv_pcpu_free(pcpus[cpu]);
	pcpus[cpu] = NULL;
}

/*
 * Make @want the set of CPUs in VMX operation.  All CPUs in @want must
 * be online (checked by the caller).  Allocation happens before any
 * change, so a failure leaves the set as it was.
 */
int vmxhv_cpus_set(const struct cpumask *want)
{
	struct vmxhv_cpu **fresh;
	int cpu, err = 0;

	fresh = kcalloc(nr_cpu_ids, sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;
	cpus_read_lock();
	mutex_lock(&vmxhv_lock);
	for_each_cpu(cpu, want) {
		if (!cpu_online(cpu)) {
			err = -EINVAL;
			goto unwind;
		}
		if (pcpus[cpu])
			continue;
		fresh[cpu] = vmxhv_pcpu_alloc(cpu);
		if (!fresh[cpu]) {
			err = -ENOMEM;
			goto unwind;
		}
	}
	for_each_cpu(cpu, &selected)
		if (!cpumask_test_cpu(cpu, want)) {
			if (pcpus[cpu] && READ_ONCE(pcpus[cpu]->running)) {
				err = -EBUSY;
				goto unwind;
			}
		}
	for_each_cpu(cpu, &selected)
		if (!cpumask_test_cpu(cpu, want))
			deselect(cpu);
	for_each_cpu(cpu, want) {
		int ret;

		if (fresh[cpu])
			pcpus[cpu] = fresh[cpu];
		fresh[cpu] = NULL;
		cpumask_set_cpu(cpu, &selected);
		ret = cpu_enter(cpu);
		if (ret) {
			/* Already logged with the reason; leave it out. */
			deselect(cpu);
			err = ret;
		}
	}
unwind:
	mutex_unlock(&vmxhv_lock);
	cpus_read_unlock();
	for_each_cpu(cpu, want)
		vmxhv_pcpu_free(fresh[cpu]);
	kfree(fresh);
	return err;
}

void vmxhv_cpus_show(struct cpumask *out)
{
	mutex_lock(&vmxhv_lock);
	cpumask_copy(out, &active);
	mutex_unlock(&vmxhv_lock);
}

/*
 * Make @want the set of virtualized CPUs.  Applied CPU by CPU: one that
 * fails is left out (logged) and its errno returned.
 */
int vmxhv_virtualized_set(const struct cpumask *want)
{
	int cpu, err = 0;

	cpus_read_lock();
	mutex_lock(&vmxhv_lock);
	if (!cpumask_subset(want, &active)) {
		pr_warn_ratelimited("virtualized: \"%*pbl\" is not a subset of cpus (%*pbl)\n",
				    cpumask_pr_args(want), cpumask_pr_args(&active));
		err = -EINVAL;
		goto out;
	}
	for_each_cpu(cpu, &active)
		if (!cpumask_test_cpu(cpu, want)) {
			cpumask_clear_cpu(cpu, &virt_want);
			virt_leave(cpu);
		}
	for_each_cpu(cpu, want) {
		int ret = virt_enter(cpu);

		if (ret)
			err = ret;
		else
			cpumask_set_cpu(cpu, &virt_want);
	}
out:
	mutex_unlock(&vmxhv_lock);
	cpus_read_unlock();
	return err;
}

void vmxhv_virtualized_show(struct cpumask *out)
{
	int cpu;

	cpumask_clear(out);
	mutex_lock(&vmxhv_lock);
	for_each_cpu(cpu, &active)
		if (READ_ONCE(pcpus[cpu]->virt_on))
			cpumask_set_cpu(cpu, out);
	mutex_unlock(&vmxhv_lock);
}

static void leave_all(void)
{
	int cpu;

	mutex_lock(&vmxhv_lock);
	going_down = true;
	for_each_cpu(cpu, &active)
		cpu_leave(cpu);
	mutex_unlock(&vmxhv_lock);
}

/* Reboot and kexec: no CPU may stay in VMX operation (INIT is blocked). */
static int reboot_notify(struct notifier_block *nb, unsigned long code, void *unused)
{
	cpus_read_lock();
	leave_all();
	cpus_read_unlock();
	return NOTIFY_DONE;
}

static struct notifier_block reboot_nb = {
	.notifier_call = reboot_notify,
};

/*
 * Suspend and hibernation: a CPU that sleeps or is restored from an image
 * comes back out of VMX operation.  Before tasks are frozen (sleeping
 * allowed), every CPU stops its guest and leaves VMX operation the way a
 * CPU going offline does; the suspend path then offlines the other CPUs
 * (hp_offline: nothing left to do) and onlines them on resume (hp_online:
 * not yet, while suspended).  After resume, or when the suspend failed,
 * every selected online CPU enters again.  The boot kernel of a resume
 * from hibernation leaves VMX operation before it jumps into the image
 * (PM_RESTORE_PREPARE).
 */
static void pm_leave(void)
{
	int cpu;

	cpus_read_lock();
	mutex_lock(&vmxhv_lock);
	suspended = true;
	for_each_cpu(cpu, &active)
		cpu_leave(cpu);
	mutex_unlock(&vmxhv_lock);
	cpus_read_unlock();
}

static void pm_return(void)
{
	int cpu;

	cpus_read_lock();
	mutex_lock(&vmxhv_lock);
	suspended = false;
	for_each_cpu(cpu, &selected)
		if (cpu_online(cpu))
			cpu_enter(cpu);	/* a failure is logged, the CPU left out */
	mutex_unlock(&vmxhv_lock);
	cpus_read_unlock();
}

static int pm_notify(struct notifier_block *nb, unsigned long action, void *unused)
{
	switch (action) {
	case PM_SUSPEND_PREPARE:
	case PM_HIBERNATION_PREPARE:
	case PM_RESTORE_PREPARE:
		pm_leave();
		break;
	case PM_POST_SUSPEND:
	case PM_POST_HIBERNATION:
	case PM_POST_RESTORE:
		pm_return();
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block pm_nb = {
	.notifier_call = pm_notify,
};

int vmxhv_cpu_init(const struct cpumask *initial)
{
	int cpu, ret;

	pcpus = kcalloc(nr_cpu_ids, sizeof(*pcpus), GFP_KERNEL);
	if (!pcpus)
		return -ENOMEM;
	ret = vmxhv_virt_init();
	if (ret) {
		kfree(pcpus);
		return ret;
	}
	ret = vmxhv_runners_init();
	if (ret) {
		vmxhv_virt_exit_module();
		kfree(pcpus);
		return ret;
	}
	cpus_read_lock();
	for_each_cpu(cpu, initial) {
		if (!cpu_online(cpu))
			continue;
		pcpus[cpu] = vmxhv_pcpu_alloc(cpu);
		if (!pcpus[cpu]) {
			ret = -ENOMEM;
			goto free;
		}
		cpumask_set_cpu(cpu, &selected);
	}
	cpus_read_unlock();

	register_reboot_notifier(&reboot_nb);
	register_pm_notifier(&pm_nb);
	/* Before any CPU enters VMX operation, as KVM does. */
	vmxhv_emergency_init();

	/* Runs hp_online on every online CPU, and later on each that comes up. */
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "vmxhv:online",
				hp_online, hp_offline);
	if (ret < 0)
		goto unregister;
	hp_state = ret;

	if (cpumask_empty(&active)) {
		pr_err("no selected CPU could enter VMX operation (see the messages above)\n");
		ret = online_err ?: -EBUSY;
		cpuhp_remove_state(hp_state);
		goto unregister;
	}
	return 0;

unregister:
	vmxhv_emergency_exit();
	unregister_pm_notifier(&pm_nb);
	unregister_reboot_notifier(&reboot_nb);
	cpus_read_lock();
free:
	for_each_possible_cpu(cpu)
		vmxhv_pcpu_free(pcpus[cpu]);
	cpumask_clear(&selected);
	cpus_read_unlock();
	vmxhv_runners_exit();
	vmxhv_virt_exit_module();
	kfree(pcpus);
	pcpus = NULL;
	return ret;
}

void vmxhv_cpu_exit(void)
{
	int cpu;

	/* Runs hp_offline on every online CPU. */
	cpuhp_remove_state(hp_state);
	/* No CPU is in VMX operation any more. */
	vmxhv_emergency_exit();
	unregister_pm_notifier(&pm_nb);
	unregister_reboot_notifier(&reboot_nb);
	vmxhv_runners_exit();
	for_each_possible_cpu(cpu)
		vmxhv_pcpu_free(pcpus[cpu]);
	vmxhv_virt_exit_module();
	kfree(pcpus);
	pcpus = NULL;
}
