/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny KTAP-style test harness for the user-space unit tests of the pure
 * files (src/lib/). Each check prints one "ok N name" or "not ok N name"
 * line, failures add "# ..." diagnostic lines, and ktest_finish() prints
 * the plan and the summary line "unit: N passed, N failed" that
 * tests/unit/Makefile adds up.
 *
 *	int main(void)
 *	{
 *		ktest_start("example");
 *		KTEST(1 + 1 == 2, "addition");
 *		KTEST_EQ(vmxhv_field_bits(VF_GUEST_RIP), 64, "GUEST_RIP bits");
 *		KTEST_STR_EQ(vmxhv_exit_reason_name(12), "HLT", "name of 12");
 *		return ktest_finish();
 *	}
 */
#ifndef VMXHV_KTEST_H
#define VMXHV_KTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The Makefile defines the kernel's __printf(); without it, no checking. */
#ifndef __printf
#define __printf(...)
#endif

static unsigned int ktest_passed, ktest_failed;

static inline void ktest_start(const char *suite)
{
	/* Line-buffered, so results before a sanitizer abort are seen. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n# suite: %s\n", suite);
}

/* Diagnostic line, shown under the result it explains. */
static inline void __printf(1, 2) ktest_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

/* Record one result; returns ok so callers can add diagnostics. */
static inline bool __printf(2, 3) ktest_result(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		ktest_passed++;
	else
		ktest_failed++;
	printf("%sok %u ", ok ? "" : "not ", ktest_passed + ktest_failed);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	return ok;
}

/* Print the plan and the summary; the exit status of the test binary. */
static inline int ktest_finish(void)
{
	printf("1..%u\n", ktest_passed + ktest_failed);
	printf("unit: %u passed, %u failed\n", ktest_passed, ktest_failed);
	fflush(stdout);
	return ktest_failed ? 1 : 0;
}

#define KTEST(cond, ...)						\
	do {								\
		if (!ktest_result(!!(cond), __VA_ARGS__))		\
			ktest_diag("%s:%d: %s", __FILE__, __LINE__,	\
				   #cond);				\
	} while (0)

#define KTEST_EQ(got, want, ...)					\
	do {								\
		unsigned long long __g = (got), __w = (want);		\
		if (!ktest_result(__g == __w, __VA_ARGS__))		\
			ktest_diag("%s:%d: %s = %#llx, want %#llx",	\
				   __FILE__, __LINE__, #got, __g, __w);	\
	} while (0)

/* Both strings may be NULL: NULL only equals NULL. */
#define KTEST_STR_EQ(got, want, ...)					\
	do {								\
		const char *__g = (got), *__w = (want);			\
		bool __ok = (!__g && !__w) ||				\
			    (__g && __w && !strcmp(__g, __w));		\
		if (!ktest_result(__ok, __VA_ARGS__))			\
			ktest_diag("%s:%d: %s = \"%s\", want \"%s\"",	\
				   __FILE__, __LINE__, #got,		\
				   __g ? __g : "(null)",		\
				   __w ? __w : "(null)");		\
	} while (0)

#endif /* VMXHV_KTEST_H */
