// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the exit-reason names (src/lib/exit_reasons.c). */
#include "ktest.h"
#include "vmxhv/exit_reasons.h"

/*
 * The list as __print_symbolic() sees it: struct trace_print_flags is
 * { unsigned long mask; const char *name; }, terminated by { -1, NULL }.
 */
struct print_flags {
	unsigned long mask;
	const char *name;
};

static const struct print_flags symbolic[] = {
	VMXHV_EXIT_REASONS, { -1, NULL }
};

static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	}
	return true;
}

static void test_list(void)
{
	unsigned int i, j, unsorted = 0, bad_name = 0, dup = 0, bad = 0;

	KTEST_EQ(ARRAY_SIZE(symbolic) - 1, vmxhv_nr_exit_reasons,
		 "array and list macro agree");
	KTEST(vmxhv_nr_exit_reasons >= 75, "at least 75 reasons (%u)",
	      vmxhv_nr_exit_reasons);
	KTEST_EQ(vmxhv_exit_reasons[vmxhv_nr_exit_reasons - 1].value,
		 VMXHV_EXIT_MAX, "VMXHV_EXIT_MAX is the last entry");

	for (i = 0; i < vmxhv_nr_exit_reasons; i++) {
		const struct vmxhv_exit_reason *r = &vmxhv_exit_reasons[i];

		if (i && vmxhv_exit_reasons[i - 1].value >= r->value) {
			unsorted++;
			ktest_diag("%s not after %s", r->name,
				   vmxhv_exit_reasons[i - 1].name);
		}
		if (!name_ok(r->name)) {
			bad_name++;
			ktest_diag("bad name \"%s\"", r->name);
		}
		for (j = i + 1; j < vmxhv_nr_exit_reasons; j++) {
			if (!strcmp(r->name, vmxhv_exit_reasons[j].name)) {
				dup++;
				ktest_diag("duplicate %s", r->name);
			}
		}
		if (vmxhv_exit_reason_name(r->value) != r->name ||
		    symbolic[i].mask != r->value ||
		    strcmp(symbolic[i].name, r->name)) {
			bad++;
			ktest_diag("lookup of %u (%s) fails", r->value,
				   r->name);
		}
	}
	KTEST_EQ(unsorted, 0, "values strictly ascending");
	KTEST_EQ(bad_name, 0, "names match [A-Z0-9_]+");
	KTEST_EQ(dup, 0, "names unique");
	KTEST_EQ(bad, 0, "every listed value looks up to its name");
}

static void test_samples(void)
{
	static const struct vmxhv_exit_reason want[] = {
		{ 0, "EXCEPTION_NMI" },
		{ 1, "EXTERNAL_INTERRUPT" },
		{ 2, "TRIPLE_FAULT" },
		{ 10, "CPUID" },
		{ 12, "HLT" },
		{ 18, "VMCALL" },
		{ 28, "CR_ACCESS" },
		{ 30, "IO_INSTRUCTION" },
		{ 31, "MSR_READ" },
		{ 32, "MSR_WRITE" },
		{ 33, "INVALID_STATE" },
		{ 34, "MSR_LOAD_FAIL" },
		{ 41, "MCE_DURING_VMENTRY" },
		{ 48, "EPT_VIOLATION" },
		{ 49, "EPT_MISCONFIG" },
		{ 52, "PREEMPTION_TIMER" },
		{ 62, "PML_FULL" },
		{ 75, "NOTIFY" },
		{ 77, "TDCALL" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(want); i++)
		KTEST_STR_EQ(vmxhv_exit_reason_name(want[i].value),
			     want[i].name, "name of reason %u", want[i].value);
	KTEST_EQ(VMXHV_EXIT_HLT, 12, "VMXHV_EXIT_HLT");
	KTEST_EQ(VMXHV_EXIT_EPT_VIOLATION, 48, "VMXHV_EXIT_EPT_VIOLATION");
}

static void test_unknown(void)
{
	static const u32 unknown[] = {
		35, 38, 42, 71, 82, 83, VMXHV_EXIT_MAX + 1, 0xffff, 0x10000,
		VMXHV_EXIT_REASON_FAILED_VMENTRY | VMXHV_EXIT_INVALID_STATE,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(unknown); i++)
		KTEST_STR_EQ(vmxhv_exit_reason_name(unknown[i]), NULL,
			     "reason %#x has no name", unknown[i]);
	KTEST_EQ(VMXHV_EXIT_REASON_BASIC_MASK &
		 (VMXHV_EXIT_REASON_FAILED_VMENTRY | 33), 33,
		 "basic-reason mask");
}

int main(void)
{
	ktest_start("exit_reasons");
	test_list();
	test_samples();
	test_unknown();
	return ktest_finish();
}
