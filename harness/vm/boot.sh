#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/vm/boot.sh KERNEL INITRD LOG TIMEOUT ACCEL NONCE - boot one guest.
#
# qemu-system-x86_64 with the console on ttyS0 (-nographic: the serial port
# is qemu's stdout), written whole to LOG and shown on our stdout without
# the KTAP body (only the top-level group results, so a long run shows its
# progress). ACCEL is tcg or kvm. The guest powers itself off; one that
# hangs is killed after TIMEOUT seconds, and one that panics reboots at once
# (panic=-1), which -no-reboot turns into qemu exiting.
# Exit: qemu's status, or 124 when the guest was killed at the timeout.
set -u
kernel=$1 initrd=$2 log=$3 timeout=$4 accel=$5 nonce=$6

case $accel in
kvm) machine="-accel kvm -cpu host" ;;
# multi-threaded TCG: one host thread per vCPU (x86 on x86 is safe)
*)   machine="-accel tcg,thread=multi -cpu max" ;;
esac

# quiet: the boot log is of no interest unless the guest fails, and then
# the panic still shows; mitigations=off: speculation barriers only slow
# TCG down
append="console=ttyS0 panic=-1 quiet mitigations=off rdinit=/init"

rcfile=$log.rc
rm -f "$rcfile" "$log"
# stdin from /dev/null: qemu then leaves the terminal alone (Ctrl-C still
# stops make) and nothing typed reaches the guest. One awk (flushing each
# line, so progress shows live) drops the serial line's CRs and the
# firmware's terminal escape codes, writes LOG and shows the console.
{ timeout -k 10 "$timeout" qemu-system-x86_64 $machine -smp 2 -m 2048 \
	-nographic -no-reboot -nic none \
	-kernel "$kernel" -initrd "$initrd" -append "$append" </dev/null 2>&1
  echo $? > "$rcfile"
} | awk -v logf="$log" -v b="UCVM-KTAP-BEGIN $nonce" -v e="UCVM-KTAP-END $nonce" '
	{ gsub(/\r/, ""); gsub(/\033\[[0-9;?]*[A-Za-z]/, ""); gsub(/\033c/, "")
	  print > logf; fflush(logf) }
	index($0, b) { inside = 1; print "guest: running the suite"; fflush(); next }
	index($0, e) { inside = 0; print "guest: " $0; fflush(); next }
	inside && /^(not )?ok [0-9]+ / { print "guest: " $0; fflush(); next }
	inside && /^# Totals:/ { print "guest: " $0; fflush(); next }
	!inside { print "guest: " $0; fflush() }'
rc=$(cat "$rcfile" 2>/dev/null || echo 1)
rm -f "$rcfile"
exit "$rc"
