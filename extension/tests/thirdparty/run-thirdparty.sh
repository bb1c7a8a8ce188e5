#!/bin/bash
# run-thirdparty.sh — differential tests of unmodified third-party C
# libraries (see README.md): for each drivers/LIB_driver.c, build it
# natively (clang-19 -O2, glibc) and through tmebox-cc with -I LIB/ (the
# driver #includes the library's .c files), run both, and compare stdout
# plus the exit status line by line.
#
# Invariants: the library files under LIB/ are used exactly as shipped
# (never patched); a driver that fails to build either way, crashes,
# faults in the sandbox or prints anything different is a failure.
# Prints "ok"/"FAIL" per library and "N passed, N failed"; exits 1 on any
# failure.
# Usage: run-thirdparty.sh [--cc PATH] [--run PATH] [--sandbox-dir DIR] [LIB...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
CC_BIN="$top/extension/compiler/tmebox-cc"
RUN_BIN="$top/extension/run/tmebox-run"
SANDBOX_DIR="$top/extension/sandbox"
libs=()
while [ $# -gt 0 ]; do
	case "$1" in
		--cc) CC_BIN=$2; shift 2 ;;
		--run) RUN_BIN=$2; shift 2 ;;
		--sandbox-dir) SANDBOX_DIR=$2; shift 2 ;;
		-*) echo "usage: $0 [--cc PATH] [--run PATH] [--sandbox-dir DIR] [LIB...]" >&2; exit 2 ;;
		*) libs+=("$1"); shift ;;
	esac
done
if [ ${#libs[@]} -eq 0 ]; then
	for d in "$here"/drivers/*_driver.c; do
		b=$(basename "$d" _driver.c)
		libs+=("$b")
	done
fi
for tool in "$CC_BIN" "$RUN_BIN"; do
	[ -x "$tool" ] || { echo "run-thirdparty: $tool is not built" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1: $2"; [ -n "${3:-}" ] && sed 's/^/     | /' "$3" | head -20; }

for lib in "${libs[@]}"; do
	src=$here/drivers/${lib}_driver.c
	inc=(-I "$here/$lib" -I "$here/drivers")
	base=$work/$lib
	if [ ! -f "$src" ] || [ ! -d "$here/$lib" ]; then
		bad "$lib" "no driver or library directory"; continue
	fi
	if ! clang-19 -std=c11 -O2 -w "${inc[@]}" -o "$base.native" "$src" -lm 2>"$base.nerr"; then
		bad "$lib" "native build failed" "$base.nerr"; continue
	fi
	timeout 120 "$base.native" >"$base.expected" 2>&1
	echo $? >>"$base.expected"	# tmebox-run prints main's result
	if ! "$CC_BIN" --sandbox-dir "$SANDBOX_DIR" "${inc[@]}" -o "$base.tmbx" "$src" 2>"$base.cerr"; then
		bad "$lib" "tmebox-cc failed" "$base.cerr"; continue
	fi
	timeout 300 "$RUN_BIN" "$base.tmbx" main >"$base.out" 2>"$base.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		bad "$lib" "tmebox-run exited $rc" "$base.err"; continue
	fi
	if ! diff -u "$base.expected" "$base.out" >"$base.diff"; then
		bad "$lib" "sandboxed output differs from native" "$base.diff"; continue
	fi
	ok "$lib ($(wc -l <"$base.expected") lines identical)"
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
