# Rewriting the CPU set through the cpus file, and CPU hotplug.
t_need_module
D=$VMXHV_D
t_check "load" vmxhv_load || exit 0
all=$(cat $D/cpus)

t_check "write 0 to cpus" sh -c "echo 0 > $D/cpus"
t_eq "cpus is 0" 0 "$(cat $D/cpus)"
if [ "$VMXHV_NCPUS" -ge 2 ]; then
	t_check "cpu1/ gone" test ! -e $D/cpu1
	t_check "write 0-1 to cpus" sh -c "echo 0-1 > $D/cpus"
	t_eq "cpus is 0-1" 0-1 "$(cat $D/cpus)"
	t_check "cpu1/ back" test -d $D/cpu1
	t_check "launch on cpu1 after re-adding" sh -c "echo 1 > $D/cpu1/launch"
fi
before=$(cat $D/cpus)
for bad in abc 5 "" 0- 1-0; do
	t_errno "cpus refuses '$bad'" EINVAL "echo '$bad' > $D/cpus"
	t_eq "cpus unchanged after '$bad'" "$before" "$(cat $D/cpus)"
done
t_errno "cpus refuses an absent CPU 64" EINVAL "echo 64 > $D/cpus"

if [ "$VMXHV_NCPUS" -ge 2 ]; then
	t_check "offline cpu1" sh -c "echo 0 > /sys/devices/system/cpu/cpu1/online"
	t_check "cpu1/ removed while offline" test ! -e $D/cpu1
	t_eq "cpus without cpu1" 0 "$(cat $D/cpus)"
	t_errno "cpus refuses offline cpu1" EINVAL "echo 0-1 > $D/cpus"
	t_check "online cpu1" sh -c "echo 1 > /sys/devices/system/cpu/cpu1/online"
	t_check "cpu1/ returns" test -d $D/cpu1
	t_eq "cpus with cpu1 again" 0-1 "$(cat $D/cpus)"
	t_check "launch on cpu1 after hotplug" sh -c "echo 1 > $D/cpu1/launch"
	t_eq "cpu1 halted" "state: halted" "$(grep '^state' $D/cpu1/status)"
	# A CPU removed while its guest runs: EBUSY.  The guest's limit outlasts the
	# offlining below, which takes several seconds on the debug kernel.
	echo 30000 > $D/cpu1/timeout_ms
	cat $VMXHV_GUESTS/spin.bin > $D/cpu1/guest_code
	vmxhv-launch 1 > /tmp/l1 &
	sleep 1
	t_errno "removing a running CPU gives EBUSY" EBUSY "echo 0 > $D/cpus"
	t_eq "cpus unchanged after EBUSY" 0-1 "$(cat $D/cpus)"
	# Offlining it anyway stops the guest first.
	t_check "offline cpu1 while its guest runs" sh -c "echo 0 > /sys/devices/system/cpu/cpu1/online"
	wait
	t_eq "the writer got ENODEV" ENODEV "$(cut -d' ' -f1 /tmp/l1)"
	t_check "online cpu1 again" sh -c "echo 1 > /sys/devices/system/cpu/cpu1/online"
	t_check "cpu1/ back after forced stop" test -d $D/cpu1
fi
t_check "unload" vmxhv_unload
