/*
 * Bench: a memory loop that causes no exits: 32-bit stores to every 64th byte
 * of the 64 KiB at GPA 0x20000 (ES = 0x2000), wrapping, then HLT.  16-bit real
 * mode, position independent (vmxhv real mode and kvm-run).  One untimed pass
 * over the 64 KiB first, so that a hypervisor that maps guest memory on first
 * touch (KVM) has every page mapped before the clock starts.  Loop count: the
 * 32-bit word at image offset 4.
 * Results at HLT:
 *   EDI:ESI = TSC ticks for the timed loop; ECX = the count; EBP = 0
 *   EBX     = the dword read back from 0x20000 (the last value stored there)
 * One iteration: mov, add, dec, jnz: 4 guest instructions; anything above 4 per
 * iteration is the hypervisor's share (timer interrupts and their exits).
 */
	.code16
	jmp start
	.balign 4
count:	.long 1000000
start:	mov $0x2000, %ax
	mov %ax, %es
	xor %bx, %bx
	mov $1024, %ebp
0:	movl %ebp, %es:(%bx)	/* warm-up pass: 1024 x 64 bytes */
	add $64, %bx
	dec %ebp
	jnz 0b
	movl %cs:4, %ebp
	mov %ebp, %ecx
	push %ecx
	xor %bx, %bx
	rdtsc
	mov %eax, %esi
	mov %edx, %edi
1:	movl %ebp, %es:(%bx)
	add $64, %bx
	dec %ebp
	jnz 1b
	rdtsc
	sub %esi, %eax
	sbb %edi, %edx
	mov %eax, %esi
	mov %edx, %edi
	movl %es:0, %ebx
	pop %ecx
	hlt
