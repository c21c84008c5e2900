// SPDX-License-Identifier: GPL-2.0
/* The write guard: every guarded bit refused, harmless values accepted. */
#include "ktest.h"
#include "vmxhv/vmcs_policy.h"
#include "vmxhv/vmcs_fields.h"

/* The module's defaults on Bochs (controls adjusted to the caps). */
#define PIN_OK		0x0000004bU	/* ext-intr, NMI, virtual NMIs, timer */
#define PROC_OK		0xb6d8e1f2U
#define PROC2_OK	0x000000aaU
#define EXIT_OK		0x003f6fffU

static void expect(const char *name, u32 enc, u64 val, int want)
{
	const char *why = NULL;
	int got = vmxhv_field_policy(enc, val, &why);

	ktest_result(got == want && (want == 0 || why != NULL), "%s", name);
}

/* A virtualized CPU's controls (virt.c) as Bochs adjusts them. */
#define VPROC		0x96006172U	/* I/O and MSR bitmaps, secondary */
#define VPROC2		0x00000028U	/* VPID, RDTSCP */

static void expect_virt(const char *name, u32 enc, u64 cur, u64 val, int want)
{
	const char *why = NULL;
	int got = vmxhv_virt_field_policy(enc, cur, val, &why);

	ktest_result(got == want && (want == 0 || why != NULL), "virtualized: %s", name);
}

static void virt_rules(void)
{
	expect_virt("CR3-load exiting on", VF_CPU_BASED_VM_EXEC_CONTROL, VPROC, VPROC | BIT(15), 0);
	expect_virt("CR3-load and store exiting off again", VF_CPU_BASED_VM_EXEC_CONTROL,
		    VPROC | BIT(15) | BIT(16), VPROC, 0);
	expect_virt("MOV-DR and RDPMC exiting", VF_CPU_BASED_VM_EXEC_CONTROL, VPROC,
		    VPROC | BIT(23) | BIT(11), 0);
	expect_virt("the same value", VF_CPU_BASED_VM_EXEC_CONTROL, VPROC, VPROC, 0);
	expect_virt("HLT exiting refused", VF_CPU_BASED_VM_EXEC_CONTROL, VPROC, VPROC | BIT(7),
		    -EPERM);
	expect_virt("MSR bitmaps off refused", VF_CPU_BASED_VM_EXEC_CONTROL, VPROC,
		    VPROC & ~BIT(28), -EPERM);
	expect_virt("WBINVD exiting", VF_SECONDARY_VM_EXEC_CONTROL, VPROC2, VPROC2 | BIT(6), 0);
	expect_virt("VPID off refused", VF_SECONDARY_VM_EXEC_CONTROL, VPROC2, VPROC2 & ~BIT(5),
		    -EPERM);
	expect_virt("EPT on refused", VF_SECONDARY_VM_EXEC_CONTROL, VPROC2, VPROC2 | BIT(1),
		    -EPERM);
	expect_virt("a guest-state field refused", VF_GUEST_RIP, 0, 0x1000, -EPERM);
	expect_virt("the exception bitmap refused", VF_EXCEPTION_BITMAP, 0, 0, -EPERM);
}

int main(void)
{
	ktest_start("vmcs_policy");
	virt_rules();
	expect("defaults: pin", VF_PIN_BASED_VM_EXEC_CONTROL, PIN_OK, 0);
	expect("defaults: proc", VF_CPU_BASED_VM_EXEC_CONTROL, PROC_OK, 0);
	expect("defaults: proc2", VF_SECONDARY_VM_EXEC_CONTROL, PROC2_OK, 0);
	expect("defaults: exit", VF_VM_EXIT_CONTROLS, EXIT_OK, 0);
	expect("pin: clearing ext-intr exiting", VF_PIN_BASED_VM_EXEC_CONTROL, PIN_OK & ~1U, -EPERM);
	expect("pin: clearing NMI exiting", VF_PIN_BASED_VM_EXEC_CONTROL, PIN_OK & ~8U, -EPERM);
	expect("pin: clearing the preemption timer is allowed",
	       VF_PIN_BASED_VM_EXEC_CONTROL, PIN_OK & ~0x40U, 0);
	expect("proc: clearing secondary controls", VF_CPU_BASED_VM_EXEC_CONTROL,
	       PROC_OK & ~BIT(31), -EPERM);
	expect("proc: clearing CR8-load exiting", VF_CPU_BASED_VM_EXEC_CONTROL,
	       PROC_OK & ~BIT(19), -EPERM);
	expect("proc: clearing MOV-DR exiting", VF_CPU_BASED_VM_EXEC_CONTROL,
	       PROC_OK & ~BIT(23), -EPERM);
	expect("proc: clearing one I/O control is allowed", VF_CPU_BASED_VM_EXEC_CONTROL,
	       PROC_OK & ~BIT(24), 0);
	expect("proc: clearing both I/O controls", VF_CPU_BASED_VM_EXEC_CONTROL,
	       PROC_OK & ~(BIT(24) | BIT(25)), -EPERM);
	expect("proc: clearing HLT exiting is allowed", VF_CPU_BASED_VM_EXEC_CONTROL,
	       PROC_OK & ~BIT(7), 0);
	expect("proc2: clearing EPT", VF_SECONDARY_VM_EXEC_CONTROL, PROC2_OK & ~2U, -EPERM);
	expect("proc2: clearing VPID is allowed", VF_SECONDARY_VM_EXEC_CONTROL,
	       PROC2_OK & ~0x20U, 0);
	expect("exit: ack interrupt on exit", VF_VM_EXIT_CONTROLS, EXIT_OK | BIT(15), -EPERM);
	expect("exit: clearing load PAT", VF_VM_EXIT_CONTROLS, EXIT_OK & ~BIT(19), -EPERM);
	expect("exit: clearing load EFER", VF_VM_EXIT_CONTROLS, EXIT_OK & ~BIT(21), -EPERM);
	expect("exit: load PERF_GLOBAL_CTRL", VF_VM_EXIT_CONTROLS, EXIT_OK | BIT(12), -EPERM);
	expect("exit: load CET", VF_VM_EXIT_CONTROLS, EXIT_OK | BIT(28), -EPERM);
	expect("exit: clearing host address-space size is allowed (entry fails)",
	       VF_VM_EXIT_CONTROLS, EXIT_OK & ~BIT(9), 0);
	expect("guest fields are not guarded", VF_GUEST_RIP, 0, 0);
	expect("GUEST_CR4 with MCE", VF_GUEST_CR4, 0x2660, 0);
	expect("GUEST_CR4 without MCE", VF_GUEST_CR4, 0x2620, -EPERM);
	expect("GUEST_CR4 with CET", VF_GUEST_CR4, 0x802660, -EPERM);
	expect("CR4 mask of the module", VF_CR4_GUEST_HOST_MASK, 0xffffffffff88e040ULL, 0);
	expect("CR4 mask giving the guest MCE", VF_CR4_GUEST_HOST_MASK,
	       0xffffffffff88e000ULL, -EPERM);
	expect("proc: use TPR shadow", VF_CPU_BASED_VM_EXEC_CONTROL, PROC_OK | BIT(21), -EPERM);
	expect("entry: load guest CET state", VF_VM_ENTRY_CONTROLS, 0x11ffU | BIT(20), -EPERM);
	expect("entry: load guest PERF_GLOBAL_CTRL", VF_VM_ENTRY_CONTROLS, 0x11ffU | BIT(13), -EPERM);
	expect("entry: load guest EFER is allowed", VF_VM_ENTRY_CONTROLS, 0x11ffU | BIT(15), 0);
	expect("exit MSR-load count 1", VF_VM_EXIT_MSR_LOAD_COUNT, 1, -EPERM);
	expect("exit MSR-store count 1", VF_VM_EXIT_MSR_STORE_COUNT, 1, -EPERM);
	expect("entry MSR-load count 1", VF_VM_ENTRY_MSR_LOAD_COUNT, 1, -EPERM);
	expect("MSR-load count 0", VF_VM_ENTRY_MSR_LOAD_COUNT, 0, 0);
	expect("activity: active", VF_GUEST_ACTIVITY_STATE, 0, 0);
	expect("activity: HLT", VF_GUEST_ACTIVITY_STATE, 1, 0);
	expect("activity: shutdown", VF_GUEST_ACTIVITY_STATE, 2, -EPERM);
	expect("activity: wait-for-SIPI", VF_GUEST_ACTIVITY_STATE, 3, -EPERM);
	expect("activity: invalid values only fail the entry", VF_GUEST_ACTIVITY_STATE, 4, 0);
	expect("reserved bits are not the guard's business",
	       VF_PIN_BASED_VM_EXEC_CONTROL, PIN_OK | BIT(31), 0);
	return ktest_finish();
}
