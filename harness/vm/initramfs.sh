#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/vm/initramfs.sh - the guest's root file system, as cpio archives.
#
#   initramfs.sh base STATICDIR BUSYBOX OUT.cpio
#       busybox, /init (init.sh) and the static suite (STATICDIR: the runner,
#       urinject, cases/) under /uc; rebuilt only when an input is newer
#   initramfs.sh conf OUT.cpio NONCE MODE KNOWN_FILE [RUNNER ARGS...]
#       one run's settings: /etc/uc-vm.conf and /uc/known-issues.txt
#
# The kernel unpacks concatenated cpio archives in order, so a run boots
# `cat base.cpio conf.cpio`: the big archive is built once, the per-run one
# is a few hundred bytes. Uncompressed: under TCG decompressing costs more
# than reading. Binaries are stripped (debug info is most of their size).
set -eu
here=$(dirname "$0")

# pack DIR OUT: a newc archive owned by root, as the kernel wants
pack() {
	# "." becomes the guest's / : mktemp made it 0700, and then no user but
	# root could reach anything (the cases' `nobody` child could not read /proc)
	chmod 755 "$1"
	( cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet ) > "$2.tmp"
	mv "$2.tmp" "$2"
}

# quote ARG for sh: 'it'\''s'
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

copy_bin() {	# copy_bin SRC DST: stripped when strip works
	strip -o "$2" "$1" 2>/dev/null || cp "$1" "$2"
	chmod 755 "$2"
}

cmd=$1; shift
case $cmd in
base)
	static=$1 busybox=$2 out=$3
	if [ -f "$out" ] && [ -z "$(find "$static" "$busybox" "$here/init.sh" \
			-newer "$out" 2>/dev/null | head -n 1)" ]; then
		exit 0
	fi
	root=$(mktemp -d "${out%/*}/.root.XXXXXX")
	trap 'rm -rf "$root"' EXIT
	mkdir -p "$root/bin" "$root/etc" "$root/root" "$root/uc/cases"
	cp "$busybox" "$root/bin/busybox"
	cp "$here/init.sh" "$root/init"
	chmod 755 "$root/bin/busybox" "$root/init"
	copy_bin "$static/uringcheck" "$root/uc/uringcheck"
	[ -x "$static/urinject" ] && copy_bin "$static/urinject" "$root/uc/urinject"
	for f in "$static"/cases/*; do
		case $f in *.d) continue ;; esac
		[ -x "$f" ] && copy_bin "$f" "$root/uc/cases/${f##*/}"
	done
	# a user database as on a host (sqpoll_thread drops to `nobody`; a
	# static glibc getpwnam cannot load NSS and falls back to uid 65534)
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
		> "$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
	pack "$root" "$out"
	;;
conf)
	out=$1 nonce=$2 mode=$3 known=$4; shift 4
	root=$(mktemp -d "${out%/*}/.conf.XXXXXX")
	trap 'rm -rf "$root"' EXIT
	mkdir -p "$root/etc" "$root/uc"
	args=""
	if [ -n "$known" ]; then
		cp "$known" "$root/uc/known-issues.txt"
		args="--known /uc/known-issues.txt"
	fi
	for a in "$@"; do
		args="$args $(quote "$a")"
	done
	{
		echo "UC_NONCE=$nonce"
		echo "UC_MODE=$mode"
		echo "UC_ARGS=$(quote "$args")"
	} > "$root/etc/uc-vm.conf"
	pack "$root" "$out"
	;;
*)
	echo "usage: initramfs.sh base|conf ..." >&2
	exit 2
	;;
esac
