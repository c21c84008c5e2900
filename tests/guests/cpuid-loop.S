/*
 * 100000 CPUID exits, then HLT.  Leaves for regs:
 *   r8  = CPUID.1:ECX (VMX bit 5 clear, hypervisor bit 31 set)
 *   r9, r10, r11 = CPUID.0x40000000 EBX, ECX, EDX ("vmxhv" + zeros)
 *   r15 = TSC ticks for the loop (one tick per emulated instruction in Bochs)
 */
	.code64
	mov $1, %eax
	xor %ecx, %ecx
	cpuid
	mov %rcx, %r8
	mov $0x40000000, %eax
	cpuid
	mov %rbx, %r9
	mov %rcx, %r10
	mov %rdx, %r11
	rdtsc
	shl $32, %rdx
	or %rax, %rdx
	mov %rdx, %r14
	mov $99998, %r12d	/* two CPUIDs above: 100000 in all */
1:	xor %eax, %eax
	cpuid
	dec %r12d
	jnz 1b
	rdtsc
	shl $32, %rdx
	or %rax, %rdx
	sub %r14, %rdx
	mov %rdx, %r15
	hlt
