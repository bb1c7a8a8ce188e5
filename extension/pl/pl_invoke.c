/*-------------------------------------------------------------------------
 *
 * pl_invoke.c
 *		The out-of-line halves of pl_invoke (pl_invoke.h), the one way into
 *		tenant code: installing and re-checking the runtime's interrupt
 *		signals, mapping a failed call to an ERROR with its SQLSTATE or
 *		rethrowing the ERROR a host callback caught, and unwinding the
 *		runtime should an ERROR ever leave a call another way.
 *
 * Invariants kept here:
 *	- A fault resets the instance before the ERROR is raised, so the next
 *	  call starts from a clean sandbox; other tenants' instances are never
 *	  touched.  The instance and its tenant are charged the fault.
 *	- An ERROR a host callback caught (TMEBOX_FAULT_HOST_RAISED) is
 *	  rethrown unchanged, with its own SQLSTATE, in the same call: cancel
 *	  and statement_timeout stop the call, a message that cannot be sent
 *	  fails it.  The callbacks (pl_callbacks.c) never let an ERROR longjmp
 *	  through sandbox frames; the (sub)transaction abort callback here
 *	  unwinds the runtime and resets the instance anyway, should one ever
 *	  leave a call another way.
 *	- A sandbox's error message is valid in the database encoding (22021).
 *	- Before every call the runtime's handlers for SIGINT, SIGTERM, SIGUSR1
 *	  and SIGALRM are in place, so cancel, statement_timeout and
 *	  termination stop sandboxed loops (which do not poll), and every
 *	  installed handler (SIGHUP...) runs on the alternate signal stack, so
 *	  no signal is delivered on the nearly full native sandbox stack;
 *	  re-checked at each new statement (the full scan of every signal at
 *	  most once a second: it costs one system call per signal).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>

#include "access/xact.h"
#include "miscadmin.h"

#include "pl_callbacks.h"
#include "pl_invoke.h"
#include "pl_tenantmem.h"

/*
 * The instance of the call in progress (set before every sandbox call):
 * what pl_invoke_abort resets when an ERROR left the call early.
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
 * Before a sandbox call: make sure the runtime's interrupt handlers are in
 * place.  Installed on first use; checked again once per statement, since
 * whoever replaced one of them (another extension) would otherwise leave
 * sandboxed loops uninterruptible.
 */
void
pl_invoke_prepare_slow(TimestampTz stmt)
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

/*
 * (Sub)transaction abort: the host copies of the call that failed go
 * (pl_tenantmem.c).  Should an ERROR ever have longjmped past the
 * runtime during a sandbox call (the callbacks catch theirs and end the
 * call properly, so nothing is expected here), unwind it and reset the
 * instance, whose state the abandoned call may have left half-changed,
 * before anything can call into it again.
 */
static void
pl_invoke_abort(void)
{
	/*
	 * A statement's subtransaction inside a host call of SQL access
	 * (pl_spi.c): the call goes on, nothing of it is abandoned.
	 */
	if (pl_spi_active > 0)
		return;
	if (pl_spi_used)
		pl_spi_call_end(true);
	pl_tenantmem_leave();		/* the abandoned call's host copies */
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
	{
		pl_spi_active = 0;		/* no statement survives its transaction */
		pl_invoke_abort();
	}
}

static void
pl_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		pl_invoke_abort();
}

/*
 * The failure half of pl_invoke (nothing else calls it): charge and reset
 * the instance `pi` (NULL for a DO block), then turn the fault into an
 * ERROR with its SQLSTATE, or rethrow the ERROR a host callback caught
 * (TMEBOX_FAULT_HOST_RAISED; it is still on PostgreSQL's error stack).
 * `what` names the function.
 */
void
pl_invoke_failed(const char *what, PlInstance *pi, const tmebox_fault *fault)
{
	char		text[TMEBOX_MESSAGE_MAX + 128];

	if (pl_spi_used && pl_spi_active == 0)
		pl_spi_call_end(true);	/* an ERROR follows: portals go with it */
	pl_current_pi = NULL;
	if (pi)
	{
		pi->faults++;
		pi->tenant->faults++;
		/*
		 * Every fault inside a call leaves the instance needing a reset; a
		 * refusal before entering does not.  Ask the runtime rather than
		 * guess from the kind: a HOST_ERROR can be either (a result the
		 * host could not copy ends the call after the sandbox ran).
		 */
		if (tmebox_instance_needs_reset(pi->inst))
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
			/* tmebox_error_code's SQLSTATE (checked by the runtime) */
			ereport(ERROR,
					(errcode(fault->sqlstate != 0 ? fault->sqlstate : ERRCODE_RAISE_EXCEPTION),
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

/* Once per backend (tmebox_pl_init): the host callbacks, the abort hooks. */
void
pl_invoke_init(void)
{
	pl_callbacks_install();
	RegisterXactCallback(pl_xact_callback, NULL);
	RegisterSubXactCallback(pl_subxact_callback, NULL);
}
