#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/vm/accel.sh KERNEL BASE_CPIO CACHEDIR - print the accelerator: kvm or tcg.
#
# KVM only when a probe boot under it reaches /init. /dev/kvm can exist and
# still not work: on the project's machines it is a nested software module
# whose guests hang in early boot, burning a host core until killed. So the
# probe is short (a TCG guest reaches /init in about 3 s) and its answer is
# cached for the host's current boot. VM_ACCEL=tcg|kvm skips the probe.
set -u
kernel=$1 base=$2 cache=$3
here=$(dirname "$0")

case ${VM_ACCEL:-auto} in
tcg|kvm) echo "$VM_ACCEL"; exit 0 ;;
esac
if [ ! -w /dev/kvm ]; then
	echo tcg
	exit 0
fi
boot_id=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)
memo=$cache/kvm-probe
if [ -f "$memo" ] && [ "$(cut -d' ' -f1 "$memo")" = "$boot_id" ]; then
	cut -d' ' -f2 "$memo"
	exit 0
fi

nonce=probe$$
sh "$here/initramfs.sh" conf "$cache/probe.cpio" "$nonce" probe "" || exit 2
cat "$base" "$cache/probe.cpio" > "$cache/probe.img"
echo "uringcheck: probing KVM (a probe boot, at most 10 s)" >&2
sh "$here/boot.sh" "$kernel" "$cache/probe.img" "$cache/probe.log" 10 kvm "$nonce" >/dev/null 2>&1
if grep -q "UCVM-PROBE-OK $nonce" "$cache/probe.log"; then
	answer=kvm
else
	answer=tcg
	echo "uringcheck: KVM did not boot the probe guest; using TCG" >&2
fi
rm -f "$cache/probe.img" "$cache/probe.cpio"
echo "$boot_id $answer" > "$memo"
echo "$answer"
