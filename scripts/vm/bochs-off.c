// SPDX-License-Identifier: GPL-2.0
/*
 * bochs-off: switch the emulated machine off at once.
 *
 * Writing "Shutdown" byte by byte to I/O port 0x8900 ends Bochs immediately.  The
 * harness uses it instead of an ACPI power-off, which hung a 2-CPU 6.12 machine after
 * the tests were done.  Built static so it needs nothing in the initramfs.
 */
#include <stdio.h>
#include <sys/io.h>

int main(void)
{
	const char *p;

	if (ioperm(0x8900, 1, 1)) {
		perror("bochs-off: ioperm");
		return 1;
	}
	for (p = "Shutdown"; *p; p++)
		outb(*p, 0x8900);
	/* Still here: not running in Bochs. */
	fputs("bochs-off: port 0x8900 did not stop the machine\n", stderr);
	return 1;
}
