// SPDX-License-Identifier: GPL-2.0
/*
 * The VM-entry checker: the rule table, the driver that applies the
 * checks in the CPU's order, the helpers the check files share and the
 * one-line text form of a violation.
 *
 * Built into the module and into the user-space unit tests: only vmxhv/
 * headers, plus snprintf() from wherever the build has it.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#else
#include <stdio.h>
#endif

#include "check_internal.h"

/* Short outcome names for check_rules.def. */
#define O7	VMXHV_CHECK_ERR7
#define O8	VMXHV_CHECK_ERR8
#define O33	VMXHV_CHECK_EXIT33
#define O34	VMXHV_CHECK_EXIT34

const struct vmxhv_check_rule vmxhv_check_rules[] = {
#define VMXHV_RULE(name, _id, _sdm, _out, _qual, _req)			\
	[VMXHV_R_##name] = { .id = (_id), .sdm = (_sdm), .requires = (_req), \
			     .outcome = (_out), .qualification = (_qual) },
#include "check_rules.def"
#undef VMXHV_RULE
};

const unsigned int vmxhv_check_nr_rules = ARRAY_SIZE(vmxhv_check_rules);

const struct vmxhv_check_rule *vmxhv_check_rule_by_id(const char *id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vmxhv_check_rules); i++) {
		if (!strcmp(vmxhv_check_rules[i].id, id))
			return &vmxhv_check_rules[i];
	}
	return NULL;
}

static struct vmxhv_check_violation *chk_add(struct vmxhv_chk *c,
					     enum vmxhv_rule_idx r, u32 qual)
{
	struct vmxhv_check_result *res = c->res;
	const struct vmxhv_check_rule *rule = &vmxhv_check_rules[r];
	struct vmxhv_check_violation *vi;

	/* The CPU stops at the first failing check: it decides the outcome. */
	if (!res->count) {
		res->outcome = rule->outcome;
		res->qualification = qual;
	}
	res->count++;
	if (res->nr >= VMXHV_CHECK_MAX)
		return NULL;
	vi = &res->v[res->nr++];
	vi->rule = rule;
	vi->fields[0] = VMXHV_NO_FIELD;
	vi->fields[1] = VMXHV_NO_FIELD;
	vi->values[0] = 0;
	vi->values[1] = 0;
	vi->msr_entry = 0;
	return vi;
}

void chk_report2(struct vmxhv_chk *c, enum vmxhv_rule_idx r, u32 f0, u64 v0,
		 u32 f1, u64 v1)
{
	struct vmxhv_check_violation *vi;

	vi = chk_add(c, r, vmxhv_check_rules[r].qualification);
	if (!vi)
		return;
	vi->fields[0] = f0;
	vi->values[0] = v0;
	vi->fields[1] = f1;
	vi->values[1] = v1;
}

/*
 * An MSR-load entry: exit 34 reports the 1-based entry number as the
 * qualification. The values are the entry's two quadwords.
 */
void chk_report_msr(struct vmxhv_chk *c, enum vmxhv_rule_idx r, u32 entry,
		    u64 index, u64 value)
{
	struct vmxhv_check_violation *vi = chk_add(c, r, entry);

	if (!vi)
		return;
	vi->fields[0] = VF_VM_ENTRY_MSR_LOAD_ADDR;
	vi->values[0] = index;
	vi->values[1] = value;
	vi->msr_entry = entry;
}

/* Bits 63:N equal to bit N-1, N being the CPU's linear-address width. */
bool chk_canonical(const struct vmxhv_chk *c, u64 addr)
{
	unsigned int n = c->caps->linaddr_bits ? c->caps->linaddr_bits : 48;

	if (n >= 64)
		return true;
	return (u64)((s64)(addr << (64 - n)) >> (64 - n)) == addr;
}

/* Aligned to @align (a power of two) and no bit at or above MAXPHYADDR. */
bool chk_phys_ok(const struct vmxhv_chk *c, u64 addr, u64 align)
{
	unsigned int w = c->caps->maxphyaddr ? c->caps->maxphyaddr : 52;

	if (addr & (align - 1))
		return false;
	return w >= 64 || !(addr >> w);
}

/* Each byte of IA32_PAT must name a memory type: UC, WC, WT, WP, WB, UC-. */
bool chk_pat_ok(u64 pat)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		u8 type = (pat >> (i * 8)) & 0xff;

		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}

/*
 * IA32_S_CET: canonical (bits 63:12 are the legacy-bitmap base), bits
 * 9:6 reserved, and SUPPRESS (10) with TRACKER (11) is not a state
 * WRMSR accepts.
 */
bool chk_s_cet_ok(const struct vmxhv_chk *c, u64 val)
{
	if (!chk_canonical(c, val) || (val & 0x3c0))
		return false;
	return (val & 0xc00) != 0xc00;
}

int chk_read_phys(struct vmxhv_chk *c, u64 pa, u64 *val)
{
	if (!c->v->read_phys)
		return -ENOENT;
	return c->v->read_phys(c->v->ctx, pa, val);
}

int vmxhv_check(const struct vmxhv_caps *caps, const struct vmxhv_vmcs_view *v,
		struct vmxhv_check_result *res)
{
	struct vmxhv_chk c = { .caps = caps, .v = v, .res = res };

	if (!caps || !v || !v->read || !res)
		return -EINVAL;
	memset(res, 0, sizeof(*res));

	/*
	 * The secondary and tertiary controls count as 0 unless activated
	 * (SDM 27.2.1.1); every later rule sees them that way.
	 */
	c.pin = chk_rd(&c, VF_PIN_BASED_VM_EXEC_CONTROL);
	c.proc = chk_rd(&c, VF_CPU_BASED_VM_EXEC_CONTROL);
	if (c.proc & VMXHV_PROC_SECONDARY)
		c.proc2 = chk_rd(&c, VF_SECONDARY_VM_EXEC_CONTROL);
	if (c.proc & VMXHV_PROC_TERTIARY)
		c.proc3 = chk_rd(&c, VF_TERTIARY_VM_EXEC_CONTROL);
	c.exit = chk_rd(&c, VF_VM_EXIT_CONTROLS);
	c.entry = chk_rd(&c, VF_VM_ENTRY_CONTROLS);
	c.intr_info = chk_rd(&c, VF_VM_ENTRY_INTR_INFO_FIELD);
	c.cr0 = chk_rd(&c, VF_GUEST_CR0);
	c.cr4 = chk_rd(&c, VF_GUEST_CR4);
	c.rflags = chk_rd(&c, VF_GUEST_RFLAGS);
	c.cs_ar = chk_rd(&c, VF_GUEST_CS_AR_BYTES);
	c.ss_ar = chk_rd(&c, VF_GUEST_SS_AR_BYTES);
	c.ia32e = c.entry & VMXHV_ENTRYC_IA32E;
	c.ug = c.proc2 & VMXHV_PROC2_UNRESTRICTED;
	c.v86 = c.rflags & CHK_RFLAGS_VM;
	c.host64 = c.exit & VMXHV_EXITC_HOST_ADDR64;

	vmxhv_check_controls(&c);
	vmxhv_check_host(&c);
	vmxhv_check_guest(&c);
	vmxhv_check_msr_load(&c);
	return res->count;
}

int vmxhv_check_outcome_format(enum vmxhv_check_outcome o, u32 qual,
			       char *buf, size_t len)
{
	switch (o) {
	case VMXHV_CHECK_OK:
		return snprintf(buf, len, "ok");
	case VMXHV_CHECK_ERR7:
		return snprintf(buf, len, "VMfailValid 7");
	case VMXHV_CHECK_ERR8:
		return snprintf(buf, len, "VMfailValid 8");
	case VMXHV_CHECK_EXIT33:
		if (!qual)
			return snprintf(buf, len, "exit 33");
		return snprintf(buf, len, "exit 33 (qualification %u)", qual);
	case VMXHV_CHECK_EXIT34:
		return snprintf(buf, len, "exit 34 (qualification %u)", qual);
	}
	return snprintf(buf, len, "?");
}

/* "NAME=0x<value padded to the field's width>", or "" for no field. */
static int format_field(char *buf, size_t len, u32 enc, u64 val)
{
	const struct vmxhv_field *f = vmxhv_field_by_enc(enc);

	if (!f)
		return snprintf(buf, len, "field 0x%x=0x%llx", enc,
				(unsigned long long)val);
	return snprintf(buf, len, "%s=0x%0*llx", f->name,
			(int)vmxhv_field_hex_digits(enc),
			(unsigned long long)val);
}

int vmxhv_check_format(const struct vmxhv_check_violation *vi, char *buf,
		       size_t len)
{
	const struct vmxhv_check_rule *r = vi->rule;
	char what[2][96], out[40];
	bool two = vi->fields[1] != VMXHV_NO_FIELD && !vi->msr_entry;

	if (vi->msr_entry)
		snprintf(what[0], sizeof(what[0]),
			 "VM-entry MSR-load entry %u: MSR 0x%llx value 0x%016llx",
			 vi->msr_entry, (unsigned long long)vi->values[0],
			 (unsigned long long)vi->values[1]);
	else
		format_field(what[0], sizeof(what[0]), vi->fields[0],
			     vi->values[0]);
	what[1][0] = '\0';
	if (two)
		format_field(what[1], sizeof(what[1]), vi->fields[1],
			     vi->values[1]);
	vmxhv_check_outcome_format(r->outcome, vi->msr_entry ? vi->msr_entry :
				   r->qualification, out, sizeof(out));
	return snprintf(buf, len, "%s: %s%s%s: %s (SDM %s) -> %s", r->id,
			what[0], two ? ", " : "", what[1], r->requires, r->sdm,
			out);
}
