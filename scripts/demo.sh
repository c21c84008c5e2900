#!/usr/bin/env bash
# demo.sh: `make demo`.  Installs what it needs, builds the module for
# Debian's 6.12 kernel, boots it in the emulated PC (Bochs) and shows the
# tutorial's experiment and more (tests/vm/demo.sh): the HLT guest, its
# status and VMCS fields, a guest printing through port 0xE9, a traced
# CPUID loop, and a broken VMCS explained by the entry checker.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
flavor=${FLAVOR:-6.12}
scripts/vm-deps.sh
scripts/vm-kernels.sh "$flavor"
make -s "build/$flavor/vmxhv.ko"
make -s -C tests/guests
make -s -C tests/tools
echo "Booting Debian $flavor in Bochs (about 2 minutes)..."
rc=0
scripts/vm-run.sh --flavor "$flavor" --cpus 1 --module "build/$flavor/vmxhv.ko" \
	--tests demo.sh --out "build/vm/demo-$flavor" >/dev/null || rc=$?
# The console shows the demo as it runs; after "tests done" the harness prints the
# test's output again: only the first copy.
sed -n '/#### vmxhv demo/,/#### end of demo/{p;/#### end of demo/q;}' \
	"build/vm/demo-$flavor/serial.log" | grep -v '^ok [0-9]'
exit $rc
