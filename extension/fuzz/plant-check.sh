#!/bin/bash
# plant-check.sh [SECONDS]
#	Shows that each harness can fail: for each planted bug below, copies
#	the runtime sources to build/plant/NAME/runtime, applies one sed to
#	them (the sed must change the file), builds the harness against the
#	copy and fuzzes it for at most SECONDS (default 120) from the seed
#	corpus.  The plant is "caught" when the harness reports a crash, leak,
#	sanitizer error or oracle failure.  Prints "N passed, N failed"
#	(passed = caught) and exits 1 if any plant went unnoticed.
#
# Invariant: the real runtime sources are never modified.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
limit=${1:-120}
export ASAN_OPTIONS=allow_user_segv_handler=1:detect_leaks=1:abort_on_error=1:symbolize=0
passed=0
failed=0

# NAME HARNESS FILE SED-EXPRESSION
plant() {
	name=$1 harness=$2 file=$3 expr=$4
	d=$here/build/plant/$name
	rm -rf "$d" && mkdir -p "$d/runtime"
	cp "$root"/extension/runtime/*.[ch] "$root"/extension/runtime/runtime.mk "$d/runtime/"
	ln -s "$root/extension/abi" "$d/abi"
	sed -i "$expr" "$d/runtime/$file"
	if cmp -s "$d/runtime/$file" "$root/extension/runtime/$file"; then
		echo "FAIL $name: the plant did not apply to $file"; failed=$((failed + 1)); return
	fi
	if ! make -s -C "$here" B="$d" RT="$d/runtime" "$d/$harness" >"$d/build.log" 2>&1; then
		echo "FAIL $name: build failed (see $d/build.log)"; failed=$((failed + 1)); return
	fi
	seeds=()
	[ -d "$here/seeds/$harness" ] && seeds+=("$here/seeds/$harness")
	[ "$harness" = fuzz_module ] && seeds+=("$here/build/seeds-module")
	mkdir -p "$d/corpus"
	start=$(date +%s)
	if "$d/$harness" -seed=1 -max_total_time="$limit" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$d/" "$d/corpus" "${seeds[@]}" >"$d/fuzz.log" 2>&1; then
		echo "FAIL $name: $harness did not notice within ${limit}s"; failed=$((failed + 1))
	else
		why=$(grep -m1 -oE "fuzz oracle failed: .{0,90}|ERROR: [A-Za-z]+: [A-Za-z-]+|SUMMARY: UndefinedBehaviorSanitizer.{0,60}" "$d/fuzz.log")
		echo "ok   $name: $harness caught it after $(( $(date +%s) - start ))s: $why"
		passed=$((passed + 1))
	fi
}

plant result-length fuzz_call rt_call.c \
	's/if (!rt_view_ok(inst, off + hdr, bytes))/if (!rt_view_ok(inst, off + hdr, 0))/'
plant result-copy-leak fuzz_call rt_call.c 's/own_copy = data;/(void) 0;/'
plant memset-half-check fuzz_host rt_hostcall.c \
	's/memset(rt_host_range(dst, n), (unsigned char) c, n);/memset(rt_host_range(dst, n \/ 2), (unsigned char) c, n);/'
plant log-level-clamp fuzz_host rt_hostcall.c \
	's/if (level > TMEBOX_LOG_WARNING)/if (level > TMEBOX_LOG_WARNING + 1)/'
plant strtod-past-brk fuzz_host rt_hostcall.c 's/n = inst->brk - str;/n = inst->brk - str + 64;/'
plant type-token-length fuzz_module rt_meta.c \
	's/if (strlen(rt_type_names\[i\]) == n \&\& memcmp/if (memcmp/'
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
