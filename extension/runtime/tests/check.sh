#!/bin/sh
# check.sh BUILD_DIR TMEBOX_RUN
#	Runs every runtime test: the in-process suites (test_rt, test_regs,
#	test_stack, test_native, test_keyid) and the command-line tests of tmebox-run below (stdout,
#	stderr and exit status of each case).  Prints "N passed, N failed"
#	and exits 1 on any failure.
#	Each case runs with a wall-clock limit, so a hang is a failure.

B=$1
RUN=$2
M=$B/mod_test.tmebox
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# in-process suites: test_rt (containment), test_regs (entry registers)
suite() {
	name=$1
	shift
	timeout 300 "$@" >"$tmp/$name.out" 2>&1
	rc=$?
	grep '^not ok' "$tmp/$name.out"
	last=$(tail -n 1 "$tmp/$name.out")
	p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$p" ] || [ $rc -ne 0 -a "$f" = 0 ]; then
		echo "not ok - $name did not finish (exit $rc): $last"
		fail=$((fail + 1))
	else
		echo "$name: $last"
		pass=$((pass + p))
		fail=$((fail + f))
	fi
}
suite test_rt "$B/test_rt" "$B"
suite test_regs "$B/test_regs"
# the verifier's native-stack bound against the bytes calls really touch
# (host calls, a slot without a host function, faults, sandbox malloc)
suite test_stack "$B/test_stack" "$M" add:2,3 fmul:1.5,2 brk alloc:100 rawsbrk:4096 \
	trap:1 msin:1.0 mpow:2,10 mpowf:2,3 failraw:0,0 badhost peek:0 counter strtodraw:0,0 \
	recurse:3
# what sandboxed code finds on the native stack without writing it: above
# the entry's return address, after a libffi-path call, after another tenant
suite test_native "$B/test_native" "$B"
# the KeyID backends against a simulated TME-MK kernel
suite test_keyid "$B/test_keyid" "$B"

# t NAME WANT_RC WANT_STDOUT WANT_STDERR_SUBSTRING -- ARGS...
t() {
	name=$1 want_rc=$2 want_out=$3 want_err=$4
	shift 5
	timeout 20 "$RUN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	if [ -z "$want_err" ]; then
		[ ! -s "$tmp/err" ]
	else
		grep -qF -- "$want_err" "$tmp/err"
	fi
	err_ok=$?
	if [ $rc -eq "$want_rc" ] && [ "$out" = "$want_out" ] && [ $err_ok -eq 0 ]; then
		echo "ok - tmebox-run: $name"
		pass=$((pass + 1))
	else
		echo "not ok - tmebox-run: $name: exit $rc (want $want_rc), stdout [$out] (want [$want_out]), stderr [$(cat "$tmp/err")] (want [$want_err])"
		fail=$((fail + 1))
	fi
}

t "i32 call" 0 "5" "" -- $M add 2 3
t "negative and hex arguments" 0 "-1" "" -- $M add -0x10 15
t "i64 call" 0 "1099511627781" "" -- $M add64 1099511627776 5
t "f64 printed with %.17g" 0 "0.30000000000000004" "" -- $M fmul 0.30000000000000004 1
t "f32 call" 0 "1.25" "" -- $M fhalf 2.5
t "bool call" 0 "false" "" -- $M not true
t "i16 call" 0 "-32768" "" -- $M inc16 32767
t "buffer in and out" 0 "HELLO, SANDBOX" "" -- $M upper "hello, sandbox"
t "empty buffer" 0 "" "" -- $M upper ""
t "ai32 argument" 0 "6" "" -- $M sum32 1,2,3
t "empty array" 0 "0" "" -- $M sum32 ""
t "af64 result" 0 "3,-1,0.5" "" -- $M scale 1.5,-0.5,0.25 2
t "ai64 result" 0 "3,2,1" "" -- $M rev64 1,2,3
t "abuf argument and result" 0 "c,,ab" "" -- $M abuf_rev ab,,c
t "abuf argument, empty" 0 "" "" -- $M abuf_join ""
t "NULL result" 0 "NULL" "" -- $M nullbuf x
t "void prints nothing" 0 "" "" -- $M setscratch 1
t "printf output (INFO) on stdout" 0 "to stdout" "" -- $M logmsg 1 "to stdout"
t "WARNING on stderr" 0 "" "WARNING: to stderr" -- $M logmsg 3 "to stderr"
t "NULL read contained" 3 "" "tmebox-run: segmentation fault at view offset 0x0" -- $M peek 0
t "forged offset contained" 3 "" "tmebox-run: segmentation fault at view offset 0xdeadbeef" -- $M poke 0xdeadbeef 1
t "division by zero" 3 "" "tmebox-run: division by zero" -- $M div 1 0
t "INT_MIN / -1" 3 "" "tmebox-run: integer out of range in division" -- $M div -2147483648 -1
t "unbounded recursion" 3 "" "tmebox-run: stack overflow" -- $M recurse 0
t "trap host call" 3 "" "tmebox-run: trap: indirect call through an invalid function pointer" -- $M trap 2
t "__builtin_trap" 3 "" "tmebox-run: trap: illegal instruction" -- $M builtin_trap
t "error host call" 3 "" "tmebox-run: error raised by the function: no such tenant" -- $M fail "no such tenant"
t "endless loop vs --timeout" 3 "" "tmebox-run: interrupted" -- --timeout 300 $M spin
t "allocation over --memory-limit" 3 "" "tmebox-run: out of memory: tenant memory limit of 2097152 bytes reached" -- --memory-limit 2M $M alloc 2000000
t "allocation under --memory-limit" 0 "1126400" "" -- --memory-limit 2M $M rawsbrk 900000
t "forged result length" 3 "" "tmebox-run: invalid result: returned buffer at offset" -- $M forged 2
t "forged result offset" 3 "" "tmebox-run: invalid result: returned buffer offset 0x8" -- $M forged 0
t "memmove with a hostile length" 3 "" "tmebox-run: segmentation fault at view offset" -- $M hmove 0x110040 0x110018 0x10000000000
t "fmt_double with %n refused" 0 "ERR" "" -- $M fmt "%n" 1
t "fmt_double" 0 "2.50" "" -- $M fmt "%.2f" 2.5
t "strtod" 0 "-1250" "" -- $M strtod " -1.25e3"
t "--keyid accepted" 0 "3" "" -- --keyid 42 $M add 1 2
t "wrong argument count" 2 "" "takes 2 arguments, 1 given" -- $M add 1
t "bad integer" 2 "" "argument 1 of \"add\" is not a valid i32: \"x\"" -- $M add x 1
t "integer out of range" 2 "" "is not a valid i32" -- $M add 4294967296 1
t "bad array (empty element)" 2 "" "is not a valid ai32" -- $M sum32 1,,2
t "bad array (leading comma)" 2 "" "is not a valid ai32" -- $M sum32 ,1
t "unknown function" 2 "" "exports no function \"nope\"" -- $M nope
t "missing arguments" 2 "" "missing MODULE or FUNCTION" -- $M
t "unknown option" 2 "" "Try \"tmebox-run --help\"" -- --frobnicate $M add 1 2
t "bad --timeout" 2 "" "invalid --timeout" -- --timeout -5 $M add 1 2
t "bad --memory-limit" 2 "" "invalid --memory-limit" -- --memory-limit lots $M add 1 2
t "missing module file" 1 "" "could not open module" -- "$B/no-such.tmebox" add 1 2
t "DT_NEEDED module refused" 1 "" "DT_NEEDED" -- $B/bad_needed.tmebox f 1
t "constructor module refused" 1 "" "DT_INIT_ARRAY" -- $B/bad_ctor.tmebox f 1
t "undefined symbol refused" 1 "" "undefined symbol \"evil\"" -- $B/bad_undef.tmebox f 1
t "garbage file refused" 1 "" "not a tmebox module" -- "$0" add 1 2
t "bt with a register bit offset refused (verifier)" 1 "" \
	"verifier: bit test of memory with a register bit offset" -- $B/bad_bt.tmebox f 1
timeout 20 "$RUN" --help >"$tmp/out" 2>&1
if [ $? -eq 0 ] && grep -q -- --timeout "$tmp/out" && grep -q -- --memory-limit "$tmp/out" &&
	grep -q -- --keyid "$tmp/out" && grep -q -- --list "$tmp/out" && grep -q -- --help "$tmp/out"; then
	echo "ok - tmebox-run: --help lists every option"
	pass=$((pass + 1))
else
	echo "not ok - tmebox-run: --help lists every option"
	fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
