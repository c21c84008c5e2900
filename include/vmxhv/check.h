/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VM-entry checker: predicts, from a VMCS and the capability MSRs,
 * whether VMLAUNCH/VMRESUME would succeed and, if not, which rule of the
 * Intel SDM (Vol. 3C, chapter 27 "VM Entries") fails and how the CPU
 * reports it. Used by the `check` file and to explain a failed launch.
 *
 * Pure logic: compiled into the module and into the user-space unit
 * tests, so only vmxhv/ headers are included.
 *
 * Assumptions, true for this module: VM entry is executed by a 64-bit
 * kernel (the CPU is in IA-32e mode) and outside SMM.
 */
#ifndef VMXHV_CHECK_H
#define VMXHV_CHECK_H

#include "types.h"
#include "caps.h"

/*
 * How the checker reads the VMCS and, where a rule needs it, memory.
 * @read returns the value of a field (0 for a field the CPU lacks).
 * @read_phys reads the aligned 8 bytes at host-physical address @pa and
 * returns 0, or a negative errno if it cannot; NULL skips every rule that
 * needs memory (VTPR, link-pointer revision, PDPTEs without EPT, the
 * VM-entry MSR-load area).
 * @vmcs_pa is the physical address of the checked VMCS, or ~0 if unknown
 * (then the link pointer is not compared with it).
 */
struct vmxhv_vmcs_view {
	u64 (*read)(void *ctx, u32 enc);
	int (*read_phys)(void *ctx, u64 pa, u64 *val);
	void *ctx;
	u64 vmcs_pa;
};

/* What the CPU does when a rule fails (SDM 27.2, 27.3, 27.4, 27.8). */
enum vmxhv_check_outcome {
	VMXHV_CHECK_OK = 0,
	VMXHV_CHECK_ERR7,	/* VMfailValid, VM-instruction error 7: controls */
	VMXHV_CHECK_ERR8,	/* VMfailValid, error 8: host state */
	VMXHV_CHECK_EXIT33,	/* VM exit 33, invalid guest state */
	VMXHV_CHECK_EXIT34,	/* VM exit 34, MSR loading */
};

/* Exit qualifications of exit 33 (SDM 27.8, "VM-Entry Failures"). */
#define VMXHV_QUAL_DEFAULT	0
#define VMXHV_QUAL_PDPTE	2
#define VMXHV_QUAL_NMI_STI	3
#define VMXHV_QUAL_LINK_PTR	4

#define VMXHV_NO_FIELD		0xffffffffu	/* encoding 0 is VPID */
#define VMXHV_CHECK_MAX		16

/* One rule of the SDM, with a stable id such as "guest.rflags.bit1". */
struct vmxhv_check_rule {
	const char *id;
	const char *sdm;	/* section, e.g. "27.3.1.4" */
	const char *requires;	/* what the rule demands, in words */
	u8 outcome;		/* enum vmxhv_check_outcome */
	u8 qualification;	/* exit 33 qualification; exit 34: entry */
};

struct vmxhv_check_violation {
	const struct vmxhv_check_rule *rule;
	u32 fields[2];		/* VMCS encodings, VMXHV_NO_FIELD if unused */
	u64 values[2];		/* their values */
	u32 msr_entry;		/* exit 34: 1-based MSR-load entry, else 0 */
};

struct vmxhv_check_result {
	enum vmxhv_check_outcome outcome;	/* of the first violation */
	u32 qualification;	/* exit 33/34 qualification of the first */
	unsigned int count;	/* violations found, may exceed nr */
	unsigned int nr;	/* violations stored in v[] */
	struct vmxhv_check_violation v[VMXHV_CHECK_MAX];
};

/*
 * Apply every VM-entry check in the order the CPU applies them: controls,
 * host state, guest state, MSR loading. All violations are recorded (the
 * first VMXHV_CHECK_MAX of them); the outcome is that of the first.
 * Returns the number of violations, 0 when VM entry is predicted to
 * succeed, -EINVAL for a bad argument. @res is about 1 KiB: do not put it
 * on a kernel stack.
 */
int vmxhv_check(const struct vmxhv_caps *caps, const struct vmxhv_vmcs_view *v,
		struct vmxhv_check_result *res);

/*
 * One line, no newline, for `check` and `status`:
 *   guest.rflags.bit1: GUEST_RFLAGS=0x0000000000000000: bit 1 must be 1
 *   (SDM 27.3.1.4) -> exit 33
 * Returns what snprintf() returns.
 */
int vmxhv_check_format(const struct vmxhv_check_violation *vi, char *buf,
		       size_t len);

/* "ok", "VMfailValid 7", "exit 33 (qualification 4)", ... */
int vmxhv_check_outcome_format(enum vmxhv_check_outcome o, u32 qual,
			       char *buf, size_t len);

/* The rule table, in checking order. */
extern const struct vmxhv_check_rule vmxhv_check_rules[];
extern const unsigned int vmxhv_check_nr_rules;
const struct vmxhv_check_rule *vmxhv_check_rule_by_id(const char *id);

/*
 * Bits of the VMX controls and related fields that the checker reads
 * (SDM Vol. 3C 25.6-25.8). Prefixed so they never clash with Linux's.
 */
#define VMXHV_PIN_EXT_INTR		BIT(0)
#define VMXHV_PIN_NMI_EXITING		BIT(3)
#define VMXHV_PIN_VIRTUAL_NMIS		BIT(5)
#define VMXHV_PIN_PREEMPT_TIMER		BIT(6)
#define VMXHV_PIN_POSTED_INTR		BIT(7)

#define VMXHV_PROC_INTR_WINDOW		BIT(2)
#define VMXHV_PROC_HLT_EXITING		BIT(7)
#define VMXHV_PROC_TERTIARY		BIT(17)
#define VMXHV_PROC_TPR_SHADOW		BIT(21)
#define VMXHV_PROC_NMI_WINDOW		BIT(22)
#define VMXHV_PROC_UNCOND_IO		BIT(24)
#define VMXHV_PROC_IO_BITMAPS		BIT(25)
#define VMXHV_PROC_MTF			BIT(27)
#define VMXHV_PROC_MSR_BITMAPS		BIT(28)
#define VMXHV_PROC_SECONDARY		BIT(31)

#define VMXHV_PROC2_VIRT_APIC_ACCESS	BIT(0)
#define VMXHV_PROC2_EPT			BIT(1)
#define VMXHV_PROC2_X2APIC_MODE		BIT(4)
#define VMXHV_PROC2_VPID		BIT(5)
#define VMXHV_PROC2_UNRESTRICTED	BIT(7)
#define VMXHV_PROC2_APIC_REG_VIRT	BIT(8)
#define VMXHV_PROC2_VINTR_DELIVERY	BIT(9)
#define VMXHV_PROC2_VMFUNC		BIT(13)
#define VMXHV_PROC2_SHADOW_VMCS		BIT(14)
#define VMXHV_PROC2_PML			BIT(17)
#define VMXHV_PROC2_EPT_VE		BIT(18)
#define VMXHV_PROC2_MBEC		BIT(22)
#define VMXHV_PROC2_SPP			BIT(23)
#define VMXHV_PROC2_PT_GPA		BIT(24)
#define VMXHV_PROC2_TSC_SCALING		BIT(25)

#define VMXHV_EXITC_HOST_ADDR64		BIT(9)
#define VMXHV_EXITC_LOAD_PERF_GLOBAL	BIT(12)
#define VMXHV_EXITC_ACK_INTR		BIT(15)
#define VMXHV_EXITC_LOAD_PAT		BIT(19)
#define VMXHV_EXITC_LOAD_EFER		BIT(21)
#define VMXHV_EXITC_SAVE_TIMER		BIT(22)
#define VMXHV_EXITC_CLEAR_RTIT		BIT(25)
#define VMXHV_EXITC_LOAD_CET		BIT(28)
#define VMXHV_EXITC_LOAD_PKRS		BIT(29)

#define VMXHV_ENTRYC_LOAD_DEBUG		BIT(2)
#define VMXHV_ENTRYC_IA32E		BIT(9)
#define VMXHV_ENTRYC_SMM		BIT(10)
#define VMXHV_ENTRYC_DEACT_DUAL		BIT(11)
#define VMXHV_ENTRYC_LOAD_PERF_GLOBAL	BIT(13)
#define VMXHV_ENTRYC_LOAD_PAT		BIT(14)
#define VMXHV_ENTRYC_LOAD_EFER		BIT(15)
#define VMXHV_ENTRYC_LOAD_BNDCFGS	BIT(16)
#define VMXHV_ENTRYC_LOAD_RTIT		BIT(18)
#define VMXHV_ENTRYC_LOAD_CET		BIT(20)
#define VMXHV_ENTRYC_LOAD_PKRS		BIT(22)

/* VM-entry interruption-information field (SDM 25.8.3). */
#define VMXHV_INTR_VECTOR		0xffu
#define VMXHV_INTR_TYPE_SHIFT		8
#define VMXHV_INTR_TYPE_MASK		0x7u
#define VMXHV_INTR_DELIVER_CODE		BIT(11)
#define VMXHV_INTR_RESERVED		0x7ffff000u
#define VMXHV_INTR_VALID		BIT(31)
#define VMXHV_INTR_EXT			0
#define VMXHV_INTR_NMI			2
#define VMXHV_INTR_HW_EXC		3
#define VMXHV_INTR_SW_INT		4
#define VMXHV_INTR_PRIV_SW_EXC		5
#define VMXHV_INTR_SW_EXC		6
#define VMXHV_INTR_OTHER		7

/* Guest interruptibility state (SDM 25.4.2, Table 25-3). */
#define VMXHV_INTRST_STI		BIT(0)
#define VMXHV_INTRST_MOV_SS		BIT(1)
#define VMXHV_INTRST_SMI		BIT(2)
#define VMXHV_INTRST_NMI		BIT(3)
#define VMXHV_INTRST_ENCLAVE		BIT(4)

/* Guest activity states (SDM 25.4.2). */
#define VMXHV_ACTIVITY_ACTIVE		0
#define VMXHV_ACTIVITY_HLT		1
#define VMXHV_ACTIVITY_SHUTDOWN		2
#define VMXHV_ACTIVITY_WAIT_SIPI	3

/* Segment access rights as the VMCS holds them (SDM 25.4.1). */
#define VMXHV_AR_TYPE			0xfu
#define VMXHV_AR_S			BIT(4)
#define VMXHV_AR_DPL_SHIFT		5
#define VMXHV_AR_P			BIT(7)
#define VMXHV_AR_L			BIT(13)
#define VMXHV_AR_DB			BIT(14)
#define VMXHV_AR_G			BIT(15)
#define VMXHV_AR_UNUSABLE		BIT(16)
#define VMXHV_AR_RESERVED		0xfffe0f00u

/* IA32_VMX_MISC (SDM A.6). */
#define VMXHV_MISC_ACT_HLT		BIT_ULL(6)
#define VMXHV_MISC_ACT_SHUTDOWN		BIT_ULL(7)
#define VMXHV_MISC_ACT_WAIT_SIPI	BIT_ULL(8)
#define VMXHV_MISC_CR3_TARGETS_SHIFT	16
#define VMXHV_MISC_CR3_TARGETS_MASK	0x1ffu
#define VMXHV_MISC_ZERO_LEN_INJECT	BIT_ULL(30)

/* IA32_VMX_EPT_VPID_CAP (SDM A.10). */
#define VMXHV_EPT_CAP_WALK4		BIT_ULL(6)
#define VMXHV_EPT_CAP_WALK5		BIT_ULL(7)
#define VMXHV_EPT_CAP_UC		BIT_ULL(8)
#define VMXHV_EPT_CAP_WB		BIT_ULL(14)
#define VMXHV_EPT_CAP_AD		BIT_ULL(21)

/* IA32_VMX_BASIC bit 56: hardware exceptions may omit/add error codes. */
#define VMXHV_BASIC_NO_ERRCODE_CHECK	BIT_ULL(56)

#endif /* VMXHV_CHECK_H */
