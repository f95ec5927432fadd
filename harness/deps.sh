#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/deps.sh - make sure the build dependencies are installed.
#
# Checks by file, so it works on any Debian-like system. As root, installs
# what is missing with apt-get; otherwise prints the one command to run and
# exits 2. KSFT_DIR (a kernel tree's tools/testing/selftests) replaces the
# linux-source package as the source of kselftest_harness.h.
set -u

missing=""
need() {	# need PACKAGE TEST...
	pkg=$1; shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}

need gcc command -v gcc
need make command -v make
need python3 command -v python3
need xz-utils command -v xz
need liburing-dev test -f /usr/include/liburing.h
if [ -z "${KSFT_DIR:-}" ]; then
	need linux-source-6.12 test -f /usr/src/linux-source-6.12.tar.xz
fi

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "uringcheck: missing build dependencies; as root run:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 2
fi
echo "uringcheck: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends $missing >&2; then
	apt-get update >&2 && apt-get install -y --no-install-recommends $missing >&2 || {
		echo "uringcheck: apt-get install$missing failed" >&2
		exit 2
	}
fi
