/*-------------------------------------------------------------------------
 *
 * pl_call.c
 *		Call a bound tmebox function: SQL arguments into the sandbox, the
 *		call, the result back out, and every fault turned into an ERROR.
 *
 * Invariants kept here:
 *	- Argument and result bytes cross the boundary only through the
 *	  runtime (tmebox_call), which copies them into / out of the view and
 *	  checks every offset and length the sandbox hands back.
 *	- A fault resets the instance before the ERROR is raised, so the next
 *	  call starts from a clean sandbox; other tenants' instances are never
 *	  touched.
 *	- Host calls that re-enter PostgreSQL (interrupt processing, logging,
 *	  the result allocator) run on the backend's own stack (the runtime's
 *	  host-call thunks switch to it), so check_stack_depth() sees the real
 *	  depth.  An ERROR they raise is never swallowed: the callback catches
 *	  it and ends the sandbox call at once (tmebox_rt_host_raised: the
 *	  runtime unwinds to its entry), and pl_invoke_failed resets the
 *	  instance and rethrows it, in the same call: cancel and
 *	  statement_timeout stop the call, a message that cannot be sent fails
 *	  it with its own SQLSTATE.  The (sub)transaction abort callback
 *	  unwinds the runtime too, should an ERROR ever leave a call another
 *	  way.
 *	- Every sandbox call goes through pl_invoke (pl_function.h): one
 *	  sequence of prepare, entry, fault mapping and rethrow.
 *	- Every byte string from the view that becomes a message or text is
 *	  NUL-free and valid in the database encoding (22021), bytea excepted.
 *	- Every sandbox call is preceded by pl_call_prepare: the runtime's
 *	  handlers for SIGINT, SIGTERM, SIGUSR1 and SIGALRM are in place, so
 *	  cancel, statement_timeout and termination stop sandboxed loops (which
 *	  do not poll), and every installed handler (SIGHUP...) runs on the
 *	  alternate signal stack, so no signal is delivered on the nearly full
 *	  native sandbox stack; re-checked at each new statement (the full
 *	  scan of every signal at most once a second: it costs one system call
 *	  per signal).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>
#include <signal.h>

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "pl_function.h"

/*
 * The instance of the call in progress (set before every sandbox call):
 * what pl_call_abort resets when an ERROR left the call early.
 */
PlInstance *pl_current_pi = NULL;

/*
 * The fault report of the call in progress.  4 kB: on the stack it would
 * push every row's call frames that much deeper.  The backend runs one
 * call at a time (the runtime refuses nested ones) and the report is used
 * at once.
 */
tmebox_fault pl_fault;

/*
 * Bytes from the view that become a message or text must be valid in the
 * database encoding (the runtime already cut them at the first NUL, or
 * the caller checked for NULs): else 22021, never invalid data sent to a
 * client or stored.
 */
static void
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
 * to its entry (tmebox_rt_host_raised does not return) and pl_invoke_failed
 * rethrows.  Outside a call (cannot happen: the runtime calls these only
 * during one) the ERROR simply goes on.
 */
static void pl_callback_raised(MemoryContext mcxt) pg_attribute_noreturn();

static void
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
 * Host call `log` (printf, tmebox_notice, tmebox_log), on the backend's
 * stack.  The message must be valid in the database encoding.  An ERROR
 * from the check or from the report itself (the message cannot be
 * converted to the client's encoding, the client went away, the interrupt
 * check at the end of every report: cancel, statement_timeout) ends the
 * call.
 */
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
 * (Sub)transaction abort: should an ERROR ever have longjmped past the
 * runtime during a sandbox call (the callbacks catch theirs and end the
 * call properly, so nothing is expected here), unwind it and reset the
 * instance, whose state the abandoned call may have left half-changed,
 * before anything can call into it again.
 */
static void
pl_call_abort(void)
{
	if (!tmebox_rt_in_call())
		return;
	tmebox_rt_unwind();
	if (pl_current_pi != NULL)
	{
		pl_current_pi->faults++;
		pl_cache_reset_instance(pl_current_pi);
	}
	pl_current_pi = NULL;
}

static void
pl_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT)
		pl_call_abort();
}

static void
pl_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		pl_call_abort();
}

/*
 * Asynchronous interruption (runtime/rt_interrupt.c): the signals through
 * which a backend learns that its statement must stop.  Cancel arrives as
 * SIGINT, termination as SIGTERM, recovery conflicts through SIGUSR1.
 * statement_timeout arrives as SIGALRM, whose handler sends SIGINT to the
 * backend itself: that SIGINT interrupts the SIGALRM handler (host code,
 * so it cannot stop the sandbox), and the check made when PostgreSQL's
 * SIGALRM handler returns does.
 */
static const int pl_interrupt_signals[] = {SIGINT, SIGTERM, SIGUSR1, SIGALRM};
bool		pl_signals_installed = false;
TimestampTz pl_signals_checked_at = 0;
static TimestampTz pl_onstack_checked_at = 0;

/*
 * Called from the runtime's signal handler, after PostgreSQL's: must the
 * sandboxed code stop?  Exactly when CHECK_FOR_INTERRUPTS would raise an
 * ERROR or FATAL now; any other interrupt (a barrier, a memory-context
 * dump request) waits for the next poll.  Async-signal-safe: reads flags.
 */
static bool
pl_should_leave(void)
{
	if (InterruptHoldoffCount != 0 || CritSectionCount != 0)
		return false;
	return ProcDiePending || (QueryCancelPending && QueryCancelHoldoffCount == 0);
}

/*
 * Before a sandbox call: make sure the runtime's interrupt handlers are in
 * place.  Installed on first use; checked again once per statement, since
 * whoever replaced one of them (another extension) would otherwise leave
 * sandboxed loops uninterruptible.
 */
void
pl_call_prepare_slow(TimestampTz stmt)
{
	char		err[256];
	int			rc;

	if (!pl_signals_installed)
		rc = tmebox_rt_set_interrupt_signals(pl_interrupt_signals,
											 lengthof(pl_interrupt_signals),
											 pl_should_leave, err, sizeof(err));
	else
		rc = tmebox_rt_check_interrupt_signals(err, sizeof(err));

	/*
	 * Every handler installed in the backend (PostgreSQL's SIGHUP, SIGUSR2,
	 * SIGQUIT..., a library's) on the alternate signal stack.  A full scan
	 * is a system call per signal (tens of microseconds): at first use and
	 * then at most once a second of statement starts.
	 */
	if (rc >= 0 && (!pl_signals_installed ||
					stmt - pl_onstack_checked_at >= USECS_PER_SEC ||
					stmt < pl_onstack_checked_at))
	{
		rc = tmebox_rt_handlers_onstack(err, sizeof(err));
		pl_onstack_checked_at = stmt;
	}
	if (rc < 0)
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("could not install the tmebox interrupt handlers"),
				 errdetail_internal("%s", err)));
	pl_signals_installed = true;
	pl_signals_checked_at = stmt;
}

void
pl_call_init(void)
{
	tmebox_rt_set_interrupt_flag((const volatile int32_t *) &InterruptPending);
	tmebox_rt_set_interrupt_handler(pl_interrupt_handler);
	tmebox_rt_set_log_handler(pl_log_handler);
	RegisterXactCallback(pl_xact_callback, NULL);
	RegisterSubXactCallback(pl_subxact_callback, NULL);
}

/*
 * pl_invoke's failure path: turn a fault into an ERROR, or rethrow the
 * ERROR a host callback caught (TMEBOX_FAULT_HOST_RAISED; it is still on
 * PostgreSQL's error stack).  `pi` (may be NULL) is reset and charged the
 * fault; `what` names the function.
 */
void
pl_invoke_failed(const char *what, PlInstance *pi, const tmebox_fault *fault)
{
	char		text[TMEBOX_MESSAGE_MAX + 128];

	pl_current_pi = NULL;
	if (pi)
	{
		pi->faults++;
		pi->tenant->faults++;
		if (fault->kind != TMEBOX_FAULT_HOST_ERROR)
			pl_cache_reset_instance(pi);
	}
	if (fault->kind == TMEBOX_FAULT_HOST_RAISED)
		PG_RE_THROW();
	tmebox_fault_format(fault, text, sizeof(text));
	switch (fault->kind)
	{
		case TMEBOX_FAULT_USER_ERROR:
			pl_check_encoding(fault->message, (int) strnlen(fault->message, sizeof(fault->message)),
							  "an error message");
			ereport(ERROR,
					(errcode(ERRCODE_RAISE_EXCEPTION),
					 errmsg_internal("%s", fault->message)));
			break;
		case TMEBOX_FAULT_OUT_OF_MEMORY:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory in sandboxed function \"%s\"", what),
					 errdetail("The tenant's memory limit of " UINT64_FORMAT " bytes was reached.",
							   (uint64) fault->mem_limit),
					 errhint("An administrator can raise it with tmebox.alter_tenant().")));
			break;
		case TMEBOX_FAULT_INTERRUPTED:
			CHECK_FOR_INTERRUPTS();
			ereport(ERROR,
					(errcode(ERRCODE_QUERY_CANCELED),
					 errmsg("sandboxed function \"%s\" was interrupted", what)));
			break;
		case TMEBOX_FAULT_DIVZERO:
			ereport(ERROR,
					(errcode(ERRCODE_DIVISION_BY_ZERO),
					 errmsg("sandboxed function \"%s\" failed: %s", what, text)));
			break;
		case TMEBOX_FAULT_INTOVF:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("sandboxed function \"%s\" failed: %s", what, text),
					 errdetail("The most negative integer was divided by -1 (or its remainder taken): the quotient does not fit its type.")));
			break;
		case TMEBOX_FAULT_HOST_ERROR:
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_INVOCATION_EXCEPTION),
					 errmsg("could not call sandboxed function \"%s\"", what),
					 errdetail_internal("%s", text)));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("sandboxed function \"%s\" failed: %s", what, text),
					 fault->kind == TMEBOX_FAULT_STACK_OVERFLOW ?
					 errhint("Deep or unbounded recursion, or very large local arrays, exhaust the sandbox's stacks.") : 0));
	}
}

/* Result allocator: a varlena for BUF (payload after the header), else plain. */
typedef struct PlResultSpace
{
	tmebox_type kind;
	char	   *block;
} PlResultSpace;

static void *
pl_result_alloc(size_t size, void *arg)
{
	PlResultSpace *rs = (PlResultSpace *) arg;

	MemoryContext mcxt = CurrentMemoryContext;

	if (size > MaxAllocSize - VARHDRSZ)
		return NULL;

	/*
	 * A host callback: out of memory ends the call with PostgreSQL's own
	 * ERROR, rethrown by pl_invoke_failed.  The allocation itself cannot
	 * raise (NO_OOM, size checked), so the common path sets up no PG_TRY.
	 */
	rs->block = palloc_extended(size + VARHDRSZ, MCXT_ALLOC_NO_OOM);
	if (unlikely(rs->block == NULL))
	{
		PG_TRY();
		{
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory"),
					 errdetail("Failed on request of size %zu for the result of a sandboxed function.",
							   size + VARHDRSZ)));
		}
		PG_CATCH();
		{
			pl_callback_raised(mcxt);
		}
		PG_END_TRY();
	}
	return rs->block + VARHDRSZ;
}

/* One SQL argument into a tmebox_value (arrays: 1-D, no NULLs). */
static void
pl_arg_in(PlFunction *pf, int i, Datum d, bool isnull, tmebox_value *v)
{
	v->v.i = 0;
	v->isnull = false;
	if (isnull)
	{
		/*
		 * A NULL buffer or array is passed as a NULL pointer; a NULL scalar
		 * as 0 (only non-STRICT functions get here, and they receive the
		 * NULL flags as extra bool arguments).
		 */
		v->isnull = tmebox_type_by_ref(pf->argkinds[i]);
		return;
	}
	switch (tmebox_type_class_of(pf->argkinds[i]))
	{
		case TMEBOX_CLASS_BUF:
			{
				struct varlena *t = PG_DETOAST_DATUM_PACKED(d);

				v->v.buf.data = VARDATA_ANY(t);
				v->v.buf.len = VARSIZE_ANY_EXHDR(t);
				break;
			}
		case TMEBOX_CLASS_ARRAY:
			{
				ArrayType  *a = DatumGetArrayTypeP(d);

				if (ARR_NDIM(a) > 1)
					ereport(ERROR,
							(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
							 errmsg("tmebox functions take one-dimensional arrays only")));
				if (ARR_HASNULL(a) && array_contains_nulls(a))
					ereport(ERROR,
							(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
							 errmsg("array argument %d of \"%s\" contains NULL elements", i + 1, pf->name)));
				v->v.buf.data = ARR_DATA_PTR(a);
				v->v.buf.len = ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
				break;
			}
		default:
			pl_scalar_in(pf->argkinds[i], d, v);
			break;
	}
}

/* Build a SQL array from `n` elements at `data` (element type by kind). */
static Datum
pl_array_out(tmebox_type kind, const char *data, uint32 n)
{
	tmebox_type elem = tmebox_type_elem(kind);
	Oid			elemtype = pl_type_oid(elem);
	unsigned	width = tmebox_type_width(kind);
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	int16		typlen;
	bool		typbyval;
	char		typalign;

	for (uint32 i = 0; i < n; i++)
	{
		tmebox_value ev;

		tmebox_scalar_load(elem, data + (size_t) i * width, &ev);
		elems[i] = pl_scalar_out(elem, &ev);
	}
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_array(elems, (int) n, elemtype, typlen, typbyval, typalign));
}

Datum
pl_function_call(PlFunction *pf, FunctionCallInfo fcinfo)
{
	tmebox_value args[TMEBOX_MAX_ARGS];
	tmebox_value result;
	PlResultSpace rs;
	PlInvoke	c = {
		.what = pf->name,
		.pi = pf->pi,
		.inst = pf->pi->inst,
		.export_index = pf->export_index,
		.args = args,
		.result = &result,
		.result_alloc = pl_result_alloc,
		.alloc_arg = &rs,
	};
	int			i;

	for (i = 0; i < pf->nargs; i++)
		pl_arg_in(pf, i, fcinfo->args[i].value, fcinfo->args[i].isnull, &args[i]);
	if (!pf->strict)
		for (i = 0; i < pf->nargs; i++)
		{
			args[pf->nargs + i].isnull = false;
			args[pf->nargs + i].v.i = 0;
			args[pf->nargs + i].v.b = fcinfo->args[i].isnull;
		}

	rs.kind = pf->retkind;
	rs.block = NULL;
	pl_invoke(&c);

	switch (tmebox_type_class_of(pf->retkind))
	{
		case TMEBOX_CLASS_VOID:
			PG_RETURN_VOID();
		case TMEBOX_CLASS_BOOL:
		case TMEBOX_CLASS_INT:
		case TMEBOX_CLASS_FLOAT:
			return pl_scalar_out(pf->retkind, &result);
		case TMEBOX_CLASS_BUF:
			if (result.isnull)
			{
				fcinfo->isnull = true;
				return (Datum) 0;
			}
			if (rs.block == NULL)
				rs.block = palloc(VARHDRSZ);	/* empty result */
			if (pf->retbase != BYTEAOID)
			{
				/* text-like: no NUL, valid in the database encoding */
				if (memchr(rs.block + VARHDRSZ, '\0', result.v.buf.len) != NULL)
					ereport(ERROR,
							(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
							 errmsg("sandboxed function \"%s\" returned text containing a NUL byte",
									pf->name)));
				pl_check_encoding(rs.block + VARHDRSZ, (int) result.v.buf.len, "a text result");
			}
			SET_VARSIZE(rs.block, VARHDRSZ + result.v.buf.len);
			return PointerGetDatum(rs.block);
		case TMEBOX_CLASS_ARRAY:
			if (result.isnull)
			{
				fcinfo->isnull = true;
				return (Datum) 0;
			}
			return pl_array_out(pf->retkind, result.v.buf.data, result.v.buf.len);
	}
	elog(ERROR, "unexpected tmebox result kind %d", pf->retkind);
	return (Datum) 0;
}

/*
 * A result of a domain type meets the domain's constraints (NOT NULL,
 * CHECK), as for SQL and PL/pgSQL functions: 23502 / 23514 otherwise.
 * domain_check's cache lives in pf->domain_cxt, so the constraints are
 * looked up once per binding and follow ALTER DOMAIN.
 */
void
pl_result_domain_check(PlFunction *pf, Datum result, bool isnull)
{
	if (pf->domain_cxt == NULL)
	{
		pf->domain_cxt = AllocSetContextCreate(TopMemoryContext, "tmebox domain check",
											   ALLOCSET_SMALL_SIZES);
		pf->domain_extra = NULL;
	}
	domain_check(result, isnull, pf->rettype, &pf->domain_extra, pf->domain_cxt);
}
