# Virtualizing the running kernel (abi.md v2, "virtualizing the running
# kernel on selected CPUs"): the CPU's kernel and processes carry on as a
# VMX guest, their CPUIDs exit, are counted and traced, and give the
# native results.
t_need_module
D=$VMXHV_D
T=/sys/kernel/tracing
t_check "load" vmxhv_load || exit 0
N=$((VMXHV_NCPUS - 1))		# the last CPU: on 2 CPUs not the one running the test
C=$D/cpu$N
key() { sed -n "s/^$1: //p" "$C/status"; }
count() { sed -n "s/^$1 //p" "$C/exits"; }

t_eq "nothing virtualized at load" "" "$(cat $D/virtualized)"
cpuid-probe $N dump > /tmp/cpuid-native
t_check "virtualize cpu$N" sh -c "echo $N > $D/virtualized"
t_eq "virtualized lists it" "$N" "$(cat $D/virtualized)"
t_eq "status: state virtualized" virtualized "$(key state)"
t_check "dmesg says so" sh -c "dmesg | grep -q 'cpu$N: virtualized: its kernel runs in VMX non-root operation'"

# CPUID: the same results as natively, every leaf and subleaf.
cpuid-probe $N dump > /tmp/cpuid-virt
t_check "CPUID dump identical virtualized and native" cmp /tmp/cpuid-native /tmp/cpuid-virt
t_diag "$(wc -l < /tmp/cpuid-virt) leaf/subleaf lines compared"

# A user CPUID loop: each CPUID one exit, counted.  Each static program
# adds its C library's own CPUIDs at start-up (about 60 per exec, measured).
before=$(count CPUID)
cpuid-probe $N loop 10000 > /dev/null
after=$(count CPUID)
delta=$((after - before))
t_check "10000 user CPUIDs counted (got $delta)" test "$delta" -ge 10000 -a "$delta" -le 10600
t_eq "the last exit is a CPUID" "CPUID (10)" "$(key exit_reason)"

# ... and traced.
echo > $T/trace
echo 1 > $T/events/vmxhv/exit/enable
cpuid-probe $N loop 200 > /dev/null
echo 0 > $T/events/vmxhv/exit/enable
traced=$(grep -c "\[00$N\].*exit: reason=CPUID" $T/trace)
dropped=$(key trace_dropped)
t_check "200 traced CPUID exits on cpu$N (got $traced, dropped $dropped)" \
	test $((traced + dropped)) -ge 200
t_diag "$(grep -m2 "exit: reason=CPUID" $T/trace)"

# Idle: no exits to speak of (no HLT, interrupt or timer exiting).  The
# programs the test itself starts execute CPUIDs (on 1 CPU, on this one):
# count what is not a CPUID.
e0=$(key exits) c0=$(count CPUID)
sleep 2
e1=$(key exits) c1=$(count CPUID)
other=$((e1 - e0 - (c1 - c0)))
t_diag "idle cpu$N: $((e1 - e0)) exits in 2 s, $((c1 - c0)) of them CPUID from programs starting"
t_check "an idle virtualized CPU takes (almost) no other exits ($other in 2 s)" \
	test "$other" -le 10

# The per-CPU files read its live state.
rip=$(cat $C/vmcs/GUEST_RIP)
t_check "vmcs/GUEST_RIP reads a kernel address ($rip)" \
	test "$(( (rip >> 47) & 1 ))" = 1 -o "$(( rip >> 63 ))" != 0
t_eq "regs has 18 lines" 18 "$(wc -l < $C/regs)"
t_check "dump reads every field" test "$(grep -c '^[A-Z]' $C/dump)" -ge 100
t_diag "check: $(cat $C/check | head -3)"
t_eq "the entry checker passes the live VMCS" ok "$(cat $C/check)"
t_eq "GUEST_CR4 has VMXE" 1 "$(( ($(cat $C/vmcs/GUEST_CR4) >> 13) & 1 ))"
t_eq "CR4 read shadow shows VMXE" 1 "$(( ($(cat $C/vmcs/CR4_READ_SHADOW) >> 13) & 1 ))"

# Writes at the wrong time.
t_errno "launch on a virtualized CPU: EBUSY" EBUSY "echo 1 > $C/launch"
t_eq "still virtualized after the refused launch" virtualized "$(key state)"
t_errno "vmcs writes on a virtualized CPU: EPERM" EPERM "echo 0 > $C/vmcs/EXCEPTION_BITMAP"
for bad in abc 64 0- "$((N + 1))"; do
	t_errno "virtualized refuses '$bad'" EINVAL "echo '$bad' > $D/virtualized"
	t_eq "virtualized unchanged after '$bad'" "$N" "$(cat $D/virtualized)"
done

# The kernel keeps working on it: processes, pipes, files.
t_check "100 processes on cpu$N" sh -c "for i in \$(seq 100); do taskset -c $N true || exit 1; done"
t_check "a pipe through cpu$N" sh -c "dd if=/dev/zero bs=64k count=64 2>/dev/null | taskset -c $N cat | wc -c | grep -qx 4194304"
t_check "a file written and read on cpu$N" sh -c "taskset -c $N sh -c 'seq 100000 > /tmp/v.txt; md5sum /tmp/v.txt' > /tmp/v.md5 && seq 100000 | md5sum | cut -d' ' -f1 | grep -q \$(cut -d' ' -f1 /tmp/v.md5)"
t_check "SysRq-l while virtualized" sh -c "echo l > /proc/sysrq-trigger"

if [ "$VMXHV_NCPUS" -ge 2 ]; then
	t_check "virtualize both CPUs" sh -c "echo 0-1 > $D/virtualized"
	t_eq "virtualized is 0-1" 0-1 "$(cat $D/virtualized)"
	cpuid-probe 0 loop 1000 > /dev/null
	t_check "cpu0 counts its CPUIDs too" test "$(sed -n 's/^CPUID //p' $D/cpu0/exits)" -ge 1000
	t_check "offline virtualized cpu1" sh -c "echo 0 > /sys/devices/system/cpu/cpu1/online"
	t_eq "virtualized without cpu1" 0 "$(cat $D/virtualized)"
	t_check "online cpu1" sh -c "echo 1 > /sys/devices/system/cpu/cpu1/online"
	t_eq "cpu1 comes back virtualized" 0-1 "$(cat $D/virtualized)"
	t_eq "cpu1 status virtualized" "state: virtualized" "$(grep '^state' $D/cpu1/status)"
	t_check "cpus without cpu1 devirtualizes it" sh -c "echo 0 > $D/cpus"
	t_eq "virtualized is 0" 0 "$(cat $D/virtualized)"
	t_check "cpus 0-1 again" sh -c "echo 0-1 > $D/cpus"
	t_eq "re-added cpu1 is not virtualized" 0 "$(cat $D/virtualized)"
	t_check "virtualize cpu1 again" sh -c "echo $N > $D/virtualized"
fi

t_check "an empty write devirtualizes" sh -c "echo > $D/virtualized"
t_eq "virtualized is empty" "" "$(cat $D/virtualized)"
t_eq "status: state idle again" idle "$(key state)"
t_check "dmesg: devirtualized" sh -c "dmesg | grep -q 'cpu$N: devirtualized after'"
t_check "a launch works after devirtualizing" sh -c "echo 1 > $C/launch"
t_eq "and halts" halted "$(key state)"
cpuid-probe $N dump > /tmp/cpuid-after
t_check "CPUID native again, same results" cmp /tmp/cpuid-native /tmp/cpuid-after

# Unload while virtualized and tracing: the CPUs leave non-root mode first.
t_check "virtualize again" sh -c "echo $N > $D/virtualized"
echo 1 > $T/events/vmxhv/exit/enable
cpuid-probe $N loop 100 > /dev/null
t_check "unload while virtualized and tracing" vmxhv_unload
t_check "the vmxhv events went with the module" test ! -e $T/events/vmxhv
cpuid-probe $N dump > /tmp/cpuid-gone
t_check "CPUID after unload as before" cmp /tmp/cpuid-native /tmp/cpuid-gone
