// SPDX-License-Identifier: GPL-2.0
/*
 * VM-entry checks on the guest-state area other than the segment
 * registers (SDM 27.3.1.1, 27.3.1.4-27.3.1.6): a failure is a VM exit
 * with basic reason 33 (invalid guest state).
 */
#include "check_internal.h"

/* IA32_DEBUGCTL bits Intel defines: 0, 1 and 15:6. */
#define DEBUGCTL_VALID		0xffc3ULL
/* RFLAGS: bits 63:22, 15, 5 and 3 are reserved (must be 0). */
#define RFLAGS_RESERVED		0xffffffffffc08028ULL
#define RFLAGS_FIXED1		BIT_ULL(1)
/* Architecturally reserved bits of IA32_RTIT_CTL (SDM Vol. 3C 33.2.8.2). */
#define RTIT_CTL_RESERVED	(BIT_ULL(18) | BIT_ULL(23) | 0xf0000000ULL | \
				 0x00ff000000000000ULL | \
				 0xfe00000000000000ULL)
/* Pending debug exceptions: B3-B0, enabled breakpoint, BS, RTM. */
#define PDBG_B0_B3		0xfULL
#define PDBG_ENABLED_BP		BIT_ULL(12)
#define PDBG_BS			BIT_ULL(14)
#define PDBG_RTM		BIT_ULL(16)

/* Guest fields that must hold canonical addresses, some only if loaded. */
static const struct {
	enum vmxhv_rule_idx rule;
	u32 field;
	u32 entry_ctl;	/* needed VM-entry control, 0: always checked */
} guest_canonical[] = {
	{ VMXHV_R_GUEST_SYSENTER, VF_GUEST_SYSENTER_ESP, 0 },
	{ VMXHV_R_GUEST_SYSENTER, VF_GUEST_SYSENTER_EIP, 0 },
	{ VMXHV_R_GUEST_ISST, VF_GUEST_INTR_SSP_TABLE,
	  VMXHV_ENTRYC_LOAD_CET },
};

static void check_guest_crs(struct vmxhv_chk *c)
{
	const struct vmxhv_caps *caps = c->caps;
	u64 cr0 = c->cr0, cr4 = c->cr4, fixed0, bad, val;

	/*
	 * CD and NW are never checked (VM entry does not change them); PE
	 * and PG may be 0 for an unrestricted guest.
	 */
	fixed0 = caps->cr0_fixed0;
	if (c->ug)
		fixed0 &= ~(CHK_CR0_PE | CHK_CR0_PG);
	bad = ((~cr0 & fixed0) | (cr0 & ~caps->cr0_fixed1)) &
	      ~(CHK_CR0_CD | CHK_CR0_NW);
	chk_fail_if(c, bad, VMXHV_R_GUEST_CR0, VF_GUEST_CR0, cr0);
	chk_fail_if(c, (cr0 & CHK_CR0_PG) && !(cr0 & CHK_CR0_PE),
		    VMXHV_R_GUEST_CR0_PG, VF_GUEST_CR0, cr0);
	bad = (~cr4 & caps->cr4_fixed0) | (cr4 & ~caps->cr4_fixed1);
	chk_fail_if(c, bad, VMXHV_R_GUEST_CR4, VF_GUEST_CR4, cr4);
	if ((cr4 & CHK_CR4_CET) && !(cr0 & CHK_CR0_WP))
		chk_report2(c, VMXHV_R_GUEST_CET_WP, VF_GUEST_CR4, cr4,
			    VF_GUEST_CR0, cr0);

	if (c->entry & VMXHV_ENTRYC_LOAD_DEBUG) {
		val = chk_rd(c, VF_GUEST_IA32_DEBUGCTL);
		chk_fail_if(c, val & ~DEBUGCTL_VALID, VMXHV_R_GUEST_DEBUGCTL,
			    VF_GUEST_IA32_DEBUGCTL, val);
	}
	if (c->ia32e) {
		if (!(cr0 & CHK_CR0_PG))
			chk_report2(c, VMXHV_R_GUEST_IA32E_PG, VF_GUEST_CR0,
				    cr0, VF_VM_ENTRY_CONTROLS, c->entry);
		if (!(cr4 & CHK_CR4_PAE))
			chk_report2(c, VMXHV_R_GUEST_IA32E_PAE, VF_GUEST_CR4,
				    cr4, VF_VM_ENTRY_CONTROLS, c->entry);
	} else if (cr4 & CHK_CR4_PCIDE) {
		chk_report2(c, VMXHV_R_GUEST_PCIDE, VF_GUEST_CR4, cr4,
			    VF_VM_ENTRY_CONTROLS, c->entry);
	}
	val = chk_rd(c, VF_GUEST_CR3);
	chk_fail_if(c, !chk_phys_ok(c, val, 1), VMXHV_R_GUEST_CR3,
		    VF_GUEST_CR3, val);
	if (c->entry & VMXHV_ENTRYC_LOAD_DEBUG) {
		val = chk_rd(c, VF_GUEST_DR7);
		chk_fail_if(c, val >> 32, VMXHV_R_GUEST_DR7, VF_GUEST_DR7, val);
	}
}

static void check_guest_msrs(struct vmxhv_chk *c)
{
	const struct vmxhv_caps *caps = c->caps;
	unsigned int i;
	u64 val;

	for (i = 0; i < ARRAY_SIZE(guest_canonical); i++) {
		if (guest_canonical[i].entry_ctl &&
		    !(c->entry & guest_canonical[i].entry_ctl))
			continue;
		val = chk_rd(c, guest_canonical[i].field);
		chk_fail_if(c, !chk_canonical(c, val), guest_canonical[i].rule,
			    guest_canonical[i].field, val);
	}
	if ((c->entry & VMXHV_ENTRYC_LOAD_PERF_GLOBAL) &&
	    caps->perf_global_ctrl) {
		val = chk_rd(c, VF_GUEST_IA32_PERF_GLOBAL_CTRL);
		chk_fail_if(c, val & ~caps->perf_global_ctrl,
			    VMXHV_R_GUEST_PERF_GLOBAL,
			    VF_GUEST_IA32_PERF_GLOBAL_CTRL, val);
	}
	if (c->entry & VMXHV_ENTRYC_LOAD_PAT) {
		val = chk_rd(c, VF_GUEST_IA32_PAT);
		chk_fail_if(c, !chk_pat_ok(val), VMXHV_R_GUEST_PAT,
			    VF_GUEST_IA32_PAT, val);
	}
	if (c->entry & VMXHV_ENTRYC_LOAD_EFER) {
		val = chk_rd(c, VF_GUEST_IA32_EFER);
		chk_fail_if(c, val & ~CHK_EFER_VALID, VMXHV_R_GUEST_EFER,
			    VF_GUEST_IA32_EFER, val);
		if (!!(val & CHK_EFER_LMA) != c->ia32e)
			chk_report2(c, VMXHV_R_GUEST_EFER_LMA,
				    VF_GUEST_IA32_EFER, val,
				    VF_VM_ENTRY_CONTROLS, c->entry);
		if ((c->cr0 & CHK_CR0_PG) &&
		    !!(val & CHK_EFER_LME) != c->ia32e)
			chk_report2(c, VMXHV_R_GUEST_EFER_LME,
				    VF_GUEST_IA32_EFER, val,
				    VF_VM_ENTRY_CONTROLS, c->entry);
	}
	if (c->entry & VMXHV_ENTRYC_LOAD_BNDCFGS) {
		/* Bits 63:12 are the bound directory's linear address. */
		val = chk_rd(c, VF_GUEST_BNDCFGS);
		chk_fail_if(c, (val & 0xffc) ||
			    !chk_canonical(c, val & ~0xfffULL),
			    VMXHV_R_GUEST_BNDCFGS, VF_GUEST_BNDCFGS, val);
	}
	if (c->entry & VMXHV_ENTRYC_LOAD_RTIT) {
		val = chk_rd(c, VF_GUEST_IA32_RTIT_CTL);
		chk_fail_if(c, val & RTIT_CTL_RESERVED, VMXHV_R_GUEST_RTIT,
			    VF_GUEST_IA32_RTIT_CTL, val);
	}
	if (c->entry & VMXHV_ENTRYC_LOAD_CET) {
		val = chk_rd(c, VF_GUEST_S_CET);
		chk_fail_if(c, !chk_s_cet_ok(c, val), VMXHV_R_GUEST_S_CET,
			    VF_GUEST_S_CET, val);
	}
	if (c->entry & VMXHV_ENTRYC_LOAD_PKRS) {
		val = chk_rd(c, VF_GUEST_IA32_PKRS);
		chk_fail_if(c, val >> 32, VMXHV_R_GUEST_PKRS,
			    VF_GUEST_IA32_PKRS, val);
	}
}

static bool injecting(const struct vmxhv_chk *c, unsigned int type)
{
	return (c->intr_info & VMXHV_INTR_VALID) &&
	       ((c->intr_info >> VMXHV_INTR_TYPE_SHIFT) &
		VMXHV_INTR_TYPE_MASK) == type;
}

/*
 * RFLAGS (SDM 27.3.1.4), checked before the segment registers: with VM
 * set where it may not be (IA-32e mode, CR0.PE 0) the flag is the error,
 * not the segment registers that do not suit virtual-8086 mode.
 */
static void check_rflags(struct vmxhv_chk *c)
{
	u64 rf = c->rflags;

	chk_fail_if(c, rf & RFLAGS_RESERVED, VMXHV_R_GUEST_RFLAGS_RSVD,
		    VF_GUEST_RFLAGS, rf);
	chk_fail_if(c, !(rf & RFLAGS_FIXED1), VMXHV_R_GUEST_RFLAGS_BIT1,
		    VF_GUEST_RFLAGS, rf);
	if ((rf & CHK_RFLAGS_VM) && (c->ia32e || !(c->cr0 & CHK_CR0_PE)))
		chk_report2(c, VMXHV_R_GUEST_RFLAGS_VM, VF_GUEST_RFLAGS, rf,
			    c->ia32e ? VF_VM_ENTRY_CONTROLS : VF_GUEST_CR0,
			    c->ia32e ? c->entry : c->cr0);
	if (injecting(c, VMXHV_INTR_EXT) && !(rf & CHK_RFLAGS_IF))
		chk_report2(c, VMXHV_R_GUEST_RFLAGS_IF, VF_GUEST_RFLAGS, rf,
			    VF_VM_ENTRY_INTR_INFO_FIELD, c->intr_info);
}

/* RIP and SSP (SDM 27.3.1.4): whether they are 64-bit depends on CS.L. */
static void check_rip_ssp(struct vmxhv_chk *c)
{
	bool long64 = c->ia32e && (c->cs_ar & VMXHV_AR_L);
	u64 rip = chk_rd(c, VF_GUEST_RIP), ssp;

	if (!long64)
		chk_fail_if(c, rip >> 32, VMXHV_R_GUEST_RIP_HIGH, VF_GUEST_RIP,
			    rip);
	else
		chk_fail_if(c, !chk_canonical(c, rip), VMXHV_R_GUEST_RIP_CANON,
			    VF_GUEST_RIP, rip);

	if (!(c->entry & VMXHV_ENTRYC_LOAD_CET))
		return;
	ssp = chk_rd(c, VF_GUEST_SSP);
	chk_fail_if(c, (ssp & 3) || (long64 ? !chk_canonical(c, ssp) :
				     (ssp >> 32) != 0),
		    VMXHV_R_GUEST_SSP, VF_GUEST_SSP, ssp);
}

/*
 * May an event of this type and vector be injected into a logical
 * processor entering this activity state (SDM 27.3.1.5)?
 */
static bool inject_allowed(unsigned int act, unsigned int type,
			   unsigned int vector)
{
	switch (act) {
	case VMXHV_ACTIVITY_ACTIVE:
		return true;
	case VMXHV_ACTIVITY_HLT:
		/* External interrupt, NMI, #DB, #MC, pending MTF. */
		return type == VMXHV_INTR_EXT || type == VMXHV_INTR_NMI ||
		       (type == VMXHV_INTR_HW_EXC &&
			(vector == 1 || vector == 18)) ||
		       (type == VMXHV_INTR_OTHER && vector == 0);
	case VMXHV_ACTIVITY_SHUTDOWN:
		return type == VMXHV_INTR_NMI ||
		       (type == VMXHV_INTR_HW_EXC && vector == 18);
	default:
		return false;
	}
}

static void check_activity(struct vmxhv_chk *c, u64 act, u64 intr)
{
	static const u64 act_cap[] = {
		[VMXHV_ACTIVITY_HLT]		= VMXHV_MISC_ACT_HLT,
		[VMXHV_ACTIVITY_SHUTDOWN]	= VMXHV_MISC_ACT_SHUTDOWN,
		[VMXHV_ACTIVITY_WAIT_SIPI]	= VMXHV_MISC_ACT_WAIT_SIPI,
	};
	u32 info = c->intr_info;
	bool ok;

	ok = act == VMXHV_ACTIVITY_ACTIVE ||
	     (act < ARRAY_SIZE(act_cap) && (c->caps->misc & act_cap[act]));
	chk_fail_if(c, !ok, VMXHV_R_GUEST_ACTIVITY, VF_GUEST_ACTIVITY_STATE,
		    act);
	if (act == VMXHV_ACTIVITY_HLT && ((c->ss_ar >> VMXHV_AR_DPL_SHIFT) & 3))
		chk_report2(c, VMXHV_R_GUEST_ACT_HLT, VF_GUEST_ACTIVITY_STATE,
			    act, VF_GUEST_SS_AR_BYTES, c->ss_ar);
	if (act != VMXHV_ACTIVITY_ACTIVE &&
	    (intr & (VMXHV_INTRST_STI | VMXHV_INTRST_MOV_SS)))
		chk_report2(c, VMXHV_R_GUEST_ACT_BLOCK, VF_GUEST_ACTIVITY_STATE,
			    act, VF_GUEST_INTERRUPTIBILITY_INFO, intr);
	if ((info & VMXHV_INTR_VALID) &&
	    !inject_allowed(act, (info >> VMXHV_INTR_TYPE_SHIFT) &
			    VMXHV_INTR_TYPE_MASK, info & VMXHV_INTR_VECTOR))
		chk_report2(c, VMXHV_R_GUEST_ACT_INJECT,
			    VF_GUEST_ACTIVITY_STATE, act,
			    VF_VM_ENTRY_INTR_INFO_FIELD, info);
	if (act == VMXHV_ACTIVITY_WAIT_SIPI && (c->entry & VMXHV_ENTRYC_SMM))
		chk_report2(c, VMXHV_R_GUEST_ACT_SMM, VF_GUEST_ACTIVITY_STATE,
			    act, VF_VM_ENTRY_CONTROLS, c->entry);
}

static void check_interruptibility(struct vmxhv_chk *c, u64 intr)
{
	const u32 f = VF_GUEST_INTERRUPTIBILITY_INFO;
	bool nmi = injecting(c, VMXHV_INTR_NMI);

	chk_fail_if(c, intr & ~0x1fULL, VMXHV_R_GUEST_INTR_RSVD, f, intr);
	chk_fail_if(c, (intr & VMXHV_INTRST_STI) && (intr & VMXHV_INTRST_MOV_SS),
		    VMXHV_R_GUEST_INTR_BOTH, f, intr);
	if ((intr & VMXHV_INTRST_STI) && !(c->rflags & CHK_RFLAGS_IF))
		chk_report2(c, VMXHV_R_GUEST_INTR_STI_IF, f, intr,
			    VF_GUEST_RFLAGS, c->rflags);
	if (injecting(c, VMXHV_INTR_EXT) &&
	    (intr & (VMXHV_INTRST_STI | VMXHV_INTRST_MOV_SS)))
		chk_report2(c, VMXHV_R_GUEST_INTR_EXT, f, intr,
			    VF_VM_ENTRY_INTR_INFO_FIELD, c->intr_info);
	if (nmi && (intr & VMXHV_INTRST_MOV_SS))
		chk_report2(c, VMXHV_R_GUEST_INTR_NMI, f, intr,
			    VF_VM_ENTRY_INTR_INFO_FIELD, c->intr_info);
	if (nmi && (intr & VMXHV_INTRST_STI))
		chk_report2(c, VMXHV_R_GUEST_INTR_NMI_STI, f, intr,
			    VF_VM_ENTRY_INTR_INFO_FIELD, c->intr_info);
	/* The module never enters VMX non-root operation from SMM. */
	chk_fail_if(c, intr & VMXHV_INTRST_SMI, VMXHV_R_GUEST_INTR_SMI, f,
		    intr);
	if (nmi && (c->pin & VMXHV_PIN_VIRTUAL_NMIS) &&
	    (intr & VMXHV_INTRST_NMI))
		chk_report2(c, VMXHV_R_GUEST_INTR_VNMI, f, intr,
			    VF_VM_ENTRY_INTR_INFO_FIELD, c->intr_info);
	if ((intr & VMXHV_INTRST_ENCLAVE) &&
	    ((intr & VMXHV_INTRST_MOV_SS) ||
	     !(c->caps->cpu_features & VMXHV_CPUF_SGX)))
		chk_report(c, VMXHV_R_GUEST_INTR_ENCL, f, intr);
}

static void check_pending_dbg(struct vmxhv_chk *c, u64 act, u64 intr)
{
	const u32 f = VF_GUEST_PENDING_DBG_EXCEPTIONS;
	u64 pd = chk_rd(c, f), debugctl;
	bool want_bs;

	chk_fail_if(c, pd & ~(PDBG_B0_B3 | PDBG_ENABLED_BP | PDBG_BS | PDBG_RTM),
		    VMXHV_R_GUEST_PDBG_RSVD, f, pd);

	/*
	 * A single-step trap is pending exactly when TF is set and BTF is
	 * not, while STI/MOV SS blocking or HLT held it back.
	 */
	if ((intr & (VMXHV_INTRST_STI | VMXHV_INTRST_MOV_SS)) ||
	    act == VMXHV_ACTIVITY_HLT) {
		debugctl = chk_rd(c, VF_GUEST_IA32_DEBUGCTL);
		want_bs = (c->rflags & CHK_RFLAGS_TF) &&
			  !(debugctl & CHK_DEBUGCTL_BTF);
		if (!!(pd & PDBG_BS) != want_bs)
			chk_report2(c, VMXHV_R_GUEST_PDBG_BS, f, pd,
				    VF_GUEST_RFLAGS, c->rflags);
	}

	/* RTM: an enabled breakpoint inside a transaction, nothing else. */
	if ((pd & PDBG_RTM) &&
	    (!(c->caps->cpu_features & VMXHV_CPUF_RTM) ||
	     (pd & 0xfffULL) || (pd & 0xe000ULL) || !(pd & PDBG_ENABLED_BP) ||
	     (intr & VMXHV_INTRST_MOV_SS)))
		chk_report2(c, VMXHV_R_GUEST_PDBG_RTM, f, pd,
			    VF_GUEST_INTERRUPTIBILITY_INFO, intr);
}

/* VMCS link pointer (SDM 27.3.1.5): exit qualification 4. */
static void check_link_pointer(struct vmxhv_chk *c)
{
	const u32 f = VF_VMCS_LINK_POINTER;
	u64 link = chk_rd(c, f), q;
	u32 want;

	if (link == ~0ULL)
		return;
	if (!chk_phys_ok(c, link, 4096)) {
		chk_report(c, VMXHV_R_GUEST_LINK_ADDR, f, link);
		return;
	}
	/* Bits 30:0 revision id, bit 31 set iff it is a shadow VMCS. */
	want = c->caps->vmcs_revision & 0x7fffffff;
	if (c->proc2 & VMXHV_PROC2_SHADOW_VMCS)
		want |= BIT(31);
	if (!chk_read_phys(c, link, &q) && (u32)q != want)
		chk_report2(c, VMXHV_R_GUEST_LINK_REV, f, link,
			    VF_SECONDARY_VM_EXEC_CONTROL, c->proc2);
	if (c->v->vmcs_pa != ~0ULL && link == c->v->vmcs_pa)
		chk_report(c, VMXHV_R_GUEST_LINK_SELF, f, link);
}

/*
 * PAE paging outside IA-32e mode loads the four PDPTEs at VM entry
 * (SDM 27.3.1.6): from the VMCS with EPT, else from the 32-byte-aligned
 * table CR3 points to. Reserved bits of a present entry: 2:1, 8:5 and
 * those at or above MAXPHYADDR.
 */
static void check_pdptes(struct vmxhv_chk *c)
{
	static const u32 pdptr[] = {
		VF_GUEST_PDPTR0, VF_GUEST_PDPTR1, VF_GUEST_PDPTR2,
		VF_GUEST_PDPTR3,
	};
	unsigned int i, w = c->caps->maxphyaddr ? c->caps->maxphyaddr : 52;
	u64 rsvd = 0x1e6ULL | (~0ULL << w), cr3 = 0, e;
	bool ept = c->proc2 & VMXHV_PROC2_EPT;

	if (c->ia32e || !(c->cr0 & CHK_CR0_PG) || !(c->cr4 & CHK_CR4_PAE))
		return;
	if (!ept)
		cr3 = chk_rd(c, VF_GUEST_CR3);
	for (i = 0; i < ARRAY_SIZE(pdptr); i++) {
		if (ept)
			e = chk_rd(c, pdptr[i]);
		else if (chk_read_phys(c, (cr3 & 0xffffffe0ULL) + i * 8, &e))
			return;
		if (!(e & 1) || !(e & rsvd))
			continue;
		if (ept)
			chk_report(c, VMXHV_R_GUEST_PDPTE, pdptr[i], e);
		else
			chk_report(c, VMXHV_R_GUEST_PDPTE, VF_GUEST_CR3, cr3);
		return;
	}
}

void vmxhv_check_guest(struct vmxhv_chk *c)
{
	u64 act, intr;

	check_guest_crs(c);
	check_guest_msrs(c);
	check_rflags(c);
	vmxhv_check_segments(c);
	check_rip_ssp(c);

	act = chk_rd(c, VF_GUEST_ACTIVITY_STATE);
	intr = chk_rd(c, VF_GUEST_INTERRUPTIBILITY_INFO);
	check_activity(c, act, intr);
	check_interruptibility(c, intr);
	check_pending_dbg(c, act, intr);
	check_link_pointer(c);
	check_pdptes(c);
}
