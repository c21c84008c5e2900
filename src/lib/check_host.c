// SPDX-License-Identifier: GPL-2.0
/*
 * VM-entry checks on the host-state area (SDM 27.2.2-27.2.4): a failure
 * makes VMLAUNCH/VMRESUME fail with VM-instruction error 8.
 */
#include "check_internal.h"

/* Host fields that must hold canonical addresses, some only if loaded. */
static const struct {
	enum vmxhv_rule_idx rule;
	u32 field;
	u32 exit_ctl;	/* needed VM-exit control, 0: always checked */
} host_canonical[] = {
	{ VMXHV_R_HOST_ISST, VF_HOST_INTR_SSP_TABLE, VMXHV_EXITC_LOAD_CET },
	{ VMXHV_R_HOST_SYSENTER, VF_HOST_IA32_SYSENTER_ESP, 0 },
	{ VMXHV_R_HOST_SYSENTER, VF_HOST_IA32_SYSENTER_EIP, 0 },
};

/* Checked after the selectors, as SDM 27.2.3 lists them. */
static const u32 host_bases[] = {
	VF_HOST_FS_BASE, VF_HOST_GS_BASE, VF_HOST_GDTR_BASE, VF_HOST_IDTR_BASE,
	VF_HOST_TR_BASE,
};

static const u32 host_selectors[] = {
	VF_HOST_ES_SELECTOR, VF_HOST_CS_SELECTOR, VF_HOST_SS_SELECTOR,
	VF_HOST_DS_SELECTOR, VF_HOST_FS_SELECTOR, VF_HOST_GS_SELECTOR,
	VF_HOST_TR_SELECTOR,
};

/* Bits of CR0/CR4 outside what IA32_VMX_CRn_FIXED0/FIXED1 allow. */
static u64 fixed_bad(u64 val, u64 fixed0, u64 fixed1)
{
	return (~val & fixed0) | (val & ~fixed1);
}

static void check_host_regs(struct vmxhv_chk *c)
{
	const struct vmxhv_caps *caps = c->caps;
	u64 cr0, cr4, val;
	unsigned int i;

	/* VM exits leave CD and NW alone, so VM entry does not check them. */
	cr0 = chk_rd(c, VF_HOST_CR0);
	chk_fail_if(c, fixed_bad(cr0, caps->cr0_fixed0, caps->cr0_fixed1) &
		    ~(CHK_CR0_CD | CHK_CR0_NW),
		    VMXHV_R_HOST_CR0, VF_HOST_CR0, cr0);
	cr4 = chk_rd(c, VF_HOST_CR4);
	chk_fail_if(c, fixed_bad(cr4, caps->cr4_fixed0, caps->cr4_fixed1),
		    VMXHV_R_HOST_CR4, VF_HOST_CR4, cr4);
	val = chk_rd(c, VF_HOST_CR3);
	chk_fail_if(c, !chk_phys_ok(c, val, 1), VMXHV_R_HOST_CR3,
		    VF_HOST_CR3, val);
	if ((cr4 & CHK_CR4_CET) && !(cr0 & CHK_CR0_WP))
		chk_report2(c, VMXHV_R_HOST_CET_WP, VF_HOST_CR4, cr4,
			    VF_HOST_CR0, cr0);

	if (c->exit & VMXHV_EXITC_LOAD_CET) {
		val = chk_rd(c, VF_HOST_S_CET);
		chk_fail_if(c, !chk_s_cet_ok(c, val), VMXHV_R_HOST_S_CET,
			    VF_HOST_S_CET, val);
	}
	for (i = 0; i < ARRAY_SIZE(host_canonical); i++) {
		if (host_canonical[i].exit_ctl &&
		    !(c->exit & host_canonical[i].exit_ctl))
			continue;
		val = chk_rd(c, host_canonical[i].field);
		chk_fail_if(c, !chk_canonical(c, val), host_canonical[i].rule,
			    host_canonical[i].field, val);
	}
	if (c->exit & VMXHV_EXITC_LOAD_CET) {
		/* Canonical or 32-bit by address-space size: 27.2.4. */
		val = chk_rd(c, VF_HOST_SSP);
		chk_fail_if(c, (val & 3) || (c->host64 &&
					     !chk_canonical(c, val)),
			    VMXHV_R_HOST_SSP, VF_HOST_SSP, val);
	}

	if ((c->exit & VMXHV_EXITC_LOAD_PERF_GLOBAL) && caps->perf_global_ctrl) {
		val = chk_rd(c, VF_HOST_IA32_PERF_GLOBAL_CTRL);
		chk_fail_if(c, val & ~caps->perf_global_ctrl,
			    VMXHV_R_HOST_PERF_GLOBAL,
			    VF_HOST_IA32_PERF_GLOBAL_CTRL, val);
	}
	if (c->exit & VMXHV_EXITC_LOAD_PAT) {
		val = chk_rd(c, VF_HOST_IA32_PAT);
		chk_fail_if(c, !chk_pat_ok(val), VMXHV_R_HOST_PAT,
			    VF_HOST_IA32_PAT, val);
	}
	if (c->exit & VMXHV_EXITC_LOAD_EFER) {
		val = chk_rd(c, VF_HOST_IA32_EFER);
		chk_fail_if(c, val & ~CHK_EFER_VALID, VMXHV_R_HOST_EFER,
			    VF_HOST_IA32_EFER, val);
		if (!!(val & CHK_EFER_LMA) != c->host64 ||
		    !!(val & CHK_EFER_LME) != c->host64)
			chk_report2(c, VMXHV_R_HOST_EFER_LMA, VF_HOST_IA32_EFER,
				    val, VF_VM_EXIT_CONTROLS, c->exit);
	}
	if (c->exit & VMXHV_EXITC_LOAD_PKRS) {
		val = chk_rd(c, VF_HOST_IA32_PKRS);
		chk_fail_if(c, val >> 32, VMXHV_R_HOST_PKRS,
			    VF_HOST_IA32_PKRS, val);
	}
}

static void check_host_segments(struct vmxhv_chk *c)
{
	unsigned int i;
	u64 val;

	for (i = 0; i < ARRAY_SIZE(host_selectors); i++) {
		val = chk_rd(c, host_selectors[i]);
		chk_fail_if(c, val & 7, VMXHV_R_HOST_SEL, host_selectors[i],
			    val);
	}
	val = chk_rd(c, VF_HOST_CS_SELECTOR);
	chk_fail_if(c, !val, VMXHV_R_HOST_CS_NULL, VF_HOST_CS_SELECTOR, val);
	val = chk_rd(c, VF_HOST_TR_SELECTOR);
	chk_fail_if(c, !val, VMXHV_R_HOST_TR_NULL, VF_HOST_TR_SELECTOR, val);
	if (!c->host64) {
		val = chk_rd(c, VF_HOST_SS_SELECTOR);
		chk_fail_if(c, !val, VMXHV_R_HOST_SS_NULL,
			    VF_HOST_SS_SELECTOR, val);
	}
	for (i = 0; i < ARRAY_SIZE(host_bases); i++) {
		val = chk_rd(c, host_bases[i]);
		chk_fail_if(c, !chk_canonical(c, val), VMXHV_R_HOST_BASE,
			    host_bases[i], val);
	}
}

/*
 * SDM 27.2.4. The module runs VM entry from a 64-bit kernel, so the CPU
 * is in IA-32e mode and the host address-space size must be 1; the
 * size-0 rules are still applied to explain what else would be wrong.
 */
static void check_addr_size(struct vmxhv_chk *c)
{
	u64 cr4 = chk_rd(c, VF_HOST_CR4), rip = chk_rd(c, VF_HOST_RIP), ssp;

	if (!c->host64) {
		chk_report(c, VMXHV_R_HOST_ADDR_SIZE, VF_VM_EXIT_CONTROLS,
			   c->exit);
		chk_fail_if(c, c->ia32e, VMXHV_R_HOST_ADDR32,
			    VF_VM_ENTRY_CONTROLS, c->entry);
		chk_fail_if(c, cr4 & CHK_CR4_PCIDE, VMXHV_R_HOST_ADDR32,
			    VF_HOST_CR4, cr4);
		chk_fail_if(c, rip >> 32, VMXHV_R_HOST_ADDR32, VF_HOST_RIP, rip);
		if (c->exit & VMXHV_EXITC_LOAD_CET) {
			ssp = chk_rd(c, VF_HOST_SSP);
			chk_fail_if(c, ssp >> 32, VMXHV_R_HOST_ADDR32,
				    VF_HOST_SSP, ssp);
		}
		return;
	}
	chk_fail_if(c, !(cr4 & CHK_CR4_PAE), VMXHV_R_HOST_PAE, VF_HOST_CR4,
		    cr4);
	chk_fail_if(c, !chk_canonical(c, rip), VMXHV_R_HOST_RIP, VF_HOST_RIP,
		    rip);
}

void vmxhv_check_host(struct vmxhv_chk *c)
{
	check_host_regs(c);
	check_host_segments(c);
	check_addr_size(c);
}
