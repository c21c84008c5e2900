/*
 * Ports that would reset a real PC: keyboard controller 0x64 <- 0xFE and
 * 0xCF9 <- 0x0E.  They must be dropped.  IN from 0x60 must read all ones:
 * r8 = AL after IN.
 */
	.code64
	mov $0xfe, %al
	out %al, $0x64
	mov $0x0e, %al
	mov $0xcf9, %dx
	out %al, %dx
	xor %eax, %eax
	in $0x60, %al
	movzx %al, %r8
	hlt
