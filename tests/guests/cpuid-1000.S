/*
 * 1000 CPUID exits, all from one instruction, then HLT: the guest of the
 * tracing tests (tests/vm/60-trace.sh, 61-bpftrace.sh), whose traces hold
 * exactly 1001 vmxhv:exit events.  Leaves for regs:
 *   r13 = guest RIP of the CPUID that exits 1000 times
 *   r14 = guest RIP of the HLT
 *   r15 = TSC ticks for the 1000 CPUIDs (one tick per emulated instruction
 *         in Bochs)
 */
	.code64
	lea cpuid_insn(%rip), %r13
	lea hlt_insn(%rip), %r14
	rdtsc
	shl $32, %rdx
	or %rax, %rdx
	mov %rdx, %r11
	mov $1000, %r12d
1:	xor %eax, %eax
cpuid_insn:
	cpuid
	dec %r12d
	jnz 1b
	rdtsc
	shl $32, %rdx
	or %rax, %rdx
	sub %r11, %rdx
	mov %rdx, %r15
hlt_insn:
	hlt
