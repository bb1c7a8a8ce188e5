#!/bin/bash
# tests/run-signals.sh
#	tmebox-cc dying of a signal (LLVM's abort(), a crash, a kill) removes
#	its temporary directory, which holds a copy of the tenant's source:
#	for each signal, a compile is started, the signal is sent to tmebox-cc
#	while it works (once clang's bitcode exists, i.e. in the libclang
#	parse or in LLVM), and then tmebox-cc must have died of that signal
#	(no exit status of its own: the handler re-raises it) and its private
#	TMPDIR must be empty.
#
#	Environment: TMEBOX_CC (default ../tmebox-cc), TMEBOX_SANDBOX_DIR
#	(default ../../sandbox).  Prints "N passed, N failed"; exit 1 on any
#	failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
CC=${TMEBOX_CC:-$here/../tmebox-cc}
SB=${TMEBOX_SANDBOX_DIR:-$here/../../sandbox}
pass=0
fail=0
for sig in ABRT SEGV BUS ILL FPE TERM INT HUP; do
	work=$(mktemp -d /tmp/tmebox-signals.XXXXXX)
	mkdir "$work/tmp"
	# seconds in LLVM (a 64 KiB vector value live across a call; the
	# compile fails in the end: its frame is too large; golden/frame_huge)
	cat >"$work/slow.c" <<'C'
typedef long long big __attribute__((vector_size(65536)));
long long g[8192], h[8192];
long n;
__attribute__((noinline)) static void touch(void) { g[n & 8191] = n; n++; }
void set(int i) { big v; __builtin_memcpy(&v, g, sizeof v); v *= i; touch(); v += n; __builtin_memcpy(h, &v, sizeof v); }
long long get(int i) { return h[i & 8191]; }
C
	TMPDIR="$work/tmp" "$CC" --sandbox-dir "$SB" -o "$work/out.tmbx" "$work/slow.c" \
		>/dev/null 2>"$work/stderr" &
	pid=$!
	# wait for clang's bitcode in the private directory (at most 20 s)
	i=0
	while [ $i -lt 200 ] && ! ls "$work"/tmp/tmebox-cc.*/input.bc >/dev/null 2>&1; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.5
	kill -s "$sig" "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	status=$?
	why=""
	[ $i -lt 200 ] || why="$why never saw the bitcode;"
	signo=$(kill -l "$sig")
	[ "$status" = $((128 + signo)) ] || why="$why exit status $status, expected death by SIG$sig;"
	[ -z "$(ls -A "$work/tmp")" ] || why="$why temporary directory left behind: $(ls "$work/tmp");"
	[ ! -e "$work/out.tmbx" ] || why="$why output written;"
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		echo "ok   SIG$sig"
	else
		fail=$((fail + 1))
		echo "FAIL SIG$sig:$why"
	fi
	rm -rf "$work"
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
