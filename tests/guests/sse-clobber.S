/*
 * Vector registers across exits, both ways: load a guest pattern into
 * xmm0-15, run 50000 CPUID exits (a host task on the same CPU uses its
 * own pattern meanwhile), then check every register still holds the
 * guest's: r8 = 1 when all 16 are intact, 0 otherwise.
 */
	.code64
	movdqu pattern(%rip), %xmm0
	.irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	movdqa %xmm0, %xmm\r
	.endr
	mov $50000, %r12d
1:	xor %eax, %eax
	cpuid
	dec %r12d
	jnz 1b
	movdqu pattern(%rip), %xmm0
	.irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	pcmpeqb %xmm0, %xmm\r
	pand %xmm\r, %xmm1
	.endr
	pcmpeqb pattern(%rip), %xmm0
	pand %xmm0, %xmm1
	pmovmskb %xmm1, %eax
	xor %r8d, %r8d
	cmp $0xffff, %eax
	sete %r8b
	hlt
	.balign 16
pattern:
	.quad 0x4745535447455354, 0x0123456789abcdef
