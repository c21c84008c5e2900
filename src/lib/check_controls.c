// SPDX-License-Identifier: GPL-2.0
/*
 * VM-entry checks on the VMX controls (SDM 27.2.1): a failure makes
 * VMLAUNCH/VMRESUME fail with VM-instruction error 7.
 */
#include "check_internal.h"

/* The control fields a rule can name. */
enum ctl_reg { CTL_PIN, CTL_PROC, CTL_PROC2, CTL_EXIT, CTL_ENTRY };

static const u32 ctl_field[] = {
	[CTL_PIN]	= VF_PIN_BASED_VM_EXEC_CONTROL,
	[CTL_PROC]	= VF_CPU_BASED_VM_EXEC_CONTROL,
	[CTL_PROC2]	= VF_SECONDARY_VM_EXEC_CONTROL,
	[CTL_EXIT]	= VF_VM_EXIT_CONTROLS,
	[CTL_ENTRY]	= VF_VM_ENTRY_CONTROLS,
};

static u32 ctl_val(const struct vmxhv_chk *c, enum ctl_reg reg)
{
	switch (reg) {
	case CTL_PIN:
		return c->pin;
	case CTL_PROC:
		return c->proc;
	case CTL_PROC2:
		return c->proc2;
	case CTL_EXIT:
		return c->exit;
	default:
		return c->entry;
	}
}

/* Allowed-0 and allowed-1 settings of each 32-bit control field. */
static const struct {
	enum vmxhv_rule_idx rule;
	size_t caps;	/* offset of its struct vmxhv_ctl_caps */
} ctl_allowed[] = {
	[CTL_PIN] = { VMXHV_R_CTL_PIN_ALLOWED,
		      offsetof(struct vmxhv_caps, pin) },
	[CTL_PROC] = { VMXHV_R_CTL_PROC_ALLOWED,
		       offsetof(struct vmxhv_caps, proc) },
	[CTL_PROC2] = { VMXHV_R_CTL_PROC2_ALLOWED,
			offsetof(struct vmxhv_caps, proc2) },
	[CTL_EXIT] = { VMXHV_R_CTL_EXIT_ALLOWED,
		       offsetof(struct vmxhv_caps, exit) },
	[CTL_ENTRY] = { VMXHV_R_CTL_ENTRY_ALLOWED,
			offsetof(struct vmxhv_caps, entry) },
};

static void check_allowed(struct vmxhv_chk *c, enum ctl_reg reg)
{
	const struct vmxhv_ctl_caps *cc = (const void *)((const char *)c->caps +
							 ctl_allowed[reg].caps);
	u32 val = ctl_val(c, reg);

	if ((~val & cc->must_be_1) || (val & ~cc->may_be_1))
		chk_report(c, ctl_allowed[reg].rule, ctl_field[reg], val);
}

/*
 * "If control A is 1, control B must be 1" (or must be 0 for a
 * conflict), SDM 27.2.1.1 and 27.2.1.2.
 */
static const struct ctl_dep {
	enum vmxhv_rule_idx rule;
	enum ctl_reg reg;
	u32 bits;		/* any of these set ... */
	enum ctl_reg need_reg;
	u32 need;		/* ... requires this bit (conflicts: forbids) */
	bool conflict;
} ctl_deps[] = {
	{ VMXHV_R_CTL_VNMI, CTL_PIN, VMXHV_PIN_VIRTUAL_NMIS,
	  CTL_PIN, VMXHV_PIN_NMI_EXITING, false },
	{ VMXHV_R_CTL_NMI_WINDOW, CTL_PROC, VMXHV_PROC_NMI_WINDOW,
	  CTL_PIN, VMXHV_PIN_VIRTUAL_NMIS, false },
	{ VMXHV_R_CTL_TPR_SHADOW, CTL_PROC2, VMXHV_PROC2_X2APIC_MODE |
	  VMXHV_PROC2_APIC_REG_VIRT | VMXHV_PROC2_VINTR_DELIVERY,
	  CTL_PROC, VMXHV_PROC_TPR_SHADOW, false },
	{ VMXHV_R_CTL_X2APIC, CTL_PROC2, VMXHV_PROC2_X2APIC_MODE,
	  CTL_PROC2, VMXHV_PROC2_VIRT_APIC_ACCESS, true },
	{ VMXHV_R_CTL_VID, CTL_PROC2, VMXHV_PROC2_VINTR_DELIVERY,
	  CTL_PIN, VMXHV_PIN_EXT_INTR, false },
	{ VMXHV_R_CTL_PI_VID, CTL_PIN, VMXHV_PIN_POSTED_INTR,
	  CTL_PROC2, VMXHV_PROC2_VINTR_DELIVERY, false },
	{ VMXHV_R_CTL_PI_ACK, CTL_PIN, VMXHV_PIN_POSTED_INTR,
	  CTL_EXIT, VMXHV_EXITC_ACK_INTR, false },
	{ VMXHV_R_CTL_PML_EPT, CTL_PROC2, VMXHV_PROC2_PML,
	  CTL_PROC2, VMXHV_PROC2_EPT, false },
	{ VMXHV_R_CTL_UG_EPT, CTL_PROC2, VMXHV_PROC2_UNRESTRICTED,
	  CTL_PROC2, VMXHV_PROC2_EPT, false },
	{ VMXHV_R_CTL_MBEC_EPT, CTL_PROC2, VMXHV_PROC2_MBEC,
	  CTL_PROC2, VMXHV_PROC2_EPT, false },
	{ VMXHV_R_CTL_SPP_EPT, CTL_PROC2, VMXHV_PROC2_SPP,
	  CTL_PROC2, VMXHV_PROC2_EPT, false },
};

static void check_dep(struct vmxhv_chk *c, const struct ctl_dep *d)
{
	u32 val = ctl_val(c, d->reg);
	bool has = ctl_val(c, d->need_reg) & d->need;

	if (!(val & d->bits) || has != d->conflict)
		return;
	if (d->reg == d->need_reg)
		chk_report(c, d->rule, ctl_field[d->reg], val);
	else
		chk_report2(c, d->rule, ctl_field[d->reg], val,
			    ctl_field[d->need_reg], ctl_val(c, d->need_reg));
}

/*
 * Physical addresses the CPU uses when a control is 1: aligned and
 * within MAXPHYADDR (SDM 27.2.1.1).
 */
static const struct ctl_addr {
	enum vmxhv_rule_idx rule;
	u32 field;
	enum ctl_reg reg;
	u32 bit;
	u32 align;
} ctl_addrs[] = {
	{ VMXHV_R_CTL_IO_BITMAP, VF_IO_BITMAP_A, CTL_PROC,
	  VMXHV_PROC_IO_BITMAPS, 4096 },
	{ VMXHV_R_CTL_IO_BITMAP, VF_IO_BITMAP_B, CTL_PROC,
	  VMXHV_PROC_IO_BITMAPS, 4096 },
	{ VMXHV_R_CTL_MSR_BITMAP, VF_MSR_BITMAP, CTL_PROC,
	  VMXHV_PROC_MSR_BITMAPS, 4096 },
	{ VMXHV_R_CTL_VAPIC_ADDR, VF_VIRTUAL_APIC_PAGE_ADDR, CTL_PROC,
	  VMXHV_PROC_TPR_SHADOW, 4096 },
	{ VMXHV_R_CTL_APIC_ACCESS, VF_APIC_ACCESS_ADDR, CTL_PROC2,
	  VMXHV_PROC2_VIRT_APIC_ACCESS, 4096 },
	{ VMXHV_R_CTL_PI_DESC, VF_POSTED_INTR_DESC_ADDR, CTL_PIN,
	  VMXHV_PIN_POSTED_INTR, 64 },
	{ VMXHV_R_CTL_PML_ADDR, VF_PML_ADDRESS, CTL_PROC2,
	  VMXHV_PROC2_PML, 4096 },
	{ VMXHV_R_CTL_SPP_ADDR, VF_SPPT_POINTER, CTL_PROC2,
	  VMXHV_PROC2_SPP, 4096 },
	{ VMXHV_R_CTL_SHADOW_BITMAPS, VF_VMREAD_BITMAP, CTL_PROC2,
	  VMXHV_PROC2_SHADOW_VMCS, 4096 },
	{ VMXHV_R_CTL_SHADOW_BITMAPS, VF_VMWRITE_BITMAP, CTL_PROC2,
	  VMXHV_PROC2_SHADOW_VMCS, 4096 },
	{ VMXHV_R_CTL_VE_ADDR, VF_VE_INFORMATION_ADDRESS, CTL_PROC2,
	  VMXHV_PROC2_EPT_VE, 4096 },
};

static void check_addrs(struct vmxhv_chk *c)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ctl_addrs); i++) {
		const struct ctl_addr *a = &ctl_addrs[i];
		u64 pa;

		if (!(ctl_val(c, a->reg) & a->bit))
			continue;
		pa = chk_rd(c, a->field);
		chk_fail_if(c, !chk_phys_ok(c, pa, a->align), a->rule,
			    a->field, pa);
	}
}

/*
 * TPR threshold (SDM 27.2.1.1). Without virtual-interrupt delivery its
 * bits 31:4 are reserved; without APIC-access virtualization it must
 * also not exceed VTPR, which lives in the virtual-APIC page.
 */
static void check_tpr_threshold(struct vmxhv_chk *c)
{
	u64 thr, vapic, q;

	if (!(c->proc & VMXHV_PROC_TPR_SHADOW) ||
	    (c->proc2 & VMXHV_PROC2_VINTR_DELIVERY))
		return;
	thr = chk_rd(c, VF_TPR_THRESHOLD);
	chk_fail_if(c, thr & ~0xfULL, VMXHV_R_CTL_TPR_RESERVED,
		    VF_TPR_THRESHOLD, thr);
	if (c->proc2 & VMXHV_PROC2_VIRT_APIC_ACCESS)
		return;
	vapic = chk_rd(c, VF_VIRTUAL_APIC_PAGE_ADDR);
	if (!chk_phys_ok(c, vapic, 4096) ||
	    chk_read_phys(c, vapic + 0x80, &q))
		return;
	if ((thr & 0xf) > ((q >> 4) & 0xf))
		chk_report2(c, VMXHV_R_CTL_TPR_VTPR, VF_TPR_THRESHOLD, thr,
			    VF_VIRTUAL_APIC_PAGE_ADDR, vapic);
}

/* The EPT pointer against IA32_VMX_EPT_VPID_CAP (SDM 27.2.1.1, 29.3.2). */
static void check_eptp(struct vmxhv_chk *c)
{
	u64 eptp, cap = c->caps->ept_vpid, rsvd = 0xf00;
	unsigned int type, walk;
	bool ok;

	if (!(c->proc2 & VMXHV_PROC2_EPT))
		return;
	eptp = chk_rd(c, VF_EPT_POINTER);
	type = eptp & 7;
	ok = (type == 0 && (cap & VMXHV_EPT_CAP_UC)) ||
	     (type == 6 && (cap & VMXHV_EPT_CAP_WB));
	chk_fail_if(c, !ok, VMXHV_R_CTL_EPTP_MEMTYPE, VF_EPT_POINTER, eptp);

	walk = (eptp >> 3) & 7;
	ok = (walk == 3 && (cap & VMXHV_EPT_CAP_WALK4)) ||
	     (walk == 4 && (cap & VMXHV_EPT_CAP_WALK5));
	chk_fail_if(c, !ok, VMXHV_R_CTL_EPTP_WALK, VF_EPT_POINTER, eptp);

	chk_fail_if(c, (eptp & BIT_ULL(6)) && !(cap & VMXHV_EPT_CAP_AD),
		    VMXHV_R_CTL_EPTP_AD, VF_EPT_POINTER, eptp);

	/* Bit 7 enables supervisor shadow-stack control: CET only. */
	if (!(c->caps->cpu_features & VMXHV_CPUF_CET_SS))
		rsvd |= BIT_ULL(7);
	chk_fail_if(c, (eptp & rsvd) || !chk_phys_ok(c, eptp, 1),
		    VMXHV_R_CTL_EPTP_RESERVED, VF_EPT_POINTER, eptp);
}

static void check_vmfunc(struct vmxhv_chk *c)
{
	u64 fn, list;

	if (!(c->proc2 & VMXHV_PROC2_VMFUNC))
		return;
	fn = chk_rd(c, VF_VM_FUNCTION_CONTROL);
	chk_fail_if(c, fn & ~c->caps->vmfunc, VMXHV_R_CTL_VMFUNC,
		    VF_VM_FUNCTION_CONTROL, fn);
	if (!(fn & BIT_ULL(0)))		/* EPTP switching */
		return;
	if (!(c->proc2 & VMXHV_PROC2_EPT))
		chk_report2(c, VMXHV_R_CTL_EPTP_SWITCH_EPT,
			    VF_VM_FUNCTION_CONTROL, fn,
			    VF_SECONDARY_VM_EXEC_CONTROL, c->proc2);
	list = chk_rd(c, VF_EPTP_LIST_ADDRESS);
	chk_fail_if(c, !chk_phys_ok(c, list, 4096), VMXHV_R_CTL_EPTP_LIST,
		    VF_EPTP_LIST_ADDRESS, list);
}

/*
 * An MSR area of @count 16-byte entries: aligned, first and last byte
 * within MAXPHYADDR (the sum is computed in 64 bits, wider than any
 * physical address).
 */
static void check_msr_area(struct vmxhv_chk *c, enum vmxhv_rule_idx r,
			   u32 count_field, u32 addr_field)
{
	u64 count = chk_rd(c, count_field), addr;

	if (!count)
		return;
	addr = chk_rd(c, addr_field);
	if (!chk_phys_ok(c, addr, 16) ||
	    !chk_phys_ok(c, addr + count * 16 - 1, 1))
		chk_report2(c, r, addr_field, addr, count_field, count);
}

static bool vector_has_error_code(unsigned int vector)
{
	/* #DF, #TS, #NP, #SS, #GP, #PF, #AC */
	return vector < 32 && (BIT(vector) & 0x27d00);
}

/* VM-entry event injection (SDM 27.2.1.3). */
static void check_injection(struct vmxhv_chk *c)
{
	u32 info = c->intr_info, f = VF_VM_ENTRY_INTR_INFO_FIELD;
	unsigned int type = (info >> VMXHV_INTR_TYPE_SHIFT) &
			    VMXHV_INTR_TYPE_MASK;
	unsigned int vector = info & VMXHV_INTR_VECTOR;
	bool deliver = info & VMXHV_INTR_DELIVER_CODE;
	bool prot = !c->ug || (c->cr0 & CHK_CR0_PE);
	bool bad;
	u64 val;

	if (!(info & VMXHV_INTR_VALID))
		return;

	bad = type == 1 || (type == VMXHV_INTR_OTHER &&
			    !(c->caps->proc.may_be_1 & VMXHV_PROC_MTF));
	chk_fail_if(c, bad, VMXHV_R_CTL_INJ_TYPE, f, info);

	bad = (type == VMXHV_INTR_NMI && vector != 2) ||
	      (type == VMXHV_INTR_HW_EXC && vector > 31) ||
	      (type == VMXHV_INTR_OTHER && vector != 0);
	chk_fail_if(c, bad, VMXHV_R_CTL_INJ_VECTOR, f, info);

	/*
	 * With IA32_VMX_BASIC[56] (CET-capable CPUs) any hardware exception
	 * may carry an error code; only the other direction is checked.
	 */
	if (c->caps->basic & VMXHV_BASIC_NO_ERRCODE_CHECK)
		bad = deliver && (!prot || type != VMXHV_INTR_HW_EXC);
	else
		bad = deliver != (prot && type == VMXHV_INTR_HW_EXC &&
				  vector_has_error_code(vector));
	if (bad)
		chk_report2(c, VMXHV_R_CTL_INJ_DELIVER, f, info, VF_GUEST_CR0,
			    c->cr0);

	chk_fail_if(c, info & VMXHV_INTR_RESERVED, VMXHV_R_CTL_INJ_RESERVED,
		    f, info);

	if (deliver) {
		val = chk_rd(c, VF_VM_ENTRY_EXCEPTION_ERROR_CODE);
		chk_fail_if(c, val & 0xffff0000, VMXHV_R_CTL_INJ_ERRCODE,
			    VF_VM_ENTRY_EXCEPTION_ERROR_CODE, val);
	}

	if (type == VMXHV_INTR_SW_INT || type == VMXHV_INTR_PRIV_SW_EXC ||
	    type == VMXHV_INTR_SW_EXC) {
		val = chk_rd(c, VF_VM_ENTRY_INSTRUCTION_LEN);
		bad = val > 15 || (!val && !(c->caps->misc &
					    VMXHV_MISC_ZERO_LEN_INJECT));
		if (bad)
			chk_report2(c, VMXHV_R_CTL_INJ_LEN,
				    VF_VM_ENTRY_INSTRUCTION_LEN, val, f, info);
	}
}

static void check_exec_controls(struct vmxhv_chk *c)
{
	unsigned int i;
	u64 val;

	check_allowed(c, CTL_PIN);
	check_allowed(c, CTL_PROC);
	if (c->proc & VMXHV_PROC_SECONDARY)
		check_allowed(c, CTL_PROC2);
	chk_fail_if(c, c->proc3 & ~c->caps->procbased3,
		    VMXHV_R_CTL_PROC3_ALLOWED, VF_TERTIARY_VM_EXEC_CONTROL,
		    c->proc3);

	val = chk_rd(c, VF_CR3_TARGET_COUNT);
	chk_fail_if(c, val > ((c->caps->misc >> VMXHV_MISC_CR3_TARGETS_SHIFT) &
			      VMXHV_MISC_CR3_TARGETS_MASK),
		    VMXHV_R_CTL_CR3_TARGETS, VF_CR3_TARGET_COUNT, val);

	check_addrs(c);
	check_tpr_threshold(c);
	for (i = 0; i < ARRAY_SIZE(ctl_deps); i++)
		check_dep(c, &ctl_deps[i]);
	/* Intel PT with guest-physical addresses needs three other bits. */
	if ((c->proc2 & VMXHV_PROC2_PT_GPA) &&
	    (!(c->proc2 & VMXHV_PROC2_EPT) ||
	     !(c->entry & VMXHV_ENTRYC_LOAD_RTIT) ||
	     !(c->exit & VMXHV_EXITC_CLEAR_RTIT)))
		chk_report(c, VMXHV_R_CTL_PT_GPA, VF_SECONDARY_VM_EXEC_CONTROL,
			   c->proc2);

	if (c->pin & VMXHV_PIN_POSTED_INTR) {
		val = chk_rd(c, VF_POSTED_INTR_NV);
		chk_fail_if(c, val & 0xff00, VMXHV_R_CTL_PI_VECTOR,
			    VF_POSTED_INTR_NV, val);
	}
	if (c->proc2 & VMXHV_PROC2_VPID) {
		val = chk_rd(c, VF_VIRTUAL_PROCESSOR_ID);
		chk_fail_if(c, !val, VMXHV_R_CTL_VPID,
			    VF_VIRTUAL_PROCESSOR_ID, val);
	}
	check_eptp(c);
	check_vmfunc(c);
}

static void check_exit_controls(struct vmxhv_chk *c)
{
	check_allowed(c, CTL_EXIT);
	if ((c->exit & VMXHV_EXITC_SAVE_TIMER) &&
	    !(c->pin & VMXHV_PIN_PREEMPT_TIMER))
		chk_report2(c, VMXHV_R_CTL_EXIT_TIMER, VF_VM_EXIT_CONTROLS,
			    c->exit, VF_PIN_BASED_VM_EXEC_CONTROL, c->pin);
	check_msr_area(c, VMXHV_R_CTL_EXIT_MSR_STORE,
		       VF_VM_EXIT_MSR_STORE_COUNT, VF_VM_EXIT_MSR_STORE_ADDR);
	check_msr_area(c, VMXHV_R_CTL_EXIT_MSR_LOAD,
		       VF_VM_EXIT_MSR_LOAD_COUNT, VF_VM_EXIT_MSR_LOAD_ADDR);
}

static void check_entry_controls(struct vmxhv_chk *c)
{
	check_allowed(c, CTL_ENTRY);
	check_injection(c);
	/* The module never runs in SMM: both SMM controls must be 0. */
	chk_fail_if(c, c->entry & (VMXHV_ENTRYC_SMM | VMXHV_ENTRYC_DEACT_DUAL),
		    VMXHV_R_CTL_ENTRY_SMM, VF_VM_ENTRY_CONTROLS, c->entry);
	check_msr_area(c, VMXHV_R_CTL_ENTRY_MSR_LOAD,
		       VF_VM_ENTRY_MSR_LOAD_COUNT, VF_VM_ENTRY_MSR_LOAD_ADDR);
}

void vmxhv_check_controls(struct vmxhv_chk *c)
{
	check_exec_controls(c);
	check_exit_controls(c);
	check_entry_controls(c);
}
