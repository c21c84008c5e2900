/* A two-instruction loop at 0x10000 and 0x10002. */
	.code64
1:	nop
	nop
	jmp 1b
