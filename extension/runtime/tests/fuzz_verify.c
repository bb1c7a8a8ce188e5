/*-------------------------------------------------------------------------
 *
 * fuzz_verify.c
 *		Mutation fuzzer for the module parser and the ELF check: feeds
 *		20000 corrupted / truncated copies of a module file (each in a
 *		malloc block of exactly its size) to tmebox_module_parse and
 *		tmebox_module_verify.  Built with ASan + UBSan by `make fuzz`, so
 *		any out-of-bounds read or undefined behaviour aborts the run.
 *
 *		usage: fuzz_verify MODULE_FILE
 *
 * Invariant: never maps the object (verify only), so a mutant that passes
 * the checks cannot run; the fuzzer proves the checks themselves are
 * memory-safe on hostile input.
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tmebox_rt.h"

int
main(int argc, char **argv)
{
	FILE	   *f;
	long		n;
	char	   *b;
	unsigned	seed = 1;
	char		err[256];
	int			accepted = 0,
				it;
	uint32_t	mlen;

	if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL)
	{
		fprintf(stderr, "usage: fuzz_verify MODULE_FILE\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc(n);
	if (b == NULL || n < 24 || fread(b, 1, n, f) != (size_t) n)
		return 2;
	fclose(f);
	memcpy(&mlen, b + 12, 4);
	for (it = 0; it < 20000; it++)
	{
		long		len = (it % 5 == 0) ? rand_r(&seed) % n : n;
		char	   *c = malloc(len ? len : 1);
		int			flips = 1 + rand_r(&seed) % 6,
					k;
		tmebox_module_info *info;

		memcpy(c, b, len);
		/* keep the header consistent with a truncated object */
		if (len > 24 + (long) mlen)
		{
			uint64_t	objlen = (uint64_t) (len - 24 - mlen);

			memcpy(c + 16, &objlen, 8);
		}
		for (k = 0; k < flips && len > 0; k++)
		{
			long		pos = (rand_r(&seed) % 2) ?
				24 + (long) mlen + rand_r(&seed) % 5000 : rand_r(&seed) % len;

			if (pos < len)
				c[pos] = (char) (rand_r(&seed) & 0xff);
		}
		if (tmebox_module_parse(c, len, &info, err, sizeof(err)) == 0)
			tmebox_module_info_free(info);
		if (tmebox_module_verify(c, len, err, sizeof(err)) == 0)
			accepted++;
		free(c);
	}
	free(b);
	printf("fuzz_verify: 20000 mutants checked, %d still acceptable, no memory error\n",
		   accepted);
	return 0;
}
