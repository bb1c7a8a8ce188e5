#!/bin/bash
# run-fuzz.sh BUILD_DIR SECONDS
#	Runs each libFuzzer harness of extension/fuzz: first every input kept
#	under regress/HARNESS/ (crashes found before, now fixed: each must
#	pass), then a fuzzing session of SECONDS seconds (fixed -seed, so a
#	CI run is repeatable) over the seed corpus seeds/HARNESS/ (plus, for
#	fuzz_module, real modules built into BUILD_DIR/seeds-module) and the
#	working corpus BUILD_DIR/corpus-HARNESS, which grows across runs.
#	Prints "ok"/"FAIL" per step and "N passed, N failed"; exits 1 on any
#	crash, leak, sanitizer report or oracle failure.  Reproducers of
#	failures are left in BUILD_DIR/artifacts/.
#
# Invariant: the harnesses run one after the other (the machine is shared)
# and never longer than SECONDS each plus the corpus replay.
set -u
B=$1
SECONDS_EACH=$2
here=$(cd "$(dirname "$0")" && pwd)
# the runtime owns SIGSEGV & co. and chains to ASan's handler (README.md)
export ASAN_OPTIONS=allow_user_segv_handler=1:detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
passed=0
failed=0
mkdir -p "$B/artifacts"

for h in fuzz_call fuzz_host fuzz_module; do
	bin=$B/$h
	log=$B/$h.log
	if [ -d "$here/regress/$h" ] && [ -n "$(ls -A "$here/regress/$h")" ]; then
		if "$bin" -runs=1 "$here"/regress/$h/* >"$log.regress" 2>&1; then
			echo "ok   $h: $(ls "$here/regress/$h" | wc -l) regression inputs"
			passed=$((passed + 1))
		else
			echo "FAIL $h: a regression input fails (see $log.regress)"
			grep -E "ERROR|oracle|SUMMARY" "$log.regress" | head -5
			failed=$((failed + 1))
		fi
	fi
	seeds=()
	[ -d "$here/seeds/$h" ] && seeds+=("$here/seeds/$h")
	[ "$h" = fuzz_module ] && seeds+=("$B/seeds-module")
	mkdir -p "$B/corpus-$h"
	if "$bin" -seed=1 -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$B/artifacts/$h-" \
		"$B/corpus-$h" "${seeds[@]}" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok   $h: $runs inputs in ${SECONDS_EACH}s, no crash"
		passed=$((passed + 1))
	else
		echo "FAIL $h: see $log, reproducer in $B/artifacts/"
		grep -E "ERROR|oracle|SUMMARY" "$log" | head -5
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
