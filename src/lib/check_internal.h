/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the VM-entry checker (src/lib/check*.c): the rule list and
 * the state the check functions share.
 */
#ifndef VMXHV_CHECK_INTERNAL_H
#define VMXHV_CHECK_INTERNAL_H

#include "vmxhv/check.h"
#include "vmxhv/vmcs_fields.h"

#define O7	VMXHV_CHECK_ERR7
#define O8	VMXHV_CHECK_ERR8
#define O33	VMXHV_CHECK_EXIT33
#define O34	VMXHV_CHECK_EXIT34

/*
 * Every rule, in the order the CPU checks them: R(name, id, SDM section,
 * outcome, exit-33 qualification, what it requires). Section numbers are
 * those of the SDM where "VM Entries" is chapter 27 of Vol. 3C.
 */
#define VMXHV_CHECK_RULES(R)						\
	/* 27.2.1.1 VM-execution control fields */			\
	R(CTL_PIN_ALLOWED, "ctl.pin.allowed", "27.2.1.1", O7, 0,	\
	  "every bit must be allowed by IA32_VMX_(TRUE_)PINBASED_CTLS")	\
	R(CTL_PROC_ALLOWED, "ctl.proc.allowed", "27.2.1.1", O7, 0,	\
	  "every bit must be allowed by IA32_VMX_(TRUE_)PROCBASED_CTLS") \
	R(CTL_PROC2_ALLOWED, "ctl.proc2.allowed", "27.2.1.1", O7, 0,	\
	  "every bit must be allowed by IA32_VMX_PROCBASED_CTLS2")	\
	R(CTL_PROC3_ALLOWED, "ctl.proc3.allowed", "27.2.1.1", O7, 0,	\
	  "every bit must be allowed by IA32_VMX_PROCBASED_CTLS3")	\
	R(CTL_CR3_TARGETS, "ctl.cr3_target.count", "27.2.1.1", O7, 0,	\
	  "must not exceed the CR3-target count in IA32_VMX_MISC[24:16]") \
	R(CTL_IO_BITMAP, "ctl.io_bitmap.addr", "27.2.1.1", O7, 0,	\
	  "with use I/O bitmaps: 4-KByte aligned, within MAXPHYADDR")	\
	R(CTL_MSR_BITMAP, "ctl.msr_bitmap.addr", "27.2.1.1", O7, 0,	\
	  "with use MSR bitmaps: 4-KByte aligned, within MAXPHYADDR")	\
	R(CTL_VAPIC_ADDR, "ctl.vapic.addr", "27.2.1.1", O7, 0,		\
	  "with use TPR shadow: 4-KByte aligned, within MAXPHYADDR")	\
	R(CTL_TPR_RESERVED, "ctl.tpr_threshold.reserved", "27.2.1.1",	\
	  O7, 0, "bits 31:4 must be 0 with use TPR shadow and no "	\
	  "virtual-interrupt delivery")					\
	R(CTL_TPR_VTPR, "ctl.tpr_threshold.vtpr", "27.2.1.1", O7, 0,	\
	  "bits 3:0 must not exceed VTPR[7:4] (virtual-APIC page "	\
	  "offset 0x80) without APIC-access virtualization")		\
	R(CTL_VNMI, "ctl.vnmi.nmi_exiting", "27.2.1.1", O7, 0,		\
	  "virtual NMIs requires NMI exiting")				\
	R(CTL_NMI_WINDOW, "ctl.nmi_window.vnmi", "27.2.1.1", O7, 0,	\
	  "NMI-window exiting requires virtual NMIs")			\
	R(CTL_APIC_ACCESS, "ctl.apic_access.addr", "27.2.1.1", O7, 0,	\
	  "with virtualize APIC accesses: 4-KByte aligned, within "	\
	  "MAXPHYADDR")							\
	R(CTL_TPR_SHADOW, "ctl.tpr_shadow.needed", "27.2.1.1", O7, 0,	\
	  "virtualize x2APIC mode, APIC-register virtualization and "	\
	  "virtual-interrupt delivery require use TPR shadow")		\
	R(CTL_X2APIC, "ctl.x2apic.apic_access", "27.2.1.1", O7, 0,	\
	  "virtualize x2APIC mode and virtualize APIC accesses cannot "	\
	  "both be 1")							\
	R(CTL_VID, "ctl.vid.ext_intr", "27.2.1.1", O7, 0,		\
	  "virtual-interrupt delivery requires external-interrupt "	\
	  "exiting")							\
	R(CTL_PI_VID, "ctl.posted.vid", "27.2.1.1", O7, 0,		\
	  "process posted interrupts requires virtual-interrupt "	\
	  "delivery")							\
	R(CTL_PI_ACK, "ctl.posted.ack", "27.2.1.1", O7, 0,		\
	  "process posted interrupts requires the acknowledge "		\
	  "interrupt on exit VM-exit control")				\
	R(CTL_PI_VECTOR, "ctl.posted.vector", "27.2.1.1", O7, 0,	\
	  "posted-interrupt notification vector bits 15:8 must be 0")	\
	R(CTL_PI_DESC, "ctl.posted.desc_addr", "27.2.1.1", O7, 0,	\
	  "with posted interrupts: 64-byte aligned, within MAXPHYADDR")	\
	R(CTL_VPID, "ctl.vpid.zero", "27.2.1.1", O7, 0,		\
	  "VPID must not be 0 with enable VPID")			\
	R(CTL_EPTP_MEMTYPE, "ctl.eptp.memtype", "27.2.1.1", O7, 0,	\
	  "bits 2:0 must be a memory type IA32_VMX_EPT_VPID_CAP "	\
	  "allows (0 UC, 6 WB)")					\
	R(CTL_EPTP_WALK, "ctl.eptp.walk", "27.2.1.1", O7, 0,		\
	  "bits 5:3 must be a page-walk length - 1 that "		\
	  "IA32_VMX_EPT_VPID_CAP allows (3, or 4 for 5 levels)")	\
	R(CTL_EPTP_AD, "ctl.eptp.ad", "27.2.1.1", O7, 0,		\
	  "bit 6 (accessed/dirty flags) needs IA32_VMX_EPT_VPID_CAP[21]") \
	R(CTL_EPTP_RESERVED, "ctl.eptp.reserved", "27.2.1.1", O7, 0,	\
	  "bits 11:8, bit 7 (unless CET shadow stacks) and bits above "	\
	  "MAXPHYADDR must be 0")					\
	R(CTL_PML_EPT, "ctl.pml.ept", "27.2.1.1", O7, 0,		\
	  "enable PML requires enable EPT")				\
	R(CTL_PML_ADDR, "ctl.pml.addr", "27.2.1.1", O7, 0,		\
	  "with enable PML: 4-KByte aligned, within MAXPHYADDR")	\
	R(CTL_UG_EPT, "ctl.unrestricted.ept", "27.2.1.1", O7, 0,	\
	  "unrestricted guest requires enable EPT")			\
	R(CTL_MBEC_EPT, "ctl.mbec.ept", "27.2.1.1", O7, 0,		\
	  "mode-based execute control for EPT requires enable EPT")	\
	R(CTL_SPP_EPT, "ctl.spp.ept", "27.2.1.1", O7, 0,		\
	  "sub-page write permissions require enable EPT")		\
	R(CTL_SPP_ADDR, "ctl.spp.addr", "27.2.1.1", O7, 0,		\
	  "with sub-page write permissions: 4-KByte aligned, within "	\
	  "MAXPHYADDR")							\
	R(CTL_PT_GPA, "ctl.pt_gpa", "27.2.1.1", O7, 0,		\
	  "Intel PT uses guest physical addresses requires enable EPT " \
	  "and the load/clear IA32_RTIT_CTL controls")			\
	R(CTL_VMFUNC, "ctl.vmfunc.reserved", "27.2.1.1", O7, 0,	\
	  "only bits IA32_VMX_VMFUNC allows may be 1")			\
	R(CTL_EPTP_SWITCH_EPT, "ctl.vmfunc.eptp_ept", "27.2.1.1", O7, 0, \
	  "EPTP switching requires enable EPT")				\
	R(CTL_EPTP_LIST, "ctl.vmfunc.eptp_list", "27.2.1.1", O7, 0,	\
	  "with EPTP switching: 4-KByte aligned, within MAXPHYADDR")	\
	R(CTL_SHADOW_BITMAPS, "ctl.vmcs_shadow.bitmaps", "27.2.1.1",	\
	  O7, 0, "with VMCS shadowing: 4-KByte aligned, within "	\
	  "MAXPHYADDR")							\
	R(CTL_VE_ADDR, "ctl.ve.addr", "27.2.1.1", O7, 0,		\
	  "with EPT-violation #VE: 4-KByte aligned, within MAXPHYADDR")	\
	/* 27.2.1.2 VM-exit control fields */				\
	R(CTL_EXIT_ALLOWED, "ctl.exit.allowed", "27.2.1.2", O7, 0,	\
	  "every bit must be allowed by IA32_VMX_(TRUE_)EXIT_CTLS")	\
	R(CTL_EXIT_TIMER, "ctl.exit.save_timer", "27.2.1.2", O7, 0,	\
	  "save VMX-preemption timer value requires activate "		\
	  "VMX-preemption timer")					\
	R(CTL_EXIT_MSR_STORE, "ctl.exit.msr_store.addr", "27.2.1.2",	\
	  O7, 0, "16-byte aligned, the whole area within MAXPHYADDR")	\
	R(CTL_EXIT_MSR_LOAD, "ctl.exit.msr_load.addr", "27.2.1.2",	\
	  O7, 0, "16-byte aligned, the whole area within MAXPHYADDR")	\
	/* 27.2.1.3 VM-entry control fields */				\
	R(CTL_ENTRY_ALLOWED, "ctl.entry.allowed", "27.2.1.3", O7, 0,	\
	  "every bit must be allowed by IA32_VMX_(TRUE_)ENTRY_CTLS")	\
	R(CTL_INJ_TYPE, "ctl.inject.type", "27.2.1.3", O7, 0,		\
	  "type 1 is reserved; type 7 needs monitor trap flag support")	\
	R(CTL_INJ_VECTOR, "ctl.inject.vector", "27.2.1.3", O7, 0,	\
	  "NMI needs vector 2, a hardware exception vector <= 31, "	\
	  "other event vector 0")					\
	R(CTL_INJ_DELIVER, "ctl.inject.deliver", "27.2.1.3", O7, 0,	\
	  "deliver error code must be 1 exactly for #DF #TS #NP #SS "	\
	  "#GP #PF #AC hardware exceptions in protected mode")		\
	R(CTL_INJ_RESERVED, "ctl.inject.reserved", "27.2.1.3", O7, 0,	\
	  "bits 30:12 must be 0")					\
	R(CTL_INJ_ERRCODE, "ctl.inject.error_code", "27.2.1.3", O7, 0,	\
	  "bits 31:16 must be 0 when an error code is delivered")	\
	R(CTL_INJ_LEN, "ctl.inject.instr_len", "27.2.1.3", O7, 0,	\
	  "software interrupts and exceptions need a length of 1-15 "	\
	  "(0 only if IA32_VMX_MISC[30])")				\
	R(CTL_ENTRY_SMM, "ctl.entry.smm", "27.2.1.3", O7, 0,		\
	  "entry to SMM and deactivate dual-monitor treatment must be " \
	  "0 outside SMM")						\
	R(CTL_ENTRY_MSR_LOAD, "ctl.entry.msr_load.addr", "27.2.1.3",	\
	  O7, 0, "16-byte aligned, the whole area within MAXPHYADDR")	\
	/* 27.2.2 host control registers, MSRs and SSP */		\
	R(HOST_CR0, "host.cr0.fixed", "27.2.2", O8, 0,		\
	  "must respect IA32_VMX_CR0_FIXED0/FIXED1 (CD and NW exempt)")	\
	R(HOST_CR4, "host.cr4.fixed", "27.2.2", O8, 0,		\
	  "must respect IA32_VMX_CR4_FIXED0/FIXED1")			\
	R(HOST_CR3, "host.cr3.width", "27.2.2", O8, 0,		\
	  "bits above MAXPHYADDR must be 0")				\
	R(HOST_CET_WP, "host.cr4.cet_wp", "27.2.2", O8, 0,		\
	  "CR4.CET requires CR0.WP")					\
	R(HOST_S_CET, "host.cet.s_cet", "27.2.2", O8, 0,		\
	  "with load CET state: canonical, bits 9:6 0, not both "	\
	  "SUPPRESS and TRACKER")					\
	R(HOST_ISST, "host.cet.isst", "27.2.2", O8, 0,		\
	  "with load CET state: canonical")				\
	R(HOST_SSP, "host.cet.ssp", "27.2.2", O8, 0,			\
	  "with load CET state: bits 1:0 0, canonical")		\
	R(HOST_SYSENTER, "host.sysenter.canonical", "27.2.2", O8, 0,	\
	  "must be canonical")						\
	R(HOST_PERF_GLOBAL, "host.perf_global_ctrl.reserved", "27.2.2",	\
	  O8, 0, "with load IA32_PERF_GLOBAL_CTRL: reserved bits 0")	\
	R(HOST_PAT, "host.pat.invalid", "27.2.2", O8, 0,		\
	  "with load IA32_PAT: every byte 0, 1, 4, 5, 6 or 7")		\
	R(HOST_EFER, "host.efer.reserved", "27.2.2", O8, 0,		\
	  "with load IA32_EFER: reserved bits 0")			\
	R(HOST_EFER_LMA, "host.efer.lma_lme", "27.2.2", O8, 0,	\
	  "with load IA32_EFER: LMA and LME equal to host "		\
	  "address-space size")						\
	R(HOST_PKRS, "host.pkrs.reserved", "27.2.2", O8, 0,		\
	  "with load PKRS: bits 63:32 0")				\
	/* 27.2.3 host segment and descriptor-table registers */	\
	R(HOST_SEL, "host.sel.rpl_ti", "27.2.3", O8, 0,		\
	  "RPL and TI must be 0")					\
	R(HOST_CS_NULL, "host.cs.null", "27.2.3", O8, 0,		\
	  "must not be 0")						\
	R(HOST_TR_NULL, "host.tr.null", "27.2.3", O8, 0,		\
	  "must not be 0")						\
	R(HOST_SS_NULL, "host.ss.null", "27.2.3", O8, 0,		\
	  "must not be 0 with host address-space size 0")		\
	R(HOST_BASE, "host.base.canonical", "27.2.3", O8, 0,		\
	  "must be canonical")						\
	/* 27.2.4 address-space size */					\
	R(HOST_ADDR_SIZE, "host.addr_size", "27.2.4", O8, 0,		\
	  "host address-space size must be 1: the CPU runs in IA-32e "	\
	  "mode")							\
	R(HOST_ADDR32, "host.addr32", "27.2.4", O8, 0,		\
	  "with host address-space size 0: IA-32e mode guest, "		\
	  "CR4.PCIDE and bits 63:32 of RIP and SSP must be 0")		\
	R(HOST_PAE, "host.cr4.pae", "27.2.4", O8, 0,			\
	  "CR4.PAE must be 1 with host address-space size 1")		\
	R(HOST_RIP, "host.rip.canonical", "27.2.4", O8, 0,		\
	  "must be canonical with host address-space size 1")		\
	/* 27.3.1.1 guest control, debug registers and MSRs */		\
	R(GUEST_CR0, "guest.cr0.fixed", "27.3.1.1", O33, 0,		\
	  "must respect IA32_VMX_CR0_FIXED0/FIXED1 (CD, NW exempt; PE, " \
	  "PG too with unrestricted guest)")				\
	R(GUEST_CR0_PG, "guest.cr0.pg_pe", "27.3.1.1", O33, 0,	\
	  "CR0.PG requires CR0.PE")					\
	R(GUEST_CR4, "guest.cr4.fixed", "27.3.1.1", O33, 0,		\
	  "must respect IA32_VMX_CR4_FIXED0/FIXED1")			\
	R(GUEST_CET_WP, "guest.cr4.cet_wp", "27.3.1.1", O33, 0,	\
	  "CR4.CET requires CR0.WP")					\
	R(GUEST_DEBUGCTL, "guest.debugctl.reserved", "27.3.1.1", O33,	\
	  0, "with load debug controls: reserved bits (5:2, 63:16) 0")	\
	R(GUEST_IA32E_PG, "guest.ia32e.pg", "27.3.1.1", O33, 0,	\
	  "IA-32e mode guest requires CR0.PG")				\
	R(GUEST_IA32E_PAE, "guest.ia32e.pae", "27.3.1.1", O33, 0,	\
	  "IA-32e mode guest requires CR4.PAE")				\
	R(GUEST_PCIDE, "guest.cr4.pcide", "27.3.1.1", O33, 0,		\
	  "CR4.PCIDE must be 0 unless IA-32e mode guest")		\
	R(GUEST_CR3, "guest.cr3.width", "27.3.1.1", O33, 0,		\
	  "bits above MAXPHYADDR must be 0")				\
	R(GUEST_DR7, "guest.dr7.high", "27.3.1.1", O33, 0,		\
	  "with load debug controls: bits 63:32 0")			\
	R(GUEST_SYSENTER, "guest.sysenter.canonical", "27.3.1.1", O33,	\
	  0, "must be canonical")					\
	R(GUEST_PERF_GLOBAL, "guest.perf_global_ctrl.reserved",	\
	  "27.3.1.1", O33, 0,						\
	  "with load IA32_PERF_GLOBAL_CTRL: reserved bits 0")		\
	R(GUEST_PAT, "guest.pat.invalid", "27.3.1.1", O33, 0,		\
	  "with load IA32_PAT: every byte 0, 1, 4, 5, 6 or 7")		\
	R(GUEST_EFER, "guest.efer.reserved", "27.3.1.1", O33, 0,	\
	  "with load IA32_EFER: reserved bits 0")			\
	R(GUEST_EFER_LMA, "guest.efer.lma", "27.3.1.1", O33, 0,	\
	  "with load IA32_EFER: LMA equal to IA-32e mode guest")	\
	R(GUEST_EFER_LME, "guest.efer.lme", "27.3.1.1", O33, 0,	\
	  "with load IA32_EFER and CR0.PG: LME equal to IA-32e mode "	\
	  "guest")							\
	R(GUEST_BNDCFGS, "guest.bndcfgs", "27.3.1.1", O33, 0,		\
	  "with load IA32_BNDCFGS: bits 11:2 0, bits 63:12 canonical")	\
	R(GUEST_RTIT, "guest.rtit_ctl.reserved", "27.3.1.1", O33, 0,	\
	  "with load IA32_RTIT_CTL: reserved bits 0")			\
	R(GUEST_S_CET, "guest.cet.s_cet", "27.3.1.1", O33, 0,		\
	  "with load CET state: canonical, bits 9:6 0, not both "	\
	  "SUPPRESS and TRACKER")					\
	R(GUEST_ISST, "guest.cet.isst", "27.3.1.1", O33, 0,		\
	  "with load CET state: canonical")				\
	R(GUEST_PKRS, "guest.pkrs.reserved", "27.3.1.1", O33, 0,	\
	  "with load PKRS: bits 63:32 0")				\
	/* 27.3.1.2 guest segment registers */				\
	R(GUEST_TR_TI, "guest.tr.ti", "27.3.1.2", O33, 0,		\
	  "TI (bit 2) must be 0")					\
	R(GUEST_LDTR_TI, "guest.ldtr.ti", "27.3.1.2", O33, 0,		\
	  "TI (bit 2) must be 0 when LDTR is usable")			\
	R(GUEST_SS_RPL, "guest.ss.rpl", "27.3.1.2", O33, 0,		\
	  "SS.RPL must equal CS.RPL (not virtual-8086, no "		\
	  "unrestricted guest)")					\
	R(GUEST_V86_BASE, "guest.v86.base", "27.3.1.2", O33, 0,	\
	  "virtual-8086: base must be selector << 4")			\
	R(GUEST_V86_LIMIT, "guest.v86.limit", "27.3.1.2", O33, 0,	\
	  "virtual-8086: limit must be 0xffff")				\
	R(GUEST_V86_AR, "guest.v86.ar", "27.3.1.2", O33, 0,		\
	  "virtual-8086: access rights must be 0xf3")			\
	R(GUEST_BASE_CANON, "guest.seg.base_canonical", "27.3.1.2",	\
	  O33, 0, "TR, FS, GS and usable LDTR bases must be canonical")	\
	R(GUEST_BASE_HIGH, "guest.seg.base_high", "27.3.1.2", O33, 0,	\
	  "bits 63:32 of the CS (and usable SS, DS, ES) base must be 0") \
	R(GUEST_CS_TYPE, "guest.cs.type", "27.3.1.2", O33, 0,		\
	  "type must be 9, 11, 13 or 15 (or 3 with unrestricted guest)") \
	R(GUEST_SS_TYPE, "guest.ss.type", "27.3.1.2", O33, 0,		\
	  "type of a usable SS must be 3 or 7")				\
	R(GUEST_SEG_TYPE, "guest.seg.type", "27.3.1.2", O33, 0,	\
	  "usable DS, ES, FS, GS: accessed, and readable if code")	\
	R(GUEST_SEG_S, "guest.seg.s", "27.3.1.2", O33, 0,		\
	  "S must be 1 for CS and usable SS, DS, ES, FS, GS")		\
	R(GUEST_CS_DPL, "guest.cs.dpl", "27.3.1.2", O33, 0,		\
	  "DPL must be 0 for type 3, SS.DPL for non-conforming, <= "	\
	  "SS.DPL for conforming code")					\
	R(GUEST_SS_DPL, "guest.ss.dpl", "27.3.1.2", O33, 0,		\
	  "DPL must equal SS.RPL without unrestricted guest, and be 0 "	\
	  "if CS type is 3 or CR0.PE is 0")				\
	R(GUEST_SEG_DPL, "guest.seg.dpl", "27.3.1.2", O33, 0,		\
	  "usable data/non-conforming DS, ES, FS, GS need DPL >= RPL "	\
	  "(no unrestricted guest)")					\
	R(GUEST_SEG_P, "guest.seg.present", "27.3.1.2", O33, 0,	\
	  "P must be 1 for CS, TR and usable segments")			\
	R(GUEST_SEG_AR_RSVD, "guest.seg.ar_reserved", "27.3.1.2", O33,	\
	  0, "access-rights bits 11:8 and 31:17 must be 0")		\
	R(GUEST_CS_L_DB, "guest.cs.l_db", "27.3.1.2", O33, 0,		\
	  "CS.L and CS.D/B cannot both be 1 in an IA-32e mode guest")	\
	R(GUEST_SEG_G, "guest.seg.g", "27.3.1.2", O33, 0,		\
	  "G must be 0 if limit[11:0] != 0xfff and 1 if "		\
	  "limit[31:20] != 0")						\
	R(GUEST_TR_TYPE, "guest.tr.type", "27.3.1.2", O33, 0,		\
	  "type must be 11 (busy TSS), or 3 outside IA-32e mode")	\
	R(GUEST_SYS_S, "guest.sys.s", "27.3.1.2", O33, 0,		\
	  "S must be 0 for TR and usable LDTR")				\
	R(GUEST_TR_UNUSABLE, "guest.tr.unusable", "27.3.1.2", O33, 0,	\
	  "TR must be usable")						\
	R(GUEST_LDTR_TYPE, "guest.ldtr.type", "27.3.1.2", O33, 0,	\
	  "type of a usable LDTR must be 2")				\
	/* 27.3.1.3 guest descriptor-table registers */		\
	R(GUEST_DTR_BASE, "guest.dtr.base_canonical", "27.3.1.3", O33,	\
	  0, "must be canonical")					\
	R(GUEST_DTR_LIMIT, "guest.dtr.limit", "27.3.1.3", O33, 0,	\
	  "bits 31:16 must be 0")					\
	/* 27.3.1.4 guest RIP, RFLAGS and SSP */			\
	R(GUEST_RIP_HIGH, "guest.rip.high", "27.3.1.4", O33, 0,	\
	  "bits 63:32 must be 0 unless IA-32e mode guest with CS.L")	\
	R(GUEST_RIP_CANON, "guest.rip.canonical", "27.3.1.4", O33, 0,	\
	  "must be canonical in an IA-32e mode guest with CS.L")	\
	R(GUEST_RFLAGS_RSVD, "guest.rflags.reserved", "27.3.1.4", O33,	\
	  0, "bits 63:22, 15, 5 and 3 must be 0")			\
	R(GUEST_RFLAGS_BIT1, "guest.rflags.bit1", "27.3.1.4", O33, 0,	\
	  "bit 1 must be 1")						\
	R(GUEST_RFLAGS_VM, "guest.rflags.vm", "27.3.1.4", O33, 0,	\
	  "VM must be 0 in an IA-32e mode guest or with CR0.PE 0")	\
	R(GUEST_RFLAGS_IF, "guest.rflags.if", "27.3.1.4", O33, 0,	\
	  "IF must be 1 when injecting an external interrupt")		\
	R(GUEST_SSP, "guest.cet.ssp", "27.3.1.4", O33, 0,		\
	  "with load CET state: bits 1:0 0; canonical with CS.L in "	\
	  "IA-32e mode, else bits 63:32 0")				\
	/* 27.3.1.5 guest non-register state */				\
	R(GUEST_ACTIVITY, "guest.activity.supported", "27.3.1.5", O33,	\
	  0, "must be 0, or 1-3 as IA32_VMX_MISC[8:6] allows")		\
	R(GUEST_ACT_HLT, "guest.activity.hlt_dpl", "27.3.1.5", O33, 0,	\
	  "HLT requires SS.DPL 0")					\
	R(GUEST_ACT_BLOCK, "guest.activity.blocking", "27.3.1.5", O33,	\
	  0, "blocking by STI or MOV SS requires the active state")	\
	R(GUEST_ACT_INJECT, "guest.activity.inject", "27.3.1.5", O33,	\
	  0, "the injected event must be one the activity state "	\
	  "accepts")							\
	R(GUEST_ACT_SMM, "guest.activity.sipi_smm", "27.3.1.5", O33,	\
	  0, "wait-for-SIPI not allowed with entry to SMM")		\
	R(GUEST_INTR_RSVD, "guest.intr.reserved", "27.3.1.5", O33, 0,	\
	  "bits 31:5 must be 0")					\
	R(GUEST_INTR_BOTH, "guest.intr.sti_movss", "27.3.1.5", O33, 0,	\
	  "blocking by STI and by MOV SS cannot both be 1")		\
	R(GUEST_INTR_STI_IF, "guest.intr.sti_if", "27.3.1.5", O33, 0,	\
	  "blocking by STI requires RFLAGS.IF")				\
	R(GUEST_INTR_EXT, "guest.intr.ext_intr", "27.3.1.5", O33, 0,	\
	  "no blocking by STI or MOV SS when injecting an external "	\
	  "interrupt")							\
	R(GUEST_INTR_NMI, "guest.intr.nmi_movss", "27.3.1.5", O33, 0,	\
	  "no blocking by MOV SS when injecting an NMI")		\
	R(GUEST_INTR_NMI_STI, "guest.intr.nmi_sti", "27.3.1.5", O33,	\
	  VMXHV_QUAL_NMI_STI, "no blocking by STI when injecting an "	\
	  "NMI")							\
	R(GUEST_INTR_SMI, "guest.intr.smi", "27.3.1.5", O33, 0,	\
	  "blocking by SMI must be 0 outside SMM")			\
	R(GUEST_INTR_VNMI, "guest.intr.vnmi", "27.3.1.5", O33, 0,	\
	  "blocking by NMI must be 0 when injecting an NMI with "	\
	  "virtual NMIs")						\
	R(GUEST_INTR_ENCL, "guest.intr.enclave", "27.3.1.5", O33, 0,	\
	  "enclave interruption needs SGX and no blocking by MOV SS")	\
	R(GUEST_PDBG_RSVD, "guest.pdbg.reserved", "27.3.1.5", O33, 0,	\
	  "bits 11:4, 13, 15, 63:17 (and 16 without RTM) must be 0")	\
	R(GUEST_PDBG_BS, "guest.pdbg.bs", "27.3.1.5", O33, 0,		\
	  "with STI/MOV SS blocking or HLT: BS must be 1 iff RFLAGS.TF " \
	  "is 1 and IA32_DEBUGCTL.BTF is 0")				\
	R(GUEST_PDBG_RTM, "guest.pdbg.rtm", "27.3.1.5", O33, 0,	\
	  "RTM (bit 16) requires bits 11:0 and 14 clear and no "	\
	  "blocking by MOV SS")						\
	R(GUEST_LINK_ADDR, "guest.link.addr", "27.3.1.5", O33,	\
	  VMXHV_QUAL_LINK_PTR, "~0, or 4-KByte aligned within "		\
	  "MAXPHYADDR")							\
	R(GUEST_LINK_REV, "guest.link.revision", "27.3.1.5", O33,	\
	  VMXHV_QUAL_LINK_PTR, "the referenced VMCS needs this CPU's "	\
	  "revision id and shadow bit = VMCS shadowing")		\
	R(GUEST_LINK_SELF, "guest.link.current", "27.3.1.5", O33,	\
	  VMXHV_QUAL_LINK_PTR, "must not be the current VMCS")		\
	/* 27.3.1.6 guest PDPTEs */					\
	R(GUEST_PDPTE, "guest.pdpte.reserved", "27.3.1.6", O33,	\
	  VMXHV_QUAL_PDPTE, "present PDPTEs need bits 2:1, 8:5 and "	\
	  "those above MAXPHYADDR 0")					\
	/* 27.4 loading MSRs */						\
	R(MSR_RESERVED, "msr.load.reserved", "27.4", O34, 0,		\
	  "bits 63:32 of the entry must be 0")				\
	R(MSR_FS_GS, "msr.load.fs_gs", "27.4", O34, 0,		\
	  "IA32_FS_BASE and IA32_GS_BASE cannot be loaded")		\
	R(MSR_X2APIC, "msr.load.x2apic", "27.4", O34, 0,		\
	  "MSRs 0x800-0x8ff (x2APIC) cannot be loaded")			\
	R(MSR_SMM, "msr.load.smm_monitor", "27.4", O34, 0,		\
	  "IA32_SMM_MONITOR_CTL can be written only in SMM")		\
	R(MSR_UCODE, "msr.load.microcode", "27.4", O34, 0,		\
	  "microcode-update MSRs (0x79, 0x8b) cannot be loaded")	\
	R(MSR_VALUE, "msr.load.value", "27.4", O34, 0,		\
	  "the value must be one WRMSR accepts")

enum vmxhv_rule_idx {
#define VMXHV_RULE_ENUM(name, id, sdm, out, qual, req)	VMXHV_R_##name,
	VMXHV_CHECK_RULES(VMXHV_RULE_ENUM)
#undef VMXHV_RULE_ENUM
	VMXHV_NR_RULES
};

/* Shared by the check functions of one vmxhv_check() call. */
struct vmxhv_chk {
	const struct vmxhv_caps *caps;
	const struct vmxhv_vmcs_view *v;
	struct vmxhv_check_result *res;
	u32 pin, proc, proc2, exit, entry;
	u64 proc3;
	u64 cr0, cr4, rflags;	/* guest */
	u32 intr_info;		/* VM-entry interruption information */
	u32 cs_ar, ss_ar;	/* guest */
	bool ia32e;		/* IA-32e mode guest */
	bool ug;		/* unrestricted guest */
	bool v86;		/* RFLAGS.VM */
	bool host64;		/* host address-space size */
};

static inline u64 chk_rd(struct vmxhv_chk *c, u32 enc)
{
	return c->v->read(c->v->ctx, enc);
}

void chk_report2(struct vmxhv_chk *c, enum vmxhv_rule_idx r, u32 f0, u64 v0,
		 u32 f1, u64 v1);
void chk_report_msr(struct vmxhv_chk *c, enum vmxhv_rule_idx r, u32 entry,
		    u64 index, u64 value);

static inline void chk_report(struct vmxhv_chk *c, enum vmxhv_rule_idx r,
			      u32 f, u64 val)
{
	chk_report2(c, r, f, val, VMXHV_NO_FIELD, 0);
}

/* Read @f and report rule @r against it when @bad is true. */
static inline void chk_fail_if(struct vmxhv_chk *c, bool bad,
			       enum vmxhv_rule_idx r, u32 f, u64 val)
{
	if (bad)
		chk_report(c, r, f, val);
}

bool chk_canonical(const struct vmxhv_chk *c, u64 addr);
bool chk_phys_ok(const struct vmxhv_chk *c, u64 addr, u64 align);
bool chk_pat_ok(u64 pat);
bool chk_s_cet_ok(const struct vmxhv_chk *c, u64 val);
int chk_read_phys(struct vmxhv_chk *c, u64 pa, u64 *val);

void vmxhv_check_controls(struct vmxhv_chk *c);
void vmxhv_check_host(struct vmxhv_chk *c);
void vmxhv_check_guest(struct vmxhv_chk *c);
void vmxhv_check_segments(struct vmxhv_chk *c);
void vmxhv_check_msr_load(struct vmxhv_chk *c);

/* Architectural register bits the rules refer to. */
#define CHK_CR0_PE		BIT_ULL(0)
#define CHK_CR0_WP		BIT_ULL(16)
#define CHK_CR0_NW		BIT_ULL(29)
#define CHK_CR0_CD		BIT_ULL(30)
#define CHK_CR0_PG		BIT_ULL(31)
#define CHK_CR4_PAE		BIT_ULL(5)
#define CHK_CR4_PCIDE		BIT_ULL(17)
#define CHK_CR4_CET		BIT_ULL(23)
#define CHK_RFLAGS_TF		BIT_ULL(8)
#define CHK_RFLAGS_IF		BIT_ULL(9)
#define CHK_RFLAGS_VM		BIT_ULL(17)
#define CHK_EFER_LME		BIT_ULL(8)
#define CHK_EFER_LMA		BIT_ULL(10)
/* Intel defines SCE, LME, LMA and NXE; every other bit is reserved. */
#define CHK_EFER_VALID		(BIT_ULL(0) | BIT_ULL(8) | BIT_ULL(10) | \
				 BIT_ULL(11))
#define CHK_DEBUGCTL_BTF	BIT_ULL(1)

#endif /* VMXHV_CHECK_INTERNAL_H */
