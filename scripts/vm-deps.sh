#!/usr/bin/env bash
# vm-deps.sh: install what the emulated-machine harness and the module build need.
#
# Usage: scripts/vm-deps.sh
#
# Idempotent and cheap when everything is there (one dpkg-query), so every harness
# script can call it first.  Runs apt-get update only when something is missing: CI
# machines and fresh developer machines start without these packages, and the
# package lists may be absent or stale there.
# bochs-term: Debian's bochs has no display library that runs without a display except
# rfb (a TCP listener); the term one is packaged separately.  lz4 packs the initramfs.
set -eu

pkgs="bochs bochs-term bochsbios vgabios isolinux syslinux-common xorriso cpio lz4 busybox-static
trace-cmd gcc make libc6-dev binutils xz-utils linux-headers-amd64 linux-headers-6.12-amd64"
# bpftrace (LLVM, about 200 MB) only for runs that put it in the emulated machine.
[ "${VMXHV_BPFTRACE:-0}" != 1 ] || pkgs="$pkgs bpftrace"

missing=""
for p in $pkgs; do
	# "install ok installed" is the only state in which the files are really there.
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "vm-deps: installing:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	sudo=sudo
else
	sudo=
fi
# env rather than export: sudo would drop an exported variable.
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086 # word splitting of the package list is intended
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
