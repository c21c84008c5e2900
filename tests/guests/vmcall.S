/*
 * Hypercalls: version (r8), putc 'V' (r9 = result), unknown number 999
 * (r10 = result, the documented error value).
 */
	.code64
	xor %eax, %eax
	vmcall
	mov %rax, %r8
	mov $1, %eax
	mov $'V', %ebx
	vmcall
	mov %rax, %r9
	mov $999, %eax
	vmcall
	mov %rax, %r10
	hlt
