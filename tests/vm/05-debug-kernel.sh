# 05-debug-kernel.sh: on the debug kernel (scripts/debug-kernel.sh), the checkers the
# suite relies on are on, and the kmemleak baseline is taken: objects the kernel leaked
# while booting are not the module's (tests/vm/99-debug-leaks.sh reports what is new).
# Skips on Debian's kernels.
# shellcheck shell=sh
[ "${VMXHV_KERNEL:-}" = debug ] || t_skip_all "not the debug kernel"

t_check "kernel config is readable" test -r /proc/config.gz || exit 0
zcat /proc/config.gz >/tmp/config
for opt in KASAN KASAN_GENERIC KFENCE PROVE_LOCKING DEBUG_ATOMIC_SLEEP DEBUG_KMEMLEAK \
	DEBUG_OBJECTS DEBUG_LIST FAILSLAB FAIL_PAGE_ALLOC FAULT_INJECTION_DEBUG_FS \
	FAULT_INJECTION_STACKTRACE_FILTER KVM_INTEL; do
	t_check "CONFIG_$opt" grep -Eq "^CONFIG_$opt=(y|m)" /tmp/config
done
t_check "KASAN initialized" sh -c 'dmesg | grep -q "KernelAddressSanitizer initialized"'
t_check "lockdep on (debug_locks 1)" grep -Eq '^ *debug_locks: *1' /proc/lockdep_stats
t_check "kmemleak on" test -w /sys/kernel/debug/kmemleak
t_check "failslab and fail_page_alloc in debugfs" \
	test -d /sys/kernel/debug/failslab -a -d /sys/kernel/debug/fail_page_alloc
if [ -w /sys/kernel/debug/kmemleak ]; then
	# kmemleak's own scan thread runs at nice 10 and walks every object inside one RCU
	# read-side section.  On a busy 1-CPU machine it was preempted there and held up
	# a grace period for 26 s: an RCU stall report that is not the module's.  The
	# suite scans by hand instead (here and in 99-debug-leaks.sh).
	t_check "kmemleak's scan thread stopped" sh -c 'echo scan=off >/sys/kernel/debug/kmemleak'
	echo scan >/sys/kernel/debug/kmemleak
	n=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	echo clear >/sys/kernel/debug/kmemleak
	t_diag "kmemleak baseline: $n objects leaked while booting (cleared)"
fi
