/* A two-instruction loop: 0x10000 (nop) and 0x10001 (jmp). */
	.code64
1:	nop
	jmp 1b
