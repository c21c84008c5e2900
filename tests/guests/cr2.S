/*
 * CR2 is the guest's own: 0 at the start (not the host's last page-fault
 * address), and what the guest wrote after many exits and slices, while
 * the host takes page faults of its own.  Leaves r8 = CR2 at the start,
 * r9 = CR2 after 20000 CPUID exits.
 */
	.code64
	mov %cr2, %r8
	mov $0x12345000, %rax
	mov %rax, %cr2
	mov $20000, %ecx
1:	mov %ecx, %r12d
	xor %eax, %eax
	cpuid
	mov %r12d, %ecx
	dec %ecx
	jnz 1b
	mov %cr2, %r9
	hlt
