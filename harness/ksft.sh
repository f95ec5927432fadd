#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/ksft.sh OUTDIR - put kselftest_harness.h and kselftest.h in OUTDIR.
#
# From $KSFT_DIR (a kernel tree's tools/testing/selftests) when set, else
# from Debian's linux-source-6.12 tarball: only the two headers are
# extracted (about 10 s, once). They are GPL-2.0-only and never committed.
set -eu
out=$1
mkdir -p "$out"
if [ -n "${KSFT_DIR:-}" ]; then
	for h in kselftest_harness.h kselftest.h; do
		[ -f "$KSFT_DIR/$h" ] || { echo "uringcheck: $KSFT_DIR/$h not found (KSFT_DIR)" >&2; exit 2; }
		cp "$KSFT_DIR/$h" "$out/$h.tmp" && mv "$out/$h.tmp" "$out/$h"
	done
	exit 0
fi
tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || { echo "uringcheck: $tarball missing (apt-get install linux-source-6.12, or set KSFT_DIR)" >&2; exit 2; }
tmp=$(mktemp -d "$out/.extract.XXXXXX")
tar -xJf "$tarball" -C "$tmp" --wildcards --strip-components=4 \
	'linux-source-6.12/tools/testing/selftests/kselftest_harness.h' \
	'linux-source-6.12/tools/testing/selftests/kselftest.h'
mv "$tmp/kselftest.h" "$out/kselftest.h"
mv "$tmp/kselftest_harness.h" "$out/kselftest_harness.h"
rmdir "$tmp"
