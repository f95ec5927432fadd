# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/test/lib.sh - TAP for the shell tests; each sources it:
#	. "$(dirname "$0")/lib.sh"
# POSIX sh (dash, busybox sh). Every result is "ok N - what" or
# "not ok N - what"; tap_end prints the plan and exits 1 if any failed.

n=0
failed=0

pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; failed=1; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# check DESCRIPTION COMMAND...: ok if the command succeeds
check() {
	desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# The plan line, then exit: 0 if every check passed, else 1.
tap_end() {
	echo "1..$n"
	exit "$failed"
}
