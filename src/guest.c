// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's initial state for each mode: the structures the module
 * places below GPA 0x10000 (page tables, GDT, TSS) and the guest-state
 * area of the VMCS.  Documentation/guest.md lists the exact values.
 */
#include <linux/kernel.h>
#include <uapi/asm/debugreg.h>
#include <asm/processor-flags.h>
#include <asm/special_insns.h>
#include <asm/vmx.h>

#include "vmxhv.h"
#include "vmx_ops.h"
#include "vmxhv/cpu_rules.h"

/* Guest-physical layout of the module's structures. */
#define GPA_PML4	0x1000UL
#define GPA_PDPT	0x2000UL
#define GPA_PD		0x3000UL	/* four PDs: 0x3000..0x6fff (no 1 GiB pages) */
#define GPA_GDT		0x7000UL
#define GPA_TSS		0x8000UL

/* GDT selectors. */
#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define SEL_CODE32	0x18
#define SEL_TSS		0x20
#define GDT_LIMIT	0x2f

/* Access-rights encodings (SDM 25.4.1, "access rights" format). */
#define AR_CODE64	0xa09b	/* G, L, P, S, execute/read accessed */
#define AR_CODE32	0xc09b	/* G, D, P, S, execute/read accessed */
#define AR_DATA32	0xc093	/* G, D/B, P, S, read/write accessed */
#define AR_CODE16	0x009b
#define AR_DATA16	0x0093
#define AR_TSS_BUSY	0x008b	/* P, 32/64-bit busy TSS */
#define AR_UNUSABLE	0x10000

#define PTE_P		0x1ULL
#define PTE_RW		0x2ULL
#define PTE_PS		0x80ULL

struct seg {
	u16 sel;
	u32 limit;
	u64 base;
	u32 ar;
};

/* ES, CS, SS, DS, FS, GS, LDTR, TR: the order of the VMCS encodings. */
enum { ES, CS, SS, DS, FS, GS, LDTR, TR, NR_SEGS };

static const struct seg tss = { SEL_TSS, 0x67, GPA_TSS, AR_TSS_BUSY };
static const struct seg ldtr = { 0, 0, 0, AR_UNUSABLE };

static void write_segs(const struct seg *s)
{
	unsigned int i;

	for (i = 0; i < NR_SEGS; i++) {
		vmxhv_vmwrite(GUEST_ES_SELECTOR + 2 * i, s[i].sel);
		vmxhv_vmwrite(GUEST_ES_LIMIT + 2 * i, s[i].limit);
		vmxhv_vmwrite(GUEST_ES_AR_BYTES + 2 * i, s[i].ar);
		vmxhv_vmwrite(GUEST_ES_BASE + 2 * i, s[i].base);
	}
}

static void flat_segs(struct seg *s, u16 code_sel, u32 code_ar)
{
	unsigned int i;

	for (i = 0; i < LDTR; i++)
		s[i] = (struct seg){ SEL_DATA, 0xffffffff, 0, AR_DATA32 };
	s[CS] = (struct seg){ code_sel, 0xffffffff, 0, code_ar };
	s[LDTR] = ldtr;
	s[TR] = tss;
}

/*
 * Which of the module's structure pages must be written for this launch:
 * all of them after a mode change, else those the reset just cleared
 * (the guest wrote them, or the CPU did: with EPT A/D flags on, guest
 * page-table walks count as writes).
 */
static bool must_build(struct vmxhv_cpu *v, u64 gpa)
{
	return v->built_mode != v->mode || test_bit(gpa >> PAGE_SHIFT, v->mem.cleared);
}

/*
 * Identity map of the first 4 GiB: four 1 GiB pages where the CPU has
 * them (two pages to rebuild), else 2 MiB pages in four directories.
 */
static void build_page_tables(struct vmxhv_cpu *v)
{
	struct vmxhv_mem *m = &v->mem;
	bool gb = boot_cpu_has(X86_FEATURE_GBPAGES);
	unsigned int i, j;

	if (must_build(v, GPA_PML4))
		*(u64 *)vmxhv_gpa_raw(m, GPA_PML4) = GPA_PDPT | PTE_P | PTE_RW;
	for (i = 0; i < 4; i++) {
		u64 pd = GPA_PD + i * PAGE_SIZE;
		u64 *pde;

		if (must_build(v, GPA_PDPT))
			((u64 *)vmxhv_gpa_raw(m, GPA_PDPT))[i] = gb ?
				(u64)i << 30 | PTE_P | PTE_RW | PTE_PS :
				pd | PTE_P | PTE_RW;
		if (gb || !must_build(v, pd))
			continue;
		pde = vmxhv_gpa_raw(m, pd);
		for (j = 0; j < 512; j++)
			pde[j] = ((u64)i << 30 | (u64)j << 21) | PTE_P | PTE_RW | PTE_PS;
	}
}

/* Segment descriptors matching the VMCS segment state below. */
static void build_gdt(struct vmxhv_cpu *v)
{
	u64 *gdt = vmxhv_gpa_raw(&v->mem, GPA_GDT);

	if (!must_build(v, GPA_GDT))
		return;
	gdt[SEL_CODE64 / 8] = 0x00af9b000000ffffULL;
	gdt[SEL_DATA / 8] = 0x00cf93000000ffffULL;
	gdt[SEL_CODE32 / 8] = 0x00cf9b000000ffffULL;
	/* 16-byte TSS descriptor, base GPA_TSS, limit 0x67, busy. */
	gdt[SEL_TSS / 8] = 0x67 | (GPA_TSS & 0xffffff) << 16 |
			   (u64)(AR_TSS_BUSY & 0xff) << 40 |
			   (GPA_TSS >> 24 & 0xff) << 56;
	gdt[SEL_TSS / 8 + 1] = 0;
}

/*
 * The module's structures in guest RAM, after vmxhv_mem_reset().  A mode
 * change first gets the old mode's structures cleared by the reset.
 */
void vmxhv_guest_mem_prepare(struct vmxhv_cpu *v)
{
	u64 gpa;

	if (v->built_mode == v->mode)
		return;
	for (gpa = GPA_PML4; gpa <= GPA_TSS; gpa += PAGE_SIZE)
		vmxhv_gpa_mark(&v->mem, gpa);
}

void vmxhv_guest_mem_build(struct vmxhv_cpu *v)
{
	build_gdt(v);
	if (v->mode == VMXHV_MODE_LONG)
		build_page_tables(v);
	v->built_mode = v->mode;
}

/* What this CPU allows in VMX operation, for cpu_rules.c. */
static void cr_limits(struct vmxhv_cr_limits *l)
{
	l->cr0_fixed0 = vmxhv_caps.cr0_fixed0;
	l->cr0_fixed1 = vmxhv_caps.cr0_fixed1;
	l->cr4_fixed0 = vmxhv_caps.cr4_fixed0;
	l->cr4_fixed1 = vmxhv_caps.cr4_fixed1;
	l->unrestricted = vmxhv_ctl_allows(&vmxhv_caps.proc2,
					   SECONDARY_EXEC_UNRESTRICTED_GUEST);
}

void vmxhv_guest_build(struct vmxhv_cpu *v)
{
	struct seg s[NR_SEGS];
	u64 cr0 = X86_CR0_ET | X86_CR0_NE;
	u64 cr4 = X86_CR4_VMXE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	u64 efer = 0, rip = VMXHV_IMAGE_GPA, rsp = VMXHV_GUEST_MEM_BYTES;
	u32 entry = vmxhv_vmread(VM_ENTRY_CONTROLS) & ~VM_ENTRY_IA32E_MODE;
	struct vmxhv_cr_limits lim;

	if (boot_cpu_has(X86_FEATURE_XSAVE))
		cr4 |= X86_CR4_OSXSAVE;

	switch (v->mode) {
	case VMXHV_MODE_LONG:
		cr0 |= X86_CR0_PE | X86_CR0_MP | X86_CR0_WP | X86_CR0_PG;
		cr4 |= X86_CR4_PAE;
		efer = EFER_LME | EFER_LMA;
		if (boot_cpu_has(X86_FEATURE_NX))
			efer |= EFER_NX;
		entry |= VM_ENTRY_IA32E_MODE;
		flat_segs(s, SEL_CODE64, AR_CODE64);
		break;
	case VMXHV_MODE_PROTECTED:
		cr0 |= X86_CR0_PE | X86_CR0_MP;
		flat_segs(s, SEL_CODE32, AR_CODE32);
		break;
	case VMXHV_MODE_REAL:
		/* CS = DS = ES = FS = GS = SS = 0x1000: IP 0 is the image. */
		for (int i = 0; i < LDTR; i++)
			s[i] = (struct seg){ VMXHV_IMAGE_GPA >> 4, 0xffff,
					     VMXHV_IMAGE_GPA, AR_DATA16 };
		s[CS].ar = AR_CODE16;
		s[LDTR] = ldtr;
		s[TR] = tss;
		rip = 0;
		rsp = 0;	/* the first push lands at SS:0xfffe */
		break;
	}
	write_segs(s);

	/*
	 * The guest sees @cr0/@cr4; the CPU runs it with the host-owned
	 * bits as the host wants them: CR4.MCE set although the guest
	 * starts with it clear, VMXE set and reading as 0 (VMX stays
	 * hidden), CD/NW clear.
	 */
	cr_limits(&lim);
	vmxhv_vmwrite(GUEST_CR0, vmxhv_cr0_hw(&lim, cr0));
	vmxhv_vmwrite(CR0_READ_SHADOW, cr0);
	vmxhv_vmwrite(GUEST_CR3, v->mode == VMXHV_MODE_LONG ? GPA_PML4 : 0);
	vmxhv_vmwrite(GUEST_CR4, vmxhv_cr4_hw(&lim, cr4));
	vmxhv_vmwrite(CR4_READ_SHADOW, cr4 & ~X86_CR4_VMXE);
	vmxhv_vmwrite(GUEST_IA32_EFER, efer);
	vmxhv_vmwrite(VM_ENTRY_CONTROLS, entry);
	vmxhv_vmwrite(GUEST_GDTR_BASE, GPA_GDT);
	vmxhv_vmwrite(GUEST_GDTR_LIMIT, GDT_LIMIT);
	vmxhv_vmwrite(GUEST_IDTR_BASE, 0);
	vmxhv_vmwrite(GUEST_IDTR_LIMIT, v->mode == VMXHV_MODE_REAL ? 0x3ff : 0);
	vmxhv_vmwrite(GUEST_RIP, rip);
	vmxhv_vmwrite(GUEST_RSP, rsp);
	vmxhv_vmwrite(GUEST_RFLAGS, X86_EFLAGS_FIXED);
	vmxhv_vmwrite(GUEST_DR7, 0x400);	/* bit 10 reads as 1 */
	vmxhv_vmwrite(GUEST_IA32_DEBUGCTL, 0);
	/* The power-on PAT value (SDM 13.12.4). */
	vmxhv_vmwrite(GUEST_IA32_PAT, 0x0007040600070406ULL);
	vmxhv_vmwrite(GUEST_SYSENTER_CS, 0);
	vmxhv_vmwrite(GUEST_SYSENTER_ESP, 0);
	vmxhv_vmwrite(GUEST_SYSENTER_EIP, 0);
	vmxhv_vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmxhv_vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmxhv_vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmxhv_vmwrite(VMCS_LINK_POINTER, ~0ULL);

	memset(v->gprs, 0, sizeof(v->gprs));
	memset(&v->virt, 0, sizeof(v->virt));
	v->virt.dr6 = DR6_RESERVED;
	v->virt.xcr0 = vmxhv_guest_xcr0;
}
