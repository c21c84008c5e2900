// SPDX-License-Identifier: GPL-2.0
/*
 * Read the VMX capability MSRs once into vmxhv_caps.  Every later user
 * (control adjustment, `info`, the entry checker) reads the structure,
 * never the MSRs; each CPU entering VMX operation is checked against it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <asm/fpu/xcr.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/vmx.h>

#include "vmxhv.h"
#include "vmxhv/cpu_rules.h"

struct vmxhv_caps vmxhv_caps;
bool vmxhv_has_debugctl;
u64 vmxhv_guest_xcr0;

/* A control MSR: low half = must-be-1 bits, high half = may-be-1 bits. */
static int read_ctl(u32 msr, struct vmxhv_ctl_caps *c)
{
	u64 v;
	int err = rdmsrl_safe(msr, &v);

	if (err)
		return err;
	c->must_be_1 = lower_32_bits(v);
	c->may_be_1 = upper_32_bits(v);
	return 0;
}

/*
 * With IA32_VMX_BASIC bit 55 set, the TRUE_* MSRs report the real
 * allowed-0 settings (some default-1 bits may then be cleared).
 */
static int read_ctls(struct vmxhv_caps *c)
{
	bool t = c->true_controls;
	int err;

	err = read_ctl(t ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
		       MSR_IA32_VMX_PINBASED_CTLS, &c->pin);
	err = err ?: read_ctl(t ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
			      MSR_IA32_VMX_PROCBASED_CTLS, &c->proc);
	err = err ?: read_ctl(t ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
			      MSR_IA32_VMX_EXIT_CTLS, &c->exit);
	err = err ?: read_ctl(t ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
			      MSR_IA32_VMX_ENTRY_CTLS, &c->entry);
	if (err)
		return err;

	if (vmxhv_ctl_allows(&c->proc, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)) {
		err = read_ctl(MSR_IA32_VMX_PROCBASED_CTLS2, &c->proc2);
		if (err)
			return err;
	}
	if (c->proc2.may_be_1 & (SECONDARY_EXEC_ENABLE_EPT |
				 SECONDARY_EXEC_ENABLE_VPID))
		rdmsrl_safe(MSR_IA32_VMX_EPT_VPID_CAP, &c->ept_vpid);
	if (vmxhv_ctl_allows(&c->proc2, SECONDARY_EXEC_ENABLE_VMFUNC))
		rdmsrl_safe(MSR_IA32_VMX_VMFUNC, &c->vmfunc);
	if (vmxhv_ctl_allows(&c->proc, BIT(17)))	/* tertiary controls */
		rdmsrl_safe(0x492, &c->procbased3);	/* IA32_VMX_PROCBASED_CTLS3 */
	return 0;
}

/* The CPU facts the entry checker needs beyond the VMX MSRs. */
static void read_cpu_facts(struct vmxhv_caps *c)
{
	unsigned int eax, ebx, ecx, edx;

	c->linaddr_bits = boot_cpu_data.x86_virt_bits;
	if (boot_cpu_data.cpuid_level >= 7) {
		cpuid_count(7, 0, &eax, &ebx, &ecx, &edx);
		c->cpu_features = (ebx & BIT(11) ? VMXHV_CPUF_RTM : 0) |
				  (ebx & BIT(2) ? VMXHV_CPUF_SGX : 0) |
				  (ecx & BIT(7) ? VMXHV_CPUF_CET_SS : 0);
	}
	if (boot_cpu_data.cpuid_level >= 0xa) {
		unsigned int gp, fixed;

		cpuid(0xa, &eax, &ebx, &ecx, &edx);
		gp = min((eax >> 8) & 0xff, 32U);
		fixed = edx & 0x1f;
		if (gp)
			c->perf_global_ctrl |= GENMASK_ULL(gp - 1, 0);
		if (fixed)
			c->perf_global_ctrl |= GENMASK_ULL(fixed + 31, 32);
	}
}

/*
 * Everything vmxhv_caps holds that comes from the VMX MSRs: what
 * vmxhv_caps_differ() compares CPU by CPU.
 */
static int read_msrs(struct vmxhv_caps *c)
{
	int err;

	err = rdmsrl_safe(MSR_IA32_VMX_BASIC, &c->basic);
	err = err ?: rdmsrl_safe(MSR_IA32_VMX_MISC, &c->misc);
	err = err ?: rdmsrl_safe(MSR_IA32_VMX_CR0_FIXED0, &c->cr0_fixed0);
	err = err ?: rdmsrl_safe(MSR_IA32_VMX_CR0_FIXED1, &c->cr0_fixed1);
	err = err ?: rdmsrl_safe(MSR_IA32_VMX_CR4_FIXED0, &c->cr4_fixed0);
	err = err ?: rdmsrl_safe(MSR_IA32_VMX_CR4_FIXED1, &c->cr4_fixed1);
	if (err)
		return -EIO;
	c->true_controls = c->basic & VMXHV_BASIC_TRUE_CTLS;
	return read_ctls(c) ? -EIO : 0;
}

int vmxhv_caps_read(void)
{
	struct vmxhv_caps *c = &vmxhv_caps;
	u64 v;

	if (read_msrs(c))
		return -EIO;

	/* Some CPUs (Bochs models among them) have no IA32_DEBUGCTL. */
	vmxhv_has_debugctl = !rdmsrl_safe(MSR_IA32_DEBUGCTLMSR, &v);

	c->vmcs_revision = c->basic & 0x7fffffff;
	c->vmcs_size = (c->basic >> 32) & 0x1fff;
	c->maxphyaddr = boot_cpu_data.x86_phys_bits;
	read_cpu_facts(c);
	/* The kernel sets XCR0 once at boot, the same on every CPU. */
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		vmxhv_guest_xcr0 = vmxhv_guest_xcr0_mask(xgetbv(0));
	return 0;
}

#define DIFFERS(msr) \
	"its " msr " differs from the value read at load (VMX capabilities must match)"

static bool ctl_same(const struct vmxhv_ctl_caps *a, const struct vmxhv_ctl_caps *b)
{
	return a->must_be_1 == b->must_be_1 && a->may_be_1 == b->may_be_1;
}

/* The first MSR read_msrs() read differently here, or NULL. */
static const char *first_difference(const struct vmxhv_caps *h,
				    const struct vmxhv_caps *c)
{
	if (h->basic != c->basic)
		return DIFFERS("IA32_VMX_BASIC");
	if (h->misc != c->misc)
		return DIFFERS("IA32_VMX_MISC");
	if (h->cr0_fixed0 != c->cr0_fixed0 || h->cr0_fixed1 != c->cr0_fixed1)
		return DIFFERS("IA32_VMX_CR0_FIXED0/1");
	if (h->cr4_fixed0 != c->cr4_fixed0 || h->cr4_fixed1 != c->cr4_fixed1)
		return DIFFERS("IA32_VMX_CR4_FIXED0/1");
	if (!ctl_same(&h->pin, &c->pin))
		return DIFFERS("IA32_VMX_(TRUE_)PINBASED_CTLS");
	if (!ctl_same(&h->proc, &c->proc))
		return DIFFERS("IA32_VMX_(TRUE_)PROCBASED_CTLS");
	if (!ctl_same(&h->exit, &c->exit))
		return DIFFERS("IA32_VMX_(TRUE_)EXIT_CTLS");
	if (!ctl_same(&h->entry, &c->entry))
		return DIFFERS("IA32_VMX_(TRUE_)ENTRY_CTLS");
	if (!ctl_same(&h->proc2, &c->proc2))
		return DIFFERS("IA32_VMX_PROCBASED_CTLS2");
	if (h->ept_vpid != c->ept_vpid)
		return DIFFERS("IA32_VMX_EPT_VPID_CAP");
	if (h->vmfunc != c->vmfunc)
		return DIFFERS("IA32_VMX_VMFUNC");
	if (h->procbased3 != c->procbased3)
		return DIFFERS("IA32_VMX_PROCBASED_CTLS3");
	return NULL;
}

/*
 * On the CPU about to enter VMX operation: the capabilities were read on
 * one CPU at load, and every VMCS is built from them, so a CPU whose VMX
 * MSRs say otherwise could fail VM entries or run guests differently.
 * Like KVM's vmx_check_processor_compat(), refuse it.  Returns NULL when
 * the CPU matches, else why it does not.
 */
const char *vmxhv_caps_differ(void)
{
	struct vmxhv_caps here = {};

	if (read_msrs(&here))
		return "cannot read its VMX capability MSRs";
	return first_difference(&here, &vmxhv_caps);
}
