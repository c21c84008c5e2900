#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Checks of the generated files and generators:
#  - Documentation/vmcs-fields.md is what scripts/gen-field-doc.py makes of
#    include/vmxhv/vmcs_fields.def (rerun the script after editing the .def);
#  - scripts/gen-exit-names.sh works and maps every reason that
#    include/vmxhv/exit_reasons.h defines, i.e. the list macro misses none.
# Prints "ok N ..." / "not ok N ..." lines and "unit: N passed, N failed".
#
# usage: sh check-generated.sh (run by "make check" in this directory)

set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
n=0
pass=0
fail=0

result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok $n $2"
	else
		fail=$((fail + 1))
		echo "not ok $n $2"
	fi
}

if command -v python3 >/dev/null 2>&1; then
	python3 "$top/scripts/gen-field-doc.py" --check 2>&1 | sed 's/^/# /'
	# POSIX sh has no pipefail: run it again for the status.
	python3 "$top/scripts/gen-field-doc.py" --check >/dev/null 2>&1
	result $? "Documentation/vmcs-fields.md is up to date"
else
	n=$((n + 1))
	echo "ok $n Documentation/vmcs-fields.md is up to date # SKIP no python3"
fi

header=$top/include/vmxhv/exit_reasons.h
names=$(sh "$top/scripts/gen-exit-names.sh" -b "$header")
result $? "scripts/gen-exit-names.sh runs"

re='^#define[[:space:]]+VMXHV_EXIT_[A-Z0-9_]+[[:space:]]+[0-9]+([[:space:]]|$)'
defined=$(grep -cE "$re" "$header")
mapped=$(printf '%s\n' "$names" | grep -c '^	@name\[[0-9]*\] = "[A-Z0-9_]*";$')
[ "$defined" -gt 0 ] && [ "$defined" -eq "$mapped" ]
result $? "every defined exit reason is in the map ($mapped of $defined)"

echo "1..$n"
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
