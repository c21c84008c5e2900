#!/usr/bin/env bash
# bench.sh: the exit-path bench behind `make bench` (Documentation/bench.md).
#
# Usage: scripts/bench.sh [--flavors "6.1 6.12"] [--module-6.1 KO] [--module-6.12 KO]
#            [--out DIR] [--no-2cpu] [--no-notrace] [--report-only]
#
# Per kernel flavor it boots the emulated PC (scripts/vm-run.sh, tests/vm/bench.sh):
#   1 CPU:  vmxhv (vmxhv:exit disabled, enabled, and the same sources built with
#           -DNOTRACE, tracepoints compiled out), then Debian's kvm_intel with
#           tests/tools/kvm-run, the same guest images (tests/guests/bench-*.S)
#   2 CPUs: vmxhv's CPUID loop on each CPU alone and on both at once
# then prints the table of medians (and writes it to DIR/bench.md).  Inside Bochs
# one TSC tick is one emulated instruction: every figure is a path length.
#   --module-F KO   measure this vmxhv.ko for flavor F instead of the one built from
#                   the current sources into build/bench/F (the -DNOTRACE module is
#                   always built from the current sources)
#   --out DIR       default build/vm-bench; runs in DIR/F-1cpu, DIR/F-2cpu
#   --no-2cpu       skip the 2-CPU machines; --no-notrace: skip the -DNOTRACE build
#   --report-only   make the table from the serial logs already in DIR
# Exits non-zero when a run failed (any KTAP failure, a hang, kernel log
# warnings) or a figure is missing.
set -eu -o pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
flavors='6.1 6.12' out=$top/build/vm-bench two=1 notrace=1 report_only=0
declare -A module
while [ $# -gt 0 ]; do
	case "$1" in
	--flavors) flavors=$2; shift ;;
	--module-6.1) module[6.1]=$2; shift ;;
	--module-6.12) module[6.12]=$2; shift ;;
	--out) out=$2; shift ;;
	--no-2cpu) two=0 ;;
	--no-notrace) notrace=0 ;;
	--report-only) report_only=1 ;;
	*) sed -n '2,/^set -eu/{/^set/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2 ;;
	esac
	shift
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

# Both modules come from one snapshot of the sources, so that "compiled out" differs
# from the measured module by nothing else: build/bench/F/vmxhv.ko (as `make` builds
# it) and build/bench/F-notrace/vmxhv-notrace.ko (-DNOTRACE: linux/tracepoint.h then
# makes every trace_*() an empty inline).
build_variants() {
	local f=$1 d=$top/build/bench/$1 kdir
	kdir=$("$top/scripts/vm-kernels.sh" kdir "$f")
	rm -rf "$d" "$d-notrace"
	mkdir -p "$d/snap"
	(cd "$top" && tar cf - Kbuild src include trace) | tar xf - -C "$d/snap"
	cp -r "$d/snap" "$d-notrace"
	mv "$d/snap"/* "$d/"
	rmdir "$d/snap"
	if ! make -s -C "$kdir" M="$d" W=1 modules >"$d/build.log" 2>&1 ||
		! make -s -C "$kdir" M="$d-notrace" KCFLAGS=-DNOTRACE modules >"$d-notrace/build.log" 2>&1; then
		cat "$d/build.log" "$d-notrace/build.log" >&2
		return 1
	fi
	cp "$d-notrace/vmxhv.ko" "$d-notrace/vmxhv-notrace.ko"
}

failed=0
if [ "$report_only" = 0 ]; then
	make -s -C "$top/tests/guests"
	make -s -C "$top/tests/tools"
	for f in $flavors; do
		build_variants "$f" || { echo "bench: module build for $f failed" >&2; exit 1; }
		ko=${module[$f]:-$top/build/bench/$f/vmxhv.ko}
		[ -f "$ko" ] || { echo "bench: no module $ko" >&2; exit 2; }
		extra=''
		[ "$notrace" = 0 ] || extra=$top/build/bench/$f-notrace/vmxhv-notrace.ko
		# One Bochs at a time: each uses a host core for several minutes.
		echo "== bench $f, 1 CPU"
		VMXHV_EXTRA=$extra "$top/scripts/vm-run.sh" --flavor "$f" --cpus 1 --module "$ko" \
			--out "$out/$f-1cpu" --tests bench.sh --timeout 3600 | tail -n 3 || failed=1
		if [ "$two" = 1 ]; then
			echo "== bench $f, 2 CPUs"
			"$top/scripts/vm-run.sh" --flavor "$f" --cpus 2 --module "$ko" \
				--out "$out/$f-2cpu" --tests bench.sh --timeout 3600 | tail -n 3 || failed=1
		fi
	done
fi

# The "# bench ..." lines of every run, as "FLAVOR KEY=VALUE...".
collect() {
	local f n log
	for f in $flavors; do
		for n in 1 2; do
			log=$out/$f-${n}cpu/serial.log
			[ -f "$log" ] || continue
			# The KTAP report is on the console twice (live, then in the
			# <<<vmxhv-ktap block at the end): take the block when it is there.
			tr -d '\r' <"$log" | awk -v f="$f" '
				/^<<<vmxhv-ktap$/ { inblk = 1; blk = ""; next }
				/^>>>vmxhv-ktap$/ { inblk = 0; done = 1; next }
				/^# bench hv=/ { l = f " " substr($0, 9); all = all l "\n"; if (inblk) blk = blk l "\n" }
				END { printf "%s", done ? blk : all }'

		done
	done
}

# The table: medians of the runs (ticks / n), ratios, targets.
collect | awk -v flavors="$flavors" -v two="$two" -v notrace="$notrace" '
function med(k,    n, i, j, t, a) {
	n = cnt[k]
	if (!n) return -1
	for (i = 1; i <= n; i++) a[i] = val[k, i]
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function fmt(x) { return x < 0 ? "missing" : (x >= 1000 ? sprintf("%d", x + 0.5) : sprintf("%.1f", x)) }
function get(f, hv, test, cpus, cpu, par,    k, m) {
	k = f SUBSEP hv SUBSEP test SUBSEP cpus SUBSEP cpu SUBSEP par
	m = med(k)
	if (m < 0) { missing = missing " " f "/" hv "/" test "/" cpus "cpu/cpu" cpu "/par" par; return -1 }
	return m / nn[k]
}
function runs(f, hv, test, cpus, cpu, par) { return cnt[f SUBSEP hv SUBSEP test SUBSEP cpus SUBSEP cpu SUBSEP par] + 0 }
function ratio(a, b) { return (a < 0 || b <= 0) ? "-" : sprintf("%.2f", a / b) }
function pct(a, b) { return (a < 0 || b <= 0) ? "-" : sprintf("%+.1f%%", 100 * (a - b) / b) }
function row(name, a, b, target) { printf "| %s | %s | %s | %s | %s |\n", name, fmt(a), b == "" ? "" : fmt(b), b == "" ? "" : ratio(a, b), target }
{
	f = $1; delete kv
	for (i = 2; i <= NF; i++) { p = index($i, "="); kv[substr($i, 1, p - 1)] = substr($i, p + 1) }
	k = f SUBSEP kv["hv"] SUBSEP kv["test"] SUBSEP kv["cpus"] SUBSEP kv["cpu"] SUBSEP kv["par"]
	val[k, ++cnt[k]] = kv["ticks"]; nn[k] = kv["n"]
}
END {
	nf = split(flavors, fl, " ")
	for (x = 1; x <= nf; x++) {
		f = fl[x]
		printf "\n### Linux %s (1-CPU machine; medians of %d runs; instructions)\n\n", f, runs(f, "vmxhv", "cpuid", 1, 0, 1)
		print "| per exit round trip / per launch | vmxhv | KVM | vmxhv/KVM | target |"
		print "|---|---|---|---|---|"
		c1 = get(f, "vmxhv", "cpuid", 1, 0, 1)
		row("CPUID loop iteration (KVM in kernel)", c1, get(f, "kvm", "cpuid", 1, 0, 1), "<= 0.35")
		row("VMCALL loop iteration (KVM in kernel)", get(f, "vmxhv", "vmcall", 1, 0, 1), get(f, "kvm", "vmcall", 1, 0, 1), "<= 0.35")
		row("OUT 0xE9 loop iteration (KVM: exit to user space)", get(f, "vmxhv", "out", 1, 0, 1), get(f, "kvm", "out", 1, 0, 1), "")
		row("memory loop iteration, no exits (4 guest instructions)", get(f, "vmxhv", "mem", 1, 0, 1), get(f, "kvm", "mem", 1, 0, 1), "")
		lr = get(f, "vmxhv", "launch-real", 1, 0, 1)
		row("HLT guest launch, real mode (KVM: zero RAM + load + set regs + KVM_RUN)", lr, get(f, "kvm", "launch-real", 1, 0, 1), "vmxhv <= 20000")
		row("HLT guest launch, long mode (same)", get(f, "vmxhv", "launch-long", 1, 0, 1), get(f, "kvm", "launch-long", 1, 0, 1), "vmxhv <= 20000")
		row("HLT guest launch vs KVM_RUN alone on a warm VM (real mode)", lr, get(f, "kvm", "run-real", 1, 0, 1), "")
		row("HLT guest launch vs a new KVM VM: KVM_CREATE_VM to HLT (real mode)", lr, get(f, "kvm", "cold-real", 1, 0, 1), "")
		row("CPUID loop iteration, KVM without a CPUID table (KVM_SET_CPUID2 not called)", c1, get(f, "kvm-nocpuid", "cpuid", 1, 0, 1), "")
		print ""
		print "| vmxhv:exit tracepoint | CPUID iteration | VMCALL iteration | HLT launch (real) |"
		print "|---|---|---|---|"
		split("cpuid vmcall launch-real", tt, " ")
		for (j = 1; j <= 3; j++) { d[j] = get(f, "vmxhv", tt[j], 1, 0, 1); e[j] = get(f, "vmxhv-trace", tt[j], 1, 0, 1) }
		printf "| disabled | %s | %s | %s |\n", fmt(d[1]), fmt(d[2]), fmt(d[3])
		printf "| enabled (cost over disabled) | %s (%s) | %s (%s) | %s (%s) |\n", fmt(e[1]), pct(e[1], d[1]), fmt(e[2]), pct(e[2], d[2]), fmt(e[3]), pct(e[3], d[3])
		if (notrace == 1) {
			for (j = 1; j <= 3; j++) o[j] = get(f, "vmxhv-notrace", tt[j], 1, 0, 1)
			printf "| compiled out (disabled over compiled out) | %s (%s) | %s (%s) | %s (%s) |\n", fmt(o[1]), pct(d[1], o[1]), fmt(o[2]), pct(d[2], o[2]), fmt(o[3]), pct(d[3], o[3])
		}
		if (two == 1) {
			print ""
			print "| vmxhv CPUID loop iteration, 2-CPU machine | cpu0 | cpu1 |"
			print "|---|---|---|"
			a0 = get(f, "vmxhv", "cpuid", 2, 0, 1); a1 = get(f, "vmxhv", "cpuid", 2, 1, 1)
			b0 = get(f, "vmxhv", "cpuid", 2, 0, 2); b1 = get(f, "vmxhv", "cpuid", 2, 1, 2)
			printf "| alone | %s | %s |\n", fmt(a0), fmt(a1)
			printf "| both CPUs at once (vs alone) | %s (%s) | %s (%s) |\n", fmt(b0), pct(b0, a0), fmt(b1), pct(b1, a1)
			printf "| both at once vs the 1-CPU machine (%s) | %s | %s |\n", fmt(c1), pct(b0, c1), pct(b1, c1)
		}
	}
	if (missing != "") { print "\nbench: missing figures:" missing > "/dev/stderr"; exit 1 }
}' | tee "$out/bench.md" || failed=1

if [ "$failed" != 0 ]; then
	echo "bench: FAILED (see the vm-run output above and $out/*/results.tap)" >&2
	exit 1
fi
echo
echo "bench: table in $out/bench.md, raw figures: grep '^# bench' $out/*/serial.log"
