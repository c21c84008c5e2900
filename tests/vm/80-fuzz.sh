# 80-fuzz.sh: the debugfs fuzzer (tests/tools/vmxhv-fuzz.c) on every file under
# /sys/kernel/debug/vmxhv, interleaved with launches of corpus and random guests, on all
# CPUs at once; afterwards the module unloads cleanly and a fresh load runs the default
# guest (issue: reliability).
#
# Length: VMXHV_TEST_FUZZ_SECONDS (from the host's environment through vm-initramfs.sh),
# else vmxhv_fuzz=SECONDS on the kernel command line, else 60.  check-debug runs 600.
# Seed: VMXHV_TEST_FUZZ_SEED or vmxhv_fuzz_seed=, default 1.  File names the fuzzer must
# not write (a known crash waiting for its fix): VMXHV_TEST_FUZZ_SKIP=NAME,NAME.
# shellcheck shell=sh
t_need_module
D=$VMXHV_D

karg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }
secs=${VMXHV_TEST_FUZZ_SECONDS:-$(karg vmxhv_fuzz)}
secs=${secs:-60}
seed=${VMXHV_TEST_FUZZ_SEED:-$(karg vmxhv_fuzz_seed)}
seed=${seed:-1}
skip=${VMXHV_TEST_FUZZ_SKIP:-}

t_check "load" vmxhv_load || exit 0
t_diag "fuzzing for $secs s, seed $seed, $VMXHV_NCPUS CPUs${skip:+, not writing $skip}"
vmxhv-fuzz -s "$seed" -t "$secs" -c "$VMXHV_GUESTS" ${skip:+-X "$skip"} \
	>/tmp/fuzz.out 2>/tmp/fuzz.err
rc=$?
t_diag "$(cat /tmp/fuzz.out)"
if [ "$rc" -eq 0 ]; then
	t_ok "fuzzer: no hung operation, no undocumented errno"
else
	t_fail "fuzzer: no hung operation, no undocumented errno" \
		"$(printf 'exit status %s\n%s' "$rc" "$(tail -n 40 /tmp/fuzz.err)")"
fi
ops=$(sed -n 's/^fuzz: ops=\([0-9]*\).*/\1/p' /tmp/fuzz.out)
launches=$(sed -n 's/^fuzz: ops=.* launches=\([0-9]*\).*/\1/p' /tmp/fuzz.out)
touched=$(sed -n 's/^fuzz: files touched=\([0-9]*\) of seen=.*/\1/p' /tmp/fuzz.out)
seen=$(sed -n 's/^fuzz: files touched=[0-9]* of seen=\([0-9]*\).*/\1/p' /tmp/fuzz.out)
t_check "fuzzer made operations (${ops:-0})" test "${ops:-0}" -ge $((secs * 5))
t_check "fuzzer launched guests (${launches:-0})" test "${launches:-0}" -ge "$secs"
# A 60 s run reaches most files; longer runs nearly all.
t_check "fuzzer touched most files (${touched:-0} of ${seen:-0})" \
	test "$((${touched:-0} * 100))" -ge "$((${seen:-1} * 60))"

# Nothing of the fuzzer is left: the module must go at once, and come back working.
t_check "the fuzzer left no process behind" sh -c '! pidof vmxhv-fuzz'
t_check "module unloads after the fuzz" vmxhv_unload
t_check "no debugfs directory left" test ! -e "$D"
t_check "fresh load" vmxhv_load || exit 0
t_eq "all online CPUs in VMX operation" "$(cat /sys/devices/system/cpu/online)" "$(cat "$D/cpus")"
for c in "$D"/cpu[0-9]*; do
	n=${c##*cpu}
	t_eq "cpu$n: default image" f4 "$(xxd -p "$c/guest_code")"
	t_eq "cpu$n: no overrides" "" "$(cat "$c/overrides")"
	t_check "cpu$n: default guest launches" sh -c "echo 1 > $c/launch"
	t_eq "cpu$n: halted on HLT" "halted HLT (12)" \
		"$(sed -n 's/^state: //p' "$c/status") $(sed -n 's/^exit_reason: //p' "$c/status")"
done
t_check "unload" vmxhv_unload
