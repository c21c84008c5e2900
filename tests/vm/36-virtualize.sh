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
# /dev/cpu/N/msr for the MSR checks below (not there on the debug kernel).
insmod /vmxhv/kvm/msr.ko 2>/dev/null
cpuid-probe $N dump > /tmp/cpuid-native
# Figures for Documentation/bench.md (not timed checks): TSC ticks, which
# Bochs advances once per instruction.
tick_native=$(cpuid-probe $N ticks 2000)
work_native=$(cpuid-probe $N work 100000)
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

tick_virt=$(cpuid-probe $N ticks 2000)
work_virt=$(cpuid-probe $N work 100000)
t_diag "bench virt cpuid ticks native=$tick_native virtualized=$tick_virt"
t_diag "bench virt work ticks native=$work_native virtualized=$work_virt"
t_check "the workload ran virtualized ($work_virt ticks)" test "${work_virt:-0}" -gt 0

# ... and traced.
echo > $T/trace
echo 1 > $T/events/vmxhv/exit/enable
cpuid-probe $N loop 200 > /dev/null
tick_traced=$(cpuid-probe $N ticks 2000)
echo 0 > $T/events/vmxhv/exit/enable
t_diag "bench virt cpuid ticks traced=$tick_traced"
traced=$(grep -c "\[00$N\].*exit: reason=CPUID" $T/trace)
dropped=$(key trace_dropped)
t_check "200 traced CPUID exits on cpu$N (got $traced, dropped $dropped)" \
	test $((traced + dropped)) -ge 200
t_diag "$(grep -m2 "exit: reason=CPUID" $T/trace)"

# The live-system bpftrace tool (scripts/vmxhv-live.bt), where bpftrace is.
if command -v bpftrace > /dev/null && [ -e /dev/cpu/$N/msr ]; then
	echo 0x1b > $C/msr_exits
	timeout 600 bpftrace /usr/bin/vmxhv-live.bt -c "/usr/bin/cpuid-probe $N msr 0x1b" > /tmp/live 2>&1
	echo clear > $C/msr_exits
	t_check "vmxhv-live.bt counts CPUID exits on cpu$N" grep -q "^@exits\[$N, CPUID\]: " /tmp/live
	t_check "vmxhv-live.bt counts the MSR read" grep -q '^@msr\[27, rdmsr\]: ' /tmp/live
	t_diag "$(cat /tmp/live)"
fi

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

# CR3-load exiting switched on and off live: the only controls that may
# change are the exit-selection ones (RDPMC, CR3, MOV DR, WBINVD).
P=$C/vmcs/CPU_BASED_VM_EXEC_CONTROL
proc=$(cat $P)
t_errno "HLT exiting on a virtualized CPU: EPERM" EPERM "echo $((proc | (1 << 7))) > $P"
t_eq "controls unchanged after EPERM" "$proc" "$(cat $P)"
t_check "CR3-load and store exiting on" sh -c "echo $((proc | (3 << 15))) > $P"
t_eq "the live VMCS has them" "$((proc | (3 << 15)))" "$(($(cat $P)))"
echo > $T/trace
echo 1 > $T/events/vmxhv/cr/enable
k0=$(count CR_ACCESS)
for i in 1 2 3 4 5; do taskset -c $N true; done
k1=$(count CR_ACCESS)
echo 0 > $T/events/vmxhv/cr/enable
t_check "context switches exit on CR3 loads ($((${k1:-0} - ${k0:-0})))" test $((${k1:-0} - ${k0:-0})) -ge 5
t_check "vmxhv:cr traced a CR3 write" grep -q "write cr3 value=0x" $T/trace
t_diag "$(grep -m2 'cr: ' $T/trace)"
t_check "processes still run with CR3 exiting" sh -c "taskset -c $N sh -c 'seq 1000 | md5sum' | grep -q ."
t_check "CR3 exiting off again" sh -c "echo $proc > $P"
k2=$(count CR_ACCESS)
for i in 1 2 3 4 5; do taskset -c $N true; done
k3=$(count CR_ACCESS)
t_eq "no CR3 exits once it is off" 0 "$((${k3:-0} - ${k2:-0}))"
t_check "MOV-DR, RDPMC and WBINVD exiting on and off" sh -c \
	"echo $((proc | (1 << 23) | (1 << 11))) > $P && echo $proc > $P"
t_eq "no override left behind on a virtualized CPU" "" "$(cat $C/overrides)"
for bad in abc 64 0- "$((N + 1))"; do
	t_errno "virtualized refuses '$bad'" EINVAL "echo '$bad' > $D/virtualized"
	t_eq "virtualized unchanged after '$bad'" "$N" "$(cat $D/virtualized)"
done

# msr_exits and io_exits: the syntax, and what the files refuse.
t_eq "msr_exits empty by default" "" "$(cat $C/msr_exits)"
t_eq "io_exits empty by default" "" "$(cat $C/io_exits)"
t_check "msr_exits takes a list" sh -c "echo 0x10,0x6e0,0xc0000080-0xc0000082 > $C/msr_exits"
t_eq "msr_exits shows it" "0x10,0x6e0,0xc0000080-0xc0000082" "$(cat $C/msr_exits)"
t_check "msr_exits: spaces, decimal, adjacent" sh -c "echo '18 0x10-0x11' > $C/msr_exits"
t_eq "msr_exits sorted and merged" "0x10-0x12" "$(cat $C/msr_exits)"
for bad in 0x2000 0xc0002000 0x20-0x10 abc "0x10;0x11" 0x1fff-0xc0000000; do
	t_errno "msr_exits refuses '$bad'" EINVAL "echo '$bad' > $C/msr_exits"
	t_eq "msr_exits unchanged after '$bad'" "0x10-0x12" "$(cat $C/msr_exits)"
done
t_check "msr_exits clear" sh -c "echo clear > $C/msr_exits"
t_eq "msr_exits empty after clear" "" "$(cat $C/msr_exits)"
t_check "io_exits takes a list" sh -c "echo 0x3f8-0x3ff,0x70-0x71 > $C/io_exits"
t_eq "io_exits shows it sorted" "0x70-0x71,0x3f8-0x3ff" "$(cat $C/io_exits)"
t_errno "io_exits refuses 0x10000" EINVAL "echo 0x10000 > $C/io_exits"
t_check "io_exits clear" sh -c "echo clear > $C/io_exits"

# Selected MSRs exit and give the native results: one held in the VMCS
# during an exit (EFER, SYSENTER_CS), the others read for real.  A write
# to the locked IA32_FEATURE_CONTROL faults natively (the msr driver's
# wrmsr_safe returns EIO): it must fault the same way virtualized.
MSRS="0x1b 0x3a 0x174 0xc0000080 0xc0000081"
if [ -e /dev/cpu/$N/msr ]; then
	echo clear > $C/msr_exits
	native=$(for m in $MSRS; do echo "$m $(cpuid-probe $N msr $m)"; done)
	fc=$(cpuid-probe $N msr 0x3a)
	wr_native=$(cpuid-probe $N wrmsr 0x3a $fc)
	echo "$MSRS" | tr ' ' , > $C/msr_exits
	r0=$(count MSR_READ)
	echo > $T/trace
	echo 1 > $T/events/vmxhv/msr/enable
	virt=$(for m in $MSRS; do echo "$m $(cpuid-probe $N msr $m)"; done)
	w0=$(count MSR_WRITE)
	wr_virt=$(cpuid-probe $N wrmsr 0x3a $fc)
	w1=$(count MSR_WRITE)
	echo 0 > $T/events/vmxhv/msr/enable
	r1=$(count MSR_READ)
	t_eq "selected MSRs read the same virtualized" "$native" "$virt"
	t_diag "$(echo "$virt" | tr '\n' ';')"
	t_check "each selected MSR read exited ($((r1 - r0)) MSR_READ exits)" test $((r1 - r0)) -ge 5
	t_check "vmxhv:msr traced the reads" \
		sh -c "grep -q 'rdmsr msr=0xc0000080 value=' $T/trace && grep -q 'rdmsr msr=0x1b value=' $T/trace"
	t_diag "$(grep -m3 'vmxhv:msr\|msr: ' $T/trace)"
	t_eq "a write to locked FEATURE_CONTROL: the same result ($wr_native)" "$wr_native" "$wr_virt"
	t_check "that WRMSR exited" test "$((${w1:-0} - ${w0:-0}))" -ge 1
	t_check "vmxhv:msr traced it" grep -q "wrmsr msr=0x3a value=$fc" $T/trace
	echo clear > $C/msr_exits
else
	t_skip "selected MSRs read the same virtualized" "no msr driver"
fi

# Selected ports: the CMOS clock's, read by the kernel for /proc/driver/rtc.
if [ -r /proc/driver/rtc ]; then
	echo 0x70-0x71 > $C/io_exits
	i0=$(count IO_INSTRUCTION)
	echo > $T/trace
	echo 1 > $T/events/vmxhv/pio/enable
	rtc=$(taskset -c $N cat /proc/driver/rtc)
	echo 0 > $T/events/vmxhv/pio/enable
	i1=$(count IO_INSTRUCTION)
	echo clear > $C/io_exits
	t_check "the RTC's port accesses exited ($((i1 - i0)))" test $((i1 - i0)) -ge 2
	t_check "and were carried out (a date came back)" \
		sh -c "echo '$rtc' | grep -q '^rtc_date.*: 2[0-9][0-9][0-9]-'"
	t_check "vmxhv:pio traced port 0x71" grep -q 'in port=0x71 size=1' $T/trace
	t_diag "$(grep -m2 'port=0x7' $T/trace)"
else
	t_skip "the RTC's port accesses exited" "no /proc/driver/rtc"
fi

# The kernel keeps working on it: processes, pipes, files.
t_check "100 processes on cpu$N" sh -c "for i in \$(seq 100); do taskset -c $N true || exit 1; done"
t_check "a pipe through cpu$N" sh -c "dd if=/dev/zero bs=64k count=64 2>/dev/null | taskset -c $N cat | wc -c | grep -qx 4194304"
t_check "a file written and read on cpu$N" sh -c "taskset -c $N sh -c 'seq 100000 > /tmp/v.txt; md5sum /tmp/v.txt' > /tmp/v.md5 && seq 100000 | md5sum | cut -d' ' -f1 | grep -q \$(cut -d' ' -f1 /tmp/v.md5)"
if [ -e /proc/sysrq-trigger ]; then
	t_check "SysRq-l while virtualized" sh -c "echo l > /proc/sysrq-trigger"
else
	t_skip "SysRq-l while virtualized" "kernel without CONFIG_MAGIC_SYSRQ"
fi

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
