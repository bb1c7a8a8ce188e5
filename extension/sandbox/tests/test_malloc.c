/*-------------------------------------------------------------------------
 *
 * test_malloc.c
 *		The sandbox allocator: random malloc/realloc/free stress with
 *		content checks (every live block filled with its own pattern, so an
 *		overlap or a lost realloc copy shows), 16-byte alignment, reuse
 *		after free, aligned_alloc/posix_memalign, calloc zeroing, overflow
 *		requests returning NULL, invalid/double free raising an error, the
 *		cache of small freed blocks, and the trim of a large free top of
 *		the heap.
 *
 * Invariants: deterministic; stays below the harness's 256 MiB sbrk
 * arena (at most about 130 MiB at once).
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tmb.h"

#define SLOTS 512

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;

static unsigned
next_rand(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned) (rng >> 33);
}

static size_t
random_size(void)
{
	unsigned	r = next_rand() % 100;

	if (r < 5)
		return 0;
	if (r < 60)
		return next_rand() % 64;
	if (r < 90)
		return next_rand() % 2048;
	if (r < 99)
		return next_rand() % 70000;
	return next_rand() % 3000000;
}

static int
check_fill(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static void
free_bad(void *arg)
{
	tmb_free(arg);
}

/*
 * Memory comes back: a large free top of the heap lowers the break (the
 * host's sbrk total), live blocks keep their contents, a free block under
 * a live one waits for it, and a buffer allocated and freed again and
 * again is trimmed at most once (the threshold adapts).
 */
static void
test_trim(void)
{
	const size_t big = (size_t) 64 << 20;
	const size_t mid = (size_t) 12 << 20;
	uint64_t	before = tmb_sbrk_total;
	unsigned char *keep = tmb_malloc(1000);
	unsigned char *p;
	unsigned char *q;
	int			trims = 0;

	memset(keep, 0xC3, 1000);
	for (int i = 0; i < 4; i++)
	{
		uint64_t	top;

		p = tmb_malloc(mid);
		memset(p, i, mid);
		top = tmb_sbrk_total;
		tmb_free(p);
		trims += tmb_sbrk_total < top;
	}
	CHECK(trims <= 1, "a 12 MiB buffer freed 4 times was trimmed %d times", trims);

	before = tmb_sbrk_total;
	p = tmb_malloc(big);
	memset(p, 0x11, big);
	CHECK(tmb_sbrk_total >= before + big / 2, "64 MiB taken from sbrk");
	tmb_free(p);
	CHECK(tmb_sbrk_total <= before + (256 << 10) + 4096,
		  "64 MiB freed: break back down (%llu above where it was)",
		  (unsigned long long) (tmb_sbrk_total - before));
	CHECK(check_fill(keep, 1000, 0xC3), "a live block below keeps its contents");

	/* a free block under a live one waits for it */
	before = tmb_sbrk_total;
	p = tmb_malloc(big);
	q = tmb_malloc(100);
	memset(q, 0x5A, 100);
	tmb_free(p);
	CHECK(tmb_sbrk_total >= before + big / 2, "free block under a live one stays");
	CHECK(check_fill(q, 100, 0x5A), "the live block above keeps its contents");
	tmb_free(q);
	CHECK(tmb_sbrk_total <= before + (256 << 10) + 4096,
		  "freeing the live block above trims both (%llu above)",
		  (unsigned long long) (tmb_sbrk_total - before));
	/* the heap still works after trims */
	p = tmb_malloc(5 << 20);
	memset(p, 1, 5 << 20);
	q = tmb_realloc(p, 40 << 20);
	CHECK(q != NULL && check_fill(q, 5 << 20, 1), "realloc across a trimmed top");
	tmb_free(q);
	tmb_free(keep);
}

static void
realloc_bad(void *arg)
{
	tmb_realloc(arg, 10);
}

static void
malloc_bad(void *arg)
{
	(void) arg;
	tmb_malloc(10);
}

/*
 * The pending-free slot (the host's free of a result without entering the
 * sandbox again): __tmebox_rt_malloc(TMEBOX_RT_PENDING_FREE_QUERY, i.e.
 * UINT64_MAX) gives its address; a block written there is freed by the
 * next malloc (which can hand it out again), free and realloc (also one
 * that stays in place), once; a bad pointer there raises free's error.
 */
static void
test_pending(void)
{
	uint64_t   *slot = (uint64_t *) (uintptr_t) tmb___tmebox_rt_malloc(UINT64_MAX);
	unsigned char *p;
	unsigned char *q;
	int			r;

	CHECK(slot != NULL && *slot == 0, "pending-free slot: %p", (void *) slot);
	if (slot == NULL)
		return;
	p = tmb_malloc(40);
	*slot = (uint64_t) (uintptr_t) p;
	q = tmb_malloc(40);
	CHECK(*slot == 0 && q == p, "malloc frees the pending block first (and reuses it)");
	*slot = (uint64_t) (uintptr_t) q;
	p = tmb_malloc(5000);
	CHECK(*slot == 0 && p != q, "a request of another size: the pending block freed, not used");
	r = tmb_catch(free_bad, q);
	CHECK(r == 1 && strstr(tmb_host_msg, "free(): invalid pointer"),
		  "... so freeing it again is a double free: %d %s", r, tmb_host_msg);
	tmb_free(p);
	q = tmb_malloc(40);
	*slot = (uint64_t) (uintptr_t) q;
	tmb_free(NULL);
	CHECK(*slot == 0, "free empties the slot");
	r = tmb_catch(free_bad, q);
	CHECK(r == 1 && strstr(tmb_host_msg, "free(): invalid pointer"),
		  "the pending block was freed by free: %d %s", r, tmb_host_msg);
	p = tmb_malloc(40);
	q = tmb_malloc(200);
	*slot = (uint64_t) (uintptr_t) p;
	CHECK(tmb_realloc(q, 20) == q && *slot == 0, "realloc in place empties the slot");
	r = tmb_catch(free_bad, p);
	CHECK(r == 1, "the pending block was freed by realloc: %d", r);
	tmb_free(q);
	*slot = (uint64_t) (uintptr_t) &rng;
	r = tmb_catch(malloc_bad, NULL);
	CHECK(r == 1 && strstr(tmb_host_msg, "free(): invalid pointer") && *slot == 0,
		  "a bad pending pointer raises free's error: %d %s", r, tmb_host_msg);
	p = tmb_malloc(100);
	CHECK(p != NULL, "malloc after a bad pending pointer");
	tmb_free(p);
}

/*
 * The cache of small freed chunks: a freed small block comes back first,
 * a cached block is still a freed pointer (free and realloc raise), and a
 * cached block above a large freed one does not keep the heap from being
 * trimmed.
 */
static void
test_cache(void)
{
	const size_t big = (size_t) 64 << 20;
	unsigned char *p = tmb_malloc(40);
	unsigned char *q;
	uint64_t	before;
	int			r;

	tmb_free(p);
	q = tmb_malloc(33);			/* same chunk size */
	CHECK(q == p, "a freed small block comes back first: %p vs %p", (void *) p, (void *) q);
	tmb_free(q);
	r = tmb_catch(free_bad, q);
	CHECK(r == 1 && strstr(tmb_host_msg, "free(): invalid pointer"),
		  "double free of a cached block: %d %s", r, tmb_host_msg);
	r = tmb_catch(realloc_bad, q);
	CHECK(r == 1 && strstr(tmb_host_msg, "realloc(): invalid pointer"),
		  "realloc of a cached block: %d %s", r, tmb_host_msg);

	before = tmb_sbrk_total;
	p = tmb_malloc(big);
	q = tmb_malloc(100);
	memset(p, 0x22, big);
	tmb_free(q);				/* cached: in use for the heap */
	tmb_free(p);
	CHECK(tmb_sbrk_total <= before + (256 << 10) + 4096,
		  "a cached block above a freed 64 MiB does not stop the trim (%llu above)",
		  (unsigned long long) (tmb_sbrk_total - before));
}

void
test_malloc(void)
{
	static unsigned char *ptr[SLOTS];
	static size_t len[SLOTS];
	int			bad_align = 0,
				bad_fill = 0;

	for (int it = 0; it < 60000; it++)
	{
		int			i = (int) (next_rand() % SLOTS);
		unsigned	op = next_rand() % 3;

		if (ptr[i] && !check_fill(ptr[i], len[i], (unsigned char) i))
			bad_fill++;
		if (ptr[i] == NULL || op == 0)
		{
			tmb_free(ptr[i]);
			len[i] = random_size();
			ptr[i] = tmb_malloc(len[i]);
		}
		else if (op == 1)
		{
			size_t		n = random_size();
			size_t		keep = n < len[i] ? n : len[i];

			ptr[i] = tmb_realloc(ptr[i], n);
			if (!check_fill(ptr[i], keep, (unsigned char) i))
				bad_fill++;
			len[i] = n;
		}
		else
		{
			tmb_free(ptr[i]);
			ptr[i] = NULL;
			len[i] = 0;
			continue;
		}
		if (ptr[i] == NULL || ((uintptr_t) ptr[i] & 15) != 0)
			bad_align++;
		else
			memset(ptr[i], i, len[i]);
	}
	for (int i = 0; i < SLOTS; i++)
	{
		if (ptr[i] && !check_fill(ptr[i], len[i], (unsigned char) i))
			bad_fill++;
		tmb_free(ptr[i]);
		ptr[i] = NULL;
	}
	CHECK(bad_align == 0, "%d NULL or misaligned blocks", bad_align);
	CHECK(bad_fill == 0, "%d blocks lost their contents (overlap?)", bad_fill);

	/* everything was freed and coalesced: a big block reuses the heap (a
	 * free top below the trim threshold stays) */
	{
		void	   *p = tmb_malloc(1 << 20);
		uint64_t	before;
		void	   *q;

		tmb_free(p);
		before = tmb_sbrk_total;
		q = tmb_malloc(1 << 20);
		CHECK(q == p && tmb_sbrk_total == before,
			  "freed block not reused: %p vs %p (sbrk %llu -> %llu)", p, q,
			  (unsigned long long) before, (unsigned long long) tmb_sbrk_total);
		tmb_free(q);
	}

	/* malloc(0) gives distinct pointers */
	{
		void	   *a = tmb_malloc(0),
				   *b = tmb_malloc(0);

		CHECK(a && b && a != b, "malloc(0): %p %p", a, b);
		tmb_free(a);
		tmb_free(b);
	}

	/* calloc zeroes, also memory that was dirty before */
	{
		unsigned char *d = tmb_malloc(4000);
		unsigned char *z;

		memset(d, 0xAB, 4000);
		tmb_free(d);
		z = tmb_calloc(1000, 4);
		CHECK(z && check_fill(z, 4000, 0), "calloc not zeroed");
		tmb_free(z);
	}

	/* sizes no view can hold */
	tmb___tmebox_errno = 0;
	CHECK(tmb_malloc(SIZE_MAX) == NULL && tmb___tmebox_errno == ENOMEM,
		  "malloc(SIZE_MAX)");
	CHECK(tmb_malloc(SIZE_MAX - 8) == NULL, "malloc(SIZE_MAX - 8)");
	CHECK(tmb_malloc((size_t) 5 << 30) == NULL, "malloc(5 GiB)");
	CHECK(tmb_calloc(SIZE_MAX, 2) == NULL, "calloc(SIZE_MAX, 2)");
	CHECK(tmb_calloc(1 << 20, 1 << 20) == NULL, "calloc(2^20, 2^20)");
	{
		void	   *p = tmb_malloc(10);

		CHECK(tmb_realloc(p, SIZE_MAX) == NULL, "realloc(p, SIZE_MAX)");
		tmb_free(p);			/* p is still valid */
	}
	CHECK(tmb___tmebox_rt_malloc(UINT64_C(1) << 40) == 0, "rt_malloc(2^40)");
	{
		uint64_t	off = tmb___tmebox_rt_malloc(100);

		CHECK(off != 0 && (off & 15) == 0, "rt_malloc(100)");
		tmb___tmebox_rt_free(off);
	}

	/* aligned allocation */
	{
		static const size_t al[] = {1, 2, 8, 16, 32, 64, 256, 4096, 65536};
		int			bad = 0;
		void	   *held[64];

		for (size_t k = 0; k < sizeof al / sizeof al[0]; k++)
		{
			for (int j = 0; j < 5; j++)
			{
				size_t		n = 1 + next_rand() % 5000;
				unsigned char *p = tmb_aligned_alloc(al[k], n);

				if (p == NULL || ((uintptr_t) p % al[k]) != 0)
					bad++;
				else
					memset(p, 0x5A, n);
				held[j] = p;
			}
			for (int j = 0; j < 5; j++)
				tmb_free(held[j]);
		}
		CHECK(bad == 0, "aligned_alloc: %d bad", bad);
		CHECK(tmb_aligned_alloc(24, 10) == NULL, "aligned_alloc(24) accepted");
		{
			void	   *p = NULL;

			CHECK(tmb_posix_memalign(&p, 128, 1000) == 0 &&
				  ((uintptr_t) p & 127) == 0, "posix_memalign(128)");
			tmb_free(p);
			CHECK(tmb_posix_memalign(&p, 4, 10) == 22, "posix_memalign(4)");
		}
	}

	test_cache();
	test_trim();
	test_pending();

	/* misuse raises an error instead of corrupting the heap */
	{
		char	   *p = tmb_malloc(64);
		int			r;

		tmb_free(p);
		r = tmb_catch(free_bad, p);
		CHECK(r == 1 && strstr(tmb_host_msg, "free(): invalid pointer"),
			  "double free: %d %s", r, tmb_host_msg);
		p = tmb_malloc(64);
		r = tmb_catch(free_bad, p + 16);
		CHECK(r == 1, "free of interior pointer: %d", r);
		r = tmb_catch(free_bad, (void *) &rng);
		CHECK(r == 1, "free of non-heap pointer: %d", r);
		tmb_free(p);
		/* the heap still works */
		p = tmb_malloc(100);
		CHECK(p != NULL, "malloc after errors");
		tmb_free(p);
	}
}
