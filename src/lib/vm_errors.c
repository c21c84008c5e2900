// SPDX-License-Identifier: GPL-2.0
/*
 * Texts of VM-instruction errors and names of exception vectors. Built into
 * the module and into the user-space unit tests: only vmxhv/types.h may be
 * included here.
 */
#include "vmxhv/vm_errors.h"

/* Wording of the SDM's table of VM-instruction error numbers. */
static const char * const vmxhv_vm_error_texts[VMXHV_VMERR_MAX + 1] = {
	[VMXHV_VMERR_VMCALL_IN_ROOT] =
		"VMCALL executed in VMX root operation",
	[VMXHV_VMERR_VMCLEAR_INVALID_PA] =
		"VMCLEAR with invalid physical address",
	[VMXHV_VMERR_VMCLEAR_VMXON_PTR] =
		"VMCLEAR with VMXON pointer",
	[VMXHV_VMERR_VMLAUNCH_NONCLEAR] =
		"VMLAUNCH with non-clear VMCS",
	[VMXHV_VMERR_VMRESUME_NONLAUNCHED] =
		"VMRESUME with non-launched VMCS",
	[VMXHV_VMERR_VMRESUME_AFTER_VMXOFF] =
		"VMRESUME after VMXOFF",
	[VMXHV_VMERR_ENTRY_INVALID_CTRL] =
		"VM entry with invalid control field(s)",
	[VMXHV_VMERR_ENTRY_INVALID_HOST] =
		"VM entry with invalid host-state field(s)",
	[VMXHV_VMERR_VMPTRLD_INVALID_PA] =
		"VMPTRLD with invalid physical address",
	[VMXHV_VMERR_VMPTRLD_VMXON_PTR] =
		"VMPTRLD with VMXON pointer",
	[VMXHV_VMERR_VMPTRLD_BAD_REVISION] =
		"VMPTRLD with incorrect VMCS revision identifier",
	[VMXHV_VMERR_UNSUPPORTED_FIELD] =
		"VMREAD/VMWRITE from/to unsupported VMCS component",
	[VMXHV_VMERR_VMWRITE_READ_ONLY] =
		"VMWRITE to read-only VMCS component",
	[VMXHV_VMERR_VMXON_IN_ROOT] =
		"VMXON executed in VMX root operation",
	[VMXHV_VMERR_ENTRY_INVALID_EXEC_VMCS_PTR] =
		"VM entry with invalid executive-VMCS pointer",
	[VMXHV_VMERR_ENTRY_NONLAUNCHED_EXEC_VMCS] =
		"VM entry with non-launched executive VMCS",
	[VMXHV_VMERR_ENTRY_EXEC_VMCS_PTR_NOT_VMXON] =
		"VM entry with executive-VMCS pointer not VMXON pointer",
	[VMXHV_VMERR_VMCALL_NONCLEAR] =
		"VMCALL with non-clear VMCS",
	[VMXHV_VMERR_VMCALL_INVALID_EXIT_CTRL] =
		"VMCALL with invalid VM-exit control fields",
	[VMXHV_VMERR_VMCALL_BAD_MSEG_REVISION] =
		"VMCALL with incorrect MSEG revision identifier",
	[VMXHV_VMERR_VMXOFF_DUAL_MONITOR] =
		"VMXOFF under dual-monitor treatment of SMIs and SMM",
	[VMXHV_VMERR_VMCALL_INVALID_SMM_FEATURES] =
		"VMCALL with invalid SMM-monitor features",
	[VMXHV_VMERR_ENTRY_INVALID_EXEC_CTRL_SMM] =
		"VM entry with invalid VM-execution control fields in executive VMCS",
	[VMXHV_VMERR_ENTRY_MOV_SS_BLOCKING] =
		"VM entry with events blocked by MOV SS",
	[VMXHV_VMERR_INVEPT_INVVPID_OPERAND] =
		"Invalid operand to INVEPT/INVVPID",
};

const char *vmxhv_vm_error_text(u32 err)
{
	if (err >= ARRAY_SIZE(vmxhv_vm_error_texts))
		return NULL;
	return vmxhv_vm_error_texts[err];
}

static const char * const vmxhv_exception_names[32] = {
	[VMXHV_EXC_DE] = "DE",
	[VMXHV_EXC_DB] = "DB",
	[VMXHV_EXC_NMI] = "NMI",
	[VMXHV_EXC_BP] = "BP",
	[VMXHV_EXC_OF] = "OF",
	[VMXHV_EXC_BR] = "BR",
	[VMXHV_EXC_UD] = "UD",
	[VMXHV_EXC_NM] = "NM",
	[VMXHV_EXC_DF] = "DF",
	[VMXHV_EXC_TS] = "TS",
	[VMXHV_EXC_NP] = "NP",
	[VMXHV_EXC_SS] = "SS",
	[VMXHV_EXC_GP] = "GP",
	[VMXHV_EXC_PF] = "PF",
	[VMXHV_EXC_MF] = "MF",
	[VMXHV_EXC_AC] = "AC",
	[VMXHV_EXC_MC] = "MC",
	[VMXHV_EXC_XM] = "XM",
	[VMXHV_EXC_VE] = "VE",
	[VMXHV_EXC_CP] = "CP",
};

const char *vmxhv_exception_name(u32 vector)
{
	if (vector >= ARRAY_SIZE(vmxhv_exception_names))
		return NULL;
	return vmxhv_exception_names[vector];
}

#define VMXHV_EXC_ERROR_CODE_MASK					\
	((1u << VMXHV_EXC_DF) | (1u << VMXHV_EXC_TS) |			\
	 (1u << VMXHV_EXC_NP) | (1u << VMXHV_EXC_SS) |			\
	 (1u << VMXHV_EXC_GP) | (1u << VMXHV_EXC_PF) |			\
	 (1u << VMXHV_EXC_AC) | (1u << VMXHV_EXC_CP))

bool vmxhv_exception_has_error_code(u32 vector)
{
	return vector < 32 && (VMXHV_EXC_ERROR_CODE_MASK & (1u << vector));
}
