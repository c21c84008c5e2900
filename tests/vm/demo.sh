# The README's demo (make demo): the tutorial's experiment end to end.
# Output lines starting with "$" are the commands, the rest is their output.
t_need_module
D=$VMXHV_D
show() { echo "\$ $*"; sh -c "$*" 2>&1 | sed 's/^/  /'; }

echo "#### vmxhv demo: Intel VMX from a shell ####"
show "insmod /vmxhv/vmxhv.ko && dmesg | grep vmxhv"
show "cat $D/info"
show "cat $D/cpus; ls $D/cpu0"
echo "## The tutorial's guest: a single HLT at GPA 0x10000"
show "xxd $D/cpu0/guest_code"
show "echo 1 > $D/cpu0/launch; cat $D/cpu0/status"
show "cat $D/cpu0/vmcs/GUEST_RIP $D/cpu0/vmcs/VM_EXIT_REASON $D/cpu0/vmcs/VM_EXIT_INSTRUCTION_LEN"
t_eq "HLT guest halted" "state: halted" "$(grep ^state $D/cpu0/status)"
echo "## A guest in GNU as that prints through port 0xE9 (tests/guests/hello.S)"
show "vmxhv-run $VMXHV_GUESTS/hello.bin"
t_eq "hello printed" hello "$(cat $D/cpu0/console)"
echo "## 100000 CPUID exits (tests/guests/cpuid-loop.S), traced"
# A traced exit costs several untraced ones, and emulated time follows the
# instruction count: give the loop a minute, not the default 2 s.
show "echo 60000 > $D/cpu0/timeout_ms"
show "echo 1 > /sys/kernel/tracing/events/vmxhv/exit/enable"
show "vmxhv-run $VMXHV_GUESTS/cpuid-loop.bin"
show "echo 0 > /sys/kernel/tracing/events/vmxhv/exit/enable; grep -m3 vmxhv /sys/kernel/tracing/trace"
show "grep -E '^(r8|r9|r10|r15):' $D/cpu0/regs"
t_eq "CPUID loop exits" "exits: 100001" "$(grep ^exits $D/cpu0/status)"
t_check "the trace holds CPUID exits" grep -qm1 "reason=CPUID" /sys/kernel/tracing/trace
echo 2000 > $D/cpu0/timeout_ms
echo "## A broken VMCS: the checker names the rule before and after VMLAUNCH"
show "echo 0 > $D/cpu0/vmcs/GUEST_RFLAGS; cat $D/cpu0/check"
show "echo 1 > $D/cpu0/launch; cat $D/cpu0/status"
t_eq "the broken VMCS fails to enter" "state: failed" "$(grep ^state $D/cpu0/status)"
show "echo clear > $D/cpu0/overrides; echo 1 > $D/cpu0/launch && grep state $D/cpu0/status"
show "rmmod vmxhv && dmesg | tail -n 2"
echo "#### end of demo ####"
