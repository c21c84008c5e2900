// SPDX-License-Identifier: GPL-2.0
/*
 * cpuid-probe: CPUID from user space on one CPU, for the tests of a
 * virtualized CPU (tests/vm/36-virtualize.sh).
 *
 *   cpuid-probe CPU dump      every basic and extended leaf (subleaves
 *                             0-3), one "leaf.sub: eax ebx ecx edx" line each
 *   cpuid-probe CPU loop N    N executions of CPUID leaf 0
 *   cpuid-probe CPU msr MSR   read MSR through /dev/cpu/CPU/msr: the value,
 *                             or "error ERRNO-NAME"
 *   cpuid-probe CPU ticks N   TSC ticks per CPUID, over N of them (in Bochs a
 *                             tick is an instruction)
 *   cpuid-probe CPU work N    TSC ticks of a fixed workload: N getpid() calls
 *                             and N/10 one-byte round trips through a pipe
 *   cpuid-probe CPU wrmsr MSR VALUE
 *                             write it: "ok", or "error ERRNO-NAME"
 *   cpuid-probe CPU step      single-step (RFLAGS.TF) through CPUID and
 *                             a few other instructions: the offsets of
 *                             the SIGTRAPs from the start, one per line
 *   cpuid-probe CPU ins INDEX N
 *                             CMOS register INDEX: OUT to port 0x70, then
 *                             REP INSB of N bytes from port 0x71, in hex
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/io.h>
#include <ucontext.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		exit(2);
	}
}

static void dump_range(unsigned int base)
{
	unsigned int a, b, c, d, max, leaf, sub;

	__cpuid_count(base, 0, max, b, c, d);
	for (leaf = base; leaf <= max && leaf < base + 0x40; leaf++) {
		for (sub = 0; sub < 4; sub++) {
			__cpuid_count(leaf, sub, a, b, c, d);
			printf("%08x.%u: %08x %08x %08x %08x\n", leaf, sub, a, b, c, d);
		}
	}
}

static int msr(int cpu, const char *arg, const char *write)
{
	char path[64];
	uint64_t val = write ? strtoull(write, NULL, 0) : 0;
	off_t off = strtoul(arg, NULL, 0);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/dev/cpu/%d/msr", cpu);
	fd = open(path, write ? O_WRONLY : O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 2;
	}
	n = write ? pwrite(fd, &val, sizeof(val), off) : pread(fd, &val, sizeof(val), off);
	if (n != sizeof(val))
		printf("error %s\n", errno == EIO ? "EIO" : strerror(errno));
	else if (write)
		printf("ok\n");
	else
		printf("0x%llx\n", (unsigned long long)val);
	close(fd);
	return 0;
}

static unsigned long long work(long n)
{
	unsigned long long t0;
	int p[2];
	char c = 0;
	long i;

	if (pipe(p)) {
		perror("pipe");
		exit(2);
	}
	t0 = __rdtsc();
	for (i = 0; i < n; i++)
		syscall(SYS_getpid);
	for (i = 0; i < n / 10; i++)
		if (write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1)
			exit(2);
	return __rdtsc() - t0;
}

/* The single-stepped code: the trap after each instruction, TF set to clear. */
extern const char step_start[], step_end[];
static unsigned long traps[16];
static int ntraps;

static void on_trap(int sig, siginfo_t *si, void *uc)
{
	unsigned long rip = ((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];

	(void)sig;
	(void)si;
	if (ntraps < 16)
		traps[ntraps++] = rip - (unsigned long)step_start;
}

static int step(void)
{
	struct sigaction sa = { .sa_sigaction = on_trap, .sa_flags = SA_SIGINFO };
	int i;

	sigaction(SIGTRAP, &sa, NULL);
	asm volatile("pushf\n\torq $0x100, (%%rsp)\n\tpopf\n"
		     "step_start:\n\t"
		     "xor %%eax, %%eax\n\tcpuid\n\tnop\n\tcpuid\n\t"
		     "pushf\n\tandq $~0x100, (%%rsp)\n\tpopf\n"
		     "step_end:\n"
		     : : : "rax", "rbx", "rcx", "rdx", "memory", "cc");
	for (i = 0; i < ntraps; i++)
		printf("%lu\n", traps[i]);
	return 0;
}

static int ins(const char *index, const char *count)
{
	unsigned char buf[256];
	long n = strtol(count, NULL, 0), i;
	unsigned char *p = buf;

	if (n < 1 || n > (long)sizeof(buf) || ioperm(0x70, 2, 1)) {
		perror("ioperm");
		return 2;
	}
	memset(buf, 0xee, sizeof(buf));
	outb(strtol(index, NULL, 0), 0x70);
	asm volatile("rep insb" : "+D" (p), "+c" (n) : "d" (0x71) : "memory");
	for (i = 0; i < p - buf; i++)
		printf("%02x", buf[i]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int a, b, c, d;
	long i, n;
	int cpu;

	if (argc < 3) {
		fprintf(stderr, "usage: cpuid-probe CPU dump | loop N | msr MSR | wrmsr MSR VALUE\n");
		return 2;
	}
	cpu = atoi(argv[1]);
	pin(cpu);
	if (!strcmp(argv[2], "dump")) {
		dump_range(0);
		dump_range(0x80000000u);
		return 0;
	}
	if (!strcmp(argv[2], "loop") && argc == 4) {
		n = strtol(argv[3], NULL, 0);
		for (i = 0; i < n; i++)
			__cpuid_count(0, 0, a, b, c, d);
		printf("%ld\n", n);
		return 0;
	}
	if (!strcmp(argv[2], "ticks") && argc == 4) {
		unsigned long long t0;

		n = strtol(argv[3], NULL, 0);
		t0 = __rdtsc();
		for (i = 0; i < n; i++)
			__cpuid_count(0, 0, a, b, c, d);
		printf("%.1f\n", (double)(__rdtsc() - t0) / n);
		return 0;
	}
	if (!strcmp(argv[2], "work") && argc == 4) {
		printf("%llu\n", work(strtol(argv[3], NULL, 0)));
		return 0;
	}
	if (!strcmp(argv[2], "msr") && argc == 4)
		return msr(cpu, argv[3], NULL);
	if (!strcmp(argv[2], "step"))
		return step();
	if (!strcmp(argv[2], "ins") && argc == 5)
		return ins(argv[3], argv[4]);
	if (!strcmp(argv[2], "wrmsr") && argc == 5)
		return msr(cpu, argv[3], argv[4]);
	fprintf(stderr, "cpuid-probe: unknown command %s\n", argv[2]);
	return 2;
}
