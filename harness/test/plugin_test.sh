#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/test/plugin_test.sh BUILD - the plugin path gives the same verdicts.
#
# The liburing backend is built twice: into the case binaries, and as a
# plugin (BUILD/plugins/liburing_plugin.so). The whole suite is run through
# each; every (area, case, mode) must get the same verdict from both. Also:
# a plugin that is missing, or exports no entry point, is refused with one
# clear line.
set -u
build=$1
uc=$build/uringcheck
plugin=$build/plugins/liburing_plugin.so
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT INT TERM
. "$(dirname "$0")/lib.sh"

# "area case mode verdict" for every result line of a run
verdicts() {
	awk '/^    # group: /	{ split($3, a, "="); split($5, m, "="); area = a[2]; mode = m[2] }
	     /^    (not )?ok /	{ v = ($1 == "not") ? "fail" : "pass"
				  name = ($1 == "not") ? $4 : $3
				  if ($0 ~ / # SKIP/) v = "skip"
				  if ($0 ~ / # TIMEOUT/) v = "timeout"
				  if ($0 ~ / # XFAIL/) v = "xfail"
				  print area, name, mode, v }' "$1" | sort
}

"$uc" -b liburing --known reports/known-issues.txt -o "$t/builtin.ktap" 2> /dev/null
rc_builtin=$?
"$uc" -b "$plugin" --known reports/known-issues.txt -o "$t/plugin.ktap" 2> /dev/null
rc_plugin=$?
verdicts "$t/builtin.ktap" > "$t/builtin.txt"
verdicts "$t/plugin.ktap" > "$t/plugin.txt"

check "the built-in liburing backend run exits 0" [ "$rc_builtin" = 0 ]
check "the liburing plugin run exits 0" [ "$rc_plugin" = 0 ]
check "both runs report the same number of results ($(wc -l < "$t/builtin.txt"))" \
	[ "$(wc -l < "$t/builtin.txt")" = "$(wc -l < "$t/plugin.txt")" ]
if diff "$t/builtin.txt" "$t/plugin.txt" > "$t/diff"; then
	check "every case has the same verdict through the plugin" true
else
	head -n 20 "$t/diff"
	check "every case has the same verdict through the plugin" false
fi
check "the plugin's runs are labelled with its file name" \
	grep -q '^    # group: .*backend=liburing_plugin ' "$t/plugin.ktap"

# a shared object without the entry point: each case fails setup naming it
printf 'int not_a_plugin;\n' > "$t/empty.c"
if cc -shared -fPIC -o "$t/empty.so" "$t/empty.c" 2> /dev/null; then
	"$uc" -a nop -m default -t single_nop_completes_with_res_zero -b "$t/empty.so" \
		> "$t/empty.ktap" 2> /dev/null
	check "a .so without uringcheck_backend_v1 fails, naming the missing symbol" \
		grep -q 'exports no uringcheck_backend_v1' "$t/empty.ktap"
fi
"$uc" -b "$t/missing.so" > "$t/missing.out" 2> "$t/missing.err"
rc=$?
check "a missing plugin file: exit 2, one line" [ "$rc" = 2 ] && [ "$(wc -l < "$t/missing.err")" = 1 ]

tap_end
