# XSAVE, AVX and XCR0 with a guest (issue 14): guest XSETBV, valid and invalid
# values; ymm isolation between a host task and the guest, both ways, with the guest's
# registers surviving its exits; the host's XCR0 unchanged by a guest that set its own.
#
# Only a kernel that kept XSAVE on runs the module's XSAVE/XRSTOR and XCR0 switch: the
# default models turn it off at boot (Documentation/testing.md), so there this file
# skips.  On the models listed in xsave_models the kernel is known to keep XSAVE and AVX
# on, and a host without them there is a failure, not a skip.
t_need_module
D=$VMXHV_D
G=$VMXHV_GUESTS
C=$D/cpu0
xsave_models=corei7_haswell_4770

expected=0
for m in $xsave_models; do [ "${VMXHV_MODEL:-}" != "$m" ] || expected=1; done
if ! grep -qw xsave /proc/cpuinfo || ! grep -qw avx /proc/cpuinfo; then
	why="host kernel has XSAVE or AVX off on ${VMXHV_MODEL:-this model}: $(dmesg | grep -m1 -i -E 'xsave|xstate' || echo 'no x86/fpu line')"
	[ "$expected" = 1 ] || t_skip_all "$why"
	t_fail "host has XSAVE and AVX on $VMXHV_MODEL" "$why"
	exit 0
fi
t_ok "host has XSAVE and AVX ($(dmesg | grep -m1 -o 'Enabled xstate features.*'))"

key() { sed -n "s/^$2: //p" "$1/status"; }
reg() { sed -n "s/^$2: //p" "$1/regs"; }
# run IMAGE: load build/guests/IMAGE.bin on CPU 0 and launch it; prints the verdict.
run() { cat "$G/$1.bin" > "$C/guest_code" && vmxhv-launch 0 | cut -d' ' -f1; }
# host_xcr0: CPU 0's XCR0 as a host task sees it.
host_xcr0() { taskset -c 0 fpcheck -x | sed -n 's/^xcr0 //p'; }
hex() { printf '0x%016x' "$1"; }
# le VALUE BYTES: VALUE as BYTES little-endian bytes (octal escapes: busybox printf).
le() {
	_v=$1 _i=0
	while [ $_i -lt "$2" ]; do
		# shellcheck disable=SC2059 # the format is the escape
		printf "\\$(printf %03o $((_v & 255)))"
		_v=$((_v >> 8)) _i=$((_i + 1))
	done
}
# one VALUE [ECX]: xsetbv-one.bin with its parameter block (offset 8: the 8-byte
# EDX:EAX, offset 16: the 4-byte ECX) set to VALUE and ECX, launched; prints the verdict.
one() {
	{
		head -c 8 "$G/xsetbv-one.bin"
		le "$1" 8
		le "${2:-0}" 4
		tail -c +21 "$G/xsetbv-one.bin"
	} > "$C/guest_code" && vmxhv-launch 0 | cut -d' ' -f1
}

t_check "load" vmxhv_load || exit 0
xcr0=$(host_xcr0)
t_diag "host XCR0 $xcr0"
t_check "host XCR0 has x87, SSE and AVX ($xcr0)" test $((xcr0 & 7)) -eq 7

# 1. Guest XSETBV: valid values.
echo 20000 > $C/timeout_ms
t_eq "XSETBV guest halts" OK "$(run xsetbv)"
ecx=$(reg $C r8)
t_eq "guest CPUID.1:ECX shows XSAVE" 1 $(( (ecx >> 26) & 1 ))
t_eq "guest CPUID.1:ECX shows OSXSAVE (guest CR4)" 1 $(( (ecx >> 27) & 1 ))
t_eq "guest CPUID.1:ECX shows AVX" 1 $(( (ecx >> 28) & 1 ))
t_eq "guest starts with the host's XCR0" "$(hex "$xcr0")" "$(reg $C r9)"
t_eq "guest XSETBV 0x3, XGETBV after an exit reads 0x3" "$(hex 3)" "$(reg $C r10)"
t_eq "guest XSETBV 0x7, XGETBV after an exit reads 0x7" "$(hex 7)" "$(reg $C r11)"
t_eq "guest XSETBV 0x1, XGETBV after an exit reads 0x1" "$(hex 1)" "$(reg $C r12)"
t_eq "guest XCR0 0x3 survives 200000 exits" "$(hex 3)" "$(reg $C r14)"
t_eq "XSETBV exits counted" 4 "$(sed -n 's/^XSETBV //p' $C/exits)"
t_diag "guest CPUID.(0xD,0): EAX $(reg $C r15), EBX with XCR0 0x3: $(reg $C r13) (natively 576)"
# 3. The host's XCR0 after a guest that halted with XCR0 = 0x3.
t_eq "host XCR0 unchanged after the guest set 0x3" "$xcr0" "$(host_xcr0)"

# The same guest with a host task on CPU 0 using all of ymm0-15 and checking XCR0
# every round meanwhile: it runs between the guest's slices.
taskset -c 0 fpcheck -y 6 > /tmp/fpy &
fp=$!
sleep 1
r=$(run xsetbv)
wait $fp
t_eq "XSETBV guest halts beside a ymm task" OK "$r"
t_check "host ymm and XCR0 unchanged while the guest ran with XCR0 0x3 ($(cat /tmp/fpy))" \
	grep -q "^ok .* xcr0 $xcr0\$" /tmp/fpy

# The parameterized guest, unchanged (0x7, ECX 0): the XSETBV and the AVX
# instruction after it both run.
t_eq "XSETBV 0x7: guest halts" OK "$(one 0x7)"
t_eq "XSETBV 0x7: guest ran past it and the AVX instruction" "$(hex 4)" "$(reg $C r8)"
t_eq "XSETBV 0x7: XGETBV reads it" "$(hex 7)" "$(reg $C r9)"
# Valid values without AVX: accepted, and the guest really runs with them, so its AVX
# instruction is #UD (which stops the guest like any exception).
for v in 0x3 0x1; do
	t_eq "XSETBV $v: AVX after it faults" EIO "$(one $v)"
	t_eq "XSETBV $v: XGETBV read it" "$(hex $v)" "$(reg $C r9)"
	t_eq "XSETBV $v: #UD at the AVX instruction" "UD (6) $(hex 3)" "$(key $C exception) $(reg $C r8)"
done

# Invalid values: the module injects #GP.  The guest has no IDT, so the delivery
# itself faults and the guest stops (documented: fault, exception GP (13)) at the
# XSETBV, which did not retire (GPA 0x10040).
# bad NAME VALUE [ECX]
bad() {
	r=$(one "$2" "${3:-0}")
	t_eq "XSETBV $1: guest faults" EIO "$r"
	t_eq "XSETBV $1: #GP" "GP (13)" "$(key $C exception)"
	t_eq "XSETBV $1: at the XSETBV, not past it" "0x10040 $(hex 1)" "$(key $C guest_rip) $(reg $C r8)"
	t_eq "XSETBV $1: host XCR0 unchanged" "$xcr0" "$(host_xcr0)"
}
bad "0x0 (x87 clear)" 0
bad "0x2 (x87 clear)" 2
bad "0x6 (x87 clear)" 6
bad "0x5 (AVX without SSE)" 5
bad "0x7 with ECX 1" 7 1
bad "0x7 with ECX 0xffffffff" 7 0xffffffff
bad "0x100000007 (bit 32, reserved)" 0x100000007
bad "0x8000000000000007 (bit 63, reserved)" 0x8000000000000007
t_diag "last #GP: error_code $(key $C error_code)"
# Bits the host's XCR0 lacks: MPX (BNDREGS 0x8, BNDCSR 0x10), AVX-512 (0xe0).
for c in "0xf BNDREGS" "0x17 BNDCSR" "0x1f BNDREGS+BNDCSR" "0xe7 AVX-512"; do
	v=${c%% *}
	if [ $(( v & ~xcr0 )) -eq 0 ]; then
		t_skip "XSETBV $v (${c#* }): host lacks it" "host XCR0 $xcr0 has it"
		continue
	fi
	bad "$v (${c#* }, not in the host's XCR0)" "$v"
done
# A valid write after the refused ones: nothing stuck.
t_eq "XSETBV 0x7 after the refused ones: guest halts" OK "$(one 0x7)"
t_eq "XSETBV 0x7 after the refused ones: reads 0x7" "$(hex 7)" "$(reg $C r9)"

# 2. ymm isolation, both ways: a host task on CPU 0 keeps a ymm pattern while the guest
# on CPU 0 starts (it must see zeros, not the task's registers), loads its own, takes
# 50000 exits (the task runs between its slices) and checks its own.
taskset -c 0 fpcheck -y 6 > /tmp/fpy &
fp=$!
sleep 1
r=$(run avx-clobber)
wait $fp
t_eq "AVX-clobbering guest halts" OK "$r"
t_check "host ymm registers unchanged ($(cat /tmp/fpy))" grep -q '^ok' /tmp/fpy
t_eq "guest ymm0-15 start zeroed, not the host's (mask of zero registers)" \
	"$(hex 0xffff)" "$(reg $C r9)"
t_eq "guest ymm0-15 unchanged across 50000 exits (mask of intact registers)" \
	"$(hex 0xffff)" "$(reg $C r8)"
t_eq "host XCR0 unchanged after the AVX guest" "$xcr0" "$(host_xcr0)"
echo 2000 > $C/timeout_ms
t_check "unload" vmxhv_unload
