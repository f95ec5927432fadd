#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# harness/test/runner_test.sh BUILD_DIR - tests of the runner, build/uringcheck.
#
# Runs the runner against the fixture area (harness/test/fixture_area.c, whose
# cases pass, fail, skip, hang, crash on purpose) and the nop area, and checks
# the KTAP it writes, its exit status, its filters, its usage errors, that -j
# does not change the output, and how it behaves without io_uring and without
# root. Prints TAP ("ok N - what") and exits 1 if any check failed. POSIX sh:
# must work with dash and busybox sh.

set -u

BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || { echo "Bail out! no build dir ${1:-build}"; exit 1; }
UC=$BUILD/uringcheck
FIXTURE_BIN=$BUILD/test/fixture_area
DISABLED=/proc/sys/kernel/io_uring_disabled

for bin in "$UC" "$BUILD/cases/nop" "$FIXTURE_BIN"; do
	[ -x "$bin" ] || { echo "Bail out! $bin is not built (make $bin)"; exit 1; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/runner_test.XXXXXX") || exit 1
old_disabled=

cleanup() {
	if [ -n "$old_disabled" ]; then
		echo "$old_disabled" > "$DISABLED"
		old_disabled=
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

. "$ROOT/harness/test/lib.sh"

# has FILE REGEX: some line of FILE matches the basic regex
has() { grep -q -e "$2" "$1"; }
# has_fixed FILE STRING: some line of FILE contains STRING
has_fixed() { grep -q -F -e "$2" "$1"; }
# count FILE REGEX: how many lines match
count() { grep -c -e "$2" "$1"; }
eq() { [ "$1" = "$2" ]; }
# all_of TOTAL SOME: there is something, and SOME is all of it
all_of() { [ "$1" -gt 0 ] && [ "$1" -eq "$2" ]; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# --- the fixture area: one case per outcome ---

mkdir "$T/cases"
ln -s "$FIXTURE_BIN" "$T/cases/fixture"
K=$T/fixture.ktap

t0=$(now_ms)
mkdir "$T/tmp"
TMPDIR="$T/tmp" "$UC" --cases-dir "$T/cases" -b ref -m default --timeout 1 -j 2 > "$K" 2> "$T/fixture.err"
rc=$?
elapsed=$(($(now_ms) - t0))

check "fixture run exits 1 (some case failed)" eq 1 "$rc"
check "fixture run finishes in < 10 s (took $elapsed ms)" [ "$elapsed" -lt 10000 ]
check "KTAP starts with 'KTAP version 1'" eq "KTAP version 1" "$(head -n 1 "$K")"
check "KTAP has a top-level plan" has "$K" '^1\.\.[0-9][0-9]*$'
check "nested group header names area, backend and mode" \
	has_fixed "$K" "    # group: area=fixture backend=ref mode=default"
check "passes is ok" has "$K" '^    ok [0-9][0-9]* passes$'
check "fails_on_wrong_res is not ok with the mismatch as reason" \
	has "$K" '^    not ok [0-9][0-9]* fails_on_wrong_res #  .*fixture_area\.c:[0-9]*: wrong res: .*EINVAL'
check "skips_with_reason is a SKIP with its reason" \
	has "$K" '^    ok [0-9][0-9]* skips_with_reason # SKIP fixture: skipped on purpose$'
check "hangs_until_timeout is not ok # TIMEOUT" \
	has "$K" '^    not ok [0-9][0-9]* hangs_until_timeout # TIMEOUT'
check "crashes_with_sigsegv is not ok naming SIGSEGV" \
	has "$K" '^    not ok [0-9][0-9]* crashes_with_sigsegv .*SIGSEGV'
check "passes_after_crash is ok: a crash does not stop the run" \
	has "$K" '^    ok [0-9][0-9]* passes_after_crash$'
if [ "$(id -u)" = 0 ]; then
	check "kernel_warning_fails_the_case is not ok naming the kernel log line" \
		has "$K" '^    not ok [0-9][0-9]* kernel_warning_fails_the_case #  kernel log: .*WARNING: injected'
	warn_status=fail
	totals="pass:6 fail:6 xfail:0 xpass:0 skip:1 error:0 timeout:1"
else
	check "kernel_warning_fails_the_case skips as non-root" \
		has "$K" '^    ok [0-9][0-9]* kernel_warning_fails_the_case # SKIP needs root'
	warn_status=skip
	totals="pass:6 fail:5 xfail:0 xpass:0 skip:2 error:0 timeout:1"
fi
check "leaks_an_fd is not ok naming the leaked pipe" \
	has "$K" '^    not ok [0-9][0-9]* leaks_an_fd #  fd leak: fd [0-9]* -> pipe:'
check "uses_its_tmpdir is ok" has "$K" '^    ok [0-9][0-9]* uses_its_tmpdir$'
check "the case's temp dir is gone after the run" eq "" "$(ls -A "$T/tmp")"
check "asserts_after_using_its_tmpdir is not ok" \
	has "$K" '^    not ok [0-9][0-9]* asserts_after_using_its_tmpdir$'
check "a failed ASSERT still runs the teardown: only the stray file was left in TMPDIR" \
	has "$K" "^    # removed from the group's TMPDIR after its failures: stray-.*\$"
check "... and no case's own temp dir among what was removed" \
	eq 0 "$(grep -c "removed from the group's TMPDIR.*uringcheck\." "$K")"
check "one '# time_ms:' line per case" eq 14 "$(count "$K" '^    # time_ms: [0-9]')"
check "the group's result line is not ok" has "$K" '^not ok 1 fixture\.ref\.default$'
check "last line is '# Totals:' with the right counts" \
	eq "# Totals: $totals" \
	"$(tail -n 1 "$K")"

# --- a passing case that leaves a file in $TMPDIR fails its group ---

K2=$T/stray.ktap
TMPDIR="$T/tmp" "$UC" --cases-dir "$T/cases" -b ref -m default -t leaves_a_file_in_tmpdir \
	> "$K2" 2> /dev/null
rc=$?
check "a run whose only case leaves a file in TMPDIR exits 1" eq 1 "$rc"
check "the case itself is ok" has "$K2" '^    ok [0-9][0-9]* leaves_a_file_in_tmpdir$'
check "the group names the stray file as an ERROR" \
	has "$K2" "^    # ERROR files left in the group's TMPDIR by cases that passed: stray-file\$"
check "the group's result line is not ok" has "$K2" '^not ok 1 fixture\.ref\.default$'
check "the runner removed it: TMPDIR is empty" eq "" "$(ls -A "$T/tmp")"
(cd "$T" && TMPDIR="$T/tmp" "$UC" --cases-dir cases -b ref -m default \
	-t leaves_a_file_in_its_working_directory > "$T/cwd.ktap" 2> /dev/null)
rc=$?
check "a case writing to a relative path (a relative --cases-dir) exits 1" eq 1 "$rc"
check "... the file landed in the group's directory and is named as an ERROR" \
	has "$T/cwd.ktap" "^    # ERROR files left in the group's TMPDIR by cases that passed: stray-relative\$"
check "... nothing was left in the runner's own working directory" [ ! -e "$T/stray-relative" ]

# --- known issues: listed failures are XFAIL, listed passes XPASS ---

# fixture_known KNOWN KTAP CASE...: run those fixture cases (ref, default)
# with --known KNOWN into KTAP; rc is the runner's exit status
fixture_known() {
	kf=$1; out=$2; shift 2
	sel=""
	for c in "$@"; do
		sel="$sel -t $c"
	done
	# shellcheck disable=SC2086 # one word per -t CASE
	"$UC" --cases-dir "$T/cases" -b ref -m default --known "$kf" $sel > "$out" 2> /dev/null
	rc=$?
}

cat > "$T/known" <<'KNOWN'
# a comment, then two entries
fixture.reports_a_kernel_deviation  *  triaged: the fixture deviates on purpose
fixture.passes  9.9*  only on a kernel we are not running
fixture.pass*  *  listed, yet it passes
KNOWN
fixture_known "$T/known" "$T/known.ktap" reports_a_kernel_deviation passes
check "--known: a run whose only failure is listed exits 0" eq 0 "$rc"
check "--known: the listed deviation is XFAIL with its reason" \
	has "$T/known.ktap" '^    ok [0-9]* reports_a_kernel_deviation # XFAIL known issue: triaged'
check "--known: a listed case that passes is XPASS" \
	has "$T/known.ktap" '^    ok [0-9]* passes # XPASS known issue did not reproduce'
printf 'fixture.fails_on_wrong_res * listed, but the case reports no deviation\n' \
	> "$T/known.other"
printf 'fixture.leaks_an_fd * listed, but a leak is about the case\n' >> "$T/known.other"
fixture_known "$T/known.other" "$T/ko.ktap" fails_on_wrong_res leaks_an_fd
check "--known: listed cases failing otherwise than by a recognised deviation fail (exit 1)" \
	eq 1 "$rc"
check "--known: ... a stream mismatch is not ok, 'failed otherwise'" \
	has "$T/ko.ktap" '^    not ok [0-9]* fails_on_wrong_res #  listed as a known issue, but failed otherwise: .*wrong res'
check "--known: ... an fd leak is not ok, 'failed otherwise'" \
	has "$T/ko.ktap" '^    not ok [0-9]* leaks_an_fd #  listed as a known issue, but failed otherwise: fd leak'
printf 'fixture.crashes_with_sigsegv * listed, but a crash is never excused\n' > "$T/known.crash"
fixture_known "$T/known.crash" "$T/kc.ktap" crashes_with_sigsegv
check "--known: a listed case that dies by a signal still fails (exit 1)" eq 1 "$rc"
check "--known: ... and is not ok naming the signal, not XFAIL" \
	has "$T/kc.ktap" '^    not ok [0-9]* crashes_with_sigsegv .*SIGSEGV'
printf 'fixture.fails_on_wrong_res * fail: a real bug on this kernel\n' > "$T/known.fail"
fixture_known "$T/known.fail" "$T/kf.ktap" fails_on_wrong_res
check "--known 'fail:' line: the run still fails (exit 1)" eq 1 "$rc"
check "--known 'fail:' line: not ok, with the explanation and the harness's text" \
	has "$T/kf.ktap" \
	'^    not ok [0-9]* fails_on_wrong_res #  known issue, still a failure: a real bug on this kernel; .*wrong res'
printf 'fixture.passes * fail:\n' > "$T/known.empty"
"$UC" --cases-dir "$T/cases" --known "$T/known.empty" > /dev/null 2>&1
check "--known 'fail:' with no reason is malformed: exit 2" eq 2 "$?"
printf 'fixture.passes\n' > "$T/known.bad"
"$UC" --cases-dir "$T/cases" --known "$T/known.bad" > "$T/kb.out" 2> "$T/kb.err"
rc=$?
check "--known with a malformed line: exit 2, one line naming file:line" \
	eq "2 1 1" "$rc $(wc -l < "$T/kb.err" | tr -d ' ') $(grep -c 'known.bad:1:' "$T/kb.err")"

# --- the report tool reads the same KTAP ---

if command -v python3 > /dev/null 2>&1; then
	if python3 "$ROOT/reports/uringreport.py" json "$K" > "$T/results.json" \
		2> "$T/report.err"; then
		statuses=$(python3 -c '
import json, sys
data = json.load(open(sys.argv[1]))
print(" ".join("%s:%s" % (r["case"], r["status"]) for r in data["results"]))
' "$T/results.json")
		check "uringreport json gives pass, fail, skip, timeout, fail, pass" eq \
			"passes:pass fails_on_wrong_res:fail skips_with_reason:skip hangs_until_timeout:timeout crashes_with_sigsegv:fail passes_after_crash:pass kernel_warning_fails_the_case:$warn_status leaks_an_fd:fail uses_its_tmpdir:pass asserts_after_using_its_tmpdir:fail reports_a_kernel_deviation:fail leaves_a_file_in_tmpdir:pass leaves_a_file_in_its_working_directory:pass leaks_heap_memory:pass" \
			"$statuses"
	else
		fail "uringreport json parses the fixture KTAP ($(head -n 1 "$T/report.err"))"
	fi
else
	skip "uringreport json parses the fixture KTAP" "no python3"
fi

# --- listing and filters ---

"$UC" -l -a nop > "$T/list" 2> /dev/null
rc=$?
check "-l exits 0" eq 0 "$rc"
check "-l -a nop lists only nop.<case> lines" \
	eq 0 "$(grep -c -v -e '^nop\.[a-z0-9_][a-z0-9_]*$' "$T/list")"
check "-l -a nop lists nop.single_nop_completes_with_res_zero" \
	has "$T/list" '^nop\.single_nop_completes_with_res_zero$'

"$UC" -a nop -t single_nop_completes_with_res_zero -b ref -m default > "$T/one" 2> /dev/null
rc=$?
check "-t CASE runs and exits 0" eq 0 "$rc"
check "-t CASE runs exactly one case" eq 1 "$(count "$T/one" '^    \(not \)\{0,1\}ok ')"
check "-t CASE runs that case" has "$T/one" '^    ok 1 single_nop_completes_with_res_zero$'

"$UC" -l -t 'nop.*order*' > "$T/glob" 2> /dev/null
rc=$?
check "-t 'nop.*order*' exits 0" eq 0 "$rc"
check "-t 'nop.*order*' selects exactly the nop cases with 'order' in the name" \
	eq "$(grep -e 'order' "$T/list")" "$(cat "$T/glob")"

# a case that only the last area has: the areas before it select nothing
"$UC" -l -t 'wrap.selftest_*' --slow > "$T/last" 2> /dev/null
rc=$?
check "-t selecting only in the last area exits 0" eq 0 "$rc"
check "-t selecting only in the last area lists just that case" \
	eq "wrap.selftest_wrong_expectations_are_caught" "$(cat "$T/last")"
"$UC" -t 'wrap.selftest_*' -b ref -m default > "$T/last.ktap" 2> /dev/null
rc=$?
check "-t selecting only in the last area runs it" eq 0 "$rc"

# --- usage errors: exit 2, one line on stderr, nothing on stdout ---

# usage_error DESCRIPTION EXPECTED_TEXT ARGS...
usage_error() {
	desc=$1
	want=$2
	shift 2
	"$UC" "$@" > "$T/u.out" 2> "$T/u.err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ ! -s "$T/u.out" ] && [ "$(wc -l < "$T/u.err")" -eq 1 ] &&
	   has_fixed "$T/u.err" "$want"; then
		pass "$desc"
	else
		fail "$desc (exit $rc, stdout $(wc -c < "$T/u.out") bytes, stderr: $(tr "\n" " " < "$T/u.err"))"
	fi
}

usage_error "unknown option: exit 2, one line naming it" "'--bogus'" --bogus
usage_error "-m bogus: exit 2, one line with the valid modes" \
	"valid: default,sqpoll," -m bogus
usage_error "-b bogus: exit 2, one line with the valid backends" \
	"valid: ref,liburing" -b bogus
usage_error "-a bogus: exit 2, one line with the valid areas" "nop" -a bogus
usage_error "-t nomatch: exit 2, one line" "no case matches" -t nomatch
usage_error "-j 0: exit 2, one line with the valid range" ">= 1" -j 0
usage_error "--seed abc: exit 2, one line" "unsigned 64-bit" --seed abc

# --- the seed of the random cases is printed and settable ---

"$UC" -a nop -b ref -m default -t single_nop_completes_with_res_zero --seed 4242 \
	> "$T/seed.ktap" 2> /dev/null
check "--seed N is printed in the KTAP header" has "$T/seed.ktap" '^# uringcheck: .* seed=4242$'
"$UC" -a nop -b ref -m default -t single_nop_completes_with_res_zero > "$T/seed2.ktap" 2> /dev/null
check "without --seed a seed is still printed" has "$T/seed2.ktap" '^# uringcheck: .* seed=[0-9][0-9]*$'

# --- -j changes speed, not output ---

strip_times() { grep -v -e 'time_ms' -e 'started=' -e 'duration_s' "$1"; }

"$UC" -a nop -j 1 -o "$T/j1.ktap" 2> /dev/null
rc1=$?
"$UC" -a nop -j 2 -o "$T/j2.ktap" 2> /dev/null
rc2=$?
strip_times "$T/j1.ktap" > "$T/j1"
strip_times "$T/j2.ktap" > "$T/j2"
check "-a nop exits 0 with -j 1 and with -j 2" eq "0 0" "$rc1 $rc2"
if cmp -s "$T/j1" "$T/j2"; then
	pass "-a nop KTAP is the same with -j 1 and -j 2"
else
	fail "-a nop KTAP is the same with -j 1 and -j 2"
	diff "$T/j1" "$T/j2" | head -n 10 | sed 's/^/# /'
fi

# --- io_uring unavailable ---

if [ "$(id -u)" != 0 ]; then
	skip "io_uring unavailable: exit 4, every case skipped" "not root"
elif [ ! -e "$DISABLED" ]; then
	skip "io_uring unavailable: exit 4, every case skipped" "no $DISABLED"
else
	prev=$(cat "$DISABLED")
	old_disabled=$prev
	if echo 2 > "$DISABLED" 2> /dev/null; then
		"$UC" -a nop -b ref -m default > "$T/off.ktap" 2> /dev/null
		rc=$?
		echo "$prev" > "$DISABLED"
		old_disabled=
		results=$(count "$T/off.ktap" '^    \(not \)\{0,1\}ok ')
		skipped=$(count "$T/off.ktap" '^    ok [0-9][0-9]* [a-z0-9_]* # SKIP io_uring unavailable: ')
		check "io_uring disabled: exit 4" eq 4 "$rc"
		check "io_uring disabled: a '# io_uring unavailable:' header line" \
			has "$T/off.ktap" '^# io_uring unavailable: '
		check "io_uring disabled: every case '# SKIP io_uring unavailable: ...' ($skipped of $results)" \
			all_of "$results" "$skipped"
		check "io_uring_disabled restored to $prev" eq "$prev" "$(cat "$DISABLED")"
	else
		old_disabled=
		skip "io_uring unavailable: exit 4, every case skipped" "$DISABLED not writable"
	fi
fi

# --- not root: the nop area needs no privilege ---

if [ "$(id -u)" != 0 ]; then
	skip "nop area as user nobody" "not root"
elif ! id nobody > /dev/null 2>&1; then
	skip "nop area as user nobody" "no user nobody"
else
	# nobody must reach the temp dir and write its KTAP there
	chmod 755 "$T"
	mkdir "$T/nobody" && chmod 777 "$T/nobody"
	if command -v setpriv > /dev/null 2>&1; then
		setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
			"$UC" -a nop -b ref -m default -o "$T/nobody/x" 2> /dev/null
		rc=$?
		how=setpriv
	elif command -v runuser > /dev/null 2>&1; then
		runuser -u nobody -- "$UC" -a nop -b ref -m default -o "$T/nobody/x" 2> /dev/null
		rc=$?
		how=runuser
	else
		how=
	fi
	if [ -z "$how" ]; then
		skip "nop area as user nobody" "neither setpriv nor runuser"
	else
		check "nop area as nobody ($how): exit 0" eq 0 "$rc"
		check "nop area as nobody: no case fails" \
			has "$T/nobody/x" '^# Totals: pass:[1-9][0-9]* fail:0 .* error:0 timeout:0$'
	fi
fi

tap_end
