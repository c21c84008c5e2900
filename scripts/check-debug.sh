#!/usr/bin/env bash
# check-debug.sh: the whole emulated-machine suite on the debug kernel (make check-debug).
#
# Usage: scripts/check-debug.sh [--cpus "1 2"] [--fuzz SECONDS] [--tests PATTERN]
#
# Builds (once, cached) the debug kernel (scripts/debug-kernel.sh: KASAN, KFENCE,
# lockdep, DEBUG_ATOMIC_SLEEP, kmemleak, DEBUG_OBJECTS, DEBUG_LIST, fault injection),
# vmxhv.ko against it (build/debug/vmxhv.ko), the guest images and in-guest tools, then
# boots it in Bochs once per CPU count, one machine at a time, and runs tests/vm/ with
# the long fuzz (default 600 s; VMXHV_TEST_FUZZ_SECONDS).  A run fails on any failed
# test, and on any BUG (KASAN, KFENCE, sleeping in atomic context), WARNING (lockdep,
# DEBUG_OBJECTS, DEBUG_LIST), Oops, lockup or stall in the kernel log after the tests
# start (scripts/vm-run.sh); tests/vm/99-debug-leaks.sh fails on any kmemleak report
# after a scan and on lockdep having switched itself off.
# The last line is "N passed, N failed"; the exit status is non-zero when anything
# failed.  Output per run in build/vm/debug-Ncpu/.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
cpus="1 2" fuzz=${VMXHV_TEST_FUZZ_SECONDS:-600} tests=''
while [ $# -gt 0 ]; do
	case "$1" in
	--cpus) cpus=$2 ;;
	--fuzz) fuzz=$2 ;;
	--tests) tests=$2 ;;
	*) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
	esac
	shift 2
done

passed=0 failed=0
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}
step() {
	local name=$1
	shift
	if "$@"; then
		echo "ok - $name"
		passed=$((passed + 1))
	else
		echo "not ok - $name"
		failed=$((failed + 1))
		finish
	fi
}

step "dependencies" scripts/vm-deps.sh
step "debug kernel (scripts/debug-kernel.sh)" scripts/debug-kernel.sh
rm -f build/debug/vmxhv.ko
step "vmxhv.ko for the debug kernel" make -s --no-print-directory build/debug/vmxhv.ko
step "guest images" make -s --no-print-directory -C tests/guests
step "in-guest tools" make -s --no-print-directory -C tests/tools

for n in $cpus; do
	t0=$(date +%s)
	out=$(VMXHV_TEST_FUZZ_SECONDS=$fuzz scripts/vm-run.sh --flavor debug --cpus "$n" \
		--module build/debug/vmxhv.ko --out "build/vm/debug-${n}cpu" --timeout 14400 \
		${tests:+--tests "$tests"} 2>&1 | tee /dev/stderr)
	line=$(grep -E '^vm debug-[0-9]+cpu: [0-9]+ passed' <<<"$out" | tail -n 1)
	p=$(sed -n 's/.*: \([0-9]*\) passed.*/\1/p' <<<"$line")
	f=$(sed -n 's/.* passed, \([0-9]*\) failed.*/\1/p' <<<"$line")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
	echo "check-debug: debug-${n}cpu took $(($(date +%s) - t0)) s"
done
finish
