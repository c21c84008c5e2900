// SPDX-License-Identifier: GPL-2.0
/*
 * tsc-launch CPU [N]: N launches (default 1) of vmxhv's guest on CPU, each
 * timed with the TSC around the write() of "1" to cpuN/launch.  In Bochs one
 * TSC tick is one emulated instruction, so this counts the host instructions
 * of a whole launch (Documentation/bench.md).  One line per launch:
 *   launch=I result=OK|ERRNO ticks=N
 * Exit status 0 when every launch succeeded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return (uint64_t)hi << 32 | lo;
}

int main(int argc, char **argv)
{
	int i, n = argc > 2 ? atoi(argv[2]) : 1, failed = 0;
	char path[128];

	if (argc < 2 || argc > 3 || n < 1) {
		fprintf(stderr, "usage: %s CPU [N]\n", argv[0]);
		return 2;
	}
	snprintf(path, sizeof(path), "/sys/kernel/debug/vmxhv/cpu%s/launch", argv[1]);
	for (i = 1; i <= n; i++) {
		uint64_t t0, t1;
		ssize_t r;
		int fd = open(path, O_WRONLY);

		if (fd < 0) {
			printf("launch=%d result=%s ticks=0\n", i, strerror(errno));
			return 1;
		}
		t0 = rdtsc();
		r = write(fd, "1", 1);
		t1 = rdtsc();
		printf("launch=%d result=%s ticks=%llu\n", i,
		       r == 1 ? "OK" : strerror(errno), (unsigned long long)(t1 - t0));
		failed += r != 1;
		close(fd);
	}
	return failed ? 1 : 0;
}
