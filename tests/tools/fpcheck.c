// SPDX-License-Identifier: GPL-2.0
/*
 * fpcheck SECONDS: load a pattern into xmm0-15, then for SECONDS keep
 * yielding the CPU and checking that the registers still hold it.  A
 * guest on the same CPU that clobbers its vector registers must never
 * show through.  Prints "ok <checks>" or "CORRUPT <reg>" (exit 1).
 * Pin it with taskset.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SET(n)	"movdqu %[p], %%xmm" #n "\n\t"
#define CHK(n)	"movdqu %%xmm" #n ", %%xmm0\n\t" \
		"pcmpeqb %[p], %%xmm0\n\t" "pmovmskb %%xmm0, %%eax\n\t" \
		"cmp $0xffff, %%eax\n\t" "jne 1f\n\t" "inc %[ok]\n\t"

int main(int argc, char **argv)
{
	unsigned char pat[16] __attribute__((aligned(16)));
	int secs = argc > 1 ? atoi(argv[1]) : 5, i, good;
	unsigned long checks = 0;
	time_t end = time(NULL) + secs;

	for (i = 0; i < 16; i++)
		pat[i] = 0xa5 ^ i;
	while (time(NULL) < end) {
		good = 0;
		/* xmm1..15 hold the pattern across the yield; xmm0 is scratch. */
		asm volatile(SET(1) SET(2) SET(3) SET(4) SET(5) SET(6) SET(7)
			     SET(8) SET(9) SET(10) SET(11) SET(12) SET(13)
			     SET(14) SET(15)
			     :: [p] "m" (pat) : "memory");
		for (i = 0; i < 50; i++)
			sched_yield();
		asm volatile(CHK(1) CHK(2) CHK(3) CHK(4) CHK(5) CHK(6) CHK(7)
			     CHK(8) CHK(9) CHK(10) CHK(11) CHK(12) CHK(13)
			     CHK(14) CHK(15) "1:\n\t"
			     : [ok] "+r" (good) : [p] "m" (pat)
			     : "eax", "xmm0", "memory", "cc");
		if (good != 15) {
			printf("CORRUPT xmm%d\n", good + 1);
			return 1;
		}
		checks++;
	}
	printf("ok %lu\n", checks);
	return 0;
}
