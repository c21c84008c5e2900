/*
 * One XSETBV with the operands in the parameter block at offset 8, which
 * tests/vm/35-xsave.sh patches per case (this file's own values, XCR0 =
 * 0x7 with ECX = 0, are a valid write on an AVX host).  The XSETBV sits
 * at offset 0x40 (GPA 0x10040), so a refused value shows as a fault at
 * exactly that RIP: #GP is a fault, the instruction does not retire.
 * After it, one AVX instruction: it is #UD unless the XCR0 the guest
 * runs with really has AVX, so a value without AVX that the module
 * accepted but did not load shows up.  Leaves for regs:
 *   r8 = 1 at the XSETBV, 3 at the AVX instruction, 4 after it
 *   r9 = XCR0 after the XSETBV (XGETBV)
 */
	.code64
	jmp 1f
	.org 8
xcr0_value:			/* offset 8: EDX:EAX */
	.quad 0x7
xcr_index:			/* offset 16: ECX */
	.long 0
1:	mov xcr0_value(%rip), %eax
	mov xcr0_value+4(%rip), %edx
	mov xcr_index(%rip), %ecx
	mov $1, %r8d
	.org 0x40, 0x90		/* NOPs up to the XSETBV */
	xsetbv
	xor %ecx, %ecx
	xgetbv
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, %r9
	mov $3, %r8d
	vxorps %ymm0, %ymm0, %ymm0
	mov $4, %r8d
	hlt
