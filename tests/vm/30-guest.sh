# Running guest code: the launch results, the exits the guest can cause,
# isolation from the host (issue: run guest code).
t_need_module
D=$VMXHV_D
G=$VMXHV_GUESTS
C=$D/cpu0
t_check "load" vmxhv_load || exit 0

key() { sed -n "s/^$2: //p" "$1/status"; }
reg() { sed -n "s/^$2: //p" "$1/regs"; }
# run IMAGE [CPU]: load an image and launch it; prints vmxhv-launch's verdict.
run() { cat "$G/$1.bin" > "$D/cpu${2:-0}/guest_code" && vmxhv-launch "${2:-0}" | cut -d' ' -f1; }

t_eq "status before any launch" idle "$(key $C state)"
t_eq "default image is HLT" f4 "$(xxd -p $C/guest_code)"
t_check "default HLT launch succeeds" sh -c "echo 1 > $C/launch"
t_eq "state halted" halted "$(key $C state)"
t_eq "exit_reason HLT (12)" "HLT (12)" "$(key $C exit_reason)"
t_eq "guest_rip 0x10000" 0x10000 "$(key $C guest_rip)"
t_eq "exits 1" 1 "$(key $C exits)"
t_eq "exits file" "HLT 1" "$(cat $C/exits)"
t_eq "launch reads 0 when idle" 0 "$(cat $C/launch)"
t_eq "regs rip" 0x0000000000010000 "$(reg $C rip)"
t_eq "regs rsp is top of RAM" 0x0000000000200000 "$(reg $C rsp)"
t_check "second launch repeats" sh -c "echo 1 > $C/launch && grep -qx 'exits: 1' $C/status"

t_eq "RAM guest halts" OK "$(run ram-reuse)"
t_eq "RAM starts zeroed" 0x0000000000000000 "$(reg $C r8)"
t_eq "RAM guest halts again" OK "$(vmxhv-launch 0 | cut -d' ' -f1)"
t_eq "RAM zeroed again after the guest wrote it" 0x0000000000000000 "$(reg $C r8)"

t_eq "hello guest halts" OK "$(run hello)"
t_eq "console is exactly hello" hello "$(cat $C/console)"

# 100000 exits take 0.4 emulated s on a release kernel, 2.5 s on the debug kernel (KASAN,
# lockdep): the default 2 s limit is not what this checks.
echo 20000 > $C/timeout_ms
t_eq "100000 CPUID guest halts" OK "$(run cpuid-loop)"
echo 2000 > $C/timeout_ms
t_eq "exits 100001" 100001 "$(key $C exits)"
t_eq "exits file: CPUID 100000, HLT 1" "CPUID 100000
HLT 1" "$(cat $C/exits)"
ecx=$(reg $C r8)
t_eq "guest sees no VMX bit" 0 "$(( (ecx >> 5) & 1 ))"
t_eq "guest sees the hypervisor bit" 1 "$(( (ecx >> 31) & 1 ))"
t_eq "signature EBX vmxh" 0x0000000068786d76 "$(reg $C r9)"
t_eq "signature ECX v" 0x0000000000000076 "$(reg $C r10)"
t_eq "signature EDX zero" 0x0000000000000000 "$(reg $C r11)"
tsc=$(reg $C r15)
t_diag "CPUID loop: $(( tsc )) guest TSC ticks for 99998 exits = $(( tsc / 99998 )) per exit round trip; run_ns $(key $C run_ns)"

# A task pinned to CPU 0 must keep running while the guest spins there.  count MS: a
# loop of shell builtins (no fork: a fork takes about 1 emulated second on the debug kernel)
# pinned to CPU 0 counts its rounds for MS milliseconds of /proc/uptime; the count is
# left in /tmp/progress.
uptime_cs() { read -r _up _ </proc/uptime; echo "${_up%.*}${_up#*.}"; }
count() {
	(
		n=0 end=$(( $(uptime_cs) + $1 / 10 ))
		while :; do
			read -r up _ </proc/uptime
			[ "${up%.*}${up#*.}" -lt $end ] || break
			n=$((n + 1))
		done
		echo $n > /tmp/progress
	) &
	taskset -p 1 $! >/dev/null 2>&1
}
count 1500
wait
base=$(cat /tmp/progress)
echo 3000 > $C/timeout_ms
cat $G/spin.bin > $C/guest_code
# The guest spins for 3 s; the count starts 1 s in and lasts 1.5 s, inside the spin.
( sleep 1; count 1500; wait ) &
r=$(vmxhv-launch 0)
wait
t_eq "spin guest: ETIMEDOUT" ETIMEDOUT "${r% *}"
ms=${r#* }
t_check "timeout after about 3 s (got ${ms} ms)" test "$ms" -ge 2900 -a "$ms" -le 6000
t_eq "state timeout" timeout "$(key $C state)"
# Sharing CPU 0 fairly with the launching task gives about half the rounds of the idle
# CPU; a starved task gets none.
t_check "pinned task made progress during the spin ($(cat /tmp/progress) rounds in 1.5 s, $base on an idle CPU)" \
	test "$(cat /tmp/progress)" -gt $((base / 5))

echo 60000 > $C/timeout_ms
vmxhv-launch 0 > /tmp/l0 &
pid=$!
sleep 2
kill -INT $pid
wait
r=$(cat /tmp/l0)
t_eq "SIGINT to the writer: EINTR" EINTR "${r% *}"
t_check "interrupted within 2-5 s (got ${r#* } ms)" test "${r#* }" -ge 1500 -a "${r#* }" -le 5000
t_eq "state interrupted" interrupted "$(key $C state)"
echo 2000 > $C/timeout_ms

t_eq "EPT violation guest faults" EIO "$(run ept-fault)"
t_eq "state fault" fault "$(key $C state)"
t_eq "exit_reason EPT_VIOLATION" "EPT_VIOLATION (48)" "$(key $C exit_reason)"
t_eq "guest_physical_address" 0x40000000 "$(key $C guest_physical_address)"

t_eq "ud2 guest faults" EIO "$(run ud2)"
t_eq "ud2: exit_reason EXCEPTION_NMI (0)" "EXCEPTION_NMI (0)" "$(key $C exit_reason)"
t_eq "ud2: exception UD (6)" "UD (6)" "$(key $C exception)"

t_eq "reset ports are dropped, guest halts" OK "$(run ports)"
t_eq "IN reads all ones" 0x00000000000000ff "$(reg $C r8)"

t_eq "LSTAR guest halts" OK "$(run lstar)"
t_eq "RDMSR LSTAR is the guest's virtual 0, not the host's" 0x0000000000000000 "$(reg $C r8)"
t_eq "WRMSR LSTAR reads back in the guest" 0x00000000dead0000 "$(reg $C r9)"
t_check "host still makes system calls" sh -c 'ls / >/dev/null && echo ok | grep -q ok'

t_eq "unknown MSR: fault" EIO "$(run bad-msr)"
t_eq "unknown MSR: #GP" "GP (13)" "$(key $C exception)"

t_eq "hypercall guest halts" OK "$(run vmcall)"
t_eq "hypercall version" 0x0000000000000001 "$(reg $C r8)"
t_eq "hypercall putc returns 0" 0x0000000000000000 "$(reg $C r9)"
t_eq "unknown hypercall returns -1" 0xffffffffffffffff "$(reg $C r10)"
t_eq "hypercall putc printed V" V "$(cat $C/console)"

# Host vector registers survive a guest clobbering its own on the same CPU.
echo 20000 > $C/timeout_ms
taskset -c 0 fpcheck 6 > /tmp/fp &
fp=$!
sleep 1
r=$(run sse-clobber)
wait $fp
echo 2000 > $C/timeout_ms
t_eq "SSE-clobbering guest halts" OK "$r"
t_check "host xmm registers unchanged ($(cat /tmp/fp))" grep -q '^ok' /tmp/fp
t_eq "guest xmm registers unchanged across 50000 exits" 0x0000000000000001 "$(reg $C r8)"

echo protected > $C/mode
t_eq "protected-mode guest halts" OK "$(run protected)"
t_eq "protected-mode console" prot "$(cat $C/console)"
echo real > $C/mode
t_eq "real-mode guest halts" OK "$(run real-hello)"
t_eq "real-mode console" real "$(cat $C/console)"
echo long > $C/mode
t_eq "mode reads long" long "$(cat $C/mode)"

if [ "$VMXHV_NCPUS" -ge 2 ]; then
	cat $G/cpuid-loop.bin > $D/cpu0/guest_code
	cat $G/hello.bin > $D/cpu1/guest_code
	echo 20000 > $D/cpu0/timeout_ms
	vmxhv-launch 0 > /tmp/p0 &
	vmxhv-launch 1 > /tmp/p1 &
	wait
	echo 2000 > $D/cpu0/timeout_ms
	t_eq "both CPUs at once: cpu0 OK" OK "$(cut -d' ' -f1 /tmp/p0)"
	t_eq "both CPUs at once: cpu1 OK" OK "$(cut -d' ' -f1 /tmp/p1)"
	t_eq "cpu0 result independent" 100001 "$(key $D/cpu0 exits)"
	t_eq "cpu1 result independent" hello "$(cat $D/cpu1/console)"
fi
# Every VMWRITE the module does not check (VMCS setup, exit handlers, overrides) succeeded
# in all three modes and in all the launches above: status counts the failures.
for m in long protected real; do
	echo $m > $C/mode
	cat $G/hlt.bin > $C/guest_code
	echo 1 > $C/launch
	t_eq "$m mode: no VMWRITE failed" 0 "$(key $C vmwrite_failures)"
done
echo long > $C/mode
t_check "unload" vmxhv_unload
