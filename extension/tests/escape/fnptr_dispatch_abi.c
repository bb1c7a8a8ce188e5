/* Function-pointer calls go through one dispatcher per function type
 * (an internal function: switch over the index, a direct call per
 * function of that type).  Arguments and results that need extension
 * (char, short, bool), structs returned through a hidden pointer, doubles
 * and many arguments pass through it unchanged. */
// EXPECT-OUTPUT: fnptr -3 65535 1 255 12.0 46 36
#include <stdbool.h>
#include <stdio.h>
struct pair { long a, b, c; };
typedef signed char (*sc_fn)(signed char);
typedef unsigned short (*us_fn)(unsigned short, bool);
typedef bool (*b_fn)(unsigned char);
typedef struct pair (*p_fn)(long, double);
typedef long (*many_fn)(long, long, long, long, long, long, long, long);
__attribute__((noinline)) static signed char neg(signed char x) { return (signed char) -x; }
__attribute__((noinline)) static signed char dbl(signed char x) { return (signed char) (x * 2); }
__attribute__((noinline)) static unsigned short dec(unsigned short x, bool b) { return (unsigned short) (x - (b ? 5 : 1)); }
__attribute__((noinline)) static bool odd(unsigned char x) { return x & 1; }
__attribute__((noinline)) static struct pair mk(long a, double d) { struct pair p = {a, (long) (d * 2), a + 3}; return p; }
__attribute__((noinline)) static long sum8(long a, long b, long c, long d, long e, long f, long g, long h) { return a + b + c + d + e + f + g + h; }
sc_fn volatile scs[2] = {neg, dbl};
us_fn volatile us = dec;
b_fn volatile bf = odd;
p_fn volatile pf = mk;
many_fn volatile mf = sum8;
int main(void)
{
	volatile int k = 0;
	signed char c = scs[k](3);
	unsigned short u = us(4, true);
	bool b = bf(255);
	unsigned char uc = (unsigned char) scs[k + 1]((signed char) -128) - 1;
	struct pair p = pf(20, 6.25);
	long m = mf(1, 2, 3, 4, 5, 6, 7, 8);
	printf("fnptr %d %u %d %u %.1f %ld %ld\n", c, u, b, uc, p.b / 1.0, p.a + p.c + (long) b + 2, m);
	return 0;
}
