# 82-faultinject.sh: allocation failures injected into the module's operations (the
# debug kernel's FAILSLAB and FAIL_PAGE_ALLOC; skips elsewhere): every failure ends in
# an errno and a consistent state, nothing leaks (kmemleak), nothing warns, and the same
# operation works once injection stops (issue: reliability).
#
# 1. Systematically (tests/tools/vmxhv-failnth.c, the kernel's fail-nth): the n-th
#    allocation of one operation fails, for every n the operation reaches (every 5th or
#    7th for load and adding a CPU, which reach hundreds): module load, adding and
#    removing a CPU through cpus, a launch, an image write, a VMCS field write, reads of
#    dump and status.  Load counts only allocations called from module code (the
#    modules area, above the kernel image): finit_module's own work, such as the
#    tracing core creating the module's event files, is the kernel's and is left alone
#    (failing it there made the kernel warn in event_file_put at unload).
# 2. Randomly: the fuzzer runs with make-it-fail and task-filter, every allocation made
#    from the module's code failing with 10 % probability (require-start/end: the
#    module's address range).
# 3. Unload, a kmemleak scan finds nothing new, a reload runs the default guest.
# shellcheck shell=sh
t_need_module
D=$VMXHV_D
FS=/sys/kernel/debug/failslab
FP=/sys/kernel/debug/fail_page_alloc
KL=/sys/kernel/debug/kmemleak
[ -d $FS ] && [ -d $FP ] || t_skip_all "no fault injection in this kernel (debug flavor only)"
[ -e /proc/self/fail-nth ] || [ -e "/proc/self/task/$$/fail-nth" ] ||
	t_skip_all "no fail-nth in /proc"

# inject_from START END: both attributes fail only allocations with a caller in
# [START, END) on the stack (0 0xffffffffffffffff: any allocation).
inject_from() {
	for _a in $FS $FP; do
		echo "$1" >$_a/require-start
		echo "$2" >$_a/require-end
	done
}

# Both attributes accept sleeping allocations of any order; nothing fails unless fail-nth
# or (part 2) make-it-fail says so.
for a in $FS $FP; do
	echo 0 >$a/probability
	echo -1 >$a/times
	echo 0 >$a/space
	echo 1 >$a/interval
	echo N >$a/ignore-gfp-wait
	echo N >$a/task-filter
	# One line per injected failure in the kernel log (not on the console).
	echo 1 >$a/verbose
done
echo N >$FP/ignore-gfp-highmem
echo 0 >$FP/min-order
inject_from 0 0xffffffffffffffff

vmxhv_unload
[ -e $KL ] && { echo scan >$KL; echo clear >$KL; }

# failnth NAME ARGS...: one systematic run; the summary line as a diagnostic.
failnth() {
	_name=$1
	shift
	vmxhv-failnth "$@" >/tmp/failnth.out 2>&1
	_rc=$?
	t_diag "$(grep '^failnth' /tmp/failnth.out)"
	if [ "$_rc" -eq 0 ] && grep -q '^failnth .*points=[1-9]' /tmp/failnth.out; then
		t_ok "$_name"
	else
		t_fail "$_name" "$(printf 'exit status %s\n%s' "$_rc" "$(grep -E 'BAD|^failnth|failnth:' /tmp/failnth.out | head -n 20)")"
	fi
}

# -- 1. systematic
# Loading and adding a CPU reach hundreds of points (a debugfs file per VMCS field):
# every 5th/7th point, for at most 5 emulated minutes each.
# The modules area starts above the kernel image (_end) and ends below the fixmap.
kend=$(awk '$3 == "_end" { print $1 }' /proc/kallsyms)
if [ -z "$kend" ] || [ "$kend" = 0000000000000000 ]; then
	t_fail "kernel image end" "no _end address in /proc/kallsyms"
	kend=ffffffffa0000000
fi
inject_from "0x$kend" 0xffffffffff000000
t_diag "load: injecting into allocations called from 0x$kend..0xffffffffff000000"
failnth "load under allocation failures" -S 5 -T 300 load "$VMXHV_KO"
inject_from 0 0xffffffffffffffff
t_check "load" vmxhv_load || exit 0
failnth "launch under every allocation failure" launch 0
failnth "image write under every allocation failure" image 0 "$VMXHV_GUESTS/hello.bin"
failnth "VMCS field write under every allocation failure" field 0 TSC_OFFSET 0x10
failnth "dump read under every allocation failure" read "$D/cpu0/dump"
failnth "status read under every allocation failure" read "$D/cpu0/status"
if [ "$VMXHV_NCPUS" -ge 2 ]; then
	echo 0 >$D/cpus
	failnth "adding a CPU under allocation failures" -S 7 -T 300 cpus 0-1 0
	echo 0-1 >$D/cpus
	failnth "removing a CPU under every allocation failure" -T 300 cpus 0 0-1
	failnth "replacing the CPU set under allocation failures" -S 7 -T 300 cpus 1 0-1
fi
t_check "unload after the systematic runs" vmxhv_unload

# -- 2. random failures of the module's own allocations under the fuzzer
t_check "load" vmxhv_load || exit 0
# /proc/modules: "vmxhv SIZE REFS DEPS STATE ADDRESS": the module's core memory.
base=$(awk '$1 == "vmxhv" { print $6 }' /proc/modules)
size=$(awk '$1 == "vmxhv" { print $2 }' /proc/modules)
inject_from "$base" "$(printf '0x%x' $((base + size)))"
for a in $FS $FP; do
	echo 10 >$a/probability
	echo Y >$a/task-filter
done
t_diag "injecting into allocations called from $base..+$size"
(echo 1 >/proc/self/make-it-fail && exec vmxhv-fuzz -s 7 -t 30 -c "$VMXHV_GUESTS") \
	>/tmp/fi-fuzz.out 2>/tmp/fi-fuzz.err
rc=$?
for a in $FS $FP; do
	echo 0 >$a/probability
	echo N >$a/task-filter
done
inject_from 0 0xffffffffffffffff
t_diag "$(grep -E '^fuzz: (ops|errno|unexpected)' /tmp/fi-fuzz.out)"
# ENOMEM is the point here; the fuzzer counts it as unexpected, hangs are not allowed.
t_check "fuzzer under injection: no hang" grep -q '^fuzz: .*hangs=0' /tmp/fi-fuzz.out ||
	t_diag "$(tail -n 20 /tmp/fi-fuzz.err)"
t_check "fuzzer under injection got ENOMEM" grep -q 'ENOMEM=' /tmp/fi-fuzz.out
t_diag "fuzzer exit status $rc (1: ENOMEM counted as unexpected)"
t_check "cpus back to all online CPUs" sh -c "echo $(cat /sys/devices/system/cpu/online) > $D/cpus"
for c in $D/cpu[0-9]*; do
	t_check "${c##*/} runs the default guest after injection stops" \
		sh -c "printf '\\364' > $c/guest_code && echo clear > $c/overrides && echo 1 > $c/launch"
done

# -- 3. no leak
t_check "unload after injection" vmxhv_unload
if [ -e $KL ]; then
	# kmemleak reports an object once it is unreferenced and older than 5 s, at a scan.
	sleep 6
	echo scan >$KL
	sleep 6
	echo scan >$KL
	leaks=$(grep -c '^unreferenced object' $KL)
	t_eq "kmemleak: no new unreferenced object" 0 "$leaks" || t_diag "$(head -n 60 $KL)"
else
	t_skip "kmemleak: no new unreferenced object" "no kmemleak"
fi
t_check "reload" vmxhv_load || exit 0
for c in $D/cpu[0-9]*; do
	t_check "${c##*/} runs the default guest after reload" sh -c "echo 1 > $c/launch"
done
t_check "unload" vmxhv_unload
