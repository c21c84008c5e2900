/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest general-purpose register slots, shared by C and vmenter.S.
 * The order is the x86 register-number order so that exit
 * qualifications that name a register (MOV CR/DR) index it directly.
 */
#ifndef VMXHV_REGS_H
#define VMXHV_REGS_H

#define VMXHV_RAX	0
#define VMXHV_RCX	1
#define VMXHV_RDX	2
#define VMXHV_RBX	3
#define VMXHV_RSP	4	/* unused slot: RSP lives in the VMCS */
#define VMXHV_RBP	5
#define VMXHV_RSI	6
#define VMXHV_RDI	7
#define VMXHV_R8	8
#define VMXHV_R9	9
#define VMXHV_R10	10
#define VMXHV_R11	11
#define VMXHV_R12	12
#define VMXHV_R13	13
#define VMXHV_R14	14
#define VMXHV_R15	15
#define VMXHV_NR_GPRS	16

#endif /* VMXHV_REGS_H */
