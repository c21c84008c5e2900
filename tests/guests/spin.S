/* A runaway guest: interrupts off, spin forever. */
	.code64
	cli
1:	jmp 1b
