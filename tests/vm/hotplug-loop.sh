# hotplug-loop.sh: the CPU-set and hotplug steps of 20-cpus.sh, repeated.  A debugging
# aid: on the debug kernel "echo 1 > .../cpu1/online" sometimes never returned.  The bare
# mode below showed it without the module, a wake-up that Bochs' MWAIT lost
# (Documentation/testing.md); every kernel now boots with idle=nomwait.  Each cycle:
# cpus 0, cpus 0-1, a launch on CPU 1, CPU 1 offline and online, a launch, CPU 1
# offline under a spinning guest (the writer gets ENODEV), online again.  A step that
# does not return shows on the console as a hung-task report or, failing that, as the
# init's stall dump, both with every CPU's backtrace (scripts/vm/init).
#
# Outside the numbered suite:
#   scripts/vm-run.sh --flavor debug --cpus 2 --module build/debug/vmxhv.ko \
#       --tests hotplug-loop.sh --timeout 7200
# Cycles: VMXHV_TEST_HOTPLUG_CYCLES (default 20).  VMXHV_TEST_HOTPLUG_BARE=1: only CPU 1
# offline and online, without the module (is a hang the kernel's and the emulator's?).
# shellcheck shell=sh
[ "$VMXHV_NCPUS" -ge 2 ] || t_skip_all "CPU hotplug needs 2 CPUs"
D=$VMXHV_D
ON=/sys/devices/system/cpu/cpu1/online
cycles=${VMXHV_TEST_HOTPLUG_CYCLES:-20}
bare=${VMXHV_TEST_HOTPLUG_BARE:-0}

if [ "$bare" = 1 ]; then
	vmxhv_unload
else
	t_need_module
	t_check "load" vmxhv_load || exit 0
fi

# cycle: one round; prints the first step that failed, nothing when all passed.
cycle() {
	if [ "$bare" = 1 ]; then
		echo 0 >$ON || { echo "offline"; return; }
		echo 1 >$ON || echo "online"
		return
	fi
	echo 0 >"$D"/cpus || { echo "cpus 0"; return; }
	echo 0-1 >"$D"/cpus || { echo "cpus 0-1"; return; }
	echo 1 >"$D"/cpu1/launch || { echo "launch"; return; }
	echo 0 >$ON || { echo "offline"; return; }
	echo 1 >$ON || { echo "online"; return; }
	[ -d "$D"/cpu1 ] || { echo "cpu1/ back after online"; return; }
	echo 1 >"$D"/cpu1/launch || { echo "launch after online"; return; }
	echo 30000 >"$D"/cpu1/timeout_ms || { echo "timeout_ms"; return; }
	cat "$VMXHV_GUESTS/spin.bin" >"$D"/cpu1/guest_code || { echo "spin guest"; return; }
	vmxhv-launch 1 >/tmp/hp.l1 &
	sleep 1
	echo 0 >$ON || { echo "offline under a guest"; wait; return; }
	wait
	[ "$(cut -d' ' -f1 /tmp/hp.l1)" = ENODEV ] || { echo "writer got $(cat /tmp/hp.l1)"; return; }
	echo 1 >$ON || { echo "online after the forced stop"; return; }
	[ -d "$D"/cpu1 ] || echo "cpu1/ back after the forced stop"
}

n=0 failed=''
while [ "$n" -lt "$cycles" ] && [ -z "$failed" ]; do
	n=$((n + 1))
	failed=$(cycle 2>&1)
	[ $((n % 10)) -ne 0 ] || t_diag "$n cycles"
done
completed=$n
[ -z "$failed" ] || { completed=$((n - 1)) && t_diag "cycle $n failed at: $failed"; }
t_eq "hotplug cycles completed" "$cycles" "$completed"
[ "$bare" = 1 ] || t_check "unload" vmxhv_unload
