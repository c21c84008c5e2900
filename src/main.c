// SPDX-License-Identifier: GPL-2.0
/*
 * vmxhv: an Intel VMX hypervisor driven from debugfs.
 * Module parameters, load and unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <asm/vmx.h>

#include "vmxhv.h"

static char *cpus_param;
module_param_named(cpus, cpus_param, charp, 0400);
MODULE_PARM_DESC(cpus, "cpulist of CPUs to put in VMX operation (default: all online)");

bool vmxhv_unsafe;
module_param_named(unsafe, vmxhv_unsafe, bool, 0400);
MODULE_PARM_DESC(unsafe, "allow writes to host-state and physical-address VMCS fields");

/* What the module cannot do without; checked once at load. */
static int check_cpu(void)
{
	const struct vmxhv_caps *c = &vmxhv_caps;
	u32 proc2 = SECONDARY_EXEC_ENABLE_EPT;

	if (boot_cpu_data.x86_vendor != X86_VENDOR_INTEL &&
	    boot_cpu_data.x86_vendor != X86_VENDOR_ZHAOXIN &&
	    boot_cpu_data.x86_vendor != X86_VENDOR_CENTAUR) {
		pr_err("not an Intel VMX CPU\n");
		return -EOPNOTSUPP;
	}
	if (!(cpuid_ecx(1) & BIT(5))) {
		pr_err("CPU has no VMX (CPUID.1:ECX.VMX=0); in a VM, enable nested virtualization\n");
		return -EOPNOTSUPP;
	}
	if (vmxhv_caps_read()) {
		pr_err("cannot read the VMX capability MSRs\n");
		return -EIO;
	}
	if (c->vmcs_size > PAGE_SIZE) {
		pr_err("VMCS size %u exceeds a page\n", c->vmcs_size);
		return -EOPNOTSUPP;
	}
	if (!vmxhv_ctl_allows(&c->proc, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ||
	    !vmxhv_ctl_allows(&c->proc2, proc2) ||
	    !(c->ept_vpid & VMX_EPT_PAGE_WALK_4_BIT) ||
	    !(c->ept_vpid & VMX_EPTP_WB_BIT) ||
	    !(c->ept_vpid & VMX_EPT_INVEPT_BIT) ||
	    !(c->ept_vpid & VMX_EPT_EXTENT_GLOBAL_BIT)) {
		pr_err("CPU lacks EPT with 4-level write-back tables; the guest needs its own memory\n");
		return -EOPNOTSUPP;
	}
	if (!vmxhv_ctl_allows(&c->pin, PIN_BASED_VMX_PREEMPTION_TIMER)) {
		pr_err("CPU lacks the VMX preemption timer, needed to bound guest slices\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int __init vmxhv_init(void)
{
	cpumask_var_t initial;
	int err;

	err = check_cpu();
	if (err)
		return err;
	err = vmxhv_mitigations_init();
	if (err)
		return err;
	err = -ENOMEM;
	if (!zalloc_cpumask_var(&initial, GFP_KERNEL))
		goto free_mitigations;
	if (cpus_param) {
		if (cpulist_parse(cpus_param, initial) || cpumask_empty(initial)) {
			pr_err("cpus=%s is not a cpulist\n", cpus_param);
			err = -EINVAL;
			goto free_mask;
		}
	} else {
		cpumask_copy(initial, cpu_online_mask);
	}

	err = vmxhv_debugfs_init();
	if (err)
		goto free_mask;
	err = vmxhv_cpu_init(initial);
	if (err)
		goto remove_debugfs;
	free_cpumask_var(initial);
	return 0;

remove_debugfs:
	vmxhv_debugfs_exit();
free_mask:
	free_cpumask_var(initial);
free_mitigations:
	vmxhv_mitigations_exit();
	return err;
}

static void __exit vmxhv_exit(void)
{
	vmxhv_cpu_exit();
	vmxhv_debugfs_exit();
	vmxhv_mitigations_exit();
}

module_init(vmxhv_init);
module_exit(vmxhv_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Intel VMX hypervisor driven from debugfs");
MODULE_AUTHOR("vmxhv developers");
