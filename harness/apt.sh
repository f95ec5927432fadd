# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/apt.sh - sourced by harness/deps.sh and harness/vm/deps.sh.
#
# need PACKAGE TEST... records PACKAGE as missing when TEST fails (checked
# by file or command, so it works on any Debian-like system);
# install_missing WHAT then installs what is missing as root, or prints the
# one command to run and exits 2.

missing=""
need() {	# need PACKAGE TEST...
	pkg=$1; shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}

install_missing() {	# install_missing WHAT ("build dependencies", ...)
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "uringcheck: missing $1; as root run:" >&2
		echo "  apt-get install -y$missing" >&2
		exit 2
	fi
	echo "uringcheck: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	# a stale package list (fresh machine) makes the first try fail: update
	# once; another apt-get (a parallel make) may hold the dpkg lock: wait
	lock="-o DPkg::Lock::Timeout=600"
	if ! apt-get install $lock -y --no-install-recommends $missing >&2; then
		apt-get update $lock >&2 &&
			apt-get install $lock -y --no-install-recommends $missing >&2 || {
			echo "uringcheck: apt-get install$missing failed" >&2
			exit 2
		}
	fi
}
