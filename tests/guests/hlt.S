/* The tutorial's guest: one HLT. */
	.code64
	hlt
