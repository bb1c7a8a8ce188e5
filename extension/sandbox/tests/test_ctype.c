/*-------------------------------------------------------------------------
 *
 * test_ctype.c
 *		ctype of the sandbox libc against glibc's C locale for EOF and all
 *		256 unsigned char values, plus out-of-range arguments.
 *
 * Invariants: glibc is in the "C" locale (the program never calls
 * setlocale).
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>

#include "tmb.h"

void
test_ctype(void)
{
	int			bad = 0;

	for (int c = -1; c < 256; c++)
	{
#define SAME(fn) \
		if ((fn(c) != 0) != (tmb_##fn(c) != 0) && bad++ < 10) \
			fprintf(stderr, "  %s(%d): glibc %d tmb %d\n", #fn, c, fn(c), tmb_##fn(c))
		SAME(isalnum);
		SAME(isalpha);
		SAME(isblank);
		SAME(iscntrl);
		SAME(isdigit);
		SAME(isgraph);
		SAME(islower);
		SAME(isprint);
		SAME(ispunct);
		SAME(isspace);
		SAME(isupper);
		SAME(isxdigit);
		if (tolower(c) != tmb_tolower(c) || toupper(c) != tmb_toupper(c))
			bad++;
	}
	CHECK(bad == 0, "ctype: %d mismatches", bad);
	CHECK(tmb_isalpha(-2) == 0 && tmb_isalpha(256 + 'a') == 0 &&
		  tmb_toupper(-5) == -5 && tmb_toupper(1000) == 1000,
		  "out-of-range arguments");
}
