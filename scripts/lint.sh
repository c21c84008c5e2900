#!/usr/bin/env bash
# lint.sh: checkpatch --strict over the module's C and headers, one
# result per file ("ok - checkpatch src/run.c"), then "lint: N passed,
# N failed".  checkpatch.pl comes from Debian's linux-source-6.12 (only
# the three files it needs are unpacked, into the cache).
#
# trace/vmxhv_trace.h is left out: TRACE_EVENT() bodies are written the
# way every kernel trace header is, which --strict flags line by line.
# COMPLEX_MACRO is ignored in the two X-macro headers, whose lists (an
# enum body, a __print_symbolic list) cannot be parenthesised; Linux's
# own VMX_EXIT_REASONS draws the same error.  SPACING is ignored in
# src/vmx_ops.h (see below).  tests/tools are user-space
# programs and are not kernel code.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
cache=${VMXHV_CACHE:-$HOME/.cache/vmxhv}/checkpatch
tarball=/usr/src/linux-source-6.12.tar.xz

if [ ! -x "$cache/scripts/checkpatch.pl" ]; then
	if [ ! -f "$tarball" ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-source-6.12 >/dev/null ||
			{ echo "not ok - checkpatch: cannot install linux-source-6.12"; echo "lint: 0 passed, 1 failed"; exit 1; }
	fi
	mkdir -p "$cache"
	tar -xJf "$tarball" -C "$cache" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
fi

pass=0 fail=0
for f in src/*.c src/*.h src/*.S src/lib/*.c src/lib/*.h include/vmxhv/*.h; do
	ignore=FILE_PATH_CHANGES
	case "$f" in
	include/vmxhv/exit_reasons.h | include/vmxhv/vmcs_fields.h) ignore=$ignore,COMPLEX_MACRO ;;
	# _ASM_EXTABLE*() arguments name asm operands (%l[fault], %[v]), which
	# --strict reads as a modulo operator; KVM's vmx_ops.h draws the same.
	src/vmx_ops.h | src/virt_exits.c) ignore=$ignore,SPACING ;;
	esac
	out=$("$cache/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
		--ignore "$ignore" -f "$f" 2>&1 | grep -v '^total:')
	if [ -z "$out" ]; then
		echo "ok - checkpatch $f"
		pass=$((pass + 1))
	else
		echo "not ok - checkpatch $f"
		printf '%s\n' "$out" | sed 's/^/# /'
		fail=$((fail + 1))
	fi
done
echo "lint: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
