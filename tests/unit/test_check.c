// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the VM-entry checker (src/lib/check*.c).
 *
 * A table-backed VMCS and a small fake physical memory stand in for the
 * CPU. Four good VMCSs (64-bit, 32-bit protected, real mode and
 * virtual-8086, the last three with unrestricted guest) must pass every
 * rule; each negative case changes one thing (a field, sometimes a
 * control that makes the field matter) and must make exactly the named
 * rule fail first, with the outcome the CPU would report.
 */
#include "ktest.h"
#include "vmxhv/check.h"
#include "vmxhv/vmcs_fields.h"

/* ---------------------------------------------------------------------
 * The fake CPU: VMCS fields, physical memory, capability MSRs.
 */
static u64 vmcs[VMXHV_NR_FIELDS];
static unsigned int unknown_reads;

#define MEM_BYTES	0x10000
static u64 mem[MEM_BYTES / 8];

static u64 fake_read(void *ctx, u32 enc)
{
	const struct vmxhv_field *f = vmxhv_field_by_enc(enc);

	(void)ctx;
	if (!f) {
		unknown_reads++;
		return 0;
	}
	return vmcs[f - vmxhv_fields];
}

static int fake_read_phys(void *ctx, u64 pa, u64 *val)
{
	(void)ctx;
	if (pa >= MEM_BYTES || (pa & 7))
		return -EFAULT;
	*val = mem[pa / 8];
	return 0;
}

static struct vmxhv_vmcs_view view = {
	.read = fake_read,
	.read_phys = fake_read_phys,
	.vmcs_pa = ~0ULL,
};

static void set(u32 enc, u64 val)
{
	const struct vmxhv_field *f = vmxhv_field_by_enc(enc);

	if (!f) {
		ktest_diag("no field %#x", enc);
		return;
	}
	vmcs[f - vmxhv_fields] = val;
}

static u64 get(u32 enc)
{
	return fake_read(NULL, enc);
}

#define REVISION	0x12

/*
 * Capability MSRs like Bochs' corei7_skylake_x (IA32_VMX_BASIC with TRUE
 * controls; the allowed-0 settings are the TRUE_* ones).
 */
static const struct vmxhv_caps skylake = {
	.basic = REVISION | (0x1000ULL << 32) | (6ULL << 50) | BIT_ULL(54) |
		 BIT_ULL(55),
	.misc = 0x5 | BIT_ULL(5) | 0x1c0 | (4ULL << 16) | BIT_ULL(29),
	/* exec-only, 4 levels, UC, WB, 2M, 1G, INVEPT, A/D, INVVPID */
	.ept_vpid = 0x00000f0106734141ULL,
	.vmfunc = 0x1,				/* EPTP switching */
	.procbased3 = 0,
	.cr0_fixed0 = 0x80000021, .cr0_fixed1 = 0xffffffff,
	.cr4_fixed0 = 0x2000, .cr4_fixed1 = 0x7727ff,
	.pin = { .must_be_1 = 0x16, .may_be_1 = 0xff },
	.proc = { .must_be_1 = 0x04006172, .may_be_1 = 0xfff9fffe },
	/* up to XSAVES, TSC scaling; no MBEC, SPP, PT-GPA */
	.proc2 = { .must_be_1 = 0, .may_be_1 = 0x02177fff },
	.exit = { .must_be_1 = 0x00036dfb, .may_be_1 = 0x00ffffff },
	.entry = { .must_be_1 = 0x000011fb, .may_be_1 = 0x0001ffff },
	.vmcs_revision = REVISION,
	.vmcs_size = 0x1000,
	.true_controls = true,
	.maxphyaddr = 40,
	.linaddr_bits = 48,
	.cpu_features = 0,
	.perf_global_ctrl = 0x70000000fULL,	/* 4 GP, 3 fixed counters */
};

/* Variants of the caps a case can ask for. */
#define CAPS_PLUS	0x1	/* tertiary, MBEC, SPP, PT, CET, PKS, RTM, SGX */
#define CAPS_NO_AD	0x2	/* no EPT accessed/dirty flags */
#define CAPS_NO_MTF	0x4	/* no monitor trap flag */
#define CAPS_BASIC56	0x8	/* IA32_VMX_BASIC[56]: any error code */
#define CAPS_LA57	0x10	/* 57-bit linear addresses */

static struct vmxhv_caps caps_for(unsigned int v)
{
	struct vmxhv_caps c = skylake;

	if (v & CAPS_PLUS) {
		c.proc.may_be_1 |= VMXHV_PROC_TERTIARY;
		c.procbased3 = BIT_ULL(0);		/* LOADIWKEY exiting */
		c.proc2.may_be_1 |= VMXHV_PROC2_MBEC | VMXHV_PROC2_SPP |
				    VMXHV_PROC2_PT_GPA;
		c.exit.may_be_1 |= VMXHV_EXITC_CLEAR_RTIT |
				   VMXHV_EXITC_LOAD_CET | VMXHV_EXITC_LOAD_PKRS;
		c.entry.may_be_1 |= VMXHV_ENTRYC_LOAD_RTIT |
				    VMXHV_ENTRYC_LOAD_CET |
				    VMXHV_ENTRYC_LOAD_PKRS;
		c.cr4_fixed1 |= BIT_ULL(23) | BIT_ULL(24);	/* CET, PKS */
		c.cpu_features = VMXHV_CPUF_RTM | VMXHV_CPUF_SGX |
				 VMXHV_CPUF_CET_SS;
		c.ept_vpid |= VMXHV_EPT_CAP_WALK5;
	}
	if (v & CAPS_NO_AD)
		c.ept_vpid &= ~VMXHV_EPT_CAP_AD;
	if (v & CAPS_NO_MTF)
		c.proc.may_be_1 &= ~VMXHV_PROC_MTF;
	if (v & CAPS_BASIC56)
		c.basic |= VMXHV_BASIC_NO_ERRCODE_CHECK;
	if (v & CAPS_LA57)
		c.linaddr_bits = 57;
	return c;
}

/* ---------------------------------------------------------------------
 * Good VMCSs and memory.
 */
#define PIN_GOOD	(0x16 | VMXHV_PIN_EXT_INTR | VMXHV_PIN_NMI_EXITING | \
			 VMXHV_PIN_VIRTUAL_NMIS)
#define PROC_GOOD	(0x04006172 | VMXHV_PROC_HLT_EXITING | \
			 VMXHV_PROC_IO_BITMAPS | VMXHV_PROC_MSR_BITMAPS | \
			 VMXHV_PROC_SECONDARY)
#define PROC2_GOOD	(VMXHV_PROC2_EPT | VMXHV_PROC2_VPID)
#define EXIT_GOOD	(0x36dfb | VMXHV_EXITC_HOST_ADDR64 | \
			 VMXHV_EXITC_ACK_INTR | VMXHV_EXITC_LOAD_EFER)
#define ENTRY_GOOD	(0x11fb | VMXHV_ENTRYC_LOAD_EFER)

#define NONCANON	0x0000800000000000ULL
#define HOST_CR0_GOOD	0x80050033ULL
#define HOST_CR4_GOOD	0x3726f0ULL
#define GUEST_CR0_64	0x80000031ULL
#define GUEST_CR4_64	0x2020ULL
#define PAT_GOOD	0x0007040600070406ULL
#define VAPIC_PA	0x6000
#define LINK_PA		0x7000
#define MSR_AREA_PA	0x8000
#define PDPT_PA		0x9000

/* Memory the memory-reading rules look at. */
static void mem_default(void)
{
	memset(mem, 0, sizeof(mem));
	mem[(VAPIC_PA + 0x80) / 8] = 0x20;		/* VTPR: class 2 */
	mem[LINK_PA / 8] = REVISION;
	mem[MSR_AREA_PA / 8 + 0] = 0xc0000081;		/* IA32_STAR */
	mem[MSR_AREA_PA / 8 + 1] = 0x0023001000000000ULL;
	mem[MSR_AREA_PA / 8 + 2] = 0xc0000102;		/* KERNEL_GS_BASE */
	mem[MSR_AREA_PA / 8 + 3] = 0xffff888000000000ULL;
	mem[MSR_AREA_PA / 8 + 4] = 0x277;		/* IA32_PAT */
	mem[MSR_AREA_PA / 8 + 5] = PAT_GOOD;
	mem[PDPT_PA / 8 + 0] = 0xa001;
	mem[PDPT_PA / 8 + 1] = 0xb001;
	mem[PDPT_PA / 8 + 2] = 0;
	mem[PDPT_PA / 8 + 3] = 0xc019;			/* PWT, PCD */
}

/* The host state of a Linux x86-64 kernel. */
static void host_default(void)
{
	set(VF_HOST_CR0, HOST_CR0_GOOD);
	set(VF_HOST_CR3, 0x1234000);
	set(VF_HOST_CR4, HOST_CR4_GOOD);
	set(VF_HOST_CS_SELECTOR, 0x10);
	set(VF_HOST_SS_SELECTOR, 0x18);
	set(VF_HOST_TR_SELECTOR, 0x40);
	set(VF_HOST_FS_BASE, 0x7f0012345000ULL);
	set(VF_HOST_GS_BASE, 0xffff888007a00000ULL);
	set(VF_HOST_TR_BASE, 0xfffffe0000003000ULL);
	set(VF_HOST_GDTR_BASE, 0xfffffe0000001000ULL);
	set(VF_HOST_IDTR_BASE, 0xfffffe0000000000ULL);
	set(VF_HOST_IA32_SYSENTER_ESP, 0xfffffe0000003000ULL);
	set(VF_HOST_IA32_SYSENTER_EIP, 0xffffffff81a01560ULL);
	set(VF_HOST_RSP, 0xffffc90000004000ULL);
	set(VF_HOST_RIP, 0xffffffff81000000ULL);
	set(VF_HOST_IA32_EFER, 0xd01);
	set(VF_HOST_IA32_PAT, 0x0407050600070106ULL);
}

static void controls_default(void)
{
	set(VF_PIN_BASED_VM_EXEC_CONTROL, PIN_GOOD);
	set(VF_CPU_BASED_VM_EXEC_CONTROL, PROC_GOOD);
	set(VF_SECONDARY_VM_EXEC_CONTROL, PROC2_GOOD);
	set(VF_VM_EXIT_CONTROLS, EXIT_GOOD);
	set(VF_VM_ENTRY_CONTROLS, ENTRY_GOOD | VMXHV_ENTRYC_IA32E);
	set(VF_EXCEPTION_BITMAP, 0xffffffff);
	set(VF_IO_BITMAP_A, 0x1000);
	set(VF_IO_BITMAP_B, 0x2000);
	set(VF_MSR_BITMAP, 0x3000);
	set(VF_EPT_POINTER, 0x5000 | (3 << 3) | 6);
	set(VF_VIRTUAL_PROCESSOR_ID, 1);
	set(VF_VIRTUAL_APIC_PAGE_ADDR, VAPIC_PA);
	set(VF_APIC_ACCESS_ADDR, 0xa000);
	set(VF_POSTED_INTR_DESC_ADDR, 0xb000);
	set(VF_POSTED_INTR_NV, 0xf2);
	set(VF_VM_ENTRY_MSR_LOAD_ADDR, MSR_AREA_PA);
	set(VF_VMCS_LINK_POINTER, ~0ULL);
}

enum base { B64, B32, BREAL, BV86 };

static void seg(u32 sel_enc, u64 sel, u64 base, u64 limit, u64 ar)
{
	/* Selector, base, limit and AR encodings are 0x800/0x6806/0x4800/
	 * 0x4814 plus twice the register number.
	 */
	unsigned int n = (sel_enc - VF_GUEST_ES_SELECTOR) / 2;

	set(sel_enc, sel);
	set(VF_GUEST_ES_BASE + 2 * n, base);
	set(VF_GUEST_ES_LIMIT + 2 * n, limit);
	set(VF_GUEST_ES_AR_BYTES + 2 * n, ar);
}

static const u32 data_segs[] = {
	VF_GUEST_ES_SELECTOR, VF_GUEST_SS_SELECTOR, VF_GUEST_DS_SELECTOR,
	VF_GUEST_FS_SELECTOR, VF_GUEST_GS_SELECTOR,
};

static void flat_segs(u64 cs_ar)
{
	unsigned int i;

	seg(VF_GUEST_CS_SELECTOR, 0x8, 0, 0xffffffff, cs_ar);
	for (i = 0; i < ARRAY_SIZE(data_segs); i++)
		seg(data_segs[i], 0x10, 0, 0xffffffff, 0xc093);
	seg(VF_GUEST_LDTR_SELECTOR, 0, 0, 0, VMXHV_AR_UNUSABLE);
	seg(VF_GUEST_TR_SELECTOR, 0x18, 0x2000, 0x67, 0x8b);
	set(VF_GUEST_GDTR_BASE, 0x1000);
	set(VF_GUEST_GDTR_LIMIT, 0x1f);
	set(VF_GUEST_IDTR_BASE, 0);
	set(VF_GUEST_IDTR_LIMIT, 0);
}

/* The guest states the module starts: `long`, `protected`, `real`. */
static void build(enum base b)
{
	unsigned int i;

	memset(vmcs, 0, sizeof(vmcs));
	mem_default();
	controls_default();
	host_default();
	view.vmcs_pa = ~0ULL;
	view.read_phys = fake_read_phys;

	set(VF_GUEST_RFLAGS, 0x2);
	set(VF_GUEST_RSP, 0x200000);
	set(VF_GUEST_RIP, 0x10000);
	set(VF_GUEST_DR7, 0x400);
	set(VF_GUEST_PDPTR0, 0xa001);
	set(VF_GUEST_PDPTR1, 0xb001);
	if (b == B64) {
		set(VF_GUEST_CR0, GUEST_CR0_64);
		set(VF_GUEST_CR3, 0x8000);
		set(VF_GUEST_CR4, GUEST_CR4_64);
		set(VF_GUEST_IA32_EFER, 0x500);
		flat_segs(0xa09b);
		return;
	}
	/* No paging: all three need unrestricted guest. */
	set(VF_SECONDARY_VM_EXEC_CONTROL, PROC2_GOOD |
	    VMXHV_PROC2_UNRESTRICTED);
	set(VF_VM_ENTRY_CONTROLS, ENTRY_GOOD);
	set(VF_GUEST_CR4, 0x2000);
	set(VF_GUEST_IA32_EFER, 0);
	if (b == B32) {
		set(VF_GUEST_CR0, 0x31);
		flat_segs(0xc09b);
		return;
	}
	if (b == BREAL) {
		set(VF_GUEST_CR0, 0x30);
		set(VF_GUEST_RIP, 0);
		seg(VF_GUEST_CS_SELECTOR, 0x1000, 0x10000, 0xffff, 0x9b);
		for (i = 0; i < ARRAY_SIZE(data_segs); i++)
			seg(data_segs[i], 0, 0, 0xffff, 0x93);
		seg(VF_GUEST_LDTR_SELECTOR, 0, 0, 0xffff, 0x82);
		seg(VF_GUEST_TR_SELECTOR, 0, 0, 0xffff, 0x8b);
		set(VF_GUEST_GDTR_LIMIT, 0xffff);
		set(VF_GUEST_IDTR_LIMIT, 0x3ff);
		return;
	}
	/* Virtual-8086 mode inside a 32-bit protected-mode guest. */
	set(VF_GUEST_CR0, 0x31);
	flat_segs(0xc09b);
	set(VF_GUEST_RFLAGS, 0x20002);
	set(VF_GUEST_RIP, 0x100);
	seg(VF_GUEST_CS_SELECTOR, 0x1000, 0x10000, 0xffff, 0xf3);
	for (i = 0; i < ARRAY_SIZE(data_segs); i++)
		seg(data_segs[i], 0x2000, 0x20000, 0xffff, 0xf3);
}

/* ---------------------------------------------------------------------
 * Cases.
 */
enum { M_END, M_SET, M_OR, M_CLR, M_MEM, M_VMCS_PA, M_NO_MEM };

struct mut {
	unsigned char op;
	u64 a, b;
};

#define SET(f, v)	{ M_SET, (f), (v) }
#define OR(f, v)	{ M_OR, (f), (v) }
#define CLR(f, v)	{ M_CLR, (f), (v) }
#define MEM(pa, v)	{ M_MEM, (pa), (v) }
#define VMCS_PA(pa)	{ M_VMCS_PA, (pa), 0 }
#define NO_MEM		{ M_NO_MEM, 0, 0 }

struct tcase {
	const char *rule;	/* expected first violation, NULL: none */
	unsigned int outcome;
	unsigned int qual;
	enum base base;
	unsigned int caps;
	const char *after;	/* rule expected first when not first */
	struct mut m[6];
};

#define NEG(r, o, q, b, c, ...) \
	{ .rule = (r), .outcome = (o), .qual = (q), .base = (b), \
	  .caps = (c), .m = { __VA_ARGS__ } }
#define NEG_AFTER(r, first, o, b, c, ...) \
	{ .rule = (r), .outcome = (o), .base = (b), .caps = (c), \
	  .after = (first), .m = { __VA_ARGS__ } }
#define POS(b, c, ...) \
	{ .rule = NULL, .base = (b), .caps = (c), .m = { __VA_ARGS__ } }

#define E7	VMXHV_CHECK_ERR7
#define E8	VMXHV_CHECK_ERR8
#define X33	VMXHV_CHECK_EXIT33
#define X34	VMXHV_CHECK_EXIT34

#define PIN	VF_PIN_BASED_VM_EXEC_CONTROL
#define PROC	VF_CPU_BASED_VM_EXEC_CONTROL
#define PROC2	VF_SECONDARY_VM_EXEC_CONTROL
#define EXITC	VF_VM_EXIT_CONTROLS
#define ENTRYC	VF_VM_ENTRY_CONTROLS
#define INFO	VF_VM_ENTRY_INTR_INFO_FIELD
#define INTRST	VF_GUEST_INTERRUPTIBILITY_INFO
#define V	VMXHV_INTR_VALID
#define TY(t)	((t) << VMXHV_INTR_TYPE_SHIFT)
#define DELIV	VMXHV_INTR_DELIVER_CODE

/* Turn on what the TPR-shadow-based rules need. */
#define TPR_ON	OR(PROC, VMXHV_PROC_TPR_SHADOW)
#define VID_ON	OR(PROC2, VMXHV_PROC2_VINTR_DELIVERY)
#define PI_ON	OR(PIN, VMXHV_PIN_POSTED_INTR)
#define MSRS(n)	SET(VF_VM_ENTRY_MSR_LOAD_COUNT, (n))

static const struct tcase negatives[] = {
	/* 27.2.1.1 VM-execution controls */
	NEG("ctl.pin.allowed", E7, 0, B64, 0, CLR(PIN, BIT(1))),
	NEG("ctl.pin.allowed", E7, 0, B64, 0, OR(PIN, BIT(8))),
	NEG("ctl.proc.allowed", E7, 0, B64, 0, OR(PROC, BIT(0))),
	NEG("ctl.proc.allowed", E7, 0, B64, 0, CLR(PROC, BIT(26))),
	NEG("ctl.proc2.allowed", E7, 0, B64, 0, OR(PROC2, BIT(30))),
	NEG("ctl.proc3.allowed", E7, 0, B64, CAPS_PLUS,
	    OR(PROC, VMXHV_PROC_TERTIARY),
	    SET(VF_TERTIARY_VM_EXEC_CONTROL, BIT(1))),
	NEG("ctl.cr3_target.count", E7, 0, B64, 0,
	    SET(VF_CR3_TARGET_COUNT, 5)),
	NEG("ctl.io_bitmap.addr", E7, 0, B64, 0, SET(VF_IO_BITMAP_B, 0x2800)),
	NEG("ctl.msr_bitmap.addr", E7, 0, B64, 0,
	    SET(VF_MSR_BITMAP, 1ULL << 40)),
	NEG("ctl.vapic.addr", E7, 0, B64, 0, TPR_ON,
	    SET(VF_VIRTUAL_APIC_PAGE_ADDR, VAPIC_PA + 0x10)),
	NEG("ctl.tpr_threshold.reserved", E7, 0, B64, 0, TPR_ON,
	    SET(VF_TPR_THRESHOLD, 0x10)),
	NEG("ctl.tpr_threshold.vtpr", E7, 0, B64, 0, TPR_ON,
	    SET(VF_TPR_THRESHOLD, 3)),
	NEG("ctl.vnmi.nmi_exiting", E7, 0, B64, 0,
	    CLR(PIN, VMXHV_PIN_NMI_EXITING)),
	NEG("ctl.nmi_window.vnmi", E7, 0, B64, 0,
	    CLR(PIN, VMXHV_PIN_VIRTUAL_NMIS), OR(PROC, VMXHV_PROC_NMI_WINDOW)),
	NEG("ctl.apic_access.addr", E7, 0, B64, 0,
	    OR(PROC2, VMXHV_PROC2_VIRT_APIC_ACCESS),
	    SET(VF_APIC_ACCESS_ADDR, 0xfee00001)),
	NEG("ctl.tpr_shadow.needed", E7, 0, B64, 0,
	    OR(PROC2, VMXHV_PROC2_APIC_REG_VIRT)),
	NEG("ctl.x2apic.apic_access", E7, 0, B64, 0, TPR_ON,
	    OR(PROC2, VMXHV_PROC2_X2APIC_MODE |
	       VMXHV_PROC2_VIRT_APIC_ACCESS)),
	NEG("ctl.vid.ext_intr", E7, 0, B64, 0, TPR_ON, VID_ON,
	    CLR(PIN, VMXHV_PIN_EXT_INTR)),
	NEG("ctl.posted.vid", E7, 0, B64, 0, PI_ON),
	NEG("ctl.posted.ack", E7, 0, B64, 0, TPR_ON, VID_ON, PI_ON,
	    CLR(EXITC, VMXHV_EXITC_ACK_INTR)),
	NEG("ctl.posted.vector", E7, 0, B64, 0, TPR_ON, VID_ON, PI_ON,
	    SET(VF_POSTED_INTR_NV, 0x1f2)),
	NEG("ctl.posted.desc_addr", E7, 0, B64, 0, TPR_ON, VID_ON, PI_ON,
	    SET(VF_POSTED_INTR_DESC_ADDR, 0xb020)),
	NEG("ctl.vpid.zero", E7, 0, B64, 0, SET(VF_VIRTUAL_PROCESSOR_ID, 0)),
	NEG("ctl.eptp.memtype", E7, 0, B64, 0,
	    SET(VF_EPT_POINTER, 0x5000 | 0x18 | 1)),
	NEG("ctl.eptp.walk", E7, 0, B64, 0,
	    SET(VF_EPT_POINTER, 0x5000 | 0x20 | 6)),
	NEG("ctl.eptp.ad", E7, 0, B64, CAPS_NO_AD,
	    SET(VF_EPT_POINTER, 0x505e)),
	NEG("ctl.eptp.reserved", E7, 0, B64, 0, SET(VF_EPT_POINTER, 0x509e)),
	NEG("ctl.eptp.reserved", E7, 0, B64, 0, SET(VF_EPT_POINTER, 0x511e)),
	NEG("ctl.eptp.reserved", E7, 0, B64, 0,
	    SET(VF_EPT_POINTER, (1ULL << 40) | 0x501e)),
	NEG("ctl.pml.ept", E7, 0, B64, 0, OR(PROC2, VMXHV_PROC2_PML),
	    CLR(PROC2, VMXHV_PROC2_EPT), SET(VF_PML_ADDRESS, 0xc000)),
	NEG("ctl.pml.addr", E7, 0, B64, 0, OR(PROC2, VMXHV_PROC2_PML),
	    SET(VF_PML_ADDRESS, 0xc001)),
	NEG("ctl.unrestricted.ept", E7, 0, BREAL, 0,
	    CLR(PROC2, VMXHV_PROC2_EPT)),
	NEG("ctl.mbec.ept", E7, 0, B64, CAPS_PLUS,
	    OR(PROC2, VMXHV_PROC2_MBEC), CLR(PROC2, VMXHV_PROC2_EPT)),
	NEG("ctl.spp.ept", E7, 0, B64, CAPS_PLUS,
	    OR(PROC2, VMXHV_PROC2_SPP), CLR(PROC2, VMXHV_PROC2_EPT),
	    SET(VF_SPPT_POINTER, 0xd000)),
	NEG("ctl.spp.addr", E7, 0, B64, CAPS_PLUS,
	    OR(PROC2, VMXHV_PROC2_SPP), SET(VF_SPPT_POINTER, 0xd008)),
	NEG("ctl.pt_gpa", E7, 0, B64, CAPS_PLUS,
	    OR(PROC2, VMXHV_PROC2_PT_GPA)),
	NEG("ctl.vmfunc.reserved", E7, 0, B64, 0,
	    OR(PROC2, VMXHV_PROC2_VMFUNC), SET(VF_VM_FUNCTION_CONTROL, 2)),
	NEG("ctl.vmfunc.eptp_ept", E7, 0, B64, 0,
	    OR(PROC2, VMXHV_PROC2_VMFUNC), CLR(PROC2, VMXHV_PROC2_EPT),
	    SET(VF_VM_FUNCTION_CONTROL, 1), SET(VF_EPTP_LIST_ADDRESS, 0xe000)),
	NEG("ctl.vmfunc.eptp_list", E7, 0, B64, 0,
	    OR(PROC2, VMXHV_PROC2_VMFUNC), SET(VF_VM_FUNCTION_CONTROL, 1),
	    SET(VF_EPTP_LIST_ADDRESS, 0xe004)),
	NEG("ctl.vmcs_shadow.bitmaps", E7, 0, B64, 0,
	    OR(PROC2, VMXHV_PROC2_SHADOW_VMCS),
	    SET(VF_VMREAD_BITMAP, 0xf000), SET(VF_VMWRITE_BITMAP, 0xf800)),
	NEG("ctl.ve.addr", E7, 0, B64, 0, OR(PROC2, VMXHV_PROC2_EPT_VE),
	    SET(VF_VE_INFORMATION_ADDRESS, 1ULL << 45)),
	/* 27.2.1.2 VM-exit controls */
	NEG("ctl.exit.allowed", E7, 0, B64, 0, CLR(EXITC, BIT(0))),
	NEG("ctl.exit.allowed", E7, 0, B64, 0, OR(EXITC, BIT(24))),
	NEG("ctl.exit.save_timer", E7, 0, B64, 0,
	    OR(EXITC, VMXHV_EXITC_SAVE_TIMER)),
	NEG("ctl.exit.msr_store.addr", E7, 0, B64, 0,
	    SET(VF_VM_EXIT_MSR_STORE_COUNT, 2),
	    SET(VF_VM_EXIT_MSR_STORE_ADDR, 0x8008)),
	NEG("ctl.exit.msr_load.addr", E7, 0, B64, 0,
	    SET(VF_VM_EXIT_MSR_LOAD_COUNT, 16),
	    SET(VF_VM_EXIT_MSR_LOAD_ADDR, (1ULL << 40) - 0x80)),
	/* 27.2.1.3 VM-entry controls */
	NEG("ctl.entry.allowed", E7, 0, B64, 0, OR(ENTRYC, BIT(31))),
	NEG("ctl.inject.type", E7, 0, B64, 0, SET(INFO, V | TY(1) | 0x20)),
	NEG("ctl.inject.type", E7, 0, B64, CAPS_NO_MTF, SET(INFO, V | TY(7))),
	NEG("ctl.inject.vector", E7, 0, B64, 0, SET(INFO, V | TY(2) | 3)),
	NEG("ctl.inject.vector", E7, 0, B64, 0, SET(INFO, V | TY(3) | 32)),
	NEG("ctl.inject.vector", E7, 0, B64, 0, SET(INFO, V | TY(7) | 1)),
	NEG("ctl.inject.deliver", E7, 0, B64, 0, SET(INFO, V | TY(3) | 13)),
	NEG("ctl.inject.deliver", E7, 0, B64, 0,
	    SET(INFO, V | TY(3) | 6 | DELIV)),
	NEG("ctl.inject.deliver", E7, 0, BREAL, 0,
	    SET(INFO, V | TY(3) | 13 | DELIV)),
	NEG("ctl.inject.deliver", E7, 0, B64, CAPS_BASIC56,
	    SET(INFO, V | TY(2) | 2 | DELIV)),
	NEG("ctl.inject.reserved", E7, 0, B64, 0,
	    SET(INFO, V | TY(3) | 6 | BIT(12))),
	NEG("ctl.inject.error_code", E7, 0, B64, 0,
	    SET(INFO, V | TY(3) | 13 | DELIV),
	    SET(VF_VM_ENTRY_EXCEPTION_ERROR_CODE, 0x10000)),
	NEG("ctl.inject.instr_len", E7, 0, B64, 0,
	    SET(INFO, V | TY(4) | 0x80)),
	NEG("ctl.inject.instr_len", E7, 0, B64, 0,
	    SET(INFO, V | TY(6) | 3), SET(VF_VM_ENTRY_INSTRUCTION_LEN, 16)),
	NEG("ctl.entry.smm", E7, 0, B64, 0, OR(ENTRYC, VMXHV_ENTRYC_SMM)),
	NEG("ctl.entry.smm", E7, 0, B64, 0,
	    OR(ENTRYC, VMXHV_ENTRYC_DEACT_DUAL)),
	NEG("ctl.entry.msr_load.addr", E7, 0, B64, 0, MSRS(1),
	    SET(VF_VM_ENTRY_MSR_LOAD_ADDR, MSR_AREA_PA + 4)),
	/* 27.2.2 host registers and MSRs */
	NEG("host.cr0.fixed", E8, 0, B64, 0, CLR(VF_HOST_CR0, BIT(5))),
	NEG("host.cr4.fixed", E8, 0, B64, 0, CLR(VF_HOST_CR4, BIT(13))),
	NEG("host.cr4.fixed", E8, 0, B64, 0, OR(VF_HOST_CR4, BIT(23))),
	NEG("host.cr3.width", E8, 0, B64, 0, SET(VF_HOST_CR3, 1ULL << 45)),
	NEG("host.cr4.cet_wp", E8, 0, B64, CAPS_PLUS,
	    OR(VF_HOST_CR4, BIT(23)), CLR(VF_HOST_CR0, BIT(16))),
	NEG("host.cet.s_cet", E8, 0, B64, CAPS_PLUS,
	    OR(EXITC, VMXHV_EXITC_LOAD_CET), SET(VF_HOST_S_CET, 0xc00)),
	NEG("host.cet.isst", E8, 0, B64, CAPS_PLUS,
	    OR(EXITC, VMXHV_EXITC_LOAD_CET),
	    SET(VF_HOST_INTR_SSP_TABLE, NONCANON)),
	NEG("host.cet.ssp", E8, 0, B64, CAPS_PLUS,
	    OR(EXITC, VMXHV_EXITC_LOAD_CET),
	    SET(VF_HOST_SSP, 0xffffc90000001002ULL)),
	NEG("host.sysenter.canonical", E8, 0, B64, 0,
	    SET(VF_HOST_IA32_SYSENTER_EIP, NONCANON)),
	NEG("host.perf_global_ctrl.reserved", E8, 0, B64, 0,
	    OR(EXITC, VMXHV_EXITC_LOAD_PERF_GLOBAL),
	    SET(VF_HOST_IA32_PERF_GLOBAL_CTRL, 1ULL << 40)),
	NEG("host.pat.invalid", E8, 0, B64, 0,
	    OR(EXITC, VMXHV_EXITC_LOAD_PAT),
	    SET(VF_HOST_IA32_PAT, 0x0407050600070102ULL)),
	NEG("host.efer.reserved", E8, 0, B64, 0,
	    SET(VF_HOST_IA32_EFER, 0xd01 | BIT(12))),
	NEG("host.efer.lma_lme", E8, 0, B64, 0, SET(VF_HOST_IA32_EFER, 0x901)),
	NEG("host.pkrs.reserved", E8, 0, B64, CAPS_PLUS,
	    OR(EXITC, VMXHV_EXITC_LOAD_PKRS),
	    SET(VF_HOST_IA32_PKRS, 1ULL << 32)),
	/* 27.2.3 host segments */
	NEG("host.sel.rpl_ti", E8, 0, B64, 0, SET(VF_HOST_DS_SELECTOR, 3)),
	NEG("host.sel.rpl_ti", E8, 0, B64, 0, SET(VF_HOST_TR_SELECTOR, 0x44)),
	NEG("host.cs.null", E8, 0, B64, 0, SET(VF_HOST_CS_SELECTOR, 0)),
	NEG("host.tr.null", E8, 0, B64, 0, SET(VF_HOST_TR_SELECTOR, 0)),
	NEG("host.ss.null", E8, 0, B64, 0,
	    CLR(EXITC, VMXHV_EXITC_HOST_ADDR64 | VMXHV_EXITC_LOAD_EFER),
	    SET(VF_HOST_SS_SELECTOR, 0)),
	NEG("host.base.canonical", E8, 0, B64, 0,
	    SET(VF_HOST_GS_BASE, NONCANON)),
	NEG("host.base.canonical", E8, 0, B64, 0,
	    SET(VF_HOST_IDTR_BASE, 0xfff0800000000000ULL)),
	/* 27.2.4 address-space size */
	NEG("host.addr_size", E8, 0, B64, 0,
	    CLR(EXITC, VMXHV_EXITC_HOST_ADDR64 | VMXHV_EXITC_LOAD_EFER)),
	NEG_AFTER("host.addr32", "host.addr_size", E8, B64, 0,
		  CLR(EXITC, VMXHV_EXITC_HOST_ADDR64 | VMXHV_EXITC_LOAD_EFER)),
	NEG("host.cr4.pae", E8, 0, B64, 0, CLR(VF_HOST_CR4, BIT(5))),
	NEG("host.rip.canonical", E8, 0, B64, 0, SET(VF_HOST_RIP, NONCANON)),
	/* 27.3.1.1 guest registers and MSRs */
	NEG("guest.cr0.fixed", X33, 0, B64, 0, CLR(VF_GUEST_CR0, BIT(5))),
	NEG("guest.cr0.fixed", X33, 0, B32, 0,
	    CLR(PROC2, VMXHV_PROC2_UNRESTRICTED)),
	NEG("guest.cr0.pg_pe", X33, 0, BREAL, 0,
	    SET(VF_GUEST_CR0, 0x80000030)),
	NEG("guest.cr4.fixed", X33, 0, B64, 0, CLR(VF_GUEST_CR4, BIT(13))),
	NEG("guest.cr4.cet_wp", X33, 0, B64, CAPS_PLUS,
	    OR(VF_GUEST_CR4, BIT(23))),
	NEG("guest.debugctl.reserved", X33, 0, B64, 0,
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_DEBUG),
	    SET(VF_GUEST_IA32_DEBUGCTL, BIT(2))),
	NEG("guest.ia32e.pg", X33, 0, B64, 0,
	    OR(PROC2, VMXHV_PROC2_UNRESTRICTED), SET(VF_GUEST_CR0, 0x31)),
	NEG("guest.ia32e.pae", X33, 0, B64, 0, CLR(VF_GUEST_CR4, BIT(5))),
	NEG("guest.cr4.pcide", X33, 0, B32, 0, OR(VF_GUEST_CR4, BIT(17))),
	NEG("guest.cr3.width", X33, 0, B64, 0, SET(VF_GUEST_CR3, 1ULL << 40)),
	NEG("guest.dr7.high", X33, 0, B64, 0,
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_DEBUG),
	    SET(VF_GUEST_DR7, 0x100000400ULL)),
	NEG("guest.sysenter.canonical", X33, 0, B64, 0,
	    SET(VF_GUEST_SYSENTER_ESP, NONCANON)),
	NEG("guest.perf_global_ctrl.reserved", X33, 0, B64, 0,
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_PERF_GLOBAL),
	    SET(VF_GUEST_IA32_PERF_GLOBAL_CTRL, 0x10)),
	NEG("guest.pat.invalid", X33, 0, B64, 0,
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_PAT),
	    SET(VF_GUEST_IA32_PAT, 0x0007040600070408ULL)),
	NEG("guest.efer.reserved", X33, 0, B64, 0,
	    SET(VF_GUEST_IA32_EFER, 0x500 | BIT(14))),
	NEG("guest.efer.lma", X33, 0, B64, 0, SET(VF_GUEST_IA32_EFER, 0x100)),
	NEG("guest.efer.lma", X33, 0, B32, 0, SET(VF_GUEST_IA32_EFER, 0x400)),
	NEG("guest.efer.lme", X33, 0, B64, 0, SET(VF_GUEST_IA32_EFER, 0x400)),
	NEG("guest.bndcfgs", X33, 0, B64, 0,
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_BNDCFGS), SET(VF_GUEST_BNDCFGS, 4)),
	NEG("guest.bndcfgs", X33, 0, B64, 0,
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_BNDCFGS),
	    SET(VF_GUEST_BNDCFGS, NONCANON | 1)),
	NEG("guest.rtit_ctl.reserved", X33, 0, B64, CAPS_PLUS,
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_RTIT),
	    SET(VF_GUEST_IA32_RTIT_CTL, BIT(18))),
	NEG("guest.cet.s_cet", X33, 0, B64, CAPS_PLUS,
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_CET), SET(VF_GUEST_S_CET, 0x40)),
	NEG("guest.cet.isst", X33, 0, B64, CAPS_PLUS,
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_CET),
	    SET(VF_GUEST_INTR_SSP_TABLE, NONCANON)),
	NEG("guest.pkrs.reserved", X33, 0, B64, CAPS_PLUS,
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_PKRS),
	    SET(VF_GUEST_IA32_PKRS, 1ULL << 33)),
	/* 27.3.1.2 guest segments */
	NEG("guest.tr.ti", X33, 0, B64, 0, SET(VF_GUEST_TR_SELECTOR, 0x1c)),
	NEG("guest.ldtr.ti", X33, 0, B64, 0,
	    SET(VF_GUEST_LDTR_SELECTOR, 0x24),
	    SET(VF_GUEST_LDTR_AR_BYTES, 0x82),
	    SET(VF_GUEST_LDTR_LIMIT, 0xffff)),
	NEG("guest.ss.rpl", X33, 0, B64, 0, SET(VF_GUEST_SS_SELECTOR, 0x13)),
	NEG("guest.v86.base", X33, 0, BV86, 0, SET(VF_GUEST_DS_BASE, 0x10)),
	NEG("guest.v86.limit", X33, 0, BV86, 0,
	    SET(VF_GUEST_ES_LIMIT, 0xfffff)),
	NEG("guest.v86.ar", X33, 0, BV86, 0, SET(VF_GUEST_FS_AR_BYTES, 0x93)),
	NEG("guest.seg.base_canonical", X33, 0, B64, 0,
	    SET(VF_GUEST_FS_BASE, NONCANON)),
	NEG("guest.seg.base_canonical", X33, 0, B64, 0,
	    SET(VF_GUEST_TR_BASE, NONCANON)),
	NEG("guest.seg.base_high", X33, 0, B64, 0,
	    SET(VF_GUEST_CS_BASE, 1ULL << 32)),
	NEG("guest.seg.base_high", X33, 0, B32, 0,
	    SET(VF_GUEST_SS_BASE, 1ULL << 32)),
	NEG("guest.cs.type", X33, 0, B64, 0,
	    SET(VF_GUEST_CS_AR_BYTES, 0xa093)),
	NEG("guest.cs.type", X33, 0, BREAL, 0,
	    SET(VF_GUEST_CS_AR_BYTES, 0x97)),
	NEG("guest.ss.type", X33, 0, B64, 0,
	    SET(VF_GUEST_SS_AR_BYTES, 0xc09b)),
	NEG("guest.seg.type", X33, 0, B64, 0,
	    SET(VF_GUEST_DS_AR_BYTES, 0xc092)),
	NEG("guest.seg.type", X33, 0, B64, 0,
	    SET(VF_GUEST_ES_AR_BYTES, 0xc099)),
	NEG("guest.seg.s", X33, 0, B64, 0, SET(VF_GUEST_ES_AR_BYTES, 0xc083)),
	NEG("guest.seg.s", X33, 0, B64, 0, SET(VF_GUEST_CS_AR_BYTES, 0xa08b)),
	NEG("guest.cs.dpl", X33, 0, B64, 0,
	    SET(VF_GUEST_CS_AR_BYTES, 0xa0bb)),
	NEG("guest.cs.dpl", X33, 0, B64, 0,
	    SET(VF_GUEST_CS_AR_BYTES, 0xa0bf)),
	NEG("guest.ss.dpl", X33, 0, B64, 0,
	    SET(VF_GUEST_CS_AR_BYTES, 0xa09f),
	    SET(VF_GUEST_SS_AR_BYTES, 0xc0b3)),
	NEG("guest.ss.dpl", X33, 0, BREAL, 0,
	    SET(VF_GUEST_CS_AR_BYTES, 0x9f), SET(VF_GUEST_SS_AR_BYTES, 0xb3)),
	NEG("guest.seg.dpl", X33, 0, B64, 0, SET(VF_GUEST_DS_SELECTOR, 0x13)),
	NEG("guest.seg.present", X33, 0, B64, 0,
	    SET(VF_GUEST_GS_AR_BYTES, 0xc013)),
	NEG("guest.seg.present", X33, 0, B64, 0,
	    SET(VF_GUEST_TR_AR_BYTES, 0x0b)),
	NEG("guest.seg.ar_reserved", X33, 0, B64, 0,
	    SET(VF_GUEST_DS_AR_BYTES, 0xc193)),
	NEG("guest.seg.ar_reserved", X33, 0, B64, 0,
	    SET(VF_GUEST_CS_AR_BYTES, 0x2a09b)),
	NEG("guest.cs.l_db", X33, 0, B64, 0,
	    SET(VF_GUEST_CS_AR_BYTES, 0xe09b)),
	NEG("guest.seg.g", X33, 0, B64, 0,
	    SET(VF_GUEST_DS_LIMIT, 0xfffff000)),
	NEG("guest.seg.g", X33, 0, B64, 0,
	    SET(VF_GUEST_TR_LIMIT, 0x100067)),
	NEG("guest.tr.type", X33, 0, B64, 0, SET(VF_GUEST_TR_AR_BYTES, 0x83)),
	NEG("guest.tr.type", X33, 0, B32, 0, SET(VF_GUEST_TR_AR_BYTES, 0x89)),
	NEG("guest.sys.s", X33, 0, B64, 0, SET(VF_GUEST_TR_AR_BYTES, 0x9b)),
	NEG("guest.tr.unusable", X33, 0, B64, 0,
	    SET(VF_GUEST_TR_AR_BYTES, 0x1008b)),
	NEG("guest.ldtr.type", X33, 0, B64, 0,
	    SET(VF_GUEST_LDTR_SELECTOR, 0x20),
	    SET(VF_GUEST_LDTR_AR_BYTES, 0x83),
	    SET(VF_GUEST_LDTR_LIMIT, 0xffff)),
	/* 27.3.1.3 descriptor tables */
	NEG("guest.dtr.base_canonical", X33, 0, B64, 0,
	    SET(VF_GUEST_IDTR_BASE, NONCANON)),
	NEG("guest.dtr.limit", X33, 0, B64, 0,
	    SET(VF_GUEST_GDTR_LIMIT, 0x10000)),
	/* 27.3.1.4 RIP, RFLAGS, SSP */
	NEG("guest.rip.high", X33, 0, B32, 0, SET(VF_GUEST_RIP, 1ULL << 32)),
	NEG("guest.rip.high", X33, 0, B64, 0,
	    SET(VF_GUEST_CS_AR_BYTES, 0xc09b), SET(VF_GUEST_RIP, 1ULL << 32)),
	NEG("guest.rip.canonical", X33, 0, B64, 0,
	    SET(VF_GUEST_RIP, NONCANON)),
	NEG("guest.rflags.reserved", X33, 0, B64, 0,
	    SET(VF_GUEST_RFLAGS, 0x8002)),
	NEG("guest.rflags.reserved", X33, 0, B64, 0,
	    SET(VF_GUEST_RFLAGS, 0x400002)),
	NEG("guest.rflags.bit1", X33, 0, B64, 0, SET(VF_GUEST_RFLAGS, 0)),
	NEG("guest.rflags.vm", X33, 0, BV86, 0, SET(VF_GUEST_CR0, 0x30)),
	/* Not the segment registers that do not suit virtual-8086 mode. */
	NEG("guest.rflags.vm", X33, 0, B64, 0, SET(VF_GUEST_RFLAGS, 0x20002)),
	NEG("guest.rflags.if", X33, 0, B64, 0, SET(INFO, V | TY(0) | 0x20)),
	NEG("guest.cet.ssp", X33, 0, B64, CAPS_PLUS,
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_CET), SET(VF_GUEST_SSP, 0x1001)),
	NEG("guest.cet.ssp", X33, 0, B32, CAPS_PLUS,
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_CET), SET(VF_GUEST_SSP, 1ULL << 32)),
	/* 27.3.1.5 non-register state */
	NEG("guest.activity.supported", X33, 0, B64, 0,
	    SET(VF_GUEST_ACTIVITY_STATE, 4)),
	NEG("guest.activity.hlt_dpl", X33, 0, B64, 0,
	    SET(VF_GUEST_CS_SELECTOR, 0x2b), SET(VF_GUEST_CS_AR_BYTES, 0xa0fb),
	    SET(VF_GUEST_SS_SELECTOR, 0x33), SET(VF_GUEST_SS_AR_BYTES, 0xc0f3),
	    SET(VF_GUEST_ACTIVITY_STATE, 1)),
	NEG("guest.activity.blocking", X33, 0, B64, 0,
	    SET(VF_GUEST_ACTIVITY_STATE, 1), SET(INTRST, VMXHV_INTRST_MOV_SS)),
	NEG("guest.activity.inject", X33, 0, B64, 0,
	    SET(VF_GUEST_ACTIVITY_STATE, 3), SET(INFO, V | TY(2) | 2)),
	NEG("guest.activity.inject", X33, 0, B64, 0,
	    SET(VF_GUEST_ACTIVITY_STATE, 1),
	    SET(INFO, V | TY(3) | 13 | DELIV)),
	NEG("guest.activity.inject", X33, 0, B64, 0,
	    SET(VF_GUEST_ACTIVITY_STATE, 2), SET(INFO, V | TY(3) | 1)),
	NEG_AFTER("guest.activity.sipi_smm", "ctl.entry.smm", E7, B64, 0,
		  OR(ENTRYC, VMXHV_ENTRYC_SMM),
		  SET(VF_GUEST_ACTIVITY_STATE, 3)),
	NEG("guest.intr.reserved", X33, 0, B64, 0, SET(INTRST, 0x20)),
	NEG("guest.intr.sti_movss", X33, 0, B64, 0,
	    SET(VF_GUEST_RFLAGS, 0x202), SET(INTRST, 3)),
	NEG("guest.intr.sti_if", X33, 0, B64, 0,
	    SET(INTRST, VMXHV_INTRST_STI)),
	NEG("guest.intr.ext_intr", X33, 0, B64, 0,
	    SET(VF_GUEST_RFLAGS, 0x202), SET(INFO, V | TY(0) | 0x20),
	    SET(INTRST, VMXHV_INTRST_STI)),
	NEG("guest.intr.nmi_movss", X33, 0, B64, 0,
	    SET(INFO, V | TY(2) | 2), SET(INTRST, VMXHV_INTRST_MOV_SS)),
	NEG("guest.intr.nmi_sti", X33, VMXHV_QUAL_NMI_STI, B64, 0,
	    SET(VF_GUEST_RFLAGS, 0x202), SET(INFO, V | TY(2) | 2),
	    SET(INTRST, VMXHV_INTRST_STI)),
	NEG("guest.intr.smi", X33, 0, B64, 0, SET(INTRST, VMXHV_INTRST_SMI)),
	NEG("guest.intr.vnmi", X33, 0, B64, 0,
	    SET(INFO, V | TY(2) | 2), SET(INTRST, VMXHV_INTRST_NMI)),
	NEG("guest.intr.enclave", X33, 0, B64, 0,
	    SET(INTRST, VMXHV_INTRST_ENCLAVE)),
	NEG("guest.intr.enclave", X33, 0, B64, CAPS_PLUS,
	    SET(INTRST, VMXHV_INTRST_ENCLAVE | VMXHV_INTRST_MOV_SS)),
	NEG("guest.pdbg.reserved", X33, 0, B64, 0,
	    SET(VF_GUEST_PENDING_DBG_EXCEPTIONS, 0x10)),
	NEG("guest.pdbg.reserved", X33, 0, B64, 0,
	    SET(VF_GUEST_PENDING_DBG_EXCEPTIONS, 0x20000)),
	NEG("guest.pdbg.bs", X33, 0, B64, 0,
	    SET(VF_GUEST_RFLAGS, 0x102), SET(INTRST, VMXHV_INTRST_MOV_SS)),
	NEG("guest.pdbg.bs", X33, 0, B64, 0, SET(VF_GUEST_ACTIVITY_STATE, 1),
	    SET(VF_GUEST_PENDING_DBG_EXCEPTIONS, 0x4000)),
	NEG("guest.pdbg.rtm", X33, 0, B64, CAPS_PLUS,
	    SET(VF_GUEST_PENDING_DBG_EXCEPTIONS, 0x11001)),
	NEG("guest.pdbg.rtm", X33, 0, B64, CAPS_PLUS,
	    SET(VF_GUEST_PENDING_DBG_EXCEPTIONS, 0x10000)),
	NEG("guest.pdbg.rtm", X33, 0, B64, 0,
	    SET(VF_GUEST_PENDING_DBG_EXCEPTIONS, 0x11000)),
	NEG("guest.link.addr", X33, VMXHV_QUAL_LINK_PTR, B64, 0,
	    SET(VF_VMCS_LINK_POINTER, LINK_PA + 1)),
	NEG("guest.link.addr", X33, VMXHV_QUAL_LINK_PTR, B64, 0,
	    SET(VF_VMCS_LINK_POINTER, 1ULL << 40)),
	NEG("guest.link.revision", X33, VMXHV_QUAL_LINK_PTR, B64, 0,
	    SET(VF_VMCS_LINK_POINTER, LINK_PA),
	    MEM(LINK_PA, REVISION | BIT(31))),
	NEG("guest.link.revision", X33, VMXHV_QUAL_LINK_PTR, B64, 0,
	    SET(VF_VMCS_LINK_POINTER, LINK_PA),
	    OR(PROC2, VMXHV_PROC2_SHADOW_VMCS),
	    SET(VF_VMREAD_BITMAP, 0xe000), SET(VF_VMWRITE_BITMAP, 0xf000)),
	NEG("guest.link.current", X33, VMXHV_QUAL_LINK_PTR, B64, 0,
	    SET(VF_VMCS_LINK_POINTER, LINK_PA), VMCS_PA(LINK_PA)),
	/* 27.3.1.6 PDPTEs */
	NEG("guest.pdpte.reserved", X33, VMXHV_QUAL_PDPTE, B32, 0,
	    SET(VF_GUEST_CR0, GUEST_CR0_64), SET(VF_GUEST_CR4, GUEST_CR4_64),
	    SET(VF_GUEST_PDPTR2, 0xd003)),
	NEG("guest.pdpte.reserved", X33, VMXHV_QUAL_PDPTE, B32, 0,
	    CLR(PROC2, VMXHV_PROC2_EPT | VMXHV_PROC2_UNRESTRICTED),
	    SET(VF_GUEST_CR0, GUEST_CR0_64), SET(VF_GUEST_CR4, GUEST_CR4_64),
	    SET(VF_GUEST_CR3, PDPT_PA), MEM(PDPT_PA + 8, 0xb021)),
	/* 27.4 MSR loading: exit 34, qualification = entry number */
	NEG("msr.load.reserved", X34, 2, B64, 0, MSRS(3),
	    MEM(MSR_AREA_PA + 16, (1ULL << 32) | 0xc0000102)),
	NEG("msr.load.fs_gs", X34, 1, B64, 0, MSRS(3),
	    MEM(MSR_AREA_PA, 0xc0000100)),
	NEG("msr.load.x2apic", X34, 3, B64, 0, MSRS(3),
	    MEM(MSR_AREA_PA + 32, 0x808)),
	NEG("msr.load.smm_monitor", X34, 2, B64, 0, MSRS(3),
	    MEM(MSR_AREA_PA + 16, 0x9b)),
	NEG("msr.load.microcode", X34, 1, B64, 0, MSRS(2),
	    MEM(MSR_AREA_PA, 0x79)),
	NEG("msr.load.value", X34, 2, B64, 0, MSRS(3),
	    MEM(MSR_AREA_PA + 24, NONCANON)),
	NEG("msr.load.value", X34, 3, B64, 0, MSRS(3),
	    MEM(MSR_AREA_PA + 40, 0x0007040600070402ULL)),
	NEG("msr.load.value", X34, 4, B64, 0, MSRS(4),
	    MEM(MSR_AREA_PA + 48, 0xc0000080), MEM(MSR_AREA_PA + 56, 0x401)),
};

/* Settings near the edge of a rule that must still pass. */
static const struct tcase positives[] = {
	/* Secondary controls do not count unless activated. */
	POS(B64, 0, CLR(PROC, VMXHV_PROC_SECONDARY), SET(PROC2, 0xffffffff)),
	POS(B64, 0, TPR_ON, SET(VF_TPR_THRESHOLD, 2)),
	POS(B64, 0, TPR_ON, SET(VF_TPR_THRESHOLD, 3),
	    OR(PROC2, VMXHV_PROC2_VIRT_APIC_ACCESS)),
	POS(B64, 0, TPR_ON, SET(VF_TPR_THRESHOLD, 3), NO_MEM),
	POS(B64, 0, TPR_ON, VID_ON, PI_ON, SET(VF_TPR_THRESHOLD, 0x100)),
	POS(B64, 0, TPR_ON, OR(PROC2, VMXHV_PROC2_X2APIC_MODE |
			       VMXHV_PROC2_APIC_REG_VIRT)),
	POS(B64, 0, OR(PROC2, VMXHV_PROC2_PML | VMXHV_PROC2_EPT_VE |
		       VMXHV_PROC2_VMFUNC),
	    SET(VF_PML_ADDRESS, 0xc000), SET(VF_VE_INFORMATION_ADDRESS, 0xd000),
	    SET(VF_VM_FUNCTION_CONTROL, 1), SET(VF_EPTP_LIST_ADDRESS, 0xe000)),
	POS(B64, CAPS_PLUS, SET(VF_EPT_POINTER, 0x5000 | 0x20 | 6)),
	POS(B64, CAPS_PLUS, SET(VF_EPT_POINTER, 0x509e)),
	POS(B64, CAPS_PLUS, OR(PROC2, VMXHV_PROC2_PT_GPA),
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_RTIT),
	    OR(EXITC, VMXHV_EXITC_CLEAR_RTIT)),
	POS(B64, 0, SET(VF_VM_EXIT_MSR_STORE_COUNT, 512),
	    SET(VF_VM_EXIT_MSR_STORE_ADDR, (1ULL << 40) - 512 * 16)),
	POS(B64, 0, OR(VF_HOST_CR0, BIT(30) | BIT(29))),
	POS(B64, 0, OR(VF_GUEST_CR0, BIT(30))),
	POS(B64, 0, SET(INFO, V | TY(3) | 14 | DELIV),
	    SET(VF_VM_ENTRY_EXCEPTION_ERROR_CODE, 0xffff)),
	POS(BREAL, 0, SET(INFO, V | TY(3) | 13)),
	POS(B64, CAPS_BASIC56, SET(INFO, V | TY(3) | 6 | DELIV)),
	POS(B64, CAPS_BASIC56, SET(INFO, V | TY(3) | 13)),
	POS(B64, 0, SET(INFO, V | TY(4) | 0x80),
	    SET(VF_VM_ENTRY_INSTRUCTION_LEN, 2)),
	POS(B64, 0, SET(INFO, V | TY(7))),
	POS(B64, 0, SET(INFO, V | TY(0) | 0x20), SET(VF_GUEST_RFLAGS, 0x202)),
	POS(B64, 0, SET(VF_GUEST_ACTIVITY_STATE, 1),
	    SET(INFO, V | TY(0) | 0x20), SET(VF_GUEST_RFLAGS, 0x202)),
	POS(B64, 0, SET(VF_GUEST_ACTIVITY_STATE, 2), SET(INFO, V | TY(2) | 2)),
	POS(B64, 0, SET(INFO, V | TY(2) | 2), SET(INTRST, VMXHV_INTRST_NMI),
	    CLR(PIN, VMXHV_PIN_VIRTUAL_NMIS)),
	POS(B64, 0, SET(VF_GUEST_RFLAGS, 0x102), SET(INTRST, VMXHV_INTRST_MOV_SS),
	    SET(VF_GUEST_PENDING_DBG_EXCEPTIONS, 0x4000)),
	POS(B64, 0, SET(VF_GUEST_RFLAGS, 0x102), SET(INTRST, VMXHV_INTRST_MOV_SS),
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_DEBUG),
	    SET(VF_GUEST_IA32_DEBUGCTL, 2)),
	POS(B64, CAPS_PLUS, SET(VF_GUEST_PENDING_DBG_EXCEPTIONS, 0x11000)),
	POS(B64, CAPS_PLUS, SET(INTRST, VMXHV_INTRST_ENCLAVE)),
	POS(B64, 0, SET(VF_VMCS_LINK_POINTER, LINK_PA)),
	POS(B64, 0, SET(VF_VMCS_LINK_POINTER, LINK_PA),
	    MEM(LINK_PA, REVISION | BIT(31)),
	    OR(PROC2, VMXHV_PROC2_SHADOW_VMCS),
	    SET(VF_VMREAD_BITMAP, 0xe000), SET(VF_VMWRITE_BITMAP, 0xf000)),
	POS(B64, 0, SET(VF_VMCS_LINK_POINTER, LINK_PA), VMCS_PA(0x4000)),
	POS(B32, 0, SET(VF_GUEST_CR0, GUEST_CR0_64),
	    SET(VF_GUEST_CR4, GUEST_CR4_64)),
	POS(B32, 0, CLR(PROC2, VMXHV_PROC2_EPT | VMXHV_PROC2_UNRESTRICTED),
	    SET(VF_GUEST_CR0, GUEST_CR0_64), SET(VF_GUEST_CR4, GUEST_CR4_64),
	    SET(VF_GUEST_CR3, PDPT_PA)),
	POS(B64, 0, MSRS(3)),
	POS(B64, 0, MSRS(3), MEM(MSR_AREA_PA, 0xc0000100), NO_MEM),
	/* A 64-bit guest with a null, unusable SS. */
	POS(B64, 0, SET(VF_GUEST_SS_SELECTOR, 0),
	    SET(VF_GUEST_SS_AR_BYTES, VMXHV_AR_UNUSABLE)),
	/* 57-bit linear addresses widen "canonical". */
	POS(B64, CAPS_LA57, SET(VF_HOST_GS_BASE, NONCANON),
	    SET(VF_GUEST_RIP, NONCANON)),
	POS(B64, CAPS_PLUS, OR(EXITC, VMXHV_EXITC_LOAD_CET),
	    OR(ENTRYC, VMXHV_ENTRYC_LOAD_CET), OR(VF_HOST_CR4, BIT(23)),
	    SET(VF_HOST_S_CET, 0x5), SET(VF_HOST_SSP, 0xffffc90000001000ULL),
	    SET(VF_GUEST_SSP, 0x7ff000)),
};

/* ---------------------------------------------------------------------
 * Running cases.
 */
static struct vmxhv_check_result res;

static void apply(const struct tcase *t)
{
	unsigned int i;

	build(t->base);
	for (i = 0; i < ARRAY_SIZE(t->m) && t->m[i].op != M_END; i++) {
		const struct mut *m = &t->m[i];

		switch (m->op) {
		case M_SET:
			set(m->a, m->b);
			break;
		case M_OR:
			set(m->a, get(m->a) | m->b);
			break;
		case M_CLR:
			set(m->a, get(m->a) & ~m->b);
			break;
		case M_MEM:
			mem[m->a / 8] = m->b;
			break;
		case M_VMCS_PA:
			view.vmcs_pa = m->a;
			break;
		case M_NO_MEM:
			view.read_phys = NULL;
			break;
		}
	}
}

static int run(const struct tcase *t)
{
	struct vmxhv_caps caps = caps_for(t->caps);

	apply(t);
	return vmxhv_check(&caps, &view, &res);
}

static void show_violations(void)
{
	char line[256];
	unsigned int i;

	for (i = 0; i < res.nr; i++) {
		vmxhv_check_format(&res.v[i], line, sizeof(line));
		ktest_diag("  %s", line);
	}
}

static bool found(const char *id)
{
	unsigned int i;

	for (i = 0; i < res.nr; i++) {
		if (!strcmp(res.v[i].rule->id, id))
			return true;
	}
	return false;
}

static const char * const base_names[] = {
	[B64] = "64-bit", [B32] = "32-bit", [BREAL] = "real-mode",
	[BV86] = "v8086",
};

static unsigned int neg_hits[512];

static void test_negative(const struct tcase *t, unsigned int n)
{
	const struct vmxhv_check_rule *r = vmxhv_check_rule_by_id(t->rule);
	const char *first;
	bool ok;

	if (r)
		neg_hits[r - vmxhv_check_rules]++;
	run(t);
	first = res.nr ? res.v[0].rule->id : "(none)";
	if (t->after) {
		ok = !strcmp(first, t->after) && found(t->rule) &&
		     res.outcome == t->outcome;
		if (!ktest_result(ok, "neg %u: %s follows %s (%s)", n, t->rule,
				  t->after, base_names[t->base]))
			show_violations();
		return;
	}
	ok = r && !strcmp(first, t->rule) && res.outcome == t->outcome &&
	     res.qualification == t->qual;
	if (!ktest_result(ok, "neg %u: %s first (%s)", n, t->rule,
			  base_names[t->base])) {
		ktest_diag("first %s, outcome %u qual %u, want %u qual %u",
			   first, res.outcome, res.qualification, t->outcome,
			   t->qual);
		show_violations();
	}
}

static void test_positive(const struct tcase *t, unsigned int n)
{
	int ret = run(t);

	if (!ktest_result(ret == 0 && res.outcome == VMXHV_CHECK_OK,
			  "pos %u: edge case passes (%s)", n,
			  base_names[t->base]))
		show_violations();
}

/* Each good VMCS passes every rule: one result per rule and VMCS. */
static void test_good(enum base b)
{
	static const struct vmxhv_caps *caps = &skylake;
	const struct tcase t = { .base = b };
	unsigned int i;
	int ret;

	unknown_reads = 0;
	apply(&t);
	ret = vmxhv_check(caps, &view, &res);
	if (!ktest_result(ret == 0 && res.outcome == VMXHV_CHECK_OK &&
			  !res.count, "good %s VMCS: VM entry ok",
			  base_names[b]))
		show_violations();
	KTEST_EQ(unknown_reads, 0, "good %s VMCS: only known fields read",
		 base_names[b]);
	for (i = 0; i < vmxhv_check_nr_rules; i++) {
		const char *id = vmxhv_check_rules[i].id;

		KTEST(!found(id), "good %s VMCS passes %s", base_names[b], id);
	}
}

static void test_rule_table(void)
{
	unsigned int i, j, dup = 0, bad = 0;

	KTEST(vmxhv_check_nr_rules < ARRAY_SIZE(neg_hits), "rule count %u",
	      vmxhv_check_nr_rules);
	for (i = 0; i < vmxhv_check_nr_rules; i++) {
		const struct vmxhv_check_rule *r = &vmxhv_check_rules[i];

		if (!r->id || !r->sdm || !r->requires ||
		    strncmp(r->sdm, "27.", 3) ||
		    r->outcome < VMXHV_CHECK_ERR7 ||
		    r->outcome > VMXHV_CHECK_EXIT34 ||
		    vmxhv_check_rule_by_id(r->id) != r) {
			bad++;
			ktest_diag("bad rule %u %s", i, r->id);
		}
		for (j = 0; j < i; j++)
			dup += !strcmp(vmxhv_check_rules[j].id, r->id);
		/* Rules come in checking order: the outcome never goes back. */
		if (i && r->outcome < vmxhv_check_rules[i - 1].outcome) {
			bad++;
			ktest_diag("out of order: %s", r->id);
		}
	}
	KTEST_EQ(bad, 0, "every rule has id, SDM section, outcome, text");
	KTEST_EQ(dup, 0, "rule ids are unique");
	KTEST(!vmxhv_check_rule_by_id("no.such.rule"), "unknown id: NULL");
}

static void test_coverage(void)
{
	unsigned int i, missing = 0;

	for (i = 0; i < vmxhv_check_nr_rules; i++) {
		if (!neg_hits[i]) {
			missing++;
			ktest_diag("no negative case for %s",
				   vmxhv_check_rules[i].id);
		}
	}
	KTEST_EQ(missing, 0, "every rule has a negative case");
}

/*
 * Documentation/entry-checks.md has one table row per rule, in the rule
 * table's order. Found from this file's path: the Makefile compiles it
 * by absolute path.
 */
static void test_doc(void)
{
	char path[512], line[512], want[128];
	const char *slash = strrchr(__FILE__, '/');
	unsigned int row = 0, bad = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%.*s/../../Documentation/entry-checks.md",
		 slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
	f = fopen(path, "r");
	if (!ktest_result(f, "Documentation/entry-checks.md found")) {
		ktest_diag("%s", path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "| `", 3))
			continue;
		if (row < vmxhv_check_nr_rules) {
			const struct vmxhv_check_rule *r = &vmxhv_check_rules[row];

			snprintf(want, sizeof(want), "| `%s` | %s | ", r->id,
				 r->sdm);
			if (strncmp(line, want, strlen(want))) {
				bad++;
				ktest_diag("row %u: want %s", row, want);
			}
		}
		row++;
	}
	fclose(f);
	KTEST_EQ(row, vmxhv_check_nr_rules, "one table row per rule");
	KTEST_EQ(bad, 0, "rows name the rules in order with their section");
}

/* Compare with the concatenation of three pieces (lines are long). */
static void expect3(const char *got, const char *a, const char *b,
		    const char *c, const char *what)
{
	char want[512];

	snprintf(want, sizeof(want), "%s%s%s", a, b, c);
	KTEST_STR_EQ(got, want, "format: %s", what);
}

static void test_format(void)
{
	const struct tcase bit1 = NEG(NULL, 0, 0, B64, 0,
				      SET(VF_GUEST_RFLAGS, 0));
	const struct tcase two = NEG(NULL, 0, 0, B64, 0,
				     SET(VF_GUEST_SS_SELECTOR, 0x13));
	const struct tcase msr = NEG(NULL, 0, 0, B64, 0, MSRS(3),
				     MEM(MSR_AREA_PA + 32, 0x808));
	const struct tcase link = NEG(NULL, 0, 0, B64, 0,
				      SET(VF_VMCS_LINK_POINTER, 1));
	char line[256], small[16];
	int n;

	run(&bit1);
	n = vmxhv_check_format(&res.v[0], line, sizeof(line));
	expect3(line, "guest.rflags.bit1: GUEST_RFLAGS=0x0000000000000000: ",
		"bit 1 must be 1 (SDM 27.3.1.4)", " -> exit 33", "one field");
	KTEST_EQ(n, strlen(line), "format returns the length");
	KTEST_EQ(vmxhv_check_format(&res.v[0], small, sizeof(small)), n,
		 "format into a short buffer returns the full length");
	KTEST_EQ(strlen(small), sizeof(small) - 1, "short buffer is cut");

	run(&two);
	vmxhv_check_format(&res.v[0], line, sizeof(line));
	expect3(line,
		"guest.ss.rpl: GUEST_SS_SELECTOR=0x0013, GUEST_CS_SELECTOR=0x0008: ",
		"SS.RPL must equal CS.RPL (not virtual-8086, no unrestricted guest)",
		" (SDM 27.3.1.2) -> exit 33", "two fields, 16-bit width");

	run(&msr);
	vmxhv_check_format(&res.v[0], line, sizeof(line));
	expect3(line,
		"msr.load.x2apic: VM-entry MSR-load entry 3: MSR 0x808 ",
		"value 0x0007040600070406: MSRs 0x800-0x8ff (x2APIC) cannot be loaded",
		" (SDM 27.4) -> exit 34 (qualification 3)", "MSR-load entry");

	run(&link);
	vmxhv_check_format(&res.v[0], line, sizeof(line));
	expect3(line, "guest.link.addr: VMCS_LINK_POINTER=0x0000000000000001: ",
		"~0, or 4-KByte aligned within MAXPHYADDR (SDM 27.3.1.5)",
		" -> exit 33 (qualification 4)", "exit qualification");

	vmxhv_check_outcome_format(VMXHV_CHECK_ERR8, 0, line, sizeof(line));
	KTEST_STR_EQ(line, "VMfailValid 8", "outcome text: host state");
	vmxhv_check_outcome_format(VMXHV_CHECK_OK, 0, line, sizeof(line));
	KTEST_STR_EQ(line, "ok", "outcome text: ok");
}

static void test_api(void)
{
	const struct vmxhv_vmcs_view noread = { .read = NULL };
	const struct tcase t = { .base = B64 };
	int ret;

	KTEST_EQ(vmxhv_check(NULL, &view, &res), -EINVAL, "NULL caps");
	KTEST_EQ(vmxhv_check(&skylake, &noread, &res), -EINVAL, "NULL read");
	KTEST_EQ(vmxhv_check(&skylake, &view, NULL), -EINVAL, "NULL result");

	/* An all-zero VMCS breaks far more rules than the result holds. */
	apply(&t);
	memset(vmcs, 0, sizeof(vmcs));
	ret = vmxhv_check(&skylake, &view, &res);
	KTEST(ret > VMXHV_CHECK_MAX && res.nr == VMXHV_CHECK_MAX &&
	      res.count == (unsigned int)ret, "zero VMCS: %d violations, %u kept",
	      ret, res.nr);
	KTEST_EQ(res.outcome, VMXHV_CHECK_ERR7, "zero VMCS: controls fail first");

	/* Violations of every class: the first one decides. */
	apply(&t);
	set(VF_GUEST_RFLAGS, 0);
	set(VF_HOST_CS_SELECTOR, 0);
	ret = vmxhv_check(&skylake, &view, &res);
	KTEST(ret == 2 && res.outcome == VMXHV_CHECK_ERR8 &&
	      !strcmp(res.v[1].rule->id, "guest.rflags.bit1"),
	      "host before guest: outcome VMfailValid 8, both listed");
}

int main(void)
{
	unsigned int i;

	ktest_start("check");
	test_rule_table();
	test_good(B64);
	test_good(B32);
	test_good(BREAL);
	test_good(BV86);
	for (i = 0; i < ARRAY_SIZE(negatives); i++)
		test_negative(&negatives[i], i);
	for (i = 0; i < ARRAY_SIZE(positives); i++)
		test_positive(&positives[i], i);
	test_coverage();
	test_doc();
	test_format();
	test_api();
	return ktest_finish();
}
