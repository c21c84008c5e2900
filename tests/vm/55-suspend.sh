# Suspend and hibernation (Documentation/design.md, "Suspend and hibernation"): before the
# system sleeps every CPU stops its guest and leaves VMX operation, after it every selected
# CPU enters again, so launches, field reads and rmmod work afterwards.  /sys/power/pm_test
# runs each suspend path (freeze, mem, disk) down to a level (freezer, devices, platform,
# processors, core: the syscore suspend and resume without sleeping) and back.
# Then a real suspend to RAM, woken by the RTC alarm (VMXHV_TEST_SUSPEND_REAL, below).
t_need_module
P=/sys/power
D=$VMXHV_D
[ -w $P/state ] || t_skip_all "no /sys/power/state (CONFIG_PM_SLEEP)"
[ -w $P/pm_test ] || t_skip_all "no /sys/power/pm_test (CONFIG_PM_DEBUG)"
states=$(cat $P/state)
levels=$(sed 's/[][]//g' $P/pm_test)
t_diag "offered: state '$states', pm_test '$levels', mem_sleep '$(cat $P/mem_sleep 2>/dev/null)', disk '$(cat $P/disk 2>/dev/null)'"
[ -n "$states" ] || t_skip_all "the kernel offers no sleep state"
# The wait at the test level (5 s by default) proves nothing here.
delay=/sys/module/suspend/parameters/pm_test_delay
[ ! -w $delay ] || echo 1 >$delay

t_check "load" vmxhv_load || exit 0
all=$(cat $D/cpus)
cpus=$(cd $D && ls -d cpu[0-9]* | sed 's/cpu//')

offered() { case " $states " in *" $1 "*) return 0 ;; esac; return 1; }
left() { dmesg | grep -c "vmxhv: cpu0: left VMX operation"; }

# attempt NAME STATE: one attempt to enter STATE, for which cpu0 must leave VMX operation.
attempt() {
	_n=$(left)
	t_check "$1: echo $2 > /sys/power/state" sh -c "echo $2 > $P/state" || return 1
	t_eq "$1: cpu0 left VMX operation for it" 1 $(($(left) - _n))
}

# back NAME: after an attempt every CPU must be back and run a guest.
back() {
	t_eq "$1: cpus as before" "$all" "$(cat $D/cpus)"
	for c in $cpus; do
		t_check "$1: launch on cpu$c" sh -c "echo 1 > $D/cpu$c/launch"
	done
}

# deep_checks NAME STATE: a guest running across the attempt is stopped like at a CPU
# offline, and the VMCS is readable afterwards.
deep_checks() {
	echo 60000 >$D/cpu0/timeout_ms
	cat "$VMXHV_GUESTS/spin.bin" >$D/cpu0/guest_code
	vmxhv-launch 0 >/tmp/suspend-launch &
	sleep 1
	attempt "$1" "$2"
	wait
	t_eq "$1: the running guest's writer got ENODEV" ENODEV "$(cut -d' ' -f1 /tmp/suspend-launch)"
	echo 2000 >$D/cpu0/timeout_ms
	cat "$VMXHV_GUESTS/hlt.bin" >$D/cpu0/guest_code
	back "$1"
	rip=$(sed -n 's/^guest_rip: //p' $D/cpu0/status)
	t_eq "$1: GUEST_RIP reads as status says" "$((rip))" "$(($(cat $D/cpu0/vmcs/GUEST_RIP)))"
}

for s in freeze mem disk; do
	if ! offered $s; then
		t_skip "$s: not offered" "/sys/power/state has no $s"
		continue
	fi
	deepest=''
	for l in freezer devices platform processors core; do
		case " $levels " in *" $l "*) ;; *) continue ;; esac
		# Suspend to idle stops short of taking CPUs down (the kernel refuses those levels).
		[ $s != freeze ] || [ $l = freezer ] || [ $l = devices ] || [ $l = platform ] || continue
		echo $l >$P/pm_test
		attempt "$s/$l" $s && back "$s/$l"
		deepest=$l
	done
	[ -z "$deepest" ] || { echo $deepest >$P/pm_test; deep_checks "$s/$deepest, guest running" $s; }
done
echo none >$P/pm_test

# Real sleeps: VMXHV_TEST_SUSPEND_REAL lists the states to enter, "mem" by default (Bochs
# implements S3 as a hardware reset that the BIOS resumes from, so VMX operation is really
# lost), not "freeze": in Bochs the RTC alarm does not end suspend to idle.
alarm=/sys/class/rtc/rtc0/wakealarm
for s in ${VMXHV_TEST_SUSPEND_REAL-mem}; do
	if ! offered "$s" || [ ! -w $alarm ]; then
		t_skip "$s for real" "no $s or no RTC wake alarm"
		continue
	fi
	echo 0 >$alarm
	echo +3 >$alarm
	deep_checks "$s for real" "$s"
done

t_check "unload after the suspend cycles" vmxhv_unload
t_check "reload" vmxhv_load
t_check "and launch" sh -c "echo 1 > $D/cpu0/launch"
vmxhv_unload
