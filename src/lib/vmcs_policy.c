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
};

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
	*why = NULL;
	return 0;
}
