# soak.sh: a long mixed load (issue: reliability): on every CPU a launcher cycles
# through the guest images (long, protected and real mode; halting, faulting, timing
# out) and checks each outcome against a reference run; next to them a reader reads
# status, regs, exits, console, dump, check and VMCS fields, an override writer sets
# and clears sticky VMCS values, and a tracer switches the vmxhv events on and off.
# Zero failures expected; the operation counts are reported.
#
# Outside the numbered suite: scripts/vm-run.sh ... --tests soak.sh --timeout 2400.
# Length: VMXHV_TEST_SOAK_SECONDS, else vmxhv_soak=SECONDS on the kernel command line,
# else 1800.
# shellcheck shell=sh
t_need_module
D=$VMXHV_D
G=$VMXHV_GUESTS
T=/sys/kernel/tracing
karg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }
secs=${VMXHV_TEST_SOAK_SECONDS:-$(karg vmxhv_soak)}
secs=${secs:-1800}

t_check "load" vmxhv_load || exit 0
cpus=$(cd $D && ls -d cpu[0-9]* | sed 's/cpu//' | tr '\n' ' ')
t_diag "soak: $secs s on CPUs $cpus"

# The guests: "image mode timeout_ms".
cat >/tmp/soak.guests <<EOF
hlt long 2000
hello long 2000
cpuid-1000 long 2000
vmcall long 2000
console-a long 2000
ports long 2000
lstar long 2000
ud2 long 2000
ept-fault long 2000
bad-msr long 2000
spin long 100
loop2 long 100
protected protected 2000
real-hello real 2000
EOF

# outcome CPU IMAGE MODE TIMEOUT: launch once, print "verdict state [exit_reason] console".
# The exit reason of a timeout is whatever exit came last: left out.
outcome() {
	_c=$D/cpu$1
	echo "$3" >"$_c/mode" && echo "$4" >"$_c/timeout_ms" && cat "$G/$2.bin" >"$_c/guest_code" ||
		{ echo "setup failed"; return; }
	_v=$(vmxhv-launch "$1" | cut -d' ' -f1)
	_s=$(sed -n 's/^state: //p' "$_c/status")
	_r=$(sed -n 's/^exit_reason: //p' "$_c/status")
	[ "$_s" != timeout ] || _r=-
	echo "$_v $_s $_r $(od -An -tx1 "$_c/console" | tr -d ' \n' | cut -c1-64)"
}

# Reference outcomes, on the first CPU, before any load.
first=${cpus%% *}
: >/tmp/soak.ref
while read -r img mode ms; do
	echo "$img $(outcome "$first" "$img" "$mode" "$ms")" >>/tmp/soak.ref
done </tmp/soak.guests
t_diag "$(cat /tmp/soak.ref)"

end=$(($(date +%s) + secs))

# launcher CPU: cycle through the guests until the end; counts to /tmp/soak.l$CPU.
launcher() {
	_n=0 _bad=0
	while [ "$(date +%s)" -lt "$end" ]; do
		while read -r _img _mode _ms; do
			_want=$(sed -n "s/^$_img //p" /tmp/soak.ref)
			_got=$(outcome "$1" "$_img" "$_mode" "$_ms")
			_n=$((_n + 1))
			if [ "$_got" != "$_want" ]; then
				_bad=$((_bad + 1))
				[ "$_bad" -gt 10 ] || echo "cpu$1 $_img: got '$_got', want '$_want'" >>/tmp/soak.fail
			fi
		done </tmp/soak.guests
	done
	echo "$_n $_bad" >/tmp/soak.l$1
}

# reader: every read file of every CPU, and a few VMCS fields, round and round.
reader() {
	_n=0 _bad=0
	while [ "$(date +%s)" -lt "$end" ]; do
		for _c in $cpus; do
			for _f in status regs exits console dump check overrides launch mode timeout_ms \
				guest_code vmcs/GUEST_RIP vmcs/VM_EXIT_REASON vmcs/EXIT_QUALIFICATION \
				vmcs/GUEST_CR0 vmcs/TSC_OFFSET; do
				_n=$((_n + 1))
				cat "$D/cpu$_c/$_f" >/dev/null 2>>/tmp/soak.rerr || _bad=$((_bad + 1))
			done
		done
		cat $D/info $D/cpus >/dev/null 2>>/tmp/soak.rerr || _bad=$((_bad + 1))
		_n=$((_n + 1))
	done
	echo "$_n $_bad" >/tmp/soak.r
}

# overrider: TSC_OFFSET set (EBUSY while a guest runs is fine), overrides cleared.
overrider() {
	_n=0 _busy=0 _bad=0 _i=0
	while [ "$(date +%s)" -lt "$end" ]; do
		for _c in $cpus; do
			_i=$((_i + 1))
			_n=$((_n + 1))
			if [ $((_i % 10)) -eq 0 ]; then
				echo clear >"$D/cpu$_c/overrides" || _bad=$((_bad + 1))
				continue
			fi
			if ! _e=$(echo "$_i" 2>&1 >"$D/cpu$_c/vmcs/TSC_OFFSET"); then
				case "$_e" in
				*busy*) _busy=$((_busy + 1)) ;;
				*) _bad=$((_bad + 1)); echo "TSC_OFFSET=$_i on cpu$_c: $_e" >>/tmp/soak.fail ;;
				esac
			fi
		done
		sleep 0.1
	done
	echo "$_n $_busy $_bad" >/tmp/soak.o
}

# tracer: the vmxhv events on for a while, the buffer read, off again.
tracer() {
	_n=0 _bad=0 _ev=0
	while [ "$(date +%s)" -lt "$end" ]; do
		echo 1 >$T/events/vmxhv/enable || _bad=$((_bad + 1))
		sleep 1
		_ev=$((_ev + $(grep -c 'vmxhv:\| exit:' $T/trace)))
		echo 0 >$T/events/vmxhv/enable || _bad=$((_bad + 1))
		echo >$T/trace
		_n=$((_n + 1))
		sleep 1
	done
	echo "$_n $_bad $_ev" >/tmp/soak.t
}

rm -f /tmp/soak.fail /tmp/soak.rerr /tmp/soak.l* /tmp/soak.r /tmp/soak.o /tmp/soak.t
pids=''
for c in $cpus; do
	launcher "$c" &
	pids="$pids $!"
done
reader &
pids="$pids $!"
overrider &
pids="$pids $!"
tracer &
pids="$pids $!"
# A line now and then in the output: the run is alive (the init's stall watch reads it).
while [ "$(date +%s)" -lt "$end" ]; do
	sleep 60
	t_diag "soak: $(($(date +%s) - end + secs)) s of $secs"
done
# shellcheck disable=SC2086 # a list of pids
wait $pids

launches=0 lbad=0
for c in $cpus; do
	read -r n b </tmp/soak.l$c
	t_diag "cpu$c: $n launches, $b unexpected outcomes"
	launches=$((launches + n)) lbad=$((lbad + b))
done
read -r reads rbad </tmp/soak.r
read -r ovr obusy obad </tmp/soak.o
read -r tog tbad tev </tmp/soak.t
t_diag "soak totals: $launches launches, $reads reads, $ovr override writes ($obusy EBUSY), $tog trace on/off cycles ($tev events seen)"
t_diag "soak operations: $((launches + reads + ovr + tog * 2))"
t_eq "launches: every outcome as in the reference run" 0 "$lbad" || t_diag "$(cat /tmp/soak.fail)"
t_eq "reads: none failed" 0 "$rbad" || t_diag "$(sort /tmp/soak.rerr | uniq -c | head)"
t_eq "override writes: none failed but with EBUSY" 0 "$obad"
t_eq "tracing on/off: no failure" 0 "$tbad"
t_check "launches made (${launches})" test "$launches" -gt 0
t_check "unload after the soak" vmxhv_unload
t_check "reload" vmxhv_load || exit 0
for c in $cpus; do
	t_check "cpu$c runs the default guest" sh -c "echo 1 > $D/cpu$c/launch"
done
t_check "unload" vmxhv_unload
