/* qsort with comparators through function pointers, bsearch, and a
 * hand-written merge sort, on deterministic pseudo-random data. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

static uint32_t rng = 12345;
static uint32_t next(void) { rng = rng * 1103515245u + 12345u; return rng >> 8; }

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *) a, y = *(const int *) b;
	return (x > y) - (x < y);
}
static int cmp_desc(const void *a, const void *b) { return cmp_int(b, a); }
struct rec { char key[8]; int value; };
static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : x->value - y->value;
}
static void merge_sort(int *a, int *tmp, int n)
{
	if (n < 2) return;
	int h = n / 2;
	merge_sort(a, tmp, h);
	merge_sort(a + h, tmp, n - h);
	int i = 0, j = h, k = 0;
	while (i < h && j < n) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
	while (i < h) tmp[k++] = a[i++];
	while (j < n) tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof *a);
}

int main(void)
{
	enum { N = 5000 };
	int *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b), *tmp = malloc(N * sizeof *tmp);
	struct rec recs[200];
	uint64_t h = 0;

	for (int i = 0; i < N; i++) a[i] = b[i] = (int) (next() % 100000) - 50000;
	qsort(a, N, sizeof *a, cmp_int);
	merge_sort(b, tmp, N);
	printf("equal = %d min = %d max = %d\n", memcmp(a, b, N * sizeof *a) == 0, a[0], a[N - 1]);
	for (int i = 0; i < N; i += 97) h = h * 1000003u + (uint32_t) a[i];
	printf("hash = %llu\n", (unsigned long long) h);
	int key = a[1234];
	int *found = bsearch(&key, a, N, sizeof *a, cmp_int);
	printf("bsearch = %d\n", found ? *found : -1);
	qsort(a, N, sizeof *a, cmp_desc);
	printf("desc = %d %d\n", a[0], a[N - 1]);
	for (int i = 0; i < 200; i++)
	{
		snprintf(recs[i].key, sizeof recs[i].key, "k%03u", next() % 50);
		recs[i].value = (int) (next() % 1000);
	}
	qsort(recs, 200, sizeof recs[0], cmp_rec);
	printf("recs = %s:%d %s:%d %s:%d\n", recs[0].key, recs[0].value, recs[100].key, recs[100].value, recs[199].key, recs[199].value);
	free(a); free(b); free(tmp);
	return 0;
}
