// SPDX-License-Identifier: GPL-2.0
/*
 * Glue between the VMCS and the pure VM-entry checker (src/lib/check*.c):
 * a snapshot of every supported field, `cpuN/check`, and the explanation
 * of a failed launch.  Never on the normal launch path.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/seq_file.h>
#include <linux/slab.h>

#include "vmxhv.h"
#include "vmxhv/check.h"

#define NO_RULE_FOUND \
	"none found: the CPU refused a VMCS the checker passes (a checker gap, please report)"

struct snapshot {
	struct vmxhv_cpu *v;
	u64 vals[VMXHV_NR_FIELDS];
	struct vmxhv_check_result res;
};

static u64 snap_read(void *ctx, u32 enc)
{
	const struct snapshot *s = ctx;
	const struct vmxhv_field *f = vmxhv_field_by_enc(enc);
	unsigned int i;

	if (!f)
		return 0;
	i = f - vmxhv_fields;
	return test_bit(i, s->v->fields) ? s->vals[i] : 0;
}

/*
 * The module gives the guest no MSR-load area, virtual-APIC page or
 * shadow VMCS, so there is no memory of its own to show the checker:
 * the rules that read memory are skipped (Documentation/entry-checks.md).
 */
static int snap_read_phys(void *ctx, u64 pa, u64 *val)
{
	return -EFAULT;
}

/* Snapshot the current VMCS of @v's CPU and run the checker over it. */
static struct snapshot *check_now(struct vmxhv_cpu *v)
{
	struct vmxhv_vmcs_view view = {
		.read = snap_read,
		.read_phys = snap_read_phys,
		.vmcs_pa = __pa(v->vmcs),
	};
	struct snapshot *s = kzalloc(sizeof(*s), GFP_KERNEL);
	int err;

	if (!s)
		return ERR_PTR(-ENOMEM);
	s->v = v;
	view.ctx = s;
	err = vmxhv_vmcs_read_all(v, s->vals);
	if (!err && vmxhv_check(&vmxhv_caps, &view, &s->res) < 0)
		err = -EINVAL;
	if (err) {
		kfree(s);
		return ERR_PTR(err);
	}
	return s;
}

int vmxhv_check_show(struct seq_file *m, struct vmxhv_cpu *v)
{
	struct snapshot *s = check_now(v);
	char line[256];
	unsigned int i;

	if (IS_ERR(s))
		return PTR_ERR(s);
	if (!s->res.nr)
		seq_puts(m, "ok\n");
	for (i = 0; i < s->res.nr; i++) {
		vmxhv_check_format(&s->res.v[i], line, sizeof(line));
		seq_printf(m, "%s\n", line);
	}
	if (s->res.count > s->res.nr)
		seq_printf(m, "(%u more)\n", s->res.count - s->res.nr);
	kfree(s);
	return 0;
}

/*
 * After a failed VM entry: name the first violated rule in
 * v->entry_failure, or say plainly that the checker found nothing.
 */
void vmxhv_explain_failure(struct vmxhv_cpu *v)
{
	struct snapshot *s = check_now(v);
	char *out = v->entry_failure;
	size_t len = sizeof(v->entry_failure);

	if (IS_ERR(s)) {
		snprintf(out, len, "checker could not run (%ld)", PTR_ERR(s));
		return;
	}
	if (s->res.nr)
		vmxhv_check_format(&s->res.v[0], out, len);
	else
		snprintf(out, len, "%s", NO_RULE_FOUND);
	pr_warn_ratelimited("cpu%d: VM entry failed: %s\n", v->cpu, out);
	kfree(s);
}
