#!/usr/bin/env bash
# check.sh: the whole test suite behind `make check`.
#
# 1. installs what it needs (scripts/vm-deps.sh, apt-get),
# 2. runs the user-space unit tests (tests/unit),
# 3. builds vmxhv.ko with W=1 for both Debian kernels (6.1, 6.12); a
#    compiler or objtool warning fails the build test,
# 4. builds the guest images and in-guest tools,
# 5. runs `make demo` on both kernels side by side (scripts/demo.sh), its
#    exit status and output checked,
# 6. boots the emulated PC (Bochs) on both kernels with 1 and 2 CPUs, and
#    6.12 with 1 CPU on an XSAVE-capable CPU model, and runs tests/vm/ there
#    (scripts/vm-check.sh).
# Every stage's results are counted; the last line is "N passed, N failed"
# and the exit status is non-zero when anything failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

passed=0
failed=0

# count LINE: add a "... N passed, N failed" summary line to the totals.
count() {
	local p f
	p=$(sed -n 's/.*\b\([0-9][0-9]*\) passed, [0-9][0-9]* failed.*/\1/p' <<<"$1" | tail -n1)
	f=$(sed -n 's/.*\b[0-9][0-9]* passed, \([0-9][0-9]*\) failed.*/\1/p' <<<"$1" | tail -n1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
}

# one NAME CMD...: a single pass/fail result.
one() {
	local name=$1
	shift
	if "$@"; then
		echo "ok - $name"
		passed=$((passed + 1))
	else
		echo "not ok - $name"
		failed=$((failed + 1))
	fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

echo "== dependencies"
# bpftrace too: one emulated run carries it (scripts/vm-check.sh).
if ! VMXHV_BPFTRACE=1 scripts/vm-deps.sh; then
	one "install dependencies" false
	finish
fi
one "kernel images for 6.1 and 6.12" scripts/vm-kernels.sh

echo "== unit tests"
out=$(make -s --no-print-directory -C tests/unit check 2>&1)
echo "$out"
count "$(grep -E '^unit: [0-9]+ passed' <<<"$out" || echo 'unit: 0 passed, 1 failed')"

echo "== kernel style (checkpatch --strict)"
out=$(scripts/lint.sh 2>&1)
echo "$out"
count "$(grep -E '^lint: [0-9]+ passed' <<<"$out" || echo 'lint: 0 passed, 1 failed')"

echo "== module builds (W=1, objtool)"
for f in 6.1 6.12; do
	rm -f "build/$f/vmxhv.ko"
	one "build for $f with no warnings" make -s --no-print-directory "build/$f/vmxhv.ko"
done
one "guest images assemble" make -s --no-print-directory -C tests/guests
one "in-guest tools build" make -s --no-print-directory -C tests/tools

# The README's first command, as a new user runs it, on both kernels at once
# (one short boot each, a core each): exit status and what it printed.
demo_sections='#### vmxhv demo|## The tutorial|## A guest in GNU as|## 100000 CPUID exits|## A broken VMCS|#### end of demo'
if [ -f build/6.1/vmxhv.ko ] && [ -f build/6.12/vmxhv.ko ]; then
	echo "== make demo (6.1 and 6.12)"
	mkdir -p build/vm
	declare -A demo_pid
	for f in 6.1 6.12; do
		FLAVOR=$f scripts/demo.sh >"build/vm/demo-$f.txt" 2>&1 &
		demo_pid[$f]=$!
	done
	for f in 6.1 6.12; do
		one "FLAVOR=$f make demo exits 0" wait "${demo_pid[$f]}"
		cat "build/vm/demo-$f.txt"
		one "FLAVOR=$f make demo prints every section" \
			test "$(grep -cE "^($demo_sections)" "build/vm/demo-$f.txt")" -eq 6
		one "FLAVOR=$f make demo has no failed check" \
			sh -c "! grep -q '^not ok' 'build/vm/demo-$f.txt'"
	done
fi

if [ -f build/6.1/vmxhv.ko ] && [ -f build/6.12/vmxhv.ko ]; then
	echo "== emulated machine"
	out=$(scripts/vm-check.sh --timeout 2100 --module-6.1 build/6.1/vmxhv.ko \
		--module-6.12 build/6.12/vmxhv.ko 2>&1 | tee /dev/stderr)
	count "$(grep -E '^vm: [0-9]+ passed' <<<"$out" || echo 'vm: 0 passed, 1 failed')"
else
	one "emulated machine suite (needs both modules)" false
fi
finish
