#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fact check of our tables against the installed Linux headers:
#  - every field of Linux's enum vmcs_field (asm/vmx.h), except the _HIGH
#    halves, is in include/vmxhv/vmcs_fields.def under the same name with
#    the same encoding;
#  - every entry of Linux's VMX_EXIT_REASONS (uapi/asm/vmx.h) has the same
#    name for the same number in our list (as scripts/gen-exit-names.sh
#    prints it).
# Prints "ok N ..." / "not ok N ..." lines and "unit: N passed, N failed".
#
# usage: sh check-linux-names.sh [ASM_VMX_H [UAPI_VMX_H]]
# Defaults: the 6.12 headers Debian installs, else the newest installed
# /usr/src/linux-headers-*/arch/x86/include/asm/vmx.h; none: SKIP.

set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
asm=${1:-/usr/src/linux-headers-6.12.117+deb12-common/arch/x86/include/asm/vmx.h}
if [ ! -r "$asm" ] && [ $# -eq 0 ]; then
	asm=$(for h in /usr/src/linux-headers-*/arch/x86/include/asm/vmx.h; do
		[ -r "$h" ] && echo "$h"
	done | sort -V | tail -n 1)
fi
if [ -z "$asm" ] || [ ! -r "$asm" ]; then
	echo "ok 1 Linux vmx.h cross-check # SKIP no Linux headers installed"
	echo "unit: 0 passed, 0 failed"
	exit 0
fi
uapi=${2:-$(dirname "$asm")/../uapi/asm/vmx.h}

echo "# Linux headers: $asm"

sh "$top/scripts/gen-exit-names.sh" -b -m exit |
awk '
function norm(h) {
	h = tolower(h)
	sub(/^0x0*/, "", h)
	return h == "" ? "0" : h
}
function result(ok, msg) {
	n++
	if (ok)
		pass++
	else
		fail++
	printf "%sok %d %s\n", ok ? "" : "not ", n, msg
	return ok
}
FNR == 1 { file++ }

# 1: our field list
file == 1 && /^VMXHV_FIELD\(/ {
	s = $0
	sub(/^VMXHV_FIELD\(/, "", s)
	split(s, a, /[ \t]*,[ \t]*/)
	ours[a[1]] = norm(a[2])
	next
}

# 2: our exit names, from gen-exit-names.sh: @exit[10] = "CPUID";
file == 2 && match($0, /\[[0-9]+\]/) {
	v = substr($0, RSTART + 1, RLENGTH - 2) + 0
	if (match($0, /"[^"]*"/))
		exit_name[v] = substr($0, RSTART + 1, RLENGTH - 2)
	next
}

# 3: Linux asm/vmx.h, enum vmcs_field
file == 3 && /^enum vmcs_field[ \t]*\{/ { in_enum = 1; next }
file == 3 && in_enum && /^\}/ { in_enum = 0; next }
file == 3 && in_enum && match($0, /^[ \t]*[A-Z0-9_]+[ \t]*=[ \t]*0x[0-9a-fA-F]+/) {
	s = substr($0, RSTART, RLENGTH)
	gsub(/[ \t]/, "", s)
	split(s, a, "=")
	if (a[1] ~ /_HIGH$/)
		next
	fields++
	if (!(a[1] in ours)) {
		result(0, "vmcs field " a[1] " = " a[2])
		print "# missing from vmcs_fields.def"
	} else if (!result(ours[a[1]] == norm(a[2]), "vmcs field " a[1] " = " a[2])) {
		print "# vmcs_fields.def has 0x" ours[a[1]]
	}
	next
}

# 4: Linux uapi/asm/vmx.h, EXIT_REASON_* and VMX_EXIT_REASONS
file == 4 && /^#define[ \t]+EXIT_REASON_[A-Z0-9_]+[ \t]+[0-9]+/ {
	linux_value[$2] = $3 + 0
	next
}
file == 4 && match($0, /\{[ \t]*EXIT_REASON_[A-Z0-9_]+[ \t]*,[ \t]*"[^"]*"/) {
	s = substr($0, RSTART + 1, RLENGTH - 1)
	gsub(/[ \t"]/, "", s)
	split(s, a, ",")
	reasons++
	if (!(a[1] in linux_value)) {
		result(0, "exit reason " a[2])
		print "# no #define " a[1] " in the Linux header"
		next
	}
	v = linux_value[a[1]]
	if (!result(exit_name[v] == a[2], "exit reason " a[2] " = " v))
		print "# ours: \"" exit_name[v] "\""
	next
}

END {
	if (!fields)
		result(0, "found enum vmcs_field in the Linux header")
	if (!reasons)
		result(0, "found VMX_EXIT_REASONS in the Linux header")
	printf "1..%d\n", n
	printf "unit: %d passed, %d failed\n", pass, fail
	exit fail ? 1 : 0
}
' "$top/include/vmxhv/vmcs_fields.def" - "$asm" "$uapi"
