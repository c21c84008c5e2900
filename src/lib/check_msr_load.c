// SPDX-License-Identifier: GPL-2.0
/*
 * VM-entry checks on the VM-entry MSR-load area (SDM 27.4): the CPU
 * loads the entries in order after the guest state; the first entry it
 * cannot load ends VM entry with exit reason 34 and that entry's 1-based
 * number as exit qualification.
 */
#include "check_internal.h"

#define MSR_MICROCODE_TRIGGER	0x79		/* IA32_BIOS_UPDT_TRIG */
#define MSR_MICROCODE_SIGN_ID	0x8b		/* IA32_BIOS_SIGN_ID */
#define MSR_SMM_MONITOR_CTL	0x9b
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101

/* Recommended maximum entries: 512 * (IA32_VMX_MISC[27:25] + 1). */
#define MISC_MSR_LIST_SHIFT	25

enum msr_kind { MSR_CANONICAL, MSR_PAT, MSR_EFER };

/*
 * MSRs whose WRMSR #GP conditions the checker knows; the value of any
 * other MSR is not judged.
 */
static const struct {
	u32 index;
	enum msr_kind kind;
} msr_values[] = {
	{ 0x175, MSR_CANONICAL },	/* IA32_SYSENTER_ESP */
	{ 0x176, MSR_CANONICAL },	/* IA32_SYSENTER_EIP */
	{ 0x277, MSR_PAT },		/* IA32_PAT */
	{ 0xc0000080, MSR_EFER },	/* IA32_EFER */
	{ 0xc0000082, MSR_CANONICAL },	/* IA32_LSTAR */
	{ 0xc0000083, MSR_CANONICAL },	/* IA32_CSTAR */
	{ 0xc0000102, MSR_CANONICAL },	/* IA32_KERNEL_GS_BASE */
};

/* Would WRMSR at CPL 0 accept @val for MSR @index? */
static bool msr_value_ok(const struct vmxhv_chk *c, u32 index, u64 val)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msr_values); i++) {
		if (msr_values[i].index != index)
			continue;
		switch (msr_values[i].kind) {
		case MSR_CANONICAL:
			return chk_canonical(c, val);
		case MSR_PAT:
			return chk_pat_ok(val);
		case MSR_EFER:
			/* LME may not change while the guest has paging on. */
			if ((c->cr0 & CHK_CR0_PG) &&
			    !!(val & CHK_EFER_LME) != c->ia32e)
				return false;
			return !(val & ~CHK_EFER_VALID);
		}
	}
	return true;
}

static enum vmxhv_rule_idx check_entry(const struct vmxhv_chk *c, u64 head,
				       u64 val)
{
	u32 index = head & 0xffffffff;

	if (head >> 32)
		return VMXHV_R_MSR_RESERVED;
	if (index == MSR_FS_BASE || index == MSR_GS_BASE)
		return VMXHV_R_MSR_FS_GS;
	if ((index >> 8) == 0x8)
		return VMXHV_R_MSR_X2APIC;
	if (index == MSR_SMM_MONITOR_CTL)
		return VMXHV_R_MSR_SMM;
	if (index == MSR_MICROCODE_TRIGGER || index == MSR_MICROCODE_SIGN_ID)
		return VMXHV_R_MSR_UCODE;
	if (!msr_value_ok(c, index, val))
		return VMXHV_R_MSR_VALUE;
	return VMXHV_NR_RULES;
}

void vmxhv_check_msr_load(struct vmxhv_chk *c)
{
	u64 count = chk_rd(c, VF_VM_ENTRY_MSR_LOAD_COUNT);
	u64 addr = chk_rd(c, VF_VM_ENTRY_MSR_LOAD_ADDR);
	u64 max = 512 * (((c->caps->misc >> MISC_MSR_LIST_SHIFT) & 7) + 1);
	enum vmxhv_rule_idx r;
	u64 head, val, i;

	/* A bad area address was reported with the controls. */
	if (!count || !chk_phys_ok(c, addr, 16) ||
	    !chk_phys_ok(c, addr + count * 16 - 1, 1))
		return;
	/* Past the recommended maximum the SDM promises nothing. */
	if (count > max)
		count = max;
	for (i = 0; i < count; i++) {
		if (chk_read_phys(c, addr + i * 16, &head) ||
		    chk_read_phys(c, addr + i * 16 + 8, &val))
			return;
		r = check_entry(c, head, val);
		if (r != VMXHV_NR_RULES) {
			chk_report_msr(c, r, i + 1, head, val);
			return;
		}
	}
}
