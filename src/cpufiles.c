// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU debugfs directory cpuN/: one table of files sharing one
 * set of file operations, plus guest_code, which accumulates writes.
 *
 * These handlers never take vmxhv_lock or the hotplug lock: the
 * directory is removed with both held, and removal waits for them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/vmx.h>

#include "vmxhv.h"
#include "vmxhv/exit_reasons.h"
#include "vmxhv/vm_errors.h"
#include "virt.h"

struct cpufile {
	const char *name;
	umode_t mode;
	int (*show)(struct seq_file *m, struct vmxhv_cpu *v);
	int (*store)(struct vmxhv_cpu *v, char *arg);
};

/* Ties one file to its CPU and its table entry (the inode's i_private). */
struct cpufile_ref {
	struct vmxhv_cpu *v;
	const struct cpufile *f;
	struct dentry *dentry;	/* our reference, for unpinned.c */
};

static const char * const mode_names[] = {
	[VMXHV_MODE_LONG] = "long",
	[VMXHV_MODE_PROTECTED] = "protected",
	[VMXHV_MODE_REAL] = "real",
};

static void show_reason(struct seq_file *m, u32 reason)
{
	const char *name = vmxhv_exit_reason_name(reason & 0xffff);

	seq_printf(m, "exit_reason: %s (%u)\n", name ?: "UNKNOWN", reason & 0xffff);
}

static int status_show(struct seq_file *m, struct vmxhv_cpu *v)
{
	const struct vmxhv_stop *s = &v->stop;
	const char *name;

	seq_printf(m, "state: %s\n", vmxhv_state_name(v->state));
	if (v->nr_exits)
		show_reason(m, s->exit_reason);
	else
		seq_puts(m, "exit_reason: none\n");
	seq_printf(m, "exit_qualification: 0x%llx\n", s->qualification);
	seq_printf(m, "guest_rip: 0x%llx\n", s->guest_rip);
	seq_printf(m, "exits: %llu\n", v->nr_exits);
	if (s->insn_error)
		seq_printf(m, "vm_instruction_error: %u (%s)\n", s->insn_error,
			   vmxhv_vm_error_text(s->insn_error) ?: "unknown");
	else
		seq_puts(m, "vm_instruction_error: 0\n");
	seq_printf(m, "run_ns: %llu\n", v->run_ns);
	seq_printf(m, "vmwrite_failures: %u\n", vmxhv_vmwrite_failures(v));
	if (v->state == VMXHV_VIRTUALIZED) {
		seq_printf(m, "trace_dropped: %llu\n", READ_ONCE(v->trace_dropped));
		seq_printf(m, "io_exits_dropped: %u\n", READ_ONCE(v->virt_io_dropped));
	}
	if (v->state == VMXHV_FAILED && v->entry_failure[0])
		seq_printf(m, "entry_failure: %s\n", v->entry_failure);
	if (s->has_gpa)
		seq_printf(m, "guest_physical_address: 0x%llx\n", s->gpa);
	if (s->exception >= 0) {
		name = vmxhv_exception_name(s->exception);
		seq_printf(m, "exception: %s (%d)\n", name ?: "vector", s->exception);
		if (s->has_error_code)
			seq_printf(m, "error_code: 0x%x\n", s->error_code);
	}
	return 0;
}

static int regs_show(struct seq_file *m, struct vmxhv_cpu *v)
{
	static const char * const names[VMXHV_NR_GPRS] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	/* abi.md's order: rax rbx rcx rdx rsi rdi rbp rsp r8..r15 */
	static const u8 order[] = {
		VMXHV_RAX, VMXHV_RBX, VMXHV_RCX, VMXHV_RDX, VMXHV_RSI,
		VMXHV_RDI, VMXHV_RBP, VMXHV_RSP, VMXHV_R8, VMXHV_R9,
		VMXHV_R10, VMXHV_R11, VMXHV_R12, VMXHV_R13, VMXHV_R14,
		VMXHV_R15,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		u8 r = order[i];
		u64 val = r == VMXHV_RSP ? v->rsp : v->gprs[r];

		seq_printf(m, "%s: 0x%016llx\n", names[r], val);
	}
	seq_printf(m, "rip: 0x%016llx\n", v->rip);
	seq_printf(m, "rflags: 0x%016llx\n", v->rflags);
	return 0;
}

/* The console ring, oldest byte first. */
static int console_show(struct seq_file *m, struct vmxhv_cpu *v)
{
	u64 len = v->console_len;
	size_t start, n = min_t(u64, len, VMXHV_CONSOLE_BYTES);

	start = len > VMXHV_CONSOLE_BYTES ? len % VMXHV_CONSOLE_BYTES : 0;
	seq_write(m, v->console + start, min_t(size_t, n, VMXHV_CONSOLE_BYTES - start));
	if (start)
		seq_write(m, v->console, start);
	return 0;
}

static int exits_show(struct seq_file *m, struct vmxhv_cpu *v)
{
	unsigned int i;

	for (i = 0; i < VMXHV_NR_EXIT_REASONS; i++) {
		const char *name = vmxhv_exit_reason_name(i);

		if (v->exit_counts[i])
			seq_printf(m, "%s %u\n", name ?: "UNKNOWN", v->exit_counts[i]);
	}
	return 0;
}

static int launch_show(struct seq_file *m, struct vmxhv_cpu *v)
{
	seq_printf(m, "%d\n", READ_ONCE(v->running));
	return 0;
}

static int launch_store(struct vmxhv_cpu *v, char *arg)
{
	unsigned int val;
	int err;

	if (kstrtouint(arg, 0, &val) || val != 1) {
		pr_warn_ratelimited("cpu%d: launch: write 1 to launch, not \"%s\"\n",
				    v->cpu, arg);
		return -EINVAL;
	}
	err = vmxhv_launch(v);
	/* The exit path only counts failed VMWRITEs; say so here. */
	vmxhv_vmwrite_report(v);
	return err;
}

static int timeout_show(struct seq_file *m, struct vmxhv_cpu *v)
{
	seq_printf(m, "%u\n", v->timeout_ms);
	return 0;
}

static int timeout_store(struct vmxhv_cpu *v, char *arg)
{
	unsigned int val;

	if (kstrtouint(arg, 0, &val) || val < 1 || val > VMXHV_TIMEOUT_MAX) {
		pr_warn_ratelimited("cpu%d: timeout_ms: \"%s\" is not 1..%u\n",
				    v->cpu, arg, VMXHV_TIMEOUT_MAX);
		return -EINVAL;
	}
	WRITE_ONCE(v->timeout_ms, val);
	return 0;
}

static int mode_show(struct seq_file *m, struct vmxhv_cpu *v)
{
	seq_printf(m, "%s\n", mode_names[v->mode]);
	return 0;
}

static int mode_store(struct vmxhv_cpu *v, char *arg)
{
	int i = match_string(mode_names, ARRAY_SIZE(mode_names), arg);

	if (i < 0) {
		pr_warn_ratelimited("cpu%d: mode: \"%s\" is not long, protected or real\n",
				    v->cpu, arg);
		return -EINVAL;
	}
	if (i != VMXHV_MODE_LONG &&
	    !(vmxhv_caps.proc2.may_be_1 & SECONDARY_EXEC_UNRESTRICTED_GUEST)) {
		pr_warn_ratelimited("cpu%d: mode: %s needs unrestricted guest, which this CPU lacks\n",
				    v->cpu, arg);
		return -EOPNOTSUPP;
	}
	mutex_lock(&v->lock);
	v->mode = i;
	mutex_unlock(&v->lock);
	return 0;
}

static const struct cpufile cpufiles[] = {
	{ "launch", 0600, launch_show, launch_store },
	{ "status", 0400, status_show },
	{ "regs", 0400, regs_show },
	{ "console", 0400, console_show },
	{ "exits", 0400, exits_show },
	{ "timeout_ms", 0600, timeout_show, timeout_store },
	{ "mode", 0600, mode_show, mode_store },
	{ "dump", 0400, vmxhv_dump_show },
	{ "check", 0400, vmxhv_check_show },
	{ "overrides", 0600, vmxhv_overrides_show, vmxhv_overrides_store },
	{ "msr_exits", 0600, vmxhv_msr_exits_show, vmxhv_msr_exits_store },
	{ "io_exits", 0600, vmxhv_io_exits_show, vmxhv_io_exits_store },
};

static int cpufile_show(struct seq_file *m, void *unused)
{
	const struct cpufile_ref *ref = m->private;
	int err;

	/* The lock keeps a launch from resetting results mid-print. */
	mutex_lock(&ref->v->lock);
	err = ref->f->show(m, ref->v);
	mutex_unlock(&ref->v->lock);
	return err;
}

static int cpufile_open(struct inode *inode, struct file *file)
{
	return single_open(file, cpufile_show, inode->i_private);
}

/* Room for an msr_exits/io_exits list; the other files take one number. */
#define ARG_MAX_LEN	512

static ssize_t cpufile_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	const struct cpufile_ref *ref = ((struct seq_file *)file->private_data)->private;
	char *buf;
	int err;

	if (!ref->f->store)
		return -EACCES;	/* as sysfs does for read-only attributes */
	if (len > ARG_MAX_LEN) {
		pr_warn_ratelimited("cpu%d: %s: value longer than %d bytes\n",
				    ref->v->cpu, ref->f->name, ARG_MAX_LEN);
		return -EINVAL;
	}
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = ref->f->store(ref->v, strim(buf));
	kfree(buf);
	return err ?: len;
}

/*
 * No owner: an open file does not pin the module (see unpinned.c), and
 * release is core code.  Used through the copy vmxhv_cpufiles_init() makes.
 */
static const struct file_operations cpufile_fops_template = {
	.open = cpufile_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = cpufile_write,
};

/*
 * guest_code: the writes of one open() build a new image in a private
 * buffer; close() swaps it in.  A write past the maximum fails with
 * EFBIG and the old image stays.  Every allocation happens in write(),
 * which can report ENOMEM: release cannot fail, so it must not allocate
 * (fault injection found images lost after a successful close).
 */
struct image_buf {
	struct vmxhv_cpu *v;	/* freed once the file is removed: see release */
	int cpu;
	u8 *data;		/* @cap bytes, grown by doubling */
	size_t len, cap;
	bool too_big;
};

static int image_open(struct inode *inode, struct file *file)
{
	struct image_buf *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return -ENOMEM;
	b->v = inode->i_private;
	b->cpu = b->v->cpu;
	file->private_data = b;
	return nonseekable_open(inode, file);
}

static ssize_t image_read(struct file *file, char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	struct image_buf *b = file->private_data;
	ssize_t ret;

	mutex_lock(&b->v->lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, b->v->image, b->v->image_len);
	mutex_unlock(&b->v->lock);
	return ret;
}

static ssize_t image_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct image_buf *b = file->private_data;

	if (len > VMXHV_IMAGE_MAX - b->len) {
		b->too_big = true;
		pr_warn_ratelimited("cpu%d: guest_code: image larger than %lu bytes, keeping the old one\n",
				    b->cpu, VMXHV_IMAGE_MAX);
		return -EFBIG;
	}
	if (len > b->cap - b->len) {
		size_t cap = max_t(size_t, b->cap, PAGE_SIZE);
		u8 *data;

		while (cap < b->len + len)
			cap *= 2;
		cap = min_t(size_t, cap, VMXHV_IMAGE_MAX);
		data = vmalloc(cap);
		if (!data)
			return -ENOMEM;
		if (b->len)
			memcpy(data, b->data, b->len);
		vfree(b->data);
		b->data = data;
		b->cap = cap;
	}
	if (copy_from_user(b->data + b->len, ubuf, len))
		return -EFAULT;
	b->len += len;
	return len;
}

static int image_release(struct inode *inode, struct file *file)
{
	struct image_buf *b = file->private_data;
	struct dentry *dentry = file->f_path.dentry;
	struct vmxhv_cpu *v = b->v;

	if (b->too_big || !(file->f_mode & FMODE_WRITE))
		goto out;
	if (!b->len) {
		pr_warn_ratelimited("cpu%d: guest_code: empty image refused, keeping the old one\n",
				    b->cpu);
		goto out;
	}
	/*
	 * debugfs does not guard release against removal: if the CPU left
	 * the set while the file was open, its vmxhv_cpu is gone.  Holding
	 * the file makes a concurrent removal wait for us.
	 */
	if (debugfs_file_get(dentry)) {
		pr_warn_ratelimited("cpu%d: guest_code: the CPU left the set while the file was open, image dropped\n",
				    b->cpu);
		goto out;
	}
	mutex_lock(&v->lock);
	swap(v->image, b->data);	/* the old image is freed below */
	v->image_len = b->len;
	mutex_unlock(&v->lock);
	debugfs_file_put(dentry);
out:
	vfree(b->data);
	kfree(b);
	return 0;
}

static const struct file_operations image_fops = {
	.owner = THIS_MODULE,
	.open = image_open,
	.read = image_read,
	.write = image_write,
	.release = image_release,
};

static const struct file_operations *cpufile_fops;

int vmxhv_cpufiles_init(void)
{
	cpufile_fops = vmxhv_unpinned_init(&cpufile_fops_template);
	return cpufile_fops ? 0 : -ENOMEM;
}

/*
 * The files are the interface: a CPU without all of them is not added.
 * On failure everything created so far is removed again.
 */
int vmxhv_cpufiles_create(struct vmxhv_cpu *v)
{
	struct cpufile_ref *refs;
	struct dentry *d;
	char name[16];
	unsigned int i;
	int err;

	refs = kcalloc(ARRAY_SIZE(cpufiles), sizeof(*refs), GFP_KERNEL);
	if (!refs)
		return -ENOMEM;
	v->file_refs = refs;
	snprintf(name, sizeof(name), "cpu%d", v->cpu);
	v->dir = debugfs_create_dir(name, vmxhv_debugfs_root);
	if (IS_ERR(v->dir)) {
		err = PTR_ERR(v->dir);
		v->dir = NULL;
		goto fail;
	}
	for (i = 0; i < ARRAY_SIZE(cpufiles); i++) {
		refs[i] = (struct cpufile_ref){ v, &cpufiles[i] };
		d = debugfs_create_file(cpufiles[i].name, cpufiles[i].mode, v->dir,
					&refs[i], cpufile_fops);
		if (IS_ERR(d)) {
			err = PTR_ERR(d);
			goto fail;
		}
		refs[i].dentry = dget(d);
	}
	d = debugfs_create_file("guest_code", 0600, v->dir, v, &image_fops);
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
		goto fail;
	}
	err = vmxhv_vmcs_files_create(v);
	if (err)
		goto fail;
	return 0;
fail:
	vmxhv_cpufiles_remove(v);
	return err;
}

void vmxhv_cpufiles_remove(struct vmxhv_cpu *v)
{
	struct cpufile_ref *refs = v->file_refs;
	unsigned int i;

	debugfs_remove_recursive(v->dir);
	v->dir = NULL;
	for (i = 0; refs && i < ARRAY_SIZE(cpufiles); i++)
		if (refs[i].dentry)
			vmxhv_unpinned_removed(refs[i].dentry);
	kfree(v->file_refs);
	v->file_refs = NULL;
}
