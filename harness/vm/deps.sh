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

. "$(dirname "$0")/../apt.sh"

need qemu-system-x86 command -v qemu-system-x86_64
need cpio command -v cpio

install_missing "VM dependencies"
