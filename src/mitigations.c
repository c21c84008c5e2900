// SPDX-License-Identifier: GPL-2.0
/*
 * Speculative-execution mitigations around guest execution, decided once
 * at load from what the kernel chose for itself (its X86_FEATURE_* and
 * l1tf_mitigation), the way KVM decides them:
 *
 *  - VERW before VM entry (MDS, TAA, MMIO, RFDS): CLEAR_CPU_BUFFERS in
 *    vmenter.S, patched in where the kernel clears buffers.
 *  - L1D flush before VM entry (L1TF): here, KVM's "cond" policy (or
 *    "always" under l1tf=full): after anything but the guest's own exits
 *    has run on the CPU, that is, on the first entry of a slice, after an
 *    interrupt, and after a traced exit.
 *  - After VM exit: the RSB refill, the legacy-IBRS SPEC_CTRL write and
 *    the branch-history clearing in vmenter.S; the IBPB before the next
 *    return to user space (VMSCAPE) in run.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include <asm/processor.h>
#include <asm/sync_core.h>

#include "vmxhv.h"

/* 64 KiB: more than any L1D the flush targets (KVM's L1D_CACHE_ORDER). */
#define L1D_FLUSH_ORDER	4
#define L1D_FLUSH_BYTES	(PAGE_SIZE << L1D_FLUSH_ORDER)

enum l1d_mode { L1D_NONE, L1D_COND, L1D_ALWAYS };

static enum l1d_mode l1d_mode;
static u8 *l1d_pages;		/* software flush: without IA32_FLUSH_CMD */
bool vmxhv_l1d_cond __read_mostly;
bool vmxhv_l1d_always __read_mostly;

/* Evict the L1D by reading 64 KiB that is nobody's secret. */
static void l1d_flush_software(void)
{
	unsigned long i;

	/* Translations first, so the fill below is not cut short by walks. */
	for (i = 0; i < L1D_FLUSH_BYTES; i += PAGE_SIZE)
		READ_ONCE(l1d_pages[i]);
	sync_core();
	for (i = 0; i < L1D_FLUSH_BYTES; i += L1_CACHE_BYTES)
		READ_ONCE(l1d_pages[i]);
	barrier_nospec();
}

void vmxhv_l1d_flush(void)
{
	if (l1d_pages)
		l1d_flush_software();
	else
		native_wrmsrl(MSR_IA32_FLUSH_CMD, L1D_FLUSH);
}

static enum l1d_mode l1d_policy(void)
{
	u64 cap = 0;

	if (!boot_cpu_has_bug(X86_BUG_L1TF))
		return L1D_NONE;
	if (boot_cpu_has(X86_FEATURE_ARCH_CAPABILITIES))
		rdmsrl_safe(MSR_IA32_ARCH_CAPABILITIES, &cap);
	if (cap & ARCH_CAP_SKIP_VMENTRY_L1DFLUSH)
		return L1D_NONE;	/* the CPU flushes on VM entry itself */
	switch (l1tf_mitigation) {
	case L1TF_MITIGATION_OFF:
		return L1D_NONE;
	case L1TF_MITIGATION_FULL:
	case L1TF_MITIGATION_FULL_FORCE:
		return L1D_ALWAYS;
	default:
		return L1D_COND;
	}
}

int vmxhv_mitigations_init(void)
{
	unsigned int i;

	l1d_mode = l1d_policy();
	if (l1d_mode != L1D_NONE && !boot_cpu_has(X86_FEATURE_FLUSH_L1D)) {
		struct page *p = alloc_pages(GFP_KERNEL, L1D_FLUSH_ORDER);

		if (!p) {
			pr_err("cannot allocate the %lu KiB L1D flush buffer\n",
			       L1D_FLUSH_BYTES >> 10);
			return -ENOMEM;
		}
		l1d_pages = page_address(p);
		/* Distinct contents: no page of it can be merged away. */
		for (i = 0; i < 1U << L1D_FLUSH_ORDER; i++)
			memset(l1d_pages + i * PAGE_SIZE, i + 1, PAGE_SIZE);
	}
	vmxhv_l1d_cond = l1d_mode == L1D_COND;
	vmxhv_l1d_always = l1d_mode == L1D_ALWAYS;
	return 0;
}

void vmxhv_mitigations_exit(void)
{
	if (l1d_pages)
		free_pages((unsigned long)l1d_pages, L1D_FLUSH_ORDER);
	l1d_pages = NULL;
}

/* The kernel's choices that change vmxhv's entry and exit paths. */
static const struct {
	u16 feature;
	const char *name;
} path_features[] = {
	{ X86_FEATURE_CLEAR_CPU_BUF, "verw" },
	{ X86_FEATURE_RSB_VMEXIT, "rsb_fill" },
	{ X86_FEATURE_RSB_VMEXIT_LITE, "rsb_fill_lite" },
	{ X86_FEATURE_KERNEL_IBRS, "ibrs" },
	{ X86_FEATURE_CLEAR_BHB_LOOP_ON_VMEXIT, "bhb_clear" },
	{ X86_FEATURE_IBPB_EXIT_TO_USER, "ibpb_exit_to_user" },
};

/* The `info` line: what the entry and exit paths do on this machine. */
void vmxhv_mitigations_show(struct seq_file *m)
{
	bool any = l1d_mode != L1D_NONE;
	unsigned int i;

	seq_puts(m, "mitigations:");
	for (i = 0; i < ARRAY_SIZE(path_features); i++) {
		if (!boot_cpu_has(path_features[i].feature))
			continue;
		seq_printf(m, " %s", path_features[i].name);
		any = true;
	}
	if (l1d_mode != L1D_NONE)
		seq_printf(m, " l1d_flush=%s,%s",
			   l1d_mode == L1D_ALWAYS ? "always" : "cond",
			   l1d_pages ? "sw" : "msr");
	seq_puts(m, any ? "\n" : " none\n");
}
