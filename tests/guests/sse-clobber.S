/*
 * Fill every vector register with a guest pattern, then loop over
 * CPUID exits (each exit returns to a host that must keep its own FPU
 * state apart).  200000 exits.
 */
	.code64
	mov $0x4745535447455354, %rax	/* "TSEGTSEG" */
	movq %rax, %xmm0
	punpcklqdq %xmm0, %xmm0
	.irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	movdqa %xmm0, %xmm\r
	.endr
	mov $200000, %r12d
1:	xor %eax, %eax
	cpuid
	.irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	pxor %xmm\r, %xmm\r
	.endr
	dec %r12d
	jnz 1b
	hlt
