#!/usr/bin/env bash
# debug-kernel.sh: build, once, the "debug" kernel flavor of the emulated test machine.
#
# Usage: scripts/debug-kernel.sh [--force]
#
# Debian's kernels have none of the checkers that catch a use-after-free, a sleep in
# atomic context or a lock-order inversion.  This builds Linux 6.12 from Debian's
# linux-source-6.12 package (installed with apt-get when missing) with `make tinyconfig`
# plus scripts/vm/debug.config: what the emulated PC (Bochs, tigerlake), busybox,
# trace-cmd and vmxhv need, and KASAN (generic, inline, vmalloc), KFENCE, lockdep
# (PROVE_LOCKING), DEBUG_ATOMIC_SLEEP, DEBUG_PREEMPT, kmemleak, DEBUG_OBJECTS,
# DEBUG_LIST, and fault injection (FAILSLAB, FAIL_PAGE_ALLOC, fail-nth, the stack-trace
# filter) with debugfs control; kvm, kvm-intel and irqbypass as modules.
#
# The result is cached outside the tree, in the layout scripts/vm-kernels.sh uses for the
# Debian flavors:
#   $CACHE/kernels/debug/vmlinuz       the kernel Bochs boots
#   $CACHE/kernels/debug/release       its uname -r (6.12.N-vmxhv-debug)
#   $CACHE/kernels/debug/headers       the path of the build tree: KDIR for vmxhv.ko
#   $CACHE/kernels/debug/linux/        that build tree (sources, .config, Module.symvers)
#   $CACHE/kernels/debug/kvm/          kvm.ko kvm-intel.ko irqbypass.ko
#   $CACHE/kernels/debug/config.sha    what it was built from (source version + fragment)
# with CACHE=${VMXHV_CACHE:-$HOME/.cache/vmxhv}.  A second run returns at once unless the
# source package or scripts/vm/debug.config changed (or --force).
#
# The compile runs under nice -n 19 with -j2 (other emulators share the 2 cores): about
# an hour on an idle 2-core machine, more under load.  Log: $CACHE/kernels/debug/build.log.
#
# Then: make build/debug/vmxhv.ko; scripts/vm-run.sh --flavor debug --cpus 2 ...
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${VMXHV_CACHE:-$HOME/.cache/vmxhv}
dir=$CACHE/kernels/debug
tree=$dir/linux
fragment=$top/scripts/vm/debug.config
tarball=/usr/src/linux-source-6.12.tar.xz
force=0
case "${1:-}" in
--force) force=1 ;;
'') ;;
*) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
esac

die() { echo "debug-kernel: $*" >&2; exit 1; }
say() { echo "debug-kernel: $*" >&2; }

# The source package and what a kernel build needs.
need=""
for p in linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils kmod; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || need="$need $p"
done
if [ -n "$need" ]; then
	say "installing:$need"
	sudo=''
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
	# shellcheck disable=SC2086 # a list of packages
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need
fi
[ -f "$tarball" ] || die "$tarball missing (linux-source-6.12 installed?)"

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
want=$( (echo "$srcver"; cat "$fragment" "$0") | sha256sum | cut -d' ' -f1)

mkdir -p "$CACHE/kernels"
exec 9>"$CACHE/kernels/.lock-debug"
flock 9
if [ "$force" = 0 ] && [ "$(cat "$dir/config.sha" 2>/dev/null)" = "$want" ] &&
	[ -s "$dir/vmlinuz" ] && [ -s "$dir/release" ] && [ -s "$dir/kvm/kvm-intel.ko" ]; then
	say "up to date: $(cat "$dir/release") in $dir"
	exit 0
fi

t0=$(date +%s)
mkdir -p "$dir"
# A tree of another source version is replaced; the same one is reused (an incremental
# rebuild after a change of the fragment recompiles only what the change touches).
if [ "$(cat "$tree/.vmxhv-srcver" 2>/dev/null)" != "$srcver" ]; then
	say "unpacking $tarball ($srcver)"
	rm -rf "$tree" "$dir/unpack"
	mkdir -p "$dir/unpack"
	nice -n 19 tar xaf "$tarball" -C "$dir/unpack"
	mv "$dir/unpack"/linux-source-6.12 "$tree"
	rmdir "$dir/unpack"
	echo "$srcver" >"$tree/.vmxhv-srcver"
fi
# release last, below: until then the cache is incomplete.
rm -f "$dir/release" "$dir/config.sha"

cd "$tree"
say "configuring: tinyconfig + scripts/vm/debug.config"
nice -n 19 make -s tinyconfig >/dev/null
KCONFIG_CONFIG=.config nice -n 19 scripts/kconfig/merge_config.sh -m -Q .config "$fragment" >/dev/null
nice -n 19 make -s olddefconfig >/dev/null
# Every line of the fragment must have survived (typos, unmet dependencies).
bad=''
while IFS= read -r line; do
	case "$line" in '' | '#'*) continue ;; esac
	key=${line%%=*} val=${line#*=}
	if [ "$val" = n ]; then
		grep -q "^# $key is not set\$" .config || ! grep -q "^$key=" .config || bad="$bad $line"
	else
		grep -qxF "$line" .config || bad="$bad $line"
	fi
done <"$fragment"
[ -z "$bad" ] || die "options not set as asked (dependencies?):$bad"

say "building (nice -n 19, -j2), log in $dir/build.log"
if ! nice -n 19 make -j2 bzImage modules >"$dir/build.log" 2>&1; then
	tail -n 30 "$dir/build.log" >&2
	die "build failed, see $dir/build.log"
fi
rel=$(make -s kernelrelease)
cp arch/x86/boot/bzImage "$dir/vmlinuz"
rm -rf "$dir/kvm"
mkdir -p "$dir/kvm"
cp arch/x86/kvm/kvm.ko arch/x86/kvm/kvm-intel.ko virt/lib/irqbypass.ko "$dir/kvm/"
echo "$tree" >"$dir/headers"
echo "$want" >"$dir/config.sha"
echo "$rel" >"$dir/release"
say "built $rel in $(($(date +%s) - t0)) s: $dir"
