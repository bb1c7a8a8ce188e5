#!/bin/sh
# run-tests.sh BUILD - tests of the tmebox verifier (make check).
#	Assembles and links the hand-written modules tests/accept*.s with the
#	flags tmebox-cc gives ld.lld (extension/compiler/cc_link.c), then runs
#	build/test_verify on them (patch and ELF mutations of accept1; site
#	mutations of both and of the compiled modules named by TVF_MODULES), and
#	checks the tmebox-verify command line tool.
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
fail=0
"$B/test_verify" $TVF_VERBOSE "$B"/accept1.so "$B"/accept2.so -- "$B"/accept1.so "$B"/accept2.so $TVF_MODULES || fail=1
# the command line tool: exit status and message
if ./tmebox-verify "$B/accept1.so" >/dev/null && ! ./tmebox-verify /dev/null 2>/dev/null &&
	./tmebox-verify -q "$B/accept2.so"; then
	echo "tmebox-verify: ok"
else
	echo "FAIL: tmebox-verify exit status"
	fail=1
fi
exit $fail
