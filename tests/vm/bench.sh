# bench.sh: the full exit-path bench, side by side with KVM (Documentation/bench.md).
# Not part of the suite (run-all.sh runs only NN-*.sh unless this file is named
# exactly): scripts/bench.sh boots a machine per kernel with --tests bench.sh.
#   1-CPU machine: vmxhv (tracepoint disabled, enabled, compiled out when
#   /vmxhv/extra/vmxhv-notrace.ko is there), then KVM.
#   2-CPU machine: vmxhv's CPUID loop on each CPU alone, then on all CPUs at once
#   (kvm_intel is not loaded there: emulator.md reports hangs).
# The results are "# bench ..." lines (bench-lib.sh) and one KTAP result per run.
t_need_module
. ./bench-lib.sh
R=5		# runs of each measurement; scripts/bench.sh takes the median
N=100000	# exits per loop
NMEM=1000000	# iterations of the memory loop
NOTRACE=/vmxhv/extra/vmxhv-notrace.ko
EXIT_EV=/sys/kernel/tracing/events/vmxhv/exit/enable

bench_env
kvm_unload
t_check "vmxhv loads" vmxhv_load || exit 0
# The first minute after boot, other kernel work still runs on a 1-CPU machine and
# doubles the per-exit figures (it shows as thousands of context switches per run);
# idle time is free in Bochs, so give it time to finish.
sleep "${BENCH_WARMUP:-60}"

if [ "$VMXHV_NCPUS" -ge 2 ]; then
	for c in $(seq 0 $((VMXHV_NCPUS - 1))); do
		vmxhv_loop vmxhv cpuid $N $R "$c"
	done
	vmxhv_parallel $N $R
	t_check "vmxhv unloads" vmxhv_unload
	exit 0
fi

for t in cpuid vmcall out; do
	vmxhv_loop vmxhv $t $N $R
done
vmxhv_loop vmxhv mem $NMEM $R
vmxhv_launches vmxhv real $R
vmxhv_launches vmxhv long $R

# The vmxhv:exit tracepoint enabled (into the ring buffer, nobody reading).
if t_check "vmxhv:exit can be enabled" sh -c "echo 1 > $EXIT_EV"; then
	vmxhv_loop vmxhv-trace cpuid $N $R
	vmxhv_loop vmxhv-trace vmcall $N $R
	vmxhv_launches vmxhv-trace real $R
	echo 0 >"$EXIT_EV"
	echo >/sys/kernel/tracing/trace
fi

# The same module built with -DNOTRACE: tracepoints compiled out.
if [ -f "$NOTRACE" ]; then
	vmxhv_unload
	if t_check "vmxhv-notrace loads" insmod "$NOTRACE"; then
		t_check "vmxhv-notrace has no vmxhv events" test ! -d /sys/kernel/tracing/events/vmxhv
		vmxhv_loop vmxhv-notrace cpuid $N $R
		vmxhv_loop vmxhv-notrace vmcall $N $R
		vmxhv_launches vmxhv-notrace real $R
	fi
else
	t_skip "vmxhv-notrace" "no $NOTRACE in the image"
fi

# Where a launch's instructions go: function_graph with the TSC as the trace clock,
# so the durations printed as "us" are thousands of emulated instructions (tracing
# adds its own few hundred per traced call).  Writer side (vmxhv_launch) and runner
# thread (runner_fn), two levels deep.
T=/sys/kernel/tracing
if echo real >"$VMXHV_D/cpu0/mode" && cat "$BENCH_HLT" >"$VMXHV_D/cpu0/guest_code" &&
	echo x86-tsc >$T/trace_clock && echo 2 >$T/max_graph_depth &&
	echo vmxhv_launch >$T/set_graph_function && echo runner_fn >>$T/set_graph_function &&
	echo function_graph >$T/current_tracer; then
	echo >$T/trace
	tsc-launch 0 1 >/tmp/bench-prof
	# Read the buffer before switching the tracer: that empties it.
	echo 0 >$T/tracing_on
	t_diag "bench-profile: one real-mode HLT launch, $(cat /tmp/bench-prof); durations in thousands of instructions"
	t_diag "$(grep -v '^#' $T/trace | sed 's/^/bench-profile: /')"
	echo nop >$T/current_tracer
	echo 1 >$T/tracing_on
	echo >$T/set_graph_function
	echo 0 >$T/max_graph_depth
	echo local >$T/trace_clock
	echo >$T/trace
	t_ok "launch profile (function_graph)"
else
	t_skip "launch profile" "function_graph tracer not available"
fi
t_check "vmxhv unloads" vmxhv_unload

# KVM in the same machine, the same images.
[ -f $BENCH_KVM/kvm-intel.ko ] || { t_fail "kvm modules in the image"; exit 0; }
t_check "kvm_intel loads" kvm_load || exit 0
for t in cpuid vmcall out; do
	kvm_loop kvm $t $N $R
done
kvm_loop kvm mem $NMEM $R
kvm_loop kvm-nocpuid cpuid $N $R -C
kvm_launches real $R
kvm_launches long $R
t_check "kvm_intel unloads" kvm_unload
