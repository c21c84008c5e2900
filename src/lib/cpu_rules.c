// SPDX-License-Identifier: GPL-2.0
/*
 * What a guest may write to XCR0, CR0 and CR4 (include/vmxhv/cpu_rules.h).
 * A value that passes here is one the host can load into the real
 * register without faulting, and one that leaves the host in charge of
 * the bits it owns.
 */
#include "vmxhv/cpu_rules.h"

u64 vmxhv_guest_xcr0_mask(u64 host)
{
	return host & ~VMXHV_XFEATURE_XTILE;
}

/*
 * SDM vol. 1, 13.3 "Enabling the XSAVE feature set", the same rules as
 * KVM's __kvm_set_xcr: a value XSETBV would #GP on is never loaded.
 */
const char *vmxhv_xsetbv_invalid(u32 index, u64 val, u64 allowed)
{
	u64 avx512 = val & VMXHV_XFEATURE_AVX512;
	u64 mpx = val & VMXHV_XFEATURE_MPX;
	u64 tile = val & VMXHV_XFEATURE_XTILE;

	if (index != 0)
		return "XCR index is not 0";
	if (!(val & VMXHV_XFEATURE_FP))
		return "x87 (bit 0) must be set";
	if (val & ~allowed)
		return "a component the guest may not enable";
	if ((val & VMXHV_XFEATURE_YMM) && !(val & VMXHV_XFEATURE_SSE))
		return "AVX (bit 2) needs SSE (bit 1)";
	if (mpx && mpx != VMXHV_XFEATURE_MPX)
		return "BNDREGS and BNDCSR (bits 3, 4) go together";
	if (avx512 && (avx512 != VMXHV_XFEATURE_AVX512 ||
		       !(val & VMXHV_XFEATURE_YMM)))
		return "AVX-512 (bits 5-7) all together, and with AVX";
	if (tile && tile != VMXHV_XFEATURE_XTILE)
		return "XTILECFG and XTILEDATA (bits 17, 18) go together";
	return NULL;
}

u64 vmxhv_cr0_hw(const struct vmxhv_cr_limits *l, u64 val)
{
	u64 fixed0 = l->cr0_fixed0;

	if (l->unrestricted)
		fixed0 &= ~(VMXHV_CR0_PE | VMXHV_CR0_PG);
	return ((val & ~VMXHV_CR0_HOST_OWNED) | fixed0) & l->cr0_fixed1;
}

u64 vmxhv_cr4_hw(const struct vmxhv_cr_limits *l, u64 val)
{
	return ((val & VMXHV_CR4_GUEST_OWNED) | VMXHV_CR4_MCE |
		l->cr4_fixed0) & l->cr4_fixed1;
}

const char *vmxhv_cr0_owned_write(u64 val, u64 mask, u64 *shadow)
{
	/* The two checks on owned bits the CPU will not see (SDM MOV CR). */
	if (val >> 32)
		return "sets a reserved bit (63:32)";
	if ((val & VMXHV_CR0_NW) && !(val & VMXHV_CR0_CD))
		return "sets NW with CD clear";
	*shadow = (*shadow & ~mask) | (val & mask);
	return NULL;
}

/* Host-owned CR4 bits a guest cannot have, by name. */
static const struct {
	u64 bit;
	const char *why;
} cr4_refused[] = {
	{ VMXHV_CR4_VMXE, "sets VMXE: VMX is not offered to guests" },
	{ BIT_ULL(14), "sets SMXE: SMX is not offered to guests" },
	{ BIT_ULL(19), "sets KL: Key Locker is not offered to guests" },
	{ VMXHV_CR4_CET, "sets CET: the host's CET MSRs would apply" },
	{ BIT_ULL(24), "sets PKS: the host's IA32_PKRS would apply" },
	{ BIT_ULL(25), "sets UINTR: user interrupts are not offered" },
	{ BIT_ULL(27), "sets LASS: not offered to guests" },
	{ BIT_ULL(28), "sets LAM_SUP: not offered to guests" },
	{ BIT_ULL(32), "sets FRED: the host's FRED MSRs would apply" },
};

const char *vmxhv_cr4_owned_write(u64 val, u64 mask, u64 *shadow)
{
	/* Guest-owned bits in @mask (a user's override) become virtual. */
	u64 bad = val & mask & VMXHV_CR4_HOST_OWNED & ~VMXHV_CR4_VIRTUAL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cr4_refused); i++)
		if (bad & cr4_refused[i].bit)
			return cr4_refused[i].why;
	if (bad)
		return "sets a reserved bit";
	*shadow = (*shadow & ~mask) | (val & mask);
	return NULL;
}

bool vmxhv_canonical(u64 val, unsigned int va_bits)
{
	s64 sext = (s64)(val << (64 - va_bits)) >> (64 - va_bits);

	return (u64)sext == val;
}

/* Memory types a PAT entry may hold: UC, WC, WT, WP, WB, UC- (SDM 13.12.2). */
bool vmxhv_pat_valid(u64 val)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		u8 type = val >> (8 * i);

		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}

const char *vmxhv_vmcs_msr_invalid(u32 msr, u64 val, u64 cur, unsigned int va_bits)
{
	switch (msr) {
	case VMXHV_MSR_FS_BASE:
	case VMXHV_MSR_GS_BASE:
	case VMXHV_MSR_SYSENTER_ESP:
	case VMXHV_MSR_SYSENTER_EIP:
		return vmxhv_canonical(val, va_bits) ? NULL : "not a canonical address";
	case VMXHV_MSR_PAT:
		return vmxhv_pat_valid(val) ? NULL : "a PAT entry with a reserved memory type";
	case VMXHV_MSR_EFER:
		/* Intel's bits; LMA is read-only, and LME fixed while paging is on. */
		if (val & ~(VMXHV_EFER_SCE | VMXHV_EFER_LME | VMXHV_EFER_LMA | VMXHV_EFER_NXE))
			return "a reserved EFER bit";
		if ((val ^ cur) & VMXHV_EFER_LME)
			return "EFER.LME changed with paging on";
		return NULL;
	}
	return NULL;
}
