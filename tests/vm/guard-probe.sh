# guard-probe.sh: one VMCS override the write guard accepts, then a launch, to see what
# the emulated CPU does with it (outside the suite: --tests guard-probe.sh, case in
# VMXHV_TEST_PROBE).  A case that takes the CPU away ends the run without the end marker.
# shellcheck shell=sh
t_need_module
D=$VMXHV_D
C=$D/cpu0
G=$VMXHV_GUESTS
t_check "load" vmxhv_load || exit 0
echo 3000 >$C/timeout_ms
mem() { for a in 0x0 0x8 0x10 0x80; do printf '%s=%s ' $a "$(devmem $a 64 2>&1)"; done; }
echo 1 >$C/launch
t_diag "phys before: $(mem)"
case "$VMXHV_TEST_PROBE" in
A) set -- GUEST_ACTIVITY_STATE 3 ;;
B) set -- GUEST_ACTIVITY_STATE 2 ;;
C) set -- VM_EXIT_MSR_LOAD_COUNT 1 ;;
D) set -- VM_EXIT_MSR_STORE_COUNT 1 ;;
E) set -- VM_ENTRY_MSR_LOAD_COUNT 1 ;;
F) set -- SECONDARY_VM_EXEC_CONTROL $(( $(cat $C/vmcs/SECONDARY_VM_EXEC_CONTROL) | (1 << 18) ))
   cat $G/ept-fault.bin >$C/guest_code ;;
G) set -- CPU_BASED_VM_EXEC_CONTROL $(( ($(cat $C/vmcs/CPU_BASED_VM_EXEC_CONTROL) | (1 << 21)) & ~(1 << 20) ))
   printf '\104\017\040\300\364' >$C/guest_code ;;
H) echo 1 >$C/vmcs/GUEST_S_CET; t_diag "GUEST_S_CET: $(cat $C/vmcs/GUEST_S_CET) GUEST_SSP $(cat $C/vmcs/GUEST_SSP)"
   set -- VM_ENTRY_CONTROLS $(( $(cat $C/vmcs/VM_ENTRY_CONTROLS) | (1 << 20) )) ;;
I) set -- VM_ENTRY_CONTROLS $(( $(cat $C/vmcs/VM_ENTRY_CONTROLS) | (1 << 20) )) ;;
esac
t_diag "case $VMXHV_TEST_PROBE: $1=$2"
t_check "write $1=$2" sh -c "echo $2 > $C/vmcs/$1"
t_diag "launch: $(vmxhv-launch 0)"
t_diag "$(cat $C/status)"
t_diag "rax $(sed -n 's/^rax: //p' $C/regs)"
t_diag "phys after: $(mem)"
t_diag "$(dmesg | tail -n 5)"
echo clear >$C/overrides
t_check "a plain launch still works" sh -c "printf '\\364' > $C/guest_code && echo 1 > $C/launch"
t_check "unload" vmxhv_unload
