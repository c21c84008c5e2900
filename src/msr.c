// SPDX-License-Identifier: GPL-2.0
/*
 * The MSRs a guest may use (Documentation/guest.md).  The MSR bitmap
 * makes every RDMSR/WRMSR exit; the ones listed here are emulated on
 * guest-state fields or on virtual values, everything else is #GP.  No
 * guest access reads or changes a host MSR value.
 */
#include <linux/kernel.h>
#include <asm/msr-index.h>
#include <asm/msr.h>
#include <asm/vmx.h>

#include "vmxhv.h"
#include "vmx_ops.h"
#include "vmxhv/cpu_rules.h"

enum msr_kind { IN_VMCS, VIRTUAL, TSC };

struct msr_desc {
	u32 msr;
	enum msr_kind kind;
	u32 where;		/* IN_VMCS: guest-state field; VIRTUAL: slot */
	bool canonical;		/* an address: must be canonical */
};

#define VMCS(m, f, c)	{ m, IN_VMCS, f, c }
#define VIRT(m, slot, c)	{ m, VIRTUAL, VMXHV_MSR_##slot, c }

static const struct msr_desc msrs[] = {
	{ MSR_IA32_TSC, TSC },
	VMCS(MSR_EFER, GUEST_IA32_EFER, false),
	VMCS(MSR_FS_BASE, GUEST_FS_BASE, true),
	VMCS(MSR_GS_BASE, GUEST_GS_BASE, true),
	VMCS(MSR_IA32_CR_PAT, GUEST_IA32_PAT, false),
	VMCS(MSR_IA32_SYSENTER_CS, GUEST_SYSENTER_CS, false),
	VMCS(MSR_IA32_SYSENTER_ESP, GUEST_SYSENTER_ESP, true),
	VMCS(MSR_IA32_SYSENTER_EIP, GUEST_SYSENTER_EIP, true),
	VIRT(MSR_KERNEL_GS_BASE, KERNEL_GS_BASE, true),
	VIRT(MSR_LSTAR, LSTAR, true),
	VIRT(MSR_CSTAR, CSTAR, true),
	VIRT(MSR_STAR, STAR, false),
	VIRT(MSR_SYSCALL_MASK, SFMASK, false),
};

static const struct msr_desc *find(u32 msr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msrs); i++)
		if (msrs[i].msr == msr)
			return &msrs[i];
	return NULL;
}

/* EFER: SCE, LME, NXE are the guest's; LMA follows the CPU. */
static int efer_write(struct vmxhv_cpu *v, u64 val)
{
	u64 old = vmxhv_vmread(GUEST_IA32_EFER);

	if (val & ~(u64)(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX))
		return -EINVAL;
	if ((vmxhv_vmread(GUEST_CR0) & X86_CR0_PG) &&
	    (val ^ old) & EFER_LME)
		return -EINVAL;	/* LME may not change with paging on */
	val = (val & ~(u64)EFER_LMA) | (old & EFER_LMA);
	vmxhv_vmwrite(GUEST_IA32_EFER, val);
	return 0;
}

int vmxhv_msr_read(struct vmxhv_cpu *v, u32 msr, u64 *val)
{
	const struct msr_desc *d = find(msr);

	if (!d)
		return -EINVAL;
	switch (d->kind) {
	case TSC:
		*val = rdtsc() + vmxhv_vmread(TSC_OFFSET);
		break;
	case IN_VMCS:
		*val = vmxhv_vmread(d->where);
		break;
	case VIRTUAL:
		*val = v->virt.msr[d->where];
		break;
	}
	return 0;
}

int vmxhv_msr_write(struct vmxhv_cpu *v, u32 msr, u64 val)
{
	const struct msr_desc *d = find(msr);

	if (!d || (d->canonical && !vmxhv_canonical(val, 48)))
		return -EINVAL;
	switch (d->kind) {
	case TSC:
		vmxhv_vmwrite(TSC_OFFSET, val - rdtsc());
		break;
	case IN_VMCS:
		if (msr == MSR_EFER)
			return efer_write(v, val);
		if (msr == MSR_IA32_CR_PAT && !vmxhv_pat_valid(val))
			return -EINVAL;
		vmxhv_vmwrite(d->where, val);
		break;
	case VIRTUAL:
		v->virt.msr[d->where] = val;
		break;
	}
	return 0;
}
