#!/bin/sh
# tests/run-golden.sh
#	Golden tests of tmebox-cc (llvm-c-test calc_errors.test style).
#
#	For each tests/golden/NAME.c:
#	  NAME.args    optional extra options (shell words; $WORK is a fresh
#	               scratch directory, $GOLDEN the golden directory)
#	  NAME.setup   optional shell script run first, with $WORK set
#	  NAME.exit    expected exit status (required)
#	  NAME.stderr  expected stderr (required), after normalisation:
#	               the scratch dir -> <work>, tmebox-cc temp dirs -> <tmp>,
#	               the sandbox dir -> <sandbox>
#	  NAME.info    expected `tmebox-cc --print-info` output (exit 0 only)
#	  NAME.strace  when present, the compile is repeated under strace and
#	               every path any process touches (open, stat, access,
#	               readlink, exec...) must be in the allowed set: the input,
#	               the sandbox dir, -I dirs below $WORK, tmebox-cc's private
#	               temp dir, and the system files of the toolchain itself
#	               (binaries, shared libraries, /proc/self, /dev/null,
#	               /etc/ld.so.cache, /etc/os-release, /etc/debian_version).
#	               Lines of NAME.strace are extra forbidden substrings that
#	               must not appear in the trace at all.
#	Stderr must never contain the sandbox directory, the golden directory
#	(where the input really is) or the temporary directory.
#	On failure no output file may be left behind, and no compile (failed
#	or not) may leave a temporary directory /tmp/tmebox-cc.* behind.
#	A successful compile under strace must show the ld.lld run (every
#	process of the compile is traced: strace -f).
#
#	Environment: TMEBOX_CC (default ../tmebox-cc), TMEBOX_SANDBOX_DIR
#	(default ../../sandbox).  Prints "N passed, N failed"; exit 1 on any
#	failure.

set -u
here=$(cd "$(dirname "$0")" && pwd)
GOLDEN="$here/golden"
CC=${TMEBOX_CC:-$here/../tmebox-cc}
CC=$(cd "$(dirname "$CC")" && pwd)/$(basename "$CC")
SB=$(cd "${TMEBOX_SANDBOX_DIR:-$here/../../sandbox}" && pwd -P)
pass=0
fail=0
failed=""

normalise() {
	sed -e "s|$WORK/tmp/tmebox-cc\.[A-Za-z0-9]*|<tmp>|g" \
	    -e "s|$WORK|<work>|g" \
	    -e "s|/tmp/tmebox-cc\.[A-Za-z0-9]*|<tmp>|g" \
	    -e "s|$SB|<sandbox>|g"
}

# Paths in an strace log that fall outside the allowed set.
strace_violations() {
	# first quoted argument of each traced call
	sed -n -e 's/^[0-9]* *[a-z_0-9]*(AT_FDCWD, "\([^"]*\)".*/\1/p' \
	       -e 's/^[0-9]* *[a-z_0-9]*("\([^"]*\)".*/\1/p' \
	       -e 's/^[0-9]* *[a-z_0-9]*([0-9]*, "\(\/[^"]*\)".*/\1/p' "$1" |
	sort -u | while IFS= read -r p; do
		case "$p" in
			"" | "$2" | "$WORK"/* | "$SB" | "$SB"/* | /tmp/tmebox-cc.*) ;;
			/usr/lib/* | /lib/* | /lib64/* | /usr/lib64/* | /usr/bin/* | /usr | /usr/lib | /lib | /lib64) ;;
			/proc/self/* | /dev/null | /etc/ld.so.cache | /etc/ld.so.preload) ;;
			/etc | /etc/os-release | /etc/debian_version | /usr/lib/os-release) ;;
			/etc/lsb-release | /etc/redhat-release) ;;
			"$CC" | "$3" | .) ;;
			/*)
				# ancestors of allowed directories (realpath, getcwd)
				case "$SB/" in "$p"/*) continue ;; esac
				case "$WORK/" in "$p"/*) continue ;; esac
				case "$GOLDEN/" in "$p"/*) continue ;; esac
				echo "$p" ;;
			*) echo "$p" ;;
		esac
	done
}

cd "$GOLDEN" || exit 1
for src in *.c; do
	name=${src%.c}
	WORK=$(mktemp -d /tmp/tmebox-golden.XXXXXX)
	export WORK GOLDEN
	ok=1
	why=""
	[ -f "$name.setup" ] && sh "$name.setup"
	args=""
	[ -f "$name.args" ] && args=$(cat "$name.args")
	eval "set -- $args"
	# tmebox-cc's temporary directory goes under TMPDIR: a private one, so
	# that whatever it leaves behind is seen (and nothing else is)
	mkdir "$WORK/tmp"
	TMPDIR="$WORK/tmp" "$CC" --sandbox-dir "$SB" "$@" -o "$WORK/out.tmbx" "$src" >"$WORK/stdout" 2>"$WORK/stderr.raw"
	status=$?
	if [ -n "$(ls -A "$WORK/tmp")" ]; then
		ok=0; why="$why temporary directory left behind;"
	fi
	normalise <"$WORK/stderr.raw" >"$WORK/stderr"
	# diagnostics never name a server path (the sandbox directory, the
	# libc) or a temporary one (paths given on the command line may show)
	if grep -qF -e "$SB" -e "$WORK/tmp" -e "$GOLDEN" "$WORK/stderr.raw"; then
		ok=0; why="$why stderr names a server or temporary path;"
	fi

	if [ ! -f "$name.exit" ] || [ "$status" != "$(cat "$name.exit")" ]; then
		ok=0; why="$why exit status $status (expected $(cat "$name.exit" 2>/dev/null));"
	fi
	if ! diff -u "$name.stderr" "$WORK/stderr" >"$WORK/diff.stderr" 2>&1; then
		ok=0; why="$why stderr differs;"
	fi
	if [ "$status" = 0 ]; then
		"$CC" --print-info "$WORK/out.tmbx" >"$WORK/info" 2>&1
		if ! diff -u "$name.info" "$WORK/info" >"$WORK/diff.info" 2>&1; then
			ok=0; why="$why --print-info differs;"
		fi
	elif ls "$WORK" | grep -q '^out\.tmbx'; then
		ok=0; why="$why output file left behind;"
	fi
	if [ -f "$name.strace" ]; then
		rm -f "$WORK"/out.tmbx*
		strace -f -qq -e trace=open,openat,stat,lstat,newfstatat,statx,access,faccessat,faccessat2,readlink,readlinkat,execve,chdir \
			-o "$WORK/trace" "$CC" --sandbox-dir "$SB" "$@" -o "$WORK/out.tmbx" "$src" >/dev/null 2>&1
		if ! grep -q 'execve("[^"]*clang' "$WORK/trace"; then
			ok=0; why="$why strace saw no clang run;"
		fi
		if [ "$status" = 0 ] && ! grep -q 'execve("[^"]*ld.lld' "$WORK/trace"; then
			ok=0; why="$why strace saw no ld.lld run;"
		fi
		bad=$(strace_violations "$WORK/trace" "$src" "$WORK/out.tmbx")
		if [ -n "$bad" ]; then
			ok=0; why="$why files outside the policy were touched: $(echo $bad);"
		fi
		while IFS= read -r word; do
			[ -n "$word" ] || continue
			if grep -qF -- "$word" "$WORK/trace"; then
				ok=0; why="$why trace mentions '$word';"
			fi
		done <"$name.strace"
	fi

	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "ok   $name"
	else
		fail=$((fail + 1))
		failed="$failed $name"
		echo "FAIL $name:$why"
		cat "$WORK/diff.stderr" "$WORK/diff.info" 2>/dev/null | head -40
	fi
	rm -rf "$WORK"
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
