/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Basic VM-exit reasons (SDM Vol. 3D, Appendix C), named as in Linux's
 * VMX_EXIT_REASONS (arch/x86/include/uapi/asm/vmx.h) where Linux has the
 * reason, in the same style otherwise. Pure data: no kernel dependency.
 *
 * The VMXHV_EXIT_ prefix keeps these apart from Linux's EXIT_REASON_ names.
 * scripts/gen-exit-names.sh reads this file: keep one #define per line and
 * one __VMXHV_EXIT_SYM() per line of the list.
 */
#ifndef VMXHV_EXIT_REASONS_H
#define VMXHV_EXIT_REASONS_H

#include "types.h"

#define VMXHV_EXIT_EXCEPTION_NMI		0	/* exception or NMI */
#define VMXHV_EXIT_EXTERNAL_INTERRUPT		1
#define VMXHV_EXIT_TRIPLE_FAULT			2
#define VMXHV_EXIT_INIT_SIGNAL			3
#define VMXHV_EXIT_SIPI_SIGNAL			4	/* start-up IPI */
#define VMXHV_EXIT_IO_SMI			5	/* I/O SMI */
#define VMXHV_EXIT_OTHER_SMI			6	/* other SMI */
#define VMXHV_EXIT_INTERRUPT_WINDOW		7
#define VMXHV_EXIT_NMI_WINDOW			8
#define VMXHV_EXIT_TASK_SWITCH			9
#define VMXHV_EXIT_CPUID			10
#define VMXHV_EXIT_GETSEC			11
#define VMXHV_EXIT_HLT				12
#define VMXHV_EXIT_INVD				13
#define VMXHV_EXIT_INVLPG			14
#define VMXHV_EXIT_RDPMC			15
#define VMXHV_EXIT_RDTSC			16
#define VMXHV_EXIT_RSM				17
#define VMXHV_EXIT_VMCALL			18
#define VMXHV_EXIT_VMCLEAR			19
#define VMXHV_EXIT_VMLAUNCH			20
#define VMXHV_EXIT_VMPTRLD			21
#define VMXHV_EXIT_VMPTRST			22
#define VMXHV_EXIT_VMREAD			23
#define VMXHV_EXIT_VMRESUME			24
#define VMXHV_EXIT_VMWRITE			25
#define VMXHV_EXIT_VMOFF			26	/* VMXOFF */
#define VMXHV_EXIT_VMON				27	/* VMXON */
#define VMXHV_EXIT_CR_ACCESS			28
#define VMXHV_EXIT_DR_ACCESS			29
#define VMXHV_EXIT_IO_INSTRUCTION		30
#define VMXHV_EXIT_MSR_READ			31	/* RDMSR */
#define VMXHV_EXIT_MSR_WRITE			32	/* WRMSR */
#define VMXHV_EXIT_INVALID_STATE		33	/* entry failed: guest state */
#define VMXHV_EXIT_MSR_LOAD_FAIL		34	/* entry failed: MSR loading */
#define VMXHV_EXIT_MWAIT_INSTRUCTION		36
#define VMXHV_EXIT_MONITOR_TRAP_FLAG		37
#define VMXHV_EXIT_MONITOR_INSTRUCTION		39
#define VMXHV_EXIT_PAUSE_INSTRUCTION		40
#define VMXHV_EXIT_MCE_DURING_VMENTRY		41	/* entry failed: machine check */
#define VMXHV_EXIT_TPR_BELOW_THRESHOLD		43
#define VMXHV_EXIT_APIC_ACCESS			44
#define VMXHV_EXIT_EOI_INDUCED			45	/* virtualized EOI */
#define VMXHV_EXIT_GDTR_IDTR			46
#define VMXHV_EXIT_LDTR_TR			47
#define VMXHV_EXIT_EPT_VIOLATION		48
#define VMXHV_EXIT_EPT_MISCONFIG		49
#define VMXHV_EXIT_INVEPT			50
#define VMXHV_EXIT_RDTSCP			51
#define VMXHV_EXIT_PREEMPTION_TIMER		52
#define VMXHV_EXIT_INVVPID			53
#define VMXHV_EXIT_WBINVD			54	/* WBINVD or WBNOINVD */
#define VMXHV_EXIT_XSETBV			55
#define VMXHV_EXIT_APIC_WRITE			56
#define VMXHV_EXIT_RDRAND			57
#define VMXHV_EXIT_INVPCID			58
#define VMXHV_EXIT_VMFUNC			59
#define VMXHV_EXIT_ENCLS			60
#define VMXHV_EXIT_RDSEED			61
#define VMXHV_EXIT_PML_FULL			62
#define VMXHV_EXIT_XSAVES			63
#define VMXHV_EXIT_XRSTORS			64
#define VMXHV_EXIT_PCONFIG			65
#define VMXHV_EXIT_SPP				66	/* SPP-related event */
#define VMXHV_EXIT_UMWAIT			67
#define VMXHV_EXIT_TPAUSE			68
#define VMXHV_EXIT_LOADIWKEY			69
#define VMXHV_EXIT_ENCLV			70
#define VMXHV_EXIT_ENQCMD_PASID_FAIL		72	/* PASID translation failed */
#define VMXHV_EXIT_ENQCMDS_PASID_FAIL		73	/* PASID translation failed */
#define VMXHV_EXIT_BUS_LOCK			74
#define VMXHV_EXIT_NOTIFY			75	/* instruction timeout */
#define VMXHV_EXIT_SEAMCALL			76
#define VMXHV_EXIT_TDCALL			77
#define VMXHV_EXIT_RDMSRLIST			78
#define VMXHV_EXIT_WRMSRLIST			79
#define VMXHV_EXIT_URDMSR			80
#define VMXHV_EXIT_UWRMSR			81
#define VMXHV_EXIT_MSR_READ_IMM			84	/* RDMSR with immediate */
#define VMXHV_EXIT_MSR_WRITE_IMM		85	/* WRMSRNS with immediate */

/* The highest basic exit reason listed here. */
#define VMXHV_EXIT_MAX				VMXHV_EXIT_MSR_WRITE_IMM

/* Bits of the exit-reason field (SDM 25.9.1) around the basic reason. */
#define VMXHV_EXIT_REASON_BASIC_MASK		0x0000ffffu
#define VMXHV_EXIT_REASON_ENCLAVE_MODE		0x08000000u
#define VMXHV_EXIT_REASON_FAILED_VMENTRY	0x80000000u

/*
 * One { value, "NAME" } entry, both taken from the same token, so the
 * list below cannot disagree with the #defines above.
 */
#define __VMXHV_EXIT_SYM(name)	{ VMXHV_EXIT_##name, #name }

/*
 * Every reason above, in ascending order, as { value, "NAME" } entries for
 * __print_symbolic(__entry->reason & 0xffff, VMXHV_EXIT_REASONS).
 */
#define VMXHV_EXIT_REASONS \
	__VMXHV_EXIT_SYM(EXCEPTION_NMI), \
	__VMXHV_EXIT_SYM(EXTERNAL_INTERRUPT), \
	__VMXHV_EXIT_SYM(TRIPLE_FAULT), \
	__VMXHV_EXIT_SYM(INIT_SIGNAL), \
	__VMXHV_EXIT_SYM(SIPI_SIGNAL), \
	__VMXHV_EXIT_SYM(IO_SMI), \
	__VMXHV_EXIT_SYM(OTHER_SMI), \
	__VMXHV_EXIT_SYM(INTERRUPT_WINDOW), \
	__VMXHV_EXIT_SYM(NMI_WINDOW), \
	__VMXHV_EXIT_SYM(TASK_SWITCH), \
	__VMXHV_EXIT_SYM(CPUID), \
	__VMXHV_EXIT_SYM(GETSEC), \
	__VMXHV_EXIT_SYM(HLT), \
	__VMXHV_EXIT_SYM(INVD), \
	__VMXHV_EXIT_SYM(INVLPG), \
	__VMXHV_EXIT_SYM(RDPMC), \
	__VMXHV_EXIT_SYM(RDTSC), \
	__VMXHV_EXIT_SYM(RSM), \
	__VMXHV_EXIT_SYM(VMCALL), \
	__VMXHV_EXIT_SYM(VMCLEAR), \
	__VMXHV_EXIT_SYM(VMLAUNCH), \
	__VMXHV_EXIT_SYM(VMPTRLD), \
	__VMXHV_EXIT_SYM(VMPTRST), \
	__VMXHV_EXIT_SYM(VMREAD), \
	__VMXHV_EXIT_SYM(VMRESUME), \
	__VMXHV_EXIT_SYM(VMWRITE), \
	__VMXHV_EXIT_SYM(VMOFF), \
	__VMXHV_EXIT_SYM(VMON), \
	__VMXHV_EXIT_SYM(CR_ACCESS), \
	__VMXHV_EXIT_SYM(DR_ACCESS), \
	__VMXHV_EXIT_SYM(IO_INSTRUCTION), \
	__VMXHV_EXIT_SYM(MSR_READ), \
	__VMXHV_EXIT_SYM(MSR_WRITE), \
	__VMXHV_EXIT_SYM(INVALID_STATE), \
	__VMXHV_EXIT_SYM(MSR_LOAD_FAIL), \
	__VMXHV_EXIT_SYM(MWAIT_INSTRUCTION), \
	__VMXHV_EXIT_SYM(MONITOR_TRAP_FLAG), \
	__VMXHV_EXIT_SYM(MONITOR_INSTRUCTION), \
	__VMXHV_EXIT_SYM(PAUSE_INSTRUCTION), \
	__VMXHV_EXIT_SYM(MCE_DURING_VMENTRY), \
	__VMXHV_EXIT_SYM(TPR_BELOW_THRESHOLD), \
	__VMXHV_EXIT_SYM(APIC_ACCESS), \
	__VMXHV_EXIT_SYM(EOI_INDUCED), \
	__VMXHV_EXIT_SYM(GDTR_IDTR), \
	__VMXHV_EXIT_SYM(LDTR_TR), \
	__VMXHV_EXIT_SYM(EPT_VIOLATION), \
	__VMXHV_EXIT_SYM(EPT_MISCONFIG), \
	__VMXHV_EXIT_SYM(INVEPT), \
	__VMXHV_EXIT_SYM(RDTSCP), \
	__VMXHV_EXIT_SYM(PREEMPTION_TIMER), \
	__VMXHV_EXIT_SYM(INVVPID), \
	__VMXHV_EXIT_SYM(WBINVD), \
	__VMXHV_EXIT_SYM(XSETBV), \
	__VMXHV_EXIT_SYM(APIC_WRITE), \
	__VMXHV_EXIT_SYM(RDRAND), \
	__VMXHV_EXIT_SYM(INVPCID), \
	__VMXHV_EXIT_SYM(VMFUNC), \
	__VMXHV_EXIT_SYM(ENCLS), \
	__VMXHV_EXIT_SYM(RDSEED), \
	__VMXHV_EXIT_SYM(PML_FULL), \
	__VMXHV_EXIT_SYM(XSAVES), \
	__VMXHV_EXIT_SYM(XRSTORS), \
	__VMXHV_EXIT_SYM(PCONFIG), \
	__VMXHV_EXIT_SYM(SPP), \
	__VMXHV_EXIT_SYM(UMWAIT), \
	__VMXHV_EXIT_SYM(TPAUSE), \
	__VMXHV_EXIT_SYM(LOADIWKEY), \
	__VMXHV_EXIT_SYM(ENCLV), \
	__VMXHV_EXIT_SYM(ENQCMD_PASID_FAIL), \
	__VMXHV_EXIT_SYM(ENQCMDS_PASID_FAIL), \
	__VMXHV_EXIT_SYM(BUS_LOCK), \
	__VMXHV_EXIT_SYM(NOTIFY), \
	__VMXHV_EXIT_SYM(SEAMCALL), \
	__VMXHV_EXIT_SYM(TDCALL), \
	__VMXHV_EXIT_SYM(RDMSRLIST), \
	__VMXHV_EXIT_SYM(WRMSRLIST), \
	__VMXHV_EXIT_SYM(URDMSR), \
	__VMXHV_EXIT_SYM(UWRMSR), \
	__VMXHV_EXIT_SYM(MSR_READ_IMM), \
	__VMXHV_EXIT_SYM(MSR_WRITE_IMM)

struct vmxhv_exit_reason {
	u32 value;
	const char *name;
};

/* VMXHV_EXIT_REASONS as an array, ascending; vmxhv_nr_exit_reasons long. */
extern const struct vmxhv_exit_reason vmxhv_exit_reasons[];
extern const unsigned int vmxhv_nr_exit_reasons;

/* Name of a basic exit reason (bits 15:0 only), or NULL if unknown. */
const char *vmxhv_exit_reason_name(u32 basic);

#endif /* VMXHV_EXIT_REASONS_H */
