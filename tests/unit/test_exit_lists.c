// SPDX-License-Identifier: GPL-2.0
/*
 * The msr_exits/io_exits lists: parsing what users write, refusing what
 * the bitmaps cannot hold, and showing the set sorted and merged.
 */
#include "ktest.h"
#include "vmxhv/exit_lists.h"

/* Parse @in; on success format the result and compare with @want. */
static void round_trip(enum vmxhv_list_kind kind, const char *in, const char *want)
{
	struct vmxhv_range r[VMXHV_MAX_RANGES];
	const char *why = NULL;
	char buf[256];
	int n = vmxhv_list_parse(in, kind, r, VMXHV_MAX_RANGES, &why);

	if (!want) {
		KTEST(n == -EINVAL && why, "'%s' refused", in);
		return;
	}
	if (n < 0) {
		ktest_result(false, "'%s' parses", in);
		ktest_diag("refused: %s", why);
		return;
	}
	vmxhv_list_format(buf, sizeof(buf), r, n);
	KTEST_STR_EQ(buf, want, "'%s' shows as '%s'", in, want);
}

static void parsing(void)
{
	round_trip(VMXHV_LIST_MSR, "0x10", "0x10");
	round_trip(VMXHV_LIST_MSR, "0x10,0x6e0,0xc0000080-0xc0000082",
		   "0x10,0x6e0,0xc0000080-0xc0000082");
	round_trip(VMXHV_LIST_MSR, "16 0x6E0\n", "0x10,0x6e0");
	round_trip(VMXHV_LIST_MSR, "020", "0x10");
	round_trip(VMXHV_LIST_MSR, "", "");
	round_trip(VMXHV_LIST_MSR, " , ", "");
	round_trip(VMXHV_LIST_MSR, "0-0x1fff", "0x0-0x1fff");
	round_trip(VMXHV_LIST_MSR, "0xc0001fff", "0xc0001fff");
	round_trip(VMXHV_LIST_MSR, "0x2000", NULL);
	round_trip(VMXHV_LIST_MSR, "0x1fff-0xc0000000", NULL);
	round_trip(VMXHV_LIST_MSR, "0xc0002000", NULL);
	round_trip(VMXHV_LIST_MSR, "0x40000000", NULL);
	round_trip(VMXHV_LIST_MSR, "0x20-0x10", NULL);
	round_trip(VMXHV_LIST_MSR, "abc", NULL);
	round_trip(VMXHV_LIST_MSR, "0x10-", NULL);
	round_trip(VMXHV_LIST_MSR, "0x10;0x11", NULL);
	round_trip(VMXHV_LIST_MSR, "0x1ffffffff", NULL);
	round_trip(VMXHV_LIST_MSR, "08", NULL);
	round_trip(VMXHV_LIST_PORT, "0x70-0x71,0x3f8-0x3ff", "0x70-0x71,0x3f8-0x3ff");
	round_trip(VMXHV_LIST_PORT, "0xffff", "0xffff");
	round_trip(VMXHV_LIST_PORT, "0x10000", NULL);
	round_trip(VMXHV_LIST_PORT, "0x80", "0x80");
}

static void formatting(void)
{
	const struct vmxhv_range adj[] = { { 0x70, 0x70 }, { 0x71, 0x71 }, { 0x80, 0x8f },
					   { 0x85, 0x90 } };
	char small[6];
	size_t need;

	vmxhv_list_format(small, sizeof(small), adj, 1);
	KTEST_STR_EQ(small, "0x70", "one port");
	need = vmxhv_list_format(small, sizeof(small), adj, 4);
	KTEST_EQ(need, strlen("0x70-0x71,0x80-0x90"), "adjacent and overlapping merged: length");
	KTEST_EQ(strlen(small), sizeof(small) - 1, "a short buffer is cut and terminated");
}

static void bitmap_bits(void)
{
	KTEST_EQ(vmxhv_msr_bitmap_bit(0x10), 0x10, "TSC: low half");
	KTEST_EQ(vmxhv_msr_bitmap_bit(0xc0000080), 0x2080, "EFER: high half");
	KTEST_EQ(vmxhv_msr_bitmap_bit(0x2000), -1, "0x2000: outside");
	KTEST_EQ(vmxhv_msr_bitmap_bit(0xbfffffff), -1, "0xbfffffff: outside");
	KTEST_EQ(vmxhv_msr_of_bit(0x2080), 0xc0000080, "bit 0x2080 is EFER");
	KTEST_EQ(vmxhv_msr_of_bit(0x6e0), 0x6e0, "bit 0x6e0 is TSC_DEADLINE");
}

int main(void)
{
	ktest_start("exit_lists");
	parsing();
	formatting();
	bitmap_bits();
	return ktest_finish();
}
