#!/bin/bash
#
# run-determinism.sh
#	The same source compiled again gives the same bytes: the module file
#	and the --emit-llvm text, for a handful of varied sources (corpus
#	programs, the printf formatter, switches, floating point, every
#	export type), each compiled 5 times.  The compile cache and sharded
#	deployments compare objects, and an audit rebuilds them.
#
#	Each repeat runs under a different heap layout: besides address-space
#	randomisation, a different glibc malloc mmap threshold, so that a pass
#	whose result depends on pointer order (iteration over a pointer-keyed
#	set or map) shows.  Nothing of the private temp directory may appear in
#	the output either (its name is random).
#
#	usage: run-determinism.sh [TMEBOX_CC]   (TMEBOX_SANDBOX_DIR as for the
#	golden tests; default: this tree's sandbox)
#
set -u
here=$(cd "$(dirname "$0")" && pwd)
cc=${1:-$here/../tmebox-cc}
sandbox=${TMEBOX_SANDBOX_DIR:-$here/../../sandbox}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# the formatter and malloc, with constant arguments
cat > "$work/format.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

static int
describe(char *out, size_t n, const char *what, const void *p, double d)
{
	return snprintf(out, n, "%s(): pointer %p, %d items, %.3f, %-8x|", what, p,
					(int) (d * 3), d, (unsigned) n);
}

int32_t
fmt(int32_t x)
{
	char		msg[128];
	char	   *p = malloc((size_t) (x > 0 ? x : 1));
	int			len = describe(msg, sizeof msg, "fmt", p, x / 7.0);

	len += describe(msg, sizeof msg - 16, "again", NULL, -x * 1.5);
	free(p);
	return len + (int32_t) strlen(msg);
}
C

sources="$here/../../tests/corpus/sorting.c $here/../../tests/corpus/strings_malloc.c
$here/../../tests/corpus/switches.c $here/../../tests/corpus/floating.c
$here/golden/signatures.c $work/format.c"
# heap layouts for the repeats (bytes; glibc's default is 131072)
thresholds="131072 4096 32768 65536 262144"

pass=0
fail=0
for src in $sources; do
	name=$(basename "$src" .c)
	for kind in tmbx ll; do
		opt=""
		[ $kind = ll ] && opt=--emit-llvm
		first=""
		ok=1
		i=0
		for t in $thresholds; do
			i=$((i + 1))
			out="$work/$name.$i.$kind"
			if ! (cd "$work" && GLIBC_TUNABLES=glibc.malloc.mmap_threshold=$t \
				  "$cc" --sandbox-dir "$sandbox" $opt -o "$out" "$src") \
				> "$work/err" 2>&1; then
				echo "FAIL $name.$kind: compile $i failed:"
				sed 's/^/    /' "$work/err"
				ok=0
				break
			fi
			if grep -a -q 'tmebox-cc\.[A-Za-z0-9]\{6\}' "$out"; then
				echo "FAIL $name.$kind: the output names the private temp directory:"
				grep -a -o '.\{0,30\}tmebox-cc\.[A-Za-z0-9]\{6\}.\{0,20\}' "$out" | head -3 | sed 's/^/    /'
				ok=0
				break
			fi
			if [ -z "$first" ]; then
				first=$out
			elif ! cmp -s "$first" "$out"; then
				echo "FAIL $name.$kind: compile $i differs from compile 1"
				if [ $kind = ll ]; then
					diff "$first" "$out" | head -10 | sed 's/^/    /'
				fi
				ok=0
				break
			fi
		done
		if [ $ok = 1 ]; then
			echo "ok   $name.$kind"
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
		fi
	done
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
