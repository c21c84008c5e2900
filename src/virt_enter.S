/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The world switch of a virtualized CPU (virt.c): the running kernel
 * enters VMX non-root operation where it stands, and every VM exit runs
 * on this CPU's own host stack until VMRESUME, or until the CPU leaves
 * non-root operation through an IRET frame built by the exit handler.
 *
 * Unlike vmenter.S, nothing here returns into the caller after an exit:
 * the exit handler is a separate context, like an NMI.  The host stack
 * holds a struct vmxhv_virt_frame (virt.h): the guest's registers at its
 * bottom, in regs.h slot order, then the IRET frame that leaving uses.
 */
#include <linux/linkage.h>
#include <linux/version.h>
#include <asm/asm.h>
#include <asm/msr-index.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

#include "regs.h"

/* struct vmxhv_virt_frame (virt.h): gs_base after the GPRs and IRET frame. */
#define VIRT_FRAME_GS_BASE	((VMXHV_NR_GPRS + 5) * 8)

/* Guest-state field encodings (SDM appendix B). */
#define VMCS_GUEST_RSP		0x681c
#define VMCS_GUEST_RIP		0x681e
#define VMCS_GUEST_RFLAGS	0x6820

/* 6.1's name for the hint at the bottom of a stack. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
#define UNWIND_HINT_END_OF_STACK	UNWIND_HINT_EMPTY
#endif

.section .noinstr.text, "ax"

/*
 * int vmxhv_virt_enter(void)
 * With this CPU's virtualization VMCS current and filled in (virt.c),
 * interrupts off: VMLAUNCH with this very stack, flags and a resume
 * point in this function as the guest's.  Returns 0 in VMX non-root
 * operation, 1 in VMX root operation when VMLAUNCH (or a VMWRITE of the
 * three fields) failed.
 */
SYM_FUNC_START(vmxhv_virt_enter)
	push %rbp
	mov  %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx

	mov $VMCS_GUEST_RSP, %eax
	vmwrite %rsp, %rax
	jbe .Lenter_failed
	lea vmxhv_virt_resumed(%rip), %rdx
	mov $VMCS_GUEST_RIP, %eax
	vmwrite %rdx, %rax
	jbe .Lenter_failed
	pushf
	pop %rdx
	mov $VMCS_GUEST_RFLAGS, %eax
	vmwrite %rdx, %rax
	jbe .Lenter_failed

	/* The guest starts below with these registers and this stack. */
	UNWIND_HINT_SAVE
.Lvmlaunch:
	vmlaunch
	jmp .Lenter_failed
	/* VMX lost under us: VMLAUNCH raises #UD. */
	_ASM_EXTABLE(.Lvmlaunch, .Lenter_failed)

SYM_INNER_LABEL_ALIGN(vmxhv_virt_resumed, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR
	xor %eax, %eax
	jmp .Lenter_out

.Lenter_failed:
	mov $1, %eax
.Lenter_out:
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET
SYM_FUNC_END(vmxhv_virt_enter)

/*
 * HOST_RIP of a virtualized CPU.  HOST_RSP points at the IRET part of
 * the frame at the top of the host stack; the registers go below it.
 * vmxhv_virt_exit_handler() returns 0 to resume the guest, non-zero to
 * leave non-root operation through the IRET frame it filled in.
 */
SYM_CODE_START(vmxhv_virt_exit)
	UNWIND_HINT_END_OF_STACK
	ENDBR
	push %r15
	push %r14
	push %r13
	push %r12
	push %r11
	push %r10
	push %r9
	push %r8
	push %rdi
	push %rsi
	push %rbp
	push $0			/* RSP slot: RSP is in the VMCS */
	push %rbx
	push %rdx
	push %rcx
	push %rax

	/*
	 * The same speculation barriers as after a separate guest's exit
	 * (vmenter.S): the code that exited may be a user process.
	 */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, \
			   X86_FEATURE_RSB_VMEXIT_LITE
	CLEAR_BRANCH_HISTORY_VMEXIT

	mov %rsp, %rdi
	call vmxhv_virt_exit_handler
	test %eax, %eax
	jnz .Lleave

	pop %rax
	pop %rcx
	pop %rdx
	pop %rbx
	add $8, %rsp
	pop %rbp
	pop %rsi
	pop %rdi
	pop %r8
	pop %r9
	pop %r10
	pop %r11
	pop %r12
	pop %r13
	pop %r14
	pop %r15

	/* MDS and friends: as before any return to user space. */
	CLEAR_CPU_BUFFERS
	vmresume

	/* VMRESUME failed: the handler turns the guest state into a frame. */
	sub $(VMXHV_NR_GPRS * 8), %rsp
	mov %rsp, %rdi
	call vmxhv_virt_resume_failed

.Lleave:
	/*
	 * The GS base the code that exited had (the frame's gs_base): last,
	 * as nothing below uses per-CPU data.
	 */
	mov $MSR_GS_BASE, %ecx
	mov VIRT_FRAME_GS_BASE(%rsp), %eax
	mov VIRT_FRAME_GS_BASE+4(%rsp), %edx
	wrmsr
	pop %rax
	pop %rcx
	pop %rdx
	pop %rbx
	add $8, %rsp
	pop %rbp
	pop %rsi
	pop %rdi
	pop %r8
	pop %r9
	pop %r10
	pop %r11
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	/* RIP, CS, RFLAGS, RSP, SS of the code that exited: it goes on. */
	iretq
	int3
SYM_CODE_END(vmxhv_virt_exit)

/*
 * void vmxhv_virt_vmcall(unsigned long nr)
 * The virtualized kernel's request to its hypervisor (VMCALL, RAX = nr).
 * The exit handler may clobber the caller-saved registers, as a call does.
 */
SYM_FUNC_START(vmxhv_virt_vmcall)
	mov %rdi, %rax
	vmcall
	RET
SYM_FUNC_END(vmxhv_virt_vmcall)
