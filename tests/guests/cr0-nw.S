/* CR0.NW without CD: #GP, although the CPU never sees the bits. */
	.code64
	mov %cr0, %rax
	bts $29, %rax
	mov %rax, %cr0
	hlt
