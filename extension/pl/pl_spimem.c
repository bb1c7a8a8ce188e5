/*-------------------------------------------------------------------------
 *
 * pl_spimem.c
 *		The memory PostgreSQL takes while a statement of SQL access
 *		(pl_spi.c) runs, bounded by what the statement's tenant has left,
 *		at each allocation: a value of a row is refused before it is made.
 *
 *		PostgreSQL 15 has no allocation hook, and its executor makes its
 *		memory contexts itself.  When a statement's executor starts
 *		sending rows (pl_spi.c's receiver, whose rStartup runs in the
 *		executor's per-query context, ExecutorState; for a cursor's
 *		fetch, the executor its portal started at the open), every
 *		context under
 *		ExecutorState (the per-query memory, each node's per-tuple
 *		memory where expressions build their values, aggregate states)
 *		and under SPI's procedure context (the tuple table SPI copies the
 *		rows into) gets a wrapper of its methods table: the original
 *		allocator, preceded by a check that the request plus what the
 *		wrapped contexts hold fits in what the tenant has left
 *		(pl_tenantmem_check: 53200).  What they hold is counted as their
 *		blocks come and go (mem_allocated before and after each call), not
 *		by walking the contexts per row.
 *
 * Invariants kept here:
 *	- Bounded while active (pl_spimem_begin to pl_spimem_end, one
 *	  statement of a host call); outside that a wrapped context's calls
 *	  only go to its own methods, so a wrapper left on a context (freed
 *	  with it, or by an abort) changes nothing.
 *	- A wrapper calls the context's own allocator for everything it
 *	  does: chunks, blocks and headers are the allocator's; only the
 *	  methods pointer of the context changes (back to the original when
 *	  it is deleted).  The wrappers are static, so no context ever points
 *	  at freed methods.
 *	- Not covered: contexts the executor makes after the statement's
 *	  rows begin (a sort's or hash's own contexts, bounded by work_mem;
 *	  a function's own SPI connection), statements that return no rows
 *	  (no receiver starts: an INSERT's rows go to the table), a cursor
 *	  whose executor starts at its first fetch (RETURNING, data-modifying
 *	  WITH: it fills its store unbounded), SPI's tuple table of a fetch
 *	  (the batch's size bounds it), and the planner's memory.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "nodes/memnodes.h"
#include "utils/memutils.h"

#include "pl_spi.h"
#include "pl_tenantmem.h"

typedef struct PlBoundMethods
{
	MemoryContextMethods pub;	/* what a wrapped context points to */
	const MemoryContextMethods *orig;
} PlBoundMethods;

/* one wrapper per kind of context met (AllocSet, Generation, Slab) */
#define PL_SPIMEM_KINDS 8
static PlBoundMethods pl_bound[PL_SPIMEM_KINDS];
static int	pl_nbound = 0;

static bool pl_spimem_active = false;
static Size pl_spimem_room = 0;	/* what the tenant had left at the start */
static Size pl_spimem_held = 0;	/* bytes the wrapped contexts hold */

#define PL_ORIG(c) (((const PlBoundMethods *) (c)->methods)->orig)

/* The request would not fit: 53200 (pl_tenantmem_check says so). */
static void
pl_spimem_refuse(Size size)
{
	pl_spimem_active = false;	/* the error's own work is not bounded */
	pl_tenantmem_check(add_size(pl_spimem_held, size), "the rows of a statement");
	pl_spimem_active = true;	/* it fitted after all (the limit was raised) */
}

static inline void
pl_spimem_want(Size size)
{
	if (unlikely(size > pl_spimem_room || pl_spimem_held > pl_spimem_room - size))
		pl_spimem_refuse(size);
}

static inline void
pl_spimem_count(Size before, Size after)
{
	if (after >= before)
		pl_spimem_held += after - before;
	else
		pl_spimem_held -= Min(before - after, pl_spimem_held);
}

static void *
pl_spimem_alloc(MemoryContext c, Size size)
{
	Size		before = c->mem_allocated;
	void	   *p;

	if (!pl_spimem_active)
		return PL_ORIG(c)->alloc(c, size);
	pl_spimem_want(size);
	p = PL_ORIG(c)->alloc(c, size);
	pl_spimem_count(before, c->mem_allocated);
	return p;
}

static void
pl_spimem_free(MemoryContext c, void *pointer)
{
	Size		before = c->mem_allocated;

	PL_ORIG(c)->free_p(c, pointer);
	if (pl_spimem_active)
		pl_spimem_count(before, c->mem_allocated);
}

static void *
pl_spimem_realloc(MemoryContext c, void *pointer, Size size)
{
	Size		before = c->mem_allocated;
	void	   *p;

	if (!pl_spimem_active)
		return PL_ORIG(c)->realloc(c, pointer, size);
	pl_spimem_want(size);
	p = PL_ORIG(c)->realloc(c, pointer, size);
	pl_spimem_count(before, c->mem_allocated);
	return p;
}

static void
pl_spimem_reset(MemoryContext c)
{
	Size		before = c->mem_allocated;

	PL_ORIG(c)->reset(c);
	if (pl_spimem_active)
		pl_spimem_count(before, c->mem_allocated);
}

static void
pl_spimem_delete(MemoryContext c)
{
	const MemoryContextMethods *orig = PL_ORIG(c);

	if (pl_spimem_active)
		pl_spimem_count(c->mem_allocated, 0);
	c->methods = orig;
	orig->delete_context(c);
}

/* The wrapper of methods table orig (made on first use), or NULL. */
static const MemoryContextMethods *
pl_spimem_wrapper(const MemoryContextMethods *orig)
{
	PlBoundMethods *b;

	for (int i = 0; i < pl_nbound; i++)
		if (pl_bound[i].orig == orig)
			return &pl_bound[i].pub;
	if (pl_nbound == PL_SPIMEM_KINDS)
		return NULL;
	b = &pl_bound[pl_nbound++];
	b->pub = *orig;
	b->pub.alloc = pl_spimem_alloc;
	b->pub.free_p = pl_spimem_free;
	b->pub.realloc = pl_spimem_realloc;
	b->pub.reset = pl_spimem_reset;
	b->pub.delete_context = pl_spimem_delete;
	b->orig = orig;
	return &b->pub;
}

static bool
pl_spimem_wrapped(MemoryContext c)
{
	for (int i = 0; i < pl_nbound; i++)
		if (c->methods == &pl_bound[i].pub)
			return true;
	return false;
}

/* Wrap c and every context under it; count what they hold. */
static void
pl_spimem_wrap(MemoryContext c)
{
	for (MemoryContext child = c->firstchild; child != NULL; child = child->nextchild)
		pl_spimem_wrap(child);
	if (!pl_spimem_wrapped(c))
	{
		const MemoryContextMethods *w = pl_spimem_wrapper(c->methods);

		if (w == NULL)
			return;				/* a kind more: left unbounded */
		c->methods = w;
	}
	pl_spimem_held += c->mem_allocated;
}

void
pl_spimem_begin(MemoryContext executor, MemoryContext proc)
{
	pl_spimem_active = false;
	pl_spimem_held = 0;
	pl_spimem_room = pl_tenantmem_room();
	if (pl_spimem_room == SIZE_MAX)
		return;					/* no tenant call: nothing to bound */
	pl_spimem_wrap(executor);
	for (MemoryContext child = proc->firstchild; child != NULL; child = child->nextchild)
		pl_spimem_wrap(child);
	pl_spimem_active = true;
	pl_spimem_want(0);
}

void
pl_spimem_end(void)
{
	pl_spimem_active = false;
}
