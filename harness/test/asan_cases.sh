#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/test/asan_cases.sh BUILD AREA... - every area's cases under
# ASan/UBSan, through the runner, so sanitizer reports become failures.
#
# The sanitized case binaries live in BUILD/asan/cases; the runner (not
# sanitized) drives them exactly as it drives the normal build. A sanitizer
# report makes the case process exit non-zero or die, which the runner turns
# into "not ok"; halt_on_error makes UBSan findings fatal too. Both abort,
# and a death by signal is never excused by a known-issues line; as a second
# net, any sanitizer report in the KTAP fails this step by itself.
set -u
build=$1
shift
areas=""
for a in "$@"; do
	areas="$areas -a $a"
done
out=$build/asan/suite.ktap
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
# shellcheck disable=SC2086 # one word per -a AREA
if "$build/uringcheck" --cases-dir "$build/asan/cases" $areas --known reports/known-issues.txt \
	-o "$out"; then
	if grep -qE 'ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:' "$out"; then
		grep -nE 'ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:' "$out" | head -n 20
		echo "FAILED: a sanitizer report in $out"
		exit 1
	fi
	tail -n 1 "$out"
	# the teardown's LeakSanitizer check itself: a case dropping a heap
	# block (the ASan build of the runner fixture) must fail
	fx=$(mktemp -d "${TMPDIR:-/tmp}/uc-asan-fixture.XXXXXX")
	mkdir "$fx/cases"
	ln -s "$(cd "$build" && pwd)/asan/test/fixture_area" "$fx/cases/fixture"
	"$build/uringcheck" --cases-dir "$fx/cases" -b ref -m default -t leaks_heap_memory \
		> "$fx/leak.ktap" 2> /dev/null
	rc=$?
	if [ "$rc" != 1 ] || ! grep -q '^    not ok [0-9]* leaks_heap_memory #  memory leak' "$fx/leak.ktap"; then
		cat "$fx/leak.ktap"
		rm -rf "$fx"
		echo "FAILED: a leaking case was not reported by the teardown's LeakSanitizer check"
		exit 1
	fi
	rm -rf "$fx"
	echo "LeakSanitizer at teardown: a leaking case is reported (not ok ... memory leak)"
	exit 0
fi
grep -E '^ *not ok' "$out" | head -n 20
echo "FAILED: cases under ASan/UBSan (full KTAP in $out)"
exit 1
