/*
 * AVX registers across exits, both ways, all 256 bits (sse-clobber.S
 * checks xmm only; an FXSAVE-only switch would keep xmm and lose the
 * upper halves).  First store ymm0-15 as the launch found them: a launch
 * starts in the XSAVE init state, so all must be zero, whatever the host
 * task on this CPU (fpcheck -y) holds in its own.  Then load a different
 * 32-byte pattern into each register (the two halves differ too), run
 * 50000 CPUID exits (the host task runs between slices meanwhile) and
 * check every register still holds its own.  Needs XCR0 with AVX (the
 * guest starts with the host's).  Leaves for regs:
 *   r8 = mask of ymm registers intact after the exits (0xffff: all)
 *   r9 = mask of ymm registers that were zero at start (0xffff: all)
 */
	.code64
	call store
	lea zeros(%rip), %rdi
	call compare
	mov %rax, %r9

	.irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vmovdqu pattern+32*\r(%rip), %ymm\r
	.endr
	mov $50000, %r12d
1:	xor %eax, %eax
	cpuid
	dec %r12d
	jnz 1b
	call store
	lea pattern(%rip), %rdi
	call compare
	mov %rax, %r8
	hlt

/* ymm0-15 to buf, 32 bytes each. */
store:
	.irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vmovdqu %ymm\r, buf+32*\r(%rip)
	.endr
	ret

/* rax = mask of the 16 32-byte slots of buf equal to those at rdi. */
compare:
	xor %eax, %eax
	xor %edx, %edx
2:	mov %rdx, %rcx
	shl $5, %rcx
	lea buf(%rip), %rsi
	add %rcx, %rsi
	push %rdi
	add %rcx, %rdi
	mov $32, %ecx
	repe cmpsb
	pop %rdi
	jne 3f
	bts %edx, %eax
3:	inc %edx
	cmp $16, %edx
	jb 2b
	ret

	.balign 32
/* Register r, byte j: 0xc3 ^ r << 4 ^ j. */
pattern:
	.irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.set j, 0
	.rept 32
	.byte (0xc3 ^ (\r << 4) ^ j) & 0xff
	.set j, j + 1
	.endr
	.endr
zeros:
	.skip 512
buf:
	.skip 512
