#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/vm/compat.sh MAKE BUILD OUTDIR - make compat: one matrix over kernels.
#
# The suite on the host (make run), then in a VM on each of COMPAT_KERNELS
# (default "6.1 6.12", see run.sh), then `uringreport.py compat OUTDIR RUN...`
# over their report dirs: OUTDIR/compat.{md,html,json}. Failing cases do not
# stop it (they are what the matrix shows); a run that produced no report
# does, as does the matrix tool failing. JOBS, RUN_ARGS and KNOWN given to
# make reach every run (make passes them down).
set -u
make=$1 build=$2 outdir=$3
python=${PYTHON:-python3}
kernels=${COMPAT_KERNELS:-6.1 6.12}

runs="" missing=""
host=$outdir/$(uname -r)
echo "== compat: the host, $(uname -r)"
rm -f "$host/results.json"
$make --no-print-directory run || true
if [ -f "$host/results.json" ]; then runs=$host; else missing="$missing host"; fi

for k in $kernels; do
	echo "== compat: a VM on $k"
	# the release this run names its report dir after (run.sh writes it)
	rm -f "$build/vm/$k/release"
	$make --no-print-directory vm KERNEL="$k" || true
	release=$(cat "$build/vm/$k/release" 2>/dev/null)
	if [ -n "$release" ] && [ -f "$outdir/$release/results.json" ]; then
		runs="$runs $outdir/$release"
	else
		missing="$missing $k"
	fi
done

if [ -n "$missing" ]; then
	echo "uringcheck: compat: no report from:$missing (see above)" >&2
	exit 2
fi
echo "== compat: $runs"
exec "$python" reports/uringreport.py compat "$outdir" $runs
