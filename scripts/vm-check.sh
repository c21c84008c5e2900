#!/usr/bin/env bash
# vm-check.sh: the emulated-machine runs, {6.1, 6.12} x {1, 2 CPUs} on the flavors' own
# CPU models plus 6.12 with 1 CPU on corei7_haswell_4770 (the one model on which the kernel
# keeps XSAVE on: tests/vm/35-xsave.sh), and one verdict.
#
# Usage: scripts/vm-check.sh [--module-6.1 FILE] [--module-6.12 FILE] [--timeout SEC]
#            [--tests PATTERN]
#
#   --module-FLAVOR FILE  vmxhv.ko built against that flavor's headers
#                         (make -C "$(scripts/vm-kernels.sh kdir FLAVOR)" M=$PWD)
#   --timeout SEC         per run (default 900), passed to vm-run.sh
#   --tests PATTERN       passed to vm-run.sh
#
# Two runs at a time (Bochs uses one host core each; these machines have two), longest
# first: 6.1-2cpu, 6.12-2cpu, 6.1-1cpu, 6.12-1cpu, 6.12-1cpu-corei7_haswell_4770, each
# started as soon as a core is free, so the slow 2-CPU boots overlap and the fast 1-CPU
# ones fill in behind them.
# Each run's files go to build/vm/RUN/ (RUN as vm-run.sh names it: FLAVOR-Ncpu, or
# FLAVOR-Ncpu-MODEL for another model than the flavor's; vm-run.sh's output in vm-run.txt).
# Prints every result line, renumbered, the full output of each failed run, each run's
# wall time, and ends with "vm: N passed, N failed"; exits non-zero on any failure.
#
# Example: scripts/vm-check.sh --module-6.1 build/6.1/vmxhv.ko --module-6.12 build/6.12/vmxhv.ko
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
mod61='' mod612='' timeout=900 tests=''
usage() {
	echo "usage: $0 [--module-6.1 FILE] [--module-6.12 FILE] [--timeout SEC] [--tests PATTERN]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case "$1" in
	--module-6.1) mod61=$2 ;;
	--module-6.12) mod612=$2 ;;
	--timeout) timeout=$2 ;;
	--tests) tests=$2 ;;
	*) usage ;;
	esac
	shift 2
done
for m in "$mod61" "$mod612"; do
	[ -z "$m" ] || [ -f "$m" ] || { echo "$0: no module file $m" >&2; exit 2; }
done

# Once, before the parallel runs: installing or fetching twice at the same time is wasted.
"$top/scripts/vm-deps.sh"
"$top/scripts/vm-kernels.sh" 6.1 6.12

# FLAVOR:CPUS[:MODEL], in starting order; MODEL: another Bochs model than the flavor's
# (scripts/vm/models.txt).
runs="6.1:2 6.12:2 6.1:1 6.12:1 6.12:1:corei7_haswell_4770"
# The order of the report.
report="6.1:1 6.1:2 6.12:1 6.12:2 6.12:1:corei7_haswell_4770"
t0=$(date +%s)

# name RUN: the run's name (and directory under build/vm), as vm-run.sh makes it.
name() {
	local flavor cpus model
	IFS=: read -r flavor cpus model <<<"$1"
	echo "$flavor-${cpus}cpu${model:+-$model}"
}

# start RUN: vm-run.sh for RUN in the background, its output in its directory.
start() {
	local flavor cpus model module dir
	IFS=: read -r flavor cpus model <<<"$1"
	if [ "$flavor" = 6.1 ]; then module=$mod61; else module=$mod612; fi
	dir=$top/build/vm/$(name "$1")
	mkdir -p "$dir"
	rm -f "$dir/results.tap"
	echo "vm: starting $(name "$1")"
	# One run carries bpftrace (61-bpftrace.sh); it is big, so only 6.12 with 1 CPU.
	bpf=0
	[ "$1" != 6.12:1 ] || bpf=${VMXHV_BPFTRACE:-1}
	VMXHV_BPFTRACE=$bpf "$top/scripts/vm-run.sh" --flavor "$flavor" --cpus "$cpus" ${model:+--model "$model"} \
		--out "$dir" --timeout "$timeout" \
		${module:+--module "$module"} ${tests:+--tests "$tests"} >"$dir/vm-run.txt" 2>&1 &
}

running=0
for r in $runs; do
	if [ "$running" -ge 2 ]; then
		wait -n || true
		running=$((running - 1))
	fi
	start "$r"
	running=$((running + 1))
done
wait || true
total=$(($(date +%s) - t0))

pass=0 fail=0 skip=0 n=0
for r in $report; do
	run=$(name "$r")
	dir=$top/build/vm/$run
	if [ ! -s "$dir/results.tap" ]; then
		# vm-run.sh died before judging (a build error, say): its output says why.
		n=$((n + 1)) fail=$((fail + 1))
		echo "not ok $n - $run: harness produced no results"
		sed 's/^/# /' "$dir/vm-run.txt"
		continue
	fi
	while IFS= read -r line; do
		if [[ $line =~ ^(ok|not\ ok)\ [0-9]+\ -\ (.*)$ ]]; then
			n=$((n + 1))
			echo "${BASH_REMATCH[1]} $n - ${BASH_REMATCH[2]}"
			case $line in
			"not ok"*) fail=$((fail + 1)) ;;
			*"# SKIP"*) skip=$((skip + 1)) ;;
			*) pass=$((pass + 1)) ;;
			esac
		else
			echo "$line"
		fi
	done <"$dir/results.tap"
done

# The failed runs' own output: the serial log's tail shows what the machine did last.
# (vm-run.sh prints that part only for a failed run.)
for r in $report; do
	sed -n '/^---- .*: last 60 lines/,/^---- .*: end of serial log/p' \
		"$top/build/vm/$(name "$r")/vm-run.txt" 2>/dev/null || true
done
for r in $report; do
	run=$(name "$r")
	grep -h "^vm $run: wall time" "$top/build/vm/$run/vm-run.txt" 2>/dev/null || true
done
echo "vm: all runs took ${total}s"
echo "vm: $pass passed, $fail failed$([ "$skip" -eq 0 ] || echo ", $skip skipped")"
[ "$fail" -eq 0 ]
