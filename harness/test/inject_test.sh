#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/test/inject_test.sh BUILD - urinject and the runner's --faults.
#
# urinject must really fail the scheduled calls (a program that does not
# retry dies of them), a program that retries must still see every
# completion exactly once, schedules must be deterministic for a seed, and
# under `uringcheck --faults` the ref backend must pass the suite.
set -u
build=$1
inj=$build/urinject
uc=$build/uringcheck
lu=$build/test/lu_nops
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT INT TERM
. "$(dirname "$0")/lib.sh"

one_line_exit() {	# one_line_exit CODE ARGS...: exit CODE, one stderr line
	code=$1
	shift
	"$@" > "$t/out" 2> "$t/err"
	[ "$?" = "$code" ] && [ "$(wc -l < "$t/err")" = 1 ]
}

check "urinject: a bad rule is exit 125 with one line" \
	one_line_exit 125 "$inj" --fail enter:EWHAT:every=2 -- true
check "urinject: a bad schedule is exit 125 with one line" \
	one_line_exit 125 "$inj" --fail enter:EINTR:sometimes -- true
check "urinject: no command is exit 125 with one line" one_line_exit 125 "$inj"

"$inj" --fail enter:EINTR:every=2 -- "$lu" > "$t/lu.out" 2> "$t/lu.err"
rc=$?
check "a retrying liburing program passes under enter:EINTR:every=2" [ "$rc" = 0 ]
check "urinject reports the enters it failed" \
	grep -q 'enter [1-9][0-9]*/[0-9]* failed' "$t/lu.err"
"$inj" -q --fail enter:EINTR:every=2 -- "$lu" --no-retry > /dev/null 2> "$t/noretry.err"
rc=$?
check "the same program without retries fails: the faults are real" [ "$rc" != 0 ]
"$inj" --fail setup:ENOMEM:nth=1 --fail enter:EAGAIN:prob=0.5 --seed 7 -- "$lu" \
	> /dev/null 2> "$t/seed1"
"$inj" --fail setup:ENOMEM:nth=1 --fail enter:EAGAIN:prob=0.5 --seed 7 -- "$lu" \
	> /dev/null 2> "$t/seed2"
check "a probabilistic schedule replays exactly from its seed" cmp -s "$t/seed1" "$t/seed2"
check "setup:ENOMEM:nth=1 failed the first setup" grep -q 'setup 1/2 failed' "$t/seed1"
check "urinject passes the program's exit status through" \
	one_line_exit 3 "$inj" -q -- sh -c 'echo x >&2; exit 3'

check "uringcheck --faults with a bad rule: exit 2, one line" \
	one_line_exit 2 "$uc" --faults enter:EINTR:never
"$uc" -b ref --known reports/known-issues.txt --faults enter:EINTR:every=3,register:EAGAIN:every=2 \
	-o "$t/suite.ktap" 2> "$t/suite.err"
rc=$?
check "the ref backend passes the whole suite under --faults enter:EINTR:every=3,register:EAGAIN:every=2" \
	[ "$rc" = 0 ]
check "the KTAP header names the faults" grep -q '^# faults: enter:EINTR:every=3 (urinject)$' "$t/suite.ktap"
if [ "$rc" != 0 ]; then
	grep -E '^ +not ok' "$t/suite.ktap" | head -n 10
fi

tap_end
