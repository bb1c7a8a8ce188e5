#!/bin/sh
# run-corpus.sh BUILD - the verifier on modules compiled by tmebox-cc
# (make check-corpus; needs extension/compiler/tmebox-cc and the sandbox
# libc built).
#	1. every extension/tests/corpus/*.c compiles (tmebox-cc runs the
#	   verifier on the linked object) and passes tmebox-verify;
#	2. site mutations of those modules (test_verify after --) are all
#	   refused;
#	3. tmebox-cc refuses an object whose linker output breaks a rule: a
#	   fake ld.lld runs the real one, then replaces a direct call by
#	   `jmp *%rax`; the compile must fail with the verifier's message,
#	   leave no output and name no temporary path;
#	4. the native-stack bound of tests/stack/*.c: recursion through a
#	   function-pointer dispatcher is unbounded, no recursion is bounded.
B=$1
cd "$(dirname "$0")/.."
CC=../compiler/tmebox-cc
SANDBOX=../sandbox
LLD=${LLD_PATH:-$(llvm-config-19 --bindir)/ld.lld}
fail=0
mkdir -p "$B/corpus"
rm -f "$B"/corpus/*.tmbx
for src in ../tests/corpus/*.c; do
	n=$(basename "$src" .c)
	if ! $CC --sandbox-dir "$SANDBOX" -o "$B/corpus/$n.tmbx" "$src" 2>"$B/corpus/$n.err"; then
		echo "FAIL: tmebox-cc $src: $(cat "$B/corpus/$n.err")"
		fail=1
	fi
done
mods=$(ls "$B"/corpus/*.tmbx 2>/dev/null)
if [ -n "$mods" ]; then
	./tmebox-verify $mods || fail=1
	"$B/test_verify" "$B/accept1.so" -- $mods || fail=1
fi

# 4. the native-stack bound of compiled modules: recursion through a
#    function-pointer dispatcher is unbounded, a module with dispatched
#    calls and printf but no recursion has a bound
for n in dispatch bounded; do
	if ! $CC --sandbox-dir "$SANDBOX" -o "$B/stack-$n.tmbx" tests/stack/$n.c 2>"$B/stack-$n.err"; then
		echo "FAIL: tmebox-cc tests/stack/$n.c: $(cat "$B/stack-$n.err")"
		fail=1
	fi
done
if ./tmebox-verify "$B/stack-dispatch.tmbx" | grep -q "native stack bound unbounded (recursion through" &&
	./tmebox-verify "$B/stack-bounded.tmbx" | grep -q "native stack bound [0-9]* bytes)"; then
	echo "ok: native stack bounds of compiled modules: $(./tmebox-verify "$B/stack-bounded.tmbx" | sed 's/.*native stack bound \(.*\))$/\1/')"
else
	echo "FAIL: native stack bounds: $(./tmebox-verify "$B"/stack-*.tmbx)"
	fail=1
fi

# 3. the fake linker
cat > "$B/fake-ld.lld" <<EOS
#!/bin/sh
out=
prev=
for a in "\$@"; do
	[ "\$prev" = "-o" ] && out=\$a
	prev=\$a
done
"$LLD" "\$@" || exit \$?
exec "$(pwd)/$B/test_verify_plain" --patch-first-call "\$out"
EOS
chmod +x "$B/fake-ld.lld"
rm -f "$B/patched.tmbx"
if $CC --sandbox-dir "$SANDBOX" --lld "$B/fake-ld.lld" -o "$B/patched.tmbx" \
	../tests/corpus/recursion.c 2>"$B/patched.err"; then
	echo "FAIL: tmebox-cc accepted an object with an indirect jump"
	fail=1
elif ! grep -q "tmebox-cc: error: the module's machine code fails verification: verifier: " "$B/patched.err" ||
	grep -q "/tmp\|tmebox-cc-" "$B/patched.err" || [ -e "$B/patched.tmbx" ]; then
	echo "FAIL: tmebox-cc's refusal of a patched object: $(cat "$B/patched.err")"
	fail=1
else
	echo "ok: tmebox-cc refuses what its linker hands back: $(cat "$B/patched.err")"
fi
[ $fail = 0 ] && echo "corpus: ok"
exit $fail
