/*
 * Multiplication and variable shifts of integers wider than 128 bits are
 * refused with their lines: the code generator lowers a variable shift of
 * a _BitInt(8000) through a native-stack temporary indexed by the shift
 * amount, a form only the verifier stopped (red team s8).  Copying such
 * a value, constant shifts and masks stay allowed: clang reads and writes
 * runs of bit-fields (csmith's structs) as wide integers that way.
 */
#include <stdint.h>
#include <string.h>
struct bits
{
	uint64_t	a:60, b:60, c:60, d:60;
};
int64_t copy(int64_t a, struct bits *p)
{
	_BitInt(256) x, y;

	memset(&x, 0, sizeof x);
	memcpy(&x, &a, sizeof a);
	y = x;
	memcpy(&a, &y, sizeof a);
	p->c = (uint64_t) a;
	return a + (int64_t) p->b;
}
int64_t f(int64_t a, int64_t b)
{
	_BitInt(8000) x = a;

	x <<= (b & 4095);
	x = x * x;
	return (int64_t) (x >> (b & 2047));
}
