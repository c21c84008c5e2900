# What vmxhv does to the host CPU around a guest (Documentation/design.md,
# "What vmxhv does to the host CPU around a guest"): the parts Bochs shows.
t_need_module
D=$VMXHV_D
G=$VMXHV_GUESTS
C=$D/cpu0
t_check "load" vmxhv_load || exit 0

key() { sed -n "s/^$1: //p" "$C/status"; }
reg() { sed -n "s/^$1: //p" "$C/regs"; }
field() { cat "$C/vmcs/$1"; }
bit() { echo $(( ($1 >> $2) & 1 )); }
run() { cat "$G/$1.bin" > "$C/guest_code" && vmxhv-launch 0 | cut -d' ' -f1; }

# CR4.MCE: set in the CPU while the guest runs, the guest's own in its view.
t_eq "cr-owned guest halts" OK "$(run cr-owned)"
t_eq "guest CR4.MCE starts clear in the guest's view" 0 "$(bit "$(reg r8)" 6)"
t_eq "the guest sets CR4.MCE (read shadow)" 1 "$(bit "$(reg r9)" 6)"
t_eq "and clears it again" 0 "$(bit "$(reg r11)" 6)"
t_eq "the CPU kept CR4.MCE set (GUEST_CR4)" 1 "$(bit "$(field GUEST_CR4)" 6)"
t_eq "CR4 guest/host mask owns MCE" 1 "$(bit "$(field CR4_GUEST_HOST_MASK)" 6)"
t_eq "the guest sets CR0.CD (read shadow)" 1 "$(bit "$(reg r10)" 30)"
t_eq "the CPU kept CR0.CD clear (GUEST_CR0)" 0 "$(bit "$(field GUEST_CR0)" 30)"
t_eq "three owned-bit writes, one exit each" "HLT 1
CR_ACCESS 3" "$(cat $C/exits)"
t_eq "CR4.CET from the guest is refused" EIO "$(run cr4-cet)"
t_eq "... as #GP" "GP (13)" "$(key exception)"
t_eq "CR0.NW without CD is refused" EIO "$(run cr0-nw)"
t_eq "... as #GP" "GP (13)" "$(key exception)"
t_errno "GUEST_CR4 without MCE is refused (guard)" EPERM "echo 0x2020 > $C/vmcs/GUEST_CR4"
t_errno "a CR4 mask giving the guest MCE is refused" EPERM \
	"echo 0 > $C/vmcs/CR4_GUEST_HOST_MASK"
t_eq "no override left behind" "" "$(cat $C/overrides)"

# The interrupt shadow of STI ends with the instruction vmxhv stepped over.
t_eq "sti-shadow guest halts" OK "$(run sti-shadow)"
t_eq "no STI blocking left after the skipped CPUID" 0 \
	"$(( $(field GUEST_INTERRUPTIBILITY_INFO) & 3 ))"

# CR2 belongs to the guest.
echo 20000 > $C/timeout_ms
t_eq "cr2 guest halts" OK "$(run cr2)"
echo 2000 > $C/timeout_ms
t_eq "guest CR2 starts at 0, not the host's last fault address" 0x0000000000000000 "$(reg r8)"
t_eq "guest CR2 survives 20000 exits" 0x0000000012345000 "$(reg r9)"

# The guest's own breakpoint registers.
t_eq "dr-break guest stops" EIO "$(run dr-break)"
t_eq "its breakpoint fired: #DB" "DB (1)" "$(key exception)"
t_eq "at its own DR0 address" "$(printf '%#x' "$(reg r13)")" "$(key guest_rip)"

# A process with an LDT launching on its own CPU keeps its LDT.
cat "$G/cpuid-1000.bin" > "$C/guest_code"
t_eq "LDT survives a launch on the process's CPU" "LDT OK" "$(ldt-launch 0 2>&1)"

# What info says the exit path does matches what the kernel reports.
mit=$(sed -n 's/^mitigations: //p' "$D/info")
t_diag "mitigations: $mit; guest_xcr0: $(sed -n 's/^guest_xcr0: //p' "$D/info")"
vuln=/sys/devices/system/cpu/vulnerabilities
has() { case " $mit " in *" $1"*) echo yes ;; *) echo no ;; esac; }
want=no
grep -qs "Clear CPU buffers" $vuln/mds $vuln/tsx_async_abort $vuln/mmio_stale_data \
	$vuln/reg_file_data_sampling && want=yes
t_eq "VERW before entry exactly when the kernel clears CPU buffers" $want "$(has verw)"
# PTE inversion is reported whatever l1tf= says; the VM-entry flush follows l1tf=.
want=no
case "$(cat $vuln/l1tf 2>/dev/null)" in Mitigation*) want=yes ;; esac
grep -qE '(^| )(mitigations|l1tf)=off( |$)' /proc/cmdline && want=no
t_eq "L1D flush before entry exactly when L1TF is mitigated" $want "$(has l1d_flush)"
t_check "unload" vmxhv_unload
