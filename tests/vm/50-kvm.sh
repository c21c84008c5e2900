# Living next to kvm_intel.  1-CPU machines only: emulator.md reports hangs
# when kvm_intel is loaded and unloaded repeatedly with 2 emulated CPUs.
t_need_module
[ "$VMXHV_NCPUS" -eq 1 ] || t_skip_all "kvm_intel coexistence runs on 1-CPU machines"
K=/vmxhv/kvm
[ -f $K/kvm-intel.ko ] || t_skip_all "no kvm modules in the image"
D=$VMXHV_D

kvm_load() { insmod $K/irqbypass.ko 2>/dev/null; insmod $K/kvm.ko && insmod $K/kvm-intel.ko; }
kvm_unload() { rmmod kvm_intel; rmmod kvm; rmmod irqbypass 2>/dev/null; true; }

vmxhv_unload
if [ "$VMXHV_FLAVOR" = 6.12 ]; then
	# 6.12's kvm takes VMX when it loads (kvm.enable_virt_at_load=Y).
	t_check "kvm_intel loads first" kvm_load
	dmesg -c > /dev/null
	t_check "vmxhv refuses to load while kvm_intel holds VMX" sh -c "! insmod $VMXHV_KO"
	t_check "the refusal names kvm_intel and the fix" sh -c "dmesg | grep -q 'another hypervisor holds VMX (kvm_intel'"
	t_check "no vmxhv directory left behind" test ! -e $D
	t_check "kvm_intel unloads" kvm_unload
	t_check "vmxhv loads after rmmod kvm_intel" vmxhv_load
	t_check "and runs a guest" sh -c "echo 1 > $D/cpu0/launch"
	# The reverse order: kvm_intel cannot enable VMX; the machine goes on.
	insmod $K/irqbypass.ko 2>/dev/null
	insmod $K/kvm.ko
	t_check "kvm_intel refuses to load while vmxhv holds VMX" sh -c "! insmod $K/kvm-intel.ko"
	kvm_unload
	t_check "vmxhv still runs a guest" sh -c "echo 1 > $D/cpu0/launch"
	t_check "vmxhv unloads" vmxhv_unload
else
	# 6.1's kvm takes VMX only while a VM exists: both modules load.
	t_check "kvm_intel loads first" kvm_load
	t_check "vmxhv loads next to an idle kvm_intel" vmxhv_load
	t_check "and runs a guest" sh -c "echo 1 > $D/cpu0/launch"
	t_check "vmxhv unloads" vmxhv_unload
	t_check "kvm_intel unloads" kvm_unload
	t_check "reverse order: vmxhv first" vmxhv_load
	t_check "kvm_intel loads next to vmxhv" kvm_load
	t_check "vmxhv still runs a guest" sh -c "echo 1 > $D/cpu0/launch"
	kvm_unload
	t_check "vmxhv unloads" vmxhv_unload
fi
