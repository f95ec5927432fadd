#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/vm/kernel.sh VERSION CACHEDIR - print the path of a Debian kernel.
#
# VERSION is a kernel series (6.1, 6.12): the newest Debian cloud kernel of
# that series the apt sources offer (linux-image-6.1.0-N-cloud-amd64-unsigned,
# linux-image-6.12.N+deb12-cloud-amd64-unsigned; on bookworm both come from
# bookworm-security, no backports needed) is fetched with apt-get download
# and only its /boot unpacked into CACHEDIR (vmlinuz and config; the guest
# loads no modules). Cached: remove CACHEDIR to pick up a newer kernel. The
# cloud flavour boots fast and has virtio, the 8250 serial console,
# devtmpfs and io_uring built in.
set -eu
# as root apt hands downloads to _apt, which cannot write build/: stay root
APT_OPTS="-q"; [ "$(id -u)" = 0 ] && APT_OPTS="-q -o APT::Sandbox::User=root"
ver=$1 cache=$2

found=$(ls "$cache"/boot/vmlinuz-* 2>/dev/null | head -n 1) || true
if [ -n "$found" ]; then
	echo "$found"
	exit 0
fi

# "6.1" must not match 6.12: the series is followed by . or -
re=$(printf '%s' "$ver" | sed 's/\./\\./g')
pattern="^linux-image-${re}[.-][0-9][^ ]*-cloud-amd64-unsigned\$"
find_pkg() {
	apt-cache search --names-only "$pattern" 2>/dev/null | cut -d' ' -f1 |
		grep -E "$pattern" | sort -V | tail -n 1
}
pkg=$(find_pkg)
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
	# a fresh machine has no package lists yet
	apt-get update -o DPkg::Lock::Timeout=600 >&2 || true
	pkg=$(find_pkg)
fi
if [ -z "$pkg" ]; then
	echo "uringcheck: no package matches $pattern in the apt sources" >&2
	echo "  (6.12 on bookworm: bookworm-security or bookworm-backports must be listed)" >&2
	exit 2
fi

echo "uringcheck: fetching $pkg" >&2
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && apt-get download $APT_OPTS "$pkg" >&2 ) ||
	{ echo "uringcheck: apt-get download $pkg failed" >&2; exit 2; }
# only /boot: the modules are most of the package and the guest loads none
dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -xf - -C "$tmp" --wildcards './boot/*'
mkdir -p "$cache/boot"
mv "$tmp"/boot/* "$cache/boot/"
echo "$pkg" > "$cache/package"
ls "$cache"/boot/vmlinuz-*
