/*
 * Guest XSETBV with valid values, each read back with XGETBV after a
 * CPUID exit: XGETBV does not exit, so it shows the real XCR0, which the
 * module must load from the guest's value before every VM entry (not
 * just once after the XSETBV exit).  Leaves for regs:
 *   r8  = CPUID.1:ECX (XSAVE bit 26, OSXSAVE bit 27 from the guest's
 *         CR4, AVX bit 28)
 *   r9  = XCR0 at start (the host's)
 *   r10 = XCR0 after XSETBV 0x3 (x87 + SSE)
 *   r11 = XCR0 after XSETBV 0x7 (x87 + SSE + AVX; the host must have AVX)
 *   r12 = XCR0 after XSETBV 0x1 (x87 only)
 *   r13 = CPUID.(EAX=0xD,ECX=0):EBX while XCR0 = 0x3 (natively the size
 *         of the XSAVE area for the current XCR0: 576)
 *   r14 = XCR0 after 200000 more CPUID exits with XCR0 = 0x3: the guest
 *         halts with XCR0 = 0x3, so a host task on the same CPU meanwhile
 *         (and the host after the launch) would see it if it leaked
 *   r15 = CPUID.(EAX=0xD,ECX=0):EAX (XCR0 bits the CPU supports, low half)
 */
	.code64

/* XCR0 into REG, EDX:EAX joined. */
	.macro getxcr0 reg
	xor %ecx, %ecx
	xgetbv
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, \reg
	.endm

/* XSETBV VAL to XCR0, then one CPUID exit (and entry) before reading it. */
	.macro setxcr0 val
	mov $\val, %eax
	xor %edx, %edx
	xor %ecx, %ecx
	xsetbv
	xor %eax, %eax
	cpuid
	.endm

	mov $1, %eax
	xor %ecx, %ecx
	cpuid
	mov %rcx, %r8
	mov $0xd, %eax
	xor %ecx, %ecx
	cpuid
	mov %rax, %r15
	getxcr0 %r9

	setxcr0 0x3
	getxcr0 %r10
	mov $0xd, %eax
	xor %ecx, %ecx
	cpuid
	mov %rbx, %r13

	setxcr0 0x7
	getxcr0 %r11

	setxcr0 0x1
	getxcr0 %r12

	setxcr0 0x3
	mov $200000, %esi	/* not ebx: CPUID writes it */
1:	xor %eax, %eax
	cpuid
	dec %esi
	jnz 1b
	getxcr0 %r14
	hlt
