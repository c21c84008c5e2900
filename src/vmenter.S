/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The world switch: enter the guest with VMLAUNCH/VMRESUME and come back
 * at vmxhv_vmexit (the VMCS HOST_RIP) on the next VM exit.
 *
 * Host callee-saved registers stay on this function's stack frame, whose
 * address is written to HOST_RSP before every entry, so nothing global
 * holds a stack pointer and the function returns like any C function:
 * 0 after a VM exit, 1 when VMLAUNCH/VMRESUME failed.
 */
#include <linux/linkage.h>
#include <linux/version.h>
#include <asm/asm.h>
#include <asm/msr-index.h>
#include <asm/nospec-branch.h>
#include <asm/percpu.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>

#include "regs.h"

#define SLOT(r)		(VMXHV_##r * 8)

/* HOST_RSP field encoding (SDM appendix B.4.4). */
#define VMCS_HOST_RSP	0x6c14

.section .noinstr.text, "ax"

/*
 * int vmxhv_vmenter(unsigned long *gprs, unsigned long launched)
 * @gprs:     VMXHV_NR_GPRS guest registers, loaded before and saved after
 * @launched: 0 for VMLAUNCH, non-zero for VMRESUME
 */
SYM_FUNC_START(vmxhv_vmenter)
	push %rbp
	mov  %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx

	/* @gprs stays on the stack: the exit path finds it at (%rsp). */
	push %rdi

	/* The stack pointer the exit returns to is the current one. */
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe .Lvmfail

	/* CF from this test chooses VMLAUNCH or VMRESUME below. */
	bt $0, %esi

	mov %rdi, %rax
	mov SLOT(RCX)(%rax), %rcx
	mov SLOT(RDX)(%rax), %rdx
	mov SLOT(RBX)(%rax), %rbx
	mov SLOT(RBP)(%rax), %rbp
	mov SLOT(RSI)(%rax), %rsi
	mov SLOT(RDI)(%rax), %rdi
	mov SLOT(R8)(%rax),  %r8
	mov SLOT(R9)(%rax),  %r9
	mov SLOT(R10)(%rax), %r10
	mov SLOT(R11)(%rax), %r11
	mov SLOT(R12)(%rax), %r12
	mov SLOT(R13)(%rax), %r13
	mov SLOT(R14)(%rax), %r14
	mov SLOT(R15)(%rax), %r15
	mov SLOT(RAX)(%rax), %rax

	/*
	 * MDS, TAA, MMIO stale data, RFDS: VERW clears the CPU buffers the
	 * guest could sample, where the kernel does so itself.  Last thing
	 * before the entry, after every host value left the registers.  It
	 * changes ZF only.
	 */
	CLEAR_CPU_BUFFERS

	jnc .Llaunch

	/* Control comes back at vmxhv_vmexit; tell objtool the frame. */
	UNWIND_HINT_SAVE
.Lresume:
	vmresume
	jmp .Lvmfail
.Llaunch:
	vmlaunch
	jmp .Lvmfail

	/* VMX turned off under us (reboot): VMLAUNCH/VMRESUME raise #UD. */
	_ASM_EXTABLE(.Lresume, .Lvmfail)
	_ASM_EXTABLE(.Llaunch, .Lvmfail)

SYM_INNER_LABEL_ALIGN(vmxhv_vmexit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR

	/* Free a register to address @gprs with. */
	push %rax
	mov 8(%rsp), %rax
	pop SLOT(RAX)(%rax)
	mov %rcx, SLOT(RCX)(%rax)
	mov %rdx, SLOT(RDX)(%rax)
	mov %rbx, SLOT(RBX)(%rax)
	mov %rbp, SLOT(RBP)(%rax)
	mov %rsi, SLOT(RSI)(%rax)
	mov %rdi, SLOT(RDI)(%rax)
	mov %r8,  SLOT(R8)(%rax)
	mov %r9,  SLOT(R9)(%rax)
	mov %r10, SLOT(R10)(%rax)
	mov %r11, SLOT(R11)(%rax)
	mov %r12, SLOT(R12)(%rax)
	mov %r13, SLOT(R13)(%rax)
	mov %r14, SLOT(R14)(%rax)
	mov %r15, SLOT(R15)(%rax)
	xor %ebx, %ebx

.Lclear:
	pop %rax		/* drop @gprs */

	/*
	 * No guest value may survive in a register the host could use
	 * speculatively; xor-zeroing is nearly free.
	 */
	xor %eax, %eax
	xor %ecx, %ecx
	xor %edx, %edx
	xor %ebp, %ebp
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d

	/*
	 * The guest may have filled the return stack buffer: refill it
	 * before the first unbalanced RET where the kernel's mitigation
	 * asks for it.
	 */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, \
			   X86_FEATURE_RSB_VMEXIT_LITE

	/*
	 * Legacy IBRS (the kernel sets IBRS on every entry from a less
	 * privileged mode): coming from the guest is such an entry, so
	 * write the kernel's SPEC_CTRL again whatever it holds (KVM's
	 * vmx_spec_ctrl_restore_host).  The guest cannot change SPEC_CTRL
	 * (its WRMSR is #GP), so no other part needs a write.
	 */
	ALTERNATIVE "jmp .Lspec_ctrl_done", "", X86_FEATURE_KERNEL_IBRS
	mov $MSR_IA32_SPEC_CTRL, %ecx
	mov PER_CPU_VAR(x86_spec_ctrl_current), %rax
	mov %rax, %rdx
	shr $32, %rdx
	wrmsr
	lfence
.Lspec_ctrl_done:

	/* BHI: overwrite the branch history the guest left, where asked. */
	CLEAR_BRANCH_HISTORY_VMEXIT

	mov %rbx, %rax
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET

.Lvmfail:
	mov $1, %ebx
	jmp .Lclear

SYM_FUNC_END(vmxhv_vmenter)

/*
 * void vmxhv_do_nmi_irqoff(void)
 * An NMI that caused a VM exit was consumed by the exit; hand it to the
 * host's NMI handler through a synthetic interrupt frame.  The handler's
 * IRET also lifts the NMI blocking the exit left in place.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define HOST_NMI_ENTRY	asm_exc_nmi_kvm_vmx
#else
#define HOST_NMI_ENTRY	asm_exc_nmi_noist
#endif

SYM_FUNC_START(vmxhv_do_nmi_irqoff)
	push %rbp
	mov %rsp, %rbp
	and $-16, %rsp
	push $__KERNEL_DS
	push %rbp
	pushf
	push $__KERNEL_CS
	call HOST_NMI_ENTRY
	/* IRET already restored RSP; say so explicitly for objtool. */
	mov %rbp, %rsp
	pop %rbp
	RET
SYM_FUNC_END(vmxhv_do_nmi_irqoff)
