/*-------------------------------------------------------------------------
 *
 * pl_cache.c
 *		The backend's resident sandboxes.  A module is loaded (mapped from
 *		memory by the runtime's loader) and instantiated on first use by a
 *		(tenant, module) pair and kept until the catalog changes.  Loaded
 *		modules are shared by content: instances whose module files are
 *		byte-identical (the same function body in many tenants, say) use
 *		one mapping of its code; every instance still has its own view and
 *		its tenant's KeyID.
 *
 * Invariants kept here:
 *	- Each instance is charged to its tenant's budget, whose limit is the
 *	  tenant's memory_limit: all instances of a tenant in this backend
 *	  together stay under it.  alter_tenant's new limit reaches a running
 *	  session at its next statement that calls one of the tenant's
 *	  functions (the relcache invalidation below makes it rebind, which
 *	  reads the tenant's row): when the tenant's sandboxes in this
 *	  session then use more than the new limit, they are all dropped
 *	  (globals start afresh), so the limit holds again from that
 *	  statement on; otherwise they are kept and only further growth is
 *	  held to the new limit.
 *	- Any change to tmebox's catalog tables (sent as a relcache
 *	  invalidation of the table by the functions that change them) bumps
 *	  pl_cache_generation, so every function rebinds on its next call;
 *	  an invalidation of any other relation does not (DDL elsewhere costs
 *	  no rebind), except while tmebox's relations are not known (no
 *	  extension yet, just dropped) or a binding came from a carrier (a
 *	  restore's COPY of the rows sends no invalidation).  A function's
 *	  own pg_proc row is followed per function (pl_bind.c).  A
 *	  rebind revalidates only the instance it uses, against the version
 *	  (xmin) of its module's catalog row, read with a catalog snapshot
 *	  taken after the invalidations were processed (pl_bind.c), never an
 *	  older transaction snapshot: a module another tenant changed never
 *	  resets this tenant's sandboxes.  The invalidation callback only
 *	  sets a flag: it can run in the middle of a catalog lookup, while a
 *	  caller holds pointers into the cache.  A change of any schema does
 *	  the same: a tenant's owner is its schema's owner (tpg_schema.c), so
 *	  REASSIGN OWNED or ALTER SCHEMA ... OWNER TO may move a tenant.  So
 *	  does a change of a role or of a role's memberships (ALTER ROLE
 *	  NOSUPERUSER, REVOKE): they decide who may run code in a tenant a
 *	  function names (tpg_may_run_in_tenant).
 *	- No instance is freed while a binding can still reach it: instances
 *	  are freed only by pl_cache_drop (a replaced module's, a recreated
 *	  tenant's, a lowered limit's, a reset that failed, DISCARD ALL), which
 *	  bumps pl_cache_generation first.  Every binding that may point at
 *	  the instance (PlFunction.pi, and the instance and code addresses in
 *	  its prepared call) was bound in an earlier generation, so it is not
 *	  current any more and is made again before its next call
 *	  (pl_function_cached).  The cost is one rebind of the session's
 *	  functions after a drop, which follows a catalog change that made
 *	  them rebind anyway; the per-call test stays one generation compare.
 *	  A caller holds a PlInstance * only until it calls something that
 *	  may bind (a call, a domain check): it reads it again from a binding
 *	  that pl_function_cached has just found current.
 *	- Sharing a loaded module between tenants shares nothing they can
 *	  reach: all of an instance's state is in its view; the module mapping
 *	  holds code, constants and host tables, which sandboxed code cannot
 *	  write.  A module is unloaded when its last instance goes.
 *	- Each instance's bookkeeping lives in its own memory context under
 *	  TopMemoryContext whose identifier names the tenant, KeyID and module,
 *	  so pg_backend_memory_contexts shows it; the view memory itself is
 *	  mapped by the runtime, outside PostgreSQL's allocator.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "pl_cache.h"
#include "pl_tenantmem.h"
#include "tpg_catalog.h"
#include "tpg_guc.h"

uint64		pl_cache_generation = 1;
bool		pl_cache_stale = false;

static HTAB *pl_tenants = NULL;
static HTAB *pl_instances = NULL;
static HTAB *pl_modules = NULL;
static long pl_ninstances = 0;

/*
 * tmebox's own relations, whose relcache invalidations make bindings
 * stale: the tables a binding reads (and the view naming tenants'
 * schemas).  Looked up by name at the first flush after they were
 * forgotten; forgotten at every invalidation of one of them (which a drop
 * of the extension, of the schema or of the relation sends too) and at a
 * cache reset.  While not known (no extension yet, or between a drop and
 * the next flush), every relcache invalidation counts.
 */
static const char *const pl_cache_own_relnames[] = {
	"tenant", "module", "body_object", "compiled_object", "tenant_owner"
};
static Oid	pl_cache_own_relids[lengthof(pl_cache_own_relnames)];
static bool pl_cache_own_known = false;
static uint64 pl_cache_own_forgotten = 0;	/* times forgotten */

/*
 * Set while a binding made since the last flush came from a carrier (a
 * restore that has not loaded tmebox's rows yet): their COPY sends no
 * invalidation, so every relcache invalidation counts then, as the next
 * statement may find the rows.
 */
static bool pl_cache_provisional = false;

static bool
pl_cache_own_relid(Oid relid)
{
	int			i;

	for (i = 0; i < lengthof(pl_cache_own_relids); i++)
		if (pl_cache_own_relids[i] == relid)
			return true;
	return false;
}

/*
 * A relcache invalidation: stale when it names one of tmebox's own
 * relations, or all relations (InvalidOid: a cache reset), or when those
 * are not known.  Any other relation's DDL leaves bindings alone.
 */
static void
pl_cache_inval_callback(Datum arg, Oid relid)
{
	if (!pl_cache_own_known || pl_cache_provisional ||
		!OidIsValid(relid) || pl_cache_own_relid(relid))
	{
		pl_cache_stale = true;
		if (!OidIsValid(relid) || pl_cache_own_relid(relid))
		{
			pl_cache_own_known = false;
			pl_cache_own_forgotten++;
		}
	}
}

/* Look tmebox's own relations up again (not from a callback: catalog access). */
static void
pl_cache_lookup_own_relids(void)
{
	Oid			relids[lengthof(pl_cache_own_relnames)];
	uint64		forgotten = pl_cache_own_forgotten;
	int			i;

	/* a relation missing in an older catalog stays InvalidOid */
	for (i = 0; i < lengthof(pl_cache_own_relnames); i++)
		relids[i] = tpg_catalog_relid(pl_cache_own_relnames[i], true);
	if (!OidIsValid(relids[0]))
		return;					/* no extension (tmebox.tenant) */
	/* an invalidation processed during the lookups forgot them again */
	if (pl_cache_own_forgotten != forgotten)
		return;
	memcpy(pl_cache_own_relids, relids, sizeof(relids));
	pl_cache_own_known = true;
}

/* pl_bind.c: this binding's tenant or module came from a carrier. */
void
pl_cache_note_provisional(void)
{
	pl_cache_provisional = true;
}

static void
pl_cache_schema_callback(Datum arg, int cacheid, uint32 hashvalue)
{
	pl_cache_stale = true;
}

void
pl_cache_init(void)
{
	HASHCTL		ctl;

	if (pl_instances)
		return;
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = NAMEDATALEN;
	ctl.entrysize = sizeof(PlTenant);
	pl_tenants = hash_create("tmebox tenants", 64, &ctl, HASH_ELEM | HASH_STRINGS);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = NAMEDATALEN + PL_MODULE_KEYLEN;
	ctl.entrysize = sizeof(PlInstance);
	pl_instances = hash_create("tmebox instances", 256, &ctl, HASH_ELEM | HASH_STRINGS);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = 65;
	ctl.entrysize = sizeof(PlModule);
	pl_modules = hash_create("tmebox modules", 256, &ctl, HASH_ELEM | HASH_STRINGS);
	CacheRegisterRelcacheCallback(pl_cache_inval_callback, (Datum) 0);
	CacheRegisterSyscacheCallback(NAMESPACEOID, pl_cache_schema_callback, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHOID, pl_cache_schema_callback, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHMEMROLEMEM, pl_cache_schema_callback, (Datum) 0);
}

/* The loaded module of `object`, loading it unless an identical one is. */
static pg_noinline PlModule *
pl_module_acquire(const char *object, size_t len, const char *module, const char *tenant)
{
	char		digest[65];
	char		err[512];
	bool		found;
	PlModule   *m;
	tmebox_module *mod;

	tpg_sha256_hex(object, len, digest);
	m = hash_search(pl_modules, digest, HASH_FIND, NULL);
	if (m != NULL)
	{
		m->refs++;
		return m;
	}
	if (tmebox_module_load(object, len, &mod, err, sizeof(err)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not load tmebox module \"%s\" of tenant \"%s\"", module, tenant),
				 errdetail_internal("%s", err)));
	PG_TRY();
	{
		m = hash_search(pl_modules, digest, HASH_ENTER, &found);
	}
	PG_CATCH();
	{
		tmebox_module_unload(mod);
		PG_RE_THROW();
	}
	PG_END_TRY();
	Assert(!found);
	m->mod = mod;
	m->refs = 1;
	return m;
}

static void
pl_module_release(PlModule *m)
{
	if (--m->refs > 0)
		return;
	tmebox_module_unload(m->mod);
	hash_search(pl_modules, m->digest, HASH_REMOVE, NULL);
}

static void
pl_instance_release(PlInstance *pi)
{
	if (pi->inst)
		tmebox_instance_destroy(pi->inst);
	if (pi->shared)
		pl_module_release(pi->shared);
	if (pi->cxt)
		MemoryContextDelete(pi->cxt);
	pi->inst = NULL;
	pi->shared = NULL;
	pi->cxt = NULL;
}

void
pl_cache_flush_if_stale(void)
{
	pl_cache_init();
	if (pl_cache_stale)
	{
		pl_cache_stale = false;
		pl_cache_provisional = false;	/* every binding is made again */
		pl_cache_generation++;
	}
	if (!pl_cache_own_known)
		pl_cache_lookup_own_relids();
}

static void
pl_make_key(char *key, const char *tenant, const char *module)
{
	snprintf(key, NAMEDATALEN + PL_MODULE_KEYLEN, "%s/%s", tenant, module);
}

/*
 * Remove one instance from the cache and free it.  The only place that
 * frees an instance: the generation moves first, so no binding made
 * before (which may point at pi) is current any more.
 */
static void
pl_cache_drop(PlInstance *pi)
{
	char		key[NAMEDATALEN + PL_MODULE_KEYLEN];

	pl_cache_generation++;
	strlcpy(key, pi->key, sizeof(key));
	pi->tenant->calls += pi->calls;
	if (--pi->tenant->ninstances <= 0)
		pl_tenantmem_forget(pi->tenant);	/* its last: host copies go too */
	pl_instance_release(pi);
	hash_search(pl_instances, key, HASH_REMOVE, NULL);
	pl_ninstances--;
}

/*
 * Is the cached tenant entry pt the tenant of catalog row trow?  A tenant
 * is its id and creation (tmebox.tenant.id is never reused, unlike a name
 * or a KeyID); a new owner or KeyID gets fresh sandboxes too.
 */
static bool
pl_tenant_same(const PlTenant *pt, const TpgTenantRow *trow)
{
	return pt->id == trow->id && pt->created_at == trow->created_at &&
		pt->keyid == (uint32) trow->keyid && pt->owner == trow->owner;
}

/* Drop every resident instance of tenant pt (they charge its budget). */
static void
pl_tenant_drop_instances(PlTenant *pt)
{
	HASH_SEQ_STATUS seq;
	PlInstance *pi;

	hash_seq_init(&seq, pl_instances);
	while ((pi = hash_seq_search(&seq)) != NULL)
		if (pi->tenant == pt)
			pl_cache_drop(pi);
}

/*
 * Bring the memory limit of cached tenant pt up to date with its row.
 * When its sandboxes use more than a lowered limit they are all dropped
 * (which makes bindings stale): true then.
 */
static bool
pl_tenant_refresh_limit(PlTenant *pt, const TpgTenantRow *trow)
{
	uint64		limit = (uint64) trow->memory_limit;

	if (pt->budget.limit == limit)
		return false;
	pt->budget.limit = limit;
	if (pt->budget.used <= limit)
		return false;
	pl_tenant_drop_instances(pt);
	return true;
}

/*
 * The resident instance of (tenant, module) if it is current: built from
 * catalog row version `version` (module row xmin; 0 for content-addressed
 * function bodies) for a tenant that still has the same KeyID.  A stale one
 * is dropped (making every binding stale, pl_cache_drop) and NULL returned.  Refreshes the tenant's memory limit
 * (pl_tenant_refresh_limit: NULL too when that dropped the tenant's
 * sandboxes).
 */
PlInstance *
pl_cache_lookup(const TpgTenantRow *tenant, const char *module, uint32 version)
{
	char		key[NAMEDATALEN + PL_MODULE_KEYLEN];
	PlInstance *pi;

	pl_cache_init();
	pl_make_key(key, tenant->name, module);
	pi = (PlInstance *) hash_search(pl_instances, key, HASH_FIND, NULL);
	if (pi == NULL)
		return NULL;
	if (pi->version != version || !pl_tenant_same(pi->tenant, tenant))
	{
		pl_cache_drop(pi);
		return NULL;
	}
	if (pl_tenant_refresh_limit(pi->tenant, tenant))
		return NULL;
	return pi;
}

/*
 * The tenant entry for trow.  A cached entry of the same name whose
 * identity differs belongs to a tenant that was dropped (and maybe created
 * again, even with the same KeyID or owner): its remaining instances are
 * dropped first (they charge its budget, and must never serve the new
 * tenant), then the entry starts afresh.
 */
static PlTenant *
pl_tenant_entry(const TpgTenantRow *trow)
{
	bool		found;
	PlTenant   *pt = hash_search(pl_tenants, trow->name, HASH_ENTER, &found);

	if (found && !pl_tenant_same(pt, trow))
	{
		pl_tenant_drop_instances(pt);
		pl_tenantmem_forget(pt);
		found = false;
	}
	else if (found)
		pl_tenant_refresh_limit(pt, trow);
	if (!found)
	{
		pt->id = trow->id;
		pt->created_at = trow->created_at;
		pt->owner = trow->owner;
		pt->keyid = (uint32) trow->keyid;
		pt->budget.limit = (uint64) trow->memory_limit;
		pt->budget.used = 0;
		pt->budget.domain = 0;	/* a new tenant: a new native-stack domain */
		pt->calls = 0;
		pt->faults = 0;
		pt->ninstances = 0;
		pt->hostcxt = NULL;
	}
	return pt;
}

/*
 * Load `object` (a module file) and create its instance for `tenant`.
 * Errors leave nothing behind.
 */
PlInstance *
pl_cache_install(const TpgTenantRow *trow, const char *module, uint32 version,
				 const char *object, size_t len)
{
	const char *tenant = trow->name;
	uint32		keyid = (uint32) trow->keyid;
	char		key[NAMEDATALEN + PL_MODULE_KEYLEN];
	char		err[512];
	PlModule   *shared;
	tmebox_instance *inst = NULL;
	PlTenant   *pt;
	PlInstance *pi;
	bool		found;
	MemoryContext volatile cxt = NULL;
	int			rc;

	pl_cache_init();
	if (pl_ninstances >= tmebox_max_instances)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("too many resident tmebox sandboxes in this session"),
				 errdetail("tmebox.max_instances is %d.", tmebox_max_instances)));

	pl_make_key(key, tenant, module);
	shared = pl_module_acquire(object, len, module, tenant);
	pt = pl_tenant_entry(trow);
	rc = tmebox_instance_create(shared->mod, keyid, &pt->budget, &inst, err, sizeof(err));
	if (rc != 0)
	{
		pl_module_release(shared);
		/* no hardware key left for another tenant: a configuration limit */
		ereport(ERROR,
				(errcode(pl_create_errcode(rc)),
				 errmsg("could not create a sandbox for module \"%s\" of tenant \"%s\"", module, tenant),
				 errdetail_internal("%s", err)));
	}

	/* out of memory from here on must not leak the instance or the module */
	PG_TRY();
	{
		cxt = AllocSetContextCreate(TopMemoryContext, "tmebox instance", ALLOCSET_SMALL_SIZES);
		MemoryContextSetIdentifier(cxt, MemoryContextStrdup(cxt, psprintf("tenant %s keyid %u module %s",
																		   tenant, keyid, module)));
		pi = hash_search(pl_instances, key, HASH_ENTER, &found);
	}
	PG_CATCH();
	{
		if (cxt != NULL)
			MemoryContextDelete(cxt);
		tmebox_instance_destroy(inst);
		pl_module_release(shared);
		PG_RE_THROW();
	}
	PG_END_TRY();
	Assert(!found);
	pi->tenant = pt;
	strlcpy(pi->module, module, sizeof(pi->module));
	pi->shared = shared;
	pi->inst = inst;
	pi->cxt = cxt;
	pi->version = version;
	pi->calls = 0;
	pi->faults = 0;
	pt->ninstances++;
	pl_ninstances++;
	return pi;
}

/*
 * DISCARD ALL (pl_session.c): drop every resident sandbox (modules are
 * unloaded with their last instance) and the session's tenant entries
 * with their counters; every function rebinds and starts afresh.
 */
void
pl_cache_discard_all(void)
{
	HASH_SEQ_STATUS seq;
	PlInstance *pi;
	PlTenant   *pt;

	if (pl_instances == NULL)
		return;
	hash_seq_init(&seq, pl_instances);
	while ((pi = hash_seq_search(&seq)) != NULL)
		pl_cache_drop(pi);
	hash_seq_init(&seq, pl_tenants);
	while ((pt = hash_seq_search(&seq)) != NULL)
	{
		pl_tenantmem_forget(pt);
		hash_search(pl_tenants, pt->name, HASH_REMOVE, NULL);
	}
	pl_cache_generation++;
}

/* Bring an instance back to its initial state after a fault. */
void
pl_cache_reset_instance(PlInstance *pi)
{
	char		err[512];

	if (tmebox_instance_reset(pi->inst, err, sizeof(err)) != 0)
	{
		/* cannot reuse it: drop it, the next call creates a fresh one */
		pl_cache_drop(pi);
	}
}

/* palloc'd copy of every resident instance's statistics. */
int
pl_cache_snapshot(PlInstanceStat **out)
{
	HASH_SEQ_STATUS seq;
	PlInstance *pi;
	int			n = 0;

	pl_cache_init();
	*out = palloc(sizeof(PlInstanceStat) * Max(pl_ninstances, 1));
	hash_seq_init(&seq, pl_instances);
	while ((pi = hash_seq_search(&seq)) != NULL)
	{
		PlInstanceStat *s = &(*out)[n++];

		strlcpy(s->tenant, pi->tenant->name, sizeof(s->tenant));
		strlcpy(s->module, pi->module, sizeof(s->module));
		s->keyid = pi->tenant->keyid;
		s->committed = tmebox_instance_committed(pi->inst);
		s->calls = pi->calls;
		s->faults = pi->faults;
	}
	return n;
}

/* palloc'd copy of every tenant known to this backend. */
int
pl_cache_tenant_snapshot(PlTenant **out)
{
	HASH_SEQ_STATUS seq;
	PlTenant   *pt;
	PlInstance *pi;
	int			n = 0;
	long		max;

	pl_cache_init();
	max = hash_get_num_entries(pl_tenants);
	*out = palloc(sizeof(PlTenant) * Max(max, 1));
	hash_seq_init(&seq, pl_tenants);
	while ((pt = hash_seq_search(&seq)) != NULL)
	{
		pt->snap_index = n;
		(*out)[n++] = *pt;
	}
	/* calls of the live instances, which count them themselves */
	hash_seq_init(&seq, pl_instances);
	while ((pi = hash_seq_search(&seq)) != NULL)
		(*out)[pi->tenant->snap_index].calls += pi->calls;
	return n;
}
