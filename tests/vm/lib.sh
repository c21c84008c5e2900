# lib.sh: KTAP helpers for the tests that run inside the emulated machine.
#
# run-all.sh sources this file, then runs every NN-*.sh in a subshell with it sourced.
# Results are numbered across all files: the counters live in files under $T_STATE.
#
#   t_ok NAME                 ok
#   t_fail NAME [WHY]         not ok, WHY as a "#" line
#   t_skip NAME WHY           ok ... # SKIP WHY
#   t_check NAME CMD...       ok if CMD exits 0, else not ok with CMD's output as "#" lines
#   t_eq NAME EXPECTED ACTUAL ok if the two strings are equal
#   t_errno NAME ERRNO CMD... CMD (a shell command, e.g. 'echo 5 > $VMXHV_D/cpus', joined
#                             and eval'ed) must fail with ERRNO (EINVAL, EBUSY, ...):
#                             matched on the strerror text busybox prints, so write
#                             with echo or cat (busybox printf prints no reason)
#   t_diag TEXT               a "#" line
#   t_skip_all WHY            skip the rest of this file (exit 4; the file is reported as
#                             one skipped test when it has printed no result yet)
#   t_summary                 plan line and totals (run-all.sh calls it once at the end)
# Each t_* returns 0 for ok/skip and 1 for not ok, so a test can stop early:
#   t_check "module loads" vmxhv_load || exit 0
# A test file ends early with "exit 0"; any exit status but 0 and 4 (a syntax error, an
# unset variable, a crash) is reported as a failure of the file.
#
# For module tests:
#   VMXHV_KO      /vmxhv/vmxhv.ko (absent when the run was made without --module)
#   VMXHV_D       /sys/kernel/debug/vmxhv
#   VMXHV_GUESTS  /vmxhv/guests (build/guests/*.bin)
#   t_need_module            t_skip_all unless VMXHV_KO is there
#   vmxhv_load [PARAM=V...]  (re)load the module with these parameters
#   vmxhv_unload             remove it if loaded
# The run: VMXHV_FLAVOR (6.1, 6.12), VMXHV_NCPUS (CPUs of the machine), VMXHV_RUN.
#   vmxhv_emergency_slot     who holds the kernel's emergency virtualization callback
#                            slot: "FUNCTION [MODULE]", "empty", or "unknown"
#
# Example (tests/vm/10-load.sh):
#   t_need_module
#   t_check "module loads" vmxhv_load || exit 0
#   t_eq "cpus lists all CPUs" "$(cat /sys/devices/system/cpu/online)" "$(cat "$VMXHV_D/cpus")"
#   t_errno "cpus refuses garbage" EINVAL 'echo abc > $VMXHV_D/cpus'
#   t_check "module unloads" vmxhv_unload

# shellcheck disable=SC2034 # used by the test files
VMXHV_KO=${VMXHV_KO:-/vmxhv/vmxhv.ko}
VMXHV_D=/sys/kernel/debug/vmxhv
VMXHV_GUESTS=${VMXHV_GUESTS:-/vmxhv/guests}

if [ -z "${T_STATE:-}" ]; then
	# Sourced on its own (e.g. by hand in vm-shell.sh): private counters.
	T_STATE=$(mktemp -d /tmp/ktap.XXXXXX)
	: >"$T_STATE/results"
fi

# _t_result KIND "ok"|"not ok" NAME [DIRECTIVE]: number and print one result line.
# KIND (pass, fail, skip) is appended to $T_STATE/results; its line count is the number.
_t_result() {
	echo "$1" >>"$T_STATE/results"
	_t_n=$(wc -l <"$T_STATE/results")
	_t_n=$((_t_n))
	if [ -n "${4:-}" ]; then
		echo "$2 $_t_n - $3 # $4"
	else
		echo "$2 $_t_n - $3"
	fi
}

# _t_diag_lines TEXT: print TEXT as "#" lines (nothing when empty).
_t_diag_lines() {
	[ -n "$1" ] && printf '%s\n' "$1" | sed 's/^/# /'
	return 0
}

t_diag() { _t_diag_lines "$*"; }

t_ok() { _t_result pass ok "$1"; }

t_fail() {
	_t_result fail "not ok" "$1"
	_t_diag_lines "${2:-}"
	return 1
}

t_skip() { _t_result skip ok "$1" "SKIP $2"; }

t_check() {
	_t_name=$1
	shift
	if _t_out=$("$@" 2>&1); then
		t_ok "$_t_name"
	else
		_t_rc=$?
		t_fail "$_t_name" "$(printf '%s\n%s' "exit status $_t_rc: $*" "$_t_out")"
	fi
}

t_eq() {
	if [ "$2" = "$3" ]; then
		t_ok "$1"
	else
		t_fail "$1" "expected '$2', got '$3'"
	fi
}

# _t_strerror ERRNO: the glibc strerror text busybox prints, as an extended regex.
_t_strerror() {
	case "$1" in
	EPERM) echo 'Operation not permitted' ;;
	EINVAL) echo 'Invalid argument' ;;
	ENOENT) echo 'No such file or directory|nonexistent directory' ;;
	EINTR) echo 'Interrupted system call' ;;
	EIO) echo 'I/O error|Input/output error' ;;
	ENXIO) echo 'No such device or address' ;;
	E2BIG) echo 'Argument list too long' ;;
	EAGAIN) echo 'Resource temporarily unavailable' ;;
	ENOMEM) echo 'Cannot allocate memory' ;;
	EACCES) echo 'Permission denied' ;;
	EBUSY) echo 'Device or resource busy' ;;
	EEXIST) echo 'File exists' ;;
	ENODEV) echo 'No such device' ;;
	EFBIG) echo 'File too large' ;;
	ENOSPC) echo 'No space left on device' ;;
	ERANGE) echo 'Numerical result out of range' ;;
	EOPNOTSUPP) echo 'Operation not supported' ;;
	ETIMEDOUT) echo 'Connection timed out' ;;
	*) return 1 ;;
	esac
}

t_errno() {
	_t_name=$1
	_t_want=$2
	shift 2
	if ! _t_re=$(_t_strerror "$_t_want"); then
		t_fail "$_t_name" "t_errno: unknown errno name $_t_want"
		return 1
	fi
	# A subshell: a failed redirection must not end the test file.
	if _t_out=$( (eval "$*") 2>&1); then
		t_fail "$_t_name" "succeeded, expected $_t_want: $*"
	elif printf '%s\n' "$_t_out" | grep -Eq "$_t_re"; then
		t_ok "$_t_name"
	else
		t_fail "$_t_name" "$(printf '%s\n%s' "expected $_t_want ($_t_re): $*" "$_t_out")"
	fi
}

t_skip_all() {
	echo "$*" >"$T_STATE/skip_reason"
	[ "$(wc -l <"$T_STATE/results")" -gt "${T_FILE_START:-0}" ] && t_diag "SKIP rest: $*"
	exit 4
}

# t_one_cpu_only: the rest of this file runs on 1-CPU machines only.  For files that test
# nothing that depends on the CPU count: Bochs emulates a 2-CPU machine several times
# more slowly (60-trace.sh: 60 s with 1 CPU, 9 min with 2), and make check runs every
# flavor with 1 CPU too.  VMXHV_TEST_ALL=1 in the host's environment runs them anyway.
t_one_cpu_only() {
	[ "$VMXHV_NCPUS" -eq 1 ] || [ "${VMXHV_TEST_ALL:-0}" = 1 ] ||
		t_skip_all "runs on the 1-CPU machines (VMXHV_TEST_ALL=1: here too)"
}

t_summary() {
	_t_n=$(wc -l <"$T_STATE/results")
	_t_p=$(grep -c '^pass$' "$T_STATE/results")
	_t_f=$(grep -c '^fail$' "$T_STATE/results")
	_t_s=$(grep -c '^skip$' "$T_STATE/results")
	echo "1..$((_t_n))"
	echo "# totals: pass:$_t_p fail:$_t_f skip:$_t_s"
}

t_need_module() {
	[ -f "$VMXHV_KO" ] || t_skip_all "no module (run made without --module)"
}

vmxhv_unload() {
	if grep -q '^vmxhv ' /proc/modules; then
		rmmod vmxhv
	fi
}

vmxhv_load() {
	vmxhv_unload && insmod "$VMXHV_KO" "$@"
}

# vmxhv_emergency_slot: the function in the kernel's one emergency virtualization callback
# slot (the static pointer cpu_emergency_virt_callback, arch/x86/kernel/reboot.c), read
# through a kprobe event that fetches it when sync(2) runs, and named from /proc/kallsyms:
# "emergency_vmxoff [vmxhv]", "empty", or "unknown" where the kernel has no such slot or
# no kprobe events.
vmxhv_emergency_slot() {
	_tr=/sys/kernel/tracing
	if [ ! -w $_tr/kprobe_events ] || ! grep -q ' cpu_emergency_virt_callback$' /proc/kallsyms ||
		! echo 'p:vmxhv_slot __x64_sys_sync slot=@cpu_emergency_virt_callback:x64' >>$_tr/kprobe_events 2>/dev/null; then
		echo unknown
		return 0
	fi
	echo >$_tr/trace
	echo 1 >$_tr/events/kprobes/vmxhv_slot/enable
	sync
	echo 0 >$_tr/events/kprobes/vmxhv_slot/enable
	_v=$(sed -n 's/.*vmxhv_slot:.* slot=0x\([0-9a-f]*\).*/\1/p' $_tr/trace | tail -n 1)
	echo >$_tr/trace
	echo '-:vmxhv_slot' >>$_tr/kprobe_events
	case "$_v" in
	'') echo unknown ;;
	0) echo empty ;;
	*) grep "^$_v " /proc/kallsyms | head -n 1 | tr '\t' ' ' | cut -d' ' -f3- ;;
	esac
}
