# The kernel's emergency virtualization callback (Documentation/design.md, "Emergencies"):
# registered while vmxhv is loaded, gone after rmmod.  The callback itself runs only on a
# crash dump, an emergency reboot or an NMI stop of the CPUs, none of which a test run can
# survive, so this checks the registration, read from the slot itself.
t_need_module
D=$VMXHV_D
vmxhv_unload
slot=$(vmxhv_emergency_slot)
[ "$slot" != unknown ] || t_skip_all "the callback slot cannot be read (no kprobe events or no cpu_emergency_virt_callback)"
t_eq "slot empty before load" empty "$slot"
t_check "load" vmxhv_load || exit 0
t_eq "vmxhv's callback registered while it holds VMX" "emergency_vmxoff [vmxhv]" "$(vmxhv_emergency_slot)"
t_check "unload" vmxhv_unload
t_eq "slot empty after unload" empty "$(vmxhv_emergency_slot)"
t_check "load with cpus=0" vmxhv_load cpus=0
t_eq "registered again" "emergency_vmxoff [vmxhv]" "$(vmxhv_emergency_slot)"
vmxhv_unload
