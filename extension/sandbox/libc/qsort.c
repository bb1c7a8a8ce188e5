/*-------------------------------------------------------------------------
 *
 * qsort.c
 *		Sandbox libc: qsort (introsort) and bsearch.
 *
 * qsort is an introsort: median-of-three quicksort that recurses only into
 * the smaller partition (so the recursion depth is at most log2(n)),
 * switches to heapsort for a range once the partitioning depth exceeds
 * 2*log2(n) (so the worst case is O(n log n) comparisons), and finishes
 * ranges of at most 16 elements with insertion sort.  Not stable (the
 * standard does not require it).
 *
 * Invariants: the comparator is only called with pointers to elements of
 * the array, even when it is inconsistent; elements are moved only by swapping whole elements; the
 * recursion depth is bounded by log2(nmemb) + 1.
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <stdint.h>

typedef int (*cmp_fn) (const void *, const void *);

#define INSERTION_MAX 16

static void
swap_bytes(char *a, char *b, size_t size)
{
	if (a == b)
		return;
	if (size % sizeof(uint64_t) == 0 &&
		((uintptr_t) a | (uintptr_t) b) % _Alignof(uint64_t) == 0)
	{
		uint64_t   *wa = (uint64_t *) a;
		uint64_t   *wb = (uint64_t *) b;

		for (size_t i = 0; i < size / sizeof(uint64_t); i++)
		{
			uint64_t	t = wa[i];

			wa[i] = wb[i];
			wb[i] = t;
		}
		return;
	}
	for (size_t i = 0; i < size; i++)
	{
		char		t = a[i];

		a[i] = b[i];
		b[i] = t;
	}
}

static void
insertion_sort(char *base, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t i = 1; i < n; i++)
	{
		for (size_t j = i; j > 0; j--)
		{
			char	   *cur = base + j * size;
			char	   *prev = cur - size;

			if (cmp(prev, cur) <= 0)
				break;
			swap_bytes(prev, cur, size);
		}
	}
}

static void
sift_down(char *base, size_t root, size_t n, size_t size, cmp_fn cmp)
{
	for (;;)
	{
		size_t		child = 2 * root + 1;
		size_t		largest = root;

		if (child < n && cmp(base + child * size, base + largest * size) > 0)
			largest = child;
		if (child + 1 < n &&
			cmp(base + (child + 1) * size, base + largest * size) > 0)
			largest = child + 1;
		if (largest == root)
			return;
		swap_bytes(base + root * size, base + largest * size, size);
		root = largest;
	}
}

static void
heap_sort(char *base, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t i = n / 2; i > 0; i--)
		sift_down(base, i - 1, n, size, cmp);
	for (size_t end = n; end > 1; end--)
	{
		swap_bytes(base, base + (end - 1) * size, size);
		sift_down(base, 0, end - 1, size, cmp);
	}
}

/* Index of the median of elements i, j, k. */
static size_t
median3(char *base, size_t i, size_t j, size_t k, size_t size, cmp_fn cmp)
{
	char	   *a = base + i * size;
	char	   *b = base + j * size;
	char	   *c = base + k * size;

	if (cmp(a, b) < 0)
	{
		if (cmp(b, c) < 0)
			return j;
		return cmp(a, c) < 0 ? k : i;
	}
	if (cmp(a, c) < 0)
		return i;
	return cmp(b, c) < 0 ? k : j;
}

static void
introsort(char *base, size_t n, size_t size, cmp_fn cmp, int depth)
{
	while (n > INSERTION_MAX)
	{
		size_t		m,
					i,
					j;

		if (depth-- <= 0)
		{
			heap_sort(base, n, size, cmp);
			return;
		}
		/* Pivot to position 0, then Hoare partition around it. */
		m = median3(base, 0, n / 2, n - 1, size, cmp);
		swap_bytes(base, base + m * size, size);
		i = 0;
		j = n;
		for (;;)
		{
			do
				i++;
			while (i < n && cmp(base + i * size, base) < 0);
			do
				j--;
			while (j > 0 && cmp(base + j * size, base) > 0);
			if (i >= j)
				break;
			swap_bytes(base + i * size, base + j * size, size);
		}
		/* base[0] is the pivot; base[1..j] <= pivot <= base[j+1..n-1] */
		swap_bytes(base, base + j * size, size);
		/* Recurse into the smaller side, loop on the larger one. */
		if (j < n - j - 1)
		{
			introsort(base, j, size, cmp, depth);
			base += (j + 1) * size;
			n -= j + 1;
		}
		else
		{
			introsort(base + (j + 1) * size, n - j - 1, size, cmp, depth);
			n = j;
		}
	}
	insertion_sort(base, n, size, cmp);
}

void
qsort(void *base, size_t nmemb, size_t size,
	  int (*compar) (const void *, const void *))
{
	int			depth = 0;

	if (nmemb < 2 || size == 0)
		return;
	for (size_t n = nmemb; n > 1; n >>= 1)
		depth += 2;
	introsort(base, nmemb, size, compar, depth);
}

void *
bsearch(const void *key, const void *base, size_t nmemb, size_t size,
		int (*compar) (const void *, const void *))
{
	const char *lo = base;

	while (nmemb > 0)
	{
		const char *mid = lo + (nmemb / 2) * size;
		int			c = compar(key, mid);

		if (c == 0)
			return (void *) mid;
		if (c > 0)
		{
			lo = mid + size;
			nmemb -= nmemb / 2 + 1;
		}
		else
			nmemb /= 2;
	}
	return NULL;
}
