// SPDX-License-Identifier: GPL-2.0
/*
 * The host's perf events while a guest runs.  A counting event of the
 * host keeps counting in guest mode unless perf says otherwise; what perf
 * says is perf_guest_get_msrs(): per MSR (IA32_PERF_GLOBAL_CTRL, and on
 * some CPUs IA32_PEBS_ENABLE) the host's value and the value for guest
 * mode, which leaves out events that exclude the guest and every PEBS
 * event (PEBS writes its records through linear addresses, which in guest
 * mode are the guest's).  vmxhv loads the guest-mode values with the
 * VM-entry MSR-load list and the host's with the VM-exit MSR-load list,
 * only for MSRs whose two values differ, before every entry, with
 * interrupts off, as KVM's atomic_switch_perf_msrs does.  vmxhv has no
 * virtual PMU: the guest's own PMU MSRs are #GP (msr.c) and RDPMC is #GP.
 */
#include <linux/kvm_host.h>
#include <asm/perf_event.h>
#include <asm/vmx.h>

#include "vmxhv.h"
#include "vmx_ops.h"

/*
 * perf reads the guest's PEBS configuration from KVM's PMU structure
 * (on 6.12 without a NULL check): an all-zero one asks for none.
 */
static struct kvm_pmu no_guest_pebs;

void vmxhv_pmu_switch(struct vmxhv_cpu *v)
{
	struct vmx_msr_entry *g = v->msr_load, *h = g + VMXHV_MAX_PERF_MSRS;
	struct perf_guest_switch_msr *msrs;
	unsigned int n = 0;
	int i, nr = 0;

	msrs = perf_guest_get_msrs(&nr, &no_guest_pebs);
	for (i = 0; msrs && i < nr && n < VMXHV_MAX_PERF_MSRS; i++) {
		if (msrs[i].host == msrs[i].guest)
			continue;
		g[n].index = msrs[i].msr;
		g[n].value = msrs[i].guest;
		h[n].index = msrs[i].msr;
		h[n].value = msrs[i].host;
		n++;
	}
	if (likely(n == v->nr_msr_load))
		return;
	v->nr_msr_load = n;
	vmxhv_vmwrite(VM_ENTRY_MSR_LOAD_COUNT, n);
	vmxhv_vmwrite(VM_EXIT_MSR_LOAD_COUNT, n);
}

/* The lists' addresses, in the fresh VMCS of a launch; both empty. */
void vmxhv_pmu_setup(struct vmxhv_cpu *v)
{
	struct vmx_msr_entry *g = v->msr_load;

	v->nr_msr_load = 0;
	vmxhv_vmwrite(VM_ENTRY_MSR_LOAD_ADDR, __pa(g));
	vmxhv_vmwrite(VM_EXIT_MSR_LOAD_ADDR, __pa(g + VMXHV_MAX_PERF_MSRS));
	vmxhv_vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmxhv_vmwrite(VM_EXIT_MSR_LOAD_COUNT, 0);
}
