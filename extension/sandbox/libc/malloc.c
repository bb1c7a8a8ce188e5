/*-------------------------------------------------------------------------
 *
 * malloc.c
 *		Sandbox libc: the heap allocator (malloc, calloc, realloc, free,
 *		aligned_alloc, posix_memalign) and the runtime's entry points
 *		__tmebox_rt_malloc / __tmebox_rt_free.
 *
 * Design: boundary-tag chunks in memory obtained with host call sbrk.
 * A chunk is a 16-byte header {prev_size, size|flags} followed by the
 * payload; sizes are multiples of 16 and chunks start 16-byte aligned, so
 * every payload is 16-byte aligned.  Free chunks keep list links in their
 * payload and sit in one of NBINS segregated lists: exact-size lists for
 * chunks up to 1040 bytes, quarter-octave lists above; a bitmap says which
 * lists are non-empty.  Freeing coalesces with both free neighbours
 * immediately.  Every segment obtained from sbrk ends with a 16-byte
 * in-use "fence" header so that no chunk coalesces past its segment; a
 * new sbrk area contiguous with the last segment absorbs the old fence.
 *
 * Memory comes back: when a free leaves a free chunk of at least
 * trim_threshold bytes at the end of the last segment, and that segment
 * ends at the break, the heap is trimmed: the break goes down (host call
 * sbrk with a negative increment), keeping TRIM_KEEP bytes free at the top,
 * and the runtime returns the pages above it to the kernel and the
 * tenant's budget.  Live blocks and globals are never touched.  The
 * threshold adapts as glibc's does: once trimmed memory had to be taken
 * back, the threshold rises to twice that growth (at most TRIM_MAX), so a
 * function that allocates and frees the same large buffer on every call
 * stops paying for fresh pages each time; at most TRIM_MAX bytes of free
 * memory then stay committed at the top of the heap.
 *
 * Small chunks freed go to a cache first (up to CACHE_DEPTH of each size
 * up to CACHE_MAX, like glibc's tcache): a LIFO list per size, whose
 * chunks stay "in use" for the heap (flag CACHED; free and realloc refuse
 * them like any freed pointer), so a program that allocates and frees the
 * same small sizes again and again (a function's result, which the host
 * frees after every call) pays neither a split nor a merge.  The cache
 * never costs memory: a chunk whose merge with its free neighbours would
 * reach trim_threshold is not cached, a free that makes such a chunk
 * empties the cache first (so the top can still be trimmed), and malloc
 * empties it before growing the heap.
 *
 * A small result the host has copied out is not freed through a second
 * entry into the sandbox: the host writes its offset into pending_free
 * (whose address __tmebox_rt_malloc(TMEBOX_RT_PENDING_FREE_QUERY)
 * returns) and the next malloc, free or realloc frees it first, before
 * anything else (ABI.md, "Buffers and arrays").  The libc never reads the
 * slot but there, and a bad offset in it raises free's error.
 *
 * All metadata lives in the view: a tenant that corrupts it only harms
 * itself.  free/realloc check what they are given (alignment, range,
 * in-use bit, size) and raise an error instead of following a bad chunk.
 *
 * Invariants:
 *	- No two free chunks are adjacent (cached chunks are in use); every
 *	  free chunk is in exactly the list bin_index(size) says, and its size is copied into the next
 *	  chunk's prev_size, whose PREV_INUSE bit is clear.
 *	- Chunks tile each segment exactly from its start to its fence.
 *	- malloc returns NULL only for requests no view can hold (errno
 *	  ENOMEM); otherwise it returns memory or sbrk ends the call.
 *	- After free returns, no free chunk of trim_threshold bytes or more
 *	  ends the heap at the break (it has been trimmed to TRIM_KEEP).
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>

#include "tmebox_host.h"

#define ALIGNMENT	16
#define HDR			16			/* bytes of chunk header */
#define MIN_CHUNK	32			/* header + two list links */
#define INUSE		UINT64_C(1)
#define PREV_INUSE	UINT64_C(2)
#define CACHED		UINT64_C(4)	/* in use for the heap, in the free cache */
#define FLAGS		(INUSE | PREV_INUSE | CACHED)
/* Requests above this can never fit in a heap (which ends at HEAP_MAX). */
#define MAX_REQUEST ((uint64_t) TMEBOX_HEAP_MAX)
/* Grow the heap by at least this much at a time. */
#define GROW_MIN	(UINT64_C(64) * 1024)
/* Trim a free top of the heap of at least trim_threshold bytes (which
 * starts at TRIM_MIN and adapts up to TRIM_MAX), down to TRIM_KEEP. */
#define TRIM_MIN	(UINT64_C(4) << 20)
#define TRIM_MAX	(UINT64_C(32) << 20)
#define TRIM_KEEP	(UINT64_C(256) * 1024)

#define NEXACT		64			/* exact lists: 32, 48, ..., 1040 */
#define NCACHE		16			/* cached sizes: 32, 48, ..., 272 */
#define CACHE_MAX	(MIN_CHUNK + (NCACHE - 1) * ALIGNMENT)
#define CACHE_DEPTH	4			/* cached chunks of one size at most */
#define EXACT_MAX	(MIN_CHUNK + (NEXACT - 1) * ALIGNMENT)
#define NBINS		(NEXACT + 4 * 24)	/* quarter octaves up to 2^35 */
#define NWORDS		((NBINS + 63) / 64)

typedef struct chunk
{
	uint64_t	prev_size;		/* size of the previous chunk if it is free */
	uint64_t	size;			/* size of this chunk | INUSE | PREV_INUSE */
	struct chunk *next;			/* free list links, free chunks only */
	struct chunk *prev;
} chunk;

static chunk *bins[NBINS];
static uint64_t binmap[NWORDS];
static chunk *cache[NCACHE];	/* freed small chunks, LIFO, linked by next */
static int	cache_n[NCACHE];
static int	cache_total;
static char *heap_lo;			/* start of the first segment */
static char *heap_hi;			/* end of the last segment (after fence) */
static chunk *last_fence;		/* fence of the last segment */
static char *last_end;			/* end of the last segment */
static uint64_t trim_threshold = TRIM_MIN;
static int	trimmed;			/* trimmed since the heap last grew */
static uint64_t pending_free;	/* a result to free, from the host; 0: none */

static inline uint64_t
csize(const chunk *c)
{
	return c->size & ~FLAGS;
}

static inline chunk *
next_chunk(chunk *c)
{
	return (chunk *) ((char *) c + csize(c));
}

static inline void *
payload(chunk *c)
{
	return (char *) c + HDR;
}

static inline chunk *
chunk_of(void *p)
{
	return (chunk *) ((char *) p - HDR);
}

/*
 * Raises an error naming the misuse; never returns.  The message is what
 * snprintf's "%s(): invalid pointer %p" gives, built here: snprintf's
 * formatter calls malloc (long floating-point text), and that call cycle
 * left every module, whose root __tmebox_rt_malloc reaches it, without a
 * native-stack bound (extension/verify/README.md, "The native-stack
 * bound").
 */
static _Noreturn void
heap_error(const char *what, const void *p)
{
	static const char mid[] = "(): invalid pointer ";
	char		msg[128];
	char		hex[16];
	size_t		len = 0;
	uintptr_t	v = (uintptr_t) p;
	int			n = 0;

	while (*what != '\0' && len < 64)
		msg[len++] = *what++;
	memcpy(msg + len, mid, sizeof mid - 1);
	len += sizeof mid - 1;
	if (v == 0)
	{
		memcpy(msg + len, "(nil)", 5);
		len += 5;
	}
	else
	{
		do
		{
			hex[n++] = "0123456789abcdef"[v & 15];
			v >>= 4;
		} while (v != 0);
		msg[len++] = '0';
		msg[len++] = 'x';
		while (n > 0)
			msg[len++] = hex[--n];
	}
	__tmebox_host_error(msg, (uint64_t) len);
}

static int
bin_index(uint64_t size)
{
	int			lg;

	if (size <= EXACT_MAX)
		return (int) ((size - MIN_CHUNK) / ALIGNMENT);
	lg = 63 - __builtin_clzll(size);	/* >= 10 */
	return NEXACT + (lg - 10) * 4 + (int) ((size >> (lg - 2)) & 3);
}

static void
bin_insert(chunk *c)
{
	int			i = bin_index(csize(c));

	c->prev = NULL;
	c->next = bins[i];
	if (c->next)
		c->next->prev = c;
	bins[i] = c;
	binmap[i / 64] |= UINT64_C(1) << (i % 64);
}

static void
bin_remove(chunk *c)
{
	int			i = bin_index(csize(c));

	if (c->prev)
		c->prev->next = c->next;
	else
		bins[i] = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (bins[i] == NULL)
		binmap[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

/*
 * Marks c (whose header size is already set, flags aside) free, merges it
 * with free neighbours and files the result.  c's PREV_INUSE bit must be
 * correct.
 */
static void
release_chunk(chunk *c)
{
	uint64_t	size = csize(c);
	chunk	   *next = next_chunk(c);

	if (!(c->size & PREV_INUSE))
	{
		chunk	   *prev = (chunk *) ((char *) c - c->prev_size);

		bin_remove(prev);
		size += csize(prev);
		c = prev;
	}
	if (!(next->size & INUSE))
	{
		bin_remove(next);
		size += csize(next);
		next = (chunk *) ((char *) c + size);
	}
	/* the chunk before c is in use now (no two free chunks are adjacent) */
	c->size = size | PREV_INUSE;
	next->prev_size = size;
	next->size &= ~PREV_INUSE;
	bin_insert(c);
}

/* Gives every cached chunk back to the heap; false when there was none. */
static int
cache_flush(void)
{
	if (cache_total == 0)
		return 0;
	for (int k = 0; k < NCACHE; k++)
	{
		while (cache[k] != NULL)
		{
			chunk	   *c = cache[k];

			cache[k] = c->next;
			c->size &= ~(INUSE | CACHED);
			release_chunk(c);
		}
		cache_n[k] = 0;
	}
	cache_total = 0;
	return 1;
}

/* Converts a request to a chunk size; 0 if it can never be satisfied. */
static uint64_t
request_to_size(size_t req)
{
	uint64_t	size;

	if (req > MAX_REQUEST)
		return 0;
	size = ((uint64_t) req + HDR + ALIGNMENT - 1) & ~(uint64_t) (ALIGNMENT - 1);
	return size < MIN_CHUNK ? MIN_CHUNK : size;
}

/*
 * Grows the heap so that a free chunk of at least `need` bytes exists.
 * With use_tail, a free chunk at the end of the last segment is counted
 * (it merges with the new area if sbrk returns contiguous memory); the
 * caller retries without it if the new area was not contiguous.
 */
static void
grow_heap(uint64_t need, int use_tail)
{
	uint64_t	tail_free = 0;
	uint64_t	incr;
	char	   *old;
	char	   *end;
	chunk	   *c;
	chunk	   *fence;

	if (use_tail && last_fence && !(last_fence->size & PREV_INUSE))
		tail_free = last_fence->prev_size;
	incr = need + HDR + ALIGNMENT;	/* new fence, possible realignment */
	incr = incr > tail_free ? incr - tail_free : 0;
	if (incr < GROW_MIN)
		incr = GROW_MIN;
	incr = (incr + TMEBOX_PAGE_SIZE - 1) & ~(uint64_t) (TMEBOX_PAGE_SIZE - 1);

	if (trimmed)
	{
		/* memory given back is needed again: keep more next time */
		trimmed = 0;
		if (incr > TRIM_MAX / 2)
			trim_threshold = TRIM_MAX;
		else if (2 * incr > trim_threshold)
			trim_threshold = 2 * incr;
	}
	old = (char *) (uintptr_t) __tmebox_host_sbrk(incr);
	end = old + incr;
	if (last_fence && old == last_end)
	{
		/* Contiguous: the old fence becomes the start of the new chunk. */
		c = last_fence;
	}
	else
	{
		/* A new segment; its first chunk never merges backwards. */
		c = (chunk *) (((uintptr_t) old + ALIGNMENT - 1) &
					   ~(uintptr_t) (ALIGNMENT - 1));
		c->size = PREV_INUSE;
		if (heap_lo == NULL || (char *) c < heap_lo)
			heap_lo = (char *) c;
	}
	/* The last aligned HDR bytes of the area are the new fence. */
	fence = (chunk *) (((uintptr_t) end - HDR) & ~(uintptr_t) (ALIGNMENT - 1));
	c->size = (uint64_t) ((char *) fence - (char *) c) | (c->size & PREV_INUSE);
	fence->size = HDR | INUSE | PREV_INUSE;		/* fixed by release_chunk */
	last_fence = fence;
	last_end = end;
	if (end > heap_hi)
		heap_hi = end;
	release_chunk(c);
}

/* Finds, unlinks and returns a free chunk of at least size bytes, or NULL. */
static chunk *
take_free(uint64_t size)
{
	int			i = bin_index(size);

	/* The first list may hold smaller chunks (quarter-octave lists). */
	if (i >= NEXACT)
	{
		for (chunk *c = bins[i]; c; c = c->next)
		{
			if (csize(c) >= size)
			{
				bin_remove(c);
				return c;
			}
		}
		i++;
	}
	for (int w = i / 64; w < NWORDS; w++)
	{
		uint64_t	bits = binmap[w];

		if (w == i / 64)
			bits &= ~UINT64_C(0) << (i % 64);
		if (bits)
		{
			chunk	   *c = bins[w * 64 + __builtin_ctzll(bits)];

			bin_remove(c);
			return c;
		}
	}
	return NULL;
}

/*
 * Marks the (unlinked) chunk c in use and gives back its tail beyond size
 * when that tail can form a chunk.
 */
static void
use_chunk(chunk *c, uint64_t size)
{
	uint64_t	have = csize(c);
	chunk	   *next;

	if (have - size >= MIN_CHUNK)
	{
		chunk	   *rest = (chunk *) ((char *) c + size);

		c->size = size | INUSE | (c->size & PREV_INUSE);
		rest->size = (have - size) | PREV_INUSE;
		release_chunk(rest);
	}
	else
	{
		c->size = have | INUSE | (c->size & PREV_INUSE);
		next = next_chunk(c);
		next->size |= PREV_INUSE;
	}
}

static void free_block(void *p);
static chunk *checked_chunk(void *p, const char *what);

/*
 * The result the host handed back (pending_free), freed now: free_block,
 * not free, so that no call cycle runs through the allocator (the
 * verifier's native-stack bound needs an acyclic call graph).
 */
static void
free_pending(void)
{
	void	   *p = (void *) (uintptr_t) pending_free;

	pending_free = 0;
	free_block(p);
}

#define FREE_PENDING() \
	do { if (__builtin_expect(pending_free != 0, 0)) free_pending(); } while (0)

/* A pending block at most this much larger than a request serves it. */
#define PENDING_SLACK	64

void *
malloc(size_t req)
{
	uint64_t	size = request_to_size(req);
	chunk	   *c;

	if (__builtin_expect(pending_free != 0, 0))
	{
		/*
		 * The host's block (checked as free checks it) serves a request of
		 * about its size as it is: the free and the malloc that would hand
		 * it out again, without either (a function's results are often
		 * of one size).
		 */
		void	   *p = (void *) (uintptr_t) pending_free;

		pending_free = 0;
		c = checked_chunk(p, "free");
		if (size != 0 && csize(c) >= size && csize(c) - size <= PENDING_SLACK)
			return p;
		free_block(p);
	}
	if (size == 0)
	{
		errno = ENOMEM;
		return NULL;
	}
	if (size <= CACHE_MAX)
	{
		int			k = (int) ((size - MIN_CHUNK) / ALIGNMENT);

		c = cache[k];
		if (c != NULL)
		{
			cache[k] = c->next;
			cache_n[k]--;
			cache_total--;
			c->size &= ~CACHED;
			return payload(c);
		}
	}
	c = take_free(size);
	if (c == NULL && cache_flush())
		c = take_free(size);	/* cached chunks first, growth second */
	if (c == NULL)
	{
		grow_heap(size, 1);
		c = take_free(size);
	}
	if (c == NULL)
	{
		grow_heap(size, 0);
		c = take_free(size);
		if (c == NULL)			/* cannot happen: grow_heap made room */
			heap_error("malloc", NULL);
	}
	use_chunk(c, size);
	return payload(c);
}

/* Validates p as a live block and returns its chunk; raises otherwise. */
static chunk *
checked_chunk(void *p, const char *what)
{
	chunk	   *c = chunk_of(p);
	uint64_t	size;

	if (((uintptr_t) p & (ALIGNMENT - 1)) != 0 ||
		(char *) c < heap_lo || (char *) p >= heap_hi)
		heap_error(what, p);
	size = csize(c);
	if (!(c->size & INUSE) || (c->size & CACHED) || size < MIN_CHUNK ||
		(size & (ALIGNMENT - 1)) != 0 ||
		size > (uint64_t) (heap_hi - (char *) c) - HDR ||
		!(next_chunk(c)->size & PREV_INUSE))
		heap_error(what, p);
	return c;
}

/*
 * Gives the free top of the heap back down to TRIM_KEEP bytes, when it is
 * at least trim_threshold bytes and the last segment ends at the break
 * (nobody else moved it).  The fence moves down first; then the break.
 */
static void
trim_heap(void)
{
	chunk	   *top;
	chunk	   *fence;
	char	   *new_end;
	uint64_t	free_top;

	if (last_fence == NULL || (last_fence->size & PREV_INUSE))
		return;
	free_top = last_fence->prev_size;
	if (free_top < trim_threshold)
		return;
	if ((char *) (uintptr_t) __tmebox_host_sbrk(0) != last_end)
		return;
	top = (chunk *) ((char *) last_fence - free_top);
	new_end = (char *) (((uintptr_t) top + TRIM_KEEP + HDR + TMEBOX_PAGE_SIZE - 1) &
						~(uintptr_t) (TMEBOX_PAGE_SIZE - 1));
	if (new_end >= last_end)
		return;
	bin_remove(top);
	fence = (chunk *) (new_end - HDR);
	top->size = (uint64_t) ((char *) fence - (char *) top) | PREV_INUSE;
	fence->prev_size = csize(top);
	fence->size = HDR | INUSE;	/* PREV_INUSE clear: top is free */
	bin_insert(top);
	if (heap_hi == last_end)
		heap_hi = new_end;
	last_fence = fence;
	__tmebox_host_sbrk((uint64_t) -(int64_t) (last_end - new_end));
	last_end = new_end;
	trimmed = 1;
}

void
free(void *p)
{
	FREE_PENDING();
	free_block(p);
}

/* free without the pending block: what free and free_pending share */
static void
free_block(void *p)
{
	chunk	   *c;
	uint64_t	size;
	uint64_t	merged;

	if (p == NULL)
		return;
	c = checked_chunk(p, "free");
	size = csize(c);
	/* what it would merge into: the cache never keeps a trim from happening */
	merged = size + (c->size & PREV_INUSE ? 0 : c->prev_size) +
		(next_chunk(c)->size & INUSE ? 0 : csize(next_chunk(c)));
	if (size <= CACHE_MAX && merged < trim_threshold)
	{
		int			k = (int) ((size - MIN_CHUNK) / ALIGNMENT);

		if (cache_n[k] < CACHE_DEPTH)
		{
			c->size |= CACHED;
			c->next = cache[k];
			cache[k] = c;
			cache_n[k]++;
			cache_total++;
			return;
		}
	}
	c->size &= ~INUSE;
	release_chunk(c);
	if (merged >= trim_threshold)
		cache_flush();			/* cached chunks above it must not stop the trim */
	trim_heap();
}

void *
calloc(size_t nmemb, size_t size)
{
	size_t		total;
	void	   *p;

	if (__builtin_mul_overflow(nmemb, size, &total))
	{
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(total);
	if (p)
		memset(p, 0, total);
	return p;
}

/*
 * realloc(p, 0) shrinks the block to the minimum and returns it (never
 * NULL, nothing to leak); realloc(NULL, n) is malloc(n).  When growing
 * fails because the size can never fit, NULL is returned and p is intact.
 */
void *
realloc(void *p, size_t req)
{
	chunk	   *c;
	uint64_t	size = request_to_size(req);
	uint64_t	have;
	chunk	   *next;
	void	   *np;

	if (p == NULL)
		return malloc(req);
	FREE_PENDING();
	c = checked_chunk(p, "realloc");
	if (size == 0)
	{
		errno = ENOMEM;
		return NULL;
	}
	have = csize(c);
	if (size <= have)
	{
		if (have - size >= MIN_CHUNK)
		{
			chunk	   *rest = (chunk *) ((char *) c + size);

			c->size = size | (c->size & FLAGS);
			rest->size = (have - size) | PREV_INUSE;
			release_chunk(rest);
		}
		return p;
	}
	next = next_chunk(c);
	if (!(next->size & INUSE) && have + csize(next) >= size)
	{
		bin_remove(next);
		c->size = (have + csize(next)) | (c->size & PREV_INUSE);
		use_chunk(c, size);
		return p;
	}
	np = malloc(req);
	memcpy(np, p, have - HDR);
	free(p);
	return np;
}

void *
aligned_alloc(size_t alignment, size_t req)
{
	uint64_t	size;
	char	   *p;
	char	   *q;
	chunk	   *c;
	chunk	   *ac;
	uint64_t	lead;

	if (alignment == 0 || (alignment & (alignment - 1)) != 0)
	{
		errno = EINVAL;
		return NULL;
	}
	if (alignment <= ALIGNMENT)
		return malloc(req);
	size = request_to_size(req);
	if (size == 0 || alignment > MAX_REQUEST ||
		size + alignment + MIN_CHUNK > MAX_REQUEST)
	{
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(size + alignment + MIN_CHUNK);
	if (((uintptr_t) p & (alignment - 1)) == 0)
		return p;
	/* The leading gap must be able to hold a free chunk. */
	q = (char *) (((uintptr_t) p + MIN_CHUNK + alignment - 1) &
				  ~(uintptr_t) (alignment - 1));
	c = chunk_of(p);
	ac = chunk_of(q);
	lead = (uint64_t) (q - p);
	ac->size = (csize(c) - lead) | INUSE;	/* PREV_INUSE clear: lead is free */
	c->size = lead | (c->size & PREV_INUSE);
	release_chunk(c);
	/* Give back the tail. */
	if (csize(ac) - size >= MIN_CHUNK)
	{
		chunk	   *rest = (chunk *) ((char *) ac + size);

		rest->size = (csize(ac) - size) | PREV_INUSE;
		ac->size = size | (ac->size & FLAGS);
		release_chunk(rest);
	}
	return q;
}

int
posix_memalign(void **memptr, size_t alignment, size_t req)
{
	void	   *p;
	int			save = errno;

	if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0)
		return EINVAL;
	p = aligned_alloc(alignment, req);
	if (p == NULL)
	{
		errno = save;
		return ENOMEM;
	}
	*memptr = p;
	return 0;
}

/*
 * Entry points for the runtime: view offsets are sandbox pointers.
 * TMEBOX_RT_PENDING_FREE_QUERY asks for pending_free's offset (a libc
 * without the slot returns 0 for it: no view holds that many bytes).
 */
uint64_t
__tmebox_rt_malloc(uint64_t size)
{
	if (size == TMEBOX_RT_PENDING_FREE_QUERY)
		return (uint64_t) (uintptr_t) &pending_free;
	if (size > SIZE_MAX)
		return 0;
	return (uint64_t) (uintptr_t) malloc((size_t) size);
}

void
__tmebox_rt_free(uint64_t offset)
{
	free((void *) (uintptr_t) offset);
}
