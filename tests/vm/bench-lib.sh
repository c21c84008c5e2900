# bench-lib.sh: helpers of the exit-path bench (bench.sh) and its smoke test
# (70-bench-smoke.sh); sourced after lib.sh.  Documentation/bench.md.
#
# Every measurement is printed as one "# bench KEY=VALUE..." line, which
# scripts/bench.sh collects from the serial log:
#   hv     vmxhv, vmxhv-trace (vmxhv:exit enabled), vmxhv-notrace (tracepoints
#          compiled out), kvm, kvm-nocpuid (no KVM_SET_CPUID2)
#   test   cpuid, vmcall, out, mem (guest loops: ticks per iteration),
#          launch-real, launch-long (one HLT guest, host ticks per launch),
#          kvm only: run-real (KVM_RUN alone), cold-real (VM creation to HLT)
#   cpus   CPUs of the machine; cpu: the CPU (vmxhv); par: loops at once
#   n      iterations of the loop (1 for a launch); run; ticks
# and each run is also a KTAP result, which fails when the run did not end
# in HLT with the whole loop done.

# shellcheck disable=SC2034 # used by the test files
BENCH_KVM=/vmxhv/kvm
BENCH_HLT=$VMXHV_GUESTS/hlt.bin

# bench_image NAME COUNT: /tmp/bench-NAME.bin, tests/guests/bench-NAME.S with
# the loop count (the 32-bit word at image offset 4) set to COUNT.
bench_image() {
	_bi=/tmp/bench-$1.bin
	cp "$VMXHV_GUESTS/bench-$1.bin" "$_bi" || return 1
	_bc=$2
	# shellcheck disable=SC2059 # the format is made of octal escapes
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((_bc & 255)) $((_bc >> 8 & 255)) \
		$((_bc >> 16 & 255)) $((_bc >> 24 & 255)))" |
		dd of="$_bi" bs=1 seek=4 count=4 conv=notrunc 2>/dev/null || return 1
	echo "$_bi"
}

bench_line() { t_diag "bench $*"; }

# bench_settle: let the console drain before a measurement.  On a 1-CPU machine
# whatever else the kernel does during a run (here: the serial console catching up
# with the lines printed just before) is counted in the guest's TSC window; idle time
# costs nothing in Bochs.  BENCH_SETTLE seconds, default 2.
bench_settle() { sleep "${BENCH_SETTLE:-2}"; }

_bench_reg() { sed -n "s/^$2: //p" "$VMXHV_D/cpu$1/regs"; }
_bench_key() { sed -n "s/^$2: //p" "$VMXHV_D/cpu$1/status"; }

# vmxhv_prepare CPU IMAGE: load IMAGE on CPU in real mode, generous timeout.
vmxhv_prepare() {
	echo real >"$VMXHV_D/cpu$1/mode" &&
		echo 120000 >"$VMXHV_D/cpu$1/timeout_ms" &&
		cat "$2" >"$VMXHV_D/cpu$1/guest_code"
}

# vmxhv_result HV TEST CPU COUNT RUN CPUS PAR LAUNCH: judge the launch just made on
# CPU (LAUNCH: vmxhv-launch's verdict), print its bench line.
vmxhv_result() {
	_c=$3
	_name="$1 $2 cpu$_c run $5 (cpus=$6 par=$7)"
	_rbp=$(($(_bench_reg "$_c" rbp)))
	_rcx=$(($(_bench_reg "$_c" rcx) & 0xffffffff))
	_ticks=$(( ($(_bench_reg "$_c" rdi) & 0xffffffff) << 32 | ($(_bench_reg "$_c" rsi) & 0xffffffff) ))
	if [ "${8%% *}" != OK ] || [ "$(_bench_key "$_c" state)" != halted ] ||
		[ "$_rbp" != 0 ] || [ "$_rcx" != "$4" ] || [ "$_ticks" -le 0 ]; then
		t_fail "$_name" "launch ${8}, state $(_bench_key "$_c" state), exit $(_bench_key "$_c" exit_reason), rbp $_rbp, rcx $_rcx (want $4)"
		return 1
	fi
	t_ok "$_name"
	bench_line "hv=$1 test=$2 cpus=$6 cpu=$_c par=$7 n=$4 run=$5 ticks=$_ticks" \
		"rbx=$(_bench_reg "$_c" rbx) exits=$(_bench_key "$_c" exits)" \
		"per=$((_ticks / $4))"
}

# vmxhv_loop HV TEST COUNT RUNS [CPU]: RUNS launches of bench-TEST with COUNT iterations.
vmxhv_loop() {
	_img=$(bench_image "$2" "$3") || { t_fail "$1 $2: image"; return 1; }
	vmxhv_prepare "${5:-0}" "$_img" || { t_fail "$1 $2: load image"; return 1; }
	_r=1
	_bad=0
	while [ "$_r" -le "$4" ]; do
		bench_settle
		vmxhv_result "$1" "$2" "${5:-0}" "$3" "$_r" "$VMXHV_NCPUS" 1 "$(vmxhv-launch "${5:-0}")" || _bad=1
		_r=$((_r + 1))
	done
	return $_bad
}

# vmxhv_launches HV MODE RUNS [CPU]: RUNS launches of the one-byte HLT guest in MODE
# (real, long), each timed from the host around write() (tsc-launch).
vmxhv_launches() {
	_c=${4:-0}
	if ! { echo "$2" >"$VMXHV_D/cpu$_c/mode" && cat "$BENCH_HLT" >"$VMXHV_D/cpu$_c/guest_code"; }; then
		t_fail "$1 launch-$2: load image"
		return 1
	fi
	bench_settle
	if ! _out=$(tsc-launch "$_c" "$3"); then
		t_fail "$1 launch-$2: $3 launches" "$_out"
		return 1
	fi
	t_ok "$1 launch-$2: $3 launches halted"
	printf '%s\n' "$_out" | while read -r _l _res _t; do
		bench_line "hv=$1 test=launch-$2 cpus=$VMXHV_NCPUS cpu=$_c par=1 n=1 run=${_l#launch=} ${_t} exits=$(_bench_key "$_c" exits)"
	done
}

# kvm_load / kvm_unload: Debian's kvm_intel of this kernel (vmxhv must be unloaded).
kvm_load() {
	insmod $BENCH_KVM/irqbypass.ko 2>/dev/null
	insmod $BENCH_KVM/kvm.ko && insmod $BENCH_KVM/kvm-intel.ko
}
kvm_unload() {
	! grep -q '^kvm_intel ' /proc/modules || rmmod kvm_intel
	! grep -q '^kvm ' /proc/modules || rmmod kvm
	! grep -q '^irqbypass ' /proc/modules || rmmod irqbypass
	true
}

# _kv LINE KEY: the value of KEY= in a kvm-run line.
_kv() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# kvm_loop HV TEST COUNT RUNS [KVM-RUN OPTIONS]: RUNS launches of bench-TEST with
# COUNT iterations in one kvm-run (one VM).  BENCH_LAST: kvm-run's last good line
# (read keys with: _kv "$BENCH_LAST" KEY).
kvm_loop() {
	_hv=$1 _t=$2 _n=$3 _runs=$4
	shift 4
	_img=$(bench_image "$_t" "$_n") || { t_fail "$_hv $_t: image"; return 1; }
	bench_settle
	_out=$(kvm-run -q -r "$_runs" "$@" "$_img" 2>&1)
	_st=$?
	_bad=0
	_r=0
	while IFS= read -r _line; do
		case "$_line" in launch=*) ;; *) continue ;; esac
		_r=$((_r + 1))
		_ticks=$(( ($(_kv "$_line" rdi) & 0xffffffff) << 32 | ($(_kv "$_line" rsi) & 0xffffffff) ))
		_name="$_hv $_t run $_r"
		if [ "$(_kv "$_line" exit)" != hlt ] || [ "$(($(_kv "$_line" rbp)))" != 0 ] ||
			[ "$(($(_kv "$_line" rcx) & 0xffffffff))" != "$_n" ] || [ "$_ticks" -le 0 ]; then
			t_fail "$_name" "$_line"
			_bad=1
			continue
		fi
		t_ok "$_name"
		BENCH_LAST=$_line
		bench_line "hv=$_hv test=$_t cpus=$VMXHV_NCPUS cpu=0 par=1 n=$_n run=$_r ticks=$_ticks" \
			"rbx=$(_kv "$_line" rbx) kvm_exits=$(_kv "$_line" kvm_exits)" \
			"user_exits=$(_kv "$_line" user_exits) per=$((_ticks / _n))"
	done <<EOF
$_out
EOF
	if [ "$_st" != 0 ] || [ "$_r" != "$_runs" ]; then
		t_fail "$_hv $_t: kvm-run exit status $_st, $_r of $_runs launches" "$(printf '%s\n' "$_out" | tail -n 5)"
		return 1
	fi
	return $_bad
}

# kvm_launches MODE RUNS: the one-byte HLT guest RUNS times on one VM (launch-MODE,
# run-MODE), then RUNS cold launches (cold-MODE: VM creation to HLT).
kvm_launches() {
	_bad=0
	for _cold in "" -c; do
		bench_settle
		if ! _out=$(kvm-run -q -m "$1" -r "$2" $_cold "$BENCH_HLT" 2>&1); then
			t_fail "kvm launch-$1 ${_cold:+(cold) }: $2 launches" "$(printf '%s\n' "$_out" | tail -n 5)"
			_bad=1
			continue
		fi
		t_ok "kvm launch-$1 ${_cold:+(cold) }: $2 launches halted"
		printf '%s\n' "$_out" | while IFS= read -r _line; do
			case "$_line" in launch=*) ;; *) continue ;; esac
			_r=$(_kv "$_line" launch)
			_x="kvm_exits=$(_kv "$_line" kvm_exits) user_exits=$(_kv "$_line" user_exits)"
			if [ -n "$_cold" ]; then
				bench_line "hv=kvm test=cold-$1 cpus=$VMXHV_NCPUS cpu=0 par=1 n=1 run=$_r ticks=$(_kv "$_line" cold_ticks) destroy=$(_kv "$_line" destroy_ticks) $_x"
			else
				bench_line "hv=kvm test=launch-$1 cpus=$VMXHV_NCPUS cpu=0 par=1 n=1 run=$_r ticks=$(_kv "$_line" launch_ticks) $_x"
				bench_line "hv=kvm test=run-$1 cpus=$VMXHV_NCPUS cpu=0 par=1 n=1 run=$_r ticks=$(_kv "$_line" run_ticks) $_x"
			fi
		done
	done
	return $_bad
}

# vmxhv_parallel COUNT RUNS: the CPUID loop on every CPU at once, RUNS times.
vmxhv_parallel() {
	_img=$(bench_image cpuid "$1") || { t_fail "parallel: image"; return 1; }
	_cpus=$(seq 0 $((VMXHV_NCPUS - 1)))
	for _c in $_cpus; do
		vmxhv_prepare "$_c" "$_img" || { t_fail "parallel: load cpu$_c"; return 1; }
	done
	_bad=0
	_r=1
	while [ "$_r" -le "$2" ]; do
		bench_settle
		for _c in $_cpus; do
			vmxhv-launch "$_c" >"/tmp/bench-par$_c" &
		done
		wait
		for _c in $_cpus; do
			vmxhv_result vmxhv cpuid "$_c" "$1" "$_r" "$VMXHV_NCPUS" "$VMXHV_NCPUS" "$(cat "/tmp/bench-par$_c")" || _bad=1
		done
		_r=$((_r + 1))
	done
	return $_bad
}

# bench_env: what shapes the numbers: kernel, CPU model, mitigations.
bench_env() {
	t_diag "bench-env kernel=$(uname -r) cpus=$VMXHV_NCPUS cmdline=$(cat /proc/cmdline)"
	t_diag "bench-env cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
	for _v in /sys/devices/system/cpu/vulnerabilities/*; do
		[ -f "$_v" ] && t_diag "bench-env vuln ${_v##*/}: $(cat "$_v")"
	done
	return 0
}
