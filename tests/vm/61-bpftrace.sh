# bpftrace on the vmxhv:exit tracepoint and the bpftrace tools of scripts/
# (issue: tracepoints).  Needs bpftrace in the image: scripts/vm-run.sh puts it
# there with VMXHV_BPFTRACE=1 (200 MB, 1.5 GiB of RAM); skips without it.
# A measurement run (VMXHV_EXTRA=.../vmxhv-notrace.ko, see 60-trace.sh) also
# times the exit path with the tools attached.
command -v bpftrace > /dev/null || t_skip_all "no bpftrace in the image (VMXHV_BPFTRACE=1 vm-run.sh)"
t_need_module
t_one_cpu_only
C=$VMXHV_D/cpu0
G=$VMXHV_GUESTS
t_check "load" vmxhv_load || exit 0
[ -d /sys/kernel/tracing/events/vmxhv ] || t_skip_all "module built without tracepoints (NOTRACE)"

reg() { sed -n "s/^$1: //p" "$C/regs"; }
# The program bpftrace -c runs must be one binary: give its path.
LAUNCH="/usr/bin/vmxhv-launch 0"
# bt OUT ARGS...: bpftrace ARGS > /tmp/OUT (stderr too); the emulated seconds
# it took, start to end, are appended to /tmp/bt-times.
bt() {
	_out=$1
	shift
	_t0=$(cut -d' ' -f1 /proc/uptime)
	timeout 600 bpftrace "$@" > /tmp/$_out 2>&1
	_rc=$?
	_t1=$(cut -d' ' -f1 /proc/uptime)
	echo "$_out $_t0 $_t1" | awk '{ printf "%s: %.1f s\n", $1, $3 - $2 }' >> /tmp/bt-times
	return $_rc
}
: > /tmp/bt-times

# -- The one-liner.
cat $G/cpuid-1000.bin > $C/guest_code
bt oneliner -e 'tracepoint:vmxhv:exit { @[args->reason] = count(); }' -c "$LAUNCH"
t_check "one-liner: @[10]: 1000" grep -qx '@\[10\]: 1000' /tmp/oneliner
t_check "one-liner: @[12]: 1" grep -qx '@\[12\]: 1' /tmp/oneliner
t_diag "$(cat /tmp/oneliner)"

# -- vmxhv-exits.bt: the same with names.
bt exits /usr/bin/vmxhv-exits.bt -c "$LAUNCH"
t_check "vmxhv-exits.bt: @exits[CPUID, 10]: 1000" grep -qx '@exits\[CPUID, 10\]: 1000' /tmp/exits
t_check "vmxhv-exits.bt: @exits[HLT, 12]: 1" grep -qx '@exits\[HLT, 12\]: 1' /tmp/exits
t_check "vmxhv-exits.bt: no unnamed reason" sh -c "! grep -q '^@exits\[, ' /tmp/exits"
t_diag "$(cat /tmp/exits)"

# -- vmxhv-hotspots.bt: exits per guest RIP.
cpuid_rip=$(printf '0x%x' $(( $(reg r13) )))
hlt_rip=$(printf '0x%x' $(( $(reg r14) )))
bt hotspots /usr/bin/vmxhv-hotspots.bt -c "$LAUNCH"
t_check "vmxhv-hotspots.bt: @hot[$cpuid_rip, CPUID]: 1000" grep -qx "@hot\[$cpuid_rip, CPUID\]: 1000" /tmp/hotspots
t_check "vmxhv-hotspots.bt: @hot[$hlt_rip, HLT]: 1" grep -qx "@hot\[$hlt_rip, HLT\]: 1" /tmp/hotspots
t_diag "$(cat /tmp/hotspots)"

# -- vmxhv-exit-latency.bt: a histogram per reason, 1000 CPUID samples.
bt latency /usr/bin/vmxhv-exit-latency.bt -c "$LAUNCH"
t_check "vmxhv-exit-latency.bt: a CPUID histogram" grep -q '^@latency_ns\[CPUID, 10\]:' /tmp/latency
t_check "vmxhv-exit-latency.bt: 1000 CPUID samples" grep -q '^@stats_ns\[CPUID, 10\]: count 1000, ' /tmp/latency
t_check "vmxhv-exit-latency.bt: the HLT too" grep -q '^@stats_ns\[HLT, 12\]: count 1, ' /tmp/latency
t_diag "$(cat /tmp/latency)"

# -- More one-liners of Documentation/tracing.md.
cat $G/hello.bin > $C/guest_code
bt stop -e 'tracepoint:vmxhv:stop { printf("state=%d exits=%d run_us=%d\n", args->state, args->exits, args->run_ns / 1000); }' -c "$LAUNCH"
t_check "stop one-liner: state 2 (halted), 6 exits" grep -q '^state=2 exits=6 run_us=[0-9]' /tmp/stop
t_diag "$(cat /tmp/stop)"
bt console -e 'tracepoint:vmxhv:pio /!args->in && args->port == 0xe9/ { printf("%c", args->value); } END { printf("\n"); }' -c "$LAUNCH"
t_check "console one-liner prints hello" grep -q '^hello$' /tmp/console
t_diag "$(cat /tmp/console)"
if [ -f $C/vmcs/GUEST_RFLAGS ]; then
	echo 0 > $C/vmcs/GUEST_RFLAGS
	cat $G/hlt.bin > $C/guest_code
	# The rule is longer than bpftrace's default string size (64).
	export BPFTRACE_STRLEN=200
	bt failed -e 'tracepoint:vmxhv:entry_failed { printf("error=%u reason=0x%x qual=0x%lx\n%s\n", args->insn_error, args->reason, args->qualification, str(args->rule)); }' -c "$LAUNCH"
	unset BPFTRACE_STRLEN
	echo clear > $C/overrides
	t_check "entry_failed one-liner: reason 33, the rule" \
		sh -c "grep -q '^error=0 reason=0x80000021 qual=0x0$' /tmp/failed && grep -q '^guest.rflags.bit1: .* -> exit 33$' /tmp/failed"
	t_diag "$(cat /tmp/failed)"
fi

# -- What an attached bpftrace costs the exit path: guest TSC ticks per CPUID
# exit of cpuid-loop (99998 exits between its TSC reads).  Only in measurement
# runs, as in 60-trace.sh (a NOTRACE module in /vmxhv/extra): about 100
# emulated seconds.
if [ -f /vmxhv/extra/vmxhv-notrace.ko ]; then
	echo 60000 > $C/timeout_ms
	cat $G/cpuid-loop.bin > $C/guest_code
	echo 1 > $C/launch
	none=$(( $(reg r15) ))
	bt loop-exits /usr/bin/vmxhv-exits.bt -c "$LAUNCH"
	exits=$(( $(reg r15) ))
	bt loop-latency /usr/bin/vmxhv-exit-latency.bt -c "$LAUNCH"
	latency=$(( $(reg r15) ))
	t_check "cpuid-loop under vmxhv-exits.bt: 100000 CPUIDs" grep -qx '@exits\[CPUID, 10\]: 100000' /tmp/loop-exits
	t_diag "guest TSC ticks per CPUID exit: no bpftrace $((none / 99998)), vmxhv-exits.bt $((exits / 99998)), vmxhv-exit-latency.bt $((latency / 99998))"
	t_diag "$(grep -A3 '^@stats_ns\[CPUID' /tmp/loop-latency)"
fi
t_diag "bpftrace runs (emulated seconds, start to end):
$(cat /tmp/bt-times)"
t_check "unload" vmxhv_unload
