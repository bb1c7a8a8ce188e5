#!/bin/sh
# run-mcode-tests.sh DRIVER OUTDIR
#	Tests of tmebox-cc's machine-code stage (cc_mcode.h), through the
#	IR test driver (cc-sandbox-test):
#	  check_*.s, reject_*.s   assembled with clang-19, then the machine-code
#	                          check (--check-object) must accept them
#	                          ("# EXPECT: ok") or refuse them with a message
#	                          containing the text of "# EXPECT-REJECT: TEXT"
#	  addr32_*.in.s           the %gs operand rewrite (--addr32): its output
#	                          must equal addr32_*.expected.s, assemble, and
#	                          pass the check; or the rewrite must fail with
#	                          "# EXPECT-REJECT: TEXT"
#	Prints "N passed, N failed"; exit status 1 when any test failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
DRIVER=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
OUT=$2
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
CLANG=${CLANG:-clang-19}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
directive() { sed -n "s|^# $2: *||p" "$1" | head -1; }

# expect NAME ERRFILE STATUS EXPECTED-REJECTION
expect() {
	if [ -z "$4" ]; then
		if [ "$3" -ne 0 ]; then bad "$1" "refused: $(head -2 "$2")"; return 1; fi
	elif [ "$3" -eq 0 ]; then
		bad "$1" "accepted, expected '$4'"; return 1
	elif ! grep -qF -- "$4" "$2"; then
		bad "$1" "refused without '$4': $(head -2 "$2")"; return 1
	fi
	return 0
}

cd "$here"
for t in check_*.s reject_*.s; do
	n=${t%.s}
	if ! $CLANG -c -o "$OUT/$n.o" "$t" 2>"$OUT/$n.as.err"; then
		bad "$n" "does not assemble: $(head -2 "$OUT/$n.as.err")"; continue
	fi
	$DRIVER --check-object "$OUT/$n.o" 2>"$OUT/$n.err"
	expect "$n" "$OUT/$n.err" $? "$(directive "$t" EXPECT-REJECT)" && ok "$n"
done
for t in addr32_*.in.s; do
	n=${t%.in.s}
	reject=$(directive "$t" EXPECT-REJECT)
	$DRIVER --addr32 "$t" -o "$OUT/$n.s" 2>"$OUT/$n.err"
	expect "$n" "$OUT/$n.err" $? "$reject" || continue
	if [ -z "$reject" ]; then
		if ! cmp -s "$OUT/$n.s" "$n.expected.s"; then
			bad "$n" "rewrite differs: $(diff "$n.expected.s" "$OUT/$n.s" | head -4)"; continue
		fi
		if ! $CLANG -c -o "$OUT/$n.o" "$OUT/$n.s" 2>"$OUT/$n.as.err" ||
			! $DRIVER --check-object "$OUT/$n.o" 2>"$OUT/$n.err"; then
			bad "$n" "rewritten code does not pass: $(head -2 "$OUT/$n.as.err" "$OUT/$n.err")"; continue
		fi
	fi
	ok "$n"
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
