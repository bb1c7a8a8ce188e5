#!/bin/sh
# run-tests.sh BUILD - tests of the tmebox verifier (make check).
#	Assembles and links the hand-written modules tests/accept*.s with the
#	flags tmebox-cc gives ld.lld (extension/compiler/cc_link.c), then runs
#	build/test_verify on them (patch and ELF mutations of accept1; site
#	mutations of both and of the compiled modules named by TVF_MODULES),
#	checks the native-stack bound of the cases of tests/stack.s and of
#	generated call chains, and checks the tmebox-verify command line tool.
set -e
B=$1
CLANG=${CLANG:-clang-19}
LLD=${LLD:-ld.lld-19}
cd "$(dirname "$0")/.."
for s in tests/accept*.s; do
	n=$(basename "$s" .s)
	$CLANG -c -x assembler -o "$B/$n.o" "$s"
	$LLD -shared -nostdlib --no-undefined -z defs -z noexecstack -z relro -z now \
		--hash-style=gnu --build-id=none --strip-all -o "$B/$n.so" "$B/$n.o"
done
link() {
	$LLD -shared -nostdlib --no-undefined -z defs -z noexecstack -z relro -z now \
		--hash-style=gnu --build-id=none --strip-all -o "$2" "$1"
}
fail=0
"$B/test_verify" $TVF_VERBOSE "$B"/accept1.so "$B"/accept2.so -- "$B"/accept1.so "$B"/accept2.so $TVF_MODULES || fail=1

# the native-stack bound (tvf_stats.max_stack) of the cases of tests/stack.s
cases=$(sed -n 's/^# case \([0-9]*\): max_stack \(.*\)$/\1:\2/p' tests/stack.s)
[ -n "$cases" ] || { echo "FAIL: no cases in tests/stack.s"; fail=1; }
for c in $cases; do
	n=${c%%:*}
	want=${c#*:}
	$CLANG -c -x assembler -Wa,--defsym,CASE=$n -o "$B/stack$n.o" tests/stack.s
	link "$B/stack$n.o" "$B/stack$n.so"
	"$B/test_verify" $TVF_VERBOSE --max-stack "$want" "$B/stack$n.so" >"$B/stack$n.out" ||
		{ cat "$B/stack$n.out"; fail=1; }
done
# the bounds of single roots (tvf_verify_root): the bounded root beside a
# recursive one, the second root of the diamond, a tail-calling root
for r in "6 __tmebox_export_bounded 64" "6 __tmebox_export_f unbounded" \
	"12 __tmebox_export_r2 24" "13 __tmebox_export_f 56" "13 __tmebox_export_deep 56"; do
	set -- $r
	"$B/test_verify" --root-stack "$2" "$3" "$B/stack$1.so" || fail=1
done
# generated call chains f0 -> f1 -> ... (the bound is computed without C
# recursion): 100000 calls at depth 0; the same closed into a cycle; 70000
# frames of 60 KiB, whose bound does not fit in 32 bits
chain() {
	awk -v n="$1" -v frame="$2" -v cycle="$3" 'BEGIN {
		print "\t.text\n\t.globl\t__tmebox_export_f0\n\t.type\t__tmebox_export_f0,@function"
		for (i = 0; i < n; i++) {
			printf "%s:\n", (i ? "f" i : "__tmebox_export_f0:\n.Lf0")
			if (frame) printf "\tsubq\t$%d, %%rsp\n", frame
			if (i + 1 < n) printf "\tcallq\tf%d\n", i + 1
			else if (cycle) print "\tcallq\t.Lf0"
			if (frame) printf "\taddq\t$%d, %%rsp\n", frame
			print "\tretq"
		}
		print "\t.bss\n\t.globl\t__tmebox_hosttab\n\t.type\t__tmebox_hosttab,@object"
		print "\t.p2align 3\n__tmebox_hosttab:\n\t.zero\t8\n\t.size\t__tmebox_hosttab, 8"
		print "\t.section .note.GNU-stack,\"\",@progbits"
	}' > "$B/$4.s"
	$CLANG -c -x assembler -o "$B/$4.o" "$B/$4.s"
	link "$B/$4.o" "$B/$4.so"
	"$B/test_verify" $TVF_VERBOSE --max-stack "$5" "$B/$4.so" >"$B/$4.out" ||
		{ cat "$B/$4.out"; fail=1; }
}
chain 100000 0 0 chain_deep 799992
chain 100000 0 1 chain_cycle unbounded
chain 70000 61440 0 chain_wide unbounded
[ $fail = 0 ] && echo "native stack bounds: $(echo $cases | wc -w) cases of tests/stack.s and 3 call chains ok"
# the command line tool: exit status and message, the stack bound
if ./tmebox-verify "$B/accept1.so" | grep -q "native stack bound 56 bytes)" &&
	./tmebox-verify "$B/stack6.so" | grep -q "native stack bound unbounded (recursion through the function at 0x" &&
	! ./tmebox-verify /dev/null 2>/dev/null && ./tmebox-verify -q "$B/accept2.so"; then
	echo "tmebox-verify: ok"
else
	echo "FAIL: tmebox-verify exit status"
	fail=1
fi
exit $fail
