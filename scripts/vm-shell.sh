#!/usr/bin/env bash
# vm-shell.sh: an interactive root shell in the emulated test machine, on this terminal.
#
# Usage: scripts/vm-shell.sh --flavor 6.1|6.12 [--cpus N] [--module FILE] [--out DIR]
#
# Boots the same machine as scripts/vm-run.sh (same kernel, CPU model, initramfs with the
# tests, guest images, kvm modules and trace-cmd), but /init loads --module FILE (as
# /vmxhv/vmxhv.ko) and starts a shell on the serial console instead of the tests.  The
# serial port is wired to this terminal (Bochs com1 "term" mode); the terminal is switched
# to raw mode, so ^C and ^Z go to the guest shell, and restored afterwards; the guest's
# terminal gets this terminal's size.
#   - debugfs is at /sys/kernel/debug, tracefs at /sys/kernel/tracing
#   - run the tests with /vmxhv/tests/run-all.sh [PATTERN]
#   - "exit" (or ^D) switches the machine off and ends this script
#   - a hung machine: kill "$(cat DIR/bochs.pid)" from another terminal
# Boot takes about 40 s (6.12, 1 CPU) to a few minutes (6.1, 2 CPUs).  Files go to DIR
# (default build/vm/shell-FLAVOR-Ncpu): bochs.log keeps Bochs' own messages.
#
# Example: scripts/vm-shell.sh --flavor 6.12 --module build/6.12/vmxhv.ko
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
flavor='' cpus=1 module='' out=''
usage() {
	echo "usage: $0 --flavor 6.1|6.12 [--cpus N] [--module FILE] [--out DIR]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case "$1" in
	--flavor) flavor=$2 ;;
	--cpus) cpus=$2 ;;
	--module) module=$2 ;;
	--out) out=$2 ;;
	*) usage ;;
	esac
	shift 2
done
[ -n "$flavor" ] || usage
tty=$(tty) || { echo "$0: standard input must be a terminal" >&2; exit 2; }
out=${out:-$top/build/vm/shell-$flavor-${cpus}cpu}
mkdir -p "$out"
out=$(cd "$out" && pwd)

"$top/scripts/vm-deps.sh"
"$top/scripts/vm-initramfs.sh" --flavor "$flavor" --cpus "$cpus" --out "$out" \
	${module:+--module "$module"} --append "vmxhv_cmd=shell vmxhv_size=$(stty size | tr ' ' x)"

model=$(awk -v f="$flavor" '$1 == f { print $2 }' "$top/scripts/vm/models.txt")
[ -n "$model" ] || { echo "$0: no CPU model for flavor $flavor in scripts/vm/models.txt" >&2; exit 2; }
sed -e "s|@CPU_MODEL@|$model|" -e "s|@CPUS@|$cpus|" -e "s|@ISO@|$out/boot.iso|" \
	-e "s|@COM1@|mode=term, dev=$tty|" -e "s|@BOCHS_LOG@|$out/bochs.log|" \
	"$top/scripts/vm/bochsrc.in" >"$out/bochsrc"
echo c >"$out/bochs.rc"

echo "vm-shell: booting $flavor with $cpus CPU(s); 'exit' in the guest shell switches it off." >&2
saved=$(stty -g)
trap 'stty "$saved" 2>/dev/null || stty sane || true; echo' EXIT
# Raw: every key, ^C included, goes to the guest; the guest's shell echoes.
stty raw -echo
# Bochs itself must stay off the terminal: its term display would draw the (unused) VGA
# screen with curses over the serial console.
(cd "$out" && TERM=vt100 exec bochs -q -f bochsrc -rc bochs.rc </dev/null >"$out/bochs.out" 2>&1) &
echo $! >"$out/bochs.pid"
wait "$!" || true
