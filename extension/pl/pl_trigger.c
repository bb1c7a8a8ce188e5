/*-------------------------------------------------------------------------
 *
 * pl_trigger.c
 *		Trigger functions (RETURNS trigger LANGUAGE tmebox): the call, and
 *		the host calls trigger_data and trigger_result (tmebox_abi.h
 *		"Triggers") through which the sandbox gets the trigger's
 *		description and its NEW and OLD rows and hands back the row it
 *		returns.
 *
 * A trigger function is bound like any other (pl_bind.c: its tenant is its
 * owner's, as for every function; it runs with the privileges of whoever
 * fires it, unless SECURITY DEFINER, as in PostgreSQL), to an export
 * int32_t NAME(int32_t info_size, int32_t new_size, int32_t old_size)
 * that tmebox.h's TMEBOX_TRIGGER defines; the sandbox libc (trigger.c)
 * does the rest of the sandbox half.
 *
 * Invariants kept here:
 *	- The host calls act only inside the trigger call that set them up
 *	  (pl_tg: its instance and call count, cleared when the call ends,
 *	  also by an ERROR); outside one they raise an ERROR (39P01).
 *	- No ERROR longjmps through sandbox frames (pl_callbacks.c's rule): a
 *	  bad view range ends the call with a segmentation fault outside any
 *	  PG_TRY, PostgreSQL code runs under PG_TRY whose PG_CATCH ends with
 *	  pl_callback_raised.
 *	- Nothing the sandbox returns is trusted.  The returned row is copied
 *	  out of the view (bounded by it and by MaxAllocSize) and is either
 *	  byte for byte the NEW or OLD image the host built (the trigger
 *	  returned it untouched: that tuple is returned as it is) or checked
 *	  whole: same column count and column types as the table (42804
 *	  otherwise: a row of another table's shape), then every descriptor,
 *	  offset, length, type code, value, typmod and domain by
 *	  pl_row_from_image (22P03, or the type's own SQLSTATE).  NOT NULL
 *	  and CHECK constraints are PostgreSQL's own checks afterwards.
 *	- Transition tables (REFERENCING NEW/OLD TABLE) are visible to the
 *	  statements the trigger call runs, by their names, as in PL/pgSQL
 *	  (pl_spi_trigger_data for the call only: not after it returns, not
 *	  to another call).
 *	- What PostgreSQL ignores, tmebox ignores: the result of AFTER and
 *	  statement-level triggers is neither copied nor checked.
 *	- The row images the host builds are the tenant's host copies
 *	  (pl_tenantmem.c: charged to its memory limit, freed when the call
 *	  ends); the rows in the sandbox are its heap's.  The description is
 *	  built once per statement (pl_trigger_info_cached), outside them.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "access/xact.h"
#include "commands/trigger.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "pl_callbacks.h"
#include "pl_function.h"
#include "pl_row.h"
#include "pl_spi.h"
#include "pl_tenantmem.h"
#include "pl_trigger.h"

/* The trigger call in progress (host calls act only while it runs). */
typedef struct PlTrigCall
{
	PlInstance *pi;				/* NULL: none */
	uint64		calls;			/* pi->calls during it */
	MemoryContext resultcxt;	/* where the returned row's copy goes */
	bool		wants_result;	/* BEFORE / INSTEAD OF row trigger */
	const char *img[3];			/* description, NEW, OLD */
	uint32		size[3];
	/* what trigger_result handed over */
	bool		given;
	int			same;			/* 1: the NEW image untouched, 2: OLD, 0: no */
	char	   *result;			/* else its copy */
	uint64		result_size;
} PlTrigCall;

static PlTrigCall pl_tg;

/* Is a trigger call of this instance running now? */
static inline bool
pl_trigger_active(void)
{
	return pl_tg.pi != NULL && pl_tg.pi == pl_current_pi &&
		pl_tg.pi->calls == pl_tg.calls;
}

/* The description of the firing (tmebox_abi.h "Triggers"). */
static char *
pl_trigger_info(TriggerData *td, uint32 *size)
{
	Trigger    *trig = td->tg_trigger;
	TriggerEvent ev = td->tg_event;
	int			nstr = 3 + trig->tgnargs;
	const char **strs = palloc(sizeof(char *) * nstr);
	uint64		total;
	uint32		hdr[TMEBOX_TGI_HDR / 4];
	uint32		off;
	char	   *block;

	strs[0] = trig->tgname;
	strs[1] = RelationGetRelationName(td->tg_relation);
	strs[2] = get_namespace_name(RelationGetNamespace(td->tg_relation));
	if (strs[2] == NULL)
		strs[2] = "";
	for (int i = 0; i < trig->tgnargs; i++)
		strs[3 + i] = trig->tgargs[i];
	total = TMEBOX_TGI_HDR + 4 * (uint64) trig->tgnargs;
	for (int i = 0; i < nstr; i++)
		total += strlen(strs[i]) + 1;
	if (total > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the arguments of trigger \"%s\" are too long", trig->tgname)));

	memset(hdr, 0, sizeof(hdr));
	hdr[0] = (uint32) total;
	hdr[1] = TRIGGER_FIRED_BY_INSERT(ev) ? TMEBOX_TGI_INSERT :
		TRIGGER_FIRED_BY_UPDATE(ev) ? TMEBOX_TGI_UPDATE :
		TRIGGER_FIRED_BY_DELETE(ev) ? TMEBOX_TGI_DELETE : TMEBOX_TGI_TRUNCATE;
	hdr[2] = TRIGGER_FIRED_BEFORE(ev) ? TMEBOX_TGI_BEFORE :
		TRIGGER_FIRED_AFTER(ev) ? TMEBOX_TGI_AFTER : TMEBOX_TGI_INSTEAD_OF;
	hdr[3] = TRIGGER_FIRED_FOR_ROW(ev) ? TMEBOX_TGI_ROW : TMEBOX_TGI_STATEMENT;
	hdr[4] = RelationGetRelid(td->tg_relation);
	hdr[5] = (uint32) trig->tgnargs;

	block = palloc((Size) total);
	off = TMEBOX_TGI_HDR + 4 * (uint32) trig->tgnargs;
	for (int i = 0; i < nstr; i++)
	{
		size_t		len = strlen(strs[i]) + 1;

		if (i < 3)
			hdr[6 + i] = off;
		else
			memcpy(block + TMEBOX_TGI_HDR + 4 * (i - 3), &off, sizeof(off));
		memcpy(block + off, strs[i], len);
		off += (uint32) len;
	}
	memcpy(block, hdr, sizeof(hdr));
	*size = (uint32) total;
	return block;
}

/*
 * The description of the firing for this statement: built once per
 * (transaction, command, statement, trigger, table, event) and kept in
 * pl_tg_info_cxt.  Whatever changes a trigger's or table's name or
 * arguments is a command of its own (a new command id) that the table's
 * lock keeps out of a statement firing its triggers; a schema renamed by
 * another session meanwhile shows from the next statement on.
 */
static char *
pl_trigger_info_cached(TriggerData *td, uint32 *size)
{
	static MemoryContext cxt = NULL;
	static struct
	{
		LocalTransactionId lxid;
		CommandId	cid;
		TimestampTz stmt;
		Oid			tgoid;
		Oid			relid;
		TriggerEvent ev;
		char	   *info;
		uint32		size;
	}			c;
	LocalTransactionId lxid = MyProc->lxid;
	CommandId	cid = GetCurrentCommandId(false);
	TimestampTz stmt = GetCurrentStatementStartTimestamp();
	TriggerEvent ev = td->tg_event & (TRIGGER_EVENT_OPMASK | TRIGGER_EVENT_ROW |
									  TRIGGER_EVENT_TIMINGMASK);
	MemoryContext old;

	if (c.info != NULL && c.lxid == lxid && c.cid == cid && c.stmt == stmt &&
		c.tgoid == td->tg_trigger->tgoid && c.relid == RelationGetRelid(td->tg_relation) &&
		c.ev == ev)
	{
		*size = c.size;
		return c.info;
	}
	if (cxt == NULL)
		cxt = AllocSetContextCreate(TopMemoryContext, "tmebox trigger description",
									ALLOCSET_SMALL_SIZES);
	c.info = NULL;
	MemoryContextReset(cxt);
	old = MemoryContextSwitchTo(cxt);
	c.info = pl_trigger_info(td, &c.size);
	MemoryContextSwitchTo(old);
	c.lxid = lxid;
	c.cid = cid;
	c.stmt = stmt;
	c.tgoid = td->tg_trigger->tgoid;
	c.relid = RelationGetRelid(td->tg_relation);
	c.ev = ev;
	*size = c.size;
	return c.info;
}

/*
 * A returned row must have the table's shape: as many columns (dropped
 * ones included) and each live one of the column's type (42804, as
 * PL/pgSQL says it).  What does not even hold a header is left to
 * pl_row_from_image (22P03).
 */
static void
pl_trigger_check_shape(Relation rel, const char *img, uint64 size, const char *what)
{
	TupleDesc	td = RelationGetDescr(rel);
	uint32		ncols;

	if (size < TMEBOX_ROW_HDR)
		return;
	memcpy(&ncols, img, sizeof(ncols));
	if (ncols != (uint32) td->natts)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("returned row structure does not match the structure of the triggering table"),
				 errdetail("Trigger function \"%s\" returned a row of %u columns; table \"%s\" has %d (dropped columns included).",
						   what, ncols, RelationGetRelationName(rel), td->natts),
				 errhint("Return tg->new_row or tg->old_row, changed with tmebox_row_set*.")));
	if (TMEBOX_ROW_HDR + (uint64) TMEBOX_COL_SIZE * ncols > size)
		return;
	for (int i = 0; i < td->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(td, i);
		uint32		sqltype;

		if (att->attisdropped)
			continue;
		memcpy(&sqltype, img + TMEBOX_ROW_HDR + (size_t) TMEBOX_COL_SIZE * i + 12,
			   sizeof(sqltype));
		if (sqltype != att->atttypid)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("returned row structure does not match the structure of the triggering table"),
					 errdetail("Trigger function \"%s\" returned type %s in column %d; column \"%s\" of table \"%s\" is of type %s.",
							   what, format_type_extended(sqltype, -1, FORMAT_TYPE_ALLOW_INVALID),
							   i + 1, NameStr(att->attname), RelationGetRelationName(rel),
							   format_type_be(att->atttypid))));
	}
}

/*
 * A trigger function's binding: its export takes the sizes of the
 * description and of the two rows and returns 0 (no row) or 1 (a row
 * handed over with trigger_result).  Sets pf->trigger either way.
 */
void
pl_trigger_bind_shape(PlFunction *pf)
{
	pf->trigger = pf->rettype == TRIGGEROID && !pf->retset;
	if (!pf->trigger)
		return;
	pf->strict = true;			/* no NULL flags: nothing is NULL */
	pf->nargs = 3;
	for (int i = 0; i < 3; i++)
	{
		pf->argtypes[i] = INT4OID;
		pf->argbase[i] = INT4OID;
		pf->argkinds[i] = TMEBOX_T_I32;
	}
	pf->retkind = TMEBOX_T_I32;
	pf->retcheck = false;
}

/* The export of a trigger function has TMEBOX_TRIGGER's shape. */
void
pl_trigger_check_signature(PlFunction *pf, const tmebox_signature *sig)
{
	bool		ok = sig->ret == TMEBOX_T_I32 && sig->nargs == 3;

	for (int i = 0; ok && i < 3; i++)
		ok = sig->args[i] == TMEBOX_T_I32;
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("C function \"%s\" is not a trigger function, as trigger function \"%s\" needs",
						sig->name, pf->name),
				 errdetail("The C function is declared as: %s.", sig->csig),
				 errhint("Define it with TMEBOX_TRIGGER(%s) { ... }: its body sees tmebox_trigger *tg and returns a tmebox_row *.",
						 sig->name)));
}

/*
 * The sandbox call, with the host calls and the transition tables of td
 * (for its SQL statements, pl_spi.c) active for its duration only.
 */
static void
pl_trigger_invoke(const PlInvoke *c, TriggerData *td)
{
	/* pl_invoke counts the call first: the host calls see pi->calls + 1 */
	pl_tg.pi = c->pi;
	pl_tg.calls = c->pi->calls + 1;
	if (td->tg_newtable != NULL || td->tg_oldtable != NULL)
		pl_spi_trigger_data = td;
	PG_TRY();
	{
		pl_invoke(c);
	}
	PG_FINALLY();
	{
		pl_tg.pi = NULL;
		pl_spi_trigger_data = NULL;
	}
	PG_END_TRY();
}

Datum
pl_function_call_trigger(PlFunction *pf, FunctionCallInfo fcinfo)
{
	TriggerData *td;
	TriggerEvent ev;
	TupleDesc	tupdesc;
	MemoryContext callcxt = CurrentMemoryContext;
	HeapTuple	newtup = NULL;
	HeapTuple	oldtup = NULL;
	uint64_t	args[3];
	uint64_t	r = 0;
	int32		status;
	PlInvoke	c = {
		.what = pf->name,
		.pi = pf->pi,
		.prepared = &pf->call,
		.bits = args,
		.rbits = &r,
	};
	PlTrigCall	done;
	Datum	   *values;
	bool	   *nulls;
	bool	   *keep;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("trigger functions can only be called as triggers")));
	td = (TriggerData *) fcinfo->context;
	ev = td->tg_event;
	tupdesc = RelationGetDescr(td->tg_relation);
	if (TRIGGER_FIRED_FOR_ROW(ev))
	{
		if (TRIGGER_FIRED_BY_INSERT(ev))
			newtup = td->tg_trigtuple;
		else if (TRIGGER_FIRED_BY_UPDATE(ev))
		{
			oldtup = td->tg_trigtuple;
			newtup = td->tg_newtuple;
		}
		else
			oldtup = td->tg_trigtuple;
	}

	/* the rows: the tenant's host copies; the description: per statement */
	memset(&pl_tg, 0, sizeof(pl_tg));
	MemoryContextSwitchTo(pl_tenantmem_enter(pf->pi->tenant));
	pl_tg.img[0] = pl_trigger_info_cached(td, &pl_tg.size[0]);
	if (newtup != NULL)
		pl_tg.img[1] = pl_row_image_tuple(tupdesc, newtup, &pl_tg.size[1]);
	if (oldtup != NULL)
		pl_tg.img[2] = pl_row_image_tuple(tupdesc, oldtup, &pl_tg.size[2]);
	MemoryContextSwitchTo(callcxt);
	pl_tg.resultcxt = callcxt;
	pl_tg.wants_result = TRIGGER_FIRED_FOR_ROW(ev) && !TRIGGER_FIRED_AFTER(ev);
	for (int i = 0; i < 3; i++)
		args[i] = pl_tg.size[i];

	pl_trigger_invoke(&c, td);
	/*
	 * Which columns of a returned row are the ones sent, found while the
	 * images sent still exist: they are the tenant's memory, which leaving
	 * frees (red team s11 redD F1: compared after it, a use after free)
	 */
	keep = palloc0(sizeof(bool) * Max(tupdesc->natts, 1));
	if (pl_tg.wants_result && pl_tg.result != NULL)
		pl_row_cols_same(pl_tg.result, pl_tg.result_size,
						 pl_tg.img[newtup != NULL ? 1 : 2], pl_tg.size[newtup != NULL ? 1 : 2],
						 tupdesc->natts, keep);
	pl_tenantmem_leave();
	/* what the call left: a domain check below may fire another trigger */
	done = pl_tg;

	status = (int32) (uint32) r;
	if ((status != 0 && status != 1) || (status == 1) != done.given)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger function \"%s\" did not return a trigger result", pf->name),
				 errdetail("Its C function returned %d.", status),
				 errhint("Define a trigger function in a module with TMEBOX_TRIGGER(name) { ... }.")));
	if (!done.wants_result || status == 0)
		return PointerGetDatum(NULL);	/* ignored, or skip the row */
	if (done.same == 1)
		return PointerGetDatum(newtup);
	if (done.same == 2)
		return PointerGetDatum(oldtup);

	pl_trigger_check_shape(td->tg_relation, done.result, done.result_size, pf->name);
	values = palloc(sizeof(Datum) * Max(tupdesc->natts, 1));
	nulls = palloc(sizeof(bool) * Max(tupdesc->natts, 1));
	/* the columns left as they were keep their Datums (NEW's, else OLD's) */
	pl_row_from_image_keep(tupdesc, done.result, done.result_size, keep,
						   newtup != NULL ? newtup : oldtup, values, nulls, pf->name);
	return PointerGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* ---- host calls (TMEBOX_HOSTCALLS_TRIGGER) ---- */

/* A host call outside a trigger call: the call ends with an ERROR. */
static void
pl_trigger_outside(const char *call)
{
	MemoryContext mcxt = CurrentMemoryContext;

	PG_TRY();
	{
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sandboxed function called %s outside a trigger call", call),
				 errhint("Only a trigger function (RETURNS trigger) defined with TMEBOX_TRIGGER receives trigger data.")));
	}
	PG_CATCH();
	{
		pl_callback_raised(mcxt);
	}
	PG_END_TRY();
}

/* [off, off + n) of the view, or the call ends with a segmentation fault. */
static char *
pl_trigger_view(uint64 off, uint64 n)
{
	char	   *p = tmebox_rt_view_ptr(off, n);

	if (p == NULL)
		tmebox_rt_fault_segv(off);
	return p;
}

static void
pl_hc_trigger_data(uint64 info, uint64 new_row, uint64 old_row)
{
	const uint64 off[3] = {info, new_row, old_row};

	if (!pl_trigger_active())
		pl_trigger_outside("trigger_data");
	for (int i = 0; i < 3; i++)
		if (pl_tg.size[i] > 0)
			memcpy(pl_trigger_view(off[i], pl_tg.size[i]), pl_tg.img[i], pl_tg.size[i]);
}

static void
pl_hc_trigger_result(uint64 row, uint64 size)
{
	MemoryContext mcxt = CurrentMemoryContext;
	const char *p;

	if (!pl_trigger_active())
		pl_trigger_outside("trigger_result");
	p = pl_trigger_view(row, Max(size, 1));
	pl_tg.given = true;
	pl_tg.same = 0;
	if (pl_tg.result != NULL)
	{
		/*
		 * Called again in the same call: only the last row counts, and
		 * the host keeps one copy (a loop of calls cost the host a copy
		 * each, outside the tenant's limit: red team s9 F4).
		 */
		pfree(pl_tg.result);
		pl_tg.result = NULL;
		pl_tg.result_size = 0;
	}
	if (!pl_tg.wants_result)
		return;					/* AFTER or statement level: ignored */
	for (int i = 1; i <= 2; i++)
		if (pl_tg.img[i] != NULL && size == pl_tg.size[i] &&
			memcmp(p, pl_tg.img[i], size) == 0)
		{
			pl_tg.same = i;
			return;
		}
	PG_TRY();
	{
		if (size > MaxAllocSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("sandboxed function returned a row of " UINT64_FORMAT " bytes, more than %zu",
							size, (size_t) MaxAllocSize)));
		pl_tg.result = MemoryContextAlloc(pl_tg.resultcxt, Max(size, 1));
		memcpy(pl_tg.result, p, size);
		pl_tg.result_size = size;
	}
	PG_CATCH();
	{
		pl_callback_raised(mcxt);
	}
	PG_END_TRY();
}

void
pl_trigger_init(void)
{
	if (tmebox_rt_set_host_function(104, (void *) pl_hc_trigger_data) != 0 ||
		tmebox_rt_set_host_function(105, (void *) pl_hc_trigger_result) != 0)
		elog(ERROR, "tmebox: could not register the trigger host calls");
}
