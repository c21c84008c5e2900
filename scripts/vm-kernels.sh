#!/usr/bin/env bash
# vm-kernels.sh: fetch the Debian kernels the emulated-machine tests boot.
#
# Usage:
#   scripts/vm-kernels.sh [FLAVOR...]   fetch/unpack FLAVOR(s) (default: 6.1 6.12) into the cache
#   scripts/vm-kernels.sh kdir FLAVOR   print the headers dir to build against (KDIR=)
#   scripts/vm-kernels.sh dir FLAVOR    fetch if needed, print $CACHE/kernels/FLAVOR
#
# FLAVOR is 6.1 (meta package linux-headers-amd64) or 6.12 (linux-headers-6.12-amd64),
# or debug: the checker-laden 6.12 that scripts/debug-kernel.sh builds into the same cache
# layout ($CACHE/kernels/debug, headers = its build tree); this script never builds it.
# The exact kernel is whatever the installed headers meta package depends on, so the
# module is always built against and booted on the same release.  Per flavor this leaves
#   $CACHE/kernels/FLAVOR/vmlinuz   the kernel image Bochs boots
#   $CACHE/kernels/FLAVOR/release   its uname -r
#   $CACHE/kernels/FLAVOR/headers   /usr/src/linux-headers-RELEASE
#   $CACHE/kernels/FLAVOR/kvm/      kvm.ko kvm-intel.ko irqbypass.ko, and msr.ko
#                                   (/dev/cpu/N/msr for 36-virtualize), uncompressed
#                                   (busybox insmod cannot read .ko.xz)
# with CACHE=${VMXHV_CACHE:-$HOME/.cache/vmxhv}.  A second run only re-resolves the
# release (dpkg-query) and returns.
#
# Example: make -C "$(scripts/vm-kernels.sh kdir 6.12)" M=$PWD modules
set -eu

CACHE=${VMXHV_CACHE:-$HOME/.cache/vmxhv}

die() { echo "vm-kernels: $*" >&2; exit 1; }

meta_of() {
	case "$1" in
	6.1) echo linux-headers-amd64 ;;
	6.12) echo linux-headers-6.12-amd64 ;;
	*) die "unknown flavor '$1' (want 6.1 or 6.12)" ;;
	esac
}

# release FLAVOR: the uname -r string, e.g. 6.1.0-56-amd64, from the meta package's
# dependency "linux-headers-6.1.0-56-amd64 (= 6.1.192-2)".
release() {
	local meta dep
	meta=$(meta_of "$1")
	dep=$(dpkg-query -W -f='${Depends}' "$meta" 2>/dev/null) ||
		die "$meta is not installed (run scripts/vm-deps.sh)"
	dep=$(printf '%s\n' "$dep" | tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | head -n 1)
	[ -n "$dep" ] || die "cannot find the headers dependency of $meta"
	echo "$dep"
}

# The debug flavor: built by scripts/debug-kernel.sh (make debug-kernel), only checked here.
debug_dir() {
	local dir=$CACHE/kernels/debug
	[ -s "$dir/release" ] && [ -s "$dir/vmlinuz" ] && [ -s "$dir/headers" ] ||
		die "no debug kernel in $dir: run scripts/debug-kernel.sh (make debug-kernel)"
	echo "$dir"
}

kdir() {
	local d
	if [ "$1" = debug ]; then
		cat "$(debug_dir)/headers"
		return
	fi
	d=/usr/src/linux-headers-$(release "$1")
	[ -e "$d/Makefile" ] || die "$d is missing (run scripts/vm-deps.sh)"
	echo "$d"
}

fetch() {
	local flavor=$1 rel dir ver work pat deb ko f
	if [ "$flavor" = debug ]; then
		debug_dir >/dev/null
		return
	fi
	rel=$(release "$flavor")
	dir=$CACHE/kernels/$flavor
	if [ "$(cat "$dir/release" 2>/dev/null)" = "$rel" ] && [ -s "$dir/vmlinuz" ] &&
		[ -s "$dir/kvm/kvm.ko" ] && [ -s "$dir/kvm/kvm-intel.ko" ] && [ -s "$dir/kvm/irqbypass.ko" ] &&
		[ -s "$dir/kvm/msr.ko" ]; then
		return 0
	fi
	echo "vm-kernels: fetching linux-image-$rel for flavor $flavor" >&2
	# The image must be the exact build the headers belong to: pin the version too.
	ver=$(dpkg-query -W -f='${Version}' "linux-headers-$rel")
	mkdir -p "$CACHE/debs"
	work=$(mktemp -d "$CACHE/unpack.XXXXXX")
	# shellcheck disable=SC2064 # expand $work now: it is local
	trap "rm -rf '$work'" EXIT
	# apt-get download names the file NAME_VERSION_ARCH.deb with ':' escaped as %3a.
	pat="linux-image-${rel}_${ver//:/%3a}_*.deb"
	deb=$(find "$CACHE/debs" -name "$pat" | head -n 1)
	if [ -z "$deb" ]; then
		# apt-get download writes into the current directory.  Running it as root into a
		# directory the _apt user cannot write only prints a warning: keep it quiet.
		# Its progress goes to stderr: "dir" prints the directory on stdout, which
		# vm-run.sh captures.
		if ! (cd "$CACHE/debs" && apt-get download -q -o APT::Sandbox::User=root "linux-image-$rel=$ver" >&2); then
			# A machine whose package lists were cleaned: refresh once, retry.
			apt-get update -q >&2
			(cd "$CACHE/debs" && apt-get download -q -o APT::Sandbox::User=root "linux-image-$rel=$ver" >&2)
		fi
		deb=$(find "$CACHE/debs" -name "$pat" | head -n 1)
		[ -n "$deb" ] || die "apt-get download left no $pat"
	fi
	dpkg-deb -x "$deb" "$work/x"
	rm -rf "$dir"
	mkdir -p "$dir/kvm"
	cp "$work/x/boot/vmlinuz-$rel" "$dir/vmlinuz"
	for ko in kvm kvm-intel irqbypass msr; do
		f=$(find "$work/x/lib/modules/$rel" -name "$ko.ko*" | head -n 1)
		[ -n "$f" ] || die "$ko.ko not found in $deb"
		case "$f" in
		*.xz) xz -dc "$f" >"$dir/kvm/$ko.ko" ;;
		*.zst) zstd -qdc "$f" >"$dir/kvm/$ko.ko" ;;
		*) cp "$f" "$dir/kvm/$ko.ko" ;;
		esac
	done
	kdir "$flavor" >"$dir/headers"
	# release last: it marks the directory complete for the cache check above.
	echo "$rel" >"$dir/release"
	rm -rf "$work"
	trap - EXIT
}

# locked FLAVOR: fetch under a per-flavor lock, since vm-check.sh runs two vm-run.sh at once.
locked() {
	mkdir -p "$CACHE/kernels"
	(
		flock 9
		fetch "$1"
	) 9>"$CACHE/kernels/.lock-$1"
}

case "${1:-}" in
kdir)
	[ $# -eq 2 ] || die "usage: $0 kdir FLAVOR"
	kdir "$2"
	;;
dir)
	[ $# -eq 2 ] || die "usage: $0 dir FLAVOR"
	locked "$2"
	echo "$CACHE/kernels/$2"
	;;
-h | --help)
	sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'
	;;
*)
	[ $# -gt 0 ] || set -- 6.1 6.12
	for f in "$@"; do
		locked "$f"
	done
	;;
esac
