# 81-guard.sh: VMCS values the write guard must refuse because a launch with them takes
# the host down or hands the guest host memory or host state; found by the fuzzer and
# by probing each with a launch (tests/vm/guard-probe.sh).  Regression tests: each
# write must fail with EPERM; a write that is accepted fails its test and is dropped
# again at once (overrides "clear"): this file never launches with one of them.
#
#   GUEST_ACTIVITY_STATE 3 (wait-for-SIPI): the guest waits for a SIPI nobody sends;
#     in that state interrupts, NMIs and the preemption timer do not exit, the CPU is
#     lost (soft lockups on the other CPUs waiting for its IPIs, an unkillable writer).
#   VM_EXIT_MSR_LOAD_COUNT, VM_EXIT_MSR_STORE_COUNT, VM_ENTRY_MSR_LOAD_COUNT not 0: the
#     CPU walks an MSR list at the (unwritable, so 0) list address, i.e. host physical
#     page 0; at VM exit an invalid entry is a VMX abort: the CPU shuts down.
#   CPU_BASED_VM_EXEC_CONTROL bit 21 (use TPR shadow): guest CR8 reads come from the
#     virtual-APIC page at VIRTUAL_APIC_PAGE_ADDR (0): host physical memory.
#   VM_ENTRY_CONTROLS bits 13, 16, 18, 20, 21, 22 (load PERF_GLOBAL_CTRL, BNDCFGS,
#     RTIT_CTL, CET state, LBR_CTL, PKRS): the guest's value stays in force in the host
#     after VM exit, since the matching exit controls are refused; with CET state and
#     S_CET.SH_STK_EN the host dies on its next RET.
# shellcheck shell=sh
t_need_module
D=$VMXHV_D
C=$D/cpu0
t_check "load" vmxhv_load || exit 0
# The VMCS holds the module's controls after a launch.
t_check "launch" sh -c "echo 1 > $C/launch" || exit 0

# refused NAME VALUE WHY: the write fails with EPERM and leaves no override.
refused() {
	if t_errno "$1=$2 refused: $3" EPERM "echo $2 > $C/vmcs/$1"; then
		return 0
	fi
	echo clear >$C/overrides
	return 1
}

refused GUEST_ACTIVITY_STATE 3 "wait-for-SIPI takes the CPU for good"
for f in VM_EXIT_MSR_LOAD_COUNT VM_EXIT_MSR_STORE_COUNT VM_ENTRY_MSR_LOAD_COUNT; do
	refused $f 1 "an MSR list at host physical address 0"
done
proc=$(cat $C/vmcs/CPU_BASED_VM_EXEC_CONTROL)
refused CPU_BASED_VM_EXEC_CONTROL $(printf '0x%x' $((proc | 1 << 21))) \
	"TPR shadow reads the virtual-APIC page at host physical address 0"
entry=$(cat $C/vmcs/VM_ENTRY_CONTROLS)
for b in 13 16 18 20 21 22; do
	refused VM_ENTRY_CONTROLS $(printf '0x%x' $((entry | 1 << b))) \
		"entry control bit $b loads a guest MSR the VM exit leaves in the host"
done
t_eq "no override left behind" "" "$(cat $C/overrides)"
t_check "launch after the refusals" sh -c "echo 1 > $C/launch"
t_check "unload" vmxhv_unload
