/* RDMSR of an MSR the module does not emulate: #GP. */
	.code64
	mov $0x1b, %ecx		/* IA32_APIC_BASE */
	rdmsr
	hlt
