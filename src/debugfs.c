// SPDX-License-Identifier: GPL-2.0
/*
 * Top-level debugfs files: /sys/kernel/debug/vmxhv/{info,cpus}.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/vmx.h>

#include "vmxhv.h"

struct dentry *vmxhv_debugfs_root;

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static int info_show(struct seq_file *m, void *unused)
{
	const struct vmxhv_caps *c = &vmxhv_caps;

	seq_printf(m, "vmcs_revision: %u\n", c->vmcs_revision);
	seq_printf(m, "vmcs_size: %u\n", c->vmcs_size);
	seq_printf(m, "ept: %s\n", yes_no(c->proc2.may_be_1 & SECONDARY_EXEC_ENABLE_EPT));
	seq_printf(m, "vpid: %s\n", yes_no(c->proc2.may_be_1 & SECONDARY_EXEC_ENABLE_VPID));
	seq_printf(m, "unrestricted_guest: %s\n",
		   yes_no(c->proc2.may_be_1 & SECONDARY_EXEC_UNRESTRICTED_GUEST));
	seq_printf(m, "preemption_timer: %s\n",
		   yes_no(c->pin.may_be_1 & PIN_BASED_VMX_PREEMPTION_TIMER));
	seq_printf(m, "true_controls: %s\n", yes_no(c->true_controls));
	seq_printf(m, "vmcs_fields: %u\n", READ_ONCE(vmxhv_nr_vmcs_files));
	seq_printf(m, "guest_mem_bytes: %lu\n", VMXHV_GUEST_MEM_BYTES);
	seq_printf(m, "image_max_bytes: %lu\n", VMXHV_IMAGE_MAX);
	seq_printf(m, "guest_xcr0: %#llx\n", vmxhv_guest_xcr0);
	vmxhv_mitigations_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(info);

static int cpus_show(struct seq_file *m, void *unused)
{
	struct cpumask set;

	vmxhv_cpus_show(&set);
	seq_printf(m, "%*pbl\n", cpumask_pr_args(&set));
	return 0;
}

static int cpus_open(struct inode *inode, struct file *file)
{
	return single_open(file, cpus_show, NULL);
}

/* Parse a cpulist; every CPU in it must be online. */
static int parse_cpus(char *buf, struct cpumask *set)
{
	char *s = strim(buf);

	if (!*s || cpulist_parse(s, set))
		return -EINVAL;
	if (!cpumask_subset(set, cpu_online_mask))
		return -EINVAL;
	return 0;
}

static ssize_t cpus_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	cpumask_var_t set;
	char *buf;
	int err;

	if (len > PAGE_SIZE)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (!zalloc_cpumask_var(&set, GFP_KERNEL)) {
		kfree(buf);
		return -ENOMEM;
	}
	err = parse_cpus(buf, set);
	if (err)
		pr_warn_ratelimited("cpus: \"%s\" is not a list of online CPUs\n",
				    strim(buf));
	else
		err = vmxhv_cpus_set(set);
	free_cpumask_var(set);
	kfree(buf);
	return err ?: len;
}

static const struct file_operations cpus_fops = {
	.owner = THIS_MODULE,
	.open = cpus_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = cpus_write,
};

static int virtualized_show(struct seq_file *m, void *unused)
{
	struct cpumask set;

	vmxhv_virtualized_show(&set);
	seq_printf(m, "%*pbl\n", cpumask_pr_args(&set));
	return 0;
}

static int virtualized_open(struct inode *inode, struct file *file)
{
	return single_open(file, virtualized_show, NULL);
}

/* An empty write empties the set; vmxhv_virtualized_set checks the CPUs. */
static ssize_t virtualized_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	cpumask_var_t set;
	char *buf, *s;
	int err = 0;

	if (len > PAGE_SIZE)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (!zalloc_cpumask_var(&set, GFP_KERNEL)) {
		kfree(buf);
		return -ENOMEM;
	}
	s = strim(buf);
	if (*s && cpulist_parse(s, set)) {
		pr_warn_ratelimited("virtualized: \"%s\" is not a cpulist of possible CPUs\n", s);
		err = -EINVAL;
	} else {
		err = vmxhv_virtualized_set(set);
	}
	free_cpumask_var(set);
	kfree(buf);
	return err ?: len;
}

static const struct file_operations virtualized_fops = {
	.owner = THIS_MODULE,
	.open = virtualized_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = virtualized_write,
};

int vmxhv_debugfs_init(void)
{
	int err = vmxhv_cpufiles_init();

	if (err)
		return err;
	vmxhv_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(vmxhv_debugfs_root)) {
		vmxhv_unpinned_exit();
		return PTR_ERR(vmxhv_debugfs_root);
	}
	if (IS_ERR(debugfs_create_file("info", 0400, vmxhv_debugfs_root, NULL, &info_fops)) ||
	    IS_ERR(debugfs_create_file("cpus", 0600, vmxhv_debugfs_root, NULL, &cpus_fops)) ||
	    IS_ERR(debugfs_create_file("virtualized", 0600, vmxhv_debugfs_root, NULL,
				       &virtualized_fops))) {
		vmxhv_debugfs_exit();
		return -ENOMEM;
	}
	return 0;
}

void vmxhv_debugfs_exit(void)
{
	debugfs_remove_recursive(vmxhv_debugfs_root);
	vmxhv_debugfs_root = NULL;
	vmxhv_unpinned_exit();	/* after every cpuN/ is gone */
}
