// SPDX-License-Identifier: GPL-2.0
/*
 * fpcheck SECONDS: load a pattern into xmm0-15, then for SECONDS keep
 * yielding the CPU and checking that the registers still hold it.  A
 * guest on the same CPU that clobbers its vector registers must never
 * show through.  Prints "ok <checks>" or "CORRUPT <reg>" (exit 1).
 *
 * fpcheck -y SECONDS: the same with all 256 bits of ymm0-15 (AVX), a
 * different pattern in each register and each half, and XCR0 read back
 * every round: a guest's XCR0 or upper ymm halves must not reach the
 * host either.  Prints "ok <checks> xcr0 0x<xcr0>", "CORRUPT ymm<n>
 * <got>" or "XCR0 0x<now> (was 0x<start>)" (exit 1).
 *
 * fpcheck -x: print the CPU's XCR0 as "xcr0 0x<xcr0>" (exit 2 when the
 * kernel has XSAVE off: CR4.OSXSAVE clear, XGETBV would be #UD).
 *
 * Pin it with taskset.
 */
#include <cpuid.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SET(n)	"movdqu %[p], %%xmm" #n "\n\t"
#define CHK(n)	"movdqu %%xmm" #n ", %%xmm0\n\t" \
		"pcmpeqb %[p], %%xmm0\n\t" "pmovmskb %%xmm0, %%eax\n\t" \
		"cmp $0xffff, %%eax\n\t" "jne 1f\n\t" "inc %[ok]\n\t"

#define YSET(n)	"vmovdqu 32*" #n "(%[in]), %%ymm" #n "\n\t"
#define YGET(n)	"vmovdqu %%ymm" #n ", 32*" #n "(%[out])\n\t"
#define R16(m)	m(0) m(1) m(2) m(3) m(4) m(5) m(6) m(7) \
		m(8) m(9) m(10) m(11) m(12) m(13) m(14) m(15)

/* CR4.OSXSAVE as CPUID.1:ECX[27] shows it: XGETBV works only then. */
static int osxsave(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE);
}

static unsigned long long xcr0(void)
{
	unsigned int lo, hi;

	asm volatile("xgetbv" : "=a" (lo), "=d" (hi) : "c" (0));
	return (unsigned long long)hi << 32 | lo;
}

static int check_xmm(int secs)
{
	unsigned char pat[16] __attribute__((aligned(16)));
	unsigned long checks = 0;
	time_t end = time(NULL) + secs;
	int i, good;

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

static int check_ymm(int secs)
{
	unsigned char in[16][32], out[16][32];
	unsigned long long x0 = xcr0(), x;
	unsigned long checks = 0;
	time_t end = time(NULL) + secs;
	int i, j;

	/* Every byte differs between registers and between the two halves. */
	for (i = 0; i < 16; i++)
		for (j = 0; j < 32; j++)
			in[i][j] = 0x5a ^ (i << 4) ^ j;
	while (time(NULL) < end) {
		memset(out, 0, sizeof(out));
		/*
		 * One asm statement from load to store, the yields made with a
		 * raw syscall: no compiler or libc code (a vzeroupper in a
		 * library function, say) runs between them.  The syscall
		 * clobbers only rax, rcx and r11.
		 */
		asm volatile(R16(YSET)
			     "mov $50, %%edx\n\t"
			     "2: mov $24, %%eax\n\t"	/* __NR_sched_yield */
			     "syscall\n\t"
			     "dec %%edx\n\t"
			     "jnz 2b\n\t"
			     R16(YGET)
			     "vzeroupper\n\t"
			     :: [in] "r" (in), [out] "r" (out)
			     : "rax", "rcx", "rdx", "r11", "memory", "cc",
			       "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
			       "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
			       "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
		for (i = 0; i < 16; i++) {
			if (memcmp(in[i], out[i], 32)) {
				printf("CORRUPT ymm%d ", i);
				for (j = 31; j >= 0; j--)
					printf("%02x", out[i][j]);
				printf("\n");
				return 1;
			}
		}
		x = xcr0();
		if (x != x0) {
			printf("XCR0 0x%llx (was 0x%llx)\n", x, x0);
			return 1;
		}
		checks++;
	}
	printf("ok %lu xcr0 0x%llx\n", checks, x0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "-x")) {
		if (!osxsave()) {
			printf("no XSAVE (CR4.OSXSAVE clear)\n");
			return 2;
		}
		printf("xcr0 0x%llx\n", xcr0());
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "-y")) {
		if (!osxsave() || !__builtin_cpu_supports("avx")) {
			printf("no AVX\n");
			return 2;
		}
		return check_ymm(argc > 2 ? atoi(argv[2]) : 5);
	}
	return check_xmm(argc > 1 ? atoi(argv[1]) : 5);
}
