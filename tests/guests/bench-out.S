/*
 * Bench: a loop of one-byte OUTs to port 0xE9 ('.'), then HLT.  16-bit real
 * mode, position independent (vmxhv real mode and kvm-run).  Loop count: the
 * 32-bit word at image offset 4.  vmxhv handles the OUT in the kernel (the
 * byte goes to `console`); KVM returns to user space (KVM_EXIT_IO) for it.
 * Results at HLT:
 *   EDI:ESI = TSC ticks for the loop; ECX = the count; EBP = 0
 *   EBX     = 0x2e (the byte written)
 * One iteration: out (the exit round trip), dec, jnz.
 */
	.code16
	jmp start
	.balign 4
count:	.long 100000
start:	movl %cs:4, %ebp
	mov %ebp, %ecx
	push %ecx
	mov $'.', %bl
	rdtsc
	mov %eax, %esi
	mov %edx, %edi
	mov %bl, %al
	mov $0xe9, %dx
1:	out %al, %dx
	dec %ebp
	jnz 1b
	rdtsc
	sub %esi, %eax
	sbb %edi, %edx
	mov %eax, %esi
	mov %edx, %edi
	movzbl %bl, %ebx
	pop %ecx
	hlt
