/*-------------------------------------------------------------------------
 *
 * pl_bind.c
 *		Bind a LANGUAGE tmebox function to its sandbox.
 *
 *		AS 'module.symbol'	 the exported function `symbol` of module
 *							 `module` of the function's tenant;
 *		AS $$ C body $$		 the body, statements or a translation unit
 *							 defining a function named like the SQL one,
 *							 compiled with the default UDF headers once per
 *							 distinct source (pl_body.c; the object is kept
 *							 in tmebox.body_object).
 *
 * Invariants kept here:
 *	- A function runs in the tenant its *owner* may use (the tenant named
 *	  by the function's own SET tmebox.tenant, or the only tenant its owner
 *	  owns); never in a tenant chosen by the caller.
 *	- Likewise only the function's own SET tmebox.array_nulls lets its
 *	  array arguments carry NULL elements and dimensions (pf->array_nulls);
 *	  the caller's session value changes nothing.
 *	- Only functions pl_shape.c accepts are bound, checked again here
 *	  (the validator may never have seen the row).
 *	- The SQL signature must match the C one exactly (pl_types.c); a
 *	  non-STRICT function's C signature has one extra `bool` per argument,
 *	  after the arguments, true when that argument is NULL; a set of t
 *	  is returned as the array of t's value type (pl_type_set_kind).
 *	- While tmebox's configuration rows are not loaded (a restore), a
 *	  tenant or module comes from its carrier (tpg_carrier.c) and is
 *	  compiled through the compile cache; only CREATE FUNCTION records a
 *	  body's object in tmebox.body_object.
 *	- Bindings are cached per function OID and rebuilt when the function's
 *	  own pg_proc row changes (a syscache invalidation of its hash value
 *	  clears pf->callable and makes the next call, even through an FmgrInfo
 *	  kept across statements, compare xmin/tid) or when pl_cache.c finds
 *	  bindings stale (generation: tmebox's own tables, schemas, roles, a
 *	  dropped sandbox), never because of another function or relation.  A
 *	  call whose binding is current does no catalog access.
 *	- A binding reads tmebox's rows (tenant, module, body objects) with a
 *	  fresh catalog snapshot taken after pending invalidations were
 *	  processed, never with an older transaction snapshot (pl_bind_current;
 *	  a DO block's tenant too).
 *	  So it counts as current (generation unchanged, pl_cache_stale clear)
 *	  only while it reflects every change this backend has heard of: a
 *	  change whose invalidation was processed before the snapshot was
 *	  taken had committed before its invalidation was sent, so the
 *	  snapshot sees it; one processed during or after the binding sets
 *	  pl_cache_stale, which only a flush clears, and a flush moves the
 *	  generation; the binding records the generation at its start, so any
 *	  move during the binding (a flush, a sandbox dropped) leaves it stale.
 *	  Semantics: like PostgreSQL's own caches (a function's pg_proc row
 *	  comes from the syscache), a binding shows what is committed when it
 *	  is made.  A REPEATABLE READ or SERIALIZABLE transaction runs a module
 *	  or tenant change committed after its snapshot from its functions'
 *	  first (re)binding once the change is known, as it runs a CREATE OR
 *	  REPLACE FUNCTION committed meanwhile; it never keeps older code once
 *	  it ends.  (With the transaction snapshot a binding of old rows made
 *	  after the invalidation counted as current for good, and a binding
 *	  of the new rows then freed the sandbox it still called: red team s5
 *	  F1.)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_proc.h"
#include "common/keywords.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "pl_function.h"
#include "pl_struct.h"
#include "pl_tenantmem.h"
#include "tpg_admin.h"
#include "tpg_catalog.h"
#include "tpg_check.h"
#include "tpg_compile.h"
#include "tpg_guc.h"
#include "tpg_role.h"

static HTAB *pl_functions = NULL;

/*
 * A pg_proc row changed (syscache invalidation of PROCOID): the bound
 * functions whose row has that hash value (every one for 0, a cache reset)
 * compare their row again at their next statement.  Only sets flags: it
 * can run in the middle of a catalog lookup.
 */
static void
pl_function_proc_callback(Datum arg, int cacheid, uint32 hashvalue)
{
	HASH_SEQ_STATUS seq;
	PlFunction *pf;

	hash_seq_init(&seq, pl_functions);
	while ((pf = hash_seq_search(&seq)) != NULL)
		if (hashvalue == 0 || pf->fn_hash == hashvalue)
		{
			pf->proc_changed = true;
			pf->callable = false;
		}
}

/* Binding for the validator (CREATE FUNCTION), not for a call. */
static bool pl_validating = false;

/* Value of setting `name` in a function's proconfig ("name=value"), or NULL. */
static char *
pl_proconfig_get(HeapTuple procTup, const char *name)
{
	bool		isnull;
	Datum		d = SysCacheGetAttr(PROCOID, procTup, Anum_pg_proc_proconfig, &isnull);
	size_t		len = strlen(name);
	ArrayType  *arr;
	Datum	   *elems;
	int			n;
	int			i;
	char	   *result = NULL;

	if (isnull)
		return NULL;
	arr = DatumGetArrayTypeP(d);
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, NULL, &n);
	for (i = 0; i < n; i++)
	{
		char	   *item = TextDatumGetCString(elems[i]);

		if (strncmp(item, name, len) == 0 && item[len] == '=')
			result = pstrdup(item + len + 1);
	}
	return result;
}

/*
 * The function's own SET tmebox.array_nulls (never the session's: a caller
 * must not change what another's function receives).  PostgreSQL checked
 * the value when the clause was made.
 */
static bool
pl_proconfig_array_nulls(HeapTuple procTup)
{
	char	   *value = pl_proconfig_get(procTup, "tmebox.array_nulls");
	bool		on = false;

	return value != NULL && parse_bool(value, &on) && on;
}

/*
 * The tenant in which code owned by `owner` runs: `explicit_name` if given
 * (and `owner` may use it), else the one tenant `owner` owns.  For a
 * function (`function`) the name comes only from the function's own SET
 * clause, never from the session: every caller runs it in the same
 * tenant.  A DO block takes the session's tmebox.tenant.  Only when no
 * row of tmebox.tenant answers (a restore that has not loaded them yet)
 * do the tenants' carriers (tpg_catalog_carrier_*), under the same rules.
 */
static void
pl_resolve_tenant(Oid owner, const char *explicit_name, bool function, TpgTenantRow *row)
{
	int			n;

	if (explicit_name && explicit_name[0])
	{
		if (!tpg_catalog_tenant_by_name(explicit_name, row) &&
			!tpg_catalog_carrier_tenant(explicit_name, row))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("tenant \"%s\" does not exist", explicit_name)));
		/* restored without its owner role: nobody's, runs nothing */
		tpg_role_check_tenant(explicit_name, row->ownerless);
		if (!tpg_may_run_in_tenant(owner, row->owner))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("role \"%s\" may not run code in tenant \"%s\"",
							GetUserNameFromId(owner, false), explicit_name),
					 errdetail("Only the tenant's owner role and its members may."),
					 function ?
					 errhint("The function's SET tmebox.tenant names that tenant: ALTER FUNCTION ... RESET tmebox.tenant runs it in its owner's own tenant.") :
					 errhint("Set tmebox.tenant to a tenant your role may use, or reset it.")));
		return;
	}
	n = tpg_catalog_tenants_of_owner(owner, row);
	if (n == 0)
		n = tpg_catalog_carrier_tenants_of_owner(owner, row);
	switch (n)
	{
		case 0:
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("role \"%s\" owns no tmebox tenant",
							GetUserNameFromId(owner, false)),
					 errhint("An administrator can create one with tmebox.create_tenant(name, owner => role).")));
			break;
		case 1:
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_AMBIGUOUS_PARAMETER),
					 errmsg("role \"%s\" owns several tmebox tenants",
							GetUserNameFromId(owner, false)),
					 (function && tmebox_current_tenant && tmebox_current_tenant[0]) ?
					 errdetail("The session's tmebox.tenant (\"%s\") chooses the tenant of DO blocks only: a function runs in the same tenant for every caller.",
							   tmebox_current_tenant) : 0,
					 function ?
					 errhint("Name the tenant in the function's own SET clause: CREATE FUNCTION ... SET tmebox.tenant = 'name', or ALTER FUNCTION ... SET tmebox.tenant = 'name'.") :
					 errhint("Choose one with SET tmebox.tenant = 'name'.")));
	}
}

/*
 * The instance of module `module` of `tenant`, reloaded when the module's
 * catalog row changed since it was loaded.
 */
static PlInstance *
pl_module_instance(PlFunction *pf, const TpgTenantRow *tenant, const char *module)
{
	PlInstance *pi;
	bytea	   *object;
	uint32		version;

	strlcpy(pf->module, module, sizeof(pf->module));
	if (!tpg_catalog_module_version(tenant->name, module, &version))
	{
		char	   *source = tpg_catalog_carrier_module_source(tenant->name, module);

		/*
		 * No row (yet): a restore that has not loaded tmebox.module.  The
		 * module's carrier gives the source; version 0 is never a row's
		 * xmin, so the row, once loaded, replaces this instance.
		 */
		if (source != NULL)
		{
			char	   *object;
			size_t		len;
			char	   *diagnostics;

			pl_cache_note_provisional();
			pi = pl_cache_lookup(tenant, module, 0);
			if (pi)
				return pi;
			if (!tpg_compile_cached(source, psprintf("%s.c", module), false,
									   &object, &len, &diagnostics))
				pl_report_compile_error(psprintf("module \"%s\" of tenant \"%s\"",
												 module, tenant->name), diagnostics);
			return pl_cache_install(tenant, module, 0, object, len);
		}
		/* another tenant's module? */
		if (tpg_catalog_module_exists_elsewhere(tenant->name, module))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("module \"%s\" does not belong to tenant \"%s\"", module, tenant->name),
					 errdetail("A function may only bind to modules of the tenant it runs in.")));
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("module \"%s\" does not exist in tenant \"%s\"", module, tenant->name),
				 errhint("Create it with tmebox.create_module('%s', '%s', source).", tenant->name, module)));
	}
	pi = pl_cache_lookup(tenant, module, version);
	if (pi)
		return pi;
	object = tpg_catalog_module_object(tenant->name, module);
	if (object == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("module \"%s\" of tenant \"%s\" was dropped concurrently", module, tenant->name)));
	return pl_cache_install(tenant, module, version, VARDATA_ANY(object), VARSIZE_ANY_EXHDR(object));
}

/* The export's C signature must match the SQL one. */
static void
pl_check_signature(PlFunction *pf, const tmebox_signature *sig)
{
	int			expected = pf->strict ? pf->nargs : 2 * pf->nargs;
	int			i;
	bool		ok = sig->ret == pf->retkind && sig->nargs == expected;

	for (i = 0; ok && i < pf->nargs; i++)
	{
		/* a second form the C parameter chose (jsonb in binary form) */
		if (pl_type_alt_kind(pf->argbase[i], sig->args[i]))
			pf->argkinds[i] = sig->args[i];
		ok = sig->args[i] == pf->argkinds[i];
	}
	for (i = pf->nargs; ok && i < expected; i++)
		ok = sig->args[i] == TMEBOX_T_BOOL;
	if (!ok && (pf->structs || sig->structs != NULL))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("C function \"%s\" does not match the SQL signature of \"%s\"",
						sig->name, pf->name),
				 errdetail("The C function is declared as: %s.", sig->csig),
				 errhint("A row is passed and returned as a pointer to a C struct with a member and a bool NAME_isnull per column; a set of rows is returned as struct { uint32_t n, _pad; ROW v[]; } *.")));
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("C function \"%s\" does not match the SQL signature of \"%s\"",
						sig->name, pf->name),
				 errdetail("The C function is declared as: %s.", sig->csig),
				 pl_type_alt_kind(pf->retbase, sig->ret) ?
				 errhint("A %s result is returned as %s; %s is a form of arguments only.",
						 format_type_be(pf->retbase), pl_type_cname(pf->retkind, true),
						 pl_type_cname(sig->ret, false)) :
				 (pf->retset && sig->ret != pf->retkind) ?
				 errhint("A function returning SETOF %s returns %s: one row per element, NULL for no rows.",
						 format_type_be(pf->rettype), pl_type_cname(pf->retkind, true)) :
				 pf->strict ? 0 :
				 errhint("A function that is not STRICT takes one extra bool argument per SQL argument, true when it is NULL.")));
	/* rows: the compiled structs must be the SQL types' */
	for (i = 0; i < pf->nargs; i++)
		if (pf->argstruct[i] != NULL)
			pl_struct_check_layout(pf->argstruct[i], tmebox_signature_struct(sig, i),
								   sig->name, pf->name);
	if (pf->retstruct != NULL)
		pl_struct_check_layout(pf->retstruct, tmebox_signature_struct(sig, -1),
							   sig->name, pf->name);
}

/*
 * The rows of pf (pl_struct.c): each composite argument's struct, the
 * result's (a row, or the rows of a set), in pf->struct_cxt; argkinds and
 * retkind STRUCT / STRUCTS for them.  The old binding's structs are freed
 * at the end of the transaction (a call in progress may still use them).
 */
static void
pl_bind_structs(PlFunction *pf, HeapTuple procTup)
{
	MemoryContext oldcxt;

	if (pf->struct_cxt != NULL)
		MemoryContextSetParent(pf->struct_cxt, TopTransactionContext);
	pf->struct_cxt = NULL;
	pf->structs = false;
	pf->retstruct = NULL;
	for (int i = 0; i < TMEBOX_MAX_ARGS; i++)
		pf->argstruct[i] = NULL;
	if (!pl_struct_type(pf->rettype) && pf->rettype != RECORDOID)
	{
		int			i;

		for (i = 0; i < pf->nargs && !pl_struct_type(pf->argtypes[i]); i++)
			;
		if (i == pf->nargs)
			return;				/* no rows: the common case */
	}
	pf->struct_cxt = AllocSetContextCreate(TopMemoryContext, "tmebox function rows",
										   ALLOCSET_SMALL_SIZES);
	oldcxt = MemoryContextSwitchTo(pf->struct_cxt);
	for (int i = 0; i < pf->nargs; i++)
		if (pl_struct_type(pf->argtypes[i]))
		{
			pf->argstruct[i] = pl_struct_of_type(pf->argtypes[i],
												 psprintf("type %s", format_type_be(pf->argtypes[i])));
			pf->argkinds[i] = TMEBOX_T_STRUCT;
			pf->structs = true;
		}
	pf->retstruct = pl_struct_of_result(procTup);
	if (pf->retstruct != NULL)
	{
		pf->retkind = pf->retset ? TMEBOX_T_STRUCTS : TMEBOX_T_STRUCT;
		pf->structs = true;
	}
	MemoryContextSwitchTo(oldcxt);
}

/*
 * Are the rows pf was bound with still their types' current shapes?
 * false after ALTER TYPE / ALTER TABLE changed one: the caller binds the
 * function again (pl_handler.c), so no struct of an older layout is used.
 */
bool
pl_function_structs_current(const PlFunction *pf)
{
	if (pf->retstruct != NULL && !pl_struct_current(pf->retstruct))
		return false;
	for (int i = 0; i < pf->nargs; i++)
		if (pf->argstruct[i] != NULL && !pl_struct_current(pf->argstruct[i]))
			return false;
	return true;
}

/* pf (of flinfo) bound again: a row type changed since it was bound. */
PlFunction *
pl_function_rebind(FmgrInfo *flinfo, PlFunction *pf)
{
	pf->valid = false;
	pf->callable = false;
	return pl_function_get(flinfo);
}

/* Fill pf from the pg_proc row and bind it (loads its sandbox). */
static void
pl_bind(PlFunction *pf, HeapTuple procTup)
{
	Form_pg_proc proc = (Form_pg_proc) GETSTRUCT(procTup);
	bool		isnull;
	char	   *src;
	char		module[NAMEDATALEN];
	char		symbol[NAMEDATALEN];
	TpgTenantRow tenant;
	const tmebox_module_info *info;
	int			i;

	strlcpy(pf->name, NameStr(proc->proname), sizeof(pf->name));
	pf->fn_xmin = HeapTupleHeaderGetRawXmin(procTup->t_data);
	pf->fn_tid = procTup->t_self;
	pf->fn_hash = GetSysCacheHashValue1(PROCOID, ObjectIdGetDatum(proc->oid));
	pf->strict = proc->proisstrict;
	pf->readonly = proc->provolatile != PROVOLATILE_VOLATILE;
	pf->array_nulls = pl_proconfig_array_nulls(procTup);
	pl_check_proc_shape(procTup);
	pf->nargs = proc->pronargs;
	for (i = 0; i < pf->nargs; i++)
	{
		pf->argtypes[i] = proc->proargtypes.values[i];
		pf->argbase[i] = getBaseType(pf->argtypes[i]);
		(void) pl_type_kind(pf->argtypes[i], false, &pf->argkinds[i]);
	}
	pf->rettype = proc->prorettype;
	pf->retset = proc->proretset;
	if (pf->retset)
		(void) pl_type_set_kind(pf->rettype, &pf->retkind);
	else
		(void) pl_type_kind(pf->rettype, true, &pf->retkind);
	pf->retbase = getBaseType(pf->rettype);
	pf->retelem = get_element_type(pf->retbase);
	pf->retdomain = pf->retbase != pf->rettype;
	pf->rettypmod = -1;
	if (pf->retdomain)
		(void) getBaseTypeAndTypmod(pf->rettype, &pf->rettypmod);
	pf->retcheck = pf->retdomain || pl_type_has_range(pf->retbase);
	/* the old binding's domain_check cache: freed at the end of the
	 * transaction, since a check in progress may still be using it */
	if (pf->domain_cxt != NULL)
		MemoryContextSetParent(pf->domain_cxt, TopTransactionContext);
	pf->domain_cxt = NULL;
	pf->domain_extra = NULL;
	pl_bind_structs(pf, procTup);

	src = TextDatumGetCString(SysCacheGetAttr(PROCOID, procTup, Anum_pg_proc_prosrc, &isnull));
	pl_resolve_tenant(proc->proowner, pl_proconfig_get(procTup, "tmebox.tenant"), true, &tenant);
	strlcpy(pf->tenant, tenant.name, sizeof(pf->tenant));
	if (tenant.carrier)
		pl_cache_note_provisional();
	pl_trigger_bind_shape(pf);	/* a trigger: its export's shape */

	if (tpg_parse_binding(src, module, symbol))
	{
		pf->pi = pl_module_instance(pf, &tenant, module);
		pf->export_index = tmebox_module_find_export(pf->pi->shared->mod, symbol);
		if (pf->export_index < 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("module \"%s\" of tenant \"%s\" exports no function \"%s\"",
							module, tenant.name, symbol),
					 errhint("tmebox.modules lists the functions each module exports.")));
	}
	else
		pl_body_bind(pf, &tenant, procTup, src, pl_validating);
	info = tmebox_module_get_info(pf->pi->shared->mod);
	if (pf->trigger)
		pl_trigger_check_signature(pf, &info->exports[pf->export_index]);
	pl_check_signature(pf, &info->exports[pf->export_index]);
	if (pf->trigger)
	{
		/* the prepared call, but through pl_function_call_trigger */
		pf->scalar = false;
		if (tmebox_prepare(pf->pi->inst, pf->export_index, &pf->call) != 0)
			elog(ERROR, "could not prepare trigger function \"%s\"", pf->name);
	}
	else
		pf->scalar = !pf->retset &&
			tmebox_prepare(pf->pi->inst, pf->export_index, &pf->call) == 0;
	pf->bytes = !pf->scalar && !pf->retset && pl_bytes_eligible(pf) &&
		tmebox_prepare_bytes(pf->pi->inst, pf->export_index, &pf->call) == 0;
}

/*
 * pl_bind with tmebox's rows as committed now: a catalog snapshot (of no
 * system catalog, so always a fresh one; unlike GetLatestSnapshot, allowed
 * in parallel workers) is the active snapshot of the binding's read-only
 * SPI queries.  pf->generation is the generation at the start: moved
 * during the binding, it leaves the binding stale (see the header).  On an
 * ERROR the snapshot is popped by the (sub)transaction's abort.
 */
static void
pl_bind_current(PlFunction *pf, HeapTuple procTup)
{
	uint64		generation = pl_cache_generation;

	PushActiveSnapshot(GetCatalogSnapshot(InvalidOid));
	pl_bind(pf, procTup);
	PopActiveSnapshot();
	pf->generation = generation;
}

/* The bound function for a call, from fn_extra when still valid. */
PlFunction *
pl_function_get(FmgrInfo *flinfo)
{
	PlFunction *volatile pf = (PlFunction *) flinfo->fn_extra;
	HeapTuple	procTup;
	bool		found;

	pl_cache_flush_if_stale();
	if (pl_function_cached(flinfo) != NULL)
		return pf;

	if (pl_functions == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(PlFunction);
		pl_functions = hash_create("tmebox functions", 128, &ctl, HASH_ELEM | HASH_BLOBS);
		CacheRegisterSyscacheCallback(PROCOID, pl_function_proc_callback, (Datum) 0);
	}
	pf = hash_search(pl_functions, &flinfo->fn_oid, HASH_ENTER, &found);
	if (!found)
	{
		pf->valid = false;
		pf->callable = false;
		pf->proc_changed = false;
		pf->fn_hash = 0;
		pf->domain_cxt = NULL;
		pf->domain_depth = 0;
		pf->struct_cxt = NULL;
	}
	/* current, and no invalidation of its pg_proc row: no catalog access */
	if (pf->valid && pf->generation == pl_cache_generation && !pf->proc_changed)
	{
		pf->callable = true;
		flinfo->fn_extra = pf;
		return pf;
	}
	/* cleared before the lookup: an invalidation from here on sets it again */
	pf->proc_changed = false;
	procTup = SearchSysCache1(PROCOID, ObjectIdGetDatum(flinfo->fn_oid));
	if (!HeapTupleIsValid(procTup))
		elog(ERROR, "cache lookup failed for function %u", flinfo->fn_oid);
	if (!(pf->valid && pf->generation == pl_cache_generation &&
		  pf->fn_xmin == HeapTupleHeaderGetRawXmin(procTup->t_data) &&
		  ItemPointerEquals(&pf->fn_tid, &procTup->t_self)))
	{
		/* client_min_messages = debug2 shows every (re)binding */
		ereport(DEBUG2,
				(errmsg_internal("tmebox: %s function \"%s\"",
								 found ? "rebinding" : "binding",
								 NameStr(((Form_pg_proc) GETSTRUCT(procTup))->proname))));
		pf->valid = false;
		pf->callable = false;
		PG_TRY();
		{
			pl_bind_current(pf, procTup);
		}
		PG_FINALLY();
		{
			ReleaseSysCache(procTup);
		}
		PG_END_TRY();
		pf->valid = true;
	}
	else
		ReleaseSysCache(procTup);
	/* an invalidation of its row during the lookup or binding: not callable */
	pf->callable = !pf->proc_changed;
	flinfo->fn_extra = pf;
	return pf;
}

/* Validator: check the signature always, bind (and compile) when asked. */
void
pl_function_validate(Oid fn_oid, bool check_body)
{
	HeapTuple	procTup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn_oid));
	PlFunction	pf;

	if (!HeapTupleIsValid(procTup))
		elog(ERROR, "cache lookup failed for function %u", fn_oid);
	memset(&pf, 0, sizeof(pf));
	if (!check_body)
	{
		/* only the signature: kind, types and shape */
		pl_check_proc_shape(procTup);
		ReleaseSysCache(procTup);
		return;
	}
	pl_cache_flush_if_stale();
	pl_validating = true;
	PG_TRY();
	{
		pl_bind_current(&pf, procTup);
	}
	PG_FINALLY();
	{
		pl_validating = false;
		ReleaseSysCache(procTup);
	}
	PG_END_TRY();
}

/*
 * DO $$ ... $$ LANGUAGE tmebox: compile and run once in the caller's tenant,
 * in a sandbox of its own that is destroyed afterwards (charged against a
 * budget of the tenant's size of its own).  The host's copies of the
 * block's data (SQL results it holds) are charged to that budget too: a
 * tenant context of the block's own (pl_tenantmem.c), deleted with the
 * sandbox (red team s10 F2: they had been held in no tenant's memory).
 */
void
pl_inline_run(const char *body)
{
	TpgTenantRow tenant;
	char	   *object;
	size_t		len;
	const char *export;
	char		err[512];
	tmebox_module *mod = NULL;
	tmebox_instance *inst = NULL;
	PlTenant	block;			/* the block's budget and host copies */
	tmebox_value result;
	int			rc;

	pl_cache_flush_if_stale();
	/* who may run code in which tenant: as committed, like a binding */
	PushActiveSnapshot(GetCatalogSnapshot(InvalidOid));
	pl_resolve_tenant(GetUserId(), tmebox_current_tenant, false, &tenant);
	PopActiveSnapshot();
	pl_body_inline_object(body, &object, &len, &export);

	if (tmebox_module_load(object, len, &mod, err, sizeof(err)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not load the compiled DO block"),
				 errdetail_internal("%s", err)));
	memset(&block, 0, sizeof(block));
	strlcpy(block.name, tenant.name, sizeof(block.name));
	block.keyid = (uint32) tenant.keyid;
	block.budget.limit = (uint64) tenant.memory_limit;
	block.budget.used = 0;
	block.budget.domain = 0;	/* a native-stack domain of its own */
	rc = tmebox_instance_create(mod, block.keyid, &block.budget, &inst, err, sizeof(err));
	if (rc != 0)
	{
		tmebox_module_unload(mod);
		ereport(ERROR,
				(errcode(pl_create_errcode(rc)),
				 errmsg("could not create a sandbox for the DO block"),
				 errdetail_internal("%s", err)));
	}
	/* a fault or an ERROR raised in a host call: free the sandbox, rethrow */
	PG_TRY();
	{
		PlInvoke	c = {
			.what = "DO block",
			.inst = inst,
			.export_index = tmebox_module_find_export(mod, export),
			.result = &result,
		};

		pl_tenantmem_enter(&block);
		pl_invoke(&c);
	}
	PG_FINALLY();
	{
		pl_tenantmem_leave();
		pl_tenantmem_forget(&block);
		tmebox_instance_destroy(inst);
		tmebox_module_unload(mod);
	}
	PG_END_TRY();
}
