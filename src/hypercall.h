/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypercall ABI (Documentation/guest.md): VMCALL with the number in
 * RAX, arguments in RBX, RCX, RDX; the result comes back in RAX.
 */
#ifndef VMXHV_HYPERCALL_H
#define VMXHV_HYPERCALL_H

#define VMXHV_HC_VERSION	0	/* returns VMXHV_HC_ABI_VERSION */
#define VMXHV_HC_PUTC		1	/* RBX[7:0] to the console; returns 0 */
#define VMXHV_HC_ABI_VERSION	1
#define VMXHV_HC_ENOSYS		(~0UL)	/* unknown hypercall number */

#define VMXHV_CONSOLE_PORT	0xe9

#endif /* VMXHV_HYPERCALL_H */
