/* 32-bit protected mode, paging off: print "prot" and halt. */
	.code32
	mov $msg, %esi
	mov $4, %ecx
	mov $0xe9, %dx
1:	lodsb
	out %al, %dx
	loop 1b
	hlt
msg:	.ascii "prot"
