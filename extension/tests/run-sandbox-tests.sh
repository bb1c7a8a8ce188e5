#!/bin/bash
# run-sandbox-tests.sh — end-to-end tests of tmebox-cc + tmebox-run.
#
#   corpus/*.c  ordinary C programs: compiled natively (clang-19 -O2, glibc)
#               and through tmebox-cc, both run, outputs must be identical.
#   escape/*.c  attacks on the sandbox, one per DESIGN §2/§5 item; each
#               file says what must happen in comment directives:
#                 // RUN: FUNCTION [ARG...]      what to call (default main)
#                 // RUN-OPTS: OPTIONS          extra tmebox-run options
#                 // EXPECT-FAULT: TEXT         exit 3, stderr has "tmebox-run: ...TEXT"
#                 // EXPECT-REJECT: TEXT        tmebox-cc fails, stderr has TEXT
#                 // EXPECT-OUTPUT: TEXT        exit 0, stdout has TEXT
#                 // EXPECT-CONTAINED           exit 0 or 3 (never death by a signal)
#                 // EXPECT-NO-LINE             a rejection without a source line is fine
#
# Invariant: every test can fail; a test whose expectation is missing fails.
# Usage: run-sandbox-tests.sh [--cc PATH] [--run PATH] [--sandbox-dir DIR] [corpus|escape|all]
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CC_BIN="$top/extension/compiler/tmebox-cc"
RUN_BIN="$top/extension/run/tmebox-run"
SANDBOX_DIR="$top/extension/sandbox"
what=all
while [ $# -gt 0 ]; do
	case "$1" in
		--cc) CC_BIN=$2; shift 2 ;;
		--run) RUN_BIN=$2; shift 2 ;;
		--sandbox-dir) SANDBOX_DIR=$2; shift 2 ;;
		corpus|escape|all) what=$1; shift ;;
		*) echo "usage: $0 [--cc PATH] [--run PATH] [--sandbox-dir DIR] [corpus|escape|all]" >&2; exit 2 ;;
	esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1: $2"; [ -n "${3:-}" ] && sed 's/^/     | /' "$3" | head -20; }

compile() {	# compile SRC OUT ERRFILE -> status
	"$CC_BIN" --sandbox-dir "$SANDBOX_DIR" -o "$2" "$1" 2>"$3"
}

run_corpus() {
	for src in "$here"/corpus/*.c; do
		name=corpus/$(basename "$src" .c)
		base=$work/$(basename "$src" .c)
		if ! clang-19 -std=c11 -D_DEFAULT_SOURCE -O2 -w -o "$base.native" "$src" -lm 2>"$base.nerr"; then
			bad "$name" "native build failed" "$base.nerr"; continue
		fi
		timeout 20 "$base.native" >"$base.expected" 2>&1
		echo $? >>"$base.expected"	# tmebox-run prints main's result
		if ! compile "$src" "$base.tmbx" "$base.cerr"; then
			bad "$name" "tmebox-cc failed" "$base.cerr"; continue
		fi
		timeout 60 "$RUN_BIN" "$base.tmbx" main >"$base.out" 2>"$base.err"
		rc=$?
		if [ $rc -ne 0 ]; then
			bad "$name" "tmebox-run exited $rc" "$base.err"; continue
		fi
		if ! diff -u "$base.expected" "$base.out" >"$base.diff"; then
			bad "$name" "output differs from native" "$base.diff"; continue
		fi
		ok "$name"
	done
}

directive() { sed -n "s|^// $1: *||p" "$2" | head -1; }

run_escape() {
	for src in "$here"/escape/*.c; do
		name=escape/$(basename "$src" .c)
		base=$work/$(basename "$src" .c)
		reject=$(directive EXPECT-REJECT "$src")
		fault=$(directive EXPECT-FAULT "$src")
		output=$(directive EXPECT-OUTPUT "$src")
		contained=$(grep -c '^// EXPECT-CONTAINED' "$src")
		call=$(directive RUN "$src"); [ -z "$call" ] && call=main
		opts=$(directive RUN-OPTS "$src")
		compile "$src" "$base.tmbx" "$base.cerr"
		crc=$?
		if [ -n "$reject" ]; then
			if [ $crc -eq 0 ]; then bad "$name" "compiled, expected rejection '$reject'"; continue; fi
			if [ -e "$base.tmbx" ]; then bad "$name" "output file left behind after failure"; continue; fi
			if ! grep -qF -- "$reject" "$base.cerr"; then bad "$name" "rejected without '$reject'" "$base.cerr"; continue; fi
			if ! grep -q '^// EXPECT-NO-LINE' "$src" &&
				! grep -qE ':[0-9]+(:[0-9]+)?: (fatal )?error' "$base.cerr"; then
				bad "$name" "rejection names no source line" "$base.cerr"; continue
			fi
			ok "$name"; continue
		fi
		if [ $crc -ne 0 ]; then bad "$name" "tmebox-cc failed" "$base.cerr"; continue; fi
		# shellcheck disable=SC2086
		timeout 60 "$RUN_BIN" $opts "$base.tmbx" $call >"$base.out" 2>"$base.err"
		rc=$?
		if [ $rc -gt 128 ] || [ $rc -eq 124 ]; then bad "$name" "process died or hung (status $rc)" "$base.err"; continue; fi
		if [ -n "$fault" ]; then
			if [ $rc -ne 3 ]; then bad "$name" "exit $rc, expected 3 (contained fault '$fault')" "$base.err"; continue; fi
			if ! grep -qF -- "tmebox-run: " "$base.err" || ! grep -qF -- "$fault" "$base.err"; then
				bad "$name" "fault message lacks '$fault'" "$base.err"; continue
			fi
		elif [ -n "$output" ]; then
			if [ $rc -ne 0 ]; then bad "$name" "exit $rc, expected 0" "$base.err"; continue; fi
			if ! grep -qF -- "$output" "$base.out"; then bad "$name" "output lacks '$output'" "$base.out"; continue; fi
		elif [ "$contained" -gt 0 ]; then
			if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then bad "$name" "exit $rc, expected 0 or 3" "$base.err"; continue; fi
		else
			bad "$name" "no EXPECT directive"; continue
		fi
		ok "$name"
	done
}

# The sandbox libc's allocator keeps the call graph acyclic, so a module
# that uses it gets a native-stack bound from the verifier
# (extension/verify/README.md); a cycle (free freeing the pending block
# through free) would leave every module unbounded.
run_bound() {
	local name=libc/stack-bound base=$work/bound
	cat >"$base.c" <<'EOF'
#include <stdlib.h>
#include <string.h>
#include <tmebox.h>
tmebox_buf *grow(const tmebox_buf *s)
{
	char *p = realloc(malloc(8), s->len + 1);
	tmebox_buf *r = tmebox_buf_from(s->data, s->len);
	free(p);
	return r;
}
EOF
	if ! compile "$base.c" "$base.tmbx" "$base.cerr"; then
		bad "$name" "tmebox-cc failed" "$base.cerr"; return
	fi
	"$VERIFY_BIN" "$base.tmbx" >"$base.out" 2>&1
	if grep -q "native stack bound [0-9]* bytes)" "$base.out"; then
		ok "$name"
	else
		bad "$name" "no native-stack bound" "$base.out"
	fi
}

VERIFY_BIN="$top/extension/verify/tmebox-verify"
for tool in "$CC_BIN" "$RUN_BIN" "$VERIFY_BIN"; do
	[ -x "$tool" ] || { echo "run-sandbox-tests: $tool is not built" >&2; exit 2; }
done
case $what in
	corpus) run_corpus; run_bound ;;
	escape) run_escape ;;
	all) run_corpus; run_bound; run_escape ;;
esac
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
