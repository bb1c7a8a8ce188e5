/*-------------------------------------------------------------------------
 *
 * pl_tenantmem.c
 *		Tenant memory contexts: one PostgreSQL MemoryContext per tenant and
 *		session, named "tmebox tenant <name>" with identifier "KeyID <k>",
 *		under TopMemoryContext, whose blocks are the tenant's host memory
 *		(tmebox_host_alloc: mapped through the tenant's key outside every
 *		view, charged to its budget).  The host keeps in it what it holds
 *		of a tenant's data during a call: the argument copies pl_buf_in
 *		makes (detoasted and decompressed text, bytea and arrays, jsonb
 *		converted to text) and the rows of SQL results held under handles
 *		(pl_spi.c).  pg_backend_memory_contexts shows it with the
 *		bytes the tenant is charged for.
 *
 * Invariants kept here:
 *	- Every block of a tenant context is a host block of its tenant:
 *	  charged to its budget (so the memory limit covers the host copies
 *	  too, 53200 past it, as for its sandboxes) and, on tme-mk, encrypted
 *	  with its key.  context->mem_allocated is the bytes charged.
 *	- The allocator is generation-like: chunks are carved from the
 *	  current block; a block whose chunks are all freed goes back (the
 *	  current one is reused instead); a chunk larger than a quarter of a
 *	  block gets a block of its own, unmapped at its pfree.  Every chunk
 *	  has PostgreSQL 15's standard header (the owning context just before
 *	  the data), so pfree, repalloc and GetMemoryChunkContext work.
 *	- A backend runs one sandbox call at a time: the context of the call
 *	  in progress (pl_tenantmem_enter) is reset when the call ends
 *	  or its (sub)transaction aborts (pl_tenantmem_leave, from pl_call.c
 *	  and from pl_invoke.c's abort callback), so host copies
 *	  never outlive the call; the reset keeps the current block
 *	  (TM_BLOCK_SIZE, still charged) for the next call.
 *	- What the host keeps for a call outside this context (PostgreSQL's
 *	  own objects: a prepared statement's plan, a cursor's portal; pl_spi.c
 *	  measures them) is charged to the same budget with
 *	  pl_tenantmem_charge (53200 past the limit) and credited with
 *	  pl_tenantmem_uncharge; TmContext.held is what is charged so, and
 *	  the context's reset or deletion credits whatever is left, so a call
 *	  that ended any way leaves no such charge behind.
 *	- The context goes with its tenant's last instance in the session
 *	  (pl_tenantmem_forget from pl_cache.c: dropped tenant, replaced
 *	  module, lowered limit, DISCARD ALL), and with it its blocks, their
 *	  charge and (when no view carries it) the tenant's key.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/ilist.h"
#include "utils/memutils.h"

#include "pl_invoke.h"
#include "pl_tenantmem.h"

#define TM_BLOCK_SIZE	(64 * 1024)	/* a block's whole mapping */
#define TM_BLOCK_USABLE (TM_BLOCK_SIZE - TMEBOX_HOST_HEADER)
#define TM_CHUNK_LIMIT	(TM_BLOCK_SIZE / 4)

typedef struct TmBlock TmBlock;

typedef struct TmContext
{
	MemoryContextData header;	/* standard memory-context fields */
	PlTenant   *tenant;			/* budget, KeyID, name */
	dlist_head	blocks;
	TmBlock    *cur;			/* where small chunks are carved */
	char		name[NAMEDATALEN + 16];
	char		ident[32];
	Size		held;			/* charged by pl_tenantmem_charge, not blocks */
} TmContext;

struct TmBlock
{
	dlist_node	node;
	Size		charged;		/* the host block's whole mapping */
	char	   *freeptr;		/* first free byte */
	char	   *endptr;			/* end of the usable space */
	int			nchunks;
	int			nfree;
	Size		freed;			/* bytes of freed chunks, headers included */
};

/* PostgreSQL 15's standard chunk header: the context right before the data */
typedef struct TmChunk
{
	Size		size;			/* usable bytes (MAXALIGNed) */
	TmBlock    *block;			/* NULL once freed */
	MemoryContext context;
} TmChunk;

#define TM_BLOCKHDRSZ	MAXALIGN(sizeof(TmBlock))
#define TM_CHUNKHDRSZ	MAXALIGN(sizeof(TmChunk))

StaticAssertDecl(TM_CHUNKHDRSZ == sizeof(TmChunk),
				 "the context pointer must be right before a chunk's data");

static TmContext *pl_tenantmem_current = NULL;

static void
tm_block_empty(TmBlock *block)
{
	block->freeptr = (char *) block + TM_BLOCKHDRSZ;
	block->nchunks = 0;
	block->nfree = 0;
	block->freed = 0;
}

/* 53200: pt's limit, `used` of it in use, does not leave `needed` more
 * bytes for `what`. */
static void pg_attribute_noreturn()
tm_over_limit(PlTenant *pt, uint64 used, Size needed, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_OUT_OF_MEMORY),
			 errmsg("out of memory for tenant \"%s\"", pt->name),
			 errdetail("The tenant's memory limit of " UINT64_FORMAT " bytes was reached: its sandboxes and the host's copies of its data use " UINT64_FORMAT " bytes, and %zu more were needed for %s.",
					   (uint64) pt->budget.limit, used, needed, what),
			 errhint("An administrator can raise it with tmebox.alter_tenant().")));
}

static TmBlock *
tm_block_new(TmContext *set, Size usable)
{
	PlTenant   *pt = set->tenant;
	char		err[512];
	void	   *p;
	size_t		charged;
	int			rc;
	TmBlock    *block;

	rc = tmebox_host_alloc(&pt->budget, pt->keyid, usable, &p, &charged, err, sizeof(err));
	if (rc == TMEBOX_HOST_OVER_LIMIT)
		tm_over_limit(pt, pt->budget.used, usable + TMEBOX_HOST_HEADER, "host copies");
	if (rc != 0)
		ereport(ERROR,
				(errcode(pl_create_errcode(rc)),
				 errmsg("could not allocate host memory for tenant \"%s\"", pt->name),
				 errdetail_internal("%s", err)));
	block = p;
	block->charged = charged;
	block->endptr = (char *) block + usable;
	tm_block_empty(block);
	dlist_push_tail(&set->blocks, &block->node);
	set->header.mem_allocated += charged;
	return block;
}

static void
tm_block_free(TmContext *set, TmBlock *block)
{
	dlist_delete(&block->node);
	set->header.mem_allocated -= block->charged;
	if (set->cur == block)
		set->cur = NULL;
	tmebox_host_free(block);
}

static void *
tm_carve(TmContext *set, TmBlock *block, Size size)
{
	TmChunk    *chunk = (TmChunk *) block->freeptr;

	block->freeptr += TM_CHUNKHDRSZ + size;
	block->nchunks++;
	chunk->size = size;
	chunk->block = block;
	chunk->context = &set->header;
	return (char *) chunk + TM_CHUNKHDRSZ;
}

static void *
tm_alloc(MemoryContext context, Size size)
{
	TmContext  *set = (TmContext *) context;
	Size		chunk_size = MAXALIGN(size);
	Size		required = chunk_size + TM_CHUNKHDRSZ;
	TmBlock    *block;

	if (required > TM_CHUNK_LIMIT)
		return tm_carve(set, tm_block_new(set, TM_BLOCKHDRSZ + required), chunk_size);
	block = set->cur;
	if (block == NULL || (Size) (block->endptr - block->freeptr) < required)
	{
		TmBlock    *old = block;

		block = tm_block_new(set, TM_BLOCK_USABLE);
		set->cur = block;
		if (old != NULL && old->nfree == old->nchunks)
			tm_block_free(set, old);
	}
	return tm_carve(set, block, chunk_size);
}

static void
tm_free(MemoryContext context, void *pointer)
{
	TmContext  *set = (TmContext *) context;
	TmChunk    *chunk = (TmChunk *) ((char *) pointer - TM_CHUNKHDRSZ);
	TmBlock    *block = chunk->block;

	if (block == NULL)
		elog(ERROR, "tmebox tenant memory: chunk %p freed twice", pointer);
	chunk->block = NULL;
	block->nfree++;
	block->freed += chunk->size + TM_CHUNKHDRSZ;
	if (block->nfree < block->nchunks)
		return;
	if (block == set->cur)
		tm_block_empty(block);
	else
		tm_block_free(set, block);
}

static void *
tm_realloc(MemoryContext context, void *pointer, Size size)
{
	TmChunk    *chunk = (TmChunk *) ((char *) pointer - TM_CHUNKHDRSZ);
	void	   *newp;

	if (MAXALIGN(size) <= chunk->size)
		return pointer;
	newp = tm_alloc(context, size);
	memcpy(newp, pointer, chunk->size);
	tm_free(context, pointer);
	return newp;
}

/* Credit n bytes of set->held (at most all of it) to the budget. */
static void
tm_credit_held(TmContext *set, Size n)
{
	tmebox_budget *b = &set->tenant->budget;

	n = Min(n, set->held);
	set->held -= n;
	b->used = b->used >= n ? b->used - n : 0;
}

/* Every chunk freed, every held charge credited (the call's objects are
 * gone); the current block (if ordinary) stays for reuse. */
static void
tm_reset(MemoryContext context)
{
	TmContext  *set = (TmContext *) context;
	dlist_mutable_iter iter;

	tm_credit_held(set, set->held);
	dlist_foreach_modify(iter, &set->blocks)
	{
		TmBlock    *block = dlist_container(TmBlock, node, iter.cur);

		if (block == set->cur && block->charged == TM_BLOCK_SIZE)
			tm_block_empty(block);
		else
			tm_block_free(set, block);
	}
}

static void
tm_delete(MemoryContext context)
{
	TmContext  *set = (TmContext *) context;
	dlist_mutable_iter iter;

	if (pl_tenantmem_current == set)
		pl_tenantmem_current = NULL;
	tm_credit_held(set, set->held);
	dlist_foreach_modify(iter, &set->blocks)
		tm_block_free(set, dlist_container(TmBlock, node, iter.cur));
	free(set);
}

static Size
tm_get_chunk_space(MemoryContext context, void *pointer)
{
	TmChunk    *chunk = (TmChunk *) ((char *) pointer - TM_CHUNKHDRSZ);

	return chunk->size + TM_CHUNKHDRSZ;
}

static bool
tm_is_empty(MemoryContext context)
{
	TmContext  *set = (TmContext *) context;
	dlist_iter	iter;

	dlist_foreach(iter, &set->blocks)
	{
		TmBlock    *block = dlist_container(TmBlock, node, iter.cur);

		if (block->nfree < block->nchunks)
			return false;
	}
	return true;
}

static void
tm_stats(MemoryContext context, MemoryStatsPrintFunc printfunc, void *passthru,
		 MemoryContextCounters *totals, bool print_to_stderr)
{
	TmContext  *set = (TmContext *) context;
	Size		nblocks = 0,
				freechunks = 0,
				totalspace = 0,
				freespace = 0;
	dlist_iter	iter;

	dlist_foreach(iter, &set->blocks)
	{
		TmBlock    *block = dlist_container(TmBlock, node, iter.cur);

		nblocks++;
		freechunks += block->nfree;
		totalspace += block->charged;
		freespace += block->freed + (block->endptr - block->freeptr);
	}
	if (printfunc)
	{
		char		stats_string[200];

		snprintf(stats_string, sizeof(stats_string),
				 "%zu total in %zu blocks; %zu free (%zu chunks); %zu used (charged to the tenant)",
				 totalspace, nblocks, freespace, freechunks, totalspace - freespace);
		printfunc(context, passthru, stats_string, print_to_stderr);
	}
	if (totals)
	{
		totals->nblocks += nblocks;
		totals->freechunks += freechunks;
		totals->totalspace += totalspace;
		totals->freespace += freespace;
	}
}

#ifdef MEMORY_CONTEXT_CHECKING
static void
tm_check(MemoryContext context)
{
	TmContext  *set = (TmContext *) context;
	Size		total = 0;
	dlist_iter	iter;

	dlist_foreach(iter, &set->blocks)
	{
		TmBlock    *block = dlist_container(TmBlock, node, iter.cur);

		total += block->charged;
		if (block->nfree > block->nchunks || block->freeptr > block->endptr)
			elog(WARNING, "problem in tmebox tenant memory %s: bad block %p",
				 set->name, block);
	}
	if (total != context->mem_allocated)
		elog(WARNING, "problem in tmebox tenant memory %s: %zu bytes charged, %zu counted",
			 set->name, total, context->mem_allocated);
}
#endif

static const MemoryContextMethods pl_tenantmem_methods = {
	tm_alloc,
	tm_free,
	tm_realloc,
	tm_reset,
	tm_delete,
	tm_get_chunk_space,
	tm_is_empty,
	tm_stats
#ifdef MEMORY_CONTEXT_CHECKING
	,tm_check
#endif
};

/* The tenant context of pt, made on first use. */
static MemoryContext
pl_tenantmem_of(PlTenant *pt)
{
	TmContext  *set;

	if (pt->hostcxt != NULL)
		return pt->hostcxt;
	set = malloc(sizeof(TmContext));
	if (set == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	memset(set, 0, sizeof(TmContext));
	set->tenant = pt;
	dlist_init(&set->blocks);
	snprintf(set->name, sizeof(set->name), "tmebox tenant %s", pt->name);
	snprintf(set->ident, sizeof(set->ident), "KeyID %u", pt->keyid);
	MemoryContextCreate(&set->header, T_GenerationContext, &pl_tenantmem_methods,
						TopMemoryContext, set->name);
	MemoryContextSetIdentifier(&set->header, set->ident);
	pt->hostcxt = &set->header;
	return pt->hostcxt;
}

MemoryContext
pl_tenantmem_enter(PlTenant *pt)
{
	MemoryContext cxt = pl_tenantmem_of(pt);

	pl_tenantmem_leave();		/* copies left by a call that failed */
	pl_tenantmem_current = (TmContext *) cxt;
	return cxt;
}

MemoryContext
pl_tenantmem_call_context(void)
{
	if (pl_tenantmem_current != NULL)
		return &pl_tenantmem_current->header;
	if (pl_current_pi != NULL)
		return pl_tenantmem_of(pl_current_pi->tenant);
	return NULL;
}

void
pl_tenantmem_leave(void)
{
	if (pl_tenantmem_current != NULL)
	{
		MemoryContextReset(&pl_tenantmem_current->header);
		pl_tenantmem_current = NULL;
	}
}

void
pl_tenantmem_forget(PlTenant *pt)
{
	if (pt->hostcxt != NULL)
	{
		MemoryContext cxt = pt->hostcxt;

		pt->hostcxt = NULL;
		MemoryContextDelete(cxt);
	}
}

void
pl_tenantmem_charge(Size bytes, const char *what)
{
	TmContext  *set = (TmContext *) pl_tenantmem_call_context();
	tmebox_budget *b;

	if (set == NULL || bytes == 0)
		return;
	b = &set->tenant->budget;
	set->held += bytes;
	b->used += bytes;
	if (b->used > b->limit)
		tm_over_limit(set->tenant, b->used - bytes, bytes, what);
}

void
pl_tenantmem_uncharge(Size bytes)
{
	TmContext  *set = (TmContext *) pl_tenantmem_call_context();

	if (set != NULL)
		tm_credit_held(set, bytes);
}

Size
pl_tenantmem_room(void)
{
	TmContext  *set = (TmContext *) pl_tenantmem_call_context();
	tmebox_budget *b;

	if (set == NULL)
		return SIZE_MAX;
	b = &set->tenant->budget;
	return b->used < b->limit ? (Size) (b->limit - b->used) : 0;
}

void
pl_tenantmem_check(Size bytes, const char *what)
{
	TmContext  *set = (TmContext *) pl_tenantmem_call_context();
	tmebox_budget *b;

	if (set == NULL)
		return;
	b = &set->tenant->budget;
	if (bytes > b->limit || b->used > b->limit - bytes)
		tm_over_limit(set->tenant, b->used, bytes, what);
}
