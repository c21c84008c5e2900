// SPDX-License-Identifier: GPL-2.0
/*
 * ldt-launch CPU: a process with an LDT launches a guest on its own CPU
 * and then loads a selector from that LDT.  While it waits, the CPU runs
 * vmxhv's runner thread on this process's address space (a kernel thread
 * borrows the last one), and every VM exit loads a null LDTR; switching
 * back to this process reloads nothing, so vmxhv must.  Prints
 * "LDT OK", or dies by SIGSEGV ("LDT lost") when the LDT is gone.
 */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LDT_SEL 0x7		/* index 0, table indicator LDT, RPL 3 */

static void on_segv(int sig)
{
	static const char msg[] = "LDT lost: loading an LDT selector faulted\n";

	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

static void load_es(void)
{
	unsigned short sel = LDT_SEL;

	asm volatile("mov %0, %%es" :: "rm" (sel));
}

int main(int argc, char **argv)
{
	struct user_desc d = {
		.entry_number = 0, .base_addr = 0, .limit = 0xfffff,
		.seg_32bit = 1, .limit_in_pages = 1, .useable = 1,
	};
	char path[128];
	cpu_set_t set;
	int cpu, fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CPU\n", argv[0]);
		return 2;
	}
	cpu = atoi(argv[1]);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) ||
	    syscall(SYS_modify_ldt, 1, &d, sizeof(d))) {
		perror("ldt-launch: setup");
		return 2;
	}
	signal(SIGSEGV, on_segv);
	load_es();
	snprintf(path, sizeof(path), "/sys/kernel/debug/vmxhv/cpu%d/launch", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, "1", 1) != 1) {
		perror("ldt-launch: launch");
		return 2;
	}
	close(fd);
	load_es();
	printf("LDT OK\n");
	return 0;
}
