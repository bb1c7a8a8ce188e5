/*-------------------------------------------------------------------------
 *
 * pl_callbacks.c
 *		Host callbacks: everything the runtime calls back into PostgreSQL
 *		while a sandbox call is in progress.  The host call `interrupt`
 *		(CHECK_FOR_INTERRUPTS), the host call `log` (printf, stderr,
 *		tmebox_notice, tmebox_log), the allocator of a buffer or array
 *		result, and the test the runtime's signal handler makes (must the
 *		sandbox stop now?).
 *
 * Invariants kept here (pl_spi.c's host calls keep them too):
 *	- No ereport/elog ever longjmps through sandbox frames.  Every
 *	  callback that can raise runs its PostgreSQL code under PG_TRY, and
 *	  its PG_CATCH ends with pl_callback_raised: the ERROR stays on
 *	  PostgreSQL's error stack, tmebox_rt_host_raised ends the sandbox
 *	  call (the runtime unwinds to its own entry, never returns here) and
 *	  pl_invoke (pl_invoke.h) resets the instance and rethrows the ERROR
 *	  with its own SQLSTATE.  An ERROR is never swallowed: cancel and
 *	  statement_timeout stop the call, a message that cannot be sent fails
 *	  it.  FATAL (termination) exits the process from here.
 *	- They run on the backend's own stack (the runtime's host-call thunks
 *	  switch to it), so check_stack_depth() sees the real depth and a
 *	  fault in them is PostgreSQL's, never taken for the sandbox's.
 *	- Every byte string from the view that becomes a message or text is
 *	  valid in the database encoding (pl_check_encoding: 22021), so
 *	  nothing invalid is sent to a client or stored.
 *	- pl_should_leave runs inside a signal handler: it only reads flags
 *	  (async-signal-safe), and it says "stop" exactly when
 *	  CHECK_FOR_INTERRUPTS would raise now.
 *	- The result allocator sets up no PG_TRY on its common path (its
 *	  allocation cannot raise): the general call path keeps its cost.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "pl_callbacks.h"

/*
 * Bytes from the view that become a message or text must be valid in the
 * database encoding (the runtime already cut them at the first NUL, or
 * the caller checked for NULs): else 22021, never invalid data sent to a
 * client or stored.
 */
void
pl_check_encoding(const char *s, int len, const char *what)
{
	if (!pg_verifymbstr(s, len, true))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("sandboxed function produced %s that is not valid in encoding \"%s\"",
						what, GetDatabaseEncodingName())));
}

/*
 * The end of every host callback's PG_CATCH: an ERROR of PostgreSQL's own
 * (still on the error stack) ends the sandbox call.  The runtime unwinds
 * to its entry (tmebox_rt_host_raised does not return) and pl_invoke
 * rethrows.  Outside a call (cannot happen: the runtime calls these only
 * during one) the ERROR simply goes on.
 */
void
pl_callback_raised(MemoryContext mcxt)
{
	MemoryContextSwitchTo(mcxt);
	tmebox_rt_host_raised();
	PG_RE_THROW();
}

/*
 * Host call `interrupt` (also run by the runtime before every entry and
 * after every host call when InterruptPending is set), on the backend's
 * stack: CHECK_FOR_INTERRUPTS, whose ERROR (cancel, statement_timeout)
 * ends the call.  Termination is FATAL: the process exits from here.
 */
static int
pl_interrupt_handler(void)
{
	MemoryContext mcxt = CurrentMemoryContext;

	PG_TRY();
	{
		CHECK_FOR_INTERRUPTS();
	}
	PG_CATCH();
	{
		pl_callback_raised(mcxt);
	}
	PG_END_TRY();
	return 0;
}

/*
 * The level of a sandbox message.  Nothing is sent at INFO, which
 * PostgreSQL sends to the client whatever client_min_messages says:
 * TMEBOX_LOG_INFO (printf, stdout) is a NOTICE like stderr and
 * tmebox_notice, so SET client_min_messages (and log_min_messages for the
 * server log) silence a chatty function.
 */
static int
pl_log_elevel(int level)
{
	switch (level)
	{
		case TMEBOX_LOG_DEBUG:
			return DEBUG1;
		case TMEBOX_LOG_INFO:
			return NOTICE;
		case TMEBOX_LOG_WARNING:
			return WARNING;
		default:
			return NOTICE;
	}
}

/*
 * Host call `log` (printf, tmebox_notice, tmebox_log), on the backend's
 * stack.  The message must be valid in the database encoding.  An ERROR
 * from the check or from the report itself (the message cannot be
 * converted to the client's encoding, the client went away, the interrupt
 * check at the end of every report: cancel, statement_timeout) ends the
 * call.
 */
static void
pl_log_handler(int level, const char *msg, size_t msglen)
{
	MemoryContext mcxt = CurrentMemoryContext;
	int			len;

	while (msglen > 0 && msg[msglen - 1] == '\n')
		msglen--;
	len = (int) Min(msglen, (size_t) INT_MAX);
	PG_TRY();
	{
		pl_check_encoding(msg, len, "a message");
		ereport(pl_log_elevel(level), (errmsg_internal("%.*s", len, msg)));
	}
	PG_CATCH();
	{
		pl_callback_raised(mcxt);
	}
	PG_END_TRY();
}

/*
 * Result allocator (tmebox_call's alloc callback): a varlena for a buffer
 * or array result, the payload after pl_result_header's room; `arg` is the
 * call's PlResultSpace.
 */
void *
pl_result_alloc(size_t size, void *arg)
{
	PlResultSpace *rs = (PlResultSpace *) arg;
	MemoryContext mcxt = CurrentMemoryContext;
	Size		hdr = pl_result_header(rs->kind);

	if (size > (rs->huge ? MaxAllocHugeSize : MaxAllocSize) - hdr)
		return NULL;

	/*
	 * A host callback: out of memory ends the call with PostgreSQL's own
	 * ERROR, rethrown by pl_invoke.  The allocation itself cannot raise
	 * (NO_OOM, size checked), so the common path sets up no PG_TRY.
	 */
	rs->block = palloc_extended(size + hdr,
								MCXT_ALLOC_NO_OOM | (rs->huge ? MCXT_ALLOC_HUGE : 0));
	if (unlikely(rs->block == NULL))
	{
		PG_TRY();
		{
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory"),
					 errdetail("Failed on request of size %zu for the result of a sandboxed function.",
							   size + pl_result_header(rs->kind))));
		}
		PG_CATCH();
		{
			pl_callback_raised(mcxt);
		}
		PG_END_TRY();
	}
	return rs->block + hdr;
}

/*
 * Called from the runtime's signal handler, after PostgreSQL's: must the
 * sandboxed code stop?  Exactly when CHECK_FOR_INTERRUPTS would raise an
 * ERROR or FATAL now; any other interrupt (a barrier, a memory-context
 * dump request) waits for the next poll.  Async-signal-safe: reads flags.
 */
bool
pl_should_leave(void)
{
	if (InterruptHoldoffCount != 0 || CritSectionCount != 0)
		return false;
	return ProcDiePending || (QueryCancelPending && QueryCancelHoldoffCount == 0);
}

/*
 * Once per backend (from pl_invoke_init): the runtime polls PostgreSQL's
 * InterruptPending and calls these for the host calls `interrupt` and
 * `log`.
 */
void
pl_callbacks_install(void)
{
	tmebox_rt_set_interrupt_flag((const volatile int32_t *) &InterruptPending);
	tmebox_rt_set_interrupt_handler(pl_interrupt_handler);
	tmebox_rt_set_log_handler(pl_log_handler);
}
