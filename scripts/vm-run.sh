#!/usr/bin/env bash
# vm-run.sh: boot one emulated machine in Bochs, run the in-guest tests, judge the run.
#
# Usage: scripts/vm-run.sh --flavor 6.1|6.12|debug --cpus 1|2 [--model MODEL] [--module FILE]
#            [--out DIR] [--timeout SEC] [--tests PATTERN]
#
#   --model MODEL    Bochs CPU model instead of the flavor's default in scripts/vm/models.txt
#                    (e.g. corei7_haswell_4770, the one model on which the kernel keeps
#                    XSAVE on); the run is then named FLAVOR-Ncpu-MODEL
#   --module FILE    vmxhv.ko built for this flavor's kernel (tests that need it skip
#                    without it)
#   --out DIR        default build/vm/RUN (RUN: FLAVOR-Ncpu, or FLAVOR-Ncpu-MODEL)
#   --timeout SEC    wall-clock limit for the whole boot and test run (default 900)
#   --tests PATTERN  only tests/vm files whose name contains PATTERN (wildcards work)
#
# Example: scripts/vm-run.sh --flavor 6.12 --cpus 2 --module build/6.12/vmxhv.ko --tests 10-
#          scripts/vm-run.sh --flavor 6.1 --cpus 1 --model corei7_haswell_4770 \
#              --module build/6.1/vmxhv.ko --tests xsave
#
# VMXHV_BPFTRACE=1 in the environment adds bpftrace to the machine (installed on the host if
# missing; 200 MB more initramfs, 1.5 GiB of emulated RAM): tests/vm/61-bpftrace.sh skips
# without it.
#
# Writes DIR/serial.log (the guest console), DIR/kernel.log (the guest's kernel log from
# the start of the tests on, complete even where the console shows only warnings), DIR/bochs.log (Bochs' own log: failed VM-entry checks show up
# there), DIR/results.tap (one line per test, named "RUN: test", with
# the "#" explanation of each failure).  Besides the guest's KTAP results it counts as
# failures: no end marker (hang, timeout, crash), an incomplete KTAP report, and each of
# the patterns below found in the guest kernel log written after the tests started (the
# boot noise listed in shared/emulator.md comes before that and is ignored).
# Prints the result lines, the serial log's tail on any failure, and a closing line
# "vm RUN: N passed, N failed"; exits 0 only when nothing failed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
flavor='' cpus='' model='' module='' out='' timeout=900 tests=''
usage() {
	echo "usage: $0 --flavor 6.1|6.12|debug --cpus 1|2 [--model MODEL] [--module FILE] [--out DIR] [--timeout SEC] [--tests PATTERN]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case "$1" in
	--flavor) flavor=$2 ;;
	--cpus) cpus=$2 ;;
	--model) model=$2 ;;
	--module) module=$2 ;;
	--out) out=$2 ;;
	--timeout) timeout=$2 ;;
	--tests) tests=$2 ;;
	*) usage ;;
	esac
	shift 2
done
if [ -z "$flavor" ] || [ -z "$cpus" ]; then usage; fi
default_model=$(awk -v f="$flavor" '$1 == f { print $2 }' "$top/scripts/vm/models.txt")
[ -n "$default_model" ] || { echo "$0: no CPU model for flavor $flavor in scripts/vm/models.txt" >&2; exit 2; }
run=$flavor-${cpus}cpu
# Another model than the flavor's own gets a run (and directory) of its own.
if [ -n "$model" ] && [ "$model" != "$default_model" ]; then
	run=$run-$model
else
	model=$default_model
fi
out=${out:-$top/build/vm/$run}
# Bochs runs in $out: make the paths in its configuration absolute.
mkdir -p "$out"
out=$(cd "$out" && pwd)
[ -z "$module" ] || module=$(cd "$(dirname "$module")" && pwd)/$(basename "$module")

# Kernel log lines that fail a run.  ERE, matched case-sensitively on whole words.
patterns=(BUG WARNING Oops 'general protection' 'soft lockup' 'hard LOCKUP'
	'rcu_sched self-detected stall' 'rcu: INFO' 'Kernel panic' 'blocked for more than'
	'vmxhv-harness: stall')
start_marker='vmxhv-harness: tests start'
end_marker='vmxhv-harness: end'

"$top/scripts/vm-deps.sh"
"$top/scripts/vm-initramfs.sh" --flavor "$flavor" --cpus "$cpus" --out "$out" \
	--model "$model" --run "$run" ${module:+--module "$module"} ${tests:+--tests "$tests"}

serial=$out/serial.log
sed -e "s|@CPU_MODEL@|$model|" -e "s|@CPUS@|$cpus|" -e "s|@ISO@|$out/boot.iso|" \
	-e "s|@COM1@|mode=file, dev=$serial|" -e "s|@BOCHS_LOG@|$out/bochs.log|" \
	"$top/scripts/vm/bochsrc.in" >"$out/bochsrc"
# bpftrace in the initramfs (VMXHV_BPFTRACE=1) needs 1.5 GiB of RAM.
[ "${VMXHV_BPFTRACE:-0}" != 1 ] || sed -i 's/^memory: .*/memory: guest=1536, host=1536/' "$out/bochsrc"
# The internal debugger of Debian's Bochs stops at a prompt first: "c" continues.
echo c >"$out/bochs.rc"
rm -f "$serial" "$out/bochs.log" "$out/results.tap" "$out/kernel.log"
: >"$serial"

# No stdin (CI has none); the term display draws with curses on stdout, which needs a
# terminal type but no terminal.
t0=$(date +%s)
(cd "$out" && TERM=vt100 exec bochs -q -f bochsrc -rc bochs.rc </dev/null >"$out/bochs.out" 2>&1) &
bochs_pid=$!
stop_bochs() {
	kill "$bochs_pid" 2>/dev/null || return 0
	for _ in 1 2 3 4 5; do
		kill -0 "$bochs_pid" 2>/dev/null || return 0
		sleep 1
	done
	kill -9 "$bochs_pid" 2>/dev/null || true
}
trap 'stop_bochs' EXIT
trap 'exit 130' INT TERM

# Wait for Bochs to end (shutdown port), or stop it a little after the end marker (output
# is complete) or a panic (panic=-1 would reboot into the tests again), or at the timeout.
outcome=timeout
grace='' booted=''
while kill -0 "$bochs_pid" 2>/dev/null; do
	now=$(date +%s)
	[ -n "$booted" ] || ! grep -q "$start_marker" "$serial" || booted=$((now - t0))
	if [ -z "$grace" ]; then
		if grep -q "^$end_marker" "$serial"; then
			outcome=finished grace=$((now + 5))
		elif grep -q 'Kernel panic - not syncing' "$serial"; then
			outcome=panic grace=$((now + 3))
		elif [ $((now - t0)) -ge "$timeout" ]; then
			break
		fi
	elif [ "$now" -ge "$grace" ]; then
		break
	fi
	sleep 1
done
stop_bochs
wait "$bochs_pid" 2>/dev/null || true
trap - EXIT
wall=$(($(date +%s) - t0))
# Bochs may have ended on its own right after writing the marker.
[ "$outcome" != timeout ] || ! grep -q "^$end_marker" "$serial" || outcome=finished

# The serial console ends lines with CR LF.
log=$(tr -d '\r' <"$serial")
# block NAME: the lines init printed between <<<NAME and >>>NAME.
block() { printf '%s\n' "$log" | sed -n "/^<<<$1\$/,/^>>>$1\$/{/^<<<$1\$/d;/^>>>$1\$/d;p}"; }

if printf '%s\n' "$log" | grep -q '^<<<vmxhv-ktap$'; then
	ktap=$(block vmxhv-ktap)
else
	# The run did not finish: take what the console shows, kernel lines may be mixed in.
	ktap=$(printf '%s\n' "$log" | sed -n '/^KTAP version 1$/,$p')
fi
if printf '%s\n' "$log" | grep -q '^<<<vmxhv-kmsg$'; then
	# The guest's kernel log from the start marker on, kept apart for reading.
	block vmxhv-kmsg >"$out/kernel.log"
	kmsg=$(cat "$out/kernel.log")
else
	kmsg=$(printf '%s\n' "$log" | sed -n "/$start_marker/,\$p")
fi

pass=0 fail=0 skip=0 n=0
results=$out/results.tap
: >"$results"
# result "ok"|"not ok" NAME [DIRECTIVE]: one renumbered line in results.tap.
result() {
	n=$((n + 1))
	echo "$1 $n - $run: $2${3:+ # $3}" >>"$results"
	case "$1 ${3:-}" in
	"ok SKIP"*) skip=$((skip + 1)) ;;
	"ok "*) pass=$((pass + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
}
diag() { [ -z "$1" ] || printf '%s\n' "$1" | sed 's/^/# /' >>"$results"; }

# The guest's results, with the "#" lines that follow a failure.
planned='' in_fail=0
while IFS= read -r line; do
	if [[ $line =~ ^(ok|not\ ok)\ [0-9]+\ -\ (.*)$ ]]; then
		kind=${BASH_REMATCH[1]} rest=${BASH_REMATCH[2]} directive=''
		if [[ $rest =~ ^(.*)\ \#\ (.*)$ ]]; then
			rest=${BASH_REMATCH[1]} directive=${BASH_REMATCH[2]}
		fi
		result "$kind" "$rest" "$directive"
		[ "$kind" = "not ok" ] && in_fail=1 || in_fail=0
	elif [[ $line =~ ^1\.\.([0-9]+)$ ]]; then
		planned=${BASH_REMATCH[1]}
		in_fail=0
	elif [ "$in_fail" = 1 ] && [[ $line == "#"* ]] && ! [[ $line =~ ^#\ [0-9][0-9]-.*\.sh$ ]]; then
		echo "$line" >>"$results"
	fi
done <<<"$ktap"
guest_n=$n

case $outcome in
finished) result ok "guest finished (end marker)" ;;
panic) result "not ok" "guest finished (end marker)"; diag "kernel panic after ${wall}s" ;;
*)
	result "not ok" "guest finished (end marker)"
	if [ "$wall" -ge "$timeout" ]; then diag "timeout after ${wall}s"; else diag "Bochs ended after ${wall}s without the end marker"; fi
	# Why Bochs stopped by itself: a triple fault (reset_on_triple_fault=0), a bad
	# configuration, ...
	diag "$(grep -h -e '>>PANIC<<' -e 'exception with no resolution' "$out/bochs.log" "$out/bochs.out" 2>/dev/null | head -n 5)"
	;;
esac
if [ "$planned" = "$guest_n" ]; then
	result ok "KTAP report complete ($guest_n tests)"
else
	result "not ok" "KTAP report complete"
	diag "plan '1..${planned:-?}', $guest_n results"
fi

# One failed test per pattern found in the kernel log after the start marker.
found=0
for p in "${patterns[@]}"; do
	hits=$(printf '%s\n' "$kmsg" | grep -Ew -- "$p" || true)
	if [ -n "$hits" ]; then
		found=1
		result "not ok" "kernel log: $p"
		diag "$(printf '%s\n' "$hits" | head -n 10)"
	fi
done
if [ -z "$kmsg" ]; then
	result ok "kernel log clean after the start marker" "SKIP the tests never started"
elif [ "$found" = 0 ]; then
	result ok "kernel log clean after the start marker"
fi

cat "$results"
if [ "$fail" -gt 0 ] || [ "$outcome" != finished ]; then
	echo "---- $run: last 60 lines of $serial ----"
	printf '%s\n' "$log" | tail -n 60
	echo "---- $run: end of serial log ----"
fi
echo "vm $run: wall time ${wall}s (boot to the start marker: ${booted:-?}s)"
echo "vm $run: $pass passed, $fail failed$([ "$skip" -eq 0 ] || echo ", $skip skipped")"
[ "$fail" -eq 0 ] && [ "$outcome" = finished ]
