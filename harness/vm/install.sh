#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# harness/vm/install.sh BUILD KNOWN AREA... - make install.
#
# Layout under DESTDIR/PREFIX (default /usr/local):
#   lib/uringcheck/uringcheck       the runner (dynamic build: plugins work)
#   lib/uringcheck/urinject
#   lib/uringcheck/cases/AREA       the area binaries, where the runner looks
#                                   (<its own dir>/cases, via /proc/self/exe)
#   lib/uringcheck/cases/settings   kselftest per-collection timeout
#   lib/uringcheck/kselftest-list.txt, run_kselftest.sh, kselftest/
#                                   a kselftest install: run_kselftest.sh
#                                   runs every area as collection "cases"
#   bin/uringcheck -> ../lib/uringcheck/uringcheck (a symlink is enough)
#   bin/uringreport                 wrapper for the report tool
#   share/uringcheck/reports/       the report tool (python3 standard library)
#   share/uringcheck/known-issues.txt
#   include/uringcheck/uringcheck_plugin.h   for library plugins
# run_kselftest.sh and kselftest/ come from the kernel tree (KSFT_DIR) or
# Debian's linux-source-6.12, as the kselftest headers do (harness/ksft.sh);
# without either the list is still installed for a kselftest tree.
set -eu
build=$1 known=$2; shift 2
prefix=${PREFIX:-/usr/local}
dest=${DESTDIR:-}
lib=$dest$prefix/lib/uringcheck
share=$dest$prefix/share/uringcheck
bin=$dest$prefix/bin

say() { echo "  INSTALL $1"; }
install -d "$lib/cases" "$share/reports" "$bin" "$dest$prefix/include/uringcheck"

install -m 755 "$build/uringcheck" "$lib/uringcheck"
install -m 755 "$build/urinject" "$lib/urinject"
say "$lib/uringcheck, urinject"
: > "$lib/kselftest-list.txt.tmp"
for area in "$@"; do
	install -m 755 "$build/cases/$area" "$lib/cases/$area"
	# run_kselftest.sh: COLLECTION:TEST, COLLECTION being a directory
	# next to the list and TEST a program in it
	echo "cases:$area" >> "$lib/kselftest-list.txt.tmp"
done
mv "$lib/kselftest-list.txt.tmp" "$lib/kselftest-list.txt"
# kselftest's runner kills a test after 45 s by default; an area runs all
# its cases in every mode (timeout's deliberate waits take a while)
echo "timeout=600" > "$lib/cases/settings"
say "$lib/cases/ ($# areas), kselftest-list.txt"
ln -sfn ../lib/uringcheck/uringcheck "$bin/uringcheck"
say "$bin/uringcheck -> ../lib/uringcheck/uringcheck"

# the kselftest runner itself: GPL-2.0-only, extracted, never committed
ksrun=$build/ksft-run
if [ -n "${KSFT_DIR:-}" ] && [ -f "$KSFT_DIR/run_kselftest.sh" ]; then
	rm -rf "$ksrun" && mkdir -p "$ksrun"
	cp "$KSFT_DIR/run_kselftest.sh" "$ksrun/" && cp -r "$KSFT_DIR/kselftest" "$ksrun/"
elif [ ! -f "$ksrun/run_kselftest.sh" ] && [ -f /usr/src/linux-source-6.12.tar.xz ]; then
	mkdir -p "$ksrun"
	tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$ksrun" --strip-components=4 \
		--wildcards 'linux-source-6.12/tools/testing/selftests/run_kselftest.sh' \
		'linux-source-6.12/tools/testing/selftests/kselftest/*'
fi
if [ -f "$ksrun/run_kselftest.sh" ]; then
	install -m 755 "$ksrun/run_kselftest.sh" "$lib/run_kselftest.sh"
	rm -rf "$lib/kselftest" && cp -r "$ksrun/kselftest" "$lib/kselftest"
	say "$lib/run_kselftest.sh, kselftest/"
fi

# the report tool: its modules and any assets next to them, not tests/out
for f in reports/*; do
	[ -f "$f" ] || continue
	case $f in reports/known-issues.txt) continue ;; esac
	install -m 644 "$f" "$share/reports/"
done
cat > "$bin/uringreport.tmp" <<EOF
#!/bin/sh
# uringcheck's report tool (installed by make install)
exec python3 "$prefix/share/uringcheck/reports/uringreport.py" "\$@"
EOF
chmod 755 "$bin/uringreport.tmp" && mv "$bin/uringreport.tmp" "$bin/uringreport"
say "$share/reports/, $bin/uringreport"
[ -z "$known" ] || { install -m 644 "$known" "$share/known-issues.txt"; say "$share/known-issues.txt"; }
install -m 644 harness/uringcheck_plugin.h "$dest$prefix/include/uringcheck/"
say "$dest$prefix/include/uringcheck/uringcheck_plugin.h"
