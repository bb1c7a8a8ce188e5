/*-------------------------------------------------------------------------
 *
 * tpg_module.c
 *		tmebox.create_module, replace_module, drop_module and
 *		module_exports: modules are C translation units compiled by
 *		tmebox-cc and kept, object and all, in tmebox.module.
 *
 * Invariants kept here:
 *	- Only superusers, members of tmebox_admin and members of the tenant's
 *	  owner role manage a tenant's modules (checked on the current user).
 *	- The object stored is exactly what the compiler produced from the
 *	  stored source and passed tmebox_module_verify; tenants cannot write
 *	  the table directly (the write runs as the catalog's owner).
 *	- Nothing is written before compilation has succeeded: a failed call
 *	  leaves no module behind.
 *	- Every change sends a relcache invalidation of tmebox.module, so every
 *	  backend drops its sandboxes of the old object before its next call.
 *	- drop_module and replace_module never leave a function bound to an
 *	  export that vanished or changed its C signature: refused (2BP01)
 *	  unless cascade => true drops those functions (tpg_depend.c).
 *	- Every change writes or drops the module's carrier in the tenant's
 *	  schema (tpg_carrier.c: its source, which a restore compiles while
 *	  tmebox.module is not loaded yet), in the same transaction.
 *	- cascade is read only when passed: through the 0.1 declarations
 *	  (three and two arguments), still in place until ALTER EXTENSION
 *	  tmebox UPDATE, it is false.
 *	- A module file's description (tpg_module_info, also module_exports,
 *	  which any role may call on any bytes) comes from the runtime's
 *	  bounded parser, is freed with the memory context it was read in
 *	  (no ERROR leaks it), and every C declaration in it is valid in the
 *	  database encoding (22021) before it becomes text.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "tmebox_rt.h"
#include "tpg_admin.h"
#include "tpg_carrier.h"
#include "tpg_catalog.h"
#include "tpg_check.h"
#include "tpg_compile.h"
#include "tpg_depend.h"
#include "tpg_module.h"

PG_FUNCTION_INFO_V1(tmebox_create_module);
PG_FUNCTION_INFO_V1(tmebox_replace_module);
PG_FUNCTION_INFO_V1(tmebox_drop_module);
PG_FUNCTION_INFO_V1(tmebox_module_exports);

typedef struct TpgModuleChange
{
	const char *tenant;
	const char *name;
	const char *source;
	bytea	   *object;
	int			expect;			/* 0: insert, 1: update, 2: delete */
	uint64		rows;
} TpgModuleChange;

/* The tenant must exist and the current user must be allowed to manage it. */
static void
tpg_check_module_access(const char *tenant, const char *action)
{
	TpgTenantRow row;

	if (!tpg_catalog_tenant_by_name(tenant, &row))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tenant \"%s\" does not exist", tenant)));
	tpg_admin_check(action, tenant, row.owner);
}

static bool
tpg_module_exists(const char *tenant, const char *name)
{
	return tpg_catalog_module_object(tenant, name) != NULL;
}

/* Compile `source`; returns the verified module file as a bytea. */
static bytea *
tpg_compile_module(const char *tenant, const char *name, const char *source)
{
	char	   *object;
	size_t		len;
	char	   *diagnostics;
	char		err[512];
	bytea	   *result;

	if (!tpg_compile_cached(source, psprintf("%s.c", name), false, &object, &len, &diagnostics))
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("could not compile module \"%s\" of tenant \"%s\"", name, tenant),
				 errdetail_internal("%s", diagnostics)));
	if (tmebox_module_verify(object, len, err, sizeof(err)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("the tmebox compiler produced an invalid module"),
				 errdetail_internal("%s", err)));
	result = (bytea *) palloc(VARHDRSZ + len);
	SET_VARSIZE(result, VARHDRSZ + len);
	memcpy(VARDATA(result), object, len);
	pfree(object);
	return result;
}

/* Runs as the catalog owner inside SPI (tpg_catalog_run). */
static void
tpg_module_change_body(void *arg)
{
	TpgModuleChange *c = (TpgModuleChange *) arg;
	Oid			types[4] = {TEXTOID, TEXTOID, TEXTOID, BYTEAOID};
	Datum		values[4];

	values[0] = CStringGetTextDatum(c->tenant);
	values[1] = CStringGetTextDatum(c->name);
	values[2] = c->source ? CStringGetTextDatum(c->source) : (Datum) 0;
	values[3] = PointerGetDatum(c->object);
	/* the tenant's row, against a concurrent drop_tenant (no foreign key) */
	if (c->expect != 2)
	{
		if (tpg_spi("SELECT 1 FROM tmebox.tenant WHERE name = $1 FOR KEY SHARE",
					1, types, values, NULL, SPI_OK_SELECT) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("tenant \"%s\" does not exist", c->tenant)));
	}
	switch (c->expect)
	{
		case 0:
			c->rows = tpg_spi("INSERT INTO tmebox.module (tenant, name, source, object) "
							  "VALUES ($1, $2, $3, $4)",
							  4, types, values, NULL, SPI_OK_INSERT);
			break;
		case 1:
			c->rows = tpg_spi("UPDATE tmebox.module SET source = $3, object = $4, "
							  "created_at = pg_catalog.now() WHERE tenant = $1 AND name = $2",
							  4, types, values, NULL, SPI_OK_UPDATE);
			break;
		default:
			c->rows = tpg_spi("DELETE FROM tmebox.module WHERE tenant = $1 AND name = $2",
							  2, types, values, NULL, SPI_OK_DELETE);
	}
	/* the module's carrier in the tenant's schema, for restores */
	if (c->expect != 2)
		tpg_carrier_set_module(c->tenant, c->name, c->source);
	else if (c->rows > 0)
		tpg_carrier_drop_module(c->tenant, c->name);
}

static void
tpg_module_change(TpgModuleChange *c)
{
	tpg_catalog_run(tpg_module_change_body, c);
	CacheInvalidateRelcacheByRelid(tpg_catalog_relid("module", false));
}

Datum
tmebox_create_module(PG_FUNCTION_ARGS)
{
	TpgModuleChange c;

	c.tenant = text_to_cstring(PG_GETARG_TEXT_PP(0));
	c.name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	c.source = text_to_cstring(PG_GETARG_TEXT_PP(2));
	tpg_check_name("module", c.name);
	tpg_check_module_access(c.tenant, "create modules");
	if (tpg_module_exists(c.tenant, c.name))
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("module \"%s\" of tenant \"%s\" already exists", c.name, c.tenant),
				 errhint("Use tmebox.replace_module() to change it.")));
	c.object = tpg_compile_module(c.tenant, c.name, c.source);
	c.expect = 0;
	tpg_module_change(&c);
	PG_RETURN_DATUM(DirectFunctionCall1(tmebox_module_exports, PointerGetDatum(c.object)));
}

Datum
tmebox_replace_module(PG_FUNCTION_ARGS)
{
	TpgModuleChange c;

	c.tenant = text_to_cstring(PG_GETARG_TEXT_PP(0));
	c.name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	c.source = text_to_cstring(PG_GETARG_TEXT_PP(2));
	tpg_check_name("module", c.name);
	tpg_check_module_access(c.tenant, "replace modules");
	if (!tpg_module_exists(c.tenant, c.name))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("module \"%s\" of tenant \"%s\" does not exist", c.name, c.tenant)));
	c.object = tpg_compile_module(c.tenant, c.name, c.source);
	tpg_depend_check(c.tenant, c.name, tpg_catalog_module_object(c.tenant, c.name),
					c.object, PG_NARGS() > 3 && PG_GETARG_BOOL(3));
	c.expect = 1;
	tpg_module_change(&c);
	PG_RETURN_DATUM(DirectFunctionCall1(tmebox_module_exports, PointerGetDatum(c.object)));
}

Datum
tmebox_drop_module(PG_FUNCTION_ARGS)
{
	TpgModuleChange c;

	c.tenant = text_to_cstring(PG_GETARG_TEXT_PP(0));
	c.name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	c.source = NULL;
	c.object = NULL;
	tpg_check_module_access(c.tenant, "drop modules");
	if (tpg_module_exists(c.tenant, c.name))
		tpg_depend_check(c.tenant, c.name, NULL, NULL,
						PG_NARGS() > 2 && PG_GETARG_BOOL(2));
	c.expect = 2;
	tpg_module_change(&c);
	if (c.rows == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("module \"%s\" of tenant \"%s\" does not exist", c.name, c.tenant)));
	PG_RETURN_VOID();
}

static void
tpg_module_info_free(void *arg)
{
	tmebox_module_info_free((tmebox_module_info *) arg);
}

const tmebox_module_info *
tpg_module_info(const bytea *object)
{
	MemoryContextCallback *cb = palloc0(sizeof(MemoryContextCallback));
	tmebox_module_info *info;
	char		err[512];
	int			i;

	if (tmebox_module_parse(VARDATA_ANY(object), VARSIZE_ANY_EXHDR(object),
							&info, err, sizeof(err)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid tmebox module"),
				 errdetail_internal("%s", err)));
	cb->func = tpg_module_info_free;
	cb->arg = info;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	for (i = 0; i < info->nexports; i++)
	{
		const char *csig = info->exports[i].csig;

		if (!pg_verifymbstr(csig, strlen(csig), true))
			ereport(ERROR,
					(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
					 errmsg("invalid tmebox module"),
					 errdetail("The C declaration of export \"%s\" is not valid in encoding \"%s\".",
							   info->exports[i].name, GetDatabaseEncodingName())));
	}
	return info;
}

/*
 * The C declarations a module file exports, as text[] (for
 * tmebox.modules; create_module and replace_module return it too).
 */
Datum
tmebox_module_exports(PG_FUNCTION_ARGS)
{
	const tmebox_module_info *info = tpg_module_info(PG_GETARG_BYTEA_PP(0));
	Datum	   *elems;
	int			i;

	elems = palloc(sizeof(Datum) * Max(info->nexports, 1));
	for (i = 0; i < info->nexports; i++)
		elems[i] = CStringGetTextDatum(info->exports[i].csig);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, info->nexports, TEXTOID,
										  -1, false, TYPALIGN_INT));
}
