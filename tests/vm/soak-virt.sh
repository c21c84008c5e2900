# soak-virt.sh: every CPU virtualized for a long time (issue 15) under a mixed load:
# on every CPU a worker runs processes, pipes, files, CPUID loops (checked against
# the native CPUID dump), MSR reads through /dev/cpu/N/msr (selected: they exit) and
# CMOS port reads (selected: they exit); next to them a reader reads every per-CPU
# file and VMCS fields, a switcher turns CR3-load exiting on and off and, now and
# then, devirtualizes and virtualizes a CPU again, and a tracer switches the vmxhv
# events on and off.  Zero failures expected; the operation counts are reported.
#
# Outside the numbered suite: scripts/vm-run.sh ... --tests soak-virt.sh --timeout 4800.
# Length: VMXHV_TEST_SOAK_SECONDS, else vmxhv_soak=SECONDS on the kernel command line,
# else 1800.
# shellcheck shell=sh
t_need_module
D=$VMXHV_D
T=/sys/kernel/tracing
karg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }
secs=${VMXHV_TEST_SOAK_SECONDS:-$(karg vmxhv_soak)}
secs=${secs:-1800}

t_check "load" vmxhv_load || exit 0
insmod /vmxhv/kvm/msr.ko 2>/dev/null
cpus=$(cd $D && ls -d cpu[0-9]* | sed 's/cpu//' | tr '\n' ' ')
all=$(cat /sys/devices/system/cpu/online)
t_diag "soak-virt: $secs s, CPUs $cpus virtualized"
for c in $cpus; do
	cpuid-probe "$c" dump >/tmp/sv.cpuid$c
	cpuid-probe "$c" msr 0xc0000080 >/tmp/sv.efer$c
done
# The selected MSRs (EFER, APIC base, TSC) and the CMOS ports, on every CPU.
for c in $cpus; do
	echo 0xc0000080,0x1b,0x10 >$D/cpu$c/msr_exits
	echo 0x70-0x71 >$D/cpu$c/io_exits
done
t_check "virtualize every CPU ($all)" sh -c "echo $all > $D/virtualized" || exit 0

end=$(($(date +%s) + secs))
rm -f /tmp/sv.*.n /tmp/sv.fail

# fail WHAT: one failure, its first ten lines kept.
fail() {
	_bad=$((_bad + 1))
	[ "$_bad" -gt 10 ] || echo "$1" >>/tmp/sv.fail
}

# worker CPU: the kernel's work on that CPU, each result checked.
worker() {
	_n=0 _bad=0
	_want=$(seq 20000 | md5sum)
	while [ "$(date +%s)" -lt "$end" ]; do
		taskset -c "$1" sh -c 'seq 20000 | cat | md5sum' >/tmp/sv.w$1 2>&1
		[ "$(cat /tmp/sv.w$1)" = "$_want" ] || fail "cpu$1 pipe: $(cat /tmp/sv.w$1)"
		taskset -c "$1" sh -c "seq 20000 > /tmp/sv.f$1; md5sum < /tmp/sv.f$1" >/tmp/sv.w$1 2>&1
		[ "$(cat /tmp/sv.w$1)" = "$_want" ] || fail "cpu$1 file: $(cat /tmp/sv.w$1)"
		cpuid-probe "$1" dump >/tmp/sv.d$1 2>&1
		cmp -s /tmp/sv.d$1 /tmp/sv.cpuid$1 || fail "cpu$1 CPUID dump differs"
		cpuid-probe "$1" loop 200 >/dev/null 2>&1 || fail "cpu$1 cpuid loop"
		[ "$(cpuid-probe "$1" msr 0xc0000080 2>&1)" = "$(cat /tmp/sv.efer$1)" ] || fail "cpu$1 rdmsr EFER"
		taskset -c "$1" cat /proc/driver/rtc >/dev/null 2>&1 || fail "cpu$1 rtc"
		_n=$((_n + 7))
	done
	echo "$_n $_bad" >/tmp/sv.w$1.n
}

# reader: every per-CPU file and a few live VMCS fields, round and round.
reader() {
	_n=0 _bad=0
	while [ "$(date +%s)" -lt "$end" ]; do
		for _c in $cpus; do
			for _f in status regs exits dump check msr_exits io_exits \
				vmcs/GUEST_RIP vmcs/GUEST_CR3 vmcs/VM_EXIT_REASON \
				vmcs/EXIT_QUALIFICATION vmcs/CPU_BASED_VM_EXEC_CONTROL; do
				_n=$((_n + 1))
				cat "$D/cpu$_c/$_f" >/dev/null 2>>/tmp/sv.rerr || fail "read cpu$_c/$_f"
			done
		done
		cat $D/info $D/cpus $D/virtualized >/dev/null 2>>/tmp/sv.rerr || fail "read info"
		_n=$((_n + 1))
	done
	echo "$_n $_bad" >/tmp/sv.r.n
}

# switcher: CR3-load exiting on and off live; every tenth round one CPU
# devirtualized and virtualized again (the set written whole each time).
switcher() {
	_n=0 _bad=0 _i=0
	while [ "$(date +%s)" -lt "$end" ]; do
		_i=$((_i + 1))
		for _c in $cpus; do
			_p=$D/cpu$_c/vmcs/CPU_BASED_VM_EXEC_CONTROL
			_v=$(cat $_p) || { fail "read $_p"; continue; }
			echo $((_v ^ (1 << 15))) >$_p 2>>/tmp/sv.rerr || fail "toggle CR3 exiting cpu$_c"
			_n=$((_n + 1))
		done
		if [ $((_i % 10)) -eq 0 ]; then
			_c=${cpus%% *}
			[ "$(echo $cpus | wc -w)" -lt 2 ] || [ $((_i % 20)) -ne 0 ] || _c=${cpus##* }
			_rest=$(for _x in $cpus; do [ "$_x" = "$_c" ] || echo "$_x"; done | tr '\n' ',')
			echo "${_rest%,}" >$D/virtualized || fail "devirtualize cpu$_c"
			sleep 0.5
			echo "$all" >$D/virtualized || fail "virtualize cpu$_c again"
			[ "$(cat $D/virtualized)" = "$all" ] || fail "virtualized is $(cat $D/virtualized)"
			_n=$((_n + 2))
		fi
		sleep 0.5
	done
	echo "$_n $_bad" >/tmp/sv.s.n
}

# tracer: the vmxhv events on for a second, the buffer read, off again.
tracer() {
	_n=0 _bad=0 _ev=0
	while [ "$(date +%s)" -lt "$end" ]; do
		echo 1 >$T/events/vmxhv/enable || fail "trace on"
		sleep 1
		_ev=$((_ev + $(grep -c ' exit: \| msr: \| pio: \| cr: ' $T/trace)))
		echo 0 >$T/events/vmxhv/enable || fail "trace off"
		echo >$T/trace
		_n=$((_n + 1))
		sleep 1
	done
	echo "$_n $_bad $_ev" >/tmp/sv.t.n
}

pids=''
for c in $cpus; do
	worker "$c" &
	pids="$pids $!"
done
reader &
pids="$pids $!"
switcher &
pids="$pids $!"
tracer &
pids="$pids $!"
while [ "$(date +%s)" -lt "$end" ]; do
	sleep 60
	t_diag "soak-virt: $(($(date +%s) - end + secs)) s of $secs, virtualized $(cat $D/virtualized)"
done
# shellcheck disable=SC2086 # a list of pids
wait $pids

ops=0 bad=0
for c in $cpus; do
	read -r n b </tmp/sv.w$c.n
	t_diag "cpu$c: $n worker operations, $b failed; exits: $(tr '\n' ' ' <$D/cpu$c/exits | cut -c1-200)"
	ops=$((ops + n)) bad=$((bad + b))
done
read -r rn rb </tmp/sv.r.n
read -r sn sb </tmp/sv.s.n
read -r tn tb tev </tmp/sv.t.n
t_diag "soak-virt totals: $ops worker operations, $rn reads, $sn switches, $tn trace on/off cycles ($tev events seen)"
t_diag "soak-virt operations: $((ops + rn + sn + tn * 2))"
t_eq "no failure" 0 $((bad + rb + sb + tb)) || t_diag "$(cat /tmp/sv.fail)"
t_check "operations made ($ops)" test "$ops" -gt 0
t_check "devirtualize" sh -c "echo > $D/virtualized"
for c in $cpus; do
	cpuid-probe "$c" dump >/tmp/sv.d$c
	t_check "cpu$c: CPUID native again, as before" cmp /tmp/sv.d$c /tmp/sv.cpuid$c
done
t_check "unload" vmxhv_unload
