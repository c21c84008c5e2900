// SPDX-License-Identifier: GPL-2.0
/* Unit tests of VM-instruction error texts and exception names. */
#include "ktest.h"
#include "vmxhv/vm_errors.h"

static void test_vm_errors(void)
{
	/* The numbers the SDM defines; the others have no text. */
	static const u32 known[] = {
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
		15, 16, 17, 18, 19, 20, 22, 23, 24, 25, 26, 28,
	};
	unsigned int i, n = 0, missing = 0, extra = 0;

	for (i = 0; i < 64; i++) {
		const char *text = vmxhv_vm_error_text(i);
		bool want = n < ARRAY_SIZE(known) && known[n] == i;

		if (want)
			n++;
		if (want && (!text || !*text)) {
			missing++;
			ktest_diag("no text for error %u", i);
		} else if (!want && text) {
			extra++;
			ktest_diag("unexpected text for error %u: %s", i, text);
		}
	}
	KTEST_EQ(missing, 0, "every SDM error number has a text");
	KTEST_EQ(extra, 0, "unused numbers 0, 14, 21, 27, 29+ have none");
	KTEST_STR_EQ(vmxhv_vm_error_text(0xffffffffu), NULL,
		     "huge number has no text");

	KTEST_STR_EQ(vmxhv_vm_error_text(VMXHV_VMERR_VMLAUNCH_NONCLEAR),
		     "VMLAUNCH with non-clear VMCS", "error 4");
	KTEST_STR_EQ(vmxhv_vm_error_text(7),
		     "VM entry with invalid control field(s)", "error 7");
	KTEST_STR_EQ(vmxhv_vm_error_text(8),
		     "VM entry with invalid host-state field(s)", "error 8");
	KTEST_STR_EQ(vmxhv_vm_error_text(12),
		     "VMREAD/VMWRITE from/to unsupported VMCS component",
		     "error 12");
	KTEST_STR_EQ(vmxhv_vm_error_text(13),
		     "VMWRITE to read-only VMCS component", "error 13");
	KTEST_STR_EQ(vmxhv_vm_error_text(26),
		     "VM entry with events blocked by MOV SS", "error 26");
	KTEST_STR_EQ(vmxhv_vm_error_text(28),
		     "Invalid operand to INVEPT/INVVPID", "error 28");
	KTEST_EQ(VMXHV_VMERR_MAX, 28, "highest error number");
}

static void test_exceptions(void)
{
	static const char * const want[32] = {
		"DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM",
		"DF", NULL, "TS", "NP", "SS", "GP", "PF", NULL,
		"MF", "AC", "MC", "XM", "VE", "CP",
	};
	static const u32 with_code[] = { 8, 10, 11, 12, 13, 14, 17, 21 };
	unsigned int i, n = 0, bad_name = 0, bad_code = 0;

	for (i = 0; i < 300; i++) {
		const char *got = vmxhv_exception_name(i);
		const char *exp = i < 32 ? want[i] : NULL;
		bool code = n < ARRAY_SIZE(with_code) && with_code[n] == i;

		if (code)
			n++;
		if ((!got != !exp) || (got && strcmp(got, exp))) {
			bad_name++;
			ktest_diag("vector %u: \"%s\"", i, got ? got : "(null)");
		}
		if (vmxhv_exception_has_error_code(i) != code) {
			bad_code++;
			ktest_diag("vector %u: error code %d", i, !code);
		}
	}
	KTEST_EQ(bad_name, 0, "exception names for vectors 0..299");
	KTEST_EQ(bad_code, 0, "error code exactly for DF TS NP SS GP PF AC CP");
	KTEST_STR_EQ(vmxhv_exception_name(VMXHV_EXC_UD), "UD", "#UD");
	KTEST_STR_EQ(vmxhv_exception_name(VMXHV_EXC_GP), "GP", "#GP");
	KTEST(vmxhv_exception_has_error_code(VMXHV_EXC_PF), "#PF has a code");
	KTEST(!vmxhv_exception_has_error_code(VMXHV_EXC_UD), "#UD has none");
	KTEST(!vmxhv_exception_has_error_code(0xffffffffu), "huge vector");
}

int main(void)
{
	ktest_start("vm_errors");
	test_vm_errors();
	test_exceptions();
	return ktest_finish();
}
