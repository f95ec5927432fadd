#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/vm/deps.sh - make sure the VM tools are installed.
#
# A VM run needs qemu-system-x86_64 (the guest) and cpio (the initramfs).
# Checked by file, so it works on any Debian-like host. As root, installs
# what is missing; otherwise prints the one command to run and exits 2 (as
# harness/deps.sh does). busybox-static is not installed but fetched with
# apt-get download (busybox.sh): it Conflicts with Debian's dynamic busybox,
# and installing it would remove that from the host.
set -u

missing=""
need() {	# need PACKAGE TEST...
	pkg=$1; shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}

need qemu-system-x86 command -v qemu-system-x86_64
need cpio command -v cpio

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "uringcheck: missing VM dependencies; as root run:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 2
fi
echo "uringcheck: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# a stale package list (fresh machine) makes the first try fail: update once
# another apt-get (a colleague's make) may hold the dpkg lock: wait for it
lock="-o DPkg::Lock::Timeout=600"
if ! apt-get install $lock -y --no-install-recommends $missing >&2; then
	apt-get update $lock >&2 && apt-get install $lock -y --no-install-recommends $missing >&2 || {
		echo "uringcheck: apt-get install$missing failed" >&2
		exit 2
	}
fi
