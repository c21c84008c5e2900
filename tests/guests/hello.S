/* Print "hello" on the console (port 0xE9) and halt. */
	.code64
	lea msg(%rip), %rsi
	mov $5, %ecx
	mov $0xe9, %dx
1:	lodsb
	out %al, %dx
	loop 1b
	hlt
msg:	.ascii "hello"
