/* An invalid opcode: #UD. */
	.code64
	ud2
