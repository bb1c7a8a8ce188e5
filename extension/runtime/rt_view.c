/*-------------------------------------------------------------------------
 *
 * rt_view.c
 *		Instances and their views: reserve, commit, grow the heap against
 *		the tenant's budget, reset, destroy.  Every operation on view
 *		memory goes through the tenant's key (rt_keyid.h), whichever KeyID
 *		backend made it: this file never knows which.
 *
 * Invariants:
 *	- A view is one mmap of TMEBOX_VIEW_SPAN bytes, PROT_NONE and
 *	  MAP_NORESERVE, of which exactly [TMEBOX_NULL_GUARD, commit_end) is
 *	  read-write: three VMAs per view.  Page 0..NULL_GUARD and everything
 *	  from commit_end to the end of the span (4 GiB + guard) fault.
 *	- inst->charged is what this instance has added to budget->used; it
 *	  is [NULL_GUARD, commit_end), i.e. data stack + globals image + bss +
 *	  heap, page granular: everything the view commits.  Reset and destroy
 *	  give it back.
 *	- brk <= commit_end <= TMEBOX_HEAP_MAX, and commit_end is page_up(brk)
 *	  after a shrink: when the break goes down (sbrk with a negative
 *	  increment, the libc's trim of free memory at the top of its heap),
 *	  every whole page above it goes back to the kernel and is credited
 *	  to the budget.  The break never goes below heap_base.
 *	- Memory given back (shrink, the heap on reset) is released through
 *	  the key (its pages, contents and commit charge leave; the range is
 *	  as reserved again); memory committed is mapped through the key, so
 *	  every committed page of a view carries its tenant's key and no
 *	  other.
 *	- inst->key is acquired before the view is reserved and released
 *	  after it is unmapped (rt_keyid.c destroys it with its last view).
 *	- inst->domain (rt_stack.c) is fixed at creation: the budget's domain
 *	  (given one if it has none), or a new one without a budget.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rt_keyid.h"

static uint64_t
rt_page_up(uint64_t x)
{
	return (x + TMEBOX_PAGE_SIZE - 1) & ~(uint64_t) (TMEBOX_PAGE_SIZE - 1);
}

/* Charge n bytes to the budget; false if that would pass the limit. */
static bool
rt_charge(tmebox_budget *b, uint64_t n)
{
	if (b == NULL)
		return true;
	if (n > b->limit || b->used > b->limit - n)
		return false;
	b->used += n;
	return true;
}

static void
rt_credit(tmebox_budget *b, uint64_t n)
{
	if (b == NULL)
		return;
	b->used = b->used >= n ? b->used - n : 0;
}

/*
 * Give [from, to) of the view back (pages and commit charge gone, as when
 * reserved).
 */
static int
rt_view_release(tmebox_instance *inst, uint64_t from, uint64_t to)
{
	if (to <= from)
		return 0;
	return inst->key->ops->release(inst->key, inst->base + from, to - from);
}

/* Fresh contents of [NULL_GUARD, heap_base): zero stack, image, zero bss. */
static void
rt_fill_image(tmebox_instance *inst)
{
	const tmebox_layout *l = &inst->mod->layout;

	if (l->image_size > 0)
		memcpy(inst->base + l->image_base, inst->mod->image, l->image_size);
}

int
tmebox_instance_create(tmebox_module *mod, uint32_t keyid, tmebox_budget *budget,
					   tmebox_instance **out, char *err, size_t errlen)
{
	tmebox_instance *inst;
	uint64_t	heap_base = mod->layout.heap_base;
	uint64_t	charge = heap_base - TMEBOX_NULL_GUARD;	/* data stack + globals */
	uint64_t	domain;
	rt_key	   *key;
	void	   *m;
	int			rc;

	*out = NULL;
	if (budget == NULL)
		domain = rt_stack_new_domain();
	else
	{
		if (budget->domain == 0)
			budget->domain = rt_stack_new_domain();
		domain = budget->domain;
	}
	rc = rt_key_acquire(domain, keyid, &key, err, errlen);
	if (rc != 0)
		return rc;
	inst = calloc(1, sizeof(*inst));
	if (inst == NULL)
	{
		rt_errf(err, errlen, "out of memory");
		rt_key_release(key);
		return -1;
	}
	if (!rt_charge(budget, charge))
	{
		rt_errf(err, errlen,
				"out of memory: tenant memory limit of %llu bytes reached (a sandbox of this module needs %llu bytes: its data stack and globals)",
				(unsigned long long) budget->limit, (unsigned long long) charge);
		free(inst);
		rt_key_release(key);
		return -1;
	}
	m = key->ops->view_reserve(key, TMEBOX_VIEW_SPAN);
	if (m == NULL)
	{
		rt_errf(err, errlen, "could not reserve a sandbox view: %s", strerror(errno));
		rt_credit(budget, charge);
		free(inst);
		rt_key_release(key);
		return -1;
	}
	if (key->ops->map(key, (uint8_t *) m + TMEBOX_NULL_GUARD,
					  heap_base - TMEBOX_NULL_GUARD) != 0)
	{
		rt_errf(err, errlen, "could not commit sandbox memory (%s KeyID backend): %s",
				key->ops->name, strerror(errno));
		key->ops->view_unmap(key, m, TMEBOX_VIEW_SPAN);
		rt_credit(budget, charge);
		free(inst);
		rt_key_release(key);
		return -1;
	}
	inst->mod = mod;
	inst->keyid = keyid;
	inst->budget = budget;
	inst->base = m;
	inst->brk = heap_base;
	inst->commit_end = heap_base;
	inst->charged = charge;
	inst->domain = domain;
	inst->key = key;
	rt_fill_image(inst);
	mod->ninstances++;
	*out = inst;
	return 0;
}

void
tmebox_instance_destroy(tmebox_instance *inst)
{
	if (inst == NULL)
		return;
	if (rt_st.cur == inst)
		tmebox_rt_unwind();
	rt_stack_forget(inst);
	inst->key->ops->view_unmap(inst->key, inst->base, TMEBOX_VIEW_SPAN);
	rt_key_release(inst->key);
	rt_credit(inst->budget, inst->charged);
	inst->mod->ninstances--;
	free(inst);
}

int
tmebox_instance_reset(tmebox_instance *inst, char *err, size_t errlen)
{
	uint64_t	heap_base = inst->mod->layout.heap_base;

	if (rt_st.cur == inst)
	{
		rt_errf(err, errlen, "cannot reset an instance during a call");
		return -1;
	}
	/* drop every page (zero-fill on next touch); the heap leaves the view */
	if (inst->key->ops->discard(inst->key, inst->base + TMEBOX_NULL_GUARD,
								heap_base - TMEBOX_NULL_GUARD) != 0 ||
		rt_view_release(inst, heap_base, inst->commit_end) != 0)
	{
		rt_errf(err, errlen, "could not reset sandbox memory: %s", strerror(errno));
		inst->needs_reset = true;
		return -1;
	}
	rt_credit(inst->budget, inst->commit_end - heap_base);
	inst->charged = heap_base - TMEBOX_NULL_GUARD;
	inst->commit_end = heap_base;
	inst->brk = heap_base;
	rt_fill_image(inst);
	inst->needs_reset = false;
	return 0;
}

/*
 * Move the break to new_brk (> brk), committing whole pages and charging
 * them.  -1 when over the budget (*limit_hit = the limit) or over
 * TMEBOX_HEAP_MAX (*limit_hit = 0), or when mapping through the key fails.
 */
int
rt_view_grow(tmebox_instance *inst, uint64_t new_brk, uint64_t *limit_hit)
{
	uint64_t	new_end;

	*limit_hit = 0;
	if (new_brk > TMEBOX_HEAP_MAX)
		return -1;
	new_end = rt_page_up(new_brk);
	if (new_end > inst->commit_end)
	{
		uint64_t	extra = new_end - inst->commit_end;

		if (!rt_charge(inst->budget, extra))
		{
			*limit_hit = inst->budget->limit;
			return -1;
		}
		if (inst->key->ops->map(inst->key, inst->base + inst->commit_end, extra) != 0)
		{
			rt_credit(inst->budget, extra);
			return -1;
		}
		inst->charged += extra;
		inst->commit_end = new_end;
	}
	inst->brk = new_brk;
	return 0;
}

/*
 * Move the break down to new_brk (heap_base <= new_brk <= brk): the whole
 * pages above it leave the view (rt_view_release: their contents are
 * gone, zero-fill if the break grows over them again) and are credited to
 * the budget.  Should that fail, they simply stay committed and charged
 * (still consistent: brk <= commit_end).
 */
void
rt_view_shrink(tmebox_instance *inst, uint64_t new_brk)
{
	uint64_t	new_end = rt_page_up(new_brk);

	inst->brk = new_brk;
	if (new_end >= inst->commit_end)
		return;
	if (rt_view_release(inst, new_end, inst->commit_end) != 0)
		return;
	rt_credit(inst->budget, inst->commit_end - new_end);
	inst->charged -= inst->commit_end - new_end;
	inst->commit_end = new_end;
}

uint64_t
tmebox_instance_committed(const tmebox_instance *inst)
{
	return inst->commit_end - TMEBOX_NULL_GUARD;
}

uint32_t
tmebox_instance_keyid(const tmebox_instance *inst)
{
	return inst->keyid;
}

bool
tmebox_instance_needs_reset(const tmebox_instance *inst)
{
	return inst->needs_reset;
}

uint32_t
tmebox_instance_brk(const tmebox_instance *inst)
{
	return (uint32_t) inst->brk;
}

void *
tmebox_instance_view_base(const tmebox_instance *inst)
{
	return inst->base;
}
