#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/deps.sh - make sure the build dependencies are installed.
#
# Checks by file, so it works on any Debian-like system. As root, installs
# what is missing with apt-get; otherwise prints the one command to run and
# exits 2. KSFT_DIR (a kernel tree's tools/testing/selftests) replaces the
# linux-source package as the source of kselftest_harness.h.
set -u

. "$(dirname "$0")/apt.sh"

need gcc command -v gcc
need make command -v make
need python3 command -v python3
need xz-utils command -v xz
need liburing-dev test -f /usr/include/liburing.h
if [ -z "${KSFT_DIR:-}" ]; then
	need linux-source-6.12 test -f /usr/src/linux-source-6.12.tar.xz
fi

install_missing "build dependencies"
