// SPDX-License-Identifier: GPL-2.0
/*
 * VM-entry checks on the guest segment and descriptor-table registers
 * (SDM 27.3.1.2, 27.3.1.3). One table describes the eight registers; the
 * checks walk it in the order the SDM lists them: selectors, bases,
 * limits, access rights.
 */
#include "check_internal.h"

enum seg_kind { SEG_DATA, SEG_CS, SEG_SS, SEG_LDTR, SEG_TR };

/* How the 64-bit base is checked (SDM 27.3.1.2, "Base-address fields"). */
#define BASE_CANONICAL	0x1	/* must be canonical */
#define BASE_LOW32	0x2	/* bits 63:32 must be 0 */
#define BASE_IF_USABLE	0x4	/* only when the register is usable */

static const struct guest_seg {
	u32 sel, base, limit, ar;
	enum seg_kind kind;
	u8 base_rule;
} guest_segs[] = {
	{ VF_GUEST_ES_SELECTOR, VF_GUEST_ES_BASE, VF_GUEST_ES_LIMIT,
	  VF_GUEST_ES_AR_BYTES, SEG_DATA, BASE_LOW32 | BASE_IF_USABLE },
	{ VF_GUEST_CS_SELECTOR, VF_GUEST_CS_BASE, VF_GUEST_CS_LIMIT,
	  VF_GUEST_CS_AR_BYTES, SEG_CS, BASE_LOW32 },
	{ VF_GUEST_SS_SELECTOR, VF_GUEST_SS_BASE, VF_GUEST_SS_LIMIT,
	  VF_GUEST_SS_AR_BYTES, SEG_SS, BASE_LOW32 | BASE_IF_USABLE },
	{ VF_GUEST_DS_SELECTOR, VF_GUEST_DS_BASE, VF_GUEST_DS_LIMIT,
	  VF_GUEST_DS_AR_BYTES, SEG_DATA, BASE_LOW32 | BASE_IF_USABLE },
	{ VF_GUEST_FS_SELECTOR, VF_GUEST_FS_BASE, VF_GUEST_FS_LIMIT,
	  VF_GUEST_FS_AR_BYTES, SEG_DATA, BASE_CANONICAL },
	{ VF_GUEST_GS_SELECTOR, VF_GUEST_GS_BASE, VF_GUEST_GS_LIMIT,
	  VF_GUEST_GS_AR_BYTES, SEG_DATA, BASE_CANONICAL },
	{ VF_GUEST_LDTR_SELECTOR, VF_GUEST_LDTR_BASE, VF_GUEST_LDTR_LIMIT,
	  VF_GUEST_LDTR_AR_BYTES, SEG_LDTR, BASE_CANONICAL | BASE_IF_USABLE },
	{ VF_GUEST_TR_SELECTOR, VF_GUEST_TR_BASE, VF_GUEST_TR_LIMIT,
	  VF_GUEST_TR_AR_BYTES, SEG_TR, BASE_CANONICAL },
};

#define NR_SEGS		ARRAY_SIZE(guest_segs)
#define SEG_CS_IDX	1
#define SEG_SS_IDX	2

struct seg_val {
	u64 sel, base, limit, ar;
	bool usable;
};

static bool is_code_data(const struct guest_seg *s)
{
	return s->kind != SEG_LDTR && s->kind != SEG_TR;
}

static unsigned int ar_type(u64 ar)
{
	return ar & VMXHV_AR_TYPE;
}

static unsigned int ar_dpl(u64 ar)
{
	return (ar >> VMXHV_AR_DPL_SHIFT) & 3;
}

static void check_selectors(struct vmxhv_chk *c, const struct seg_val *sv)
{
	const struct seg_val *cs = &sv[SEG_CS_IDX], *ss = &sv[SEG_SS_IDX];
	unsigned int i;

	for (i = 0; i < NR_SEGS; i++) {
		const struct guest_seg *s = &guest_segs[i];

		if (s->kind == SEG_TR)
			chk_fail_if(c, sv[i].sel & 4, VMXHV_R_GUEST_TR_TI,
				    s->sel, sv[i].sel);
		if (s->kind == SEG_LDTR)
			chk_fail_if(c, sv[i].usable && (sv[i].sel & 4),
				    VMXHV_R_GUEST_LDTR_TI, s->sel, sv[i].sel);
	}
	if (!c->v86 && !c->ug && (ss->sel & 3) != (cs->sel & 3))
		chk_report2(c, VMXHV_R_GUEST_SS_RPL, VF_GUEST_SS_SELECTOR,
			    ss->sel, VF_GUEST_CS_SELECTOR, cs->sel);
}

static void check_bases_limits(struct vmxhv_chk *c, const struct seg_val *sv)
{
	unsigned int i;

	for (i = 0; i < NR_SEGS; i++) {
		const struct guest_seg *s = &guest_segs[i];
		u64 base = sv[i].base;

		if (c->v86 && is_code_data(s) && base != sv[i].sel << 4)
			chk_report2(c, VMXHV_R_GUEST_V86_BASE, s->base, base,
				    s->sel, sv[i].sel);
		if ((s->base_rule & BASE_IF_USABLE) && !sv[i].usable)
			continue;
		if (s->base_rule & BASE_CANONICAL)
			chk_fail_if(c, !chk_canonical(c, base),
				    VMXHV_R_GUEST_BASE_CANON, s->base, base);
		if (s->base_rule & BASE_LOW32)
			chk_fail_if(c, base >> 32, VMXHV_R_GUEST_BASE_HIGH,
				    s->base, base);
	}
	if (!c->v86)
		return;
	for (i = 0; i < NR_SEGS; i++) {
		if (is_code_data(&guest_segs[i]))
			chk_fail_if(c, sv[i].limit != 0xffff,
				    VMXHV_R_GUEST_V86_LIMIT,
				    guest_segs[i].limit, sv[i].limit);
	}
}

/* The checks every usable segment shares: P, reserved bits, G. */
static void check_ar_common(struct vmxhv_chk *c, const struct guest_seg *s,
			    const struct seg_val *v)
{
	bool g = v->ar & VMXHV_AR_G;

	chk_fail_if(c, !(v->ar & VMXHV_AR_P), VMXHV_R_GUEST_SEG_P, s->ar,
		    v->ar);
	chk_fail_if(c, v->ar & VMXHV_AR_RESERVED, VMXHV_R_GUEST_SEG_AR_RSVD,
		    s->ar, v->ar);
	if ((g && (v->limit & 0xfff) != 0xfff) || (!g && (v->limit >> 20)))
		chk_report2(c, VMXHV_R_GUEST_SEG_G, s->ar, v->ar, s->limit,
			    v->limit);
}

static void check_cs_ar(struct vmxhv_chk *c, const struct seg_val *cs,
			const struct seg_val *ss)
{
	unsigned int type = ar_type(cs->ar), dpl = ar_dpl(cs->ar);
	unsigned int ss_dpl = ar_dpl(ss->ar);
	bool ok;

	ok = type == 9 || type == 11 || type == 13 || type == 15 ||
	     (c->ug && type == 3);
	chk_fail_if(c, !ok, VMXHV_R_GUEST_CS_TYPE, VF_GUEST_CS_AR_BYTES,
		    cs->ar);
	chk_fail_if(c, !(cs->ar & VMXHV_AR_S), VMXHV_R_GUEST_SEG_S,
		    VF_GUEST_CS_AR_BYTES, cs->ar);
	if (type == 3)
		ok = dpl == 0;
	else if (type == 9 || type == 11)
		ok = dpl == ss_dpl;
	else if (type == 13 || type == 15)
		ok = dpl <= ss_dpl;
	else
		ok = true;	/* a bad type is reported above */
	if (!ok)
		chk_report2(c, VMXHV_R_GUEST_CS_DPL, VF_GUEST_CS_AR_BYTES,
			    cs->ar, VF_GUEST_SS_AR_BYTES, ss->ar);
	chk_fail_if(c, c->ia32e && (cs->ar & VMXHV_AR_L) &&
		    (cs->ar & VMXHV_AR_DB), VMXHV_R_GUEST_CS_L_DB,
		    VF_GUEST_CS_AR_BYTES, cs->ar);
	check_ar_common(c, &guest_segs[SEG_CS_IDX], cs);
}

/* SS.DPL is the CPL: checked whether or not SS is usable. */
static void check_ss_dpl(struct vmxhv_chk *c, const struct seg_val *cs,
			 const struct seg_val *ss)
{
	unsigned int dpl = ar_dpl(ss->ar);

	if (!c->ug && dpl != (ss->sel & 3))
		chk_report2(c, VMXHV_R_GUEST_SS_DPL, VF_GUEST_SS_AR_BYTES,
			    ss->ar, VF_GUEST_SS_SELECTOR, ss->sel);
	if (dpl && (ar_type(cs->ar) == 3 || !(c->cr0 & CHK_CR0_PE)))
		chk_report2(c, VMXHV_R_GUEST_SS_DPL, VF_GUEST_SS_AR_BYTES,
			    ss->ar, VF_GUEST_CR0, c->cr0);
}

static void check_data_ar(struct vmxhv_chk *c, const struct guest_seg *s,
			  const struct seg_val *v)
{
	unsigned int type = ar_type(v->ar);
	bool ok;

	if (s->kind == SEG_SS) {
		ok = type == 3 || type == 7;
		chk_fail_if(c, !ok, VMXHV_R_GUEST_SS_TYPE, s->ar, v->ar);
	} else {
		/* Accessed, and readable if it is a code segment. */
		ok = (type & 1) && (!(type & 8) || (type & 2));
		chk_fail_if(c, !ok, VMXHV_R_GUEST_SEG_TYPE, s->ar, v->ar);
	}
	chk_fail_if(c, !(v->ar & VMXHV_AR_S), VMXHV_R_GUEST_SEG_S, s->ar,
		    v->ar);
	if (s->kind == SEG_DATA && !c->ug && type <= 11 &&
	    ar_dpl(v->ar) < (v->sel & 3))
		chk_report2(c, VMXHV_R_GUEST_SEG_DPL, s->ar, v->ar, s->sel,
			    v->sel);
	check_ar_common(c, s, v);
}

static void check_system_ar(struct vmxhv_chk *c, const struct guest_seg *s,
			    const struct seg_val *v)
{
	unsigned int type = ar_type(v->ar);
	bool ok;

	if (s->kind == SEG_TR) {
		/* A busy TSS: 64-bit in IA-32e mode, 16/32-bit otherwise. */
		ok = type == 11 || (!c->ia32e && type == 3);
		chk_fail_if(c, !ok, VMXHV_R_GUEST_TR_TYPE, s->ar, v->ar);
	} else {
		chk_fail_if(c, type != 2, VMXHV_R_GUEST_LDTR_TYPE, s->ar,
			    v->ar);
	}
	chk_fail_if(c, v->ar & VMXHV_AR_S, VMXHV_R_GUEST_SYS_S, s->ar, v->ar);
	check_ar_common(c, s, v);
	if (s->kind == SEG_TR)
		chk_fail_if(c, !v->usable, VMXHV_R_GUEST_TR_UNUSABLE, s->ar,
			    v->ar);
}

static void check_access_rights(struct vmxhv_chk *c, const struct seg_val *sv)
{
	const struct seg_val *cs = &sv[SEG_CS_IDX], *ss = &sv[SEG_SS_IDX];
	unsigned int i;

	for (i = 0; i < NR_SEGS; i++) {
		const struct guest_seg *s = &guest_segs[i];

		if (c->v86 && is_code_data(s)) {
			/* Present, DPL 3, read/write accessed data. */
			chk_fail_if(c, sv[i].ar != 0xf3, VMXHV_R_GUEST_V86_AR,
				    s->ar, sv[i].ar);
			continue;
		}
		if (s->kind == SEG_CS) {
			check_cs_ar(c, cs, ss);
			continue;
		}
		if (s->kind == SEG_SS)
			check_ss_dpl(c, cs, ss);
		/* Only CS and TR are checked when unusable. */
		if (!sv[i].usable && s->kind != SEG_TR)
			continue;
		if (is_code_data(s))
			check_data_ar(c, s, &sv[i]);
		else
			check_system_ar(c, s, &sv[i]);
	}
}

static void check_dtrs(struct vmxhv_chk *c)
{
	static const u32 dtr[][2] = {
		{ VF_GUEST_GDTR_BASE, VF_GUEST_GDTR_LIMIT },
		{ VF_GUEST_IDTR_BASE, VF_GUEST_IDTR_LIMIT },
	};
	unsigned int i;
	u64 val;

	for (i = 0; i < ARRAY_SIZE(dtr); i++) {
		val = chk_rd(c, dtr[i][0]);
		chk_fail_if(c, !chk_canonical(c, val), VMXHV_R_GUEST_DTR_BASE,
			    dtr[i][0], val);
	}
	for (i = 0; i < ARRAY_SIZE(dtr); i++) {
		val = chk_rd(c, dtr[i][1]);
		chk_fail_if(c, val >> 16, VMXHV_R_GUEST_DTR_LIMIT, dtr[i][1],
			    val);
	}
}

void vmxhv_check_segments(struct vmxhv_chk *c)
{
	struct seg_val sv[NR_SEGS];
	unsigned int i;

	for (i = 0; i < NR_SEGS; i++) {
		sv[i].sel = chk_rd(c, guest_segs[i].sel);
		sv[i].base = chk_rd(c, guest_segs[i].base);
		sv[i].limit = chk_rd(c, guest_segs[i].limit);
		sv[i].ar = chk_rd(c, guest_segs[i].ar);
		sv[i].usable = !(sv[i].ar & VMXHV_AR_UNUSABLE);
	}
	check_selectors(c, sv);
	check_bases_limits(c, sv);
	check_access_rights(c, sv);
	check_dtrs(c);
}
