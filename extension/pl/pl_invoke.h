/*-------------------------------------------------------------------------
 *
 * pl_invoke.h
 *		pl_invoke, the one way into tenant code (pl_invoke.c holds its
 *		out-of-line halves: the signal set-up, the failure path and the
 *		unwinding at transaction abort).
 *
 *		Every entry into a sandbox goes through pl_invoke: the call handler's
 *		scalar fast path and general call (pl_call.c, pl_function.h) and DO
 *		blocks (pl_bind.c).  Nothing else in the language calls
 *		tmebox_call, tmebox_call_prepared or the runtime's unwinding.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_INVOKE_H
#define PL_INVOKE_H

#include "access/xact.h"

#include "pl_cache.h"
#include "pl_spi.h"

/*
 * One sandbox call, as pl_invoke makes it: the runtime's prepared
 * all-scalar call (prepared != NULL: register images in, one out), its
 * prepared byte-string call (prepared != NULL and bytes: tmebox_values,
 * a result allocator) or the general one (tmebox_call: tmebox_values,
 * buffers, result allocator).
 */
typedef struct PlInvoke
{
	const char *what;			/* names the function in messages */
	PlInstance *pi;				/* charged and reset on a fault; NULL for a
								 * DO block (its caller destroys the sandbox) */
	const tmebox_prepared *prepared;
	bool		bytes;			/* prepared is tmebox_prepare_bytes's */
	const uint64_t *bits;
	uint64_t   *rbits;
	tmebox_instance *inst;
	int			export_index;
	const tmebox_value *args;
	tmebox_value *result;
	tmebox_alloc_fn result_alloc;
	void	   *alloc_arg;
} PlInvoke;

/* pl_invoke.c: pl_invoke's out-of-line halves; nothing else calls them */
extern void pl_invoke_init(void);
extern void pl_invoke_prepare_slow(TimestampTz stmt);
extern void pl_invoke_failed(const char *what, PlInstance *pi,
							 const tmebox_fault *fault) pg_attribute_noreturn();
extern PlInstance *pl_current_pi;
extern tmebox_fault pl_fault;
extern bool pl_signals_installed;
extern TimestampTz pl_signals_checked_at;

/*
 * THE way into a sandbox.  In order:
 *	1. prepare: the runtime's interrupt handlers in place (cancel,
 *	   statement_timeout and termination stop sandboxed loops through them)
 *	   and every signal handler on the alternate stack; installed on first
 *	   use, checked again at each new statement (pl_invoke_prepare_slow:
 *	   whoever replaced one, another extension, would leave loops
 *	   uninterruptible); per call, one compare;
 *	2. the call counted and its instance recorded for the unwinding at
 *	   transaction abort (pl_invoke.c), should an ERROR ever leave the
 *	   call another way;
 *	3. entry through the runtime (prepared register images, or values,
 *	   buffers and the result allocator);
 *	4. on failure (pl_invoke_failed): the call's SQL handles freed
 *	   (pl_spi.c), the instance charged and reset, the
 *	   fault mapped to an ERROR with its SQLSTATE, or, when a host callback
 *	   caught an ERROR of PostgreSQL's own (TMEBOX_FAULT_HOST_RAISED:
 *	   cancel, statement_timeout, a message that could not be sent, out of
 *	   memory), that ERROR rethrown.  The callbacks (pl_callbacks.c) end
 *	   the call through tmebox_rt_host_raised, which unwinds to the
 *	   runtime's own rt_setjmp at the entry: no PG_TRY per call.
 * Inline: with `prepared` known at the call site, the per-row path is the
 * statement-start compare, the prepared call and one test.
 */
static inline void
pl_invoke(const PlInvoke *c)
{
	TimestampTz stmt = GetCurrentStatementStartTimestamp();
	int			rc;

	if (unlikely(!pl_signals_installed || stmt != pl_signals_checked_at))
		pl_invoke_prepare_slow(stmt);
	if (c->pi != NULL)
		c->pi->calls++;
	pl_current_pi = c->pi;
	if (c->prepared != NULL && c->bytes)
		rc = tmebox_call_bytes(c->prepared, c->args, c->result, c->result_alloc,
							   c->alloc_arg, &pl_fault);
	else if (c->prepared != NULL)
		rc = tmebox_call_prepared(c->prepared, c->bits, c->rbits, &pl_fault);
	else
		rc = tmebox_call(c->inst, c->export_index, c->args, c->result,
						 c->result_alloc, c->alloc_arg, &pl_fault);
	if (unlikely(rc != 0))
		pl_invoke_failed(c->what, c->pi, &pl_fault);
	if (unlikely(pl_spi_used))
		pl_spi_call_end(false); /* its SQL results, plans and cursors */
}

#endif							/* PL_INVOKE_H */
