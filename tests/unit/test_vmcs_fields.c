// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the VMCS field table (src/lib/vmcs_fields.c). */
#include "ktest.h"
#include "vmxhv/vmcs_fields.h"

static bool name_ok(const char *s)
{
	size_t len = strlen(s);

	if (!len || !strcmp(s + (len > 5 ? len - 5 : 0), "_HIGH"))
		return false;
	for (; *s; s++) {
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	}
	return true;
}

/* Per-entry properties, one result line each over the whole table. */
static void test_entries(void)
{
	static const unsigned int want_bits[] = { 16, 64, 32, 64 };
	unsigned int i, j, bad_enc = 0, bad_name = 0, bad_flags = 0;
	unsigned int bad_decode = 0, dup_enc = 0, dup_name = 0, unsorted = 0;
	unsigned int bad_phys = 0, bad_lookup = 0;

	KTEST_EQ(vmxhv_nr_fields, VMXHV_NR_FIELDS, "table size matches the .def");
	KTEST(vmxhv_nr_fields >= 190, "table has every SDM field (%u)",
	      vmxhv_nr_fields);

	for (i = 0; i < vmxhv_nr_fields; i++) {
		const struct vmxhv_field *f = &vmxhv_fields[i];
		unsigned int bits = vmxhv_field_bits(f->enc);

		if (!vmxhv_field_enc_valid(f->enc) ||
		    vmxhv_field_is_high(f->enc)) {
			bad_enc++;
			ktest_diag("bad encoding %s = %#x", f->name, f->enc);
		}
		if (!name_ok(f->name)) {
			bad_name++;
			ktest_diag("bad name \"%s\"", f->name);
		}
		if (f->flags & ~VMXHV_FF_ALL) {
			bad_flags++;
			ktest_diag("unknown flags %s: %#x", f->name, f->flags);
		}
		/* Widths decode consistently into bits, digits and mask. */
		if (bits * 4 != vmxhv_field_hex_digits(f->enc) * 16 ||
		    vmxhv_field_max(f->enc) >> (bits - 1) != 1 ||
		    bits != want_bits[vmxhv_field_width(f->enc)] ||
		    !vmxhv_field_type_name(vmxhv_field_type(f->enc))) {
			bad_decode++;
			ktest_diag("inconsistent decode of %s", f->name);
		}
		/* Physical addresses are 64 bits wide and never host state. */
		if ((f->flags & VMXHV_FF_PHYS) &&
		    (vmxhv_field_width(f->enc) != VMXHV_FW_64 ||
		     vmxhv_field_type(f->enc) == VMXHV_FT_HOST ||
		     vmxhv_field_type(f->enc) == VMXHV_FT_RO)) {
			bad_phys++;
			ktest_diag("PHYS flag on %s", f->name);
		}
		if (i && vmxhv_fields[i - 1].enc >= f->enc) {
			unsorted++;
			ktest_diag("%s not after %s", f->name,
				   vmxhv_fields[i - 1].name);
		}
		for (j = i + 1; j < vmxhv_nr_fields; j++) {
			if (vmxhv_fields[j].enc == f->enc) {
				dup_enc++;
				ktest_diag("%s and %s share %#x", f->name,
					   vmxhv_fields[j].name, f->enc);
			}
			if (!strcmp(vmxhv_fields[j].name, f->name)) {
				dup_name++;
				ktest_diag("duplicate name %s", f->name);
			}
		}
		if (vmxhv_field_by_name(f->name) != f ||
		    vmxhv_field_by_enc(f->enc) != f) {
			bad_lookup++;
			ktest_diag("lookup of %s does not round-trip", f->name);
		}
	}
	KTEST_EQ(bad_enc, 0, "encodings well-formed, no high halves");
	KTEST_EQ(bad_name, 0, "names match [A-Z0-9_]+ and are not _HIGH");
	KTEST_EQ(bad_flags, 0, "only known flags");
	KTEST_EQ(bad_decode, 0, "width and type decode consistently");
	KTEST_EQ(bad_phys, 0, "PHYS only on 64-bit control/guest fields");
	KTEST_EQ(unsorted, 0, "sorted by encoding (appendix order)");
	KTEST_EQ(dup_enc, 0, "encodings unique");
	KTEST_EQ(dup_name, 0, "names unique");
	KTEST_EQ(bad_lookup, 0, "lookups by name and encoding round-trip");
}

static void test_every_area(void)
{
	unsigned int count[4][4] = { { 0 } };
	unsigned int i, w, t, empty = 0;

	for (i = 0; i < vmxhv_nr_fields; i++)
		count[vmxhv_field_width(vmxhv_fields[i].enc)]
		     [vmxhv_field_type(vmxhv_fields[i].enc)]++;
	for (w = 0; w < 4; w++) {
		for (t = 0; t < 4; t++) {
			/* The SDM has no 16-bit read-only field. */
			if (w == VMXHV_FW_16 && t == VMXHV_FT_RO)
				continue;
			if (!count[w][t]) {
				empty++;
				ktest_diag("no field of width %u type %u", w, t);
			}
		}
	}
	KTEST_EQ(empty, 0, "every width/type section of Appendix B is filled");
	KTEST_EQ(count[VMXHV_FW_32][VMXHV_FT_HOST], 1,
		 "one 32-bit host field (B.3.4)");
}

static void check_sample(const char *name, u32 enc, enum vmxhv_field_width w,
			 enum vmxhv_field_type t, unsigned int bits,
			 unsigned int digits, u32 flags)
{
	const struct vmxhv_field *f = vmxhv_field_by_name(name);

	if (!ktest_result(f, "%s is in the table", name))
		return;
	KTEST_EQ(f->enc, enc, "%s encoding", name);
	KTEST_EQ(vmxhv_field_width(f->enc), w, "%s width", name);
	KTEST_EQ(vmxhv_field_type(f->enc), t, "%s type", name);
	KTEST_EQ(vmxhv_field_bits(f->enc), bits, "%s bits", name);
	KTEST_EQ(vmxhv_field_hex_digits(f->enc), digits, "%s hex digits", name);
	KTEST_EQ(f->flags, flags, "%s flags", name);
}

static void test_samples(void)
{
	check_sample("GUEST_RIP", 0x681e, VMXHV_FW_NATURAL, VMXHV_FT_GUEST,
		     64, 16, 0);
	check_sample("VM_EXIT_REASON", 0x4402, VMXHV_FW_32, VMXHV_FT_RO,
		     32, 8, 0);
	check_sample("EPT_POINTER", 0x201a, VMXHV_FW_64, VMXHV_FT_CONTROL,
		     64, 16, VMXHV_FF_PHYS);
	check_sample("HOST_CR3", 0x6c02, VMXHV_FW_NATURAL, VMXHV_FT_HOST,
		     64, 16, 0);
	check_sample("VIRTUAL_PROCESSOR_ID", 0x0000, VMXHV_FW_16,
		     VMXHV_FT_CONTROL, 16, 4, 0);
	check_sample("MSR_BITMAP", 0x2004, VMXHV_FW_64, VMXHV_FT_CONTROL,
		     64, 16, VMXHV_FF_PHYS);
	check_sample("VMCS_LINK_POINTER", 0x2800, VMXHV_FW_64, VMXHV_FT_GUEST,
		     64, 16, VMXHV_FF_PHYS);
	check_sample("CPU_BASED_VM_EXEC_CONTROL", 0x4002, VMXHV_FW_32,
		     VMXHV_FT_CONTROL, 32, 8, 0);
	check_sample("EXIT_QUALIFICATION", 0x6400, VMXHV_FW_NATURAL,
		     VMXHV_FT_RO, 64, 16, 0);
	check_sample("GUEST_CS_SELECTOR", 0x0802, VMXHV_FW_16, VMXHV_FT_GUEST,
		     16, 4, 0);
	check_sample("HOST_IA32_EFER", 0x2c02, VMXHV_FW_64, VMXHV_FT_HOST,
		     64, 16, 0);
	check_sample("GUEST_PHYSICAL_ADDRESS", 0x2400, VMXHV_FW_64,
		     VMXHV_FT_RO, 64, 16, 0);

	KTEST_EQ(VF_GUEST_RIP, 0x681e, "VF_GUEST_RIP constant");
	KTEST_EQ(VF_HOST_RIP, 0x6c16, "VF_HOST_RIP constant");
	KTEST_EQ(vmxhv_fields[VFI_EPT_POINTER].enc, VF_EPT_POINTER,
		 "VFI_ index and VF_ constant agree");
	KTEST_EQ(vmxhv_field_max(VF_GUEST_ES_SELECTOR), 0xffff,
		 "16-bit mask");
	KTEST_EQ(vmxhv_field_max(VF_VM_EXIT_REASON), 0xffffffffu,
		 "32-bit mask");
	KTEST_EQ(vmxhv_field_max(VF_GUEST_RIP), ~0ULL, "natural mask");
}

static void test_bad_lookups(void)
{
	KTEST(!vmxhv_field_by_name("GUEST_RIP_HIGH"), "no _HIGH names");
	KTEST(!vmxhv_field_by_name("guest_rip"), "names are case-sensitive");
	KTEST(!vmxhv_field_by_name("GUEST_RIP "), "names are exact");
	KTEST(!vmxhv_field_by_name("GUEST_RI"), "no prefix match");
	KTEST(!vmxhv_field_by_name(""), "empty name");
	KTEST(!vmxhv_field_by_enc(VF_EPT_POINTER | VMXHV_ENC_HIGH),
	      "high half of EPT_POINTER is not listed");
	KTEST(!vmxhv_field_by_enc(0x482c), "unused 32-bit guest encoding");
	KTEST(!vmxhv_field_by_enc(0xffffffffu), "reserved bits");
	KTEST(!vmxhv_field_enc_valid(0x1000), "bit 12 is reserved");
	KTEST(!vmxhv_field_enc_valid(0x8000), "bit 15 is reserved");
	KTEST(!vmxhv_field_enc_valid(0x681f), "no high half of natural width");
	KTEST(vmxhv_field_enc_valid(0x201b), "high half of a 64-bit field");
}

static void test_writable(void)
{
	unsigned int i, bad = 0;

	for (i = 0; i < vmxhv_nr_fields; i++) {
		const struct vmxhv_field *f = &vmxhv_fields[i];
		enum vmxhv_field_type t = vmxhv_field_type(f->enc);
		bool safe = vmxhv_field_writable(f, false);
		bool unsafe = vmxhv_field_writable(f, true);
		bool want_safe, want_unsafe;

		want_unsafe = t != VMXHV_FT_RO;
		want_safe = want_unsafe && t != VMXHV_FT_HOST &&
			    !(f->flags & VMXHV_FF_PHYS);
		if (safe != want_safe || unsafe != want_unsafe) {
			bad++;
			ktest_diag("writable(%s) = %d/%d", f->name, safe,
				   unsafe);
		}
	}
	KTEST_EQ(bad, 0, "writable: never read-only, host/PHYS only unsafe");

	KTEST(!vmxhv_field_writable(&vmxhv_fields[VFI_VM_INSTRUCTION_ERROR],
				    true), "VM_INSTRUCTION_ERROR never");
	KTEST(!vmxhv_field_writable(&vmxhv_fields[VFI_HOST_RIP], false) &&
	      vmxhv_field_writable(&vmxhv_fields[VFI_HOST_RIP], true),
	      "HOST_RIP only with unsafe");
	KTEST(!vmxhv_field_writable(&vmxhv_fields[VFI_EPT_POINTER], false) &&
	      vmxhv_field_writable(&vmxhv_fields[VFI_EPT_POINTER], true),
	      "EPT_POINTER only with unsafe");
	KTEST(vmxhv_field_writable(&vmxhv_fields[VFI_GUEST_RIP], false),
	      "GUEST_RIP always");
	KTEST(vmxhv_field_writable(&vmxhv_fields[VFI_EXCEPTION_BITMAP], false),
	      "EXCEPTION_BITMAP always");
}

static void test_type_names(void)
{
	KTEST_STR_EQ(vmxhv_field_type_name(VMXHV_FT_CONTROL), "control",
		     "control group name");
	KTEST_STR_EQ(vmxhv_field_type_name(VMXHV_FT_RO), "read-only",
		     "read-only group name");
	KTEST_STR_EQ(vmxhv_field_type_name(VMXHV_FT_GUEST), "guest",
		     "guest group name");
	KTEST_STR_EQ(vmxhv_field_type_name(VMXHV_FT_HOST), "host",
		     "host group name");
	KTEST_STR_EQ(vmxhv_field_type_name(4), NULL, "no fifth group");
}

int main(void)
{
	ktest_start("vmcs_fields");
	test_entries();
	test_every_area();
	test_samples();
	test_bad_lookups();
	test_writable();
	test_type_names();
	return ktest_finish();
}
