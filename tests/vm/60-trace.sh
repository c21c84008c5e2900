# The vmxhv:* tracepoints through tracefs and trace-cmd, and scripts/vmxhv-trace
# (issue: tracepoints).  The guest is tests/guests/cpuid-1000.S: 1000 CPUID exits
# from one instruction, then HLT; it leaves the two RIPs in r13 and r14.
#
# With /vmxhv/extra/vmxhv-notrace.ko in the image (a module built with
# KCFLAGS=-DNOTRACE, put there through VMXHV_EXTRA) it also measures the
# tracepoint's cost on the exit path: guest TSC ticks (emulated instructions)
# per CPUID exit with the event disabled, enabled, and compiled out.
t_need_module
t_one_cpu_only
C=$VMXHV_D/cpu0
G=$VMXHV_GUESTS
TR=/sys/kernel/tracing
E=$TR/events/vmxhv
t_check "load" vmxhv_load || exit 0
[ -d "$E" ] || t_skip_all "no $E: module built without tracepoints (NOTRACE)"

reg() { sed -n "s/^$1: //p" "$C/regs"; }
# hex VALUE: 0x0000000000010022 -> 0x10022, as the events print addresses.
hex() { printf '0x%x' "$(($1))"; }
# trace_off: stop tracing, disable every vmxhv event, empty the buffer.
trace_off() { echo 0 > $TR/tracing_on; echo 0 > $E/enable; echo > $TR/trace; }
# traced EVENT_DIR IMAGE: launch IMAGE on cpu0 with $E/EVENT_DIR enabled; the
# trace is left in /tmp/trace, the launch verdict in /tmp/launch.
traced() {
	trace_off
	cat "$G/$2.bin" > $C/guest_code
	echo 1 > "$E/$1/enable"
	echo 1 > $TR/tracing_on
	vmxhv-launch 0 > /tmp/launch
	echo 0 > $TR/tracing_on
	grep -v '^#' $TR/trace > /tmp/trace
	trace_off
}
# Exits the host causes (timer, interrupts), not the guest: tolerated on top
# of the guest's own, and reported.
HOST_EXITS='reason=(EXTERNAL_INTERRUPT|PREEMPTION_TIMER) '

# -- The format file.
fmt=$E/exit/format
t_check "format lists u32 reason" grep -q 'field:u32 reason;' $fmt
t_check "format lists u64 qualification" grep -q 'field:u64 qualification;' $fmt
t_check "format lists u64 guest_rip" grep -q 'field:u64 guest_rip;' $fmt
t_check "print fmt names the reasons (__print_symbolic)" grep -q '{ 10, "CPUID" }' $fmt
t_diag "$(grep -v '^print fmt' $fmt)
$(grep '^print fmt' $fmt | cut -c1-160) ..."
for ev in exit entry_failed launch stop inject hypercall pio; do
	t_check "event vmxhv:$ev exists" test -f $E/$ev/format
done

# -- tracefs: exactly 1000 CPUID lines and one HLT line, each with its RIP.
traced exit cpuid-1000
t_eq "cpuid-1000 halts" OK "$(cut -d' ' -f1 /tmp/launch)"
cpuid_rip=$(hex "$(reg r13)")
hlt_rip=$(hex "$(reg r14)")
t_eq "guest's CPUID RIP" 0x10022 "$cpuid_rip"
t_eq "1000 CPUID lines" 1000 "$(grep -c ' exit: reason=CPUID ' /tmp/trace)"
t_eq "all 1000 at the CPUID's RIP" 1000 \
	"$(grep -c " exit: reason=CPUID qual=0x0 rip=$cpuid_rip\$" /tmp/trace)"
t_eq "one HLT line" 1 "$(grep -c ' exit: reason=HLT ' /tmp/trace)"
t_eq "HLT line at the HLT's RIP" 1 "$(grep -c " exit: reason=HLT qual=0x0 rip=$hlt_rip\$" /tmp/trace)"
host=$(grep -cE " exit: $HOST_EXITS" /tmp/trace)
t_eq "no other exits (host-caused: $host)" $((1001 + host)) "$(grep -c ' exit: ' /tmp/trace)"
t_check "the lines come from the vmxhv/0 thread" grep -q '^ *vmxhv/0-[0-9]* *\[000\]' /tmp/trace
t_diag "$(grep -m2 -B1 ' exit: ' /tmp/trace | head -n 2; tail -n 1 /tmp/trace)"

# -- tracefs one-liners of Documentation/tracing.md: a filter, hist triggers.
echo 'reason != 10' > $E/exit/filter
traced exit cpuid-1000
echo 0 > $E/exit/filter
t_eq "filter 'reason != 10': only the HLT line" 1 "$(grep -c ' exit: ' /tmp/trace)"
t_diag "$(cat /tmp/trace)"
if [ -f $E/exit/hist ]; then
	cat $G/cpuid-1000.bin > $C/guest_code
	for keys in reason guest_rip.hex,reason; do
		t="hist:keys=$keys:vals=hitcount:sort=hitcount.descending"
		echo "$t" > $E/exit/trigger
		vmxhv-launch 0 > /dev/null
		grep -v '^#' $E/exit/hist | grep . > /tmp/hist
		echo "!$t" > $E/exit/trigger
		t_check "hist trigger keys=$keys: 1000 CPUID exits" grep -qE '^\{ .*\} hitcount: +1000$' /tmp/hist
		t_diag "$(cat /tmp/hist)"
	done
else
	t_skip "hist triggers" "kernel without CONFIG_HIST_TRIGGERS"
fi

# -- trace-cmd record + report: 1001 events with reason names.
trace-cmd record -e vmxhv:exit -o /tmp/exit.dat vmxhv-launch 0 > /tmp/record 2>&1
t_check "trace-cmd record ran the launch" grep -q '^OK ' /tmp/record
trace-cmd report -i /tmp/exit.dat > /tmp/report 2>/tmp/report.err
n=$(grep -cE ' exit: +reason=' /tmp/report)
host=$(grep -cE " exit: +$HOST_EXITS" /tmp/report)
t_eq "trace-cmd report: 1001 exit events (host-caused: $host)" $((1001 + host)) "$n"
t_eq "of them 1000 CPUID" 1000 "$(grep -cE " exit: +reason=CPUID qual=0x0 rip=$cpuid_rip\$" /tmp/report)"
t_eq "and one HLT" 1 "$(grep -cE " exit: +reason=HLT qual=0x0 rip=$hlt_rip\$" /tmp/report)"
t_eq "every reason has a name" 0 "$(grep -cE ' exit: +reason=[0-9]' /tmp/report)"
t_check "no parse failures" sh -c "! grep -q 'FAILED TO PARSE' /tmp/report"
t_diag "$(grep -m1 ' exit: ' /tmp/report; tail -n 1 /tmp/report)"

# -- scripts/vmxhv-trace: the per-reason summary of one recorded launch.
vmxhv-trace -o /tmp/vt.dat $G/cpuid-1000.bin > /tmp/vt 2>&1
t_check "vmxhv-trace: CPUID 1000 at the CPUID's RIP" \
	grep -qE "^CPUID +1000 .* 1  $cpuid_rip \\(1000\\)\$" /tmp/vt
t_check "vmxhv-trace: HLT 1" grep -qE "^HLT +1 .* $hlt_rip \\(1\\)\$" /tmp/vt
t_check "vmxhv-trace: state halted" grep -q '^vmxhv-trace: cpu0: 1001 exits, state halted' /tmp/vt
t_check "vmxhv-trace -r summarizes again" sh -c "vmxhv-trace -r /tmp/vt.dat | grep -q '^CPUID  *1000 '"
t_diag "$(cat /tmp/vt)"

# -- The other events, each from a guest that causes it (examples for the docs).
trace_off
for img in hello vmcall bad-msr; do
	cat $G/$img.bin > $C/guest_code
	echo 1 > $E/enable
	echo 1 > $TR/tracing_on
	vmxhv-launch 0 > /dev/null
	echo 0 > $TR/tracing_on
	grep -v '^#' $TR/trace > /tmp/all-$img
	trace_off
done
t_check "launch: mode, image length, timeout" \
	grep -qE ' launch: mode=long image_len=[0-9]+ timeout_ms=[0-9]+$' /tmp/all-hello
t_check "stop: halted with the exit count" grep -qE ' stop: state=halted exits=6 run_ns=[0-9]+$' /tmp/all-hello
t_eq "pio: one OUT per console byte" 5 "$(grep -cE ' pio: out port=0xe9 size=1 value=0x' /tmp/all-hello)"
t_check "hypercall: putc V returns 0" grep -q ' hypercall: nr=1 arg=0x56 result=0x0$' /tmp/all-vmcall
t_check "inject: #GP (13) with an error code" grep -q ' inject: vector=13 error_code=0 ' /tmp/all-bad-msr
t_check "stop: fault" grep -q ' stop: state=fault ' /tmp/all-bad-msr
for img in hello vmcall bad-msr; do
	t_diag "$img:
$(cat /tmp/all-$img)"
done

# -- A failed VM entry emits vmxhv:entry_failed (the VMCS field files write the
# bad value; tests/vm/60-vmcs.sh and 70-check.sh test the failures themselves).
pin_f=$C/vmcs/PIN_BASED_VM_EXEC_CONTROL
if [ -f "$pin_f" ]; then
	# VMfailValid: a reserved pin-based control bit, VM-instruction error 7.
	echo $(( $(cat $pin_f) | 0x80000000 )) > $pin_f
	traced entry_failed hlt
	echo clear > $C/overrides
	t_check "reserved control bit: entry_failed with vm_instruction_error=7" \
		grep -q ' entry_failed: vm_instruction_error=7 reason=none qual=0x0 rule=' /tmp/trace
	t_diag "$(cat /tmp/trace)"
	# VM exit with bit 31: invalid guest state (RFLAGS bit 1 clear), reason 33;
	# recorded with trace-cmd this time (vmxhv-trace), which must parse both.
	echo 0 > $C/vmcs/GUEST_RFLAGS
	vmxhv-trace -o /tmp/fail.dat $G/hlt.bin > /tmp/vt 2>&1
	echo clear > $C/overrides
	trace-cmd report -i /tmp/fail.dat > /tmp/report 2>&1
	t_check "invalid guest state: exit reason=INVALID_STATE (entry failed)" \
		grep -qE ' exit: +reason=INVALID_STATE \(entry failed\) qual=0x0 rip=0x10000$' /tmp/report
	t_check "invalid guest state: entry_failed reason=INVALID_STATE" \
		grep -qE ' entry_failed: +vm_instruction_error=0 reason=INVALID_STATE qual=0x0 rule=' /tmp/report
	t_check "trace-cmd parses entry_failed" sh -c "! grep -q 'FAILED TO PARSE' /tmp/report"
	t_check "vmxhv-trace shows the failure" grep -q '^entry failed: vm_instruction_error=0 reason=INVALID_STATE' /tmp/vt
	t_diag "$(grep -v '^CPU\|bytes in size' /tmp/report)
$(cat /tmp/vt)"
	t_check "after clear the guest halts" sh -c "echo 1 > $C/launch"
else
	t_skip "failed VM entry emits vmxhv:entry_failed" \
		"needs the VMCS field files (cpuN/vmcs/NAME) to write a reserved control bit"
fi

# -- The bpftrace tools in the image carry exactly the module's names: the
# generated @name map equals the { value, "NAME" } list of the print fmt.
grep '^print fmt:' $fmt | grep -o '{ [0-9]*, "[A-Z0-9_]*" }' |
	sed 's/{ \([0-9]*\), "\(.*\)" }/\1 \2/' > /tmp/names.fmt
for bt in vmxhv-exits.bt vmxhv-exit-latency.bt vmxhv-hotspots.bt; do
	sed -n 's/^[[:space:]]*@name\[\([0-9]*\)\] = "\([A-Z0-9_]*\)";$/\1 \2/p' /usr/bin/$bt > /tmp/names.bt
	t_check "$bt: names equal the module's ($(wc -l < /tmp/names.fmt))" \
		sh -c "test -s /tmp/names.fmt && cmp /tmp/names.fmt /tmp/names.bt"
done

# -- The cost of the tracepoint on the exit path, when asked for.
NOTRACE_KO=/vmxhv/extra/vmxhv-notrace.ko
# ticks_per_exit LABEL: cpuid-loop (99998 CPUIDs between the TSC reads) 5 times;
# one line "LABEL min median max" of guest TSC ticks per exit.
# Traced, 100000 exits outlast the default 2 s timeout_ms (make demo had that bug).
ticks_per_exit() {
	echo 60000 > $C/timeout_ms
	for i in 1 2 3 4 5; do
		cat $G/cpuid-loop.bin > $C/guest_code
		echo 1 > $C/launch
		echo $(( $(reg r15) ))
	done | sort -n | awk -v l="$1" '{ v[NR] = $1 / 99998 }
		END { printf "%s %.1f %.1f %.1f\n", l, v[1], v[3], v[5] }'
	echo 2000 > $C/timeout_ms
}
if [ -f $NOTRACE_KO ]; then
	trace_off
	echo 8192 > $TR/buffer_size_kb
	ticks_per_exit disabled > /tmp/cost
	echo 1 > $E/exit/enable
	echo 1 > $TR/tracing_on
	ticks_per_exit enabled >> /tmp/cost
	trace_off
	if vmxhv_unload && insmod $NOTRACE_KO; then
		ticks_per_exit compiled-out >> /tmp/cost
	fi
	vmxhv_load
	t_diag "guest TSC ticks per CPUID exit (min median max of 5 x 99998 exits):
$(cat /tmp/cost)"
	med() { awk -v l="$1" '$1 == l { print $3 }' /tmp/cost; }
	t_check "cost measured in all three states" test "$(wc -l < /tmp/cost)" = 3
	t_check "disabled within 2% of compiled out ($(med disabled) vs $(med compiled-out))" \
		awk -v d="$(med disabled)" -v c="$(med compiled-out)" 'BEGIN { exit !(d <= c * 1.02) }'
fi
t_check "unload" vmxhv_unload
