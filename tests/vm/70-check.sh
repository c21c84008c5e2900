# The VM-entry checker: `check`, and the explanation of a failed entry
# (issue: entry checker).
t_need_module
t_one_cpu_only
D=$VMXHV_D
C=$D/cpu0
G=$VMXHV_GUESTS
t_check "load" vmxhv_load || exit 0
key() { sed -n "s/^$1: //p" "$C/status"; }

for m in long protected real; do
	echo $m > $C/mode
	case $m in real) img=real-hello ;; protected) img=protected ;; *) img=hello ;; esac
	cat $G/$img.bin > $C/guest_code
	echo 1 > $C/launch
	t_eq "$m-mode VMCS checks ok" ok "$(cat $C/check)"
done
echo long > $C/mode
cat $G/hlt.bin > $C/guest_code

echo 0 > $C/vmcs/GUEST_RFLAGS
before=$(cat $C/check)
t_check "check names GUEST_RFLAGS before the launch" sh -c "echo '$before' | grep -q 'GUEST_RFLAGS'"
t_errno "launch with RFLAGS=0: EIO" EIO "echo 1 > $C/launch"
t_eq "state failed" failed "$(key state)"
t_eq "exit reason 33" "INVALID_STATE (33)" "$(key exit_reason)"
t_check "entry_failure names GUEST_RFLAGS and bit 1" sh -c "key() { sed -n \"s/^\$1: //p\" $C/status; }; key entry_failure | grep 'GUEST_RFLAGS' | grep -q 'bit 1'"
t_diag "entry_failure: $(key entry_failure)"
t_eq "check lists the same rule after the launch" "$before" "$(cat $C/check)"
t_check "the kernel log explains it" sh -c "dmesg | grep -q 'VM entry failed: .*GUEST_RFLAGS'"
echo clear > $C/overrides
t_check "after clear the guest halts" sh -c "echo 1 > $C/launch"
t_eq "and check is ok" ok "$(cat $C/check)"
t_check "unload" vmxhv_unload
