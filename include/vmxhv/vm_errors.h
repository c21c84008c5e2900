/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VM-instruction error numbers (SDM Vol. 3C 31.4, the VM_INSTRUCTION_ERROR
 * field after VMfailValid) and x86 exception vectors (SDM Vol. 3A 6.3.1),
 * with their names. Pure data: no kernel dependency.
 */
#ifndef VMXHV_VM_ERRORS_H
#define VMXHV_VM_ERRORS_H

#include "types.h"

/* VM-instruction error numbers; 14, 21 and 27 are not used by the SDM. */
#define VMXHV_VMERR_VMCALL_IN_ROOT			1
#define VMXHV_VMERR_VMCLEAR_INVALID_PA			2
#define VMXHV_VMERR_VMCLEAR_VMXON_PTR			3
#define VMXHV_VMERR_VMLAUNCH_NONCLEAR			4
#define VMXHV_VMERR_VMRESUME_NONLAUNCHED		5
#define VMXHV_VMERR_VMRESUME_AFTER_VMXOFF		6
#define VMXHV_VMERR_ENTRY_INVALID_CTRL			7
#define VMXHV_VMERR_ENTRY_INVALID_HOST			8
#define VMXHV_VMERR_VMPTRLD_INVALID_PA			9
#define VMXHV_VMERR_VMPTRLD_VMXON_PTR			10
#define VMXHV_VMERR_VMPTRLD_BAD_REVISION		11
#define VMXHV_VMERR_UNSUPPORTED_FIELD			12
#define VMXHV_VMERR_VMWRITE_READ_ONLY			13
#define VMXHV_VMERR_VMXON_IN_ROOT			15
#define VMXHV_VMERR_ENTRY_INVALID_EXEC_VMCS_PTR		16
#define VMXHV_VMERR_ENTRY_NONLAUNCHED_EXEC_VMCS		17
#define VMXHV_VMERR_ENTRY_EXEC_VMCS_PTR_NOT_VMXON	18
#define VMXHV_VMERR_VMCALL_NONCLEAR			19
#define VMXHV_VMERR_VMCALL_INVALID_EXIT_CTRL		20
#define VMXHV_VMERR_VMCALL_BAD_MSEG_REVISION		22
#define VMXHV_VMERR_VMXOFF_DUAL_MONITOR			23
#define VMXHV_VMERR_VMCALL_INVALID_SMM_FEATURES		24
#define VMXHV_VMERR_ENTRY_INVALID_EXEC_CTRL_SMM		25
#define VMXHV_VMERR_ENTRY_MOV_SS_BLOCKING		26
#define VMXHV_VMERR_INVEPT_INVVPID_OPERAND		28

#define VMXHV_VMERR_MAX		VMXHV_VMERR_INVEPT_INVVPID_OPERAND

/* The SDM's text for a VM-instruction error number, or NULL if unknown. */
const char *vmxhv_vm_error_text(u32 err);

/* Exception vectors; 9 (coprocessor segment overrun) and 15 are unused. */
#define VMXHV_EXC_DE		0	/* divide error */
#define VMXHV_EXC_DB		1	/* debug */
#define VMXHV_EXC_NMI		2	/* non-maskable interrupt */
#define VMXHV_EXC_BP		3	/* breakpoint */
#define VMXHV_EXC_OF		4	/* overflow */
#define VMXHV_EXC_BR		5	/* BOUND range exceeded */
#define VMXHV_EXC_UD		6	/* invalid opcode */
#define VMXHV_EXC_NM		7	/* device not available */
#define VMXHV_EXC_DF		8	/* double fault */
#define VMXHV_EXC_TS		10	/* invalid TSS */
#define VMXHV_EXC_NP		11	/* segment not present */
#define VMXHV_EXC_SS		12	/* stack-segment fault */
#define VMXHV_EXC_GP		13	/* general protection */
#define VMXHV_EXC_PF		14	/* page fault */
#define VMXHV_EXC_MF		16	/* x87 floating-point error */
#define VMXHV_EXC_AC		17	/* alignment check */
#define VMXHV_EXC_MC		18	/* machine check */
#define VMXHV_EXC_XM		19	/* SIMD floating-point exception */
#define VMXHV_EXC_VE		20	/* virtualization exception */
#define VMXHV_EXC_CP		21	/* control protection */

/* Mnemonic without '#' ("UD", "GP", "NMI"), or NULL if not an exception. */
const char *vmxhv_exception_name(u32 vector);

/* Does delivering this exception push an error code? */
bool vmxhv_exception_has_error_code(u32 vector);

#endif /* VMXHV_VM_ERRORS_H */
