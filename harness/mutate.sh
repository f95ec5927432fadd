#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/mutate.sh BUILD OUT.json - does the suite notice wrong completions?
#
# Runs the suite (default mode) through build/plugins/mutant_plugin.so once
# per mutant: the reference ring with one CQE per case delivered wrong
# (inject/mutant_plugin.c). A mutant is killed when at least one case fails.
# The unmutated plugin must pass first, so every kill is the mutant's doing.
# Known kernel issues are listed with --known so they cannot kill anything.
# A mutant usually loses or hides CQEs, so cases wait for them: UC_WAIT_MS
# cuts each such wait from 1 s to 200 ms (NOP-fast kernels need far less).
set -u
build=$1
out=$2
uc=$build/uringcheck
plugin=$build/plugins/mutant_plugin.so
known=reports/known-issues.txt
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT INT TERM

MUTANTS="drop@1 drop@2 drop@3 drop@5 dup@1 dup@2 dup@5 swap@1 swap@2 swap@3
res@1 res@2 res@5 errno@1 errno@3 flag@1 flag@2 buffer@1 ud@1 ud@2 ud@5
early@1 early@2"

run() {	# run LABEL: the suite through the plugin; exit status of the runner
	UC_WAIT_MS=200 "$uc" -b "$plugin" -m default --known "$known" -o "$t/$1.ktap" 2> /dev/null
}

if ! UC_MUTANT= run baseline; then
	echo "mutate: the unmutated plugin fails the suite; fix that first:" >&2
	grep -E '^ +not ok' "$t/baseline.ktap" | head -n 5 >&2
	exit 1
fi

n=0
killed=0
detail=""
survivors=""
for m in $MUTANTS; do
	n=$((n + 1))
	UC_MUTANT=$m run "$m"
	# the failing cases, as area.case (first five)
	by=$(awk '/^    # group: / { split($3, a, "="); area = a[2] }
		  /^    not ok / { printf "%s\"%s.%s\"", (k++ ? ", " : ""), area, $4; if (k == 5) exit }' \
		  "$t/$m.ktap")
	nfail=$(grep -cE '^    not ok ' "$t/$m.ktap")
	if [ "$nfail" -gt 0 ]; then
		killed=$((killed + 1))
		printf '%-10s killed by %3d cases\n' "$m" "$nfail"
	else
		printf '%-10s SURVIVED\n' "$m"
		survivors="$survivors${survivors:+, }\"$m\""
	fi
	detail="$detail${detail:+,
}    {\"mutant\": \"$m\", \"failing_cases\": $nfail, \"first\": [$by]}"
done

mkdir -p "$(dirname "$out")"
cat > "$out" <<JSON
{
  "mutants": $n,
  "killed": $killed,
  "score": $(awk "BEGIN { printf \"%.3f\", $killed / $n }"),
  "survivors": [$survivors],
  "detail": [
$detail
  ]
}
JSON
echo "mutation score: $killed/$n killed (wrote $out)"
