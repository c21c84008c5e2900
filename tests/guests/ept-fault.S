/* Read GPA 0x40000000: mapped by the guest page tables, not by EPT. */
	.code64
	mov $0x40000000, %eax
	mov (%rax), %rbx
	hlt
