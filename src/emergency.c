// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 emergency virtualization callback.  Since Linux 6.6 (and in
 * Debian's 6.1, which has the backport) the kernel's emergency paths --
 * kdump's crash shutdown, an emergency reboot, the NMI or IPI that stops
 * the other CPUs -- leave VMX operation only through the one callback
 * registered with cpu_emergency_register_virt_callback().  Without it a
 * kdump kernel starts on CPUs still in VMX operation (INIT blocked, and
 * clearing CR4.VMXE there is a #GP: no dump), and an emergency reboot on
 * 6.12 does not even stop the other CPUs through NMIs.
 *
 * The kernel has one slot, shared with kvm_intel, and registering into a
 * taken slot (or unregistering someone else's callback) is a WARN.
 * kvm_intel registers while it is loaded on 6.1 (vmx_init) and while it
 * has virtualization enabled on 6.12 (kvm_arch_enable_virtualization(),
 * at load with enable_virt_at_load=Y, which it does before its VMXON
 * fails on a CPU vmxhv holds).  So vmxhv holds the slot only while no
 * module that uses it is loaded (or loading): it steps aside when one
 * comes (MODULE_STATE_COMING, before its init runs) and takes the slot
 * back when it goes.  KVM's callback, like this one, does VMXOFF on any
 * CPU with CR4.VMXE set, so vmxhv's CPUs stay covered while kvm_intel's
 * callback is registered; they are not while kvm_intel is loaded on 6.12
 * with virtualization disabled (enable_virt_at_load=0 and no VM).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <asm/reboot.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "vmxhv.h"
#include "vmx_ops.h"

#ifdef VMXHV_HAVE_EMERGENCY_VIRT_CB

/*
 * Called on every CPU in NMI or interrupts-off context while the kernel
 * goes down: no locks, only this CPU's state, and every VMX instruction
 * may fault (the fixups in vmx_ops.h eat it).  Mirrors KVM's
 * vmx_emergency_disable_virtualization_cpu(): VMCLEAR the current VMCS
 * (so a dump shows its contents), VMXOFF, clear CR4.VMXE.
 */
static void emergency_vmxoff(void)
{
	struct vmxhv_cpu *v = this_cpu_read(vmxhv_vmx_cpu);

	if (!(__read_cr4() & X86_CR4_VMXE))
		return;
	if (v) {
		WRITE_ONCE(v->vmx_on, false);
		vmxhv_vmclear(__pa(v->vmcs));
	}
	vmxhv_vmxoff();
	cr4_clear_bits(X86_CR4_VMXE);
}

/* The modules that register the callback themselves. */
static const char * const slot_users[] = { "kvm_intel", "kvm_amd" };

static DEFINE_MUTEX(slot_lock);
static unsigned long users_loaded;	/* bit i: slot_users[i] is loaded */
static bool wanted;			/* vmxhv is loaded */
static bool registered;

/* Register or unregister as the state says; slot_lock held. */
static void slot_update(void)
{
	bool want = wanted && !users_loaded;

	if (want == registered)
		return;
	if (want)
		cpu_emergency_register_virt_callback(emergency_vmxoff);
	else
		cpu_emergency_unregister_virt_callback(emergency_vmxoff);
	registered = want;
}

static int slot_user(const char *name)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(slot_users); i++)
		if (!strcmp(name, slot_users[i]))
			return i;
	return -1;
}

static int module_notify(struct notifier_block *nb, unsigned long state,
			 void *data)
{
	struct module *mod = data;
	int i = slot_user(mod->name);

	if (i < 0 || (state != MODULE_STATE_COMING && state != MODULE_STATE_GOING))
		return NOTIFY_DONE;
	mutex_lock(&slot_lock);
	if (state == MODULE_STATE_COMING)
		__set_bit(i, &users_loaded);
	else
		__clear_bit(i, &users_loaded);
	slot_update();
	mutex_unlock(&slot_lock);
	return NOTIFY_DONE;
}

static struct notifier_block module_nb = {
	.notifier_call = module_notify,
};

/*
 * The users loaded (or built in) before vmxhv: /sys/module/NAME.  Our own
 * module kobject belongs to that kset.  A user whose load is between its
 * MODULE_STATE_COMING and its sysfs directory right now is missed: only
 * loading both modules at the same moment gets there.
 */
static void find_loaded_users(void)
{
	struct kset *modules = THIS_MODULE->mkobj.kobj.kset;
	struct kobject *kobj;
	int i;

	for (i = 0; i < ARRAY_SIZE(slot_users); i++) {
		kobj = modules ? kset_find_obj(modules, slot_users[i]) : NULL;
		if (kobj) {
			__set_bit(i, &users_loaded);
			kobject_put(kobj);
		}
	}
}

void vmxhv_emergency_init(void)
{
	register_module_notifier(&module_nb);
	mutex_lock(&slot_lock);
	find_loaded_users();
	wanted = true;
	slot_update();
	mutex_unlock(&slot_lock);
}

void vmxhv_emergency_exit(void)
{
	unregister_module_notifier(&module_nb);
	mutex_lock(&slot_lock);
	wanted = false;
	slot_update();
	mutex_unlock(&slot_lock);
}

#else /* !VMXHV_HAVE_EMERGENCY_VIRT_CB */

/*
 * Before the callback existed, the kernel's emergency path did VMXOFF
 * itself on every CPU with CR4.VMXE set (cpu_emergency_vmxoff()).
 */
void vmxhv_emergency_init(void)
{
}

void vmxhv_emergency_exit(void)
{
}

#endif
