// SPDX-License-Identifier: GPL-2.0
/*
 * cpuN/msr_exits and cpuN/io_exits: which MSRs and ports of a virtualized
 * CPU's kernel exit.  The selection lives in that CPU's virtualization
 * MSR and I/O bitmaps themselves and survives devirtualizing; reads
 * rebuild the list from them.  A write builds the new selection in spare
 * pages and swaps them in on the CPU, in root operation.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <asm/vmx.h>

#include "vmxhv.h"
#include "vmx_ops.h"
#include "virt.h"
#include "vmxhv/exit_lists.h"

/* MSR bitmap: read half (low, high), then the write half at 0x800 bytes. */
#define MSR_BITS		0x4000
#define MSR_WRITE_OFFSET	(0x800 / sizeof(unsigned long))
#define PORT_BITS		0x10000
#define PORT_HALF		0x8000

struct list_file {
	enum vmxhv_list_kind kind;
	const char *name;
	unsigned int nbits;
};

static const struct list_file msr_list = { VMXHV_LIST_MSR, "msr_exits", MSR_BITS };
static const struct list_file port_list = { VMXHV_LIST_PORT, "io_exits", PORT_BITS };

/*
 * Bit @bit of the list's bitmap(s), the ones in use or the spares: I/O
 * bitmap B holds ports 0x8000 on.
 */
static unsigned long *list_word(struct vmxhv_cpu *v, const struct list_file *l,
				unsigned int *bit, bool spare)
{
	if (l->kind == VMXHV_LIST_MSR)
		return spare ? v->virt_spare_msr_bitmap : v->virt_msr_bitmap;
	if (*bit >= PORT_HALF) {
		*bit -= PORT_HALF;
		return spare ? v->virt_spare_io_bitmap_b : v->virt_io_bitmap_b;
	}
	return spare ? v->virt_spare_io_bitmap_a : v->virt_io_bitmap_a;
}

static bool list_test(struct vmxhv_cpu *v, const struct list_file *l, unsigned int bit)
{
	unsigned long *map = list_word(v, l, &bit, false);

	return test_bit(bit, map);
}

static void spare_set(struct vmxhv_cpu *v, const struct list_file *l, unsigned int bit)
{
	unsigned long *map = list_word(v, l, &bit, true);

	__set_bit(bit, map);
	if (l->kind == VMXHV_LIST_MSR)
		__set_bit(bit, map + MSR_WRITE_OFFSET);
}

/*
 * The spares become the bitmaps in use, on a CPU that is not virtualized
 * (a virtualized one does it in the exit of vmxhv_virt_vmcall(), in root
 * operation: virt_exits.c's swap_in_root()).  The SDM allows changing a
 * bitmap only while no CPU using it is in non-root operation ("Software
 * Access to Related Structures"), so a virtualized CPU's bitmaps are
 * never edited in place.
 */
static void swap_bitmaps(struct vmxhv_cpu *v, bool io)
{
	if (!io) {
		swap(v->virt_msr_bitmap, v->virt_spare_msr_bitmap);
		return;
	}
	swap(v->virt_io_bitmap_a, v->virt_spare_io_bitmap_a);
	swap(v->virt_io_bitmap_b, v->virt_spare_io_bitmap_b);
}

static void swap_on_cpu(void *arg)
{
	struct vmxhv_cpu *v = arg;
	bool io = v->virt_swap_io;

	if (READ_ONCE(v->virt_on))
		vmxhv_virt_vmcall(io ? VMXHV_VIRT_CALL_IO_BITMAPS : VMXHV_VIRT_CALL_MSR_BITMAP);
	else
		swap_bitmaps(v, io);
}

static unsigned int bit_of(const struct list_file *l, u32 n)
{
	return l->kind == VMXHV_LIST_MSR ? vmxhv_msr_bitmap_bit(n) : n;
}

static u32 number_of(const struct list_file *l, unsigned int bit)
{
	return l->kind == VMXHV_LIST_MSR ? vmxhv_msr_of_bit(bit) : bit;
}

static int list_show(struct seq_file *m, struct vmxhv_cpu *v, const struct list_file *l)
{
	struct vmxhv_range *r;
	unsigned int bit = 0;
	int n = 0, max = VMXHV_MAX_RANGES * 2;
	size_t len;
	char *buf;

	r = kcalloc(max, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	while (bit < l->nbits && n < max) {
		unsigned int first;

		while (bit < l->nbits && !list_test(v, l, bit))
			bit++;
		if (bit == l->nbits)
			break;
		first = bit;
		/* The MSR bitmap's two halves are not contiguous numbers. */
		while (bit + 1 < l->nbits && list_test(v, l, bit + 1) &&
		       number_of(l, bit + 1) == number_of(l, bit) + 1)
			bit++;
		r[n].first = number_of(l, first);
		r[n].last = number_of(l, bit);
		n++;
		bit++;
	}
	len = vmxhv_list_format(NULL, 0, r, n) + 1;
	buf = kmalloc(len, GFP_KERNEL);
	if (buf) {
		vmxhv_list_format(buf, len, r, n);
		seq_printf(m, "%s\n", buf);
	}
	kfree(buf);
	kfree(r);
	return buf ? 0 : -ENOMEM;
}

static int list_store(struct vmxhv_cpu *v, const struct list_file *l, char *arg)
{
	struct vmxhv_range *r;
	const char *why = NULL;
	int i, n, err;

	r = kcalloc(VMXHV_MAX_RANGES, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	n = strcmp(arg, "clear") ? vmxhv_list_parse(arg, l->kind, r, VMXHV_MAX_RANGES, &why) : 0;
	if (n < 0) {
		pr_warn_ratelimited("cpu%d: %s: \"%s\" refused: %s\n", v->cpu, l->name, arg, why);
		kfree(r);
		return n;
	}
	/*
	 * No hotplug lock (cpu_leave() removes these files under it and waits
	 * for writers): the CPU is online while its files exist, so the IPI
	 * reaches it; -ENXIO would mean it is already down and unvirtualized.
	 */
	mutex_lock(&v->lock);
	if (l->kind == VMXHV_LIST_MSR) {
		bitmap_zero(v->virt_spare_msr_bitmap, PAGE_SIZE * BITS_PER_BYTE);
	} else {
		bitmap_zero(v->virt_spare_io_bitmap_a, PAGE_SIZE * BITS_PER_BYTE);
		bitmap_zero(v->virt_spare_io_bitmap_b, PAGE_SIZE * BITS_PER_BYTE);
	}
	for (i = 0; i < n; i++) {
		u32 x;

		for (x = r[i].first; ; x++) {
			spare_set(v, l, bit_of(l, x));
			if (x == r[i].last)
				break;
		}
	}
	v->virt_swap_io = l->kind == VMXHV_LIST_PORT;
	/* For the exit handler, which must not call __pa() (virt_exits.c). */
	if (v->virt_swap_io) {
		v->virt_swap_pa[0] = __pa(v->virt_spare_io_bitmap_a);
		v->virt_swap_pa[1] = __pa(v->virt_spare_io_bitmap_b);
	} else {
		v->virt_swap_pa[0] = __pa(v->virt_spare_msr_bitmap);
	}
	err = smp_call_function_single(v->cpu, swap_on_cpu, v, 1);
	if (err == -ENXIO) {
		/* Offline, so not virtualized: nothing uses the bitmaps. */
		swap_bitmaps(v, v->virt_swap_io);
		err = 0;
	}
	mutex_unlock(&v->lock);
	kfree(r);
	if (err)
		pr_warn_ratelimited("cpu%d: %s: the CPU did not take the new selection (%d)\n",
				    v->cpu, l->name, err);
	return err;
}

int vmxhv_msr_exits_show(struct seq_file *m, struct vmxhv_cpu *v)
{
	return list_show(m, v, &msr_list);
}

int vmxhv_msr_exits_store(struct vmxhv_cpu *v, char *arg)
{
	return list_store(v, &msr_list, arg);
}

int vmxhv_io_exits_show(struct seq_file *m, struct vmxhv_cpu *v)
{
	return list_show(m, v, &port_list);
}

int vmxhv_io_exits_store(struct vmxhv_cpu *v, char *arg)
{
	return list_store(v, &port_list, arg);
}
