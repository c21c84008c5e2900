/*
 * The host-owned bits of CR0 and CR4 as the guest sees them
 * (tests/vm/31-host-state.sh).  CR4.MCE starts clear in the guest's view
 * (the CPU has it set), the guest sets it; CR0.CD likewise.  Each MOV
 * exits once, goes to the read shadow and runs again.  Leaves:
 *   r8  = CR4 at the start      r9  = CR4 after setting MCE
 *   r10 = CR0 after setting CD  r11 = CR4 after clearing MCE again
 * CD stays set to the end: GUEST_CR0 then shows that the CPU never had it.
 */
	.code64
	mov %cr4, %rax
	mov %rax, %r8
	or $0x40, %rax			/* MCE */
	mov %rax, %cr4
	mov %cr4, %r9
	mov %cr0, %rax
	bts $30, %rax			/* CD */
	mov %rax, %cr0
	mov %cr0, %r10
	mov %cr4, %rax
	and $~0x40, %rax
	mov %rax, %cr4
	mov %cr4, %r11
	hlt
