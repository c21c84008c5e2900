#!/bin/sh
# run-all.sh: run every tests/vm/NN-*.sh in order and print one KTAP report.
#
# Usage (inside the emulated machine, from any directory):
#   /vmxhv/tests/run-all.sh [PATTERN]
# PATTERN (default: $VMXHV_TESTS, from vm-run.sh --tests) selects test files whose name
# contains it; shell wildcards work ("1?-*").  Each file runs in its own subshell with
# lib.sh sourced; results are numbered across files.
# shellcheck disable=SC2031 # lib.sh only sets T_STATE when it is unset
cd "$(dirname "$0")" || exit 1
pattern=${1:-${VMXHV_TESTS:-}}

# The counters shared by all test files (see lib.sh).
T_STATE=$(mktemp -d /tmp/ktap.XXXXXX)
: >"$T_STATE/results"
export T_STATE
# shellcheck source=/dev/null
. ./lib.sh

# A file outside the numbered suite (bench.sh) runs only when named exactly.
files=$(echo [0-9][0-9]-*.sh)
case "$pattern" in
[0-9][0-9]-*) ;;
*.sh) [ ! -f "$pattern" ] || files=$pattern ;;
esac

echo "KTAP version 1"
for f in $files; do
	[ -f "$f" ] || continue
	# shellcheck disable=SC2254 # the pattern is meant to be a glob
	case "$f" in
	*$pattern*) ;;
	*) continue ;;
	esac
	echo "# $f"
	rm -f "$T_STATE/skip_reason"
	T_FILE_START=$(wc -l <"$T_STATE/results")
	T_FILE_START=$((T_FILE_START))
	export T_FILE_START
	# "exit 0" at the end: running off the end of the file is success whatever the last
	# command returned; an explicit exit keeps its status.
	# shellcheck disable=SC1090,SC1091
	(. ./lib.sh && . "./$f"; exit 0)
	rc=$?
	started=$(wc -l <"$T_STATE/results")
	case $rc in
	0) ;;
	4)
		# Report a file skipped before any result, so it shows up in the totals.
		[ "$((started))" -gt "$T_FILE_START" ] ||
			t_skip "$f" "$(cat "$T_STATE/skip_reason" 2>/dev/null || echo "exit 4")"
		;;
	*) t_fail "$f" "test file exited with status $rc" ;;
	esac
done
t_summary
