/*-------------------------------------------------------------------------
 *
 * test_qsort.c
 *		qsort and bsearch of the sandbox libc: random, sorted, reversed,
 *		all-equal and organ-pipe arrays of several element sizes against a
 *		reference (glibc qsort), a comparison-count bound that a quadratic
 *		sort would break (median-of-3 killer input), and bsearch hits and
 *		misses.
 *
 * Invariants: deterministic (fixed seeds).
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "tmb.h"

static long ncmp;

static int
cmp_int(const void *a, const void *b)
{
	int			x = *(const int *) a,
				y = *(const int *) b;

	ncmp++;
	return (x > y) - (x < y);
}

typedef struct
{
	unsigned	key;
	char		pad[9];			/* odd size: byte-wise swaps */
} rec13;

static int
cmp_rec(const void *a, const void *b)
{
	unsigned	x = ((const rec13 *) a)->key,
				y = ((const rec13 *) b)->key;

	return (x > y) - (x < y);
}

static unsigned long long rng = 88172645463325252ULL;

static unsigned
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned) rng;
}

static void
fill(int *a, size_t n, int kind)
{
	for (size_t i = 0; i < n; i++)
	{
		switch (kind)
		{
			case 0:
				a[i] = (int) next_rand();
				break;
			case 1:
				a[i] = (int) i;
				break;
			case 2:
				a[i] = (int) (n - i);
				break;
			case 3:
				a[i] = 7;
				break;
			case 4:
				a[i] = (int) (i < n / 2 ? i : n - i);
				break;
			default:
				a[i] = (int) (next_rand() % 5);
				break;
		}
	}
}

void
test_qsort(void)
{
	static const size_t sizes[] = {0, 1, 2, 3, 15, 16, 17, 100, 1000, 20000};
	int			bad = 0;

	for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
	{
		size_t		n = sizes[si];

		for (int kind = 0; kind < 6; kind++)
		{
			int		   *a = malloc((n + 1) * sizeof(int));
			int		   *b = malloc((n + 1) * sizeof(int));

			fill(a, n, kind);
			memcpy(b, a, n * sizeof(int));
			qsort(a, n, sizeof(int), cmp_int);
			ncmp = 0;
			tmb_qsort(b, n, sizeof(int), cmp_int);
			if (memcmp(a, b, n * sizeof(int)) != 0)
			{
				if (bad++ < 5)
					fprintf(stderr, "  qsort n=%zu kind=%d differs\n", n, kind);
			}
			/* O(n log n): at most ~ 4 n log2 n comparisons here */
			if (n > 16)
			{
				double		lg = 0;

				for (size_t m = n; m > 1; m >>= 1)
					lg++;
				if ((double) ncmp > 4.0 * (double) n * lg + 100)
				{
					if (bad++ < 5)
						fprintf(stderr, "  qsort n=%zu kind=%d: %ld comparisons\n",
								n, kind, ncmp);
				}
			}
			/* bsearch: every element is found, absent keys are not */
			for (size_t i = 0; i < n && kind == 1; i++)
			{
				int			key = (int) i;
				int		   *hit = tmb_bsearch(&key, b, n, sizeof(int), cmp_int);
				int			miss = -1 - (int) i;

				if (hit == NULL || *hit != key ||
					tmb_bsearch(&miss, b, n, sizeof(int), cmp_int) != NULL)
				{
					if (bad++ < 5)
						fprintf(stderr, "  bsearch n=%zu key=%d\n", n, key);
					break;
				}
			}
			free(a);
			free(b);
		}
	}
	CHECK(bad == 0, "qsort/bsearch: %d failures", bad);

	/* odd element size, records with duplicate keys */
	{
		enum { N = 5000 };
		static rec13 r[N],
					s[N];

		for (int i = 0; i < N; i++)
		{
			r[i].key = next_rand() % 1000;
			memset(r[i].pad, (int) r[i].key, sizeof r[i].pad);
		}
		memcpy(s, r, sizeof r);
		tmb_qsort(s, N, sizeof(rec13), cmp_rec);
		bad = 0;
		for (int i = 0; i < N; i++)
		{
			if ((i > 0 && s[i - 1].key > s[i].key) ||
				s[i].pad[0] != (char) s[i].key || s[i].pad[8] != (char) s[i].key)
				bad++;
		}
		CHECK(bad == 0, "qsort of 13-byte records: %d bad", bad);
	}

	/* median-of-3 killer: quadratic for naive quicksort */
	{
		enum { N = 1 << 14 };
		static int	a[N];
		long		lim;

		for (int i = 0; i < N / 2; i++)
		{
			a[i] = (i % 2 == 0) ? i + 1 : N / 2 + i;
			a[N / 2 + i] = 2 * (i + 1);
		}
		ncmp = 0;
		tmb_qsort(a, N, sizeof(int), cmp_int);
		lim = 4L * N * 14 + 100;
		bad = 0;
		for (int i = 1; i < N; i++)
			bad += a[i - 1] > a[i];
		CHECK(bad == 0 && ncmp <= lim, "killer input: %d unsorted, %ld comparisons (limit %ld)",
			  bad, ncmp, lim);
	}
}
