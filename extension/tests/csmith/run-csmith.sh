#!/bin/bash
# run-csmith.sh — differential testing of tmebox-cc with csmith programs.
#
# For each seed: generate `csmith --no-argc --seed N $CSMITH_OPTS`, build it
# natively (clang-19 -O2, glibc) and through tmebox-cc, run both with time
# limits and compare stdout (csmith prints "checksum = %X"; tmebox-run then
# prints main's return value, which is appended to the native output as the
# native exit status).  One line per seed:
#
#   ok   seed N              outputs equal                         (pass)
#   skip seed N: native ...  native build failed, timed out or     (pass)
#                            crashed: the program tests nothing
#   FAIL seed N: mismatch | sandbox compile failure | sandbox fault |
#                sandbox timeout | sandbox crash                   (fail)
#
# and "N passed, N failed" at the end; exit 1 on any failure, 2 on usage.
#
# Invariants:
#   - a seed is only ever "ok" when both outputs were produced and are
#     byte-identical; a seed that produced no result line counts as failed.
#   - the program text is a pure function of (csmith version, seed,
#     CSMITH_OPTS): the fixed seed list in seeds.txt is only meaningful for
#     the options below; change them and the list must be re-chosen.
#   - at most 2 seeds run at the same time (the machine is shared).
#   - with --keep-failures DIR every failing program is kept as
#     DIR/seed-N.c with DIR/seed-N.txt (outcome, options, both outputs).
#
# Usage: run-csmith.sh [-j N] [--keep-failures DIR] [--cc PATH] [--run PATH]
#                      [--sandbox-dir DIR] [--native-timeout SEC]
#                      [--sandbox-timeout SEC]
#                      (--seeds-file FILE | --range START COUNT | SEED...)
set -u

# Options that keep programs small and fast (see README.md); --no-argc
# because tmebox-run calls main without arguments.
CSMITH_OPTS=${CSMITH_OPTS:-"--no-argc --max-funcs 6 --max-block-depth 4 --max-array-dim 2 --max-array-len-per-dim 8"}

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)

usage() {
	sed -n "/^# Usage:/,/^set -u/{/^# /s/^# //p}" "$0" >&2
	exit 2
}


# --one SEED: worker mode, run by xargs with the configuration in the
# environment (exported below).  Prints exactly one result line.
one_seed() {
	local seed=$1 d base rc why
	d=$(mktemp -d "$CS_WORK/seed-$seed.XXXXXX")
	base=$d/prog
	result() {	# result KIND MESSAGE [FILE...]
		local kind=$1 msg=$2 line
		shift 2
		case $kind in
			ok) line="ok   seed $seed" ;;
			skip) line="skip seed $seed: $msg" ;;
			*) line="FAIL seed $seed: $msg" ;;
		esac
		if [ "$kind" = fail ] && [ -n "$CS_KEEP" ]; then
			mkdir -p "$CS_KEEP"
			cp "$base.c" "$CS_KEEP/seed-$seed.c"
			{
				echo "seed: $seed"
				echo "outcome: $msg"
				echo "csmith options: --seed $seed $CSMITH_OPTS"
				for f in "$@"; do
					[ -s "$f" ] || continue
					echo "--- $(basename "$f")"
					head -c 4000 "$f"
				done
			} >"$CS_KEEP/seed-$seed.txt"
		fi
		# One write of a short line: lines of parallel workers do not mix.
		if [ "$kind" = fail ] && [ $# -gt 0 ] && [ -s "$1" ]; then
			line="$line
$(head -c 1500 "$1" | head -8 | sed 's/^/     | /')"
		fi
		printf '%s\n' "$line"
		rm -rf "$d"
	}

	# shellcheck disable=SC2086
	# (in $d: csmith writes platform.info into its working directory)
	if ! (cd "$d" && csmith --seed "$seed" $CSMITH_OPTS) >"$base.c" 2>"$base.gerr"; then
		result skip "csmith failed"; return
	fi
	if ! timeout 60 clang-19 -O2 -march=x86-64-v2 -w -I/usr/include/csmith -o "$base.native" \
		"$base.c" -lm 2>"$base.nerr"; then
		result skip "native build failed"; return
	fi
	timeout -k 1 "$CS_NATIVE_TIMEOUT" "$base.native" >"$base.expected" 2>"$base.nstderr"
	rc=$?
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		result skip "native timeout (${CS_NATIVE_TIMEOUT}s)"; return
	elif [ $rc -ne 0 ]; then
		result skip "native exit status $rc"; return
	fi
	echo 0 >>"$base.expected"	# tmebox-run prints main's result

	if ! timeout -k 5 120 "$CS_CC" --sandbox-dir "$CS_SANDBOX_DIR" \
		-I /usr/include/csmith -o "$base.tmbx" "$base.c" >"$base.cerr" 2>&1; then
		grep -v -e 'warning:' -e '^ ' -e 'warnings\? generated' "$base.cerr" >"$base.cerr2"
		result fail "sandbox compile failure" "$base.cerr2" "$base.cerr"; return
	fi
	# --timeout interrupts the sandbox like a query cancel (exit 3,
	# "interrupted"); the outer timeout catches an interrupt that never lands.
	timeout -k 2 $((CS_SANDBOX_TIMEOUT + 5)) "$CS_RUN" \
		--timeout $((CS_SANDBOX_TIMEOUT * 1000)) "$base.tmbx" main \
		>"$base.out" 2>"$base.err"
	rc=$?
	if [ $rc -eq 3 ] && grep -q 'interrupted' "$base.err"; then
		result fail "sandbox timeout (${CS_SANDBOX_TIMEOUT}s)" "$base.err"
	elif [ $rc -eq 3 ]; then
		why=$(grep -m1 '^tmebox-run:' "$base.err")
		result fail "sandbox fault: ${why#tmebox-run: }" "$base.err" "$base.out" "$base.expected"
	elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		result fail "sandbox hang: --timeout did not interrupt" "$base.err"
	elif [ $rc -ne 0 ]; then
		result fail "sandbox crash: tmebox-run exit status $rc" "$base.err"
	elif ! diff -u "$base.expected" "$base.out" >"$base.diff"; then
		result fail "mismatch" "$base.diff"
	else
		result ok ""
	fi
}

if [ "${1:-}" = --one ]; then
	one_seed "$2"
	exit 0
fi

CS_CC="$top/extension/compiler/tmebox-cc"
CS_RUN="$top/extension/run/tmebox-run"
CS_SANDBOX_DIR="$top/extension/sandbox"
CS_NATIVE_TIMEOUT=1
CS_SANDBOX_TIMEOUT=20
CS_KEEP=
jobs=2
seeds=()
while [ $# -gt 0 ]; do
	case "$1" in
		-j) jobs=$2; shift 2 ;;
		--keep-failures) CS_KEEP=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
		--cc) CS_CC=$2; shift 2 ;;
		--run) CS_RUN=$2; shift 2 ;;
		--sandbox-dir) CS_SANDBOX_DIR=$2; shift 2 ;;
		--native-timeout) CS_NATIVE_TIMEOUT=$2; shift 2 ;;
		--sandbox-timeout) CS_SANDBOX_TIMEOUT=$2; shift 2 ;;
		--seeds-file)
			[ -r "$2" ] || { echo "run-csmith: cannot read $2" >&2; exit 2; }
			mapfile -t -O ${#seeds[@]} seeds < <(sed 's/#.*//' "$2" | tr -s ' \t' '\n' | grep .)
			shift 2 ;;
		--range)
			[ $# -ge 3 ] || usage
			mapfile -t -O ${#seeds[@]} seeds < <(seq "$2" $(($2 + $3 - 1)))
			shift 3 ;;
		-h|--help) usage ;;
		-*) usage ;;
		*) seeds+=("$1"); shift ;;
	esac
done
[ ${#seeds[@]} -gt 0 ] || usage
for s in "${seeds[@]}"; do
	case $s in
		''|*[!0-9]*) echo "run-csmith: bad seed '$s'" >&2; exit 2 ;;
	esac
done
case $jobs in 1|2) ;; *) echo "run-csmith: -j must be 1 or 2 (shared machine)" >&2; exit 2 ;; esac
for tool in "$CS_CC" "$CS_RUN"; do
	[ -x "$tool" ] || { echo "run-csmith: $tool is not built" >&2; exit 2; }
done
for tool in csmith clang-19 timeout xargs; do
	command -v $tool >/dev/null || { echo "run-csmith: $tool is not installed" >&2; exit 2; }
done
[ -r /usr/include/csmith/csmith.h ] || { echo "run-csmith: /usr/include/csmith/csmith.h missing (libcsmith-dev)" >&2; exit 2; }

CS_WORK=$(mktemp -d)
trap 'rm -rf "$CS_WORK"' EXIT
trap 'exit 130' INT TERM
export CS_CC CS_RUN CS_SANDBOX_DIR CS_NATIVE_TIMEOUT CS_SANDBOX_TIMEOUT CS_KEEP CS_WORK CSMITH_OPTS

echo "csmith $(csmith --version 2>/dev/null | sed -n 's/^csmith //p' | head -1), options: $CSMITH_OPTS, ${#seeds[@]} seeds, $jobs jobs"
printf '%s\n' "${seeds[@]}" |
	xargs -P "$jobs" -n 1 "$here/run-csmith.sh" --one |
	tee "$CS_WORK/results"
nok=$(grep -c '^ok ' "$CS_WORK/results")
nskip=$(grep -c '^skip ' "$CS_WORK/results")
nfail=$(grep -c '^FAIL ' "$CS_WORK/results")
missing=$((${#seeds[@]} - nok - nskip - nfail))
if [ $missing -gt 0 ]; then
	echo "run-csmith: $missing seeds produced no result"
	nfail=$((nfail + missing))
fi
echo "($nok matched, $nskip skipped for native problems)"
echo "$((nok + nskip)) passed, $nfail failed"
[ $nfail -eq 0 ]
