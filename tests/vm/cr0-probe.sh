# temporary: a long-mode guest with GUEST_CR0=0x30 (PG and PE clear)
# shellcheck shell=sh
t_check "load" vmxhv_load || exit 0
C=$VMXHV_D/cpu0
t_diag "mode $(cat $C/mode) cr0 $(cat $C/vmcs/GUEST_CR0) entry $(cat $C/vmcs/VM_ENTRY_CONTROLS)"
echo 0x30 > $C/vmcs/GUEST_CR0
t_diag "override: $(cat $C/overrides)"
sync
vmxhv-launch 0 | while read -r l; do t_diag "launch: $l"; done
t_diag "$(cat $C/status)"
t_check "unload" vmxhv_unload
