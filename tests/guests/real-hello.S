/* 16-bit real mode, CS = DS = 0x1000: print "real" and halt. */
	.code16
	mov $msg, %si
	mov $4, %cx
	mov $0xe9, %dx
1:	lodsb
	out %al, %dx
	loop 1b
	hlt
msg:	.ascii "real"
