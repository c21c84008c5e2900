/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the VM-entry checker (src/lib/check*.c): the rule indices
 * (from check_rules.def) and the state the check functions share.
 */
#ifndef VMXHV_CHECK_INTERNAL_H
#define VMXHV_CHECK_INTERNAL_H

#include "vmxhv/check.h"
#include "vmxhv/vmcs_fields.h"

enum vmxhv_rule_idx {
#define VMXHV_RULE(name, ...)	VMXHV_R_##name,
#include "check_rules.def"
#undef VMXHV_RULE
	VMXHV_NR_RULES
};

/* Shared by the check functions of one vmxhv_check() call. */
struct vmxhv_chk {
	const struct vmxhv_caps *caps;
	const struct vmxhv_vmcs_view *v;
	struct vmxhv_check_result *res;
	u32 pin, proc, proc2, exit, entry;
	u64 proc3;
	u64 cr0, cr4, rflags;	/* guest */
	u32 intr_info;		/* VM-entry interruption information */
	u32 cs_ar, ss_ar;	/* guest */
	bool ia32e;		/* IA-32e mode guest */
	bool ug;		/* unrestricted guest */
	bool v86;		/* RFLAGS.VM */
	bool host64;		/* host address-space size */
};

static inline u64 chk_rd(struct vmxhv_chk *c, u32 enc)
{
	return c->v->read(c->v->ctx, enc);
}

void chk_report2(struct vmxhv_chk *c, enum vmxhv_rule_idx r, u32 f0, u64 v0,
		 u32 f1, u64 v1);
void chk_report_msr(struct vmxhv_chk *c, enum vmxhv_rule_idx r, u32 entry,
		    u64 index, u64 value);

static inline void chk_report(struct vmxhv_chk *c, enum vmxhv_rule_idx r,
			      u32 f, u64 val)
{
	chk_report2(c, r, f, val, VMXHV_NO_FIELD, 0);
}

/* Report rule @r against field @f holding @val when @bad is true. */
static inline void chk_fail_if(struct vmxhv_chk *c, bool bad,
			       enum vmxhv_rule_idx r, u32 f, u64 val)
{
	if (bad)
		chk_report(c, r, f, val);
}

bool chk_canonical(const struct vmxhv_chk *c, u64 addr);
bool chk_phys_ok(const struct vmxhv_chk *c, u64 addr, u64 align);
bool chk_pat_ok(u64 pat);
bool chk_s_cet_ok(const struct vmxhv_chk *c, u64 val);
int chk_read_phys(struct vmxhv_chk *c, u64 pa, u64 *val);

void vmxhv_check_controls(struct vmxhv_chk *c);
void vmxhv_check_host(struct vmxhv_chk *c);
void vmxhv_check_guest(struct vmxhv_chk *c);
void vmxhv_check_segments(struct vmxhv_chk *c);
void vmxhv_check_msr_load(struct vmxhv_chk *c);

/* Architectural register bits the rules refer to. */
#define CHK_CR0_PE		BIT_ULL(0)
#define CHK_CR0_WP		BIT_ULL(16)
#define CHK_CR0_NW		BIT_ULL(29)
#define CHK_CR0_CD		BIT_ULL(30)
#define CHK_CR0_PG		BIT_ULL(31)
#define CHK_CR4_PAE		BIT_ULL(5)
#define CHK_CR4_PCIDE		BIT_ULL(17)
#define CHK_CR4_CET		BIT_ULL(23)
#define CHK_RFLAGS_TF		BIT_ULL(8)
#define CHK_RFLAGS_IF		BIT_ULL(9)
#define CHK_RFLAGS_VM		BIT_ULL(17)
#define CHK_EFER_LME		BIT_ULL(8)
#define CHK_EFER_LMA		BIT_ULL(10)
/* Intel defines SCE, LME, LMA and NXE; every other bit is reserved. */
#define CHK_EFER_VALID		(BIT_ULL(0) | BIT_ULL(8) | BIT_ULL(10) | \
				 BIT_ULL(11))
#define CHK_DEBUGCTL_BTF	BIT_ULL(1)

#endif /* VMXHV_CHECK_INTERNAL_H */
