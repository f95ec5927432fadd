#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/vm/busybox.sh CACHEDIR - print the path of a static busybox.
#
# The guest's whole userland is one static busybox. The host's /bin/busybox
# is used when it is static (busybox-static installed); otherwise the
# busybox-static package is fetched with apt-get download and unpacked into
# CACHEDIR, once. It is not installed: it Conflicts with Debian's dynamic
# busybox package, which installing it would remove from the host.
set -eu
# as root apt hands downloads to _apt, which cannot write build/: stay root
APT_OPTS="-q"; [ "$(id -u)" = 0 ] && APT_OPTS="-q -o APT::Sandbox::User=root"
cache=$1

is_static() { file -L "$1" 2>/dev/null | grep -q 'statically linked' ||
	      ! grep -q 'ld-linux' "$1" 2>/dev/null; }

if [ -x /bin/busybox ] && is_static /bin/busybox; then
	echo /bin/busybox
	exit 0
fi
bb=$cache/bin/busybox
if [ ! -x "$bb" ]; then
	mkdir -p "$cache"
	rm -f "$cache"/*.deb
	( cd "$cache" && apt-get download $APT_OPTS busybox-static >&2 ) || {
		# a fresh machine has no package lists yet
		[ "$(id -u)" = 0 ] && apt-get update -o DPkg::Lock::Timeout=600 >&2
		( cd "$cache" && apt-get download $APT_OPTS busybox-static >&2 )
	} || { echo "uringcheck: apt-get download busybox-static failed" >&2; exit 2; }
	dpkg-deb --fsys-tarfile "$cache"/busybox-static_*.deb | tar -xf - -C "$cache" ./bin/busybox
	rm -f "$cache"/*.deb
fi
echo "$bb"
