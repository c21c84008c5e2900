/*
 * Bench: a loop of CPUID exits (leaf 0), then HLT.  16-bit real mode, position
 * independent: runs under vmxhv (`echo real > cpuN/mode`) and under kvm-run.
 * The loop count is the 32-bit word at image offset 4 (scripts patch it).
 * Results at HLT:
 *   EDI:ESI = TSC ticks for the loop (one tick per emulated instruction in Bochs)
 *   EBP     = 0 (the loop ran down); ECX = the count that was read
 *   EBX     = CPUID.0:EBX of the last iteration ("Genu" on Intel)
 * One iteration: xor, cpuid (the exit round trip), dec, jnz.
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
	cpuid
	dec %ebp
	jnz 1b
	mov %ebx, %ebp		/* keep CPUID's EBX over rdtsc */
	rdtsc
	sub %esi, %eax
	sbb %edi, %edx
	mov %eax, %esi
	mov %edx, %edi
	mov %ebp, %ebx
	xor %ebp, %ebp
	pop %ecx
	hlt
