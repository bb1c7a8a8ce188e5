#!/bin/bash
# bench/sql/gen-big-module.sh -- print a ~2 000-line C module for the
# compile-latency suite: NFUNC exported functions (default 66) of 30
# lines each (loops, a switch, a local array, a struct, string handling,
# floating point), plus helpers, so that every stage of tmebox-cc (front
# end, libclang signature scan, instrumentation, code generation, link)
# sees a realistic amount of code.
#
# Invariants: deterministic output (the same text for the same NFUNC); the
# module compiles with tmebox-cc and exports big_0 .. big_{NFUNC-1}, each
# int32_t big_K(int32_t).

set -euo pipefail

NFUNC=${1:-66}

cat <<'EOF'
#include <stdint.h>
#include <string.h>
#include <tmebox.h>

typedef struct big_pair
{
	int32_t		a;
	int32_t		b;
	double		w;
} big_pair;

static int32_t
big_mix(int32_t x, int32_t k)
{
	uint32_t	u = (uint32_t) x * 2654435761u + (uint32_t) k;

	u ^= u >> 15;
	return (int32_t) (u & 0x7fffffff);
}

EOF

for ((k = 0; k < NFUNC; k++)); do
	cat <<EOF
int32_t
big_$k(int32_t x)
{
	int32_t		acc[8];
	big_pair	p = {x, $k, 0.5 * $k};
	char		s[32];
	int			n = 0;

	for (int i = 0; i < 8; i++)
		acc[i] = big_mix(x + i, $k);
	for (int i = 0; i < (x & 15) + $((k % 7 + 1)); i++)
	{
		switch ((acc[i & 7] + i) % 5)
		{
			case 0: p.a += i * $((k + 3)); break;
			case 1: p.b ^= p.a >> 3; break;
			case 2: p.w = p.w * 0.75 + i; break;
			case 3: acc[(i + 1) & 7] -= p.b; break;
			default: p.a = big_mix(p.a, i); break;
		}
	}
	while (n < 31 && n < (p.a & 31))
	{
		s[n] = 'a' + (char) ((p.b + n) % 26);
		n++;
	}
	s[n] = '\0';
	return p.a + p.b + (int32_t) p.w + (int32_t) strlen(s) + acc[$((k % 8))];
}

EOF
done
