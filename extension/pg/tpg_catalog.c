/*-------------------------------------------------------------------------
 *
 * tpg_catalog.c
 *		Read tenants, modules and compiled function bodies from tmebox's
 *		catalog tables, and record newly compiled bodies, through SPI.
 *
 * Invariants kept here:
 *	- Every query is a fixed, schema-qualified statement with parameters:
 *	  no tenant-supplied text is ever spliced into SQL.
 *	- Results are copied into the caller's memory context before
 *	  SPI_finish, so callers never see SPI memory.
 *	- Reads run as the catalog owner too (tpg_catalog_run): the tables
 *	  are not readable by tenants, and the call handler runs as whoever
 *	  calls the function.
 *	- A tenant or module is read from its carrier (tpg_carrier.c) only
 *	  when tmebox.tenant / tmebox.module has no row of that name: a restore
 *	  that has not loaded them yet.  Callers ask for that explicitly
 *	  (tpg_catalog_carrier_*), after the row lookup failed.
 *	- Writes (tpg_catalog_store_*_object) run as the owner of the
 *	  catalog through tpg_catalog_run: tenants cannot write these tables
 *	  themselves, so that no one can plant an object the compiler did not
 *	  produce.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/cryptohash.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "tpg_admin.h"
#include "tpg_carrier.h"
#include "tpg_catalog.h"
#include "tpg_compat.h"

#define TPG_SCHEMA "tmebox"

/*
 * A read of the catalog: a fixed query with text parameters, run as the
 * catalog owner (the tables are not readable by tenants), whose first row
 * is handed to `row` while SPI is still connected.
 */
typedef struct TpgRead
{
	const char *sql;
	int			nargs;
	const char *args[4];
	MemoryContext cxt;			/* where `row` copies results */
	void		(*row) (struct TpgRead *rd, HeapTuple tup, TupleDesc desc);
	uint64		processed;
	void	   *out;
} TpgRead;

static void
tpg_read_spi(void *arg)
{
	TpgRead	   *rd = (TpgRead *) arg;
	Oid			types[4];
	Datum		values[4];
	int			i;

	for (i = 0; i < rd->nargs; i++)
	{
		types[i] = TEXTOID;
		values[i] = CStringGetTextDatum(rd->args[i]);
	}
	rd->processed = tpg_spi_read(rd->sql, rd->nargs, types, values);
	if (SPI_processed > 0 && rd->row)
	{
		MemoryContext old = MemoryContextSwitchTo(rd->cxt);

		rd->row(rd, SPI_tuptable->vals[0], SPI_tuptable->tupdesc);
		MemoryContextSwitchTo(old);
	}
}

static uint64
tpg_read(TpgRead *rd)
{
	rd->cxt = CurrentMemoryContext;
	tpg_catalog_run(tpg_read_spi, rd);
	return rd->processed;
}

static void
tpg_tenant_row(TpgRead *rd, HeapTuple tup, TupleDesc desc)
{
	TpgTenantRow *out = (TpgTenantRow *) rd->out;
	bool		isnull;
	Datum		d;

	out->name = TextDatumGetCString(SPI_getbinval(tup, desc, 1, &isnull));
	d = SPI_getbinval(tup, desc, 2, &isnull);
	out->owner = isnull ? InvalidOid : DatumGetObjectId(d);
	out->keyid = DatumGetInt32(SPI_getbinval(tup, desc, 3, &isnull));
	out->memory_limit = DatumGetInt64(SPI_getbinval(tup, desc, 4, &isnull));
	out->created_at = DatumGetTimestampTz(SPI_getbinval(tup, desc, 5, &isnull));
	out->id = DatumGetInt64(SPI_getbinval(tup, desc, 6, &isnull));
	out->carrier = false;
	out->ownerless = DatumGetBool(SPI_getbinval(tup, desc, 7, &isnull));
}

/*
 * The tenants query with condition WHERE: the owner is the tenant's owner
 * now (tmebox.tenant_owner, its schema's; the recorded owner on the 0.1
 * catalog, tpg_compat.c, which has no id either).
 */
static const char *
tpg_tenant_query(const char *where)
{
	return psprintf("SELECT t.name::text, o.owner::oid, t.keyid::int4, t.memory_limit::int8, t.created_at, %s, "
					"t.owner::oid = 0::oid "
					"FROM " TPG_SCHEMA ".tenant t JOIN %s o ON o.name = t.name %s",
					tpg_catalog_is_0_1() ? "0::int8" : "t.id",
					tpg_catalog_owner_rel(), where);
}

bool
tpg_catalog_tenant_by_name(const char *name, TpgTenantRow *out)
{
	TpgRead		rd = {0};

	rd.sql = tpg_tenant_query("WHERE t.name = $1");
	rd.nargs = 1;
	rd.args[0] = name;
	rd.row = tpg_tenant_row;
	rd.out = out;
	return tpg_read(&rd) > 0;
}

/* Number of tenants `owner` owns; the first (by name) is put in *first. */
int
tpg_catalog_tenants_of_owner(Oid owner, TpgTenantRow *first)
{
	TpgRead		rd = {0};
	char		buf[16];

	snprintf(buf, sizeof(buf), "%u", owner);
	rd.sql = tpg_tenant_query("WHERE o.owner::oid = $1::oid ORDER BY t.name");
	rd.nargs = 1;
	rd.args[0] = buf;
	rd.row = tpg_tenant_row;
	rd.out = first;
	return (int) Min(tpg_read(&rd), (uint64) INT_MAX);
}

/* Does tmebox.tenant have a row named NAME (whoever owns it now)? */
static bool
tpg_catalog_tenant_row_exists(const char *name)
{
	TpgRead		rd = {0};

	rd.sql = "SELECT 1 FROM " TPG_SCHEMA ".tenant WHERE name = $1";
	rd.nargs = 1;
	rd.args[0] = name;
	return tpg_read(&rd) > 0;
}

/*
 * The tenant carrier of tenant NAME (tpg_carrier.c), or NULL; when two
 * schemas claim the same tenant, neither counts.
 */
static TpgCarrierTenant *
tpg_catalog_carrier_of(const char *name, List *carriers)
{
	ListCell   *lc;
	TpgCarrierTenant *found = NULL;

	foreach(lc, carriers)
	{
		TpgCarrierTenant *t = (TpgCarrierTenant *) lfirst(lc);

		if (strcmp(t->name, name) != 0)
			continue;
		if (found)
			return NULL;
		found = t;
	}
	return found;
}

/*
 * A tenant without a row, as its carrier describes it: its memory limit,
 * the owner of the schema holding it; no KeyID, id or creation yet, so
 * that the row, once loaded, is another tenant to the session cache
 * (fresh sandboxes).
 */
static void
tpg_catalog_carrier_row(const TpgCarrierTenant *t, TpgTenantRow *out)
{
	out->name = pstrdup(t->name);
	out->owner = t->owner;
	out->keyid = 0;
	out->memory_limit = t->memory_limit;
	out->created_at = 0;
	out->id = 0;
	out->carrier = true;
	out->ownerless = false;
}

bool
tpg_catalog_carrier_tenant(const char *name, TpgTenantRow *out)
{
	TpgCarrierTenant *t = tpg_catalog_carrier_of(name, tpg_carrier_tenants());

	if (t == NULL || tpg_catalog_tenant_row_exists(name))
		return false;
	tpg_catalog_carrier_row(t, out);
	return true;
}

/*
 * Tenants without a row whose carrier is in a schema `owner` owns; the
 * first by name into *first.
 */
int
tpg_catalog_carrier_tenants_of_owner(Oid owner, TpgTenantRow *first)
{
	List	   *carriers = tpg_carrier_tenants();
	ListCell   *lc;
	TpgCarrierTenant *best = NULL;
	int			n = 0;

	foreach(lc, carriers)
	{
		TpgCarrierTenant *t = (TpgCarrierTenant *) lfirst(lc);

		if (t->owner != owner || tpg_catalog_carrier_of(t->name, carriers) != t ||
			tpg_catalog_tenant_row_exists(t->name))
			continue;
		n++;
		if (best == NULL || strcmp(t->name, best->name) < 0)
			best = t;
	}
	if (best)
		tpg_catalog_carrier_row(best, first);
	return n;
}

char *
tpg_catalog_carrier_module_source(const char *tenant, const char *module)
{
	TpgCarrierTenant *t = tpg_catalog_carrier_of(tenant, tpg_carrier_tenants());

	return t ? tpg_carrier_module_source(t->nsp, module) : NULL;
}

static void
tpg_bytea_row(TpgRead *rd, HeapTuple tup, TupleDesc desc)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, 1, &isnull);

	rd->out = isnull ? NULL : DatumGetByteaPCopy(d);
}

bytea *
tpg_catalog_module_object(const char *tenant, const char *module)
{
	TpgRead		rd = {0};

	rd.sql = "SELECT object FROM " TPG_SCHEMA ".module WHERE tenant = $1 AND name = $2";
	rd.nargs = 2;
	rd.args[0] = tenant;
	rd.args[1] = module;
	rd.row = tpg_bytea_row;
	tpg_read(&rd);
	return (bytea *) rd.out;
}

static void
tpg_version_row(TpgRead *rd, HeapTuple tup, TupleDesc desc)
{
	bool		isnull;
	char	   *str = TextDatumGetCString(SPI_getbinval(tup, desc, 1, &isnull));

	*(uint32 *) rd->out = (uint32) strtoul(str, NULL, 10);
}

/* Version (row xmin) of a module's catalog row; false if there is none. */
bool
tpg_catalog_module_version(const char *tenant, const char *module, uint32 *version)
{
	TpgRead		rd = {0};

	rd.sql = "SELECT xmin::text FROM " TPG_SCHEMA ".module WHERE tenant = $1 AND name = $2";
	rd.nargs = 2;
	rd.args[0] = tenant;
	rd.args[1] = module;
	rd.row = tpg_version_row;
	rd.out = version;
	return tpg_read(&rd) > 0;
}

bytea *
tpg_catalog_body_object(const char *tenant, const char *hash)
{
	TpgRead		rd = {0};

	rd.sql = "SELECT object FROM " TPG_SCHEMA ".body_object WHERE tenant = $1 AND source_hash = $2";
	rd.nargs = 2;
	rd.args[0] = tenant;
	rd.args[1] = hash;
	rd.row = tpg_bytea_row;
	tpg_read(&rd);
	return (bytea *) rd.out;
}

/* Does a module of this name exist in a tenant other than `tenant`? */
bool
tpg_catalog_module_exists_elsewhere(const char *tenant, const char *module)
{
	TpgRead		rd = {0};

	rd.sql = "SELECT 1 FROM " TPG_SCHEMA ".module WHERE tenant <> $1 AND name = $2 LIMIT 1";
	rd.nargs = 2;
	rd.args[0] = tenant;
	rd.args[1] = module;
	return tpg_read(&rd) > 0;
}

/* The key of a body or compiled object: SHA-256 of DATA in hex (65 bytes). */
void
tpg_sha256_hex(const char *data, size_t len, char *hex)
{
	uint8		digest[32];
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
	int			i;

	if (pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) data, len) < 0 ||
		pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(ctx));
	pg_cryptohash_free(ctx);
	for (i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", digest[i]);
	hex[64] = '\0';
}

Oid
tpg_catalog_relid(const char *relname, bool missing_ok)
{
	Oid			nsp = get_namespace_oid(TPG_SCHEMA, missing_ok);

	if (!OidIsValid(nsp))
		return InvalidOid;
	return get_relname_relid(relname, nsp);
}

bytea *
tpg_catalog_compiled_object(const char *key)
{
	TpgRead		rd = {0};

	if (!tpg_catalog_has("compiled_object"))
		return NULL;			/* the 0.1 catalog: no compile cache */
	rd.sql = "SELECT object FROM " TPG_SCHEMA ".compiled_object WHERE cache_key = $1";
	rd.nargs = 1;
	rd.args[0] = key;
	rd.row = tpg_bytea_row;
	tpg_read(&rd);
	return (bytea *) rd.out;
}

/* An INSERT of an object: text keys $1..$nkeys, the object last. */
typedef struct TpgStoreObject
{
	const char *sql;
	int			nkeys;
	const char *keys[2];
	bytea	   *object;
} TpgStoreObject;

static void
tpg_store_object_spi(void *arg)
{
	TpgStoreObject *s = (TpgStoreObject *) arg;
	Oid			types[3];
	Datum		values[3];
	int			i;

	for (i = 0; i < s->nkeys; i++)
	{
		types[i] = TEXTOID;
		values[i] = CStringGetTextDatum(s->keys[i]);
	}
	types[i] = BYTEAOID;
	values[i] = PointerGetDatum(s->object);
	tpg_spi(s->sql, s->nkeys + 1, types, values, NULL, SPI_OK_INSERT);
}

/*
 * Run an INSERT ... ON CONFLICT DO NOTHING of a compiled object as the
 * catalog owner (tpg_catalog_run): a concurrent insert of the same key is
 * harmless.
 */
static void
tpg_store_object(TpgStoreObject *s, const char *object, size_t len)
{
	s->object = (bytea *) palloc(VARHDRSZ + len);
	SET_VARSIZE(s->object, VARHDRSZ + len);
	memcpy(VARDATA(s->object), object, len);
	tpg_catalog_run(tpg_store_object_spi, s);
	pfree(s->object);
}

/* Record the object compiled from a function body of `tenant`. */
void
tpg_catalog_store_body_object(const char *tenant, const char *hash,
							 const char *object, size_t len)
{
	TpgStoreObject s = {0};

	s.sql = "INSERT INTO " TPG_SCHEMA ".body_object (tenant, source_hash, object) "
		"VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
	s.nkeys = 2;
	s.keys[0] = tenant;
	s.keys[1] = hash;
	tpg_store_object(&s, object, len);
}

/* Record an object in the shared compile cache (tpg_objcache.c). */
void
tpg_catalog_store_compiled_object(const char *key, const char *object, size_t len)
{
	TpgStoreObject s = {0};

	if (!tpg_catalog_has("compiled_object"))
		return;					/* the 0.1 catalog: no compile cache */
	/*
	 * Only the transaction holding the key's advisory lock inserts: an
	 * INSERT ... ON CONFLICT would wait for another session's uncommitted
	 * row of the same key, so one tenant holding a transaction open would
	 * block every other tenant's CREATE FUNCTION of the same source.  Who
	 * does not get the lock simply does not record its object.
	 */
	s.sql = "INSERT INTO " TPG_SCHEMA ".compiled_object (cache_key, object) "
		"SELECT $1, $2 WHERE pg_catalog.pg_try_advisory_xact_lock(1953325688, pg_catalog.hashtext($1)) "
		"ON CONFLICT DO NOTHING";
	s.nkeys = 1;
	s.keys[0] = key;
	tpg_store_object(&s, object, len);
}

