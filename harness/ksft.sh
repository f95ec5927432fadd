#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/ksft.sh OUTDIR - put kselftest_harness.h and kselftest.h in OUTDIR.
#
# From $KSFT_DIR (a kernel tree's tools/testing/selftests) when set, else
# from Debian's linux-source-6.12 tarball: only the two headers are
# extracted (about 10 s, once). They are GPL-2.0-only and never committed.
#
# One local fix is applied to the copy: the test wrapper's `pid_t child` is
# assigned between setjmp() and the longjmp() an ASSERT_* failure makes, so
# C leaves its value indeterminate unless it is volatile. At -O2 the forked
# test child then reads the pre-fork 1, takes itself for the parent and
# skips the fixture teardown: the fd-leak check, the temp-dir removal and
# the kernel-log check never ran after a failed ASSERT.
set -eu
out=$1
mkdir -p "$out"

fix_teardown_after_assert() {	# fix_teardown_after_assert HEADER
	sed 's/^\([[:space:]]*\)pid_t child = 1; \\$/\1volatile pid_t child = 1; \\/' "$1" > "$1.fixed"
	if grep -q '^[[:space:]]*pid_t child = 1; ' "$1.fixed"; then
		echo "uringcheck: could not make the test wrapper's 'child' volatile in $1" >&2
		rm -f "$1.fixed"
		exit 2
	fi
	mv "$1.fixed" "$1"
}

if [ -n "${KSFT_DIR:-}" ]; then
	for h in kselftest_harness.h kselftest.h; do
		[ -f "$KSFT_DIR/$h" ] || { echo "uringcheck: $KSFT_DIR/$h not found (KSFT_DIR)" >&2; exit 2; }
		cp "$KSFT_DIR/$h" "$out/$h.tmp" && mv "$out/$h.tmp" "$out/$h"
	done
	fix_teardown_after_assert "$out/kselftest_harness.h"
	exit 0
fi
tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || { echo "uringcheck: $tarball missing (apt-get install linux-source-6.12, or set KSFT_DIR)" >&2; exit 2; }
tmp=$(mktemp -d "$out/.extract.XXXXXX")
tar -xJf "$tarball" -C "$tmp" --wildcards --strip-components=4 \
	'linux-source-6.12/tools/testing/selftests/kselftest_harness.h' \
	'linux-source-6.12/tools/testing/selftests/kselftest.h'
mv "$tmp/kselftest.h" "$out/kselftest.h"
fix_teardown_after_assert "$tmp/kselftest_harness.h"
mv "$tmp/kselftest_harness.h" "$out/kselftest_harness.h"
rmdir "$tmp"
