/*-------------------------------------------------------------------------
 *
 * pl_session.c
 *		DISCARD ALL drops the session's sandboxes: every instance (its view
 *		and memory), so every function's globals start afresh, and the
 *		session's per-tenant counters, as a connection pooler that resets
 *		a server connection between clients expects.
 *
 *		PostgreSQL's DISCARD ALL (commands/discard.c) calls no extension
 *		callback of its own: ResetAllOptions calls a setting's assign hook
 *		only when the setting was SET in the session, ResetPlanCache only
 *		marks plans invalid.  The documented way for an extension to see a
 *		utility statement is ProcessUtility_hook, which this file chains.
 *
 * Invariants kept here:
 *	- The previous hook (or standard_ProcessUtility) always runs first and
 *	  unchanged; the sandboxes are dropped only after DISCARD ALL
 *	  succeeded.  DISCARD ALL cannot run in a transaction block or a
 *	  function, so no sandbox call is in progress then.
 *	- Other DISCARD forms (PLANS, SEQUENCES, TEMP) leave the sandboxes.
 *	- DISCARD ALL and DISCARD PLANS empty the session's cache of
 *	  tmebox_sql statements (pl_spi.c), as they drop the session's own
 *	  prepared statements and plans; never during a sandbox call (DISCARD
 *	  PLANS can run in a function: a cached plan may be executing).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "nodes/parsenodes.h"
#include "tcop/utility.h"

#include "pl_cache.h"
#include "pl_session.h"
#include "pl_spi.h"

static ProcessUtility_hook_type pl_prev_process_utility = NULL;

static void
pl_process_utility(PlannedStmt *pstmt, const char *queryString,
				   bool readOnlyTree, ProcessUtilityContext context,
				   ParamListInfo params, QueryEnvironment *queryEnv,
				   DestReceiver *dest, QueryCompletion *qc)
{
	Node	   *stmt = pstmt->utilityStmt;
	bool		discard_all = IsA(stmt, DiscardStmt) &&
		((DiscardStmt *) stmt)->target == DISCARD_ALL;
	bool		discard_plans = IsA(stmt, DiscardStmt) &&
		((DiscardStmt *) stmt)->target == DISCARD_PLANS;

	if (pl_prev_process_utility)
		pl_prev_process_utility(pstmt, queryString, readOnlyTree, context,
								params, queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context,
								params, queryEnv, dest, qc);
	if ((discard_all || discard_plans) && !tmebox_rt_in_call())
		pl_spi_discard_plans();
	if (discard_all && !tmebox_rt_in_call())
		pl_cache_discard_all();
}

/* From _PG_init. */
void
pl_session_init(void)
{
	pl_prev_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = pl_process_utility;
}
