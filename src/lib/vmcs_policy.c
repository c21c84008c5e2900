// SPDX-License-Identifier: GPL-2.0
/*
 * The guard on VMCS field writes (Documentation/vmcs-files.md).  A value
 * that merely makes VM entry fail is fine: the CPU refuses it.  What is
 * refused here are values the CPU would accept and that hand the guest
 * something of the host's: its memory (no EPT), its I/O ports, its
 * interrupts and NMIs, its TPR, debug registers, EFER and PAT.
 */
#include "vmxhv/vmcs_policy.h"
#include "vmxhv/vmcs_fields.h"

/* Exit controls loading host MSRs: PERF_GLOBAL_CTRL, BNDCFGS, RTIT, CET, PKRS. */
#define HOST_STATE_CTLS	(BIT(12) | BIT(23) | BIT(25) | BIT(28) | BIT(29))

/*
 * Entry controls loading guest PERF_GLOBAL_CTRL (13), BNDCFGS (16), RTIT_CTL
 * (18), CET state (20), LBR_CTL (21), PKRS (22): with the matching exit
 * controls refused above, the guest's value would stay in force in the host
 * after VM exit (with CET's S_CET.SH_STK_EN the host dies on its next RET).
 */
#define GUEST_MSR_CTLS	(BIT(13) | BIT(16) | BIT(18) | BIT(20) | BIT(21) | BIT(22))

struct guard {
	u32 enc;
	u32 bits;
	bool must_be_set;	/* else: must stay clear */
	const char *why;
};

static const struct guard guards[] = {
	{ VF_PIN_BASED_VM_EXEC_CONTROL, BIT(0), true,
	  "clears external-interrupt exiting (bit 0): host interrupts" },
	{ VF_PIN_BASED_VM_EXEC_CONTROL, BIT(3), true,
	  "clears NMI exiting (bit 3): host NMIs" },
	{ VF_CPU_BASED_VM_EXEC_CONTROL, BIT(31), true,
	  "clears activate secondary controls (bit 31): would drop EPT" },
	{ VF_CPU_BASED_VM_EXEC_CONTROL, BIT(19), true,
	  "clears CR8-load exiting (bit 19): the host's TPR" },
	{ VF_CPU_BASED_VM_EXEC_CONTROL, BIT(23), true,
	  "clears MOV-DR exiting (bit 23): the host's debug registers" },
	{ VF_CPU_BASED_VM_EXEC_CONTROL, BIT(21), false,
	  "sets use TPR shadow (bit 21): CR8 would read the virtual-APIC page, host memory" },
	{ VF_SECONDARY_VM_EXEC_CONTROL, BIT(1), true,
	  "clears enable EPT (bit 1): host memory" },
	{ VF_VM_EXIT_CONTROLS, BIT(15), false,
	  "sets acknowledge interrupt on exit (bit 15): host interrupts get lost" },
	{ VF_VM_EXIT_CONTROLS, BIT(19), true,
	  "clears load IA32_PAT (bit 19): the host would keep the guest's PAT" },
	{ VF_VM_EXIT_CONTROLS, BIT(21), true,
	  "clears load IA32_EFER (bit 21): the host would keep the guest's EFER" },
	{ VF_VM_EXIT_CONTROLS, HOST_STATE_CTLS, false,
	  "loads host state the module does not set up (bits 12, 23, 25, 28, 29)" },
	{ VF_VM_ENTRY_CONTROLS, GUEST_MSR_CTLS, false,
	  "loads a guest MSR that VM exit would leave in the host (bits 13, 16, 18, 20-22)" },
	{ VF_GUEST_CR4, BIT(6), true,
	  "clears CR4.MCE (bit 6): a machine check in the guest would shut the CPU down" },
	{ VF_GUEST_CR4, BIT(23), false,
	  "sets CR4.CET (bit 23): the guest would run on the host's CET MSRs" },
	{ VF_CR4_GUEST_HOST_MASK, BIT(6) | BIT(13) | BIT(23), true,
	  "gives the guest CR4.MCE, VMXE or CET (bits 6, 13, 23)" },
};

/*
 * The MSR-load lists are the module's own (src/pmu.c switches the host's
 * perf MSRs with them, and sets the counts before every entry); the
 * store list's address is 0.  The addresses are writable only with
 * unsafe=1.  A count the module did not set walks entries that are not
 * there (at VM exit, an invalid one is a VMX abort, which shuts the CPU
 * down).
 */
static bool is_msr_list_count(u32 enc)
{
	return enc == VF_VM_EXIT_MSR_STORE_COUNT || enc == VF_VM_EXIT_MSR_LOAD_COUNT ||
	       enc == VF_VM_ENTRY_MSR_LOAD_COUNT;
}

/*
 * Inactive states a VM entry may put the CPU in (SDM 25.4.2, 27.7.4):
 * shutdown and wait-for-SIPI.  In wait-for-SIPI neither host interrupts
 * nor the preemption timer end the guest, only INIT/SIPI: the host would
 * lose the CPU (seen under the fuzzer as an IPI that never completed).
 * Entering shutdown may emit the shutdown bus cycle, which some
 * platforms turn into a reset.  Active (0) and HLT (1) are fine.
 */
#define ACTIVITY_SHUTDOWN	2
#define ACTIVITY_WAIT_SIPI	3

/* Unconditional I/O exiting (24) or I/O bitmaps (25) keep ports away. */
#define PROC_IO_EXITING	(BIT(24) | BIT(25))

int vmxhv_field_policy(u32 enc, u64 val, const char **why)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(guards); i++) {
		const struct guard *g = &guards[i];
		bool set = (val & g->bits) != 0;

		if (g->enc != enc)
			continue;
		if (g->must_be_set ? (val & g->bits) != g->bits : set) {
			*why = g->why;
			return -EPERM;
		}
	}
	if (enc == VF_CPU_BASED_VM_EXEC_CONTROL && !(val & PROC_IO_EXITING)) {
		*why = "clears I/O exiting (bit 24) and use I/O bitmaps (bit 25): host ports";
		return -EPERM;
	}
	if (is_msr_list_count(enc) && val) {
		*why = "a non-zero MSR-list count: the CPU would walk host physical memory";
		return -EPERM;
	}
	if (enc == VF_GUEST_ACTIVITY_STATE &&
	    (val == ACTIVITY_SHUTDOWN || val == ACTIVITY_WAIT_SIPI)) {
		*why = val == ACTIVITY_SHUTDOWN ?
			"shutdown (2): entering it may reset the platform" :
			"wait-for-SIPI (3): only INIT/SIPI would give the CPU back to the host";
		return -EPERM;
	}
	*why = NULL;
	return 0;
}

/*
 * Exit-selection controls a virtualized CPU's VMCS may change while the
 * kernel runs on it: each adds exits that virt_exits.c carries out with
 * their native effect, and takes nothing from the kernel.
 */
#define VIRT_PROC_SAFE	(BIT(11) | BIT(15) | BIT(16) | BIT(23))	/* RDPMC, CR3 load/store, MOV DR */
#define VIRT_PROC2_SAFE	BIT(6)					/* WBINVD */

int vmxhv_virt_field_policy(u32 enc, u64 cur, u64 val, const char **why)
{
	u64 safe;

	if (enc == VF_CPU_BASED_VM_EXEC_CONTROL) {
		safe = VIRT_PROC_SAFE;
		*why = "virtualized: only RDPMC (11), CR3-load/store (15, 16), MOV-DR (23) exiting";
	} else if (enc == VF_SECONDARY_VM_EXEC_CONTROL) {
		safe = VIRT_PROC2_SAFE;
		*why = "on a virtualized CPU only WBINVD exiting (6) may change";
	} else {
		*why = "a virtualized CPU's VMCS is read-only but for its exit-selection controls";
		return -EPERM;
	}
	if ((cur ^ val) & ~safe)
		return -EPERM;
	*why = NULL;
	return 0;
}
