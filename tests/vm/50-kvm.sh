# Living next to kvm_intel.  1-CPU machines only: emulator.md reports hangs
# when kvm_intel is loaded and unloaded repeatedly with 2 emulated CPUs.
# Both use the kernel's one emergency virtualization callback slot, and taking a
# taken slot is a WARN (which fails the run's kernel log check): vmxhv holds it only
# while no kvm_intel is loaded (Documentation/design.md, "Emergencies").
t_need_module
[ "$VMXHV_NCPUS" -eq 1 ] || t_skip_all "kvm_intel coexistence runs on 1-CPU machines"
K=/vmxhv/kvm
[ -f $K/kvm-intel.ko ] || t_skip_all "no kvm modules in the image"
D=$VMXHV_D

kvm_load() { insmod $K/irqbypass.ko 2>/dev/null; insmod $K/kvm.ko && insmod $K/kvm-intel.ko; }
kvm_unload() { rmmod kvm_intel; rmmod kvm; rmmod irqbypass 2>/dev/null; true; }
# slot_is NAME OWNER: the module whose callback is in the slot ("[vmxhv]",
# "[kvm_intel]") or "empty".
slot_is() {
	_s=$(vmxhv_emergency_slot)
	case "$_s" in
	unknown) t_skip "$1" "the callback slot cannot be read" ;;
	*\]) t_eq "$1" "$2" "${_s##* }" ;;
	*) t_eq "$1" "$2" "$_s" ;;
	esac
}

vmxhv_unload
if [ "$VMXHV_FLAVOR" = 6.12 ]; then
	# 6.12's kvm takes VMX when it loads (kvm.enable_virt_at_load=Y).
	t_check "kvm_intel loads first" kvm_load
	slot_is "kvm_intel holds the callback slot" "[kvm_intel]"
	dmesg -c > /dev/null
	t_check "vmxhv refuses to load while kvm_intel holds VMX" sh -c "! insmod $VMXHV_KO"
	t_check "the refusal names kvm_intel and the fix" sh -c "dmesg | grep -q 'another hypervisor holds VMX (kvm_intel'"
	t_check "no vmxhv directory left behind" test ! -e $D
	slot_is "the slot is still kvm_intel's" "[kvm_intel]"
	t_check "kvm_intel unloads" kvm_unload
	slot_is "kvm_intel left the slot empty" empty
	t_check "vmxhv loads after rmmod kvm_intel" vmxhv_load
	t_check "and runs a guest" sh -c "echo 1 > $D/cpu0/launch"
	slot_is "vmxhv holds the slot" "[vmxhv]"
	# The reverse order: kvm_intel cannot enable VMX; the machine goes on.  kvm
	# registers its callback before its VMXON fails: vmxhv stepped aside for it.
	insmod $K/irqbypass.ko 2>/dev/null
	insmod $K/kvm.ko
	t_check "kvm_intel refuses to load while vmxhv holds VMX" sh -c "! insmod $K/kvm-intel.ko"
	slot_is "vmxhv holds the slot again after kvm_intel's failed load" "[vmxhv]"
	kvm_unload
	t_check "vmxhv still runs a guest" sh -c "echo 1 > $D/cpu0/launch"
	t_check "vmxhv unloads" vmxhv_unload
	slot_is "the slot is empty after both" empty
else
	# 6.1's kvm takes VMX only while a VM exists: both modules load.  kvm_intel
	# holds the callback slot from its load to its unload (vmx_init).
	t_check "kvm_intel loads first" kvm_load
	slot_is "kvm_intel holds the callback slot" "[kvm_intel]"
	t_check "vmxhv loads next to an idle kvm_intel" vmxhv_load
	slot_is "vmxhv leaves the slot to kvm_intel" "[kvm_intel]"
	t_check "and runs a guest" sh -c "echo 1 > $D/cpu0/launch"
	t_check "vmxhv unloads" vmxhv_unload
	slot_is "the slot is still kvm_intel's" "[kvm_intel]"
	t_check "kvm_intel unloads" kvm_unload
	slot_is "kvm_intel left the slot empty" empty
	t_check "reverse order: vmxhv first" vmxhv_load
	slot_is "vmxhv holds the slot" "[vmxhv]"
	t_check "kvm_intel loads next to vmxhv" kvm_load
	slot_is "vmxhv stepped aside for kvm_intel" "[kvm_intel]"
	t_check "vmxhv still runs a guest" sh -c "echo 1 > $D/cpu0/launch"
	kvm_unload
	slot_is "vmxhv took the slot back when kvm_intel left" "[vmxhv]"
	t_check "vmxhv unloads" vmxhv_unload
	slot_is "the slot is empty after both" empty
fi
