/*-------------------------------------------------------------------------
 *
 * lz4_driver.c
 *		Differential driver for LZ4 (lz4/lz4.c, unmodified upstream,
 *		compiled into this translation unit): compresses generated inputs
 *		of every kind and many sizes with LZ4_compress_default, _fast
 *		(several accelerations) and _destSize, decompresses them again
 *		with LZ4_decompress_safe / _safe_partial, and feeds corrupted and
 *		truncated blocks to the safe decoder.  Prints sizes, results and
 *		hashes; native and sandboxed output must be identical.
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz4.c"
#include "tp_common.h"

static const int sizes[] = {0, 1, 7, 16, 64, 255, 1000, 4096, 65535, 65536, 100000, 300000};

int
main(void)
{
	int			nsizes = (int) (sizeof(sizes) / sizeof(sizes[0]));
	int			failures = 0;

	printf("lz4 %s\n", LZ4_versionString());
	for (int k = 0; k < TP_KINDS; k++)
		for (int s = 0; s < nsizes; s++)
		{
			int			n = sizes[s];
			int			bound = LZ4_compressBound(n);
			unsigned char *in = malloc((size_t) n + 1);
			char	   *comp = malloc((size_t) bound + 1);
			char	   *back = malloc((size_t) n + 1);
			int			clen,
						dlen;

			tp_fill(in, (size_t) n, k);
			clen = LZ4_compress_default((const char *) in, comp, n, bound);
			dlen = LZ4_decompress_safe(comp, back, clen, n);
			if (dlen != n || memcmp(in, back, (size_t) n) != 0)
				failures++;
			printf("kind %d size %d: default %d %016llx", k, n, clen,
				   (unsigned long long) tp_fnv(comp, (size_t) clen));
			for (int accel = 2; accel <= 64; accel *= 4)
			{
				int			c2 = LZ4_compress_fast((const char *) in, comp, n, bound, accel);
				int			d2 = LZ4_decompress_safe(comp, back, c2, n);

				if (d2 != n || memcmp(in, back, (size_t) n) != 0)
					failures++;
				printf(" fast%d %d %016llx", accel, c2,
					   (unsigned long long) tp_fnv(comp, (size_t) c2));
			}
			if (n > 0)
			{
				int			src = n;
				int			target = bound / 3 + 1;
				int			c3 = LZ4_compress_destSize((const char *) in, comp, &src, target);
				int			d3 = LZ4_decompress_safe(comp, back, c3, n);
				int			part = LZ4_decompress_safe_partial(comp, back, c3, src / 2, n);

				if (d3 != src || memcmp(in, back, (size_t) src) != 0)
					failures++;
				printf(" destsize %d->%d %d", target, src, part);
			}
			printf("\n");
			/* hostile blocks: the safe decoder must stay in bounds */
			if (clen > 0)
			{
				for (int t = 0; t < 8; t++)
				{
					char	   *bad = malloc((size_t) clen);
					int			r;

					memcpy(bad, comp, (size_t) clen);
					bad[tp_rand() % (unsigned) clen] ^= (char) (1 + tp_rand() % 255);
					r = LZ4_decompress_safe(bad, back, (int) (tp_rand() % (unsigned) clen) + 1, n);
					printf("  corrupt %d: %d %016llx\n", t, r,
						   (unsigned long long) (r > 0 ? tp_fnv(back, (size_t) r) : 0));
					free(bad);
				}
			}
			free(in);
			free(comp);
			free(back);
		}
	printf("round-trip failures: %d\n", failures);
	return failures;
}
