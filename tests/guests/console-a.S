/* abi/issue example: 'A' on the console, HLT at 0x10004. */
	.code64
	mov $'A', %al
	out %al, $0xe9
	hlt
