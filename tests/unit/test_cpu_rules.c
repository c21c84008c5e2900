// SPDX-License-Identifier: GPL-2.0
/*
 * XCR0 and CR0/CR4 rules against the hosts vmxhv meets: XCR0 of a
 * Haswell (0x7), an MPX part (Skylake to Comet Lake client, 0x1f), an
 * AVX-512 server with PKRU (0x2ff) and an AMX part (0x602e7).
 */
#include "ktest.h"
#include "vmxhv/cpu_rules.h"

#define HASWELL		0x7ULL
#define MPX_HOST	0x1fULL
#define AVX512_HOST	0x2ffULL
#define AMX_HOST	0x602e7ULL

static void xsetbv(const char *name, u64 host, u32 index, u64 val, bool ok)
{
	const char *why = vmxhv_xsetbv_invalid(index, val,
					       vmxhv_guest_xcr0_mask(host));

	if (!ktest_result(!why == ok, "%s", name))
		ktest_diag("host %#llx xcr%u=%#llx: %s", (unsigned long long)host,
			   index, (unsigned long long)val, why ? why : "accepted");
}

static void xcr0_rules(void)
{
	xsetbv("haswell: x87+SSE", HASWELL, 0, 0x3, true);
	xsetbv("haswell: x87+SSE+AVX", HASWELL, 0, 0x7, true);
	xsetbv("haswell: x87 only", HASWELL, 0, 0x1, true);
	xsetbv("haswell: x87 clear", HASWELL, 0, 0x6, false);
	xsetbv("haswell: AVX without SSE", HASWELL, 0, 0x5, false);
	xsetbv("haswell: BNDREGS the host lacks", HASWELL, 0, 0xf, false);
	xsetbv("haswell: XCR1", HASWELL, 1, 0x7, false);
	xsetbv("haswell: high half", HASWELL, 0, 0x100000007ULL, false);
	xsetbv("mpx: all of the host", MPX_HOST, 0, 0x1f, true);
	xsetbv("mpx: BNDREGS alone", MPX_HOST, 0, 0x0f, false);
	xsetbv("mpx: BNDCSR alone", MPX_HOST, 0, 0x17, false);
	xsetbv("mpx: MPX without AVX", MPX_HOST, 0, 0x1b, true);
	xsetbv("avx512: all of the host", AVX512_HOST, 0, 0x2ff, true);
	xsetbv("avx512: PKRU and AVX", AVX512_HOST, 0, 0x207, true);
	xsetbv("avx512: opmask alone", AVX512_HOST, 0, 0x27, false);
	xsetbv("avx512: ZMM without opmask", AVX512_HOST, 0, 0xc7, false);
	xsetbv("avx512: AVX-512 without AVX", AVX512_HOST, 0, 0xe3, false);
	xsetbv("amx: all but tiles", AMX_HOST, 0, 0x2e7, true);
	xsetbv("amx: the host's own value (tiles are not offered)", AMX_HOST, 0,
	       AMX_HOST, false);
	xsetbv("amx: XTILEDATA alone", AMX_HOST, 0, 0x402e7, false);
	xsetbv("amx: XTILECFG alone", AMX_HOST, 0, 0x202e7, false);
	xsetbv("no XSAVE: nothing", 0, 0, 0x1, false);
	KTEST_EQ(vmxhv_guest_xcr0_mask(AMX_HOST), 0x2e7, "amx: the guest's mask");
	KTEST_EQ(vmxhv_guest_xcr0_mask(MPX_HOST), MPX_HOST, "mpx: the guest's mask");
}

/* Bochs' Skylake-X fixed bits: PE, NE, PG set; VMXE set. */
static const struct vmxhv_cr_limits limits = {
	.cr0_fixed0 = 0x80000021, .cr0_fixed1 = 0xffffffff,
	.cr4_fixed0 = 0x2000, .cr4_fixed1 = 0x1f77fff,
	.unrestricted = true,
};

static void cr_hw(void)
{
	struct vmxhv_cr_limits strict = limits;

	strict.unrestricted = false;
	KTEST_EQ(vmxhv_cr0_hw(&limits, 0x10), 0x30, "cr0: NE forced, PE/PG free");
	KTEST_EQ(vmxhv_cr0_hw(&strict, 0x10), 0x80000031, "cr0: PE/PG forced without unrestricted guest");
	KTEST_EQ(vmxhv_cr0_hw(&limits, 0x60000031), 0x31, "cr0: CD and NW stay clear");
	KTEST_EQ(vmxhv_cr4_hw(&limits, 0), 0x2040, "cr4: VMXE and MCE forced");
	KTEST_EQ(vmxhv_cr4_hw(&limits, 0x840620), 0x42660,
		 "cr4: CET dropped, OSFXSR/OSXSAVE/PAE kept");
	KTEST_EQ(vmxhv_cr4_hw(&limits, 1ULL << 32), 0x2040, "cr4: FRED dropped");
}

static void cr4_write(const char *name, u64 val, u64 mask, u64 shadow,
		      const char *why, u64 want_shadow)
{
	u64 s = shadow;
	const char *got = vmxhv_cr4_owned_write(val, mask, &s);
	bool ok = got ? why && strstr(got, why) : !why && s == want_shadow;

	if (!ktest_result(ok && (!got || s == shadow), "%s", name))
		ktest_diag("cr4=%#llx: %s, shadow %#llx", (unsigned long long)val,
			   got ? got : "accepted", (unsigned long long)s);
}

static void cr_writes(void)
{
	const u64 mask = VMXHV_CR4_HOST_OWNED;
	u64 s;

	cr4_write("cr4: MCE set, virtually", 0x260, mask, 0x220, NULL, 0x260);
	cr4_write("cr4: MCE cleared again", 0x220, mask, 0x260, NULL, 0x220);
	cr4_write("cr4: VMXE is #GP", 0x2220, mask, 0x220, "VMXE", 0);
	cr4_write("cr4: CET is #GP", 0x800220, mask, 0x220, "CET", 0);
	cr4_write("cr4: PKS is #GP", 0x1000220, mask, 0x220, "PKS", 0);
	cr4_write("cr4: FRED is #GP", 0x100000220ULL, mask, 0x220, "FRED", 0);
	cr4_write("cr4: bit 15 is reserved", 0x8220, mask, 0x220, "reserved", 0);
	cr4_write("cr4: a guest-owned bit in a user's mask is virtual",
		  0x20, mask | 0x20, 0, NULL, 0x20);
	cr4_write("cr4: a stale shadow bit is cleared",
		  0x220, mask, 0x800220, NULL, 0x220);

	s = 0x11;
	KTEST(!vmxhv_cr0_owned_write(0x40000011, VMXHV_CR0_HOST_OWNED, &s) &&
	      s == 0x40000011, "cr0: CD set, virtually");
	s = 0x11;
	KTEST(vmxhv_cr0_owned_write(0x20000011, VMXHV_CR0_HOST_OWNED, &s) &&
	      s == 0x11, "cr0: NW without CD is #GP");
	KTEST(vmxhv_cr0_owned_write(0x100000011ULL, VMXHV_CR0_HOST_OWNED, &s) &&
	      s == 0x11, "cr0: bit 32 is #GP");
	KTEST(!vmxhv_cr0_owned_write(0x60000011, VMXHV_CR0_HOST_OWNED, &s) &&
	      s == 0x60000011, "cr0: CD and NW together");
}

static void msr(const char *name, u32 index, u64 val, bool ok)
{
	const char *why = vmxhv_vmcs_msr_invalid(index, val, 0xd01, 48);

	if (!ktest_result(!why == ok, "%s", name))
		ktest_diag("msr %#x=%#llx: %s", index, (unsigned long long)val,
			   why ? why : "accepted");
}

static void vmcs_msrs(void)
{
	msr("fs base: user address", VMXHV_MSR_FS_BASE, 0x7f0012345000ULL, true);
	msr("fs base: kernel address", VMXHV_MSR_FS_BASE, 0xffff888000000000ULL, true);
	msr("fs base: non-canonical", VMXHV_MSR_FS_BASE, 0x8000000000000000ULL, false);
	msr("gs base: bit 47 without sign extension", VMXHV_MSR_GS_BASE, 0x800000000000ULL, false);
	msr("sysenter_eip: non-canonical", VMXHV_MSR_SYSENTER_EIP, 0x0001000000000000ULL, false);
	msr("sysenter_esp: canonical", VMXHV_MSR_SYSENTER_ESP, 0xfffffe0000001000ULL, true);
	KTEST(!vmxhv_vmcs_msr_invalid(VMXHV_MSR_FS_BASE, 0x0080000000000000ULL, 0, 57) &&
	      vmxhv_vmcs_msr_invalid(VMXHV_MSR_FS_BASE, 0x0080000000000000ULL, 0, 48),
	      "fs base: a 57-bit address is canonical only with LA57");
	msr("sysenter_cs: any", VMXHV_MSR_SYSENTER_CS, 0xffff, true);
	msr("pat: the power-on value", VMXHV_MSR_PAT, 0x0007040600070406ULL, true);
	msr("pat: Linux's value", VMXHV_MSR_PAT, 0x0407050600070106ULL, true);
	msr("pat: type 2", VMXHV_MSR_PAT, 0x0007040600070402ULL, false);
	msr("pat: type 3 in the top entry", VMXHV_MSR_PAT, 0x0307040600070406ULL, false);
	msr("pat: type 8", VMXHV_MSR_PAT, 0x0007040600080406ULL, false);
	msr("efer: unchanged", VMXHV_MSR_EFER, 0xd01, true);
	msr("efer: NXE cleared", VMXHV_MSR_EFER, 0x501, true);
	msr("efer: LME cleared", VMXHV_MSR_EFER, 0xc01, false);
	msr("efer: SVME (AMD only)", VMXHV_MSR_EFER, 0x1d01, false);
	msr("efer: LMA written differently is ignored", VMXHV_MSR_EFER, 0x901, true);
	msr("an MSR without a rule", 0x10, ~0ULL, true);
}

int main(void)
{
	ktest_start("cpu_rules");
	xcr0_rules();
	cr_hw();
	cr_writes();
	vmcs_msrs();
	return ktest_finish();
}
