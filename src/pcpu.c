// SPDX-License-Identifier: GPL-2.0
/*
 * The physical-CPU object (struct vmxhv_cpu): what one CPU in VMX operation
 * owns, allocated on its node when it joins the CPU set, for both kinds of
 * guest (the separate guest's RAM and bitmaps, the virtualized kernel's).
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/topology.h>
#include <linux/vmalloc.h>
#include <asm/cpu_entry_area.h>
#include <asm/cpufeature.h>

#include "vmxhv.h"
#include "virt.h"

static void *alloc_page_filled(int node, int byte)
{
	struct page *p = alloc_pages_node(node, GFP_KERNEL, 0);
	void *va;

	if (!p)
		return NULL;
	va = page_address(p);
	memset(va, byte, PAGE_SIZE);
	return va;
}

unsigned int vmxhv_xsave_size(void)
{
	unsigned int eax, ebx, ecx, edx;

	if (!boot_cpu_has(X86_FEATURE_XSAVE))
		return 512;	/* FXSAVE area */
	cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
	return ebx;		/* size for the features enabled in XCR0 */
}

struct vmxhv_cpu *vmxhv_pcpu_alloc(int cpu)
{
	int node = cpu_to_node(cpu);
	struct vmxhv_cpu *v;

	v = kzalloc_node(sizeof(*v), GFP_KERNEL, node);
	if (!v)
		return NULL;
	v->cpu = cpu;
	mutex_init(&v->lock);
	init_waitqueue_head(&v->idle_wq);
	init_completion(&v->done);
	v->timeout_ms = VMXHV_TIMEOUT_DEFAULT;
	v->mode = VMXHV_MODE_LONG;
	v->built_mode = -1;
	v->state = VMXHV_IDLE;

	v->vmxon_region = alloc_page_filled(node, 0);
	v->vmcs = alloc_page_filled(node, 0);
	/* All-ones bitmaps: every MSR access and every port exits. */
	v->msr_bitmap = alloc_page_filled(node, 0xff);
	v->io_bitmap_a = alloc_page_filled(node, 0xff);
	v->io_bitmap_b = alloc_page_filled(node, 0xff);
	v->msr_load = alloc_page_filled(node, 0);
	v->xsave = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					    get_order(vmxhv_xsave_size()));
	v->console = vzalloc(VMXHV_CONSOLE_BYTES);
	v->image = vmalloc(1);
	if (!v->vmxon_region || !v->vmcs || !v->msr_bitmap ||
	    !v->io_bitmap_a || !v->io_bitmap_b || !v->msr_load || !v->xsave || !v->console ||
	    !v->image || vmxhv_mem_alloc(&v->mem) || vmxhv_virt_alloc(v))
		goto fail;
	vmxhv_virt_work_init(v);
	*(u32 *)v->vmcs = vmxhv_caps.vmcs_revision;
	v->image[0] = 0xf4;	/* HLT */
	v->image_len = 1;
	return v;

fail:
	vmxhv_pcpu_free(v);
	return NULL;
}

void vmxhv_pcpu_free(struct vmxhv_cpu *v)
{
	if (!v)
		return;
	vmxhv_virt_free(v);
	vmxhv_mem_free(&v->mem);
	vfree(v->image);
	vfree(v->console);
	free_pages((unsigned long)v->xsave, get_order(vmxhv_xsave_size()));
	free_page((unsigned long)v->msr_load);
	free_page((unsigned long)v->io_bitmap_b);
	free_page((unsigned long)v->io_bitmap_a);
	free_page((unsigned long)v->msr_bitmap);
	free_page((unsigned long)v->vmcs);
	free_page((unsigned long)v->vmxon_region);
	kfree(v);
}

/* TR base of this CPU: decoded from its GDT descriptor. */
unsigned long vmxhv_tr_base(void)
{
	return (unsigned long)&get_cpu_entry_area(smp_processor_id())->tss.x86_tss;
}
