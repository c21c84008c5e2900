/*
 * Reads a qword at GPA 0x100000 into r8, then leaves 0xdeadbeef there and
 * dirties the top of RAM through the stack.  Launched twice, r8 must be 0
 * both times: every launch starts from zeroed RAM.
 */
	.code64
	mov 0x100000, %r8
	movl $0xdeadbeef, 0x100000
	push $0x1234
	hlt
