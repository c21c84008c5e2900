/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The architectural rules for what a guest writes to XCR0, CR0 and CR4,
 * and which bits of CR0/CR4 the host keeps for itself.  Pure logic,
 * shared with the user-space unit tests (tests/unit/test_cpu_rules.c).
 */
#ifndef VMXHV_CPU_RULES_H
#define VMXHV_CPU_RULES_H

#include "types.h"

/* XCR0 state components (SDM vol. 1, 13.1). */
#define VMXHV_XFEATURE_FP		BIT_ULL(0)
#define VMXHV_XFEATURE_SSE		BIT_ULL(1)
#define VMXHV_XFEATURE_YMM		BIT_ULL(2)
#define VMXHV_XFEATURE_BNDREGS		BIT_ULL(3)
#define VMXHV_XFEATURE_BNDCSR		BIT_ULL(4)
#define VMXHV_XFEATURE_OPMASK		BIT_ULL(5)
#define VMXHV_XFEATURE_ZMM_HI256	BIT_ULL(6)
#define VMXHV_XFEATURE_HI16_ZMM		BIT_ULL(7)
#define VMXHV_XFEATURE_PKRU		BIT_ULL(9)
#define VMXHV_XFEATURE_XTILECFG		BIT_ULL(17)
#define VMXHV_XFEATURE_XTILEDATA	BIT_ULL(18)
#define VMXHV_XFEATURE_AVX512		(VMXHV_XFEATURE_OPMASK | \
					 VMXHV_XFEATURE_ZMM_HI256 | \
					 VMXHV_XFEATURE_HI16_ZMM)
#define VMXHV_XFEATURE_MPX		(VMXHV_XFEATURE_BNDREGS | VMXHV_XFEATURE_BNDCSR)
#define VMXHV_XFEATURE_XTILE		(VMXHV_XFEATURE_XTILECFG | \
					 VMXHV_XFEATURE_XTILEDATA)

/*
 * The XCR0 components a guest may enable on a host whose XCR0 is @host:
 * all of the host's but AMX tiles, whose state the kernel keeps behind
 * IA32_XFD per task and which vmxhv does not switch.
 */
u64 vmxhv_guest_xcr0_mask(u64 host);

/*
 * Why XSETBV of @val to XCR @index must #GP, given the components in
 * @allowed (vmxhv_guest_xcr0_mask), or NULL if the write is valid.
 */
const char *vmxhv_xsetbv_invalid(u32 index, u64 val, u64 allowed);

/* Control-register bits (SDM vol. 3, 2.5). */
#define VMXHV_CR0_PE		BIT_ULL(0)
#define VMXHV_CR0_NW		BIT_ULL(29)
#define VMXHV_CR0_CD		BIT_ULL(30)
#define VMXHV_CR0_PG		BIT_ULL(31)
#define VMXHV_CR4_PAE		BIT_ULL(5)
#define VMXHV_CR4_MCE		BIT_ULL(6)
#define VMXHV_CR4_LA57		BIT_ULL(12)
#define VMXHV_CR4_VMXE		BIT_ULL(13)
#define VMXHV_CR4_PCIDE		BIT_ULL(17)
#define VMXHV_CR4_CET		BIT_ULL(23)

/*
 * CR0 bits the host owns (the CR0 guest/host mask): the guest reads them
 * from the read shadow, and the CPU keeps CD and NW clear while the guest
 * runs, so a guest cannot turn the core's caches off (KVM:
 * KVM_VM_CR0_ALWAYS_OFF).
 */
#define VMXHV_CR0_HOST_OWNED	(VMXHV_CR0_CD | VMXHV_CR0_NW)

/*
 * CR4 bits the guest may own: those whose effect ends at the guest's own
 * execution (KVM allows a similar set, KVM_POSSIBLE_CR4_GUEST_BITS).
 * Every other bit is host-owned: VMXE (VMX stays hidden), MCE (kept set
 * in the CPU so a machine check in guest mode is an exit, not a
 * shutdown), SMXE, CET, PKS, Key Locker, UINTR, LASS, LAM and FRED (they
 * would run the guest under host MSRs and keys that the VMCS does not
 * switch) and the bits not yet defined.
 */
#define VMXHV_CR4_GUEST_OWNED	(BIT_ULL(0) | BIT_ULL(1) | BIT_ULL(2) | \
				 BIT_ULL(3) | BIT_ULL(4) | VMXHV_CR4_PAE | \
				 BIT_ULL(7) | BIT_ULL(8) | BIT_ULL(9) | \
				 BIT_ULL(10) | BIT_ULL(11) | VMXHV_CR4_LA57 | \
				 BIT_ULL(16) | VMXHV_CR4_PCIDE | BIT_ULL(18) | \
				 BIT_ULL(20) | BIT_ULL(21) | BIT_ULL(22))
#define VMXHV_CR4_HOST_OWNED	(~VMXHV_CR4_GUEST_OWNED)

/* Host-owned CR4 bits a guest may set: MCE, and only virtually. */
#define VMXHV_CR4_VIRTUAL	VMXHV_CR4_MCE

/* What the CPU allows in VMX operation (IA32_VMX_CR0/CR4_FIXED0/1). */
struct vmxhv_cr_limits {
	u64 cr0_fixed0, cr0_fixed1;
	u64 cr4_fixed0, cr4_fixed1;
	bool unrestricted;	/* PE and PG may be clear */
};

/*
 * The CPU's CR0/CR4 for a guest whose view is @val: host-owned bits at
 * the host's choice (CD/NW clear, MCE set), then the fixed bits.
 */
u64 vmxhv_cr0_hw(const struct vmxhv_cr_limits *l, u64 val);
u64 vmxhv_cr4_hw(const struct vmxhv_cr_limits *l, u64 val);

/*
 * A guest MOV to CR0/CR4 of @val exits when a bit set in @mask (the
 * guest/host mask) differs from the read shadow @*shadow.  Returns the
 * reason the instruction must #GP, or NULL after updating @*shadow so
 * that the bits in @mask read as the guest wrote them; the instruction
 * then executes again, natively, and the CPU does the rest (the other
 * bits, paging-mode changes, its own #GP checks) while leaving the
 * host-owned bits of the real register alone.
 */
const char *vmxhv_cr0_owned_write(u64 val, u64 mask, u64 *shadow);
const char *vmxhv_cr4_owned_write(u64 val, u64 mask, u64 *shadow);

/*
 * Why a WRMSR of @val to @msr, an MSR whose guest value lives in the
 * VMCS while the guest runs (FS/GS base, SYSENTER, PAT, EFER), must #GP
 * natively, or NULL.  @cur is its current guest value, @va_bits the
 * linear-address width (48, or 57 with LA57).  A value that passes is
 * one VM entry accepts in the guest-state area (SDM vol. 3C, 27.3.1):
 * without this check a bad value would fail the next VM entry instead
 * of faulting (KVM: __kvm_set_msr's canonical checks, kvm_pat_valid,
 * kvm_valid_efer).  IA32_DEBUGCTL's valid bits depend on the model:
 * the caller tries it on the real MSR.
 */
const char *vmxhv_vmcs_msr_invalid(u32 msr, u64 val, u64 cur, unsigned int va_bits);

/* @val sign-extends from bit @va_bits - 1 (48 or 57). */
bool vmxhv_canonical(u64 val, unsigned int va_bits);
/* Each of the eight PAT entries a defined memory type (SDM 13.12.2). */
bool vmxhv_pat_valid(u64 val);

#define VMXHV_MSR_EFER			0xc0000080
#define VMXHV_MSR_FS_BASE		0xc0000100
#define VMXHV_MSR_GS_BASE		0xc0000101
#define VMXHV_MSR_SYSENTER_CS		0x174
#define VMXHV_MSR_SYSENTER_ESP		0x175
#define VMXHV_MSR_SYSENTER_EIP		0x176
#define VMXHV_MSR_PAT			0x277
#define VMXHV_EFER_SCE			BIT_ULL(0)
#define VMXHV_EFER_LME			BIT_ULL(8)
#define VMXHV_EFER_LMA			BIT_ULL(10)
#define VMXHV_EFER_NXE			BIT_ULL(11)

#endif /* VMXHV_CPU_RULES_H */
