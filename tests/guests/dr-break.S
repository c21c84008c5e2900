/*
 * An instruction breakpoint the guest sets on its own code: DR0 = the
 * address of `target`, DR7.L0 on.  It must fire there (a #DB exit, the
 * guest stopping as a fault with vector 1 at `target`), not at whatever
 * the host's DR0 holds.  r13 = the address of target.
 */
	.code64
	lea target(%rip), %rax
	mov %rax, %r13
	mov %rax, %db0
	mov $0x401, %rax		/* L0, execute, one byte */
	mov %rax, %db7
	nop
target:
	nop
	hlt
