# 99-debug-leaks.sh: the last test on the debug kernel: with the module unloaded, a
# kmemleak scan finds no object leaked since 05-debug-kernel.sh took its baseline, and
# lockdep is still on (it turns itself off after its first report).  KASAN, KFENCE,
# lockdep and DEBUG_OBJECTS reports print BUG or WARNING lines, which fail the run in
# the harness's kernel-log check.  Skips on Debian's kernels.
# shellcheck shell=sh
[ "${VMXHV_KERNEL:-}" = debug ] || t_skip_all "not the debug kernel"
KL=/sys/kernel/debug/kmemleak

vmxhv_unload
if [ -w $KL ]; then
	# An object is reported once unreferenced for 5 s, at a scan; two scans settle it.
	sleep 6
	echo scan >$KL
	sleep 6
	echo scan >$KL
	n=$(grep -c '^unreferenced object' $KL)
	t_eq "kmemleak: nothing leaked during the tests" 0 "$n" || t_diag "$(head -n 80 $KL)"
else
	t_skip "kmemleak: nothing leaked during the tests" "kmemleak is off"
fi
t_check "lockdep still on (no lockdep report)" grep -Eq '^ *debug_locks: *1' /proc/lockdep_stats
t_check "no KASAN or KFENCE report" sh -c '! dmesg | grep -Eq "KASAN|KFENCE: (use|out|invalid|memory)"'
