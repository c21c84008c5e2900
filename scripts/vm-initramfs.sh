#!/usr/bin/env bash
# vm-initramfs.sh: pack the initramfs and the bootable ISO of one emulated test machine.
#
# Usage: scripts/vm-initramfs.sh --flavor 6.1|6.12|debug --cpus N [--model MODEL] [--run NAME]
#            [--module FILE] [--tests PATTERN] [--append "KERNEL ARGS"] [--out DIR]
#
# --model is the Bochs CPU model the machine will have (default: the flavor's in
# scripts/vm/models.txt), --run the run's name (default FLAVOR-Ncpu); both only go to
# /vmxhv/env.  Writes DIR/initrd.img and DIR/boot.iso (DIR defaults to build/vm/NAME).  The ISO
# boots the flavor's Debian kernel (scripts/vm-kernels.sh) with scripts/vm/cmdline-FLAVOR.txt
# plus --append.  The initramfs holds:
#   /init                   scripts/vm/init
#   busybox and its applets, /usr/bin/bochs-off (scripts/vm/bochs-off.c),
#   trace-cmd with its shared libraries and libtraceevent plugins,
#   /vmxhv/env              VMXHV_FLAVOR, VMXHV_NCPUS, VMXHV_RUN, VMXHV_TESTS, VMXHV_MODEL
#   /vmxhv/kvm/             kvm.ko kvm-intel.ko irqbypass.ko msr.ko of that kernel
#   /vmxhv/vmxhv.ko         --module FILE, if given
#   /vmxhv/tests/           tests/vm/*
#   /vmxhv/guests/          build/guests/*.bin, if any
#   /usr/bin/vmxhv-*        scripts/vmxhv-*, if any (*.bt with the exit-reason names)
#   bpftrace and its shared libraries, when VMXHV_BPFTRACE=1 is in the environment
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
flavor='' cpus='' model='' run='' module='' tests='' append='' out=''
while [ $# -gt 0 ]; do
	case "$1" in
	--flavor) flavor=$2 ;;
	--cpus) cpus=$2 ;;
	--model) model=$2 ;;
	--run) run=$2 ;;
	--module) module=$2 ;;
	--tests) tests=$2 ;;
	--append) append=$2 ;;
	--out) out=$2 ;;
	*)
		echo "usage: $0 --flavor 6.1|6.12|debug --cpus N [--model MODEL] [--run NAME] [--module FILE] [--tests PATTERN] [--append ARGS] [--out DIR]" >&2
		exit 2
		;;
	esac
	shift 2
done
if [ -z "$flavor" ] || [ -z "$cpus" ]; then
	echo "$0: --flavor and --cpus are required" >&2
	exit 2
fi
case "$cpus" in [1-9]) ;; *) echo "$0: --cpus must be 1..9" >&2; exit 2 ;; esac
run=${run:-$flavor-${cpus}cpu}
model=${model:-$(awk -v f="$flavor" '$1 == f { print $2 }' "$top/scripts/vm/models.txt")}
out=${out:-$top/build/vm/$run}
[ -z "$module" ] || [ -f "$module" ] || { echo "$0: no module file $module" >&2; exit 2; }

kdir=$("$top/scripts/vm-kernels.sh" dir "$flavor")
cmdline=$(tr '\n' ' ' <"$top/scripts/vm/cmdline-$flavor.txt")

mkdir -p "$out"
root=$out/initramfs
rm -rf "$root"
mkdir -p "$root"/{proc,sys,dev,tmp,run,root,etc,lib64} "$root"/vmxhv/{kvm,tests,guests}

# busybox-static: one binary, every applet a symlink to it (paths from --list-full).
install -D -m 755 /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list-full); do
	[ -e "$root/$applet" ] || { mkdir -p "$root/$(dirname "$applet")"; ln -s /bin/busybox "$root/$applet"; }
done

install -m 755 "$top/scripts/vm/init" "$root/init"
gcc -static -O2 -Wall -o "$root/usr/bin/bochs-off" "$top/scripts/vm/bochs-off.c"

# trace-cmd is dynamically linked: copy every library ldd names (and the loader) to the
# same path, following symlinks, plus libtraceevent's plugins for readable reports.
copy_with_libs() {
	local f
	install -D -m 755 "$1" "$root$1"
	for f in $(ldd "$1" | grep -o '/[^ ]*'); do
		[ -e "$root$f" ] || install -D -m 755 "$(readlink -f "$f")" "$root$f"
	done
}
copy_with_libs "$(command -v trace-cmd)"
plugins=/usr/lib/x86_64-linux-gnu/traceevent/plugins
if [ -d "$plugins" ]; then
	mkdir -p "$root$plugins"
	cp "$plugins"/*.so "$root$plugins/"
fi

cp "$kdir"/kvm/*.ko "$root/vmxhv/kvm/"
[ -z "$module" ] || install -m 644 "$module" "$root/vmxhv/vmxhv.ko"
cp -r "$top/tests/vm/." "$root/vmxhv/tests/"
if [ -d "$top/build/guests" ]; then
	find "$top/build/guests" -maxdepth 1 -name '*.bin' -exec cp {} "$root/vmxhv/guests/" \;
fi
find "$top/scripts" -maxdepth 1 -name 'vmxhv-*' -type f -exec install -m 755 {} "$root/usr/bin/" \;
# The bpftrace tools get the exit-reason names in their BEGIN block, generated from the
# module's list (include/vmxhv/exit_reasons.h) by scripts/gen-exit-names.sh.
names=$("$top/scripts/gen-exit-names.sh" -b)
for f in "$top"/scripts/vmxhv-*.bt; do
	[ -f "$f" ] || continue
	printf '%s\n' "$names" | sed '/vmxhv-exit-names:/r /dev/stdin' "$f" >"$root/usr/bin/${f##*/}"
done
# bpftrace only on request (VMXHV_BPFTRACE=1, tests/vm/61-bpftrace.sh): with its libraries
# (LLVM, clang) it is about 200 MB, and the machine needs 1.5 GiB of RAM (vm-run.sh).
if [ "${VMXHV_BPFTRACE:-0}" = 1 ]; then
	copy_with_libs "$(command -v bpftrace)"
fi
# Static helpers the in-guest tests use (tests/tools, built into build/tools).
if [ -d "$top/build/tools" ]; then
	find "$top/build/tools" -maxdepth 1 -type f -perm -u+x -exec install -m 755 {} "$root/usr/bin/" \;
fi

# Extra files for /vmxhv/extra/: space-separated paths in $VMXHV_EXTRA (scripts/bench.sh
# passes its second module this way).
for f in ${VMXHV_EXTRA:-}; do
	install -D -m 644 "$f" "$root/vmxhv/extra/$(basename "$f")"
done

# The debug flavor is a 6.12 kernel (scripts/debug-kernel.sh): the tests see VMXHV_FLAVOR
# 6.12 (its uname -r and kvm behave as 6.12's) and VMXHV_KERNEL=debug.
guest_flavor=$flavor kernel=debian
[ "$flavor" != debug ] || guest_flavor=6.12 kernel=debug
# Read by /init; printf %q keeps a pattern with spaces or wildcards intact.
{
	printf 'VMXHV_FLAVOR=%q\n' "$guest_flavor"
	printf 'export VMXHV_KERNEL=%q\n' "$kernel"
	# Test parameters from the host's environment (VMXHV_TEST_FUZZ_SECONDS=600, ...).
	env | sed -n 's/^\(VMXHV_TEST_[A-Za-z0-9_]*\)=.*/\1/p' | while read -r name; do
		printf 'export %s=%q\n' "$name" "${!name}"
	done
	printf 'VMXHV_NCPUS=%q\n' "$cpus"
	printf 'VMXHV_RUN=%q\n' "$run"
	printf 'export VMXHV_MODEL=%q\n' "$model"
	printf 'VMXHV_TESTS=%q\n' "$tests"
} >"$root/vmxhv/env"

# lz4 (legacy frame format, the one the kernel reads): gzip took the 6.12 kernel 3.5 s of
# emulated time more to unpack; an uncompressed image boots as fast but is twice as big.
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | lz4 -l -9 -q >"$out/initrd.img"

iso=$out/iso
rm -rf "$iso"
mkdir -p "$iso/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso/isolinux/"
cp "$kdir/vmlinuz" "$iso/vmlinuz"
cp "$out/initrd.img" "$iso/initrd.img"
cat >"$iso/isolinux/isolinux.cfg" <<CFG
DEFAULT vmxhv
PROMPT 0
TIMEOUT 0
LABEL vmxhv
  KERNEL /vmlinuz
  INITRD /initrd.img
  APPEND $cmdline $append
CFG
xorriso -as mkisofs -quiet -o "$out/boot.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
	-no-emul-boot -boot-load-size 4 -boot-info-table "$iso" 2>/dev/null
rm -rf "$iso"
