/*
 * STI, then an instruction that exits (CPUID) inside STI's one-instruction
 * interrupt shadow.  Once the exit handler steps over CPUID the shadow is
 * over: at the HLT exit GUEST_INTERRUPTIBILITY_INFO must read 0.
 */
	.code64
	sti
	cpuid
	hlt
