// SPDX-License-Identifier: GPL-2.0
/*
 * cpuN/vmcs/NAME, cpuN/dump and cpuN/overrides: every VMCS field the CPU
 * supports as a file, read live on CPU N through an IPI, written through
 * the guard in src/lib/vmcs_policy.c and kept as a sticky override.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>

#include "vmxhv.h"
#include "vmx_ops.h"
#include "vmxhv/vmcs_fields.h"
#include "vmxhv/vmcs_policy.h"

unsigned int vmxhv_nr_vmcs_files;

/* On the CPU, interrupts off, right after VMPTRLD: what VMREAD accepts. */
void vmxhv_vmcs_probe(struct vmxhv_cpu *v)
{
	unsigned int i;
	u64 val;

	bitmap_zero(v->fields, VMXHV_NR_FIELDS);
	for (i = 0; i < VMXHV_NR_FIELDS; i++)
		if (!vmxhv_vmread_checked(vmxhv_fields[i].enc, &val))
			__set_bit(i, v->fields);
}

/* Re-apply the sticky overrides after the module's defaults. */
void vmxhv_overrides_apply(struct vmxhv_cpu *v)
{
	unsigned int i;

	for_each_set_bit(i, v->ovr_set, VMXHV_NR_FIELDS)
		vmxhv_vmwrite(vmxhv_fields[i].enc, v->ovr_val[i]);
}

struct vmcs_ipi {
	struct vmxhv_cpu *v;
	u32 enc;
	u64 val;
	u64 *all;	/* dump: one value per field, or NULL */
	int err;
};

static void read_on_cpu(void *arg)
{
	struct vmcs_ipi *r = arg;
	unsigned int i;

	r->err = -ENODEV;
	if (!READ_ONCE(r->v->vmx_on))
		return;
	r->err = 0;
	if (!r->all) {
		if (vmxhv_vmread_checked(r->enc, &r->val))
			r->err = -EIO;
		return;
	}
	for_each_set_bit(i, r->v->fields, VMXHV_NR_FIELDS)
		if (vmxhv_vmread_checked(vmxhv_fields[i].enc, &r->all[i]))
			r->err = -EIO;
}

static void write_on_cpu(void *arg)
{
	struct vmcs_ipi *r = arg;

	r->err = -ENODEV;
	if (READ_ONCE(r->v->vmx_on))
		r->err = __vmxhv_vmwrite(r->enc, r->val) ? -EIO : 0;
}

/* One pass of VMREADs on CPU N; @vals has VMXHV_NR_FIELDS slots. */
int vmxhv_vmcs_read_all(struct vmxhv_cpu *v, u64 *vals)
{
	struct vmcs_ipi r = { .v = v, .all = vals };
	int err = smp_call_function_single(v->cpu, read_on_cpu, &r, 1);

	return err ?: r.err;
}

static const struct vmxhv_field *file_field(struct file *file)
{
	return vmxhv_field_by_name(file->f_path.dentry->d_name.name);
}

static ssize_t field_read(struct file *file, char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	const struct vmxhv_field *f = file_field(file);
	struct vmcs_ipi r = { .v = file->private_data };
	char buf[24];
	int n, err;

	if (!f)
		return -ENOENT;
	r.enc = f->enc;
	err = smp_call_function_single(r.v->cpu, read_on_cpu, &r, 1);
	if (err || r.err)
		return err ?: r.err;
	n = scnprintf(buf, sizeof(buf), "0x%0*llx\n", vmxhv_field_hex_digits(f->enc), r.val);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

/* Why a write to @f may not happen at all, whatever the value. */
static int field_write_allowed(struct vmxhv_cpu *v, const struct vmxhv_field *f)
{
	enum vmxhv_field_type type = vmxhv_field_type(f->enc);

	if (type == VMXHV_FT_RO) {
		pr_warn_ratelimited("cpu%d: %s is a read-only VM-exit information field\n",
				    v->cpu, f->name);
		return -EACCES;
	}
	if (!vmxhv_field_writable(f, vmxhv_unsafe)) {
		pr_warn_ratelimited("cpu%d: %s is %s; load the module with unsafe=1 to write it\n",
				    v->cpu, f->name, type == VMXHV_FT_HOST ?
				    "host state" : "a physical address");
		return -EPERM;
	}
	return 0;
}

/*
 * A write to a virtualized CPU's live VMCS: only its exit-selection
 * controls change (vmxhv_virt_field_policy), at once, not as an
 * override.  Read-modify-write under the lock; the VMREAD and VMWRITE
 * run in that CPU's kernel and are emulated (virt_exits.c).
 */
static int virt_field_store(struct vmxhv_cpu *v, const struct vmxhv_field *f, u64 val)
{
	const struct vmxhv_ctl_caps *caps = f->enc == CPU_BASED_VM_EXEC_CONTROL ?
		&vmxhv_caps.proc : &vmxhv_caps.proc2;
	struct vmcs_ipi r = { .v = v, .enc = f->enc };
	const char *why;
	int err;

	mutex_lock(&v->lock);
	err = smp_call_function_single(v->cpu, read_on_cpu, &r, 1) ?: r.err;
	if (err)
		goto out;
	err = -EPERM;
	if (vmxhv_virt_field_policy(f->enc, r.val, val, &why)) {
		pr_warn_ratelimited("cpu%d: %s=0x%llx refused: %s\n", v->cpu, f->name, val, why);
		goto out;
	}
	if (vmxhv_ctl_adjust(caps, val) != val) {
		pr_warn_ratelimited("cpu%d: %s=0x%llx refused: this CPU does not allow those controls\n",
				    v->cpu, f->name, val);
		goto out;
	}
	r.val = val;
	err = smp_call_function_single(v->cpu, write_on_cpu, &r, 1) ?: r.err;
out:
	mutex_unlock(&v->lock);
	return err;
}

static int field_store(struct vmxhv_cpu *v, const struct vmxhv_field *f, char *arg)
{
	struct vmcs_ipi r = { .v = v, .enc = f->enc };
	unsigned int i = f - vmxhv_fields;
	const char *why;
	int err;

	err = field_write_allowed(v, f);
	if (err)
		return err;
	if (kstrtou64(arg, 0, &r.val) || r.val > vmxhv_field_max(f->enc)) {
		pr_warn_ratelimited("cpu%d: %s: \"%s\" is not a %u-bit number\n",
				    v->cpu, f->name, arg, vmxhv_field_bits(f->enc));
		return -EINVAL;
	}
	if (READ_ONCE(v->virt_on))
		return virt_field_store(v, f, r.val);
	if (vmxhv_field_policy(f->enc, r.val, &why)) {
		pr_warn_ratelimited("cpu%d: %s=0x%llx refused: %s\n", v->cpu,
				    f->name, r.val, why);
		return -EPERM;
	}

	mutex_lock(&v->lock);
	if (v->running) {
		mutex_unlock(&v->lock);
		pr_warn_ratelimited("cpu%d: %s: the guest is running\n", v->cpu, f->name);
		return -EBUSY;
	}
	/* Being virtualized or devirtualized right now. */
	if (v->virt_busy || READ_ONCE(v->virt_on)) {
		mutex_unlock(&v->lock);
		pr_warn_ratelimited("cpu%d: %s: the CPU is being virtualized\n", v->cpu, f->name);
		return -EBUSY;
	}
	err = smp_call_function_single(v->cpu, write_on_cpu, &r, 1) ?: r.err;
	if (!err) {
		v->ovr_val[i] = r.val;
		__set_bit(i, v->ovr_set);
	}
	mutex_unlock(&v->lock);
	return err;
}

#define VALUE_MAX_LEN	64

static ssize_t field_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	const struct vmxhv_field *f = file_field(file);
	char buf[VALUE_MAX_LEN + 1];
	int err;

	if (!f)
		return -ENOENT;
	if (len > VALUE_MAX_LEN)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	err = field_store(file->private_data, f, strim(buf));
	return err ?: len;
}

static const struct file_operations field_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = field_read,
	.write = field_write,
	.llseek = default_llseek,
};

/* The caller removes v->dir, with whatever was created, on failure. */
int vmxhv_vmcs_files_create(struct vmxhv_cpu *v)
{
	struct dentry *dir = debugfs_create_dir("vmcs", v->dir);
	unsigned int i;

	if (IS_ERR(dir))
		return PTR_ERR(dir);
	for_each_set_bit(i, v->fields, VMXHV_NR_FIELDS) {
		const struct vmxhv_field *f = &vmxhv_fields[i];
		umode_t mode = vmxhv_field_type(f->enc) == VMXHV_FT_RO ? 0400 : 0600;
		struct dentry *d = debugfs_create_file(f->name, mode, dir, v, &field_fops);

		if (IS_ERR(d))
			return PTR_ERR(d);
	}
	return 0;
}

/* dump: every supported field by group, from one VMREAD pass. */
int vmxhv_dump_show(struct seq_file *m, struct vmxhv_cpu *v)
{
	static const enum vmxhv_field_type groups[] = {
		VMXHV_FT_CONTROL, VMXHV_FT_GUEST, VMXHV_FT_HOST, VMXHV_FT_RO,
	};
	unsigned int g, i;
	u64 *vals;
	int err;

	vals = kcalloc(VMXHV_NR_FIELDS, sizeof(*vals), GFP_KERNEL);
	if (!vals)
		return -ENOMEM;
	err = vmxhv_vmcs_read_all(v, vals);
	for (g = 0; !err && g < ARRAY_SIZE(groups); g++) {
		seq_printf(m, "# %s\n", vmxhv_field_type_name(groups[g]));
		for_each_set_bit(i, v->fields, VMXHV_NR_FIELDS) {
			u32 enc = vmxhv_fields[i].enc;

			if (vmxhv_field_type(enc) == groups[g])
				seq_printf(m, "%s 0x%0*llx\n", vmxhv_fields[i].name,
					   vmxhv_field_hex_digits(enc), vals[i]);
		}
	}
	kfree(vals);
	return err;
}

int vmxhv_overrides_show(struct seq_file *m, struct vmxhv_cpu *v)
{
	unsigned int i;

	for_each_set_bit(i, v->ovr_set, VMXHV_NR_FIELDS)
		seq_printf(m, "%s 0x%0*llx\n", vmxhv_fields[i].name,
			   vmxhv_field_hex_digits(vmxhv_fields[i].enc), v->ovr_val[i]);
	return 0;
}

int vmxhv_overrides_store(struct vmxhv_cpu *v, char *arg)
{
	if (strcmp(arg, "clear")) {
		pr_warn_ratelimited("cpu%d: overrides: only \"clear\" may be written, not \"%s\"\n",
				    v->cpu, arg);
		return -EINVAL;
	}
	mutex_lock(&v->lock);
	bitmap_zero(v->ovr_set, VMXHV_NR_FIELDS);
	mutex_unlock(&v->lock);
	return 0;
}
