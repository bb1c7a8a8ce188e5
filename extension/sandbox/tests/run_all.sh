#!/bin/sh
# run_all.sh -- make check: the native unit tests (build/run_tests), then
# compile-only checks of the headers: every header warning-free under
# -Wall -Wextra -pedantic, format checking kept by the printf macros, no
# variadic symbol reaching the bitcode, and csmith programs compiling.
# Prints "N passed, N failed" last; exits 1 if anything failed.  Without
# csmith the csmith checks print a "SKIPPED: ..." line (with CI=true they
# fail instead).
#
# usage: tests/run_all.sh CLANG LLVM_NM OPT LLC LLVM_LINK  (from extension/sandbox)

CLANG=${1:-clang-19}
NM=${2:-llvm-nm-19}
OPT=${3:-opt-19}
LLC=${4:-llc-19}
LINK=${5:-llvm-link-19}
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); }
ko() { FAIL=$((FAIL + 1)); echo "FAIL $*" >&2; }

OUT=$(./build/run_tests "$NM" lib/libc.bc)
STATUS=$?
echo "$OUT" | sed '$d'
LAST=$(echo "$OUT" | tail -n 1)
P=$(echo "$LAST" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
F=$(echo "$LAST" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$P" ]; then
	ko "run_tests did not finish (status $STATUS)"
else
	PASS=$((PASS + P))
	FAIL=$((FAIL + F))
fi

SB="-std=c11 --target=x86_64-unknown-linux-gnu -nostdinc"

# 1. all headers, warnings inside them shown (-I, not -isystem)
if $CLANG $SB -Wall -Wextra -pedantic -Werror -I include -fsyntax-only \
	tests/sandbox_headers.c; then ok; else ko "headers not warning-free"; fi
# 1b. also with NDEBUG and in C17
if $CLANG $SB -std=c17 -DNDEBUG -Wall -Wextra -pedantic -Werror -I include \
	-fsyntax-only tests/sandbox_headers.c; then ok; else ko "headers, NDEBUG/C17"; fi

# 2. the format check of the printf macros still fires
if $CLANG $SB -Werror=format -isystem include -fsyntax-only \
	tests/sandbox_badformat.c 2>/dev/null; then
	ko "printf(\"%d\", string) compiled without a format warning"
else ok; fi

# 3. the unevaluated format-check prototype never reaches the bitcode,
#    and no variadic function is defined or called
mkdir -p build
if $CLANG $SB -O2 -isystem include -emit-llvm -S tests/sandbox_headers.c \
	-o build/sandbox_headers.ll; then
	if grep -q '__tmebox_fmtcheck\|\.\.\.)' build/sandbox_headers.ll; then
		ko "variadic declaration or call in sandbox_headers.ll"
	else ok; fi
else ko "sandbox_headers.c does not compile to IR"; fi

# 3b. optimised and compiled to machine code, the libc calls nothing but
#     host calls (LLVM could otherwise turn loops or llvm.fma into libcalls)
if $OPT -O2 lib/libc.bc -o build/libc_o2.bc && \
	$LLC -O2 -filetype=obj build/libc_o2.bc -o build/libc_o2.o; then
	BAD=$(nm -u build/libc_o2.o | awk '{print $2}' | grep -v '^__tmebox_host_')
	if [ -z "$BAD" ]; then ok; else ko "libcalls after codegen: $BAD"; fi
else ko "opt/llc of lib/libc.bc failed"; fi

# 3c. end to end through the bitcode: a tenant-style program compiled like
#     tmebox-cc does, linked with lib/libc.bc, optimised, run natively with
#     the native host calls (defined symbols renamed tmb_*)
if $CLANG $SB -march=x86-64-v2 -O2 -Xclang -disable-llvm-optzns \
	-ffreestanding -fno-stack-protector -isystem include \
	-emit-llvm -c tests/sandbox_prog.c -o build/sandbox_prog.bc && \
	$LINK build/sandbox_prog.bc lib/libc.bc -o build/prog_linked.bc && \
	$OPT -O2 build/prog_linked.bc -o build/prog_o2.bc && \
	$LLC -O2 -filetype=obj build/prog_o2.bc -o build/prog.o && \
	nm --defined-only -g build/prog.o | awk '{ print $3 " tmb_" $3 }' \
		> build/prog_rename.map && \
	objcopy --redefine-syms=build/prog_rename.map build/prog.o build/prog_tmb.o && \
	$CLANG -no-pie -O1 -I../abi -Itests -o build/bc_driver tests/bc_driver.c \
		build/tests/host_native.o build/prog_tmb.o -lm; then
	DOUT=$(./build/bc_driver)
	echo "$DOUT" | sed '$d'
	DLAST=$(echo "$DOUT" | tail -n 1)
	P=$(echo "$DLAST" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	F=$(echo "$DLAST" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$P" ]; then ko "bc_driver did not finish"; else
		PASS=$((PASS + P)); FAIL=$((FAIL + F)); fi
else ko "building the bitcode end-to-end program failed"; fi

# 4. csmith programs compile against the headers
CSMITH_INC=/usr/include/csmith
if command -v csmith >/dev/null 2>&1 && [ -f $CSMITH_INC/csmith.h ]; then
	for seed in 1 2 3 4 5; do
		f=build/csmith_$seed.c
		# csmith writes platform.info into its working directory
		(cd build && csmith --no-argc --seed $seed -o csmith_$seed.c >/dev/null 2>&1)
		if $CLANG -fsyntax-only -w -nostdinc -isystem include -I $CSMITH_INC $f; then
			ok
		else ko "csmith seed $seed does not compile"; fi
	done
elif [ "${CI:-}" = true ]; then
	ko "csmith checks: csmith or libcsmith-dev not installed (CI runs every check)"
else
	# counted by tmebox-dev.sh test's closing line
	echo "SKIPPED: csmith checks in extension/sandbox (csmith or libcsmith-dev not installed)"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
