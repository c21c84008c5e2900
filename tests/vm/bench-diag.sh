# temporary diagnostic (not for commit)
t_need_module
. ./bench-lib.sh
vmxhv_load
snap() {
	for p in /proc/[0-9]*; do
		[ -r $p/stat ] || continue
		set -- $(sed 's/^.*) //' $p/stat 2>/dev/null)
		echo "${p#/proc/} $(( ${12} + ${13} )) $(cat $p/comm 2>/dev/null)"
	done | sort -n > $1
}
img=$(bench_image vmcall 100000)
vmxhv_prepare 0 "$img"
i=1
while [ $i -le 8 ]; do
	c0=$(awk '/^ctxt/{print $2}' /proc/stat); i0=$(awk '/^intr/{print $2}' /proc/stat)
	snap /tmp/s0
	r=$(vmxhv-launch 0)
	snap /tmp/s1
	c1=$(awk '/^ctxt/{print $2}' /proc/stat); i1=$(awk '/^intr/{print $2}' /proc/stat)
	t=$(( ($(_bench_reg 0 rdi) & 0xffffffff) << 32 | ($(_bench_reg 0 rsi) & 0xffffffff) ))
	t_diag "diag run $i: $r per=$((t / 100000)) ctxt=$((c1 - c0)) intr=$((i1 - i0)) run_ns=$(_bench_key 0 run_ns)"
	t_diag "$(join /tmp/s0 /tmp/s1 | awk '$4 - $2 > 0 {print "  busy:", $1, $3, $4 - $2}')"
	[ $i = 4 ] && sleep 20
	i=$((i + 1))
done
t_diag "$(cat /proc/interrupts | head -30)"
t_diag "$(cat /proc/softirqs)"
t_diag "tracing_on=$(cat /sys/kernel/tracing/tracing_on) tracer=$(cat /sys/kernel/tracing/current_tracer) exit_enable=$(cat /sys/kernel/tracing/events/vmxhv/exit/enable) all=$(cat /sys/kernel/tracing/events/enable)"
t_diag "$(ps)"
vmxhv_unload
# launch breakdown with function_graph, TSC clock
vmxhv_load
T=/sys/kernel/tracing
echo real > $VMXHV_D/cpu0/mode
cat $BENCH_HLT > $VMXHV_D/cpu0/guest_code
tsc-launch 0 2 >/dev/null
echo x86-tsc > $T/trace_clock
echo 3 > $T/max_graph_depth
echo vmxhv_launch > $T/set_graph_function
echo runner_fn >> $T/set_graph_function
echo function_graph > $T/current_tracer
echo funcgraph-abstime > $T/trace_options
echo > $T/trace
t_diag "$(tsc-launch 0 1)"
echo nop > $T/current_tracer
t_diag "$(cat $T/trace | head -300)"
echo 10 > $T/max_graph_depth
echo vmxhv_vmcs_setup > $T/set_graph_function
echo function_graph > $T/current_tracer
echo > $T/trace
t_diag "$(tsc-launch 0 1)"
echo nop > $T/current_tracer
t_diag "$(cat $T/trace | head -200)"
echo > $T/set_graph_function
vmxhv_unload
