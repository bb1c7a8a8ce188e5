/*-------------------------------------------------------------------------
 *
 * rt_stack.c
 *		Who used the native sandbox stack last, and clearing it before
 *		another tenant's code runs there.
 *
 * The process has one native sandbox stack (rt_enter.c), shared by every
 * instance.  Sandboxed code may read its own frame before writing it (the
 * verifier checks bounds, not initialisation), so what one tenant's code
 * left there (spills, locals, stack arguments) would be readable by the
 * next.  Instances belong to domains: the tenant's budget's
 * tmebox_budget.domain, a number this file hands out once and never
 * again, so a tenant dropped and created again (a recycled budget, KeyID
 * or pointer) is another domain; an instance without a budget is a domain
 * of its own.
 *
 * Invariants:
 *	- Before any instance's code runs on the native sandbox stack,
 *	  rt_stack_enter has run for it: rt_st.stack_inst is that instance and
 *	  rt_st.stack_domain its domain.
 *	- Every byte below rt_entry_top that calls of stack_domain may have
 *	  written lies within rt_st.stack_dirty bytes of it: each call reaches
 *	  at most its module's verifier bound below the export's return
 *	  address (tmebox_module.stack_bound, the whole stack when unbounded)
 *	  plus RT_ENTRY_EXTRA (return address, libffi-path stack arguments).
 *	- When the domain changes, those bytes are zero before the new
 *	  domain's code runs: a memset of the dirty bytes (up to
 *	  RT_STACK_MEMSET_MAX), else MADV_DONTNEED of the whole stack (the
 *	  kernel gives zero pages back).  Calls of the last instance cost one
 *	  compare; changing instance within a domain clears nothing.
 *	- rt_st.stack_inst never points at a destroyed instance
 *	  (rt_stack_forget), so a new instance at the same address is seen as
 *	  another one.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <string.h>
#include <sys/mman.h>

#include "rt_internal.h"
#include "tvf.h"

/* Largest clear done with memset; beyond, madvise (one system call, then
 * a page fault for each page touched again). */
#define RT_STACK_MEMSET_MAX	(64 * 1024)

static uint64_t rt_stack_domains;

/* A domain number never handed out before (never 0). */
uint64_t
rt_stack_new_domain(void)
{
	return ++rt_stack_domains;
}

/* Bytes below rt_entry_top a call into mod can write. */
static size_t
rt_stack_reach(const tmebox_module *mod)
{
	size_t		whole = (size_t) (rt_entry_top - rt_st.stack_lo);

	if (mod->stack_bound == TVF_STACK_UNBOUNDED ||
		(size_t) mod->stack_bound + RT_ENTRY_EXTRA >= whole)
		return whole;
	return (size_t) mod->stack_bound + RT_ENTRY_EXTRA;
}

/* Zero the `dirty` bytes below rt_entry_top. */
static void
rt_stack_clear(size_t dirty)
{
	if (dirty == 0)
		return;
	rt_st.stack_clears++;
	if (dirty <= RT_STACK_MEMSET_MAX)
		memset(rt_entry_top - dirty, 0, dirty);
	else if (madvise(rt_st.stack_lo, (size_t) (rt_st.stack_hi - rt_st.stack_lo),
					 MADV_DONTNEED) != 0)
		memset(rt_st.stack_lo, 0, (size_t) (rt_entry_top - rt_st.stack_lo));
}

/* rt_stack_enter's slow path: inst is not the last instance entered. */
void
rt_stack_switch(tmebox_instance *inst)
{
	size_t		reach = rt_stack_reach(inst->mod);

	if (inst->domain != rt_st.stack_domain)
	{
		rt_stack_clear(rt_st.stack_dirty);
		rt_st.stack_domain = inst->domain;
		rt_st.stack_dirty = reach;
	}
	else if (reach > rt_st.stack_dirty)
		rt_st.stack_dirty = reach;
	rt_st.stack_inst = inst;
}

/* inst is being destroyed. */
void
rt_stack_forget(tmebox_instance *inst)
{
	if (rt_st.stack_inst == inst)
		rt_st.stack_inst = NULL;
}
