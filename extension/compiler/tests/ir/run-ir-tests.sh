#!/bin/sh
# run-ir-tests.sh DRIVER OUTDIR
#	Runs the IR tests of this directory (see Makefile) and prints
#	"N passed, N failed"; exit status 1 when any test failed.
#	Test file directives (C comments):
#	  // EXPORT: NAME...       functions to export (default: none; exec: test_main)
#	  // CHECK...              FileCheck directives (check_: on the output IR,
#	                           reject_: on the diagnostics)
#	  // ARGS: N...             exec_: arguments of the harness
#	  // CFLAGS: FLAGS...       extra clang flags (e.g. -fno-math-errno)
#	  // NO-NATIVE             exec_: do not compare with the native build
#	  // EXEC: / EXEC-NEXT:    exec_: FileCheck on the harness output
set -u
here=$(cd "$(dirname "$0")" && pwd)
DRIVER=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
OUT=$2
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
ABI=$here/../../../abi
CLANG=${CLANG:-clang-19}
FILECHECK=${FILECHECK:-/usr/lib/llvm-19/bin/FileCheck}
CFLAGS_IR="-std=c11 --target=x86_64-unknown-linux-gnu -march=x86-64-v2 -O2 -Xclang -disable-llvm-optzns -gline-tables-only -fno-stack-protector -emit-llvm -S"
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }

directive() { sed -n "s|^// $2: *||p" "$1" | head -1; }

# The object the driver emitted (--obj: tmebox-cc's code generation, with
# 32-bit address size on %gs operands and the machine-code check) must
# leave no undefined symbol.
no_undefined() {
	undef=$(nm -u "$1")
	if [ -n "$undef" ]; then
		echo "undefined symbols: $undef" >"$1.err"
		return 1
	fi
	return 0
}

cd "$here"
for t in ${TESTS:-check_*.c reject_*.c exec_*.c}; do
	[ -f "$t" ] || continue
	n=${t%.c}
	exports=""
	for e in $(directive "$t" EXPORT); do exports="$exports --export $e"; done
	extra=$(directive "$t" CFLAGS)
	if ! $CLANG $CFLAGS_IR $extra -o "$OUT/$n.ll" "$t" 2>"$OUT/$n.clang.err"; then
		bad "$n" "clang failed: $(head -3 "$OUT/$n.clang.err")"
		continue
	fi
	case $n in
	check_*)
		if ! $DRIVER "$OUT/$n.ll" -o "$OUT/$n.out.ll" --obj "$OUT/$n.o" $exports 2>"$OUT/$n.err"; then
			bad "$n" "instrumentation failed: $(head -3 "$OUT/$n.err")"
		elif ! $FILECHECK "$t" --input-file "$OUT/$n.out.ll" >"$OUT/$n.fc" 2>&1; then
			bad "$n" "FileCheck: $(head -5 "$OUT/$n.fc")"
		elif ! no_undefined "$OUT/$n.o"; then
			bad "$n" "codegen: $(head -3 "$OUT/$n.o.err")"
		else
			ok "$n"
		fi
		;;
	reject_*)
		if $DRIVER "$OUT/$n.ll" -o "$OUT/$n.out.ll" $exports 2>"$OUT/$n.err"; then
			bad "$n" "was accepted"
		elif ! $FILECHECK "$t" --input-file "$OUT/$n.err" >"$OUT/$n.fc" 2>&1; then
			bad "$n" "FileCheck: $(head -5 "$OUT/$n.fc")"
		else
			ok "$n"
		fi
		;;
	exec_*)
		args=$(directive "$t" ARGS)
		if ! $DRIVER "$OUT/$n.ll" -o "$OUT/$n.out.ll" --obj "$OUT/$n.o" --export test_main $exports 2>"$OUT/$n.err"; then
			bad "$n" "instrumentation failed: $(head -3 "$OUT/$n.err")"
			continue
		fi
		if ! no_undefined "$OUT/$n.o"; then
			bad "$n" "codegen: $(head -3 "$OUT/$n.o.err")"
			continue
		fi
		if ! gcc -O1 -I"$ABI" -o "$OUT/$n.sbx" harness.c "$OUT/$n.o" -lm 2>"$OUT/$n.link.err"; then
			bad "$n" "link: $(head -3 "$OUT/$n.link.err")"
			continue
		fi
		timeout 20 "$OUT/$n.sbx" $args >"$OUT/$n.sbx.out" 2>&1
		rc=$?
		if [ $rc -ne 0 ]; then
			bad "$n" "sandboxed run exited with $rc: $(tail -2 "$OUT/$n.sbx.out")"
			continue
		fi
		if ! grep -q '^// NO-NATIVE' "$t"; then
			if ! gcc -O1 -std=c11 $extra -DNATIVE -I"$ABI" -o "$OUT/$n.nat" harness.c "$t" -lm 2>"$OUT/$n.nlink.err"; then
				bad "$n" "native build: $(head -3 "$OUT/$n.nlink.err")"
				continue
			fi
			timeout 20 "$OUT/$n.nat" $args >"$OUT/$n.nat.out" 2>&1
			if ! cmp -s "$OUT/$n.nat.out" "$OUT/$n.sbx.out"; then
				bad "$n" "differs from native: $(diff "$OUT/$n.nat.out" "$OUT/$n.sbx.out" | head -4)"
				continue
			fi
		fi
		if grep -q '^// EXEC' "$t" &&
			! $FILECHECK --check-prefix=EXEC "$t" --input-file "$OUT/$n.sbx.out" >"$OUT/$n.fc" 2>&1; then
			bad "$n" "FileCheck: $(head -5 "$OUT/$n.fc")"
			continue
		fi
		ok "$n"
		;;
	esac
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
