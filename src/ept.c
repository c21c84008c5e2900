// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory: VMXHV_GUEST_PAGES pages of RAM at GPA 0, mapped by a
 * four-level EPT with one page table.  Nothing else is mapped, so any
 * other guest-physical access ends in an EPT violation.
 *
 * Every launch starts from zeroed RAM.  Zeroing all of it would dominate
 * the cost of a short launch, so only pages written since the last reset
 * are cleared: those the guest dirtied (the EPT dirty flag, where the CPU
 * has EPT accessed/dirty flags) and those the module wrote itself
 * (vmxhv_gpa_mark).  The module's own structures are written through
 * vmxhv_gpa_raw without a mark, so they survive until the guest touches
 * them (src/guest.c).
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <asm/vmx.h>

#include "vmxhv.h"

/* EPT entry bits (SDM 29.3.2). */
#define EPT_RWX		VMX_EPT_RWX_MASK
/* Leaf memory type: write-back, the same encoding as in the EPTP. */
#define EPT_MT_WB	(VMX_EPTP_MT_WB << VMX_EPT_MT_EPTE_SHIFT)

static u64 *alloc_table(void)
{
	return (u64 *)get_zeroed_page(GFP_KERNEL);
}

int vmxhv_mem_alloc(struct vmxhv_mem *m)
{
	unsigned int i;

	m->pml4 = alloc_table();
	m->pdpt = alloc_table();
	m->pd = alloc_table();
	m->pt = alloc_table();
	if (!m->pml4 || !m->pdpt || !m->pd || !m->pt)
		goto fail;
	for (i = 0; i < VMXHV_GUEST_PAGES; i++) {
		m->ram[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!m->ram[i])
			goto fail;
		m->pt[i] = page_to_phys(m->ram[i]) | EPT_RWX | EPT_MT_WB;
	}
	m->pml4[0] = __pa(m->pdpt) | EPT_RWX;
	m->pdpt[0] = __pa(m->pd) | EPT_RWX;
	m->pd[0] = __pa(m->pt) | EPT_RWX;

	/* Write-back paging structures, 4-level walk (SDM 25.6.11). */
	m->eptp = __pa(m->pml4) | VMX_EPTP_MT_WB | VMX_EPTP_PWL_4;
	m->dirty_flags = vmxhv_caps.ept_vpid & VMX_EPT_AD_BIT;
	if (m->dirty_flags)
		m->eptp |= VMX_EPTP_AD_ENABLE_BIT;
	bitmap_fill(m->host_dirty, VMXHV_GUEST_PAGES);
	return 0;

fail:
	vmxhv_mem_free(m);
	return -ENOMEM;
}

void vmxhv_mem_free(struct vmxhv_mem *m)
{
	unsigned int i;

	for (i = 0; i < VMXHV_GUEST_PAGES; i++) {
		if (m->ram[i])
			__free_page(m->ram[i]);
		m->ram[i] = NULL;
	}
	free_page((unsigned long)m->pt);
	free_page((unsigned long)m->pd);
	free_page((unsigned long)m->pdpt);
	free_page((unsigned long)m->pml4);
	m->pt = NULL;
	m->pd = NULL;
	m->pdpt = NULL;
	m->pml4 = NULL;
}

/*
 * Zero guest RAM so that every launch starts the same.  The guest is not
 * running; the INVEPT at the next launch makes the CPU set the cleared
 * dirty flags again on the next write.
 */
void vmxhv_mem_reset(struct vmxhv_mem *m)
{
	u64 written = VMX_EPT_ACCESS_BIT | VMX_EPT_DIRTY_BIT;
	unsigned int i;

	bitmap_zero(m->cleared, VMXHV_GUEST_PAGES);
	for (i = 0; i < VMXHV_GUEST_PAGES; i++) {
		if (m->dirty_flags && !(m->pt[i] & VMX_EPT_DIRTY_BIT) &&
		    !test_bit(i, m->host_dirty))
			continue;
		clear_highpage(m->ram[i]);
		m->pt[i] &= ~written;
		__set_bit(i, m->cleared);
	}
	bitmap_zero(m->host_dirty, VMXHV_GUEST_PAGES);
}

/* Guest RAM as the module sees it; @gpa must be below guest_mem_bytes. */
void *vmxhv_gpa_raw(struct vmxhv_mem *m, u64 gpa)
{
	return page_address(m->ram[gpa >> PAGE_SHIFT]) + offset_in_page(gpa);
}

/* The module wrote (or wants cleared) the page at @gpa. */
void vmxhv_gpa_mark(struct vmxhv_mem *m, u64 gpa)
{
	__set_bit(gpa >> PAGE_SHIFT, m->host_dirty);
}

/* Copy into guest RAM; the range may span pages. */
int vmxhv_mem_write(struct vmxhv_mem *m, u64 gpa, const void *src, size_t len)
{
	if (gpa > VMXHV_GUEST_MEM_BYTES || len > VMXHV_GUEST_MEM_BYTES - gpa)
		return -EINVAL;
	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - offset_in_page(gpa));

		vmxhv_gpa_mark(m, gpa);
		memcpy(vmxhv_gpa_raw(m, gpa), src, n);
		gpa += n;
		src += n;
		len -= n;
	}
	return 0;
}
