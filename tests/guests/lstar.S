/*
 * RDMSR IA32_LSTAR (r8 = what the guest sees), WRMSR it to 0xdead0000,
 * read back (r9).  Neither may touch the host's LSTAR.
 */
	.code64
	mov $0xc0000082, %ecx
	rdmsr
	shl $32, %rdx
	or %rax, %rdx
	mov %rdx, %r8
	mov $0xdead0000, %eax
	xor %edx, %edx
	mov $0xc0000082, %ecx
	wrmsr
	rdmsr
	shl $32, %rdx
	or %rax, %rdx
	mov %rdx, %r9
	hlt
