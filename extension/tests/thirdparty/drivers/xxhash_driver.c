/*-------------------------------------------------------------------------
 *
 * xxhash_driver.c
 *		Differential driver for xxHash (xxhash/xxhash.c, unmodified
 *		upstream, compiled into this translation unit): XXH32 and XXH64 of
 *		generated inputs of every kind, many sizes, several seeds and
 *		every misalignment, one-shot and streaming (random chunking, heap
 *		states from XXH*_createState), plus the canonical forms.  Prints
 *		the hashes; native and sandboxed output must be identical.
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xxhash.c"
#include "tp_common.h"

static const size_t sizes[] = {0, 1, 3, 4, 15, 16, 31, 32, 33, 100, 1023, 4096, 100003};
static const unsigned long long seeds[] = {0, 1, 0x9e3779b1, 0xffffffffffffffffULL};

int
main(void)
{
	size_t		nsizes = sizeof(sizes) / sizeof(sizes[0]);
	unsigned char *buf = malloc(100003 + 16);
	int			mismatches = 0;

	printf("xxhash %u\n", XXH_versionNumber());
	for (int k = 0; k < TP_KINDS; k++)
		for (size_t s = 0; s < nsizes; s++)
			for (size_t sd = 0; sd < sizeof(seeds) / sizeof(seeds[0]); sd++)
			{
				size_t		n = sizes[s];
				unsigned long long seed = seeds[sd];
				XXH32_state_t *s32 = XXH32_createState();
				XXH64_state_t *s64 = XXH64_createState();
				XXH32_hash_t h32;
				XXH64_hash_t h64;
				XXH64_canonical_t c64;
				size_t		done = 0;

				tp_fill(buf, n + 16, k);
				h32 = XXH32(buf, n, (unsigned) seed);
				h64 = XXH64(buf, n, seed);
				/* every misalignment gives the same hash */
				for (size_t m = 1; m < 8; m++)
				{
					memmove(buf + m, buf + m - 1, n);
					if (XXH32(buf + m, n, (unsigned) seed) != h32 ||
						XXH64(buf + m, n, seed) != h64)
						mismatches++;
				}
				memmove(buf, buf + 7, n);
				XXH32_reset(s32, (unsigned) seed);
				XXH64_reset(s64, seed);
				while (done < n)
				{
					size_t		c = 1 + tp_rand() % 300;

					if (c > n - done)
						c = n - done;
					XXH32_update(s32, buf + done, c);
					XXH64_update(s64, buf + done, c);
					done += c;
				}
				if (XXH32_digest(s32) != h32 || XXH64_digest(s64) != h64)
					mismatches++;
				XXH64_canonicalFromHash(&c64, h64);
				printf("kind %d size %zu seed %llx: %08x %016llx %016llx\n", k, n, seed,
					   (unsigned) h32, (unsigned long long) h64,
					   (unsigned long long) XXH64_hashFromCanonical(&c64));
				XXH32_freeState(s32);
				XXH64_freeState(s64);
			}
	printf("streaming/alignment mismatches: %d\n", mismatches);
	free(buf);
	return mismatches;
}
