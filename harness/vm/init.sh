#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/vm/init.sh - /init of the uringcheck VM guest (busybox ash).
#
# The initramfs is the whole root: busybox, the static suite in /uc and the
# run's settings in /etc/uc-vm.conf (UC_NONCE, UC_MODE=run|probe, UC_ARGS).
# It sets up what the cases expect of a normal system, runs the runner with
# its KTAP going straight to the serial console between two lines that carry
# the run's nonce (so nothing else on the console can fake them, and a run
# cut short still leaves its KTAP so far), then powers off. The host side is
# harness/vm/run.sh.
/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin /proc /sys /dev /tmp /run
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb

# /proc (the cases read /proc/self/fd, task status), /sys, /dev from
# devtmpfs (/dev/kmsg for the kernel-log watch, /dev/null, ptys), a tmpfs
# /tmp for the cases' temp dirs (rootfs would do, but tmpfs is what a host
# has), /dev/shm for shm_open
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
# the net cases use loopback TCP and UDP
ip link set lo up
hostname uringcheck-vm
# kernel messages would interleave with the KTAP on the one console: only
# emergencies (a panic) go there; the cases still read /dev/kmsg
dmesg -n 1

. /etc/uc-vm.conf
# (a leading newline: the firmware leaves escape codes on the last line)
echo
echo "UCVM-RELEASE $(uname -r) $UC_NONCE up=$(cut -d" " -f1 /proc/uptime)s"

if [ "$UC_MODE" = run ]; then
	# the host quoted UC_ARGS for us; stderr (progress on a tty, errors)
	# would interleave with the KTAP, so it comes after the END line
	eval "set -- $UC_ARGS"
	echo "UCVM-KTAP-BEGIN $UC_NONCE"
	/uc/uringcheck "$@" 2>/tmp/runner.err
	rc=$?
	echo "UCVM-KTAP-END $UC_NONCE rc=$rc"
	sed 's/^/runner: /' /tmp/runner.err
else
	# a probe boot (does KVM work?): reaching here is the answer
	echo "UCVM-PROBE-OK $UC_NONCE"
fi
sync
poweroff -f
# poweroff needs ACPI; if it did not stop the machine, sysrq does
echo o > /proc/sysrq-trigger
sleep 5
