/*
 * Bench: a loop of VMCALL exits with RAX = 0, then HLT.  16-bit real mode,
 * position independent (vmxhv real mode and kvm-run).  Loop count: the 32-bit
 * word at image offset 4.  vmxhv answers hypercall 0 (version) with 1; KVM
 * answers the unknown number 0 with -KVM_ENOSYS (0xfffffc18 in 32 bits):
 * both handle the call in the kernel.
 * Results at HLT:
 *   EDI:ESI = TSC ticks for the loop; ECX = the count; EBP = 0
 *   EBX     = EAX returned by the last VMCALL
 * One iteration: xor, vmcall (the exit round trip), dec, jnz.
 */
	.code16
	jmp start
	.balign 4
count:	.long 100000
start:	movl %cs:4, %ebp
	mov %ebp, %ecx
	push %ecx
	rdtsc
	mov %eax, %esi
	mov %edx, %edi
1:	xor %eax, %eax
	vmcall
	dec %ebp
	jnz 1b
	mov %eax, %ebx
	rdtsc
	sub %esi, %eax
	sbb %edi, %edx
	mov %eax, %esi
	mov %edx, %edi
	pop %ecx
	hlt
