/*
 * Arithmetic on integers wider than 128 bits is refused with its line:
 * the code generator lowers a variable shift of a _BitInt(8000) through a
 * native-stack temporary indexed by the shift amount, a form only the
 * verifier stopped (red team s8).  Copying such a value stays allowed.
 */
#include <stdint.h>
#include <string.h>
int64_t copy(int64_t a)
{
	_BitInt(256) x, y;

	memset(&x, 0, sizeof x);
	memcpy(&x, &a, sizeof a);
	y = x;
	memcpy(&a, &y, sizeof a);
	return a;
}
int64_t f(int64_t a, int64_t b)
{
	_BitInt(8000) x = a;

	x <<= (b & 4095);
	return (int64_t) (x >> (b & 2047));
}
