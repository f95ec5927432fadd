#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/vm/run.sh KERNEL [RUNNER ARGS...] - the suite on another kernel, in qemu.
#
# KERNEL is a Debian kernel series (6.1, 6.12: fetched, see kernel.sh) or
# the path of a bzImage. The static suite (make static) boots in an
# initramfs (initramfs.sh, init.sh); its KTAP comes back on the serial
# console and becomes reports/out/<guest uname -r>/ exactly as `make run`
# writes it for the host: ktap.txt, then `uringreport.py run`. A guest that
# hangs is killed after VM_TIMEOUT seconds, one that panics stops at once;
# either way the console's tail is shown and the KTAP it got so far is
# still reported (as truncated).
# Environment: KNOWN (known-issues file, empty for none), VM_TIMEOUT (s),
# VM_ACCEL (auto|tcg|kvm), VM_OUT (report dir instead of reports/out/<release>),
# PYTHON, BUILD (default build).
# Exit: like make run (0 no failure, 1 failures, 4 io_uring unavailable),
# 2 when the guest gave no complete KTAP (no boot, hang, panic).
set -u
here=$(dirname "$0")
build=${BUILD:-build}
python=${PYTHON:-python3}
timeout=${VM_TIMEOUT:-1800}
known=${KNOWN-reports/known-issues.txt}

[ $# -ge 1 ] || { echo "usage: run.sh KERNEL [RUNNER ARGS...]" >&2; exit 2; }
kernel=$1; shift
[ -x "$build/static/uringcheck" ] || { echo "uringcheck: $build/static/ missing (make static)" >&2; exit 2; }
[ -z "$known" ] || [ -r "$known" ] || { echo "uringcheck: cannot read KNOWN=$known" >&2; exit 2; }

now() { date +%s; }
t0=$(now)
sh "$here/deps.sh" || exit 2

# --- the kernel: a series to fetch, or a file ---
if [ -f "$kernel" ]; then
	image=$kernel
	key=file-$(basename "$kernel" | tr -c 'A-Za-z0-9._\n-' _)
	mkdir -p "$build/vm/$key"
else
	case $kernel in
	[0-9]*.[0-9]*) ;;
	*) echo "uringcheck: KERNEL=$kernel: a series (6.1, 6.12) or a bzImage path" >&2; exit 2 ;;
	esac
	key=$kernel
	image=$(sh "$here/kernel.sh" "$kernel" "$build/vm/$key") || exit 2
fi
dir=$build/vm/$key
t_kernel=$(now)

# --- the initramfs: the cached base + this run's settings ---
busybox=$(sh "$here/busybox.sh" "$build/vm/busybox") || exit 2
mkdir -p "$build/vm/initramfs"
base=$build/vm/initramfs/base.cpio
sh "$here/initramfs.sh" base "$build/static" "$busybox" "$base" || exit 2
t_base=$(now)
accel=$(sh "$here/accel.sh" "$image" "$base" "$build/vm")
t_accel=$(now)
# emulation runs CPU-bound cases several times slower: the runner's 10 s
# per-case timeout would call a slow case hung (the caller's --timeout wins)
[ "$accel" = tcg ] && set -- --timeout 30 "$@"
nonce=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
sh "$here/initramfs.sh" conf "$dir/conf.cpio" "$nonce" run "$known" "$@" || exit 2
cat "$base" "$dir/conf.cpio" > "$dir/initrd.img"
t_initrd=$(now)

# --- boot ---
log=$dir/console.log
echo "uringcheck: booting $image ($accel, timeout ${timeout}s), console in $log"
sh "$here/boot.sh" "$image" "$dir/initrd.img" "$log" "$timeout" "$accel" "$nonce"
qemu_rc=$?
t_boot=$(now)
rm -f "$dir/initrd.img"

release=$(sed -n "s/^UCVM-RELEASE \([^ ]*\) $nonce.*/\1/p" "$log" | head -n 1)
end=$(grep "^UCVM-KTAP-END $nonce" "$log" | head -n 1)
runner_rc=${end##*rc=}
problem=""
if [ $qemu_rc = 124 ]; then
	problem="the guest did not finish within VM_TIMEOUT=${timeout}s and was killed"
elif grep -q "Kernel panic" "$log"; then
	problem="the guest kernel panicked"
elif [ -z "$release" ]; then
	problem="the guest never reached /init (qemu exit $qemu_rc)"
elif [ -z "$end" ]; then
	problem="the guest stopped before the suite ended (qemu exit $qemu_rc)"
fi
if [ -n "$problem" ]; then
	echo "uringcheck: $problem; the console's last lines:"
	tail -n 40 "$log" | sed 's/^/  | /'
fi

# --- the KTAP: what lies between the markers, less kernel log lines and
# qemu's own messages (its stderr shares the console stream) ---
if ! grep -q "^UCVM-KTAP-BEGIN $nonce" "$log"; then
	echo "uringcheck: no KTAP from the guest ($kernel)" >&2
	exit 2
fi
if [ -z "$release" ]; then
	release=$(sed -n 's/^# uringcheck: .* kernel=\([^ ]*\) .*/\1/p' "$log" | head -n 1)
fi
out=${VM_OUT:-reports/out/${release:-vm-$key}}
mkdir -p "$out"
awk -v b="UCVM-KTAP-BEGIN $nonce" -v e="UCVM-KTAP-END $nonce" '
	index($0, b) == 1 { inside = 1; next }
	index($0, e) == 1 { exit }
	inside && !/^\[ *[0-9]+\.[0-9]+\]/ && !/^qemu-system-x86_64: /' "$log" > "$out/ktap.txt"
echo "$release" > "$dir/release"
echo "uringcheck: $release: kernel $((t_kernel - t0))s," \
	"initramfs $((t_initrd - t_kernel - (t_accel - t_base)))s, accelerator $((t_accel - t_base))s," \
	"boot+suite $((t_boot - t_initrd))s ($accel), KTAP in $out/ktap.txt"

rc=0
"$python" reports/uringreport.py run "$out/ktap.txt" "$out" || rc=2
if [ -n "$problem" ]; then
	exit 2
fi
[ $rc = 0 ] || exit $rc
case $runner_rc in
[0-9]*) exit "$runner_rc" ;;
*) exit 2 ;;
esac
